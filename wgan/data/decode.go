// Package data turns folders of pictures into the trainer's minibatches.
//
// Every picture is decoded (JPEG, PNG, GIF, BMP, TIFF, WebP), converted to
// RGB (grey becomes three equal channels, alpha is dropped), resized to
// 64×64 and kept in memory as 3×64×64 bytes in planar order (all of R, then
// G, then B). A [Stream] deals them out as shuffled minibatches of NCHW
// float32 in [-1, 1], flipped horizontally at random, deterministically from
// a seed and resumable from a small [StreamState].
package data

import (
	"bytes"
	"errors"
	"fmt"
	"image"
	"image/color"
	"io"
	"math"
	"strings"
	"sync"

	// The decoders of the formats image.Decode recognises.
	_ "image/gif"
	_ "image/jpeg"
	_ "image/png"

	_ "golang.org/x/image/bmp"
	_ "golang.org/x/image/tiff"
	_ "golang.org/x/image/webp"
)

// Size is the side of the square pictures, Channels their colour channels
// and ImageLen the bytes (or float32 values) of one picture.
const (
	Size     = 64
	Channels = 3
	ImageLen = Channels * Size * Size
)

// MaxPixels is the largest picture, in pixels (width × height), that Decode
// accepts: larger ones are refused before their pixels are decoded, so that
// a damaged or hostile header cannot make the decoder allocate gigabytes.
const MaxPixels = 100_000_000

// MaxSide is the longest side, in pixels, that Decode accepts.
const MaxSide = 1 << 16

// limits are the largest side and pixel count a decode accepts: MaxSide and
// MaxPixels for every file; the fuzz test passes smaller ones, so that each
// of its inputs decodes in milliseconds (a header claiming 100 megapixels is
// a legitimate picture here and takes seconds to decode and resize).
type limits struct {
	side   int
	pixels int64
}

var fileLimits = limits{side: MaxSide, pixels: MaxPixels}

// Crop says how a picture that is not square is made square.
type Crop int

const (
	// Squash resizes the whole picture to 64×64, ignoring its aspect
	// ratio, as the reference's augmentedImageDatastore does. The default.
	Squash Crop = iota
	// Center cuts the largest centred square out of the picture and
	// resizes that.
	Center
)

// String returns the name ParseCrop reads.
func (c Crop) String() string {
	switch c {
	case Squash:
		return "squash"
	case Center:
		return "center"
	}
	return fmt.Sprintf("Crop(%d)", int(c))
}

// ParseCrop reads "squash" or "center" (case-insensitive; "centre" and
// "crop" are accepted for Center, "" for Squash).
func ParseCrop(s string) (Crop, error) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "", "squash", "stretch", "resize":
		return Squash, nil
	case "center", "centre", "crop", "center-crop":
		return Center, nil
	}
	return Squash, fmt.Errorf("unknown crop %q: want squash or center", s)
}

// Decode decodes one file's bytes, whatever its format, into a 3×64×64
// planar RGB picture. name is used in the error only. Decode never panics: a
// panic inside a decoder becomes an error.
func Decode(name string, b []byte, crop Crop) ([]uint8, error) {
	if len(b) == 0 {
		return nil, fmt.Errorf("%s: empty file", name)
	}
	return decodeReader(name, bytes.NewReader(b), crop, nil, fileLimits)
}

