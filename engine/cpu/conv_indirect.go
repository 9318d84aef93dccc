package cpu

// Indirect convolutions: GEMMs whose B operand is read in place.
//
// Where the input is laid out so that the window of every tap is a
// contiguous run over a "virtual column" J = a*wp + b (a zero-padded copy,
// split into its Stride² phases for a strided convolution), the im2col
// matrix needs no packing: row k of it is src[kOff[k]+J], and the
// micro-kernel microInd reads 32 consecutive columns of each row straight
// from src. Columns with b past the output's width are computed and
// dropped. This pays off where packing would cost as much as the
// multiplications: few output rows (C = 3 for a transposed convolution,
// O = F for disc.conv1) or few input channels.
//
// indCore is the shared engine: a set of phases, each a correlation
//
//	y[n*outSample + m*outRow + outBase + a*aStride + b*bStride] =
//	    Σ_k W(m, k) * src[n*srcSample + base + a*wp + b + kOff[k]]
//
// for m < M, a < n1, b < n2, with W(m, k) = w[wRow[m] + wCol[k]], packed
// per phase into groups of mr rows. Each output is computed by one tile in a
// fixed order, so results do not depend on the worker count.
//
// Work is handed out a sample at a time: a worker builds the sample's src
// in a buffer of its own and computes all of its phases from there, while
// the buffer is in its core's cache (building all samples first, then
// computing, read each sample back from memory, on the other core for half
// of them).
type indCore[T Float] struct {
	m, groups int // rows of y (output channels) and groups of mr of them
	mr        int // rows of a tile (indRowsFor)
	wRow      []int32
	wp        int // pitch of a row of virtual columns in src
	samples   int
	outSample int
	outRow    int
	phases    []indPhase
	ap        []T       // packed weights: per phase, group, depth index: 3 rows
	items     []indItem // the row blocks of one sample
	maxCols   int
	slots     []indSlot[T]
	sch       sched
	build     sampleBuild[T] // fills a slot's src from a sample of the run's input
	packT     indPackTask[T]
	mainT     indMainTask[T]
	x, y, w   []T
}

// indSlot is a worker's scratch: the src of its sample (borders zero) and
// [mr*groups][maxCols] of results.
type indSlot[T Float] struct{ src, cb []T }

type indPackTask[T Float] struct{ k *indCore[T] }

// setRows sets the tile height and the groups of rows (m set): 3 rows
// where there are no more, else the kernel's tallest tile.
func (k *indCore[T]) setRows() {
	k.mr = 3
	if k.m > 3 {
		k.mr = indRowsFor[T]()
	}
	k.groups = (k.m + k.mr - 1) / k.mr
}

// Run packs the weights of units [lo, hi), a unit being a group of rows of
// one phase: a[kk*mr+r] = W(g*mr+r, kk); rows past m stay zero.
func (t *indPackTask[T]) Run(lo, hi int) {
	k := t.k
	for u := lo; u < hi; u++ {
		ph := &k.phases[u/k.groups]
		g := u % k.groups
		kc := len(ph.wCol)
		a := k.ap[ph.apOff+g*k.mr*kc:][:k.mr*kc]
		for r := 0; r < k.mr && g*k.mr+r < k.m; r++ {
			wr := int(k.wRow[g*k.mr+r])
			for kk, wc := range ph.wCol {
				a[kk*k.mr+r] = k.w[wr+int(wc)]
			}
		}
	}
}

type indPhase struct {
	n1, n2           int
	base             int
	outBase          int
	aStride, bStride int
	kOff             []int32
	wCol             []int32
	maxOff           int32 // the largest of kOff
	apOff            int
}

type indItem struct{ phase, a0, a1 int }

type indMainTask[T Float] struct{ k *indCore[T] }

// indCols is the width of a microInd tile, indKC its depth block.
const (
	indCols = 32
	indKC   = 128
)

