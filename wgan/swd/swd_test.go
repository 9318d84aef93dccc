package swd

import (
	"math"
	"math/rand/v2"
	"slices"
	"testing"
)

// textures returns n smooth random RGB textures of size×size in [-1, 1]
// (NCHW): per image, a random colour offset plus six plane waves of random
// frequency, orientation, phase, amplitude and colour, plus a little pixel
// noise. Different seeds are independent draws from one distribution.
func textures(seed uint64, n, size int) []float32 {
	r := rand.New(rand.NewPCG(seed, 0x7465))
	plane := size * size
	out := make([]float32, n*3*plane)
	type wave struct{ fx, fy, ph, amp float64 }
	for i := range n {
		var ws [6]wave
		var col [6][3]float64
		for w := range ws {
			ws[w] = wave{
				fx:  (2*r.Float64() - 1) * 0.25,
				fy:  (2*r.Float64() - 1) * 0.25,
				ph:  2 * math.Pi * r.Float64(),
				amp: 0.1 + 0.15*r.Float64(),
			}
			for c := range 3 {
				col[w][c] = 0.4 + 0.6*r.Float64()
			}
		}
		for c := range 3 {
			base := 0.3 * (2*r.Float64() - 1)
			img := out[(i*3+c)*plane:][:plane]
			for y := range size {
				for x := range size {
					v := base + 0.03*r.NormFloat64()
					for w, wv := range ws {
						v += wv.amp * col[w][c] * math.Cos(2*math.Pi*(wv.fx*float64(x)+wv.fy*float64(y))+wv.ph)
					}
					img[y*size+x] = float32(max(-1, min(1, v)))
				}
			}
		}
	}
	return out
}

// withNoise returns a copy of images with Gaussian noise of deviation sigma.
func withNoise(images []float32, sigma float64, seed uint64) []float32 {
	r := rand.New(rand.NewPCG(seed, 0x6e6f))
	out := slices.Clone(images)
	for i := range out {
		out[i] += float32(sigma * r.NormFloat64())
	}
	return out
}

// blurred returns a copy of images, each plane filtered with a 3×3 box
// (clamped at the edges).
func blurred(images []float32, size int) []float32 {
	out := make([]float32, len(images))
	plane := size * size
	for p := 0; p < len(images); p += plane {
		src, dst := images[p:p+plane], out[p:p+plane]
		for y := range size {
			for x := range size {
				var s float32
				for dy := -1; dy <= 1; dy++ {
					for dx := -1; dx <= 1; dx++ {
						yy := max(0, min(size-1, y+dy))
						xx := max(0, min(size-1, x+dx))
						s += src[yy*size+xx]
					}
				}
				dst[y*size+x] = s / 9
			}
		}
	}
	return out
}

func randomPlane(r *rand.Rand, s int) []float32 {
	p := make([]float32, s*s)
	for i := range p {
		p[i] = 255 * r.Float32()
	}
	return p
}

// bruteDown is pyrDown by definition: 2-D convolution with the 5×5
// binomial under the mirror boundary, then every second pixel.
func bruteDown(src []float32, s int) []float32 {
	h := s / 2
	out := make([]float32, h*h)
	for y := range h {
		for x := range h {
			var v float64
			for i := range 5 {
				for j := range 5 {
					v += float64(binomial[i]) * float64(binomial[j]) *
						float64(src[mirror(2*y+i-2, s)*s+mirror(2*x+j-2, s)])
				}
			}
			out[y*h+x] = float32(v)
		}
	}
	return out
}

// bruteUp is pyrUp by definition: zeros inserted between the pixels, then
// 2-D convolution with 4× the binomial under the mirror boundary.
func bruteUp(src []float32, s int) []float32 {
	w := 2 * s
	z := make([]float64, w*w)
	for y := range s {
		for x := range s {
			z[2*y*w+2*x] = float64(src[y*s+x])
		}
	}
	out := make([]float32, w*w)
	for y := range w {
		for x := range w {
			var v float64
			for i := range 5 {
				for j := range 5 {
					v += 4 * float64(binomial[i]) * float64(binomial[j]) * z[mirror(y+i-2, w)*w+mirror(x+j-2, w)]
				}
			}
			out[y*w+x] = float32(v)
		}
	}
	return out
}

