package cpu

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"

	"github.com/wgangp/wgangp/engine"
)

// The float32 elementwise loops with vector instructions must give the
// results of the Go loops bit for bit, for every element type of value, at
// any length and alignment, and write nothing past their destination. The
// reference is the same call with the vector loops switched off
// (setKernels(false, false)).

// specials32 are the values an elementwise loop must get right besides
// ordinary ones: zeros, infinities, NaNs (quiet and signalling, both
// signs, with payloads), denormals, the extremes of the normals and the
// neighbours of 1.
var specials32 = []uint32{
	0x00000000, 0x80000000, 0x3f800000, 0xbf800000, 0x7f800000, 0xff800000,
	0x7fc00000, 0xffc00000, 0x7fc12345, 0xffd54321, 0x7f800001, 0xff812345, 0x7fbfffff,
	0x00000001, 0x80000001, 0x007fffff, 0x807fffff, 0x00400000, 0x80012345,
	0x00800000, 0x80800000, 0x7f7fffff, 0xff7fffff, 0x3f800001, 0x3f7fffff,
	0x0c000000, 0x8c000000, 0x5f000000, 0xdf000000,
}

// randomFloats32 returns n values: a quarter specials, a quarter random
// bit patterns (every class, every payload), the rest normal numbers of
// random sign and magnitude.
func randomFloats32(r *rand.Rand, n int) []float32 {
	s := make([]float32, n)
	for i := range s {
		switch r.IntN(4) {
		case 0:
			s[i] = math.Float32frombits(specials32[r.IntN(len(specials32))])
		case 1:
			s[i] = math.Float32frombits(r.Uint32())
		default:
			s[i] = float32(r.NormFloat64() * math.Pow(2, float64(r.IntN(80)-40)))
		}
	}
	return s
}

// vecCase is one function of the elementwise loops: d = f(a) or f(a, b).
type vecCase struct {
	name string
	run  func(d, a, b []float32)
}

func vecCases() []vecCase {
	var cs []vecCase
	for fn := engine.BinaryFn(0); fn < engine.NumBinaryFns; fn++ {
		cs = append(cs, vecCase{fn.String(), func(d, a, b []float32) { binaryLoop(fn, d, a, b) }})
	}
	alphas := []float64{0.2, -0.5, 3, 0, math.Copysign(0, -1), 1e-30, math.Inf(1), math.NaN()}
	for fn := engine.UnaryFn(0); fn < engine.NumUnaryFns; fn++ {
		as := alphas[:1]
		if fn.Info().HasAlpha {
			as = alphas
		}
		for _, alpha := range as {
			cs = append(cs, vecCase{fmt.Sprintf("%v(%g)", fn, alpha), func(d, a, b []float32) { unaryLoop(fn, alpha, d, a) }})
		}
	}
	return cs
}

// vecISAs are the instruction sets to test: what the CPU has, and AVX2
// alone (as on a CPU without AVX-512).
var vecISAs = []struct {
	name         string
	avx2, avx512 bool
}{{"best", true, true}, {"avx2", true, false}}

func TestElementwiseVectorMatchesGo(t *testing.T) {
	const guard = 0x7fbadbad
	sizes := []int{0, 1, 7, 8, 9, 15, 16, 17, 31, 32, 33, 63, 64, 65, 127, 128, 129, 1000, 4099}
	r := rand.New(rand.NewPCG(3, 4))
	for _, isa := range vecISAs {
		for _, c := range vecCases() {
			for _, n := range sizes {
				for off := range 8 {
					// Inputs and output at different offsets from a 64-byte
					// multiple, the output between guard values.
					oa, ob := (off+3)%8, (off+5)%8
					a := randomFloats32(r, n+oa)[oa:]
					b := randomFloats32(r, n+ob)[ob:]
					buf := make([]float32, off+n+24)
					for i := range buf {
						buf[i] = math.Float32frombits(guard)
					}
					d := buf[off : off+n]
					want := make([]float32, n)
					restore := setKernels(false, false)
					c.run(want, a, b)
					restore()
					restore = setKernels(isa.avx2, isa.avx512)
					c.run(d, a, b)
					restore()
					for i, v := range buf {
						if i >= off && i < off+n {
							if j := i - off; !sameBits(v, want[j]) {
								t.Fatalf("%s %s n=%d off=%d: d[%d] = %#x, want %#x (a %#x, b %#x)", isa.name, c.name, n, off, j,
									math.Float32bits(v), math.Float32bits(want[j]), math.Float32bits(a[j]), math.Float32bits(b[j]))
							}
						} else if math.Float32bits(v) != guard {
							t.Fatalf("%s %s n=%d off=%d: wrote %#x at %d outside d", isa.name, c.name, n, off, math.Float32bits(v), i-off)
						}
					}
				}
			}
		}
	}
}

