package engine

import (
	"fmt"
	"os"
	"strings"
)

// FusedOp is a group of elementwise ops that a backend runs as one kernel:
// an expression over the node's inputs, each read through an index map,
// evaluated at every flat index of Space and either stored (Out equals
// Space) or, with Reduce, summed down to Out (Space with some dimensions 1):
//
//	y[i] = expr(i)                                           (Reduce false)
//	y[j] = Σ_{i : i projects onto j} expr(i)                 (Reduce true)
//	y[j] = post(j, Σ_{i : i projects onto j} expr(i))        (and an Epilogue)
//	y[j] = post(j, core(inputs)[j])                          (Core: no Code)
//
// The values inside the expression never touch memory. The planner makes
// FusedOps from the differentiated graph (see fuseGraph), so forward,
// backward and double backward fuse alike; they have no gradient rule.
type FusedOp struct {
	Space  Shape
	Out    Shape
	Reduce bool
	Loads  []FusedLoad  // how the expressions read the node's inputs
	Code   []FusedInstr // value k is Code[k]'s result; the expression is the last
	// Epilogue, for a reduction, is post: code evaluated at each index j of
	// Out, where FusedSum is the sum at j and loads have Full of Out's size;
	// nil for none (y[j] is the sum).
	Epilogue []FusedInstr
	// Core, when not nil, is a contraction (Conv2DOp, ConvTransposeOp,
	// ConvFilterOp or MatMulOp) of the node's first two inputs whose
	// value, of shape Space (= Out), the Epilogue maps (FusedSum is the
	// core's value at j): the bias and activation after a convolution run
	// where it stores its result. Code is empty then, and Reduce false.
	Core Op
}

// FusedLoad reads input Input of the node as a tensor of shape Small
// repeated to Full (same rank, Small's dimensions 1 or equal, Full.Size() ==
// Space.Size(), or Out.Size() for a load of the epilogue): the value at flat index i is input[project(i, Full, Small)],
// the flat index of i's coordinates in Full with the repeated ones set to 0.
// A direct load (Small.Size() == Full.Size()) reads input[i].
type FusedLoad struct {
	Input       int
	Full, Small Shape
}

// Direct reports whether the load reads element i at index i.
func (l FusedLoad) Direct() bool { return l.Small.Size() == l.Full.Size() }

// FusedKind is what a FusedInstr computes.
type FusedKind int

const (
	FusedRead   FusedKind = iota // Loads[Arg] at the current index
	FusedConst                   // Value
	FusedUnary                   // Unary(value A) with parameter Value
	FusedBinary                  // Binary(value A, value B)
	FusedSum                     // in an epilogue: the reduction's sum
)

// FusedInstr is one instruction of a FusedOp's expression. Operands A and B
// are indices of earlier instructions.
type FusedInstr struct {
	Kind   FusedKind
	Arg    int
	A, B   int
	Unary  UnaryFn
	Binary BinaryFn
	Value  float64
}

func (in FusedInstr) String() string {
	switch in.Kind {
	case FusedRead:
		return fmt.Sprintf("load%d", in.Arg)
	case FusedConst:
		return fmt.Sprintf("%g", in.Value)
	case FusedUnary:
		return UnaryOp{Fn: in.Unary, Alpha: in.Value}.String() + fmt.Sprintf("(v%d)", in.A)
	case FusedBinary:
		return fmt.Sprintf("%s(v%d,v%d)", in.Binary, in.A, in.B)
	case FusedSum:
		return "core"
	}
	return "?"
}

func (o FusedOp) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "fused %v", o.Space)
	if o.Core != nil {
		fmt.Fprintf(&b, " core(%s)", o.Core)
	}
	if o.Reduce {
		fmt.Fprintf(&b, " sumto %v", o.Out)
	}
	for _, l := range o.Loads {
		if l.Direct() {
			fmt.Fprintf(&b, " in%d", l.Input)
		} else {
			fmt.Fprintf(&b, " in%d%v@%v", l.Input, l.Small, l.Full)
		}
	}
	b.WriteString(" :")
	for k, in := range o.Code {
		fmt.Fprintf(&b, " v%d=%s", k, in)
	}
	if o.Epilogue != nil {
		b.WriteString(" then")
		for k, in := range o.Epilogue {
			fmt.Fprintf(&b, " e%d=%s", k, in)
		}
	}
	return b.String()
}

