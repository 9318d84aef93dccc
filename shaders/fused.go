package shaders

import (
	"fmt"
	"hash/fnv"
	"regexp"
	"strings"

	"github.com/wgangp/wgangp/engine"
)

// fused compiles a group of elementwise ops (engine.FusedOp) into one
// kernel: the function value(i) evaluates the group's expression at flat
// index i of its space, reading each input through its load's index map,
// and either a map kernel stores it,
//
//	for i < Space.Size(): y[i] = value(i)
//
// or, with Reduce, the passes of a reduction sum it down to Out, the first
// pass reading value (the reduction's prologue) where a plain sum reads x,
// and the last storing post(j, sum) (the epilogue) where a plain sum
// stores the sum: y[j] = post(j, Σ_r value(first(j) + at(r))).
// Bindings: in0 … in{k-1} (the node's inputs, read: storage, or on a
// software adapter a uniform array where one fits 64 KiB, readBinding), y
// (the output); the planner keeps k ≤ 7, within WebGPU's 8 storage buffers
// per stage. A
// contraction with an epilogue (Core) is the contraction's kernels storing
// post(j, value) (see coreFused).
func fused(n *engine.Node, op engine.FusedOp) (Op, error) {
	ins := len(n.Inputs())
	src := make([]binding, ins)
	args := make([]Ref, ins)
	for k := range src {
		src[k] = readBinding(fmt.Sprintf("in%d", k), n.Input(k).Shape().Size())
		args[k] = Ref{Kind: Input, Index: k}
	}
	if op.Core != nil {
		return coreFused(n, op, src, args)
	}
	value, _, err := fusedFunc(op, op.Code, src, false)
	if err != nil {
		return Op{}, fmt.Errorf("shaders: %v: %w", n, err)
	}
	if !op.Reduce {
		if op.Epilogue != nil {
			return Op{}, fmt.Errorf("shaders: %v: an epilogue without a reduction", n)
		}
		k, err := mapKernel{
			name:     fusedName(op, value),
			doc:      fmt.Sprintf("y[i] = value(i) for the %d elements of %v.", op.Space.Size(), op.Space),
			bindings: append(src, binding{Name: "y", Access: ReadWrite}),
			n:        op.Space.Size(),
			helpers:  "\n" + value,
			body:     "y[i] = value(i);",
		}.build()
		if err != nil {
			return Op{}, err
		}
		return single(k, append(args, Ref{Kind: Output})...), nil
	}
	var ep epilogue
	if op.Epilogue != nil {
		var reads []int
		ep.post, reads, err = fusedFunc(op, op.Epilogue, src, true)
		if err != nil {
			return Op{}, fmt.Errorf("shaders: %v: epilogue: %w", n, err)
		}
		for _, k := range reads {
			ep.src = append(ep.src, src[k])
			ep.args = append(ep.args, args[k])
		}
	}
	return reduce(op.Space, op.Out, value, src, args, ep, fusedName(op, value+ep.post))
}

// xRE finds the operand x in a unary function's WGSL expression.
var xRE = regexp.MustCompile(`\bx\b`)

