package engine

import (
	"fmt"
	"sort"
	"strings"
)

// Plan is what a Backend compiles: the nodes that outputs and effects need,
// in the order they run, and where each value lives. Values live either in
// an input's Buffer (inputs, and reshapes of them) or in a slot: a scratch
// buffer that the plan reuses once every reader of its last value has run.
type Plan struct {
	Graph *Graph
	Steps []*Node // in run order; effects last; no inputs
	// Init is how many of the first steps compute constants (values no
	// input reaches, such as a concat of fills): a backend runs them once,
	// when it compiles the plan, and each Run runs the others. Their slots
	// are never reused.
	Init    int
	Inputs  []*Node // the inputs the steps read, by ID
	Outputs []*Node // values the caller reads after a run
	Slots   []int   // element count of each slot
	loc     map[int]Loc
}

// Loc says where a node's value lives: Plan.Inputs[Input] when Input >= 0,
// otherwise Plan.Slots[Slot]. Effects have neither (both -1).
type Loc struct{ Input, Slot int }

// Loc is where n's value lives; n must be an input, step or output of p.
func (p *Plan) Loc(n *Node) Loc {
	l, ok := p.loc[n.id]
	if !ok {
		panic(fmt.Sprintf("engine: node %v is not in the plan", n))
	}
	return l
}

// NewPlan plans the computation of outputs and effects (nodes whose op is
// an Effect) with the default options (fused, nothing recomputed) unless
// the environment variable WGANGP_FUSION is "off": see NewPlanWith, and
// NewPlanFor for a plan made as a backend prefers.
func NewPlan(outputs []*Node, effects []*Node) *Plan {
	return NewPlanWith(outputs, effects, PlanOptionsFor(nil))
}

// NewPlanWith plans the computation of outputs and effects. Dead nodes are
// dropped; unless opts.Unfused, groups of elementwise ops become FusedOp
// steps (fuseGraph) and effects that one kernel can run merge
// (mergeEffects), so Plan.Outputs and Plan.Steps may be nodes that the
// planner made in the graph, standing for the ones asked for; reshapes share
// their input's storage; slots are reused by best fit once their value is
// dead. Outputs keep their own slots (never shared), so they can be read
// after a run.
func NewPlanWith(outputs []*Node, effects []*Node, opts PlanOptions) *Plan {
	var g *Graph
	for _, n := range append(append([]*Node{}, outputs...), effects...) {
		if g == nil {
			g = n.g
		} else if n.g != g {
			panic("engine: plan across graphs")
		}
	}
	if g == nil {
		panic("engine: plan of nothing")
	}
	for _, e := range effects {
		if _, ok := e.op.(Effect); !ok {
			panic(fmt.Sprintf("engine: %v is not an effect", e))
		}
	}
	var pos map[int]int // a made node's place in the original order
	if !opts.Unfused {
		outputs, effects, pos = fuseGraph(g, outputs, effects, opts.Recompute, !opts.NoEpilogue, opts.CoreEpilogue)
		effects = mergeEffects(g, effects)
	}
	p := &Plan{Graph: g, Outputs: outputs, loc: map[int]Loc{}}

	live := g.live(outputs, effects)
	var tail []*Node
	for _, n := range g.nodes {
		switch {
		case !live[n.id]:
		case n.op == nil || isInput(n):
			p.Inputs = append(p.Inputs, n)
		case isEffect(n):
			tail = append(tail, n)
		default:
			p.Steps = append(p.Steps, n)
		}
	}
	if pos != nil {
		at := func(n *Node) int {
			if o, ok := pos[n.id]; ok {
				return o
			}
			return n.id
		}
		sort.SliceStable(p.Steps, func(i, j int) bool { return at(p.Steps[i]) < at(p.Steps[j]) })
	}
	p.Steps = append(p.Steps, tail...)
	if !opts.Unfused {
		p.hoistConstants()
	}

	root := storageRoot
	lastUse := map[int]int{}
	for i, n := range p.Steps {
		for _, in := range n.inputs {
			lastUse[root(in).id] = i
		}
	}
	keep := map[int]bool{}
	for _, n := range outputs {
		keep[root(n).id] = true
	}
	for _, n := range p.Steps[:p.Init] {
		keep[root(n).id] = true
	}
	for i, n := range p.Inputs {
		p.loc[n.id] = Loc{Input: i, Slot: -1}
	}

	var free []int // slot indices not holding a live value
	for i, n := range p.Steps {
		switch {
		case isEffect(n):
			p.loc[n.id] = Loc{Input: -1, Slot: -1}
		case root(n) != n:
			p.loc[n.id] = p.loc[root(n).id]
		default:
			p.loc[n.id] = Loc{Input: -1, Slot: p.takeSlot(&free, n.shape.Size(), keep[n.id])}
		}
		// Free what dies here, after this step's own output is placed, so a
		// kernel never writes over its operands.
		for _, in := range n.inputs {
			r := root(in)
			if lastUse[r.id] == i && !keep[r.id] && !isInput(r) {
				if s := p.loc[r.id].Slot; s >= 0 && !contains(free, s) {
					free = append(free, s)
				}
			}
		}
	}
	return p
}

