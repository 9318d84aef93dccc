package cpu_test

import (
	"math/rand/v2"
	"testing"

	"github.com/wgangp/wgangp/engine"
	"github.com/wgangp/wgangp/engine/backendtest"
	"github.com/wgangp/wgangp/engine/cpu"
)

func TestConformanceFloat64(t *testing.T) {
	backendtest.RunAll(t, cpu.New[float64](0), backendtest.Tolerance{Rel: 1e-12})
}

func TestConformanceFloat32(t *testing.T) {
	backendtest.RunAll(t, cpu.New[float32](0), backendtest.Tolerance{Rel: 1e-5})
}

func TestConformanceOneThread(t *testing.T) {
	backendtest.RunAll(t, cpu.New[float32](1), backendtest.Tolerance{Rel: 1e-5})
}

// TestRunDoesNotAllocate runs a compiled program of every kind of kernel
// and checks that a run allocates nothing.
func TestRunDoesNotAllocate(t *testing.T) {
	b := cpu.New[float32](2)
	g := engine.NewGraph()
	x, w := g.Input("x", 2, 3, 16, 16), g.Input("w", 4, 3, 5, 5)
	m := g.Input("m", 4, 3, 5, 5)
	y := engine.Tanh(engine.LeakyRelu(engine.Add(engine.Conv2D(x, w, 2, engine.Pads(1, 1, 2, 2)), engine.Fill(g, 0.1, 1, 4, 1, 1)), 0.2))
	loss := engine.MeanAll(engine.Square(y))
	dw := engine.Grad([]*engine.Node{loss}, []*engine.Node{w}, nil)[0]
	up := engine.Adam(w, m, g.Input("v", 4, 3, 5, 5), dw, g.Input("rate", 1), 0, 0.9, 1e-8)
	p := engine.NewPlan([]*engine.Node{loss}, []*engine.Node{up})
	bind := map[*engine.Node]engine.Buffer{}
	r := rand.New(rand.NewPCG(1, 1))
	for _, in := range p.Inputs {
		buf, _ := b.NewBuffer(in.Shape().Size())
		_ = buf.WriteFloat64(backendtest.Random(r, buf.Len(), 0, 1))
		bind[in] = buf
	}
	prog, err := b.Compile(p, bind)
	if err != nil {
		t.Fatal(err)
	}
	if a := testing.AllocsPerRun(5, func() { _ = prog.Run() }); a != 0 {
		t.Errorf("a run allocates %v times", a)
	}
}

func TestCompileRejectsBadBindings(t *testing.T) {
	b := cpu.New[float32](1)
	g := engine.NewGraph()
	x := g.Input("x", 3)
	p := engine.NewPlan([]*engine.Node{engine.Square(x)}, nil)
	if _, err := b.Compile(p, nil); err == nil {
		t.Error("compiled with no buffer for x")
	}
	small, _ := b.NewBuffer(2)
	if _, err := b.Compile(p, map[*engine.Node]engine.Buffer{x: small}); err == nil {
		t.Error("compiled with a buffer of the wrong size")
	}
	other, _ := cpu.New[float64](1).NewBuffer(3)
	if _, err := b.Compile(p, map[*engine.Node]engine.Buffer{x: other}); err == nil {
		t.Error("compiled with a float64 buffer on a float32 backend")
	}
}
