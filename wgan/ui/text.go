package ui

import (
	"bytes"
	"compress/gzip"
	_ "embed"
	"encoding/binary"
	"errors"
	"image"
	"image/color"
	"io"
	"sort"
	"sync"

	"golang.org/x/image/font"
	"golang.org/x/image/font/basicfont"
	"golang.org/x/image/math/fixed"
)

// The Go fonts, pre-rasterized at a set of pixel sizes by
// internal/fontgen (see there for why and for the format; the fonts' licence
// is in goglyphs.LICENSE).
//
//go:embed goglyphs.bin.gz
var goGlyphsGz []byte

// glyph is one pre-rasterized glyph.
type glyph struct {
	adv    fixed.Int26_6
	x0, y0 int // bitmap top-left relative to the dot
	mask   *image.Alpha
}

// bitmapFace is a font.Face over pre-rasterized glyphs. It is immutable
// after loading, so it is safe for concurrent use.
type bitmapFace struct {
	medium  bool
	px      int
	metrics font.Metrics
	glyphs  map[rune]*glyph
	unknown *glyph
}

var (
	facesOnce sync.Once
	faces     []*bitmapFace // sorted by (medium, px)
	facesErr  error
)

func loadFaces() ([]*bitmapFace, error) {
	facesOnce.Do(func() { faces, facesErr = parseGlyphs(goGlyphsGz) })
	return faces, facesErr
}

func parseGlyphs(gz []byte) ([]*bitmapFace, error) {
	zr, err := gzip.NewReader(bytes.NewReader(gz))
	if err != nil {
		return nil, err
	}
	data, err := io.ReadAll(zr)
	if err != nil {
		return nil, err
	}
	if len(data) < 6 || string(data[:4]) != "WGF1" {
		return nil, errors.New("ui: bad glyph data")
	}
	le := binary.LittleEndian
	o := 4
	need := func(n int) error {
		if o+n > len(data) {
			return errors.New("ui: truncated glyph data")
		}
		return nil
	}
	n := int(le.Uint16(data[o:]))
	o += 2
	var out []*bitmapFace
	for i := 0; i < n; i++ {
		if err := need(11); err != nil {
			return nil, err
		}
		f := &bitmapFace{medium: data[o] == 1, px: int(le.Uint16(data[o+1:])), glyphs: map[rune]*glyph{}}
		asc, desc, h := int16(le.Uint16(data[o+3:])), int16(le.Uint16(data[o+5:])), int16(le.Uint16(data[o+7:]))
		f.metrics = font.Metrics{
			Height:    fixed.I(int(h)),
			Ascent:    fixed.I(int(asc)),
			Descent:   fixed.I(int(desc)),
			CapHeight: fixed.I(int(asc) * 7 / 10),
			XHeight:   fixed.I(int(asc) / 2),
		}
		ng := int(le.Uint16(data[o+9:]))
		o += 11
		for j := 0; j < ng; j++ {
			if err := need(16); err != nil {
				return nil, err
			}
			r := rune(le.Uint32(data[o:]))
			g := &glyph{adv: fixed.Int26_6(int32(le.Uint32(data[o+4:]))), x0: int(int16(le.Uint16(data[o+8:]))), y0: int(int16(le.Uint16(data[o+10:])))}
			w, h := int(le.Uint16(data[o+12:])), int(le.Uint16(data[o+14:]))
			o += 16
			if err := need(w * h); err != nil {
				return nil, err
			}
			g.mask = &image.Alpha{Pix: data[o : o+w*h : o+w*h], Stride: w, Rect: image.Rect(0, 0, w, h)}
			o += w * h
			f.glyphs[r] = g
		}
		f.unknown = f.glyphs['?']
		out = append(out, f)
	}
	sort.Slice(out, func(a, b int) bool {
		if out[a].medium != out[b].medium {
			return !out[a].medium
		}
		return out[a].px < out[b].px
	})
	return out, nil
}

