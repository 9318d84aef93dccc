package shaders

import (
	"fmt"
	"strings"

	"github.com/wgangp/wgangp/engine"
)

// mapKernel is an elementwise kernel: body runs once for each element
// index i < n, with helpers (WGSL functions and constants) at file scope.
// One invocation per element was faster than several on lavapipe, and it
// is the usual choice on GPUs.
type mapKernel struct {
	name, doc     string
	bindings      []binding
	n             int
	helpers, body string
}

func (m mapKernel) build() (*Kernel, error) {
	row, size := groups2D(divCeil(m.n, 256))
	src, err := fillTemplate("map.wgsl", map[string]any{
		"Name": m.name, "Doc": m.doc, "Decls": declare(m.bindings),
		"N": m.n, "Row": row, "Helpers": m.helpers, "Body": indent(m.body, 2),
	})
	if err != nil {
		return nil, err
	}
	return &Kernel{Name: m.name, Source: src, Bindings: accesses(m.bindings), Workgroups: size}, nil
}

// indent puts each line of code at the given depth (4 spaces a level),
// ending every line with a newline.
func indent(code string, depth int) string {
	if code == "" {
		return ""
	}
	pad := strings.Repeat("    ", depth)
	var sb strings.Builder
	for _, line := range strings.Split(strings.TrimRight(code, "\n"), "\n") {
		sb.WriteString(pad + line + "\n")
	}
	return sb.String()
}

// single is an Op of one dispatch.
func single(k *Kernel, args ...Ref) Op {
	return Op{Dispatches: []Dispatch{{Kernel: k, Args: args}}}
}

func fill(n *engine.Node, op engine.FillOp) (Op, error) {
	size := n.Shape().Size()
	k, err := mapKernel{
		name:     fmt.Sprintf("fill_%s_%d", num(op.Value), size),
		doc:      "y = " + lit(op.Value) + ".",
		bindings: []binding{{Name: "y", Access: ReadWrite}},
		n:        size,
		helpers:  "const VALUE: f32 = " + lit(op.Value) + ";\n",
		body:     "y[i] = VALUE;",
	}.build()
	if err != nil {
		return Op{}, err
	}
	return single(k, Ref{Kind: Output}), nil
}

func unary(n *engine.Node, op engine.UnaryOp) (Op, error) {
	expr := op.Fn.Info().WGSL
	size := n.Shape().Size()
	name := fmt.Sprintf("unary_%s_%d", op.Fn, size)
	helpers := ""
	if strings.Contains(expr, "ALPHA") {
		name = fmt.Sprintf("unary_%s_%s_%d", op.Fn, num(op.Alpha), size)
		helpers = "const ALPHA: f32 = " + lit(op.Alpha) + ";\n"
	}
	k, err := mapKernel{
		name:     name,
		doc:      "y = " + strings.ReplaceAll(expr, "ALPHA", lit(op.Alpha)) + ".",
		bindings: []binding{{Name: "src", Access: Read}, {Name: "y", Access: ReadWrite}},
		n:        size,
		helpers:  helpers,
		body:     "let x = src[i];\ny[i] = " + expr + ";",
	}.build()
	if err != nil {
		return Op{}, err
	}
	return single(k, Ref{Kind: Input, Index: 0}, Ref{Kind: Output}), nil
}

// binary runs on operands of equal shape: the engine inserts BroadcastOp
// nodes where shapes differ.
func binary(n *engine.Node, op engine.BinaryOp) (Op, error) {
	o := op.Fn.Info().Op
	size := n.Shape().Size()
	k, err := mapKernel{
		name:     fmt.Sprintf("binary_%s_%d", op.Fn, size),
		doc:      "y = a " + o + " b.",
		bindings: []binding{{Name: "a", Access: Read}, {Name: "b", Access: Read}, {Name: "y", Access: ReadWrite}},
		n:        size,
		body:     "y[i] = a[i] " + o + " b[i];",
	}.build()
	if err != nil {
		return Op{}, err
	}
	return single(k, Ref{Kind: Input, Index: 0}, Ref{Kind: Input, Index: 1}, Ref{Kind: Output}), nil
}

// broadcast reads, for each output element, the input element at the same
// coordinates with the broadcast dimensions set to 0.
func broadcast(n *engine.Node, op engine.BroadcastOp) (Op, error) {
	small := n.Input(0).Shape()
	k, err := mapKernel{
		name:     fmt.Sprintf("broadcast_%s_to_%s", dims(small), dims(op.Out)),
		doc:      fmt.Sprintf("y%v = x%v repeated along its dimensions of size 1.", op.Out, small),
		bindings: []binding{{Name: "x", Access: Read}, {Name: "y", Access: ReadWrite}},
		n:        op.Out.Size(),
		body:     "y[i] = x[" + broadcastIndex("i", op.Out, small) + "];",
	}.build()
	if err != nil {
		return Op{}, err
	}
	return single(k, Ref{Kind: Input, Index: 0}, Ref{Kind: Output}), nil
}

