package shaders

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/wgangp/wgangp/engine"
)

func TestConvTilingsFitLimits(t *testing.T) {
	ts := convTilings
	if len(ts) == 0 {
		t.Fatal("no tilings")
	}
	for _, tl := range ts {
		qa, qb := tl.bm()/4, tl.bn()/4
		if tl.nt() > convMaxInvocations || 4*tl.bk*(tl.bm()+tl.bn()) > convMaxWorkgroupMem ||
			tl.nt()%qa != 0 || tl.nt()%qb != 0 || tl.bk*qa%tl.nt() != 0 || tl.bk*qb%tl.nt() != 0 {
			t.Errorf("tiling %+v breaks a limit or leaves loads uneven", tl)
		}
	}
}

func TestConvIdxMapEmit(t *testing.T) {
	// (n, i, j) over (any, 16, 16) with stride 2 into a 32×32 image.
	m := idxMap{
		digits: []idxDigit{{size: 4, off: 65536}, {size: 16, off: 64, h: 2}, {size: 16, off: 2, w: 2}},
		off:    -33, h: -1, w: -1,
	}
	var b strings.Builder
	m.emit(&b, "", "r", "q", false, true)
	want := `let r_d2 = i32(q % 16u);
let r_q2 = q / 16u;
let r_d1 = i32(r_q2 % 16u);
let r_q1 = r_q2 / 16u;
let r_d0 = i32(r_q1);
let r_off = r_d0 * 65536 + r_d1 * 64 + r_d2 * 2 + i32(-33);
let r_h = r_d1 * 2 + i32(-1);
let r_w = r_d2 * 2 + i32(-1);
`
	if b.String() != want {
		t.Errorf("emit:\n%s\nwant:\n%s", b.String(), want)
	}
}

// convNames compiles node n and returns the names of its kernels.
func convNames(t *testing.T, n *engine.Node) []string {
	t.Helper()
	op, err := Compile(n)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, d := range op.Dispatches {
		names = append(names, d.Kernel.Name)
	}
	return names
}

func hasPart(names []string, part string) bool {
	for _, n := range names {
		if strings.Contains(n, part) {
			return true
		}
	}
	return false
}

// TestConvPaths checks the method chosen for the model's layers (F=64,
// batch 64, and one at F=8, batch 16): phases for the stride-2 transposed
// convolutions (in one kernel where they have few workgroups), image
// columns where phases would multiply zeros or have 3 output channels,
// split depth for the filter gradients with few tiles, big tiles of 8×8
// blocks for the big GEMMs.
func TestConvPaths(t *testing.T) {
	same := engine.Pads(1, 1, 2, 2)
	g := engine.NewGraph()
	inputs := 0
	in := func(s ...int) *engine.Node {
		inputs++
		return g.Input(fmt.Sprint("t", inputs), s...)
	}
	for _, c := range []struct {
		n     *engine.Node
		parts []string
	}{
		{engine.Conv2D(in(64, 64, 32, 32), in(128, 64, 5, 5), 2, same), []string{"tile128x128x16_8x8"}},
		{engine.ConvTranspose(in(64, 128, 16, 16), in(128, 64, 5, 5), 2, same, 32, 32), []string{"phase0.0", "phase1.1", "_8x8"}},
		{engine.ConvTranspose(in(16, 32, 8, 8), in(32, 16, 5, 5), 2, same, 16, 16), []string{"phases4_tile"}},
		{engine.ConvTranspose(in(64, 512, 4, 4), in(512, 256, 5, 5), 1, engine.Padding{}, 8, 8), []string{"columns", "col2im"}},
		{engine.ConvTranspose(in(64, 64, 32, 32), in(64, 3, 5, 5), 2, same, 64, 64), []string{"columns", "col2im"}},
		{engine.ConvFilter(in(64, 3, 64, 64), in(64, 64, 32, 32), 2, same, 5, 5), []string{"_split", "_sum"}},
		{engine.ConvTranspose(in(2, 64, 8, 8), in(64, 64, 1, 1), 2, engine.Padding{}, 16, 16), []string{"phases4"}},
	} {
		names := convNames(t, c.n)
		if hasPart(names, "phases") && len(names) > 2 {
			t.Errorf("%v: the phases in one kernel run %d dispatches: %v", c.n, len(names), names)
		}
		for _, p := range c.parts {
			if !hasPart(names, p) {
				t.Errorf("%v: no kernel with %q among %v", c.n, p, names)
			}
		}
	}
}

