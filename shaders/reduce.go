package shaders

import (
	"fmt"

	"github.com/wgangp/wgangp/engine"
)

// Reductions: a sum over any set of axes is, once neighbouring axes are
// merged, OUTPUTS sums of R inputs each, input r of output j being at
// first(j) + at(r). Up to serialMax inputs an invocation sums one output
// alone; beyond, workgroups of 256 invocations sum chunks of up to
// 256·treePer inputs in workgroup memory, and when an output has several
// chunks their partial sums go to a scratch buffer that the next pass
// reduces the same way.
const (
	serialMax = 64
	treePer   = 16
)

// reduction is one pass: what it reads and how it indexes it.
type reduction struct {
	outputs, r int
	first, at  string // WGSL expressions of j and r
	src        Ref
	srcN       string // names the source in kernel names
}

func sumTo(n *engine.Node, op engine.SumToOp) (Op, error) {
	full := n.Input(0).Shape()
	m := merge(full, op.Out)
	keptSize, keptStride := m.part(false)
	redSize, redStride := m.part(true)
	red := reduction{
		outputs: op.Out.Size(),
		r:       full.Size() / op.Out.Size(),
		first:   offset("j", keptSize, keptStride),
		at:      offset("r", redSize, redStride),
		src:     Ref{Kind: Input, Index: 0},
		srcN:    fmt.Sprintf("sumto_%s_to_%s", dims(full), dims(op.Out)),
	}
	var out Op
	for pass := 0; ; pass++ {
		if red.r <= serialMax {
			k, err := red.serial()
			if err != nil {
				return Op{}, err
			}
			out.Dispatches = append(out.Dispatches, Dispatch{Kernel: k, Args: []Ref{red.src, {Kind: Output}}})
			return out, nil
		}
		per := min(treePer, divCeil(red.r, 256))
		chunks := divCeil(red.r, 256*per)
		dst := Ref{Kind: Output}
		if chunks > 1 {
			// Passes alternate between scratch buffers 0 and 1.
			dst = Ref{Kind: Scratch, Index: pass % 2}
			if len(out.Scratch) <= pass%2 {
				out.Scratch = append(out.Scratch, 0)
			}
			out.Scratch[pass%2] = max(out.Scratch[pass%2], red.outputs*chunks)
		}
		k, err := red.tree(per, chunks)
		if err != nil {
			return Op{}, err
		}
		out.Dispatches = append(out.Dispatches, Dispatch{Kernel: k, Args: []Ref{red.src, dst}})
		if chunks == 1 {
			return out, nil
		}
		// The next pass sums the partials: [outputs, chunks], contiguous.
		red = reduction{
			outputs: red.outputs,
			r:       chunks,
			first:   fmt.Sprintf("j * %du", chunks),
			at:      "r",
			src:     dst,
			srcN:    fmt.Sprintf("sum_partials_%dx%d", red.outputs, chunks),
		}
	}
}

func (red reduction) bindings() string {
	return declare([]binding{{"x", Read}, {"y", ReadWrite}})
}

func (red reduction) serial() (*Kernel, error) {
	row, size := groups2D(divCeil(red.outputs, 256))
	name := red.srcN + "_serial"
	src, err := fillTemplate("reduce_serial.wgsl", map[string]any{
		"Name": name, "Doc": fmt.Sprintf("y[j] = Σ_r x[first(j) + at(r)] for %d outputs of %d inputs.", red.outputs, red.r),
		"Decls": red.bindings(), "Outputs": red.outputs, "R": red.r, "Row": row,
		"First": red.first, "At": red.at,
	})
	if err != nil {
		return nil, err
	}
	return &Kernel{Name: name, Source: src, Bindings: []Access{Read, ReadWrite}, Workgroups: size}, nil
}

func (red reduction) tree(per, chunks int) (*Kernel, error) {
	row, size := groups2D(red.outputs * chunks)
	name := fmt.Sprintf("%s_tree_%dx%d", red.srcN, chunks, per)
	doc := fmt.Sprintf("y[j] = Σ_r x[first(j) + at(r)] for %d outputs of %d inputs.", red.outputs, red.r)
	if chunks > 1 {
		doc = fmt.Sprintf("partial sums of %d chunks for each of %d outputs of %d inputs.", chunks, red.outputs, red.r)
	}
	src, err := fillTemplate("reduce_tree.wgsl", map[string]any{
		"Name": name, "Doc": doc, "Decls": red.bindings(),
		"Outputs": red.outputs, "R": red.r, "Per": per, "Chunks": chunks, "Row": row,
		"First": red.first, "At": red.at,
	})
	if err != nil {
		return nil, err
	}
	return &Kernel{Name: name, Source: src, Bindings: []Access{Read, ReadWrite}, Workgroups: size}, nil
}
