package data

import (
	"bytes"
	"encoding/binary"
	"hash/crc32"
	"image"
	"image/color"
	"image/color/palette"
	"image/gif"
	"image/jpeg"
	"image/png"
	"io"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"golang.org/x/image/bmp"
	"golang.org/x/image/tiff"
)

// ---- test pictures ----

// smooth returns a w×h picture of random waves plus noise, drawn from seed:
// never flat, and smooth enough for JPEG to keep it well.
func smooth(w, h int, seed uint64) *image.RGBA {
	r := rand.New(rand.NewPCG(seed, 1))
	var a, b, ph [3][2]float64
	for c := range 3 {
		for k := range 2 {
			a[c][k] = (r.Float64() - 0.5) * 0.4
			b[c][k] = (r.Float64() - 0.5) * 0.4
			ph[c][k] = r.Float64() * 6
		}
	}
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			p := img.Pix[y*img.Stride+4*x:]
			for c := range 3 {
				v := 128 + 60*math.Sin(a[c][0]*float64(x)+b[c][0]*float64(y)+ph[c][0]) +
					40*math.Sin(a[c][1]*float64(x)+b[c][1]*float64(y)+ph[c][1]) + float64(r.IntN(11)-5)
				p[c] = uint8(max(0, min(255, v)))
			}
			p[3] = 255
		}
	}
	return img
}

func encode(t *testing.T, enc func(io.Writer, image.Image) error, img image.Image) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := enc(&buf, img); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func encPNG(w io.Writer, m image.Image) error  { return png.Encode(w, m) }
func encJPEG(w io.Writer, m image.Image) error { return jpeg.Encode(w, m, &jpeg.Options{Quality: 95}) }
func encGIF(w io.Writer, m image.Image) error  { return gif.Encode(w, m, nil) }
func encBMP(w io.Writer, m image.Image) error  { return bmp.Encode(w, m) }
func encTIFF(w io.Writer, m image.Image) error { return tiff.Encode(w, m, nil) }

func writeFile(t *testing.T, root, rel string, b []byte) {
	t.Helper()
	p := filepath.Join(root, filepath.FromSlash(rel))
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, b, 0o644); err != nil {
		t.Fatal(err)
	}
}

func mustFromImage(t *testing.T, img image.Image, crop Crop) []uint8 {
	t.Helper()
	p, err := FromImage(img, crop)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func meanAbsDiff(a, b []uint8) float64 {
	var s float64
	for i := range a {
		s += math.Abs(float64(a[i]) - float64(b[i]))
	}
	return s / float64(len(a))
}

// at returns channel c of pixel (x, y) of a planar picture.
func at(p []uint8, c, x, y int) uint8 { return p[c*Size*Size+y*Size+x] }

// ---- decoding ----

func TestFormats(t *testing.T) {
	const w, h = 96, 80
	src := smooth(w, h, 1)

	gray := image.NewGray(src.Bounds())
	gray16 := image.NewGray16(src.Bounds())
	rgba64 := image.NewRGBA64(src.Bounds())
	nrgba := image.NewNRGBA(src.Bounds())       // with random alpha, some 0
	opaque := image.NewNRGBA(src.Bounds())      // the same colours, alpha 255
	pal := image.NewPaletted(src.Bounds(), nil) // a random palette of 16
	plan9 := image.NewPaletted(src.Bounds(), palette.Plan9)
	r := rand.New(rand.NewPCG(2, 2))
	for i := 0; i < 16; i++ {
		pal.Palette = append(pal.Palette, color.RGBA{uint8(r.IntN(256)), uint8(r.IntN(256)), uint8(r.IntN(256)), 255})
	}
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			c := src.RGBAAt(x, y)
			gray.SetGray(x, y, color.Gray{c.G})
			gray16.SetGray16(x, y, color.Gray16{uint16(c.G)<<8 | uint16(r.IntN(256))})
			rgba64.SetRGBA64(x, y, color.RGBA64{uint16(c.R)<<8 | uint16(r.IntN(256)), uint16(c.G) << 8, uint16(c.B)<<8 | 0xff, 0xffff})
			a := uint8(r.IntN(256))
			if r.IntN(8) == 0 {
				a = 0
			}
			nrgba.SetNRGBA(x, y, color.NRGBA{c.R, c.G, c.B, a})
			opaque.SetNRGBA(x, y, color.NRGBA{c.R, c.G, c.B, 255})
			pal.SetColorIndex(x, y, uint8(r.IntN(16)))
			plan9.SetColorIndex(x, y, uint8(r.IntN(256)))
		}
	}

	cases := []struct {
		name string
		enc  func(io.Writer, image.Image) error
		img  image.Image // what is encoded
		want image.Image // what the decoded picture must equal (nil: img)
		tol  float64     // mean absolute difference allowed (0: exact)
	}{
		{"rgb.jpg", encJPEG, src, nil, 2.5},
		{"gray.jpg", encJPEG, gray, nil, 2.5},
		{"rgb.png", encPNG, src, nil, 0},
		{"gray.png", encPNG, gray, nil, 0},
		{"gray16.png", encPNG, gray16, nil, 0},
		{"paletted.png", encPNG, pal, nil, 0},
		{"rgba64.png", encPNG, rgba64, nil, 0},
		{"alpha.png", encPNG, nrgba, opaque, 0},
		{"plan9.gif", encGIF, plan9, nil, 0},
		{"rgb.bmp", encBMP, src, nil, 0},
		{"paletted.bmp", encBMP, pal, nil, 0},
		{"rgb.tif", encTIFF, src, nil, 0},
		{"gray16.tif", encTIFF, gray16, nil, 0},
		{"alpha.tif", encTIFF, nrgba, opaque, 0},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			b := encode(t, tc.enc, tc.img)
			got, err := Decode(tc.name, b, Squash)
			if err != nil {
				t.Fatal(err)
			}
			want := tc.want
			if want == nil {
				want = tc.img
			}
			exp := mustFromImage(t, want, Squash)
			if d := meanAbsDiff(got, exp); d > tc.tol {
				t.Errorf("mean |decoded − source| = %.3f, want ≤ %g", d, tc.tol)
			}
			if len(got) != ImageLen {
				t.Fatalf("got %d bytes, want %d", len(got), ImageLen)
			}
			if strings.HasPrefix(tc.name, "gray") {
				for i := 0; i < Size*Size; i++ {
					if got[i] != got[i+Size*Size] || got[i] != got[i+2*Size*Size] {
						t.Fatalf("grey picture: pixel %d has R, G, B %d %d %d", i, got[i], got[i+Size*Size], got[i+2*Size*Size])
					}
				}
			}
			if meanAbsDiff(got[:Size*Size], got[1:Size*Size+1]) < 1 {
				t.Error("decoded picture is nearly flat")
			}
		})
	}
}