// TestElementwiseVectorInPlace checks d = f(d, b) (the output is one of the
// inputs), which the loops allow.
func TestElementwiseVectorInPlace(t *testing.T) {
	r := rand.New(rand.NewPCG(5, 6))
	for _, c := range vecCases() {
		a, b := randomFloats32(r, 1000), randomFloats32(r, 1000)
		want := make([]float32, len(a))
		restore := setKernels(false, false)
		c.run(want, a, b)
		restore()
		c.run(a, a, b)
		for i := range a {
			if !sameBits(a[i], want[i]) {
				t.Fatalf("%s in place: d[%d] = %#x, want %#x", c.name, i, math.Float32bits(a[i]), math.Float32bits(want[i]))
			}
		}
	}
}

// sqrt64 is math.Sqrt kept out of line, so that float32(sqrt64(float64(v)))
// really rounds a float64 root (the compiler turns the inline form into a
// float32 root).
//
//go:noinline
func sqrt64(x float64) float64 { return math.Sqrt(x) }

// TestSqrtIsRoundedFloat64Root checks that the float32 root (the vector
// loop's, and the Go loop's as compiled) is the float64 root rounded to
// float32 (with no double-rounding difference), and that rsqrt is
// float32(1/√x) computed in float64, on random bit patterns of every class
// and on every 4096th float32.
func TestSqrtIsRoundedFloat64Root(t *testing.T) {
	r := rand.New(rand.NewPCG(7, 8))
	x := make([]float32, 1<<20)
	for i := range x {
		if i < len(x)/2 {
			x[i] = math.Float32frombits(r.Uint32())
		} else {
			x[i] = math.Float32frombits(uint32(i-len(x)/2) << 12)
		}
	}
	for _, isa := range vecISAs {
		restore := setKernels(isa.avx2, isa.avx512)
		root, inv := make([]float32, len(x)), make([]float32, len(x))
		unaryLoop(engine.FnSqrt, 0, root, x)
		unaryLoop(engine.FnRsqrt, 0, inv, x)
		restore()
		for i, v := range x {
			if w := float32(sqrt64(float64(v))); !sameBits(root[i], w) {
				t.Fatalf("%s: sqrt(%#x) = %#x, float64 root rounded %#x", isa.name, math.Float32bits(v), math.Float32bits(root[i]), math.Float32bits(w))
			}
			if w := float32(1 / sqrt64(float64(v))); !sameBits(inv[i], w) {
				t.Fatalf("%s: rsqrt(%#x) = %#x, want %#x", isa.name, math.Float32bits(v), math.Float32bits(inv[i]), math.Float32bits(w))
			}
		}
	}
}

// TestElementwiseLoopsDoNotAllocate checks that no loop allocates (the
// fused kernel runs one per instruction and chunk).
func TestElementwiseLoopsDoNotAllocate(t *testing.T) {
	r := rand.New(rand.NewPCG(9, 10))
	a, b, d := randomFloats32(r, 1003), randomFloats32(r, 1003), make([]float32, 1003)
	for _, c := range vecCases() {
		if n := testing.AllocsPerRun(10, func() { c.run(d, a, b) }); n != 0 {
			t.Errorf("float32 %s allocates %v times a call", c.name, n)
		}
	}
	a64, b64, d64 := make([]float64, 1003), make([]float64, 1003), make([]float64, 1003)
	for i := range a64 {
		a64[i], b64[i] = float64(a[i]), float64(b[i])
	}
	for fn := engine.UnaryFn(0); fn < engine.NumUnaryFns; fn++ {
		if n := testing.AllocsPerRun(10, func() { unaryLoop(fn, 0.2, d64, a64) }); n != 0 {
			t.Errorf("float64 %v allocates %v times a call", fn, n)
		}
	}
	for fn := engine.BinaryFn(0); fn < engine.NumBinaryFns; fn++ {
		if n := testing.AllocsPerRun(10, func() { binaryLoop(fn, d64, a64, b64) }); n != 0 {
			t.Errorf("float64 %v allocates %v times a call", fn, n)
		}
	}
}