func (f *bitmapFace) lookup(r rune) *glyph {
	if g, ok := f.glyphs[r]; ok {
		return g
	}
	return f.unknown
}

func (f *bitmapFace) Close() error { return nil }

func (f *bitmapFace) Glyph(dot fixed.Point26_6, r rune) (image.Rectangle, image.Image, image.Point, fixed.Int26_6, bool) {
	g := f.lookup(r)
	if g == nil {
		return image.Rectangle{}, nil, image.Point{}, 0, false
	}
	x, y := dot.X.Round()+g.x0, dot.Y.Round()+g.y0
	return image.Rect(x, y, x+g.mask.Rect.Dx(), y+g.mask.Rect.Dy()), g.mask, image.Point{}, g.adv, true
}

func (f *bitmapFace) GlyphBounds(r rune) (fixed.Rectangle26_6, fixed.Int26_6, bool) {
	g := f.lookup(r)
	if g == nil {
		return fixed.Rectangle26_6{}, 0, false
	}
	b := fixed.R(g.x0, g.y0, g.x0+g.mask.Rect.Dx(), g.y0+g.mask.Rect.Dy())
	return b, g.adv, true
}

func (f *bitmapFace) GlyphAdvance(r rune) (fixed.Int26_6, bool) {
	g := f.lookup(r)
	if g == nil {
		return 0, false
	}
	return g.adv, true
}

func (f *bitmapFace) Kern(r0, r1 rune) fixed.Int26_6 { return 0 }

func (f *bitmapFace) Metrics() font.Metrics { return f.metrics }

// newFace returns the Go Regular (or Go Medium) face whose size is the
// largest available not above px (the smallest available if px is below all
// of them), or basicfont if the glyph data cannot be read.
func newFace(medium bool, px float64) font.Face {
	all, err := loadFaces()
	if err != nil || len(all) == 0 {
		return basicfont.Face7x13
	}
	want := int(px + 0.5)
	var best *bitmapFace
	for _, f := range all {
		if f.medium != medium {
			continue
		}
		if best == nil || f.px <= want {
			best = f
		}
	}
	if best == nil {
		return newFace(!medium, px)
	}
	return best
}

// textFace bundles a face with its rounded metrics.
type textFace struct {
	face    font.Face
	ascent  int
	descent int
	height  int // line height
}

func makeTextFace(medium bool, px float64) textFace {
	f := newFace(medium, px)
	m := f.Metrics()
	return textFace{face: f, ascent: m.Ascent.Ceil(), descent: m.Descent.Ceil(), height: m.Height.Ceil()}
}

func (t textFace) width(s string) int {
	return font.MeasureString(t.face, s).Ceil()
}

// draw draws s with its baseline at y, starting at x.
func (t textFace) draw(dst *image.RGBA, s string, x, y int, c color.RGBA) {
	if s == "" {
		return
	}
	d := font.Drawer{Dst: dst, Src: image.NewUniform(c), Face: t.face, Dot: fixed.P(x, y)}
	d.DrawString(s)
}

// drawIn draws s vertically centred in the band [top, top+h), aligned
// left (align<0), centred (align==0) or right (align>0) in [x0, x1).
func (t textFace) drawIn(dst *image.RGBA, s string, x0, x1, top, h, align int, c color.RGBA) {
	w := t.width(s)
	x := x0
	switch {
	case align == 0:
		x = x0 + (x1-x0-w)/2
	case align > 0:
		x = x1 - w
	}
	base := top + (h-(t.ascent+t.descent))/2 + t.ascent
	t.draw(dst, s, x, base, c)
}

// truncate shortens s with an ellipsis so that it fits in maxW pixels.
func (t textFace) truncate(s string, maxW int) string {
	if maxW <= 0 {
		return ""
	}
	if t.width(s) <= maxW {
		return s
	}
	r := []rune(s)
	for len(r) > 0 {
		r = r[:len(r)-1]
		c := string(r) + "…"
		if t.width(c) <= maxW {
			return c
		}
	}
	return ""
}
