// Package assets holds the embedded default data set: procedurally drawn
// pictures of flowers, so that training runs out of the box with no
// download (the Flowers photos of the reference cannot be fetched here).
package assets

import (
	"image"
	"math"
	"runtime"
	"sync"
)

// DefaultCount is the number of pictures in the default data set: enough
// for about 31 minibatches of 64 an epoch, drawn in about a second.
const DefaultCount = 2000

const (
	size = 64 // side of a picture, in pixels
	ss   = 4  // samples per pixel along each axis (drawn at 256×256)
)

// Flowers returns n 64×64 pictures (*image.RGBA) of flowers, the same for
// the same seed. Picture i depends only on (seed, i), so a shorter list is a
// prefix of a longer one. The random choices use only integer PCG output, so
// they are the same everywhere; the pixels are computed in float64 and are
// the same on every platform but for the rare pixel, one level apart, where
// a compiler's fused multiply-adds (arm64, GOAMD64=v3) round differently.
//
// Each picture is a flower (daisy, sunflower, dandelion, rose, lily, poppy,
// aster, five-petalled or free-form: 4 to 12 petals in 1 or 2 layers, round,
// pointed, notched, fan-shaped or thin, in reds, pinks, yellows, whites,
// purples, oranges and blues, shaded from the centre to the tips, around a
// disk of seeds or a ring of stamens), sometimes tilted, off-centre or cut
// by the frame, often with a second flower, a few more, leaves or a stem;
// or one to five tulips seen from the side. Behind them is a blurred
// background: leaves, grass, soil, sky, a wall, or darkness. The shapes are
// drawn with up to 16 samples a pixel (as if drawn at 256×256 and
// shrunk); the smooth background with one. Then a camera's touch: blur,
// white balance, exposure, contrast, vignetting and noise, all varied.
func Flowers(n int, seed uint64) []image.Image {
	out := make([]image.Image, n)
	workers := min(runtime.GOMAXPROCS(0), max(n, 1))
	var wg sync.WaitGroup
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := w; i < n; i += workers {
				out[i] = Flower(i, seed)
			}
		}()
	}
	wg.Wait()
	return out
}

// Flower returns picture i of Flowers(n, seed) for any n > i: the page
// draws the set a few at a time.
func Flower(i int, seed uint64) *image.RGBA {
	return draw(newRNG(seed, mix64(uint64(i))^0x666c6f776572))
}

// An object is a shape in front of the background.
type object interface {
	// box returns the pixels the object may touch: [x0, x1) × [y0, y1).
	box() image.Rectangle
	// sample returns the colour at (x, y), in pixels, which part of the
	// object is there (a petal, the disk; from 0), and whether the object
	// covers that point.
	sample(x, y float64) (rgb, int, bool)
}

// draw makes one picture.
func draw(r rng) *image.RGBA {
	bg := background(r)
	objs := composition(r)
	boxes := make([]image.Rectangle, len(objs))
	for i, o := range objs {
		boxes[i] = o.box().Intersect(image.Rect(0, 0, size, size))
	}
	var pix [size * size]rgb
	var here []object
	for py := 0; py < size; py++ {
		for px := 0; px < size; px++ {
			here = here[:0]
			p := image.Pt(px, py)
			for i, o := range objs {
				if p.In(boxes[i]) {
					here = append(here, o)
				}
			}
			back := bg[py*size+px]
			if len(here) == 0 {
				pix[py*size+px] = back
				continue
			}
			// Four samples first; if they all fall on the same part of the
			// same object (or all on the background), the pixel is inside
			// a smooth area and they are enough. Otherwise it is on an edge:
			// all 16 samples.
			var sum rgb
			first, uniform := -2, true
			for k, q := range quad {
				c, id := trace(here, back, float64(px)+q[0], float64(py)+q[1])
				sum = sum.add(c)
				if k == 0 {
					first = id
				} else if id != first {
					uniform = false
				}
			}
			if uniform {
				pix[py*size+px] = sum.scale(0.25)
				continue
			}
			for sy := 0; sy < ss; sy++ {
				y := float64(py) + (float64(sy)+0.5)/ss
				for sx := 0; sx < ss; sx++ {
					if sx == quadCol[sy] {
						continue // already in sum
					}
					x := float64(px) + (float64(sx)+0.5)/ss
					c, _ := trace(here, back, x, y)
					sum = sum.add(c)
				}
			}
			pix[py*size+px] = sum.scale(1.0 / (ss * ss))
		}
	}
	return finish(r, &pix)
}

// quad are the first four sample positions in a pixel, four of the 4×4
// grid's (a rotated grid): in row sy, column quadCol[sy].
var (
	quad    = [4][2]float64{{0.375, 0.125}, {0.875, 0.375}, {0.125, 0.625}, {0.625, 0.875}}
	quadCol = [ss]int{1, 3, 0, 2}
)

// trace returns the colour at (x, y): that of the first object of objs
// that covers it, or back. The id says which object and part (−1: none).
func trace(objs []object, back rgb, x, y float64) (rgb, int) {
	for i, o := range objs {
		if c, part, ok := o.sample(x, y); ok {
			return c, i<<16 | part
		}
	}
	return back, -1
}

// ---- flowers ----

// Petal shapes.
const (
	round   = iota // widest past the middle, rounded tip (roses)
	pointed        // widest before the middle, pointed tip (lilies)
	heart          // round with a notch at the tip (primroses)
	thin           // a long strap with a rounded tip (daisies)
	fan            // widest near the tip, very round (poppies)
)

// profile returns the half-width of a petal of the shape, relative to its
// largest, at t in [0, 1] along it.
func profile(shape int, t float64) float64 {
	switch shape {
	case pointed:
		return math.Pow(math.Sin(math.Pi*math.Pow(t, 0.8)), 1.1)
	case thin:
		w := 1.0
		if t > 0.85 {
			w = math.Sqrt(clamp01(1 - sq((t-0.85)/0.15)))
		}
		return w * math.Min(1, 0.45+t*3)
	case fan:
		return math.Sqrt(math.Sin(math.Pi * math.Pow(t, 1.9)))
	default: // round, heart
		return math.Sqrt(math.Sin(math.Pi * math.Pow(t, 1.3)))
	}
}

