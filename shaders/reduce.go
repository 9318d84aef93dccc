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
// buffer that the next pass reduces the same way (its value: x[i]).
const (
	serialMax = 64
	treePer   = 16
)

// reduction is one pass: what it reads and how it indexes it.
type reduction struct {
	outputs, r int
	first, at  string    // WGSL expressions of j and r
	value      string    // the WGSL function value(i: u32) -> f32
	src        []binding // the bindings value reads
	args       []Ref     // and their buffers
	srcN       string    // names the source in kernel names
}

// plainValue is the value function of a reduction of the buffer x itself.
const plainValue = "// value is the summand at flat index i.\nfn value(i: u32) -> f32 {\n    return x[i];\n}\n"

func sumTo(n *engine.Node, op engine.SumToOp) (Op, error) {
	full := n.Input(0).Shape()
	return reduce(full, op.Out, plainValue, []binding{{"x", Read}}, []Ref{{Kind: Input, Index: 0}},
		fmt.Sprintf("sumto_%s_to_%s", dims(full), dims(op.Out)))
}

// reduce sums the summands value(i) over the flat indices i of space down
// to out (space with some dimensions 1): the passes of a reduction whose
// first pass reads the bindings src (the buffers args) through value.
func reduce(space, out engine.Shape, value string, src []binding, args []Ref, name string) (Op, error) {
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
	}
	var op Op
	for pass := 0; ; pass++ {
		if red.r <= serialMax {
			k, err := red.serial()
			if err != nil {
				return Op{}, err
			}
			op.Dispatches = append(op.Dispatches, Dispatch{Kernel: k, Args: append(append([]Ref{}, red.args...), Ref{Kind: Output})})
			return op, nil
		}
		per := min(treePer, divCeil(red.r, 256))
		chunks := divCeil(red.r, 256*per)
		dst := Ref{Kind: Output}
		if chunks > 1 {
			// Passes alternate between scratch buffers 0 and 1.
			dst = Ref{Kind: Scratch, Index: pass % 2}
			if len(op.Scratch) <= pass%2 {
				op.Scratch = append(op.Scratch, 0)
			}
			op.Scratch[pass%2] = max(op.Scratch[pass%2], red.outputs*chunks)
		}
		k, err := red.tree(per, chunks)
		if err != nil {
			return Op{}, err
		}
		op.Dispatches = append(op.Dispatches, Dispatch{Kernel: k, Args: append(append([]Ref{}, red.args...), dst)})
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
			src:     []binding{{"x", Read}},
			args:    []Ref{dst},
			srcN:    fmt.Sprintf("sum_partials_%dx%d", red.outputs, chunks),
		}
	}
}

func (red reduction) bindings() []binding {
	return append(append([]binding{}, red.src...), binding{"y", ReadWrite})
}

func (red reduction) serial() (*Kernel, error) {
	row, size := groups2D(divCeil(red.outputs, 256))
	name := red.srcN + "_serial"
	bs := red.bindings()
	src, err := fillTemplate("reduce_serial.wgsl", map[string]any{
		"Name": name, "Doc": fmt.Sprintf("y[j] = Σ_r value(first(j) + at(r)) for %d outputs of %d summands.", red.outputs, red.r),
		"Decls": declare(bs), "Outputs": red.outputs, "R": red.r, "Row": row,
		"First": red.first, "At": red.at, "Value": red.value,
	})
	if err != nil {
		return nil, err
	}
	return &Kernel{Name: name, Source: src, Bindings: accesses(bs), Workgroups: size}, nil
}

func (red reduction) tree(per, chunks int) (*Kernel, error) {
	row, size := groups2D(red.outputs * chunks)
	name := fmt.Sprintf("%s_tree_%dx%d", red.srcN, chunks, per)
	doc := fmt.Sprintf("y[j] = Σ_r value(first(j) + at(r)) for %d outputs of %d summands.", red.outputs, red.r)
	if chunks > 1 {
		doc = fmt.Sprintf("partial sums of %d chunks for each of %d outputs of %d summands.", chunks, red.outputs, red.r)
	}
	bs := red.bindings()
	src, err := fillTemplate("reduce_tree.wgsl", map[string]any{
		"Name": name, "Doc": doc, "Decls": declare(bs),
		"Outputs": red.outputs, "R": red.r, "Per": per, "Chunks": chunks, "Row": row,
		"First": red.first, "At": red.at, "Value": red.value,
	})
	if err != nil {
		return nil, err
	}
	return &Kernel{Name: name, Source: src, Bindings: accesses(bs), Workgroups: size}, nil
}