// fusedFunc writes a WGSL function of code, one of op's expressions:
// for the main one (post false) value(i: u32) -> f32 at flat index i of
// op.Space, for an epilogue post(j: u32, s: f32) -> f32 at flat index j of
// op.Out where the sum there is s (engine.FusedSum). One let per
// instruction, each load read once however often the code uses it,
// constants inlined and instructions of constants folded here (WGSL
// evaluates a constant expression when it compiles the shader, where an
// overflow is an error). It also returns the inputs the function reads, in
// increasing order.
func fusedFunc(op engine.FusedOp, code []engine.FusedInstr, src []binding, post bool) (string, []int, error) {
	inputs := len(src)
	if len(code) == 0 {
		return "", nil, fmt.Errorf("a fused op without code")
	}
	var sb strings.Builder
	index, size := "i", op.Space.Size()
	if post {
		index, size = "j", op.Out.Size()
		what := "the sum s"
		if op.Core != nil {
			what = "the contraction's value s"
		}
		fmt.Fprintf(&sb, "// post is what the kernel stores for %s at flat index j of %v.\n", what, op.Out)
		sb.WriteString("fn post(j: u32, s: f32) -> f32 {\n")
	} else {
		fmt.Fprintf(&sb, "// value is the fused expression at flat index i of %v:\n// %s\n", op.Space, op)
		sb.WriteString("fn value(i: u32) -> f32 {\n")
	}
	names := make([]string, len(code)) // WGSL of each instruction's value
	consts := map[int]float64{}        // the instructions of constant value
	loaded := map[int]string{}         // load -> the value that read it
	read := make([]bool, inputs)
	for k, in := range code {
		operand := func(a int) (string, error) {
			if a < 0 || a >= k {
				return "", fmt.Errorf("instruction %d (%v) reads value %d", k, in, a)
			}
			return names[a], nil
		}
		v := fmt.Sprintf("v%d", k)
		switch in.Kind {
		case engine.FusedRead:
			if in.Arg < 0 || in.Arg >= len(op.Loads) {
				return "", nil, fmt.Errorf("instruction %d reads load %d of %d", k, in.Arg, len(op.Loads))
			}
			if prev, ok := loaded[in.Arg]; ok {
				names[k] = prev
				continue
			}
			l := op.Loads[in.Arg]
			if l.Input < 0 || l.Input >= inputs || l.Full.Size() != size {
				return "", nil, fmt.Errorf("load %d reads input %d of %d as %v", in.Arg, l.Input, inputs, l.Full)
			}
			fmt.Fprintf(&sb, "    let %s = %s;\n", v, src[l.Input].at(loadIndex(index, l)))
			loaded[in.Arg] = v
			read[l.Input] = true
		case engine.FusedSum:
			if !post {
				return "", nil, fmt.Errorf("instruction %d: a sum outside an epilogue", k)
			}
			names[k] = "s"
			continue
		case engine.FusedConst:
			consts[k] = in.Value
			names[k] = literal(in.Value)
			continue
		case engine.FusedUnary:
			a, err := operand(in.A)
			if err != nil {
				return "", nil, err
			}
			if c, ok := consts[in.A]; ok {
				consts[k] = float64(float32(in.Unary.Info().Eval(c, in.Value)))
				names[k] = literal(consts[k])
				continue
			}
			expr := xRE.ReplaceAllLiteralString(in.Unary.Info().WGSL, a)
			expr = strings.ReplaceAll(expr, "ALPHA", literal(in.Value))
			fmt.Fprintf(&sb, "    let %s = %s;\n", v, expr)
		case engine.FusedBinary:
			a, err := operand(in.A)
			if err != nil {
				return "", nil, err
			}
			b, err := operand(in.B)
			if err != nil {
				return "", nil, err
			}
			ca, okA := consts[in.A]
			cb, okB := consts[in.B]
			if okA && okB {
				consts[k] = float64(float32(in.Binary.Info().Eval(ca, cb)))
				names[k] = literal(consts[k])
				continue
			}
			fmt.Fprintf(&sb, "    let %s = %s %s %s;\n", v, a, in.Binary.Info().Op, b)
		default:
			return "", nil, fmt.Errorf("instruction %d has kind %d", k, in.Kind)
		}
		names[k] = v
	}
	fmt.Fprintf(&sb, "    return %s;\n}\n", names[len(names)-1])
	var reads []int
	for k, r := range read {
		if r {
			reads = append(reads, k)
		}
	}
	return sb.String(), reads, nil
}

// literal is v as a WGSL operand: lit, parenthesised where negative, so
// that it can stand anywhere a name can.
func literal(v float64) string {
	s := lit(v)
	if strings.HasPrefix(s, "-") {
		return "(" + s + ")"
	}
	return s
}

