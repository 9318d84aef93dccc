package cpu

import (
	"math/rand"
	"testing"
)

// The dispatched micro-kernel (assembly for float32 where the CPU allows)
// matches the reference loop microGo, storing and accumulating.
func TestMicroKernel(t *testing.T) {
	testMicroKernel(t)
	restore := setKernels(true, false)
	testMicroKernel(t)
	restore()
}

func testMicroKernel(t *testing.T) {
	r := rand.New(rand.NewSource(5))
	heights := map[int]bool{}
	for m := 1; m <= 24; m++ {
		for _, t := range tilesFor[float32](m) {
			heights[t.h] = true
		}
	}
	for mr := range heights {
		ws := []int{1}
		if wideFor[float32]() && mr == mrFor[float32]() {
			ws = append(ws, 2)
		}
		testMicroTiles(t, r, mr, ws)
	}
}

func testMicroTiles(t *testing.T, r *rand.Rand, mr int, ws []int) {
	for _, w := range ws {
		for _, kc := range []int{1, 2, 3, 4, 5, 7, 8, 9, 63, 256} {
			a := toT[float32](randSlice(r, kc*mr))
			b := toT[float32](randSlice(r, w*kc*nr))
			ldc := w*nr + 5
			for _, acc := range []bool{false, true} {
				init := toT[float32](randSlice(r, mr*ldc))
				got := append([]float32(nil), init...)
				want := append([]float32(nil), init...)
				micro(mr, w, kc, a, b, got, ldc, acc)
				for q := 0; q < w; q++ {
					microGo(mr, kc, a, b[q*kc*nr:], want[q*nr:], ldc, acc)
				}
				for i := range got {
					if i%ldc >= w*nr {
						if got[i] != init[i] {
							t.Fatalf("kc=%d acc=%v: wrote outside the tile at %d", kc, acc, i)
						}
						continue
					}
					d := float64(got[i] - want[i])
					if d > 1e-4 || d < -1e-4 {
						t.Fatalf("mr=%d w=%d kc=%d acc=%v: element %d = %v, want %v", mr, w, kc, acc, i, got[i], want[i])
					}
				}
			}
		}
	}
}

// A GEMM's row tiles cover its rows in heights the micro-kernels have:
// with the AVX2 kernels 6 and 4 (the 4s last), no padded row for an even
// height; else one height, the fewest tiles.
func TestTilesFor(t *testing.T) {
	testTilesFor(t)
	restore := setKernels(true, false)
	testTilesFor(t)
	restore()
	restore = setKernels(false, false)
	testTilesFor(t)
	restore()
}

func testTilesFor(t *testing.T) {
	mr := mrFor[float32]()
	for m := 1; m <= 140; m++ {
		tiles := tilesFor[float32](m)
		rows := tiles.rows()
		if rows < m {
			t.Fatalf("mr=%d: tiles %v of %d rows cover %d", mr, tiles, m, rows)
		}
		if r := roundUp(m, mr); rows > r {
			t.Errorf("mr=%d: tiles %v of %d rows pad to %d, more than %d", mr, tiles, m, rows, r)
		}
		if !(isF32[float32]() && useAVX2 && mr == 6) {
			if rows != roundUp(m, mr) {
				t.Errorf("mr=%d: tiles %v of %d rows, want tiles of %d", mr, tiles, m, mr)
			}
			continue
		}
		if want := roundUp(max(m, 4), 2); rows != want {
			t.Errorf("AVX2: tiles %v of %d rows pad to %d, want %d", tiles, m, rows, want)
		}
		for i, tile := range tiles {
			h := tile.h
			if h != 6 && h != 4 || h == 6 && i > 0 && tiles[i-1].h == 4 {
				t.Errorf("AVX2: tiles %v of %d rows: heights 6 then 4 wanted", tiles, m)
				break
			}
		}
	}
	if got := tilesFor[float64](16); got.rows() != roundUp(16, mrFor[float64]()) {
		t.Errorf("float64: tiles %v of 16 rows", got)
	}
}

