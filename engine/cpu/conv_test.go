package cpu

import (
	"fmt"
	"math"
	"math/rand"
	"testing"
)

// Naive float64 references. Each returns the result and, per element, the
// sum of the absolute values of its terms (for the tolerance).

// refTaps calls f(x index, w index, y index) for every multiply-add of the
// convolution of geometry g, skipping taps that fall in the padding.
func refTaps(g ConvGeom, f func(xi, wi, yi int)) {
	for n := 0; n < g.N; n++ {
		for o := 0; o < g.O; o++ {
			for i := 0; i < g.OH; i++ {
				for j := 0; j < g.OW; j++ {
					yi := ((n*g.O+o)*g.OH+i)*g.OW + j
					for c := 0; c < g.C; c++ {
						for p := 0; p < g.KH; p++ {
							h := i*g.Stride + p - g.PadT
							if h < 0 || h >= g.H {
								continue
							}
							for q := 0; q < g.KW; q++ {
								v := j*g.Stride + q - g.PadL
								if v < 0 || v >= g.W {
									continue
								}
								f(((n*g.C+c)*g.H+h)*g.W+v, ((o*g.C+c)*g.KH+p)*g.KW+q, yi)
							}
						}
					}
				}
			}
		}
	}
}

func refConv2D(g ConvGeom, x, w []float64) (y, mag []float64) {
	y = make([]float64, g.N*g.O*g.OH*g.OW)
	mag = make([]float64, len(y))
	refTaps(g, func(xi, wi, yi int) {
		t := x[xi] * w[wi]
		y[yi] += t
		mag[yi] += math.Abs(t)
	})
	return y, mag
}

func refConvTranspose(g ConvGeom, dy, w []float64) (dx, mag []float64) {
	dx = make([]float64, g.N*g.C*g.H*g.W)
	mag = make([]float64, len(dx))
	refTaps(g, func(xi, wi, yi int) {
		t := dy[yi] * w[wi]
		dx[xi] += t
		mag[xi] += math.Abs(t)
	})
	return dx, mag
}

func refConvFilter(g ConvGeom, x, dy []float64) (dw, mag []float64) {
	dw = make([]float64, g.O*g.C*g.KH*g.KW)
	mag = make([]float64, len(dw))
	refTaps(g, func(xi, wi, yi int) {
		t := dy[yi] * x[xi]
		dw[wi] += t
		mag[wi] += math.Abs(t)
	})
	return dw, mag
}

// mkGeom builds a geometry from the input size, kernel, stride and the top
// and bottom pads (the same pads are used for left and right).
func mkGeom(n, c, h, w, o, k, stride, padT, padB int) ConvGeom {
	return ConvGeom{N: n, C: c, H: h, W: w, O: o, KH: k, KW: k,
		OH: (h+padT+padB-k)/stride + 1, OW: (w+padT+padB-k)/stride + 1,
		Stride: stride, PadT: padT, PadL: padT}
}

// layerGeoms are the discriminator convolutions and generator transposed
// convolutions (as the convolutions they transpose) for filters f, batch n.
func layerGeoms(f, n int) map[string]ConvGeom {
	return map[string]ConvGeom{
		"conv1":  mkGeom(n, 3, 64, 64, f, 5, 2, 1, 2),
		"conv2":  mkGeom(n, f, 32, 32, 2*f, 5, 2, 1, 2),
		"conv3":  mkGeom(n, 2*f, 16, 16, 4*f, 5, 2, 1, 2),
		"conv4":  mkGeom(n, 4*f, 8, 8, 8*f, 5, 2, 1, 2),
		"conv5":  mkGeom(n, 8*f, 4, 4, 1, 4, 1, 0, 0),
		"tconv1": mkGeom(n, 4*f, 8, 8, 8*f, 5, 1, 0, 0),
		"tconv2": mkGeom(n, 2*f, 16, 16, 4*f, 5, 2, 1, 2),
		"tconv3": mkGeom(n, f, 32, 32, 2*f, 5, 2, 1, 2),
		"tconv4": mkGeom(n, 3, 64, 64, f, 5, 2, 1, 2),
	}
}

