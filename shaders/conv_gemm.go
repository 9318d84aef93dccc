package shaders

import (
	"fmt"
	"math"
	"strings"
)

// The convolution family runs as implicit GEMMs: out[m, n] = Σ_k A[m,k]·B[k,n]
// where A and B are never materialised. Each is an operand whose element
// (r, k) is read from a buffer at an offset that is the sum of an affine
// function of r and one of k, each a weighted sum of the digits of the
// index in a mixed radix (for a convolution's B, r = (image, row, column)
// and k = (channel, tap row, tap column)). A window test on two more such
// sums (the input row and column) reads the zero padding.

// idxDigit is one digit of a mixed-radix index: a step of the digit adds off
// to the buffer offset, h to the window row and w to the window column.
type idxDigit struct {
	size      int // radix; the outermost digit is not reduced by it
	off, h, w int
}

// idxMap maps an index to a buffer offset and a window position: the sum of
// its digits' contributions (digits outermost first) and the constants.
type idxMap struct {
	digits    []idxDigit
	off, h, w int
}

// idxLinear is the one-digit map i → i·off.
func idxLinear(off int) idxMap { return idxMap{digits: []idxDigit{{size: 1, off: off}}} }

// emit writes WGSL statements binding name_off (and with window name_h and
// name_w) for the index expression idx, a u32 or, with vec, a vec4<u32>.
func (a idxMap) emit(b *strings.Builder, indent, name, idx string, vec, window bool) {
	it := "i32"
	if vec {
		it = "vec4<i32>"
	}
	// Peel digits from the innermost; an outer digit with no contribution
	// needs no value.
	ds := a.digits
	for len(ds) > 0 {
		d := ds[0]
		if d.off != 0 || window && (d.h != 0 || d.w != 0) {
			break
		}
		ds = ds[1:]
	}
	vals := make([]string, len(ds))
	q := idx
	for i := len(ds) - 1; i >= 0; i-- {
		v := fmt.Sprintf("%s_d%d", name, i)
		if i == 0 {
			fmt.Fprintf(b, "%slet %s = %s(%s);\n", indent, v, it, q)
		} else {
			fmt.Fprintf(b, "%slet %s = %s(%s %% %du);\n", indent, v, it, q, ds[i].size)
			nq := fmt.Sprintf("%s_q%d", name, i)
			fmt.Fprintf(b, "%slet %s = %s / %du;\n", indent, nq, q, ds[i].size)
			q = nq
		}
		vals[i] = v
	}
	sum := func(c0 int, coef func(idxDigit) int) string {
		var terms []string
		for i, d := range ds {
			switch c := coef(d); c {
			case 0:
			case 1:
				terms = append(terms, vals[i])
			default:
				terms = append(terms, fmt.Sprintf("%s * %d", vals[i], c))
			}
		}
		if c0 != 0 || len(terms) == 0 {
			terms = append(terms, fmt.Sprintf("%s(%d)", it, c0))
		}
		return strings.Join(terms, " + ")
	}
	fmt.Fprintf(b, "%slet %s_off = %s;\n", indent, name, sum(a.off, func(d idxDigit) int { return d.off }))
	if window {
		fmt.Fprintf(b, "%slet %s_h = %s;\n", indent, name, sum(a.h, func(d idxDigit) int { return d.h }))
		fmt.Fprintf(b, "%slet %s_w = %s;\n", indent, name, sum(a.w, func(d idxDigit) int { return d.w }))
	}
}

// gemmOperand is one GEMM operand: element (r, k) is buf[rows(r).off +
// depth(k).off], or zero when r or k is out of range or, for a windowed
// operand, when the window position (rows(r).h + depth(k).h, rows(r).w +
// depth(k).w) falls outside [0,h)×[0,w).
type gemmOperand struct {
	rows, depth idxMap
	window      bool
	h, w        int
	size        int // the elements of the buffer it reads, 0 if unknown
}

