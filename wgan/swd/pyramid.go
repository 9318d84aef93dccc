package swd

// The Laplacian pyramid of Karras et al.: pyrDown filters with the 5×5
// binomial kernel ([1 4 6 4 1]ᵀ[1 4 6 4 1]/256) and keeps every second
// pixel; pyrUp inserts zeros between the pixels and filters with four times
// that kernel. Both use the mirror boundary (d c b | a b c d | c b a). The
// kernel is separable, so each works as a pass along the rows followed by a
// pass along the columns.

// Taps of the 1-D binomial filter [1 4 6 4 1]/16 (exact in binary).
const (
	b0 = 1.0 / 16
	b1 = 4.0 / 16
	b2 = 6.0 / 16
)

var binomial = [5]float32{b0, b1, b2, b1, b0}

// mirror maps an index into [0, n) by reflection about the first and last
// samples, without repeating them: -1 → 1, -2 → 2, n → n-2, n+1 → n-3.
func mirror(i, n int) int {
	if n == 1 {
		return 0
	}
	p := 2 * (n - 1)
	i %= p
	if i < 0 {
		i += p
	}
	if i >= n {
		i = p - i
	}
	return i
}

// pyrDown writes the s/2×s/2 image dst from the s×s image src (s even);
// tmp holds at least s*s/2 values.
func pyrDown(dst, src []float32, s int, tmp []float32) {
	h := s / 2
	src, dst, tmp = src[:s*s], dst[:h*h], tmp[:s*h]
	for y := range s {
		row := src[y*s : y*s+s]
		out := tmp[y*h : y*h+h]
		for x := range out {
			c := 2 * x
			if c >= 2 && c+2 < s {
				out[x] = b0*row[c-2] + b1*row[c-1] + b2*row[c] + b1*row[c+1] + b0*row[c+2]
				continue
			}
			var v float32
			for t, k := range binomial {
				v += k * row[mirror(c+t-2, s)]
			}
			out[x] = v
		}
	}
	for y := range h {
		c := 2 * y
		r0 := tmp[mirror(c-2, s)*h:][:h]
		r1 := tmp[mirror(c-1, s)*h:][:h]
		r2 := tmp[c*h:][:h]
		r3 := tmp[mirror(c+1, s)*h:][:h]
		r4 := tmp[mirror(c+2, s)*h:][:h]
		out := dst[y*h : y*h+h]
		for x := range out {
			out[x] = b0*r0[x] + b1*r1[x] + b2*r2[x] + b1*r3[x] + b0*r4[x]
		}
	}
}

// up1 is one output sample of the 1-D zero-insertion upsampling of src
// (length n) to length 2n filtered with 2·[1 4 6 4 1]/16 under the mirror
// boundary of the upsampled signal: the sample at position X.
func up1(src []float32, n, X int) float32 {
	var v float32
	for t, k := range binomial {
		j := mirror(X+t-2, 2*n)
		if j%2 == 0 {
			v += 2 * k * src[j/2]
		}
	}
	return v
}

// pyrUp writes the 2s×2s image dst from the s×s image src; tmp holds at
// least 2*s*s values.
func pyrUp(dst, src []float32, s int, tmp []float32) {
	w := 2 * s
	src, dst, tmp = src[:s*s], dst[:w*w], tmp[:s*w]
	// Rows: inside, even outputs are (a + 6b + c)/8 and odd ones (b + c)/2.
	for y := range s {
		row := src[y*s : y*s+s]
		out := tmp[y*w : y*w+w]
		for x := 1; x+1 < s; x++ {
			out[2*x] = 2*b0*row[x-1] + 2*b2*row[x] + 2*b0*row[x+1]
			out[2*x+1] = 2*b1*row[x] + 2*b1*row[x+1]
		}
		for _, X := range [...]int{0, 1, w - 2, w - 1} {
			out[X] = up1(row, s, X)
		}
	}
	// Columns: the same on the rows of tmp.
	for Y := range w {
		out := dst[Y*w : Y*w+w]
		if Y >= 2 && Y+2 < w {
			y := Y / 2
			if Y%2 == 0 {
				ra, rb, rc := tmp[(y-1)*w:][:w], tmp[y*w:][:w], tmp[(y+1)*w:][:w]
				for x := range out {
					out[x] = 2*b0*ra[x] + 2*b2*rb[x] + 2*b0*rc[x]
				}
			} else {
				rb, rc := tmp[y*w:][:w], tmp[(y+1)*w:][:w]
				for x := range out {
					out[x] = 2*b1*rb[x] + 2*b1*rc[x]
				}
			}
			continue
		}
		clear(out)
		for t, k := range binomial {
			j := mirror(Y+t-2, w)
			if j%2 != 0 {
				continue
			}
			r := tmp[(j/2)*w:][:w]
			for x := range out {
				out[x] += 2 * k * r[x]
			}
		}
	}
}

// pyramid holds the scratch for the Laplacian pyramid of one image plane.
type pyramid struct {
	size, levels int
	planes       [][]float32 // level l: (size>>l)² values
	up, tmp      []float32
}

func newPyramid(size, levels int) *pyramid {
	p := &pyramid{size: size, levels: levels, planes: make([][]float32, levels)}
	for l := range p.planes {
		s := size >> l
		p.planes[l] = make([]float32, s*s)
	}
	p.up = make([]float32, size*size)
	p.tmp = make([]float32, size*size)
	return p
}

// build fills p.planes with the Laplacian pyramid of the size×size plane
// src: level l < levels-1 is G_l − up(G_{l+1}), the last level is the
// low-pass image G_{levels-1} itself, where G_0 = src and
// G_{l+1} = pyrDown(G_l).
func (p *pyramid) build(src []float32) {
	copy(p.planes[0], src[:p.size*p.size])
	for l := 1; l < p.levels; l++ {
		pyrDown(p.planes[l], p.planes[l-1], p.size>>(l-1), p.tmp)
	}
	// Ascending order: G_{l+1} is still the Gaussian level when level l
	// subtracts its upsampling.
	for l := 0; l+1 < p.levels; l++ {
		s := p.size >> l
		pyrUp(p.up, p.planes[l+1], s/2, p.tmp)
		g := p.planes[l]
		for i, u := range p.up[:s*s] {
			g[i] -= u
		}
	}
}
