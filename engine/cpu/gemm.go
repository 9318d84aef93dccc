package cpu

import (
	"sync/atomic"
	"unsafe"
)

// The GEMM core shared by MatMul and the convolutions.
//
// C[m×n] (+)= A[m×k]·B[k×n] is computed from packed operands:
//
//   - A is packed in panels of mr rows: panel p holds rows p*mr..p*mr+mr-1
//     as kc consecutive groups of mr values, a[kk*mr+r] = A[p*mr+r, k0+kk];
//   - B is packed in panels of nr columns: panel q holds columns
//     q*nr..q*nr+nr-1 as kc groups of nr values, b[kk*nr+t] = B[k0+kk, q*nr+t].
//
// A micro-kernel multiplies one A panel by one B panel (or, with AVX-512,
// by two consecutive B panels) into an mr×nr (mr×2nr) tile of C held in
// registers: 6×16 with AVX2+FMA (12 ymm accumulators; 4×16 for the last
// rows, see tilesFor), 8×32 with AVX-512 (16 zmm accumulators), and the
// pure-Go microTiled (microGo's sums in register blocks) for float64, for
// CPUs without AVX2/FMA, for other architectures and for WebAssembly. The
// panels of A need not be of one height: a rowTiles lists them. Rows and
// columns past the edge of A or B are packed with arbitrary finite-offset
// data: they only reach rows and columns of the tile that are never stored.

// nr is the width of a packed B panel and of a micro-tile.
const nr = 16

// maxMR is the most rows any micro-kernel computes.
const maxMR = 8

// Default cache blocking: kcBlock values of the depth per packed block,
// ncBlock columns of B per block.
const (
	kcBlock = 256
	ncBlock = 128
)

// microGo is the reference micro-kernel, computing an mr×nr tile:
//
//	for i < mr, j < nr:
//	    s := Σ_{kk<kc} a[kk*mr+i] * b[kk*nr+j]
//	    c[i*ldc+j] = s        (acc == false)
//	    c[i*ldc+j] += s       (acc == true)
func microGo[T Float](mr, kc int, a, b, c []T, ldc int, acc bool) {
	var t [maxMR * nr]T
	a = a[:kc*mr]
	b = b[:kc*nr]
	for kk := 0; kk < kc; kk++ {
		bk := (*[nr]T)(b[kk*nr:])
		for i, av := range a[kk*mr : kk*mr+mr] {
			row := (*[nr]T)(t[i*nr:])
			for j := range row {
				row[j] += av * bk[j]
			}
		}
	}
	for i := 0; i < mr; i++ {
		row := (*[nr]T)(t[i*nr:])
		dst := (*[nr]T)(c[i*ldc:])
		if acc {
			for j := range dst {
				dst[j] += row[j]
			}
		} else {
			*dst = *row
		}
	}
}

// isF32 reports whether T is float32 (a constant per instantiation).
func isF32[T Float]() bool {
	var z T
	return unsafe.Sizeof(z) == 4
}

// f32 reinterprets a float32-shaped slice; only called when isF32[T]().
func f32[T Float](s []T) []float32 {
	return unsafe.Slice((*float32)(unsafe.Pointer(unsafe.SliceData(s))), len(s))
}

// mrFor is the micro-tile height used for element type T on this CPU:
// the assembly's, else 4 (two of microTiled's 2×4 blocks), which pads the
// model's channel counts (3 and multiples of 8) to fewer wasted rows than
// 6 did: a generator iteration at F=8/16 in WebAssembly 4.4 → 3.9 s.
func mrFor[T Float]() int {
	if isF32[T]() && useAVX2 {
		return asmMR
	}
	return 4
}

// rowTile is one A panel and row of micro-tiles of a GEMM: rows i..i+h-1.
type rowTile struct{ i, h int }

// rowTiles is how the micro-kernels of a GEMM cover its M rows: tiles top
// to bottom, each starting where the one before ends. They cover at least
// M rows (rows()); rows past M are computed from padding and never stored.
type rowTiles []rowTile

// tilesFor is the row tiling of m rows for element type T: tiles of
// mrFor's height, except that with the 6-row AVX2 kernel the last one or
// two tiles are 4 rows where an even height is not a multiple of 6, so
// that even heights compute no padding (16 rows: 6+6+4, not 6+6+6; 32:
// 6·4+4+4, not 6·6).
func tilesFor[T Float](m int) rowTiles {
	mr := mrFor[T]()
	m = max(m, 1)
	full, fours := (m+mr-1)/mr, 0 // tiles of mr rows, then of 4
	if mr == 6 && isF32[T]() && useAVX2 {
		rows := roundUp(max(m, 4), 2)
		fours = []int{0, 2, 1}[rows%6/2] // by rows%6: 0, 2 or 4
		full = (rows - 4*fours) / 6
	}
	t := make(rowTiles, 0, full+fours)
	for i := range full + fours {
		h := mr
		if i >= full {
			h = 4
		}
		t = append(t, rowTile{i: t.rows(), h: h})
	}
	return t
}