func maxAbsDiff(a, b []float32) float64 {
	var m float64
	for i := range a {
		m = max(m, math.Abs(float64(a[i])-float64(b[i])))
	}
	return m
}

func TestMirror(t *testing.T) {
	got := []int{}
	for i := -3; i < 7; i++ {
		got = append(got, mirror(i, 4))
	}
	if want := []int{3, 2, 1, 0, 1, 2, 3, 2, 1, 0}; !slices.Equal(got, want) {
		t.Fatalf("mirror(-3..6, 4) = %v, want %v", got, want)
	}
}

func TestPyramidMatchesDefinition(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	for _, s := range []int{64, 16, 8, 4, 2} {
		src := randomPlane(r, s)
		down := make([]float32, s*s/4)
		pyrDown(down, src, s, make([]float32, s*s))
		if d := maxAbsDiff(down, bruteDown(src, s)); d > 1e-3 {
			t.Errorf("pyrDown %d px: differs from the definition by %g", s, d)
		}
		up := make([]float32, 4*s*s)
		pyrUp(up, src, s, make([]float32, 4*s*s))
		if d := maxAbsDiff(up, bruteUp(src, s)); d > 1e-3 {
			t.Errorf("pyrUp %d px: differs from the definition by %g", s, d)
		}
	}
}

func TestPyramidConstant(t *testing.T) {
	for _, s := range []int{64, 32, 16} {
		src := make([]float32, s*s)
		for i := range src {
			src[i] = 123.25
		}
		down := make([]float32, s*s/4)
		pyrDown(down, src, s, make([]float32, s*s))
		up := make([]float32, 4*s*s)
		pyrUp(up, src, s, make([]float32, 4*s*s))
		for _, v := range down {
			if math.Abs(float64(v)-123.25) > 1e-4 {
				t.Fatalf("pyrDown of a constant %d-px image: %v, want 123.25", s, v)
			}
		}
		for _, v := range up {
			if math.Abs(float64(v)-123.25) > 1e-4 {
				t.Fatalf("pyrUp of a constant %d-px image: %v, want 123.25", s, v)
			}
		}
		// The band-pass levels of a constant image are 0.
		p := newPyramid(s, 3)
		p.build(src)
		for l := range 2 {
			for _, v := range p.planes[l] {
				if math.Abs(float64(v)) > 1e-4 {
					t.Fatalf("band-pass level %d of a constant %d-px image: %v", l, s, v)
				}
			}
		}
	}
}

func TestPyramidReconstructs(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	const s = 64
	src := randomPlane(r, s)
	p := newPyramid(s, 3)
	p.build(src)
	// G0 = L0 + up(L1 + up(L2)).
	l0, l1, l2 := p.planes[0], p.planes[1], p.planes[2]
	up1 := make([]float32, 32*32)
	pyrUp(up1, l2, 16, make([]float32, 32*32))
	g1 := make([]float32, 32*32)
	for i := range g1 {
		g1[i] = l1[i] + up1[i]
	}
	up0 := make([]float32, s*s)
	pyrUp(up0, g1, 32, make([]float32, s*s))
	var worst float64
	for i := range src {
		worst = max(worst, math.Abs(float64(l0[i]+up0[i])-float64(src[i])))
	}
	if worst > 1e-4 {
		t.Fatalf("reconstruction differs by up to %g (values in [0, 255])", worst)
	}
	// and the low-pass level is the twice-reduced image.
	g := make([]float32, 32*32)
	pyrDown(g, src, s, make([]float32, s*s))
	want := make([]float32, 16*16)
	pyrDown(want, g, 32, make([]float32, s*s))
	if d := maxAbsDiff(l2, want); d != 0 {
		t.Fatalf("low-pass level differs from G2 by %g", d)
	}
}

