package shaders

import (
	"fmt"
	"strings"
)

// The direct GEMM kernels (Options.Direct), for software adapters: each
// invocation computes an rm×rn block of the output from the op's buffers,
// one depth at a time, summing in the same order as the tiled kernel (so
// the same results up to rounding). Their body is a few dozen lines where
// the tiled kernel's is hundreds (unrolled staging loads, barriers, 8×8
// blocks): SwiftShader compiled the tiled convolutions of the F=8 model in
// 0.5-5 s each, a direct one in about 0.3 s.

// directWG is the workgroup size of a direct kernel: small, so that a
// GEMM with few blocks still spreads over a CPU's cores.
const directWG = 16

// Cost model of the direct kernels (units of convElemCost's): a depth
// step of an invocation costs its multiply-adds, its gathered elements
// (each a load with its own address, and a window test for an image) and
// the depth's index arithmetic.
const (
	directLoadCost = 3
	directStepCost = 12
)

// directCost estimates the time of g with the direct tiling t.
func (g igemm) directCost(t gemmTiling) float64 {
	steps := min(t.depthPerSplit(g.k), g.k)
	blocks := divCeil(g.m, t.rm) * divCeil(g.n, t.rn) * t.splits
	// A vec4 load costs about what its four floats do (see vecMode).
	perStep := float64(t.rm*t.rn + directLoadCost*(t.rm+t.rn) + directStepCost)
	wgs := divCeil(blocks, directWG)
	total := float64(divCeil(wgs, convParallel)*directWG*steps)*perStep + float64(blocks*t.rm*t.rn)*convElemCost/convParallel
	if t.splits > 1 {
		total += float64(g.m*g.n*2*t.splits) * convElemCost / convParallel
	}
	return total
}

// planDirect chooses the direct tiling of the GEMMs gs (of the same M, one
// kernel), as planGemms does among the tiled ones: blocks of 4 or 8 rows
// and columns and a split count, each split keeping at least 16 depths.
func planDirect(gs []igemm) gemmTiling {
	maxK, outs := 0, 0
	for _, g := range gs {
		maxK, outs = max(maxK, g.k), outs+g.m*g.n
	}
	var best gemmTiling
	bestCost := -1.0
	for _, rm := range []int{4, 8} {
		for _, rn := range []int{4, 8} {
			for splits := 1; splits == 1 || splits <= 64 && maxK >= splits*16 && splits*outs <= convMaxElems; splits *= 2 {
				t := gemmTiling{rm: rm, rn: rn, tx: 1, ty: 1, bk: directStep(gs), splits: 1, direct: true}
				for _, g := range gs {
					per := divCeil(max(g.k, 1), splits)
					t.splits = max(t.splits, divCeil(g.k, per))
				}
				c := 0.0
				for _, g := range gs {
					c += g.directCost(t)
				}
				if bestCost < 0 || c < bestCost {
					best, bestCost = t, c
				}
			}
		}
	}
	return best
}

