package cpu

import (
	"fmt"

	"github.com/wgangp/wgangp/engine"
)

// Convolutions are computed as GEMMs over an implicitly built im2col matrix.
//
// The input is first copied into a zero-padded buffer (when the geometry
// reads outside it), so that every tap of every output column is an
// in-bounds read: element (tap k, column j) of the im2col matrix is
// xp[kOff[k]+colOff[j]]. Packing a B panel is then a plain 2-d gather of
// 16 lanes, done with AVX2 gathers for float32.
//
// convCore is the forward engine shared by Conv2D and ConvTranspose: a set
// of "phases", each a correlation of the padded input with its own (packed)
// weights, whose output columns are scattered to arbitrary positions of y.
// Conv2D is one phase; ConvTranspose with stride s is s² stride-1 phases,
// one for each output position modulo s.

// padder copies an [N, C, H, W] tensor into a zero-padded [N, C, Hp, Wp]
// buffer at offset (top, left). Borders are zeroed once, at construction.
type padder[T Float] struct {
	planes, h, w     int
	hp, wp, top, lft int
	xp               []T
	x                []T
}

func newPadder[T Float](planes, h, w, top, bottom, left, right int) padder[T] {
	top, bottom, left, right = max(top, 0), max(bottom, 0), max(left, 0), max(right, 0)
	p := padder[T]{planes: planes, h: h, w: w, hp: h + top + bottom, wp: w + left + right, top: top, lft: left}
	if p.needed() {
		p.xp = make([]T, planes*p.hp*p.wp)
	}
	return p
}

func (p *padder[T]) needed() bool { return p.hp != p.h || p.wp != p.w }

// Run copies planes [lo, hi).
func (p *padder[T]) Run(lo, hi int) {
	for pl := lo; pl < hi; pl++ {
		src := p.x[pl*p.h*p.w : (pl+1)*p.h*p.w]
		dst := p.xp[pl*p.hp*p.wp : (pl+1)*p.hp*p.wp]
		for r := 0; r < p.h; r++ {
			copy(dst[(r+p.top)*p.wp+p.lft:][:p.w], src[r*p.w:(r+1)*p.w])
		}
	}
}

// src pads x if needed (on the pool) and returns the buffer to read.
func (p *padder[T]) src(pool *Pool, x []T) []T {
	if !p.needed() {
		return x
	}
	p.x = x
	pool.For(p, p.planes, 1)
	p.x = nil
	return p.xp
}

// convPhase is one correlation of a convCore.
type convPhase struct {
	k      int     // GEMM depth: input channels × taps (0: the phase writes zeros)
	kOff   []int32 // per depth index: offset of the tap in the padded input
	wCol   []int32 // per depth index: offset in w of the tap for output row 0
	colOff []int32 // per output column: padded input offset of its window (padded by nr)
	outOff []int32 // per output column: offset in y of its output channel 0
	apOff  int     // offset of the phase's packed weights in convCore.apack
	wBlk   []int32 // wCol[8*b] for each block of 8 consecutive offsets, if all are (else nil)
}

type convItem struct {
	phase, j0, j1 int
	contig        bool // outOff[j0:j1] is consecutive
	// pair is the phase whose columns j0..j1 interleave with phase's
	// (its outputs one after each of phase's), computed in the same item
	// and stored with them as the rows runs[r0:r1] of both; -1 for none.
	pair, r0, r1 int
}

// convRun is a run of n columns j.. (from an item's j0) of a pair of
// phases whose outputs interleave into the row at y offset off.
type convRun struct{ j, n, off int32 }

// packJob packs the A panel of rows i..i+h-1 and depths k0..k0+kc-1.
type packJob struct{ phase, k0, kc, i, h int }

type convSlot[T Float] struct{ bp, cb, cb2 []T }

// convCore: y[outOff[j] + m*outPlane] = Σ_k W(m,k) * xp[kOff[k]+colOff[j]]
// for every phase, with W(m,k) = w[wRow[m]+wCol[k]].
type convCore[T Float] struct {
	tiles    rowTiles
	m, mPad  int
	outPlane int
	kc       int
	wRow     []int32
	pad      padder[T]
	phases   []convPhase
	items    []convItem
	runs     []convRun
	packs    []packJob
	apack    []T
	slots    []convSlot[T]
	sch      sched
	packT    convPackTask[T]
	mainT    convMainTask[T]
	src      []T // padded input during Do
	w, y     []T
}

