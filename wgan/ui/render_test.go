package ui_test

import (
	"image"
	"image/color"
	"math"
	"testing"

	"github.com/wgangp/wgangp/wgan/ui"
	"github.com/wgangp/wgangp/wgan/ui/internal/uidemo"
)

// blockGrid is a 320×320 grid of 5×5 flat 64-px blocks of distinct colours.
func blockGrid() *image.RGBA {
	g := image.NewRGBA(image.Rect(0, 0, 320, 320))
	for y := 0; y < 320; y++ {
		for x := 0; x < 320; x++ {
			k := (y/64)*5 + x/64
			g.SetRGBA(x, y, color.RGBA{uint8(40 + 8*k), uint8(250 - 9*k), uint8((k * 53) % 256), 255})
		}
	}
	return g
}

func near(a, b color.RGBA, tol int) bool {
	d := func(x, y uint8) int { return max(int(x)-int(y), int(y)-int(x)) }
	return d(a.R, b.R) <= tol && d(a.G, b.G) <= tol && d(a.B, b.B) <= tol
}

func countNear(img *image.RGBA, r image.Rectangle, c color.RGBA, tol int) int {
	n := 0
	r = r.Intersect(img.Rect)
	for y := r.Min.Y; y < r.Max.Y; y++ {
		for x := r.Min.X; x < r.Max.X; x++ {
			if near(img.RGBAAt(x, y), c, tol) {
				n++
			}
		}
	}
	return n
}

func distinctColours(img *image.RGBA, r image.Rectangle) int {
	seen := map[color.RGBA]bool{}
	r = r.Intersect(img.Rect)
	for y := r.Min.Y; y < r.Max.Y; y++ {
		for x := r.Min.X; x < r.Max.X; x++ {
			seen[img.RGBAAt(x, y)] = true
		}
	}
	return len(seen)
}

// ink counts the pixels of r that differ from the colour at its top-left corner.
func ink(img *image.RGBA, r image.Rectangle) int {
	r = r.Intersect(img.Rect)
	bg := img.RGBAAt(r.Min.X, r.Min.Y)
	return r.Dx()*r.Dy() - countNear(img, r, bg, 0)
}

func TestRenderLayout(t *testing.T) {
	for _, sz := range []struct{ w, h int }{{1280, 720}, {640, 360}} {
		f := uidemo.Frame(1200)
		f.Grid = blockGrid()
		f.Hint = "Space pause · S save · Q quit"
		img := ui.Render(f, sz.w, sz.h)
		if img.Bounds() != image.Rect(0, 0, sz.w, sz.h) {
			t.Fatalf("%dx%d: bounds %v", sz.w, sz.h, img.Bounds())
		}
		for i := 3; i < len(img.Pix); i += 4 {
			if img.Pix[i] != 255 {
				t.Fatalf("%dx%d: not opaque", sz.w, sz.h)
			}
		}

		// The grid: square, at least 40% of the height, and showing the
		// grid's pixels (the centre of every block has the block's colour).
		g := ui.GridRect(f, sz.w, sz.h)
		if g.Dx() != g.Dy() || g.Dy() < sz.h*4/10 {
			t.Errorf("%dx%d: grid rect %v", sz.w, sz.h, g)
		}
		for k := 0; k < 25; k++ {
			sx, sy := (k%5)*64+32, (k/5)*64+32
			x := g.Min.X + sx*g.Dx()/320
			y := g.Min.Y + sy*g.Dy()/320
			if got, want := img.RGBAAt(x, y), f.Grid.(*image.RGBA).RGBAAt(sx, sy); !near(got, want, 2) {
				t.Errorf("%dx%d: grid block %d at (%d,%d) = %v, want %v", sz.w, sz.h, k, x, y, got, want)
			}
		}

		// The plot: many colours (anti-aliased lines, text), both curve
		// colours present, and to the right of the grid.
		c := ui.CurvesRect(f, sz.w, sz.h)
		if c.Min.X < g.Max.X || c.Dx() < sz.w/3 {
			t.Errorf("%dx%d: curves rect %v vs grid %v", sz.w, sz.h, c, g)
		}
		if n := distinctColours(img, c); n < 200 {
			t.Errorf("%dx%d: plot has only %d distinct colours", sz.w, sz.h, n)
		}
		for _, col := range []color.RGBA{ui.ColorLossGP, ui.ColorLossUnreg, ui.ColorSWD} {
			if n := countNear(img, c, col, 24); n < 100 {
				t.Errorf("%dx%d: colour %v appears on %d pixels", sz.w, sz.h, col, n)
			}
		}
		// Text: the title row and the status bar have ink.
		title := image.Rect(c.Min.X, c.Min.Y, c.Max.X, c.Min.Y+sz.h/30)
		if n := ink(img, title); n < 100 {
			t.Errorf("%dx%d: title row has %d ink pixels", sz.w, sz.h, n)
		}
		s := ui.StatusRect(f, sz.w, sz.h)
		if s.Max.Y != sz.h || s.Dx() != sz.w || s.Min.Y < c.Max.Y {
			t.Errorf("%dx%d: status rect %v", sz.w, sz.h, s)
		}
		left := image.Rect(s.Min.X, s.Min.Y+2, s.Min.X+s.Dx()/2, s.Max.Y)
		right := image.Rect(s.Max.X-s.Dx()/6, s.Min.Y+2, s.Max.X, s.Max.Y)
		if n := ink(img, left); n < 200 {
			t.Errorf("%dx%d: status text has %d ink pixels", sz.w, sz.h, n)
		}
		if n := ink(img, right); n < 50 {
			t.Errorf("%dx%d: hint has %d ink pixels", sz.w, sz.h, n)
		}
	}
}

