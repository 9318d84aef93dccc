// Package webgpu runs engine plans on a GPU through WebGPU: wgpu-native
// (Vulkan, Metal, D3D12) in native builds and navigator.gpu under js/wasm,
// both through github.com/cogentcore/webgpu. The kernels come from package
// shaders. The differences between the two sides of the binding stay in
// device_native.go and device_js.go; the rest of this package and the
// engine never see them.
//
// A compiled Program records its whole plan into one command encoder and
// one compute pass, submitted once per Run; Run does not wait for the GPU.
// Reading a Buffer waits for the work that writes it.
//
// Under js/wasm, the page's loader must keep the WebAssembly instance in
// globalThis.wasm (globalThis.wasm = await WebAssembly.instantiate...), as
// Cogent Core's loader does: the binding reads the Go memory from there
// when it uploads data. Open and every read must run in a goroutine of
// their own, never inside a JavaScript callback, since they wait on
// promises.
package webgpu

import (
	"errors"
	"fmt"
	"math"
	"strings"
	"sync"

	"github.com/cogentcore/webgpu/wgpu"

	"github.com/wgangp/wgangp/engine"
	"github.com/wgangp/wgangp/shaders"
)

// Adapter choices for Options.Adapter.
const (
	AdapterAuto     = "auto"     // a real GPU when there is one, else the software adapter
	AdapterGPU      = "gpu"      // a real GPU only (discrete first, then integrated)
	AdapterSoftware = "software" // the CPU adapter (lavapipe, SwiftShader, WARP)
)

// Kernel choices for Options.Kernels.
const (
	KernelsAuto   = "auto"   // direct on a software adapter, tiled on a GPU
	KernelsTiled  = "tiled"  // the tiled GEMM kernels (workgroup memory, 8×8 blocks): a GPU's
	KernelsDirect = "direct" // the direct GEMM kernels (shaders.Options.Direct): quick to compile on a CPU
)

// Options configure Open.
type Options struct {
	// Adapter is AdapterAuto (the default when empty), AdapterGPU or
	// AdapterSoftware.
	Adapter string
	// PoisonNaN fills every slot and scratch buffer of a program with NaN
	// before each Run, so that a kernel that leaves part of its output
	// unwritten shows up as NaN in tests. It costs one upload per buffer.
	PoisonNaN bool
	// Kernels chooses the contractions' kernels: KernelsAuto (the default
	// when empty), KernelsTiled or KernelsDirect. A software adapter
	// compiles the direct ones several times faster (SwiftShader took
	// 60-90 s for the tiled kernels of the F=8 model) and runs them about
	// as fast; the choice changes no result beyond rounding.
	Kernels string
}

// AdapterInfo describes an adapter.
type AdapterInfo struct {
	Name     string // the device, e.g. "NVIDIA GeForce RTX 4070" or "llvmpipe (LLVM 15.0.6, 256 bits)"
	Type     string // "discrete", "integrated", "cpu" or "unknown"
	API      string // the API under WebGPU: "Vulkan", "Metal", "D3D12", "browser"
	Software bool   // a CPU implementation, not a GPU
}

func (a AdapterInfo) String() string {
	return fmt.Sprintf("%s, %s, %s", a.Name, a.Type, a.API)
}

// ErrNoAdapter is wrapped by the errors of Open and Probe when no adapter
// of the kind asked for exists.
var ErrNoAdapter = errors.New("no WebGPU adapter")

// Probe returns the adapter that Open with AdapterAuto would choose,
// without creating a device: its Software field tells whether a real GPU
// exists. It returns an error wrapping ErrNoAdapter when there is none.
func Probe() (AdapterInfo, error) { return probe() }

// Backend is a WebGPU device running engine plans. Its methods may be
// called from several goroutines; calls that use the device take turns.
type Backend struct {
	opts   Options
	dev    *device
	limits wgpu.Limits

	mu        sync.Mutex
	closed    bool
	pipelines map[pipelineKey]*pipeline
	layouts   map[string]*bindLayout
	staging   *wgpu.Buffer // MapRead buffer for reads, grown as needed
	stagingN  uint64
	buffers   map[*Buffer]struct{}  // live buffers made by NewBuffer
	programs  map[*Program]struct{} // live programs
	progress  func(done, total int) // SetProgress's
	bytes     []byte                // conversion scratch for Write and Read
}

var (
	_ engine.Backend = (*Backend)(nil)
	_ engine.Buffer  = (*Buffer)(nil)
	_ engine.Program = (*Program)(nil)
)

// Open chooses an adapter as opts says and creates a device with the
// adapter's own limits.
func Open(opts Options) (*Backend, error) {
	switch opts.Adapter {
	case "":
		opts.Adapter = AdapterAuto
	case AdapterAuto, AdapterGPU, AdapterSoftware:
	default:
		return nil, fmt.Errorf("webgpu: unknown adapter choice %q (auto, gpu or software)", opts.Adapter)
	}
	switch opts.Kernels {
	case "":
		opts.Kernels = KernelsAuto
	case KernelsAuto, KernelsTiled, KernelsDirect:
	default:
		return nil, fmt.Errorf("webgpu: unknown kernel choice %q (auto, tiled or direct)", opts.Kernels)
	}
	dev, err := openDevice(opts.Adapter)
	if err != nil {
		return nil, err
	}
	return &Backend{
		opts:      opts,
		dev:       dev,
		limits:    dev.limits,
		pipelines: map[pipelineKey]*pipeline{},
		layouts:   map[string]*bindLayout{},
		buffers:   map[*Buffer]struct{}{},
		programs:  map[*Program]struct{}{},
	}, nil
}

