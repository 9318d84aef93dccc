package backendtest

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"

	"github.com/wgangp/wgangp/engine"
)

// Tolerance bounds the error of a backend against Reference, per element:
// |got - ref| <= Rel·(|ref| + rms(ref)). The rms term absorbs cancellation
// in sums whose result is small next to their terms.
type Tolerance struct{ Rel float64 }

// Case is one check: a graph built on g from random inputs.
type Case struct {
	Name  string
	Build func(g *engine.Graph, r *rand.Rand) (outputs []*engine.Node, feeds map[*engine.Node][]float64)
}

// Plans are the ways every case runs: fused (the default), fused with
// values recomputed by up to 4 groups (as a GPU backend plans), that and
// contractions with their epilogues, and unfused.
var Plans = []struct {
	Name string
	Opts engine.PlanOptions
}{
	{"fused", engine.PlanOptions{}},
	{"recompute", engine.PlanOptions{Recompute: 4}},
	{"core", engine.PlanOptions{Recompute: 4, CoreEpilogue: true}},
	{"unfused", engine.PlanOptions{Unfused: true}},
}

// RunAll runs every case of the suite and the random fusion cases on b,
// with fusion and without.
func RunAll(t *testing.T, b engine.Backend, tol Tolerance) {
	t.Helper()
	for _, p := range Plans {
		t.Run(p.Name, func(t *testing.T) { RunAllWith(t, b, tol, p.Opts) })
	}
}

// RunAllWith runs every case of the suite and the random fusion cases on
// b with plans made with opts.
func RunAllWith(t *testing.T, b engine.Backend, tol Tolerance, opts engine.PlanOptions) {
	t.Helper()
	for _, c := range append(Cases(), RandomCases(40)...) {
		t.Run(c.Name, func(t *testing.T) { CheckWith(t, b, tol, c, opts) })
	}
	t.Run("adam", func(t *testing.T) { CheckAdam(t, b, tol, opts) })
	t.Run("store", func(t *testing.T) { CheckStore(t, b, opts) })
	t.Run("constants", func(t *testing.T) { CheckConstants(t, b, opts) })
}

// Check runs one case on b, fused, and compares every output with Reference.
func Check(t *testing.T, b engine.Backend, tol Tolerance, c Case) {
	t.Helper()
	CheckWith(t, b, tol, c, engine.PlanOptions{})
}

// CheckWith runs one case on b with plans made with opts and compares every
// output with Reference.
func CheckWith(t *testing.T, b engine.Backend, tol Tolerance, c Case, opts engine.PlanOptions) {
	t.Helper()
	g := engine.NewGraph()
	r := rand.New(rand.NewPCG(1, uint64(len(c.Name))))
	outs, feeds := c.Build(g, r)
	got, err := engine.EvaluateWith(b, outs, feeds, opts)
	if err != nil {
		t.Fatalf("%s: %v", c.Name, err)
	}
	want := Reference(outs, feeds)
	for i := range outs {
		if err := Compare(got[i], want[i], tol); err != nil {
			t.Errorf("%s: output %d %v: %v", c.Name, i, outs[i], err)
		}
	}
}

// Compare checks got against want within tol and says where it fails first.
func Compare(got, want []float64, tol Tolerance) error {
	if len(got) != len(want) {
		return fmt.Errorf("%d values, want %d", len(got), len(want))
	}
	var ss float64
	for _, w := range want {
		ss += w * w
	}
	rms := math.Sqrt(ss / float64(max(1, len(want))))
	bad, worst := 0, -1
	var worstErr float64
	for i := range got {
		e := math.Abs(got[i] - want[i])
		lim := tol.Rel * (math.Abs(want[i]) + rms)
		if !(e <= lim) { // NaN fails too
			bad++
			if worst < 0 || e > worstErr || math.IsNaN(e) {
				worst, worstErr = i, e
			}
		}
	}
	if bad > 0 {
		return fmt.Errorf("%d of %d values off; worst at %d: got %g, want %g (rms %g)", bad, len(got), worst, got[worst], want[worst], rms)
	}
	return nil
}

// Random returns n values uniform in [lo, hi), never all zero.
func Random(r *rand.Rand, n int, lo, hi float64) []float64 {
	v := make([]float64, n)
	for i := range v {
		v[i] = lo + (hi-lo)*r.Float64()
	}
	return v
}

