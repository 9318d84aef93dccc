package wgan

import "math/rand/v2"

// StepInputs are what a D step reads besides the weights: real pictures X
// [N,3,64,64] in [-1,1], latents Z [N,Z] and interpolation weights Eps [N]
// (a G step reads Z).
type StepInputs struct{ X, Z, Eps []float32 }

// NewStepInputs allocates the inputs of one step of cfg, zeroed.
func NewStepInputs(cfg Config) *StepInputs {
	return &StepInputs{
		X:   make([]float32, cfg.Batch*Channels*Size*Size),
		Z:   make([]float32, cfg.Batch*cfg.Latent),
		Eps: make([]float32, cfg.Batch),
	}
}

// Random fills the inputs from r, for benchmarks and tests: X ~ U(-1,1)
// (random pictures), Z ~ N(0,1), Eps ~ U(0,1), drawn in that order.
func (in *StepInputs) Random(r *rand.Rand) *StepInputs {
	for i := range in.X {
		in.X[i] = float32(2*r.Float64() - 1)
	}
	for i := range in.Z {
		in.Z[i] = float32(r.NormFloat64())
	}
	for i := range in.Eps {
		in.Eps[i] = float32(r.Float64())
	}
	return in
}
