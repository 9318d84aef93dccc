package train

import (
	"math"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/wgangp/wgangp/assets"
	"github.com/wgangp/wgangp/engine/cpu"
	"github.com/wgangp/wgangp/safetensors"
	"github.com/wgangp/wgangp/wgan"
	"github.com/wgangp/wgangp/wgan/data"
)

func tinyOptions(iterations int) Options {
	c := wgan.SeedConfig()
	c.Filters, c.Batch = 4, 4
	return Options{Config: c, Iterations: iterations, Seed: 7}
}

func flowers(n int) *data.Set {
	return data.FromImages(assets.Flowers(n, 3), data.Squash)
}

func run(t *testing.T, tr *Trainer, n int) {
	t.Helper()
	for range n {
		rec, err := tr.Step()
		require.NoError(t, err)
		require.False(t, math.IsNaN(float64(rec.LossD)) || math.IsInf(float64(rec.LossD), 0), "lossD %v", rec.LossD)
	}
}

func weights(t *testing.T, tr *Trainer) *safetensors.File {
	t.Helper()
	ck, err := tr.Checkpoint()
	require.NoError(t, err)
	return ck
}

// An interrupted and resumed run ends with the same weights, Adam moments,
// moving averages and history, bit for bit, as an uninterrupted one: with
// the example's recipe and with the paper's and a moving average.
func TestResumeIsExact(t *testing.T) {
	t.Run("seed", func(t *testing.T) { testResumeIsExact(t, tinyOptions(5)) })
	opt := tinyOptions(5)
	opt.Config.Linear, opt.Config.LRD, opt.Config.LRG, opt.Config.EMA = true, 1e-4, 1e-4, 0.9
	t.Run("paper+ema", func(t *testing.T) { testResumeIsExact(t, opt) })
}

func testResumeIsExact(t *testing.T, opt Options) {
	set := flowers(24)
	b := cpu.New[float32](2)

	straight, err := New(b, set, "flowers", opt)
	require.NoError(t, err)
	run(t, straight, 5)
	want := weights(t, straight)
	straight.Close()

	first, err := New(b, set, "flowers", opt)
	require.NoError(t, err)
	run(t, first, 2)
	ck := weights(t, first)
	first.Close()
	// Through bytes, as on disk.
	ck, err = safetensors.Decode(ck.Bytes())
	require.NoError(t, err)

	ropt, err := RunOptions(ck)
	require.NoError(t, err)
	require.Equal(t, opt, ropt)
	second, err := New(b, set, "flowers", ropt)
	require.NoError(t, err)
	require.NoError(t, second.Resume(ck))
	require.Equal(t, 2, second.Iteration())
	run(t, second, 3)
	got := weights(t, second)
	second.Close()

	require.Equal(t, want.Metadata["stream_epoch"], got.Metadata["stream_epoch"])
	require.Equal(t, want.Metadata["stream_pos"], got.Metadata["stream_pos"])
	require.Equal(t, want.Metadata["noise_state"], got.Metadata["noise_state"])
	require.Equal(t, len(want.Tensors), len(got.Tensors))
	for _, w := range want.Tensors {
		g, ok := got.Get(w.Name)
		require.True(t, ok, w.Name)
		for i := range w.Data {
			if math.Float32bits(w.Data[i]) != math.Float32bits(g.Data[i]) {
				t.Fatalf("%s[%d]: resumed %v, uninterrupted %v", w.Name, i, g.Data[i], w.Data[i])
			}
		}
	}
}