func input(g *engine.Graph, r *rand.Rand, feeds map[*engine.Node][]float64, name string, lo, hi float64, shape ...int) *engine.Node {
	n := g.Input(name, shape...)
	feeds[n] = Random(r, engine.Shape(shape).Size(), lo, hi)
	return n
}

// ConvCase is one geometry of the convolution family for the suite.
type ConvCase struct {
	N, C, H, W, O, K, Stride int
	Pad                      engine.Padding
}

// ConvCases are the geometries every backend must get right: odd sizes,
// stride 1 and 2, the asymmetric "same" padding of SPEC.md, 1×1 to 5×5
// kernels, batch 1 and 3, and the model's own layers at small width.
var ConvCases = []ConvCase{
	{1, 3, 7, 9, 5, 3, 1, engine.Pads(1, 1, 1, 1)},
	{3, 3, 7, 9, 5, 5, 2, engine.Pads(1, 1, 2, 2)},
	{3, 2, 8, 8, 4, 5, 2, engine.Pads(1, 1, 2, 2)},
	{1, 4, 6, 5, 3, 1, 1, engine.Padding{}},
	{2, 5, 9, 7, 2, 4, 2, engine.Pads(0, 2, 1, 0)},
	{2, 3, 5, 5, 1, 5, 1, engine.Pads(2, 2, 2, 2)},
	{2, 6, 4, 4, 1, 4, 1, engine.Padding{}},           // disc.conv5 at F=... small
	{2, 3, 64, 64, 4, 5, 2, engine.Pads(1, 1, 2, 2)},  // disc.conv1 at F=4
	{1, 8, 16, 16, 16, 5, 2, engine.Pads(1, 1, 2, 2)}, // disc.conv3 at F=4
	{2, 16, 8, 8, 32, 5, 1, engine.Padding{}},         // gen.tconv1 at F=4 (as its adjoint conv)
	{1, 65, 3, 3, 63, 3, 1, engine.Pads(1, 1, 1, 1)},  // channels just past a tile
	{1, 2, 33, 31, 3, 5, 2, engine.Pads(1, 1, 2, 2)},  // odd spatial sizes
	{3, 1, 1, 1, 2, 1, 1, engine.Padding{}},           // 1×1 everything
	{1, 1, 4, 4, 1, 5, 1, engine.Pads(2, 2, 2, 2)},    // kernel larger than input
}

