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
// for a given worker count.
type ConvFilter[T Float] struct {
	g       ConvGeom
	dot     *filterDot[T] // the dot-product method, or nil for the GEMM below
	mr      int
	m, mPad int // O
	taps    int // C*KH*KW
	ncols   int // N*OH*OW
	kc, nc  int // columns per item, taps per B block
	pad     padder[T]
	kOff    []int32 // per tap: offset in the padded x (padded to nr)
	colOff  []int32 // per column: offset of its window in the padded x
	dyCol   []int32 // per column: offset in dy of channel 0
	dyRow   []int32 // per output channel: offset in dy (padded to mr)
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
	filterAuto = iota
	filterGEMM // im2col GEMM with the columns as depth
	filterDots // dot products over the phase-split input (filterDot)
)

// maxFilterDotWaste is the most wasted columns (as a ratio, see
// filterDotWaste) for which the dot products beat the GEMM, whose im2col
// packing costs more than the GEMM itself for small channel counts.
const maxFilterDotWaste = 1.2

func newConvFilter[T Float](g ConvGeom, workers, mode int) *ConvFilter[T] {
	k := &ConvFilter[T]{g: g, mr: mrFor[T](), m: g.O}
	k.taps = g.C * g.KH * g.KW
	if mode == filterAuto {
		mode = filterGEMM
		if filterDotWaste(g) <= maxFilterDotWaste {
			mode = filterDots
		}
	}
	if mode == filterDots {
		k.dot = newFilterDot[T](g)
		return k
	}
	k.mPad = roundUp(g.O, k.mr)
	S := g.OH * g.OW
	k.ncols = g.N * S
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
	k.dyRow = make([]int32, g.O)
	for o := range k.dyRow {
		k.dyRow[o] = int32(o * S)
	}
	k.dyRow = padOffsets(k.dyRow, k.mr)

	k.kc = min(kcBlock, k.ncols)
	// Enough column chunks to keep every worker busy.
	for want := 4 * nslots(workers); k.kc > 16 && (k.ncols+k.kc-1)/k.kc < want; {
		k.kc = (k.kc + 1) / 2
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
	k.src = k.pad.src(p, x)
	k.dy, k.dw = dy, dw
	for s := range k.slots {
		k.slots[s].used = false
	}
	p.For(&k.mainT, len(k.slots), 1)
	others := false
	for s := 1; s < len(k.slots); s++ {
		others = others || k.slots[s].used
	}
	if others || !k.slots[0].used {
		p.For(&k.redT, g.O, max(1, 4096/k.taps))
	}
	k.src, k.dy, k.dw = nil, nil, nil
}

func (t *cfMainTask[T]) Run(lo, hi int) {
	k := t.k
	nch := (k.ncols + k.kc - 1) / k.kc
	ns := len(k.slots)
	for s := lo; s < hi; s++ {
		// Static, contiguous shares keep the sums deterministic for a given
		// number of slots.
		for i := s * nch / ns; i < (s+1)*nch/ns; i++ {
			k.chunk(&k.slots[s], i*k.kc, min((i+1)*k.kc, k.ncols))
		}
	}
}

// chunk adds the products of columns [j0, j1) to the slot's partial sum.
func (k *ConvFilter[T]) chunk(sl *cfSlot[T], j0, j1 int) {
	mr := k.mr
	kc := j1 - j0
	ap := sl.ap[:k.mPad*kc]
	for i := 0; i < k.mPad; i += mr {
		gather(ap[i*kc:(i+mr)*kc], k.dy, k.dyCol[j0:j1], k.dyRow[i:i+mr])
	}
	c := sl.part
	if c == nil {
		c = k.dw
	}
	rows := k.colOff[j0:j1]
	for n0 := 0; n0 < k.taps; n0 += k.nc {
		nc := min(k.nc, k.taps-n0)
		ncp := roundUp(nc, nr)
		bp := sl.bp[:ncp*kc]
		for q := 0; q < ncp; q += nr {
			gather(bp[q*kc:(q+nr)*kc], k.src, rows, k.kOff[n0+q:n0+q+nr])
		}
		macro(mr, k.m, nc, kc, ap, bp, c[n0:], k.taps, sl.used)
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
