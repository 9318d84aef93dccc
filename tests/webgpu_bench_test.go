package tests

import (
	"fmt"
	"math/rand/v2"
	"testing"

	"github.com/wgangp/wgangp/engine"
	"github.com/wgangp/wgangp/engine/backendtest"
	"github.com/wgangp/wgangp/engine/webgpu"
)

// benchOp times one op on random inputs: Runs back to back, then a read
// that waits for them; flops is the work of one run.
func benchOp(b *testing.B, be engine.Backend, out *engine.Node, flops float64) {
	p := engine.NewPlan([]*engine.Node{out}, nil)
	bind := map[*engine.Node]engine.Buffer{}
	r := rand.New(rand.NewPCG(1, 2))
	for _, in := range p.Inputs {
		buf, err := be.NewBuffer(in.Shape().Size())
		if err != nil {
			b.Fatal(err)
		}
		if err := buf.WriteFloat64(backendtest.Random(r, in.Shape().Size(), -1, 1)); err != nil {
			b.Fatal(err)
		}
		bind[in] = buf
	}
	prog, err := be.Compile(p, bind)
	if err != nil {
		b.Fatal(err)
	}
	dst := make([]float32, out.Shape().Size())
	run := func(n int) {
		for range n {
			if err := prog.Run(); err != nil {
				b.Fatal(err)
			}
		}
		if err := prog.Output(0).Read(dst); err != nil {
			b.Fatal(err)
		}
	}
	run(1) // compile and warm up
	b.ResetTimer()
	run(b.N)
	b.ReportMetric(flops*float64(b.N)/b.Elapsed().Seconds()/1e9, "GFLOP/s")
}

func openBench(b *testing.B) *webgpu.Backend {
	be, err := webgpu.Open(webgpu.Options{})
	if err != nil {
		b.Skip(err)
	}
	b.Cleanup(func() { be.Close() })
	return be
}

func BenchmarkWebGPUMatMul(b *testing.B) {
	be := openBench(b)
	for _, s := range [][3]int{{256, 256, 256}, {64, 128, 1024}, {512, 512, 512}} {
		for _, t := range [][2]bool{{false, false}, {true, false}, {false, true}} {
			m, k, n := s[0], s[1], s[2]
			b.Run(fmt.Sprintf("%dx%dx%d/%t%t", m, k, n, t[0], t[1]), func(b *testing.B) {
				g := engine.NewGraph()
				as, bs := []int{m, k}, []int{k, n}
				if t[0] {
					as = []int{k, m}
				}
				if t[1] {
					bs = []int{n, k}
				}
				out := engine.MatMul(g.Input("a", as...), g.Input("b", bs...), t[0], t[1])
				benchOp(b, be, out, 2*float64(m*k*n))
			})
		}
	}
}

func BenchmarkWebGPUSumTo(b *testing.B) {
	be := openBench(b)
	for _, s := range [][2]engine.Shape{
		{{64, 64, 32, 32}, {1, 64, 1, 1}},
		{{64, 64, 32, 32}, {1, 1, 1, 1}},
		{{64, 64, 32, 32}, {64, 1, 1, 1}},
		{{64, 64, 32, 32}, {64, 64, 1, 1}},
		{{64, 512}, {1, 512}},
	} {
		b.Run(fmt.Sprintf("%v%v", s[0], s[1]), func(b *testing.B) {
			g := engine.NewGraph()
			out := engine.SumTo(g.Input("x", s[0]...), s[1]...)
			benchOp(b, be, out, float64(s[0].Size()))
		})
	}
}
