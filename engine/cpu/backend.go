// Package cpu is the pure-Go backend: the fallback where no GPU is, and the
// reference every other backend is tested against. It is generic over the
// element type: float32 for training, float64 for gradient checks.
package cpu

import (
	"fmt"
	"runtime"
	"time"

	"github.com/wgangp/wgangp/engine"
)

// Backend runs plans on the CPU with all cores.
type Backend[T Float] struct {
	pool *Pool
	mem  *memory[T] // shared by its programs, which run one at a time
}

var (
	_ engine.Backend  = (*Backend[float32])(nil)
	_ engine.Buffer   = (*Buffer[float64])(nil)
	_ engine.Program  = (*Program[float32])(nil)
	_ engine.Profiler = (*Program[float32])(nil)
)

// New returns a backend that runs on workers goroutines (all cores when
// workers <= 0).
func New[T Float](workers int) *Backend[T] {
	return &Backend[T]{pool: NewPool(workers), mem: newMemory[T]()}
}

// Name says which backend this is.
func (b *Backend[T]) Name() string {
	var z T
	return fmt.Sprintf("cpu (%T, %d threads, %s/%s, %s kernels)", z, b.pool.Workers(), runtime.GOOS, runtime.GOARCH, kernelSet())
}

// kernelSet names the vector instructions the kernels use (cpufeat, as
// WGANGP_CPU may limit it).
func kernelSet() string {
	switch {
	case useAVX512:
		return "AVX-512"
	case useAVX2:
		return "AVX2"
	}
	return "pure-Go"
}

var _ engine.Planner = (*Backend[float32])(nil)

// PlanOptions: a contraction and the elementwise epilogue on its result run
// as one kernel, the epilogue in a pass over the result right after the
// contraction, while much of it is still in cache (3 % less CPU time than
// a separate kernel for a training iteration at F=16/32; telling the
// epilogue each block as the contraction stores it measured no better).
// Recomputation is left off: a pass over memory costs a CPU little more
// than computing its values again.
func (b *Backend[T]) PlanOptions() engine.PlanOptions {
	return engine.PlanOptions{CoreEpilogue: true}
}

// Pool is the worker pool the backend's kernels run on.
func (b *Backend[T]) Pool() *Pool { return b.pool }

// Buffer is a tensor in memory.
type Buffer[T Float] struct{ Data []T }

// NewBuffer allocates a zeroed buffer.
func (b *Backend[T]) NewBuffer(n int) (engine.Buffer, error) {
	return &Buffer[T]{Data: make([]T, n)}, nil
}

func (b *Buffer[T]) Len() int { return len(b.Data) }

func (b *Buffer[T]) Write(src []float32) error        { return copyConv(b.Data, src) }
func (b *Buffer[T]) Read(dst []float32) error         { return copyConv(dst, b.Data) }
func (b *Buffer[T]) WriteFloat64(src []float64) error { return copyConv(b.Data, src) }
func (b *Buffer[T]) ReadFloat64(dst []float64) error  { return copyConv(dst, b.Data) }

func copyConv[D, S Float](dst []D, src []S) error {
	if len(dst) != len(src) {
		return fmt.Errorf("cpu: copy of %d elements into a buffer of %d", len(src), len(dst))
	}
	for i, v := range src {
		dst[i] = D(v)
	}
	return nil
}

// Program is a compiled plan: kernels bound to their buffers.
type Program[T Float] struct {
	pool     *Pool
	mem      programMemory[T]
	steps    []kernel
	nodes    []*engine.Node // the plan's step of each kernel
	outputs  []*Buffer[T]
	profile  func(*engine.Node, time.Duration)
	released bool
}

// kernel is one compiled step of a plan.
type kernel interface{ run(p *Pool) }

