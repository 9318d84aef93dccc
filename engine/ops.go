package engine

import (
	"fmt"
)

// Op is what a Node computes. Every op has a shape rule and a gradient rule
// written with ops of this package; the backends give each op a kernel.
type Op interface {
	// String names the op with its attributes; equal strings mean equal ops.
	String() string
	// Shape is the shape rule: the output shape for these input shapes. It
	// panics, naming the shapes, when they do not fit (a programmer error).
	Shape(in []Shape) Shape
	// Grad is the gradient rule: given the node n and the gradient dy of a
	// scalar with respect to n, it returns the gradient with respect to each
	// input (nil where there is none), built as nodes.
	Grad(n, dy *Node) []*Node
}

// Effect marks ops that write into their inputs' buffers instead of
// producing a value (the Adam update). A Plan runs them after everything else.
type Effect interface {
	Op
	effect()
}

// InputOp is an external value: see Graph.Input.
type InputOp struct{ Name string }

func (o InputOp) String() string         { return "input " + o.Name }
func (o InputOp) Shape(in []Shape) Shape { panic("engine: InputOp has no shape rule") }
func (o InputOp) Grad(n, dy *Node) []*Node {
	return nil
}

// FillOp is a constant tensor: every element is Value.
type FillOp struct {
	Value float64
	Out   Shape
}

func (o FillOp) String() string           { return fmt.Sprintf("fill %g %v", o.Value, o.Out) }
func (o FillOp) Shape(in []Shape) Shape   { return o.Out.Clone() }
func (o FillOp) Grad(n, dy *Node) []*Node { return nil }

// Fill returns a constant of the given shape.
func Fill(g *Graph, value float64, shape ...int) *Node {
	return g.apply(FillOp{Value: value, Out: Shape(shape).Clone()})
}

// ---------------------------------------------------------------- unary

// UnaryFn selects an elementwise function of one tensor. Alpha is its
// parameter where it has one.
type UnaryFn int

const (
	FnScale     UnaryFn = iota // alpha·x
	FnAddConst                 // x + alpha
	FnSquare                   // x²
	FnSqrt                     // √x
	FnRsqrt                    // 1/√x
	FnTanh                     // tanh x
	FnSigmoid                  // 1/(1+e^-x)
	FnRelu                     // max(x, 0)
	FnLeakyRelu                // x if x > 0 else alpha·x
	FnStep                     // 1 if x > 0 else 0 (zero gradient)
	FnLeakyMask                // 1 if x > 0 else alpha (zero gradient)

	// NumUnaryFns is the number of UnaryFns: they are 0 … NumUnaryFns-1.
	NumUnaryFns
)

// UnaryOp applies Fn to each element.
type UnaryOp struct {
	Fn    UnaryFn
	Alpha float64
}

func (o UnaryOp) String() string {
	if o.Fn.Info().HasAlpha {
		return fmt.Sprintf("%s %g", o.Fn, o.Alpha)
	}
	return o.Fn.String()
}

func (o UnaryOp) Shape(in []Shape) Shape { return in[0].Clone() }

// Grad is the function's own rule in Unaries.
func (o UnaryOp) Grad(n, dy *Node) []*Node {
	rule := o.Fn.Info().Grad
	if rule == nil { // piecewise constant
		return []*Node{nil}
	}
	return []*Node{rule(n.inputs[0], n, dy, o.Alpha)}
}

func unary(fn UnaryFn, alpha float64, x *Node) *Node {
	return x.g.apply(UnaryOp{Fn: fn, Alpha: alpha}, x)
}

// Unary returns fn(x) with parameter alpha (ignored by functions without
// one), for code that iterates over Unaries; the named constructors (Scale,
// Tanh, …) are the same with their simplifications.
func Unary(fn UnaryFn, alpha float64, x *Node) *Node {
	if !fn.Info().HasAlpha {
		alpha = 0
	}
	return unary(fn, alpha, x)
}

// Scale returns alpha·x.
func Scale(x *Node, alpha float64) *Node {
	if alpha == 1 {
		return x
	}
	return unary(FnScale, alpha, x)
}

// Neg returns -x.
func Neg(x *Node) *Node { return Scale(x, -1) }

// AddConst returns x + alpha.
func AddConst(x *Node, alpha float64) *Node {
	if alpha == 0 {
		return x
	}
	return unary(FnAddConst, alpha, x)
}

// Square returns x².
func Square(x *Node) *Node { return unary(FnSquare, 0, x) }