// loadIndex is the WGSL index in l's input of the value at flat index v
// (a u32 expression) of l.Full: v for a direct load, else v's coordinates
// in Full with the repeated ones dropped, flattened in Small.
func loadIndex(v string, l engine.FusedLoad) string {
	if l.Direct() {
		return v
	}
	return broadcastIndex(v, l.Full, l.Small)
}

// broadcastIndex is the WGSL index in a tensor of shape small of the
// element that flat index v of its broadcast to full reads.
func broadcastIndex(v string, full, small engine.Shape) string {
	m := merge(full, small)
	// The small tensor's strides: 0 along the broadcast dimensions.
	stride := make([]int, len(m.size))
	s := 1
	for d := len(m.size) - 1; d >= 0; d-- {
		if !m.reduced[d] {
			stride[d] = s
			s *= m.size[d]
		}
	}
	return offset(v, m.size, stride)
}

// fusedName names a fused kernel by its space (and output, for a
// reduction), the functions it applies, in order (the first six; those of
// an epilogue after "then"), and a hash of its WGSL functions, so that
// kernels with different sources have different names:
// fused_3x5x7x9_add.leakyrelu_1f2e3d4c.
func fusedName(op engine.FusedOp, funcs string) string {
	name := "fused_" + dims(op.Space)
	if op.Reduce {
		name += "_to_" + dims(op.Out)
	}
	name += "_" + fnList(op.Code)
	if op.Epilogue != nil {
		name += "_then_" + fnList(op.Epilogue)
	}
	return name + "_" + hash8(funcs)
}

// fnList names the functions code applies, in order (the first six).
func fnList(code []engine.FusedInstr) string {
	var fns []string
	for _, in := range code {
		switch in.Kind {
		case engine.FusedUnary:
			fns = append(fns, in.Unary.String())
		case engine.FusedBinary:
			fns = append(fns, in.Binary.String())
		}
	}
	if len(fns) > 6 {
		fns = append(fns[:6], fmt.Sprintf("+%d", len(fns)-6))
	}
	if len(fns) == 0 {
		fns = []string{"load"}
	}
	return strings.Join(fns, ".")
}

// hash8 is a short hash of s for names: 8 hexadecimal digits.
func hash8(s string) string {
	h := fnv.New32a()
	h.Write([]byte(s))
	return fmt.Sprintf("%08x", h.Sum32())
}

// coreFused compiles a contraction with an epilogue (FusedOp.Core): the
// contraction's kernels, the one that stores the result storing
// post(j, value) instead, binding the epilogue's inputs after its own.
func coreFused(n *engine.Node, op engine.FusedOp, src []binding, args []Ref) (Op, error) {
	if op.Reduce || len(op.Code) != 0 || op.Epilogue == nil {
		return Op{}, fmt.Errorf("shaders: %v: a contraction core with code or a reduction, or without an epilogue", n)
	}
	post, reads, err := fusedFunc(op, op.Epilogue, src, true)
	if err != nil {
		return Op{}, fmt.Errorf("shaders: %v: epilogue: %w", n, err)
	}
	ep := epilogue{post: post, tag: "_then_" + fnList(op.Epilogue) + "_" + hash8(post)}
	for _, k := range reads {
		ep.src = append(ep.src, src[k])
		ep.args = append(ep.args, args[k])
	}
	if 3+len(ep.src) > maxBindings {
		return Op{}, fmt.Errorf("shaders: %v: the contraction and its epilogue bind %d buffers; WebGPU allows %d", n, 3+len(ep.src), maxBindings)
	}
	switch c := op.Core.(type) {
	case engine.Conv2DOp:
		return conv2D(n, c, ep)
	case engine.ConvTransposeOp:
		return convTranspose(n, c, ep)
	case engine.ConvFilterOp:
		return convFilter(n, c, ep)
	case engine.MatMulOp:
		return matMul(n, c, ep)
	}
	return Op{}, fmt.Errorf("shaders: no kernel for %v: a core %T", n, op.Core)
}
