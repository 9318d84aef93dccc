package ui

import (
	"image"
	"image/color"
	"math"
)

// Chart is a line chart of a few series over one x axis that starts at 0:
// the quality benchmark's SWD against minutes of training, ours beside
// PyTorch's.
type Chart struct {
	Title          string
	XLabel, YLabel string
	Series         []Series
	Floor          float64 // a dashed horizontal reference line when > 0
	FloorLabel     string
}

// Series is one curve of a Chart.
type Series struct {
	Label  string
	Color  color.RGBA
	Points []Point
}

// SeriesColors are distinct colours for a chart's curves, in order.
var SeriesColors = []color.RGBA{ColorSWD, ColorLossGP, ColorLossUnreg, {230, 110, 200, 255}, {240, 220, 90, 255}, {150, 150, 255, 255}}

// RenderChart draws c at w×h in the view's theme: the title, a legend row,
// the plot with its axes and the axis labels.
func RenderChart(c Chart, w, h int) *image.RGBA {
	dst, ok := canvas(w, h)
	if !ok {
		return dst
	}
	mt := newMetrics(w, h)
	r := dst.Rect.Inset(mt.margin)
	small := mt.small
	pad := px(6, mt.scale, 3)
	legendH := small.height + pad
	tickLen := max(2, small.height/5)
	mt.title.drawIn(dst, mt.title.truncate(c.Title, r.Dx()), r.Min.X, r.Max.X, r.Min.Y, mt.header, 0, colText)

	xmax, ylo, yhi, ok := 0.0, 0.0, 0.0, false
	for _, s := range c.Series {
		for _, p := range s.Points {
			if !math.IsNaN(p.X) && !math.IsInf(p.X, 0) {
				xmax = math.Max(xmax, p.X)
			}
			ylo, yhi, ok = finiteRange(ylo, yhi, ok, p.Y)
		}
	}
	if c.Floor > 0 {
		ylo, yhi, ok = finiteRange(ylo, yhi, ok, c.Floor)
	}
	if !ok {
		ylo, yhi = 0, 1
	}
	if xmax <= 0 {
		xmax = 1
	}
	top := r.Min.Y + mt.header + legendH
	bottom := r.Max.Y - (tickLen + small.height + pad/2) - (small.height + pad/2)
	if bottom-top < 4*small.height {
		return dst
	}
	yAx := valueAxis(ylo, yhi, max(2, int(float64(bottom-top)/(3.4*float64(small.height)))))
	gutter := small.height + pad // the rotated-free y label sits in the legend row's caption
	for _, t := range yAx.ticks {
		gutter = max(gutter, small.width(formatTick(t, yAx.step)))
	}
	gutter += pad + tickLen
	plotL, plotR := r.Min.X+gutter, r.Max.X-2
	if plotR-plotL < 4*small.height {
		return dst
	}
	xTarget := max(2, (plotR-plotL)/(small.width(formatIter(xmax))+3*small.width("0")))
	box := plotBox{r: image.Rect(plotL, top+1, plotR, bottom-1), x: iterAxis(xmax, min(xTarget, 10)), y: yAx}

	var items []legendItem
	for _, s := range c.Series {
		items = append(items, legendItem{label: s.Label, c: s.Color})
	}
	if c.Floor > 0 {
		items = append(items, legendItem{label: c.FloorLabel, c: colSWDFloor, dashed: true})
	}
	drawLegendRow(dst, mt, image.Rect(plotL, top-legendH, plotR, top), c.YLabel, items)
	box.drawBackground(dst, small, plotL-pad-tickLen)
	cov := newCoverage(box.r)
	if c.Floor > 0 {
		d := math.Max(3, 6*mt.scale)
		box.dashedH(cov, c.Floor, mt.lineHW*0.9, d, d*0.8)
		cov.composite(dst, colSWDFloor)
	}
	for _, s := range c.Series {
		pts := s.Points
		box.strokeSeries(cov, len(pts), func(i int) float64 { return pts[i].X }, func(i int) float64 { return pts[i].Y }, mt.lineHW*1.2)
		if len(pts) <= box.r.Dx()/8 {
			for _, p := range pts {
				x, y := box.px(p.X), box.py(p.Y)
				if !math.IsNaN(x+y) && !math.IsInf(x+y, 0) {
					cov.segment(x, y, x, y, mt.lineHW*2.4)
				}
			}
		}
		cov.composite(dst, s.Color)
	}
	box.drawXLabels(dst, small, box.r.Max.Y+1+tickLen, r.Min.X, r.Max.X)
	small.drawIn(dst, c.XLabel, plotL, plotR, box.r.Max.Y+1+tickLen+small.height+pad/2, small.height+pad/2, 0, colMuted)
	return dst
}
