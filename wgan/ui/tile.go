package ui

import (
	"fmt"
	"image"
	"math"
)

// Tile tiles n images (NCHW float32, 3×size×size each, channel 0 = red) into
// a cols-wide grid, image k at row k/cols, column k%cols, and rescales to
// [0,1] with the min and max over the whole tile (MATLAB imtile + rescale,
// SPEC.md §5), returning 8-bit RGB (opaque).
//
// Differences from MATLAB worth knowing: a constant tile maps to 0 (as
// rescale does); NaN values are left out of the min/max and drawn as 0;
// the unused cells of an incomplete last row are black and do not take part
// in the min/max.
func Tile(images []float32, n, size, cols int) *image.RGBA {
	if n < 0 || size < 0 || cols < 1 {
		panic(fmt.Sprintf("ui.Tile: bad shape n=%d size=%d cols=%d", n, size, cols))
	}
	plane := size * size
	if len(images) < n*3*plane {
		panic(fmt.Sprintf("ui.Tile: %d values for %d images of 3×%d×%d", len(images), n, size, size))
	}
	rows := (n + cols - 1) / cols
	dst := image.NewRGBA(image.Rect(0, 0, cols*size, rows*size))
	for i := 3; i < len(dst.Pix); i += 4 {
		dst.Pix[i] = 255
	}
	data := images[:n*3*plane]
	lo, hi := math.Inf(1), math.Inf(-1)
	for _, v := range data {
		f := float64(v)
		if f < lo {
			lo = f
		}
		if f > hi {
			hi = f
		}
	}
	scale := 0.0
	if hi > lo && !math.IsInf(hi-lo, 0) {
		scale = 255 / (hi - lo)
	}
	for k := 0; k < n; k++ {
		ox, oy := (k%cols)*size, (k/cols)*size
		img := data[k*3*plane : (k+1)*3*plane]
		for c := 0; c < 3; c++ {
			ch := img[c*plane : (c+1)*plane]
			for y := 0; y < size; y++ {
				row := dst.Pix[dst.PixOffset(ox, oy+y)+c:]
				src := ch[y*size : (y+1)*size]
				for x, v := range src {
					q := (float64(v) - lo) * scale
					var b uint8
					switch {
					case !(q > 0): // also NaN
						b = 0
					case q >= 255:
						b = 255
					default:
						b = uint8(q + 0.5)
					}
					row[4*x] = b
				}
			}
		}
	}
	return dst
}