type convCase struct {
	name string
	g    ConvGeom
}

func convCases() []convCase {
	cs := []convCase{
		{"odd3x3s1", mkGeom(1, 3, 7, 9, 5, 3, 1, 1, 1)},
		{"odd3x3s1b3", mkGeom(3, 3, 7, 9, 5, 3, 1, 1, 1)},
		{"odd5x5s2", mkGeom(3, 3, 9, 7, 5, 5, 2, 1, 2)},
		{"odd5x5s2pad0", mkGeom(2, 3, 9, 9, 5, 5, 2, 0, 0)},
		{"pad2", mkGeom(1, 2, 7, 7, 3, 5, 2, 2, 2)},
		{"pad2s1asym", mkGeom(2, 3, 6, 5, 4, 3, 1, 2, 0)},
		{"1x1", mkGeom(2, 7, 5, 6, 9, 1, 1, 0, 0)},
		{"1x1s2", mkGeom(2, 4, 5, 7, 3, 1, 2, 0, 0)},
		{"4x4s1", mkGeom(3, 5, 4, 4, 1, 4, 1, 0, 0)},
		{"4x4s2pad1", mkGeom(2, 3, 8, 8, 7, 4, 2, 1, 1)},
		{"3x3s2pad1b2", mkGeom(1, 3, 8, 10, 4, 3, 2, 1, 2)},
		{"3x3s3", mkGeom(2, 2, 9, 9, 3, 3, 3, 1, 1)},
		{"3x3s3unread", mkGeom(2, 2, 10, 11, 3, 3, 3, 1, 1)}, // implied pads -1, -2
		{"4x4s2pad2unread", mkGeom(2, 5, 9, 7, 2, 4, 2, 2, 0)},
		{"O1", mkGeom(2, 6, 6, 6, 1, 3, 1, 1, 1)},
		{"C1", mkGeom(2, 1, 11, 11, 6, 5, 2, 1, 2)},
		// GEMM block edges: depth (C*KH*KW) around kcBlock, rows (O) around
		// the micro-tile height, columns around nr and ncBlock.
		{"K255", mkGeom(1, 255, 4, 4, 7, 1, 1, 0, 0)},
		{"K256", mkGeom(1, 256, 4, 4, 6, 1, 1, 0, 0)},
		{"K257", mkGeom(1, 257, 3, 5, 13, 1, 1, 0, 0)},
		{"K513", mkGeom(1, 57, 5, 5, 5, 3, 1, 1, 1)},
		{"cols127", mkGeom(1, 2, 127, 1, 5, 1, 1, 0, 0)},
		{"cols128", mkGeom(2, 2, 8, 8, 12, 1, 1, 0, 0)},
		{"cols129", mkGeom(3, 2, 43, 1, 11, 1, 1, 0, 0)},
		{"cols17", mkGeom(1, 3, 17, 1, 8, 1, 1, 0, 0)},
		{"cols15", mkGeom(1, 3, 3, 5, 1, 1, 1, 0, 0)},
		// Small channel counts (the phase-split paths), strides 1 and 2,
		// asymmetric pads, tiles of output channels just past a multiple.
		{"C1s1", mkGeom(2, 1, 9, 10, 3, 3, 1, 1, 1)},
		{"C2s2", mkGeom(3, 2, 13, 11, 5, 5, 2, 1, 2)},
		{"C3s2O4", mkGeom(2, 3, 12, 12, 4, 5, 2, 1, 2)},
		{"C3s2O7", mkGeom(1, 3, 17, 15, 7, 5, 2, 2, 1)},
		{"C4s1asym", ConvGeom{N: 2, C: 4, H: 9, W: 7, O: 3, KH: 3, KW: 5, OH: 9, OW: 7, Stride: 1, PadT: 2, PadL: 1}},
		{"C3s2asym", ConvGeom{N: 2, C: 3, H: 10, W: 9, O: 5, KH: 5, KW: 3, OH: 5, OW: 5, Stride: 2, PadT: 0, PadL: 2}},
		// The weight gradient's dot products in units of 3 samples, the last
		// of 1 (filterDot), whose columns end inside a block of 8.
		{"N19units", mkGeom(19, 3, 10, 9, 4, 5, 2, 1, 2)},
		// Column phase pairs of a stride-2 transposed convolution stored as
		// interleaved rows: runs of 13 (12 in assembly and a tail of 1).
		{"s2pairs13", mkGeom(2, 3, 24, 26, 5, 5, 2, 1, 2)},
		// One output pixel, with and without padding.
		{"onepix", mkGeom(2, 5, 3, 3, 4, 3, 1, 0, 0)},
		{"onepixpad", mkGeom(2, 3, 2, 2, 4, 3, 1, 1, 0)},
		{"onepixs2", mkGeom(3, 2, 4, 4, 3, 4, 2, 0, 0)},
		{"onepixK8", mkGeom(5, 8, 2, 2, 4, 2, 1, 0, 0)},   // K = 32: the dot products, O past a tile of 3
		{"onepixK8O1", mkGeom(1, 2, 4, 4, 1, 4, 1, 0, 0)}, // one sample, one channel
	}
	for _, name := range []string{"conv1", "conv2", "conv3", "conv4", "conv5", "tconv1", "tconv2", "tconv3", "tconv4"} {
		cs = append(cs, convCase{"layer-" + name, layerGeoms(4, 2)[name]})
	}
	return cs
}