// Sqrt returns √x.
func Sqrt(x *Node) *Node { return unary(FnSqrt, 0, x) }

// Rsqrt returns 1/√x.
func Rsqrt(x *Node) *Node { return unary(FnRsqrt, 0, x) }

// Tanh returns tanh x.
func Tanh(x *Node) *Node { return unary(FnTanh, 0, x) }

// Sigmoid returns 1/(1+e^-x).
func Sigmoid(x *Node) *Node { return unary(FnSigmoid, 0, x) }

// Relu returns max(x, 0).
func Relu(x *Node) *Node { return unary(FnRelu, 0, x) }

// LeakyRelu returns x where x > 0, alpha·x elsewhere.
func LeakyRelu(x *Node, alpha float64) *Node { return unary(FnLeakyRelu, alpha, x) }

// Step returns 1 where x > 0, 0 elsewhere; its gradient is zero.
func Step(x *Node) *Node { return unary(FnStep, 0, x) }

// LeakyMask returns 1 where x > 0, alpha elsewhere; its gradient is zero.
func LeakyMask(x *Node, alpha float64) *Node { return unary(FnLeakyMask, alpha, x) }

// ---------------------------------------------------------------- binary

// BinaryFn selects an elementwise function of two tensors of equal shape.
type BinaryFn int

const (
	FnAdd BinaryFn = iota // a + b
	FnSub                 // a - b
	FnMul                 // a · b
	FnDiv                 // a / b

	// NumBinaryFns is the number of BinaryFns: they are 0 … NumBinaryFns-1.
	NumBinaryFns
)

// BinaryOp applies Fn elementwise to two tensors of the same shape. The
// constructors (Add, Sub, Mul, Div) broadcast first where shapes differ.
type BinaryOp struct{ Fn BinaryFn }

func (o BinaryOp) String() string { return o.Fn.String() }

func (o BinaryOp) Shape(in []Shape) Shape {
	if !in[0].Equal(in[1]) {
		panic(fmt.Sprintf("engine: %s of shapes %v and %v", o.Fn, in[0], in[1]))
	}
	return in[0].Clone()
}

// Grad is the function's own rule in Binaries.
func (o BinaryOp) Grad(n, dy *Node) []*Node {
	da, db := o.Fn.Info().Grad(n.inputs[0], n.inputs[1], n, dy)
	return []*Node{da, db}
}

// broadcastPair brings a and b to one shape (same rank; each dimension equal
// or 1 in one of them).
func broadcastPair(op string, a, b *Node) (*Node, *Node) {
	if a.shape.Equal(b.shape) {
		return a, b
	}
	if len(a.shape) != len(b.shape) {
		panic(fmt.Sprintf("engine: %s of shapes %v and %v (ranks differ)", op, a.shape, b.shape))
	}
	out := make(Shape, len(a.shape))
	for i := range out {
		switch da, db := a.shape[i], b.shape[i]; {
		case da == db, db == 1:
			out[i] = da
		case da == 1:
			out[i] = db
		default:
			panic(fmt.Sprintf("engine: %s of shapes %v and %v", op, a.shape, b.shape))
		}
	}
	return BroadcastTo(a, out...), BroadcastTo(b, out...)
}

// Binary returns fn(a, b), broadcasting dimensions of size 1.
func Binary(fn BinaryFn, a, b *Node) *Node { return binary(fn, a, b) }

func binary(fn BinaryFn, a, b *Node) *Node {
	a, b = broadcastPair(fn.String(), a, b)
	return a.g.apply(BinaryOp{Fn: fn}, a, b)
}

// Add returns a + b, broadcasting dimensions of size 1.
func Add(a, b *Node) *Node { return binary(FnAdd, a, b) }

// Sub returns a - b, broadcasting dimensions of size 1.
func Sub(a, b *Node) *Node { return binary(FnSub, a, b) }

// Mul returns a · b, broadcasting dimensions of size 1.
func Mul(a, b *Node) *Node { return binary(FnMul, a, b) }

// Div returns a / b, broadcasting dimensions of size 1.
func Div(a, b *Node) *Node { return binary(FnDiv, a, b) }

// ---------------------------------------------------------------- shape ops

// BroadcastOp repeats its input along the dimensions where the input has
// size 1 and Out does not. Same rank. Its adjoint is SumToOp.
type BroadcastOp struct{ Out Shape }

func (o BroadcastOp) String() string { return fmt.Sprintf("broadcast %v", o.Out) }

