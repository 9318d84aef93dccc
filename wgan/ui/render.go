package ui

import (
	"image"
	"math"

	xdraw "golang.org/x/image/draw"
)

// metrics holds the sizes that scale with the output resolution.
type metrics struct {
	scale              float64
	margin             int
	title, text, small textFace
	header             int     // height of the title row above the grid and the plot
	lineHW             float64 // half width of curve strokes
}

func px(v, scale float64, lo int) int {
	return max(lo, int(math.Round(v*scale)))
}

func newMetrics(w, h int) metrics {
	scale := math.Min(float64(w)/1280, float64(h)/720)
	scale = math.Max(0.25, math.Min(scale, 4))
	m := metrics{scale: scale, margin: px(8, scale, 4)}
	m.title = makeTextFace(true, math.Max(12, 19*scale))
	m.text = makeTextFace(false, math.Max(10.5, 15*scale))
	m.small = makeTextFace(false, math.Max(9.5, 13*scale))
	m.header = m.title.height + px(6, scale, 3)
	m.lineHW = math.Max(0.6, 0.85*scale)
	return m
}

// layout places the three parts of the view.
type layout struct {
	mt        metrics
	gridLabel image.Rectangle // the row above the grid
	gridArea  image.Rectangle // the square reserved for the grid
	grid      image.Rectangle // where the grid's pixels are drawn (within gridArea)
	curves    image.Rectangle // the plot column, including its title row
	status    image.Rectangle
}

func computeLayout(f *Frame, w, h int) layout {
	mt := newMetrics(w, h)
	L := layout{mt: mt}
	m := mt.margin
	statusH := mt.text.height + px(9, mt.scale, 5)
	L.status = image.Rect(0, h-statusH, w, h)
	content := image.Rect(m, m, w-m, h-statusH-m)
	if content.Empty() {
		return L
	}
	gap := 2 * m
	if w >= h {
		// Landscape: grid left, curves right.
		side := min(content.Dy()-mt.header, content.Dx()*53/100)
		side = max(side, 0)
		L.gridLabel = image.Rect(content.Min.X, content.Min.Y, content.Min.X+side, content.Min.Y+mt.header)
		L.gridArea = image.Rect(content.Min.X, L.gridLabel.Max.Y, content.Min.X+side, L.gridLabel.Max.Y+side)
		L.grid = fitGrid(f.Grid, L.gridArea)
		L.curves = image.Rect(L.gridArea.Min.X+L.grid.Dx()+gap, content.Min.Y, content.Max.X, content.Max.Y)
		if f.Grid == nil {
			L.curves.Min.X = L.gridArea.Max.X + gap
		}
	} else {
		// Portrait (e.g. a phone browser): grid on top, curves below.
		side := min(content.Dx(), (content.Dy()-2*mt.header)/2)
		side = max(side, 0)
		x0 := content.Min.X + (content.Dx()-side)/2
		L.gridLabel = image.Rect(x0, content.Min.Y, x0+side, content.Min.Y+mt.header)
		L.gridArea = image.Rect(x0, L.gridLabel.Max.Y, x0+side, L.gridLabel.Max.Y+side)
		L.grid = fitGrid(f.Grid, L.gridArea)
		L.curves = image.Rect(content.Min.X, L.gridArea.Min.Y+max(L.grid.Dy(), 0)+m, content.Max.X, content.Max.Y)
		if f.Grid == nil {
			L.curves.Min.Y = L.gridArea.Max.Y + m
		}
	}
	return L
}

// fitGrid returns where a grid image is drawn inside the square area: at an
// integer scale (crisp nearest-neighbour pixels) when that fills at least 80%
// of the area, otherwise scaled smoothly to fill it; aspect ratio is kept.
// The result is anchored at the area's top-left corner.
func fitGrid(g image.Image, area image.Rectangle) image.Rectangle {
	if g == nil || area.Empty() || g.Bounds().Empty() {
		return image.Rectangle{Min: area.Min, Max: area.Min}
	}
	sw, sh := g.Bounds().Dx(), g.Bounds().Dy()
	side := area.Dx()
	big := max(sw, sh)
	var s float64
	if k := side / big; k >= 1 && float64(k*big) >= 0.8*float64(side) {
		s = float64(k)
	} else {
		s = float64(side) / float64(big)
	}
	dw := max(1, int(math.Round(float64(sw)*s)))
	dh := max(1, int(math.Round(float64(sh)*s)))
	return image.Rect(area.Min.X, area.Min.Y, area.Min.X+min(dw, side), area.Min.Y+min(dh, area.Dy()))
}

