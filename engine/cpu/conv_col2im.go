package cpu

// col2imCore computes ConvTranspose as one GEMM into im2col columns
// followed by a scatter-add (col2im):
//
//	cols[(c,p,q), (n,i,j)] = Σ_o w[o,c,p,q] * dy[n,o,i,j]
//	dx[n, c, i*Stride+p-PadT, j*Stride+q-PadL] += cols[(c,p,q), (n,i,j)]
//
// It does exactly the useful products, so it wins where the phase
// decomposition would multiply many padding zeros (a stride-1 transposed
// convolution growing a small map) or has too few output channels to fill
// a micro-tile (C = 3). Work items own whole samples of dx, so the
// scatter-adds of different workers never meet.
type col2imCore[T Float] struct {
	g       ConvGeom
	tiles   rowTiles
	m, mPad int // C*KH*KW
	kc      int // depth block over O
	rowsPer int // output rows (of OW columns) per GEMM block
	spi     int // samples per item
	wRow    []int32
	wCol    []int32
	kOff    []int32 // per o: offset in dy of channel o
	colOff  []int32 // per column (n,i,j): offset in dy of channel 0, padded by nr
	jlo     []int   // per q: first j whose column j*Stride+q-PadL is inside dx
	jhi     []int   // per q: one past the last
	packs   []packJob
	apack   []T
	slots   []convSlot[T]
	sch     sched
	packT   c2iPackTask[T]
	mainT   c2iMainTask[T]
	dx      []T
	dy, w   []T
}

type c2iPackTask[T Float] struct{ k *col2imCore[T] }
type c2iMainTask[T Float] struct{ k *col2imCore[T] }

func newCol2im[T Float](g ConvGeom, workers int) *col2imCore[T] {
	k := &col2imCore[T]{g: g, m: g.C * g.KH * g.KW}
	k.tiles = tilesFor[T](k.m)
	k.mPad = k.tiles.rows()
	k.kc = min(kcBlock, g.O)
	S := g.OH * g.OW
	k.wRow = make([]int32, k.m)
	for i := range k.wRow {
		k.wRow[i] = int32(i)
	}
	k.wRow = padOffsets(k.wRow, k.mPad)
	for o := 0; o < g.O; o++ {
		k.wCol = append(k.wCol, int32(o*k.m))
		k.kOff = append(k.kOff, int32(o*S))
	}
	for n := 0; n < g.N; n++ {
		for s := 0; s < S; s++ {
			k.colOff = append(k.colOff, int32(n*g.O*S+s))
		}
	}
	last := k.colOff[len(k.colOff)-1]
	for range nr {
		k.colOff = append(k.colOff, last)
	}
	for q := 0; q < g.KW; q++ {
		lo, hi := 0, g.OW
		for lo < hi && lo*g.Stride+q-g.PadL < 0 {
			lo++
		}
		for hi > lo && (hi-1)*g.Stride+q-g.PadL >= g.W {
			hi--
		}
		k.jlo = append(k.jlo, lo)
		k.jhi = append(k.jhi, hi)
	}
	k.apack = make([]T, k.mPad*g.O)
	for k0 := 0; k0 < g.O; k0 += k.kc {
		for _, t := range k.tiles {
			k.packs = append(k.packs, packJob{k0: k0, kc: min(k.kc, g.O-k0), i: t.i, h: t.h})
		}
	}
	// GEMM blocks of whole output rows, about ncBlock columns; items of
	// whole samples, enough of them to balance the workers.
	k.rowsPer = max(1, ncBlock/g.OW)
	k.spi = max(1, g.N/(4*nslots(workers)))
	nc := roundUp(k.rowsPer*g.OW, nr)
	k.slots = make([]convSlot[T], nslots(workers))
	for s := range k.slots {
		k.slots[s] = convSlot[T]{bp: make([]T, nc*k.kc), cb: make([]T, k.mPad*nc)}
	}
	k.packT.k = k
	k.mainT.k = k
	return k
}

