package swd

import (
	"math"
	"math/rand/v2"
	"runtime"
	"sync"
	"sync/atomic"
)

// The sliced Wasserstein distance between two descriptor sets: project both
// on random unit directions, sort each projection and take the 1-D
// Wasserstein-1 distance between the sorted values, averaged over the
// directions.
//
// The directions are processed in groups; a worker projects both sets on
// one group with the 6×16 kernel (descriptor panel by panel, so the panel
// stays in L1 while every direction of the group is applied), then sorts
// and compares each direction of the group. A group's projections take
// groupBudget bytes at most (or one tile of directions), which bounds the
// memory per worker.

// groupBudget is the most bytes of projections one worker holds at once.
const groupBudget = 16 << 20

// Stream tags for the seeded generators.
const (
	tagPatches = 0x70617463 // "patc"
	tagDirs    = 0x64697273 // "dirs"
)

// splitmix64 is one step of the SplitMix64 generator: a bijective mixer.
func splitmix64(x uint64) uint64 {
	x += 0x9e3779b97f4a7c15
	x = (x ^ x>>30) * 0xbf58476d1ce4e5b9
	x = (x ^ x>>27) * 0x94d049bb133111eb
	return x ^ x>>31
}

// stream returns the generator for (seed, tag, a, b): the same for the same
// arguments, unrelated for different ones.
func stream(seed uint64, tag, a, b int) *rand.Rand {
	h := splitmix64(seed ^ splitmix64(uint64(tag)<<32^uint64(a)))
	return rand.New(rand.NewPCG(h, splitmix64(h^uint64(b))))
}

// directions returns count random unit directions of dimension dim for the
// given level, as rows of a matrix padded with zero rows to a multiple of
// tileDirs. They are Gaussian vectors normalised to unit length, so
// uniformly distributed on the sphere.
func directions(seed uint64, level, dim, count int) []float32 {
	r := stream(seed, tagDirs, level, dim)
	w := make([]float32, roundUp(count, tileDirs)*dim)
	g := make([]float64, dim)
	for d := range count {
		var ss float64
		for ss == 0 {
			for i := range g {
				g[i] = r.NormFloat64()
				ss += g[i] * g[i]
			}
		}
		inv := 1 / math.Sqrt(ss)
		for i, v := range g {
			w[d*dim+i] = float32(v * inv)
		}
	}
	return w
}

func roundUp(n, m int) int { return (n + m - 1) / m * m }

// workspace holds the buffers of the distance computation, one set per
// worker, reused across levels and (in a Reference) across calls: fresh
// buffers of this size cost more in page faults and clearing than the
// sorting they are used for.
type workspace struct {
	workers []*scratch
}

type scratch struct {
	pa, pb []float32
	sort   *sorter
}

// get returns the scratch of worker w with room for na and nb projections
// and sorts of n values.
func (ws *workspace) get(w, na, nb, n int) *scratch {
	for len(ws.workers) <= w {
		ws.workers = append(ws.workers, &scratch{sort: newSorter(0)})
	}
	s := ws.workers[w]
	if cap(s.pa) < na {
		s.pa = make([]float32, na)
	}
	if cap(s.pb) < nb {
		s.pb = make([]float32, nb)
	}
	if len(s.sort.ka) < n {
		s.sort = newSorter(n)
	}
	return s
}

// sliced returns the mean over the first count directions of dirs (rows of
// a.Cols() values, padded to a multiple of tileDirs) of the 1-D
// Wasserstein-1 distance between the projections of a and b.
func sliced(a, b *Matrix, dirs []float32, count int, ws *workspace) float64 {
	dim := a.cols
	micro := len(dirs) / dim / tileDirs // tiles of directions
	ra, rb := a.panels()*panel, b.panels()*panel

	workers := runtime.GOMAXPROCS(0)
	// Tiles per group, as many as the budget allows but at least two
	// groups per worker; then as many groups as needed, a multiple of the
	// workers, sharing the tiles evenly.
	perGroup := max(1, groupBudget/(4*tileDirs*(ra+rb)))
	perGroup = min(perGroup, (micro+2*workers-1)/(2*workers))
	groups := (micro + perGroup - 1) / perGroup
	groups = min(micro, roundUp(groups, workers))
	workers = min(workers, groups)
	most := (micro + groups - 1) / groups * tileDirs // directions per group

	res := make([]float64, count)
	var next atomic.Int64
	var wg sync.WaitGroup
	for w := range workers {
		s := ws.get(w, most*ra, most*rb, max(a.rows, b.rows))
		wg.Go(func() {
			for {
				g := int(next.Add(1) - 1)
				if g >= groups {
					return
				}
				t0, t1 := g*micro/groups, (g+1)*micro/groups
				d0, d1 := t0*tileDirs, t1*tileDirs
				group := dirs[d0*dim : d1*dim]
				a.project(group, s.pa, ra)
				b.project(group, s.pb, rb)
				for d := d0; d < min(d1, count); d++ {
					i := d - d0
					res[d] = s.sort.w1(s.pa[i*ra:i*ra+a.rows], s.pb[i*rb:i*rb+b.rows])
				}
			}
		})
	}
	wg.Wait()
	var sum float64
	for _, v := range res {
		sum += v
	}
	return sum / float64(count)
}

