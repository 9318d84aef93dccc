package cpu_test

import (
	"fmt"
	"math/rand/v2"
	"testing"

	"github.com/wgangp/wgangp/engine/cpu"
	"github.com/wgangp/wgangp/wgan"
)

// BenchmarkGeneratorIteration times one generator iteration (Critic D steps
// and one G step, as the trainer and cmd/native bench run them) on the
// float32 CPU backend, for profiling the kernels in their real mix:
//
//	go test -run=XXX -bench=GeneratorIteration -benchtime=3x -cpuprofile=cpu.out ./engine/cpu
func BenchmarkGeneratorIteration(b *testing.B) {
	for _, c := range []struct{ f, n int }{{8, 16}, {16, 32}} {
		b.Run(fmt.Sprintf("F%d_N%d", c.f, c.n), func(b *testing.B) {
			cfg := wgan.SeedConfig()
			cfg.Filters, cfg.Batch = c.f, c.n
			r := rand.New(rand.NewPCG(3, 4))
			steps, err := wgan.NewSteps(cpu.New[float32](0), cfg, wgan.Init(c.f, cfg.Latent, r))
			if err != nil {
				b.Fatal(err)
			}
			in := wgan.NewStepInputs(cfg).Random(r)
			x, z, eps := in.X, in.Z, in.Eps
			iterate := func() {
				for range cfg.Critic {
					if err := steps.TrainD(x, z, eps); err != nil {
						b.Fatal(err)
					}
				}
				if _, err := steps.ReadDLosses(); err != nil {
					b.Fatal(err)
				}
				if _, err := steps.GStep(z); err != nil {
					b.Fatal(err)
				}
			}
			iterate() // warm-up
			b.ResetTimer()
			for range b.N {
				iterate()
			}
		})
	}
}