// isIntegerScale reports whether dst is an exact integer multiple of src.
func isIntegerScale(src, dst image.Rectangle) bool {
	return src.Dx() > 0 && src.Dy() > 0 && dst.Dx()%src.Dx() == 0 && dst.Dy()%src.Dy() == 0 &&
		dst.Dx()/src.Dx() == dst.Dy()/src.Dy()
}

// Render draws the frame at w×h: the image grid on the left (square, crisp),
// the loss curves on the right with the Title above them, the Status line at
// the bottom. For portrait sizes the grid goes above the curves.
func Render(f Frame, w, h int) *image.RGBA {
	dst, ok := canvas(w, h)
	if !ok {
		return dst
	}
	L := computeLayout(&f, w, h)
	drawGridPanel(dst, &f, &L)
	if !L.curves.Empty() {
		drawCurves(dst, &f, L.curves, L.mt)
	}
	drawStatus(dst, &f, &L)
	return dst
}

// RenderCurves draws only the loss plot (title, legend, curves, and the SWD
// panel when present) at w×h, for the headless mode's curves PNG.
func RenderCurves(f Frame, w, h int) *image.RGBA {
	dst, ok := canvas(w, h)
	if !ok {
		return dst
	}
	mt := newMetrics(w, h)
	r := dst.Rect.Inset(mt.margin)
	if !r.Empty() {
		drawCurves(dst, &f, r, mt)
	}
	return dst
}

// canvas is a w×h image in the background colour; ok is false when it
// has no pixels.
func canvas(w, h int) (dst *image.RGBA, ok bool) {
	dst = image.NewRGBA(image.Rect(0, 0, max(w, 0), max(h, 0)))
	if w <= 0 || h <= 0 {
		return dst, false
	}
	fillRect(dst, dst.Rect, colBackground)
	return dst, true
}

func drawGridPanel(dst *image.RGBA, f *Frame, L *layout) {
	mt := L.mt
	if !L.gridLabel.Empty() {
		label := mt.text.truncate(f.GridLabel, L.gridLabel.Dx())
		mt.text.drawIn(dst, label, L.gridLabel.Min.X, L.gridLabel.Max.X, L.gridLabel.Min.Y, L.gridLabel.Dy(), -1, colText)
	}
	if L.gridArea.Empty() {
		return
	}
	if f.Grid == nil || L.grid.Empty() {
		fillRect(dst, L.gridArea, colPanel)
		strokeRect(dst, L.gridArea.Inset(-1), colGridLine)
		msg := mt.small.truncate("Waiting for the first images…", L.gridArea.Dx()-2*mt.margin)
		mt.small.drawIn(dst, msg, L.gridArea.Min.X, L.gridArea.Max.X, L.gridArea.Min.Y, L.gridArea.Dy(), 0, colMuted)
		return
	}
	src := f.Grid.Bounds()
	var sc xdraw.Scaler = xdraw.CatmullRom
	if isIntegerScale(src, L.grid) {
		sc = xdraw.NearestNeighbor
	}
	sc.Scale(dst, L.grid, f.Grid, src, xdraw.Src, nil)
	strokeRect(dst, L.grid.Inset(-1), colGridLine)
}

func drawStatus(dst *image.RGBA, f *Frame, L *layout) {
	mt := L.mt
	r := L.status
	if r.Empty() {
		return
	}
	fillRect(dst, r, colStatusBG)
	hline(dst, r.Min.X, r.Max.X, r.Min.Y, colStatusRule)
	x0, x1 := r.Min.X+mt.margin, r.Max.X-mt.margin
	hint := f.Hint
	hw := mt.text.width(hint)
	sw := mt.text.width(f.Status)
	if hint != "" && sw+hw+3*mt.margin > x1-x0 {
		hint, hw = "", 0 // the status is more important than the key help
	}
	if hint != "" {
		mt.text.drawIn(dst, hint, x0, x1, r.Min.Y+1, r.Dy()-1, 1, colMuted)
		x1 -= hw + 3*mt.margin
	}
	status := mt.text.truncate(f.Status, x1-x0)
	mt.text.drawIn(dst, status, x0, x1, r.Min.Y+1, r.Dy()-1, -1, colText)
}

