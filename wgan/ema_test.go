package wgan

import (
	"math"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/wgangp/wgangp/engine/cpu"
	"github.com/wgangp/wgangp/safetensors"
)

// TestEMAByHand checks the moving average over three generator steps
// against the formula computed here from the weights each step left:
// ema_t = ema_{t-1} + (1-β_t)(w_t - ema_{t-1}), β_t = min(decay,
// (1+t)/(10+t)), ema_0 = w_0; discriminator steps leave it alone.
func TestEMAByHand(t *testing.T) {
	cfg := smallConfig()
	cfg.EMA = 0.2 // below β_t from t=1 on (2/11 < 0.2 < 3/12): both branches of the min
	w0 := Init(cfg.Filters, cfg.Latent, rand.New(rand.NewPCG(3, 4)))
	s, err := NewSteps(cpu.New[float64](1), cfg, w0)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	want := map[string][]float64{}
	for _, p := range GenParams(cfg.Filters, cfg.Latent) {
		tn, _ := w0.Get(p.Name)
		for _, v := range tn.Data {
			want[p.Name] = append(want[p.Name], float64(v))
		}
	}
	if got := []float64{EMADecay(cfg.EMA, 1), EMADecay(cfg.EMA, 2), EMADecay(cfg.EMA, 3)}; got[0] != 2.0/11 || got[1] != 0.2 || got[2] != 0.2 {
		t.Fatalf("β_1..3 = %v, want 2/11, 0.2, 0.2", got)
	}
	src := batchSource{rand.New(rand.NewPCG(5, 6))}
	x := make([]float32, cfg.Batch*Channels*Size*Size)
	z := make([]float32, cfg.Batch*cfg.Latent)
	eps := make([]float32, cfg.Batch)
	for step := 1; step <= 3; step++ {
		src.fill(x, z, eps)
		if _, err := s.DStep(x, z, eps); err != nil {
			t.Fatal(err)
		}
		if _, err := s.GStep(z); err != nil {
			t.Fatal(err)
		}
		w, err := s.Weights()
		if err != nil {
			t.Fatal(err)
		}
		ema, err := s.EMAWeights()
		if err != nil {
			t.Fatal(err)
		}
		beta := EMADecay(cfg.EMA, step)
		moved := 0
		for _, p := range GenParams(cfg.Filters, cfg.Latent) {
			wt, _ := w.Get(p.Name)
			et, _ := ema.Get(p.Name)
			for i, v := range wt.Data {
				prev := want[p.Name][i]
				want[p.Name][i] = prev + (1-beta)*(float64(v)-prev)
				if d := math.Abs(float64(et.Data[i]) - want[p.Name][i]); d > 1e-6*math.Abs(want[p.Name][i])+1e-9 {
					t.Fatalf("step %d: %s[%d] average %v, by hand %v", step, p.Name, i, et.Data[i], want[p.Name][i])
				}
				if et.Data[i] != wt.Data[i] {
					moved++
				}
			}
		}
		if moved == 0 {
			t.Fatalf("step %d: the average equals the weights", step)
		}
		// The critic's weights are the trained ones in the averaged file.
		for _, p := range DiscParams(cfg.Filters) {
			a, _ := w.Get(p.Name)
			b, _ := ema.Get(p.Name)
			if a.Data[0] != b.Data[0] || a.Data[len(a.Data)-1] != b.Data[len(b.Data)-1] {
				t.Fatalf("%s differs between Weights and EMAWeights", p.Name)
			}
		}
	}
}

// TestEMAResumesExactly: the averages travel in checkpoints (ema.*) and a
// restored run goes on bit for bit; checkpoints and steps that disagree on
// the average are refused.
func TestEMAResumesExactly(t *testing.T) {
	cfg := smallConfig()
	cfg.EMA = 0.99
	w0 := Init(cfg.Filters, cfg.Latent, rand.New(rand.NewPCG(1, 2)))
	b := cpu.New[float32](0)
	a, err := NewSteps(b, cfg, w0)
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	iterate(t, a, batchSource{rand.New(rand.NewPCG(9, 9))}, 2)
	ck, err := a.Checkpoint(nil)
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := ck.Get(EMAPrefix + "gen.tconv4.weight"); !ok {
		t.Fatal("checkpoint lacks the moving averages")
	}
	decoded, err := safetensors.Decode(ck.Bytes())
	if err != nil {
		t.Fatal(err)
	}
	c, err := NewSteps(b, cfg, w0)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	if _, err := c.Restore(decoded); err != nil {
		t.Fatal(err)
	}
	seed := rand.NewPCG(4, 4)
	seed2 := *seed
	iterate(t, a, batchSource{rand.New(seed)}, 2)
	iterate(t, c, batchSource{rand.New(&seed2)}, 2)
	ea, _ := a.EMAWeights()
	ec, _ := c.EMAWeights()
	for _, ta := range ea.Tensors {
		tc, _ := ec.Get(ta.Name)
		for i := range ta.Data {
			if ta.Data[i] != tc.Data[i] {
				t.Fatalf("%s[%d]: %v after resume, %v without", ta.Name, i, tc.Data[i], ta.Data[i])
			}
		}
	}

	// The averaged generator samples what its weights file does.
	sa, err := a.EMASampler(2)
	if err != nil {
		t.Fatal(err)
	}
	defer sa.Close()
	sf, err := NewSampler(b, ea, 2)
	if err != nil {
		t.Fatal(err)
	}
	defer sf.Close()
	zs := make([]float32, 2*cfg.Latent)
	for i := range zs {
		zs[i] = float32(math.Sin(float64(i)))
	}
	img1, img2 := make([]float32, 2*Channels*Size*Size), make([]float32, 2*Channels*Size*Size)
	if err := sa.Sample(img1, zs); err != nil {
		t.Fatal(err)
	}
	if err := sf.Sample(img2, zs); err != nil {
		t.Fatal(err)
	}
	for i := range img1 {
		if img1[i] != img2[i] {
			t.Fatalf("pixel %d: EMASampler %v, the averaged weights file %v", i, img1[i], img2[i])
		}
	}

	plain := cfg
	plain.EMA = 0
	p, err := NewSteps(b, plain, w0)
	if err != nil {
		t.Fatal(err)
	}
	defer p.Close()
	if _, err := p.Restore(decoded); err == nil || !strings.Contains(err.Error(), "moving average") {
		t.Errorf("a checkpoint with averages restored into steps without: %v", err)
	}
	if _, err := p.EMAWeights(); err == nil {
		t.Error("EMAWeights of steps without an average")
	}
	missing := &safetensors.File{Metadata: decoded.Metadata}
	for _, tn := range decoded.Tensors {
		if tn.Name != EMAPrefix+"gen.tconv2.bias" {
			missing.Tensors = append(missing.Tensors, tn)
		}
	}
	if _, err := CheckpointConfig(missing); err == nil || !strings.Contains(err.Error(), "ema.gen.tconv2.bias") {
		t.Errorf("a checkpoint with EMA lacking one average: %v", err)
	}
	bad := cfg
	bad.EMA = 1
	if err := bad.Validate(); err == nil {
		t.Error("decay 1 accepted")
	}
}