func TestPatchCentresInBounds(t *testing.T) {
	for l, s := range []int{64, 32, 16} {
		seen := map[int]bool{}
		centres := make([][2]int, 128)
		for img := range 64 {
			patchCentres(7, l, img, s, 7, centres)
			for _, c := range centres {
				for _, v := range c {
					if v < 3 || v > s-4 {
						t.Fatalf("%d px: centre %v outside [3, %d]", s, c, s-4)
					}
					seen[v] = true
				}
			}
		}
		if len(seen) != s-6 {
			t.Errorf("%d px: %d distinct centre coordinates, want all %d", s, len(seen), s-6)
		}
	}
	// Same seed, same positions; another seed, others.
	a, b, c := make([][2]int, 16), make([][2]int, 16), make([][2]int, 16)
	patchCentres(1, 0, 5, 64, 7, a)
	patchCentres(1, 0, 5, 64, 7, b)
	patchCentres(2, 0, 5, 64, 7, c)
	if !slices.Equal(a, b) || slices.Equal(a, c) {
		t.Fatal("patch positions are not a function of the seed")
	}
}

func TestDirectionsUnit(t *testing.T) {
	w := directions(1, 0, 147, 128)
	if len(w) != 132*147 {
		t.Fatalf("len %d, want %d (padded to 132 rows)", len(w), 132*147)
	}
	for d := range 132 {
		var ss float64
		for _, v := range w[d*147 : (d+1)*147] {
			ss += float64(v) * float64(v)
		}
		if want := float64(min(1, 128-d)); d < 128 && math.Abs(ss-1) > 1e-5 || d >= 128 && ss != 0 {
			t.Fatalf("direction %d: squared norm %v, want %v", d, ss, want)
		}
	}
}

func TestNormalisation(t *testing.T) {
	for _, tc := range []struct{ n, patches int }{{16, 128}, {3, 5}} {
		cfg := DefaultConfig()
		cfg.PatchesPerImage = tc.patches
		desc, err := Descriptors(textures(1, tc.n, 64), tc.n, 64, cfg)
		if err != nil {
			t.Fatal(err)
		}
		if len(desc) != 3 {
			t.Fatalf("%d levels", len(desc))
		}
		for l, m := range desc {
			if m.Rows() != tc.n*tc.patches || m.Cols() != 147 {
				t.Fatalf("level %d: %d×%d", l, m.Rows(), m.Cols())
			}
			for c := range 3 {
				var s, ss float64
				for i := range m.Rows() {
					for k := c * 49; k < (c+1)*49; k++ {
						v := float64(m.At(i, k))
						s += v
						ss += v * v
					}
				}
				cnt := float64(m.Rows() * 49)
				mean := s / cnt
				sd := math.Sqrt(ss/cnt - mean*mean)
				if math.Abs(mean) > 1e-4 || math.Abs(sd-1) > 1e-3 {
					t.Errorf("n=%d level %d channel %d: mean %g, std %g", tc.n, l, c, mean, sd)
				}
			}
			// Padding rows stay 0.
			for i := m.Rows(); i < m.panels()*panel; i++ {
				for k := range m.Cols() {
					if v := m.data[m.index(i, k)]; v != 0 {
						t.Fatalf("padding row %d holds %v", i, v)
					}
				}
			}
		}
	}
}

