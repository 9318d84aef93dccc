package train

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/wgangp/wgangp/wgan"
)

const pictureLen = wgan.Channels * wgan.Size * wgan.Size

// TestDiversity: 0 for identical pictures; for two flat pictures the RMS
// of their difference exactly; more for more different pictures; blind to
// texture finer than the pooling.
func TestDiversity(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	one := make([]float32, pictureLen)
	for i := range one {
		one[i] = float32(2*r.Float64() - 1)
	}
	same := make([]float32, 0, 5*pictureLen)
	for range 5 {
		same = append(same, one...)
	}
	if d := Diversity(same, 5); d != 0 {
		t.Errorf("five identical pictures: %v, want 0", d)
	}

	flat := func(v ...float32) []float32 {
		var out []float32
		for _, x := range v {
			for range pictureLen {
				out = append(out, x)
			}
		}
		return out
	}
	// Pairs (0.5,-0.5): 1, (0.5,0.1): 0.4, (-0.5,0.1): 0.6; mean 2/3.
	if d := Diversity(flat(0.5, -0.5, 0.1), 3); math.Abs(d-2.0/3) > 1e-6 {
		t.Errorf("three flat pictures: %v, want 2/3", d)
	}
	if near, far := Diversity(flat(0.1, 0.2, 0.3), 3), Diversity(flat(-0.9, 0, 0.9), 3); !(near > 0 && far > 4*near) {
		t.Errorf("spread pictures %v not above close ones %v", far, near)
	}

	// A checkerboard of ±0.8 within each 4×4 square pools to 0: the same
	// flat picture with and without it are alike.
	textured := flat(0.2)
	for i := range textured {
		x, y := i%wgan.Size, i/wgan.Size%wgan.Size
		if (x+y)%2 == 0 {
			textured[i] += 0.8
		} else {
			textured[i] -= 0.8
		}
	}
	if d := Diversity(append(flat(0.2), textured...), 2); d > 1e-6 {
		t.Errorf("texture finer than the pooling counted: %v", d)
	}
	if d := Diversity(flat(0.2), 1); d != 0 {
		t.Errorf("one picture: %v", d)
	}
}
