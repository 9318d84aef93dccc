package engine_test

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"

	"github.com/wgangp/wgangp/engine"
	"github.com/wgangp/wgangp/engine/backendtest"
)

// fn builds a tensor from inputs; the checks differentiate ⟨seed, fn⟩.
type fn struct {
	name   string
	shapes []engine.Shape
	lo, hi float64 // input range (positive for sqrt and friends)
	build  func(in []*engine.Node) *engine.Node
}

func unaryFn(name string, lo float64, f func(*engine.Node) *engine.Node) fn {
	return fn{name, []engine.Shape{{2, 3, 5}}, lo, 2, func(in []*engine.Node) *engine.Node { return f(in[0]) }}
}

func binaryFn(name string, a, b engine.Shape, f func(x, y *engine.Node) *engine.Node) fn {
	return fn{name, []engine.Shape{a, b}, 0.5, 2, func(in []*engine.Node) *engine.Node { return f(in[0], in[1]) }}
}

func gradFns() []fn {
	p := engine.Pads(1, 1, 2, 2)
	return []fn{
		unaryFn("scale", -2, func(x *engine.Node) *engine.Node { return engine.Scale(x, -1.5) }),
		unaryFn("addconst", -2, func(x *engine.Node) *engine.Node { return engine.Square(engine.AddConst(x, 0.3)) }),
		unaryFn("square", -2, engine.Square),
		unaryFn("sqrt", 0.2, engine.Sqrt),
		unaryFn("rsqrt", 0.2, engine.Rsqrt),
		unaryFn("tanh", -2, engine.Tanh),
		unaryFn("sigmoid", -2, engine.Sigmoid),
		unaryFn("relu", -2, func(x *engine.Node) *engine.Node { return engine.Square(engine.Relu(x)) }),
		unaryFn("leakyrelu", -2, func(x *engine.Node) *engine.Node { return engine.Square(engine.LeakyRelu(x, 0.2)) }),
		binaryFn("add", engine.Shape{3, 4}, engine.Shape{3, 4}, func(a, b *engine.Node) *engine.Node { return engine.Square(engine.Add(a, b)) }),
		binaryFn("sub", engine.Shape{3, 4}, engine.Shape{3, 1}, func(a, b *engine.Node) *engine.Node { return engine.Square(engine.Sub(a, b)) }),
		binaryFn("mul", engine.Shape{3, 4}, engine.Shape{1, 4}, engine.Mul),
		binaryFn("div", engine.Shape{3, 4}, engine.Shape{3, 4}, engine.Div),
		{"sumto", []engine.Shape{{2, 3, 4}}, -1, 1, func(in []*engine.Node) *engine.Node {
			return engine.Square(engine.SumTo(in[0], 1, 3, 1))
		}},
		{"reshape", []engine.Shape{{2, 6}}, -1, 1, func(in []*engine.Node) *engine.Node {
			return engine.Square(engine.Reshape(in[0], 3, 4))
		}},
		{"concat", []engine.Shape{{2, 3}, {1, 3}, {3, 3}}, -1, 1, func(in []*engine.Node) *engine.Node {
			return engine.Square(engine.Concat(in[0], engine.Tanh(in[1]), in[2]))
		}},
		{"slice", []engine.Shape{{4, 3, 2}}, -1, 1, func(in []*engine.Node) *engine.Node {
			return engine.Mul(engine.Square(engine.Slice(in[0], 1, 3)), engine.Slice(in[0], 0, 2))
		}},
		{"matmul", []engine.Shape{{3, 4}, {4, 5}}, -1, 1, func(in []*engine.Node) *engine.Node {
			return engine.Square(engine.MatMul(in[0], in[1], false, false))
		}},
		{"matmulT", []engine.Shape{{4, 3}, {5, 4}}, -1, 1, func(in []*engine.Node) *engine.Node {
			return engine.Square(engine.MatMul(in[0], in[1], true, true))
		}},
		{"matmulTN", []engine.Shape{{4, 3}, {4, 5}}, -1, 1, func(in []*engine.Node) *engine.Node {
			return engine.Square(engine.MatMul(in[0], in[1], true, false))
		}},
		{"conv2d", []engine.Shape{{2, 3, 7, 6}, {4, 3, 5, 5}}, -1, 1, func(in []*engine.Node) *engine.Node {
			return engine.Square(engine.Conv2D(in[0], in[1], 2, p))
		}},
		{"convtranspose", []engine.Shape{{2, 4, 3, 3}, {4, 3, 5, 5}}, -1, 1, func(in []*engine.Node) *engine.Node {
			return engine.Square(engine.ConvTranspose(in[0], in[1], 2, p, 7, 6))
		}},
		{"convfilter", []engine.Shape{{2, 3, 7, 6}, {2, 4, 3, 3}}, -1, 1, func(in []*engine.Node) *engine.Node {
			return engine.Square(engine.ConvFilter(in[0], in[1], 2, p, 5, 5))
		}},
	}
}

