package shaders

import (
	"fmt"
	"strings"

	"github.com/wgangp/wgangp/engine"
)

// matTile is how a matmul kernel divides c: bm×bn tiles per workgroup,
// rm×rn outputs per invocation (multiples of 4: vec4 runs), bk deep slices
// of the operands staged in workgroup memory.
type matTile struct{ bm, bn, rm, rn, bk int }

// matTiling picks the tile for c of m×n: 64×64 with 8×8 per invocation
// (64 invocations, 8 KiB of workgroup memory) for large operands, smaller
// tiles along skinny dimensions, so that a batch of two does not compute
// 62 rows of padding.
func matTiling(m, n int) matTile {
	side := func(d int) (b, r int) {
		switch {
		case d > 32:
			return 64, 8
		case d > 16:
			return 32, 4
		}
		return 16, 4
	}
	t := matTile{bk: 16}
	t.bm, t.rm = side(m)
	t.bn, t.rn = side(n)
	return t
}

// matMul computes c = op(a)·op(b), storing post(j, c[j]) where ep has an
// epilogue.
func matMul(n *engine.Node, op engine.MatMulOp, ep epilogue) (Op, error) {
	sa, sb := n.Input(0).Shape(), n.Input(1).Shape()
	m, k, nn := op.Dims(sa, sb)
	if compileOpts.Direct {
		return matMulDirect(m, k, nn, op, ep), nil
	}
	t := matTiling(m, nn)
	wx, wy := t.bn/t.rn, t.bm/t.rm
	tilesN := divCeil(nn, t.bn)
	row, size := groups2D(divCeil(m, t.bm) * tilesN)

	opA, shapeA, flags := "a", "[M, K]", "n"
	// Staging: element e of the slice goes to row mm, depth kk, in the
	// order that reads consecutive addresses with consecutive invocations.
	loadA := "let mm = e / BK;\nlet kk = e % BK;\n" + stage("a", "m", "M", "m * K + k", "ta", "BM")
	if op.TransA {
		opA, shapeA, flags = "aᵀ", "[K, M]", "t"
		loadA = "let kk = e / BM;\nlet mm = e % BM;\n" + stage("a", "m", "M", "k * M + m", "ta", "BM")
	}
	opB, shapeB := "b", "[K, N]"
	loadB := "let kk = e / BN;\nlet nn = e % BN;\n" + stage("b", "n", "N", "k * N + n", "tb", "BN")
	flags += "n"
	if op.TransB {
		opB, shapeB, flags = "bᵀ", "[N, K]", flags[:1]+"t"
		loadB = "let nn = e / BK;\nlet kk = e % BK;\n" + stage("b", "n", "N", "n * K + k", "tb", "BN")
	}

	// Invocation (x, y) owns the runs of 4 rows y + p·WY and of 4 columns
	// x + q·WX of the tile.
	ra, rb := t.rm/4, t.rn/4
	var acc, inner, stores strings.Builder
	for p := range ra {
		fmt.Fprintf(&inner, "let a%d = ta[k * (BM / 4u) + lid.y + %du * WY];\n", p, p)
	}
	for q := range rb {
		fmt.Fprintf(&inner, "let b%d = tb[k * (BN / 4u) + lid.x + %du * WX];\n", q, q)
	}
	comp := "xyzw"
	for p := range ra {
		for r := range 4 {
			for q := range rb {
				v := fmt.Sprintf("c%d_%d", 4*p+r, q)
				fmt.Fprintf(&acc, "var %s = vec4<f32>();\n", v)
				fmt.Fprintf(&inner, "%s = fma(vec4<f32>(a%d.%c), b%d, %s);\n", v, p, comp[r], q, v)
				fmt.Fprintf(&stores, "store(m0 + 4u * (lid.y + %du * WY) + %du, n0 + 4u * (lid.x + %du * WX), %s);\n", p, r, q, v)
			}
		}
	}

	name := fmt.Sprintf("matmul_%s_%dx%dx%d_tile%dx%dx%d_%dx%d%s", flags, m, k, nn, t.bm, t.bn, t.bk, t.rm, t.rn, ep.tag)
	src, err := fillTemplate("matmul.wgsl", map[string]any{
		"Name": name, "OpA": opA, "OpB": opB, "ShapeA": shapeA, "ShapeB": shapeB,
		"M": m, "K": k, "N": nn, "WX": wx, "WY": wy, "BM": t.bm, "BN": t.bn, "BK": t.bk,
		"SizeA": t.bm * t.bk / 4, "SizeB": t.bn * t.bk / 4, "TilesN": tilesN, "Row": row,
		"LoadA": indent(loadA, 3), "LoadB": indent(loadB, 3),
		"Accumulators": indent(acc.String(), 1), "Inner": indent(inner.String(), 3),
		"Stores": indent(stores.String(), 1),
		"Extra":  declareFrom(3, ep.src), "Post": ep.post,
	})
	if err != nil {
		return Op{}, err
	}
	kern := &Kernel{Name: name, Source: src, Bindings: ep.bindings(Read, Read, ReadWrite), Workgroups: size}
	return single(kern, append([]Ref{{Kind: Input, Index: 0}, {Kind: Input, Index: 1}, {Kind: Output}}, ep.args...)...), nil
}

// stage writes the WGSL that copies one element of an operand into its
// workgroup slice: the element at row r0+rr (r is "m" or "n", bounded by
// extent), depth k0+kk, read from buf at index, or 0 past the edges.
func stage(buf, r, extent, index, slice, width string) string {
	return fmt.Sprintf(`let %[2]s = %[2]s0 + %[2]s%[2]s;
let k = k0 + kk;
var v = 0.0;
if (%[2]s < %[3]s && k < K) {
    v = %[1]s[%[4]s];
}
%[5]s[kk * (%[6]s / 4u) + %[2]s%[2]s / 4u][%[2]s%[2]s %% 4u] = v;
`, buf, r, extent, index, slice, width)
}

// matMulDirect is matMul as a direct GEMM kernel (Options.Direct): A =
// op(a) [M, K], B = op(b) [K, N], out c [M, N] row-major.
func matMulDirect(m, k, n int, op engine.MatMulOp, ep epilogue) Op {
	flags := "n"
	a := gemmOperand{rows: idxLinear(k), depth: idxLinear(1)}
	if op.TransA {
		flags, a = "t", gemmOperand{rows: idxLinear(1), depth: idxLinear(m)}
	}
	b := gemmOperand{rows: idxLinear(1), depth: idxLinear(n)}
	flags += "n"
	if op.TransB {
		flags, b = flags[:1]+"t", gemmOperand{rows: idxLinear(k), depth: idxLinear(1)}
	}
	g := igemm{
		what: fmt.Sprintf("matmul_%s_%dx%dx%d%s", flags, m, k, n, ep.tag), ep: ep,
		m: m, n: n, k: k, a: a, b: b,
		outRows: idxLinear(n), outCols: idxLinear(1),
	}
	g.a.size, g.b.size = m*k, k*n
	var o Op
	g.dispatches(g.plan(), Ref{Kind: Input, Index: 0}, Ref{Kind: Input, Index: 1}, Ref{Kind: Output}, &o, 0)
	return o
}
