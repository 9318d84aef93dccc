package cpu

// filterDot computes ConvFilter as dot products over a phase-split copy of
// x, with no im2col packing at all:
//
//	dw[o, tap] = Σ_J dyv[o, J] * xs[tapOff[tap] + J]
//
// xs holds the zero-padded input split into its Stride² phases,
// xs[((c*s+a)*s+b)*L + (n*Hph+i)*Wph + j] = x[n, c, s*i+a-PadT, s*j+b-PadL]
// (zero outside x; L = N*Hph*Wph), so that tap (c, p, q) of output column
// (n, i, j) sits at tapOff[tap] + J with J = (n*Hph+i)*Wph+j and
// tapOff = plane(c, p%s, q%s)*L + (p/s)*Wph + q/s: every row of the
// implicit im2col matrix is a contiguous run of xs. dyv is dy in the same
// column numbering, dyv[o*ld + J] = dy[n, o, i, j] for i < OH, j < OW and
// zero at the other (wasted) columns, which cancels the products there.
//
// Work is split by tiles of 3 output channels × 4 taps; each tile sums its
// columns in fixed chunks, in order, so dw does not depend on the worker
// count.
type filterDot[T Float] struct {
	g        ConvGeom
	s        int
	hph, wph int
	L, ld    int     // columns of one plane; row stride of dyv (L rounded up to 8)
	o3, t4   int     // O and taps rounded up to the tile
	tapOff   []int32 // per tap (padded to t4): offset in xs
	xs, dyv  []T
	acc      []T // per tile: the dotLanes partial sums
	nt       int // tiles along the taps
	dy       []T
	dw       []T
	splitT   splitTask[T]
	dyT      fdDyTask[T]
	mainT    fdMainTask[T]
}

type fdDyTask[T Float] struct{ k *filterDot[T] }
type fdMainTask[T Float] struct{ k *filterDot[T] }

// dotChunk is the number of columns a tile sums in one kernel call: 1024,
// so that a chunk of the 3 dy rows (12 KB) and of the phase planes its
// taps read stay in L1 while the tiles of a group of output channels run
// (disc.conv1's weight gradient at F=8 and 16 was 1.1-1.3x faster than
// with 4096 with the AVX2 kernel, alternated).
const dotChunk = 1024

// dotLanes is the size of a dot kernel's output: 3×4 sums of 8 lanes.
const dotLanes = 96

// dotGo is the reference dot kernel, accumulating 8 lanes of each sum:
//
//	for r < 3, t < 4, l < 8:
//	    out[(r*4+t)*8+l] += Σ_{kk<k/8} a[r*lda+kk*8+l] * b[boff[t]+kk*8+l]
func dotGo[T Float](k int, a []T, lda int, b []T, boff *[4]int32, out *[dotLanes]T) {
	for r := 0; r < 3; r++ {
		ar := a[r*lda : r*lda+k]
		for t := 0; t < 4; t++ {
			br := b[boff[t] : int(boff[t])+k]
			o := (*[8]T)(out[(r*4+t)*8:])
			for kk := 0; kk < k; kk += 8 {
				av, bv := (*[8]T)(ar[kk:]), (*[8]T)(br[kk:])
				for l := range o {
					o[l] += av[l] * bv[l]
				}
			}
		}
	}
}

// dotTile runs the dot kernel (assembly for float32 where the CPU allows).
// k must be a positive multiple of 8 and every row read inside a and b.
func dotTile[T Float](k int, a []T, lda int, b []T, boff *[4]int32, out *[dotLanes]T) {
	if isF32[T]() && useAVX2 {
		_ = a[2*lda+k-1]
		for _, o := range boff {
			_ = b[int(o)+k-1]
		}
		dotAsm(k, f32(a), lda, f32(b), boff, (*[dotLanes]float32)(f32(out[:])))
		return
	}
	dotTiled(k, a, lda, b, boff, out)
}

// phaseSplit gives the phase-split sizes of g: the padded input rows and
// columns that are read, divided into Stride phases (rounded up).
func phaseSplit(g ConvGeom) (hph, wph int) {
	s := g.Stride
	hp := (g.OH-1)*s + g.KH
	wp := (g.OW-1)*s + g.KW
	return (hp + s - 1) / s, (wp + s - 1) / s
}

// filterDotWaste is the ratio of the columns filterDot sums (with the
// wasted ones) to the useful ones.
func filterDotWaste(g ConvGeom) float64 {
	hph, wph := phaseSplit(g)
	return float64(hph*wph) / float64(g.OH*g.OW)
}