// drawCurves draws the plot column into r: the Title row, a legend row, the
// loss plot, optionally the SWD panel, the x tick labels and the x-axis title.
func drawCurves(dst *image.RGBA, f *Frame, r image.Rectangle, mt metrics) {
	title := mt.title.truncate(f.Title, r.Dx())
	mt.title.drawIn(dst, title, r.Min.X, r.Max.X, r.Min.Y, mt.header, 0, colText)

	small := mt.small
	pad := px(6, mt.scale, 3)
	legendH := small.height + pad
	tickLen := max(2, small.height/5)
	xLabelsH := tickLen + small.height + pad/2
	xTitleH := small.height + pad/2
	if r.Dy() < 12*small.height {
		xTitleH = 0 // too small: keep the room for the data
	}

	n := max(len(f.LossD), len(f.LossDUnreg))
	xmax := float64(n)
	hasSWD := len(f.SWD) > 0
	for _, p := range f.SWD {
		if p.X > xmax && !math.IsInf(p.X, 0) {
			xmax = p.X
		}
	}
	empty := n == 0 && !hasSWD
	if xmax < 1 {
		xmax = 10
	}

	top := r.Min.Y + mt.header
	avail := r.Max.Y - top - xLabelsH - xTitleH - legendH
	if hasSWD {
		avail -= legendH + pad
	}
	if avail < 2*small.height {
		return
	}
	mainH, swdH := avail, 0
	if hasSWD {
		swdH = int(float64(avail) * 0.34)
		mainH = avail - swdH
	}

	// Axes: the tick counts depend on the heights, the gutter on the labels.
	yTarget := func(h int) int { return max(2, int(float64(h)/(3.4*float64(small.height)))) }
	lo, hi, ok := finiteRange(0, 0, false, f.LossD...)
	lo, hi, ok = finiteRange(lo, hi, ok, f.LossDUnreg...)
	if !ok {
		lo, hi = -1, 1
	}
	mainY := valueAxis(lo, hi, yTarget(mainH))
	var swdY axis
	if hasSWD {
		var slo, shi float64
		var sok bool
		for _, p := range f.SWD {
			slo, shi, sok = finiteRange(slo, shi, sok, p.Y)
		}
		if f.SWDFloor > 0 {
			slo, shi, sok = finiteRange(slo, shi, sok, f.SWDFloor)
		}
		if !sok {
			slo, shi = 0, 1
		}
		swdY = valueAxis(slo, shi, yTarget(swdH))
	}
	gutter := 0
	for _, t := range mainY.ticks {
		gutter = max(gutter, small.width(formatTick(t, mainY.step)))
	}
	for _, t := range swdY.ticks {
		gutter = max(gutter, small.width(formatTick(t, swdY.step)))
	}
	gutter += pad + tickLen
	plotL, plotR := r.Min.X+gutter, r.Max.X-2
	if plotR-plotL < 4*small.height {
		return
	}
	xTarget := max(2, (plotR-plotL)/(small.width(formatIter(xmax))+3*small.width("0")))
	xAx := iterAxis(xmax, min(xTarget, 10))

	// Main (loss) plot.
	y := top
	drawLegendRow(dst, mt, image.Rect(plotL, y, plotR, y+legendH), "Discriminator loss", []legendItem{
		{label: LegendGP, c: ColorLossGP},
		{label: LegendUnreg, c: ColorLossUnreg},
	})
	y += legendH
	mainBox := plotBox{r: image.Rect(plotL, y+1, plotR, y+mainH-1), x: xAx, y: mainY}
	mainBox.drawBackground(dst, small, plotL-pad-tickLen)
	cov := newCoverage(mainBox.r)
	xIter := func(i int) float64 { return float64(i + 1) }
	if len(f.LossDUnreg) > 0 {
		mainBox.strokeSeries(cov, len(f.LossDUnreg), xIter, func(i int) float64 { return f.LossDUnreg[i] }, mt.lineHW)
		cov.composite(dst, ColorLossUnreg)
	}
	if len(f.LossD) > 0 {
		mainBox.strokeSeries(cov, len(f.LossD), xIter, func(i int) float64 { return f.LossD[i] }, mt.lineHW)
		cov.composite(dst, ColorLossGP)
	}
	if empty {
		small.drawIn(dst, "Waiting for the first iteration…", mainBox.r.Min.X, mainBox.r.Max.X, mainBox.r.Min.Y, mainBox.r.Dy(), 0, colMuted)
	}
	bottom := mainBox

	if hasSWD {
		y = mainBox.r.Max.Y + 1 + pad
		items := []legendItem{{label: "sliced Wasserstein distance", c: ColorSWD}}
		if f.SWDFloor > 0 {
			items = append(items, legendItem{label: "real vs real", c: colSWDFloor, dashed: true})
		}
		caption := "Sample quality"
		if f.Diversity != "" {
			caption += " · " + f.Diversity
		}
		drawLegendRow(dst, mt, image.Rect(plotL, y, plotR, y+legendH), caption, items)
		y += legendH
		swdBox := plotBox{r: image.Rect(plotL, y+1, plotR, y+swdH-1), x: xAx, y: swdY}
		swdBox.drawBackground(dst, small, plotL-pad-tickLen)
		scov := newCoverage(swdBox.r)
		if f.SWDFloor > 0 {
			d := math.Max(3, 6*mt.scale)
			swdBox.dashedH(scov, f.SWDFloor, mt.lineHW*0.9, d, d*0.8)
			scov.composite(dst, colSWDFloor)
		}
		swd := f.SWD
		swdBox.strokeSeries(scov, len(swd), func(i int) float64 { return swd[i].X }, func(i int) float64 { return swd[i].Y }, mt.lineHW)
		if len(swd) <= swdBox.r.Dx()/8 {
			// Sparse samples: mark each one.
			for _, p := range swd {
				x, yy := swdBox.px(p.X), swdBox.py(p.Y)
				if !math.IsNaN(x+yy) && !math.IsInf(x+yy, 0) {
					scov.segment(x, yy, x, yy, mt.lineHW*2.4)
				}
			}
		}
		scov.composite(dst, ColorSWD)
		bottom = swdBox
	}

	bottom.drawXLabels(dst, small, bottom.r.Max.Y+1+tickLen, r.Min.X, r.Max.X)
	if xTitleH > 0 {
		ty := bottom.r.Max.Y + 1 + xLabelsH
		small.drawIn(dst, "Generator iteration", plotL, plotR, ty, xTitleH, 0, colMuted)
	}
}

