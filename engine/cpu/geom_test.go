package cpu

import (
	"testing"

	"github.com/wgangp/wgangp/engine"
)

// TestGeomRulesAreTheEngines enumerates small geometries of this package
// (top pad and output size; the bottom pad implied) and checks that
// Validate accepts exactly those that some valid engine geometry (the
// graph's, with an explicit bottom pad) describes: a graph that builds is
// a graph the kernels compile, and nothing else.
func TestGeomRulesAreTheEngines(t *testing.T) {
	n, ok := 0, 0
	for h := 1; h <= 6; h++ {
		for k := 1; k <= 4; k++ {
			for s := 1; s <= 3; s++ {
				for top := -1; top <= k; top++ {
					for oh := 1; oh <= h+2; oh++ {
						cg := ConvGeom{N: 1, C: 1, H: h, W: h, O: 1, KH: k, KW: k, OH: oh, OW: oh, Stride: s, PadT: top, PadL: top}
						want := false
						for bottom := 0; bottom < k+1; bottom++ {
							eg := engine.ConvGeom{N: 1, C: 1, H: h, W: h, O: 1, KH: k, KW: k, OH: oh, OW: oh, Stride: s,
								Pad: engine.Padding{Top: top, Left: top, Bottom: bottom, Right: bottom}}
							want = want || eg.Validate() == nil
						}
						if got := cg.Validate() == nil; got != want {
							t.Errorf("%+v: cpu accepts %v, engine %v", cg, got, want)
						}
						if want {
							ok++
						}
						n++
					}
				}
			}
		}
	}
	t.Logf("%d geometries, %d valid", n, ok)
}