func TestDescriptorLayout(t *testing.T) {
	// A descriptor is the patch of the pyramid level around its centre,
	// channel by channel, normalised.
	cfg := DefaultConfig()
	cfg.PatchesPerImage = 4
	const n, size = 2, 32
	images := textures(5, n, size)
	desc, err := Descriptors(images, n, size, cfg)
	if err != nil {
		t.Fatal(err)
	}
	p := newPyramid(size, 3)
	buf := make([]float32, size*size)
	img := 1
	levels := make([][][]float32, 3) // [channel][level]
	for c := range 3 {
		for i, v := range images[(img*3+c)*size*size:][:size*size] {
			buf[i] = (v + 1) * 127.5
		}
		p.build(buf)
		for l := range 3 {
			levels[c] = append(levels[c], slices.Clone(p.planes[l]))
		}
	}
	const l = 1
	s := size >> l
	centres := make([][2]int, 4)
	patchCentres(cfg.Seed, l, img, s, 7, centres)
	m := desc[l]
	// Normalisation is affine per channel: recover it from two entries.
	for c := range 3 {
		var xs, ys []float64
		for j, ctr := range centres {
			for dy := -3; dy <= 3; dy++ {
				for dx := -3; dx <= 3; dx++ {
					k := c*49 + (dy+3)*7 + dx + 3
					xs = append(xs, float64(levels[c][l][(ctr[0]+dy)*s+ctr[1]+dx]))
					ys = append(ys, float64(m.At(img*4+j, k)))
				}
			}
		}
		a := (ys[1] - ys[0]) / (xs[1] - xs[0])
		b := ys[0] - a*xs[0]
		for i := range xs {
			if math.Abs(a*xs[i]+b-ys[i]) > 1e-3 {
				t.Fatalf("channel %d value %d: descriptor %v, patch %v (scale %v, offset %v)", c, i, ys[i], xs[i], a, b)
			}
		}
	}
	if r := m.Row(img*4 + 2); len(r) != 147 || r[100] != m.At(img*4+2, 100) {
		t.Fatal("Row disagrees with At")
	}
}

func TestKernel(t *testing.T) {
	r := rand.New(rand.NewPCG(5, 6))
	const k, ldw, ldo = 147, 150, 40
	w := make([]float32, 6*ldw)
	x := make([]float32, 16*k)
	for i := range w {
		w[i] = float32(r.NormFloat64())
	}
	for i := range x {
		x[i] = float32(r.NormFloat64())
	}
	want := make([]float64, 6*16)
	for i := range 6 {
		for j := range 16 {
			for kk := range k {
				want[i*16+j] += float64(w[i*ldw+kk]) * float64(x[kk*16+j])
			}
		}
	}
	check := func(name string, out []float32) {
		for i := range 6 {
			for j := range 16 {
				if d := math.Abs(float64(out[i*ldo+j]) - want[i*16+j]); d > 1e-4 {
					t.Fatalf("%s: out[%d][%d] = %v, want %v", name, i, j, out[i*ldo+j], want[i*16+j])
				}
			}
		}
	}
	out := make([]float32, 6*ldo)
	kern6x16Go(k, w, ldw, x, out, ldo)
	check("Go kernel", out)
	if useAVX2 {
		out := make([]float32, 6*ldo)
		project6(k, w, ldw, x, out, ldo)
		check("AVX2 kernel", out)
	} else {
		t.Log("no AVX2+FMA: only the Go kernel is tested")
	}
}

func TestRadixSort(t *testing.T) {
	r := rand.New(rand.NewPCG(7, 8))
	for _, n := range []int{0, 1, 2, 17, 5000} {
		v := make([]float32, n)
		for i := range v {
			switch i % 5 {
			case 0:
				v[i] = float32(r.NormFloat64() * 1e3)
			case 1:
				v[i] = float32(r.NormFloat64() * 1e-3)
			case 2:
				v[i] = 0
			case 3:
				v[i] = float32(math.Copysign(0, -1))
			default:
				v[i] = float32(r.IntN(5) - 2)
			}
		}
		keys := radixSort(v, make([]uint32, n), make([]uint32, n))
		got := make([]float32, n)
		for i, k := range keys {
			got[i] = unkey(k)
		}
		want := slices.Clone(v)
		slices.Sort(want)
		if !slices.Equal(got, want) {
			t.Fatalf("n=%d: radix sort disagrees with slices.Sort", n)
		}
	}
	// All keys equal in some digit (the pass is skipped).
	v := []float32{3, 1, 2, 1.5}
	keys := radixSort(v, make([]uint32, 4), make([]uint32, 4))
	for i, want := range []float32{1, 1.5, 2, 3} {
		if unkey(keys[i]) != want {
			t.Fatalf("sorted %v: %v at %d", v, unkey(keys[i]), i)
		}
	}
}