func (o BroadcastOp) Shape(in []Shape) Shape {
	checkReducible("broadcast", o.Out, in[0])
	return o.Out.Clone()
}

// d broadcast(x) = sumTo(dy, shape x)
func (o BroadcastOp) Grad(n, dy *Node) []*Node {
	return []*Node{SumTo(dy, n.inputs[0].shape...)}
}

// SumToOp sums its input over the dimensions where Out has size 1 and the
// input does not (keeping them, with size 1). Same rank. Its adjoint is
// BroadcastOp.
type SumToOp struct{ Out Shape }

func (o SumToOp) String() string { return fmt.Sprintf("sumto %v", o.Out) }

func (o SumToOp) Shape(in []Shape) Shape {
	checkReducible("sumto", in[0], o.Out)
	return o.Out.Clone()
}

// d sumTo(x) = broadcast(dy, shape x)
func (o SumToOp) Grad(n, dy *Node) []*Node {
	return []*Node{BroadcastTo(dy, n.inputs[0].shape...)}
}

// checkReducible panics unless small is big with some dimensions set to 1.
func checkReducible(op string, big, small Shape) {
	ok := len(big) == len(small)
	for i := 0; ok && i < len(big); i++ {
		ok = small[i] == big[i] || small[i] == 1
	}
	if !ok {
		panic(fmt.Sprintf("engine: %s between shapes %v and %v", op, big, small))
	}
}

// MergeDims describes a broadcast or reduction between a full shape and a
// small one (same rank; the small one's dimensions 1 or equal) as runs of
// kept and reduced dimensions, outermost first: dimensions of size 1 are
// dropped and neighbours that are both kept or both reduced are merged.
// Kernels index the merged dimensions instead of the original ones.
func MergeDims(full, small Shape) (size []int, reduced []bool) {
	for i, d := range full {
		if d == 1 {
			continue
		}
		red := small[i] == 1
		if n := len(size); n > 0 && reduced[n-1] == red {
			size[n-1] *= d
			continue
		}
		size = append(size, d)
		reduced = append(reduced, red)
	}
	return size, reduced
}

// BroadcastTo repeats x to shape (same rank, x's dimensions 1 or equal).
func BroadcastTo(x *Node, shape ...int) *Node {
	if x.shape.Equal(shape) {
		return x
	}
	return x.g.apply(BroadcastOp{Out: Shape(shape).Clone()}, x)
}

// SumTo sums x down to shape (same rank, shape's dimensions 1 or equal).
func SumTo(x *Node, shape ...int) *Node {
	if x.shape.Equal(shape) {
		return x
	}
	return x.g.apply(SumToOp{Out: Shape(shape).Clone()}, x)
}

// Sum sums x over the given axes, keeping them with size 1.
func Sum(x *Node, axes ...int) *Node {
	out := x.shape.Clone()
	for _, a := range axes {
		out[a] = 1
	}
	return SumTo(x, out...)
}

// Mean averages x over the given axes, keeping them with size 1.
func Mean(x *Node, axes ...int) *Node {
	count := 1
	for _, a := range axes {
		count *= x.shape[a]
	}
	return Scale(Sum(x, axes...), 1/float64(count))
}

// MeanAll averages every element of x into a tensor of shape [1].
func MeanAll(x *Node) *Node {
	all := make([]int, len(x.shape))
	for i := range all {
		all[i] = i
	}
	return Reshape(Mean(x, all...), 1)
}

// ReshapeOp reinterprets its input with another shape of the same size.
type ReshapeOp struct{ Out Shape }

func (o ReshapeOp) String() string { return fmt.Sprintf("reshape %v", o.Out) }

func (o ReshapeOp) Shape(in []Shape) Shape {
	if in[0].Size() != o.Out.Size() {
		panic(fmt.Sprintf("engine: reshape %v to %v", in[0], o.Out))
	}
	return o.Out.Clone()
}

// d reshape(x) = reshape(dy, shape x)
func (o ReshapeOp) Grad(n, dy *Node) []*Node {
	return []*Node{Reshape(dy, n.inputs[0].shape...)}
}

// Reshape reinterprets x with shape.
func Reshape(x *Node, shape ...int) *Node {
	if x.shape.Equal(shape) {
		return x
	}
	if x.op != nil {
		if _, ok := x.op.(ReshapeOp); ok { // reshape of reshape is one reshape
			x = x.inputs[0]
			if x.shape.Equal(shape) {
				return x
			}
		}
	}
	return x.g.apply(ReshapeOp{Out: Shape(shape).Clone()}, x)
}