type convPackTask[T Float] struct{ k *convCore[T] }
type convMainTask[T Float] struct{ k *convCore[T] }

// init finishes a core whose m, outPlane, wRow, pad and phases (k, kOff,
// wCol, colOff, outOff) are set; samples is the batch size and perSample the
// output columns per sample of each phase.
func (c *convCore[T]) init(workers int, perSample []int) {
	c.tiles = tilesFor[T](c.m)
	c.mPad = c.tiles.rows()
	c.wRow = padOffsets(c.wRow, c.mPad)
	c.kc = kcBlock
	maxK := 0
	for i := range c.phases {
		ph := &c.phases[i]
		ph.apOff = len(c.apack)
		maxK = max(maxK, ph.k)
		// Weights in runs of 8 consecutive offsets (Conv2D's rows of w) pack
		// by transposes.
		if ph.k%8 == 0 && ph.k > 0 {
			for b := 0; b < ph.k; b += 8 {
				for e := 1; e < 8; e++ {
					if ph.wCol[b+e] != ph.wCol[b]+int32(e) {
						ph.wBlk = nil
						goto noBlocks
					}
				}
				ph.wBlk = append(ph.wBlk, ph.wCol[b])
			}
		noBlocks:
		}
		c.apack = append(c.apack, make([]T, c.mPad*ph.k)...)
		for k0 := 0; k0 < ph.k; k0 += c.kc {
			for _, t := range c.tiles {
				c.packs = append(c.packs, packJob{phase: i, k0: k0, kc: min(c.kc, ph.k-k0), i: t.i, h: t.h})
			}
		}
		// Pad colOff so that every panel of nr lanes reads valid offsets.
		last := ph.colOff[len(ph.colOff)-1]
		for range nr {
			ph.colOff = append(ph.colOff, last)
		}
	}
	if maxK < c.kc {
		c.kc = max(maxK, 1)
	}
	pair := c.pairs(perSample)
	// Column blocks: shrink until there are enough items to balance.
	want := 4 * nslots(workers)
	nc := ncBlock
	for {
		c.items = c.items[:0]
		for i := range c.phases {
			if pair[i] != -2 {
				c.items = appendChunks(c.items, i, len(c.phases[i].outOff), perSample[i], nc)
			}
		}
		if len(c.items) >= want || nc <= nr {
			break
		}
		nc = roundUp(nc/2, nr)
	}
	maxNC, paired := 0, false
	c.runs = c.runs[:0]
	for i := range c.items {
		it := &c.items[i]
		maxNC = max(maxNC, roundUp(it.j1-it.j0, nr))
		off := c.phases[it.phase].outOff
		it.pair = pair[it.phase]
		if it.pair >= 0 {
			paired = true
			it.r0 = len(c.runs)
			c.runs = appendRuns(c.runs, off[it.j0:it.j1])
			it.r1 = len(c.runs)
			continue
		}
		it.contig = true
		for j := it.j0 + 1; j < it.j1; j++ {
			if off[j] != off[j-1]+1 {
				it.contig = false
				break
			}
		}
	}
	c.slots = make([]convSlot[T], nslots(workers))
	for s := range c.slots {
		c.slots[s] = convSlot[T]{bp: make([]T, maxNC*c.kc), cb: make([]T, c.mPad*maxNC)}
		if paired {
			c.slots[s].cb2 = make([]T, c.mPad*maxNC)
		}
	}
	c.packT.k = c
	c.mainT.k = c
}

// pairs finds the phases whose outputs interleave: phase i+1 writes each of
// its columns just after where phase i writes the same column (the column
// phases 0 and 1 of a row phase of a stride-2 transposed convolution). Such
// a pair is computed together and stored as whole rows, without a scatter.
// pair[i] is i's partner for the first of a pair, -2 for the second, -1
// for a phase on its own.
func (c *convCore[T]) pairs(perSample []int) []int {
	pair := make([]int, len(c.phases))
	for i := range pair {
		pair[i] = -1
	}
	for i := 0; i+1 < len(c.phases); i++ {
		a, b := c.phases[i].outOff, c.phases[i+1].outOff
		if pair[i] != -1 || len(a) != len(b) || perSample[i] != perSample[i+1] || len(a) == 0 {
			continue
		}
		ok := true
		for j := range a {
			if b[j] != a[j]+1 {
				ok = false
				break
			}
		}
		if ok {
			pair[i], pair[i+1] = i+1, -2
		}
	}
	return pair
}

