package cpu

// tsmallCore computes ConvTranspose for at most three input channels (the
// data gradient of disc.conv1 and the forward gen.tconv4, C = 3), where a
// micro-tile of mr rows would be mostly padding and col2im's depth (O) is
// too short. It is the phase decomposition of ConvTranspose (see
// newConvTranspose), each phase (r, t) a correlation of the padded dy,
//
//	dx[n, c, s*a+r, s*b+t] = Σ_k A(c, k) * dyp[n*O*hp*wp + base + a*wp + b + kOff[k]]
//
// over virtual columns J = a*wp + b (b < wp; those with b past the phase's
// width are computed and dropped), so that the 32 columns of a tile are
// contiguous in dyp: the micro-kernel (microInd3) reads them in place, with
// no packing of B. A is the phase's weights packed as a[k*3+c] (rows c >= C
// zero). Each output is computed by one tile in a fixed order, so results
// do not depend on the worker count.
type tsmallCore[T Float] struct {
	g                 ConvGeom
	s                 int
	hp, wp, top, left int
	dyp               []T // padded dy [N*O][hp][wp], borders and slack zero
	phases            []tsPhase
	ap                []T // packed weights of every phase
	items             []tsItem
	maxCols           int
	slots             [][]T // per slot: a [3][maxCols] tile block
	sch               sched
	padT              tsPadTask[T]
	mainT             tsMainTask[T]
	dx, dy, w         []T
}

type tsPhase struct {
	r, t   int
	n1, n2 int // rows and columns of dx in the phase
	base   int // offset of its column (0, 0) in a sample's padded dy
	kOff   []int32
	wCol   []int32 // per depth index: offset in w of the tap for channel 0
	maxOff int32   // the largest of kOff
	apOff  int
}

type tsItem struct{ phase, n, a0, a1 int }

type tsPadTask[T Float] struct{ k *tsmallCore[T] }
type tsMainTask[T Float] struct{ k *tsmallCore[T] }

// indCols is the width of a microInd3 tile.
const indCols = 32

// microInd3Go is the reference indirect micro-kernel:
//
//	for r < 3, t < 32: c[r*ldc+t] = Σ_{kk<kc} a[kk*3+r] * src[rows[kk]+t]
func microInd3Go[T Float](kc int, a, src []T, rows []int32, c []T, ldc int) {
	var acc [3][indCols]T
	for kk, ro := range rows[:kc] {
		b := (*[indCols]T)(src[ro:])
		for r := range acc {
			av := a[kk*3+r]
			for t := range acc[r] {
				acc[r][t] += av * b[t]
			}
		}
	}
	for r := range acc {
		copy(c[r*ldc:r*ldc+indCols], acc[r][:])
	}
}

// microInd3 runs the indirect micro-kernel (assembly for float32 where the
// CPU allows); maxOff is the largest of rows, and src must hold
// maxOff+32 elements.
func microInd3[T Float](kc int, a, src []T, rows []int32, maxOff int32, c []T, ldc int) {
	if isF32[T]() && useAVX2 && kc > 0 {
		_ = a[kc*3-1]
		_ = rows[kc-1]
		_ = src[int(maxOff)+indCols-1]
		_ = c[2*ldc+indCols-1]
		microInd3Asm(kc, f32(a), f32(src), rows, f32(c), ldc)
		return
	}
	microInd3Go(kc, a, src, rows, c, ldc)
}

