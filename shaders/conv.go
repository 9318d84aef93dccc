package shaders

import (
	"embed"
	"fmt"
	"strings"
	"text/template"

	"github.com/wgangp/wgangp/engine"
)

// The kernels of the convolution family (NCHW, see engine.ConvGeom):
//
//   - conv2d is one implicit GEMM: M = O output channels, N = N·OH·OW
//     output pixels (the batch folded in), K = C·KH·KW taps.
//   - convtranspose is either split by output phase (for stride s, the s²
//     classes of output positions modulo s each see a fixed subset of the
//     taps: s² implicit GEMMs with no inserted zeros, computed by one
//     kernel, each in a range of its workgroups, where they have few
//     workgroups, else one kernel each), or, where that would
//     multiply many padding zeros (a stride-1 transposed convolution growing
//     a small map), one GEMM into image columns followed by a gather
//     (col2im); no atomics either way.
//   - convfilter is one implicit GEMM whose depth runs over all N·OH·OW
//     output pixels: split in depth when it has few tiles, each split
//     writing its partial sums to scratch, which a second pass adds in a
//     fixed order (deterministic).

//go:embed templates/conv_gemm.wgsl templates/conv_direct.wgsl templates/conv_reduce.wgsl templates/conv_col2im.wgsl
var convFS embed.FS

var convTemplates = template.Must(template.New("").Option("missingkey=error").ParseFS(convFS, "templates/conv_*.wgsl"))

// convRender fills the named template of convTemplates.
func convRender(name string, data map[string]any) string {
	var b strings.Builder
	if err := convTemplates.ExecuteTemplate(&b, name, data); err != nil {
		panic("shaders: " + err.Error())
	}
	return b.String()
}

// convMaxElems is the most float32 elements one binding may hold (WebGPU's
// default maxStorageBufferBindingSize, 128 MiB), and u32 indexing's range.
const convMaxElems = 128 << 20 / 4

// convWhat names an op of the family for kernel names, e.g.
// conv2d_64x3x64x64_64x3x5x5_s2_p1.1.2.2 (the op, its input shapes, stride,
// padding and, for the adjoints, the size they restore).
func convWhat(op string, in []*engine.Node, stride int, p engine.Padding, size ...int) string {
	s := op
	for _, n := range in {
		s += "_" + dims(n.Shape())
	}
	s += fmt.Sprintf("_s%d_p%d.%d.%d.%d", stride, p.Top, p.Left, p.Bottom, p.Right)
	if len(size) > 0 {
		s += "_" + dims(size)
	}
	return s
}

// conv2D computes y = conv(x, w): one implicit GEMM, A = w [O, C·KH·KW],
// B = the image columns of x, out = y.
func conv2D(n *engine.Node, op engine.Conv2DOp, ep epilogue) (Op, error) {
	x, w := n.Input(0), n.Input(1)
	g := op.Geom(x.Shape(), w.Shape())
	s, hw, ohw := g.Stride, g.H*g.W, g.OH*g.OW
	taps := g.C * g.KH * g.KW
	mm := igemm{
		what: convWhat("conv2d", n.Inputs()[:2], op.Stride, op.Pad) + ep.tag, ep: ep,
		m: g.O, n: g.N * ohw, k: taps,
		a: gemmOperand{rows: idxLinear(taps), depth: idxLinear(1), size: w.Shape().Size()},
		b: gemmOperand{
			rows: idxMap{
				digits: []idxDigit{{size: g.N, off: g.C * hw}, {size: g.OH, off: s * g.W, h: s}, {size: g.OW, off: s, w: s}},
				off:    -g.Pad.Top*g.W - g.Pad.Left, h: -g.Pad.Top, w: -g.Pad.Left,
			},
			depth:  idxMap{digits: []idxDigit{{size: g.C, off: hw}, {size: g.KH, off: g.W, h: 1}, {size: g.KW, off: 1, w: 1}}},
			window: true, h: g.H, w: g.W,
		},
		outRows: idxLinear(ohw),
		outCols: idxMap{digits: []idxDigit{{size: g.N, off: g.O * ohw}, {size: ohw, off: 1}}},
	}
	var o Op
	mm.dispatches(mm.plan(), Ref{Input, 1}, Ref{Input, 0}, Ref{Kind: Output}, &o, 0)
	return o, convCheckSize(n, o)
}