func sq(x float64) float64 { return x * x }

const lutN = 128

// layer is a ring of petals of one flower.
type layer struct {
	n     int
	spin  float64 // angle of petal 0
	width float64 // largest half-width of a petal, in pixels
	notch float64 // depth of the notch of heart petals, relative to length
	lut   [lutN + 1]float64
	m     int     // neighbours on each side that may overlap a point
	reach float64 // the longest petal

	cos, sin, length, halfw, tint []float64 // per petal

	base, tip, throat rgb
	throatT           float64 // the throat colour fades out by this t (0: none)
	gradLo, gradHi    float64 // base → tip gradient range in t
	edgeDark, vein    float64
	stria, striaFreq  float64 // lengthwise streaks
	shadow            float64 // darkening next to the petal above
}

// hw returns the half-width profile at t by table look-up.
func (l *layer) hw(t float64) float64 {
	f := t * lutN
	i := int(f)
	if i >= lutN {
		return l.lut[lutN]
	}
	return l.lut[i] + (l.lut[i+1]-l.lut[i])*(f-float64(i))
}

// sample returns the colour of the layer at (a, b) in the flower's frame,
// th being the angle of (a, b).
func (l *layer) sample(a, b, th float64) (rgb, int, bool) {
	n := l.n
	pos := (th - l.spin) * float64(n) / (2 * math.Pi)
	k := int(math.Floor(pos+0.5)) % n
	if k < 0 {
		k += n
	}
	// The candidate petals, topmost (highest index) first.
	var cand [9]int
	nc := 0
	for i := -l.m; i <= l.m; i++ {
		j := k + i
		if j < 0 {
			j += n
		} else if j >= n {
			j -= n
		}
		at := nc
		for at > 0 && cand[at-1] < j {
			cand[at] = cand[at-1]
			at--
		}
		cand[at] = j
		nc++
	}
	shadow := 1.0
	for _, j := range cand[:nc] {
		u := a*l.cos[j] + b*l.sin[j]
		t := u / l.length[j]
		if t <= 0 || t >= 1 {
			continue
		}
		v := -a*l.sin[j] + b*l.cos[j]
		hw := l.halfw[j] * l.hw(t)
		av := math.Abs(v)
		inside := av < hw
		if inside && l.notch > 0 {
			// Cut a V into the tip: the petal ends earlier near its axis.
			cut := 1 - l.notch*clamp01(1-av/(0.55*l.halfw[j]))
			inside = t < cut
		}
		if !inside {
			if l.shadow > 0 {
				m := (av - hw) / l.width
				if m < 0.3 {
					shadow = math.Min(shadow, 1-l.shadow*(1-m/0.3)*t)
				}
			}
			continue
		}
		vn := av / hw
		c := mix(l.base, l.tip, smoothstep(l.gradLo, l.gradHi, t))
		if l.throatT > 0 && t < l.throatT {
			c = mix(l.throat, c, smoothstep(0, l.throatT, t))
		}
		k := l.tint[j] * shadow * (1 - l.edgeDark*vn*vn)
		if l.vein > 0 {
			k *= 1 - l.vein*clamp01(1-av/(0.12*l.halfw[j]))*(1-t)
		}
		if l.stria > 0 {
			k *= 1 + l.stria*tri(v/l.width*l.striaFreq)
		}
		return c.scale(k), j, true
	}
	return rgb{}, 0, false
}

// disk is the centre of a flower.
type disk struct {
	centre, rim   rgb
	freq          float64 // seeds across the radius
	sp1, sp2      float64 // the two families of seed spirals
	texture, dome float64
	stamens       int     // dots around the disk (0: none)
	ringR         float64 // outer radius of the stamen ring, relative
	stamen        rgb
}

func (d *disk) colour(rn, th float64) rgb {
	c := mix(d.centre, d.rim, smoothstep(0, 1, rn))
	k := 1 - d.dome*rn*rn
	if d.texture > 0 {
		p := th / (2 * math.Pi)
		s := tri(rn*d.freq+p*d.sp1) * tri(rn*d.freq-p*d.sp2)
		k *= 1 + d.texture*s
	}
	return c.scale(k)
}

// flower is one flower head, seen from the front, possibly tilted.
type flower struct {
	cx, cy         float64
	tc, ts, squash float64 // direction of the tilt and foreshortening
	radius         float64 // the farthest petal tip, in the flower's frame
	diskR          float64
	disk           disk
	layers         []*layer // the innermost first
	lx, ly         float64  // light gradient, per pixel
}

func (f *flower) box() image.Rectangle {
	r := f.radius + 1
	return image.Rect(int(math.Floor(f.cx-r)), int(math.Floor(f.cy-r)), int(math.Ceil(f.cx+r)), int(math.Ceil(f.cy+r)))
}

func (f *flower) sample(x, y float64) (rgb, int, bool) {
	dx, dy := x-f.cx, y-f.cy
	a := dx*f.tc + dy*f.ts
	b := (-dx*f.ts + dy*f.tc) / f.squash
	r2 := a*a + b*b
	if r2 >= f.radius*f.radius {
		return rgb{}, 0, false
	}
	r := math.Sqrt(r2)
	th := atan2(b, a)
	light := 1 + dx*f.lx + dy*f.ly
	if r < f.diskR {
		return f.disk.colour(r/f.diskR, th).scale(light), 0, true
	}
	if d := &f.disk; d.stamens > 0 && r < f.diskR*d.ringR {
		if tri(th*float64(d.stamens)/(2*math.Pi)) > 0.1 {
			return d.stamen.scale(light * (1.1 - 0.3*(r/f.diskR-1)/(d.ringR-1))), 1, true
		}
	}
	for i, l := range f.layers {
		if r >= l.reach {
			continue
		}
		if c, j, ok := l.sample(a, b, th); ok {
			return c.scale(light), 2 + i<<8 | j, true
		}
	}
	return rgb{}, 0, false
}

