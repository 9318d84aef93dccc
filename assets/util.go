package assets

import (
	"math"
	"math/rand/v2"
)

// rng draws the random choices of one picture. Only PCG's Uint64, a fixed
// algorithm, is used, so that a seed gives the same pictures with every
// Go release.
type rng struct{ p *rand.PCG }

func newRNG(seed, stream uint64) rng { return rng{rand.NewPCG(seed, stream)} }

// float returns a uniform number in [0, 1).
func (r rng) float() float64 { return float64(r.p.Uint64()>>11) * 0x1p-53 }

// between returns a uniform number in [a, b).
func (r rng) between(a, b float64) float64 { return a + (b-a)*r.float() }

// intn returns a uniform integer in [0, n).
func (r rng) intn(n int) int { return int(r.float() * float64(n)) }

// ints returns a uniform integer in [a, b].
func (r rng) ints(a, b int) int { return a + r.intn(b-a+1) }

// chance returns true with probability p.
func (r rng) chance(p float64) bool { return r.float() < p }

// normal returns a number of mean 0 and deviation 1 (Irwin–Hall, 4 terms).
func (r rng) normal() float64 {
	return (r.float() + r.float() + r.float() + r.float() - 2) * math.Sqrt(3)
}

// tri returns a number of mean 0 and deviation 1 with a triangular
// distribution, from one draw.
func (r rng) tri() float64 {
	u := r.p.Uint64()
	a, b := float64(u>>32), float64(u&0xffffffff)
	return ((a+b)*0x1p-32 - 1) * math.Sqrt(6)
}

// pick returns an index with probability proportional to its weight.
func (r rng) pick(weights ...float64) int {
	var sum float64
	for _, w := range weights {
		sum += w
	}
	x := r.float() * sum
	for i, w := range weights {
		if x < w {
			return i
		}
		x -= w
	}
	return len(weights) - 1
}

// rgb is a colour, channels in [0, 1] (a struct, not an array, so that the
// compiler keeps it in registers).
type rgb struct{ r, g, b float64 }

func (c rgb) scale(k float64) rgb { return rgb{c.r * k, c.g * k, c.b * k} }
func (c rgb) add(d rgb) rgb       { return rgb{c.r + d.r, c.g + d.g, c.b + d.b} }

// mix returns a·(1−t) + b·t.
func mix(a, b rgb, t float64) rgb {
	return rgb{a.r + (b.r-a.r)*t, a.g + (b.g-a.g)*t, a.b + (b.b-a.b)*t}
}

// hsv returns the colour of hue h (degrees), saturation s and value v.
func hsv(h, s, v float64) rgb {
	h = math.Mod(h, 360)
	if h < 0 {
		h += 360
	}
	s = clamp01(s)
	v = clamp01(v)
	c := v * s
	x := c * (1 - math.Abs(math.Mod(h/60, 2)-1))
	m := v - c
	var r, g, b float64
	switch {
	case h < 60:
		r, g, b = c, x, 0
	case h < 120:
		r, g, b = x, c, 0
	case h < 180:
		r, g, b = 0, c, x
	case h < 240:
		r, g, b = 0, x, c
	case h < 300:
		r, g, b = x, 0, c
	default:
		r, g, b = c, 0, x
	}
	return rgb{r + m, g + m, b + m}
}

func clamp01(x float64) float64 { return max(0, min(1, x)) }

func smoothstep(a, b, x float64) float64 {
	t := clamp01((x - a) / (b - a))
	return t * t * (3 - 2*t)
}

// tri is a triangle wave of period 1 in [-1, 1], like a cosine.
func tri(x float64) float64 {
	f := x - math.Floor(x)
	return math.Abs(f-0.5)*4 - 1
}

// atan2 is a fast approximation of math.Atan2 (error under 1e-5 rad).
func atan2(y, x float64) float64 {
	ax, ay := math.Abs(x), math.Abs(y)
	hi := max(ax, ay)
	if hi == 0 {
		return 0
	}
	a := min(ax, ay) / hi
	s := a * a
	r := ((-0.0464964749*s+0.15931422)*s-0.327622764)*s*a + a
	if ay > ax {
		r = math.Pi/2 - r
	}
	if x < 0 {
		r = math.Pi - r
	}
	if y < 0 {
		r = -r
	}
	return r
}

// mix64 is the SplitMix64 finaliser: a bijective 64-bit hash.
func mix64(x uint64) uint64 {
	x += 0x9e3779b97f4a7c15
	x = (x ^ x>>30) * 0xbf58476d1ce4e5b9
	x = (x ^ x>>27) * 0x94d049bb133111eb
	return x ^ x>>31
}

// noise is smooth value noise: random values on the integer lattice,
// interpolated with smoothstep.
type noise uint64

func (n noise) lattice(ix, iy int) float64 {
	h := mix64(uint64(n) ^ mix64(uint64(int64(ix))*0x632be59bd9b4e019+uint64(int64(iy))))
	return float64(h>>11) * 0x1p-53
}

// at returns the noise at (x, y), in [0, 1].
func (n noise) at(x, y float64) float64 {
	fx, fy := math.Floor(x), math.Floor(y)
	ix, iy := int(fx), int(fy)
	tx, ty := x-fx, y-fy
	tx = tx * tx * (3 - 2*tx)
	ty = ty * ty * (3 - 2*ty)
	a := n.lattice(ix, iy)
	b := n.lattice(ix+1, iy)
	c := n.lattice(ix, iy+1)
	d := n.lattice(ix+1, iy+1)
	return a + (b-a)*tx + (c-a)*ty + (a-b-c+d)*tx*ty
}

// fbm sums octaves of noise, each twice as fine and half as strong; the
// result is in [0, 1] and clusters around 0.5.
func (n noise) fbm(x, y float64, octaves int) float64 {
	var sum, amp, norm float64 = 0, 1, 0
	for o := 0; o < octaves; o++ {
		sum += amp * noise(uint64(n)+uint64(o)*0x9e37).at(x, y)
		norm += amp
		amp *= 0.5
		x, y = x*2+17.3, y*2+5.1
	}
	return sum / norm
}
