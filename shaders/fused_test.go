package shaders

import (
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
	src, _, err := fusedFunc(op, op.Code, 2, false)
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
	src2, _, err := fusedFunc(other, other.Code, 2, false)
	if err != nil {
		t.Fatal(err)
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
		if _, _, err := fusedFunc(o, o.Code, 2, false); err == nil {
			t.Errorf("code %v: no error", bad)
		}
	}
	if _, _, err := fusedFunc(op, op.Code, 1, false); err == nil {
		t.Error("a load of a missing input: no error")
	}
}