// microIndGo is the reference indirect micro-kernel for mr <= maxMR rows:
//
//	for r < mr, t < 32:
//	    s := Σ_{kk<kc} a[kk*mr+r] * src[rows[kk]+t]
//	    c[r*ldc+t] = s        (acc == false)
//	    c[r*ldc+t] += s       (acc == true)
func microIndGo[T Float](mr, kc int, a, src []T, rows []int32, c []T, ldc int, acc bool) {
	var sum [maxMR][indCols]T
	for kk, ro := range rows[:kc] {
		b := (*[indCols]T)(src[ro:])
		for r := range sum[:mr] {
			av := a[kk*mr+r]
			for t := range sum[r] {
				sum[r][t] += av * b[t]
			}
		}
	}
	for r := range sum[:mr] {
		d := c[r*ldc : r*ldc+indCols]
		if acc {
			for t := range d {
				d[t] += sum[r][t]
			}
			continue
		}
		copy(d, sum[r][:])
	}
}

// indRowsFor is the tile height of the indirect micro-kernel for T on this
// CPU: the assembly's for float32 (8 with AVX-512, 3 with AVX2), else 3.
func indRowsFor[T Float]() int {
	if isF32[T]() && useAVX2 {
		return indRowsAsm()
	}
	return 3
}

// microInd runs the indirect micro-kernel of mr rows (3, or indRowsFor); maxOff
// is the largest of rows, and src must hold maxOff+32 elements.
func microInd[T Float](mr, kc int, a, src []T, rows []int32, maxOff int32, c []T, ldc int, acc bool) {
	if isF32[T]() && useAVX2 && kc > 0 {
		_ = a[kc*mr-1]
		_ = rows[kc-1]
		_ = src[int(maxOff)+indCols-1]
		_ = c[(mr-1)*ldc+indCols-1]
		microIndAsm(mr, kc, f32(a), f32(src), rows, f32(c), ldc, acc)
		return
	}
	microIndTiled(mr, kc, a, src, rows, c, ldc, acc)
}

// addPhase appends a phase (its n1, n2, base, outBase, strides, kOff and
// wCol set) and its items: whole rows of a sample, about 256 virtual
// columns each.
func (k *indCore[T]) addPhase(ph indPhase) {
	ph.apOff = len(k.ap)
	for _, o := range ph.kOff {
		ph.maxOff = max(ph.maxOff, o)
	}
	k.ap = append(k.ap, make([]T, k.mr*k.groups*len(ph.kOff))...)
	per := max(1, 256/k.wp)
	for a0 := 0; a0 < ph.n1; a0 += per {
		a1 := min(a0+per, ph.n1)
		k.items = append(k.items, indItem{phase: len(k.phases), a0: a0, a1: a1})
		k.maxCols = max(k.maxCols, roundUp((a1-a0)*k.wp, indCols))
	}
	k.phases = append(k.phases, ph)
}

// init allocates the slots, each with a src of srcLen elements at least
// (a sample) and enough for the last tile of every item; call it after
// the last addPhase.
func (k *indCore[T]) init(workers, samples, srcLen int) {
	k.samples = samples
	need := srcLen
	for _, it := range k.items {
		ph := &k.phases[it.phase]
		ncp := roundUp((it.a1-it.a0)*k.wp, indCols)
		need = max(need, ph.base+it.a0*k.wp+ncp+int(ph.maxOff))
	}
	k.slots = make([]indSlot[T], nslots(workers))
	for i := range k.slots {
		k.slots[i] = indSlot[T]{src: make([]T, need), cb: make([]T, k.mr*k.groups*k.maxCols)}
	}
	k.mainT.k, k.packT.k = k, k
}

// do computes y from the input x (padded or split into src) and w.
func (k *indCore[T]) do(p *Pool, y, x, w []T) {
	k.x, k.y, k.w = x, y, w
	p.For(&k.packT, len(k.phases)*k.groups, 1)
	k.sch.reset(k.samples)
	p.For(&k.mainT, len(k.slots), 1)
	k.x, k.y, k.w = nil, nil, nil
}

func (t *indMainTask[T]) Run(lo, hi int) {
	k := t.k
	for s := lo; s < hi; s++ {
		sl := &k.slots[s]
		for {
			n, ok := k.sch.take()
			if !ok {
				break
			}
			k.build.fill(sl.src, k.x, n, n+1)
			for i := range k.items {
				k.item(sl, &k.items[i], n)
			}
		}
	}
}