// ---------------------------------------------------------------- matmul

// MatMulOp multiplies two matrices: [M,K]·[K,N] → [M,N], where TransA means
// the first operand is stored [K,M] and TransB the second [N,K].
type MatMulOp struct{ TransA, TransB bool }

func (o MatMulOp) String() string { return fmt.Sprintf("matmul %t %t", o.TransA, o.TransB) }

// Dims returns M, K, N for operands of these shapes.
func (o MatMulOp) Dims(a, b Shape) (m, k, n int) {
	if len(a) != 2 || len(b) != 2 {
		panic(fmt.Sprintf("engine: matmul of shapes %v and %v", a, b))
	}
	m, k = a[0], a[1]
	if o.TransA {
		m, k = k, m
	}
	k2, n := b[0], b[1]
	if o.TransB {
		k2, n = n, k2
	}
	if k != k2 {
		panic(fmt.Sprintf("engine: %s of shapes %v and %v", o, a, b))
	}
	return m, k, n
}

func (o MatMulOp) Shape(in []Shape) Shape {
	m, _, n := o.Dims(in[0], in[1])
	return Shape{m, n}
}

// With C = op(A)·op(B): dop(A) = dC·op(B)ᵀ, dop(B) = op(A)ᵀ·dC.
func (o MatMulOp) Grad(n, dy *Node) []*Node {
	a, b := n.inputs[0], n.inputs[1]
	var da, db *Node
	if o.TransA { // A stored [K,M]: dA = op(B)·dCᵀ
		da = MatMul(b, dy, o.TransB, true)
	} else {
		da = MatMul(dy, b, false, !o.TransB)
	}
	if o.TransB { // B stored [N,K]: dB = dCᵀ·op(A)
		db = MatMul(dy, a, true, o.TransA)
	} else {
		db = MatMul(a, dy, !o.TransA, false)
	}
	return []*Node{da, db}
}

// MatMul returns op(a)·op(b); see MatMulOp.
func MatMul(a, b *Node, transA, transB bool) *Node {
	return a.g.apply(MatMulOp{TransA: transA, TransB: transB}, a, b)
}

// ---------------------------------------------------------------- Adam

// AdamOp updates parameters and their moments in place (MATLAB
// adamupdate), each parameter
//
//	m = β1·m + (1-β1)·g;  v = β2·v + (1-β2)·g²;  p -= rate · m / (√v + ε)
//
// Inputs: p, m, v, g of each parameter, then rate [1] = lr·√(1-β2^t)/(1-β1^t),
// uploaded each step. Graphs update one parameter an op (Adam); the planner
// merges updates that one kernel can run (mergeEffects). It produces no
// value (Shape [0]).
type AdamOp struct{ Beta1, Beta2, Eps float64 }

func (o AdamOp) String() string { return fmt.Sprintf("adam %g %g %g", o.Beta1, o.Beta2, o.Eps) }

func (o AdamOp) Shape(in []Shape) Shape {
	if len(in) < 5 || (len(in)-1)%4 != 0 {
		panic(fmt.Sprintf("engine: adam of %d operands", len(in)))
	}
	for k := 0; k < len(in)-1; k += 4 {
		for i := k + 1; i < k+4; i++ {
			if !in[i].Equal(in[k]) {
				panic(fmt.Sprintf("engine: adam of parameter %v with operand %v", in[k], in[i]))
			}
		}
	}
	if in[len(in)-1].Size() != 1 {
		panic(fmt.Sprintf("engine: adam rate of shape %v", in[len(in)-1]))
	}
	return Shape{0}
}

// Params is the number of parameters an update of these inputs updates.
func (o AdamOp) Params(n *Node) int { return (len(n.inputs) - 1) / 4 }

func (o AdamOp) Grad(n, dy *Node) []*Node { panic("engine: adam has no gradient") }
func (o AdamOp) effect()                  {}

// Adam appends the in-place update of p (with moments m, v, gradient g and
// the step's rate) to the graph; see AdamOp.
func Adam(p, m, v, g, rate *Node, beta1, beta2, eps float64) *Node {
	return p.g.apply(AdamOp{Beta1: beta1, Beta2: beta2, Eps: eps}, p, m, v, g, rate)
}

// ---------------------------------------------------------------- store

