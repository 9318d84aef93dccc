package cpu

// wholeWindow reports whether g's window covers its whole, unpadded input
// once: one output pixel per sample and no padding (disc.conv5, a 4×4
// kernel over a 4×4 map). Then x [N, C, H, W] is already the im2col matrix
// [N, C*KH*KW] and the convolution family is three plain matmuls, with no
// gather at all:
//
//	Conv2D:        y[N, O]  = x[N, K]·w[O, K]ᵀ
//	ConvTranspose: dx[N, K] = dy[N, O]·w[O, K]
//	ConvFilter:    dw[O, K] = dy[N, O]ᵀ·x[N, K]
func wholeWindow(g ConvGeom) bool {
	return g.OH == 1 && g.OW == 1 && g.KH == g.H && g.KW == g.W && g.PadT == 0 && g.PadL == 0
}

// wholeWindowMatMul makes the matmul of op (Conv2D, ConvTranspose or
// ConvFilter, as conv2DAuto's callers name them) for a wholeWindow g.
func wholeWindowMatMul[T Float](g ConvGeom, op string, workers int) *MatMul[T] {
	k := g.C * g.KH * g.KW
	switch op {
	case "Conv2D":
		return NewMatMul[T](g.N, k, g.O, false, true, workers)
	case "ConvTranspose":
		return NewMatMul[T](g.N, g.O, k, false, false, workers)
	case "ConvFilter":
		return NewMatMul[T](g.O, g.N, k, true, false, workers)
	}
	panic("cpu.wholeWindowMatMul: unknown op " + op)
}