// appendRuns appends the runs of off (outputs of the first phase of a pair)
// that step by 2: the pair's outputs fill each run's row span.
func appendRuns(runs []convRun, off []int32) []convRun {
	for j := 0; j < len(off); {
		e := j + 1
		for e < len(off) && off[e] == off[e-1]+2 {
			e++
		}
		runs = append(runs, convRun{j: int32(j), n: int32(e - j), off: off[j]})
		j = e
	}
	return runs
}

// appendChunks splits columns [0, n) of a phase (per output columns per
// sample) into items of about nc columns: within a sample when samples are
// large, else whole samples together.
func appendChunks(items []convItem, phase, n, per, nc int) []convItem {
	if per >= nc {
		q := (per + nc - 1) / nc
		step := roundUp((per+q-1)/q, nr)
		for s0 := 0; s0 < n; s0 += per {
			for j := 0; j < per; j += step {
				items = append(items, convItem{phase: phase, j0: s0 + j, j1: s0 + min(j+step, per)})
			}
		}
		return items
	}
	step := max(nc/per, 1) * per
	for j := 0; j < n; j += step {
		items = append(items, convItem{phase: phase, j0: j, j1: min(j+step, n)})
	}
	return items
}

func (c *convCore[T]) do(p *Pool, y, x, w []T) {
	c.src = c.pad.src(p, x)
	c.w, c.y = w, y
	p.For(&c.packT, len(c.packs), 8)
	c.sch.reset(len(c.items))
	p.For(&c.mainT, len(c.slots), 1)
	c.src, c.w, c.y = nil, nil, nil
}

func (t *convPackTask[T]) Run(lo, hi int) {
	c := t.k
	for _, j := range c.packs[lo:hi] {
		ph := &c.phases[j.phase]
		dst := c.apack[ph.apOff+j.k0*c.mPad+j.i*j.kc:][:j.h*j.kc]
		if ph.wBlk != nil {
			tgather(dst, c.w, ph.wBlk[j.k0/8:(j.k0+j.kc)/8], c.wRow[j.i:j.i+j.h])
			continue
		}
		gather(dst, c.w, ph.wCol[j.k0:j.k0+j.kc], c.wRow[j.i:j.i+j.h])
	}
}

func (t *convMainTask[T]) Run(lo, hi int) {
	c := t.k
	for s := lo; s < hi; s++ {
		for {
			i, ok := c.sch.take()
			if !ok {
				break
			}
			c.item(&c.slots[s], &c.items[i])
		}
	}
}

func (c *convCore[T]) item(sl *convSlot[T], it *convItem) {
	ph := &c.phases[it.phase]
	nc := it.j1 - it.j0
	ncp := roundUp(nc, nr)
	cb := sl.cb[:c.mPad*ncp]
	c.product(sl, ph, it.j0, ncp, cb)
	if it.pair >= 0 {
		cb2 := sl.cb2[:c.mPad*ncp]
		c.product(sl, &c.phases[it.pair], it.j0, ncp, cb2)
		for _, r := range c.runs[it.r0:it.r1] {
			int2Rows(c.y[r.off:], cb[r.j:], cb2[r.j:], int(r.n), c.m, c.outPlane, ncp)
		}
		return
	}
	// Scatter the block to y.
	out := ph.outOff[it.j0:it.j1]
	if it.contig {
		base := int(out[0])
		for m := 0; m < c.m; m++ {
			copy(c.y[base+m*c.outPlane:][:nc], cb[m*ncp:m*ncp+nc])
		}
		return
	}
	for m := 0; m < c.m; m++ {
		y := c.y[m*c.outPlane:]
		row := cb[m*ncp : m*ncp+nc]
		for j, o := range out {
			y[o] = row[j]
		}
	}
}