// StoreOp writes its inputs after the first into the first, an input's
// buffer, one after another from element Offset: dst[Offset+i] = src[i] for
// one source. It produces no value (Shape [0]); a plan runs it after
// everything else, like Adam. A step gathers the scalars a caller reads
// into one buffer with it, so one read brings them all back; the planner
// merges stores at consecutive offsets into one (mergeEffects).
type StoreOp struct{ Offset int }

func (o StoreOp) String() string { return fmt.Sprintf("store @%d", o.Offset) }

func (o StoreOp) Shape(in []Shape) Shape {
	size := 0
	for _, s := range in[1:] {
		size += s.Size()
	}
	if len(in) < 2 || o.Offset < 0 || o.Offset+size > in[0].Size() {
		panic(fmt.Sprintf("engine: store of %v at %d into %v", in[1:], o.Offset, in[0]))
	}
	return Shape{0}
}

func (o StoreOp) Grad(n, dy *Node) []*Node { panic("engine: store has no gradient") }
func (o StoreOp) effect()                  {}

// Store appends dst[offset:] = src to the graph (dst an input); see StoreOp.
func Store(dst, src *Node, offset int) *Node {
	if !isInput(dst) {
		panic(fmt.Sprintf("engine: store into %v, which is not an input", dst))
	}
	return dst.g.apply(StoreOp{Offset: offset}, dst, src)
}

// ---------------------------------------------------------------- concat, slice

// ConcatOp joins its inputs along their first dimension (same rank, the
// other dimensions equal). Rows are contiguous, so the value is the inputs'
// elements one input after another. Its adjoint takes the inputs' rows back
// out of dy (SliceOp).
type ConcatOp struct{}

func (o ConcatOp) String() string { return "concat" }

func (o ConcatOp) Shape(in []Shape) Shape {
	if len(in) == 0 {
		panic("engine: concat of nothing")
	}
	out := in[0].Clone()
	for _, s := range in[1:] {
		if len(s) != len(out) || len(s) == 0 || !s[1:].Equal(out[1:]) {
			panic(fmt.Sprintf("engine: concat of shapes %v", in))
		}
		out[0] += s[0]
	}
	return out
}

// d concat(x₀, x₁, …) = the rows of dy that came from each xₖ.
func (o ConcatOp) Grad(n, dy *Node) []*Node {
	gs := make([]*Node, len(n.inputs))
	lo := 0
	for k, in := range n.inputs {
		gs[k] = Slice(dy, lo, lo+in.shape[0])
		lo += in.shape[0]
	}
	return gs
}

// Concat joins xs along their first dimension; see ConcatOp.
func Concat(xs ...*Node) *Node {
	if len(xs) == 1 {
		return xs[0]
	}
	return xs[0].g.apply(ConcatOp{}, xs...)
}

// SliceOp takes rows Lo … Hi-1 of its input's first dimension: a contiguous
// run of its elements. Its adjoint puts dy back between zeros (ConcatOp).
type SliceOp struct{ Lo, Hi int }

func (o SliceOp) String() string { return fmt.Sprintf("slice %d:%d", o.Lo, o.Hi) }

func (o SliceOp) Shape(in []Shape) Shape {
	if len(in[0]) == 0 || o.Lo < 0 || o.Hi <= o.Lo || o.Hi > in[0][0] {
		panic(fmt.Sprintf("engine: %s of shape %v", o, in[0]))
	}
	out := in[0].Clone()
	out[0] = o.Hi - o.Lo
	return out
}

// d slice(x) = concat(0, dy, 0) of x's shape.
func (o SliceOp) Grad(n, dy *Node) []*Node {
	x := n.inputs[0].shape
	zeros := func(rows int) *Node {
		s := x.Clone()
		s[0] = rows
		return Fill(n.g, 0, s...)
	}
	parts := []*Node{dy}
	if o.Lo > 0 {
		parts = append([]*Node{zeros(o.Lo)}, parts...)
	}
	if o.Hi < x[0] {
		parts = append(parts, zeros(x[0]-o.Hi))
	}
	return []*Node{Concat(parts...)}
}

// Slice takes rows lo … hi-1 of x's first dimension; see SliceOp.
func Slice(x *Node, lo, hi int) *Node {
	if lo == 0 && hi == x.shape[0] {
		return x
	}
	return x.g.apply(SliceOp{Lo: lo, Hi: hi}, x)
}

// Offset is where the rows start in the input: Lo times a row's size.
func (o SliceOp) Offset(in Shape) int { return o.Lo * in[1:].Size() }
