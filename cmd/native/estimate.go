package main

import (
	"fmt"
	"io"
	"math/rand/v2"
	"time"

	"github.com/wgangp/wgangp/cmd/wasm/message"
	"github.com/wgangp/wgangp/engine"
	"github.com/wgangp/wgangp/wgan"
)

// printEstimate prints, before training, the time per generator iteration
// of cfg's model measured on this backend and what n iterations take at
// that pace, in the page's words (message.Estimate): "estimate: ≈ 0.62 s
// per iteration here, 2,000 iterations ≈ 21 min". The timing is one or two
// critic steps and one generator step on random inputs, by a model of its own
// (WebGPU reuses the kernels the run compiled), freed after.
func printEstimate(w io.Writer, b engine.Backend, cfg wgan.Config, n int) {
	s, err := timeIteration(b, cfg)
	if err != nil {
		fmt.Fprintf(w, "estimate: not measured: %v\n", err)
		return
	}
	fmt.Fprintf(w, "estimate: %s\n", message.Estimate(s, n, ""))
}

// timeIteration is Critic × the time of a critic step (the second, if the
// first took under 1.5 s) + that of a generator step of cfg's model on b.
func timeIteration(b engine.Backend, cfg wgan.Config) (float64, error) {
	r := rand.New(rand.NewPCG(5, 6))
	steps, err := wgan.NewSteps(b, cfg, wgan.Init(cfg.Filters, cfg.Latent, r))
	if err != nil {
		return 0, err
	}
	defer steps.Close()
	in := wgan.NewStepInputs(cfg).Random(r)
	var d time.Duration
	for i := 0; i < 2 && (i == 0 || d < 1500*time.Millisecond); i++ { // a short first step again, warm (the page's rule)
		t0 := time.Now()
		if err := steps.TrainD(in.X, in.Z, in.Eps); err != nil {
			return 0, err
		}
		if _, err := steps.ReadDLosses(); err != nil { // waits for the device
			return 0, err
		}
		d = time.Since(t0)
	}
	t0 := time.Now()
	if _, err := steps.GStep(in.Z); err != nil {
		return 0, err
	}
	return float64(cfg.Critic)*d.Seconds() + time.Since(t0).Seconds(), nil
}