// A 16-bit picture keeps more than 8 bits through the filter: two 16-bit
// greys that differ only in their low byte average to a value between.
func TestGray16Precision(t *testing.T) {
	img := image.NewGray16(image.Rect(0, 0, 128, 128))
	for i := 0; i < len(img.Pix); i += 2 {
		img.Pix[i], img.Pix[i+1] = 100, 0xff // 100.99…/255 of full scale
	}
	p := mustFromImage(t, img, Squash)
	if p[0] != 101 {
		t.Errorf("got %d, want 101", p[0])
	}
}

func TestResampleFilter(t *testing.T) {
	// 64 → 64 is the identity.
	src := smooth(Size, Size, 3)
	p := mustFromImage(t, src, Squash)
	for y := 0; y < Size; y++ {
		for x := 0; x < Size; x++ {
			c := src.RGBAAt(x, y)
			if at(p, 0, x, y) != c.R || at(p, 1, x, y) != c.G || at(p, 2, x, y) != c.B {
				t.Fatalf("64×64 is not kept as is at (%d,%d)", x, y)
			}
		}
	}
	// 128 → 64 weighs the source pixels 1, 3, 3, 1 (triangle of half-width 2).
	big := smooth(128, 128, 4)
	p = mustFromImage(t, big, Squash)
	w := []float64{1, 3, 3, 1}
	for _, o := range [][2]int{{0, 0}, {10, 20}, {31, 32}, {63, 63}, {40, 7}} {
		var sum, wsum float64
		for j := 0; j < 4; j++ {
			for i := 0; i < 4; i++ {
				sx, sy := 2*o[0]-1+i, 2*o[1]-1+j
				if sx < 0 || sy < 0 || sx >= 128 || sy >= 128 {
					continue
				}
				k := w[i] * w[j]
				sum += k * float64(big.RGBAAt(sx, sy).G)
				wsum += k
			}
		}
		want := sum / wsum
		if got := float64(at(p, 1, o[0], o[1])); math.Abs(got-want) > 0.51 {
			t.Errorf("128→64 at %v: got %v, want %.2f", o, got, want)
		}
	}
	// 32 → 64 interpolates linearly: a horizontal ramp stays a ramp.
	ramp := image.NewGray(image.Rect(0, 0, 32, 32))
	for y := 0; y < 32; y++ {
		for x := 0; x < 32; x++ {
			ramp.SetGray(x, y, color.Gray{uint8(8 * x)})
		}
	}
	p = mustFromImage(t, ramp, Squash)
	for x := 1; x < Size-1; x++ { // output centre x+0.5 is source (x+0.5)/2
		want := 8 * ((float64(x)+0.5)/2 - 0.5)
		if got := float64(at(p, 0, x, 5)); math.Abs(got-want) > 0.51 {
			t.Errorf("32→64 at x=%d: got %v, want %.2f", x, got, want)
		}
	}
}

func TestSizes(t *testing.T) {
	one := image.NewRGBA(image.Rect(0, 0, 1, 1))
	one.SetRGBA(0, 0, color.RGBA{200, 100, 50, 255})
	p, err := Decode("one.png", encode(t, encPNG, one), Squash)
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i < Size*Size; i++ {
		if p[i] != 200 || p[Size*Size+i] != 100 || p[2*Size*Size+i] != 50 {
			t.Fatalf("1×1 picture: pixel %d is %d %d %d", i, p[i], p[Size*Size+i], p[2*Size*Size+i])
		}
	}
	for _, crop := range []Crop{Squash, Center} {
		if _, err := FromImage(image.NewGray(image.Rect(0, 0, 1, 5000)), crop); err != nil {
			t.Fatal(err)
		}
		if _, err := FromImage(image.NewGray(image.Rect(3, 7, 3000, 8)), crop); err != nil {
			t.Fatal(err)
		}
	}
	if testing.Short() {
		t.Skip("6000×4000 picture skipped in short mode")
	}
	// 6000×4000: a 600×400 smooth picture enlarged 10 times, plus noise.
	small := smooth(600, 400, 5)
	big := image.NewRGBA(image.Rect(0, 0, 6000, 4000))
	x := uint32(12345)
	for i := range big.Pix {
		if i%4 == 3 {
			big.Pix[i] = 255
			continue
		}
		p := i / 4
		v := int(small.Pix[(p/6000/10)*small.Stride+(p%6000/10)*4+i%4])
		x ^= x << 13
		x ^= x >> 17
		x ^= x << 5
		big.Pix[i] = uint8(max(0, min(255, v+int(x%9)-4)))
	}
	b := encode(t, encJPEG, big)
	got, err := Decode("big.jpg", b, Squash)
	if err != nil {
		t.Fatal(err)
	}
	if d := meanAbsDiff(got, mustFromImage(t, big, Squash)); d > 1.5 {
		t.Errorf("6000×4000: mean difference %.2f from the source", d)
	}
}

