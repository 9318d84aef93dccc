// Package uidemo makes deterministic sample frames for the ui tests, the
// window check and for looking at the layout.
package uidemo

import (
	"fmt"
	"math"
	"math/rand/v2"

	"github.com/wgangp/wgangp/wgan/ui"
)

// Images returns n synthetic "generated" images, NCHW float32 3×size×size,
// with values roughly in [-1.2, 1.1] like a tanh generator's output.
func Images(n, size int, seed uint64) []float32 {
	rng := rand.New(rand.NewPCG(seed, 0x9e3779b97f4a7c15))
	out := make([]float32, n*3*size*size)
	plane := size * size
	for k := 0; k < n; k++ {
		// A soft blob of a random colour on a dark-to-light background.
		cx, cy := 0.3+0.4*rng.Float64(), 0.3+0.4*rng.Float64()
		rad := 0.15 + 0.2*rng.Float64()
		var fg, bg [3]float64
		for c := range fg {
			fg[c] = 2*rng.Float64() - 1
			bg[c] = 1.6*rng.Float64() - 1
		}
		freq := 2 + 6*rng.Float64()
		for y := 0; y < size; y++ {
			for x := 0; x < size; x++ {
				u, v := float64(x)/float64(size), float64(y)/float64(size)
				d := math.Hypot(u-cx, v-cy) / rad
				w := math.Exp(-d * d)
				tex := 0.15 * math.Sin(freq*(u+v)*math.Pi)
				for c := 0; c < 3; c++ {
					val := (1-w)*(bg[c]+0.4*(v-0.5)) + w*fg[c] + tex
					out[k*3*plane+c*plane+y*size+x] = float32(1.1 * math.Tanh(val))
				}
			}
		}
	}
	// Pin the extremes so the rescale is known: -1.2 and 1.1.
	if len(out) > 0 {
		out[0] = -1.2
		out[len(out)-1] = 1.1
	}
	return out
}

// Losses returns n iterations of WGAN-GP-like discriminator losses: with
// gradient penalty (D) and unregularized (Dunreg = D minus the penalty term).
func Losses(n int, seed uint64) (d, unreg []float64) {
	rng := rand.New(rand.NewPCG(seed, 42))
	d = make([]float64, n)
	unreg = make([]float64, n)
	for i := 0; i < n; i++ {
		t := float64(i + 1)
		base := -9*(1-math.Exp(-t/15))*math.Exp(-t/900) - 1.5*(1-math.Exp(-t/900))
		gp := 0.4 + 6*math.Exp(-t/10)
		noise := rng.NormFloat64() * (0.35 + 0.5*math.Exp(-t/300))
		unreg[i] = base + noise
		d[i] = unreg[i] + gp + 0.15*rng.NormFloat64()
	}
	return d, unreg
}

// Frame returns a complete sample frame at the given iteration count.
func Frame(iters int) ui.Frame {
	d, u := Losses(iters, 7)
	var swd []ui.Point
	for it := 50; it <= iters; it += 50 {
		x := float64(it)
		swd = append(swd, ui.Point{X: x, Y: 0.04 + 0.5*math.Exp(-x/400) + 0.01*math.Sin(x/37)})
	}
	el := iters * 3 / 2
	return ui.Frame{
		Version:    uint64(iters),
		Title:      fmt.Sprintf("Iteration: %d, Elapsed: %02d:%02d:%02d", iters, el/3600, el/60%60, el%60),
		Status:     fmt.Sprintf("CPU engine · preset small · 1.52 it/s · ETA 00:41:10 · iteration %d of 5000", iters),
		Grid:       ui.Tile(Images(25, 64, 1), 25, 64, 5),
		GridLabel:  fmt.Sprintf("Generated images (iteration %d)", iters/20*20),
		LossD:      d,
		LossDUnreg: u,
		SWD:        swd,
		SWDFloor:   0.035,
	}
}

// Hint is the status-bar hint the window check puts in its frames (so that
// the window does not substitute its own).
const Hint = "Space pause · S save grid · Q quit"

// WindowFrame is Frame(iters) with Hint set, as the window check shows it.
func WindowFrame(iters int) ui.Frame {
	f := Frame(iters)
	f.Hint = Hint
	return f
}
