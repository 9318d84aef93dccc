package assets

import (
	"bytes"
	"image"
	"image/png"
	"math"
	"os"
	"testing"
	"time"

	"github.com/wgangp/wgangp/wgan/data"
)

func pixels(img image.Image) []uint8 { return img.(*image.RGBA).Pix }

func TestDeterministic(t *testing.T) {
	a := Flowers(40, 7)
	b := Flowers(40, 7)
	c := Flowers(10, 7)
	d := Flowers(10, 8)
	for i := range a {
		if a[i].Bounds() != image.Rect(0, 0, 64, 64) {
			t.Fatalf("picture %d is %v", i, a[i].Bounds())
		}
		if !bytes.Equal(pixels(a[i]), pixels(b[i])) {
			t.Fatalf("picture %d differs between two calls with one seed", i)
		}
	}
	for i := range c {
		if !bytes.Equal(pixels(a[i]), pixels(c[i])) {
			t.Fatalf("picture %d depends on n", i)
		}
		if bytes.Equal(pixels(c[i]), pixels(d[i])) {
			t.Fatalf("picture %d does not depend on the seed", i)
		}
	}
}

func TestVariety(t *testing.T) {
	const n = 300
	imgs := Flowers(n, 1)
	seen := map[string]int{}
	var hist [3][8]int // per channel, 8 bins of the mean colour of each picture
	var hue [12]int    // hue of the most saturated pixels
	for i, img := range imgs {
		p := pixels(img)
		if j, ok := seen[string(p)]; ok {
			t.Fatalf("pictures %d and %d are identical", j, i)
		}
		seen[string(p)] = i
		var mean [3]float64
		var lum, lum2 float64
		for k := 0; k < len(p); k += 4 {
			for c := range 3 {
				mean[c] += float64(p[k+c])
			}
			r, g, b := float64(p[k]), float64(p[k+1]), float64(p[k+2])
			y := 0.299*r + 0.587*g + 0.114*b
			lum += y
			lum2 += y * y
			mx, mn := math.Max(r, math.Max(g, b)), math.Min(r, math.Min(g, b))
			if mx > 80 && (mx-mn)/mx > 0.5 {
				var h float64
				switch mx {
				case r:
					h = math.Mod((g-b)/(mx-mn)+6, 6)
				case g:
					h = (b-r)/(mx-mn) + 2
				default:
					h = (r-g)/(mx-mn) + 4
				}
				hue[int(h*2)%12]++
			}
		}
		const np = 64 * 64
		if sd := math.Sqrt(lum2/np - (lum/np)*(lum/np)); sd < 8 {
			t.Errorf("picture %d is nearly flat: brightness deviation %.1f", i, sd)
		}
		for c := range 3 {
			hist[c][int(mean[c]/np)/32]++
		}
	}
	// Mean pairwise distance.
	var dist float64
	var pairs int
	for i := 0; i < n; i += 7 {
		for j := i + 1; j < n; j += 5 {
			a, b := pixels(imgs[i]), pixels(imgs[j])
			var s float64
			for k := range a {
				s += math.Abs(float64(a[k]) - float64(b[k]))
			}
			dist += s / float64(len(a)) * 4 / 3
			pairs++
		}
	}
	dist /= float64(pairs)
	t.Logf("mean pairwise |difference| %.1f levels; mean colour histograms %v; hues %v", dist, hist, hue)
	if dist < 40 {
		t.Errorf("mean pairwise difference %.1f levels: too alike", dist)
	}
	for c := range 3 {
		used := 0
		for _, v := range hist[c] {
			if v > 0 {
				used++
			}
		}
		if used < 5 {
			t.Errorf("channel %d: the mean colours fill only %d of 8 bins: %v", c, used, hist[c])
		}
	}
	// Saturated colours of (nearly) every hue: 12 bins of 30°.
	empty := 0
	for _, v := range hue {
		if v == 0 {
			empty++
		}
	}
	if empty > 1 {
		t.Errorf("saturated pixels miss %d of 12 hue ranges: %v", empty, hue)
	}
}

// TestSheet writes a contact sheet of the first 100 pictures to the file
// named by $FLOWERS_SHEET, for looking at.
func TestSheet(t *testing.T) {
	path := os.Getenv("FLOWERS_SHEET")
	if path == "" {
		t.Skip("set FLOWERS_SHEET to a PNG path to write a contact sheet")
	}
	start := time.Now()
	all := Flowers(DefaultCount, 1)
	t.Logf("%d pictures in %v", DefaultCount, time.Since(start))
	var buf bytes.Buffer
	if err := png.Encode(&buf, data.Sheet(all[:100], 10)); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
}
