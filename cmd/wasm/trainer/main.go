//go:build js

package main

import (
	"syscall/js"
	"time"

	"github.com/wgangp/wgangp/cmd/wasm/message"
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
	// The handler only reads the message into the queue: blocking here
	// would stall the worker's event loop. A message that is not one of
	// the page's is answered by an error naming what is wrong with it.
	receive := func(v js.Value) {
		m, err := message.PageToWorker.DecodeJS(v)
		if err != nil {
			post(message.Error{Message: err.Error()})
			return
		}
		in.push(m.(message.ToWorker))
	}
	self.Set("onmessage", js.FuncOf(func(_ js.Value, args []js.Value) any {
		receive(args[0].Get("data"))
		return nil
	}))
	// worker.js kept what came before Go started.
	if early := self.Get("wganEarly"); early.Truthy() {
		for i := range early.Length() {
			receive(early.Index(i))
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

// post sends m to the page, transferring its typed arrays.
func post(m message.ToPage) {
	v, transfer := message.EncodeJS(m)
	js.Global().Call("postMessage", v, transfer)
}
