package wgan

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/wgangp/wgangp/engine"
	"github.com/wgangp/wgangp/engine/cpu"
)

// TestOneReadback: GStepLosses gives, bit for bit, the numbers that
// reading the D step's three outputs and the G step's lossG separately
// gives (four waits), on float32 and float64, and the weights move the
// same way.
func TestOneReadback(t *testing.T) {
	for _, b := range []engine.Backend{cpu.New[float32](0), cpu.New[float64](0)} {
		cfg := smallConfig()
		w0 := Init(cfg.Filters, cfg.Latent, rand.New(rand.NewPCG(1, 2)))
		sep, err := NewSteps(b, cfg, w0)
		if err != nil {
			t.Fatal(err)
		}
		one, err := NewSteps(b, cfg, w0)
		if err != nil {
			t.Fatal(err)
		}
		x := make([]float32, cfg.Batch*Channels*Size*Size)
		z := make([]float32, cfg.Batch*cfg.Latent)
		eps := make([]float32, cfg.Batch)
		srcA, srcB := batchSource{rand.New(rand.NewPCG(3, 3))}, batchSource{rand.New(rand.NewPCG(3, 3))}
		for it := range 3 {
			for range cfg.Critic {
				srcA.fill(x, z, eps)
				if err := sep.TrainD(x, z, eps); err != nil {
					t.Fatal(err)
				}
				srcB.fill(x, z, eps)
				if err := one.TrainD(x, z, eps); err != nil {
					t.Fatal(err)
				}
			}
			// The separate reads: each output of the D step, then lossG.
			var want [4]float32
			for i := range 3 {
				if err := sep.dProg.Output(i).Read(want[i : i+1]); err != nil {
					t.Fatal(err)
				}
			}
			srcA.fill(x, z, eps)
			lg, err := sep.GStep(z)
			if err != nil {
				t.Fatal(err)
			}
			want[3] = lg
			srcB.fill(x, z, eps)
			dl, lgOne, err := one.GStepLosses(z)
			if err != nil {
				t.Fatal(err)
			}
			got := [4]float32{dl.LossD, dl.LossDUnreg, dl.Penalty, lgOne}
			for i := range got {
				if math.Float32bits(got[i]) != math.Float32bits(want[i]) {
					t.Fatalf("%s, iteration %d: losses %v in one read, %v read separately", b.Name(), it+1, got, want)
				}
			}
			if again, err := one.ReadDLosses(); err != nil || again != dl {
				t.Fatalf("ReadDLosses = %v, %v; want %v", again, err, dl)
			}
		}
		wa, _ := sep.Weights()
		wb, _ := one.Weights()
		for i, ta := range wa.Tensors {
			for j := range ta.Data {
				if math.Float32bits(ta.Data[j]) != math.Float32bits(wb.Tensors[i].Data[j]) {
					t.Fatalf("%s: %s[%d] differs", b.Name(), ta.Name, j)
				}
			}
		}
	}
}