// Compile binds the plan's inputs to buffers, allocates its slots and makes
// one kernel per step; it runs the plan's constant steps (Plan.Init) once.
// Nothing is allocated when the program runs.
func (b *Backend[T]) Compile(p *engine.Plan, inputs map[*engine.Node]engine.Buffer) (engine.Program, error) {
	in := make([][]T, len(p.Inputs))
	for i, n := range p.Inputs {
		buf, ok := inputs[n]
		if !ok {
			return nil, fmt.Errorf("cpu: no buffer bound to %v", n)
		}
		cb, ok := buf.(*Buffer[T])
		if !ok {
			return nil, fmt.Errorf("cpu: buffer bound to %v is a %T, not a %T", n, buf, cb)
		}
		if cb.Len() != n.Shape().Size() {
			return nil, fmt.Errorf("cpu: buffer of %d elements bound to %v", cb.Len(), n)
		}
		in[i] = cb.Data
	}
	prog := &Program[T]{pool: b.pool, mem: programMemory[T]{m: b.mem}}
	// Outputs and constants (computed once, at compile) keep slots of the
	// program's own; the others share the backend's scratch memory.
	private := make([]bool, len(p.Slots))
	for _, n := range append(append([]*engine.Node{}, p.Outputs...), p.Steps[:p.Init]...) {
		if l := p.Loc(n); l.Input < 0 && l.Slot >= 0 {
			private[l.Slot] = true
		}
	}
	slots := b.mem.takeSlots(&prog.mem, p.Slots, private)
	data := func(n *engine.Node) []T {
		l := p.Loc(n)
		if l.Input >= 0 {
			return in[l.Input]
		}
		return slots[l.Slot][:n.Shape().Size()]
	}
	workers := b.pool.Workers()
	shared := contractions(func(key string, mk func() any) any { return b.mem.engine(&prog.mem, key, mk) })
	for i, n := range p.Steps {
		k, err := newKernel(n, data, workers, shared)
		if err != nil {
			prog.Release()
			return nil, err
		}
		switch {
		case k == nil:
		case i < p.Init:
			b.mem.run.Lock()
			k.run(b.pool)
			b.mem.run.Unlock()
		default:
			prog.steps = append(prog.steps, k)
			prog.nodes = append(prog.nodes, n)
		}
	}
	for _, n := range p.Outputs {
		prog.outputs = append(prog.outputs, &Buffer[T]{Data: data(n)})
	}
	return prog, nil
}

// Run executes the plan's steps in order. The programs of a backend share
// their scratch memory, so one runs at a time.
func (pr *Program[T]) Run() error {
	pr.mem.m.run.Lock()
	defer pr.mem.m.run.Unlock()
	if pr.released {
		return fmt.Errorf("cpu: run of a released program")
	}
	if pr.profile != nil {
		for i, k := range pr.steps {
			t := time.Now()
			k.run(pr.pool)
			pr.profile(pr.nodes[i], time.Since(t))
		}
		return nil
	}
	for _, k := range pr.steps {
		k.run(pr.pool)
	}
	return nil
}

// SetProfile makes Run report each step's wall time to f (nil stops it):
// engine.Profiler, for bench --profile.
func (pr *Program[T]) SetProfile(f func(step *engine.Node, d time.Duration)) { pr.profile = f }

// Release gives the program's scratch memory back to its backend (what no
// other program uses is freed); the program must not be used afterwards.
func (pr *Program[T]) Release() {
	pr.mem.m.run.Lock()
	defer pr.mem.m.run.Unlock()
	if !pr.released {
		pr.mem.release()
	}
	pr.released = true
	pr.steps, pr.nodes, pr.outputs = nil, nil, nil
}

// Output is the buffer of the plan's i-th output.
func (pr *Program[T]) Output(i int) engine.Buffer { return pr.outputs[i] }

// newKernel makes the kernel of one step; nil for steps that need no work
// (reshapes share their input's storage).
func newKernel[T Float](n *engine.Node, data func(*engine.Node) []T, workers int, shared contractions) (kernel, error) {
	ins := n.Inputs()
	arg := func(i int) []T { return data(ins[i]) }
	switch op := n.Op().(type) {
	case engine.ReshapeOp:
		return nil, nil
	case engine.FillOp, engine.UnaryOp, engine.BinaryOp, engine.BroadcastOp, engine.SumToOp:
		// One op alone runs as the fused group of that op.
		f, _ := engine.Single(n)
		args := make([][]T, len(ins))
		for i := range ins {
			args[i] = arg(i)
		}
		return newFused(f, data(n), args, workers), nil
	case engine.MatMulOp, engine.Conv2DOp, engine.ConvTransposeOp, engine.ConvFilterOp:
		return newContraction[T](op, ins[0].Shape(), ins[1].Shape(), data(n), arg(0), arg(1), workers, shared), nil
	case engine.FusedOp:
		args := make([][]T, len(ins))
		for i := range ins {
			args[i] = arg(i)
		}
		k := newFused(op, data(n), args, workers)
		if op.Core != nil {
			k.core = newContraction[T](op.Core, ins[0].Shape(), ins[1].Shape(), data(n), args[0], args[1], workers, shared)
		}
		return k, nil
	case engine.AdamOp:
		k := &adamKernel[T]{op: op, rate: arg(len(ins) - 1)}
		for i := 0; i < op.Params(n); i++ {
			k.params = append(k.params, [4][]T{arg(4 * i), arg(4*i + 1), arg(4*i + 2), arg(4*i + 3)})
		}
		return k, nil
	case engine.StoreOp:
		k := &concatKernel[T]{}
		size := 0
		for i := 1; i < len(ins); i++ {
			k.srcs = append(k.srcs, arg(i))
			size += len(arg(i))
		}
		k.dst = arg(0)[op.Offset : op.Offset+size]
		return k, nil
	case engine.ConcatOp:
		k := &concatKernel[T]{dst: data(n)}
		for i := range ins {
			k.srcs = append(k.srcs, arg(i))
		}
		return k, nil
	case engine.SliceOp:
		dst := data(n)
		lo := op.Offset(ins[0].Shape())
		return &storeKernel[T]{dst: dst, src: arg(0)[lo : lo+len(dst)]}, nil
	}
	return nil, fmt.Errorf("cpu: no kernel for %v", n)
}

