package cpu_test

import (
	"math/rand/v2"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/wgangp/wgangp/engine"
	"github.com/wgangp/wgangp/engine/cpu"
	"github.com/wgangp/wgangp/wgan"
)

// The D and G steps share one arena of slots and one set of contraction
// engines: what another program left there must not change a result. Two
// trainers take the same steps, one with the arena filled with NaN before
// every step; losses and weights agree bit for bit.
func TestSharedMemoryHoldsNoState(t *testing.T) {
	cfg := wgan.SeedConfig()
	cfg.Filters, cfg.Batch = 4, 3
	w := wgan.Init(cfg.Filters, cfg.Latent, rand.New(rand.NewPCG(1, 2)))
	clean, poisoned := cpu.New[float32](2), cpu.New[float32](2)
	a, err := wgan.NewSteps(clean, cfg, w)
	require.NoError(t, err)
	b, err := wgan.NewSteps(poisoned, cfg, w)
	require.NoError(t, err)
	r := rand.New(rand.NewPCG(5, 6))
	for step := range 3 {
		in := wgan.NewStepInputs(cfg).Random(r)
		x, z, eps := in.X, in.Z, in.Eps
		cpu.PoisonArena(poisoned)
		la, err := a.DStep(x, z, eps)
		require.NoError(t, err)
		lb, err := b.DStep(x, z, eps)
		require.NoError(t, err)
		require.Equal(t, la, lb, "D step %d", step)
		cpu.PoisonArena(poisoned)
		ga, err := a.GStep(z)
		require.NoError(t, err)
		gb, err := b.GStep(z)
		require.NoError(t, err)
		require.Equal(t, ga, gb, "G step %d", step)
	}
	wa, err := a.Weights()
	require.NoError(t, err)
	wb, err := b.Weights()
	require.NoError(t, err)
	for _, p := range wgan.Params(cfg.Filters, cfg.Latent) {
		ta, _ := wa.Get(p.Name)
		tb, _ := wb.Get(p.Name)
		require.Equal(t, ta.Data, tb.Data, p.Name)
	}
}

// The arena takes the slots of the largest program, not of all of them,
// and releasing every program empties it.
func TestSharedMemorySize(t *testing.T) {
	cfg := wgan.SeedConfig()
	cfg.Filters, cfg.Batch = 4, 3
	b := cpu.New[float32](1)
	s, err := wgan.NewSteps(b, cfg, wgan.Init(cfg.Filters, cfg.Latent, rand.New(rand.NewPCG(1, 2))))
	require.NoError(t, err)
	d, g := s.Plans(engine.PlanOptionsFor(b))
	slots, engines := cpu.ArenaElements(b)
	require.Less(t, slots, d.Memory()+g.Memory(), "the D and G steps share slots")
	require.GreaterOrEqual(t, slots, max(d.Memory(), g.Memory())-outputElements(d, g))
	require.Positive(t, engines)
	dp, gp := s.Programs()
	dp.(*cpu.Program[float32]).Release()
	gp.(*cpu.Program[float32]).Release()
	slots, engines = cpu.ArenaElements(b)
	require.Zero(t, slots)
	require.Zero(t, engines)
	require.Error(t, dp.Run(), "a released program does not run")
}

func outputElements(plans ...*engine.Plan) int {
	n := 0
	for _, p := range plans {
		for _, o := range p.Outputs {
			n += o.Shape().Size()
		}
	}
	return n
}