// ---- species ----

// layerSpec describes a ring of petals independently of size and place.
type layerSpec struct {
	n                 int
	lenFrac, widFrac  float64 // length relative to the outer layer's; half-width relative to length
	shape             int
	notch             float64
	spinOff           float64 // in petal spacings, relative to the outer layer
	base, tip, throat rgb
	throatT           float64
	gradLo, gradHi    float64
	edgeDark, vein    float64
	stria, striaFreq  float64
	shadow, jitter    float64
}

// species is the kind of a flower: what its flowers share.
type species struct {
	layers   []layerSpec // the outermost first
	diskFrac float64     // disk radius relative to the outer petal length
	disk     disk
}

// Colour families of petals.
const (
	red = iota
	pink
	yellow
	white
	purple
	orange
	blue
	magenta
)

// petalColour returns a colour of the family.
func petalColour(r rng, fam int) rgb {
	switch fam {
	case red:
		return hsv(r.between(-12, 8), r.between(0.75, 0.95), r.between(0.55, 0.9))
	case pink:
		return hsv(r.between(320, 352), r.between(0.25, 0.65), r.between(0.85, 1))
	case yellow:
		return hsv(r.between(44, 58), r.between(0.7, 1), r.between(0.88, 1))
	case white:
		return hsv(r.between(0, 360), r.between(0, 0.08), r.between(0.88, 1))
	case purple:
		return hsv(r.between(262, 295), r.between(0.4, 0.8), r.between(0.5, 0.9))
	case orange:
		return hsv(r.between(16, 36), r.between(0.8, 1), r.between(0.88, 1))
	case blue:
		return hsv(r.between(205, 240), r.between(0.45, 0.8), r.between(0.6, 0.92))
	default: // magenta
		return hsv(r.between(295, 325), r.between(0.55, 0.85), r.between(0.65, 0.95))
	}
}

// family picks a colour family with the weights given in the order red,
// pink, yellow, white, purple, orange, blue, magenta.
func family(r rng, w ...float64) int { return r.pick(w...) }

// newLayerSpec returns a layer with colours around c and sensible shading.
func newLayerSpec(r rng, n int, shape int, widFrac float64, c rgb) layerSpec {
	ls := layerSpec{
		n: n, lenFrac: 1, widFrac: widFrac, shape: shape,
		tip:      c,
		base:     mix(c, c.scale(r.between(0.55, 0.85)), r.float()),
		gradLo:   r.between(0, 0.3),
		gradHi:   r.between(0.5, 1),
		edgeDark: r.between(0.05, 0.3),
		vein:     r.between(0, 0.2),
		shadow:   r.between(0.15, 0.4),
		jitter:   r.between(0.02, 0.08),
	}
	if r.chance(0.3) {
		ls.stria, ls.striaFreq = r.between(0.03, 0.1), r.between(1.5, 3.5)
	}
	if r.chance(0.25) { // tips lighter than the base
		ls.tip = mix(c, rgb{1, 1, 1}, r.between(0.1, 0.4))
	}
	return ls
}

func yellowDisk(r rng) disk {
	c := hsv(r.between(38, 52), r.between(0.75, 1), r.between(0.8, 1))
	return disk{centre: c.scale(r.between(0.8, 1)), rim: c, freq: r.between(4, 8), sp1: 13, sp2: 21,
		texture: r.between(0.05, 0.2), dome: r.between(-0.2, 0.3)}
}

