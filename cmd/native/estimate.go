package main

import (
	"fmt"
	"io"

	"github.com/wgangp/wgangp/engine"
	"github.com/wgangp/wgangp/wgan"
	"github.com/wgangp/wgangp/wgan/train"
)

// printEstimate prints, before training, the time per generator iteration
// of cfg's model measured on this backend (train.TimeIteration) and what n
// iterations take at that pace, in the page's words (train.Estimate):
// "estimate: ≈ 0.62 s per iteration here, 2,000 iterations ≈ 21 min".
func printEstimate(w io.Writer, b engine.Backend, cfg wgan.Config, n int) {
	s, err := train.TimeIteration(b, cfg, nil)
	if err != nil {
		fmt.Fprintf(w, "estimate: not measured: %v\n", err)
		return
	}
	fmt.Fprintf(w, "estimate: %s\n", train.Estimate(s, n, ""))
}