// directKernel is gemmKernel for a direct tiling: the GEMMs parts (of the
// same M) in consecutive ranges of invocations.
func directKernel(name string, t gemmTiling, parts []gemmPart, partial int) *Kernel {
	bm, bn := t.rm, t.rn
	m := parts[0].g.m
	tilesM := divCeil(m, bm)
	total := 0
	for _, p := range parts {
		total += tilesM * divCeil(p.g.n, bn)
	}
	gx, wg := groups2D(divCeil(total, directWG))
	wg[2] = t.splits

	ep := parts[0].g.ep
	if partial > 0 {
		ep = epilogue{} // partial sums: the reduction applies it
	}

	va, vb, step := directModes(gemms(parts))
	var zero, product strings.Builder
	ia, jb := t.rm/4, t.rn/4
	for r := 0; r < t.rm; r++ {
		for j := 0; j < jb; j++ {
			fmt.Fprintf(&zero, "\tvar c%d_%d = vec4<f32>(0.0);\n", r, j)
		}
	}
	for d := 0; d < step; d++ {
		for r := 0; r < t.rm; r++ {
			for j := 0; j < jb; j++ {
				fmt.Fprintf(&product, "\t\tc%d_%d += a%d_%d.%c * b%d_%d;\n", r, j, r/4, d, "xyzw"[r%4], j, d)
			}
		}
	}

	phased := len(parts) > 1
	exactM := m%bm == 0 // invocations past the blocks return at once
	storeExactN := true
	for _, p := range parts {
		storeExactN = storeExactN && p.g.n%bn == 0
	}
	var consts, body strings.Builder
	if phased {
		body.WriteString("\tvar m0 = 0u;\n\tvar n0 = 0u;\n\tvar n_end = 0u; // the part's N\n")
		for j := 0; j < jb; j++ {
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
		exactN := g.n%bn == 0
		ext := "N" + sfx
		var setupA, setupB, loadA, loadB, store strings.Builder
		for q := 0; q < ia; q++ {
			r := fmt.Sprintf("ra%d", q)
			fmt.Fprintf(&setupA, "\tlet %s = m0 + %du + vec4<u32>(0u, 1u, 2u, 3u);\n", r, 4*q)
			g.a.setup(&setupA, r, "M", !exactM)
		}
		for q := 0; q < jb; q++ {
			r := fmt.Sprintf("rb%d", q)
			fmt.Fprintf(&setupB, "\tlet %s = n0 + %du + vec4<u32>(0u, 1u, 2u, 3u);\n", r, 4*q)
			g.b.setup(&setupB, r, ext, !exactN)
		}
		if g.k > 0 { // else the depth loop is empty and the block all zeros
			g.a.loadDirect(&loadA, "a", ia, step, va, !exactM)
			g.b.loadDirect(&loadB, "b", jb, step, vb, !exactN)
		}
		if phased {
			fmt.Fprintf(&store, "\tn_end = %s;\n", ext)
			for j := 0; j < jb; j++ {
				fmt.Fprintf(&store, "\tlet pq%d = n0 + %du + vec4<u32>(0u, 1u, 2u, 3u);\n", j, 4*j)
				p.cols.emit(&store, "\t", fmt.Sprintf("pc%d", j), fmt.Sprintf("pq%d", j), true, false)
				fmt.Fprintf(&store, "\toc%d_off = pc%d_off;\n", j, j)
			}
		} else {
			g.store(&store, t, p.rows, p.cols, ext, partial, exactM, exactN, ep, false)
		}
		consts.WriteString(convRender("gemm_consts", map[string]any{
			"Sfx": sfx, "N": g.n, "K": g.k, "TilesN": divCeil(g.n, bn), "SplitK": t.depthPerSplit(g.k),
		}))
		prod := product.String()
		if g.k == 0 {
			prod = "" // no taps: nothing to multiply, the block stays zero
		}
		part := convRender("direct_part", map[string]any{
			"Sfx": sfx, "Start": start, "BM": bm, "BN": bn, "Shared": phased,
			"SetupA": setupA.String(), "SetupB": setupB.String(), "LoadA": loadA.String(), "LoadB": loadB.String(),
			"Zero": zero.String(), "Product": prod, "Store": store.String(), "Step": step,
		})
		writePart(&body, phased, i == 0, last, start+tiles, doc, part)
		start += tiles
	}
	if phased {
		body.WriteString("\t}\n")
		parts[0].g.store(&body, t, parts[0].rows, idxMap{}, "n_end", partial, exactM, storeExactN, ep, true)
	}

	bs := append([]binding{
		operandBinding("a", va, sharedSize(parts, func(g igemm) gemmOperand { return g.a })),
		operandBinding("b", vb, sharedSize(parts, func(g igemm) gemmOperand { return g.b })),
		{Name: "dst", Access: ReadWrite},
	}, ep.src...)
	src := convRender("conv_direct.wgsl", map[string]any{
		"Name": name, "M": m, "Parts": len(parts), "RM": t.rm, "RN": t.rn,
		"Decls": declare(bs), "VecA": va.String(), "VecB": vb.String(),
		"GridX": gx, "Blocks": total, "WG": directWG,
		"Consts": consts.String(), "Body": body.String(),
		"Post": ep.post,
	})
	return &Kernel{Name: name, Source: src, Bindings: accesses(bs), Workgroups: wg}
}

// loadDirect writes the loads of one step of the depth loop (k to
// k+step-1) of an operand read in mode v, quads quads of rows (set up by
// setup as rx0, rx1, ..., x the buffer's name): each depth d of the step
// binds the quads x0_d, x1_d, ... (zero where the rows run past the
// matrix, with guardRows, or the window falls outside the image).
func (o gemmOperand) loadDirect(b *strings.Builder, x string, quads, step int, v vecMode, guardRows bool) {
	depths := step
	if v == vecDepth {
		depths = 1 // one depth map for the four
	}
	for d := 0; d < depths; d++ {
		k := "k"
		if d > 0 {
			k = fmt.Sprintf("(k + %du)", d)
		}
		o.depth.emit(b, "\t\t", fmt.Sprintf("d%s%d", x, d), k, false, o.window)
	}
	for q := 0; q < quads; q++ {
		r := fmt.Sprintf("r%s%d", x, q)
		switch v {
		case vecNone:
			for d := 0; d < step; d++ {
				o.loadQuad(b, x, fmt.Sprintf("%s%d_%d", x, q, d), r, fmt.Sprintf("d%s%d", x, d), guardRows)
			}
		case vecRows:
			for d := 0; d < step; d++ {
				loadVec(b, x, fmt.Sprintf("%s%d_%d", x, q, d), r, ".x", fmt.Sprintf("d%s%d", x, d), guardRows)
			}
		case vecDepth:
			for e := 0; e < 4; e++ {
				loadVec(b, x, fmt.Sprintf("%s%dr%d", x, q, e), r, "."+string("xyzw"[e]), fmt.Sprintf("d%s0", x), guardRows)
			}
			for d := 0; d < step; d++ {
				c := "xyzw"[d]
				fmt.Fprintf(b, "\t\tlet %s%d_%d = vec4<f32>(%[1]s%[2]dr0.%[4]c, %[1]s%[2]dr1.%[4]c, %[1]s%[2]dr2.%[4]c, %[1]s%[2]dr3.%[4]c);\n", x, q, d, c)
			}
		}
	}
}

// loadVec writes the vec4 load val of the four consecutive floats from
// the element of the rows' component c (".x" to ".w") of the rows r at the
// depth whose map is d: zero where that row runs past the matrix (with
// guardRows).
func loadVec(b *strings.Builder, buf, val, r, c, d string, guardRows bool) {
	addr := fmt.Sprintf("(%s_off%s + %s_off) / 4", r, c, d)
	if !guardRows {
		fmt.Fprintf(b, "\t\tlet %s = %s[%s];\n", val, buf, addr)
		return
	}
	ok := r + "_ok" + c
	fmt.Fprintf(b, "\t\tlet %s = select(vec4<f32>(0.0), %s[select(0, %s, %s)], %[4]s);\n", val, buf, addr, ok)
}

// loadQuad writes the load of the quad val of an operand at the depth
// whose index map is d (its rows r, set up by setup): zero where the rows
// run past the matrix (with guardRows) or the window falls outside the
// image.
func (o gemmOperand) loadQuad(b *strings.Builder, buf, val, r, d string, guardRows bool) {
	var conds []string
	if guardRows {
		conds = append(conds, r+"_ok")
	}
	if o.window {
		fmt.Fprintf(b, "\t\tlet %s_h = %s_h + %s_h;\n\t\tlet %[1]s_w = %[2]s_w + %[3]s_w;\n", val, r, d)
		conds = append(conds,
			fmt.Sprintf("(vec4<u32>(%s_h) < vec4<u32>(%du))", val, o.h),
			fmt.Sprintf("(vec4<u32>(%s_w) < vec4<u32>(%du))", val, o.w))
	}
	addr := fmt.Sprintf("%s_off + %s_off", r, d)
	if len(conds) == 0 {
		fmt.Fprintf(b, "\t\tlet %s_i = %s;\n", val, addr)
		fmt.Fprintf(b, "\t\tlet %s = vec4<f32>(%s[%[1]s_i.x], %[2]s[%[1]s_i.y], %[2]s[%[1]s_i.z], %[2]s[%[1]s_i.w]);\n", val, buf)
		return
	}
	fmt.Fprintf(b, "\t\tlet %s_ok = %s;\n", val, strings.Join(conds, " & "))
	fmt.Fprintf(b, "\t\tlet %s_i = select(vec4<i32>(0), %s, %[1]s_ok);\n", val, addr)
	fmt.Fprintf(b, "\t\tlet %s = select(vec4<f32>(0.0), vec4<f32>(%s[%[1]s_i.x], %[2]s[%[1]s_i.y], %[2]s[%[1]s_i.z], %[2]s[%[1]s_i.w]), %[1]s_ok);\n", val, buf)
}

// vecMode is how a direct kernel reads an operand: one element at a time,
// or four consecutive floats, 16-byte aligned, in one vec4 load: the
// quad of rows of a depth (vecRows) or four depths of a row (vecDepth).
// A software adapter loads per SIMD lane, and per component within a lane
// (lavapipe): a vec4 shares the lane's work (its exec-mask test and
// address) among four floats, which saved 1-11 % of lavapipe's
// generator iteration at F=8/16.
type vecMode int

const (
	vecNone vecMode = iota
	vecRows
	vecDepth
)

// vecMode says how the direct kernels read o, whose rows run to extent:
// by quads of rows where four consecutive rows from a multiple of 4 are
// four consecutive floats from a multiple of 4 whatever the depth, else by
// four depths where the depth map has that property; a windowed operand
// (an image read through the padding) one float at a time.
func (o gemmOperand) vecMode(extent int) vecMode {
	switch {
	case o.window:
		return vecNone
	case extent%4 == 0 && o.rows.vecAligned(o.depth):
		return vecRows
	case o.depth.vecAligned(o.rows):
		return vecDepth
	}
	return vecNone
}

// vecAligned reports whether four consecutive indices of a from a multiple
// of 4 map to four consecutive offsets from a multiple of 4 whatever the
// index of other (the map added to a's): a's innermost digit steps the
// offset by 1 with a radix that is a multiple of 4 (unless it is the only
// digit), and every other step and constant of both maps is a multiple
// of 4.
func (a idxMap) vecAligned(other idxMap) bool {
	ds := a.digits
	if len(ds) == 0 {
		return false
	}
	if in := ds[len(ds)-1]; in.off != 1 || len(ds) > 1 && in.size%4 != 0 {
		return false
	}
	if a.off%4 != 0 || other.off%4 != 0 {
		return false
	}
	for _, d := range ds[:len(ds)-1] {
		if d.off%4 != 0 {
			return false
		}
	}
	for _, d := range other.digits {
		if d.off%4 != 0 {
			return false
		}
	}
	return true
}

// directModes returns how a direct kernel of the GEMMs gs reads A and B
// (an operand by vec4 only where every part can) and the depth it
// advances by: 4 where it reads an operand four depths at a time, every
// depth then a multiple of 4 (so are the splits), else 1.
func directModes(gs []igemm) (va, vb vecMode, step int) {
	va, vb = gs[0].a.vecMode(gs[0].m), gs[0].b.vecMode(gs[0].n)
	for _, g := range gs[1:] {
		if g.a.vecMode(g.m) != va {
			va = vecNone
		}
		if g.b.vecMode(g.n) != vb {
			vb = vecNone
		}
	}
	for _, g := range gs {
		if g.k%4 != 0 { // four depths at a time need whole quads of depths
			va, vb = va.rowsOnly(), vb.rowsOnly()
		}
	}
	step = 1
	if va == vecDepth || vb == vecDepth {
		step = 4
	}
	return va, vb, step
}

// rowsOnly is v without reading by four depths.
func (v vecMode) rowsOnly() vecMode {
	if v == vecDepth {
		return vecNone
	}
	return v
}

// directStep is directModes' depth step.
func directStep(gs []igemm) int {
	_, _, step := directModes(gs)
	return step
}

func (v vecMode) String() string {
	return [...]string{"one float at a time", "by quads of rows (vec4)", "four depths at a time (vec4)"}[v]
}

// gemms is the GEMMs of parts.
func gemms(parts []gemmPart) []igemm {
	gs := make([]igemm, len(parts))
	for i, p := range parts {
		gs[i] = p.g
	}
	return gs
}

// operandBinding is the binding named name of a direct kernel's operand
// read in mode v from a buffer of size floats (0: unknown): one read by
// vec4 is a uniform array where the buffer fits one (uniformVecs), else
// storage of vec4s.
func operandBinding(name string, v vecMode, size int) binding {
	if v == vecNone {
		return binding{Name: name, Access: Read}
	}
	if vecs, ok := uniformVecs(size); ok {
		return binding{Name: name, Access: Uniform, Vecs: vecs}
	}
	return binding{Name: name, Access: Read, Vec4: true}
}

// sharedSize is the size of the buffer that the operand op of every GEMM
// of parts reads, or 0 where they differ or it is unknown.
func sharedSize(parts []gemmPart, op func(igemm) gemmOperand) int {
	size := op(parts[0].g).size
	for _, p := range parts[1:] {
		if op(p.g).size != size {
			return 0
		}
	}
	return size
}