func TestW1(t *testing.T) {
	keys := func(v ...float32) []uint32 {
		k := make([]uint32, len(v))
		for i, f := range v {
			k[i] = key(f)
		}
		slices.Sort(k)
		return k
	}
	// {0} against {1, 3}: CDF gap 1 on [0, 1], 1/2 on [1, 3].
	if got := w1Merge(keys(0), keys(1, 3)); math.Abs(got-2) > 1e-12 {
		t.Fatalf("W1({0}, {1, 3}) = %v, want 2", got)
	}
	// A set against itself twice over is at distance 0.
	if got := w1Merge(keys(1, 5, 2), keys(1, 1, 5, 5, 2, 2)); got != 0 {
		t.Fatalf("W1 of a set and its double = %v", got)
	}
	// Equal counts: the merge equals the mean difference of sorted values.
	r := rand.New(rand.NewPCG(9, 10))
	a, b := make([]float32, 1000), make([]float32, 1000)
	for i := range a {
		a[i], b[i] = float32(r.NormFloat64()), float32(1+2*r.NormFloat64())
	}
	s := newSorter(1000)
	direct := s.w1(a, b)
	if merged := w1Merge(keys(a...), keys(b...)); math.Abs(direct-merged) > 1e-9*direct {
		t.Fatalf("mean |Δ| %v, CDF merge %v", direct, merged)
	}
}

// The sliced distance between two Gaussian clouds shifted by μ along one
// axis: each direction θ sees a 1-D shift of μ|θ₁|, whose mean over the
// sphere in d dimensions is μ Γ(d/2) / (√π Γ((d+1)/2)).
func TestDistanceGaussianShift(t *testing.T) {
	const rows, dim, mu = 4000, 147, 10.0
	r := rand.New(rand.NewPCG(11, 12))
	cloud := func(shift float64) *Matrix {
		d := make([]float32, rows*dim)
		for i := range d {
			d[i] = float32(r.NormFloat64())
			if i%dim == 0 {
				d[i] += float32(shift)
			}
		}
		m, err := NewMatrix(rows, dim, d)
		if err != nil {
			t.Fatal(err)
		}
		return m
	}
	a, b := cloud(0), cloud(mu)
	levels, avg, err := Distance([]*Matrix{a}, []*Matrix{b}, DefaultConfig())
	if err != nil {
		t.Fatal(err)
	}
	lg1, _ := math.Lgamma(dim / 2.0)
	lg2, _ := math.Lgamma((dim + 1) / 2.0)
	want := Scale * mu * math.Exp(lg1-lg2) / math.Sqrt(math.Pi)
	if len(levels) != 1 || levels[0] != avg || math.Abs(avg-want) > 0.05*want {
		t.Fatalf("distance %v (levels %v), want about %v", avg, levels, want)
	}
	t.Logf("shift %g in %d-D: %.1f, expected %.1f", mu, dim, avg, want)
}

func TestIdenticalSetsAreAtZero(t *testing.T) {
	images := textures(1, 32, 64)
	levels, avg, err := SWD(images, slices.Clone(images), 32, 64, DefaultConfig())
	if err != nil {
		t.Fatal(err)
	}
	for l, v := range levels {
		if v != 0 {
			t.Errorf("level %d: %v, want 0", l, v)
		}
	}
	if avg != 0 {
		t.Errorf("average %v, want 0", avg)
	}
}

func TestDeterministic(t *testing.T) {
	a, b := textures(1, 16, 64), textures(2, 16, 64)
	cfg := DefaultConfig()
	l1, v1, err := SWD(a, b, 16, 64, cfg)
	if err != nil {
		t.Fatal(err)
	}
	l2, v2, _ := SWD(a, b, 16, 64, cfg)
	if v1 != v2 || !slices.Equal(l1, l2) {
		t.Fatalf("same seed: %v %v, then %v %v", l1, v1, l2, v2)
	}
	cfg.Seed++
	_, v3, _ := SWD(a, b, 16, 64, cfg)
	if v3 == v1 {
		t.Fatalf("another seed gives the same value %v", v1)
	}
}