func TestRenderGridExactAtIntegerScale(t *testing.T) {
	// At 1280×720 the 320-px grid is drawn at exactly 2×, nearest neighbour.
	f := uidemo.Frame(300)
	img := ui.Render(f, 1280, 720)
	g := ui.GridRect(f, 1280, 720)
	if g.Dx() != 640 {
		t.Fatalf("grid drawn %v, want 640 px square", g)
	}
	src := f.Grid.(*image.RGBA)
	for y := g.Min.Y; y < g.Max.Y; y += 7 {
		for x := g.Min.X; x < g.Max.X; x += 5 {
			if got, want := img.RGBAAt(x, y), src.RGBAAt((x-g.Min.X)/2, (y-g.Min.Y)/2); got != want {
				t.Fatalf("(%d,%d) = %v, want %v", x, y, got, want)
			}
		}
	}
}

func TestRenderCurves(t *testing.T) {
	f := uidemo.Frame(2000)
	img := ui.RenderCurves(f, 960, 540)
	if n := distinctColours(img, img.Rect); n < 200 {
		t.Errorf("curves: %d distinct colours", n)
	}
	for _, col := range []color.RGBA{ui.ColorLossGP, ui.ColorLossUnreg} {
		if n := countNear(img, img.Rect, col, 24); n < 100 {
			t.Errorf("curves: colour %v on %d pixels", col, n)
		}
	}
	if n := ink(img, image.Rect(0, 0, 960, 30)); n < 100 {
		t.Errorf("curves: title row has %d ink pixels", n)
	}
}

func TestRenderEdgeCases(t *testing.T) {
	nan := math.NaN()
	frames := []ui.Frame{
		{},
		{LossD: []float64{1}, LossDUnreg: []float64{1}},
		{LossD: []float64{nan, math.Inf(1), 2, nan, 3}, LossDUnreg: []float64{nan}},
		{LossD: []float64{5, 5, 5}, SWD: []ui.Point{{1, nan}}, SWDFloor: 0.1},
		{LossD: []float64{-1e9, 1e9}, Grid: image.NewRGBA(image.Rect(0, 0, 7, 3))},
		{Grid: image.NewRGBA(image.Rect(0, 0, 1, 1)), Title: "a very long title that will not fit in the space given to it at all, not even close"},
	}
	sizes := [][2]int{{0, 0}, {-5, 10}, {1, 1}, {10, 10}, {64, 48}, {200, 100}, {300, 900}, {1280, 720}}
	for i, f := range frames {
		for _, s := range sizes {
			img := ui.Render(f, s[0], s[1])
			if img.Bounds().Dx() != max(s[0], 0) || img.Bounds().Dy() != max(s[1], 0) {
				t.Errorf("frame %d at %v: bounds %v", i, s, img.Bounds())
			}
			ui.RenderCurves(f, s[0], s[1])
		}
	}
}

func BenchmarkRender10k(b *testing.B) {
	f := uidemo.Frame(10000)
	b.ResetTimer()
	for b.Loop() {
		ui.Render(f, 1280, 720)
	}
}

func BenchmarkRenderCurves10k(b *testing.B) {
	f := uidemo.Frame(10000)
	b.ResetTimer()
	for b.Loop() {
		ui.RenderCurves(f, 1280, 720)
	}
}

func BenchmarkRender10k640(b *testing.B) {
	f := uidemo.Frame(10000)
	for b.Loop() {
		ui.Render(f, 640, 360)
	}
}

func TestRenderConcurrent(t *testing.T) {
	// The window and the headless PNG writer may render at the same time.
	f := uidemo.Frame(500)
	done := make(chan *image.RGBA)
	for i := 0; i < 4; i++ {
		go func() { done <- ui.Render(f, 640, 360) }()
	}
	first := <-done
	for i := 1; i < 4; i++ {
		if img := <-done; string(img.Pix) != string(first.Pix) {
			t.Errorf("concurrent renders differ")
		}
	}
}
