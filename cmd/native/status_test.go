package main

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/wgangp/wgangp/assets"
	"github.com/wgangp/wgangp/engine/cpu"
	"github.com/wgangp/wgangp/wgan"
	"github.com/wgangp/wgangp/wgan/data"
	"github.com/wgangp/wgangp/wgan/train"
)

// TestStatusLinesAreThePages drives the desktop's session through the
// states of the table the page's test shares (wgan/train/testdata) and
// checks the status line of the window in each.
func TestStatusLinesAreThePages(t *testing.T) {
	cases, err := train.ReadStatusCases("../../wgan/train/testdata/status_lines.json")
	require.NoError(t, err)
	cfg := wgan.SeedConfig()
	cfg.Filters, cfg.Batch = 4, 2
	set := data.FromImages(assets.Flowers(8, 1), data.Squash)
	for _, c := range cases {
		if c.Page {
			continue // the desktop exits with the error instead
		}
		tr, err := train.New(cpu.New[float32](1), set, "flowers", train.Options{Config: cfg, Iterations: 3, Seed: 1})
		require.NoError(t, err)
		s := &session{tr: tr, sit: train.NewSitting(tr, 1, 10)}
		for tr.Iteration() < c.Iterations {
			_, err := tr.Step()
			require.NoError(t, err)
		}
		s.paused = c.State == "paused"
		s.finished = c.State == "done"
		s.updateFrame()
		require.True(t, c.Match(s.frame.Status), "%s: the window shows %q, want %s", c.Name, s.frame.Status, c.Want)
		tr.Close()
	}
}
