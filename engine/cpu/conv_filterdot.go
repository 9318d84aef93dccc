package cpu

// filterDot computes ConvFilter as dot products over a phase-split copy of
// x, with no im2col packing at all:
//
//	dw[o, tap] = Σ_J dyv[o, J] * xs[tapOff[tap] + J]
//
// The batch is summed in units of `group` samples (the last unit may have
// fewer). A worker splits a unit's x into its xs, the zero-padded input split
// into its Stride² phases,
// xs[((c*s+a)*s+b)*L + (n*Hph+i)*Wph + j] = x[n0+n, c, s*i+a-PadT, s*j+b-PadL]
// (zero outside x; L = group*Hph*Wph), so that tap (c, p, q) of output
// column (n, i, j) sits at tapOff[tap] + J with J = (n*Hph+i)*Wph+j and
// tapOff = plane(c, p%s, q%s)*L + (p/s)*Wph + q/s: every row of the
// implicit im2col matrix is a contiguous run of xs. dyv is the unit's dy in
// the same column numbering, dyv[o*ld + J] = dy[n0+n, o, i, j] for i < OH,
// j < OW and zero at the other (wasted) columns, which cancels the products
// there. Then it sums the unit's columns for every tile of 3 output
// channels × 4 taps, while xs and dyv are in its core's cache (splitting
// the whole batch first read it back from memory for every tile).
//
// Each unit keeps its own partial sums; they are added in unit order at the
// end, so dw does not depend on the worker count.
type filterDot[T Float] struct {
	g         ConvGeom
	s         int
	hph, wph  int
	group     int     // samples of a unit
	units     int     // units of the batch
	L, ld     int     // columns of one plane of a unit; row stride of dyv (L rounded up to 8)
	o3, t4    int     // O and taps rounded up to the tile
	tapOff    []int32 // per tap (padded to t4): offset in xs
	nt        int     // tiles along the taps
	acc       []T     // per unit, per tile: the dotLanes partial sums
	slots     []fdSlot[T]
	sch       sched
	build     sampleBuild[T] // splits a unit's x into a slot's xs
	x, dy, dw []T
	mainT     fdMainTask[T]
	sumT      fdSumTask[T]
}

// fdSlot is a worker's unit: its phase-split x and its dy.
type fdSlot[T Float] struct{ xs, dyv []T }

type fdMainTask[T Float] struct{ k *filterDot[T] }
type fdSumTask[T Float] struct{ k *filterDot[T] }

// fdUnitBytes bounds the bytes of a unit's xs and dyv, so that they stay in
// a core's L2 while its tiles run.
const fdUnitBytes = 1 << 20

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

func newFilterDot[T Float](g ConvGeom, workers int) *filterDot[T] {
	s := g.Stride
	k := &filterDot[T]{g: g, s: s}
	k.hph, k.wph = phaseSplit(g)
	plane := k.hph * k.wph
	k.o3 = roundUp(g.O, 3)
	// Units of as many samples as fdUnitBytes holds, and at least 8 units
	// where the batch allows (for the workers to share): fixed by g alone.
	elem := 8
	if isF32[T]() {
		elem = 4
	}
	perSample := (g.C*s*s + k.o3) * plane * elem
	k.group = max(1, min(fdUnitBytes/perSample, (g.N+7)/8))
	k.units = (g.N + k.group - 1) / k.group
	k.L = k.group * plane
	k.ld = roundUp(k.L, 8)
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
	// Every tap reads up to ld columns from its offset; the planes' tails
	// and the slack stay zero.
	xsLen := max(g.C*s*s*k.L, maxOff+k.ld)
	k.slots = make([]fdSlot[T], nslots(workers))
	for i := range k.slots {
		k.slots[i] = fdSlot[T]{xs: make([]T, xsLen), dyv: make([]T, k.o3*k.ld)}
	}
	k.acc = make([]T, k.units*k.tiles()*dotLanes)
	st := newSplitTask[T](g, plane, s*s*k.L, k.L)
	k.build = sampleBuild[T]{split: &st, planes: g.C, inSample: g.C * g.H * g.W}
	k.mainT.k, k.sumT.k = k, k
	return k
}

