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

// TestFusionMergesEffects: Adam updates of one rate merge two parameters at
// a time, stores at consecutive offsets into one buffer merge, and nothing
// else does; unfused, every effect is its own step.
func TestFusionMergesEffects(t *testing.T) {
	g := engine.NewGraph()
	rate, other := g.Input("rate", 1), g.Input("other rate", 1)
	var effects []*engine.Node
	for k, n := range []int{7, 3, 5, 2, 9} {
		in := func(name string) *engine.Node { return g.Input(fmt.Sprintf("%s%d", name, k), n) }
		r := rate
		if k == 4 {
			r = other
		}
		effects = append(effects, engine.Adam(in("p"), in("m"), in("v"), in("g"), r, 0, 0.9, 1e-8))
	}
	dst, dst2 := g.Input("losses", 8), g.Input("more", 4)
	a, b, c := g.Input("a", 1), g.Input("b", 2), g.Input("c", 1)
	effects = append(effects,
		engine.Store(dst, a, 0), engine.Store(dst, b, 1), engine.Store(dst, c, 3), // one store
		engine.Store(dst, a, 5),  // not at 4: its own
		engine.Store(dst2, a, 0)) // another buffer
	count := func(p *engine.Plan) (adams, params, stores int) {
		for _, n := range p.Steps {
			switch op := n.Op().(type) {
			case engine.AdamOp:
				adams++
				params += op.Params(n)
			case engine.StoreOp:
				stores++
			}
		}
		return
	}
	adams, params, stores := count(engine.NewPlan(nil, effects))
	// 7 and 3 together, 5 and 2 together, 9 alone (its own rate).
	if adams != 3 || params != 5 || stores != 3 {
		t.Errorf("fused: %d updates of %d parameters and %d stores, want 3 of 5 and 3", adams, params, stores)
	}
	adams, params, stores = count(engine.NewPlanWith(nil, effects, engine.PlanOptions{Unfused: true}))
	if adams != 5 || params != 5 || stores != 5 {
		t.Errorf("unfused: %d updates of %d parameters and %d stores, want 5 of 5 and 5", adams, params, stores)
	}
}

// TestFusionFoldsConstants: an elementwise function of constants is a
// literal of the group that reads it (no step computes it), and a sum's
// epilogue may end in another shape of the sum's size (through reshapes).
func TestFusionFoldsConstants(t *testing.T) {
	g := engine.NewGraph()
	x := g.Input("x", 4, 3)
	seed := engine.Scale(engine.Scale(engine.Fill(g, 1, 1, 1), 10), 0.25) // 2.5
	y := engine.Mul(x, engine.BroadcastTo(seed, 4, 3))
	s := engine.Scale(engine.Reshape(engine.SumTo(engine.Square(x), 1, 1), 1), 3)
	p := engine.NewPlan([]*engine.Node{y, s}, nil)
	var fused []engine.FusedOp
	for _, n := range p.Steps {
		switch op := n.Op().(type) {
		case engine.FusedOp:
			fused = append(fused, op)
		case engine.ReshapeOp:
		default:
			t.Errorf("step %v: want only fused groups and reshapes", n)
		}
	}
	if len(fused) != 2 {
		t.Fatalf("%d fused steps, want 2: %v", len(fused), p.Steps)
	}
	found := false
	for _, in := range fused[0].Code {
		found = found || in.Kind == engine.FusedConst && in.Value == 2.5
	}
	if len(fused[0].Loads) != 1 || !found {
		t.Errorf("x·2.5 is %v, want one load and the literal 2.5", fused[0])
	}
	if !fused[1].Reduce || len(fused[1].Epilogue) == 0 || !fused[1].Out.Equal(engine.Shape{1, 1}) {
		t.Errorf("3·Σx² is %v, want a sum [1 1] with the scale as its epilogue", fused[1])
	}
	if !p.Outputs[1].Shape().Equal(engine.Shape{1}) {
		t.Errorf("3·Σx² has shape %v, want [1]", p.Outputs[1].Shape())
	}
}
