package shaders

import (
	"fmt"

	"github.com/wgangp/wgangp/engine"
)

// Example is one op at one shape. The examples stand for every kind of
// kernel this package emits: their sources are kept as golden files
// (testdata/<kernel name>.wgsl), checked for structure, and compiled and
// run on real devices by the tests of the WebGPU backend.
type Example struct {
	Name string
	// Build makes the op on g from inputs (g.Input) and returns its node.
	Build func(g *engine.Graph) *engine.Node
	// Unfused, for a fused example, makes the ops that the planner fuses
	// into Build's node, on g from the same inputs (the reference computes
	// them); nil for the others.
	Unfused func(g *engine.Graph) *engine.Node
	// Options are the options a fused example is planned with.
	Options engine.PlanOptions
	// Kernels are the options it is compiled with (CompileWith): the
	// direct GEMM variants of the contractions have examples of their own.
	Kernels Options
}

// withDirect is ex followed by the direct GEMM variant of each example
// (Kernels.Direct, " direct" after its name), for a family of contractions.
func withDirect(ex []Example) []Example {
	out := append([]Example(nil), ex...)
	for _, e := range ex {
		e.Name += " direct"
		e.Kernels.Direct = true
		out = append(out, e)
	}
	return out
}

// Examples lists the examples of every kernel family.
func Examples() []Example {
	var all []Example
	for _, family := range exampleFamilies {
		all = append(all, family()...)
	}
	return all
}

// exampleFamilies are the example lists of the kernel families, one
// function each.
var exampleFamilies = []func() []Example{elementwiseExamples, reduceExamples, matMulExamples, fusedExamples}

func elementwiseExamples() []Example {
	unaries := []struct {
		name string
		f    func(x *engine.Node) *engine.Node
	}{
		{"scale", func(x *engine.Node) *engine.Node { return engine.Scale(x, -1.75) }},
		{"addconst", func(x *engine.Node) *engine.Node { return engine.AddConst(x, 1e-8) }},
		{"square", engine.Square},
		{"sqrt", engine.Sqrt},
		{"rsqrt", engine.Rsqrt},
		{"tanh", engine.Tanh},
		{"sigmoid", engine.Sigmoid},
		{"relu", engine.Relu},
		{"leakyrelu", func(x *engine.Node) *engine.Node { return engine.LeakyRelu(x, 0.2) }},
		{"step", engine.Step},
		{"leakymask", func(x *engine.Node) *engine.Node { return engine.LeakyMask(x, 0.2) }},
	}
	binaries := []struct {
		name string
		f    func(a, b *engine.Node) *engine.Node
	}{{"add", engine.Add}, {"sub", engine.Sub}, {"mul", engine.Mul}, {"div", engine.Div}}
	broadcasts := [][2]engine.Shape{
		{{1, 5, 1, 1}, {3, 5, 7, 9}},     // a bias over a batch of images
		{{64, 1, 1, 1}, {64, 3, 64, 64}}, // a per-sample scalar over images
		{{3, 1, 7, 1}, {3, 5, 7, 9}},     // alternating dimensions
		{{1, 512}, {16, 512}},            // a bias over rows
		{{1, 1}, {4, 6}},                 // a scalar
	}

	ex := []Example{
		{Name: "fill", Build: func(g *engine.Graph) *engine.Node { return engine.Fill(g, -2.5, 3, 3) }},
		{Name: "adam", Build: func(g *engine.Graph) *engine.Node {
			in := func(name string, n int) *engine.Node { return g.Input(name, n) }
			return engine.Adam(in("p", 1001), in("m", 1001), in("v", 1001), in("g", 1001), in("rate", 1), 0, 0.9, 1e-8)
		}},
		{Name: "store", Build: func(g *engine.Graph) *engine.Node {
			return engine.Store(g.Input("losses", 4), g.Input("loss", 1), 3)
		}},
		// The planner merges updates and stores (engine.NewPlan's
		// mergeEffects): two parameters of different sizes in one kernel,
		// three stores at consecutive offsets in one.
		{Name: "adam of two parameters", Build: func(g *engine.Graph) *engine.Node {
			in := func(name string, n int) *engine.Node { return g.Input(name, n) }
			rate := in("rate", 1)
			return mergedEffect(
				engine.Adam(in("p0", 1001), in("m0", 1001), in("v0", 1001), in("g0", 1001), rate, 0, 0.9, 1e-8),
				engine.Adam(in("p1", 37), in("m1", 37), in("v1", 37), in("g1", 37), rate, 0, 0.9, 1e-8))
		}},
		{Name: "stores merged", Build: func(g *engine.Graph) *engine.Node {
			dst := g.Input("losses", 8)
			return mergedEffect(engine.Store(dst, g.Input("a", 1), 2), engine.Store(dst, g.Input("b", 3), 3), engine.Store(dst, g.Input("c", 1), 6))
		}},
		{Name: "concat", Build: func(g *engine.Graph) *engine.Node {
			return engine.Concat(g.Input("a", 2, 3, 5), g.Input("b", 3, 3, 5))
		}},
		{Name: "concat of 9", Build: func(g *engine.Graph) *engine.Node {
			var xs []*engine.Node
			for k := range 9 {
				xs = append(xs, g.Input(fmt.Sprintf("x%d", k), k+1, 2))
			}
			return engine.Concat(xs...)
		}},
		{Name: "slice", Build: func(g *engine.Graph) *engine.Node {
			return engine.Slice(g.Input("x", 5, 3, 7), 2, 4)
		}},
	}
	for _, u := range unaries {
		ex = append(ex, Example{Name: "unary " + u.name, Build: func(g *engine.Graph) *engine.Node {
			return u.f(g.Input("x", 70001))
		}})
	}
	for _, b := range binaries {
		ex = append(ex, Example{Name: "binary " + b.name, Build: func(g *engine.Graph) *engine.Node {
			return b.f(g.Input("a", 1000), g.Input("b", 1000))
		}})
	}
	for _, s := range broadcasts {
		ex = append(ex, Example{Name: fmt.Sprintf("broadcast %v to %v", s[0], s[1]), Build: func(g *engine.Graph) *engine.Node {
			return engine.BroadcastTo(g.Input("x", s[0]...), s[1]...)
		}})
	}
	return ex
}

