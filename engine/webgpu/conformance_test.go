package webgpu

import (
	"testing"

	"github.com/wgangp/wgangp/engine"
	"github.com/wgangp/wgangp/engine/backendtest"
)

// TestConformance runs the conformance suite (engine/backendtest) with each
// op its own kernel, as engine/cpu runs it; tests/ runs the fused plans.
func TestConformance(t *testing.T) {
	b := open(t)
	t.Log(b.Name())
	backendtest.RunAllWith(t, b, backendtest.Tolerance{Rel: 1e-4}, engine.PlanOptions{Unfused: true})
}
