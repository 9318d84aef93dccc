package ui

import (
	"image"
	"image/color"
	"math"
	"strconv"
)

// axis is a value range with its tick positions.
type axis struct {
	lo, hi float64
	step   float64
	ticks  []float64
}

// niceStep returns a "nice" step (1, 2 or 5 × 10^k) close to span/target.
func niceStep(span float64, target int) float64 {
	if target < 1 {
		target = 1
	}
	raw := span / float64(target)
	if !(raw > 0) || math.IsInf(raw, 0) {
		return 1
	}
	mag := math.Pow(10, math.Floor(math.Log10(raw)))
	f := raw / mag
	switch {
	case f < 1.5:
		return mag
	case f < 3.5:
		return 2 * mag
	case f < 7.5:
		return 5 * mag
	}
	return 10 * mag
}

// valueAxis makes a y axis covering [lo, hi] with a little headroom, its ends
// rounded out to multiples of a nice step.
func valueAxis(lo, hi float64, target int) axis {
	if !(hi >= lo) || math.IsInf(lo, 0) || math.IsInf(hi, 0) {
		lo, hi = 0, 1
	}
	if hi == lo {
		d := math.Abs(lo) * 0.1
		if d == 0 {
			d = 1
		}
		lo, hi = lo-d, hi+d
	}
	pad := (hi - lo) * 0.04
	lo, hi = lo-pad, hi+pad
	step := niceStep(hi-lo, target)
	a := axis{lo: math.Floor(lo/step) * step, hi: math.Ceil(hi/step) * step, step: step}
	for i := 0; ; i++ {
		v := a.lo + float64(i)*step
		if v > a.hi+step*1e-9 {
			break
		}
		a.ticks = append(a.ticks, v)
	}
	return a
}

// iterAxis makes the x axis [0, n] (generator iterations) with integer ticks.
func iterAxis(n float64, target int) axis {
	if !(n >= 1) || math.IsInf(n, 0) {
		n = 1
	}
	step := math.Max(1, niceStep(n, target))
	step = math.Round(step)
	a := axis{lo: 0, hi: n, step: step}
	for v := 0.0; v <= n+1e-9; v += step {
		a.ticks = append(a.ticks, v)
	}
	return a
}

// formatTick formats a tick value with as many decimals as the step needs.
func formatTick(v, step float64) string {
	if math.Abs(v) < step*1e-6 {
		v = 0
	}
	av := math.Abs(v)
	if av >= 1e6 || (av > 0 && av < 1e-4) {
		return strconv.FormatFloat(v, 'g', 3, 64)
	}
	dec := 0
	if step < 1 {
		dec = int(math.Ceil(-math.Log10(step) - 1e-9))
	}
	return strconv.FormatFloat(v, 'f', dec, 64)
}

// formatIter formats an iteration tick ("2000", or "120k" for big values).
func formatIter(v float64) string {
	if v >= 100000 && math.Mod(v, 1000) == 0 {
		return strconv.FormatFloat(v/1000, 'f', 0, 64) + "k"
	}
	return strconv.FormatFloat(v, 'f', 0, 64)
}

// plotBox maps data coordinates into a rectangle of the image.
type plotBox struct {
	r    image.Rectangle
	x, y axis
}

func (p plotBox) px(x float64) float64 {
	return float64(p.r.Min.X) + 0.5 + (x-p.x.lo)/(p.x.hi-p.x.lo)*float64(p.r.Dx()-1)
}

func (p plotBox) py(y float64) float64 {
	return float64(p.r.Max.Y) - 0.5 - (y-p.y.lo)/(p.y.hi-p.y.lo)*float64(p.r.Dy()-1)
}

