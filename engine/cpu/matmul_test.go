package cpu

import (
	"fmt"
	"math"
	"math/rand"
	"testing"
)

func refMatMul(m, k, n int, transA, transB bool, a, b []float64) (c, mag []float64) {
	c = make([]float64, m*n)
	mag = make([]float64, m*n)
	for i := 0; i < m; i++ {
		for j := 0; j < n; j++ {
			var s, g float64
			for l := 0; l < k; l++ {
				av := a[i*k+l]
				if transA {
					av = a[l*m+i]
				}
				bv := b[l*n+j]
				if transB {
					bv = b[j*k+l]
				}
				s += av * bv
				g += math.Abs(av * bv)
			}
			c[i*n+j], mag[i*n+j] = s, g
		}
	}
	return c, mag
}

func testMatMul[T Float](t *testing.T) {
	r := rand.New(rand.NewSource(4))
	type size struct{ m, k, n int }
	sizes := []size{
		{1, 1, 1}, {7, 13, 5}, {6, 16, 16}, {5, 255, 17}, {13, 256, 15},
		{12, 257, 33}, {121, 100, 129}, {64, 100, 300}, {3, 513, 2}, {1, 300, 1}, {31, 7, 257},
	}
	for _, sz := range sizes {
		a := randSlice(r, sz.m*sz.k)
		b := randSlice(r, sz.k*sz.n)
		at, bt := toT[T](a), toT[T](b)
		for _, tr := range [][2]bool{{false, false}, {true, false}, {false, true}, {true, true}} {
			ref, mag := refMatMul(sz.m, sz.k, sz.n, tr[0], tr[1], a, b)
			var c1 []T
			for _, workers := range []int{1, 2, 3} {
				name := fmt.Sprintf("%dx%dx%d/tA=%v/tB=%v/w%d", sz.m, sz.k, sz.n, tr[0], tr[1], workers)
				mm := NewMatMul[T](sz.m, sz.k, sz.n, tr[0], tr[1], workers)
				c := poisoned[T](sz.m * sz.n)
				for range 2 {
					mm.Do(testPools[workers], c, at, bt)
					checkClose(t, name, c, ref, mag)
				}
				if workers == 1 {
					c1 = c
				} else {
					for i := range c {
						if c[i] != c1[i] {
							t.Fatalf("%s: differs from 1 worker at %d", name, i)
						}
					}
				}
			}
		}
	}
}

func TestMatMulFloat32(t *testing.T) { testMatMul[float32](t) }

func TestMatMulFloat32AVX2(t *testing.T) {
	defer setKernels(true, false)()
	testMatMul[float32](t)
}

func TestMatMulFloat32Go(t *testing.T) {
	defer setKernels(false, false)()
	testMatMul[float32](t)
}
func TestMatMulFloat64(t *testing.T) { testMatMul[float64](t) }

func testMatMulAllocs[T Float](t *testing.T) {
	p := testPools[2]
	m, k, n := 16, 100, 512
	a, b, c := make([]T, m*k), make([]T, k*n), make([]T, m*n)
	for _, tr := range [][2]bool{{false, true}, {true, false}, {false, false}} {
		mm := NewMatMul[T](m, k, n, tr[0], tr[1], 2)
		if got := testing.AllocsPerRun(5, func() { mm.Do(p, c, a, b) }); got != 0 {
			t.Errorf("MatMul.Do allocates %v times", got)
		}
	}
}

func TestMatMulAllocsFloat32(t *testing.T) { testMatMulAllocs[float32](t) }
func TestMatMulAllocsFloat64(t *testing.T) { testMatMulAllocs[float64](t) }

func TestMatMulPanics(t *testing.T) {
	defer func() {
		if recover() == nil {
			t.Error("NewMatMul accepted k=0")
		}
	}()
	NewMatMul[float32](2, 0, 2, false, false, 1)
}
