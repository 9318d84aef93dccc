//go:build ignore

// Command fontgen pre-rasterizes the Go fonts (Go Regular and Go Medium) at a
// set of pixel sizes into wgan/ui/goglyphs.bin.gz, which package ui embeds.
//
// Why: opentype/sfnt needs golang.org/x/text, which this module does not
// require; the pre-rasterized glyphs give the same crisp, anti-aliased,
// integer-hinted text with no extra dependency (and no font parsing at run
// time, which also suits the WASM build).
//
// Run it from the repository root with a scratch go.mod that adds x/text:
//
//	cp go.mod /tmp/alt.mod; cp go.sum /tmp/alt.sum
//	# add "golang.org/x/text v0.44.0 // indirect" to the require block of /tmp/alt.mod
//	go mod download -modfile=/tmp/alt.mod golang.org/x/text
//	go run -modfile=/tmp/alt.mod ./wgan/ui/internal/fontgen/main.go -o wgan/ui/goglyphs.bin.gz
//
// File format (little endian, gzip-compressed):
//
// Coverage is quantized to 16 levels (multiples of 17).
//
//	"WGF1" u16 nFaces
//	per face: u8 weight (0 regular, 1 medium) u16 px i16 ascent i16 descent i16 height u16 nGlyphs
//	per glyph: u32 rune, i32 advance (26.6), i16 x0, i16 y0, u16 w, u16 h, w*h alpha bytes
//
// (x0, y0) is the bitmap's top-left corner relative to the dot (baseline origin).
package main

import (
	"bytes"
	"compress/gzip"
	"encoding/binary"
	"flag"
	"image"
	"log"
	"os"

	"golang.org/x/image/font"
	"golang.org/x/image/font/gofont/gomedium"
	"golang.org/x/image/font/gofont/goregular"
	"golang.org/x/image/font/opentype"
	"golang.org/x/image/font/sfnt"
	"golang.org/x/image/math/fixed"
)

// Sizes in pixels. Regular is used for body text and tick labels, Medium for
// titles; sizes between are served by the nearest smaller size.
var (
	regularSizes = []int{9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 22, 24, 26, 28, 32}
	mediumSizes  = []int{12, 13, 14, 15, 16, 17, 18, 19, 20, 22, 24, 26, 28, 32, 36}
)

func runes() []rune {
	var rs []rune
	for r := rune(32); r <= 126; r++ {
		rs = append(rs, r)
	}
	rs = append(rs, []rune("…–—‘’“”•·×≈±µ°→←↑↓−≤≥")...)
	return rs
}

func main() {
	out := flag.String("o", "goglyphs.bin.gz", "output file")
	flag.Parse()
	var buf bytes.Buffer
	le := binary.LittleEndian
	w := func(v any) {
		if err := binary.Write(&buf, le, v); err != nil {
			log.Fatal(err)
		}
	}
	buf.WriteString("WGF1")
	w(uint16(len(regularSizes) + len(mediumSizes)))
	for weight, spec := range []struct {
		ttf   []byte
		sizes []int
	}{{goregular.TTF, regularSizes}, {gomedium.TTF, mediumSizes}} {
		f, err := opentype.Parse(spec.ttf)
		if err != nil {
			log.Fatal(err)
		}
		for _, px := range spec.sizes {
			face, err := opentype.NewFace(f, &opentype.FaceOptions{Size: float64(px), DPI: 72, Hinting: font.HintingFull})
			if err != nil {
				log.Fatal(err)
			}
			m := face.Metrics()
			type glyph struct {
				r      rune
				adv    fixed.Int26_6
				x0, y0 int
				a      *image.Alpha
			}
			var gs []glyph
			for _, r := range runes() {
				if idx := hasGlyph(f, r); !idx {
					continue
				}
				dr, mask, mp, adv, ok := face.Glyph(fixed.Point26_6{}, r)
				if !ok {
					continue
				}
				a := image.NewAlpha(image.Rect(0, 0, dr.Dx(), dr.Dy()))
				for y := 0; y < dr.Dy(); y++ {
					for x := 0; x < dr.Dx(); x++ {
						_, _, _, al := mask.At(mp.X+x, mp.Y+y).RGBA()
						// 16 coverage levels: visually the same for text,
						// and the file compresses about twice as well.
						a.Pix[y*a.Stride+x] = uint8((al>>8+8)/17) * 17
					}
				}
				gs = append(gs, glyph{r, adv, dr.Min.X, dr.Min.Y, a})
			}
			w(uint8(weight))
			w(uint16(px))
			w(int16(m.Ascent.Ceil()))
			w(int16(m.Descent.Ceil()))
			w(int16(m.Height.Ceil()))
			w(uint16(len(gs)))
			for _, g := range gs {
				w(uint32(g.r))
				w(int32(g.adv))
				w(int16(g.x0))
				w(int16(g.y0))
				w(uint16(g.a.Rect.Dx()))
				w(uint16(g.a.Rect.Dy()))
				buf.Write(g.a.Pix)
			}
			face.Close()
		}
	}
	var z bytes.Buffer
	zw, _ := gzip.NewWriterLevel(&z, gzip.BestCompression)
	zw.Write(buf.Bytes())
	zw.Close()
	if err := os.WriteFile(*out, z.Bytes(), 0o644); err != nil {
		log.Fatal(err)
	}
	log.Printf("%d bytes raw, %d bytes gzipped -> %s", buf.Len(), z.Len(), *out)
}

// hasGlyph reports whether the font maps r to a real glyph (not .notdef).
func hasGlyph(f *opentype.Font, r rune) bool {
	var b sfnt.Buffer
	i, err := f.GlyphIndex(&b, r)
	return err == nil && i != 0
}