// item computes rows [a0, a1) of one phase of sample n, whose src the
// slot holds.
func (k *indCore[T]) item(sl *indSlot[T], it *indItem, n int) {
	cb := sl.cb
	ph := &k.phases[it.phase]
	kc := len(ph.kOff)
	ncp := roundUp((it.a1-it.a0)*k.wp, indCols)
	cb = cb[:k.mr*k.groups*ncp]
	if kc == 0 {
		clear(cb)
	} else {
		// Depth blocks of indKC, so that the B rows a tile reads stay in
		// L1 while every group of rows uses them.
		src := sl.src[ph.base+it.a0*k.wp:]
		for k0 := 0; k0 < kc; k0 += indKC {
			kb := min(indKC, kc-k0)
			rows := ph.kOff[k0 : k0+kb]
			for j := 0; j < ncp; j += indCols {
				for g := 0; g < k.groups; g++ {
					a := k.ap[ph.apOff+(g*kc+k0)*k.mr:][:k.mr*kb]
					microInd(k.mr, kb, a, src[j:], rows, ph.maxOff, cb[g*k.mr*ncp+j:], ncp, k0 > 0)
				}
			}
		}
	}
	for m := 0; m < k.m; m++ {
		row := cb[m*ncp:]
		out := k.y[n*k.outSample+m*k.outRow+ph.outBase:]
		for a := it.a0; a < it.a1; a++ {
			src := row[(a-it.a0)*k.wp:][:ph.n2]
			dst := out[a*ph.aStride:]
			if ph.bStride == 1 {
				copy(dst[:ph.n2], src)
				continue
			}
			dst = dst[:ph.bStride*(ph.n2-1)+1]
			for b, v := range src {
				dst[ph.bStride*b] = v
			}
		}
	}
}

// padTask copies planes [lo, hi) of an [planes, h, w] tensor into the
// interior (offset top, left) of planes of pitch hp×wp in dst.
type padTask[T Float] struct {
	h, w, hp, wp, top, left int
	dst, x                  []T
}

func (t *padTask[T]) Run(lo, hi int) {
	S := t.h * t.w
	for pl := lo; pl < hi; pl++ {
		src := t.x[pl*S : (pl+1)*S]
		dst := t.dst[pl*t.hp*t.wp:]
		for i := 0; i < t.h; i++ {
			copy(dst[(i+t.top)*t.wp+t.left:][:t.w], src[i*t.w:(i+1)*t.w])
		}
	}
}

// splitTask copies planes (n, c) of x [N, C, H, W], zero-padded as g says,
// into their Stride² phase planes of hph×wph: phase (a, b) of plane (n, c)
// starts at n*offN + c*offC + (a*s+b)*offP of dst and holds
// x[n, c, s*i+a-PadT, s*j+b-PadL] at i*wph+j. Positions outside x are
// never written (they stay zero).
type splitTask[T Float] struct {
	g                ConvGeom
	s, hph, wph      int
	offN, offC, offP int
	jlo, jhi         []int // per b: the j with s*j+b-PadL inside x
	// Stride 2 with the first read columns of the two phases src[0] and
	// src[1] (pairs): the rows of phase b = pb[q] start at column jlo[pb[q]]
	// and take src[2*j+q]; pn values of both are split as pairs.
	pairs  bool
	pb     [2]int
	pn     int
	dst, x []T
}

func newSplitTask[T Float](g ConvGeom, offN, offC, offP int) splitTask[T] {
	t := splitTask[T]{g: g, s: g.Stride, offN: offN, offC: offC, offP: offP}
	t.hph, t.wph = phaseSplit(g)
	for b := 0; b < t.s; b++ {
		lo, hi := 0, t.wph
		for lo < hi && t.s*lo+b-g.PadL < 0 {
			lo++
		}
		for hi > lo && t.s*(hi-1)+b-g.PadL >= g.W {
			hi--
		}
		t.jlo = append(t.jlo, lo)
		t.jhi = append(t.jhi, hi)
	}
	if t.s == 2 {
		t.pairs = true
		for b := 0; b < 2; b++ {
			v0 := 2*t.jlo[b] + b - g.PadL
			if t.jlo[b] >= t.jhi[b] || v0 < 0 || v0 > 1 {
				t.pairs = false
				break
			}
			t.pb[v0] = b
		}
		if t.pairs {
			t.pn = min(t.jhi[0]-t.jlo[0], t.jhi[1]-t.jlo[1])
		}
	}
	return t
}

