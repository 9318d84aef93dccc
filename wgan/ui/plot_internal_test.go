package ui

import (
	"image"
	"math"
	"testing"
)

func TestNiceStep(t *testing.T) {
	for _, c := range []struct {
		span   float64
		target int
		want   float64
	}{
		{10, 5, 2}, {1, 5, 0.2}, {100, 4, 20}, {7, 7, 1}, {0.03, 3, 0.01}, {12345, 5, 2000}, {0, 5, 1}, {math.NaN(), 5, 1},
	} {
		if got := niceStep(c.span, c.target); math.Abs(got-c.want) > 1e-12 {
			t.Errorf("niceStep(%v, %d) = %v, want %v", c.span, c.target, got, c.want)
		}
	}
}

func TestValueAxisCoversData(t *testing.T) {
	for _, c := range [][2]float64{{-9.7, 4.4}, {0.031, 0.52}, {3, 3}, {0, 0}, {-1e6, 1e6}, {-0.001, 0.0004}} {
		a := valueAxis(c[0], c[1], 6)
		if a.lo > c[0] || a.hi < c[1] || a.hi <= a.lo {
			t.Errorf("valueAxis(%v) = [%v, %v]", c, a.lo, a.hi)
		}
		if len(a.ticks) < 2 || len(a.ticks) > 14 {
			t.Errorf("valueAxis(%v): %d ticks", c, len(a.ticks))
		}
		for _, v := range a.ticks {
			if k := v / a.step; math.Abs(k-math.Round(k)) > 1e-6 {
				t.Errorf("valueAxis(%v): tick %v not a multiple of %v", c, v, a.step)
			}
		}
	}
}

func TestIterAxisAndLabels(t *testing.T) {
	a := iterAxis(1200, 6)
	if a.lo != 0 || a.hi != 1200 || a.step != 200 || len(a.ticks) != 7 {
		t.Errorf("iterAxis(1200) = %+v", a)
	}
	if a := iterAxis(3, 10); a.step != 1 || len(a.ticks) != 4 {
		t.Errorf("iterAxis(3) = %+v", a)
	}
	for _, c := range []struct {
		v, step float64
		want    string
	}{{-2, 2, "-2"}, {0.4, 0.2, "0.4"}, {0.05, 0.01, "0.05"}, {1e-17, 0.1, "0.0"}, {2.5e6, 5e5, "2.5e+06"}} {
		if got := formatTick(c.v, c.step); got != c.want {
			t.Errorf("formatTick(%v, %v) = %q, want %q", c.v, c.step, got, c.want)
		}
	}
	if got := formatIter(120000); got != "120k" {
		t.Errorf("formatIter(120000) = %q", got)
	}
	if got := formatIter(2000); got != "2000" {
		t.Errorf("formatIter(2000) = %q", got)
	}
}

func TestEnvelopeKeepsExtremes(t *testing.T) {
	// A 10,000-point series in a 100-px box: each spike must still reach its
	// pixel row although many points share a column.
	box := plotBox{r: image.Rect(0, 0, 100, 50), x: axis{lo: 0, hi: 10000}, y: axis{lo: -1, hi: 1}}
	ys := make([]float64, 10000)
	ys[5000] = 1 // one spike to the top
	ys[7777] = -1
	m := newCoverage(box.r)
	box.strokeSeries(m, len(ys), func(i int) float64 { return float64(i + 1) }, func(i int) float64 { return ys[i] }, 0.5)
	top := int(box.py(1))
	bottom := int(box.py(-1))
	row := func(y int) (n int) {
		for x := 0; x < 100; x++ {
			if m.a[y*100+x] >= 0.4 {
				n++
			}
		}
		return n
	}
	if row(top) == 0 || row(bottom) == 0 {
		t.Errorf("spikes lost: top row %d, bottom row %d covered pixels", row(top), row(bottom))
	}
	if mid := row(int(box.py(0))); mid < 90 {
		t.Errorf("baseline covers only %d of 100 columns", mid)
	}
}

func TestGlyphsLoad(t *testing.T) {
	faces, err := loadFaces()
	if err != nil || len(faces) < 10 {
		t.Fatalf("loadFaces: %d faces, %v", len(faces), err)
	}
	f := makeTextFace(false, 15)
	if f.height < 14 || f.height > 22 || f.width("Iteration") < 40 {
		t.Errorf("15-px face: height %d, width %d", f.height, f.width("Iteration"))
	}
	if f.width("…") == 0 || f.width("·") == 0 {
		t.Errorf("missing ellipsis or middle dot")
	}
	// An unknown rune falls back to '?' rather than vanishing.
	if f.width("\u4e2d") != f.width("?") {
		t.Errorf("fallback glyph")
	}
}
