package main

import (
	"bytes"
	"errors"
	"fmt"
	"image"
	"strings"

	"github.com/wgangp/wgangp/assets"
	"github.com/wgangp/wgangp/cmd/wasm/message"
	"github.com/wgangp/wgangp/wgan/data"
)

// This file is the page's pictures: decoded where the browser could not,
// drawn (the embedded flowers), and made into the training data.

// maxSide is the longest side of a picture the worker decodes.
const maxSide = 16384

// newSet makes the training data of the page's pictures.
func newSet(ups []message.Image) (*data.Set, error) {
	if len(ups) == 0 {
		return nil, errors.New("no pictures: add images first")
	}
	const n = data.Size * data.Size
	set := &data.Set{}
	for _, u := range ups {
		if len(u.RGBA) != 4*n {
			return nil, fmt.Errorf("%s: %d bytes, not a 64×64 RGBA picture (%d bytes)", u.Name, len(u.RGBA), 4*n)
		}
		p := make([]uint8, data.ImageLen)
		for k := range n {
			p[k], p[n+k], p[2*n+k] = u.RGBA[4*k], u.RGBA[4*k+1], u.RGBA[4*k+2]
		}
		set.Images = append(set.Images, p)
		set.Names = append(set.Names, u.Name)
	}
	return set, nil
}

func dataDesc(set *data.Set) string {
	return fmt.Sprintf("data: %d uploaded pictures", set.Len())
}

// flowerChunk is how many embedded flowers one message carries.
const flowerChunk = 100

// flowers draws the desktop's default data (the embedded flowers of its
// default seed, the page's too) and posts them to the page a chunk at a
// time, as pictures it adds to its own: a run on them is the desktop's
// `wgangp train` without --data.
func (w *worker) flowers(n int) error {
	if n == 0 {
		n = assets.DefaultCount
	}
	if n < 0 || n > assets.DefaultCount {
		return fmt.Errorf("flowers: %d pictures asked for; there are %d", n, assets.DefaultCount)
	}
	for start := 0; start < n; start += flowerChunk {
		var images []message.Image
		for i := start; i < min(n, start+flowerChunk); i++ {
			images = append(images, message.Image{Name: fmt.Sprintf("flower-%04d.png", i+1),
				RGBA: assets.Flower(i, defaultSeed).Pix})
		}
		w.post(message.Flowers{Images: images, Done: min(n, start+flowerChunk), Total: n})
	}
	return nil
}

// decode decodes a file the browser could not (TIFF, or to say why it is
// not a picture) as the desktop does, squashed to 64×64.
func (w *worker) decode(r message.Decode) {
	d := message.Decoded{ID: r.ID, Name: r.Name}
	if rgba, err := decodePicture(r.Name, r.Bytes); err != nil {
		d.Error = err.Error()
	} else {
		d.RGBA = rgba
	}
	w.post(d)
}

func decodePicture(name string, b []byte) ([]byte, error) {
	if cfg, _, err := image.DecodeConfig(bytes.NewReader(b)); err == nil && (cfg.Width > maxSide || cfg.Height > maxSide) {
		return nil, fmt.Errorf("too large: %d×%d pixels (the limit is %d a side)", cfg.Width, cfg.Height, maxSide)
	}
	p, err := data.Decode(name, b, data.Squash)
	if err != nil {
		return nil, errors.New(strings.TrimPrefix(err.Error(), name+": "))
	}
	return data.ToRGBA(p).Pix, nil
}