// igemm is one implicit GEMM: out[outRows(m).off + outCols(n).off] =
// Σ_{k<K} A[m,k]·B[k,n] for m < M, n < N.
type igemm struct {
	what             string // what it computes, the start of its kernels' names
	m, n, k          int
	a, b             gemmOperand
	outRows, outCols idxMap
	ep               epilogue // what the kernel writing out stores
}

// gemmTiling is how an igemm is cut among workgroups and invocations.
type gemmTiling struct {
	rm, rn int // block of one invocation (multiples of 4)
	tx, ty int // invocations per workgroup along n and m
	bk     int // depth per step through workgroup memory
	splits int // depth splits (partial sums added by a second pass)
	// direct: each invocation is a tile of its own (tx = ty = bk = 1),
	// reading A and B from the buffers without workgroup memory
	// (Options.Direct; templates/conv_direct.wgsl).
	direct bool
}

// depthPerSplit is the depth of one split of a GEMM of depth k: a
// multiple of bk, so that every step but the last of the GEMM is whole.
func (t gemmTiling) depthPerSplit(k int) int {
	return divCeil(divCeil(max(k, 1), t.splits), t.bk) * t.bk
}

func (t gemmTiling) bm() int { return t.ty * t.rm }
func (t gemmTiling) bn() int { return t.tx * t.rn }
func (t gemmTiling) nt() int { return t.tx * t.ty }

func (t gemmTiling) String() string {
	s := fmt.Sprintf("tile%dx%dx%d_%dx%d", t.bm(), t.bn(), t.bk, t.rm, t.rn)
	if t.direct {
		s = fmt.Sprintf("direct%dx%d", t.rm, t.rn)
	}
	if t.splits > 1 {
		s += fmt.Sprintf("_split%d", t.splits)
	}
	return s
}

// Limits of the GEMM kernel: WebGPU's defaults.
const (
	convMaxInvocations  = 256
	convMaxWorkgroupMem = 16384 // bytes
)

// convTilings are the tilings the GEMM kernel supports (without splits).
var convTilings = gemmTilings()

// gemmTilings lists the tilings within the limits whose loads into
// workgroup memory come out even among the invocations.
func gemmTilings() []gemmTiling {
	var ts []gemmTiling
	for _, rm := range []int{4, 8} {
		for _, rn := range []int{4, 8} {
			for tx := 1; tx <= 64; tx *= 2 {
				for ty := 1; ty <= 64; ty *= 2 {
					for _, bk := range []int{8, 16, 32} {
						t := gemmTiling{rm: rm, rn: rn, tx: tx, ty: ty, bk: bk}
						nt, qa, qb := t.nt(), t.bm()/4, t.bn()/4
						if nt < 16 || nt > convMaxInvocations || 4*bk*(t.bm()+t.bn()) > convMaxWorkgroupMem ||
							nt%qa != 0 || nt%qb != 0 || bk*qa%nt != 0 || bk*qb%nt != 0 {
							continue
						}
						ts = append(ts, t)
					}
				}
			}
		}
	}
	return ts
}

// The cost model, fitted to lavapipe (where every load or store of
// workgroup or storage memory is a loop over the SIMD lanes, so that speed
// follows the multiply-adds per vec4 load of workgroup memory) in units of
// one multiply-add at the best tiling's speed. Real GPUs share its
// preferences: large tiles, 8×8 blocks, few wasted rows.
const (
	// convParallel is the number of workgroups assumed to run at once.
	convParallel = 2
	// convStepCost is the fixed cost of one depth step of a workgroup of
	// 256 invocations (barriers, loop), proportional to the invocations.
	convStepCost = 8192
	// convElemCost is the cost of storing or loading one element outside
	// the GEMM loop (split-K partial sums, their reduction, col2im).
	convElemCost = 8
)

// efficiency is the speed of a tiling relative to the best (8×8 blocks,
// 256 invocations), as measured on lavapipe.
func (t gemmTiling) efficiency() float64 {
	f := float64(t.rm*t.rn) / float64(t.rm+t.rn) / 4 // multiply-adds per loaded element, relative
	e := f * math.Sqrt(f)
	switch nt := t.nt(); {
	case nt >= 256:
	case nt >= 128:
		e *= 0.9
	case nt >= 64:
		e *= 0.85
	case nt >= 32:
		e *= 0.65
	default:
		e *= 0.5
	}
	if t.tx < 8 {
		e *= 0.75
	}
	return e
}