func (o FusedOp) Shape(in []Shape) Shape {
	if o.Core != nil {
		if len(in) < 2 || !o.Core.Shape(in[:2]).Equal(o.Space) {
			panic(fmt.Sprintf("engine: %v of inputs %v", o, in))
		}
	}
	for _, l := range o.Loads {
		if l.Input >= len(in) || in[l.Input].Size() != l.Small.Size() || l.Full.Size() != o.Space.Size() && l.Full.Size() != o.Out.Size() {
			panic(fmt.Sprintf("engine: %v reads input %d of shape %v", o, l.Input, in))
		}
	}
	return o.Out.Clone()
}

func (o FusedOp) Grad(n, dy *Node) []*Node {
	panic("engine: a fused op has no gradient rule: fusion runs after differentiation")
}

// maxFusedInputs bounds a fused group's inputs: WebGPU allows 8 storage
// buffers per shader stage, one of which is the output.
const maxFusedInputs = 7

// PlanOptions chooses how NewPlanWith plans.
type PlanOptions struct {
	// Unfused plans every op as its own step (for debugging, and for tests
	// that compare the fused plan with it).
	Unfused bool
	// Recompute is how many fused groups may each compute a cheap value
	// (an elementwise op) that they all read, instead of one kernel storing
	// it for them to load; 0 means 1: no value is computed twice. More
	// means fewer kernels and less memory traffic for more arithmetic: the
	// right trade for a GPU, where a kernel launch and a pass over memory
	// cost more than a few extra instructions per element.
	Recompute int
	// NoEpilogue keeps elementwise ops after a sum out of the sum's kernel
	// (for a backend that cannot run FusedOp.Epilogue).
	NoEpilogue bool
	// CoreEpilogue lets a convolution or matrix product take the
	// elementwise group that alone reads its result as its epilogue
	// (FusedOp.Core), for a backend that gains by it: on a GPU it saves a
	// kernel and a pass over the result.
	CoreEpilogue bool
	// WideBatches is no choice of the planner's but advice to whoever
	// builds the graph: that the backend would rather evaluate a network
	// once on two batches joined than once on each (fewer, larger kernels
	// for more live memory: a GPU's trade; on a CPU, which runs a kernel
	// on any batch at full speed, it only costs memory).
	WideBatches bool
}

// Planner is implemented by backends that want their plans made with
// other options than the default ones (see NewPlanFor).
type Planner interface {
	PlanOptions() PlanOptions
}

// PlanOptionsFor are the options a plan for b is made with: b's own if it
// is a Planner, the defaults otherwise; unfused whatever b prefers when the
// environment variable WGANGP_FUSION is "off" (for debugging a backend).
func PlanOptionsFor(b Backend) PlanOptions {
	var o PlanOptions
	if p, ok := b.(Planner); ok {
		o = p.PlanOptions()
	}
	if os.Getenv("WGANGP_FUSION") == "off" {
		o.Unfused = true
	}
	return o
}

// NewPlanFor plans outputs and effects for running on b: NewPlanWith with
// PlanOptionsFor(b).
func NewPlanFor(b Backend, outputs, effects []*Node) *Plan {
	return NewPlanWith(outputs, effects, PlanOptionsFor(b))
}

// maxFusedCode bounds the ops of one group, recomputed ones included.
const maxFusedCode = 48

// group is a set of nodes that become one FusedOp: the root (whose value
// leaves the group) and members whose every consumer is in the group, or,
// for cheap values read by several groups, in some group (such a member is
// recomputed by each).
type group struct {
	root    *Node
	reduce  bool
	sum     *Node        // the SumTo of a reduction with an epilogue (root is after it)
	core    *Node        // the contraction whose epilogue the group is
	outSize int          // the epilogue's space's size
	members map[int]bool // node IDs, the root included
	leaves  map[int]bool // IDs of the storage the group reads
	views   bool         // whether it reads a broadcast (an index map)
	consts  bool         // whether it reads a constant (a literal of its code)
	space   int          // the loop space's size
	real    int          // members that compute (not reshapes)
}

// maxInputs bounds the group's inputs: one fewer for a reduction with an
// epilogue, whose last pass may bind the partial sums besides them.
func (gr *group) maxInputs() int {
	if gr.sum != nil || gr.core != nil {
		return maxFusedInputs - 1
	}
	return maxFusedInputs
}

// add makes n a member.
func (gr *group) add(n *Node) {
	gr.members[n.id] = true
	delete(gr.leaves, n.id)
	for _, in := range n.inputs {
		gr.read(in)
	}
	if _, ok := n.op.(ReshapeOp); !ok {
		gr.real++
	}
}

