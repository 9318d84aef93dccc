package backendtest

import (
	"fmt"
	"math/rand/v2"

	"github.com/wgangp/wgangp/engine"
)

// RandomCases are n random DAGs of elementwise ops, broadcasts (on every
// axis), reshapes and sums over random axes, on random shapes with odd
// sizes and dimensions of 1: the cases that exercise the fusion pass. Case
// k is the same DAG on every run and every backend. Some intermediate
// values are outputs too, so groups are cut where a value must be kept.
func RandomCases(n int) []Case {
	cs := make([]Case, n)
	for k := range cs {
		seed := uint64(k)
		cs[k] = Case{fmt.Sprintf("random-dag/%d", k), func(g *engine.Graph, _ *rand.Rand) ([]*engine.Node, map[*engine.Node][]float64) {
			return randomDAG(g, rand.New(rand.NewPCG(seed, 0x5eed)))
		}}
	}
	return cs
}

var dagDims = []int{1, 2, 3, 4, 5, 7, 8, 13, 17, 64, 65}

func randomDAG(g *engine.Graph, r *rand.Rand) ([]*engine.Node, map[*engine.Node][]float64) {
	rank := 1 + r.IntN(4)
	full := make(engine.Shape, rank)
	for {
		for i := range full {
			full[i] = dagDims[r.IntN(len(dagDims))]
		}
		if s := full.Size(); s >= 2 && s <= 6000 {
			break
		}
	}
	// small returns full with a random set of dimensions set to 1.
	small := func() engine.Shape {
		s := full.Clone()
		for i := range s {
			if r.IntN(2) == 0 {
				s[i] = 1
			}
		}
		return s
	}
	f := map[*engine.Node][]float64{}
	var vals []*engine.Node // every value has shape full
	for i := range 2 + r.IntN(3) {
		vals = append(vals, input(g, r, f, fmt.Sprintf("x%d", i), -1, 1, full...))
	}
	for i := range 1 + r.IntN(3) {
		s := small()
		v := input(g, r, f, fmt.Sprintf("s%d", i), -1, 1, s...)
		vals = append(vals, engine.BroadcastTo(v, full...))
	}
	pick := func() *engine.Node {
		// Recent values more often: long chains, as in a network.
		if r.IntN(3) > 0 {
			return vals[len(vals)-1-r.IntN(min(3, len(vals)))]
		}
		return vals[r.IntN(len(vals))]
	}
	positive := func(v *engine.Node) *engine.Node { return engine.AddConst(engine.Square(v), 0.25) }
	var outs []*engine.Node
	steps := 3 + r.IntN(18)
	for range steps {
		var v *engine.Node
		switch op := r.IntN(10); {
		case op < 4: // a unary function, on its domain
			fn := engine.UnaryFn(r.IntN(int(engine.NumUnaryFns)))
			x := pick()
			if fn.Info().Domain[0] > 0 {
				x = positive(x)
			}
			alpha := 0.1 + r.Float64()
			v = engine.Unary(fn, alpha, x)
		case op < 7: // a binary function, the divisor kept from zero
			fn := engine.BinaryFn(r.IntN(int(engine.NumBinaryFns)))
			a, b := pick(), pick()
			if fn == engine.FnDiv {
				b = positive(b)
			}
			v = engine.Binary(fn, a, b)
		case op < 9: // a sum over random axes, then ops on the sum (an epilogue), broadcast back
			s := small()
			v = engine.SumTo(pick(), s...)
			switch r.IntN(3) {
			case 1:
				v = engine.Rsqrt(engine.AddConst(engine.Scale(engine.Square(v), 0.5), 0.1))
			case 2:
				w := input(g, r, f, fmt.Sprintf("e%d", len(vals)), -1, 1, s...)
				v = engine.Mul(engine.Tanh(v), w)
			}
			v = engine.BroadcastTo(v, full...)
		default: // a reshape there and back
			x := pick()
			v = engine.Reshape(engine.Reshape(engine.Tanh(x), full.Size()), full...)
		}
		vals = append(vals, v)
		if r.IntN(5) == 0 {
			outs = append(outs, v)
		}
	}
	outs = append(outs, vals[len(vals)-1])
	// And a reduction of the result to a random small shape, as the losses do.
	outs = append(outs, engine.SumTo(engine.Square(vals[len(vals)-1]), small()...))
	return outs, f
}