// cost estimates the time of g with tiling t.
func (g igemm) cost(t gemmTiling) float64 {
	if t.direct {
		return g.directCost(t)
	}
	steps := divCeil(min(t.depthPerSplit(g.k), g.k), t.bk)
	perWG := float64(steps) * (float64(t.bm()*t.bn()*t.bk)/t.efficiency() + convStepCost*float64(t.nt())/256)
	wgs := divCeil(g.m, t.bm()) * divCeil(g.n, t.bn()) * t.splits
	// Every invocation stores its whole block, the rows and columns past
	// the matrix included.
	total := float64(divCeil(wgs, convParallel))*perWG + float64(wgs*t.bm()*t.bn())*convElemCost/convParallel
	if t.splits > 1 {
		total += float64(g.m*g.n*2*t.splits) * convElemCost / convParallel
	}
	return total
}

// plan chooses the tiling of g: the cheapest by the cost model, splitting
// the depth when that pays (each split keeping at least 8 steps, the
// partial sums within one binding). Within
// 5% of the cheapest it takes the one with more workgroups, up to 128, for
// the sake of GPUs with many cores.
func (g igemm) plan() gemmTiling { return planGemms([]igemm{g}) }

// planGemms chooses one tiling for the GEMMs gs (of the same M) that one
// kernel computes together, as plan does for one GEMM, by the sum of their
// costs. A split count is shared: each GEMM's depth is cut into at most
// that many splits, its own depth per split.
func planGemms(gs []igemm) gemmTiling {
	if compileOpts.Direct {
		return planDirect(gs)
	}
	type cand struct {
		t    gemmTiling
		cost float64
		wgs  int
	}
	maxK, outs := 0, 0
	for _, g := range gs {
		maxK, outs = max(maxK, g.k), outs+g.m*g.n
	}
	var cs []cand
	best := -1.0
	for _, t := range convTilings {
		for splits := 1; splits == 1 || splits <= 64 && maxK >= splits*8*t.bk && splits*outs <= convMaxElems; splits *= 2 {
			// The splits each GEMM needs at depth ⌈k/splits⌉ per split.
			t.splits = 1
			for _, g := range gs {
				per := divCeil(divCeil(max(g.k, 1), splits), t.bk) * t.bk
				t.splits = max(t.splits, divCeil(g.k, per))
			}
			c := cand{t: t}
			for _, g := range gs {
				c.cost += g.cost(t)
				c.wgs += divCeil(g.m, t.bm()) * divCeil(g.n, t.bn()) * t.splits
			}
			cs = append(cs, c)
			if best < 0 || c.cost < best {
				best = c.cost
			}
		}
	}
	var pick cand
	for _, c := range cs {
		if c.cost > best*1.05 {
			continue
		}
		if pick.wgs == 0 || min(c.wgs, 128) > min(pick.wgs, 128) ||
			min(c.wgs, 128) == min(pick.wgs, 128) && c.cost < pick.cost {
			pick = c
		}
	}
	return pick.t
}

// dispatches appends to op the dispatches that compute g with tiling t
// from the buffers a and b into out. Partial sums of split depth go to
// op's scratch buffer part, grown to fit (or added, when part is the next
// index), so that GEMMs run one after another can share it.
func (g igemm) dispatches(t gemmTiling, a, b, out Ref, op *Op, part int) {
	args := append([]Ref{a, b, out}, g.ep.args...)
	if t.splits == 1 {
		k := gemmKernel(g.what+"_"+t.String(), t, []gemmPart{{g: g, rows: g.outRows, cols: g.outCols}}, 0)
		op.Dispatches = append(op.Dispatches, Dispatch{Kernel: k, Args: args})
		return
	}
	p := splitScratch(op, part, t.splits*g.m*g.n)
	k := gemmKernel(g.what+"_"+t.String(), t, []gemmPart{{g: g, rows: idxLinear(g.n), cols: idxLinear(1)}}, g.m*g.n)
	op.Dispatches = append(op.Dispatches,
		Dispatch{Kernel: k, Args: []Ref{a, b, p}},
		Dispatch{Kernel: g.reduce(t.splits), Args: append([]Ref{p, out}, g.ep.args...)})
}

