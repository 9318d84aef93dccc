package cpu

import "fmt"

// ConvFilter computes the adjoint of Conv2D with respect to w (the weight
// gradient), overwriting dw:
//
//	for o, c, p, q:
//	    dw[o,c,p,q] = Σ_{n<N, i<OH, j<OW} x[n, c, i*Stride+p-PadT, j*Stride+q-PadL] * dy[n,o,i,j]
//
// (x read as zero outside [0,H)×[0,W)), with x [N,C,H,W], dy [N,O,OH,OW],
// dw [O,C,KH,KW]. It is the GEMM dw[O, C*KH*KW] = dy[O, cols]·im2col(x)ᵀ
// whose depth runs over all N*OH*OW output columns. The columns are cut in
// chunks and each worker slot takes a fixed, contiguous share of them,
// accumulating into its own partial sum (slot 0 into dw itself); the partial
// sums are added at the end, in slot order, so results are deterministic
// for a given worker count. Where there are samples enough, the shares are
// whole samples and each slot pads or splits its own samples of x just
// before it packs their columns, from its core's cache (building all of x
// first read most of it back from memory, half of it built on the other
// core).
type ConvFilter[T Float] struct {
	g       ConvGeom
	dot     *filterDot[T] // the dot-product method, or nil for the GEMM below
	tiles   rowTiles
	m, mPad int // O
	taps    int // C*KH*KW
	ncols   int // N*OH*OW
	kc, nc  int // columns per item, taps per B block
	pad     padder[T]
	kOff    []int32       // per tap: offset in the padded x (padded to nr)
	colOff  []int32       // per column: offset of its window in the padded x
	dyCol   []int32       // per column: offset in dy of channel 0
	dyRow   []int32       // per output channel: offset in dy (padded to mPad)
	split   *splitTask[T] // filterBlocks: x split into phases, into xs
	xs      []T
	blkX    []int32 // filterBlocks, per 8 columns: offset of the first one's window in xs
	blkDy   []int32 // filterBlocks, per 8 columns: offset in dy of the first one (channel 0)
	slots   []cfSlot[T]
	mainT   cfMainTask[T]
	redT    cfReduceTask[T]
	src     []T
	dy, dw  []T
}

type cfSlot[T Float] struct {
	ap, bp []T
	part   []T // partial dw (nil for slot 0, which uses dw)
	used   bool
}

type cfMainTask[T Float] struct{ k *ConvFilter[T] }
type cfReduceTask[T Float] struct{ k *ConvFilter[T] }

// NewConvFilter makes a ConvFilter for g with scratch for workers workers.
// It panics if g is invalid.
func NewConvFilter[T Float](g ConvGeom, workers int) *ConvFilter[T] {
	g.mustValidate("NewConvFilter")
	return newConvFilter[T](g, workers, filterAuto)
}

// Ways of computing ConvFilter; newConvFilter picks unless told.
const (
	filterAuto   = iota
	filterGEMM   // im2col GEMM with the columns as depth, packed by gathers
	filterBlocks // the same GEMM, packed by transposing blocks of 8 columns (OW%8 == 0)
	filterDots   // dot products over the phase-split input (filterDot)
)

// maxFilterDotWaste is the most wasted columns (as a ratio, see
// filterDotWaste) for which the dot products beat the GEMM, whose im2col
// packing costs more than the GEMM itself for small channel counts.
const maxFilterDotWaste = 1.2

