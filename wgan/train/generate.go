package train

import (
	"math/rand/v2"

	"github.com/wgangp/wgangp/engine"
	"github.com/wgangp/wgangp/safetensors"
	"github.com/wgangp/wgangp/wgan"
)

// SampleChunk is how many images Generate makes at a time, so that its
// memory does not grow with their number.
const SampleChunk = 64

// Latents draws n latent vectors of size z from N(0,1) with a PCG
// generator seeded (seed, 0): the latents of `generate --seed seed` and of
// the seed-th weights file the page loads, so both show the same images.
func Latents(n, z int, seed uint64) []float32 {
	r := rand.New(rand.NewPCG(seed, 0))
	v := make([]float32, n*z)
	for i := range v {
		v[i] = float32(r.NormFloat64())
	}
	return v
}

// Generate runs the generator of the weights file w on latents z [n, Z],
// SampleChunk at a time, and returns the images [n, 3, 64, 64].
func Generate(b engine.Backend, w *safetensors.File, z []float32) ([]float32, error) {
	_, zSize, err := wgan.SizeOf(w, true)
	if err != nil {
		return nil, err
	}
	n := len(z) / zSize
	chunk := min(n, SampleChunk)
	s, err := wgan.NewSampler(b, w, chunk)
	if err != nil {
		return nil, err
	}
	defer s.Close()
	plane := wgan.Channels * wgan.Size * wgan.Size
	images := make([]float32, n*plane)
	zc := make([]float32, chunk*zSize)
	out := make([]float32, chunk*plane)
	for i := 0; i < n; i += chunk {
		k := min(chunk, n-i)
		clear(zc) // a partial last chunk is padded with zero latents
		copy(zc, z[i*zSize:(i+k)*zSize])
		if err := s.Sample(out, zc); err != nil {
			return nil, err
		}
		copy(images[i*plane:(i+k)*plane], out)
	}
	return images, nil
}