// TestConvRandomGeometries compiles the family at random geometries and
// checks the dispatches against the limits and the op's buffers.
func TestConvRandomGeometries(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	for range 300 {
		k := 1 + r.IntN(6)
		s := 1 + r.IntN(3)
		pad := engine.Pads(r.IntN(k), r.IntN(k), r.IntN(k), r.IntN(k))
		x := engine.Shape{1 + r.IntN(4), 1 + r.IntN(70), k + r.IntN(20), k + r.IntN(20)}
		w := engine.Shape{1 + r.IntN(140), x[1], k, k}
		g := engine.NewGraph()
		y := engine.Conv2D(g.Input("x", x...), g.Input("w", w...), s, pad)
		dy := g.Input("dy", y.Shape()...)
		for _, n := range []*engine.Node{
			y,
			engine.ConvTranspose(dy, y.Input(1), s, pad, x[2], x[3]),
			engine.ConvFilter(y.Input(0), dy, s, pad, k, k),
		} {
			op, err := Compile(n)
			if err != nil {
				t.Fatalf("%v: %v", n, err)
			}
			written := false
			for _, d := range op.Dispatches {
				for i, wg := range d.Kernel.Workgroups {
					if wg < 1 || wg > maxGroups {
						t.Errorf("%s: %d workgroups in dimension %d", d.Kernel.Name, wg, i)
					}
				}
				for _, a := range d.Args {
					if a.Kind == Scratch && a.Index >= len(op.Scratch) {
						t.Errorf("%s: scratch %d of %d", d.Kernel.Name, a.Index, len(op.Scratch))
					}
					written = written || a.Kind == Output
				}
			}
			if !written {
				t.Errorf("%v: no dispatch writes the output", n)
			}
		}
	}
}

// TestDirectVecModes checks which operands the direct kernels read by vec4:
// only where four rows (or depths) from a multiple of 4 are four aligned
// consecutive floats, so that a vec4 load reads exactly the elements the
// scalar loads would (the conformance suite checks the values).
func TestDirectVecModes(t *testing.T) {
	geom := func(c, o, hw, k int) engine.ConvGeom {
		return engine.ConvGeom{N: 2, C: c, H: hw, W: hw, O: o, KH: k, KW: k, OH: hw, OW: hw, Stride: 1}
	}
	cases := []struct {
		what   string
		op     gemmOperand
		extent int
		want   vecMode
	}{
		{"conv2d weights, 200 taps", gemmOperand{rows: idxLinear(200), depth: idxLinear(1)}, 16, vecDepth},
		{"conv2d weights, 75 taps", gemmOperand{rows: idxLinear(75), depth: idxLinear(1)}, 16, vecNone},
		{"columns weights, 8·25 taps", col2imGemm(geom(8, 16, 8, 5), "").a, 200, vecRows},
		{"columns weights, 3·25 taps", col2imGemm(geom(3, 16, 8, 5), "").a, 75, vecNone},
		{"columns dy, 8×8 maps", col2imGemm(geom(8, 16, 8, 5), "").b, 2 * 64, vecRows},
		{"columns dy, 3×3 maps", col2imGemm(geom(8, 16, 3, 5), "").b, 2 * 9, vecNone},
		{"a phase's image (windowed)", transposePhases(geom(8, 16, 8, 5), "")[0].b, 2 * 64, vecNone},
		{"rows 1 apart, a depth offset of 2", gemmOperand{rows: idxLinear(1), depth: idxMap{digits: []idxDigit{{size: 1, off: 4}}, off: 2}}, 16, vecNone},
		{"rows 1 apart, 6 rows", gemmOperand{rows: idxLinear(1), depth: idxLinear(8)}, 6, vecNone},
		{"rows 1 apart, 8 rows", gemmOperand{rows: idxLinear(1), depth: idxLinear(8)}, 8, vecRows},
		{"depths in runs of 6", gemmOperand{rows: idxLinear(64), depth: idxMap{digits: []idxDigit{{size: 2, off: 32}, {size: 6, off: 1}}}}, 8, vecNone},
		{"depths in runs of 16", gemmOperand{rows: idxLinear(64), depth: idxMap{digits: []idxDigit{{size: 2, off: 32}, {size: 16, off: 1}}}}, 8, vecDepth},
	}
	for _, c := range cases {
		if got := c.op.vecMode(c.extent); got != c.want {
			t.Errorf("%s: read %v, want %v", c.what, got, c.want)
		}
	}
	// A kernel reads four depths at a time only where every part's depth
	// is a multiple of 4.
	g := igemm{m: 16, n: 16, k: 200, a: cases[0].op, b: gemmOperand{rows: idxLinear(3), depth: idxLinear(5)}}
	if va, _, step := directModes([]igemm{g}); va != vecDepth || step != 4 {
		t.Errorf("K = 200: A %v, step %d; want four depths, step 4", va, step)
	}
	g.k = 198
	if va, _, step := directModes([]igemm{g}); va != vecNone || step != 1 {
		t.Errorf("K = 198: A %v, step %d; want one float, step 1", va, step)
	}
}