// The quality test: the floor between independent draws is small, shifted
// distributions are clearly further, and further the more they are
// shifted. Added noise and blur act on the finest (64-px band-pass) level;
// with 128 images the floor is dominated by the 16-px low-pass level,
// where the images differ most from one another.
func TestShiftedDistributions(t *testing.T) {
	const n, size = 128, 64
	cfg := DefaultConfig()
	real := textures(1, n, size)
	ref, err := NewReference(real, n, size, cfg)
	if err != nil {
		t.Fatal(err)
	}
	other := textures(2, n, size)
	floorLv, floor, err := ref.Distance(other, n)
	if err != nil {
		t.Fatal(err)
	}
	halfLv, half, err := Floor(real, n, size, cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("independent draw: %.2f (levels %.2f); halves of 64: %.2f (%.2f)", floor, floorLv, half, halfLv)

	prev, prev0 := floor, floorLv[0]
	for _, sigma := range []float64{0.1, 0.2, 0.4, 0.8} {
		levels, v, err := ref.Distance(withNoise(other, sigma, 3), n)
		if err != nil {
			t.Fatal(err)
		}
		t.Logf("noise σ=%.1f: %.2f (levels %.2f)", sigma, v, levels)
		if v <= prev || levels[0] <= prev0 {
			t.Errorf("noise σ=%v: %v (finest level %v) is not above %v (%v)", sigma, v, levels[0], prev, prev0)
		}
		if sigma == 0.2 && levels[0] < 2*floorLv[0] {
			t.Errorf("noise σ=0.2: finest level %v, not clearly above the floor %v", levels[0], floorLv[0])
		}
		prev, prev0 = v, levels[0]
	}
	levels, v, err := ref.Distance(blurred(other, size), n)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("3×3 blur: %.2f (levels %.2f)", v, levels)
	if v < 1.2*floor || levels[0] < 2*floorLv[0] || levels[1] < 1.3*floorLv[1] {
		t.Errorf("blur: %v (levels %v), not clearly above the floor %v (%v)", v, levels, floor, floorLv)
	}
	// A brightness change of the whole set is normalised away.
	bright := slices.Clone(other)
	for i := range bright {
		bright[i] += 0.3
	}
	_, vb, _ := ref.Distance(bright, n)
	t.Logf("brightness +0.3 (unclamped): %.2f", vb)
	if math.Abs(vb-floor) > 0.01*floor {
		t.Errorf("brightness +0.3: %v, want the floor %v", vb, floor)
	}
}

func TestUnequalCounts(t *testing.T) {
	ref, err := NewReference(textures(1, 32, 64), 32, 64, DefaultConfig())
	if err != nil {
		t.Fatal(err)
	}
	levels, v, err := ref.Distance(textures(2, 16, 64), 16)
	if err != nil {
		t.Fatal(err)
	}
	if v <= 0 || math.IsNaN(v) || len(levels) != 3 {
		t.Fatalf("32 real against 16 fake: %v %v", levels, v)
	}
	if ref.Images() != 32 || len(ref.Descriptors()) != 3 || ref.Config() != DefaultConfig() {
		t.Fatal("accessors")
	}
}

func TestGoKernelPathAgrees(t *testing.T) {
	if !useAVX2 {
		t.Skip("the Go kernel is the only one here")
	}
	a, b := textures(1, 8, 32), textures(2, 8, 32)
	cfg := DefaultConfig()
	_, fast, err := SWD(a, b, 8, 32, cfg)
	if err != nil {
		t.Fatal(err)
	}
	useAVX2 = false
	defer func() { useAVX2 = true }()
	_, slow, _ := SWD(a, b, 8, 32, cfg)
	if math.Abs(fast-slow) > 1e-4*fast {
		t.Fatalf("AVX2 %v, Go %v", fast, slow)
	}
}

// A diverged generator: non-finite pixels give NaN, not a panic.
func TestNonFinite(t *testing.T) {
	real, fake := textures(1, 4, 32), textures(2, 4, 32)
	fake[100] = float32(math.NaN())
	_, v, err := SWD(real, fake, 4, 32, DefaultConfig())
	if err != nil || !math.IsNaN(v) {
		t.Fatalf("NaN pixel: %v, %v", v, err)
	}
	fake[100] = float32(math.Inf(1))
	if _, v, _ := SWD(real, fake, 4, 32, DefaultConfig()); !math.IsNaN(v) {
		t.Fatalf("infinite pixel: %v", v)
	}
}

func TestLevelsFor(t *testing.T) {
	for size, want := range map[int]int{64: 3, 128: 4, 32: 2, 16: 1, 8: 1, 48: 2, 68: 3, 17: 1} {
		if got := LevelsFor(size); got != want {
			t.Errorf("LevelsFor(%d) = %d, want %d", size, got, want)
		}
	}
}

func TestErrors(t *testing.T) {
	cfg := DefaultConfig()
	img := textures(1, 2, 64)
	bad := func(name string, err error) {
		t.Helper()
		if err == nil {
			t.Errorf("%s: no error", name)
		} else {
			t.Logf("%s: %v", name, err)
		}
	}
	_, err := Descriptors(img[:len(img)-1], 2, 64, cfg)
	bad("short images", err)
	_, err = Descriptors(img, 3, 64, cfg)
	bad("too few values for n", err)
	_, err = Descriptors(nil, 0, 64, cfg)
	bad("no images", err)
	_, err = Descriptors(img[:3*62*62], 1, 62, cfg)
	bad("size not divisible by 4", err)
	_, err = Descriptors(img[:3*24*24], 1, 24, cfg)
	bad("smallest level below the patch", err)
	for name, mod := range map[string]func(*Config){
		"no patches":     func(c *Config) { c.PatchesPerImage = 0 },
		"even patch":     func(c *Config) { c.PatchSize = 6 },
		"no directions":  func(c *Config) { c.Directions = 0 },
		"no repeats":     func(c *Config) { c.Repeats = 0 },
		"no levels":      func(c *Config) { c.Levels = 0 },
		"no channels":    func(c *Config) { c.Channels = 0 },
		"wrong channels": func(c *Config) { c.Channels = 1 },
	} {
		c := cfg
		mod(&c)
		_, err := Descriptors(img, 2, 64, c)
		bad(name, err)
	}
	_, _, err = Floor(img[:3*64*64], 1, 64, cfg)
	bad("floor of one image", err)
	_, _, err = SWD(img, img[:len(img)/2], 2, 64, cfg)
	bad("fake set too short", err)
	_, err = NewReference(img, 2, 32, cfg)
	bad("reference of the wrong size", err)
	ref, _ := NewReference(img, 2, 64, cfg)
	_, _, err = ref.Distance(img[1:], 2)
	bad("reference distance, short fake set", err)

	d, _ := Descriptors(img, 2, 64, cfg)
	_, _, err = Distance(d, d[:2], cfg)
	bad("levels differ", err)
	_, _, err = Distance(nil, nil, cfg)
	bad("no levels", err)
	m, _ := NewMatrix(2, 3, make([]float32, 6))
	_, _, err = Distance([]*Matrix{m}, d[:1], cfg)
	bad("descriptor sizes differ", err)
	_, _, err = Distance([]*Matrix{nil}, d[:1], cfg)
	bad("nil matrix", err)
	_, _, err = Distance([]*Matrix{{}}, []*Matrix{{}}, cfg)
	bad("zero matrices", err)
	_, err = NewMatrix(2, 3, make([]float32, 5))
	bad("matrix data length", err)
	_, err = NewMatrix(0, 3, nil)
	bad("empty matrix", err)
}

// One Reference.Distance call, 512 fake images of 64 px against 512 real
// ones with the default configuration.
func BenchmarkReference512(b *testing.B) {
	const n, size = 512, 64
	ref, err := NewReference(textures(1, n, size), n, size, DefaultConfig())
	if err != nil {
		b.Fatal(err)
	}
	fake := textures(2, n, size)
	b.ResetTimer()
	for b.Loop() {
		if _, _, err := ref.Distance(fake, n); err != nil {
			b.Fatal(err)
		}
	}
}

// Descriptor extraction alone for 512 images of 64 px.
func BenchmarkDescriptors512(b *testing.B) {
	const n, size = 512, 64
	images := textures(1, n, size)
	for b.Loop() {
		if _, err := Descriptors(images, n, size, DefaultConfig()); err != nil {
			b.Fatal(err)
		}
	}
}
