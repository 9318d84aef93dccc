package main

import (
	"math"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/wgangp/wgangp/cmd/wasm/message"
	"github.com/wgangp/wgangp/wgan/train"
)

// calibrations returns the Calibration messages posted from the k-th
// message on, by preset.
func calibrations(p *page, k int) map[string]map[string]any {
	out := map[string]map[string]any{}
	for _, m := range p.msgs[k:] {
		if m["type"] == "calibration" {
			out[m["preset"].(string)] = m
		}
	}
	return out
}

// TestCalibrate: before Start, every preset gets a time per iteration
// here and its words; the smallest is measured, the seed's (too large for
// WebAssembly's memory) scaled from a measured one; asked again, the
// times are kept, with the text for other iterations.
func TestCalibrate(t *testing.T) {
	w, p := newTestWorker(t)
	w.handle(message.Calibrate{})
	got := calibrations(p, 0)
	require.Len(t, got, len(train.Presets))
	tiny, seed := got["tiny"], got["seed"]
	require.NotContains(t, tiny, "from", "tiny is measured")
	require.Greater(t, tiny["seconds"].(float64), 0.0)
	require.NotEmpty(t, seed["from"], "the seed's model is scaled from a smaller one's time")
	for name, c := range got {
		pr, err := train.PresetByName(name)
		require.NoError(t, err)
		want := train.Estimate(c["seconds"].(float64), pr.Iterations, str(c["from"]))
		require.Equal(t, "Here: "+want+".", c["text"], name)
		require.Regexp(t, `^≈ [0-9.]+ s per iteration here, [0-9,]+ iterations ≈ [0-9]`, c["short"])
		if c["from"] != nil {
			require.Contains(t, c["short"], "(scaled from ", name)
		}
	}
	n := len(p.msgs)
	w.handle(message.Calibrate{Iterations: 500})
	again := calibrations(p, n)
	for name, c := range again {
		require.Equal(t, got[name]["seconds"], c["seconds"], "%s timed again", name)
		require.Contains(t, c["text"], ", 500 iterations ≈ ")
	}
}

func str(v any) string {
	s, _ := v.(string)
	return s
}

// TestCalibrateInterrupted: a message of the page stops the timing, the
// presets left say so, and the message is answered.
func TestCalibrateInterrupted(t *testing.T) {
	w, p := newTestWorker(t)
	w.in = newQueue()
	w.in.push(message.GetGrid{})
	w.handle(message.Calibrate{})
	got := calibrations(p, 0)
	require.Len(t, got, len(train.Presets))
	for name, c := range got {
		require.True(t, c["text"] == "Not timed here: interrupted by the page." && c["short"] == "not timed here", "%s: %q", name, c["text"])
	}
	w.handle(w.in.wait())
	require.Contains(t, p.last(t, "error")["message"], "no grid yet")
}

// TestScaled: a time scales with F² × batch and the critic steps + 1.
func TestScaled(t *testing.T) {
	tiny, _ := train.PresetByName("tiny")
	small, _ := train.PresetByName("small")
	tm := &timing{cfg: tiny.Config(), seconds: 1.5}
	require.InDelta(t, 1.5*8, tm.scaled(small.Config()), 1e-9) // (16/8)² × 32/16
	c := small.Config()
	c.Critic = 2
	require.InDelta(t, 1.5*8*3/6, tm.scaled(c), 1e-9)
	require.Equal(t, 0.0, (*timing)(nil).scaled(c))
	require.False(t, math.IsNaN(tm.scaled(tiny.Config())))
	require.Equal(t, []string{"tiny", "small", "medium", "seed"}, names(smallestFirst()))
}

func names(ps []train.Preset) []string {
	var out []string
	for _, p := range ps {
		out = append(out, p.Name)
	}
	return out
}