func newSpecies(r rng) species {
	var s species
	switch r.pick(12, 10, 7, 14, 10, 12, 10, 10, 15) {
	case 0: // daisy
		c := petalColour(r, family(r, 0, 2, 1, 7, 1.5, 0, 0, 1))
		l := newLayerSpec(r, r.ints(10, 12), thin, r.between(0.07, 0.12), c)
		l.shadow = r.between(0.2, 0.4)
		in := l
		in.lenFrac, in.spinOff = r.between(0.85, 0.98), 0.5
		s.layers = []layerSpec{l, in}
		s.diskFrac = r.between(0.2, 0.32)
		s.disk = yellowDisk(r)
		s.disk.dome = r.between(0.1, 0.4)
	case 1: // sunflower
		c := hsv(r.between(36, 52), r.between(0.85, 1), r.between(0.85, 1))
		l := newLayerSpec(r, r.ints(10, 12), pointed, r.between(0.14, 0.22), c)
		in := l
		in.lenFrac, in.spinOff = r.between(0.8, 0.95), 0.5
		in.tip = in.tip.scale(0.85)
		s.layers = []layerSpec{l, in}
		s.diskFrac = r.between(0.38, 0.52)
		dc := hsv(r.between(15, 35), r.between(0.6, 0.9), r.between(0.12, 0.35))
		s.disk = disk{centre: dc.scale(r.between(0.6, 1.1)), rim: mix(dc, hsv(30, 0.8, 0.4), r.float()),
			freq: r.between(6, 10), sp1: 21, sp2: 34, texture: r.between(0.2, 0.4), dome: r.between(0, 0.3)}
		if r.chance(0.5) {
			s.disk.stamens, s.disk.ringR, s.disk.stamen = r.ints(30, 50), r.between(1.05, 1.12), hsv(r.between(30, 45), 0.9, 0.6)
		}
	case 2: // dandelion
		c := hsv(r.between(46, 56), r.between(0.85, 1), r.between(0.92, 1))
		l := newLayerSpec(r, 12, thin, r.between(0.05, 0.08), c)
		l.base, l.edgeDark, l.shadow, l.jitter = c.scale(0.85), 0.35, 0.45, 0.12
		in := l
		in.lenFrac, in.spinOff, in.base = r.between(0.6, 0.75), 0.5, c.scale(0.8)
		s.layers = []layerSpec{l, in}
		s.diskFrac = r.between(0.12, 0.22)
		s.disk = disk{centre: c.scale(0.75), rim: c.scale(0.9), freq: 5, sp1: 8, sp2: 13, texture: 0.35}
	case 3: // rose: round petals, a dark heart
		c := petalColour(r, family(r, 5, 4, 1.5, 1.5, 0.5, 1.5, 0, 1))
		l := newLayerSpec(r, r.ints(5, 8), round, r.between(0.42, 0.6), c)
		l.edgeDark, l.shadow = r.between(0.2, 0.4), r.between(0.3, 0.5)
		in := l
		in.lenFrac, in.spinOff = r.between(0.55, 0.72), 0.5
		in.base, in.tip = c.scale(r.between(0.5, 0.75)), c.scale(r.between(0.85, 1))
		s.layers = []layerSpec{l, in}
		s.diskFrac = r.between(0.12, 0.22)
		s.disk = disk{centre: c.scale(0.35), rim: c.scale(0.6), freq: 3, sp1: 2, sp2: 3, texture: 0.25, dome: -0.2}
	case 4: // lily: pointed petals, a coloured throat, long stamens
		c := petalColour(r, family(r, 0.5, 3, 1.5, 3, 0.5, 2, 0, 1))
		n := r.ints(5, 6)
		if r.chance(0.4) {
			n = 3
		}
		l := newLayerSpec(r, n, pointed, r.between(0.2, 0.3), c)
		l.throat = mix(hsv(r.between(40, 100), r.between(0.5, 0.9), r.between(0.6, 0.9)), c.scale(0.4), r.float()*0.5)
		l.throatT, l.vein = r.between(0.3, 0.55), r.between(0.1, 0.3)
		s.layers = []layerSpec{l}
		if n == 3 {
			in := l
			in.lenFrac, in.spinOff = r.between(0.88, 1), 0.5
			s.layers = append(s.layers, in)
		}
		s.diskFrac = r.between(0.06, 0.1)
		g := hsv(r.between(60, 100), 0.6, 0.6)
		s.disk = disk{centre: g, rim: g.scale(0.8), stamens: n * 2, ringR: r.between(2.5, 4),
			stamen: hsv(r.between(15, 45), 0.8, r.between(0.3, 0.8))}
	case 5: // five petals, often notched, with an eye
		c := petalColour(r, family(r, 1, 2, 1.5, 1.5, 2, 0.5, 2.5, 2))
		shape := heart
		if r.chance(0.4) {
			shape = round
		}
		l := newLayerSpec(r, r.pick(1, 8, 1.5)+4, shape, r.between(0.35, 0.5), c)
		l.notch = r.between(0.1, 0.2)
		if r.chance(0.6) {
			l.throat, l.throatT = petalColour(r, family(r, 0, 0, 2, 2, 0, 0, 0, 0)), r.between(0.25, 0.45)
		}
		s.layers = []layerSpec{l}
		s.diskFrac = r.between(0.08, 0.16)
		s.disk = yellowDisk(r)
		if r.chance(0.4) {
			s.disk.centre, s.disk.rim = hsv(0, 0, 0.95), hsv(50, 0.3, 0.95)
		}
	case 6: // poppy: wide fan petals, a dark centre
		c := petalColour(r, family(r, 5, 1, 1, 1.5, 1, 3, 0, 0.5))
		l := newLayerSpec(r, r.ints(4, 6), fan, r.between(0.5, 0.7), c)
		l.shadow, l.edgeDark = r.between(0.3, 0.5), r.between(0.1, 0.3)
		if r.chance(0.5) {
			l.throat, l.throatT = hsv(r.between(0, 360), 0.5, 0.08), r.between(0.2, 0.35)
		}
		s.layers = []layerSpec{l}
		if l.n == 4 && r.chance(0.5) {
			in := l
			in.lenFrac, in.spinOff = r.between(0.75, 0.9), 0.5
			s.layers = append(s.layers, in)
		}
		s.diskFrac = r.between(0.12, 0.2)
		d := hsv(r.between(60, 300), r.between(0.2, 0.6), r.between(0.05, 0.3))
		s.disk = disk{centre: d.scale(1.4), rim: d, freq: 2, sp1: 8, sp2: 8, texture: 0.3, dome: 0.2,
			stamens: r.ints(18, 30), ringR: r.between(1.25, 1.5), stamen: hsv(r.between(0, 60), 0.5, r.between(0.05, 0.7))}
	case 7: // aster, cosmos
		c := petalColour(r, family(r, 0.5, 3, 0.5, 2, 3, 0.5, 0.5, 3))
		shape := round
		if r.chance(0.5) {
			shape = heart
		}
		l := newLayerSpec(r, r.ints(8, 10), shape, r.between(0.2, 0.3), c)
		l.notch = r.between(0.08, 0.16)
		s.layers = []layerSpec{l}
		if r.chance(0.4) {
			in := l
			in.lenFrac, in.spinOff, in.widFrac = r.between(0.7, 0.85), 0.5, l.widFrac*0.8
			s.layers = append(s.layers, in)
		}
		s.diskFrac = r.between(0.16, 0.25)
		s.disk = yellowDisk(r)
		if r.chance(0.5) {
			s.disk.stamens, s.disk.ringR, s.disk.stamen = r.ints(20, 30), r.between(1.1, 1.25), s.disk.rim.scale(1.1)
		}
	default: // free: anything within the ranges
		c := petalColour(r, r.intn(8))
		shape := r.intn(5)
		wid := [...][2]float64{round: {0.25, 0.55}, pointed: {0.12, 0.3}, heart: {0.25, 0.5}, thin: {0.05, 0.12}, fan: {0.4, 0.65}}[shape]
		l := newLayerSpec(r, r.ints(4, 12), shape, r.between(wid[0], wid[1]), c)
		l.notch = r.between(0.08, 0.2)
		if r.chance(0.35) {
			l.throat, l.throatT = petalColour(r, r.intn(8)), r.between(0.15, 0.45)
		}
		s.layers = []layerSpec{l}
		if r.chance(0.45) {
			in := l
			in.n = max(4, l.n+r.ints(-2, 2))
			in.lenFrac, in.spinOff = r.between(0.5, 0.85), r.float()
			if r.chance(0.5) {
				in.tip = petalColour(r, r.intn(8))
				in.base = in.tip.scale(0.8)
			}
			s.layers = append(s.layers, in)
		}
		s.diskFrac = r.between(0.08, 0.3)
		s.disk = yellowDisk(r)
		switch r.intn(4) {
		case 0:
			d := hsv(r.between(10, 40), 0.7, r.between(0.1, 0.35))
			s.disk.centre, s.disk.rim, s.disk.texture = d, d.scale(1.3), 0.3
		case 1:
			g := hsv(r.between(60, 110), r.between(0.4, 0.8), r.between(0.4, 0.8))
			s.disk.centre, s.disk.rim = g, g.scale(0.8)
		}
		if r.chance(0.3) {
			s.disk.stamens, s.disk.ringR, s.disk.stamen = r.ints(12, 30), r.between(1.1, 1.5), petalColour(r, yellow)
		}
	}
	return s
}