// hoistConstants moves the steps that no input reaches (constants:
// fills, and ops of constants only, such as a concat of fills) to the
// front, in order, and counts them in Init. They read nothing a later
// step writes, so running them first, once, computes what running them in
// place each time did.
func (p *Plan) hoistConstants() {
	constant := map[int]bool{}
	var consts, rest []*Node
	for _, n := range p.Steps {
		c := !isEffect(n)
		for _, in := range n.inputs {
			c = c && constant[in.id]
		}
		if c {
			constant[n.id] = true
			consts = append(consts, n)
		} else {
			rest = append(rest, n)
		}
	}
	// A plan of constants only (nothing to run each time) is left as it is.
	if len(rest) == 0 {
		return
	}
	p.Steps, p.Init = append(consts, rest...), len(consts)
}

// takeSlot returns a free slot of at least size elements (the smallest such),
// else grows the largest free one, else makes a new slot. A slot taken for a
// kept value is never returned to the free list.
func (p *Plan) takeSlot(free *[]int, size int, keep bool) int {
	best, bestAt := -1, -1
	for at, s := range *free {
		if p.Slots[s] >= size && (best < 0 || p.Slots[s] < p.Slots[best]) {
			best, bestAt = s, at
		}
	}
	if best < 0 && len(*free) > 0 && !keep {
		for at, s := range *free {
			if best < 0 || p.Slots[s] > p.Slots[best] {
				best, bestAt = s, at
			}
		}
		p.Slots[best] = size
	}
	if best < 0 {
		p.Slots = append(p.Slots, size)
		return len(p.Slots) - 1
	}
	*free = append((*free)[:bestAt], (*free)[bestAt+1:]...)
	return best
}

func contains(s []int, v int) bool {
	for _, x := range s {
		if x == v {
			return true
		}
	}
	return false
}

func isInput(n *Node) bool  { _, ok := n.op.(InputOp); return ok }
func isEffect(n *Node) bool { _, ok := n.op.(Effect); return ok }

// Memory is the number of elements held by the plan's slots.
func (p *Plan) Memory() int {
	total := 0
	for _, s := range p.Slots {
		total += s
	}
	return total
}

// String lists the steps, one a line, with their slots.
func (p *Plan) String() string {
	var b strings.Builder
	for _, n := range p.Inputs {
		fmt.Fprintf(&b, "%v\n", n)
	}
	for i, n := range p.Steps {
		once := ""
		if i < p.Init {
			once = "  (once)"
		}
		fmt.Fprintf(&b, "%v  @%d%s\n", n, p.loc[n.id].Slot, once)
	}
	fmt.Fprintf(&b, "%d slots, %d elements\n", len(p.Slots), p.Memory())
	return b.String()
}

// Counts returns how many steps of each op name the plan runs, sorted.
func (p *Plan) Counts() []string {
	c := map[string]int{}
	for _, n := range p.Steps {
		name := strings.Fields(n.op.String())[0]
		c[name]++
	}
	var out []string
	for k, v := range c {
		out = append(out, fmt.Sprintf("%s:%d", k, v))
	}
	sort.Strings(out)
	return out
}

// Verify replays the plan's writes and reports a step that would read a
// slot after another value overwrote it, a step that writes over its own
// operand, or an output overwritten before the run ends. NewPlan never
// makes such a plan; tests call Verify to prove it on real graphs.
func (p *Plan) Verify() error {
	owner := map[int]*Node{} // slot -> the node whose value it holds
	root := storageRoot
	for _, n := range p.Steps {
		l := p.Loc(n)
		for _, in := range n.inputs {
			il := p.Loc(in)
			if il.Slot >= 0 && owner[il.Slot] != root(in) {
				return fmt.Errorf("engine: %v reads %v from slot %d, which holds %v", n, in, il.Slot, owner[il.Slot])
			}
			if l.Slot >= 0 && root(n) == n && il.Slot == l.Slot {
				return fmt.Errorf("engine: %v writes slot %d, which holds its operand %v", n, l.Slot, in)
			}
		}
		if l.Slot >= 0 && root(n) == n {
			owner[l.Slot] = n
		}
	}
	for _, o := range p.Outputs {
		if l := p.Loc(o); l.Slot >= 0 && owner[l.Slot] != root(o) {
			return fmt.Errorf("engine: output %v was overwritten by %v", o, owner[l.Slot])
		}
	}
	return nil
}