// read records that the group reads n (until n joins it).
func (gr *group) read(n *Node) {
	if _, ok := constant(n); ok {
		gr.consts = true
		return
	}
	if src, _, _, ok := view(n); ok {
		gr.leaves[src.id] = true
		gr.views = true
		return
	}
	gr.leaves[storageRoot(n).id] = true
}

// leavesWith is the number of leaves the group would have with n a member.
func (gr *group) leavesWith(n *Node) int {
	c := len(gr.leaves)
	if gr.leaves[n.id] {
		c--
	}
	seen := map[int]bool{}
	for _, in := range n.inputs {
		if _, ok := constant(in); ok {
			continue
		}
		k := storageRoot(in).id
		if src, _, _, ok := view(in); ok {
			k = src.id
		}
		if !gr.leaves[k] && !seen[k] {
			seen[k] = true
			c++
		}
	}
	return c
}

// fuseGraph rewrites the computation of outputs and effects so that maximal
// groups of elementwise ops become FusedOp nodes. Unary and binary ops and
// reshapes join the group of their consumers when every consumer of theirs
// is in that one group, or in up to recompute groups (each computes it); a
// sum takes the elementwise group that feeds it as its prologue and, with
// epilogue, the group that alone reads it as its epilogue; with
// coreEpilogue a contraction takes the group that alone reads it likewise.
// Broadcasts (index maps of their operand) and fills (constants) are read
// in place by every group, so they need no buffer. A group's inputs stay
// within maxFusedInputs and its code within maxFusedCode. It returns the
// rewritten outputs and effects (nodes of the same graph; unchanged nodes
// are kept as they are) and, for each node it made, the ID of the node it
// stands for, whose place in the order of the original graph it takes.
func fuseGraph(g *Graph, outputs, effects []*Node, recompute int, epilogue, coreEpilogue bool) (outs, effs []*Node, pos map[int]int) {
	live := g.live(outputs, effects)
	last := len(g.nodes)
	consumers := make([][]*Node, last)
	isOutput := make([]bool, last)
	for _, n := range g.nodes[:last] {
		if !live[n.id] {
			continue
		}
		for _, in := range n.inputs {
			consumers[in.id] = append(consumers[in.id], n)
		}
	}
	for _, n := range outputs {
		isOutput[n.id] = true
	}

	groupsOf := make([][]*group, last)
	for id := last - 1; id >= 0; id-- {
		n := g.nodes[id]
		if !live[id] || n.op == nil {
			continue
		}
		if isContraction(n) && coreEpilogue {
			if gr := epilogueGroup(n, consumers[id], groupsOf, isOutput[id]); gr != nil && gr.space == n.shape.Size() {
				// The core is no member: its operands are read by it, not
				// computed in the group.
				delete(gr.leaves, id)
				for _, in := range n.inputs {
					gr.read(in)
				}
				gr.core = n
				gr.real++
				groupsOf[id] = []*group{gr}
				continue
			}
		}
		if _, ok := n.op.(SumToOp); ok && epilogue {
			if gr := epilogueGroup(n, consumers[id], groupsOf, isOutput[id]); gr != nil {
				gr.add(n)
				gr.reduce, gr.sum = true, n
				gr.outSize, gr.space = gr.space, n.inputs[0].shape.Size()
				groupsOf[id] = []*group{gr}
				continue
			}
		}
		if grs := joinable(n, consumers[id], groupsOf, isOutput[id], max(1, recompute)); grs != nil {
			for _, gr := range grs {
				gr.add(n)
			}
			groupsOf[id] = grs
			continue
		}
		switch n.op.(type) {
		case UnaryOp, BinaryOp, SumToOp:
			gr := &group{root: n, members: map[int]bool{}, leaves: map[int]bool{}, space: n.shape.Size()}
			if _, ok := n.op.(SumToOp); ok {
				gr.reduce = true
				gr.space = n.inputs[0].shape.Size()
			}
			gr.add(n)
			groupsOf[id] = []*group{gr}
		}
	}

	// A group runs fused when it replaces more than one op or reads a
	// broadcast or a constant in place; a lone op keeps its own kernel.
	emit := func(gr *group) bool { return gr.real >= 2 || gr.views || gr.consts }
	nw := make(map[int]*Node, last) // node ID -> its rewritten node
	pos = map[int]int{}
	get := func(n *Node) *Node {
		if r, ok := nw[n.id]; ok {
			return r
		}
		return n
	}
	for _, n := range g.nodes[:last] {
		if !live[n.id] || n.op == nil || isInput(n) {
			continue
		}
		grs := groupsOf[n.id]
		if len(grs) == 1 && grs[0].core == n {
			continue // the group's kernel computes it
		}
		if len(grs) == 1 && grs[0].root == n && emit(grs[0]) {
			f := buildFused(grs[0], get)
			nw[n.id], pos[f.id] = f, n.id
			if _, ok := f.op.(ReshapeOp); ok { // of the FusedOp node, which runs in its place
				pos[f.inputs[0].id] = n.id
			}
			continue
		}
		inside := len(grs) > 0 && grs[0].root != n
		for _, gr := range grs {
			inside = inside && emit(gr)
		}
		if inside { // computed inside every group that reads it
			continue
		}
		ins := make([]*Node, len(n.inputs))
		changed := false
		for i, in := range n.inputs {
			ins[i] = get(in)
			changed = changed || ins[i] != in
		}
		if changed {
			nw[n.id] = g.apply(n.op, ins...)
			pos[nw[n.id].id] = n.id
		}
	}
	outs = make([]*Node, len(outputs))
	for i, n := range outputs {
		outs[i] = get(n)
	}
	effs = make([]*Node, len(effects))
	for i, n := range effects {
		effs[i] = get(n)
	}
	return outs, effs, pos
}

