package shaders

import (
	"fmt"

	"github.com/wgangp/wgangp/engine"
)

// Reductions: a sum over any set of axes is, once neighbouring axes are
// merged, OUTPUTS sums of R summands each, summand r of output j being
// value(first(j) + at(r)), where value is a WGSL function of a flat index
// of the summed space: x[i] for a plain sum, a fused expression over the
// kernel's inputs for a fused reduction (its prologue). Up to serialMax
// summands an invocation sums one output alone; beyond, workgroups of 256
// invocations sum chunks of up to 256·treePer summands in workgroup memory,
// and when an output has several chunks their partial sums go to a scratch
// buffer that the next pass reduces the same way (its value: x[i]). The
// last pass stores post(j, sum) where a reduction has an epilogue (a fused
// reduction's elementwise ops after the sum), the sum otherwise. A small
// reduction (up to onePassMax summands in all, onePassPer·256 an output)
// runs in one pass, a workgroup an output: at these sizes a second
// dispatch costs more than the parallelism it buys.
const (
	serialMax  = 64
	treePer    = 16
	onePassMax = 1 << 18
	onePassPer = 64
)

// reduction is one pass: what it reads and how it indexes it.
type reduction struct {
	outputs, r int
	first, at  string    // WGSL expressions of j and r
	value      string    // the WGSL function value(i: u32) -> f32
	src        []binding // the bindings value reads
	args       []Ref     // and their buffers
	srcN       string    // names the source in kernel names
	ep         epilogue  // for the last pass
	epBound    bool      // whether src binds what ep reads
}

// epilogue is the WGSL function post(j: u32, s: f32) -> f32 of what a
// reduction stores for output j of sum s, and the bindings it reads (the
// last pass binds them if the first pass did not); empty for none.
type epilogue struct {
	post string
	src  []binding
	args []Ref
	tag  string // for the names of kernels with it: _then_<functions>_<hash>
}

// bindings is the access of a kernel's bindings: its own, then ep's.
func (ep epilogue) bindings(own ...Access) []Access {
	return append(own, accesses(ep.src)...)
}

// plainValue is the value function of a reduction of the buffer x itself.
const plainValue = "// value is the summand at flat index i.\nfn value(i: u32) -> f32 {\n    return x[i];\n}\n"

func sumTo(n *engine.Node, op engine.SumToOp) (Op, error) {
	full := n.Input(0).Shape()
	return reduce(full, op.Out, plainValue, []binding{{Name: "x", Access: Read}}, []Ref{{Kind: Input, Index: 0}}, epilogue{},
		fmt.Sprintf("sumto_%s_to_%s", dims(full), dims(op.Out)))
}

// reduce sums the summands value(i) over the flat indices i of space down
// to out (space with some dimensions 1): the passes of a reduction whose
// first pass reads the bindings src (the buffers args) through value and
// whose last stores what ep says (ep's bindings are among src).
func reduce(space, out engine.Shape, value string, src []binding, args []Ref, ep epilogue, name string) (Op, error) {
	m := merge(space, out)
	keptSize, keptStride := m.part(false)
	redSize, redStride := m.part(true)
	red := reduction{
		outputs: out.Size(),
		r:       space.Size() / max(out.Size(), 1),
		first:   offset("j", keptSize, keptStride),
		at:      offset("r", redSize, redStride),
		value:   value,
		src:     src,
		args:    args,
		srcN:    name,
		ep:      ep,
		epBound: true,
	}
	var op Op
	for pass := 0; ; pass++ {
		per := min(treePer, divCeil(red.r, 256))
		if red.outputs*red.r <= onePassMax && red.r <= 256*onePassPer {
			per = divCeil(red.r, 256)
		}
		chunks := divCeil(red.r, 256*per)
		if red.r <= serialMax {
			chunks = 1
		}
		dst := Ref{Kind: Output}
		if chunks > 1 {
			// Passes alternate between scratch buffers 0 and 1.
			dst = Ref{Kind: Scratch, Index: pass % 2}
			if len(op.Scratch) <= pass%2 {
				op.Scratch = append(op.Scratch, 0)
			}
			op.Scratch[pass%2] = max(op.Scratch[pass%2], red.outputs*chunks)
		}
		var k *Kernel
		var err error
		if red.r <= serialMax {
			k, err = red.serial()
		} else {
			k, err = red.tree(per, chunks)
		}
		if err != nil {
			return Op{}, err
		}
		op.Dispatches = append(op.Dispatches, Dispatch{Kernel: k, Args: append(red.bound(chunks == 1).args, dst)})
		if chunks == 1 {
			return op, nil
		}
		// The next pass sums the partials: [outputs, chunks], contiguous.
		red = reduction{
			outputs: red.outputs,
			r:       chunks,
			first:   fmt.Sprintf("j * %du", chunks),
			at:      "r",
			value:   plainValue,
			src:     []binding{{Name: "x", Access: Read}},
			args:    []Ref{dst},
			srcN:    fmt.Sprintf("sum_partials_%dx%d", red.outputs, chunks),
			ep:      ep,
		}
		if ep.post != "" {
			red.srcN = fmt.Sprintf("%s_partials_%dx%d", name, red.outputs, chunks)
		}
	}
}