// Run splits planes [lo, hi) of x (plane = n*C + c).
func (t *splitTask[T]) Run(lo, hi int) {
	g, s := t.g, t.s
	for pl := lo; pl < hi; pl++ {
		n, c := pl/g.C, pl%g.C
		x := t.x[pl*g.H*g.W:][:g.H*g.W]
		for a := 0; a < s; a++ {
			if t.pairs {
				t.pairRows(x, n*t.offN+c*t.offC+a*s*t.offP, a)
				continue
			}
			for i := 0; i < t.hph; i++ {
				h := s*i + a - g.PadT
				if h < 0 || h >= g.H {
					continue
				}
				src := x[h*g.W : (h+1)*g.W]
				base := n*t.offN + c*t.offC + a*s*t.offP + i*t.wph
				for b := 0; b < s; b++ {
					jlo, jhi := t.jlo[b], t.jhi[b]
					if jlo >= jhi {
						continue
					}
					dst := t.dst[base+b*t.offP:][jlo:jhi]
					v0 := s*jlo + b - g.PadL
					if s == 1 {
						copy(dst, src[v0:])
						continue
					}
					sv := src[v0 : v0+s*(len(dst)-1)+1]
					for j := range dst {
						dst[j] = sv[j*s]
					}
				}
			}
		}
	}
}

// newTransposeSmall makes ConvTranspose for C <= 3 (see newConvTranspose
// for the phases): each phase (r, t) of dx is a correlation of the padded
// dy over its own sub-kernel, with dx's channels as the rows.
func newTransposeSmall[T Float](g ConvGeom, workers int, rows, cols []phase1, top, bottom, left, right int) *indCore[T] {
	s := g.Stride
	hp, wp := g.OH+top+bottom, g.OW+left+right
	k := &indCore[T]{m: g.C, wp: wp}
	k.setRows()
	k.outSample, k.outRow = g.C*g.H*g.W, g.H*g.W
	for c := 0; c < g.C; c++ {
		k.wRow = append(k.wRow, int32(c*g.KH*g.KW))
	}
	for r := 0; r < s; r++ {
		for t := 0; t < s; t++ {
			pr, pc := rows[r], cols[t]
			if pr.n == 0 || pc.n == 0 {
				continue
			}
			ph := indPhase{n1: pr.n, n2: pc.n, base: (top-pr.pad)*wp + left - pc.pad,
				outBase: r*g.W + t, aStride: s * g.W, bStride: s}
			for o := 0; o < g.O; o++ {
				for u := 0; u < pr.u; u++ {
					p := pr.p0 + s*(pr.u-1-u)
					for v := 0; v < pc.u; v++ {
						q := pc.p0 + s*(pc.u-1-v)
						ph.kOff = append(ph.kOff, int32((o*hp+u)*wp+v))
						ph.wCol = append(ph.wCol, int32((o*g.C*g.KH+p)*g.KW+q))
					}
				}
			}
			k.addPhase(ph)
		}
	}
	k.init(workers, g.N, g.O*hp*wp)
	pt := &padTask[T]{h: g.OH, w: g.OW, hp: hp, wp: wp, top: top, left: left}
	k.build = sampleBuild[T]{pad: pt, planes: g.O, inSample: g.O * g.OH * g.OW}
	return k
}