func newConvFilter[T Float](g ConvGeom, workers, mode int) *ConvFilter[T] {
	k := &ConvFilter[T]{g: g, m: g.O}
	k.taps = g.C * g.KH * g.KW
	if mode == filterAuto && filterDotWaste(g) <= maxFilterDotWaste {
		mode = filterDots
	}
	if mode == filterDots {
		k.dot = newFilterDot[T](g, workers)
		return k
	}
	k.tiles = tilesFor[T](g.O)
	k.mPad = k.tiles.rows()
	S := g.OH * g.OW
	k.ncols = g.N * S
	if mode == filterAuto && g.OW%8 == 0 {
		mode = filterBlocks
	}
	if mode == filterBlocks {
		k.initBlocks()
	} else {
		k.pad = newPadder[T](g.N*g.C, g.H, g.W, g.PadT, g.PadB(), g.PadL, g.PadR())
		hp, wp := k.pad.hp, k.pad.wp
		for ci := 0; ci < g.C; ci++ {
			for p := 0; p < g.KH; p++ {
				for q := 0; q < g.KW; q++ {
					k.kOff = append(k.kOff, int32((ci*hp+p)*wp+q))
				}
			}
		}
		k.kOff = padOffsets(k.kOff, nr)
		for n := 0; n < g.N; n++ {
			for i := 0; i < g.OH; i++ {
				for j := 0; j < g.OW; j++ {
					k.colOff = append(k.colOff, int32((n*g.C*hp+i*g.Stride)*wp+j*g.Stride))
					k.dyCol = append(k.dyCol, int32(n*g.O*S+i*g.OW+j))
				}
			}
		}
	}
	k.dyRow = make([]int32, g.O)
	for o := range k.dyRow {
		k.dyRow[o] = int32(o * S)
	}
	k.dyRow = padOffsets(k.dyRow, k.mPad)

	k.kc = min(kcBlock, k.ncols)
	// Enough column chunks to keep every worker busy.
	for want := 4 * nslots(workers); k.kc > 16 && (k.ncols+k.kc-1)/k.kc < want; {
		k.kc = (k.kc + 1) / 2
	}
	if k.split != nil {
		k.kc = roundUp(k.kc, 8) // whole blocks; ncols is a multiple of 8
	}
	k.nc = min(roundUp(k.taps, nr), 2*ncBlock)
	k.slots = make([]cfSlot[T], nslots(workers))
	for s := range k.slots {
		sl := &k.slots[s]
		sl.ap = make([]T, k.mPad*k.kc)
		sl.bp = make([]T, k.nc*k.kc)
		if s > 0 {
			sl.part = make([]T, g.O*k.taps)
		}
	}
	k.mainT.k = k
	k.redT.k = k
	return k
}

// Do computes dw = filter(x, dy) on the pool's workers.
func (k *ConvFilter[T]) Do(p *Pool, dw, x, dy []T) {
	g := k.g
	if len(dw) < g.O*k.taps || len(x) < g.N*g.C*g.H*g.W || len(dy) < g.N*g.O*g.OH*g.OW {
		panic(fmt.Sprintf("cpu.ConvFilter.Do: operands too short for %+v", g))
	}
	if k.dot != nil {
		k.dot.do(p, dw, x, dy)
		return
	}
	switch {
	case k.bySample():
		// Each slot builds its samples (cfMainTask).
		k.src = x
		if k.split != nil {
			k.split.x, k.src = x, k.xs
		} else if k.pad.needed() {
			k.pad.x, k.src = x, k.pad.xp
		}
	case k.split != nil:
		k.split.x = x
		p.For(k.split, g.N*g.C, 1)
		k.src = k.xs
	default:
		k.src = k.pad.src(p, x)
	}
	k.dy, k.dw = dy, dw
	for s := range k.slots {
		k.slots[s].used = false
	}
	p.For(&k.mainT, len(k.slots), 1)
	if k.split != nil {
		k.split.x = nil
	}
	k.pad.x = nil // the operand is not kept past the call
	others := false
	for s := 1; s < len(k.slots); s++ {
		others = others || k.slots[s].used
	}
	if others || !k.slots[0].used {
		p.For(&k.redT, g.O, max(1, 4096/k.taps))
	}
	k.src, k.dy, k.dw = nil, nil, nil
}

// bySample reports whether the slots' shares are whole samples, each slot
// building its own: where every slot has a sample.
func (k *ConvFilter[T]) bySample() bool { return k.g.N >= len(k.slots) }

func (t *cfMainTask[T]) Run(lo, hi int) {
	k := t.k
	ns := len(k.slots)
	if k.bySample() {
		g := k.g
		S := g.OH * g.OW
		for s := lo; s < hi; s++ {
			n0, n1 := s*g.N/ns, (s+1)*g.N/ns
			built := n0 // samples [n0, built) are padded or split
			for j0 := n0 * S; j0 < n1*S; j0 += k.kc {
				j1 := min(j0+k.kc, n1*S)
				if need := (j1 + S - 1) / S; need > built {
					k.build(built, need)
					built = need
				}
				k.chunk(&k.slots[s], j0, j1)
			}
		}
		return
	}
	nch := (k.ncols + k.kc - 1) / k.kc
	for s := lo; s < hi; s++ {
		// Static, contiguous shares keep the sums deterministic for a given
		// number of slots.
		for i := s * nch / ns; i < (s+1)*nch/ns; i++ {
			k.chunk(&k.slots[s], i*k.kc, min((i+1)*k.kc, k.ncols))
		}
	}
}