// rows is the packed height of t: where its last tile ends.
func (t rowTiles) rows() int {
	if len(t) == 0 {
		return 0
	}
	return t[len(t)-1].i + t[len(t)-1].h
}

// wideFor reports whether T has a micro-kernel for two B panels at once.
func wideFor[T Float]() bool { return isF32[T]() && asmWide }

// micro runs the micro-kernel for one full tile of w*nr columns (w = 1, or
// 2 where wideFor), reading w consecutive B panels.
func micro[T Float](mr, w, kc int, a, b, c []T, ldc int, acc bool) {
	if isF32[T]() && useAVX2 {
		_ = a[kc*mr-1]
		_ = b[w*kc*nr-1]
		_ = c[(mr-1)*ldc+w*nr-1]
		if w == 2 {
			microAsm2(kc, f32(a), f32(b), f32(c), ldc, acc)
			return
		}
		microAsm(mr, kc, f32(a), f32(b), f32(c), ldc, acc)
		return
	}
	for q := 0; q < w; q++ {
		microTiled(mr, kc, a, b[q*kc*nr:], c[q*nr:], ldc, acc)
	}
}

// macro computes C[0:mc, 0:nc] (+)= A·B from the packed A panels of the
// tiling tiles (the panel of the tile at row i at ap[i·kc:]) and ceil(nc/nr) packed B
// panels of depth kc; c has row stride ldc. Tiles that cross the edge of C
// go through a scratch tile.
func macro[T Float](tiles rowTiles, mc, nc, kc int, ap, bp, c []T, ldc int, acc bool) {
	var tile [maxMR * 2 * nr]T
	wide := wideFor[T]()
	for j := 0; j < nc; {
		w := 1
		if wide && j+nr < nc {
			w = 2
		}
		bpan := bp[(j/nr)*kc*nr:][:w*kc*nr]
		nj := min(w*nr, nc-j)
		for _, t := range tiles {
			i, mr := t.i, t.h
			if i >= mc {
				break
			}
			apan := ap[i*kc:][:kc*mr]
			mi := min(mr, mc-i)
			if mi == mr && nj == w*nr {
				micro(mr, w, kc, apan, bpan, c[i*ldc+j:], ldc, acc)
				continue
			}
			micro(mr, w, kc, apan, bpan, tile[:], w*nr, false)
			for r := 0; r < mi; r++ {
				src := tile[r*w*nr : r*w*nr+nj]
				dst := c[(i+r)*ldc+j:][:nj]
				if acc {
					for t, v := range src {
						dst[t] += v
					}
				} else {
					copy(dst, src)
				}
			}
		}
		j += w * nr
	}
}

// gatherGo is the reference gather used to pack panels:
//
//	for r, ro := range rows: for t, lo := range lanes: dst[r*len(lanes)+t] = src[ro+lo]
func gatherGo[T Float](dst, src []T, rows, lanes []int32) {
	L := len(lanes)
	dst = dst[:len(rows)*L]
	for r, ro := range rows {
		d := dst[r*L : r*L+L]
		for t, lo := range lanes {
			d[t] = src[int(ro)+int(lo)]
		}
	}
}

// gather packs dst[r*len(lanes)+t] = src[rows[r]+lanes[t]].
// Every offset must lie inside src; callers build offsets that do.
func gather[T Float](dst, src []T, rows, lanes []int32) {
	if len(lanes) == nr && isF32[T]() && useAVX2 && len(rows) > 0 {
		lo, hi := bounds(rows)
		gather16(f32(dst[:len(rows)*nr]), f32(src), rows, lo, hi, (*[nr]int32)(lanes))
		return
	}
	gatherAny(dst, src, rows, lanes)
}

// gatherIn is gather for rows whose smallest and largest offsets are lo
// and hi (bounds(rows)), for callers that pack many panels of one set of
// rows.
func gatherIn[T Float](dst, src []T, rows []int32, lo, hi int32, lanes []int32) {
	if len(lanes) == nr && isF32[T]() && useAVX2 && len(rows) > 0 {
		gather16(f32(dst[:len(rows)*nr]), f32(src), rows, lo, hi, (*[nr]int32)(lanes))
		return
	}
	gatherAny(dst, src, rows, lanes)
}

// bounds returns the smallest and largest of offs (not empty).
func bounds(offs []int32) (lo, hi int32) {
	lo, hi = offs[0], offs[0]
	for _, o := range offs {
		lo, hi = min(lo, o), max(hi, o)
	}
	return lo, hi
}

// gatherAny is gather without the 16-lane assembly.
func gatherAny[T Float](dst, src []T, rows, lanes []int32) {
	if L := len(lanes); L > 0 && len(rows) > 0 {
		// Contiguous lanes: copy rows of L.
		b := lanes[0]
		contig := true
		for t, lo := range lanes {
			if lo != b+int32(t) {
				contig = false
				break
			}
		}
		if contig {
			dst = dst[:len(rows)*L]
			for r, ro := range rows {
				copy(dst[r*L:r*L+L], src[int(ro+b):int(ro+b)+L])
			}
			return
		}
	}
	gatherGo(dst, src, rows, lanes)
}

