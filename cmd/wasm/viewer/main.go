//go:build js

// Command viewer is the view of the page (web/view.html, in an iframe of
// index.html): built with GOOS=js GOARCH=wasm, it draws the latest frame
// with Ebitengine through package wgan/ui/window, as the desktop window
// does: the 5×5 grid on the left, the loss curves on the right, the status
// line below.
//
// The page feeds it through wganShowFrame(frame), which only stores the
// frame: {title, line, gridLabel, grid?: {width, height, pixels (RGBA)},
// lossD, lossDUnregularized (Float32Array), swdIterations, swd
// (Float64Array), swdFloor, diversity}. A frame without grid keeps the grid shown;
// grid: null clears it. Space and S call the parent page's
// wganViewerEvent("toggle-pause") and wganViewerEvent("save-grid");
// wganViewerEvent("ready") says the view takes frames, and
// wganViewerEvent("failed: …") that Ebitengine could not run.
package main

import (
	"encoding/binary"
	"image"
	"math"
	"sync"
	"syscall/js"

	"github.com/wgangp/wgangp/wgan/ui"
	"github.com/wgangp/wgangp/wgan/ui/window"
)

func main() {
	v := &view{frame: ui.Frame{Title: "Iteration: 0, Elapsed: 00:00:00", Status: "starting"}}
	js.Global().Set("wganShowFrame", js.FuncOf(func(_ js.Value, args []js.Value) any {
		if len(args) > 0 {
			v.store(args[0])
		}
		return nil
	}))
	tell("ready")
	err := window.Run(v.latest, window.Controls{
		TogglePause: func() { tell("toggle-pause") },
		SaveGrid:    func() { tell("save-grid") },
	})
	if err != nil {
		tell("failed: " + err.Error())
	}
}

// tell calls the page's wganViewerEvent, if the page has one.
func tell(event string) {
	if f := js.Global().Get("parent").Get("wganViewerEvent"); f.Type() == js.TypeFunction {
		f.Invoke(event)
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

// store converts a frame from the page into a new ui.Frame (the window
// may still be rendering the old one, whose slices are left alone).
func (v *view) store(o js.Value) {
	v.mu.Lock()
	defer v.mu.Unlock()
	f := ui.Frame{
		Version:    v.frame.Version + 1,
		Title:      str(o, "title"),
		Status:     str(o, "line"),
		GridLabel:  str(o, "gridLabel"),
		Grid:       v.frame.Grid,
		LossD:      floats(o.Get("lossD"), 4),
		LossDUnreg: floats(o.Get("lossDUnregularized"), 4),
	}
	if g := o.Get("grid"); g.Type() == js.TypeObject {
		w, h := g.Get("width").Int(), g.Get("height").Int()
		img := image.NewRGBA(image.Rect(0, 0, w, h))
		if px := bytesView(g.Get("pixels")); px.Length() == len(img.Pix) {
			js.CopyBytesToGo(img.Pix, px)
			f.Grid = img
		}
	} else if g.IsNull() {
		f.Grid = nil
	}
	its, vals := floats(o.Get("swdIterations"), 8), floats(o.Get("swd"), 8)
	for i := range min(len(its), len(vals)) {
		f.SWD = append(f.SWD, ui.Point{X: its[i], Y: vals[i]})
	}
	if s := o.Get("swdFloor"); s.Type() == js.TypeNumber {
		f.SWDFloor = s.Float()
	}
	f.Diversity = str(o, "diversity")
	v.frame = f
}

func str(o js.Value, key string) string {
	if s := o.Get(key); s.Type() == js.TypeString {
		return s.String()
	}
	return ""
}

// bytesView is a Uint8Array of this frame's realm on the bytes of a typed
// array of the page's (js.CopyBytesToGo only takes the former), or an
// empty one.
func bytesView(a js.Value) js.Value {
	u8 := js.Global().Get("Uint8Array")
	if a.Type() != js.TypeObject || !a.Get("buffer").Truthy() {
		return u8.New(0)
	}
	return u8.New(a.Get("buffer"), a.Get("byteOffset"), a.Get("byteLength"))
}

// floats reads a Float32Array (size 4) or Float64Array (size 8); anything
// else is empty.
func floats(a js.Value, size int) []float64 {
	u := bytesView(a)
	b := make([]byte, u.Length())
	js.CopyBytesToGo(b, u)
	out := make([]float64, len(b)/size)
	for i := range out {
		if size == 4 {
			out[i] = float64(math.Float32frombits(binary.LittleEndian.Uint32(b[4*i:])))
		} else {
			out[i] = math.Float64frombits(binary.LittleEndian.Uint64(b[8*i:]))
		}
	}
	return out
}