// The dispatched gather matches gatherGo for general contiguous, strided and split lanes.
func TestGather(t *testing.T) {
	testGather(t)
	restore := setKernels(false, false)
	testGather(t)
	restore()
}

func testGather(t *testing.T) {
	r := rand.New(rand.NewSource(6))
	src := toT[float32](randSlice(r, 1000))
	for _, kind := range []string{"random", "contiguous", "stride2", "halves1", "halves2", "end1", "end2",
		"quads1", "quads2", "qend1", "qend2"} {
		lanes := make([]int32, nr)
		for i := range lanes {
			switch kind {
			case "random":
				lanes[i] = int32(r.Intn(500))
			case "contiguous":
				lanes[i] = int32(100 + i)
			case "stride2":
				lanes[i] = int32(100 + 2*i)
			case "halves1":
				lanes[i] = int32(300*(i/8) + i%8)
			case "halves2", "end2":
				lanes[i] = int32(50*(i/8) + 2*(i%8))
			case "end1":
				lanes[i] = int32(50*(i/8) + i%8)
			case "quads1", "qend1":
				lanes[i] = int32(37*(i/4) + i%4)
			case "quads2", "qend2":
				lanes[i] = int32(29*(i/4) + 2*(i%4))
			}
		}
		rows := []int32{0, 7, 400, 3, 450}
		if kind == "end1" || kind == "end2" || kind == "qend1" || kind == "qend2" { // the last lane is the last element of src
			rows = []int32{0, int32(len(src)-1) - lanes[nr-1]}
		}
		got := make([]float32, len(rows)*nr)
		want := make([]float32, len(rows)*nr)
		gather(got, src, rows, lanes)
		gatherGo(want, src, rows, lanes)
		for i := range got {
			if got[i] != want[i] {
				t.Fatalf("%s: element %d = %v, want %v", kind, i, got[i], want[i])
			}
		}
	}
}

// The dispatched dot kernel matches the reference loop dotGo, accumulating
// into its lanes, with rows anywhere in b: as detected (AVX-512 where the
// CPU has it), restricted to AVX2 and without assembly.
func TestDotKernel(t *testing.T) {
	testDotKernel(t)
	restore := setKernels(true, false)
	testDotKernel(t)
	restore()
	restore = setKernels(false, false)
	testDotKernel(t)
	restore()
}

func testDotKernel(t *testing.T) {
	r := rand.New(rand.NewSource(6))
	for _, k := range []int{8, 16, 24, 32, 40, 512, 1000} {
		lda := k + 3
		a := toT[float32](randSlice(r, 3*lda))
		b := toT[float32](randSlice(r, 5*k+7))
		boff := [4]int32{int32(3 * k), 1, int32(k + 5), 0}
		init := toT[float32](randSlice(r, dotLanes))
		got := (*[dotLanes]float32)(append([]float32(nil), init...))
		want := (*[dotLanes]float32)(append([]float32(nil), init...))
		dotTile(k, a, lda, b, &boff, got)
		dotGo(k, a, lda, b, &boff, want)
		for i := range got {
			if d := float64(got[i] - want[i]); d > 1e-3 || d < -1e-3 {
				t.Fatalf("k=%d: lane %d = %v, want %v", k, i, got[i], want[i])
			}
		}
	}
}

// The dispatched indirect micro-kernel matches microIndGo.
func TestMicroInd(t *testing.T) {
	testMicroInd(t)
	restore := setKernels(true, false)
	testMicroInd(t)
	restore()
	restore = setKernels(false, false)
	testMicroInd(t)
	restore()
}

