package wgan

import (
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/wgangp/wgangp/engine/cpu"
)

// TestClose checks that closed steps and samplers refuse to run, with an
// error that says so, and that closing twice is harmless.
func TestClose(t *testing.T) {
	cfg := smallConfig()
	w0 := Init(cfg.Filters, cfg.Latent, rand.New(rand.NewPCG(1, 2)))
	s, err := NewSteps(cpu.New[float32](1), cfg, w0)
	if err != nil {
		t.Fatal(err)
	}
	smp, err := s.Sampler(2)
	if err != nil {
		t.Fatal(err)
	}
	img, z := make([]float32, 2*Channels*Size*Size), make([]float32, 2*cfg.Latent)
	if err := smp.Sample(img, z); err != nil {
		t.Fatal(err)
	}
	smp.Close()
	smp.Close()
	if err := smp.Sample(img, z); err == nil || !strings.Contains(err.Error(), "closed") {
		t.Errorf("sample after Close: %v", err)
	}
	// The steps' own buffers outlive their sampler.
	if _, err := s.Weights(); err != nil {
		t.Fatalf("weights after the sampler's Close: %v", err)
	}
	s.Close()
	s.Close()
	x := make([]float32, cfg.Batch*Channels*Size*Size)
	if _, err := s.DStep(x, make([]float32, cfg.Batch*cfg.Latent), make([]float32, cfg.Batch)); err == nil || !strings.Contains(err.Error(), "closed") {
		t.Errorf("D step after Close: %v", err)
	}
	if _, err := s.Weights(); err == nil || !strings.Contains(err.Error(), "closed") {
		t.Errorf("weights after Close: %v", err)
	}
}
