package tests

import (
	"strings"
	"testing"

	"github.com/wgangp/wgangp/engine"
	"github.com/wgangp/wgangp/engine/backendtest"
)

// fusedRandomCases is how many of the suite's random DAGs TestWebGPUFused
// runs: lavapipe is slow, and each case compiles its own kernels.
const fusedRandomCases = 40

// TestWebGPUFused runs, fused, the suite's random DAGs of elementwise ops,
// broadcasts, reshapes and sums (groups of every shape: broadcast loads,
// reductions with a prologue, values cut where they are outputs) and its
// sums and broadcasts, against the reference: planned with the default
// options (engine.PlanOptions{}, given explicitly) and with the backend's
// own (which recompute shared values in several groups).
func TestWebGPUFused(t *testing.T) {
	b := openWebGPU(t)
	if b.PlanOptions().Unfused {
		t.Fatal("the backend plans unfused")
	}
	for _, p := range []struct {
		name string
		opts engine.PlanOptions
	}{{"default", engine.PlanOptions{}}, {"backend", b.PlanOptions()}} {
		t.Run(p.name, func(t *testing.T) { runFused(t, b, p.opts) })
	}
}

func runFused(t *testing.T, b engine.Backend, fused engine.PlanOptions) {
	tol := backendtest.Tolerance{Rel: 1e-4}
	var cases []backendtest.Case
	for _, c := range backendtest.Cases() {
		if strings.HasPrefix(c.Name, "sumto") || strings.HasPrefix(c.Name, "broadcast") || c.Name == "fill+reshape" {
			cases = append(cases, c)
		}
	}
	for _, c := range append(cases, backendtest.RandomCases(fusedRandomCases)...) {
		t.Run(c.Name, func(t *testing.T) { backendtest.CheckWith(t, b, tol, c, fused) })
	}
}