// convFilter computes dw = filter(x, dy): one implicit GEMM, A = dy
// [O, N·OH·OW], B = the image columns of x transposed, out = dw.
func convFilter(n *engine.Node, op engine.ConvFilterOp, ep epilogue) (Op, error) {
	x, dy := n.Input(0), n.Input(1)
	g := op.Geom(x.Shape(), dy.Shape())
	s, hw, ohw := g.Stride, g.H*g.W, g.OH*g.OW
	taps := g.C * g.KH * g.KW
	mm := igemm{
		what: convWhat("convfilter", n.Inputs()[:2], op.Stride, op.Pad, op.KH, op.KW) + ep.tag, ep: ep,
		m: g.O, n: taps, k: g.N * ohw,
		a: gemmOperand{rows: idxLinear(ohw), depth: idxMap{digits: []idxDigit{{size: g.N, off: g.O * ohw}, {size: ohw, off: 1}}}, size: dy.Shape().Size()},
		b: gemmOperand{
			rows: idxMap{
				digits: []idxDigit{{size: g.C, off: hw}, {size: g.KH, off: g.W, h: 1}, {size: g.KW, off: 1, w: 1}},
				off:    -g.Pad.Top*g.W - g.Pad.Left, h: -g.Pad.Top, w: -g.Pad.Left,
			},
			depth:  idxMap{digits: []idxDigit{{size: g.N, off: g.C * hw}, {size: g.OH, off: s * g.W, h: s}, {size: g.OW, off: s, w: s}}},
			window: true, h: g.H, w: g.W,
		},
		outRows: idxLinear(taps),
		outCols: idxLinear(1),
	}
	var o Op
	mm.dispatches(mm.plan(), Ref{Input, 1}, Ref{Input, 0}, Ref{Kind: Output}, &o, 0)
	return o, convCheckSize(n, o)
}

// convTranspose computes dx = convᵀ(dy, w) by phases or by image columns,
// whichever the cost model finds cheaper.
func convTranspose(n *engine.Node, op engine.ConvTransposeOp, ep epilogue) (Op, error) {
	dy, w := n.Input(0), n.Input(1)
	g := op.Geom(dy.Shape(), w.Shape())
	what := convWhat("convtranspose", n.Inputs()[:2], op.Stride, op.Pad, op.H, op.W) + ep.tag
	phases := transposePhases(g, what)
	for i := range phases {
		phases[i].ep = ep
	}
	// All phases in one kernel where they have few workgroups together
	// (one dispatch instead of s², and a device's cores busy), else one
	// kernel each: with many workgroups the dispatches saved are little
	// against the work, and a device that runs every branch under a mask
	// (lavapipe) pays for the other phases' branches.
	pt := planGemms(phases)
	// Direct kernels always merge: one kernel to compile instead of s².
	merged := pt.direct || convPhaseWorkgroups(phases, pt) <= convMergedPhases
	plans := []gemmTiling{pt}
	if !merged {
		plans = plans[:0]
		for _, ph := range phases {
			plans = append(plans, ph.plan())
		}
	}
	var phaseCost float64
	for i, ph := range phases {
		phaseCost += ph.cost(plans[min(i, len(plans)-1)])
	}
	cols := col2imGemm(g, what)
	var o Op
	if ct := cols.plan(); cols.m*cols.n <= convMaxElems && cols.cost(ct)+col2imCost(g) < phaseCost {
		colsRef := Ref{Kind: Scratch, Index: 0}
		o.Scratch = append(o.Scratch, cols.m*cols.n)
		cols.dispatches(ct, Ref{Input, 1}, Ref{Input, 0}, colsRef, &o, 1)
		o.Dispatches = append(o.Dispatches, Dispatch{Kernel: col2im(g, what, ep), Args: append([]Ref{colsRef, {Kind: Output}}, ep.args...)})
		return o, convCheckSize(n, o)
	}
	if merged {
		phasesDispatches(what, phases, pt, Ref{Input, 1}, Ref{Input, 0}, Ref{Kind: Output}, &o, 0)
		return o, convCheckSize(n, o)
	}
	for i, ph := range phases {
		ph.dispatches(plans[i], Ref{Input, 1}, Ref{Input, 0}, Ref{Kind: Output}, &o, 0)
	}
	return o, convCheckSize(n, o)
}

// convMergedPhases is the most workgroups (tiles times splits) for which
// the phases of a transposed convolution run in one kernel. Measured on
// lavapipe (best of 3 to 30 runs, the noise about ±15%): at F=64, batch
// 64, gen.tconv3 (4 phases of 128 workgroups) ran 20-35% slower merged,
// gen.tconv2 and disc.conv4's adjoint (128 and 64·2 merged) within the
// noise, up to 10% slower; the model's layers at F=8..16, batch 16..32
// (8 to 256 merged) within the noise.
const convMergedPhases = 256

// convPhaseWorkgroups is the number of workgroups of the phases gs in one
// kernel of tiling t.
func convPhaseWorkgroups(gs []igemm, t gemmTiling) int {
	wgs := 0
	for _, g := range gs {
		wgs += divCeil(g.m, t.bm()) * divCeil(g.n, t.bn()) * t.splits
	}
	return wgs
}

// convPhase1 is engine.TransposePhase in this package's lower-case fields.
type convPhase1 struct{ n, u, p0, pad int }

// convPhase returns one dimension of phase r of a transposed convolution
// (engine.PhaseOf).
func convPhase(r, s, k, pad, size int) convPhase1 {
	ph := engine.PhaseOf(r, s, k, pad, size)
	return convPhase1{n: ph.N, u: ph.U, p0: ph.P0, pad: ph.Pad}
}

