package ui_test

import (
	"math"
	"testing"

	"github.com/wgangp/wgangp/wgan/ui"
)

// tileInput makes n constant images (image k has value k everywhere).
func tileInput(n, size int) []float32 {
	v := make([]float32, n*3*size*size)
	for k := 0; k < n; k++ {
		for i := 0; i < 3*size*size; i++ {
			v[k*3*size*size+i] = float32(k)
		}
	}
	return v
}

func TestTileRescaleAndPositions(t *testing.T) {
	const n, size, cols = 6, 4, 4
	v := tileInput(n, size)
	plane := size * size
	at := func(k, c, x, y int) int { return k*3*plane + c*plane + y*size + x }
	v[at(2, 0, 1, 2)] = -3 // the tile's minimum: red of image 2 at (1,2)
	v[at(5, 2, 3, 0)] = 5  // the tile's maximum: blue of image 5 at (3,0)
	img := ui.Tile(v, n, size, cols)

	if got, want := img.Bounds().Dx(), cols*size; got != want {
		t.Fatalf("width %d, want %d", got, want)
	}
	if got, want := img.Bounds().Dy(), 2*size; got != want {
		t.Fatalf("height %d, want %d", got, want)
	}
	pos := func(k, x, y int) (int, int) { return (k%cols)*size + x, (k/cols)*size + y }

	px, py := pos(2, 1, 2)
	if c := img.RGBAAt(px, py); c.R != 0 {
		t.Errorf("min pixel red = %d, want 0", c.R)
	}
	px, py = pos(5, 3, 0)
	if c := img.RGBAAt(px, py); c.B != 255 {
		t.Errorf("max pixel blue = %d, want 255", c.B)
	}
	// Every other pixel of image k is (k+3)/8 of the way from min to max.
	for k := 0; k < n; k++ {
		want := uint8(math.Round(float64(k+3) / 8 * 255))
		px, py := pos(k, 0, size-1)
		c := img.RGBAAt(px, py)
		if c.R != want || c.G != want || c.B != want || c.A != 255 {
			t.Errorf("image %d at (%d,%d) = %v, want gray %d (row %d, col %d)", k, px, py, c, want, k/cols, k%cols)
		}
	}
	// Unused cells of the last row are opaque black.
	if c := img.RGBAAt(3*size+1, size+1); c.R != 0 || c.G != 0 || c.B != 0 || c.A != 255 {
		t.Errorf("empty cell = %v, want opaque black", c)
	}
}

func TestTileChannelsAndEdgeCases(t *testing.T) {
	// One 1×1 image: red = min, green = mid, blue = max.
	img := ui.Tile([]float32{-1, 0, 1}, 1, 1, 5)
	if c := img.RGBAAt(0, 0); c.R != 0 || c.G != 128 || c.B != 255 {
		t.Errorf("channels = %v, want (0,128,255)", c)
	}
	// A constant tile maps to 0, like MATLAB's rescale.
	img = ui.Tile(tileInput(1, 2), 1, 2, 1)
	for i := 0; i < len(img.Pix); i += 4 {
		if img.Pix[i] != 0 || img.Pix[i+3] != 255 {
			t.Fatalf("constant tile pixel %v", img.Pix[i:i+4])
		}
	}
	// NaN is ignored for the range and drawn as 0.
	img = ui.Tile([]float32{float32(math.NaN()), 2, 4}, 1, 1, 1)
	if c := img.RGBAAt(0, 0); c.R != 0 || c.G != 0 || c.B != 255 {
		t.Errorf("NaN case = %v", c)
	}
	// The 25-image 5×5 grid of SPEC.md §5 is 320×320 at 64 px.
	img = ui.Tile(tileInput(25, 64), 25, 64, 5)
	if img.Bounds().Dx() != 320 || img.Bounds().Dy() != 320 {
		t.Errorf("5×5 grid is %v", img.Bounds())
	}
	if c := img.RGBAAt(4*64+10, 4*64+10); c.R != 255 {
		t.Errorf("image 24 (row 4, col 4) = %v, want the max", c)
	}
	func() {
		defer func() {
			if recover() == nil {
				t.Error("short input did not panic")
			}
		}()
		ui.Tile(make([]float32, 10), 1, 2, 1)
	}()
}
