package ui_test

import (
	"image"
	"testing"

	"github.com/wgangp/wgangp/wgan/ui"
)

// TestRenderChart: each series is drawn in its colour where its values
// put it: a falling curve high on the left and low on the right, a flat
// one across; nothing is drawn in a colour no series has.
func TestRenderChart(t *testing.T) {
	var falling, flat []ui.Point
	for m := 0; m <= 30; m++ {
		falling = append(falling, ui.Point{X: float64(m), Y: 300 - 8*float64(m)})
		flat = append(flat, ui.Point{X: float64(m), Y: 150})
	}
	c := ui.Chart{Title: "SWD per minute", XLabel: "minutes", YLabel: "SWD", Floor: 20, FloorLabel: "real vs real",
		Series: []ui.Series{{Label: "ours", Color: ui.SeriesColors[0], Points: falling}, {Label: "PyTorch", Color: ui.SeriesColors[1], Points: flat}}}
	img := ui.RenderChart(c, 960, 540)
	w, h := img.Rect.Dx(), img.Rect.Dy()
	left, right := image.Rect(w/10, h/8, w/4, h*7/8), image.Rect(3*w/4, h/8, 9*w/10, h*7/8) // below the legend row
	meanY := func(r image.Rectangle, i int) float64 {
		sum, n := 0, 0
		for y := r.Min.Y; y < r.Max.Y; y++ {
			for x := r.Min.X; x < r.Max.X; x++ {
				if near(img.RGBAAt(x, y), ui.SeriesColors[i], 8) {
					sum += y
					n++
				}
			}
		}
		if n < 20 {
			t.Fatalf("series %d: %d pixels of its colour in %v", i, n, r)
		}
		return float64(sum) / float64(n)
	}
	if l, r := meanY(left, 0), meanY(right, 0); !(l < r-100) {
		t.Errorf("falling series at y %.0f on the left, %.0f on the right", l, r)
	}
	if l, r := meanY(left, 1), meanY(right, 1); l-r > 3 || r-l > 3 {
		t.Errorf("flat series at y %.0f on the left, %.0f on the right", l, r)
	}
	if n := countNear(img, img.Rect, ui.SeriesColors[3], 8); n > 0 {
		t.Errorf("%d pixels in the colour of a series not there", n)
	}
}