// drawBackground draws the panel, grid lines, the zero line and the frame,
// and the y tick labels to the left of the box (right-aligned at labelRight).
func (p plotBox) drawBackground(dst *image.RGBA, small textFace, labelRight int) {
	fillRect(dst, p.r, colPanel)
	for _, t := range p.y.ticks {
		y := int(math.Floor(p.py(t)))
		c := colGridLine
		if t == 0 {
			c = colZeroLine
		}
		hline(dst, p.r.Min.X, p.r.Max.X, y, c)
		s := formatTick(t, p.y.step)
		base := y + (small.ascent-small.descent)/2
		if base-small.ascent < p.r.Min.Y-small.height || base > p.r.Max.Y+small.height {
			continue
		}
		small.draw(dst, s, labelRight-small.width(s), base, colMuted)
	}
	for _, t := range p.x.ticks {
		x := int(math.Floor(p.px(t)))
		vline(dst, x, p.r.Min.Y, p.r.Max.Y, colGridLine)
	}
	strokeRect(dst, p.r.Inset(-1), colAxis)
}

// drawXLabels draws the x tick labels below the box, skipping any that would
// overlap their neighbour or stick out of [minX, maxX).
func (p plotBox) drawXLabels(dst *image.RGBA, small textFace, top, minX, maxX int) {
	lastRight := math.MinInt
	gap := small.width("0")
	for _, t := range p.x.ticks {
		s := formatIter(t)
		w := small.width(s)
		x := int(math.Floor(p.px(t))) - w/2
		// Shift the end labels inwards rather than lose them.
		x = max(minX, min(x, maxX-w))
		if x < lastRight+gap {
			continue
		}
		vline(dst, int(math.Floor(p.px(t))), p.r.Max.Y, p.r.Max.Y+max(2, small.height/5), colAxis)
		small.draw(dst, s, x, top+small.ascent, colMuted)
		lastRight = x + w
	}
}

// strokeSeries draws y over x into the mask. Series denser than the box's
// pixel columns are drawn as a per-column min/max envelope (connected in
// order), so 10,000 points cost about as much as a few hundred. Non-finite
// values break the line.
func (p plotBox) strokeSeries(m *coverage, n int, xat func(int) float64, yat func(int) float64, hw float64) {
	dense := n > p.r.Dx()
	path := make([]fpt, 0, min(n, 4*p.r.Dx()+4))
	flush := func() {
		m.polyline(path, hw)
		path = path[:0]
	}
	col := math.MinInt
	var first, last, lo, hi float64
	emit := func() {
		if col == math.MinInt {
			return
		}
		x := float64(col) + 0.5
		for _, y := range [...]float64{first, lo, hi, last} {
			if len(path) > 0 && path[len(path)-1].x == x && path[len(path)-1].y == y {
				continue
			}
			path = append(path, fpt{x, y})
		}
		col = math.MinInt
	}
	for i := 0; i < n; i++ {
		xv, yv := xat(i), yat(i)
		if math.IsNaN(yv) || math.IsInf(yv, 0) || math.IsNaN(xv) || math.IsInf(xv, 0) {
			emit()
			flush()
			continue
		}
		fx, fy := p.px(xv), p.py(yv)
		if !dense {
			path = append(path, fpt{fx, fy})
			continue
		}
		c := int(math.Floor(fx))
		if c != col {
			emit()
			col, first, last, lo, hi = c, fy, fy, fy, fy
			continue
		}
		last = fy
		lo = math.Min(lo, fy)
		hi = math.Max(hi, fy)
	}
	emit()
	flush()
}

// dashedH draws a dashed horizontal line at data value y across the box.
func (p plotBox) dashedH(m *coverage, y, hw, dash, gapLen float64) {
	fy := p.py(y)
	x0, x1 := float64(p.r.Min.X)+0.5, float64(p.r.Max.X)-0.5
	for x := x0; x < x1; x += dash + gapLen {
		m.segment(x, fy, math.Min(x+dash, x1), fy, hw)
	}
}

// finiteRange returns the min and max of the finite values; ok is false if
// there are none.
func finiteRange(lo, hi float64, ok bool, vs ...float64) (float64, float64, bool) {
	for _, v := range vs {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			continue
		}
		if !ok {
			lo, hi, ok = v, v, true
			continue
		}
		lo = math.Min(lo, v)
		hi = math.Max(hi, v)
	}
	return lo, hi, ok
}

// legendItem is one entry of a legend row.
type legendItem struct {
	label  string
	c      color.RGBA
	dashed bool
}