// drawLegendRow draws a muted caption on the left of the row and the legend
// items (line swatch + label) right-aligned; the caption is dropped when the
// row is too narrow for both.
func drawLegendRow(dst *image.RGBA, mt metrics, row image.Rectangle, caption string, items []legendItem) {
	small := mt.small
	sw := px(22, mt.scale, 12)
	gap := px(6, mt.scale, 3)
	space := px(16, mt.scale, 8)
	total := 0
	for i, it := range items {
		if i > 0 {
			total += space
		}
		total += sw + gap + small.width(it.label)
	}
	if small.width(caption)+space+total <= row.Dx() {
		small.drawIn(dst, caption, row.Min.X, row.Max.X, row.Min.Y, row.Dy(), -1, colMuted)
	}
	x := row.Max.X - total
	if x < row.Min.X {
		x = row.Min.X
	}
	cy := float64(row.Min.Y) + float64(row.Dy())/2
	cov := newCoverage(row)
	for i, it := range items {
		if i > 0 {
			x += space
		}
		if it.dashed {
			d := float64(sw) / 4
			for k := 0; k < 2; k++ {
				x0 := float64(x) + float64(k)*2.2*d
				cov.segment(x0, cy, x0+1.4*d, cy, mt.lineHW*1.2)
			}
		} else {
			cov.segment(float64(x)+1, cy, float64(x+sw)-1, cy, mt.lineHW*1.3)
		}
		cov.composite(dst, it.c)
		x += sw + gap
		small.drawIn(dst, it.label, x, row.Max.X, row.Min.Y, row.Dy(), -1, colText)
		x += small.width(it.label)
	}
}
