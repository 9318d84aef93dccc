package engine

import "math"

// UnaryInfo is everything the engine, the backends and the tests know about
// one elementwise function of one tensor. Every place that handles unary
// functions iterates over Unaries, so a function added here is planned,
// fused, run and tested everywhere without another list to update.
type UnaryInfo struct {
	Name     string
	HasAlpha bool // whether the function takes the parameter α
	// Eval is the function in float64: the reference interpreter's, and the
	// CPU backend's for functions it has no specialised loop for.
	Eval func(x, alpha float64) float64
	// WGSL is the expression in WGSL over x (f32), with α as ALPHA. It
	// matches Eval, NaN aside.
	WGSL string
	// Grad is the derivative rule: the gradient with respect to x of the
	// node y = f(x) for the upstream gradient dy, built as nodes; nil where
	// the function is piecewise constant (its gradient is zero).
	Grad func(x, y, dy *Node, alpha float64) *Node
	// Domain is where the conformance suite draws its inputs from.
	Domain [2]float64
}

// Unaries describes every UnaryFn, indexed by it. (It is filled in init:
// its derivative rules call the constructors, which name ops by it.)
var Unaries [NumUnaryFns]UnaryInfo

func init() {
	Unaries = [NumUnaryFns]UnaryInfo{
		FnScale: {Name: "scale", HasAlpha: true, Domain: [2]float64{-3, 3},
			Eval: func(x, a float64) float64 { return a * x },
			WGSL: "ALPHA * x",
			// d(αx) = α dy
			Grad: func(x, y, dy *Node, a float64) *Node { return Scale(dy, a) }},
		FnAddConst: {Name: "addconst", HasAlpha: true, Domain: [2]float64{-3, 3},
			Eval: func(x, a float64) float64 { return x + a },
			WGSL: "x + ALPHA",
			// d(x+α) = dy
			Grad: func(x, y, dy *Node, a float64) *Node { return dy }},
		FnSquare: {Name: "square", Domain: [2]float64{-3, 3},
			Eval: func(x, a float64) float64 { return x * x },
			WGSL: "x * x",
			// d x² = 2x dy
			Grad: func(x, y, dy *Node, a float64) *Node { return Mul(dy, Scale(x, 2)) }},
		FnSqrt: {Name: "sqrt", Domain: [2]float64{0.05, 3},
			Eval: func(x, a float64) float64 { return math.Sqrt(x) },
			WGSL: "sqrt(x)",
			// d √x = dy / (2√x)
			Grad: func(x, y, dy *Node, a float64) *Node { return Div(Scale(dy, 0.5), y) }},
		FnRsqrt: {Name: "rsqrt", Domain: [2]float64{0.05, 3},
			Eval: func(x, a float64) float64 { return 1 / math.Sqrt(x) },
			WGSL: "inverseSqrt(x)",
			// d x^-½ = -½ x^-3/2 dy = -½ y³ dy
			Grad: func(x, y, dy *Node, a float64) *Node { return Mul(dy, Scale(Mul(y, Square(y)), -0.5)) }},
		FnTanh: {Name: "tanh", Domain: [2]float64{-3, 3},
			Eval: func(x, a float64) float64 { return math.Tanh(x) },
			// tanh is ±1 in float32 past |x| = 9; clamping keeps implementations
			// that compute it from exponentials away from ∞/∞.
			WGSL: "tanh(clamp(x, -15.0, 15.0))",
			// d tanh x = (1 - y²) dy
			Grad: func(x, y, dy *Node, a float64) *Node { return Mul(dy, AddConst(Scale(Square(y), -1), 1)) }},
		FnSigmoid: {Name: "sigmoid", Domain: [2]float64{-3, 3},
			Eval: func(x, a float64) float64 { return 1 / (1 + math.Exp(-x)) },
			WGSL: "1.0 / (1.0 + exp(-x))",
			// d σ(x) = y(1-y) dy
			Grad: func(x, y, dy *Node, a float64) *Node { return Mul(dy, Mul(y, AddConst(Scale(y, -1), 1))) }},
		FnRelu: {Name: "relu", Domain: [2]float64{-3, 3},
			Eval: func(x, a float64) float64 { return math.Max(x, 0) },
			WGSL: "select(0.0, x, x > 0.0)",
			// d relu x = [x>0] dy
			Grad: func(x, y, dy *Node, a float64) *Node { return Mul(dy, Step(x)) }},
		FnLeakyRelu: {Name: "leakyrelu", HasAlpha: true, Domain: [2]float64{-3, 3},
			Eval: func(x, a float64) float64 {
				if x > 0 {
					return x
				}
				return a * x
			},
			WGSL: "select(ALPHA * x, x, x > 0.0)",
			// d leaky x = (1 if x>0 else α) dy
			Grad: func(x, y, dy *Node, a float64) *Node { return Mul(dy, LeakyMask(x, a)) }},
		FnStep: {Name: "step", Domain: [2]float64{-3, 3},
			Eval: func(x, a float64) float64 {
				if x > 0 {
					return 1
				}
				return 0
			},
			WGSL: "select(0.0, 1.0, x > 0.0)"},
		FnLeakyMask: {Name: "leakymask", HasAlpha: true, Domain: [2]float64{-3, 3},
			Eval: func(x, a float64) float64 {
				if x > 0 {
					return 1
				}
				return a
			},
			WGSL: "select(ALPHA, 1.0, x > 0.0)"},
	}
	Binaries = [NumBinaryFns]BinaryInfo{
		FnAdd: {Name: "add", Op: "+", DomainB: [2]float64{-2, 2},
			Eval: func(a, b float64) float64 { return a + b },
			// d(a+b) = (dy, dy)
			Grad: func(a, b, y, dy *Node) (*Node, *Node) { return dy, dy }},
		FnSub: {Name: "sub", Op: "-", DomainB: [2]float64{-2, 2},
			Eval: func(a, b float64) float64 { return a - b },
			// d(a-b) = (dy, -dy)
			Grad: func(a, b, y, dy *Node) (*Node, *Node) { return dy, Neg(dy) }},
		FnMul: {Name: "mul", Op: "*", DomainB: [2]float64{-2, 2},
			Eval: func(a, b float64) float64 { return a * b },
			// d(ab) = (b dy, a dy)
			Grad: func(a, b, y, dy *Node) (*Node, *Node) { return Mul(dy, b), Mul(dy, a) }},
		FnDiv: {Name: "div", Op: "/", DomainB: [2]float64{0.5, 2},
			Eval: func(a, b float64) float64 { return a / b },
			// d(a/b) = (dy/b, -dy·y/b)
			Grad: func(a, b, y, dy *Node) (*Node, *Node) {
				da := Div(dy, b)
				return da, Neg(Mul(da, y))
			}},
	}
}

// Info is f's entry in Unaries.
func (f UnaryFn) Info() UnaryInfo { return Unaries[f] }

func (f UnaryFn) String() string { return Unaries[f].Name }

// BinaryInfo is everything known about one elementwise function of two
// tensors; see UnaryInfo.
type BinaryInfo struct {
	Name string
	Eval func(a, b float64) float64
	// Op is the WGSL operator: a Op b.
	Op string
	// Grad is the derivative rule of y = f(a, b): the gradients with respect
	// to a and b for the upstream gradient dy.
	Grad func(a, b, y, dy *Node) (da, db *Node)
	// DomainB is where the conformance suite draws b from (away from zero
	// for div); a comes from [-2, 2).
	DomainB [2]float64
}

// Binaries describes every BinaryFn, indexed by it (filled in init).
var Binaries [NumBinaryFns]BinaryInfo

// Info is f's entry in Binaries.
func (f BinaryFn) Info() BinaryInfo { return Binaries[f] }

func (f BinaryFn) String() string { return Binaries[f].Name }
