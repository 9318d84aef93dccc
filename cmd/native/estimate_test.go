package main

import (
	"bytes"
	"regexp"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/wgangp/wgangp/engine/cpu"
	"github.com/wgangp/wgangp/wgan"
)

// TestPrintEstimate: the line train prints before training, the page's
// words for a measured time.
func TestPrintEstimate(t *testing.T) {
	cfg := wgan.SeedConfig()
	cfg.Filters, cfg.Batch = 4, 2
	var out bytes.Buffer
	printEstimate(&out, cpu.New[float32](1), cfg, 1500)
	require.Regexp(t, regexp.MustCompile(`^estimate: ≈ [0-9.]+ s per iteration here, 1,500 iterations ≈ [0-9]+( h [0-9]+ min| min| s)\n$`), out.String())

	cfg.Filters = 0 // not a model
	out.Reset()
	printEstimate(&out, cpu.New[float32](1), cfg, 10)
	require.Regexp(t, `^estimate: not measured: `, out.String())
}