func testMicroInd(t *testing.T) {
	r := rand.New(rand.NewSource(7))
	for _, mr := range []int{3, indRowsFor[float32]()} {
		for _, kc := range []int{0, 1, 2, 7, 75, 300} {
			a := toT[float32](randSlice(r, mr*kc+1))
			src := toT[float32](randSlice(r, 500))
			rows := make([]int32, kc)
			var maxOff int32
			for i := range rows {
				rows[i] = int32(r.Intn(500 - indCols))
				maxOff = max(maxOff, rows[i])
			}
			ldc := indCols + 3
			got := poisoned[float32](mr * ldc)
			want := poisoned[float32](mr * ldc)
			acc := kc%2 == 1
			if acc { // accumulate onto values, keeping the poison outside the tile
				for i := range got {
					if i%ldc < indCols {
						got[i] = float32(i)
						want[i] = float32(i)
					}
				}
			}
			microInd(mr, kc, a, src, rows, maxOff, got, ldc, acc)
			microIndGo(mr, kc, a, src, rows, want, ldc, acc)
			for i := range got {
				if i%ldc >= indCols {
					if got[i] == got[i] {
						t.Fatalf("mr=%d kc=%d: wrote outside the tile at %d", mr, kc, i)
					}
					continue
				}
				if d := float64(got[i] - want[i]); !(d <= 1e-3 && d >= -1e-3) {
					t.Fatalf("mr=%d kc=%d: element %d = %v, want %v", mr, kc, i, got[i], want[i])
				}
			}
		}
	}
}

// The dispatched transposing gather matches tgatherGo for 8 and 16 lanes
// (and others, in Go).
func TestTGather(t *testing.T) {
	testTGather(t)
	restore := setKernels(false, false)
	testTGather(t)
	restore()
}

func testTGather(t *testing.T) {
	r := rand.New(rand.NewSource(8))
	src := toT[float32](randSlice(r, 3000))
	for _, L := range []int{6, 8, 16} {
		for _, nb := range []int{1, 2, 5, 32} {
			rows := make([]int32, nb)
			for i := range rows {
				rows[i] = int32(r.Intn(1000))
			}
			lanes := make([]int32, L)
			for i := range lanes {
				lanes[i] = int32(r.Intn(1990))
			}
			got := poisoned[float32](nb*8*L + 3)
			want := poisoned[float32](nb*8*L + 3)
			tgather(got, src, rows, lanes)
			tgatherGo(want, src, rows, lanes)
			for i := range got {
				if got[i] != want[i] && !(got[i] != got[i] && want[i] != want[i]) {
					t.Fatalf("L=%d nb=%d: element %d = %v, want %v", L, nb, i, got[i], want[i])
				}
			}
		}
	}
}

// The row pair split matches deint2RowsGo and writes nothing else.
func TestDeint2Rows(t *testing.T) {
	if !useAVX2 {
		t.Skip("no AVX2: deint2Rows is deint2RowsGo")
	}
	r := rand.New(rand.NewSource(9))
	for _, n := range []int{8, 16, 40} {
		for _, rows := range []int{1, 3} {
			ds, ss := n+3, 2*n+5
			src := toT[float32](randSlice(r, rows*ss))
			g0, g1 := poisoned[float32](rows*ds), poisoned[float32](rows*ds)
			w0, w1 := poisoned[float32](rows*ds), poisoned[float32](rows*ds)
			deint2Rows(g0, g1, src, n, rows, ds, ss)
			deint2RowsGo(w0, w1, src, n, rows, ds, ss)
			for i := range g0 {
				same := func(a, b float32) bool { return a == b || (a != a && b != b) }
				if !same(g0[i], w0[i]) || !same(g1[i], w1[i]) {
					t.Fatalf("n=%d rows=%d: element %d = %v,%v, want %v,%v", n, rows, i, g0[i], g1[i], w0[i], w1[i])
				}
			}
		}
	}
}

// The row interleave matches int2RowsGo (tails of 4 and fewer included)
// and writes nothing else.
func TestInt2Rows(t *testing.T) {
	r := rand.New(rand.NewSource(10))
	for _, n := range []int{1, 3, 4, 7, 8, 12, 16, 21, 40} {
		for _, rows := range []int{1, 3} {
			ds, ss := 2*n+3, n+5
			s0, s1 := toT[float32](randSlice(r, rows*ss)), toT[float32](randSlice(r, rows*ss))
			got, want := poisoned[float32](rows*ds), poisoned[float32](rows*ds)
			int2Rows(got, s0, s1, n, rows, ds, ss)
			int2RowsGo(want, s0, s1, n, rows, ds, ss)
			for i := range got {
				if got[i] != want[i] && !(got[i] != got[i] && want[i] != want[i]) {
					t.Fatalf("n=%d rows=%d: element %d = %v, want %v", n, rows, i, got[i], want[i])
				}
			}
			for row := 0; row < rows; row++ {
				for j := 0; j < n; j++ {
					if got[row*ds+2*j] != s0[row*ss+j] || got[row*ds+2*j+1] != s1[row*ss+j] {
						t.Fatalf("n=%d rows=%d: row %d pair %d is not the sources' column %d", n, rows, row, j, j)
					}
				}
			}
		}
	}
}

