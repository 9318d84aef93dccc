// Package shaders emits the WGSL compute shaders of the WebGPU backend.
// Each engine op at each shape gets its own source: sizes, strides, pads and
// tile sizes are baked in as WGSL constants by filling a template
// (templates/*.wgsl, go:embed). The kernels respect WebGPU's default limits
// (256 invocations and 16 KiB of workgroup memory per workgroup, 8 storage
// buffers per stage, 65535 workgroups per dimension), so they run on every
// adapter, in the browser too.
package shaders

import (
	"fmt"

	"github.com/wgangp/wgangp/engine"
)

// Access is how a kernel binds a buffer.
type Access int

const (
	Read      Access = iota // var<storage, read>
	ReadWrite               // var<storage, read_write>
	// Uniform is var<uniform>: an f32 (a scalar), or an array<vec4<f32>, N>
	// of at most 64 KiB (WebGPU's default maxUniformBufferBindingSize)
	// holding the whole buffer bound; it takes none of a stage's 8
	// storage buffers.
	Uniform
)

// Kernel is one compute shader specialised to one op at one shape. Its
// entry point is "main"; binding i of group 0 is a storage array<f32> or
// array<vec4<f32>> with access Bindings[i], or a uniform.
type Kernel struct {
	Name       string // says what it computes, for messages and golden files
	Source     string
	Bindings   []Access
	Workgroups [3]int // the dispatch size
}

// StorageBindings is the number of k's bindings that are storage buffers.
func (k *Kernel) StorageBindings() int {
	n := 0
	for _, a := range k.Bindings {
		if a != Uniform {
			n++
		}
	}
	return n
}

// RefKind says which buffer of an op a dispatch binds.
type RefKind int

const (
	Input   RefKind = iota // the op's Index-th input
	Output                 // the op's value
	Scratch                // the op's Index-th scratch buffer
)

// Ref names a buffer by its role in an op.
type Ref struct {
	Kind  RefKind
	Index int
}

// Dispatch is one kernel run over the buffers Args (binding i is Args[i]).
type Dispatch struct {
	Kernel *Kernel
	Args   []Ref
}

// Op is how one engine op runs: its dispatches, in order, and the sizes in
// elements of the scratch buffers they share (live only during the op).
type Op struct {
	Dispatches []Dispatch
	Scratch    []int
}

// Compile returns the kernels that compute node n from its inputs (for an
// effect such as Adam: that update its inputs in place), as for a GPU:
// CompileWith(n, Options{}).
func Compile(n *engine.Node) (Op, error) { return CompileWith(n, Options{}) }

// compile is Compile with the options of CompileWith.
func compile(n *engine.Node) (Op, error) {
	switch op := n.Op().(type) {
	case engine.ReshapeOp:
		return Op{}, nil // a reshape shares its input's buffer: nothing to run
	case engine.FillOp:
		return fill(n, op)
	case engine.UnaryOp:
		return unary(n, op)
	case engine.BinaryOp:
		return binary(n, op)
	case engine.BroadcastOp:
		return broadcast(n, op)
	case engine.SumToOp:
		return sumTo(n, op)
	case engine.MatMulOp:
		return matMul(n, op, epilogue{})
	case engine.AdamOp:
		return adam(n, op)
	case engine.StoreOp:
		return store(n, op)
	case engine.ConcatOp:
		return concat(n)
	case engine.SliceOp:
		return slice(n, op)
	case engine.Conv2DOp:
		return conv2D(n, op, epilogue{})
	case engine.ConvTransposeOp:
		return convTranspose(n, op, epilogue{})
	case engine.ConvFilterOp:
		return convFilter(n, op, epilogue{})
	case engine.FusedOp:
		return fused(n, op)
	}
	return Op{}, fmt.Errorf("shaders: no kernel for %v", n)
}