// joinable returns the groups that n can join as an interior value: the
// groups of its consumers, if n is a unary or binary op or a reshape, not
// an output, every consumer of n is a member of some group (a broadcast is
// not: it reads its operand through an index map, which needs storage),
// and each group stays within bounds. A value read by several groups joins
// them all (it is recomputed in each) if they are at most recompute.
func joinable(n *Node, consumers []*Node, groupsOf [][]*group, output bool, recompute int) []*group {
	switch n.op.(type) {
	case UnaryOp, BinaryOp, ReshapeOp:
	default:
		return nil
	}
	if output || len(consumers) == 0 {
		return nil
	}
	var grs []*group
	for _, c := range consumers {
		if len(groupsOf[c.id]) == 0 {
			return nil
		}
		for _, gr := range groupsOf[c.id] {
			if !gr.members[c.id] {
				return nil
			}
			dup := false
			for _, h := range grs {
				dup = dup || h == gr
			}
			if !dup {
				grs = append(grs, gr)
			}
		}
	}
	if len(grs) > recompute {
		return nil
	}
	for _, gr := range grs {
		size := n.shape.Size()
		if size != gr.space && (gr.sum == nil || size != gr.outSize) || gr.leavesWith(n) > gr.maxInputs() || gr.real >= maxFusedCode {
			return nil
		}
	}
	return grs
}

// epilogueGroup returns the group a sum n can join as the reduction of its
// elementwise consumers (which become the epilogue of the sum's kernel):
// the one group every consumer of n is a member of, not a reduction, of
// n's shape, within bounds.
func epilogueGroup(n *Node, consumers []*Node, groupsOf [][]*group, output bool) *group {
	if output || len(consumers) == 0 {
		return nil
	}
	grs := groupsOf[consumers[0].id]
	if len(grs) != 1 {
		return nil
	}
	gr := grs[0]
	for _, c := range consumers {
		if len(groupsOf[c.id]) != 1 || groupsOf[c.id][0] != gr || !gr.members[c.id] {
			return nil
		}
	}
	// The epilogue runs over the sum's shape; a group of another shape of
	// its size (through reshapes) is that flat space too (buildFused).
	if gr.reduce || gr.core != nil || gr.root.shape.Size() != n.shape.Size() || gr.leavesWith(n) > maxFusedInputs-1 || gr.real >= maxFusedCode {
		return nil
	}
	return gr
}

// isContraction reports whether n is a convolution or a matrix product:
// an op that can run an epilogue where it stores its result.
func isContraction(n *Node) bool {
	switch n.op.(type) {
	case Conv2DOp, ConvTransposeOp, ConvFilterOp, MatMulOp:
		return true
	}
	return false
}

// storageRoot follows reshapes to the node that owns the storage.
func storageRoot(n *Node) *Node {
	for {
		if _, ok := n.op.(ReshapeOp); !ok {
			return n
		}
		n = n.inputs[0]
	}
}