func (k *col2imCore[T]) do(p *Pool, dx, dy, w []T) {
	k.dx, k.dy, k.w = dx, dy, w
	p.For(&k.packT, len(k.packs), 8)
	k.sch.reset((k.g.N + k.spi - 1) / k.spi)
	p.For(&k.mainT, len(k.slots), 1)
	k.dx, k.dy, k.w = nil, nil, nil
}

func (t *c2iPackTask[T]) Run(lo, hi int) {
	k := t.k
	for _, j := range k.packs[lo:hi] {
		dst := k.apack[j.k0*k.mPad+j.i*j.kc:][:j.h*j.kc]
		gather(dst, k.w, k.wCol[j.k0:j.k0+j.kc], k.wRow[j.i:j.i+j.h])
	}
}

func (t *c2iMainTask[T]) Run(lo, hi int) {
	k := t.k
	for s := lo; s < hi; s++ {
		for {
			i, ok := k.sch.take()
			if !ok {
				break
			}
			k.samples(&k.slots[s], i*k.spi, min((i+1)*k.spi, k.g.N))
		}
	}
}

// samples computes dx for samples [n0, n1).
func (k *col2imCore[T]) samples(sl *convSlot[T], n0, n1 int) {
	g := k.g
	chw := g.C * g.H * g.W
	clear(k.dx[n0*chw : n1*chw])
	for r0 := n0 * g.OH; r0 < n1*g.OH; r0 += k.rowsPer {
		r1 := min(r0+k.rowsPer, n1*g.OH)
		j0, nc := r0*g.OW, (r1-r0)*g.OW
		ncp := roundUp(nc, nr)
		cb := sl.cb[:k.mPad*ncp]
		for k0 := 0; k0 < g.O; k0 += k.kc {
			kc := min(k.kc, g.O-k0)
			bp := sl.bp[:ncp*kc]
			rows := k.kOff[k0 : k0+kc]
			lo, hi := bounds(rows)
			for q := 0; q < ncp; q += nr {
				gatherIn(bp[q*kc:(q+nr)*kc], k.dy, rows, lo, hi, k.colOff[j0+q:j0+q+nr])
			}
			macro(k.tiles, k.mPad, ncp, kc, k.apack[k0*k.mPad:][:k.mPad*kc], bp, cb, ncp, k0 > 0)
		}
		k.scatter(cb, ncp, r0, r1)
	}
}

// scatter adds the GEMM block of output rows [r0, r1) into dx: for each
// input channel, kernel row and output row, the KW rows of the block that
// land on one row of dx.
func (k *col2imCore[T]) scatter(cb []T, ldc, r0, r1 int) {
	g := k.g
	s := g.Stride
	for c := 0; c < g.C; c++ {
		for p := 0; p < g.KH; p++ {
			m0 := (c*g.KH + p) * g.KW // the block's row of (c, p, q = 0)
			n, i := r0/g.OH, r0%g.OH
			for r := r0; r < r1; r++ {
				h := i*s + p - g.PadT
				if h >= 0 && h < g.H {
					dxr := k.dx[((n*g.C+c)*g.H+h)*g.W:][:g.W]
					col := (r - r0) * g.OW
					for q := 0; q < g.KW; q++ {
						jlo, jhi := k.jlo[q], k.jhi[q]
						if jlo >= jhi {
							continue
						}
						src := cb[(m0+q)*ldc+col:][:g.OW]
						if s == 1 {
							d := dxr[jlo+q-g.PadL : jhi+q-g.PadL]
							for j, v := range src[jlo:jhi] {
								d[j] += v
							}
							continue
						}
						for j := jlo; j < jhi; j++ {
							dxr[j*s+q-g.PadL] += src[j]
						}
					}
				}
				if i++; i == g.OH {
					n, i = n+1, 0
				}
			}
		}
	}
}
