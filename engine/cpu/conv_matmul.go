package cpu

// wholeWindow reports whether g's window covers its whole, unpadded input
// once: one output pixel per sample and no padding (disc.conv5, a 4×4
// kernel over a 4×4 map). Then x [N, C, H, W] is already the im2col matrix
// [N, C*KH*KW] and Conv2D and ConvTranspose are plain products, with no
// im2col:
//
//	Conv2D:        y[N, O]  = x[N, K]·w[O, K]ᵀ (dot products, wholeDot)
//	ConvTranspose: dx[N, K] = dy[N, O]·w[O, K]
//
// (ConvFilter, dw[O, K] = dy[N, O]ᵀ·x[N, K], keeps its GEMM: with O = 1 a
// matmul is no faster.)
func wholeWindow(g ConvGeom) bool {
	return g.OH == 1 && g.OW == 1 && g.KH == g.H && g.KW == g.W && g.PadT == 0 && g.PadL == 0
}

// wholeWindowMatMul makes the matmul of op (Conv2D or ConvTranspose) for a
// wholeWindow g.
func wholeWindowMatMul[T Float](g ConvGeom, op string, workers int) *MatMul[T] {
	k := g.C * g.KH * g.KW
	switch op {
	case "Conv2D":
		return NewMatMul[T](g.N, k, g.O, false, true, workers)
	case "ConvTranspose":
		return NewMatMul[T](g.N, g.O, k, false, false, workers)
	}
	panic("cpu.wholeWindowMatMul: unknown op " + op)
}

// wholeDot is Conv2D of a wholeWindow g as dot products of the rows of x
// and w, both contiguous along K = C*KH*KW (a multiple of 8), with the dot
// kernel: tiles of 3 output channels × 4 samples,
//
//	y[n, o] = Σ_k w[o, k] * x[n, k]
//
// It suits the few output channels of disc.conv5 (O = 1), where a GEMM
// tile would be mostly padding and its packing all gathers.
type wholeDot[T Float] struct {
	n, o, k int
	o3      int
	ns      int // sample groups of 4
	wpad    []T // w with its rows padded to o3 (zero)
	y, x    []T
}

func newWholeDot[T Float](g ConvGeom) *wholeDot[T] {
	k := &wholeDot[T]{n: g.N, o: g.O, k: g.C * g.KH * g.KW, o3: roundUp(g.O, 3)}
	k.ns = (g.N + 3) / 4
	k.wpad = make([]T, k.o3*k.k)
	return k
}

func (k *wholeDot[T]) do(p *Pool, y, x, w []T) {
	copy(k.wpad, w[:k.o*k.k])
	k.y, k.x = y, x
	p.For(k, (k.o3/3)*k.ns, 1)
	k.y, k.x = nil, nil
}

// Run computes tiles [lo, hi): output channels 3*(u/ns).. and samples
// 4*(u%ns).. (samples past N repeat the last and are dropped).
func (k *wholeDot[T]) Run(lo, hi int) {
	var out [dotLanes]T
	for u := lo; u < hi; u++ {
		o0, n0 := 3*(u/k.ns), 4*(u%k.ns)
		var boff [4]int32
		for t := range boff {
			boff[t] = int32(min(n0+t, k.n-1) * k.k)
		}
		out = [dotLanes]T{}
		dotTile(k.k, k.wpad[o0*k.k:], k.k, k.x, &boff, &out)
		for r := 0; r < 3 && o0+r < k.o; r++ {
			for t := 0; t < 4 && n0+t < k.n; t++ {
				l := (*[8]T)(out[(r*4+t)*8:])
				k.y[(n0+t)*k.o+o0+r] = ((l[0] + l[1]) + (l[2] + l[3])) + ((l[4] + l[5]) + (l[6] + l[7]))
			}
		}
	}
}