// product computes the block cb [mPad, ncp] of phase ph's columns j0.. .
func (c *convCore[T]) product(sl *convSlot[T], ph *convPhase, j0, ncp int, cb []T) {
	if ph.k == 0 {
		clear(cb)
	}
	for k0 := 0; k0 < ph.k; k0 += c.kc {
		kc := min(c.kc, ph.k-k0)
		bp := sl.bp[:ncp*kc]
		rows := ph.kOff[k0 : k0+kc]
		lo, hi := bounds(rows)
		for q := 0; q < ncp; q += nr {
			gatherIn(bp[q*kc:(q+nr)*kc], c.src, rows, lo, hi, ph.colOff[j0+q:j0+q+nr])
		}
		macro(c.tiles, c.mPad, ncp, kc, c.apack[ph.apOff+k0*c.mPad:][:c.mPad*kc], bp, cb, ncp, k0 > 0)
	}
}

// Conv2D computes the convolution of the geometry, overwriting y:
//
//	for n, o, i, j:
//	    y[n,o,i,j] = Σ_{c<C, p<KH, q<KW} x[n, c, i*Stride+p-PadT, j*Stride+q-PadL] * w[o,c,p,q]
//
// (x read as zero outside [0,H)×[0,W)), with x [N,C,H,W], w [O,C,KH,KW],
// y [N,O,OH,OW]. It is one GEMM y_n[O, OH*OW] = w[O, C*KH*KW]·im2col(x_n)
// with the batch folded into the columns.
type Conv2D[T Float] struct {
	g    ConvGeom
	core convCore[T]
	ind  *indCore[T]  // B read in place from the phase-split x, or
	mm   *MatMul[T]   // a plain matmul where g is a wholeWindow, or
	dot  *wholeDot[T] // dot products where g is a wholeWindow with K%8 == 0, or nil for core
}

// NewConv2D makes a Conv2D for g with scratch for workers workers.
// It panics if g is invalid.
func NewConv2D[T Float](g ConvGeom, workers int) *Conv2D[T] {
	g.mustValidate("NewConv2D")
	return newConv2D[T](g, workers, conv2DAuto)
}

// Ways of computing Conv2D; newConv2D picks unless told.
const (
	conv2DAuto = iota
	conv2DGEMM // packed im2col panels (convCore)
	conv2DInd  // B in place from the phase-split input (indCore)
)

// useConv2DInd reports whether the indirect method beats packing for g:
// where few input channels make packing the cost (disc.conv1's 3: 1.2-1.4x
// at F = 8 and 16), the outputs are few (at F = 32 and 64 the packed GEMM
// was 1.2-1.8x faster, measured on AVX-512 Zen 4) and the columns wasted
// at the ends of the phase rows stay few. With more channels the packed
// GEMM wins.
func useConv2DInd(g ConvGeom) bool {
	_, wph := phaseSplit(g)
	return g.C <= 4 && g.O <= smallOutputs && float64(wph) <= 1.2*float64(g.OW)
}

// smallOutputs bounds the output channels (F of disc.conv1 and gen.tconv4)
// up to which the few-channel methods without packing beat the packed GEMM.
const smallOutputs = 16

func newConv2D[T Float](g ConvGeom, workers, mode int) *Conv2D[T] {
	k := &Conv2D[T]{g: g}
	if mode == conv2DAuto && wholeWindow(g) {
		if (g.C*g.KH*g.KW)%8 == 0 {
			k.dot = newWholeDot[T](g)
			return k
		}
		k.mm = wholeWindowMatMul[T](g, "Conv2D", workers)
		return k
	}
	if mode == conv2DAuto {
		mode = conv2DGEMM
		if useConv2DInd(g) {
			mode = conv2DInd
		}
	}
	if mode == conv2DInd {
		k.ind = newConv2DInd[T](g, workers)
		return k
	}
	c := &k.core
	c.m = g.O
	c.outPlane = g.OH * g.OW
	taps := g.C * g.KH * g.KW
	c.wRow = make([]int32, g.O)
	for o := range c.wRow {
		c.wRow[o] = int32(o * taps)
	}
	ph := convPhase{k: taps, kOff: make([]int32, 0, taps), wCol: make([]int32, 0, taps)}
	S := g.OH * g.OW
	c.pad = newPadder[T](g.N*g.C, g.H, g.W, g.PadT, g.PadB(), g.PadL, g.PadR())
	hp, wp := c.pad.hp, c.pad.wp
	for ci := 0; ci < g.C; ci++ {
		for p := 0; p < g.KH; p++ {
			for q := 0; q < g.KW; q++ {
				ph.kOff = append(ph.kOff, int32((ci*hp+p)*wp+q))
				ph.wCol = append(ph.wCol, int32((ci*g.KH+p)*g.KW+q))
			}
		}
	}
	for n := 0; n < g.N; n++ {
		for i := 0; i < g.OH; i++ {
			for j := 0; j < g.OW; j++ {
				// Window origin in padded coordinates: i*Stride-PadT+top = i*Stride.
				ph.colOff = append(ph.colOff, int32((n*g.C*hp+i*g.Stride)*wp+j*g.Stride))
				ph.outOff = append(ph.outOff, int32(n*g.O*S+i*g.OW+j))
			}
		}
	}
	c.phases = []convPhase{ph}
	c.init(workers, []int{S})
	return k
}