// Cases lists the suite's checks.
func Cases() []Case {
	var cs []Case
	sizes := []int{1, 7, 63, 64, 65, 1000, 70001}
	for fn := range engine.NumUnaryFns {
		info := fn.Info()
		op := engine.UnaryOp{Fn: fn, Alpha: 0.2}
		if fn == engine.FnScale || fn == engine.FnAddConst {
			op.Alpha = -1.75
		}
		lo, hi := info.Domain[0], info.Domain[1]
		for _, n := range sizes {
			cs = append(cs, Case{fmt.Sprintf("%s/%d", op, n), func(g *engine.Graph, r *rand.Rand) ([]*engine.Node, map[*engine.Node][]float64) {
				f := map[*engine.Node][]float64{}
				x := input(g, r, f, "x", lo, hi, n)
				return []*engine.Node{unaryOf(op, x)}, f
			}})
		}
	}
	for fn := range engine.NumBinaryFns {
		dom := fn.Info().DomainB
		for _, n := range sizes {
			cs = append(cs, Case{fmt.Sprintf("%s/%d", fn, n), func(g *engine.Graph, r *rand.Rand) ([]*engine.Node, map[*engine.Node][]float64) {
				f := map[*engine.Node][]float64{}
				a := input(g, r, f, "a", -2, 2, n)
				b := input(g, r, f, "b", dom[0], dom[1], n)
				return []*engine.Node{binaryOf(fn, a, b)}, f
			}})
		}
	}
	reductions := []struct{ full, small engine.Shape }{
		{engine.Shape{3, 5, 7, 9}, engine.Shape{1, 5, 1, 1}},
		{engine.Shape{3, 5, 7, 9}, engine.Shape{3, 1, 1, 1}},
		{engine.Shape{3, 5, 7, 9}, engine.Shape{1, 1, 1, 1}},
		{engine.Shape{3, 5, 7, 9}, engine.Shape{3, 1, 7, 1}},
		{engine.Shape{3, 5, 7, 9}, engine.Shape{1, 5, 7, 9}},
		{engine.Shape{3, 5, 7, 9}, engine.Shape{3, 5, 7, 1}},
		{engine.Shape{16, 512}, engine.Shape{1, 512}},
		{engine.Shape{1, 70001}, engine.Shape{1, 1}},
		{engine.Shape{64, 3, 64, 64}, engine.Shape{64, 1, 1, 1}},
		{engine.Shape{2, 1, 3, 1}, engine.Shape{1, 1, 3, 1}},
	}
	for _, rd := range reductions {
		cs = append(cs, Case{fmt.Sprintf("sumto%v%v", rd.full, rd.small), func(g *engine.Graph, r *rand.Rand) ([]*engine.Node, map[*engine.Node][]float64) {
			f := map[*engine.Node][]float64{}
			x := input(g, r, f, "x", -1, 1, rd.full...)
			return []*engine.Node{engine.SumTo(x, rd.small...)}, f
		}})
		cs = append(cs, Case{fmt.Sprintf("broadcast%v%v", rd.small, rd.full), func(g *engine.Graph, r *rand.Rand) ([]*engine.Node, map[*engine.Node][]float64) {
			f := map[*engine.Node][]float64{}
			x := input(g, r, f, "x", -1, 1, rd.small...)
			return []*engine.Node{engine.BroadcastTo(x, rd.full...)}, f
		}})
	}
	cs = append(cs, Case{"fill+reshape", func(g *engine.Graph, r *rand.Rand) ([]*engine.Node, map[*engine.Node][]float64) {
		f := map[*engine.Node][]float64{}
		x := input(g, r, f, "x", -1, 1, 4, 6)
		y := engine.Reshape(engine.Add(x, engine.Fill(g, 0.5, 4, 6)), 2, 3, 4)
		return []*engine.Node{y, engine.Reshape(y, 24), engine.Fill(g, -2.5, 3, 3)}, f
	}})
	for _, mm := range [][3]int{{1, 1, 1}, {7, 5, 3}, {17, 100, 33}, {16, 100, 128}, {65, 63, 64}} {
		for _, ta := range []bool{false, true} {
			for _, tb := range []bool{false, true} {
				m, k, n := mm[0], mm[1], mm[2]
				cs = append(cs, Case{fmt.Sprintf("matmul%v/%t%t", mm, ta, tb), func(g *engine.Graph, r *rand.Rand) ([]*engine.Node, map[*engine.Node][]float64) {
					f := map[*engine.Node][]float64{}
					as, bs := []int{m, k}, []int{k, n}
					if ta {
						as = []int{k, m}
					}
					if tb {
						bs = []int{n, k}
					}
					a := input(g, r, f, "a", -1, 1, as...)
					b := input(g, r, f, "b", -1, 1, bs...)
					return []*engine.Node{engine.MatMul(a, b, ta, tb)}, f
				}})
			}
		}
	}
	for _, cc := range ConvCases {
		cs = append(cs, Case{fmt.Sprintf("convfamily%v", cc), func(g *engine.Graph, r *rand.Rand) ([]*engine.Node, map[*engine.Node][]float64) {
			f := map[*engine.Node][]float64{}
			x := input(g, r, f, "x", -1, 1, cc.N, cc.C, cc.H, cc.W)
			w := input(g, r, f, "w", -1, 1, cc.O, cc.C, cc.K, cc.K)
			y := engine.Conv2D(x, w, cc.Stride, cc.Pad)
			s := y.Shape()
			dy := input(g, r, f, "dy", -1, 1, s...)
			return []*engine.Node{
				y,
				engine.ConvTranspose(dy, w, cc.Stride, cc.Pad, cc.H, cc.W),
				engine.ConvFilter(x, dy, cc.Stride, cc.Pad, cc.K, cc.K),
			}, f
		}})
	}
	cs = append(cs, Case{"concat+slice", func(g *engine.Graph, r *rand.Rand) ([]*engine.Node, map[*engine.Node][]float64) {
		f := map[*engine.Node][]float64{}
		a := input(g, r, f, "a", -1, 1, 3, 5, 7)
		b := input(g, r, f, "b", -1, 1, 1, 5, 7)
		c := input(g, r, f, "c", -1, 1, 4, 5, 7)
		// Computed inputs (fused groups before the concat) and slices
		// read by a fused group after it.
		y := engine.Concat(engine.Tanh(a), b, engine.Mul(c, c))
		return []*engine.Node{y, engine.Slice(y, 2, 6), engine.Add(engine.Slice(y, 0, 4), engine.Slice(y, 4, 8)), engine.Slice(a, 2, 3)}, f
	}})
	cs = append(cs, Case{"concat of 9", func(g *engine.Graph, r *rand.Rand) ([]*engine.Node, map[*engine.Node][]float64) {
		f := map[*engine.Node][]float64{}
		var xs []*engine.Node
		for k := range 9 {
			xs = append(xs, input(g, r, f, fmt.Sprintf("x%d", k), -1, 1, 2*k+1, 65))
		}
		return []*engine.Node{engine.Concat(xs...)}, f
	}})
	cs = append(cs, epilogueCases()...)
	return cs
}