// padOffsets extends offs to a multiple of q entries by repeating its last
// entry, so partial panels gather valid (ignored) data.
func padOffsets(offs []int32, q int) []int32 {
	n := (len(offs) + q - 1) / q * q
	if n == len(offs) {
		return offs
	}
	out := make([]int32, n)
	copy(out, offs)
	for i := len(offs); i < n; i++ {
		out[i] = offs[len(offs)-1]
	}
	return out
}

func roundUp(a, b int) int { return (a + b - 1) / b * b }

// sched hands out work items [0, n) to the slots of a pool run: each slot
// (one Run index, with its own scratch) takes items until none are left.
type sched struct {
	next atomic.Int64
	n    int64
}

func (s *sched) reset(n int) { s.n = int64(n); s.next.Store(0) }

func (s *sched) take() (int, bool) {
	i := s.next.Add(1) - 1
	return int(i), i < s.n
}

// nslots is the number of scratch slots a kernel keeps for workers workers.
func nslots(workers int) int { return max(workers, 1) }

// tgatherGo is the reference transposing gather, packing blocks of 8
// consecutive source values per lane:
//
//	for b, ro := range rows: for e < 8: for t, lo := range lanes:
//	    dst[(b*8+e)*len(lanes)+t] = src[ro+lo+e]
func tgatherGo[T Float](dst, src []T, rows, lanes []int32) {
	L := len(lanes)
	dst = dst[:len(rows)*8*L]
	for b, ro := range rows {
		for t, lo := range lanes {
			s := (*[8]T)(src[int(ro)+int(lo):])
			for e, v := range s {
				dst[(b*8+e)*L+t] = v
			}
		}
	}
}

// tgather is tgatherGo, with AVX2 transposes for float32 and 8 or 16
// lanes. Every block read must lie inside src; callers build offsets that
// do.
func tgather[T Float](dst, src []T, rows, lanes []int32) {
	if isF32[T]() && useAVX2 && (len(lanes) == 8 || len(lanes) == nr) && len(rows) > 0 {
		rlo, rhi := rows[0], rows[0]
		for _, r := range rows {
			rlo, rhi = min(rlo, r), max(rhi, r)
		}
		llo, lhi := lanes[0], lanes[0]
		for _, l := range lanes {
			llo, lhi = min(llo, l), max(lhi, l)
		}
		if rlo+llo < 0 || int(rhi)+int(lhi)+8 > len(src) {
			panic("cpu.tgather: offsets outside the source")
		}
		_ = dst[len(rows)*8*len(lanes)-1]
		tgatherAsm(f32(dst), f32(src), rows, lanes)
		return
	}
	tgatherGo(dst, src, rows, lanes)
}

// int2Rows interleaves rows of two column phases:
//
//	for r < rows, j < n:
//	    dst[r*dstride+2*j], dst[r*dstride+2*j+1] = s0[r*sstride+j], s1[r*sstride+j]
//
// (with AVX2 for float32, in runs of 8 and 4).
func int2Rows[T Float](dst, s0, s1 []T, n, rows, dstride, sstride int) {
	if n <= 0 || rows <= 0 {
		return
	}
	if (rows-1)*dstride+2*n > len(dst) || (rows-1)*sstride+n > min(len(s0), len(s1)) {
		panic("cpu.int2Rows: rows outside the buffers")
	}
	j := 0
	if isF32[T]() && useAVX2 && n >= 4 {
		j = n &^ 3
		int2RowsAsm(f32(dst), f32(s0), f32(s1), j, rows, dstride, sstride)
	}
	if j < n {
		int2RowsGo(dst[2*j:], s0[j:], s1[j:], n-j, rows, dstride, sstride)
	}
}

// int2RowsGo is the reference of int2Rows.
func int2RowsGo[T Float](dst, s0, s1 []T, n, rows, dstride, sstride int) {
	for r := 0; r < rows; r++ {
		d := dst[r*dstride:][:2*n]
		a, b := s0[r*sstride:][:n], s1[r*sstride:][:n]
		for j := range a {
			d[2*j], d[2*j+1] = a[j], b[j]
		}
	}
}

// deint2RowsGo is the reference split of rows of pairs:
//
//	for r < rows, j < n:
//	    d0[r*dstride+j], d1[r*dstride+j] = src[r*sstride+2*j], src[r*sstride+2*j+1]
func deint2RowsGo(d0, d1, src []float32, n, rows, dstride, sstride int) {
	for r := 0; r < rows; r++ {
		s := src[r*sstride:][:2*n]
		a, b := d0[r*dstride:][:n], d1[r*dstride:][:n]
		for j := range a {
			a[j], b[j] = s[2*j], s[2*j+1]
		}
	}
}