// pngWithSize returns a small PNG whose header claims w×h.
func pngWithSize(t *testing.T, w, h uint32) []byte {
	b := encode(t, encPNG, smooth(4, 4, 6))
	binary.BigEndian.PutUint32(b[16:], w)
	binary.BigEndian.PutUint32(b[20:], h)
	binary.BigEndian.PutUint32(b[29:], crc32.ChecksumIEEE(b[12:29]))
	return b
}

func TestTooLarge(t *testing.T) {
	for _, sz := range [][2]uint32{{20000, 20000}, {70000, 10}} {
		_, err := Decode("huge.png", pngWithSize(t, sz[0], sz[1]), Squash)
		if err == nil || !strings.Contains(err.Error(), "too large") || !strings.Contains(err.Error(), "huge.png") {
			t.Errorf("%d×%d: got error %v, want a \"too large\" error naming the file", sz[0], sz[1], err)
		}
	}
	// The same header with a sane size still decodes up to the pixel data.
	if _, err := Decode("ok.png", pngWithSize(t, 4, 4), Squash); err != nil {
		t.Errorf("untouched size: %v", err)
	}
}

func init() {
	// A format whose decoder panics, to test that Decode recovers.
	image.RegisterFormat("panictest", "PANICIMG",
		func(io.Reader) (image.Image, error) { panic("boom") },
		func(io.Reader) (image.Config, error) { return image.Config{Width: 4, Height: 4}, nil })
}

func TestDecoderPanic(t *testing.T) {
	_, err := Decode("bad.img", []byte("PANICIMG and more"), Squash)
	if err == nil || !strings.Contains(err.Error(), "bad.img") || !strings.Contains(err.Error(), "boom") {
		t.Fatalf("got %v, want an error naming the file and the panic", err)
	}
}

func TestCorrupt(t *testing.T) {
	good := encode(t, encPNG, smooth(40, 30, 7))
	goodJPEG := encode(t, encJPEG, smooth(40, 30, 7))
	garbage := make([]byte, 500)
	r := rand.New(rand.NewPCG(8, 8))
	for i := range garbage {
		garbage[i] = byte(r.IntN(256))
	}
	for _, tc := range []struct {
		name string
		b    []byte
		want string
	}{
		{"zero.png", nil, "empty file"},
		{"notes.txt", []byte("hello, these are notes\n"), "not an image"},
		{"random.jpg", garbage, "not an image"},
		{"trunc.png", good[:len(good)/2], "png"},
		{"trunc.jpg", goodJPEG[:len(goodJPEG)/2], "jpeg"},
		{"badbody.jpg", append(append([]byte{}, goodJPEG[:200]...), garbage...), "jpeg"},
		{"broken.webp", append([]byte("RIFF\x40\x00\x00\x00WEBPVP8L"), garbage[:60]...), "webp"},
		{"header.gif", []byte("GIF89a\x10\x00"), "gif"},
	} {
		_, err := Decode(tc.name, tc.b, Squash)
		if err == nil {
			t.Errorf("%s: decoded without error", tc.name)
			continue
		}
		if !strings.Contains(err.Error(), tc.name) || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: error %q should name the file and say %q", tc.name, err, tc.want)
		}
	}
}

// ---- hand-made files in the formats Go cannot write ----

// bitWriter writes bits least significant first (WebP lossless).
type bitWriter struct {
	b     []byte
	acc   uint64
	nbits uint
}

func (w *bitWriter) write(v uint64, n uint) {
	w.acc |= v << w.nbits
	w.nbits += n
	for w.nbits >= 8 {
		w.b = append(w.b, byte(w.acc))
		w.acc >>= 8
		w.nbits -= 8
	}
}

func (w *bitWriter) bytes() []byte {
	if w.nbits > 0 {
		w.b = append(w.b, byte(w.acc))
	}
	return w.b
}

// losslessWebP writes a WebP (VP8L) picture whose pixels take, in each of
// R, G and B, one of two values (two-symbol "simple" prefix codes), chosen
// by pick; it returns the file and the picture it holds.
func losslessWebP(w, h int, lo, hi [3]uint8, pick func(x, y, c int) bool) ([]byte, *image.NRGBA) {
	var bw bitWriter
	bw.write(0x2f, 8)
	bw.write(uint64(w-1), 14)
	bw.write(uint64(h-1), 14)
	bw.write(0, 1)            // no alpha
	bw.write(0, 3)            // version
	bw.write(0, 1)            // no transform
	bw.write(0, 1)            // no colour cache
	bw.write(0, 1)            // no meta prefix codes
	two := func(a, b uint8) { // simple code: 2 symbols, 8 bits each
		bw.write(1, 1)
		bw.write(1, 1)
		bw.write(1, 1)
		bw.write(uint64(a), 8)
		bw.write(uint64(b), 8)
	}
	one := func(a uint8) { // simple code: 1 symbol of 1 bit
		bw.write(1, 1)
		bw.write(0, 1)
		bw.write(0, 1)
		bw.write(uint64(a), 1)
	}
	two(lo[1], hi[1]) // green
	two(lo[0], hi[0]) // red
	two(lo[2], hi[2]) // blue
	bw.write(1, 1)    // alpha: one symbol, 255
	bw.write(0, 1)
	bw.write(1, 1)
	bw.write(255, 8)
	one(0) // distance
	img := image.NewNRGBA(image.Rect(0, 0, w, h))
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			p := img.Pix[y*img.Stride+4*x:]
			for _, c := range []int{1, 0, 2} { // the order of the codes
				v := lo[c]
				if pick(x, y, c) {
					v = hi[c]
					bw.write(1, 1)
				} else {
					bw.write(0, 1)
				}
				p[c] = v
			}
			p[3] = 255
		}
	}
	data := bw.bytes()
	if len(data)%2 == 1 {
		data = append(data, 0)
	}
	var f bytes.Buffer
	f.WriteString("RIFF")
	binary.Write(&f, binary.LittleEndian, uint32(4+8+len(data)))
	f.WriteString("WEBPVP8L")
	binary.Write(&f, binary.LittleEndian, uint32(len(data)))
	f.Write(data)
	return f.Bytes(), img
}

