//go:build amd64 && !purego

package cpu

import "github.com/wgangp/wgangp/internal/cpufeat"

// CPU features, detected once (internal/cpufeat).
var (
	useAVX2   = cpufeat.AVX2FMA
	useAVX512 = cpufeat.AVX512
)

// setKernels restricts the float32 kernels to what the flags allow (for
// tests of the AVX2 and pure-Go paths on an AVX-512 machine) and returns a
// function restoring the detected ones. Kernels built in between keep the
// tile height they were built with, so must only run in between.
func setKernels(avx2, avx512 bool) (restore func()) {
	old2, old512 := useAVX2, useAVX512
	useAVX2, useAVX512 = avx2 && old2, avx512 && old512
	asmMR = map[bool]int{false: 6, true: 8}[useAVX512]
	asmWide = useAVX512
	return func() {
		useAVX2, useAVX512 = old2, old512
		asmMR = map[bool]int{false: 6, true: 8}[useAVX512]
		asmWide = useAVX512
	}
}

// asmMR is the tile height of the float32 assembly micro-kernels: 8 rows
// (by 16 or 32 columns) with AVX-512, else 6 rows by 16 with AVX2.
var asmMR = map[bool]int{false: 6, true: 8}[useAVX512]

// asmWide reports whether the assembly has a kernel for two B panels at once.
var asmWide = useAVX512

//go:noescape
func sgemm6x16(kc int, a, b, c *float32, ldc int, acc bool)

//go:noescape
func sgemm4x16(kc int, a, b, c *float32, ldc int, acc bool)

//go:noescape
func gather16x8(dst, src *float32, rows *int32, n int, lanes *[nr]int32)

//go:noescape
func sgemm8x16(kc int, a, b, c *float32, ldc int, acc bool)

//go:noescape
func sgemm8x32(kc int, a, b, b2, c *float32, ldc int, acc bool)

// microAsm computes one mr×nr tile (see microGo) with AVX-512 (8 rows) or
// AVX2+FMA (6 rows, or 4: the last rows of a rowTiles).
func microAsm(mr, kc int, a, b, c []float32, ldc int, acc bool) {
	switch {
	case mr == 4:
		sgemm4x16(kc, &a[0], &b[0], &c[0], ldc, acc)
	case useAVX512:
		sgemm8x16(kc, &a[0], &b[0], &c[0], ldc, acc)
	default:
		sgemm6x16(kc, &a[0], &b[0], &c[0], ldc, acc)
	}
}

// microAsm2 computes an asmMR×2nr tile from two consecutive B panels
// (only when asmWide).
func microAsm2(kc int, a, b, c []float32, ldc int, acc bool) {
	sgemm8x32(kc, &a[0], &b[0], &b[kc*nr], &c[0], ldc, acc)
}

//go:noescape
func gather16h(dst, src *float32, rows *int32, n int, off0, off1 int, stride2 bool)

// gather16 is gather for 16 float32 lanes. Lanes made of two runs of 8, or
// four runs of 4, with stride 1 or 2 are loaded as vectors (and shuffled);
// others use AVX2 gathers.
//
// rlo and rhi are the smallest and largest of rows.
func gather16(dst, src []float32, rows []int32, rlo, rhi int32, lanes *[nr]int32) {
	_ = dst[len(rows)*nr-1]
	st := lanes[1] - lanes[0]
	if st == 1 || st == 2 {
		run := true
		for h := 0; h < nr; h += 8 {
			for t := 1; t < 8; t++ {
				if lanes[h+t] != lanes[h]+int32(t)*st {
					run = false
				}
			}
		}
		if run {
			end := int(rhi) + int(max(lanes[0], lanes[8])) + 8*int(st)
			if rlo >= 0 && min(lanes[0], lanes[8]) >= 0 && end <= len(src) {
				gather16h(&dst[0], &src[0], &rows[0], len(rows), int(lanes[0]), int(lanes[8]), st == 2)
				return
			}
		}
	}
	if (st == 1 || st == 2) && gatherQuads(dst, src, rows, rlo, rhi, lanes, st) {
		return
	}
	gather16x8(&dst[0], &src[0], &rows[0], len(rows), lanes)
}