// TestSplat fills slices of every length around splat's thresholds (a loop
// below 32, doubling copies above) and checks every element and that
// nothing past the end is written.
func TestSplat(t *testing.T) {
	for _, n := range []int{0, 1, 15, 16, 17, 31, 32, 33, 63, 64, 65, 100, 256, 511, 512, 1000} {
		buf := make([]float32, n+1)
		buf[n] = -7
		splat(buf[:n], 2.5)
		for i, v := range buf[:n] {
			if v != 2.5 {
				t.Fatalf("splat of %d: element %d is %v", n, i, v)
			}
		}
		if buf[n] != -7 {
			t.Fatalf("splat of %d wrote past the end", n)
		}
	}
}

// TestSumRun checks the float64 sum of a reduction's runs: with the vector
// loop it is bit for bit the Go loop's (the same sixteen partial sums
// combined in the same order), at every length around the loop's step and
// at offsets that misalign it, and within float64 rounding of the sum one
// by one, for values spanning many binades.
func TestSumRun(t *testing.T) {
	r := rand.New(rand.NewPCG(11, 12))
	v := make([]float32, 1100)
	for i := range v {
		v[i] = float32(r.NormFloat64() * math.Exp2(float64(r.IntN(40)-20)))
	}
	for _, off := range []int{0, 1, 3} {
		for n := 0; n+off <= len(v); n += 1 + n/8 {
			s := v[off : off+n]
			got := sumRun(s)
			restore := setKernels(false, false)
			want := sumRun(s)
			restore()
			if math.Float64bits(got) != math.Float64bits(want) {
				t.Fatalf("offset %d, %d elements: vector sum %v, Go loop %v", off, n, got, want)
			}
			var serial, mag float64 // in order, one by one
			for _, x := range s {
				serial += float64(x)
				mag += math.Abs(float64(x))
			}
			if d := math.Abs(got - serial); d > 1e-15*float64(n+1)*mag {
				t.Fatalf("offset %d, %d elements: sum %v, one by one %v (%.3g apart)", off, n, got, serial, d)
			}
		}
	}
}

// TestGatherLoadReusesOnlyTheSameValue walks a broadcast load (a value per
// row of 1,024, as a sample's statistic over its pixels) over chunks of
// several sizes with one buffer, as a fused kernel's part does: a chunk
// that is one value may keep the buffer's fill only if it is the same
// value bit for bit (+0 after -0 is not, a NaN after itself is).
func TestGatherLoadReusesOnlyTheSameValue(t *testing.T) {
	full, small := engine.Shape{2, 6, 1024}, engine.Shape{2, 6, 1}
	c := collapse(full, small)
	l := fusedLoad{c: &c}
	_, l.smallStride = c.strides()
	nan := float32(math.NaN())
	negZero := float32(math.Copysign(0, -1))
	src := []float32{1.5, 1.5, 0, negZero, negZero, nan, nan, 2, -3, 0, 0, 7}
	for _, chunk := range []int{512, 300, 1024, 2048} {
		buf := make([]float32, chunk)
		var memo splatMemo[float32]
		for lo := 0; lo < full.Size(); lo += chunk {
			n := min(chunk, full.Size()-lo)
			gatherLoad(&l, buf[:n], src, lo, &memo)
			for i, v := range buf[:n] {
				if want := src[(lo+i)/1024]; !sameBits(v, want) {
					t.Fatalf("chunks of %d: element %d is %v, not %v", chunk, lo+i, v, want)
				}
			}
		}
	}
}