func TestWebP(t *testing.T) {
	r := rand.New(rand.NewPCG(9, 9))
	bits := make([]bool, 50*70*3)
	for i := range bits {
		bits[i] = r.IntN(2) == 1
	}
	b, want := losslessWebP(50, 70, [3]uint8{20, 60, 110}, [3]uint8{230, 180, 90},
		func(x, y, c int) bool { return bits[(y*50+x)*3+c] })
	got, err := Decode("pic.webp", b, Squash)
	if err != nil {
		t.Fatal(err)
	}
	if d := meanAbsDiff(got, mustFromImage(t, want, Squash)); d != 0 {
		t.Errorf("WebP: mean difference %.3f from the picture written", d)
	}
}

// bitWriterMSB writes bits most significant first, with JPEG's 0xFF
// stuffing.
type bitWriterMSB struct {
	b     []byte
	acc   uint32
	nbits uint
}

func (w *bitWriterMSB) write(v uint32, n uint) {
	for i := int(n) - 1; i >= 0; i-- {
		w.acc = w.acc<<1 | (v>>uint(i))&1
		w.nbits++
		if w.nbits == 8 {
			w.b = append(w.b, byte(w.acc))
			if byte(w.acc) == 0xff {
				w.b = append(w.b, 0)
			}
			w.acc, w.nbits = 0, 0
		}
	}
}

func (w *bitWriterMSB) flush() []byte {
	for w.nbits != 0 {
		w.write(1, 1)
	}
	return w.b
}

// cmykJPEG writes a baseline JPEG with four components and an Adobe marker
// saying CMYK (transform 0): each 8×8 block is flat, of the stored values
// val(bx, by, c); only DC coefficients are coded, with quantisation 1.
func cmykJPEG(bw, bh int, val func(bx, by, c int) uint8) []byte {
	var f bytes.Buffer
	seg := func(marker byte, body []byte) {
		f.Write([]byte{0xff, marker})
		binary.Write(&f, binary.BigEndian, uint16(len(body)+2))
		f.Write(body)
	}
	f.Write([]byte{0xff, 0xd8})
	seg(0xee, []byte{'A', 'd', 'o', 'b', 'e', 0, 100, 0, 0, 0, 0, 0})
	q := make([]byte, 65)
	for i := 1; i < 65; i++ {
		q[i] = 1
	}
	seg(0xdb, q)
	sof := []byte{8, byte(bh * 8 >> 8), byte(bh * 8), byte(bw * 8 >> 8), byte(bw * 8), 4}
	for c := 1; c <= 4; c++ {
		sof = append(sof, byte(c), 0x11, 0)
	}
	seg(0xc0, sof)
	// DC table: categories 0..11, all with 4-bit codes (code = category).
	dht := []byte{0x00, 0, 0, 0, 12, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11}
	// AC table: end-of-block only, code "0".
	dht = append(dht, 0x10, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x00)
	seg(0xc4, dht)
	sos := []byte{4}
	for c := 1; c <= 4; c++ {
		sos = append(sos, byte(c), 0x00)
	}
	sos = append(sos, 0, 63, 0)
	seg(0xda, sos)
	var w bitWriterMSB
	var prev [4]int
	for by := 0; by < bh; by++ {
		for bx := 0; bx < bw; bx++ {
			for c := 0; c < 4; c++ {
				dc := 8 * (int(val(bx, by, c)) - 128)
				diff := dc - prev[c]
				prev[c] = dc
				mag := diff
				if mag < 0 {
					mag = -mag
				}
				cat := 0
				for mag>>cat != 0 {
					cat++
				}
				w.write(uint32(cat), 4)
				if cat > 0 {
					v := diff
					if v < 0 {
						v += 1<<cat - 1
					}
					w.write(uint32(v), uint(cat))
				}
				w.write(0, 1) // end of block
			}
		}
	}
	f.Write(w.flush())
	f.Write([]byte{0xff, 0xd9})
	return f.Bytes()
}