//go:noescape
func gather16q(dst, src *float32, rows *int32, n int, offs *[4]int, stride2 bool)

// gatherQuads runs gather16q where the lanes are four runs of four with
// stride st (1 or 2) and every read is inside src; it reports whether it
// did.
func gatherQuads(dst, src []float32, rows []int32, rlo, rhi int32, lanes *[nr]int32, st int32) bool {
	var offs [4]int
	lo, hi := lanes[0], lanes[0]
	for h := 0; h < 4; h++ {
		for t := 1; t < 4; t++ {
			if lanes[4*h+t] != lanes[4*h]+int32(t)*st {
				return false
			}
		}
		offs[h] = int(lanes[4*h])
		lo, hi = min(lo, lanes[4*h]), max(hi, lanes[4*h])
	}
	if rlo+lo < 0 || int(rhi)+int(hi)+4*int(st) > len(src) {
		return false
	}
	gather16q(&dst[0], &src[0], &rows[0], len(rows), &offs, st == 2)
	return true
}

//go:noescape
func sdot3x4(k int, a *float32, lda int, b *float32, boff *[4]int32, out *[dotLanes]float32)

//go:noescape
func sdot3x4z(k int, a *float32, lda int, b *float32, boff *[4]int32, out *[dotLanes]float32)

// dotAsm is dotTile for float32 with AVX-512, else AVX2+FMA (see dotGo).
func dotAsm(k int, a []float32, lda int, b []float32, boff *[4]int32, out *[dotLanes]float32) {
	if useAVX512 {
		sdot3x4z(k, &a[0], lda, &b[0], boff, out)
		return
	}
	sdot3x4(k, &a[0], lda, &b[0], boff, out)
}

//go:noescape
func sgemm3x32i(kc int, a, src *float32, rows *int32, c *float32, ldc int, acc bool)

//go:noescape
func sgemm8x32i(kc int, a, src *float32, rows *int32, c *float32, ldc int, acc bool)

// indRowsAsm is the tile height of the float32 indirect micro-kernel:
// 8 with AVX-512, else 3 (AVX2).
func indRowsAsm() int {
	if useAVX512 {
		return 8
	}
	return 3
}

// microIndAsm is microInd for float32: 8 rows with AVX-512, 3 with AVX2
// (see microIndGo).
func microIndAsm(mr, kc int, a, src []float32, rows []int32, c []float32, ldc int, acc bool) {
	if mr == 8 {
		sgemm8x32i(kc, &a[0], &src[0], &rows[0], &c[0], ldc, acc)
		return
	}
	sgemm3x32i(kc, &a[0], &src[0], &rows[0], &c[0], ldc, acc)
}

//go:noescape
func tgather8(dst, src *float32, rows *int32, nb int, lanes *int32, nl int)

// tgatherAsm is tgather for float32 with AVX2, for 8 or 16 lanes.
func tgatherAsm(dst, src []float32, rows, lanes []int32) {
	tgather8(&dst[0], &src[0], &rows[0], len(rows), &lanes[0], len(lanes))
}

//go:noescape
func deint2rows(d0, d1, src *float32, n, rows, dstride, sstride int)

// deint2Rows is deint2RowsGo for float32 with AVX2; callers check that
// the last row lies inside d0, d1 and src.
func deint2Rows(d0, d1, src []float32, n, rows, dstride, sstride int) {
	deint2rows(&d0[0], &d1[0], &src[0], n, rows, dstride, sstride)
}

//go:noescape
func int2rows(dst, s0, s1 *float32, n, rows, dstride, sstride int)

// int2RowsAsm is int2RowsGo for float32 with AVX2, n a multiple of 4;
// callers check that the last row lies inside dst, s0 and s1.
func int2RowsAsm(dst, s0, s1 []float32, n, rows, dstride, sstride int) {
	int2rows(&dst[0], &s0[0], &s1[0], n, rows, dstride, sstride)
}