// splitScratch returns op's scratch buffer part, grown to hold size
// elements (or added, when part is the next index).
func splitScratch(op *Op, part, size int) Ref {
	if part == len(op.Scratch) {
		op.Scratch = append(op.Scratch, 0)
	}
	op.Scratch[part] = max(op.Scratch[part], size)
	return Ref{Kind: Scratch, Index: part}
}

// phasesDispatches appends to op the dispatches that compute the GEMMs gs
// (the phases of one op, of the same M, whose outputs partition out) with
// tiling t, all in one kernel: each GEMM's tiles are a range of its
// workgroups. Split depth goes to op's scratch buffer part as partial
// images of out (split s at s·size(out)), which one pass adds, so that
// the epilogue of gs[0] (that of the op) is stored once per element.
func phasesDispatches(what string, gs []igemm, t gemmTiling, a, b, out Ref, op *Op, part int) {
	ep := gs[0].ep
	name := fmt.Sprintf("%s_phases%d_%v", what, len(gs), t)
	parts := make([]gemmPart, len(gs))
	size := 0
	for i, g := range gs {
		parts[i] = gemmPart{g: g, rows: g.outRows, cols: g.outCols}
		size += g.m * g.n
	}
	if t.splits == 1 {
		k := gemmKernel(name, t, parts, 0)
		op.Dispatches = append(op.Dispatches, Dispatch{Kernel: k, Args: append([]Ref{a, b, out}, ep.args...)})
		return
	}
	p := splitScratch(op, part, t.splits*size)
	sum := igemm{what: fmt.Sprintf("%s_phases%d", what, len(gs)), m: 1, n: size, outRows: idxLinear(0), outCols: idxLinear(1), ep: ep}
	op.Dispatches = append(op.Dispatches,
		Dispatch{Kernel: gemmKernel(name, t, parts, size), Args: []Ref{a, b, p}},
		Dispatch{Kernel: sum.reduce(t.splits), Args: append([]Ref{p, out}, ep.args...)})
}

// gemmPart is one GEMM of a kernel and where it stores: element (m, n) at
// rows(m).off + cols(n).off.
type gemmPart struct {
	g          igemm
	rows, cols idxMap
}

