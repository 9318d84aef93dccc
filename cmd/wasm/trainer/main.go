//go:build js

package main

import (
	"encoding/binary"
	"math"
	"syscall/js"
	"time"

	"github.com/wgangp/wgangp/engine"
	"github.com/wgangp/wgangp/engine/cpu"
	"github.com/wgangp/wgangp/engine/webgpu"
)

// cpuAdapter describes the CPU engine in the browser.
const cpuAdapter = "CPU (Go compiled to WebAssembly, one thread)"

func main() {
	in := newQueue()
	w := &worker{post: post, open: openBackend, yield: func() { time.Sleep(time.Millisecond) }}
	self := js.Global()
	// The handler only copies the message into the queue: blocking here
	// would stall the worker's event loop.
	self.Set("onmessage", js.FuncOf(func(_ js.Value, args []js.Value) any {
		in.push(fromJS(args[0].Get("data")))
		return nil
	}))
	// worker.js kept what came before Go started.
	if early := self.Get("wganEarly"); early.Truthy() {
		for i := range early.Length() {
			in.push(fromJS(early.Index(i)))
		}
		self.Delete("wganEarly")
	}
	w.serve(in)
}

// openBackend opens WebGPU through navigator.gpu or the CPU engine (see
// opener).
func openBackend(kind string) (engine.Backend, backendInfo, error) {
	reason := "backend=cpu in the address"
	if kind != kindCPU {
		b, err := webgpu.Open(webgpu.Options{Adapter: webgpu.AdapterAuto})
		if err == nil {
			a := b.Adapter()
			return b, backendInfo{Kind: kindWebGPU, Adapter: a.Name, Software: a.Software}, nil
		}
		if kind == kindWebGPU {
			return nil, backendInfo{}, err
		}
		reason = err.Error()
	}
	return cpu.New[float32](0), backendInfo{Kind: kindCPU, Adapter: cpuAdapter, Software: true, Reason: reason}, nil
}

var (
	uint8Array   = js.Global().Get("Uint8Array")
	float32Array = js.Global().Get("Float32Array")
	float64Array = js.Global().Get("Float64Array")
	object       = js.Global().Get("Object")
	array        = js.Global().Get("Array")
)

// post sends msg to the page, transferring its typed arrays.
func post(msg map[string]any) {
	var transfer []any
	v := toJS(msg, &transfer)
	js.Global().Call("postMessage", v, transfer)
}

// toJS converts an outbox value, adding the buffers of the typed arrays it
// makes to transfer.
func toJS(v any, transfer *[]any) any {
	switch x := v.(type) {
	case map[string]any:
		o := object.New()
		for k, e := range x {
			o.Set(k, toJS(e, transfer))
		}
		return o
	case []map[string]any:
		a := array.New(len(x))
		for i, e := range x {
			a.SetIndex(i, toJS(e, transfer))
		}
		return a
	case []byte:
		u := uint8Array.New(len(x))
		js.CopyBytesToJS(u, x)
		*transfer = append(*transfer, u.Get("buffer"))
		return u
	case []float32:
		b := make([]byte, 4*len(x))
		for i, f := range x {
			binary.LittleEndian.PutUint32(b[4*i:], math.Float32bits(f))
		}
		u := toJS(b, transfer).(js.Value)
		return float32Array.New(u.Get("buffer"))
	case []float64:
		b := make([]byte, 8*len(x))
		for i, f := range x {
			binary.LittleEndian.PutUint64(b[8*i:], math.Float64bits(f))
		}
		u := toJS(b, transfer).(js.Value)
		return float64Array.New(u.Get("buffer"))
	case float32:
		return float64(x)
	}
	return v
}

// fromJS reads a message of the page.
func fromJS(v js.Value) request {
	r := request{Type: str(v, "type"), Backend: str(v, "backend"), Name: str(v, "name"), ID: num(v, "id"), Count: num(v, "count")}
	if o := v.Get("options"); o.Type() == js.TypeObject {
		r.Options = runOptions{Preset: str(o, "preset"), Filters: num(o, "filters"), Batch: num(o, "batch"),
			Iterations: num(o, "iterations"), Every: num(o, "every"), CheckpointEvery: num(o, "checkpointEvery"),
			Seed: uint64(max(num(o, "seed"), 0)), Recipe: str(o, "recipe"), EMA: -1}
		if e := o.Get("ema"); e.Type() == js.TypeNumber {
			r.Options.EMA = e.Float()
		}
	}
	if imgs := v.Get("images"); imgs.Type() == js.TypeObject {
		r.Images = make([]upload, imgs.Length())
		for i := range r.Images {
			im := imgs.Index(i)
			r.Images[i] = upload{Name: str(im, "name"), RGBA: bytesOf(im.Get("rgba"))}
		}
	}
	r.Bytes = bytesOf(v.Get("bytes"))
	return r
}

func str(v js.Value, key string) string {
	if f := v.Get(key); f.Type() == js.TypeString {
		return f.String()
	}
	return ""
}

// num reads an integer field; a missing or non-numeric one is 0.
func num(v js.Value, key string) int {
	f := v.Get(key)
	if f.Type() != js.TypeNumber || math.IsNaN(f.Float()) {
		return 0
	}
	return f.Int()
}

// bytesOf copies an ArrayBuffer or a typed array into Go.
func bytesOf(v js.Value) []byte {
	if v.Type() != js.TypeObject {
		return nil
	}
	var u js.Value
	switch {
	case v.InstanceOf(js.Global().Get("ArrayBuffer")):
		u = uint8Array.New(v)
	case v.Get("buffer").Truthy():
		u = uint8Array.New(v.Get("buffer"), v.Get("byteOffset"), v.Get("byteLength"))
	default:
		return nil
	}
	b := make([]byte, u.Length())
	js.CopyBytesToGo(b, u)
	return b
}
