// Package backendtest is the conformance suite that every engine.Backend
// runs: each op on random inputs (odd sizes, stride 2, asymmetric padding,
// batch 1 and 3) against Reference, a deliberately naive float64
// interpreter of the graph that shares no code with any backend.
package backendtest

import (
	"fmt"

	"github.com/wgangp/wgangp/engine"
)

// Reference evaluates outputs with the plainest loops there are, in float64.
// feeds holds the value of every input needed.
func Reference(outputs []*engine.Node, feeds map[*engine.Node][]float64) [][]float64 {
	vals := map[*engine.Node][]float64{}
	var eval func(n *engine.Node) []float64
	eval = func(n *engine.Node) []float64 {
		if v, ok := vals[n]; ok {
			return v
		}
		var args [][]float64
		for _, in := range n.Inputs() {
			args = append(args, eval(in))
		}
		v := refOp(n, args, feeds)
		vals[n] = v
		return v
	}
	out := make([][]float64, len(outputs))
	for i, n := range outputs {
		out[i] = eval(n)
	}
	return out
}

func refOp(n *engine.Node, a [][]float64, feeds map[*engine.Node][]float64) []float64 {
	out := make([]float64, n.Shape().Size())
	switch op := n.Op().(type) {
	case engine.InputOp:
		v, ok := feeds[n]
		if !ok {
			panic(fmt.Sprintf("backendtest: no value for %v", n))
		}
		return v
	case engine.FillOp:
		for i := range out {
			out[i] = op.Value
		}
	case engine.UnaryOp:
		f := op.Fn.Info().Eval
		for i, x := range a[0] {
			out[i] = f(x, op.Alpha)
		}
	case engine.BinaryOp:
		f := op.Fn.Info().Eval
		for i := range out {
			out[i] = f(a[0][i], a[1][i])
		}
	case engine.ReshapeOp:
		copy(out, a[0])
	case engine.ConcatOp:
		out = out[:0]
		for _, x := range a {
			out = append(out, x...)
		}
	case engine.SliceOp:
		lo := op.Offset(n.Input(0).Shape())
		copy(out, a[0][lo:lo+len(out)])
	case engine.BroadcastOp:
		small := n.Input(0).Shape()
		for i := range out {
			out[i] = a[0][project(i, n.Shape(), small)]
		}
	case engine.SumToOp:
		full := n.Input(0).Shape()
		for i, x := range a[0] {
			out[project(i, full, n.Shape())] += x
		}
	case engine.MatMulOp:
		m, k, nn := op.Dims(n.Input(0).Shape(), n.Input(1).Shape())
		for i := 0; i < m; i++ {
			for j := 0; j < nn; j++ {
				s := 0.0
				for l := 0; l < k; l++ {
					ai := i*k + l
					if op.TransA {
						ai = l*m + i
					}
					bi := l*nn + j
					if op.TransB {
						bi = j*k + l
					}
					s += a[0][ai] * a[1][bi]
				}
				out[i*nn+j] = s
			}
		}
	case engine.Conv2DOp:
		g := op.Geom(n.Input(0).Shape(), n.Input(1).Shape())
		convTaps(g, func(xi, wi, yi int) { out[yi] += a[0][xi] * a[1][wi] })
	case engine.ConvTransposeOp:
		g := op.Geom(n.Input(0).Shape(), n.Input(1).Shape())
		convTaps(g, func(xi, wi, yi int) { out[xi] += a[0][yi] * a[1][wi] })
	case engine.ConvFilterOp:
		g := op.Geom(n.Input(0).Shape(), n.Input(1).Shape())
		convTaps(g, func(xi, wi, yi int) { out[wi] += a[0][xi] * a[1][yi] })
	default:
		panic(fmt.Sprintf("backendtest: no reference for %v", n))
	}
	return out
}

// project maps flat index i of shape full to the flat index of shape small
// (same rank, dims 1 or equal) with the reduced coordinates set to 0.
func project(i int, full, small engine.Shape) int {
	j, stride := 0, 1
	for d := len(full) - 1; d >= 0; d-- {
		c := i % full[d]
		i /= full[d]
		if small[d] != 1 {
			j += c * stride
		}
		stride *= small[d]
	}
	return j
}

// convTaps calls f(x index, w index, y index) for every multiply-add of the
// convolution of geometry g (engine.ConvGeom), skipping taps in the padding.
func convTaps(g engine.ConvGeom, f func(xi, wi, yi int)) {
	for n := 0; n < g.N; n++ {
		for o := 0; o < g.O; o++ {
			for i := 0; i < g.OH; i++ {
				for j := 0; j < g.OW; j++ {
					yi := ((n*g.O+o)*g.OH+i)*g.OW + j
					for c := 0; c < g.C; c++ {
						for p := 0; p < g.KH; p++ {
							h := i*g.Stride + p - g.Pad.Top
							if h < 0 || h >= g.H {
								continue
							}
							for q := 0; q < g.KW; q++ {
								w := j*g.Stride + q - g.Pad.Left
								if w < 0 || w >= g.W {
									continue
								}
								f(((n*g.C+c)*g.H+h)*g.W+w, ((o*g.C+c)*g.KH+p)*g.KW+q, yi)
							}
						}
					}
				}
			}
		}
	}
}