func reduceExamples() []Example {
	var ex []Example
	for _, s := range [][2]engine.Shape{
		{{16, 512}, {1, 512}},              // serial: few inputs per output
		{{3, 5, 7, 9}, {1, 5, 1, 1}},       // one workgroup per output
		{{64, 3, 64, 64}, {64, 1, 1, 1}},   // per sample: chunks, then serial
		{{64, 64, 32, 32}, {1, 64, 1, 1}},  // per channel over batch and pixels
		{{64, 64, 32, 32}, {1, 1, 1, 1}},   // everything: two passes of chunks
		{{64, 64, 32, 32}, {64, 64, 1, 1}}, // per image and channel
	} {
		ex = append(ex, Example{Name: fmt.Sprintf("sumto %v to %v", s[0], s[1]), Build: func(g *engine.Graph) *engine.Node {
			return engine.SumTo(g.Input("x", s[0]...), s[1]...)
		}})
	}
	return ex
}

func matMulExamples() []Example {
	var ex []Example
	for _, s := range [][3]int{{17, 100, 33}, {64, 100, 1024}, {2, 16, 256}} {
		for _, t := range [][2]bool{{false, false}, {true, false}, {false, true}, {true, true}} {
			m, k, n := s[0], s[1], s[2]
			ex = append(ex, Example{Name: fmt.Sprintf("matmul %dx%dx%d %t %t", m, k, n, t[0], t[1]), Build: func(g *engine.Graph) *engine.Node {
				as, bs := []int{m, k}, []int{k, n}
				if t[0] {
					as = []int{k, m}
				}
				if t[1] {
					bs = []int{n, k}
				}
				return engine.MatMul(g.Input("a", as...), g.Input("b", bs...), t[0], t[1])
			}})
		}
	}
	return withDirect(ex)
}

// mergedEffect is the one effect that the planner makes of effects.
func mergedEffect(effects ...*engine.Node) *engine.Node {
	p := engine.NewPlan(nil, effects)
	if len(p.Steps) != 1 {
		panic(fmt.Sprintf("shaders: effects %v plan as %v", effects, p.Steps))
	}
	return p.Steps[0]
}