// Do computes y = conv(x, w) on the pool's workers.
func (k *Conv2D[T]) Do(p *Pool, y, x, w []T) {
	g := k.g
	if len(y) < g.N*g.O*g.OH*g.OW || len(x) < g.N*g.C*g.H*g.W || len(w) < g.O*g.C*g.KH*g.KW {
		panic(fmt.Sprintf("cpu.Conv2D.Do: operands too short for %+v", g))
	}
	if k.dot != nil {
		k.dot.do(p, y, x, w)
		return
	}
	if k.mm != nil {
		k.mm.Do(p, y, x, w)
		return
	}
	if k.ind != nil {
		k.ind.do(p, y, x, w)
		return
	}
	k.core.do(p, y, x, w)
}

// ConvTranspose computes the adjoint of Conv2D with respect to x (the data
// gradient, or transposed convolution), overwriting dx:
//
//	dx[n,c,h,v] = Σ_{o,i,j,p,q : i*Stride+p-PadT == h, j*Stride+q-PadL == v} dy[n,o,i,j] * w[o,c,p,q]
//
// with dy [N,O,OH,OW], w [O,C,KH,KW], dx [N,C,H,W]. For each output phase
// (h mod Stride, v mod Stride) only the taps p ≡ h+PadT, q ≡ v+PadL (mod
// Stride) contribute, so the phase is a stride-1 correlation of dy with a
// flipped sub-kernel: Stride² GEMMs with no wasted products and no
// scatter-add.
type ConvTranspose[T Float] struct {
	g     ConvGeom
	core  *convCore[T]   // phase decomposition, or
	alt   *col2imCore[T] // GEMM + col2im, where that costs less, or
	small *indCore[T]    // phases with B in place, for C <= 3, or
	mm    *MatMul[T]     // a plain matmul where g is a wholeWindow
}

// Ways of computing ConvTranspose; newConvTranspose picks by cost unless told.
const (
	transposeAuto = iota
	transposePhases
	transposeCol2im
	transposeSmall // at most 3 channels of dx
)

// phase1 is engine.TransposePhase in this package's lower-case fields.
type phase1 struct{ n, u, p0, pad int }

func tphase(r, s, k, padT, size int) phase1 {
	ph := engine.PhaseOf(r, s, k, padT, size)
	return phase1{n: ph.N, u: ph.U, p0: ph.P0, pad: ph.Pad}
}

// NewConvTranspose makes a ConvTranspose for g with scratch for workers
// workers. It panics if g is invalid.
func NewConvTranspose[T Float](g ConvGeom, workers int) *ConvTranspose[T] {
	g.mustValidate("NewConvTranspose")
	return newConvTranspose[T](g, workers, transposeAuto)
}

