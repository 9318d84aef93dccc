package main

import (
	"errors"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/wgangp/wgangp/cmd/wasm/message"

	"github.com/wgangp/wgangp/wgan/train"
)

// TestStatusLinesAreTheDesktops drives the worker through the states of
// the table the desktop's test shares (wgan/train/testdata) and checks the
// status line the page shows in each.
func TestStatusLinesAreTheDesktops(t *testing.T) {
	cases, err := train.ReadStatusCases("../../../wgan/train/testdata/status_lines.json")
	require.NoError(t, err)
	for _, c := range cases {
		w, p := newTestWorker(t)
		opts := runOpts
		opts.Iterations = 3
		w.handle(message.Start{Options: opts, Images: uploads(8)})
		for w.run.Trainer().Iteration() < c.Iterations {
			w.step()
		}
		switch c.State {
		case "paused":
			w.handle(message.Pause{})
		case "done":
			require.True(t, w.run.Done(), "%s: the run is not done", c.Name)
		case "error":
			w.fail(errors.New("the device was lost"))
		}
		line := p.last(t, "status")["line"].(string)
		require.True(t, c.Match(line), "%s: the page shows %q, want %s", c.Name, line, c.Want)
	}
}