// view reports whether n is a broadcast (under reshapes) of a value with
// storage, and which: the value src of shape small repeated to full, n's
// flat index being full's.
func view(n *Node) (src *Node, small, full Shape, ok bool) {
	n = storageRoot(n)
	b, isB := n.op.(BroadcastOp)
	if !isB {
		return nil, nil, nil, false
	}
	src = storageRoot(n.inputs[0])
	switch src.op.(type) {
	case BroadcastOp, FillOp:
		return nil, nil, nil, false
	}
	return src, n.inputs[0].shape, b.Out, true
}

// constant reports whether n is a constant, and its value: a fill,
// possibly reshaped or broadcast, or an elementwise function of constants
// (folded here in float64, so a group reads it as a literal and no kernel
// computes it).
func constant(n *Node) (float64, bool) {
	switch op := n.op.(type) {
	case FillOp:
		return op.Value, true
	case ReshapeOp, BroadcastOp:
		return constant(n.inputs[0])
	case UnaryOp:
		if x, ok := constant(n.inputs[0]); ok {
			return op.Fn.Info().Eval(x, op.Alpha), true
		}
	case BinaryOp:
		if a, ok := constant(n.inputs[0]); ok {
			if b, ok := constant(n.inputs[1]); ok {
				return op.Fn.Info().Eval(a, b), true
			}
		}
	}
	return 0, false
}

// buildFused makes the FusedOp node of gr, its inputs rewritten by get.
//
// A reduction's epilogue runs over the sum's shape, so where the group's
// root has another shape (of that size: reshapes inside) the node returned
// is a reshape of the FusedOp node.
func buildFused(gr *group, get func(*Node) *Node) *Node {
	op := FusedOp{Out: gr.root.shape.Clone(), Reduce: gr.reduce}
	op.Space = op.Out
	top, sum := gr.root, gr.sum
	if gr.reduce {
		if sum == nil {
			sum = gr.root
		}
		op.Out = sum.shape.Clone()
		op.Space = sum.inputs[0].shape.Clone()
		top = sum.inputs[0]
	}
	var inputs []*Node
	inputIndex := map[*Node]int{}
	loadIndex := map[string]int{}
	if gr.core != nil {
		op.Core = gr.core.op
		for _, in := range gr.core.inputs {
			inputs = append(inputs, get(in))
		}
	}
	// gen returns the code computing top over space, each node once; a
	// node stop (the sum, in the epilogue) is FusedSum.
	gen := func(top *Node, space Shape, stop *Node) []FusedInstr {
		var code []FusedInstr
		value := map[int]int{} // node ID -> instruction
		emit := func(in FusedInstr) int {
			code = append(code, in)
			return len(code) - 1
		}
		// loadFrom reads the storage of src as a tensor of shape small
		// repeated to full.
		loadFrom := func(src *Node, small, full Shape) int {
			src = get(src)
			k, ok := inputIndex[src]
			if !ok {
				k = len(inputs)
				inputIndex[src] = k
				inputs = append(inputs, src)
			}
			l := FusedLoad{Input: k, Full: full, Small: small}
			if l.Direct() {
				l.Full, l.Small = space, space
			}
			key := fmt.Sprint(l)
			li, ok := loadIndex[key]
			if !ok {
				li = len(op.Loads)
				loadIndex[key] = li
				op.Loads = append(op.Loads, l)
			}
			return emit(FusedInstr{Kind: FusedRead, Arg: li})
		}
		var eval func(n *Node) int
		eval = func(n *Node) int {
			if v, ok := value[n.id]; ok {
				return v
			}
			var v int
			if c, ok := constant(n); ok {
				v = emit(FusedInstr{Kind: FusedConst, Value: c})
			} else if n == stop {
				v = emit(FusedInstr{Kind: FusedSum})
			} else if !gr.members[n.id] {
				if src, small, full, ok := view(n); ok {
					v = loadFrom(src, small, full)
				} else {
					v = loadFrom(storageRoot(n), n.shape, space)
				}
			} else {
				switch o := n.op.(type) {
				case ReshapeOp:
					v = eval(n.inputs[0])
				case UnaryOp:
					a := eval(n.inputs[0])
					v = emit(FusedInstr{Kind: FusedUnary, Unary: o.Fn, Value: o.Alpha, A: a})
				case BinaryOp:
					a := eval(n.inputs[0])
					b := eval(n.inputs[1])
					v = emit(FusedInstr{Kind: FusedBinary, Binary: o.Fn, A: a, B: b})
				default:
					panic(fmt.Sprintf("engine: %v in a fused group", n))
				}
			}
			value[n.id] = v
			return v
		}
		eval(top)
		return code
	}
	switch {
	case gr.core != nil:
		op.Epilogue = gen(gr.root, op.Out, gr.core)
	case gr.sum != nil:
		op.Code = gen(top, op.Space, nil)
		op.Epilogue = gen(gr.root, op.Out, gr.sum)
	default:
		op.Code = gen(top, op.Space, nil)
	}
	f := gr.root.g.apply(op, inputs...)
	if !f.shape.Equal(gr.root.shape) {
		return Reshape(f, gr.root.shape...)
	}
	return f
}

