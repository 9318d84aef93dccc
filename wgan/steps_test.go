package wgan

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/wgangp/wgangp/engine/cpu"
	"github.com/wgangp/wgangp/safetensors"
)

type batchSource struct{ r *rand.Rand }

func (b batchSource) fill(x, z, eps []float32) {
	for i := range x {
		x[i] = float32(2*b.r.Float64() - 1)
	}
	for i := range z {
		z[i] = float32(b.r.NormFloat64())
	}
	for i := range eps {
		eps[i] = float32(b.r.Float64())
	}
}

func smallConfig() Config {
	cfg := SeedConfig()
	cfg.Filters, cfg.Batch, cfg.Latent = 4, 2, 16
	return cfg
}

// iterate runs k generator iterations and returns the last losses.
func iterate(t *testing.T, s *Steps, src batchSource, k int) (DLosses, float32) {
	t.Helper()
	cfg := s.Config
	x := make([]float32, cfg.Batch*Channels*Size*Size)
	z := make([]float32, cfg.Batch*cfg.Latent)
	eps := make([]float32, cfg.Batch)
	var dl DLosses
	var lg float32
	var err error
	for range k {
		for range cfg.Critic {
			src.fill(x, z, eps)
			if dl, err = s.DStep(x, z, eps); err != nil {
				t.Fatal(err)
			}
		}
		src.fill(x, z, eps)
		if lg, err = s.GStep(z); err != nil {
			t.Fatal(err)
		}
	}
	return dl, lg
}

func TestStepsTrainAndResumeExactly(t *testing.T) {
	cfg := smallConfig()
	w0 := Init(cfg.Filters, cfg.Latent, rand.New(rand.NewPCG(1, 2)))
	b := cpu.New[float32](0)

	a, err := NewSteps(b, cfg, w0)
	if err != nil {
		t.Fatal(err)
	}
	srcA := batchSource{rand.New(rand.NewPCG(9, 9))}
	dl, lg := iterate(t, a, srcA, 2)
	for name, v := range map[string]float32{"lossD": dl.LossD, "unreg": dl.LossDUnreg, "penalty": dl.Penalty, "lossG": lg} {
		if math.IsNaN(float64(v)) || math.IsInf(float64(v), 0) {
			t.Fatalf("%s = %v", name, v)
		}
	}
	if d, g := a.StepCounts(); d != 2*cfg.Critic || g != 2 {
		t.Errorf("step counts %d, %d", d, g)
	}
	w1, err := a.Weights()
	if err != nil {
		t.Fatal(err)
	}
	changed := 0
	for _, p := range Params(cfg.Filters, cfg.Latent) {
		t0, _ := w0.Get(p.Name)
		t1, _ := w1.Get(p.Name)
		for i := range t0.Data {
			if t0.Data[i] != t1.Data[i] {
				changed++
				break
			}
		}
	}
	if changed != len(Params(cfg.Filters, cfg.Latent)) {
		t.Errorf("%d of %d parameters changed after training", changed, len(Params(cfg.Filters, cfg.Latent)))
	}

	// Checkpoint, encode, decode, restore into fresh steps: the next
	// iterations match bit for bit.
	ck, err := a.Checkpoint(map[string]string{"iteration": "2"})
	if err != nil {
		t.Fatal(err)
	}
	decoded, err := safetensors.Decode(ck.Bytes())
	if err != nil {
		t.Fatal(err)
	}
	c, err := NewSteps(b, cfg, w0)
	if err != nil {
		t.Fatal(err)
	}
	meta, err := c.Restore(decoded)
	if err != nil {
		t.Fatal(err)
	}
	if meta["iteration"] != "2" {
		t.Errorf("metadata iteration %q", meta["iteration"])
	}
	seed := rand.NewPCG(4, 4)
	seed2 := *seed
	dlA, lgA := iterate(t, a, batchSource{rand.New(seed)}, 2)
	dlC, lgC := iterate(t, c, batchSource{rand.New(&seed2)}, 2)
	if dlA != dlC || lgA != lgC {
		t.Errorf("resumed run differs: %+v %v vs %+v %v", dlA, lgA, dlC, lgC)
	}
	wa, _ := a.Weights()
	wc, _ := c.Weights()
	for _, ta := range wa.Tensors {
		tc, _ := wc.Get(ta.Name)
		for i := range ta.Data {
			if ta.Data[i] != tc.Data[i] {
				t.Fatalf("%s[%d]: %v after resume, %v without", ta.Name, i, tc.Data[i], ta.Data[i])
			}
		}
	}
}

// TestAdamFirstStep checks MATLAB's Adam by hand: with β1 = 0 the first
// update is m = g, v = (1-β2)g², rate = lr·√(1-β2), so every parameter moves
// by lr·g/(|g| + ε/√(1-β2)) ≈ lr·sign(g), against its gradient.
func TestAdamFirstStep(t *testing.T) {
	cfg := smallConfig()
	w0 := Init(cfg.Filters, cfg.Latent, rand.New(rand.NewPCG(3, 3)))
	s, err := NewSteps(cpu.New[float64](1), cfg, w0)
	if err != nil {
		t.Fatal(err)
	}
	x := make([]float32, cfg.Batch*Channels*Size*Size)
	z := make([]float32, cfg.Batch*cfg.Latent)
	eps := make([]float32, cfg.Batch)
	batchSource{rand.New(rand.NewPCG(5, 5))}.fill(x, z, eps)
	if _, err := s.GStep(z); err != nil {
		t.Fatal(err)
	}
	w1, _ := s.Weights()
	moved, near := 0, 0
	for _, p := range GenParams(cfg.Filters, cfg.Latent) {
		a, _ := w0.Get(p.Name)
		b, _ := w1.Get(p.Name)
		for i := range a.Data {
			d := math.Abs(float64(b.Data[i] - a.Data[i]))
			if d == 0 {
				continue // a zero gradient (a dead ReLU) does not move
			}
			moved++
			if d > cfg.LRG*(1+2e-5) { // the weights are read back as float32
				t.Fatalf("%s[%d] moved by %g, more than lr = %g", p.Name, i, d, cfg.LRG)
			}
			if math.Abs(d-cfg.LRG) < 1e-3*cfg.LRG {
				near++
			}
		}
	}
	// Only tiny gradients (|g| within a few thousand ε) move visibly less.
	if moved == 0 || near < moved*9/10 {
		t.Fatalf("%d of %d moved parameters moved by lr", near, moved)
	}
	if r := adamRate(1e-3, 0, 0.9, 3); math.Abs(r-1e-3*math.Sqrt(1-0.729)) > 1e-15 {
		t.Errorf("rate at t=3: %g", r)
	}
}

func TestNewStepsRejectsWrongWeights(t *testing.T) {
	cfg := smallConfig()
	w := Init(8, cfg.Latent, rand.New(rand.NewPCG(1, 1)))
	if _, err := NewSteps(cpu.New[float32](1), cfg, w); err == nil {
		t.Error("F=8 weights accepted for an F=4 model")
	}
}