// newFlower places a flower of species s with outer petal length L at
// (cx, cy).
func newFlower(r rng, s *species, cx, cy, L float64) *flower {
	f := &flower{cx: cx, cy: cy, disk: s.disk, diskR: s.diskFrac * L, squash: 1}
	tilt := r.between(0, 2*math.Pi)
	f.tc, f.ts = math.Cos(tilt), math.Sin(tilt)
	if r.chance(0.55) {
		f.squash = r.between(0.55, 0.95)
	}
	la := r.between(0, 2*math.Pi)
	strength := r.between(0.05, 0.25) / L
	f.lx, f.ly = strength*math.Cos(la), strength*math.Sin(la)
	spin := r.between(0, 2*math.Pi)
	for i := len(s.layers) - 1; i >= 0; i-- { // innermost first
		ls := &s.layers[i]
		l := &layer{
			n: ls.n, width: ls.widFrac * ls.lenFrac * L,
			base: ls.base, tip: ls.tip, throat: ls.throat, throatT: ls.throatT,
			gradLo: ls.gradLo, gradHi: ls.gradHi, edgeDark: ls.edgeDark, vein: ls.vein,
			stria: ls.stria, striaFreq: ls.striaFreq, shadow: ls.shadow,
		}
		if ls.shape == heart {
			l.notch = ls.notch
		}
		spacing := 2 * math.Pi / float64(ls.n)
		l.spin = spin + ls.spinOff*2*math.Pi/float64(s.layers[0].n) + r.normal()*0.03
		length := ls.lenFrac * L
		var widest float64 // the widest angle a petal spans past the disk
		for k := 0; k <= lutN; k++ {
			t := float64(k) / lutN
			l.lut[k] = profile(ls.shape, t)
			if t*length > f.diskR*0.9 && t > 0 {
				widest = math.Max(widest, math.Atan2(l.lut[k]*l.width*1.15, t*length))
			}
		}
		l.m = min(int(widest/spacing+0.5), (ls.n-1)/2, 4)
		for j := 0; j < ls.n; j++ {
			ang := l.spin + float64(j)*spacing + r.normal()*0.04*spacing
			l.cos = append(l.cos, math.Cos(ang))
			l.sin = append(l.sin, math.Sin(ang))
			l.length = append(l.length, length*(1+ls.jitter*r.normal()))
			l.halfw = append(l.halfw, l.width*(1+ls.jitter*r.normal()))
			l.tint = append(l.tint, 1+0.05*r.normal())
		}
		for _, v := range l.length {
			l.reach = math.Max(l.reach, v)
		}
		f.radius = math.Max(f.radius, l.reach)
		f.layers = append(f.layers, l)
	}
	f.radius = math.Max(f.radius, f.diskR*math.Max(1, f.disk.ringR))
	return f
}

// ---- leaves and stems ----

// leaf is a pointed green leaf.
type leaf struct {
	x0, y0, cos, sin, length, width float64
	colour, rib                     rgb
	fold                            float64 // one half darker than the other
	bb                              image.Rectangle
}

func newLeaf(r rng, x0, y0, angle, length float64, green rgb) *leaf {
	l := &leaf{x0: x0, y0: y0, cos: math.Cos(angle), sin: math.Sin(angle), length: length,
		width: length * r.between(0.14, 0.3), colour: green, rib: mix(green, rgb{0.9, 1, 0.7}, 0.35),
		fold: r.between(0.1, 0.35)}
	x1, y1 := x0+l.cos*length, y0+l.sin*length
	w := l.width + 1
	l.bb = image.Rect(int(math.Floor(math.Min(x0, x1)-w)), int(math.Floor(math.Min(y0, y1)-w)),
		int(math.Ceil(math.Max(x0, x1)+w)), int(math.Ceil(math.Max(y0, y1)+w)))
	return l
}

func (l *leaf) box() image.Rectangle { return l.bb }

func (l *leaf) sample(x, y float64) (rgb, int, bool) {
	dx, dy := x-l.x0, y-l.y0
	t := (dx*l.cos + dy*l.sin) / l.length
	if t <= 0 || t >= 1 {
		return rgb{}, 0, false
	}
	v := -dx*l.sin + dy*l.cos
	hw := l.width * math.Sin(math.Pi*math.Sqrt(t)*0.9+0.05) * (1 - t*0.2)
	if math.Abs(v) >= hw {
		return rgb{}, 0, false
	}
	vn := v / hw
	if math.Abs(vn) < 0.08 && t < 0.9 {
		return l.rib, 1, true
	}
	k := 1 - l.fold*float64(sign(vn)) - 0.2*vn*vn + 0.1*(t-0.5)
	return l.colour.scale(k), 0, true
}

