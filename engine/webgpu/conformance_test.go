package webgpu

import (
	"testing"

	"github.com/wgangp/wgangp/engine"
	"github.com/wgangp/wgangp/engine/backendtest"
)

// TestConformance runs the conformance suite (engine/backendtest) with each
// op its own kernel, as engine/cpu runs it; tests/ runs the fused plans.
// It runs once with each kernel choice: the tiled GEMM kernels (a GPU's)
// and the direct ones (a software adapter's), whatever the adapter.
func TestConformance(t *testing.T) {
	for _, kernels := range []string{KernelsTiled, KernelsDirect} {
		t.Run(kernels, func(t *testing.T) {
			b := openWith(t, kernels)
			t.Log(b.Name())
			backendtest.RunAllWith(t, b, backendtest.Tolerance{Rel: 1e-4}, engine.PlanOptions{Unfused: true})
		})
	}
}
