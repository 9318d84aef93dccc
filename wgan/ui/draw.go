package ui

import (
	"image"
	"image/color"
	"math"
)

// fillRect fills r (clipped to dst) with an opaque colour.
func fillRect(dst *image.RGBA, r image.Rectangle, c color.RGBA) {
	r = r.Intersect(dst.Rect)
	if r.Empty() {
		return
	}
	w := r.Dx()
	row := dst.Pix[dst.PixOffset(r.Min.X, r.Min.Y):]
	for i := 0; i < w; i++ {
		row[4*i], row[4*i+1], row[4*i+2], row[4*i+3] = c.R, c.G, c.B, c.A
	}
	first := row[:4*w]
	for y := r.Min.Y + 1; y < r.Max.Y; y++ {
		copy(dst.Pix[dst.PixOffset(r.Min.X, y):], first)
	}
}

// hline and vline draw one-pixel lines; strokeRect draws a one-pixel outline.
func hline(dst *image.RGBA, x0, x1, y int, c color.RGBA) {
	fillRect(dst, image.Rect(x0, y, x1, y+1), c)
}

func vline(dst *image.RGBA, x, y0, y1 int, c color.RGBA) {
	fillRect(dst, image.Rect(x, y0, x+1, y1), c)
}

func strokeRect(dst *image.RGBA, r image.Rectangle, c color.RGBA) {
	hline(dst, r.Min.X, r.Max.X, r.Min.Y, c)
	hline(dst, r.Min.X, r.Max.X, r.Max.Y-1, c)
	vline(dst, r.Min.X, r.Min.Y, r.Max.Y, c)
	vline(dst, r.Max.X-1, r.Min.Y, r.Max.Y, c)
}

// coverage is an anti-aliased stroke mask over a rectangle. Strokes are
// accumulated with max(), so overlapping segments of one polyline do not
// darken the joints, and composited once with the stroke colour.
type coverage struct {
	r     image.Rectangle
	a     []float32
	dirty image.Rectangle // the part of r that segments have touched
}

func newCoverage(r image.Rectangle) *coverage {
	return &coverage{r: r, a: make([]float32, r.Dx()*r.Dy())}
}

// segment adds a round-capped segment of half width hw between (x0,y0) and
// (x1,y1), in pixel coordinates where pixel (i,j) covers [i,i+1)×[j,j+1).
func (m *coverage) segment(x0, y0, x1, y1, hw float64) {
	ext := hw + 1
	bx0 := int(math.Floor(math.Min(x0, x1) - ext))
	bx1 := int(math.Ceil(math.Max(x0, x1) + ext))
	by0 := int(math.Floor(math.Min(y0, y1) - ext))
	by1 := int(math.Ceil(math.Max(y0, y1) + ext))
	b := image.Rect(bx0, by0, bx1, by1).Intersect(m.r)
	if b.Empty() {
		return
	}
	m.dirty = m.dirty.Union(b)
	dx, dy := x1-x0, y1-y0
	l2 := dx*dx + dy*dy
	stride := m.r.Dx()
	lim := hw + 0.5
	for py := b.Min.Y; py < b.Max.Y; py++ {
		cy := float64(py) + 0.5
		base := (py-m.r.Min.Y)*stride - m.r.Min.X
		px0, px1 := b.Min.X, b.Max.X
		// For long, mostly vertical or diagonal segments only a narrow band
		// of each row is near the line: narrow the scan to it.
		if l2 > 0 && math.Abs(dy) > 1e-9 {
			t := (cy - y0) / dy
			xc := x0 + t*dx
			// Horizontal half-extent of the band at this row.
			half := lim * math.Sqrt(l2) / math.Abs(dy)
			if half < float64(b.Dx()) {
				if lo := int(math.Floor(xc - half - 1)); lo > px0 {
					px0 = lo
				}
				if hi := int(math.Ceil(xc + half + 1)); hi < px1 {
					px1 = hi
				}
			}
		}
		for px := px0; px < px1; px++ {
			cx := float64(px) + 0.5
			var ex, ey float64
			if l2 == 0 {
				ex, ey = cx-x0, cy-y0
			} else {
				t := ((cx-x0)*dx + (cy-y0)*dy) / l2
				if t < 0 {
					t = 0
				} else if t > 1 {
					t = 1
				}
				ex, ey = cx-(x0+t*dx), cy-(y0+t*dy)
			}
			d := math.Sqrt(ex*ex + ey*ey)
			cov := lim - d
			if cov <= 0 {
				continue
			}
			if cov > 1 {
				cov = 1
			}
			if f := float32(cov); f > m.a[base+px] {
				m.a[base+px] = f
			}
		}
	}
}

// composite blends colour c over dst through the mask, and clears the mask
// (only the touched part of the mask is visited).
func (m *coverage) composite(dst *image.RGBA, c color.RGBA) {
	r := m.dirty.Intersect(dst.Rect)
	m.dirty = image.Rectangle{}
	stride := m.r.Dx()
	cr, cg, cb := float32(c.R), float32(c.G), float32(c.B)
	for y := r.Min.Y; y < r.Max.Y; y++ {
		mrow := m.a[(y-m.r.Min.Y)*stride:]
		p := dst.Pix[dst.PixOffset(r.Min.X, y):]
		for x := r.Min.X; x < r.Max.X; x++ {
			i := x - m.r.Min.X
			a := mrow[i]
			if a == 0 {
				continue
			}
			mrow[i] = 0
			o := 4 * (x - r.Min.X)
			if a >= 1 {
				p[o], p[o+1], p[o+2], p[o+3] = c.R, c.G, c.B, 255
				continue
			}
			p[o] = uint8(float32(p[o]) + (cr-float32(p[o]))*a + 0.5)
			p[o+1] = uint8(float32(p[o+1]) + (cg-float32(p[o+1]))*a + 0.5)
			p[o+2] = uint8(float32(p[o+2]) + (cb-float32(p[o+2]))*a + 0.5)
			p[o+3] = 255
		}
	}
}

// polyline strokes the path through pts into the mask.
func (m *coverage) polyline(pts []fpt, hw float64) {
	switch len(pts) {
	case 0:
		return
	case 1:
		m.segment(pts[0].x, pts[0].y, pts[0].x, pts[0].y, hw)
		return
	}
	for i := 1; i < len(pts); i++ {
		m.segment(pts[i-1].x, pts[i-1].y, pts[i].x, pts[i].y, hw)
	}
}

type fpt struct{ x, y float64 }
