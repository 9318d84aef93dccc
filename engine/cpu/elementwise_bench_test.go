package cpu

import (
	"fmt"
	"testing"

	"github.com/wgangp/wgangp/engine"
)

// Benchmarks of the float32 elementwise loops at one fused chunk
// (fusedChunk elements, in L1) and at 64K (a whole small tensor), reporting
// elements per nanosecond. Run with:
//
//	go test -run=XXX -bench=Elementwise ./engine/cpu
//
// BenchmarkElementwise runs the loops a float32 program runs on this CPU,
// BenchmarkElementwiseAVX2 those of a CPU without AVX-512 and
// BenchmarkElementwiseGo the Go loops alone.
func BenchmarkElementwise(b *testing.B) { benchElementwise(b) }

func BenchmarkElementwiseAVX2(b *testing.B) {
	defer setKernels(true, false)()
	benchElementwise(b)
}

func BenchmarkElementwiseGo(b *testing.B) {
	defer setKernels(false, false)()
	benchElementwise(b)
}

func benchElementwise(b *testing.B) {
	for _, n := range []int{fusedChunk, 1 << 16} {
		x, y := benchSlice(n), benchSlice(n + 1)[1:]
		for i := range y {
			y[i] = 1 + y[i]*y[i] // > 0, for div, sqrt and rsqrt
		}
		d := make([]float32, n)
		for fn := engine.BinaryFn(0); fn < engine.NumBinaryFns; fn++ {
			b.Run(fmt.Sprintf("%v/%d", fn, n), func(b *testing.B) {
				b.SetBytes(int64(12 * n))
				for range b.N {
					binaryLoop(fn, d, x, y)
				}
			})
		}
		for _, fn := range []engine.UnaryFn{engine.FnScale, engine.FnAddConst, engine.FnSquare,
			engine.FnSqrt, engine.FnRsqrt, engine.FnRelu, engine.FnLeakyRelu, engine.FnStep, engine.FnLeakyMask} {
			in := x
			if fn == engine.FnSqrt || fn == engine.FnRsqrt {
				in = y
			}
			b.Run(fmt.Sprintf("%v/%d", fn, n), func(b *testing.B) {
				b.SetBytes(int64(8 * n))
				for range b.N {
					unaryLoop(fn, 0.2, d, in)
				}
			})
		}
	}
}
