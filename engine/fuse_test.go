package engine_test

import (
	"fmt"
	"math/rand/v2"
	"testing"

	"github.com/wgangp/wgangp/engine"
	"github.com/wgangp/wgangp/engine/backendtest"
	"github.com/wgangp/wgangp/wgan"
)

// elementwise reports whether a step is a pass over memory that a fused
// group could take in: a lone unary or binary op, a broadcast or a fused
// group without a reduction.
func elementwise(n *engine.Node) bool {
	switch op := n.Op().(type) {
	case engine.UnaryOp, engine.BinaryOp, engine.BroadcastOp:
		return true
	case engine.FusedOp:
		return !op.Reduce
	}
	return false
}

// checkMaximal fails if the plan runs an elementwise step whose value only
// one other step reads, that reader elementwise too (or a reduction that
// could take it as its prologue), and the value not an output: nothing
// forbids fusing those two, so the pass must have. It also fails on a
// broadcast read only by fused groups (they read it in place).
func checkMaximal(t *testing.T, name string, p *engine.Plan) {
	t.Helper()
	for _, e := range unfusedPairs(p) {
		t.Errorf("%s: %s", name, e)
	}
}

func unfusedPairs(p *engine.Plan) []string {
	var errs []string
	storage := func(n *engine.Node) *engine.Node {
		for {
			if _, ok := n.Op().(engine.ReshapeOp); !ok {
				return n
			}
			n = n.Input(0)
		}
	}
	readers := map[*engine.Node][]*engine.Node{}
	for _, s := range p.Steps {
		if _, ok := s.Op().(engine.ReshapeOp); ok {
			continue
		}
		for _, in := range s.Inputs() {
			readers[storage(in)] = append(readers[storage(in)], s)
		}
	}
	output := map[*engine.Node]bool{}
	for _, o := range p.Outputs {
		output[storage(o)] = true
	}
	for _, s := range p.Steps {
		if !elementwise(s) || output[s] {
			continue
		}
		rs := readers[s]
		if _, ok := s.Op().(engine.BroadcastOp); ok {
			fusedOnly := len(rs) > 0
			for _, r := range rs {
				_, f := r.Op().(engine.FusedOp)
				fusedOnly = fusedOnly && f
			}
			if fusedOnly {
				errs = append(errs, fmt.Sprintf("%v is stored although only fused groups read it", s))
			}
			continue
		}
		if len(rs) != 1 {
			continue
		}
		r := rs[0]
		same := r.Shape().Size() == s.Shape().Size()
		switch op := r.Op().(type) {
		case engine.UnaryOp, engine.BinaryOp:
		case engine.FusedOp:
			same = op.Space.Size() == s.Shape().Size()
		case engine.SumToOp:
			same = r.Input(0).Shape().Size() == s.Shape().Size()
		default:
			continue
		}
		// The inputs the merged group would have, within the planner's bound
		// (one fewer for a reduction with an epilogue).
		merged := map[*engine.Node]bool{}
		for _, in := range append(append([]*engine.Node{}, r.Inputs()...), s.Inputs()...) {
			if storage(in) != s {
				merged[storage(in)] = true
			}
		}
		limit := 7
		if op, ok := r.Op().(engine.FusedOp); ok && op.Epilogue != nil {
			limit = 6
		}
		if same && len(merged) <= limit {
			errs = append(errs, fmt.Sprintf("%v and its only reader %v are left unfused", s, r))
		}
	}
	return errs
}

func TestFusionIsMaximal(t *testing.T) {
	l := wgan.BuildLosses(wgan.Config{Filters: 4, Latent: 10, Batch: 3, Lambda: 10})
	d := append([]*engine.Node{l.LossD, l.LossDUnreg, l.Penalty}, l.GradD...)
	g := append([]*engine.Node{l.LossG}, l.GradG...)
	for _, opts := range []engine.PlanOptions{{}, {Recompute: 4}} {
		checkMaximal(t, "D step", engine.NewPlanWith(d, nil, opts))
		checkMaximal(t, "G step", engine.NewPlanWith(g, nil, opts))
	}
	// The check itself finds the pairs an unfused plan leaves.
	if errs := unfusedPairs(engine.NewPlanWith(d, nil, engine.PlanOptions{Unfused: true})); len(errs) < 100 {
		t.Errorf("the unfused D step has %d fusable pairs, expected hundreds", len(errs))
	}
	for _, c := range backendtest.RandomCases(40) {
		gr := engine.NewGraph()
		outs, _ := c.Build(gr, rand.New(rand.NewPCG(1, 1)))
		checkMaximal(t, c.Name, engine.NewPlan(outs, nil))
	}
}

func TestFusionCutsStepsAndMemory(t *testing.T) {
	l := wgan.BuildLosses(wgan.Config{Filters: 4, Latent: 10, Batch: 3, Lambda: 10})
	outs := append([]*engine.Node{l.LossD, l.LossDUnreg, l.Penalty}, l.GradD...)
	unfused := engine.NewPlanWith(outs, nil, engine.PlanOptions{Unfused: true})
	fused := engine.NewPlanWith(outs, nil, engine.PlanOptions{})
	if err := fused.Verify(); err != nil {
		t.Fatal(err)
	}
	if len(fused.Steps)*2 > len(unfused.Steps) {
		t.Errorf("fused D step has %d steps, unfused %d: less than halved", len(fused.Steps), len(unfused.Steps))
	}
	if fused.Memory() >= unfused.Memory() {
		t.Errorf("fused D step holds %d elements, unfused %d", fused.Memory(), unfused.Memory())
	}
	// The outputs the caller asked for keep their order and shapes.
	for i, o := range fused.Outputs {
		if !o.Shape().Equal(outs[i].Shape()) {
			t.Errorf("output %d: %v, asked %v", i, o, outs[i])
		}
	}
}