// transposePhases returns the GEMMs of a transposed convolution by output
// phase: for phase (rh, rv), M = C, N = N·nh·nv positions, K = O·uh·uv
// taps. A phase with no taps (K = 0) writes zeros.
func transposePhases(g engine.ConvGeom, what string) []igemm {
	s, hw, ohw, khw := g.Stride, g.H*g.W, g.OH*g.OW, g.KH*g.KW
	var gs []igemm
	for rh := 0; rh < s; rh++ {
		for rv := 0; rv < s; rv++ {
			ph, pv := convPhase(rh, s, g.KH, g.Pad.Top, g.H), convPhase(rv, s, g.KW, g.Pad.Left, g.W)
			if ph.n == 0 || pv.n == 0 {
				continue
			}
			gs = append(gs, igemm{
				what: fmt.Sprintf("%s_phase%d.%d", what, rh, rv),
				m:    g.C, n: g.N * ph.n * pv.n, k: g.O * ph.u * pv.u,
				// w[o, c, p0h + s(uh-1-t), p0v + s(uv-1-u)]
				a: gemmOperand{
					size: g.O * g.C * khw,
					rows: idxLinear(khw),
					depth: idxMap{
						digits: []idxDigit{{size: g.O, off: g.C * khw}, {size: ph.u, off: -s * g.KW}, {size: pv.u, off: -s}},
						off:    (ph.p0+s*(ph.u-1))*g.KW + pv.p0 + s*(pv.u-1),
					},
				},
				// dy[n, o, a + t - padh, b + u - padv]
				b: gemmOperand{
					rows: idxMap{
						digits: []idxDigit{{size: g.N, off: g.O * ohw}, {size: ph.n, off: g.OW, h: 1}, {size: pv.n, off: 1, w: 1}},
						off:    -ph.pad*g.OW - pv.pad, h: -ph.pad, w: -pv.pad,
					},
					depth: idxMap{digits: []idxDigit{
						{size: g.O, off: ohw}, {size: ph.u, off: g.OW, h: 1}, {size: pv.u, off: 1, w: 1},
					}},
					window: true, h: g.OH, w: g.OW,
				},
				// dx[n, c, s·a + rh, s·b + rv]
				outRows: idxLinear(hw),
				outCols: idxMap{
					digits: []idxDigit{{size: g.N, off: g.C * hw}, {size: ph.n, off: s * g.W}, {size: pv.n, off: s}},
					off:    rh*g.W + rv,
				},
			})
		}
	}
	return gs
}

// col2imGemm is the GEMM half of a transposed convolution by image
// columns: cols[(c,p,q), (n,i,j)] = Σ_o w[o,c,p,q]·dy[n,o,i,j], row-major.
func col2imGemm(g engine.ConvGeom, what string) igemm {
	taps, ohw := g.C*g.KH*g.KW, g.OH*g.OW
	return igemm{
		what: what + "_columns",
		m:    taps, n: g.N * ohw, k: g.O,
		a:       gemmOperand{rows: idxLinear(1), depth: idxLinear(taps), size: g.O * taps},
		b:       gemmOperand{rows: idxMap{digits: []idxDigit{{size: g.N, off: g.O * ohw}, {size: ohw, off: 1}}}, depth: idxLinear(ohw)},
		outRows: idxLinear(g.N * ohw),
		outCols: idxLinear(1),
	}
}

// col2imCost is the cost model's estimate of the gather pass (per output
// element: the index arithmetic and its valid taps' loads).
func col2imCost(g engine.ConvGeom) float64 {
	taps := divCeil(g.KH, g.Stride) * divCeil(g.KW, g.Stride)
	return float64(g.N*g.C*g.H*g.W) * float64(1+taps) * convElemCost / convParallel
}

// col2im emits the gather pass of the image-column method.
func col2im(g engine.ConvGeom, what string, ep epilogue) *Kernel {
	total := g.N * g.C * g.H * g.W
	gx, wg := groups2D(divCeil(total, 256))
	name := what + "_col2im"
	src := convRender("conv_col2im.wgsl", map[string]any{
		"Name": name, "C": g.C, "H": g.H, "W": g.W, "KH": g.KH, "KW": g.KW, "OH": g.OH, "OW": g.OW,
		"S": g.Stride, "T": g.Pad.Top, "L": g.Pad.Left, "NCol": g.N * g.OH * g.OW, "Total": total, "GridX": gx,
		"Extra": declareFrom(2, ep.src), "Post": ep.post,
	})
	return &Kernel{Name: name, Source: src, Bindings: ep.bindings(Read, ReadWrite), Workgroups: wg}
}

// checkScratch reports an op whose buffers would pass the binding limit.
func convCheckSize(n *engine.Node, o Op) error {
	if n.Shape().Size() > convMaxElems {
		return fmt.Errorf("shaders: %v: output of %d elements passes the %d of one binding", n, n.Shape().Size(), convMaxElems)
	}
	for _, s := range o.Scratch {
		if s > convMaxElems {
			return fmt.Errorf("shaders: %v: scratch of %d elements passes the %d of one binding", n, s, convMaxElems)
		}
	}
	return nil
}