// newConv2DInd makes Conv2D as one indirect phase over the phase-split
// input: xs[n][(c*s+a)*s+b][i][j] (planes of hph×wph), where tap (c, p, q)
// of output (i, j) is at plane (c, p%s, q%s), row i+p/s, column j+q/s.
func newConv2DInd[T Float](g ConvGeom, workers int) *indCore[T] {
	s := g.Stride
	hph, wph := phaseSplit(g)
	plane := hph * wph
	k := &indCore[T]{m: g.O, wp: wph}
	k.setRows()
	k.outSample, k.outRow = g.O*g.OH*g.OW, g.OH*g.OW
	taps := g.C * g.KH * g.KW
	for o := 0; o < g.O; o++ {
		k.wRow = append(k.wRow, int32(o*taps))
	}
	ph := indPhase{n1: g.OH, n2: g.OW, aStride: g.OW, bStride: 1}
	for c := 0; c < g.C; c++ {
		for p := 0; p < g.KH; p++ {
			for q := 0; q < g.KW; q++ {
				ph.kOff = append(ph.kOff, int32(((c*s+p%s)*s+q%s)*plane+(p/s)*wph+q/s))
				ph.wCol = append(ph.wCol, int32((c*g.KH+p)*g.KW+q))
			}
		}
	}
	k.addPhase(ph)
	k.init(workers, g.N, g.C*s*s*plane)
	st := newSplitTask[T](g, g.C*s*s*plane, s*s*plane, plane)
	k.build = sampleBuild[T]{split: &st, planes: g.C, inSample: g.C * g.H * g.W}
	return k
}

// sampleBuild fills a worker's buffer from samples of the operand of the
// current run: by padding (pad) or by phase splitting (split) their planes
// (planes a sample, inSample elements of the operand a sample). The
// indirect convolutions and filterDot build their inputs with it.
type sampleBuild[T Float] struct {
	pad              *padTask[T]
	split            *splitTask[T]
	planes, inSample int
}

// fill builds samples [n0, n1) of x into dst (sample n0 at its start), with
// a copy of the task of its own (workers fill their buffers at once).
func (b *sampleBuild[T]) fill(dst, x []T, n0, n1 int) {
	x = x[n0*b.inSample : n1*b.inSample]
	planes := (n1 - n0) * b.planes
	if b.pad != nil {
		t := *b.pad
		t.dst, t.x = dst, x
		t.Run(0, planes)
		return
	}
	t := *b.split
	t.dst, t.x = dst, x
	t.Run(0, planes)
}

// pairRows splits the rows of row phase a of one plane x of a stride-2
// split (t.pairs), whose phase planes start at base: each row of x once,
// pair by pair.
func (t *splitTask[T]) pairRows(x []T, base, a int) {
	g := t.g
	// Rows i of the phase read x row h = 2*i+a-PadT, for h in [0, H).
	ilo := max(0, (g.PadT-a+1)/2)
	ihi := 0
	if last := g.H - 1 + g.PadT - a; last >= 0 {
		ihi = min(t.hph, last/2+1)
	}
	if ilo >= ihi {
		return
	}
	b0, b1 := t.pb[0], t.pb[1]
	d0 := t.dst[base+b0*t.offP+t.jlo[b0]:]
	d1 := t.dst[base+b1*t.offP+t.jlo[b1]:]
	h0 := 2*ilo + a - g.PadT
	rows := ihi - ilo
	n8 := t.pn &^ 7
	if isF32[T]() && useAVX2 && n8 > 0 {
		// The last row's vector part must lie inside x, d0 and d1.
		_ = x[(h0+2*(rows-1))*g.W+2*n8-1]
		_ = d0[(ilo+rows-1)*t.wph+n8-1]
		_ = d1[(ilo+rows-1)*t.wph+n8-1]
		deint2Rows(f32(d0[ilo*t.wph:]), f32(d1[ilo*t.wph:]), f32(x[h0*g.W:]), n8, rows, t.wph, 2*g.W)
	} else {
		n8 = 0
	}
	for r := 0; r < rows; r++ {
		src := x[(h0+2*r)*g.W:][:g.W]
		r0 := d0[(ilo+r)*t.wph:][:t.jhi[b0]-t.jlo[b0]]
		r1 := d1[(ilo+r)*t.wph:][:t.jhi[b1]-t.jlo[b1]]
		for j := n8; j < len(r0); j++ {
			r0[j] = src[2*j]
		}
		for j := n8; j < len(r1); j++ {
			r1[j] = src[2*j+1]
		}
	}
}
