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
				t := gemmTiling{rm: rm, rn: rn, tx: 1, ty: 1, bk: 1, splits: 1, direct: true}
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

	var zero, product strings.Builder
	ia, jb := t.rm/4, t.rn/4
	for r := 0; r < t.rm; r++ {
		for j := 0; j < jb; j++ {
			fmt.Fprintf(&zero, "\tvar c%d_%d = vec4<f32>(0.0);\n", r, j)
		}
	}
	for r := 0; r < t.rm; r++ {
		for j := 0; j < jb; j++ {
			fmt.Fprintf(&product, "\t\tc%d_%d += a%d.%c * b%d;\n", r, j, r/4, "xyzw"[r%4], j)
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
			g.a.depth.emit(&loadA, "\t\t", "da", "k", false, g.a.window)
			for q := 0; q < ia; q++ {
				g.a.loadQuad(&loadA, "a", fmt.Sprintf("a%d", q), fmt.Sprintf("ra%d", q), "da", !exactM)
			}
			g.b.depth.emit(&loadB, "\t\t", "db", "k", false, g.b.window)
			for q := 0; q < jb; q++ {
				g.b.loadQuad(&loadB, "b", fmt.Sprintf("b%d", q), fmt.Sprintf("rb%d", q), "db", !exactN)
			}
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
			"Zero": zero.String(), "Product": prod, "Store": store.String(),
		})
		writePart(&body, phased, i == 0, last, start+tiles, doc, part)
		start += tiles
	}
	if phased {
		body.WriteString("\t}\n")
		parts[0].g.store(&body, t, parts[0].rows, idxMap{}, "n_end", partial, exactM, storeExactN, ep, true)
	}

	src := convRender("conv_direct.wgsl", map[string]any{
		"Name": name, "M": m, "Parts": len(parts), "RM": t.rm, "RN": t.rn,
		"GridX": gx, "Blocks": total, "WG": directWG,
		"Consts": consts.String(), "Body": body.String(),
		"Extra": declareFrom(3, ep.src), "Post": ep.post,
	})
	return &Kernel{Name: name, Source: src, Bindings: ep.bindings(Read, Read, ReadWrite), Workgroups: wg}
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
