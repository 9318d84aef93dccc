package engine_test

import (
	"testing"

	"github.com/wgangp/wgangp/engine"
)

func checkSlots(t *testing.T, p *engine.Plan) {
	t.Helper()
	if err := p.Verify(); err != nil {
		t.Fatal(err)
	}
}

func TestPlanReusesSlotsSafely(t *testing.T) {
	g := engine.NewGraph()
	x := g.Input("x", 2, 3, 32, 32)
	w1, w2 := g.Input("w1", 8, 3, 5, 5), g.Input("w2", 16, 8, 5, 5)
	pad := engine.Pads(1, 1, 2, 2)
	h := engine.LeakyRelu(engine.Conv2D(x, w1, 2, pad), 0.2)
	h = engine.Tanh(engine.Conv2D(h, w2, 2, pad))
	d := engine.Reshape(engine.Mean(h, 1, 2, 3), 2)
	gx := engine.Grad([]*engine.Node{d}, []*engine.Node{x}, nil)[0]
	pen := engine.MeanAll(engine.Square(gx))
	grads := engine.Grad([]*engine.Node{pen}, []*engine.Node{w1, w2}, nil)
	outs := append([]*engine.Node{pen, d}, grads...)
	p := engine.NewPlan(outs, nil)
	checkSlots(t, p)
	total := 0
	for _, n := range p.Steps {
		total += n.Shape().Size()
	}
	if p.Memory() >= total/2 {
		t.Errorf("plan holds %d elements for %d produced: slots are not reused", p.Memory(), total)
	}
	for _, n := range p.Steps {
		if _, ok := n.Op().(engine.InputOp); ok {
			t.Errorf("input %v planned as a step", n)
		}
	}
}

func TestPlanDropsDeadNodesAndRunsEffectsLast(t *testing.T) {
	g := engine.NewGraph()
	x, y := g.Input("x", 4), g.Input("y", 4)
	_ = engine.Tanh(y) // dead
	out := engine.Square(x)
	upd := engine.Adam(x, g.Input("m", 4), g.Input("v", 4), engine.Scale(out, 2), g.Input("r", 1), 0, 0.9, 1e-8)
	after := engine.Sqrt(out) // made after the effect, but must run before it
	p := engine.NewPlan([]*engine.Node{after}, []*engine.Node{upd})
	for _, n := range p.Steps {
		if n.Op().String() == "tanh" {
			t.Error("dead node planned")
		}
	}
	if last := p.Steps[len(p.Steps)-1]; last != upd {
		t.Errorf("last step is %v, want the Adam update", last)
	}
	checkSlots(t, p)
}
