package engine_test

import (
	"strings"
	"testing"

	"github.com/wgangp/wgangp/engine"
)

// TestConvGeomValidate checks the one set of geometry rules: what the graph
// accepts (Conv2D, ConvTranspose, ConvFilter build without panicking) is
// what Validate accepts, and a pad as large as the kernel is refused at
// graph construction, not later inside a backend's Compile.
func TestConvGeomValidate(t *testing.T) {
	for _, c := range []struct {
		h, k, s int
		pad     engine.Padding
		ok      bool
	}{
		{8, 4, 2, engine.Pads(1, 1, 1, 1), true},
		{7, 5, 2, engine.Pads(1, 1, 2, 2), true},
		{9, 3, 2, engine.Pads(0, 0, 0, 0), true}, // the last row never read
		{4, 3, 1, engine.Pads(2, 2, 2, 2), true},
		{4, 2, 1, engine.Pads(2, 0, 0, 0), false}, // top pad = kernel
		{4, 3, 1, engine.Pads(0, 0, 0, 3), false}, // right pad = kernel
		{4, 3, 1, engine.Pads(-1, 0, 0, 0), false},
		{2, 5, 1, engine.Pads(1, 1, 1, 1), false}, // kernel larger than the padded input
		{4, 3, 0, engine.Pads(0, 0, 0, 0), false},
	} {
		g := engine.NewGraph()
		x := g.Input("x", 1, 2, c.h, c.h)
		w := g.Input("w", 3, 2, c.k, c.k)
		built := func(f func()) (err any) {
			defer func() { err = recover() }()
			f()
			return nil
		}
		var y *engine.Node
		perr := built(func() { y = engine.Conv2D(x, w, c.s, c.pad) })
		if (perr == nil) != c.ok {
			t.Errorf("Conv2D h=%d k=%d s=%d pad %v: panic %v, want ok=%v", c.h, c.k, c.s, c.pad, perr, c.ok)
			continue
		}
		if !c.ok {
			if s, _ := perr.(string); !strings.Contains(s, "conv geometry") {
				t.Errorf("Conv2D pad %v: panic %q does not say why", c.pad, perr)
			}
			continue
		}
		geom := engine.Conv2DOp{Stride: c.s, Pad: c.pad}.Geom(x.Shape(), w.Shape())
		if err := geom.Validate(); err != nil {
			t.Errorf("Conv2D built %+v but Validate says %v", geom, err)
		}
		// The adjoints of an accepted convolution are accepted too.
		if err := built(func() {
			engine.ConvTranspose(y, w, c.s, c.pad, c.h, c.h)
			engine.ConvFilter(x, y, c.s, c.pad, c.k, c.k)
		}); err != nil {
			t.Errorf("adjoints of %+v: %v", geom, err)
		}
		bad := geom
		bad.OH++
		if bad.Validate() == nil {
			t.Errorf("%+v with OH one too many: no error", bad)
		}
	}
}

// TestPhaseOf checks the transposed convolution's phase arithmetic against
// its definition: phase r of stride s covers the outputs h ≡ r (mod s),
// and its taps are those p with (h + pad - p) divisible by s, each read
// at dy index (h + pad - p)/s = a + t - Pad.
func TestPhaseOf(t *testing.T) {
	for s := 1; s <= 3; s++ {
		for k := 1; k <= 5; k++ {
			for pad := 0; pad < k; pad++ {
				for size := 1; size <= 7; size++ {
					covered := 0
					for r := 0; r < s; r++ {
						ph := engine.PhaseOf(r, s, k, pad, size)
						covered += ph.N
						for a := 0; a < ph.N; a++ {
							h := s*a + r
							var want []int // taps p of output h, in order of t
							for p := k - 1; p >= 0; p-- {
								if (h+pad-p)%s == 0 {
									want = append(want, p)
								}
							}
							if len(want) != ph.U {
								t.Fatalf("s=%d k=%d pad=%d size=%d r=%d: %d taps, want %d", s, k, pad, size, r, ph.U, len(want))
							}
							for tt, p := range want {
								if got := ph.P0 + s*(ph.U-1-tt); got != p {
									t.Fatalf("s=%d k=%d pad=%d r=%d: tap %d is %d, want %d", s, k, pad, r, tt, got, p)
								}
								if got, want := a+tt-ph.Pad, (h+pad-p)/s; got != want {
									t.Fatalf("s=%d k=%d pad=%d r=%d h=%d: reads dy %d, want %d", s, k, pad, r, h, got, want)
								}
							}
						}
					}
					if covered != size {
						t.Fatalf("s=%d k=%d pad=%d size=%d: phases cover %d outputs", s, k, pad, size, covered)
					}
				}
			}
		}
	}
}