func TestCMYKJPEG(t *testing.T) {
	const bw, bh = 12, 10
	r := rand.New(rand.NewPCG(10, 10))
	vals := make([]uint8, bw*bh*4)
	for i := range vals {
		vals[i] = uint8(r.IntN(256))
	}
	val := func(bx, by, c int) uint8 { return vals[(by*bw+bx)*4+c] }
	b := cmykJPEG(bw, bh, val)
	img, err := jpeg.Decode(bytes.NewReader(b))
	if err != nil {
		t.Fatalf("the hand-made CMYK JPEG does not decode: %v", err)
	}
	cm, ok := img.(*image.CMYK)
	if !ok {
		t.Fatalf("decoded as %T, want *image.CMYK", img)
	}
	// Adobe CMYK JPEGs store inverted ink: stored 255 means no ink.
	for _, p := range [][2]int{{0, 0}, {17, 9}, {95, 79}, {50, 40}} {
		c := cm.CMYKAt(p[0], p[1])
		bx, by := p[0]/8, p[1]/8
		want := color.CMYK{255 - val(bx, by, 0), 255 - val(bx, by, 1), 255 - val(bx, by, 2), 255 - val(bx, by, 3)}
		if d := max(absd(c.C, want.C), absd(c.M, want.M), absd(c.Y, want.Y), absd(c.K, want.K)); d > 1 {
			t.Fatalf("pixel %v is %v, want %v", p, c, want)
		}
	}
	got, err := Decode("cmyk.jpg", b, Squash)
	if err != nil {
		t.Fatal(err)
	}
	// The same picture converted to RGB by the standard library.
	rgb := image.NewRGBA(cm.Bounds())
	for y := 0; y < cm.Bounds().Dy(); y++ {
		for x := 0; x < cm.Bounds().Dx(); x++ {
			rgb.Set(x, y, cm.At(x, y))
		}
	}
	if d := meanAbsDiff(got, mustFromImage(t, rgb, Squash)); d != 0 {
		t.Errorf("CMYK: mean difference %.3f from the RGB conversion", d)
	}
}

func absd(a, b uint8) int {
	if a > b {
		return int(a - b)
	}
	return int(b - a)
}

// ---- crops ----

func TestCrop(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want Crop
		err  bool
	}{{"", Squash, false}, {"squash", Squash, false}, {"Center", Center, false}, {"centre", Center, false}, {"zoom", Squash, true}} {
		c, err := ParseCrop(tc.in)
		if (err != nil) != tc.err || (!tc.err && c != tc.want) {
			t.Errorf("ParseCrop(%q) = %v, %v", tc.in, c, err)
		}
	}
	if Squash.String() != "squash" || Center.String() != "center" {
		t.Error("Crop.String")
	}

	// 128×64: a red quarter, a green half, a blue quarter, with noise.
	img := image.NewRGBA(image.Rect(0, 0, 128, 64))
	r := rand.New(rand.NewPCG(11, 11))
	for y := 0; y < 64; y++ {
		for x := 0; x < 128; x++ {
			n := uint8(r.IntN(20))
			c := color.RGBA{n, 200 + n, n, 255}
			if x < 32 {
				c = color.RGBA{200 + n, n, n, 255}
			} else if x >= 96 {
				c = color.RGBA{n, n, 200 + n, 255}
			}
			img.SetRGBA(x, y, c)
		}
	}
	dominant := func(p []uint8, x int) int { // the strongest channel of column x
		var s [3]int
		for y := 0; y < Size; y++ {
			for c := range 3 {
				s[c] += int(at(p, c, x, y))
			}
		}
		best := 0
		for c := range 3 {
			if s[c] > s[best] {
				best = c
			}
		}
		return best
	}
	sq := mustFromImage(t, encodeDecode(t, img), Squash)
	for x := 0; x < Size; x++ {
		want := 1
		if x < 15 {
			want = 0
		} else if x > 48 {
			want = 2
		}
		if x == 15 || x == 16 || x == 47 || x == 48 {
			continue // the blended edges
		}
		if d := dominant(sq, x); d != want {
			t.Errorf("squash: column %d is mostly channel %d, want %d", x, d, want)
		}
	}
	ce := mustFromImage(t, img, Center)
	for x := 0; x < Size; x++ {
		if d := dominant(ce, x); d != 1 {
			t.Errorf("center: column %d is mostly channel %d, want green", x, d)
		}
	}
	// A tall picture is cropped top and bottom.
	tall := image.NewRGBA(image.Rect(0, 0, 64, 128))
	for y := 0; y < 128; y++ {
		for x := 0; x < 64; x++ {
			c := color.RGBA{0, 255, 0, 255}
			if y < 32 || y >= 96 {
				c = color.RGBA{255, 0, 0, 255}
			}
			tall.SetRGBA(x, y, c)
		}
	}
	p := mustFromImage(t, tall, Center)
	if at(p, 0, 10, 0) != 0 || at(p, 1, 10, 63) != 255 {
		t.Errorf("center crop of a tall picture keeps the top or bottom")
	}
}