// adam updates each parameter of the op in place, an invocation an
// element of the largest (engine.AdamOp); the rate is a uniform, so two
// parameters take the stage's 8 storage buffers.
func adam(n *engine.Node, op engine.AdamOp) (Op, error) {
	params := op.Params(n)
	helpers := fmt.Sprintf("const B1: f32 = %s;\nconst C1: f32 = %s; // 1 - β1\nconst B2: f32 = %s;\nconst C2: f32 = %s; // 1 - β2\nconst EPS: f32 = %s;\n",
		lit(op.Beta1), lit(1-op.Beta1), lit(op.Beta2), lit(1-op.Beta2), lit(op.Eps))
	var bs []binding
	var body strings.Builder
	size, sizes := 0, make([]string, params)
	for k := range params {
		s := n.Input(4 * k).Shape().Size()
		size, sizes[k] = max(size, s), fmt.Sprint(s)
		p, m, v, g := fmt.Sprintf("p%d", k), fmt.Sprintf("m%d", k), fmt.Sprintf("v%d", k), fmt.Sprintf("g%d", k)
		bs = append(bs, binding{Name: p, Access: ReadWrite}, binding{Name: m, Access: ReadWrite}, binding{Name: v, Access: ReadWrite}, binding{Name: g, Access: Read})
		helpers += fmt.Sprintf("const N%d: u32 = %du;\n", k, s)
		fmt.Fprintf(&body, `if (i < N%[1]d) {
    let g = g%[1]d[i];
    let m = B1 * m%[1]d[i] + C1 * g;
    let v = B2 * v%[1]d[i] + C2 * g * g;
    m%[1]d[i] = m;
    v%[1]d[i] = v;
    p%[1]d[i] = p%[1]d[i] - rate * m / (sqrt(v) + EPS);
}
`, k)
	}
	bs = append(bs, binding{Name: "rate", Access: Uniform})
	doc := "the Adam update of p, m and v in place (engine.AdamOp)."
	if params > 1 {
		doc = fmt.Sprintf("the Adam updates of %d parameters and their moments in place (engine.AdamOp).", params)
	}
	k, err := mapKernel{
		name:     fmt.Sprintf("adam_%s_%s_%s_%s", num(op.Beta1), num(op.Beta2), num(op.Eps), strings.Join(sizes, "_")),
		doc:      doc,
		bindings: bs,
		n:        size,
		helpers:  helpers,
		body:     body.String(),
	}.build()
	if err != nil {
		return Op{}, err
	}
	args := make([]Ref, len(bs))
	for i := range args {
		args[i] = Ref{Kind: Input, Index: i}
	}
	return single(k, args...), nil
}

// store copies its sources one after another into its destination from an
// offset (engine.StoreOp).
func store(n *engine.Node, op engine.StoreOp) (Op, error) {
	return copyRuns("store", n.Inputs()[1:], 1, Ref{Kind: Input, Index: 0}, op.Offset)
}

// maxConcatInputs is how many inputs one concat kernel copies: the output
// takes one of the 8 storage bindings a stage has.
const maxConcatInputs = 7

// concat copies its inputs one after another into its value
// (engine.ConcatOp): one dispatch for every maxConcatInputs inputs, each
// writing its inputs' run of the output.
func concat(n *engine.Node) (Op, error) {
	return copyRuns("concat", n.Inputs(), 0, Ref{Kind: Output}, 0)
}

// copyRuns copies srcs (the op's inputs from index first on) one after
// another into dst from element base, up to maxConcatInputs a kernel, an
// invocation an element: a concat (dst its value) or a store (dst its
// first input).
func copyRuns(what string, srcs []*engine.Node, first int, dst Ref, base int) (Op, error) {
	var o Op
	for from := 0; from < len(srcs); from += maxConcatInputs {
		part := srcs[from:min(from+maxConcatInputs, len(srcs))]
		bindings := []binding{{Name: "y", Access: ReadWrite}}
		args := []Ref{dst}
		var sizes []string
		var body strings.Builder
		end := 0
		for k, in := range part {
			start := end
			end += in.Shape().Size()
			sizes = append(sizes, fmt.Sprint(in.Shape().Size()))
			bindings = append(bindings, binding{Name: fmt.Sprintf("x%d", k), Access: Read})
			args = append(args, Ref{Kind: Input, Index: first + from + k})
			if k > 0 {
				body.WriteString(" else ")
			}
			if k < len(part)-1 {
				fmt.Fprintf(&body, "if (i < %du) ", end)
			}
			fmt.Fprintf(&body, "{\n    y[BASE + i] = x%d[i - %du];\n}", k, start)
		}
		k, err := mapKernel{
			name:     fmt.Sprintf("%s_%s_at_%d", what, strings.Join(sizes, "_"), base),
			doc:      fmt.Sprintf("y[%d + i] = the inputs' elements one after another.", base),
			bindings: bindings,
			n:        end,
			helpers:  fmt.Sprintf("const BASE: u32 = %du;\n", base),
			body:     body.String(),
		}.build()
		if err != nil {
			return Op{}, err
		}
		o.Dispatches = append(o.Dispatches, Dispatch{Kernel: k, Args: args})
		base += end
	}
	return o, nil
}

// slice copies a contiguous run of its input (engine.SliceOp).
func slice(n *engine.Node, op engine.SliceOp) (Op, error) {
	size := n.Shape().Size()
	offset := op.Offset(n.Input(0).Shape())
	k, err := mapKernel{
		name:     fmt.Sprintf("slice_%d_at_%d", size, offset),
		doc:      fmt.Sprintf("y[i] = x[%d + i].", offset),
		bindings: []binding{{Name: "y", Access: ReadWrite}, {Name: "x", Access: Read}},
		n:        size,
		helpers:  fmt.Sprintf("const OFFSET: u32 = %du;\n", offset),
		body:     "y[i] = x[OFFSET + i];",
	}.build()
	if err != nil {
		return Op{}, err
	}
	return single(k, Ref{Kind: Output}, Ref{Kind: Input, Index: 0}), nil
}