// project writes the projections of m's descriptors on the directions w
// (rows of m.cols values, a multiple of tileDirs of them) to out: direction
// i at out[i*ld : i*ld+m.rows], ld ≥ m.panels()*panel.
func (m *Matrix) project(w []float32, out []float32, ld int) {
	k := m.cols
	nd := len(w) / k
	for p := range m.panels() {
		x := m.data[p*panel*k : (p+1)*panel*k]
		for d := 0; d < nd; d += tileDirs {
			project6(k, w[d*k:], k, x, out[d*ld+p*panel:], ld)
		}
	}
}

// sorter holds the scratch of radix sorts of float32 values.
type sorter struct {
	ka, kb, ta, tb []uint32
}

func newSorter(n int) *sorter {
	return &sorter{
		ka: make([]uint32, n), kb: make([]uint32, n),
		ta: make([]uint32, n), tb: make([]uint32, n),
	}
}

// w1 returns the Wasserstein-1 distance between the empirical distributions
// of a and b: with equal counts the mean absolute difference of the sorted
// values; otherwise ∫|F_a − F_b| over the merged sorted values.
func (s *sorter) w1(a, b []float32) float64 {
	sa := radixSort(a, s.ka[:len(a)], s.ta[:len(a)])
	sb := radixSort(b, s.kb[:len(b)], s.tb[:len(b)])
	if len(sa) == len(sb) {
		var sum float64
		for i, k := range sa {
			sum += math.Abs(float64(unkey(k)) - float64(unkey(sb[i])))
		}
		return sum / float64(len(sa))
	}
	return w1Merge(sa, sb)
}

// w1Merge is ∫|F_a − F_b| for sorted keys of any counts: between two
// consecutive values of the merged sequence both empirical CDFs are
// constant, at the fractions of a and b taken so far.
func w1Merge(sa, sb []uint32) float64 {
	na, nb := float64(len(sa)), float64(len(sb))
	var i, j int
	var area, prev float64
	for n := 0; i < len(sa) || j < len(sb); n++ {
		fa, fb := float64(i)/na, float64(j)/nb
		var t float64
		if j == len(sb) || (i < len(sa) && sa[i] <= sb[j]) {
			t = float64(unkey(sa[i]))
			i++
		} else {
			t = float64(unkey(sb[j]))
			j++
		}
		if n > 0 {
			area += math.Abs(fa-fb) * (t - prev)
		}
		prev = t
	}
	return area
}

// key maps a float32 to a uint32 whose unsigned order is the float order:
// negative values have all bits flipped, the others the sign bit set.
func key(f float32) uint32 {
	b := math.Float32bits(f)
	return b ^ (uint32(int32(b)>>31) | 1<<31)
}

// unkey inverts key.
func unkey(k uint32) float32 {
	return math.Float32frombits(k ^ (uint32(int32(^k)>>31) | 1<<31))
}

// radixSort returns the keys of v in ascending order, in keys or tmp (both
// len(v)): a least-significant-digit radix sort in four passes of 8 bits
// (the counts of a pass fit in L1), skipping a pass where every key has the
// same digit.
func radixSort(v []float32, keys, tmp []uint32) []uint32 {
	var h [4][256]uint32
	keys = keys[:len(v)]
	for i, f := range v {
		k := key(f)
		keys[i] = k
		h[0][uint8(k)]++
		h[1][uint8(k>>8)]++
		h[2][uint8(k>>16)]++
		h[3][uint8(k>>24)]++
	}
	if len(v) == 0 {
		return keys
	}
	src, dst := keys, tmp[:len(v)]
	for p := range h {
		shift := uint(8 * p)
		hp := &h[p]
		if hp[uint8(src[0]>>shift)] == uint32(len(src)) {
			continue
		}
		var sum uint32
		for i, c := range hp {
			hp[i] = sum
			sum += c
		}
		for _, k := range src {
			d := uint8(k >> shift)
			dst[hp[d]] = k
			hp[d]++
		}
		src, dst = dst, src
	}
	return src
}