// gemmKernel emits the kernel computing the GEMMs parts (of the same M, in
// consecutive ranges of workgroups) with tiling t. With partial > 0 it
// stores partial sums of split depth, offset by split·partial and without
// the epilogue (the pass adding the splits applies it); else it stores
// post(j, value) where the GEMMs have an epilogue (that of parts[0]).
func gemmKernel(name string, t gemmTiling, parts []gemmPart, partial int) *Kernel {
	if t.direct {
		return directKernel(name, t, parts, partial)
	}
	bm, bn, nt := t.bm(), t.bn(), t.nt()
	qa, qb := bm/4, bn/4
	m := parts[0].g.m
	tilesM := divCeil(m, bm)
	total := 0
	for _, p := range parts {
		total += tilesM * divCeil(p.g.n, bn)
	}
	gx, wg := groups2D(total)
	wg[2] = t.splits

	ep := parts[0].g.ep
	if partial > 0 {
		ep = epilogue{} // partial sums: the reduction applies it
	}

	// The product of one depth row, the same for every part.
	var zero, product strings.Builder
	ia, jb := t.rm/4, t.rn/4
	for r := 0; r < t.rm; r++ {
		for j := 0; j < jb; j++ {
			fmt.Fprintf(&zero, "\tvar c%d_%d = vec4<f32>(0.0);\n", r, j)
		}
	}
	for i := 0; i < ia; i++ {
		fmt.Fprintf(&product, "\t\t\tlet a%d = sa[kk * QA + %s];\n", i, convOffset("lid.y", i, "TY"))
	}
	for j := 0; j < jb; j++ {
		fmt.Fprintf(&product, "\t\t\tlet b%d = sb[kk * QB + %s];\n", j, convOffset("lid.x", j, "TX"))
	}
	for r := 0; r < t.rm; r++ {
		for j := 0; j < jb; j++ {
			fmt.Fprintf(&product, "\t\t\tc%d_%d += a%d.%c * b%d;\n", r, j, r/4, "xyzw"[r%4], j)
		}
	}

	// With several parts, only the depth loop and the addressing are the
	// part's own: the accumulators and the store are shared, so that a
	// device running every branch under a mask (lavapipe) pays little for
	// the branches of the other parts.
	phased := len(parts) > 1
	storeExactM := m%bm == 0 && gx*wg[1] == total
	storeExactN := true
	for _, p := range parts {
		storeExactN = storeExactN && p.g.n%bn == 0
	}
	var consts, body strings.Builder
	if phased {
		body.WriteString("\tvar m0 = 0u;\n\tvar n0 = 0u;\n\tvar n_end = 0u; // the part's N\n")
		for j := 0; j < t.rn/4; j++ {
			fmt.Fprintf(&body, "\tvar oc%d_off = vec4<i32>(0);\n", j)
		}
		body.WriteString(zero.String())
	}
	start := 0
	for i, p := range parts {
		g := p.g
		sfx, doc := "", ""
		if phased {
			sfx = fmt.Sprintf("_%d", i)
			doc = fmt.Sprintf("\t// %s: M = %d, N = %d, K = %d\n", g.what[strings.LastIndex(g.what, "_")+1:], g.m, g.n, g.k)
		}
		tiles := tilesM * divCeil(g.n, bn)
		last := i == len(parts)-1
		exactM := m%bm == 0 && (!last || gx*wg[1] == total)
		exactN := g.n%bn == 0
		exactK := g.k%t.bk == 0 // the depth per split is a multiple of bk: every step is whole
		ext := "N" + sfx
		var setupA, setupB, loadA, loadB, store strings.Builder
		g.a.setup(&setupA, "ra", "M", !exactM)
		g.b.setup(&setupB, "rb", ext, !exactN)
		if g.k > 0 { // else the depth loop is empty and the tile all zeros
			g.a.load(&loadA, "a", "sa", "ra", "QA", "qa", t.bk*qa/nt, nt/qa, !exactM, !exactK)
			g.b.load(&loadB, "b", "sb", "rb", "QB", "qb", t.bk*qb/nt, nt/qb, !exactN, !exactK)
		}
		if phased {
			// The part's output columns, for the shared store.
			fmt.Fprintf(&store, "\tn_end = %s;\n", ext)
			for j := 0; j < t.rn/4; j++ {
				fmt.Fprintf(&store, "\tlet pq%d = n0 + 4u * (%s) + vec4<u32>(0u, 1u, 2u, 3u);\n", j, convOffset("lid.x", j, "TX"))
				p.cols.emit(&store, "\t", fmt.Sprintf("pc%d", j), fmt.Sprintf("pq%d", j), true, false)
				fmt.Fprintf(&store, "\toc%d_off = pc%d_off;\n", j, j)
			}
		} else {
			g.store(&store, t, p.rows, p.cols, ext, partial, exactM, exactN, ep, false)
		}
		consts.WriteString(convRender("gemm_consts", map[string]any{
			"Sfx": sfx, "N": g.n, "K": g.k, "TilesN": divCeil(g.n, bn), "SplitK": t.depthPerSplit(g.k),
		}))
		part := convRender("gemm_part", map[string]any{
			"Sfx": sfx, "Start": start, "BM": bm, "BN": bn, "Shared": phased,
			"SetupA": setupA.String(), "SetupB": setupB.String(), "LoadA": loadA.String(), "LoadB": loadB.String(),
			"Zero": zero.String(), "Product": product.String(), "Store": store.String(),
		})
		writePart(&body, phased, i == 0, last, start+tiles, doc, part)
		start += tiles
	}
	if phased {
		body.WriteString("\t}\n")
		parts[0].g.store(&body, t, parts[0].rows, idxMap{}, "n_end", partial, storeExactM, storeExactN, ep, true)
	}

	src := convRender("conv_gemm.wgsl", map[string]any{
		"Name": name, "M": m, "Parts": len(parts),
		"BM": bm, "BN": bn, "BK": t.bk, "QA": qa, "QB": qb, "TX": t.tx, "TY": t.ty, "RM": t.rm, "RN": t.rn,
		"GridX": gx, "SA": t.bk * qa, "SB": t.bk * qb,
		"Consts": consts.String(), "Body": body.String(),
		"Extra": declareFrom(3, ep.src), "Post": ep.post,
	})
	return &Kernel{Name: name, Source: src, Bindings: ep.bindings(Read, Read, ReadWrite), Workgroups: wg}
}