func TestSWDHistory(t *testing.T) {
	opt := tinyOptions(4)
	opt.SWDEvery, opt.SWDImages = 2, 40
	tr, err := New(cpu.New[float32](2), flowers(200), "flowers", opt)
	require.NoError(t, err)
	defer tr.Close()
	train, held := tr.Data()
	require.Equal(t, 40, held)
	require.Equal(t, 160, train)
	h := tr.History()
	require.Greater(t, h.SWDFloor, 0.0)

	var measured []int
	for range 4 {
		rec, err := tr.Step()
		require.NoError(t, err)
		if rec.SWD >= 0 {
			measured = append(measured, rec.Iteration)
		}
	}
	require.Equal(t, []int{2, 4}, measured)
	h = tr.History()
	require.Len(t, h.SWD, 3) // iterations 0, 2, 4
	require.Equal(t, 0, h.SWD[0].Iteration)
	for _, p := range h.SWD {
		// An untrained generator's noise is far from flowers: well above
		// the real-vs-real floor.
		require.Greater(t, p.Value, 2*h.SWDFloor, "SWD at %d", p.Iteration)
		// An untrained generator's images are alike: far less diverse
		// than real pictures.
		require.Greater(t, p.Diversity, 0.0, "diversity at %d", p.Iteration)
		require.Less(t, p.Diversity, h.DiversityReal/3, "diversity at %d", p.Iteration)
	}
	require.Greater(t, h.DiversityReal, 0.1)
	require.Len(t, h.LossD, 4)

	// The diversity travels with the checkpoint; the PyTorch trainer's
	// (without it) resumes with -1 (unknown) at its points.
	ck := weights(t, tr)
	tr3, err := New(cpu.New[float32](2), flowers(200), "flowers", opt)
	require.NoError(t, err)
	defer tr3.Close()
	require.NoError(t, tr3.Resume(ck))
	for i, p := range tr3.History().SWD {
		require.InDelta(t, h.SWD[i].Diversity, p.Diversity, 1e-6)
	}
	var without safetensors.File
	without.Metadata = ck.Metadata
	for _, tn := range ck.Tensors {
		if tn.Name != histDiversity {
			without.Tensors = append(without.Tensors, tn)
		}
	}
	tr4, err := New(cpu.New[float32](2), flowers(200), "flowers", opt)
	require.NoError(t, err)
	defer tr4.Close()
	require.NoError(t, tr4.Resume(&without))
	require.Equal(t, -1.0, tr4.History().SWD[1].Diversity)

	// Too little data for a held-out set: the metric is off, training is not.
	tr2, err := New(cpu.New[float32](2), flowers(40), "flowers", opt)
	require.NoError(t, err)
	defer tr2.Close()
	_, held = tr2.Data()
	require.Zero(t, held)
	run(t, tr2, 1)
	require.Empty(t, tr2.History().SWD)
}

func TestResumeErrors(t *testing.T) {
	b := cpu.New[float32](2)
	opt := tinyOptions(3)
	tr, err := New(b, flowers(24), "flowers", opt)
	require.NoError(t, err)
	run(t, tr, 1)
	ck := weights(t, tr)
	w, err := tr.steps.Weights()
	require.NoError(t, err)
	tr.Close()
	_, err = tr.steps.Weights()
	require.ErrorContains(t, err, "closed")

	other, err := New(b, flowers(28), "flowers", opt)
	require.NoError(t, err)
	require.ErrorContains(t, other.Resume(ck), "trained on 24 pictures")

	delete(ck.Metadata, "noise_state")
	fresh, err := New(b, flowers(24), "flowers", opt)
	require.NoError(t, err)
	require.ErrorContains(t, fresh.Resume(ck), "noise_state")

	_, err = RunOptions(w)
	require.ErrorContains(t, err, "not a checkpoint")
}

func TestTooFewPictures(t *testing.T) {
	_, err := New(cpu.New[float32](1), flowers(3), "flowers", tinyOptions(1))
	require.ErrorContains(t, err, "found 3 images")
}

func TestPresets(t *testing.T) {
	for _, p := range Presets {
		got, err := PresetByName(p.Name)
		require.NoError(t, err)
		require.NoError(t, got.Config().Validate())
	}
	seed, _ := PresetByName("seed")
	require.Equal(t, wgan.SeedConfig(), seed.Config())
	_, err := PresetByName("huge")
	require.ErrorContains(t, err, "available: seed")
}