func newFilterDot[T Float](g ConvGeom) *filterDot[T] {
	s := g.Stride
	k := &filterDot[T]{g: g, s: s}
	k.hph, k.wph = phaseSplit(g)
	k.L = g.N * k.hph * k.wph
	k.ld = roundUp(k.L, 8)
	k.o3 = roundUp(g.O, 3)
	taps := g.C * g.KH * g.KW
	k.t4 = roundUp(taps, 4)
	k.nt = k.t4 / 4
	maxOff := 0
	for c := 0; c < g.C; c++ {
		for p := 0; p < g.KH; p++ {
			for q := 0; q < g.KW; q++ {
				off := ((c*s+p%s)*s+q%s)*k.L + (p/s)*k.wph + q/s
				k.tapOff = append(k.tapOff, int32(off))
				maxOff = max(maxOff, off)
			}
		}
	}
	k.tapOff = padOffsets(k.tapOff, 4)
	// Every tap reads ld columns from its offset; the planes' tails and the
	// slack stay zero.
	k.xs = make([]T, max(g.C*s*s*k.L, maxOff+k.ld))
	k.dyv = make([]T, k.o3*k.ld)
	k.acc = make([]T, (k.o3/3)*k.nt*dotLanes)
	k.splitT = newSplitTask[T](g, k.hph*k.wph, s*s*k.L, k.L)
	k.splitT.dst = k.xs
	k.dyT.k, k.mainT.k = k, k
	return k
}

func (k *filterDot[T]) do(p *Pool, dw, x, dy []T) {
	g := k.g
	k.dy, k.dw = dy, dw
	k.splitT.x = x
	p.For(&k.splitT, g.N*g.C, 1)
	k.splitT.x = nil
	p.For(&k.dyT, g.O*g.N, max(1, 4096/(g.OH*g.OW)))
	tiles := (k.o3 / 3) * k.nt
	p.For(&k.mainT, tiles, 1)
	k.dy, k.dw = nil, nil
}

// Run copies dy planes [lo, hi), a plane being (o, n), into dyv.
func (t *fdDyTask[T]) Run(lo, hi int) {
	k := t.k
	g := k.g
	S := g.OH * g.OW
	for u := lo; u < hi; u++ {
		o, n := u/g.N, u%g.N
		src := k.dy[(n*g.O+o)*S:][:S]
		dst := k.dyv[o*k.ld+n*k.hph*k.wph:]
		for i := 0; i < g.OH; i++ {
			copy(dst[i*k.wph:][:g.OW], src[i*g.OW:][:g.OW])
		}
	}
}

// Run computes tiles [lo, hi): tile u covers output channels 3*(u/nt)..+2
// and taps 4*(u%nt)..+3. The lanes of each sum add up in a fixed order
// of chunks, and the chunks are short enough that the rows a chunk reads
// stay in L1 while the tiles sharing them run.
func (t *fdMainTask[T]) Run(lo, hi int) {
	k := t.k
	g := k.g
	taps := g.C * g.KH * g.KW
	acc := k.acc[lo*dotLanes : hi*dotLanes]
	clear(acc)
	for u0 := lo; u0 < hi; {
		// Tiles of one group of output channels, chunk by chunk.
		u1 := min(hi, (u0/k.nt+1)*k.nt)
		o0 := 3 * (u0 / k.nt)
		for j0 := 0; j0 < k.ld; j0 += dotChunk {
			kc := min(dotChunk, k.ld-j0)
			a := k.dyv[o0*k.ld+j0:]
			for u := u0; u < u1; u++ {
				bo := (*[4]int32)(k.tapOff[4*(u%k.nt):])
				b := [4]int32{bo[0] + int32(j0), bo[1] + int32(j0), bo[2] + int32(j0), bo[3] + int32(j0)}
				dotTile(kc, a, k.ld, k.xs, &b, (*[dotLanes]T)(acc[(u-lo)*dotLanes:]))
			}
		}
		u0 = u1
	}
	for u := lo; u < hi; u++ {
		o0, t0 := 3*(u/k.nt), 4*(u%k.nt)
		a := acc[(u-lo)*dotLanes:]
		for r := 0; r < 3 && o0+r < g.O; r++ {
			for q := 0; q < 4 && t0+q < taps; q++ {
				l := (*[8]T)(a[(r*4+q)*8:])
				k.dw[(o0+r)*taps+t0+q] = ((l[0] + l[1]) + (l[2] + l[3])) + ((l[4] + l[5]) + (l[6] + l[7]))
			}
		}
	}
}