func sign(x float64) int {
	if x < 0 {
		return -1
	}
	return 1
}

// stem goes from a flower down past the bottom edge, bending.
type stem struct {
	x0, y0, lean, bend, width float64
	colour                    rgb
}

func (s *stem) box() image.Rectangle {
	xa := s.x0 + s.lean*(size-s.y0)
	xb := xa + s.bend*sq((size-s.y0)/size)*size
	lo := math.Min(s.x0, math.Min(xa, xb)) - s.width - 2
	hi := math.Max(s.x0, math.Max(xa, xb)) + s.width + 2
	return image.Rect(int(math.Floor(lo)), int(math.Floor(s.y0)), int(math.Ceil(hi)), size)
}

func (s *stem) sample(x, y float64) (rgb, int, bool) {
	d := y - s.y0
	if d < 0 {
		return rgb{}, 0, false
	}
	xc := s.x0 + s.lean*d + s.bend*sq(d/size)*size
	u := (x - xc) / s.width
	if math.Abs(u) >= 1 {
		return rgb{}, 0, false
	}
	return s.colour.scale(1.1 - 0.35*u*u - 0.15*u), 0, true
}

// tulip is a cup-shaped flower seen from the side: a bowl whose rim has
// three petal tips, the front petal's edges showing.
type tulip struct {
	x0, y0, cos, sin float64 // the bottom of the cup and its axis, upwards
	h, w, dip        float64 // height, largest half-width, depth of the rim's dips
	base, body, tip  rgb
	light            float64
	bb               image.Rectangle
}

func newTulip(r rng, x0, y0, h float64, c rgb) *tulip {
	a := -math.Pi/2 + r.normal()*0.15
	t := &tulip{x0: x0, y0: y0, cos: math.Cos(a), sin: math.Sin(a), h: h, w: h * r.between(0.32, 0.45),
		dip: r.between(0.08, 0.2), body: c, base: mix(c, hsv(r.between(70, 110), 0.6, 0.5), r.between(0.1, 0.5)),
		tip: c, light: r.between(-0.25, 0.25)}
	if r.chance(0.3) { // tips of another colour
		t.tip = mix(c, petalColour(r, family(r, 0, 0, 3, 2, 0, 1, 0, 0)), r.between(0.5, 1))
	}
	e := h + t.w + 1
	t.bb = image.Rect(int(x0-e), int(y0-e), int(x0+e)+1, int(y0+e)+1)
	return t
}

func (c *tulip) box() image.Rectangle { return c.bb }

func (c *tulip) sample(x, y float64) (rgb, int, bool) {
	dx, dy := x-c.x0, y-c.y0
	t := (dx*c.cos + dy*c.sin) / c.h
	if t <= 0 || t >= 1 {
		return rgb{}, 0, false
	}
	v := -dx*c.sin + dy*c.cos
	hw := c.w * math.Sqrt(clamp01(1-sq((t-0.6)/0.62)))
	if math.Abs(v) >= hw {
		return rgb{}, 0, false
	}
	vn := v / hw
	top := 1 - c.dip*math.Abs(math.Sin(math.Pi*vn))
	if t >= top {
		return rgb{}, 0, false
	}
	col := mix(c.base, c.body, smoothstep(0, 0.45, t))
	col = mix(col, c.tip, smoothstep(top-0.3, top, t))
	k := 1 - 0.35*vn*vn + c.light*vn
	part := 0
	if e := math.Abs(math.Abs(vn) - 0.5); e < 0.06 && t > 0.12 { // the front petal's edges
		k *= 0.8
		part = 1
	}
	return col.scale(k), part, true
}

// tulips returns a scene of one to five tulips with their stems and
// leaves, front to back.
func tulips(r rng) []object {
	c := petalColour(r, family(r, 5, 3, 2.5, 1.5, 1.5, 2, 0, 1.5))
	n := r.pick(40, 20, 15, 15, 10) + 1
	var cups []*tulip
	for i := 0; i < n; i++ {
		h := r.between(16, 30) / math.Sqrt(float64(n))
		if i == 0 && n == 1 && r.chance(0.4) {
			h = r.between(28, 40) // close-up
		}
		cc := c
		if r.chance(0.25) {
			cc = petalColour(r, family(r, 5, 3, 2.5, 1.5, 1.5, 2, 0, 1.5))
		}
		cc = cc.scale(1 + 0.08*r.normal())
		cups = append(cups, newTulip(r, r.between(10, 54), r.between(h*0.8+4, 64), h, cc))
	}
	for i := 1; i < len(cups); i++ { // larger ones are nearer
		for j := i; j > 0 && cups[j].h > cups[j-1].h; j-- {
			cups[j], cups[j-1] = cups[j-1], cups[j]
		}
	}
	var objs []object
	for _, t := range cups {
		objs = append(objs, t)
	}
	green := leafGreen(r)
	for range r.ints(0, 3) {
		a := -math.Pi/2 + r.between(0.15, 0.7)*float64(2*r.intn(2)-1)
		objs = append(objs, newLeaf(r, r.between(5, 59), r.between(60, 75), a, r.between(25, 50), mix(green, leafGreen(r), 0.3)))
	}
	for _, t := range cups {
		objs = append(objs, &stem{x0: t.x0, y0: t.y0 - 1, lean: r.between(-0.15, 0.15), bend: r.between(-0.15, 0.15),
			width: math.Max(0.6, t.h*r.between(0.04, 0.07)), colour: green.scale(r.between(0.9, 1.2))})
	}
	return objs
}

// ---- composition ----

func leafGreen(r rng) rgb {
	return hsv(r.between(75, 135), r.between(0.45, 0.85), r.between(0.25, 0.6))
}

