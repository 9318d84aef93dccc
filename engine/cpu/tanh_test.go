package cpu

import (
	"math"
	"testing"
)

// tanh32 is within 1.3 ulp of float64 tanh rounded, over [0, 12] densely
// and over magnitudes down to 1e-30, odd, and exact at the special values.
func TestTanh32Accuracy(t *testing.T) {
	ulps := func(x float32) float64 {
		ref := math.Tanh(float64(x))
		r := float32(math.Abs(ref))
		ulp := float64(math.Nextafter32(r, 2) - r)
		return math.Abs(float64(tanh32(x))-ref) / ulp
	}
	worst, at := 0.0, float32(0)
	check := func(x float32) {
		if u := ulps(x); u > worst {
			worst, at = u, x
		}
		if got, want := tanh32(-x), -tanh32(x); math.Float32bits(got) != math.Float32bits(want) {
			t.Fatalf("tanh32(%g) = %g, not -tanh32(%g) = %g", -x, got, x, want)
		}
	}
	for x := float32(0); x < 12; x += 3e-5 {
		check(x)
	}
	for x := 1e-30; x < 1; x *= 1.001 {
		check(float32(x))
	}
	if worst > 1.3 {
		t.Errorf("tanh32 is %.2f ulp from tanh at %g", worst, at)
	}
	t.Logf("worst: %.3f ulp at %g", worst, at)
	for _, c := range []struct{ x, want float32 }{
		{float32(math.Inf(1)), 1}, {float32(math.Inf(-1)), -1}, {20, 1}, {-9.5, -1}, {1e-40, 1e-40},
	} {
		if got := tanh32(c.x); got != c.want {
			t.Errorf("tanh32(%g) = %g, want %g", c.x, got, c.want)
		}
	}
	if got := tanh32(float32(math.Copysign(0, -1))); math.Float32bits(got) != 1<<31 {
		t.Errorf("tanh32(-0) = %g, want -0", got)
	}
	if nan := math.Float32frombits(0x7fc12345); math.Float32bits(tanh32(nan)) != 0x7fc12345 {
		t.Errorf("tanh32 of a NaN changes it")
	}
}