func randSlice(r *rand.Rand, n int) []float64 {
	s := make([]float64, n)
	for i := range s {
		// float32-representable, so both precisions see the same inputs.
		s[i] = float64(float32(r.NormFloat64()))
	}
	return s
}

func toT[T Float](s []float64) []T {
	out := make([]T, len(s))
	for i, v := range s {
		out[i] = T(v)
	}
	return out
}

func poisoned[T Float](n int) []T {
	s := make([]T, n)
	for i := range s {
		s[i] = T(math.NaN())
	}
	return s
}

func tolFor[T Float]() float64 {
	if isF32[T]() {
		return 1e-5
	}
	return 1e-12
}

// checkClose compares got with ref elementwise: |got-ref| <= tol*(mag+1e-3)
// where mag is the sum of |terms| (the 1e-3 covers elements with no terms).
func checkClose[T Float](t *testing.T, what string, got []T, ref, mag []float64) {
	t.Helper()
	tol := tolFor[T]()
	bad := 0
	for i := range ref {
		g := float64(got[i])
		if !(math.Abs(g-ref[i]) <= tol*(mag[i]+1e-3)) {
			if bad < 5 {
				t.Errorf("%s: element %d = %v, want %v (mag %v)", what, i, g, ref[i], mag[i])
			}
			bad++
		}
	}
	if bad > 0 {
		t.Errorf("%s: %d of %d elements wrong", what, bad, len(ref))
	}
}

var testPools = map[int]*Pool{1: NewPool(1), 2: NewPool(2), 3: NewPool(3)}

