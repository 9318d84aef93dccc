package data

import (
	"bytes"
	"image"
	"io"
	"strings"
	"testing"
)

// FuzzDecode: whatever bytes a picture file holds, Decode returns either a
// 3×64×64 picture or an error naming the file; it never panics or hangs
// (the size check comes before the pixels are decoded). It decodes under a
// 1-megapixel limit: the same code as for files, each input in milliseconds,
// where a header claiming 100 megapixels would take seconds of a 5-second run.
func FuzzDecode(f *testing.F) {
	fuzzLimits := limits{side: 4096, pixels: 1 << 20}
	src := smooth(40, 30, 7)
	for _, enc := range []func(io.Writer, image.Image) error{encPNG, encJPEG, encGIF, encBMP, encTIFF} {
		var buf bytes.Buffer
		if err := enc(&buf, src); err != nil {
			f.Fatal(err)
		}
		f.Add(buf.Bytes())
		f.Add(buf.Bytes()[:buf.Len()/2]) // truncated
	}
	webp, _ := losslessWebP(5, 3, [3]uint8{1, 2, 3}, [3]uint8{200, 100, 50}, func(x, y, c int) bool { return (x+y+c)%2 == 0 })
	f.Add(webp)
	f.Add([]byte("GIF89a"))
	f.Fuzz(func(t *testing.T, b []byte) {
		for _, crop := range []Crop{Squash, Center} {
			p, err := decodeReader("fuzz.img", bytes.NewReader(b), crop, nil, fuzzLimits)
			if err != nil {
				if !strings.Contains(err.Error(), "fuzz.img") {
					t.Fatalf("error %q does not name the file", err)
				}
				continue
			}
			if len(p) != ImageLen {
				t.Fatalf("decoded %d values, want %d", len(p), ImageLen)
			}
		}
	})
}
