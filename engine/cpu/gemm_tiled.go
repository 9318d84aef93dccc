package cpu

// microTiled is the pure-Go micro-kernel that runs where there is no
// assembly (WebAssembly in the browser, CPUs without AVX2/FMA, float64):
// the same tile as microGo, summed in the same order (so bit for bit its
// result), but computed as 2×4 blocks held in local variables over the
// whole depth: 6 loads for 8 multiply-adds, where microGo's tile array
// costs a load and a store of the accumulator for each.
func microTiled[T Float](mr, kc int, a, b, c []T, ldc int, acc bool) {
	a = a[:kc*mr]
	b = b[:kc*nr]
	i := 0
	for ; i+2 <= mr; i += 2 {
		for j := 0; j < nr; j += 4 {
			var c00, c01, c02, c03, c10, c11, c12, c13 T
			for kk := range kc {
				ak := (*[2]T)(a[kk*mr+i:])
				bk := (*[4]T)(b[kk*nr+j:])
				a0, a1 := ak[0], ak[1]
				b0, b1, b2, b3 := bk[0], bk[1], bk[2], bk[3]
				c00 += a0 * b0
				c01 += a0 * b1
				c02 += a0 * b2
				c03 += a0 * b3
				c10 += a1 * b0
				c11 += a1 * b1
				c12 += a1 * b2
				c13 += a1 * b3
			}
			storeTile4((*[4]T)(c[i*ldc+j:]), c00, c01, c02, c03, acc)
			storeTile4((*[4]T)(c[(i+1)*ldc+j:]), c10, c11, c12, c13, acc)
		}
	}
	if i < mr {
		for j := 0; j < nr; j += 4 {
			var c00, c01, c02, c03 T
			for kk := range kc {
				a0 := a[kk*mr+i]
				bk := (*[4]T)(b[kk*nr+j:])
				c00 += a0 * bk[0]
				c01 += a0 * bk[1]
				c02 += a0 * bk[2]
				c03 += a0 * bk[3]
			}
			storeTile4((*[4]T)(c[i*ldc+j:]), c00, c01, c02, c03, acc)
		}
	}
}

// storeTile4 stores (or adds, with acc) four sums of a tile row.
func storeTile4[T Float](dst *[4]T, s0, s1, s2, s3 T, acc bool) {
	if acc {
		dst[0] += s0
		dst[1] += s1
		dst[2] += s2
		dst[3] += s3
		return
	}
	dst[0], dst[1], dst[2], dst[3] = s0, s1, s2, s3
}

// microIndTiled is microIndGo (the indirect micro-kernel) in register
// blocks of 2 rows × 4 columns, bit for bit its result.
func microIndTiled[T Float](mr, kc int, a, src []T, rows []int32, c []T, ldc int, acc bool) {
	rows = rows[:kc]
	a = a[:kc*mr]
	i := 0
	for ; i+2 <= mr; i += 2 {
		for j := 0; j < indCols; j += 4 {
			var c00, c01, c02, c03, c10, c11, c12, c13 T
			for kk, ro := range rows {
				ak := (*[2]T)(a[kk*mr+i:])
				bk := (*[4]T)(src[int(ro)+j:])
				a0, a1 := ak[0], ak[1]
				b0, b1, b2, b3 := bk[0], bk[1], bk[2], bk[3]
				c00 += a0 * b0
				c01 += a0 * b1
				c02 += a0 * b2
				c03 += a0 * b3
				c10 += a1 * b0
				c11 += a1 * b1
				c12 += a1 * b2
				c13 += a1 * b3
			}
			storeTile4((*[4]T)(c[i*ldc+j:]), c00, c01, c02, c03, acc)
			storeTile4((*[4]T)(c[(i+1)*ldc+j:]), c10, c11, c12, c13, acc)
		}
	}
	if i < mr {
		for j := 0; j < indCols; j += 4 {
			var c00, c01, c02, c03 T
			for kk, ro := range rows {
				a0 := a[kk*mr+i]
				bk := (*[4]T)(src[int(ro)+j:])
				c00 += a0 * bk[0]
				c01 += a0 * bk[1]
				c02 += a0 * bk[2]
				c03 += a0 * bk[3]
			}
			storeTile4((*[4]T)(c[i*ldc+j:]), c00, c01, c02, c03, acc)
		}
	}
}

// dotTiled is dotGo (the dot kernel) with each sum's 8 lanes in local
// variables over the whole depth, bit for bit its result.
func dotTiled[T Float](k int, a []T, lda int, b []T, boff *[4]int32, out *[dotLanes]T) {
	for r := 0; r < 3; r++ {
		ar := a[r*lda : r*lda+k]
		for t := 0; t < 4; t++ {
			br := b[boff[t] : int(boff[t])+k]
			o := (*[8]T)(out[(r*4+t)*8:])
			s0, s1, s2, s3, s4, s5, s6, s7 := o[0], o[1], o[2], o[3], o[4], o[5], o[6], o[7]
			for kk := 0; kk < k; kk += 8 {
				av, bv := (*[8]T)(ar[kk:]), (*[8]T)(br[kk:])
				s0 += av[0] * bv[0]
				s1 += av[1] * bv[1]
				s2 += av[2] * bv[2]
				s3 += av[3] * bv[3]
				s4 += av[4] * bv[4]
				s5 += av[5] * bv[5]
				s6 += av[6] * bv[6]
				s7 += av[7] * bv[7]
			}
			o[0], o[1], o[2], o[3], o[4], o[5], o[6], o[7] = s0, s1, s2, s3, s4, s5, s6, s7
		}
	}
}