// decodeReader is Decode on a seekable reader: it reads the header, checks
// the size, then rewinds and decodes the pixels, within the memory budget
// if one is given, refusing pictures over lim.
func decodeReader(name string, r io.ReadSeeker, crop Crop, b *budget, lim limits) (out []uint8, err error) {
	defer func() {
		if p := recover(); p != nil {
			out, err = nil, fmt.Errorf("%s: corrupt image (the decoder failed: %v)", name, p)
		}
	}()
	cfg, format, err := image.DecodeConfig(r)
	if err != nil {
		return nil, decodeError(name, format, err)
	}
	if cfg.Width <= 0 || cfg.Height <= 0 {
		return nil, fmt.Errorf("%s: corrupt %s image: its header says %d×%d pixels", name, format, cfg.Width, cfg.Height)
	}
	if cfg.Width > lim.side || cfg.Height > lim.side {
		return nil, fmt.Errorf("%s: %s image too large: %d×%d has a side over the limit of %d pixels",
			name, format, cfg.Width, cfg.Height, lim.side)
	}
	if int64(cfg.Width)*int64(cfg.Height) > lim.pixels {
		return nil, fmt.Errorf("%s: %s image too large: %d×%d is over the limit of %s",
			name, format, cfg.Width, cfg.Height, megapixels(lim.pixels))
	}
	if b != nil {
		n := int64(cfg.Width) * int64(cfg.Height)
		n = b.acquire(n)
		defer b.release(n)
	}
	if _, err := r.Seek(0, io.SeekStart); err != nil {
		return nil, fmt.Errorf("%s: %v", name, err)
	}
	img, format, err := image.Decode(r)
	if err != nil {
		return nil, decodeError(name, format, err)
	}
	return FromImage(img, crop)
}

// megapixels writes a pixel count for a message: "100 megapixels".
func megapixels(n int64) string {
	if n%1_000_000 == 0 {
		return fmt.Sprintf("%d megapixels", n/1_000_000)
	}
	return fmt.Sprintf("%d pixels", n)
}

// budget limits the pixels being decoded at once by parallel decoders, so
// that a folder of huge pictures does not take all the memory.
type budget struct {
	mu    sync.Mutex
	cond  sync.Cond
	total int64
	free  int64
}

func newBudget(pixels int64) *budget {
	b := &budget{total: pixels, free: pixels}
	b.cond.L = &b.mu
	return b
}

// acquire waits until n pixels (at most the whole budget) are free, takes
// them and returns how many it took.
func (b *budget) acquire(n int64) int64 {
	n = min(n, b.total)
	b.mu.Lock()
	for b.free < n {
		b.cond.Wait()
	}
	b.free -= n
	b.mu.Unlock()
	return n
}

func (b *budget) release(n int64) {
	b.mu.Lock()
	b.free += n
	b.mu.Unlock()
	b.cond.Broadcast()
}

func decodeError(name, format string, err error) error {
	switch {
	case errors.Is(err, image.ErrFormat):
		return fmt.Errorf("%s: not an image (unknown format)", name)
	case errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, io.EOF):
		return fmt.Errorf("%s: truncated %s image", name, format)
	}
	return fmt.Errorf("%s: corrupt %s image: %v", name, format, err)
}

// FromImage converts a decoded picture to 3×64×64 planar RGB. It fails
// only on a picture with no pixels.
func FromImage(img image.Image, crop Crop) ([]uint8, error) {
	b := img.Bounds()
	if b.Dx() <= 0 || b.Dy() <= 0 {
		return nil, fmt.Errorf("image has no pixels (%d×%d)", b.Dx(), b.Dy())
	}
	if crop == Center {
		if b.Dx() > b.Dy() {
			x0 := b.Min.X + (b.Dx()-b.Dy())/2
			b = image.Rect(x0, b.Min.Y, x0+b.Dy(), b.Max.Y)
		} else {
			y0 := b.Min.Y + (b.Dy()-b.Dx())/2
			b = image.Rect(b.Min.X, y0, b.Max.X, y0+b.Dx())
		}
	}
	return resample(img, b), nil
}

// A filter lists, for each of the Size output positions along one axis,
// the first source index it reads and the weights of the source pixels
// from there on.
type filter struct {
	start   [Size]int
	weights [Size][]float32
}

