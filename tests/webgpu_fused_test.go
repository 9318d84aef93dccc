package tests

import (
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/wgangp/wgangp/engine"
	"github.com/wgangp/wgangp/engine/backendtest"
	"github.com/wgangp/wgangp/shaders"
)

// fusedRandomCases is how many of the suite's random DAGs TestWebGPUFused
// runs: lavapipe is slow, and each case compiles its own kernels.
const fusedRandomCases = 40

// TestWebGPUFused runs, fused, the suite's random DAGs of elementwise ops,
// broadcasts, reshapes and sums (groups of every shape: broadcast loads,
// reductions with a prologue and an epilogue, values cut where they are
// outputs) and its sums and broadcasts, against the reference: planned with
// the default options (engine.PlanOptions{}, given explicitly) and with the
// backend's own (which recompute shared values in several groups).
func TestWebGPUFused(t *testing.T) {
	b := openWebGPU(t)
	if b.PlanOptions().Unfused {
		t.Fatal("the backend plans unfused")
	}
	for _, p := range []struct {
		name string
		opts engine.PlanOptions
	}{{"default", engine.PlanOptions{}}, {"backend", b.PlanOptions()}} {
		t.Run(p.name, func(t *testing.T) { runFused(t, b, p.opts, fusedCases()) })
	}
}

// fusedCases are the cases of TestWebGPUFused.
func fusedCases() []backendtest.Case {
	var cases []backendtest.Case
	for _, c := range backendtest.Cases() {
		if strings.HasPrefix(c.Name, "sumto") || strings.HasPrefix(c.Name, "broadcast") || c.Name == "fill+reshape" {
			cases = append(cases, c)
		}
	}
	return append(cases, backendtest.RandomCases(fusedRandomCases)...)
}

func runFused(t *testing.T, b engine.Backend, opts engine.PlanOptions, cases []backendtest.Case) {
	tol := backendtest.Tolerance{Rel: 1e-4}
	for _, c := range cases {
		t.Run(c.Name, func(t *testing.T) { backendtest.CheckWith(t, b, tol, c, opts) })
	}
}

// TestWebGPUCoreEpilogue runs the suite's contractions followed by
// elementwise ops, planned with CoreEpilogue: the bias, activation or mask
// after a convolution or matrix product stored by the contraction's kernel
// (direct, split in depth, by phases, by columns). (Without such ops the
// plan and its kernels are those of engine/webgpu's TestConformance.)
func TestWebGPUCoreEpilogue(t *testing.T) {
	b := openWebGPU(t)
	opts := b.PlanOptions()
	opts.CoreEpilogue = true
	var cases []backendtest.Case
	for _, c := range backendtest.Cases() {
		if strings.Contains(c.Name, "epilogue") {
			cases = append(cases, c)
		}
	}
	runFused(t, b, opts, cases)
}

// TestWebGPUFusedLargeDispatch runs a fused map and a fused reduction of
// more workgroups than one dispatch dimension holds (65535), so that they
// spread over two.
func TestWebGPUFusedLargeDispatch(t *testing.T) {
	b := openWebGPU(t)
	tol := backendtest.Tolerance{Rel: 1e-4}
	cases := []backendtest.Case{
		{Name: "map", Build: func(g *engine.Graph, r *rand.Rand) ([]*engine.Node, map[*engine.Node][]float64) {
			n := 65535*256 + 300
			x, s := g.Input("x", n), g.Input("s", 1)
			f := map[*engine.Node][]float64{x: backendtest.Random(r, n, -1, 1), s: {0.25}}
			return []*engine.Node{engine.LeakyRelu(engine.Add(engine.Scale(x, 2), s), 0.2)}, f
		}},
		{Name: "reduction", Build: func(g *engine.Graph, r *rand.Rand) ([]*engine.Node, map[*engine.Node][]float64) {
			x := g.Input("x", 66000, 260) // 66000 workgroups of one output each
			f := map[*engine.Node][]float64{x: backendtest.Random(r, 66000*260, -1, 1)}
			return []*engine.Node{engine.SumTo(engine.Square(engine.Scale(x, 2)), 66000, 1)}, f
		}},
	}
	for _, c := range cases {
		t.Run(c.Name, func(t *testing.T) {
			// The plan is one fused kernel, dispatched in two dimensions.
			outs, _ := c.Build(engine.NewGraph(), rand.New(rand.NewPCG(1, 1)))
			p := engine.NewPlanWith(outs, nil, engine.PlanOptions{})
			if len(p.Steps) != 1 {
				t.Fatalf("%d steps", len(p.Steps))
			}
			op, err := shaders.Compile(p.Steps[0])
			if err != nil {
				t.Fatal(err)
			}
			if k := op.Dispatches[0].Kernel; !strings.HasPrefix(k.Name, "fused_") || k.Workgroups[1] < 2 {
				t.Fatalf("kernel %s dispatched as %v", k.Name, k.Workgroups)
			}
			backendtest.CheckWith(t, b, tol, c, engine.PlanOptions{})
		})
	}
}

// TestWebGPUStore checks the store effect (values gathered into one buffer
// for one read) beside an Adam update, as the training steps use it.
func TestWebGPUStore(t *testing.T) {
	backendtest.CheckStore(t, openWebGPU(t), engine.PlanOptions{})
}
