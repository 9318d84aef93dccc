package main

import (
	"context"
	"io"
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
		s := &session{out: t.TempDir(), stdout: io.Discard, ctx: context.Background()}
		s.r = train.NewRun(tr, s, train.RunConfig{Every: 1, CheckpointEvery: 10})
		require.NoError(t, s.openCSV())
		require.NoError(t, s.r.Begin())
		for tr.Iteration() < c.Iterations || (c.State == "done" && !s.r.Done()) {
			require.NoError(t, s.r.Step(nil))
		}
		if c.State == "paused" {
			s.r.Pause() // Space in the window
		}
		s.updateFrame()
		require.True(t, c.Match(s.frame.Status), "%s: the window shows %q, want %s", c.Name, s.frame.Status, c.Want)
		s.csvFile.Close()
		tr.Close()
	}
}