// maxBindings is WebGPU's default number of storage buffers per stage.
const maxBindings = 8

// bound is what a pass binds before y, and the WGSL function post it
// stores through: the epilogue's if the pass is the last (binding the
// epilogue's inputs if value did not), else none.
func (red reduction) bound(last bool) (b struct {
	src  []binding
	args []Ref
	post string
}) {
	b.src, b.args = append([]binding{}, red.src...), append([]Ref{}, red.args...)
	if last {
		b.post = red.ep.post
		if !red.epBound {
			b.src, b.args = append(b.src, red.ep.src...), append(b.args, red.ep.args...)
		}
	}
	return b
}

// kernel fills template tmpl for the pass, with data and what the pass
// binds.
func (red reduction) kernel(tmpl, name string, last bool, groups int, data map[string]any) (*Kernel, error) {
	b := red.bound(last)
	bs := append(b.src, binding{Name: "y", Access: ReadWrite})
	if len(bs) > maxBindings {
		return nil, fmt.Errorf("shaders: %s binds %d buffers (its epilogue's inputs again); WebGPU allows %d", name, len(bs), maxBindings)
	}
	row, size := groups2D(groups)
	data["Name"], data["Decls"], data["Row"] = name, declare(bs), row
	data["Outputs"], data["R"], data["First"], data["At"] = red.outputs, red.r, red.first, red.at
	data["Value"], data["Post"] = red.value, b.post
	src, err := fillTemplate(tmpl, data)
	if err != nil {
		return nil, err
	}
	return &Kernel{Name: name, Source: src, Bindings: accesses(bs), Workgroups: size}, nil
}

func (red reduction) serial() (*Kernel, error) {
	return red.kernel("reduce_serial.wgsl", red.srcN+"_serial", true, divCeil(red.outputs, 256), map[string]any{
		"Doc": red.doc(),
	})
}

func (red reduction) tree(per, chunks int) (*Kernel, error) {
	doc := red.doc()
	if chunks > 1 {
		doc = fmt.Sprintf("partial sums of %d chunks for each of %d outputs of %d summands.", chunks, red.outputs, red.r)
	}
	return red.kernel("reduce_tree.wgsl", fmt.Sprintf("%s_tree_%dx%d", red.srcN, chunks, per), chunks == 1, red.outputs*chunks, map[string]any{
		"Doc": doc, "Per": per, "Chunks": chunks,
	})
}

// doc is the header of a last pass.
func (red reduction) doc() string {
	if red.ep.post != "" {
		return fmt.Sprintf("y[j] = post(j, Σ_r value(first(j) + at(r))) for %d outputs of %d summands.", red.outputs, red.r)
	}
	return fmt.Sprintf("y[j] = Σ_r value(first(j) + at(r)) for %d outputs of %d summands.", red.outputs, red.r)
}
