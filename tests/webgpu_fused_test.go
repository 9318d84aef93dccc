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

// TestWebGPUFused runs, with fusion (engine.PlanOptions{}), the suite's
// random DAGs of elementwise ops, broadcasts, reshapes and sums (groups of
// every shape: broadcast loads, reductions with a prologue, values cut
// where they are outputs) and its sums and broadcasts, against the
// reference.
func TestWebGPUFused(t *testing.T) {
	b := openWebGPU(t)
	tol := backendtest.Tolerance{Rel: 1e-4}
	fused := engine.PlanOptions{}
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