func encodeDecode(t *testing.T, img image.Image) image.Image {
	m, err := png.Decode(bytes.NewReader(encode(t, encPNG, img)))
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// ---- folders ----

func TestLoadDir(t *testing.T) {
	dir := t.TempDir()
	good := map[string][]byte{
		"a/img1.png":            encode(t, encPNG, smooth(70, 50, 20)),
		"a/sub/deeper/img3.bmp": encode(t, encBMP, smooth(64, 64, 21)),
		"a/sub/img2.jpg":        encode(t, encJPEG, smooth(33, 90, 22)),
		"c.gif":                 encode(t, encGIF, image.NewPaletted(image.Rect(0, 0, 10, 10), palette.Plan9)),
		"d.TIFF":                encode(t, encTIFF, smooth(20, 20, 23)),
	}
	for n, b := range good {
		writeFile(t, dir, n, b)
	}
	png0 := good["a/img1.png"]
	jpg0 := good["a/sub/img2.jpg"]
	bad := map[string][]byte{
		"b/bad.jpg":     append([]byte{0xff, 0xd8, 0xff, 0xdb, 0x00, 0x05}, bytes.Repeat([]byte{7}, 300)...),
		"b/trunc.png":   png0[:len(png0)/2],
		"b/trunc.jpg":   jpg0[:len(jpg0)*2/3],
		"b/zero.png":    {},
		"b/notes.txt":   []byte("not a picture"),
		"b/broken.webp": []byte("RIFF\x20\x00\x00\x00WEBPVP8 \x10\x00\x00\x00garbagegarbage!!"),
	}
	for n, b := range bad {
		writeFile(t, dir, n, b)
	}
	writeFile(t, dir, ".hidden/x.png", png0)
	writeFile(t, dir, "a/.DS_Store", []byte("junk"))

	var log bytes.Buffer
	set, err := LoadDir(dir, Squash, &log)
	if err != nil {
		t.Fatal(err)
	}
	wantNames := []string{"a/img1.png", "a/sub/deeper/img3.bmp", "a/sub/img2.jpg", "c.gif", "d.TIFF"}
	if !slices.Equal(set.Names, wantNames) {
		t.Errorf("names %q, want %q", set.Names, wantNames)
	}
	if len(set.Images) != len(wantNames) {
		t.Fatalf("%d images", len(set.Images))
	}
	for i, n := range wantNames {
		exp, err := Decode(n, good[n], Squash)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(set.Images[i], exp) {
			t.Errorf("%s: loaded picture differs from Decode's", n)
		}
	}
	if len(set.Skipped) != len(bad) {
		t.Errorf("%d skipped, want %d: %v", len(set.Skipped), len(bad), set.Skipped)
	}
	lines := strings.Split(strings.TrimSpace(log.String()), "\n")
	if len(lines) != len(bad) {
		t.Errorf("log has %d lines, want %d:\n%s", len(lines), len(bad), log.String())
	}
	for _, sk := range set.Skipped {
		if _, ok := bad[sk.Path]; !ok || sk.Reason == "" {
			t.Errorf("unexpected skip %+v", sk)
		}
		if !strings.Contains(log.String(), sk.Path+": ") {
			t.Errorf("log does not name %s", sk.Path)
		}
	}
	t.Logf("log:\n%s", log.String())
	for _, n := range []string{".hidden", ".DS_Store"} {
		if strings.Contains(log.String(), n) {
			t.Errorf("hidden %s was looked at", n)
		}
	}

	// Center crop loads too, and differs on the non-square pictures.
	cset, err := LoadDir(dir, Center, nil)
	if err != nil {
		t.Fatal(err)
	}
	if bytes.Equal(cset.Images[0], set.Images[0]) || !bytes.Equal(cset.Images[1], set.Images[1]) {
		t.Error("center crop should change the 70×50 picture and keep the 64×64 one")
	}
}

func TestLoadDirErrors(t *testing.T) {
	empty := t.TempDir()
	writeFile(t, empty, ".hidden.png", encode(t, encPNG, smooth(8, 8, 1)))
	if err := os.Mkdir(filepath.Join(empty, "sub"), 0o755); err != nil {
		t.Fatal(err)
	}
	_, err := LoadDir(empty, Squash, nil)
	if err == nil || !strings.Contains(err.Error(), "empty") {
		t.Errorf("empty folder: %v", err)
	}

	junk := t.TempDir()
	writeFile(t, junk, "a.txt", []byte("text"))
	writeFile(t, junk, "x/b.jpg", []byte("not really"))
	var log bytes.Buffer
	_, err = LoadDir(junk, Squash, &log)
	if err == nil || !strings.Contains(err.Error(), "found 2 files, skipped 2") {
		t.Errorf("folder of junk: %v", err)
	}
	if !strings.Contains(log.String(), "a.txt") || !strings.Contains(log.String(), "x/b.jpg") {
		t.Errorf("log: %s", log.String())
	}

	_, err = LoadDir(filepath.Join(junk, "nope"), Squash, nil)
	if err == nil || !strings.Contains(err.Error(), "does not exist") {
		t.Errorf("missing folder: %v", err)
	}
	_, err = LoadDir(filepath.Join(junk, "a.txt"), Squash, nil)
	if err == nil || !strings.Contains(err.Error(), "not a folder") {
		t.Errorf("file instead of folder: %v", err)
	}

	set := makeSet(3, 1)
	_, err = set.NewStream(4, 1)
	if err == nil || err.Error() != "found 3 images, need at least one minibatch of 4" {
		t.Errorf("too few: %v", err)
	}
}

func TestSymlinks(t *testing.T) {
	dir := t.TempDir()
	writeFile(t, dir, "a/img.png", encode(t, encPNG, smooth(20, 20, 30)))
	link := func(target, name string) {
		if err := os.Symlink(target, filepath.Join(dir, filepath.FromSlash(name))); err != nil {
			t.Skipf("no symlinks here: %v", err)
		}
	}
	link("..", "a/loop")                // a loop back to the root
	link(".", "a/self")                 // a loop to itself
	link("a", "link")                   // a second way into a
	link("a/img.png", "file-link.png")  // a link to a file
	link("nowhere.png", "dangling.png") // a broken link
	outside := t.TempDir()              // a link to a folder outside
	writeFile(t, outside, "o.png", encode(t, encPNG, smooth(20, 20, 31)))
	link(outside, "z-outside")

	var log bytes.Buffer
	set, err := LoadDir(dir, Squash, &log)
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"a/img.png", "file-link.png", "z-outside/o.png"}
	if !slices.Equal(set.Names, want) {
		t.Errorf("names %q, want %q", set.Names, want)
	}
	if len(set.Skipped) != 1 || set.Skipped[0].Path != "dangling.png" {
		t.Errorf("skipped %v, want the dangling link", set.Skipped)
	}

	// The root itself may be a link.
	link(".", "root-link")
	set, err = LoadDir(filepath.Join(dir, "root-link"), Squash, nil)
	if err != nil || len(set.Images) != 3 {
		t.Errorf("through a linked root: %v, %v", set, err)
	}
}

