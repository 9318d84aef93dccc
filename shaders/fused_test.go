package shaders

import (
	"fmt"
	"strings"
	"testing"

	"github.com/wgangp/wgangp/engine"
)

// TestFusedValue checks what the golden files show less directly: a load
// read twice is read once, a broadcast load is indexed through its map,
// instructions of constants are folded (WGSL would evaluate them when it
// compiles the shader, where an overflow is an error), negative literals
// are parenthesised, and bad code is an error, not a shader.
func TestFusedValue(t *testing.T) {
	space := engine.Shape{2, 3}
	op := engine.FusedOp{
		Space: space, Out: space,
		Loads: []engine.FusedLoad{
			{Input: 0, Full: space, Small: space},
			{Input: 1, Full: space, Small: engine.Shape{1, 3}},
		},
		Code: []engine.FusedInstr{
			{Kind: engine.FusedRead, Arg: 0},                                  // v0
			{Kind: engine.FusedRead, Arg: 0},                                  // v1 = v0
			{Kind: engine.FusedRead, Arg: 1},                                  // v2
			{Kind: engine.FusedConst, Value: 4},                               // 4.0
			{Kind: engine.FusedUnary, Unary: engine.FnSqrt, A: 3},             // 2.0
			{Kind: engine.FusedUnary, Unary: engine.FnScale, A: 4, Value: -1}, // -2.0
			{Kind: engine.FusedBinary, Binary: engine.FnMul, A: 0, B: 1},
			{Kind: engine.FusedBinary, Binary: engine.FnSub, A: 6, B: 5},
			{Kind: engine.FusedUnary, Unary: engine.FnLeakyRelu, A: 7, Value: -0.5},
			{Kind: engine.FusedBinary, Binary: engine.FnDiv, A: 8, B: 2},
		},
	}
	ins := []binding{{Name: "in0", Access: Read}, {Name: "in1", Access: Read}}
	src, _, err := fusedFunc(op, op.Code, ins, false)
	if err != nil {
		t.Fatal(err)
	}
	body := src[strings.Index(src, "fn value"):]
	for _, want := range []string{
		"let v0 = in0[i];",
		"let v2 = in1[(i % 3u)];",
		"let v6 = v0 * v0;",
		"let v7 = v6 - (-2.0);",
		"let v8 = select((-0.5) * v7, v7, v7 > 0.0);",
		"let v9 = v8 / v2;",
		"return v9;",
	} {
		if !strings.Contains(body, want) {
			t.Errorf("value has no %q:\n%s", want, body)
		}
	}
	if strings.Count(body, "in0[") != 1 || strings.Contains(body, "sqrt") {
		t.Errorf("a load read twice or a constant not folded:\n%s", body)
	}

	// Sources that differ get names that differ.
	other := op
	other.Loads = []engine.FusedLoad{op.Loads[0], {Input: 1, Full: space, Small: engine.Shape{2, 1}}}
	src2, _, err := fusedFunc(other, other.Code, ins, false)
	if err != nil {
		t.Fatal(err)
	}

	// A small input bound as a uniform array is read by vec4 and component.
	ins[1] = binding{Name: "in1", Access: Uniform, Vecs: 1}
	src3, _, err := fusedFunc(op, op.Code, ins, false)
	if err != nil {
		t.Fatal(err)
	}
	if want := "let v2 = in1[((i % 3u)) / 4u][((i % 3u)) % 4u];"; !strings.Contains(src3, want) {
		t.Errorf("value has no %q:\n%s", want, src3)
	}
	if fusedName(op, src) == fusedName(other, src2) {
		t.Errorf("two sources named %s", fusedName(op, src))
	}

	for _, bad := range [][]engine.FusedInstr{
		nil,
		{{Kind: engine.FusedRead, Arg: 2}},
		{{Kind: engine.FusedUnary, Unary: engine.FnTanh, A: 0}},
		{{Kind: engine.FusedRead, Arg: 0}, {Kind: engine.FusedBinary, Binary: engine.FnAdd, A: 0, B: 1}},
	} {
		o := op
		o.Code = bad
		if _, _, err := fusedFunc(o, o.Code, ins, false); err == nil {
			t.Errorf("code %v: no error", bad)
		}
	}
	if _, _, err := fusedFunc(op, op.Code, ins[:1], false); err == nil {
		t.Error("a load of a missing input: no error")
	}
}

// TestFusedEpilogue: an epilogue reads the sum as s and its loads at j; a
// sum outside an epilogue is an error; a pass over partial sums that would
// bind more than 8 buffers for its epilogue is an error, not a shader.
func TestFusedEpilogue(t *testing.T) {
	space, out := engine.Shape{4, 300}, engine.Shape{4, 1}
	op := engine.FusedOp{
		Space: space, Out: out, Reduce: true,
		Loads: []engine.FusedLoad{
			{Input: 0, Full: space, Small: space},
			{Input: 1, Full: out, Small: out},
		},
		Code: []engine.FusedInstr{{Kind: engine.FusedRead, Arg: 0}},
		Epilogue: []engine.FusedInstr{
			{Kind: engine.FusedSum},
			{Kind: engine.FusedRead, Arg: 1},
			{Kind: engine.FusedBinary, Binary: engine.FnMul, A: 0, B: 1},
		},
	}
	ins := []binding{{Name: "in0", Access: Read}, {Name: "in1", Access: Read}}
	post, reads, err := fusedFunc(op, op.Epilogue, ins, true)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(post, "let v1 = in1[j];") || !strings.Contains(post, "let v2 = s * v1;") || len(reads) != 1 || reads[0] != 1 {
		t.Errorf("epilogue reads %v:\n%s", reads, post)
	}
	if _, _, err := fusedFunc(op, op.Epilogue, ins, false); err == nil {
		t.Error("a sum in the main expression: no error")
	}
	if _, _, err := fusedFunc(op, op.Epilogue[1:], ins, false); err == nil {
		t.Error("a load of the output's size in the main expression: no error")
	}

	// 7 inputs read again by the last pass of a multi-pass reduction: with
	// x and y, 9 bindings.
	var ep epilogue
	ep.post = post
	for k := range 7 {
		ep.src = append(ep.src, binding{Name: fmt.Sprintf("in%d", k), Access: Read})
		ep.args = append(ep.args, Ref{Kind: Input, Index: k})
	}
	if _, err := reduce(engine.Shape{2, 1 << 16}, engine.Shape{2, 1}, plainValue, []binding{{Name: "x", Access: Read}}, []Ref{{Kind: Input}}, ep, "many"); err == nil {
		t.Error("9 bindings: no error")
	}
	ep.src, ep.args = ep.src[:6], ep.args[:6]
	if _, err := reduce(engine.Shape{2, 1 << 16}, engine.Shape{2, 1}, plainValue, []binding{{Name: "x", Access: Read}}, []Ref{{Kind: Input}}, ep, "many"); err != nil {
		t.Error(err)
	}
}
