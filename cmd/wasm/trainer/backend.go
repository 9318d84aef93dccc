package main

import (
	"fmt"
	"io"

	"github.com/wgangp/wgangp/cmd/wasm/message"
	"github.com/wgangp/wgangp/engine"
	"github.com/wgangp/wgangp/wgan/train"
)

// This file is the worker's backend: which one it opens (WebGPU, or the
// CPU engine where WebGPU is missing, fails or is a software adapter) and
// opening it again after a lost device.

// Backend kinds.
const (
	kindWebGPU = "webgpu"
	kindCPU    = "cpu"
)

// backendInfo describes the backend the worker trains on.
type backendInfo struct {
	Kind     string // kindWebGPU or kindCPU
	Adapter  string // the adapter's description, or the CPU's
	Software bool   // a CPU implementation: WebGPU's software adapter, or the CPU engine
	Reason   string // why the CPU, when it is
}

// opener opens a backend: kind "auto" is WebGPU, or the CPU where WebGPU
// is missing or fails; "webgpu" is WebGPU only; "cpu" the CPU engine.
// (The worker's rule for a software adapter is init's.)
type opener func(kind string) (engine.Backend, backendInfo, error)

// init opens the backend and tells the page what it is and which preset
// suits it.
func (w *worker) init(kind string) error {
	if w.b != nil {
		return nil
	}
	if kind != kindCPU && kind != kindWebGPU {
		kind = "auto"
	}
	b, info, err := w.open(kind)
	if err != nil {
		return err
	}
	if kind == "auto" && info.Kind == kindWebGPU && info.Software {
		// The faster of the two CPU-bound paths (softwareRule).
		if c, ok := b.(io.Closer); ok {
			c.Close()
		}
		adapter := info.Adapter
		if b, info, err = w.open(kindCPU); err != nil {
			return err
		}
		info.Reason = softwareRule(adapter)
	}
	w.b, w.info, w.state = b, info, stateIdle
	w.opens++
	var presets []message.Preset
	for _, p := range train.Presets {
		presets = append(presets, message.Preset{Name: p.Name, Filters: p.Filters, Batch: p.Batch,
			Iterations: p.Iterations, About: p.About})
	}
	w.post(message.Ready{Backend: info.Kind, Adapter: info.Adapter, Software: info.Software,
		Reason: info.Reason, Presets: presets, Preset: w.defaultPreset()})
	return nil
}

// softwareRule says why the page trains on its CPU engine where WebGPU's
// only adapter is a software one (SwiftShader in a browser without a GPU).
// The rule is measured (TestBrowserFirstIteration, headless Chromium on 2
// cores, the tiny preset; the last sitting at load 1–2, 2026-12-02): WebGPU
// on SwiftShader took 74–90 s from Start to the first iteration (compiling
// its pipelines), the CPU engine in WebAssembly 4–5 s; per iteration
// 10–12 s against 3.5–3.8 s (earlier sittings, before the register-blocked
// kernels: 76–120 s against 10–14 s, and 10–22 s against 11–15 s). So the
// CPU path shows a first grid over 15× sooner and runs faster after; on
// many idle cores, where SwiftShader spreads and WebAssembly keeps one
// thread, a long run may go faster on WebGPU, which backend=webgpu in the
// address forces.
func softwareRule(adapter string) string {
	return fmt.Sprintf("WebGPU's adapter here is %s, a software one (no GPU), so the page trains on the CPU engine "+
		"in WebAssembly, the faster path to a first grid: measured on 2 cores, its first iteration came 4–5 s after Start "+
		"instead of 74–90 s (SwiftShader compiles its kernels first), and its iterations took 3.5–3.8 s against 10–12 s. "+
		"backend=webgpu in the address trains on WebGPU anyway, which may be faster for a long run on many cores", adapter)
}

// defaultPreset is train.DefaultPreset's: the example's size on a real
// GPU, the CPU's choice on a software adapter or the CPU engine.
func (w *worker) defaultPreset() string {
	p, _ := train.DefaultPreset(!w.info.Software)
	return p.Name
}

// reopen replaces the WebGPU device with a new one, which also frees all
// the old one held. If WebGPU does not open again, the worker goes on with
// the CPU engine.
func (w *worker) reopen() error {
	if c, ok := w.b.(io.Closer); ok {
		c.Close()
	}
	b, info, err := w.open(kindWebGPU)
	if err != nil {
		b, info, _ = w.open(kindCPU)
		info.Reason = "reopening WebGPU failed: " + err.Error()
	}
	w.b, w.info = b, info
	w.opens++
	return err
}
