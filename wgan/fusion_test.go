package wgan

import (
	"math/rand/v2"
	"testing"

	"github.com/wgangp/wgangp/engine"
	"github.com/wgangp/wgangp/engine/backendtest"
	"github.com/wgangp/wgangp/engine/cpu"
)

// TestFusedStepsMatchUnfused evaluates the losses and every gradient of the
// D step and the G step (forward, backward and the penalty's double
// backward) in float64 on the CPU, planned fused, fused with recomputation
// and unfused, from the same random weights and inputs.
func TestFusedStepsMatchUnfused(t *testing.T) {
	const f, z, n = 4, 10, 3
	l := BuildLosses(Config{Filters: f, Latent: z, Batch: n, Lambda: 10})
	r := rand.New(rand.NewPCG(3, 4))
	feeds := map[*engine.Node][]float64{}
	for _, in := range append(append([]*engine.Node{l.X, l.Z, l.Eps}, l.GenParams...), l.DiscParams...) {
		lo, hi := -0.5, 0.5
		if in == l.Eps {
			lo, hi = 0, 1
		}
		feeds[in] = backendtest.Random(r, in.Shape().Size(), lo, hi)
	}
	b := cpu.New[float64](2)
	steps := map[string][]*engine.Node{
		"D": append([]*engine.Node{l.LossD, l.LossDUnreg, l.Penalty}, l.GradD...),
		"G": append([]*engine.Node{l.LossG}, l.GradG...),
	}
	for name, outs := range steps {
		want, err := engine.EvaluateWith(b, outs, feeds, engine.PlanOptions{Unfused: true})
		if err != nil {
			t.Fatal(err)
		}
		for _, opts := range []engine.PlanOptions{{}, {Recompute: 4}, {Recompute: 4, CoreEpilogue: true}} {
			plan := engine.NewPlanWith(outs, nil, opts)
			fused := 0
			for _, s := range plan.Steps {
				if _, ok := s.Op().(engine.FusedOp); ok {
					fused++
				}
			}
			if fused < 10 {
				t.Errorf("%s step %+v: %d fused steps", name, opts, fused)
			}
			got, err := engine.EvaluateWith(b, outs, feeds, opts)
			if err != nil {
				t.Fatal(err)
			}
			for i := range outs {
				if err := backendtest.Compare(got[i], want[i], backendtest.Tolerance{Rel: 1e-12}); err != nil {
					t.Errorf("%s step %+v, output %d %v: %v", name, opts, i, outs[i].Shape(), err)
				}
			}
		}
	}
}