// eval runs the reference interpreter on one scalar output.
func eval(out *engine.Node, feeds map[*engine.Node][]float64) float64 {
	return backendtest.Reference([]*engine.Node{out}, feeds)[0][0]
}

// checkFD compares Grad(f) with central differences of f at every input
// element (f is a scalar node of shape [1]).
func checkFD(t *testing.T, f *engine.Node, xs []*engine.Node, feeds map[*engine.Node][]float64, tol float64) {
	t.Helper()
	grads := engine.Grad([]*engine.Node{f}, xs, nil)
	vals := backendtest.Reference(grads, feeds)
	const h = 1e-6
	for i, x := range xs {
		v := feeds[x]
		for j := range v {
			old := v[j]
			v[j] = old + h
			fp := eval(f, feeds)
			v[j] = old - h
			fm := eval(f, feeds)
			v[j] = old
			num := (fp - fm) / (2 * h)
			if got := vals[i][j]; math.Abs(got-num) > tol*(1+math.Abs(num)) {
				t.Errorf("d/d input %d [%d]: Grad %.10g, finite differences %.10g", i, j, got, num)
				return
			}
		}
	}
}

func setup(f fn, seed uint64) (*engine.Graph, []*engine.Node, map[*engine.Node][]float64, *rand.Rand) {
	r := rand.New(rand.NewPCG(seed, 99))
	g := engine.NewGraph()
	feeds := map[*engine.Node][]float64{}
	var xs []*engine.Node
	for i, s := range f.shapes {
		x := g.Input(fmt.Sprintf("x%d", i), s...)
		feeds[x] = backendtest.Random(r, s.Size(), f.lo, f.hi)
		xs = append(xs, x)
	}
	return g, xs, feeds, r
}

// dot returns ⟨s, y⟩ as a [1] node, for a random fixed s fed as an input.
func dot(g *engine.Graph, r *rand.Rand, feeds map[*engine.Node][]float64, name string, y *engine.Node) *engine.Node {
	s := g.Input(name, y.Shape()...)
	feeds[s] = backendtest.Random(r, y.Shape().Size(), -1, 1)
	all := make([]int, len(y.Shape()))
	for i := range all {
		all[i] = 1
	}
	return engine.Reshape(engine.SumTo(engine.Mul(s, y), all...), 1)
}

func TestGradFirstOrder(t *testing.T) {
	for _, f := range gradFns() {
		t.Run(f.name, func(t *testing.T) {
			g, xs, feeds, r := setup(f, 1)
			checkFD(t, dot(g, r, feeds, "seed", f.build(xs)), xs, feeds, 1e-6)
		})
	}
}