// ---- in-memory sets ----

// makeSet returns n random pictures.
func makeSet(n int, seed uint64) *Set {
	r := rand.New(rand.NewPCG(seed, 99))
	s := &Set{}
	for i := 0; i < n; i++ {
		p := make([]uint8, ImageLen)
		for j := range p {
			p[j] = uint8(r.IntN(256))
		}
		s.Images = append(s.Images, p)
		s.Names = append(s.Names, string(rune('a'+i%26)))
	}
	return s
}

func TestFromImagesAndTensor(t *testing.T) {
	imgs := []image.Image{smooth(64, 64, 40), smooth(10, 300, 41), image.NewRGBA(image.Rect(0, 0, 0, 5)), smooth(1, 1, 42)}
	set := FromImages(imgs, Squash)
	if set.Len() != 3 || len(set.Skipped) != 1 || set.Skipped[0].Path != "2" {
		t.Fatalf("FromImages: %d images, skipped %v", set.Len(), set.Skipped)
	}
	// The 64×64 picture is kept as is, and comes back through Image.
	back := set.Image(0)
	for i := range back.Pix {
		if back.Pix[i] != imgs[0].(*image.RGBA).Pix[i] {
			t.Fatal("Image(0) differs from the 64×64 source")
		}
	}
	ten := set.Tensor(0, 3, nil)
	if len(ten) != 3*ImageLen {
		t.Fatalf("Tensor: %d values", len(ten))
	}
	for i, v := range ten {
		b := set.Images[i/ImageLen][i%ImageLen]
		if v != float32(float64(b)/127.5-1) {
			t.Fatalf("Tensor value %d: %v from byte %d", i, v, b)
		}
	}
	again := set.Tensor(1, 2, ten)
	if &again[0] != &ten[0] || len(again) != ImageLen {
		t.Error("Tensor should reuse a long enough dst")
	}

	sheet := Sheet([]image.Image{set.Image(0), set.Image(1), set.Image(2)}, 2)
	if sheet.Bounds() != image.Rect(0, 0, 128, 128) {
		t.Errorf("sheet bounds %v", sheet.Bounds())
	}
	if sheet.RGBAAt(64+5, 7) != set.Image(1).RGBAAt(5, 7) || sheet.RGBAAt(100, 100) != (color.RGBA{0, 0, 0, 255}) {
		t.Error("sheet tiles")
	}
}

func TestHoldOut(t *testing.T) {
	set := makeSet(50, 2)
	train, held := set.HoldOut(12, 7)
	if train.Len() != 38 || held.Len() != 12 {
		t.Fatalf("sizes %d, %d", train.Len(), held.Len())
	}
	seen := map[*uint8]int{}
	for _, s := range []*Set{train, held} {
		for _, p := range s.Images {
			seen[&p[0]]++
		}
	}
	if len(seen) != 50 {
		t.Errorf("train and held cover %d distinct pictures, want 50", len(seen))
	}
	_, held2 := set.HoldOut(12, 7)
	_, held3 := set.HoldOut(12, 8)
	same := func(a, b *Set) bool { return slices.Equal(a.Names, b.Names) && &a.Images[0][0] == &b.Images[0][0] }
	if !same(held, held2) {
		t.Error("HoldOut is not deterministic")
	}
	if same(held, held3) && slices.Equal(held.Names, held3.Names) {
		t.Error("HoldOut ignores its seed")
	}
	if tr, h := set.HoldOut(100, 1); tr.Len() != 0 || h.Len() != 50 {
		t.Error("HoldOut(n > len) should hold out everything")
	}
}

// ---- streams ----

// identify returns which picture of set the sample x is, and whether it is
// mirrored; it fails the test if x is neither a picture nor its mirror.
func identify(t *testing.T, set *Set, x []float32) (int, bool) {
	t.Helper()
	plain := make([]float32, ImageLen)
	mirror := make([]float32, ImageLen)
	for i, p := range set.Images {
		toFloat(plain, p, false)
		toFloat(mirror, p, true)
		if slices.Equal(x, plain) {
			return i, false
		}
		if slices.Equal(x, mirror) {
			return i, true
		}
	}
	t.Fatal("sample is neither a picture of the set nor a mirrored one")
	return 0, false
}

func TestStreamFlipAndRange(t *testing.T) {
	set := makeSet(16, 3)
	set.Images[0][0] = 0
	set.Images[0][1] = 255
	st, err := set.NewStream(16, 42)
	if err != nil {
		t.Fatal(err)
	}
	buf := make([]float32, 16*ImageLen)
	flips, total := 0, 0
	lo, hi := float32(0), float32(0)
	for epoch := 0; epoch < 40; epoch++ {
		st.Next(buf)
		seen := map[int]bool{}
		for k := 0; k < 16; k++ {
			x := buf[k*ImageLen : (k+1)*ImageLen]
			i, f := identify(t, set, x)
			seen[i] = true
			if f {
				flips++
			}
			total++
			for _, v := range x {
				lo, hi = min(lo, v), max(hi, v)
			}
			// Mirrored output equals the mirror of the unflipped picture.
			if f {
				if x[Size-1] != float32(float64(set.Images[i][0])/127.5-1) {
					t.Fatal("flip is not a horizontal mirror")
				}
			}
		}
		if len(seen) != 16 {
			t.Fatalf("epoch %d covers %d pictures, want all 16", epoch, len(seen))
		}
	}
	// 640 fair coins: 320 ± 40 is more than 3 standard deviations.
	if flips < 280 || flips > 360 {
		t.Errorf("%d of %d samples flipped, want about half", flips, total)
	}
	if lo != -1 || hi != 1 {
		t.Errorf("values span [%v, %v], want exactly [-1, 1]", lo, hi)
	}
}

