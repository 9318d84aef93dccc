package cpu

import "fmt"

// MatMul computes c[M,N] = op(a)·op(b), overwriting c:
//
//	c[i*N+j] = Σ_{l<K} A(i,l) * B(l,j)
//	A(i,l) = a[i*K+l]  (a stored [M,K])  or  a[l*M+i]  with TransA (a stored [K,M])
//	B(l,j) = b[l*N+j]  (b stored [K,N])  or  b[j*K+l]  with TransB (b stored [N,K])
//
// It is a blocked GEMM: each work item is an mc×nc block of c, computed in
// depth blocks of kcBlock from A and B panels packed into per-worker scratch.
type MatMul[T Float] struct {
	m, k, n        int
	transA, transB bool
	mr             int // every block along M but the last is a multiple of mr rows
	mc, nc         int
	ni, nj         int      // blocks along M and N
	tiles          rowTiles // of a whole block of mc rows
	lastTiles      rowTiles // of the last block along M

	aRow, aK []int32 // A(i,l) = a[aRow[i]+aK[l]], aRow padded to mr
	bK, bCol []int32 // B(l,j) = b[bK[l]+bCol[j]], bCol padded to nr

	slots []mmSlot[T]
	sch   sched
	task  mmTask[T]
	c     []T
	a, b  []T
}

type mmSlot[T Float] struct{ ap, bp []T }

type mmTask[T Float] struct{ k *MatMul[T] }

// NewMatMul makes a MatMul for c[m,n] = op(a[m,k])·op(b[k,n]) with scratch
// for workers concurrent workers.
func NewMatMul[T Float](m, k, n int, transA, transB bool, workers int) *MatMul[T] {
	if m < 1 || k < 1 || n < 1 {
		panic(fmt.Sprintf("cpu.NewMatMul: sizes m=%d k=%d n=%d must be positive", m, k, n))
	}
	mm := &MatMul[T]{m: m, k: k, n: n, transA: transA, transB: transB, mr: mrFor[T]()}
	mr := mm.mr
	ars, acs := k, 1
	if transA {
		ars, acs = 1, m
	}
	brs, bcs := n, 1
	if transB {
		brs, bcs = 1, k
	}
	mm.aRow = make([]int32, m)
	for i := range mm.aRow {
		mm.aRow[i] = int32(i * ars)
	}
	mm.aRow = padOffsets(mm.aRow, mr)
	mm.aK = make([]int32, k)
	mm.bK = make([]int32, k)
	for l := 0; l < k; l++ {
		mm.aK[l] = int32(l * acs)
		mm.bK[l] = int32(l * brs)
	}
	mm.bCol = make([]int32, n)
	for j := range mm.bCol {
		mm.bCol[j] = int32(j * bcs)
	}
	mm.bCol = padOffsets(mm.bCol, nr)

	// Blocks: start large, split until there are enough items to balance.
	mm.mc = min(roundUp(m, mr), 20*mr)
	mm.nc = min(roundUp(n, nr), 2*ncBlock)
	want := 4 * nslots(workers)
	for {
		mm.ni = (m + mm.mc - 1) / mm.mc
		mm.nj = (n + mm.nc - 1) / mm.nc
		if mm.ni*mm.nj >= want {
			break
		}
		if mm.nc > nr && (mm.nc >= mm.mc || mm.mc <= mr) {
			mm.nc = roundUp(mm.nc/2, nr)
		} else if mm.mc > mr {
			mm.mc = roundUp(mm.mc/2, mr)
		} else {
			break
		}
	}
	// Whole blocks are a multiple of mr rows; the last may be shorter.
	mm.tiles, mm.lastTiles = tilesFor[T](mm.mc), tilesFor[T](m-(mm.ni-1)*mm.mc)
	kc := min(k, kcBlock)
	mm.slots = make([]mmSlot[T], nslots(workers))
	for s := range mm.slots {
		mm.slots[s] = mmSlot[T]{ap: make([]T, mm.mc*kc), bp: make([]T, mm.nc*kc)}
	}
	mm.task.k = mm
	return mm
}

// Do computes c = op(a)·op(b) on the pool's workers.
func (mm *MatMul[T]) Do(p *Pool, c, a, b []T) {
	if len(c) < mm.m*mm.n || len(a) < mm.m*mm.k || len(b) < mm.k*mm.n {
		panic(fmt.Sprintf("cpu.MatMul.Do: operands too short for %dx%dx%d", mm.m, mm.k, mm.n))
	}
	mm.c, mm.a, mm.b = c, a, b
	mm.sch.reset(mm.ni * mm.nj)
	p.For(&mm.task, len(mm.slots), 1)
	mm.c, mm.a, mm.b = nil, nil, nil
}

func (t *mmTask[T]) Run(lo, hi int) {
	mm := t.k
	for s := lo; s < hi; s++ {
		for {
			it, ok := mm.sch.take()
			if !ok {
				break
			}
			mm.block(&mm.slots[s], it/mm.nj, it%mm.nj)
		}
	}
}

func (mm *MatMul[T]) block(sl *mmSlot[T], bi, bj int) {
	i0, j0 := bi*mm.mc, bj*mm.nc
	mc, nc := min(mm.mc, mm.m-i0), min(mm.nc, mm.n-j0)
	tiles := mm.tiles
	if mc < mm.mc {
		tiles = mm.lastTiles
	}
	mcp, ncp := tiles.rows(), roundUp(nc, nr)
	for k0 := 0; k0 < mm.k; k0 += kcBlock {
		kc := min(kcBlock, mm.k-k0)
		ap, bp := sl.ap[:mcp*kc], sl.bp[:ncp*kc]
		for _, t := range tiles {
			i, mr := t.i, t.h
			gather(ap[i*kc:(i+mr)*kc], mm.a, mm.aK[k0:k0+kc], mm.aRow[i0+i:i0+i+mr])
		}
		rows := mm.bK[k0 : k0+kc]
		lo, hi := bounds(rows)
		for j := 0; j < ncp; j += nr {
			gatherIn(bp[j*kc:(j+nr)*kc], mm.b, rows, lo, hi, mm.bCol[j0+j:j0+j+nr])
		}
		macro(tiles, mc, nc, kc, ap, bp, mm.c[i0*mm.n+j0:], mm.n, k0 > 0)
	}
}
