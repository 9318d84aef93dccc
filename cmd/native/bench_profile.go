package main

import (
	"cmp"
	"fmt"
	"io"
	"slices"
	"strings"
	"time"

	"github.com/wgangp/wgangp/engine"
	"github.com/wgangp/wgangp/wgan"
)

// stepProfile adds up the wall time of every step of the D and G programs
// over the timed iterations (bench --profile): by kind of step and by step.
type stepProfile struct {
	progs  [2]engine.Profiler
	critic int
	byStep map[profiledStep]time.Duration
}

// profiledStep is a step of one of the programs (the D and G steps share
// nodes: the graph is one).
type profiledStep struct {
	prog string // "D" or "G"
	n    *engine.Node
}

func newStepProfile(s *wgan.Steps, critic int) (*stepProfile, error) {
	d, g := s.Programs()
	pd, okd := d.(engine.Profiler)
	pg, okg := g.(engine.Profiler)
	if !okd || !okg {
		return nil, fmt.Errorf("--profile: this backend's programs cannot time their steps")
	}
	return &stepProfile{progs: [2]engine.Profiler{pd, pg}, critic: critic,
		byStep: map[profiledStep]time.Duration{}}, nil
}

// start begins counting (after the warm-up).
func (p *stepProfile) start() {
	for i, pr := range p.progs {
		name := [2]string{"D", "G"}[i]
		pr.SetProfile(func(n *engine.Node, d time.Duration) { p.byStep[profiledStep{name, n}] += d })
	}
}

// stepKind is the kind of a step for the summary: the contraction and its
// operand shapes, or what a fused group does.
func stepKind(n *engine.Node) string {
	shapes := func() string {
		var s []string
		for _, in := range n.Inputs()[:2] {
			s = append(s, in.Shape().String())
		}
		return strings.Join(s, " ")
	}
	switch op := n.Op().(type) {
	case engine.FusedOp:
		switch {
		case op.Core != nil:
			return fmt.Sprintf("%s + epilogue %s", strings.Fields(op.Core.String())[0], shapes())
		case op.Reduce:
			return "fused reduction"
		}
		return "fused elementwise"
	case engine.Conv2DOp, engine.ConvTransposeOp, engine.ConvFilterOp, engine.MatMulOp:
		return fmt.Sprintf("%s %s", strings.Fields(op.String())[0], shapes())
	}
	return strings.Fields(n.Op().String())[0]
}

// print writes milliseconds per generator iteration: each kind's total and
// count, then the top slowest steps.
func (p *stepProfile) print(w io.Writer, iters, top int) {
	for _, pr := range p.progs {
		pr.SetProfile(nil)
	}
	type row struct {
		name string
		t    time.Duration
		n    int
	}
	kinds := map[string]*row{}
	var steps []row
	var total time.Duration
	for st, t := range p.byStep {
		k := stepKind(st.n)
		if kinds[k] == nil {
			kinds[k] = &row{name: k}
		}
		kinds[k].t += t
		kinds[k].n++
		total += t
		steps = append(steps, row{name: st.prog + " " + st.n.String(), t: t})
	}
	var rows []row
	for _, r := range kinds {
		rows = append(rows, *r)
	}
	byTime := func(a, b row) int { return cmp.Compare(b.t, a.t) }
	slices.SortFunc(rows, byTime)
	slices.SortFunc(steps, byTime)
	ms := func(t time.Duration) float64 { return t.Seconds() * 1e3 / float64(iters) }
	fmt.Fprintf(w, "profile: %.1f ms of steps per generator iteration (D steps counted %d times)\n", ms(total), p.critic)
	for _, r := range rows {
		fmt.Fprintf(w, "  %7.1f ms %5.1f %%  %3d steps  %s\n", ms(r.t), 100*r.t.Seconds()/total.Seconds(), r.n, r.name)
	}
	fmt.Fprintf(w, "the %d slowest steps:\n", min(top, len(steps)))
	for _, r := range steps[:min(top, len(steps))] {
		name := r.name
		if len(name) > 160 {
			name = name[:157] + "..."
		}
		fmt.Fprintf(w, "  %7.2f ms  %s\n", ms(r.t), name)
	}
}
