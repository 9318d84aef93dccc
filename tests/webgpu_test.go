package tests

import (
	"errors"
	"math/rand/v2"
	"os"
	"testing"

	"github.com/wgangp/wgangp/engine"
	"github.com/wgangp/wgangp/engine/backendtest"
	"github.com/wgangp/wgangp/engine/webgpu"
	"github.com/wgangp/wgangp/shaders"
)

// openWebGPU opens a WebGPU backend that poisons its buffers with NaN
// before each run, on the adapter WGANGP_TEST_ADAPTER names (auto, gpu or
// software; auto when unset: a real GPU if there is one, else the software
// adapter). Without an adapter the test is skipped, except under CI=true or
// with WGANGP_TEST_ADAPTER set, where that is a failure.
func openWebGPU(t *testing.T) *webgpu.Backend {
	t.Helper()
	adapter := os.Getenv("WGANGP_TEST_ADAPTER")
	b, err := webgpu.Open(webgpu.Options{PoisonNaN: true, Adapter: adapter})
	if err != nil {
		if errors.Is(err, webgpu.ErrNoAdapter) && os.Getenv("CI") != "true" && adapter == "" {
			t.Skip(err)
		}
		t.Fatal(err)
	}
	t.Cleanup(func() { b.Close() })
	t.Log(b.Name())
	return b
}

// TestWebGPUExampleKernels builds the pipeline of every kernel of the
// shaders package's examples (every WGSL it emits compiles on this device)
// and runs each example against the reference on random inputs.
func TestWebGPUExampleKernels(t *testing.T) {
	b := openWebGPU(t)
	for _, e := range shaders.Examples() {
		t.Run(e.Name, func(t *testing.T) {
			g := engine.NewGraph()
			n := e.Build(g)
			op, err := shaders.CompileWith(n, e.Kernels)
			if err != nil {
				t.Fatal(err)
			}
			for _, d := range op.Dispatches {
				if err := b.CompileKernel(d.Kernel); err != nil {
					t.Fatal(err)
				}
			}
			if _, effect := n.Op().(engine.Effect); effect {
				return // the Adam update is checked by the conformance suite
			}
			inputs, opts := n.Inputs(), engine.PlanOptions{Unfused: true}
			if e.Unfused != nil {
				// A fused kernel: run the ops it stands for, fused (the plan is
				// that kernel), against the reference of the ops.
				n = e.Unfused(engine.NewGraph())
				inputs, opts = engine.NewPlanWith([]*engine.Node{n}, nil, e.Options).Inputs, e.Options
			}
			r := rand.New(rand.NewPCG(5, 6))
			feeds := map[*engine.Node][]float64{}
			for _, in := range inputs {
				feeds[in] = backendtest.Random(r, in.Shape().Size(), 0.1, 2)
			}
			got, err := engine.EvaluateWith(b, []*engine.Node{n}, feeds, opts)
			if err != nil {
				t.Fatal(err)
			}
			want := backendtest.Reference([]*engine.Node{n}, feeds)
			if err := backendtest.Compare(got[0], want[0], backendtest.Tolerance{Rel: 1e-4}); err != nil {
				t.Error(err)
			}
		})
	}
}

// TestWebGPULargeDispatch runs an elementwise kernel of more workgroups
// than one dispatch dimension holds (65535), so that it spreads over two.
func TestWebGPULargeDispatch(t *testing.T) {
	b := openWebGPU(t)
	n := 65535*256 + 300
	g := engine.NewGraph()
	x := g.Input("x", n)
	y := engine.Scale(x, 2)
	in, err := b.NewBuffer(n)
	if err != nil {
		t.Fatal(err)
	}
	src := make([]float32, n)
	for i := range src {
		src[i] = float32(i%1000) + 1
	}
	if err := in.Write(src); err != nil {
		t.Fatal(err)
	}
	prog, err := b.Compile(engine.NewPlan([]*engine.Node{y}, nil), map[*engine.Node]engine.Buffer{x: in})
	if err != nil {
		t.Fatal(err)
	}
	if err := prog.Run(); err != nil {
		t.Fatal(err)
	}
	dst := make([]float32, n)
	if err := prog.Output(0).Read(dst); err != nil {
		t.Fatal(err)
	}
	for i := range dst {
		if dst[i] != 2*src[i] {
			t.Fatalf("y[%d] = %g, want %g", i, dst[i], 2*src[i])
		}
	}
}
