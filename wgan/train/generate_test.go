package train

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/wgangp/wgangp/engine/cpu"
	"github.com/wgangp/wgangp/wgan"
)

// TestGenerate: the latents of a seed are the same every time and differ
// from another seed's; the images of SampleChunk+1 latents, made a chunk
// at a time, are each latent's alone.
func TestGenerate(t *testing.T) {
	require.Equal(t, Latents(3, 5, 2), Latents(3, 5, 2))
	require.NotEqual(t, Latents(3, 5, 2), Latents(3, 5, 3))
	require.Equal(t, Latents(3, 5, 2)[:5], Latents(1, 5, 2), "the first latents of a seed do not depend on how many")

	b := cpu.New[float32](1)
	tr, err := New(b, flowers(8), "flowers", tinyOptions(1))
	require.NoError(t, err)
	defer tr.Close()
	w, err := tr.Weights()
	require.NoError(t, err)
	z := Latents(SampleChunk+1, tr.Options().Config.Latent, 1)
	all, err := Generate(b, w, z)
	require.NoError(t, err)
	plane := wgan.Channels * wgan.Size * wgan.Size
	require.Len(t, all, (SampleChunk+1)*plane)
	last, err := Generate(b, w, z[SampleChunk*tr.Options().Config.Latent:])
	require.NoError(t, err)
	require.Equal(t, last, all[SampleChunk*plane:])
}
