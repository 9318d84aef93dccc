//go:build !amd64 || purego

package cpu

// Without assembly every element type uses the pure-Go kernels.
const (
	useAVX2   = false
	useAVX512 = false
	asmMR     = 6
	asmWide   = false
)

func microAsm2(kc int, a, b, c []float32, ldc int, acc bool) {
	microTiled(asmMR, kc, a, b, c, ldc, acc)
	microTiled(asmMR, kc, a, b[kc*nr:], c[nr:], ldc, acc)
}

func microAsm(mr, kc int, a, b, c []float32, ldc int, acc bool) {
	microTiled(mr, kc, a, b, c, ldc, acc)
}

func gather16(dst, src []float32, rows []int32, rlo, rhi int32, lanes *[nr]int32) {
	gatherGo(dst, src, rows, lanes[:])
}

func setKernels(avx2, avx512 bool) (restore func()) { return func() {} }

func dotAsm(k int, a []float32, lda int, b []float32, boff *[4]int32, out *[dotLanes]float32) {
	dotTiled(k, a, lda, b, boff, out)
}

func indRowsAsm() int { return 3 }

func microIndAsm(mr, kc int, a, src []float32, rows []int32, c []float32, ldc int, acc bool) {
	microIndTiled(mr, kc, a, src, rows, c, ldc, acc)
}

func tgatherAsm(dst, src []float32, rows, lanes []int32) { tgatherGo(dst, src, rows, lanes) }

func deint2Rows(d0, d1, src []float32, n, rows, dstride, sstride int) {
	deint2RowsGo(d0, d1, src, n, rows, dstride, sstride)
}

func int2RowsAsm(dst, s0, s1 []float32, n, rows, dstride, sstride int) {
	int2RowsGo(dst, s0, s1, n, rows, dstride, sstride)
}