// TestGradSecondOrder differentiates ⟨s2, ∇⟨s1, f⟩⟩: the gradient of a graph
// that Grad built, as the gradient penalty does.
func TestGradSecondOrder(t *testing.T) {
	for _, f := range gradFns() {
		t.Run(f.name, func(t *testing.T) {
			g, xs, feeds, r := setup(f, 2)
			first := engine.Grad([]*engine.Node{dot(g, r, feeds, "s1", f.build(xs))}, xs, nil)
			var h *engine.Node
			for i, d := range first {
				term := dot(g, r, feeds, fmt.Sprintf("s2_%d", i), d)
				if h == nil {
					h = term
				} else {
					h = engine.Add(h, term)
				}
			}
			checkFD(t, h, xs, feeds, 1e-5)
		})
	}
}

func TestGradOfUnusedInputIsZero(t *testing.T) {
	g := engine.NewGraph()
	x, y := g.Input("x", 3), g.Input("y", 3)
	f := engine.MeanAll(engine.Square(x))
	d := engine.Grad([]*engine.Node{f}, []*engine.Node{y}, nil)[0]
	got := backendtest.Reference([]*engine.Node{d}, map[*engine.Node][]float64{x: {1, 2, 3}, y: {4, 5, 6}})[0]
	for _, v := range got {
		if v != 0 {
			t.Fatalf("gradient of an unused input: %v", got)
		}
	}
}

func TestCommonSubexpressionsAreShared(t *testing.T) {
	g := engine.NewGraph()
	x, w := g.Input("x", 1, 2, 8, 8), g.Input("w", 3, 2, 5, 5)
	a := engine.Tanh(engine.Conv2D(x, w, 2, engine.Pads(1, 1, 2, 2)))
	b := engine.Tanh(engine.Conv2D(x, w, 2, engine.Pads(1, 1, 2, 2)))
	if a != b {
		t.Fatal("the same expression built twice gave two nodes")
	}
	c := engine.Tanh(engine.Conv2D(x, w, 2, engine.Pads(1, 1, 1, 1)))
	if a == c {
		t.Fatal("different padding gave the same node")
	}
}

// TestAdjoint checks ⟨conv(x), y⟩ = ⟨x, convT(y)⟩ and ⟨conv(x,w), y⟩ =
// ⟨w, filter(x,y)⟩ for the "same" geometry of SPEC.md and tconv1's.
func TestAdjoint(t *testing.T) {
	for _, c := range []struct {
		h, stride int
		pad       engine.Padding
	}{{16, 2, engine.Pads(1, 1, 2, 2)}, {8, 1, engine.Padding{}}} {
		r := rand.New(rand.NewPCG(3, 3))
		g := engine.NewGraph()
		x, w := g.Input("x", 2, 3, c.h, c.h), g.Input("w", 4, 3, 5, 5)
		y := engine.Conv2D(x, w, c.stride, c.pad)
		dy := g.Input("dy", y.Shape()...)
		feeds := map[*engine.Node][]float64{}
		for _, n := range []*engine.Node{x, w, dy} {
			feeds[n] = backendtest.Random(r, n.Shape().Size(), -1, 1)
		}
		vals := backendtest.Reference([]*engine.Node{y, engine.ConvTranspose(dy, w, c.stride, c.pad, c.h, c.h), engine.ConvFilter(x, dy, c.stride, c.pad, 5, 5)}, feeds)
		inner := func(a, b []float64) (s float64) {
			for i := range a {
				s += a[i] * b[i]
			}
			return s
		}
		lhs := inner(vals[0], feeds[dy])
		if rhs := inner(feeds[x], vals[1]); math.Abs(lhs-rhs) > 1e-10*math.Abs(lhs) {
			t.Errorf("%+v: <conv x, y> = %.15g, <x, convT y> = %.15g", c, lhs, rhs)
		}
		if rhs := inner(feeds[w], vals[2]); math.Abs(lhs-rhs) > 1e-10*math.Abs(lhs) {
			t.Errorf("%+v: <conv(x,w), y> = %.15g, <w, filter(x,y)> = %.15g", c, lhs, rhs)
		}
		if s := y.Shape(); s[2] != c.h/2 && c.stride == 2 {
			t.Errorf("same conv of %d gave %v", c.h, s)
		}
	}
}