// Name says which backend, adapter and API this is.
var _ engine.Planner = (*Backend)(nil)

func (b *Backend) Name() string { return "webgpu (" + b.dev.info.String() + ")" }

// PlanOptions: on a GPU a kernel launch and a pass over memory cost more
// than recomputing a cheap value in each of the kernels that read it, and a
// convolution's kernel can apply the bias and activation as it stores;
// and a kernel over a batch twice as large costs less than two.
func (b *Backend) PlanOptions() engine.PlanOptions {
	return engine.PlanOptions{Recompute: 6, CoreEpilogue: true, WideBatches: true}
}

// ShaderOptions are the options the backend compiles its kernels with
// (shaders.CompileWith), as Options.Kernels and the adapter say.
func (b *Backend) ShaderOptions() shaders.Options {
	switch b.opts.Kernels {
	case KernelsDirect:
		return shaders.Options{Direct: true}
	case KernelsTiled:
		return shaders.Options{}
	}
	return shaders.Options{Direct: b.dev.info.Software}
}

// Adapter describes the adapter the backend runs on.
func (b *Backend) Adapter() AdapterInfo { return b.dev.info }

// Close releases the device and everything made on it. Buffers and
// programs of the backend must not be used afterwards.
func (b *Backend) Close() error {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.closed {
		return nil
	}
	b.closed = true
	for p := range b.programs {
		p.release()
	}
	for buf := range b.buffers {
		buf.buf.Release()
	}
	for _, p := range b.pipelines {
		p.release()
	}
	for _, l := range b.layouts {
		l.release()
	}
	if b.staging != nil {
		b.staging.Release()
	}
	b.programs, b.buffers, b.pipelines, b.layouts, b.staging = nil, nil, nil, nil, nil
	b.dev.release()
	return nil
}

// usable reports why the device cannot be used, if it cannot. Callers hold mu.
func (b *Backend) usable() error {
	if b.closed {
		return errors.New("webgpu: backend is closed")
	}
	return b.dev.lostError()
}

// checkSize reports a buffer of n float32 elements that the device cannot
// hold or bind; what names the value for the message.
func (b *Backend) checkSize(n int, what string) error {
	size := uint64(n) * 4
	if size > b.limits.MaxBufferSize {
		return fmt.Errorf("webgpu: %s needs a buffer of %d bytes; this device allows %d (maxBufferSize)", what, size, b.limits.MaxBufferSize)
	}
	if size > b.limits.MaxStorageBufferBindingSize {
		return fmt.Errorf("webgpu: %s needs a storage binding of %d bytes; this device allows %d (maxStorageBufferBindingSize)", what, size, b.limits.MaxStorageBufferBindingSize)
	}
	return nil
}

// newGPUBuffer makes a storage buffer of n float32 elements (at least
// one, since WebGPU bindings cannot be empty), which a kernel may also bind
// as a uniform (shaders.Uniform). Callers hold mu and run it
// inside dev.checked.
func (b *Backend) newGPUBuffer(n int, label string) (*wgpu.Buffer, error) {
	buf, err := b.dev.dev.CreateBuffer(&wgpu.BufferDescriptor{
		Label: label,
		Usage: wgpu.BufferUsageStorage | wgpu.BufferUsageUniform | wgpu.BufferUsageCopySrc | wgpu.BufferUsageCopyDst,
		Size:  vecBytes(n),
	})
	if err != nil {
		return nil, fmt.Errorf("webgpu: creating a buffer of %d elements: %w", n, err)
	}
	return buf, nil
}

// vecBytes is the size in bytes of a buffer or binding of n float32
// elements: rounded up to whole vec4s, so that a kernel may bind any
// buffer as array<vec4<f32>> and reach its last element (the direct
// kernels read their operands by vec4 where they can).
func vecBytes(n int) uint64 { return uint64(max(n, 1)+3) / 4 * 16 }

// NewBuffer allocates a zeroed buffer of n float32 elements.
func (b *Backend) NewBuffer(n int) (engine.Buffer, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if err := b.usable(); err != nil {
		return nil, err
	}
	if n < 0 {
		return nil, fmt.Errorf("webgpu: buffer of %d elements", n)
	}
	if err := b.checkSize(n, fmt.Sprintf("a tensor of %d elements", n)); err != nil {
		return nil, err
	}
	var gb *wgpu.Buffer
	err := b.dev.checked(func() error {
		var err error
		gb, err = b.newGPUBuffer(n, "tensor")
		return err
	})
	if err != nil {
		return nil, err
	}
	buf := &Buffer{b: b, buf: gb, n: n}
	b.buffers[buf] = struct{}{}
	return buf, nil
}

// scratchBytes returns a reusable byte slice of n bytes. Callers hold mu.
func (b *Backend) scratchBytes(n int) []byte {
	if cap(b.bytes) < n {
		b.bytes = make([]byte, n)
	}
	return b.bytes[:n]
}

// numbered returns src with line numbers, for compile errors.
func numbered(src string) string {
	var sb strings.Builder
	for i, line := range strings.Split(strings.TrimRight(src, "\n"), "\n") {
		fmt.Fprintf(&sb, "%4d  %s\n", i+1, line)
	}
	return sb.String()
}

// nanBits is a quiet NaN as float32 bits, the poison of Options.PoisonNaN.
var nanBits = math.Float32bits(float32(math.NaN()))
