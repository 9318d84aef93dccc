package engine

import "fmt"

// Grad returns, for each x in xs, the gradient of Σ_i ⟨seeds[i], ys[i]⟩
// with respect to x, built as new nodes of the same graph (reverse-mode
// differentiation as a graph transformation). A nil seed means ones. Because
// the result is made of ordinary nodes, Grad applies to it again: the second
// derivative of the gradient penalty is Grad of a graph that Grad built.
// An x that the ys do not depend on gets zeros.
func Grad(ys []*Node, xs []*Node, seeds []*Node) []*Node {
	if len(ys) == 0 {
		panic("engine: Grad of nothing")
	}
	g := ys[0].g
	if seeds != nil && len(seeds) != len(ys) {
		panic(fmt.Sprintf("engine: Grad of %d values with %d seeds", len(ys), len(seeds)))
	}

	// The nodes that depend on some x ...
	last := 0
	for _, y := range ys {
		last = max(last, y.id)
	}
	fromX := make([]bool, last+1)
	for _, x := range xs {
		if x.g != g {
			panic("engine: Grad across graphs")
		}
		if x.id <= last {
			fromX[x.id] = true
		}
	}
	for _, n := range g.nodes[:last+1] {
		for _, in := range n.inputs {
			if fromX[in.id] {
				fromX[n.id] = true
				break
			}
		}
	}
	// ... and that some y depends on: only these carry gradients.
	toY := make([]bool, last+1)
	for _, y := range ys {
		toY[y.id] = true
	}
	for id := last; id >= 0; id-- {
		if !toY[id] {
			continue
		}
		for _, in := range g.nodes[id].inputs {
			toY[in.id] = true
		}
	}

	grads := make(map[int]*Node)
	accumulate := func(n, d *Node) {
		if !d.shape.Equal(n.shape) {
			panic(fmt.Sprintf("engine: gradient rule of %s gave %v for an input of %v", n.op, d.shape, n.shape))
		}
		if old, ok := grads[n.id]; ok {
			d = Add(old, d)
		}
		grads[n.id] = d
	}
	for i, y := range ys {
		var s *Node
		if seeds == nil || seeds[i] == nil {
			s = Fill(g, 1, y.shape...)
		} else {
			s = seeds[i]
		}
		accumulate(y, s)
	}
	for id := last; id >= 0; id-- {
		n := g.nodes[id]
		dy, ok := grads[id]
		if !ok || !fromX[id] || !toY[id] || len(n.inputs) == 0 {
			continue
		}
		dins := n.op.Grad(n, dy)
		for i, in := range n.inputs {
			if dins[i] != nil && fromX[in.id] {
				accumulate(in, dins[i])
			}
		}
	}

	out := make([]*Node, len(xs))
	for i, x := range xs {
		if d, ok := grads[x.id]; ok && x.id <= last && fromX[x.id] {
			out[i] = d
		} else {
			out[i] = Fill(g, 0, x.shape...)
		}
	}
	return out
}