// build pads or splits samples [n0, n1) of x into the buffer the columns
// read (nothing where x is read as it is).
func (k *ConvFilter[T]) build(n0, n1 int) {
	C := k.g.C
	if k.split != nil {
		k.split.Run(n0*C, n1*C)
	} else if k.pad.needed() {
		k.pad.Run(n0*C, n1*C)
	}
}

// chunk adds the products of columns [j0, j1) to the slot's partial sum.
func (k *ConvFilter[T]) chunk(sl *cfSlot[T], j0, j1 int) {
	kc := j1 - j0
	ap := sl.ap[:k.mPad*kc]
	for _, t := range k.tiles {
		i, mr := t.i, t.h
		if k.split != nil {
			tgather(ap[i*kc:(i+mr)*kc], k.dy, k.blkDy[j0/8:j1/8], k.dyRow[i:i+mr])
			continue
		}
		gather(ap[i*kc:(i+mr)*kc], k.dy, k.dyCol[j0:j1], k.dyRow[i:i+mr])
	}
	c := sl.part
	if c == nil {
		c = k.dw
	}
	var rows, blocks []int32
	var lo, hi int32
	if k.split != nil {
		blocks = k.blkX[j0/8 : j1/8]
	} else {
		rows = k.colOff[j0:j1]
		lo, hi = bounds(rows)
	}
	for n0 := 0; n0 < k.taps; n0 += k.nc {
		nc := min(k.nc, k.taps-n0)
		ncp := roundUp(nc, nr)
		bp := sl.bp[:ncp*kc]
		for q := 0; q < ncp; q += nr {
			if k.split != nil {
				tgather(bp[q*kc:(q+nr)*kc], k.src, blocks, k.kOff[n0+q:n0+q+nr])
				continue
			}
			gatherIn(bp[q*kc:(q+nr)*kc], k.src, rows, lo, hi, k.kOff[n0+q:n0+q+nr])
		}
		macro(k.tiles, k.m, nc, kc, ap, bp, c[n0:], k.taps, sl.used)
	}
	sl.used = true
}

// Run adds the partial sums of output channels [lo, hi) into dw.
func (t *cfReduceTask[T]) Run(lo, hi int) {
	k := t.k
	a, b := lo*k.taps, hi*k.taps
	dw := k.dw[a:b]
	if !k.slots[0].used {
		clear(dw)
	}
	for s := 1; s < len(k.slots); s++ {
		if sl := &k.slots[s]; sl.used {
			part := sl.part[a:b]
			for i := range dw {
				dw[i] += part[i]
			}
		}
	}
}

// initBlocks sets up filterBlocks: the columns in blocks of 8 consecutive
// ones of an output row (OW%8 == 0), x split into its Stride² phases,
// xs[n][(c*s+a)*s+b][i][j] (planes of hph×wph, as newConv2DInd's), where
// the windows of a block's 8 columns for tap (c, p, q) are 8 consecutive
// values, at plane (c, p%s, q%s), row i+p/s, column j+q/s; packing is then
// 8×8 transposes instead of gathers.
func (k *ConvFilter[T]) initBlocks() {
	g := k.g
	if g.OW%8 != 0 {
		panic(fmt.Sprintf("cpu.newConvFilter: the block method needs OW%%8 == 0, not %+v", g))
	}
	s := g.Stride
	hph, wph := phaseSplit(g)
	plane := hph * wph
	sN := g.C * s * s * plane
	st := newSplitTask[T](g, sN, s*s*plane, plane)
	k.split = &st
	var maxK, maxX int32
	for c := 0; c < g.C; c++ {
		for p := 0; p < g.KH; p++ {
			for q := 0; q < g.KW; q++ {
				off := int32(((c*s+p%s)*s+q%s)*plane + (p/s)*wph + q/s)
				k.kOff = append(k.kOff, off)
				maxK = max(maxK, off)
			}
		}
	}
	k.kOff = padOffsets(k.kOff, nr)
	S := g.OH * g.OW
	for n := 0; n < g.N; n++ {
		for i := 0; i < g.OH; i++ {
			for j := 0; j < g.OW; j += 8 {
				x := int32(n*sN + i*wph + j)
				k.blkX = append(k.blkX, x)
				k.blkDy = append(k.blkDy, int32(n*g.O*S+i*g.OW+j))
				maxX = max(maxX, x)
			}
		}
	}
	k.xs = make([]T, max(g.N*sN, int(maxX+maxK)+8))
	st.dst = k.xs
}
