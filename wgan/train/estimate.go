package train

import (
	"fmt"
	"math"
	"math/rand/v2"
	"strconv"
	"time"

	"github.com/wgangp/wgangp/engine"
	"github.com/wgangp/wgangp/wgan"
)

// warmAgain: a first critic step shorter than this is timed again, warm
// (the first also allocates, and WebAssembly's memory grows).
const warmAgain = 1500 * time.Millisecond

// TimeIteration measures the time of a generator iteration of cfg's model
// on b: a critic step (the second one, if the first took under 1.5 s) and
// a generator step on random inputs (wgan.StepInputs), by a model of its
// own freed after (WebGPU reuses the kernels a run compiled), giving
// Critic × the critic step + the generator step. stop (when not nil) is
// asked between the steps; when it says so, TimeIteration returns
// ErrStopped. The page times its presets with it before Start, the desktop
// its run before training.
func TimeIteration(b engine.Backend, cfg wgan.Config, stop func() bool) (float64, error) {
	r := rand.New(rand.NewPCG(5, 6))
	steps, err := wgan.NewSteps(b, cfg, wgan.Init(cfg.Filters, cfg.Latent, r))
	if err != nil {
		return 0, err
	}
	defer steps.Close()
	in := wgan.NewStepInputs(cfg).Random(r)
	stopped := func() bool { return stop != nil && stop() }
	if stopped() {
		return 0, ErrStopped
	}
	var d float64
	for i := 0; i < 2 && (i == 0 || d < warmAgain.Seconds()); i++ {
		t0 := time.Now()
		if err := steps.TrainD(in.X, in.Z, in.Eps); err != nil {
			return 0, err
		}
		if _, err := steps.ReadDLosses(); err != nil { // waits for the device
			return 0, err
		}
		d = time.Since(t0).Seconds()
		if stopped() {
			return 0, ErrStopped
		}
	}
	t0 := time.Now()
	if _, err := steps.GStep(in.Z); err != nil {
		return 0, err
	}
	return float64(cfg.Critic)*d + time.Since(t0).Seconds(), nil
}

// Estimate is the words of a measured time per generator iteration, the
// page's (a Calibration, beside its preset) and the desktop's (train, as it
// starts): "≈ 2.4 s per iteration here, 1,000 iterations ≈ 40 min". from,
// when not "", names the preset whose measured time this one is scaled
// from (a model too large to time in a few seconds here).
func Estimate(seconds float64, iterations int, from string) string {
	per := "≈ " + Seconds(seconds) + " per iteration here"
	if from != "" {
		per += fmt.Sprintf(" (scaled from %s's measured time)", from)
	}
	return fmt.Sprintf("%s, %s iterations ≈ %s", per, thousands(iterations), Duration(seconds*float64(iterations)))
}

// Seconds writes a time in seconds with two significant digits (three
// under a tenth of a second).
func Seconds(s float64) string {
	switch {
	case s >= 10:
		return fmt.Sprintf("%.0f s", s)
	case s >= 1:
		return fmt.Sprintf("%.1f s", s)
	case s >= 0.1:
		return fmt.Sprintf("%.2f s", s)
	}
	return fmt.Sprintf("%.3f s", s)
}

// Duration writes a total time as "H h M min", "M min" from a minute on
// (rounded to the minute), else in whole seconds.
func Duration(s float64) string {
	if s < 59.5 {
		return fmt.Sprintf("%.0f s", s)
	}
	m := int(math.Round(s / 60))
	if m < 60 {
		return fmt.Sprintf("%d min", m)
	}
	return fmt.Sprintf("%d h %d min", m/60, m%60)
}

func thousands(n int) string {
	s := strconv.Itoa(n)
	for i := len(s) - 3; i > 0 && s[i-1] != '-'; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	return s
}
