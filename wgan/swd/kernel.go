package swd

// The projection kernel: 6 directions by one panel of 16 descriptors.
//
//	out[i*ldo+j] = Σ_{kk<k} w[i*ldw+kk] * x[kk*16+j]   for i < 6, j < 16
//
// w holds 6 directions as rows (stride ldw), x one packed panel of a Matrix
// (16 descriptors, component-major), out 6 rows of projections (stride ldo).

// tileDirs and tileRows are the shape of the tile the kernel computes.
const (
	tileDirs = 6
	tileRows = panel
)

// project6 runs the kernel after checking that every access is in bounds.
func project6(k int, w []float32, ldw int, x, out []float32, ldo int) {
	if k < 1 {
		panic("swd: empty projection")
	}
	_ = w[(tileDirs-1)*ldw+k-1]
	_ = x[tileRows*k-1]
	_ = out[(tileDirs-1)*ldo+tileRows-1]
	if useAVX2 {
		kern6x16(k, &w[0], ldw, &x[0], &out[0], ldo)
		return
	}
	kern6x16Go(k, w, ldw, x, out, ldo)
}

// kern6x16Go is the portable kernel (and the reference for the assembly):
// eight passes over the depth, each for 3 directions by 4 descriptors with
// the 12 sums in registers.
func kern6x16Go(k int, w []float32, ldw int, x, out []float32, ldo int) {
	for d := 0; d < tileDirs; d += 3 {
		w0 := w[d*ldw:][:k]
		w1 := w[(d+1)*ldw:][:k]
		w2 := w[(d+2)*ldw:][:k]
		for j := 0; j < tileRows; j += 4 {
			var s00, s01, s02, s03, s10, s11, s12, s13, s20, s21, s22, s23 float32
			xj := x[j:]
			for kk := range k {
				xv := (*[4]float32)(xj[kk*tileRows:])
				x0, x1, x2, x3 := xv[0], xv[1], xv[2], xv[3]
				c0, c1, c2 := w0[kk], w1[kk], w2[kk]
				s00 += c0 * x0
				s01 += c0 * x1
				s02 += c0 * x2
				s03 += c0 * x3
				s10 += c1 * x0
				s11 += c1 * x1
				s12 += c1 * x2
				s13 += c1 * x3
				s20 += c2 * x0
				s21 += c2 * x1
				s22 += c2 * x2
				s23 += c2 * x3
			}
			o := (*[4]float32)(out[d*ldo+j:])
			o[0], o[1], o[2], o[3] = s00, s01, s02, s03
			o = (*[4]float32)(out[(d+1)*ldo+j:])
			o[0], o[1], o[2], o[3] = s10, s11, s12, s13
			o = (*[4]float32)(out[(d+2)*ldo+j:])
			o[0], o[1], o[2], o[3] = s20, s21, s22, s23
		}
	}
}
