// Package wire carries the trainer's view to a viewer in another process
// and the viewer's key events back: frames one way, events the other, over
// any pair of streams (the viewer's stdin and stdout).
//
// The desktop window is a separate program because a binary that links
// Ebitengine cannot start on Linux without an X display; the trainer itself
// must run anywhere, so it stays free of Ebitengine and talks to the window
// through this package.
package wire

import (
	"bufio"
	"encoding/gob"
	"fmt"
	"image"
	"io"

	"github.com/wgangp/wgangp/wgan/ui"
)

// Event is something the viewer tells the trainer.
type Event string

const (
	Ready       Event = "ready"        // the window is open
	TogglePause Event = "toggle-pause" // Space
	SaveGrid    Event = "save-grid"    // S
	Closed      Event = "closed"       // the window was closed (also: the stream ended)
)

// frame is ui.Frame with the grid as plain pixels.
type frame struct {
	Version             uint64
	Title, Status, Hint string
	GridW, GridH        int
	GridPix             []byte
	GridLabel           string
	LossD, LossDUnreg   []float64
	SWDX, SWDY          []float64
	SWDFloor            float64
	Diversity           string
}

// FrameWriter sends frames.
type FrameWriter struct{ enc *gob.Encoder }

// NewFrameWriter sends frames on w.
func NewFrameWriter(w io.Writer) *FrameWriter { return &FrameWriter{gob.NewEncoder(w)} }

// Write sends f.
func (w *FrameWriter) Write(f ui.Frame) error {
	m := frame{Version: f.Version, Title: f.Title, Status: f.Status, Hint: f.Hint, GridLabel: f.GridLabel,
		LossD: f.LossD, LossDUnreg: f.LossDUnreg, SWDFloor: f.SWDFloor, Diversity: f.Diversity}
	if f.Grid != nil {
		rgba := toRGBA(f.Grid)
		m.GridW, m.GridH, m.GridPix = rgba.Rect.Dx(), rgba.Rect.Dy(), rgba.Pix
	}
	for _, p := range f.SWD {
		m.SWDX = append(m.SWDX, p.X)
		m.SWDY = append(m.SWDY, p.Y)
	}
	return w.enc.Encode(&m)
}

func toRGBA(img image.Image) *image.RGBA {
	if r, ok := img.(*image.RGBA); ok && r.Rect.Min == (image.Point{}) && r.Stride == 4*r.Rect.Dx() {
		return r
	}
	b := img.Bounds()
	r := image.NewRGBA(image.Rect(0, 0, b.Dx(), b.Dy()))
	for y := 0; y < b.Dy(); y++ {
		for x := 0; x < b.Dx(); x++ {
			r.Set(x, y, img.At(b.Min.X+x, b.Min.Y+y))
		}
	}
	return r
}

// FrameReader receives frames.
type FrameReader struct{ dec *gob.Decoder }

// NewFrameReader receives frames from r.
func NewFrameReader(r io.Reader) *FrameReader { return &FrameReader{gob.NewDecoder(r)} }

// Read returns the next frame (io.EOF when the sender is done).
func (r *FrameReader) Read() (ui.Frame, error) {
	var m frame
	if err := r.dec.Decode(&m); err != nil {
		return ui.Frame{}, err
	}
	f := ui.Frame{Version: m.Version, Title: m.Title, Status: m.Status, Hint: m.Hint, GridLabel: m.GridLabel,
		LossD: m.LossD, LossDUnreg: m.LossDUnreg, SWDFloor: m.SWDFloor, Diversity: m.Diversity}
	if m.GridW > 0 {
		if len(m.GridPix) != 4*m.GridW*m.GridH {
			return ui.Frame{}, fmt.Errorf("wire: grid of %d bytes for %d×%d pixels", len(m.GridPix), m.GridW, m.GridH)
		}
		f.Grid = &image.RGBA{Pix: m.GridPix, Stride: 4 * m.GridW, Rect: image.Rect(0, 0, m.GridW, m.GridH)}
	}
	if len(m.SWDX) != len(m.SWDY) {
		return ui.Frame{}, fmt.Errorf("wire: %d SWD iterations for %d values", len(m.SWDX), len(m.SWDY))
	}
	for i := range m.SWDX {
		f.SWD = append(f.SWD, ui.Point{X: m.SWDX[i], Y: m.SWDY[i]})
	}
	return f, nil
}

// WriteEvent sends one event, a line of text.
func WriteEvent(w io.Writer, e Event) error {
	_, err := fmt.Fprintln(w, string(e))
	return err
}

// ReadEvents sends the events read from r on the returned channel, then
// Closed, and closes it when r ends.
func ReadEvents(r io.Reader) <-chan Event {
	ch := make(chan Event, 16)
	go func() {
		defer close(ch)
		s := bufio.NewScanner(r)
		for s.Scan() {
			e := Event(s.Text())
			ch <- e
			if e == Closed {
				return
			}
		}
		ch <- Closed
	}()
	return ch
}