// epilogueCases are contractions followed by the elementwise ops a network
// puts after them (bias, activation, masks, sums of gradients), which a
// plan with CoreEpilogue runs in the contraction's kernel.
func epilogueCases() []Case {
	var cs []Case
	for i, cc := range []ConvCase{ConvCases[1], ConvCases[4], ConvCases[10]} {
		cs = append(cs, Case{fmt.Sprintf("conv-epilogue/%d", i), func(g *engine.Graph, r *rand.Rand) ([]*engine.Node, map[*engine.Node][]float64) {
			f := map[*engine.Node][]float64{}
			x := input(g, r, f, "x", -1, 1, cc.N, cc.C, cc.H, cc.W)
			w := input(g, r, f, "w", -1, 1, cc.O, cc.C, cc.K, cc.K)
			bias := input(g, r, f, "b", -1, 1, 1, cc.O, 1, 1)
			y := engine.Conv2D(x, w, cc.Stride, cc.Pad)
			s := y.Shape()
			dy := input(g, r, f, "dy", -1, 1, s...)
			mask := input(g, r, f, "m", -1, 1, cc.N, cc.C, cc.H, cc.W)
			other := input(g, r, f, "o", -1, 1, cc.O, cc.C, cc.K, cc.K)
			return []*engine.Node{
				engine.LeakyRelu(engine.Add(y, bias), 0.2),
				engine.Mul(engine.ConvTranspose(dy, w, cc.Stride, cc.Pad, cc.H, cc.W), engine.LeakyMask(mask, 0.2)),
				engine.Add(engine.Scale(engine.ConvFilter(x, dy, cc.Stride, cc.Pad, cc.K, cc.K), 0.5), other),
			}, f
		}})
	}
	cs = append(cs, Case{"matmul-epilogue", func(g *engine.Graph, r *rand.Rand) ([]*engine.Node, map[*engine.Node][]float64) {
		f := map[*engine.Node][]float64{}
		a := input(g, r, f, "a", -1, 1, 17, 33)
		b := input(g, r, f, "b", -1, 1, 65, 33)
		bias := input(g, r, f, "bias", -1, 1, 1, 65)
		return []*engine.Node{engine.Tanh(engine.Add(engine.MatMul(a, b, false, true), bias))}, f
	}})
	return cs
}

// unaryOf applies op through the graph's own constructor.
func unaryOf(op engine.UnaryOp, x *engine.Node) *engine.Node { return engine.Unary(op.Fn, op.Alpha, x) }

// binaryOf applies fn through the graph's own constructor.
func binaryOf(fn engine.BinaryFn, a, b *engine.Node) *engine.Node { return engine.Binary(fn, a, b) }

