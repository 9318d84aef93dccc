package cpu

import (
	"fmt"
	"math/rand"
	"testing"
)

// Benchmarks of the float32 kernels at the WGAN-GP layer shapes, reporting
// GFLOP/s. Run with: go test -run=XXX -bench=. -benchtime=3x ./engine/cpu

var benchConfigs = []struct{ f, n int }{{64, 64}, {8, 16}, {16, 32}}

var benchLayers = []string{"conv1", "conv2", "conv3", "conv4", "conv5", "tconv1", "tconv2", "tconv3", "tconv4"}

func benchSlice(n int) []float32 {
	r := rand.New(rand.NewSource(7))
	s := make([]float32, n)
	for i := range s {
		s[i] = float32(r.NormFloat64())
	}
	return s
}

func reportGFLOPs(b *testing.B, flops int64) {
	b.ReportMetric(float64(flops)*float64(b.N)/b.Elapsed().Seconds()/1e9, "GFLOP/s")
}

func BenchmarkConv(b *testing.B) {
	p := NewPool(0)
	defer p.Close()
	for _, cfg := range benchConfigs {
		for _, name := range benchLayers {
			g := layerGeoms(cfg.f, cfg.n)[name]
			var x, w, y []float32
			// Operands are made on first use, so that a filtered run
			// spends no time (and no profile) on the others.
			operands := func() {
				if x == nil {
					x = benchSlice(g.N * g.C * g.H * g.W)
					w = benchSlice(g.O * g.C * g.KH * g.KW)
					y = benchSlice(g.N * g.O * g.OH * g.OW)
				}
			}
			tag := fmt.Sprintf("F%d_N%d/%s", cfg.f, cfg.n, name)
			b.Run("Conv2D/"+tag, func(b *testing.B) {
				operands()
				k := NewConv2D[float32](g, p.Workers())
				k.Do(p, y, x, w)
				b.ResetTimer()
				for range b.N {
					k.Do(p, y, x, w)
				}
				reportGFLOPs(b, g.FLOPs())
			})
			b.Run("ConvTranspose/"+tag, func(b *testing.B) {
				operands()
				k := NewConvTranspose[float32](g, p.Workers())
				k.Do(p, x, y, w)
				b.ResetTimer()
				for range b.N {
					k.Do(p, x, y, w)
				}
				reportGFLOPs(b, g.FLOPs())
			})
			b.Run("ConvFilter/"+tag, func(b *testing.B) {
				operands()
				k := NewConvFilter[float32](g, p.Workers())
				k.Do(p, w, x, y)
				b.ResetTimer()
				for range b.N {
					k.Do(p, w, x, y)
				}
				reportGFLOPs(b, g.FLOPs())
			})
		}
	}
}

func BenchmarkMatMul(b *testing.B) {
	p := NewPool(0)
	defer p.Close()
	for _, cfg := range benchConfigs {
		const z = 100
		out := 16 * 8 * cfg.f
		cases := []struct {
			name    string
			m, k, n int
			ta, tb  bool
		}{
			{"fwd", cfg.n, z, out, false, true}, // [N,100]·[out,100]ᵀ
			{"dx", cfg.n, out, z, false, false}, // [N,out]·[out,100]
			{"dw", out, cfg.n, z, true, false},  // [N,out]ᵀ·[N,100]
		}
		for _, c := range cases {
			b.Run(fmt.Sprintf("F%d_N%d/%s", cfg.f, cfg.n, c.name), func(b *testing.B) {
				mm := NewMatMul[float32](c.m, c.k, c.n, c.ta, c.tb, p.Workers())
				A, B, C := benchSlice(c.m*c.k), benchSlice(c.k*c.n), benchSlice(c.m*c.n)
				mm.Do(p, C, A, B)
				b.ResetTimer()
				for range b.N {
					mm.Do(p, C, A, B)
				}
				reportGFLOPs(b, 2*int64(c.m)*int64(c.k)*int64(c.n))
			})
		}
	}
}

// BenchmarkMicroKernel measures the float32 micro-kernel alone on L1-resident
// panels (one core), as detected and restricted to AVX2. It needs the
// default -benchtime: a few iterations take less than a microsecond.
func BenchmarkMicroKernel(b *testing.B) {
	for _, avx512 := range []bool{true, false} {
		name := map[bool]string{true: "detected", false: "avx2"}[avx512]
		b.Run(name, func(b *testing.B) {
			defer setKernels(true, avx512)()
			mr := mrFor[float32]()
			w := 1
			if wideFor[float32]() {
				w = 2
			}
			const kc = 256
			a, bb := benchSlice(kc*mr), benchSlice(w*kc*nr)
			c := make([]float32, mr*w*nr)
			for range b.N {
				micro(mr, w, kc, a, bb, c, w*nr, false)
			}
			reportGFLOPs(b, 2*int64(mr)*int64(w)*nr*kc)
		})
	}
}

// BenchmarkMicroKernelInd measures the float32 indirect micro-kernels
// (B read in place, rows 33 apart as in a phase plane) of 3 rows and of the
// tallest tile, on L1-resident data (one core), as detected and restricted
// to AVX2.
func BenchmarkMicroKernelInd(b *testing.B) {
	for _, avx512 := range []bool{true, false} {
		restore := setKernels(true, avx512)
		tallest := indRowsFor[float32]()
		restore()
		rows := []int{3}
		if tallest != 3 {
			rows = append(rows, tallest)
		}
		for _, mr := range rows {
			name := fmt.Sprintf("%s/mr%d", map[bool]string{true: "detected", false: "avx2"}[avx512], mr)
			b.Run(name, func(b *testing.B) {
				defer setKernels(true, avx512)()
				const kc = 96
				a, src := benchSlice(kc*mr), benchSlice(kc*33+indCols)
				offs := make([]int32, kc)
				for i := range offs {
					offs[i] = int32(i * 33)
				}
				c := make([]float32, mr*indCols)
				for range b.N {
					microInd(mr, kc, a, src, offs, offs[kc-1], c, indCols, false)
				}
				reportGFLOPs(b, 2*int64(mr)*indCols*kc)
			})
		}
	}
}

// BenchmarkMicroKernelGo measures the pure-Go micro-kernels (the reference
// microGo and microTiled, which runs without assembly: in WebAssembly too,
// GOOS=js GOARCH=wasm go test -exec "$(go env GOROOT)/lib/wasm/go_js_wasm_exec").
func BenchmarkMicroKernelGo(b *testing.B) {
	const mr, kc = 6, 256
	a, bb := benchSlice(kc*mr), benchSlice(kc*nr)
	c := make([]float32, mr*nr)
	for _, k := range []struct {
		name string
		f    func(mr, kc int, a, b, c []float32, ldc int, acc bool)
	}{{"reference", microGo[float32]}, {"tiled", microTiled[float32]}} {
		b.Run(k.name, func(b *testing.B) {
			for range b.N {
				k.f(mr, kc, a, bb, c, nr, false)
			}
			reportGFLOPs(b, 2*int64(mr)*nr*kc)
		})
	}
}
