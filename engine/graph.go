// Package engine holds the symbolic side of the trainer: shapes, a graph of
// ops, gradients as graph transformations, and plans that a Backend runs.
//
// Glossary:
//   - Node: one value of a Graph, the output of an Op applied to input Nodes.
//   - Op: what a Node computes; it knows its shape rule and its gradient rule.
//     Gradient rules build Nodes with the same ops, so the gradient of a
//     gradient needs no special code (the gradient penalty of WGAN-GP).
//   - Plan: the Nodes needed for some outputs, in the order they run, with
//     buffer slots assigned by lifetime so that dead values share memory.
//   - Backend: allocates Buffers and compiles a Plan into a Program.
package engine

import (
	"fmt"
	"strconv"
	"strings"
)

// Shape is the dimensions of a tensor, outermost first (row-major, NCHW for
// images). A scalar has Shape [1] in this engine.
type Shape []int

// Size is the number of elements.
func (s Shape) Size() int {
	n := 1
	for _, d := range s {
		n *= d
	}
	return n
}

// Equal reports whether s and t have the same dimensions.
func (s Shape) Equal(t Shape) bool {
	if len(s) != len(t) {
		return false
	}
	for i := range s {
		if s[i] != t[i] {
			return false
		}
	}
	return true
}

func (s Shape) String() string {
	parts := make([]string, len(s))
	for i, d := range s {
		parts[i] = strconv.Itoa(d)
	}
	return "[" + strings.Join(parts, " ") + "]"
}

// Clone returns a copy that does not share memory with s.
func (s Shape) Clone() Shape { return append(Shape(nil), s...) }

// Node is one value in a Graph. Nodes are immutable once made; their IDs
// increase in creation order, which is a topological order.
type Node struct {
	g      *Graph
	id     int
	op     Op
	inputs []*Node
	shape  Shape
}

// ID is the node's index in its graph.
func (n *Node) ID() int { return n.id }

// Op is what the node computes.
func (n *Node) Op() Op { return n.op }

// Inputs are the node's operands, in the order its Op defines.
func (n *Node) Inputs() []*Node { return n.inputs }

// Input is the i-th operand.
func (n *Node) Input(i int) *Node { return n.inputs[i] }

// Shape is the node's shape. Callers must not modify it.
func (n *Node) Shape() Shape { return n.shape }

// Graph is the graph the node belongs to.
func (n *Node) Graph() *Graph { return n.g }

func (n *Node) String() string {
	ids := make([]string, len(n.inputs))
	for i, in := range n.inputs {
		ids[i] = "%" + strconv.Itoa(in.id)
	}
	return fmt.Sprintf("%%%d = %s(%s) %v", n.id, n.op, strings.Join(ids, ", "), n.shape)
}

// Graph owns Nodes. Making a node that already exists (same op, attributes
// and inputs) returns the existing one, so common subexpressions are shared
// by construction: D(X̂) built by the loss and again by the penalty is one
// set of nodes.
type Graph struct {
	nodes  []*Node
	byKey  map[string]*Node
	inputs map[string]*Node
}

// NewGraph returns an empty graph.
func NewGraph() *Graph {
	return &Graph{byKey: map[string]*Node{}, inputs: map[string]*Node{}}
}

// Nodes lists every node in creation (topological) order.
func (g *Graph) Nodes() []*Node { return g.nodes }

// Input declares a named external value: data uploaded each step, or state
// (parameters, optimizer moments) that lives in a Buffer across steps.
// Declaring the same name twice with the same shape returns the same node.
func (g *Graph) Input(name string, shape ...int) *Node {
	if n, ok := g.inputs[name]; ok {
		if !n.shape.Equal(shape) {
			panic(fmt.Sprintf("engine: input %q declared as %v and %v", name, n.shape, Shape(shape)))
		}
		return n
	}
	n := g.add(InputOp{Name: name}, nil)
	n.shape = Shape(shape).Clone()
	g.inputs[name] = n
	return n
}

// LookupInput returns the input declared under name.
func (g *Graph) LookupInput(name string) (*Node, bool) {
	n, ok := g.inputs[name]
	return n, ok
}

// apply makes (or finds) the node op(inputs...).
func (g *Graph) apply(op Op, inputs ...*Node) *Node {
	for _, in := range inputs {
		if in.g != g {
			panic(fmt.Sprintf("engine: %s mixes nodes of two graphs", op))
		}
	}
	var b strings.Builder
	b.WriteString(op.String())
	for _, in := range inputs {
		b.WriteByte(' ')
		b.WriteString(strconv.Itoa(in.id))
	}
	key := b.String()
	if n, ok := g.byKey[key]; ok {
		return n
	}
	shapes := make([]Shape, len(inputs))
	for i, in := range inputs {
		shapes[i] = in.shape
	}
	n := g.add(op, inputs)
	n.shape = op.Shape(shapes)
	g.byKey[key] = n
	return n
}

func (g *Graph) add(op Op, inputs []*Node) *Node {
	n := &Node{g: g, id: len(g.nodes), op: op, inputs: inputs}
	g.nodes = append(g.nodes, n)
	return n
}

// live marks the nodes that outputs and effects need, by ID.
func (g *Graph) live(outputs, effects []*Node) []bool {
	live := make([]bool, len(g.nodes))
	var mark func(n *Node)
	mark = func(n *Node) {
		if live[n.id] {
			return
		}
		live[n.id] = true
		for _, in := range n.inputs {
			mark(in)
		}
	}
	for _, n := range outputs {
		mark(n)
	}
	for _, n := range effects {
		mark(n)
	}
	return live
}