// CheckAdam runs three Adam updates of three parameters (of 1001, 37 and
// 5 elements: the planner merges the first two into one update unless
// opts.Unfused) on b and compares parameters and moments with the formula
// of engine.AdamOp computed here in float64.
func CheckAdam(t *testing.T, b engine.Backend, tol Tolerance, opts engine.PlanOptions) {
	t.Helper()
	const b1, b2, eps, lr = 0.0, 0.9, 1e-8, 2e-4
	sizes := []int{1001, 37, 5}
	r := rand.New(rand.NewPCG(7, 7))
	g := engine.NewGraph()
	rate := g.Input("rate", 1)
	type param struct {
		p, m, v, grad  *engine.Node
		wp, wm, wv, gv []float64
	}
	var ps []*param
	var effects []*engine.Node
	for k, n := range sizes {
		in := func(name string) *engine.Node { return g.Input(fmt.Sprintf("%s%d", name, k), n) }
		q := &param{p: in("p"), m: in("m"), v: in("v"), grad: in("g"), wp: Random(r, n, -1, 1), wm: make([]float64, n), wv: make([]float64, n)}
		ps = append(ps, q)
		effects = append(effects, engine.Adam(q.p, q.m, q.v, q.grad, rate, b1, b2, eps))
	}
	plan := engine.NewPlanWith(nil, effects, opts)
	if want := 2 + btoi(opts.Unfused); len(plan.Steps) != want {
		t.Errorf("the updates of 3 parameters plan as %d steps, want %d: %v", len(plan.Steps), want, plan.Steps)
	}
	bufs := map[*engine.Node]engine.Buffer{}
	for _, in := range plan.Inputs {
		buf, err := b.NewBuffer(in.Shape().Size())
		if err != nil {
			t.Fatal(err)
		}
		bufs[in] = buf
	}
	for _, q := range ps {
		if err := bufs[q.p].WriteFloat64(q.wp); err != nil {
			t.Fatal(err)
		}
	}
	prog, err := b.Compile(plan, bufs)
	if err != nil {
		t.Fatal(err)
	}
	for step := 1; step <= 3; step++ {
		rt := lr * math.Sqrt(1-math.Pow(b2, float64(step))) / (1 - math.Pow(b1, float64(step)))
		if err := bufs[rate].WriteFloat64([]float64{rt}); err != nil {
			t.Fatal(err)
		}
		for _, q := range ps {
			q.gv = Random(r, len(q.wp), -1, 1)
			if err := bufs[q.grad].WriteFloat64(q.gv); err != nil {
				t.Fatal(err)
			}
		}
		if err := prog.Run(); err != nil {
			t.Fatal(err)
		}
		for _, q := range ps {
			for i := range q.wp {
				q.wm[i] = b1*q.wm[i] + (1-b1)*q.gv[i]
				q.wv[i] = b2*q.wv[i] + (1-b2)*q.gv[i]*q.gv[i]
				q.wp[i] -= rt * q.wm[i] / (math.Sqrt(q.wv[i]) + eps)
			}
		}
	}
	for k, q := range ps {
		for name, w := range map[string]struct {
			node *engine.Node
			want []float64
		}{"p": {q.p, q.wp}, "m": {q.m, q.wm}, "v": {q.v, q.wv}} {
			got := make([]float64, len(w.want))
			if err := bufs[w.node].ReadFloat64(got); err != nil {
				t.Fatal(err)
			}
			if err := Compare(got, w.want, tol); err != nil {
				t.Errorf("adam %s of parameter %d after 3 steps: %v", name, k, err)
			}
		}
	}
}

func btoi(b bool) int {
	if b {
		return 1
	}
	return 0
}

// CheckStore stores three computed values into one buffer at consecutive
// offsets (one store, fused), with an Adam update in the same plan, and
// checks the buffer: the values where they were stored (computed before the
// update), its other elements untouched.
func CheckStore(t *testing.T, b engine.Backend, opts engine.PlanOptions) {
	t.Helper()
	g := engine.NewGraph()
	r := rand.New(rand.NewPCG(8, 8))
	x := g.Input("x", 5)
	dst := g.Input("dst", 9)
	loss := engine.Sum(engine.Square(x), 0)
	other := engine.Scale(x, 0.5)
	third := engine.SumTo(other, 1)
	upd := engine.Adam(x, g.Input("m", 5), g.Input("v", 5), other, g.Input("rate", 1), 0, 0.9, 1e-8)
	// The three stores are at consecutive offsets: fused, one kernel.
	effects := []*engine.Node{engine.Store(dst, other, 1), engine.Store(dst, third, 6), engine.Store(dst, loss, 7), upd}
	plan := engine.NewPlanWith([]*engine.Node{loss}, effects, opts)
	stores := 0
	for _, n := range plan.Steps {
		if _, ok := n.Op().(engine.StoreOp); ok {
			stores++
		}
	}
	if want := 1 + 2*btoi(opts.Unfused); stores != want {
		t.Errorf("three stores at consecutive offsets plan as %d, want %d", stores, want)
	}
	xv := Random(r, 5, -1, 1)
	dv := Random(r, 9, -1, 1)
	bufs := map[*engine.Node]engine.Buffer{}
	for _, in := range plan.Inputs {
		buf, err := b.NewBuffer(in.Shape().Size())
		if err != nil {
			t.Fatal(err)
		}
		bufs[in] = buf
	}
	if err := bufs[x].WriteFloat64(xv); err != nil {
		t.Fatal(err)
	}
	if err := bufs[dst].WriteFloat64(dv); err != nil {
		t.Fatal(err)
	}
	rate, _ := g.LookupInput("rate")
	if err := bufs[rate].WriteFloat64([]float64{0.1}); err != nil {
		t.Fatal(err)
	}
	prog, err := b.Compile(plan, bufs)
	if err != nil {
		t.Fatal(err)
	}
	if err := prog.Run(); err != nil {
		t.Fatal(err)
	}
	got := make([]float64, 9)
	if err := bufs[dst].ReadFloat64(got); err != nil {
		t.Fatal(err)
	}
	want := append([]float64{}, dv...)
	var ss, half float64
	for i, v := range xv {
		ss += v * v
		half += 0.5 * v
		want[1+i] = 0.5 * v
	}
	want[6], want[7] = half, ss
	if err := Compare(got, want, Tolerance{Rel: 1e-6}); err != nil {
		t.Errorf("store: %v", err)
	}
	if float32(got[0]) != float32(dv[0]) || float32(got[8]) != float32(dv[8]) {
		t.Errorf("store wrote outside its range: %v, had %v", got, dv)
	}
}