// contractions gives the contraction engine of an op and its operand
// shapes, made by mk the first time: the programs of a backend run one step
// at a time, so the steps of one geometry (the critic's layers run on real,
// fake and interpolated pictures, forward and backward, in the D and the G
// step) share one engine and its packing buffers, which are rewritten at
// every call (memory.engine).
type contractions func(key string, mk func() any) any

// newContraction makes the kernel of a matrix product or an op of the
// convolution family: dst = op(a, b) for operands of shapes as and bs, its
// engine from shared.
func newContraction[T Float](op engine.Op, as, bs engine.Shape, dst, a, b []T, workers int, shared contractions) kernel {
	key := fmt.Sprintf("%v %v %v", op, as, bs)
	switch op := op.(type) {
	case engine.MatMulOp:
		m, k, nn := op.Dims(as, bs)
		e := shared(key, func() any { return NewMatMul[T](m, k, nn, op.TransA, op.TransB, workers) })
		return &matMulKernel[T]{k: e.(*MatMul[T]), c: dst, a: a, b: b}
	case engine.Conv2DOp:
		g := geom(op.Geom(as, bs))
		e := shared(key, func() any { return NewConv2D[T](g, workers) })
		return &convKernel[T]{k: e.(*Conv2D[T]), y: dst, x: a, w: b}
	case engine.ConvTransposeOp:
		g := geom(op.Geom(as, bs))
		e := shared(key, func() any { return NewConvTranspose[T](g, workers) })
		return &convTransposeKernel[T]{k: e.(*ConvTranspose[T]), dx: dst, dy: a, w: b}
	case engine.ConvFilterOp:
		g := geom(op.Geom(as, bs))
		e := shared(key, func() any { return NewConvFilter[T](g, workers) })
		return &convFilterKernel[T]{k: e.(*ConvFilter[T]), dw: dst, x: a, dy: b}
	}
	panic(fmt.Sprintf("cpu: %v is no contraction", op))
}

// storeKernel copies src into dst (engine.SliceOp, src the slice).
type storeKernel[T Float] struct{ dst, src []T }

func (k *storeKernel[T]) run(p *Pool) { copy(k.dst, k.src) }

// concatKernel copies its sources one after another into dst
// (engine.ConcatOp; engine.StoreOp, dst the slice from its offset).
type concatKernel[T Float] struct {
	dst  []T
	srcs [][]T
}

func (k *concatKernel[T]) run(p *Pool) {
	at := 0
	for _, s := range k.srcs {
		at += copy(k.dst[at:], s)
	}
}

// geom converts the engine's geometry to this package's.
func geom(g engine.ConvGeom) ConvGeom {
	return ConvGeom{N: g.N, C: g.C, H: g.H, W: g.W, O: g.O, KH: g.KH, KW: g.KW,
		OH: g.OH, OW: g.OW, Stride: g.Stride, PadT: g.Pad.Top, PadL: g.Pad.Left}
}

type matMulKernel[T Float] struct {
	k       *MatMul[T]
	c, a, b []T
}

func (k *matMulKernel[T]) run(p *Pool) { k.k.Do(p, k.c, k.a, k.b) }

type convKernel[T Float] struct {
	k       *Conv2D[T]
	y, x, w []T
}

func (k *convKernel[T]) run(p *Pool) { k.k.Do(p, k.y, k.x, k.w) }

type convTransposeKernel[T Float] struct {
	k         *ConvTranspose[T]
	dx, dy, w []T
}

func (k *convTransposeKernel[T]) run(p *Pool) { k.k.Do(p, k.dx, k.dy, k.w) }

type convFilterKernel[T Float] struct {
	k         *ConvFilter[T]
	dw, x, dy []T
}

func (k *convFilterKernel[T]) run(p *Pool) { k.k.Do(p, k.dw, k.x, k.dy) }