// composition places the flowers, leaves and stems, front to back.
func composition(r rng) []object {
	if r.chance(0.13) {
		return tulips(r)
	}
	sp := newSpecies(r)
	var objs []object
	var main *flower
	var L float64
	var cx, cy float64
	mode := r.pick(28, 50, 12, 10) // close-up, single, small, meadow
	switch mode {
	case 0:
		L = r.between(28, 44)
		cx, cy = 32+r.normal()*7, 32+r.normal()*7
	case 1, 2:
		L = r.between(15, 28)
		if mode == 2 {
			L = r.between(9, 15)
		}
		if r.chance(0.75) {
			cx, cy = 32+r.normal()*5, 32+r.normal()*5
		} else {
			cx, cy = r.between(12, 52), r.between(12, 52)
		}
	default:
		L = r.between(7, 12)
		cx, cy = r.between(10, 54), r.between(10, 54)
	}
	main = newFlower(r, &sp, cx, cy, L)
	objs = append(objs, main)

	// More flowers, behind: one smaller one, or a meadow of them.
	var others []*flower
	extra := 0
	switch {
	case mode == 3:
		extra = r.ints(3, 7)
	case r.chance(0.3):
		extra = 1
		if mode == 2 && r.chance(0.5) {
			extra = r.ints(2, 3)
		}
	}
	for i := 0; i < extra; i++ {
		s := &sp
		if r.chance(0.2) {
			o := newSpecies(r)
			s = &o
		}
		l2 := L * r.between(0.45, 0.8)
		// Away from the main flower's centre, but it may touch it.
		var x, y float64
		for try := 0; try < 8; try++ {
			x, y = r.between(-4, 68), r.between(-4, 68)
			if math.Hypot(x-cx, y-cy) > 0.8*(L+l2) {
				break
			}
		}
		others = append(others, newFlower(r, s, x, y, l2))
	}
	// Larger ones are nearer.
	for i := 1; i < len(others); i++ {
		for j := i; j > 0 && others[j].radius > others[j-1].radius; j-- {
			others[j], others[j-1] = others[j-1], others[j]
		}
	}
	for _, f := range others {
		objs = append(objs, f)
	}

	// Leaves behind the main flower, and a stem.
	green := leafGreen(r)
	if r.chance(0.35) {
		for range r.ints(1, 3) {
			a := r.between(0, 2*math.Pi)
			objs = append(objs, newLeaf(r, cx+math.Cos(a)*L*0.2, cy+math.Sin(a)*L*0.2, a, L*r.between(0.9, 1.5), mix(green, leafGreen(r), 0.3)))
		}
	}
	if mode != 0 && r.chance(0.45) {
		st := &stem{x0: cx, y0: cy, lean: r.between(-0.3, 0.3), bend: r.between(-0.3, 0.3),
			width: r.between(0.6, 1.4) * math.Max(1, L/14), colour: green.scale(r.between(0.9, 1.2))}
		objs = append(objs, st)
		if r.chance(0.5) {
			for range r.ints(1, 2) {
				y := cy + r.between(0.5, 1)*(size-cy)
				x := cx + st.lean*(y-cy) + st.bend*sq((y-cy)/size)*size
				a := -math.Pi/2 + r.between(0.4, 1.3)*float64(2*r.intn(2)-1)
				objs = append(objs, newLeaf(r, x, y, a, L*r.between(0.6, 1.1), green))
			}
		}
	}
	for _, f := range others { // stems of the others, behind everything
		if r.chance(0.3) {
			objs = append(objs, &stem{x0: f.cx, y0: f.cy, lean: r.between(-0.2, 0.2), bend: r.between(-0.2, 0.2),
				width: r.between(0.5, 1), colour: green})
		}
	}
	return objs
}

// ---- background ----

// background returns the blurred backdrop, one colour a pixel.
func background(r rng) *[size * size]rgb {
	bg := new([size * size]rgb)
	nz := noise(r.p.Uint64())
	nz2 := noise(r.p.Uint64())
	kind := r.pick(38, 12, 12, 14, 12, 10) // leaves, grass, soil, sky, dark, wall
	scale := r.between(10, 24)
	switch kind {
	case 0, 1: // leaves, grass: greens with light and dark patches
		dark := hsv(r.between(70, 150), r.between(0.5, 0.9), r.between(0.05, 0.25))
		light := hsv(r.between(65, 130), r.between(0.4, 0.85), r.between(0.35, 0.75))
		sun := hsv(r.between(50, 80), r.between(0.3, 0.7), r.between(0.75, 1))
		sunAmt := r.between(0, 0.6)
		sx, sy := scale, scale
		lo, hi := 0.25, 0.75
		if kind == 1 { // grass: long, soft vertical streaks
			sx, sy = r.between(4, 8), r.between(25, 50)
			lo, hi = 0.15, 0.85
			sunAmt *= 0.5
		}
		fill(bg, true, func(x, y float64) rgb {
			n := nz.fbm(x/sx, y/sy, 3)
			c := mix(dark, light, smoothstep(lo, hi, n))
			h := nz2.fbm(x/scale, y/scale, 2)
			return mix(c, sun, sunAmt*smoothstep(0.55, 0.8, h))
		})
		// Blurred lights and far flowers.
		for range r.ints(0, 6) {
			var c rgb
			if r.chance(0.5) {
				c = petalColour(r, r.intn(8))
			} else {
				c = mix(light, rgb{1, 1, 0.9}, r.float())
			}
			blob(bg, r.between(0, size), r.between(0, size), r.between(2, 9), c, r.between(0.2, 0.7))
		}
	case 2: // soil, with fine grain
		c := hsv(r.between(15, 40), r.between(0.3, 0.65), r.between(0.15, 0.45))
		fill(bg, false, func(x, y float64) rgb {
			n := nz.fbm(x/scale, y/scale, 2)
			grain := nz2.at(x/1.5, y/1.5)
			return c.scale((0.6 + 0.8*n) * (0.8 + 0.4*grain))
		})
		for range r.ints(0, 3) { // moss, pebbles
			blob(bg, r.between(0, size), r.between(0, size), r.between(3, 10), leafGreen(r), r.between(0.3, 0.8))
		}
	case 3: // sky, sometimes with a horizon
		top := hsv(r.between(195, 225), r.between(0.4, 0.85), r.between(0.65, 0.95))
		low := mix(top, rgb{0.95, 0.97, 1}, r.between(0.4, 0.9))
		cloud := r.between(0, 0.8)
		horizon := 2.0
		if r.chance(0.45) {
			horizon = r.between(0.5, 0.95)
		}
		ground := leafGreen(r).scale(r.between(0.5, 1))
		fill(bg, true, func(x, y float64) rgb {
			fy := y / size
			c := mix(top, low, fy)
			n := nz.fbm(x/scale, y/(scale*0.6), 3)
			c = mix(c, rgb{1, 1, 1}, cloud*smoothstep(0.5, 0.75, n))
			g := smoothstep(horizon-0.06, horizon+0.06, fy+0.1*(nz2.at(x/12, 0)-0.5))
			return mix(c, ground.scale(0.7+0.6*n), g)
		})
	case 4: // dark
		c := hsv(r.between(0, 360), r.between(0, 0.6), r.between(0.02, 0.12))
		if r.chance(0.5) {
			c = hsv(r.between(80, 150), r.between(0.4, 0.8), r.between(0.03, 0.15))
		}
		fill(bg, true, func(x, y float64) rgb {
			return c.scale(0.5 + nz.fbm(x/scale, y/scale, 2))
		})
	default: // a wall, a table, a vase: a neutral smooth gradient
		a := hsv(r.between(0, 60), r.between(0, 0.35), r.between(0.35, 0.95))
		b := a.scale(r.between(0.5, 1.1))
		ang := r.between(0, 2*math.Pi)
		gx, gy := math.Cos(ang)/size, math.Sin(ang)/size
		fill(bg, true, func(x, y float64) rgb {
			t := clamp01(0.5 + (x-32)*gx + (y-32)*gy)
			return mix(a, b, t).scale(0.9 + 0.2*nz.fbm(x/scale, y/scale, 2))
		})
	}
	return bg
}