// Single is the FusedOp that computes the fill, unary or binary op,
// broadcast or sum n alone, reading n's inputs as they are: a backend can
// run every elementwise step, fused or not, with its one fused kernel.
func Single(n *Node) (FusedOp, bool) {
	op := FusedOp{Space: n.shape.Clone(), Out: n.shape.Clone()}
	direct := func(k int) FusedLoad { return FusedLoad{Input: k, Full: op.Space, Small: op.Space} }
	read := func(l int) FusedInstr { return FusedInstr{Kind: FusedRead, Arg: l} }
	switch o := n.op.(type) {
	case FillOp:
		op.Code = []FusedInstr{{Kind: FusedConst, Value: o.Value}}
	case UnaryOp:
		op.Loads = []FusedLoad{direct(0)}
		op.Code = []FusedInstr{read(0), {Kind: FusedUnary, Unary: o.Fn, Value: o.Alpha, A: 0}}
	case BinaryOp:
		op.Loads = []FusedLoad{direct(0), direct(1)}
		op.Code = []FusedInstr{read(0), read(1), {Kind: FusedBinary, Binary: o.Fn, A: 0, B: 1}}
	case BroadcastOp:
		op.Loads = []FusedLoad{{Input: 0, Full: op.Space, Small: n.inputs[0].shape}}
		op.Code = []FusedInstr{read(0)}
	case SumToOp:
		op.Space, op.Reduce = n.inputs[0].shape.Clone(), true
		op.Loads = []FusedLoad{direct(0)}
		op.Loads[0].Full, op.Loads[0].Small = op.Space, op.Space
		op.Code = []FusedInstr{read(0)}
	default:
		return FusedOp{}, false
	}
	return op, true
}

// maxAdamParams is how many parameters one Adam update merges: each binds
// four storage buffers (p, m, v, g) of the 8 a WebGPU stage has; the rate
// is read as a uniform.
const maxAdamParams = 2

// mergeEffects merges neighbouring effects that one kernel can run: Adam
// updates of the same settings and rate, up to maxAdamParams parameters
// at a time, and stores into one buffer at consecutive offsets, up to
// maxFusedInputs sources. Other effects, and the order, are kept. What
// the merged effects write is what they wrote one by one: no two of them
// write the same element (each parameter has one update; stores at
// consecutive offsets do not overlap), and effects read nothing another
// writes.
func mergeEffects(g *Graph, effects []*Node) []*Node {
	var out []*Node
	for i := 0; i < len(effects); {
		n, j := effects[i], i+1
		switch op := n.op.(type) {
		case AdamOp:
			last := len(n.inputs) - 1
			ins, rate := append([]*Node{}, n.inputs[:last]...), n.inputs[last]
			for ; j < len(effects); j++ {
				e := effects[j]
				o, ok := e.op.(AdamOp)
				k := len(e.inputs) - 1
				if !ok || o != op || e.inputs[k] != rate || len(ins)+k > 4*maxAdamParams {
					break
				}
				ins = append(ins, e.inputs[:k]...)
			}
			if j > i+1 {
				n = g.apply(op, append(ins, rate)...)
			}
		case StoreOp:
			ins := append([]*Node{}, n.inputs...)
			end := op.Offset
			for _, s := range ins[1:] {
				end += s.shape.Size()
			}
			for ; j < len(effects); j++ {
				e := effects[j]
				o, ok := e.op.(StoreOp)
				if !ok || e.inputs[0] != ins[0] || o.Offset != end || len(ins)-1+len(e.inputs)-1 > maxFusedInputs {
					break
				}
				for _, s := range e.inputs[1:] {
					ins = append(ins, s)
					end += s.shape.Size()
				}
			}
			if j > i+1 {
				n = g.apply(op, ins...)
			}
		}
		out = append(out, n)
		i = j
	}
	return out
}