func newTransposeSmall[T Float](g ConvGeom, workers int, rows, cols []phase1, top, bottom, left, right int) *tsmallCore[T] {
	s := g.Stride
	k := &tsmallCore[T]{g: g, s: s, top: top, left: left}
	k.hp, k.wp = g.OH+top+bottom, g.OW+left+right
	plane := k.hp * k.wp
	for r := 0; r < s; r++ {
		for t := 0; t < s; t++ {
			pr, pc := rows[r], cols[t]
			if pr.n == 0 || pc.n == 0 {
				continue
			}
			ph := tsPhase{r: r, t: t, n1: pr.n, n2: pc.n, apOff: len(k.ap)}
			ph.base = (top-pr.pad)*k.wp + left - pc.pad
			for o := 0; o < g.O; o++ {
				for u := 0; u < pr.u; u++ {
					p := pr.p0 + s*(pr.u-1-u)
					for v := 0; v < pc.u; v++ {
						q := pc.p0 + s*(pc.u-1-v)
						ph.kOff = append(ph.kOff, int32((o*k.hp+u)*k.wp+v))
						ph.wCol = append(ph.wCol, int32((o*g.C*g.KH+p)*g.KW+q))
					}
				}
			}
			k.ap = append(k.ap, make([]T, 3*len(ph.kOff))...)
			// Items of about 256 virtual columns: whole rows of a sample.
			per := max(1, 256/k.wp)
			for n := 0; n < g.N; n++ {
				for a0 := 0; a0 < pr.n; a0 += per {
					a1 := min(a0+per, pr.n)
					k.items = append(k.items, tsItem{phase: len(k.phases), n: n, a0: a0, a1: a1})
					k.maxCols = max(k.maxCols, roundUp((a1-a0)*k.wp, indCols))
				}
			}
			k.phases = append(k.phases, ph)
		}
	}
	// dyp is long enough for the last row of the last tile of every item.
	need := g.N * g.O * plane
	for i := range k.phases {
		ph := &k.phases[i]
		for _, o := range ph.kOff {
			ph.maxOff = max(ph.maxOff, o)
		}
	}
	for _, it := range k.items {
		ph := &k.phases[it.phase]
		ncp := roundUp((it.a1-it.a0)*k.wp, indCols)
		need = max(need, it.n*g.O*plane+ph.base+it.a0*k.wp+ncp+int(ph.maxOff))
	}
	k.dyp = make([]T, need)
	k.slots = make([][]T, nslots(workers))
	for i := range k.slots {
		k.slots[i] = make([]T, 3*k.maxCols)
	}
	k.padT.k, k.mainT.k = k, k
	return k
}

func (k *tsmallCore[T]) do(p *Pool, dx, dy, w []T) {
	g := k.g
	k.dx, k.dy, k.w = dx, dy, w
	// Pack the weights (small) here, pad dy on the pool.
	taps := g.KH * g.KW
	for i := range k.phases {
		ph := &k.phases[i]
		a := k.ap[ph.apOff : ph.apOff+3*len(ph.wCol)]
		for kk, wc := range ph.wCol {
			for c := 0; c < g.C; c++ {
				a[kk*3+c] = w[int(wc)+c*taps]
			}
		}
	}
	p.For(&k.padT, g.N*g.O, max(1, 4096/(g.OH*g.OW)))
	k.sch.reset(len(k.items))
	p.For(&k.mainT, len(k.slots), 1)
	k.dx, k.dy, k.w = nil, nil, nil
}

// Run copies dy planes [lo, hi) into the interior of dyp.
func (t *tsPadTask[T]) Run(lo, hi int) {
	k := t.k
	g := k.g
	S := g.OH * g.OW
	for pl := lo; pl < hi; pl++ {
		src := k.dy[pl*S : (pl+1)*S]
		dst := k.dyp[pl*k.hp*k.wp:]
		for i := 0; i < g.OH; i++ {
			copy(dst[(i+k.top)*k.wp+k.left:][:g.OW], src[i*g.OW:(i+1)*g.OW])
		}
	}
}

func (t *tsMainTask[T]) Run(lo, hi int) {
	k := t.k
	for s := lo; s < hi; s++ {
		for {
			i, ok := k.sch.take()
			if !ok {
				break
			}
			k.item(k.slots[s], &k.items[i])
		}
	}
}

// item computes rows [a0, a1) of one phase of one sample.
func (k *tsmallCore[T]) item(cb []T, it *tsItem) {
	g := k.g
	ph := &k.phases[it.phase]
	s := k.s
	kc := len(ph.kOff)
	ncols := (it.a1 - it.a0) * k.wp
	ncp := roundUp(ncols, indCols)
	cb = cb[:3*ncp]
	if kc == 0 {
		clear(cb)
	} else {
		src := k.dyp[it.n*g.O*k.hp*k.wp+ph.base+it.a0*k.wp:]
		a := k.ap[ph.apOff : ph.apOff+3*kc]
		for j := 0; j < ncp; j += indCols {
			microInd3(kc, a, src[j:], ph.kOff, ph.maxOff, cb[j:], ncp)
		}
	}
	for c := 0; c < g.C; c++ {
		row := cb[c*ncp:]
		for a := it.a0; a < it.a1; a++ {
			dst := k.dx[((it.n*g.C+c)*g.H+s*a+ph.r)*g.W+ph.t:]
			src := row[(a-it.a0)*k.wp:][:ph.n2]
			if s == 1 {
				copy(dst[:ph.n2], src)
				continue
			}
			dst = dst[:s*(ph.n2-1)+1]
			for b, v := range src {
				dst[s*b] = v
			}
		}
	}
}
