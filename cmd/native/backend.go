package main

import (
	"fmt"
	"io"

	"github.com/wgangp/wgangp/engine"
	"github.com/wgangp/wgangp/engine/cpu"
	"github.com/wgangp/wgangp/engine/webgpu"
)

// backendHelp is the help text of the --backend flags.
const backendHelp = "backend: cpu (float32), cpu64 (float64), webgpu (a GPU, else the software adapter) or webgpu-software"

// openBackend returns the backend named on the command line: "cpu" (float32,
// all cores), "cpu64" (float64, for checks), "webgpu" (a real GPU when there
// is one, else the software adapter) or "webgpu-software" (the software
// adapter, such as Mesa's lavapipe). Callers close it with closeBackend.
func openBackend(name string) (engine.Backend, error) {
	switch name {
	case "cpu":
		return cpu.New[float32](0), nil
	case "cpu64":
		return cpu.New[float64](0), nil
	case "webgpu":
		return webgpu.Open(webgpu.Options{Adapter: webgpu.AdapterAuto})
	case "webgpu-software":
		return webgpu.Open(webgpu.Options{Adapter: webgpu.AdapterSoftware})
	}
	return nil, fmt.Errorf("unknown backend %q (available: cpu, cpu64, webgpu, webgpu-software)", name)
}

// closeBackend releases what a backend holds (a GPU device); CPU backends
// hold nothing.
func closeBackend(b engine.Backend) {
	if c, ok := b.(io.Closer); ok {
		c.Close()
	}
}

// gpuAvailable says whether WebGPU finds a real GPU, without opening it;
// when not, reason ends "so the CPU", for the auto backend's message.
func gpuAvailable() (ok bool, reason string) {
	info, err := webgpu.Probe()
	switch {
	case err != nil:
		return false, "no WebGPU adapter found, so the CPU"
	case info.Software:
		return false, fmt.Sprintf("no GPU found (only %v), so the CPU", info)
	}
	return true, ""
}

// isSoftware reports whether b runs on the CPU: any backend but WebGPU on a
// real GPU.
func isSoftware(b engine.Backend) bool {
	w, ok := b.(*webgpu.Backend)
	return !ok || w.Adapter().Software
}