// CheckConstants runs a plan whose concat of fills no input reaches (the
// planner hoists it, unless opts.Unfused: Plan.Init) three times, another
// program of the backend in between (the programs of a backend may share
// scratch memory), and checks every run's values.
func CheckConstants(t *testing.T, b engine.Backend, opts engine.PlanOptions) {
	t.Helper()
	r := rand.New(rand.NewPCG(9, 9))
	g := engine.NewGraph()
	x := g.Input("x", 6)
	c := engine.Concat(engine.Fill(g, -1, 3), engine.Fill(g, 2, 3))
	y := engine.Mul(x, c)
	z := engine.SumTo(engine.Mul(engine.Square(x), c), 1)
	plan := engine.NewPlanWith([]*engine.Node{y, z}, nil, opts)
	if want := 3 * (1 - btoi(opts.Unfused)); plan.Init != want {
		t.Errorf("the plan hoists %d constant steps, want %d:\n%v", plan.Init, want, plan)
	}
	// The other program, compiled first, writes values of 4096 elements
	// to scratch slots (the operand and the result of a matrix product).
	h := engine.NewGraph()
	u := h.Input("u", 64, 64)
	th := engine.Tanh(engine.Scale(u, 3))
	other := engine.SumTo(engine.MatMul(th, th, false, true), 1, 1)
	ubuf, err := b.NewBuffer(64 * 64)
	if err != nil {
		t.Fatal(err)
	}
	if err := ubuf.WriteFloat64(Random(r, 64*64, -1, 1)); err != nil {
		t.Fatal(err)
	}
	op, err := b.Compile(engine.NewPlanWith([]*engine.Node{other}, nil, opts), map[*engine.Node]engine.Buffer{u: ubuf})
	if err != nil {
		t.Fatal(err)
	}
	defer op.Release()
	xbuf, err := b.NewBuffer(6)
	if err != nil {
		t.Fatal(err)
	}
	prog, err := b.Compile(plan, map[*engine.Node]engine.Buffer{x: xbuf})
	if err != nil {
		t.Fatal(err)
	}
	defer prog.Release()
	for run := range 3 {
		xv := Random(r, 6, -1, 1)
		if err := xbuf.WriteFloat64(xv); err != nil {
			t.Fatal(err)
		}
		if err := prog.Run(); err != nil {
			t.Fatal(err)
		}
		wy, wz := make([]float64, 6), []float64{0}
		for i, v := range xv {
			k := []float64{-1, 2}[i/3]
			wy[i], wz[0] = k*v, wz[0]+k*v*v
		}
		got := make([]float64, 6)
		if err := prog.Output(0).ReadFloat64(got); err != nil {
			t.Fatal(err)
		}
		if err := Compare(got, wy, Tolerance{Rel: 1e-6}); err != nil {
			t.Errorf("run %d: x·c: %v", run, err)
		}
		if err := prog.Output(1).ReadFloat64(got[:1]); err != nil {
			t.Fatal(err)
		}
		if err := Compare(got[:1], wz, Tolerance{Rel: 1e-5}); err != nil {
			t.Errorf("run %d: Σx²·c: %v", run, err)
		}
		if err := op.Run(); err != nil {
			t.Fatal(err)
		}
	}
}