// microTiled, the pure-Go kernel that runs without assembly, is microGo
// bit for bit (the same sums in the same order), for every tile height,
// storing and accumulating, in float32 and float64.
func TestMicroTiled(t *testing.T) {
	testMicroTiled[float32](t)
	testMicroTiled[float64](t)
}

func testMicroTiled[T Float](t *testing.T) {
	r := rand.New(rand.NewSource(9))
	for mr := 1; mr <= maxMR; mr++ {
		for _, kc := range []int{1, 2, 3, 7, 64, 256} {
			a := toT[T](randSlice(r, kc*mr))
			b := toT[T](randSlice(r, kc*nr))
			ldc := nr + 3
			for _, acc := range []bool{false, true} {
				init := toT[T](randSlice(r, mr*ldc))
				got := append([]T(nil), init...)
				want := append([]T(nil), init...)
				microTiled(mr, kc, a, b, got, ldc, acc)
				microGo(mr, kc, a, b, want, ldc, acc)
				for i := range got {
					if got[i] != want[i] {
						t.Fatalf("%T mr=%d kc=%d acc=%v: element %d (row %d, column %d) = %v, want %v", got[i], mr, kc, acc, i, i/ldc, i%ldc, got[i], want[i])
					}
				}
			}
		}
	}
}

// microIndTiled and dotTiled, the pure-Go indirect and dot kernels, are
// microIndGo and dotGo bit for bit, in float32 and float64.
func TestIndAndDotTiled(t *testing.T) {
	testIndAndDotTiled[float32](t)
	testIndAndDotTiled[float64](t)
}

func testIndAndDotTiled[T Float](t *testing.T) {
	r := rand.New(rand.NewSource(10))
	for mr := 1; mr <= maxMR; mr++ {
		for _, kc := range []int{0, 1, 2, 7, 75, 300} {
			a := toT[T](randSlice(r, mr*kc+1))
			src := toT[T](randSlice(r, 500))
			rows := make([]int32, kc)
			for i := range rows {
				rows[i] = int32(r.Intn(500 - indCols))
			}
			ldc := indCols + 3
			for _, acc := range []bool{false, true} {
				init := toT[T](randSlice(r, mr*ldc))
				got := append([]T(nil), init...)
				want := append([]T(nil), init...)
				microIndTiled(mr, kc, a, src, rows, got, ldc, acc)
				microIndGo(mr, kc, a, src, rows, want, ldc, acc)
				for i := range got {
					if got[i] != want[i] {
						t.Fatalf("%T indirect mr=%d kc=%d acc=%v: element %d = %v, want %v", got[i], mr, kc, acc, i, got[i], want[i])
					}
				}
			}
		}
	}
	for _, k := range []int{8, 16, 24, 32, 40, 512, 1000} {
		lda := k + 3
		a := toT[T](randSlice(r, 3*lda))
		b := toT[T](randSlice(r, 5*k+7))
		boff := [4]int32{int32(3 * k), 1, int32(k + 5), 0}
		init := toT[T](randSlice(r, dotLanes))
		got := (*[dotLanes]T)(append([]T(nil), init...))
		want := (*[dotLanes]T)(append([]T(nil), init...))
		dotTiled(k, a, lda, b, &boff, got)
		dotGo(k, a, lda, b, &boff, want)
		if *got != *want {
			t.Fatalf("%T dot k=%d: %v, want %v", got[0], k, got, want)
		}
	}
}