func TestStreamPartialBatches(t *testing.T) {
	set := makeSet(10, 4)
	st, err := set.NewStream(4, 5)
	if err != nil {
		t.Fatal(err)
	}
	buf := make([]float32, 4*ImageLen)
	everSeen := map[int]bool{}
	for epoch := 0; epoch < 30; epoch++ {
		seen := map[int]bool{}
		for b := 0; b < 2; b++ {
			if s := st.State(); epoch > 0 && b == 0 && s != (StreamState{epoch - 1, 8}) {
				t.Fatalf("state before epoch %d: %+v", epoch, s)
			}
			st.Next(buf)
			if s := st.State(); s != (StreamState{epoch, 4 * (b + 1)}) {
				t.Fatalf("state after batch %d of epoch %d: %+v", b, epoch, s)
			}
			for k := 0; k < 4; k++ {
				i, _ := identify(t, set, buf[k*ImageLen:(k+1)*ImageLen])
				seen[i] = true
				everSeen[i] = true
			}
		}
		if len(seen) != 8 {
			t.Fatalf("epoch %d covers %d distinct pictures, want 8", epoch, len(seen))
		}
	}
	if len(everSeen) != 10 {
		t.Errorf("30 epochs saw %d of 10 pictures", len(everSeen))
	}
}

func batches(st interface{ Next([]float32) }, batch, n int) [][]float32 {
	var out [][]float32
	for i := 0; i < n; i++ {
		b := make([]float32, batch*ImageLen)
		st.Next(b)
		out = append(out, b)
	}
	return out
}

func TestStreamDeterminismAndResume(t *testing.T) {
	set := makeSet(23, 6)
	const batch = 5 // 4 batches an epoch, 3 pictures dropped
	a, _ := set.NewStream(batch, 77)
	b, _ := set.NewStream(batch, 77)
	c, _ := set.NewStream(batch, 78)
	ba, bb, bc := batches(a, batch, 13), batches(b, batch, 13), batches(c, batch, 13)
	for i := range ba {
		if !slices.Equal(ba[i], bb[i]) {
			t.Fatalf("batch %d differs between two streams of one seed", i)
		}
	}
	if slices.Equal(ba[0], bc[0]) && slices.Equal(ba[1], bc[1]) {
		t.Error("the seed does not change the stream")
	}

	for _, k := range []int{0, 1, 3, 4, 7, 9} {
		src, _ := set.NewStream(batch, 77)
		batches(src, batch, k)
		state := src.State()
		want := batches(src, batch, 6)
		dst, _ := set.NewStream(batch, 77)
		batches(dst, batch, 2) // somewhere else first
		if err := dst.Restore(state); err != nil {
			t.Fatal(err)
		}
		got := batches(dst, batch, 6)
		for i := range want {
			if !slices.Equal(got[i], want[i]) {
				t.Fatalf("resumed after %d batches: batch %d differs", k, i)
			}
		}
		if dst.State() != src.State() {
			t.Errorf("states %+v and %+v", dst.State(), src.State())
		}
	}
	for _, bad := range []StreamState{{-1, 0}, {0, -5}, {0, 25}, {2, 3}} {
		if err := a.Restore(bad); err == nil {
			t.Errorf("Restore(%+v) accepted", bad)
		}
	}
}

func TestPrefetch(t *testing.T) {
	set := makeSet(30, 7)
	const batch = 4
	plain, _ := set.NewStream(batch, 9)
	want := batches(plain, batch, 40)

	st, _ := set.NewStream(batch, 9)
	batches(st, batch, 3)
	ref, _ := set.NewStream(batch, 9)
	batches(ref, batch, 3)
	for _, depth := range []int{1, 3} {
		p := st.Prefetch(depth)
		done := 3
		if depth == 3 {
			done = 3 + 10
		}
		got := batches(p, batch, 10)
		for i := range got {
			if !slices.Equal(got[i], want[done+i]) {
				t.Fatalf("depth %d: prefetched batch %d differs from Next's", depth, done+i)
			}
		}
		batches(ref, batch, 10)
		if p.State() != ref.State() {
			t.Errorf("prefetcher state %+v, want the consumer's %+v", p.State(), ref.State())
		}
		p.Close()
		p.Close()
		if st.State() != ref.State() {
			t.Errorf("stream after Close at %+v, want %+v", st.State(), ref.State())
		}
	}
	// After Close the stream goes on where the consumer stopped.
	got := batches(st, batch, 5)
	for i := range got {
		if !slices.Equal(got[i], want[23+i]) {
			t.Fatalf("after Close: batch %d differs", i)
		}
	}
	// Closing a prefetcher that was never read from.
	before := st.State()
	p := st.Prefetch(2)
	p.Close()
	if st.State() != before {
		t.Errorf("an unread prefetcher moved the stream from %+v to %+v", before, st.State())
	}
}

func TestBudget(t *testing.T) {
	b := newBudget(100)
	if n := b.acquire(1000); n != 100 {
		t.Fatalf("acquire past the budget took %d, want all 100", n)
	}
	done := make(chan bool)
	go func() {
		n := b.acquire(10) // waits for the release below
		b.release(n)
		done <- true
	}()
	b.release(100)
	<-done
	if b.free != 100 {
		t.Errorf("free %d after all releases, want 100", b.free)
	}
}