// tabIn indents each non-empty line of s by one more tab.
func tabIn(s string) string {
	lines := strings.SplitAfter(s, "\n")
	for i, l := range lines {
		if l != "" && l != "\n" {
			lines[i] = "\t" + l
		}
	}
	return strings.Join(lines, "")
}

// store writes the store of an invocation's block of g: column quads
// once (with colsSet, their offsets oc<j>_off are set already), then each
// row, guarded where the tile may run past the matrix (of N the WGSL
// value ext); split partial sums at split·partial.
func (g igemm) store(b *strings.Builder, t gemmTiling, rows, cols idxMap, ext string, partial int, exactM, exactN bool, ep epilogue, colsSet bool) {
	jb := t.rn / 4
	for j := 0; j < jb; j++ {
		fmt.Fprintf(b, "\tlet nq%d = n0 + 4u * (%s) + vec4<u32>(0u, 1u, 2u, 3u);\n", j, convOffset("lid.x", j, "TX"))
		if !exactN {
			fmt.Fprintf(b, "\tlet nq%d_ok = nq%d < vec4<u32>(%s);\n", j, j, ext)
		}
		if !colsSet {
			cols.emit(b, "\t", fmt.Sprintf("oc%d", j), fmt.Sprintf("nq%d", j), true, false)
		}
	}
	base := "om_off"
	if partial > 0 {
		fmt.Fprintf(b, "\tlet split = i32(wid.z * %du);\n", partial)
		base = "om_off + split"
	}
	in := "\t\t"
	for r := 0; r < t.rm; r++ {
		fmt.Fprintf(b, "\t{\n\t\tlet m = m0 + 4u * (%s) + %du;\n", convOffset("lid.y", r/4, "TY"), r%4)
		rows.emit(b, "\t\t", "om", "m", false, false)
		if !exactM {
			fmt.Fprintf(b, "\t\tif (m < M) {\n")
			in = "\t\t\t"
		}
		for j := 0; j < jb; j++ {
			fmt.Fprintf(b, "%slet o%d = %s + oc%d_off;\n", in, j, base, j)
			for c := 0; c < 4; c++ {
				x := "xyzw"[c]
				v := fmt.Sprintf("c%d_%d.%c", r, j, x)
				if ep.post != "" {
					v = fmt.Sprintf("post(u32(o%d.%c), %s)", j, x, v)
				}
				if exactN {
					fmt.Fprintf(b, "%sdst[o%d.%c] = %s;\n", in, j, x, v)
				} else {
					fmt.Fprintf(b, "%sif (nq%d_ok.%c) { dst[o%d.%c] = %s; }\n", in, j, x, j, x, v)
				}
			}
		}
		if !exactM {
			fmt.Fprintf(b, "\t\t}\n")
		}
		fmt.Fprintf(b, "\t}\n")
	}
}

// convOffset is base + i·step as WGSL, without a zero term.
func convOffset(base string, i int, step string) string {
	if i == 0 {
		return base
	}
	return fmt.Sprintf("%s + %du * %s", base, i, step)
}

// setup writes the per-invocation part of an operand's addressing: the
// offsets and window positions of its quad of rows r (a vec4<u32>), and
// r_ok when the rows may run past the matrix (whose extent is the WGSL
// constant extent).
func (o gemmOperand) setup(b *strings.Builder, r, extent string, guard bool) {
	if guard {
		fmt.Fprintf(b, "\tlet %s_ok = %s < vec4<u32>(%s);\n", r, r, extent)
	}
	o.rows.emit(b, "\t", r, r, true, o.window)
}