// tiles is the number of tiles of 3 output channels × 4 taps.
func (k *filterDot[T]) tiles() int { return (k.o3 / 3) * k.nt }

func (k *filterDot[T]) do(p *Pool, dw, x, dy []T) {
	k.x, k.dy, k.dw = x, dy, dw
	k.sch.reset(k.units)
	p.For(&k.mainT, len(k.slots), 1)
	p.For(&k.sumT, k.tiles(), 8)
	k.x, k.dy, k.dw = nil, nil, nil
}

func (t *fdMainTask[T]) Run(lo, hi int) {
	k := t.k
	for s := lo; s < hi; s++ {
		for {
			u, ok := k.sch.take()
			if !ok {
				break
			}
			k.unit(&k.slots[s], u)
		}
	}
}

// unit sums the columns of unit u into its partial sums, building its xs
// and dyv in the slot sl first.
func (k *filterDot[T]) unit(sl *fdSlot[T], u int) {
	g := k.g
	n0 := u * k.group
	cnt := min(k.group, g.N-n0)
	k.build.fill(sl.xs, k.x, n0, n0+cnt)
	S := g.OH * g.OW
	plane := k.hph * k.wph
	cols := cnt * plane
	ld := roundUp(cols, 8)
	for o := 0; o < g.O; o++ {
		row := sl.dyv[o*k.ld:]
		for n := 0; n < cnt; n++ {
			src := k.dy[((n0+n)*g.O+o)*S:][:S]
			dst := row[n*plane:]
			for i := 0; i < g.OH; i++ {
				copy(dst[i*k.wph:][:g.OW], src[i*g.OW:][:g.OW])
			}
		}
		// A short last unit: the columns up to ld past its samples held
		// another unit's dy.
		clear(row[cols:ld])
	}
	tiles := k.tiles()
	acc := k.acc[u*tiles*dotLanes:][:tiles*dotLanes]
	clear(acc)
	// Tiles of one group of output channels, chunk by chunk: the 3 dy rows
	// of a chunk stay in L1 while every tile of the group reads them.
	for og := 0; og < k.o3/3; og++ {
		for j0 := 0; j0 < ld; j0 += dotChunk {
			kc := min(dotChunk, ld-j0)
			a := sl.dyv[3*og*k.ld+j0:]
			for tg := 0; tg < k.nt; tg++ {
				bo := (*[4]int32)(k.tapOff[4*tg:])
				b := [4]int32{bo[0] + int32(j0), bo[1] + int32(j0), bo[2] + int32(j0), bo[3] + int32(j0)}
				dotTile(kc, a, k.ld, sl.xs, &b, (*[dotLanes]T)(acc[(og*k.nt+tg)*dotLanes:]))
			}
		}
	}
}

// Run adds up tiles [lo, hi) of the units' partial sums, in unit order, and
// stores their sums in dw.
func (t *fdSumTask[T]) Run(lo, hi int) {
	k := t.k
	g := k.g
	taps := g.C * g.KH * g.KW
	tiles := k.tiles()
	var l [8]T
	for u := lo; u < hi; u++ {
		o0, t0 := 3*(u/k.nt), 4*(u%k.nt)
		for r := 0; r < 3 && o0+r < g.O; r++ {
			for q := 0; q < 4 && t0+q < taps; q++ {
				lane := (r*4 + q) * 8
				l = [8]T{}
				for un := 0; un < k.units; un++ {
					a := (*[8]T)(k.acc[(un*tiles+u)*dotLanes+lane:])
					for i := range l {
						l[i] += a[i]
					}
				}
				k.dw[(o0+r)*taps+t0+q] = ((l[0] + l[1]) + (l[2] + l[3])) + ((l[4] + l[5]) + (l[6] + l[7]))
			}
		}
	}
}