func testConvKernels[T Float](t *testing.T) {
	r := rand.New(rand.NewSource(1))
	paired := 0 // items computing a pair of phases (convCore.pairs)
	defer func() {
		if paired == 0 {
			t.Errorf("no transposed convolution of the cases computed a pair of phases")
		}
	}()
	for _, tc := range convCases() {
		g := tc.g
		if err := g.Validate(); err != nil {
			t.Fatalf("%s: %v", tc.name, err)
		}
		x := randSlice(r, g.N*g.C*g.H*g.W)
		w := randSlice(r, g.O*g.C*g.KH*g.KW)
		dy := randSlice(r, g.N*g.O*g.OH*g.OW)
		yRef, yMag := refConv2D(g, x, w)
		dxRef, dxMag := refConvTranspose(g, dy, w)
		dwRef, dwMag := refConvFilter(g, x, dy)
		xt, wt, dyt := toT[T](x), toT[T](w), toT[T](dy)
		var y1, dx1 []T
		for _, workers := range []int{1, 2, 3} {
			p := testPools[workers]
			name := fmt.Sprintf("%s/w%d", tc.name, workers)

			y := poisoned[T](len(yRef))
			for _, mode := range []int{conv2DInd, conv2DGEMM, conv2DAuto} {
				k := newConv2D[T](g, workers, mode)
				for range 2 { // repeated calls give the same answer
					k.Do(p, y, xt, wt)
					checkClose(t, fmt.Sprintf("%s/Conv2D%d", name, mode), y, yRef, yMag)
				}
			}

			dx := poisoned[T](len(dxRef))
			for _, mode := range []int{transposePhases, transposeCol2im, transposeSmall} {
				if mode == transposeSmall && g.C > 3 {
					continue
				}
				kt := newConvTranspose[T](g, workers, mode)
				if kt.core != nil {
					for _, it := range kt.core.items {
						if it.pair >= 0 {
							paired++
						}
					}
				}
				for range 2 {
					kt.Do(p, dx, dyt, wt)
					checkClose(t, fmt.Sprintf("%s/ConvTranspose%d", name, mode), dx, dxRef, dxMag)
					for i := range dx {
						dx[i] = T(math.NaN())
					}
				}
			}
			NewConvTranspose[T](g, workers).Do(p, dx, dyt, wt)
			checkClose(t, name+"/ConvTranspose", dx, dxRef, dxMag)

			dw := poisoned[T](len(dwRef))
			for _, mode := range []int{filterAuto, filterGEMM, filterDots, filterBlocks} {
				if mode == filterBlocks && g.OW%8 != 0 {
					continue
				}
				kf := newConvFilter[T](g, workers, mode)
				for range 2 {
					kf.Do(p, dw, xt, dyt)
					checkClose(t, fmt.Sprintf("%s/ConvFilter%d", name, mode), dw, dwRef, dwMag)
					for i := range dw {
						dw[i] = T(math.NaN())
					}
				}
			}

			// Conv2D and ConvTranspose sum every output in an order that
			// does not depend on the worker count: results are identical.
			if workers == 1 {
				y1, dx1 = y, dx
			} else {
				for i := range y {
					if y[i] != y1[i] {
						t.Fatalf("%s: Conv2D differs from 1 worker at %d", name, i)
					}
				}
				for i := range dx {
					if dx[i] != dx1[i] {
						t.Fatalf("%s: ConvTranspose differs from 1 worker at %d", name, i)
					}
				}
			}
		}
	}
}

func TestConvFloat32(t *testing.T) { testConvKernels[float32](t) }

// The float32 kernels with AVX2 only, and in pure Go, where the CPU has more.
func TestConvFloat32AVX2(t *testing.T) {
	defer setKernels(true, false)()
	testConvKernels[float32](t)
}

func TestConvFloat32Go(t *testing.T) {
	defer setKernels(false, false)()
	testConvKernels[float32](t)
}
func TestConvFloat64(t *testing.T) { testConvKernels[float64](t) }

func dot(a, b []float64) float64 {
	var s float64
	for i := range a {
		s += a[i] * b[i]
	}
	return s
}

// The kernels are adjoints: <conv(x,w), y> = <x, convT(y,w)> = <w, filter(x,y)>.
func TestConvAdjoint(t *testing.T) {
	r := rand.New(rand.NewSource(2))
	p := testPools[2]
	for _, g := range []ConvGeom{
		mkGeom(2, 3, 8, 8, 4, 5, 2, 1, 2),
		mkGeom(3, 5, 16, 16, 6, 5, 2, 1, 2),
		mkGeom(2, 4, 8, 8, 3, 5, 1, 0, 0),
	} {
		x := randSlice(r, g.N*g.C*g.H*g.W)
		w := randSlice(r, g.O*g.C*g.KH*g.KW)
		yv := randSlice(r, g.N*g.O*g.OH*g.OW)
		cy := make([]float64, len(yv))
		NewConv2D[float64](g, 2).Do(p, cy, x, w)
		tx := make([]float64, len(x))
		NewConvTranspose[float64](g, 2).Do(p, tx, yv, w)
		fw := make([]float64, len(w))
		NewConvFilter[float64](g, 2).Do(p, fw, x, yv)
		a, b, c := dot(cy, yv), dot(x, tx), dot(w, fw)
		scale := math.Sqrt(dot(cy, cy) * dot(yv, yv))
		if math.Abs(a-b) > 1e-12*scale || math.Abs(a-c) > 1e-12*scale {
			t.Errorf("%+v: <conv(x,w),y>=%v <x,convT(y,w)>=%v <w,filter(x,y)>=%v", g, a, b, c)
		}
	}
}

