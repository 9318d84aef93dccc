package main

import (
	"errors"
	"slices"
	"time"

	"github.com/wgangp/wgangp/cmd/wasm/message"
	"github.com/wgangp/wgangp/wgan"
	"github.com/wgangp/wgangp/wgan/train"
)

// Calibration times each preset's generator iteration on this machine
// before Start, so that the preset list shows what a run will take here
// rather than a promise. A preset is timed by one critic step and one
// generator step of its model on random inputs (wgan.StepInputs), and an
// iteration is Critic critic steps and one generator step. The presets are
// timed smallest first; one whose time, scaled from the last one timed by
// its arithmetic (F² × batch), would pass maxTimed, or whose memory would
// pass maxTimedBytes (WebAssembly memory never shrinks), is not run but
// given that scaled time, saying so.
const (
	maxTimed      = 3 * time.Second
	maxTimedBytes = 256 << 20
)

// calibrate posts a Calibration for each preset, timing those not timed
// yet; its text counts iterations iterations (0: the preset's). A message
// of the page stops it between two steps, and the presets left say so
// (Calibrate again goes on).
func (w *worker) calibrate(iterations int) error {
	post := func(p train.Preset, c message.Calibration) {
		n := iterations
		if n <= 0 {
			n = p.Iterations
		}
		c.Preset, c.Text, c.Short = p.Name, calibrationText(c, n), calibrationShort(c, n)
		w.post(c)
	}
	ps := smallestFirst()
	switch {
	case w.state == stateTraining || w.state == statePaused:
		return nil // the run's own speed is on screen
	case w.info.Kind == kindWebGPU && w.info.Software:
		// Compiling the kernels alone takes minutes on a software adapter.
		for _, p := range ps {
			post(p, message.Calibration{Error: "on a software WebGPU adapter compiling the kernels alone takes minutes"})
		}
		return nil
	}
	if w.timed == nil {
		w.timed = map[string]timing{}
	}
	var last *timing
	for i, p := range ps {
		if t, ok := w.timed[p.Name]; ok {
			last = &t
			post(p, message.Calibration{Seconds: t.seconds, From: t.from})
			continue
		}
		cfg := p.Config()
		var t timing
		tooBig := w.info.Kind == kindCPU && wgan.MemoryNeeded(cfg, 4) > maxTimedBytes
		if est := last.scaled(cfg); last != nil && (est > maxTimed.Seconds() || tooBig) {
			t = timing{cfg: cfg, seconds: est, from: last.from}
			if t.from == "" {
				t.from = last.preset
			}
		} else {
			s, err := train.TimeIteration(w.b, cfg, w.interrupt) // a message of the page stops it
			if errors.Is(err, train.ErrStopped) {
				for _, q := range ps[i:] {
					post(q, message.Calibration{Error: "interrupted by the page"})
				}
				return nil
			}
			if err != nil {
				post(p, message.Calibration{Error: err.Error()})
				continue
			}
			t = timing{cfg: cfg, seconds: s}
		}
		t.preset = p.Name
		w.timed[p.Name] = t
		last = &t
		post(p, message.Calibration{Seconds: t.seconds, From: t.from})
	}
	return nil
}

// timing is a preset's time per generator iteration here: measured, or
// scaled from preset from's.
type timing struct {
	preset  string
	cfg     wgan.Config
	seconds float64
	from    string
}

// scaled is t's time scaled to cfg by the convolutions' arithmetic, which
// grows as F² × batch (nil: none).
func (t *timing) scaled(cfg wgan.Config) float64 {
	if t == nil {
		return 0
	}
	ratio := float64(cfg.Filters*cfg.Filters*cfg.Batch) / float64(t.cfg.Filters*t.cfg.Filters*t.cfg.Batch)
	return t.seconds * ratio * float64(cfg.Critic+1) / float64(t.cfg.Critic+1)
}

// smallestFirst lists the presets by their arithmetic, smallest first.
func smallestFirst() []train.Preset {
	ps := slices.Clone(train.Presets)
	slices.SortFunc(ps, func(a, b train.Preset) int { return a.Filters*a.Filters*a.Batch - b.Filters*b.Filters*b.Batch })
	return ps
}

// calibrationText is the sentence of a Calibration under the preset list.
func calibrationText(c message.Calibration, iterations int) string {
	if c.Error != "" {
		return "Not timed here: " + c.Error + "."
	}
	return "Here: " + train.Estimate(c.Seconds, iterations, c.From) + "."
}

// calibrationShort is the words of a Calibration in the preset list,
// beside the preset's name: its time per iteration and the ETA of n.
func calibrationShort(c message.Calibration, n int) string {
	switch {
	case c.Error != "":
		return "not timed here"
	case c.From != "":
		return train.Estimate(c.Seconds, n, "") + " (scaled from " + c.From + ")"
	}
	return train.Estimate(c.Seconds, n, "")
}