func newConvTranspose[T Float](g ConvGeom, workers, mode int) *ConvTranspose[T] {
	k := &ConvTranspose[T]{g: g}
	s := g.Stride
	rows := make([]phase1, s)
	cols := make([]phase1, s)
	// Padding of dy so that every phase reads in bounds: reads span
	// [-pad, n-1+u-1-pad] along each axis.
	top, bottom, left, right := 0, 0, 0, 0
	for r := 0; r < s; r++ {
		rows[r] = tphase(r, s, g.KH, g.PadT, g.H)
		cols[r] = tphase(r, s, g.KW, g.PadL, g.W)
		if ph := rows[r]; ph.u > 0 && ph.n > 0 {
			top = max(top, ph.pad)
			bottom = max(bottom, ph.n+ph.u-2-ph.pad-(g.OH-1))
		}
		if ph := cols[r]; ph.u > 0 && ph.n > 0 {
			left = max(left, ph.pad)
			right = max(right, ph.n+ph.u-2-ph.pad-(g.OW-1))
		}
	}
	if mode == transposeAuto && wholeWindow(g) {
		k.mm = wholeWindowMatMul[T](g, "ConvTranspose", workers)
		return k
	}
	if mode == transposeAuto && g.C <= 3 && g.O <= smallOutputs {
		mode = transposeSmall // 1.7x at F = 16; the phases win at F = 32 and 64 (1.6x)
	}
	if mode == transposeSmall {
		if g.C > 3 {
			panic(fmt.Sprintf("cpu.newConvTranspose: the small-channel method needs C <= 3, not %+v", g))
		}
		k.small = newTransposeSmall[T](g, workers, rows, cols, top, bottom, left, right)
		return k
	}
	if mode == transposeAuto {
		mode = transposePhases
		if transposeCostCol2im[T](g) < transposeCostPhases[T](g, rows, cols) {
			mode = transposeCol2im
		}
	}
	if mode == transposeCol2im {
		k.alt = newCol2im[T](g, workers)
		return k
	}
	k.core = new(convCore[T])
	c := k.core
	c.m = g.C
	c.outPlane = g.H * g.W
	c.pad = newPadder[T](g.N*g.O, g.OH, g.OW, top, bottom, left, right)
	hp, wp := c.pad.hp, c.pad.wp
	c.wRow = make([]int32, g.C)
	for ci := range c.wRow {
		c.wRow[ci] = int32(ci * g.KH * g.KW)
	}
	var perSample []int
	for r := 0; r < s; r++ {
		for t := 0; t < s; t++ {
			pr, pc := rows[r], cols[t]
			if pr.n == 0 || pc.n == 0 {
				continue
			}
			ph := convPhase{k: g.O * pr.u * pc.u}
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
			for n := 0; n < g.N; n++ {
				for a := 0; a < pr.n; a++ {
					for b := 0; b < pc.n; b++ {
						ph.colOff = append(ph.colOff, int32((n*g.O*hp+a-pr.pad+top)*wp+b-pc.pad+left))
						ph.outOff = append(ph.outOff, int32(n*g.C*g.H*g.W+(s*a+r)*g.W+s*b+t))
					}
				}
			}
			c.phases = append(c.phases, ph)
			perSample = append(perSample, pr.n*pc.n)
		}
	}
	c.init(workers, perSample)
	return k
}

// Do computes dx = convᵀ(dy, w) on the pool's workers.
func (k *ConvTranspose[T]) Do(p *Pool, dx, dy, w []T) {
	g := k.g
	if len(dx) < g.N*g.C*g.H*g.W || len(dy) < g.N*g.O*g.OH*g.OW || len(w) < g.O*g.C*g.KH*g.KW {
		panic(fmt.Sprintf("cpu.ConvTranspose.Do: operands too short for %+v", g))
	}
	if k.alt != nil {
		k.alt.do(p, dx, dy, w)
		return
	}
	if k.small != nil {
		k.small.do(p, dx, dy, w)
		return
	}
	if k.mm != nil {
		k.mm.Do(p, dx, dy, w)
		return
	}
	k.core.do(p, dx, dy, w)
}

// Rough single-core cost model (ns) of the two ConvTranspose methods:
// micro-kernel flops (with padded tiles), gathered B elements and, for
// col2im, scattered elements.
const (
	costGather  = 0.3
	costScatter = 1.0
)

// costFlop is the time of one micro-kernel flop, in ns.
func costFlop[T Float]() float64 {
	if isF32[T]() && useAVX512 {
		return 1.0 / 200
	}
	return 1.0 / 80
}

func transposeCostPhases[T Float](g ConvGeom, rows, cols []phase1) float64 {
	mPad := float64(tilesFor[T](g.C).rows())
	var flops, gathered float64
	for _, pr := range rows {
		for _, pc := range cols {
			depth := float64(g.O * pr.u * pc.u)
			ncols := float64(g.N * pr.n * pc.n)
			flops += 2 * mPad * depth * ncols
			gathered += depth * ncols
		}
	}
	return flops*costFlop[T]() + gathered*costGather
}

func transposeCostCol2im[T Float](g ConvGeom) float64 {
	m := g.C * g.KH * g.KW
	mPad := float64(tilesFor[T](m).rows())
	ncols := float64(g.N * g.OH * g.OW)
	return 2*mPad*float64(g.O)*ncols*costFlop[T]() + float64(g.O)*ncols*costGather + float64(m)*ncols*costScatter
}
