//go:build linux || freebsd || openbsd || netbsd

package x11grab

import (
	"errors"
	"fmt"
	"image"

	"github.com/jezek/xgb"
	"github.com/jezek/xgb/xproto"
)

// Window reads the pixels of the top-level window whose WM_CLASS instance
// is instance from the X server of display ("": $DISPLAY) itself (what is
// on the display, not what Ebitengine drew into its offscreen).
func Window(display, instance string) (*image.RGBA, error) {
	c, err := xgb.NewConnDisplay(display)
	if err != nil {
		return nil, err
	}
	defer c.Close()
	setup := xproto.Setup(c)
	root := setup.DefaultScreen(c).Root
	win, err := findWindow(c, root, instance, 0)
	if err != nil {
		return nil, err
	}
	geo, err := xproto.GetGeometry(c, xproto.Drawable(win)).Reply()
	if err != nil {
		return nil, err
	}
	w, h := int(geo.Width), int(geo.Height)
	bpp := 0
	for _, f := range setup.PixmapFormats {
		if f.Depth == geo.Depth {
			bpp = int(f.BitsPerPixel)
		}
	}
	if bpp != 32 {
		return nil, fmt.Errorf("x11: depth %d at %d bits per pixel not supported", geo.Depth, bpp)
	}
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	// Read in bands to stay well under the maximum reply size.
	band := max(1, (1<<20)/(4*w))
	for y0 := 0; y0 < h; y0 += band {
		bh := min(band, h-y0)
		r, err := xproto.GetImage(c, xproto.ImageFormatZPixmap, xproto.Drawable(win), 0, int16(y0), uint16(w), uint16(bh), 0xffffffff).Reply()
		if err != nil {
			return nil, err
		}
		if len(r.Data) < 4*w*bh {
			return nil, fmt.Errorf("x11: short image reply (%d bytes)", len(r.Data))
		}
		for i := 0; i < w*bh; i++ {
			p := r.Data[4*i : 4*i+4]
			o := img.PixOffset(i%w, y0+i/w)
			if setup.ImageByteOrder == xproto.ImageOrderLSBFirst {
				img.Pix[o], img.Pix[o+1], img.Pix[o+2] = p[2], p[1], p[0]
			} else {
				img.Pix[o], img.Pix[o+1], img.Pix[o+2] = p[1], p[2], p[3]
			}
			img.Pix[o+3] = 255
		}
	}
	return img, nil
}

func findWindow(c *xgb.Conn, w xproto.Window, instance string, depth int) (xproto.Window, error) {
	if depth > 4 {
		return 0, errors.New("x11: window not found")
	}
	tree, err := xproto.QueryTree(c, w).Reply()
	if err != nil {
		return 0, err
	}
	for _, ch := range tree.Children {
		p, err := xproto.GetProperty(c, false, ch, xproto.AtomWmClass, xproto.AtomString, 0, 64).Reply()
		if err == nil && len(p.Value) > 0 {
			// WM_CLASS is "instance\x00class\x00".
			inst := p.Value
			for i, b := range inst {
				if b == 0 {
					inst = inst[:i]
					break
				}
			}
			if string(inst) == instance {
				attr, err := xproto.GetWindowAttributes(c, ch).Reply()
				if err == nil && attr.MapState == xproto.MapStateViewable {
					return ch, nil
				}
			}
		}
		if found, err := findWindow(c, ch, instance, depth+1); err == nil {
			return found, nil
		}
	}
	return 0, errors.New("x11: window not found")
}