// load writes the loads of one depth step of an operand's tile into
// workgroup memory: each invocation loads per quads at depth rows
// t/q + i·stride, i < per, of its quad column.
func (o gemmOperand) load(b *strings.Builder, buf, shared, r, q, col string, per, stride int, guardRows, guardK bool) {
	for i := 0; i < per; i++ {
		fmt.Fprintf(b, "\t\t{\n\t\t\tlet kk = t / %s", q)
		if i > 0 {
			fmt.Fprintf(b, " + %du", i*stride)
		}
		fmt.Fprintf(b, ";\n\t\t\tlet k = k0 + kk;\n")
		o.depth.emit(b, "\t\t\t", "d", "k", false, o.window)
		var conds []string
		if guardRows {
			conds = append(conds, r+"_ok")
		}
		if guardK {
			conds = append(conds, "vec4<bool>(k < kend)")
		}
		if o.window {
			fmt.Fprintf(b, "\t\t\tlet h = %s_h + d_h;\n\t\t\tlet w = %s_w + d_w;\n", r, r)
			conds = append(conds,
				fmt.Sprintf("(vec4<u32>(h) < vec4<u32>(%du))", o.h),
				fmt.Sprintf("(vec4<u32>(w) < vec4<u32>(%du))", o.w))
		}
		addr := fmt.Sprintf("%s_off + d_off", r)
		if len(conds) == 0 {
			fmt.Fprintf(b, "\t\t\tlet i = %s;\n", addr)
			fmt.Fprintf(b, "\t\t\t%s[kk * %s + %s] = vec4<f32>(%s[i.x], %[4]s[i.y], %[4]s[i.z], %[4]s[i.w]);\n", shared, q, col, buf)
		} else {
			fmt.Fprintf(b, "\t\t\tlet ok = %s;\n", strings.Join(conds, " & "))
			fmt.Fprintf(b, "\t\t\tlet i = select(vec4<i32>(0), %s, ok);\n", addr)
			fmt.Fprintf(b, "\t\t\t%s[kk * %s + %s] = select(vec4<f32>(0.0), vec4<f32>(%s[i.x], %[4]s[i.y], %[4]s[i.z], %[4]s[i.w]), ok);\n", shared, q, col, buf)
		}
		fmt.Fprintf(b, "\t\t}\n")
	}
}

// reduce emits the kernel adding the splits partial sums of g (each an M×N
// row-major block) into dst at g's output positions.
func (g igemm) reduce(splits int) *Kernel {
	total := g.m * g.n
	gx, wg := groups2D(divCeil(total, 256))
	var idx strings.Builder
	g.outRows.emit(&idx, "\t", "om", "i / N", false, false)
	g.outCols.emit(&idx, "\t", "on", "i % N", false, false)
	name := fmt.Sprintf("%s_sum%d", g.what, splits)
	src := convRender("conv_reduce.wgsl", map[string]any{
		"Name": name, "N": g.n, "Total": total, "Splits": splits, "GridX": gx, "Index": idx.String(),
		"Extra": declareFrom(2, g.ep.src), "Post": g.ep.post,
	})
	return &Kernel{Name: name, Source: src, Bindings: g.ep.bindings(Read, ReadWrite), Workgroups: wg}
}

// writePart appends one part of a kernel's body: as it is when the kernel
// has one part, else as the branch of the workgroups below end (the first,
// a middle or the last of an if/else-if chain that the caller closes).
func writePart(body *strings.Builder, phased, first, last bool, end int, doc, part string) {
	switch {
	case !phased:
		body.WriteString(part)
		return
	case first:
		fmt.Fprintf(body, "\tif (wg < %du) {\n", end)
	case last:
		body.WriteString("\t} else {\n")
	default:
		fmt.Fprintf(body, "\t} else if (wg < %du) {\n", end)
	}
	body.WriteString(tabIn(doc + part))
}