// newFilter makes the resampling filter from n source pixels to Size. It is
// a triangle (linear interpolation) kernel stretched by the scale factor
// when shrinking, so that every source pixel contributes to the output
// (an antialiased bilinear filter, like PIL's BILINEAR): it is plain bilinear
// interpolation when enlarging, and close to area averaging when shrinking.
// Pixel centres are aligned (source x+0.5 maps to output (x+0.5)·Size/n).
func newFilter(n int) *filter {
	f := new(filter)
	scale := float64(n) / Size
	support := math.Max(scale, 1) // half-width of the kernel in source pixels
	for o := 0; o < Size; o++ {
		centre := (float64(o) + 0.5) * scale
		lo := int(math.Floor(centre - support))
		hi := int(math.Ceil(centre + support))
		lo = max(lo, 0)
		hi = min(hi, n)
		var sum float64
		ws := make([]float64, 0, hi-lo)
		for i := lo; i < hi; i++ {
			d := math.Abs(float64(i)+0.5-centre) / support
			v := math.Max(0, 1-d)
			ws = append(ws, v)
			sum += v
		}
		if sum == 0 { // cannot happen with n ≥ 1, but never divide by 0
			ws[len(ws)/2], sum = 1, 1
		}
		// Trim zero weights at both ends.
		first, last := 0, len(ws)-1
		for first < last && ws[first] == 0 {
			first++
		}
		for last > first && ws[last] == 0 {
			last--
		}
		w := make([]float32, 0, last+1-first)
		for _, v := range ws[first : last+1] {
			w = append(w, float32(v/sum))
		}
		f.start[o] = lo + first
		f.weights[o] = w
	}
	return f
}

// resample resizes the part r of img to Size×Size, planar RGB bytes. Rows
// of r are read one at a time and filtered horizontally to Size columns;
// each filtered row is then added, with its vertical weight, into the
// output rows it contributes to, so memory does not grow with the height.
func resample(img image.Image, r image.Rectangle) []uint8 {
	w, h := r.Dx(), r.Dy()
	fx, fy := newFilter(w), newFilter(h)
	rd := newRowReader(img)
	row := make([]float32, 3*w)
	var t [Size * 3]float32
	acc := make([]float32, Size*Size*3) // output rows of Size×3
	for y := 0; y < h; y++ {
		rd.read(row, r.Min.X, r.Min.Y+y, w)
		for o := 0; o < Size; o++ {
			s := row[fx.start[o]*3:]
			var cr, cg, cb float32
			for i, k := range fx.weights[o] {
				cr += k * s[3*i]
				cg += k * s[3*i+1]
				cb += k * s[3*i+2]
			}
			t[3*o], t[3*o+1], t[3*o+2] = cr, cg, cb
		}
		for o := 0; o < Size; o++ {
			i := y - fy.start[o]
			if i < 0 || i >= len(fy.weights[o]) {
				continue
			}
			k := fy.weights[o][i]
			a := acc[o*Size*3 : (o+1)*Size*3]
			for j, v := range t {
				a[j] += k * v
			}
		}
	}
	out := make([]uint8, ImageLen)
	for o := 0; o < Size; o++ {
		for x := 0; x < Size; x++ {
			for c := 0; c < 3; c++ {
				out[c*Size*Size+o*Size+x] = toByte(acc[(o*Size+x)*3+c])
			}
		}
	}
	return out
}

func toByte(v float32) uint8 {
	v += 0.5
	if v <= 0 {
		return 0
	}
	if v >= 255 {
		return 255
	}
	return uint8(v)
}

// A rowReader reads rows of a picture as float32 R, G, B in [0, 255],
// not premultiplied by alpha, with fast paths for the types the standard
// decoders return.
type rowReader struct {
	img image.Image
	pal [][3]float32 // the palette of an *image.Paletted
}

func newRowReader(img image.Image) *rowReader {
	rd := &rowReader{img: img}
	if p, ok := img.(*image.Paletted); ok {
		rd.pal = make([][3]float32, 256)
		for i, c := range p.Palette {
			if i >= 256 {
				break
			}
			rd.pal[i] = nrgb(c)
		}
	}
	return rd
}

// nrgb returns the colour channels of c, un-premultiplied, in [0, 255].
func nrgb(c color.Color) [3]float32 {
	n := color.NRGBA64Model.Convert(c).(color.NRGBA64)
	return [3]float32{float32(n.R) / 257, float32(n.G) / 257, float32(n.B) / 257}
}