// fill sets every pixel of bg to f at its centre or, if half, evaluates f
// on a grid of half the resolution and interpolates (for smooth fields).
func fill(bg *[size * size]rgb, half bool, f func(x, y float64) rgb) {
	if !half {
		for y := 0; y < size; y++ {
			for x := 0; x < size; x++ {
				bg[y*size+x] = f(float64(x)+0.5, float64(y)+0.5)
			}
		}
		return
	}
	const h = size/2 + 1
	var g [h * h]rgb // at pixel corners 0, 2, 4, …, 64
	for j := 0; j < h; j++ {
		for i := 0; i < h; i++ {
			g[j*h+i] = f(float64(2*i), float64(2*j))
		}
	}
	for y := 0; y < size; y++ {
		j, ty := y/2, (float64(y%2)+0.5)/2
		for x := 0; x < size; x++ {
			i, tx := x/2, (float64(x%2)+0.5)/2
			top := mix(g[j*h+i], g[j*h+i+1], tx)
			bot := mix(g[(j+1)*h+i], g[(j+1)*h+i+1], tx)
			bg[y*size+x] = mix(top, bot, ty)
		}
	}
}

// blob blends a soft round spot of colour c into bg.
func blob(bg *[size * size]rgb, cx, cy, rad float64, c rgb, alpha float64) {
	for y := max(0, int(cy-rad)); y < min(size, int(cy+rad)+1); y++ {
		for x := max(0, int(cx-rad)); x < min(size, int(cx+rad)+1); x++ {
			d := math.Hypot(float64(x)+0.5-cx, float64(y)+0.5-cy) / rad
			if d < 1 {
				bg[y*size+x] = mix(bg[y*size+x], c, alpha*smoothstep(1, 0.6, d))
			}
		}
	}
}

// ---- the camera ----

// finish applies a little blur, white balance, saturation, exposure,
// vignetting, contrast and noise, and quantises.
func finish(r rng, pix *[size * size]rgb) *image.RGBA {
	gain := math.Exp(r.normal() * 0.1)
	wbR, wbB := 1+r.normal()*0.03, 1+r.normal()*0.03
	contrast := r.between(0.9, 1.15)
	sat := r.between(0.85, 1.2)
	vignette := r.between(0, 0.35)
	blur := r.between(0, 0.6)
	sigma := r.between(0.5, 2.5) / 255

	// A 3×3 binomial blur (1 2 1 each way), mixed in by blur.
	var h [size * size]rgb
	for y := 0; y < size; y++ {
		row := pix[y*size : (y+1)*size]
		for x := range row {
			l, c, rr := row[max(x-1, 0)], row[x], row[min(x+1, size-1)]
			h[y*size+x] = l.add(c.scale(2)).add(rr).scale(0.25)
		}
	}
	img := image.NewRGBA(image.Rect(0, 0, size, size))
	channel := func(v, lum, k float64) uint8 {
		v = lum + (v-lum)*sat
		v = (v*k-0.5)*contrast + 0.5 + sigma*r.tri()
		return uint8(clamp01(v)*255 + 0.5)
	}
	for y := 0; y < size; y++ {
		up, down := max(y-1, 0), min(y+1, size-1)
		for x := 0; x < size; x++ {
			soft := h[up*size+x].add(h[y*size+x].scale(2)).add(h[down*size+x]).scale(0.25)
			c := mix(pix[y*size+x], soft, blur)
			d2 := (sq(float64(x)-31.5) + sq(float64(y)-31.5)) / (2 * 32 * 32)
			k := gain * (1 - vignette*d2)
			lum := 0.299*c.r + 0.587*c.g + 0.114*c.b
			p := img.Pix[y*img.Stride+4*x : y*img.Stride+4*x+4]
			p[0] = channel(c.r*wbR, lum, k)
			p[1] = channel(c.g, lum, k)
			p[2] = channel(c.b*wbB, lum, k)
			p[3] = 255
		}
	}
	return img
}