func testConvAllocs[T Float](t *testing.T) {
	p := testPools[2]
	r := rand.New(rand.NewSource(3))
	for _, g := range []ConvGeom{layerGeoms(4, 2)["conv2"], layerGeoms(4, 2)["tconv1"], layerGeoms(4, 2)["conv5"]} {
		x := toT[T](randSlice(r, g.N*g.C*g.H*g.W))
		w := toT[T](randSlice(r, g.O*g.C*g.KH*g.KW))
		y := toT[T](randSlice(r, g.N*g.O*g.OH*g.OW))
		k, kt, kf := NewConv2D[T](g, 2), NewConvTranspose[T](g, 2), NewConvFilter[T](g, 2)
		if n := testing.AllocsPerRun(5, func() { k.Do(p, y, x, w) }); n != 0 {
			t.Errorf("Conv2D.Do allocates %v times", n)
		}
		if n := testing.AllocsPerRun(5, func() { kt.Do(p, x, y, w) }); n != 0 {
			t.Errorf("ConvTranspose.Do allocates %v times", n)
		}
		if n := testing.AllocsPerRun(5, func() { kf.Do(p, w, x, y) }); n != 0 {
			t.Errorf("ConvFilter.Do allocates %v times", n)
		}
	}
}

func TestConvAllocsFloat32(t *testing.T) { testConvAllocs[float32](t) }
func TestConvAllocsFloat64(t *testing.T) { testConvAllocs[float64](t) }

func TestConvGeomValidate(t *testing.T) {
	good := mkGeom(2, 3, 64, 64, 8, 5, 2, 1, 2)
	if err := good.Validate(); err != nil {
		t.Fatal(err)
	}
	if got := good.FLOPs(); got != 2*2*8*32*32*3*25 {
		t.Errorf("FLOPs = %d", got)
	}
	bad := []ConvGeom{
		{N: 0, C: 1, H: 4, W: 4, O: 1, KH: 3, KW: 3, OH: 2, OW: 2, Stride: 1},
		{N: 1, C: 1, H: 4, W: 4, O: 1, KH: 3, KW: 3, OH: 2, OW: 2, Stride: 0},
		{N: 1, C: 1, H: 4, W: 4, O: 1, KH: 3, KW: 3, OH: 2, OW: 2, Stride: 1, PadT: 3},
		{N: 1, C: 1, H: 4, W: 4, O: 1, KH: 3, KW: 3, OH: 1, OW: 2, Stride: 1},                   // bottom pad -1 at stride 1
		{N: 1, C: 1, H: 9, W: 9, O: 1, KH: 3, KW: 3, OH: 3, OW: 4, Stride: 2},                   // bottom pad -2 at stride 2
		{N: 1, C: 1, H: 4, W: 4, O: 1, KH: 3, KW: 3, OH: 2, OW: 5, Stride: 1},                   // right pad 3
		{N: 1, C: 1, H: 4, W: 4, O: 1, KH: 3, KW: 3, OH: 2, OW: 2, Stride: 1, PadL: -1},         // negative pad
		{N: 1, C: 1, H: 8, W: 8, O: 1, KH: 5, KW: 5, OH: 6, OW: 4, Stride: 2, PadT: 1, PadL: 1}, // bottom pad 6
	}
	for _, g := range bad {
		if g.Validate() == nil {
			t.Errorf("%+v: want an error", g)
		}
	}
	defer func() {
		if recover() == nil {
			t.Error("NewConv2D accepted a bad geometry")
		}
	}()
	NewConv2D[float32](bad[0], 1)
}