// unpremul returns r, g, b (premultiplied, 16-bit) divided by a, in [0, 255].
func unpremul(r, g, b, a uint32) (float32, float32, float32) {
	switch a {
	case 0xffff:
		return float32(r) / 257, float32(g) / 257, float32(b) / 257
	case 0:
		return 0, 0, 0
	}
	k := 255 / float32(a)
	return float32(r) * k, float32(g) * k, float32(b) * k
}

// read fills dst with the n pixels of row y from column x0 on.
func (rd *rowReader) read(dst []float32, x0, y, n int) {
	switch m := rd.img.(type) {
	case *image.YCbCr:
		for i := 0; i < n; i++ {
			yi := m.YOffset(x0+i, y)
			ci := m.COffset(x0+i, y)
			r, g, b := color.YCbCrToRGB(m.Y[yi], m.Cb[ci], m.Cr[ci])
			dst[3*i], dst[3*i+1], dst[3*i+2] = float32(r), float32(g), float32(b)
		}
	case *image.Gray:
		p := m.Pix[m.PixOffset(x0, y):]
		for i := 0; i < n; i++ {
			v := float32(p[i])
			dst[3*i], dst[3*i+1], dst[3*i+2] = v, v, v
		}
	case *image.Gray16:
		p := m.Pix[m.PixOffset(x0, y):]
		for i := 0; i < n; i++ {
			v := float32(uint16(p[2*i])<<8|uint16(p[2*i+1])) / 257
			dst[3*i], dst[3*i+1], dst[3*i+2] = v, v, v
		}
	case *image.NRGBA:
		p := m.Pix[m.PixOffset(x0, y):]
		for i := 0; i < n; i++ {
			dst[3*i], dst[3*i+1], dst[3*i+2] = float32(p[4*i]), float32(p[4*i+1]), float32(p[4*i+2])
		}
	case *image.RGBA:
		p := m.Pix[m.PixOffset(x0, y):]
		for i := 0; i < n; i++ {
			q := p[4*i:]
			a := uint32(q[3]) * 0x101
			dst[3*i], dst[3*i+1], dst[3*i+2] = unpremul(uint32(q[0])*0x101, uint32(q[1])*0x101, uint32(q[2])*0x101, a)
		}
	case *image.NRGBA64:
		p := m.Pix[m.PixOffset(x0, y):]
		for i := 0; i < n; i++ {
			q := p[8*i:]
			for c := 0; c < 3; c++ {
				dst[3*i+c] = float32(uint16(q[2*c])<<8|uint16(q[2*c+1])) / 257
			}
		}
	case *image.RGBA64:
		p := m.Pix[m.PixOffset(x0, y):]
		for i := 0; i < n; i++ {
			q := p[8*i:]
			v := func(c int) uint32 { return uint32(q[2*c])<<8 | uint32(q[2*c+1]) }
			dst[3*i], dst[3*i+1], dst[3*i+2] = unpremul(v(0), v(1), v(2), v(3))
		}
	case *image.Paletted:
		p := m.Pix[m.PixOffset(x0, y):]
		for i := 0; i < n; i++ {
			c := rd.pal[p[i]] // an index past the palette reads black
			dst[3*i], dst[3*i+1], dst[3*i+2] = c[0], c[1], c[2]
		}
	case *image.CMYK:
		p := m.Pix[m.PixOffset(x0, y):]
		for i := 0; i < n; i++ {
			q := p[4*i:]
			r, g, b := color.CMYKToRGB(q[0], q[1], q[2], q[3])
			dst[3*i], dst[3*i+1], dst[3*i+2] = float32(r), float32(g), float32(b)
		}
	default:
		for i := 0; i < n; i++ {
			c := nrgb(m.At(x0+i, y))
			dst[3*i], dst[3*i+1], dst[3*i+2] = c[0], c[1], c[2]
		}
	}
}
