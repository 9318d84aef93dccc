package shaders

import (
	"sync"

	"github.com/wgangp/wgangp/engine"
)

// Options choose among kernels that compute the same values in the same
// order of summation, for the device that will run them.
type Options struct {
	// Direct makes the contractions (the convolution family and matmul)
	// direct GEMM kernels: each invocation computes a small block from
	// the op's buffers one depth at a time, with no workgroup memory and
	// no barriers (gemmTiling.direct). A software adapter (SwiftShader,
	// lavapipe) compiles them many times faster than the tiled kernels,
	// whose staging loads, barriers and 8×8 blocks a GPU needs.
	Direct bool
}

var (
	compileMu   sync.Mutex
	compileOpts Options // of the Compile running, under compileMu
)

// CompileWith is Compile choosing the kernels as o says.
func CompileWith(n *engine.Node, o Options) (Op, error) {
	compileMu.Lock()
	defer compileMu.Unlock()
	compileOpts = o
	defer func() { compileOpts = Options{} }()
	return compile(n)
}
