package tests

import (
	"fmt"
	"math"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/wgangp/wgangp/engine/cpu"
	"github.com/wgangp/wgangp/wgan"
)

// TestWebGPUTrainingSteps trains the same tiny model (F=4, batch 2) from
// the same weights on the same batches on WebGPU and on the CPU backend for
// three generator iterations, and compares the losses of every step and,
// at the end, every parameter.
//
// Tolerances: losses within 1e-4·(|loss|+1). Parameters within
// 1e-4·(|p|+rms(p)), except where Adam amplifies rounding: with β1 = 0 a
// step moves a parameter by about lr·sign(g), so where g is within rounding
// of 0 the two backends can step in opposite directions. Such elements
// (at most 0.1% of a tensor, and one) may differ by up to 2·lr/√(1-β2)
// per step taken.
func TestWebGPUTrainingSteps(t *testing.T) {
	gpu := openWebGPU(t)
	cfg := wgan.SeedConfig()
	cfg.Filters, cfg.Batch = 4, 2
	w0 := wgan.Init(cfg.Filters, cfg.Latent, rand.New(rand.NewPCG(1, 2)))
	onGPU, err := wgan.NewSteps(gpu, cfg, w0)
	if err != nil {
		t.Fatal(err)
	}
	onCPU, err := wgan.NewSteps(cpu.New[float32](0), cfg, w0)
	if err != nil {
		t.Fatal(err)
	}
	r := rand.New(rand.NewPCG(3, 4))
	in := wgan.NewStepInputs(cfg)
	x, z, eps := in.X, in.Z, in.Eps
	fill := func() { in.Random(r) }
	near := func(what string, g, c float32) {
		t.Helper()
		if d := math.Abs(float64(g - c)); !(d <= 1e-4*(math.Abs(float64(c))+1)) {
			t.Errorf("%s: %g on WebGPU, %g on the CPU", what, g, c)
		}
	}
	const iterations = 3
	for it := range iterations {
		for d := range cfg.Critic {
			fill()
			g, err := onGPU.DStep(x, z, eps)
			if err != nil {
				t.Fatal(err)
			}
			c, err := onCPU.DStep(x, z, eps)
			if err != nil {
				t.Fatal(err)
			}
			step := fmt.Sprintf("iteration %d, D step %d", it, d)
			near(step+": lossD", g.LossD, c.LossD)
			near(step+": unregularised lossD", g.LossDUnreg, c.LossDUnreg)
			near(step+": penalty", g.Penalty, c.Penalty)
		}
		fill()
		g, err := onGPU.GStep(z)
		if err != nil {
			t.Fatal(err)
		}
		c, err := onCPU.GStep(z)
		if err != nil {
			t.Fatal(err)
		}
		near(fmt.Sprintf("iteration %d, G step: lossG", it), g, c)
	}

	wg, err := onGPU.Weights()
	if err != nil {
		t.Fatal(err)
	}
	wc, err := onCPU.Weights()
	if err != nil {
		t.Fatal(err)
	}
	flip := map[string]float64{ // the largest difference a sign flip can make
		"gen":  2 * cfg.LRG / math.Sqrt(1-cfg.Beta2) * iterations,
		"disc": 2 * cfg.LRD / math.Sqrt(1-cfg.Beta2) * iterations * float64(cfg.Critic),
	}
	for _, tc := range wc.Tensors {
		tg, _ := wg.Get(tc.Name)
		var ss float64
		for _, v := range tc.Data {
			ss += float64(v) * float64(v)
		}
		rms := math.Sqrt(ss / float64(len(tc.Data)))
		limit := flip[strings.SplitN(tc.Name, ".", 2)[0]]
		worst, flips := 0.0, 0
		for i := range tc.Data {
			d := math.Abs(float64(tg.Data[i] - tc.Data[i]))
			worst = math.Max(worst, d/(math.Abs(float64(tc.Data[i]))+rms))
			if d > 1e-4*(math.Abs(float64(tc.Data[i]))+rms) {
				flips++
				if !(d <= limit) {
					t.Errorf("%s[%d]: %g on WebGPU, %g on the CPU", tc.Name, i, tg.Data[i], tc.Data[i])
				}
			}
		}
		if flips > max(1, len(tc.Data)/1000) {
			t.Errorf("%s: %d of %d elements differ by more than 1e-4·(|p|+rms)", tc.Name, flips, len(tc.Data))
		}
		t.Logf("%s: largest |Δ|/(|p|+rms) %.2g, %d past 1e-4", tc.Name, worst, flips)
	}
}
