//go:build js

// Command viewer is the view of the page (web/view.html, in an iframe of
// index.html): built with GOOS=js GOARCH=wasm, it draws the latest frame
// with Ebitengine through package wgan/ui/window, as the desktop window
// does: the 5×5 grid on the left, the loss curves on the right, the status
// line below.
//
// The page feeds it through wganShowFrame(frame), which only stores the
// frame (message.ViewFrame, written by web/messages.js): with keepGrid it
// keeps the grid shown, otherwise its grid replaces it (null clears it).
// Space and S give the parent page's wganViewerEvent a toggle-pause and a
// save-grid event, ready says the view takes frames, failed that
// Ebitengine could not run, and error that a frame could not be read
// (saying which field), the frame shown staying as it was.
package main

import (
	"fmt"
	"image"
	"sync"
	"syscall/js"

	"github.com/wgangp/wgangp/cmd/wasm/message"
	"github.com/wgangp/wgangp/wgan/ui"
	"github.com/wgangp/wgangp/wgan/ui/window"
)

func main() {
	v := &view{frame: ui.Frame{Title: "Iteration: 0, Elapsed: 00:00:00", Status: "starting"}}
	js.Global().Set("wganShowFrame", js.FuncOf(func(_ js.Value, args []js.Value) any {
		if len(args) == 0 {
			tell(message.ViewError{Message: "wganShowFrame() without a frame"})
			return nil
		}
		m, err := message.PageToViewer.DecodeJS(args[0])
		if err != nil {
			tell(message.ViewError{Message: err.Error()})
			return nil
		}
		if err := v.store(m.(message.ViewFrame)); err != nil {
			tell(message.ViewError{Message: err.Error()})
		}
		return nil
	}))
	tell(message.ViewReady{})
	err := window.Run(v.latest, window.Controls{
		TogglePause: func() { tell(message.TogglePause{}) },
		SaveGrid:    func() { tell(message.SaveGrid{}) },
	})
	if err != nil {
		tell(message.ViewFailed{Message: err.Error()})
	}
}

// tell gives the page's wganViewerEvent an event, if the page has one.
func tell(e message.FromViewer) {
	if f := js.Global().Get("parent").Get("wganViewerEvent"); f.Type() == js.TypeFunction {
		var transfer []any // nothing is transferred to the page's frame
		f.Invoke(message.ToJS(message.Encode(e), &transfer))
	}
}

// view holds the frame shown.
type view struct {
	mu    sync.Mutex
	frame ui.Frame
}

func (v *view) latest() ui.Frame {
	v.mu.Lock()
	defer v.mu.Unlock()
	return v.frame
}

// store makes a frame from the page's the new ui.Frame (the window may
// still be rendering the old one, whose slices are left alone). A grid
// whose pixels do not fill its size is an error; the grid shown stays.
func (v *view) store(m message.ViewFrame) error {
	v.mu.Lock()
	defer v.mu.Unlock()
	f := ui.Frame{
		Version:    v.frame.Version + 1,
		Title:      m.Title,
		Status:     m.Line,
		GridLabel:  m.GridLabel,
		Grid:       v.frame.Grid,
		LossD:      widen(m.LossD),
		LossDUnreg: widen(m.LossDUnregularized),
		SWDFloor:   m.SWDFloor,
		Diversity:  m.Diversity,
	}
	var err error
	switch g := m.Grid; {
	case m.KeepGrid:
	case g == nil:
		f.Grid = nil
	case g.Width <= 0 || g.Height <= 0 || len(g.Pixels) != 4*g.Width*g.Height:
		err = fmt.Errorf(`message "frame" from the page: field "grid.pixels" holds %d bytes, not the %d×%d RGBA pixels of its size`,
			len(g.Pixels), g.Width, g.Height)
	default:
		img := image.NewRGBA(image.Rect(0, 0, g.Width, g.Height))
		copy(img.Pix, g.Pixels)
		f.Grid = img
	}
	for i := range min(len(m.SWDIterations), len(m.SWD)) {
		f.SWD = append(f.SWD, ui.Point{X: m.SWDIterations[i], Y: m.SWD[i]})
	}
	v.frame = f
	return err
}

func widen(v []float32) []float64 {
	out := make([]float64, len(v))
	for i, x := range v {
		out[i] = float64(x)
	}
	return out
}
