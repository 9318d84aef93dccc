package cpu

import (
	"fmt"
	"math"

	"github.com/wgangp/wgangp/engine"
)

// grain is the number of elements below which an elementwise kernel runs on
// one core: splitting smaller work costs more than it saves.
const grain = 1 << 14

// unaryLoop computes d[i] = fn(x[i]) with parameter alpha: a specialised
// loop for each function of the table, the table's float64 function else.
// For float32 a vector loop (unaryVec, piecewiseVec: amd64) does what it
// can first, the same operations in lanes, so the results are those of the
// Go loops bit for bit.
func unaryLoop[T Float](fn engine.UnaryFn, alpha float64, d, x []T) {
	x = x[:len(d)]
	if d32, ok := any(d).([]float32); ok {
		n := unaryVec(fn, float32(alpha), d32, any(x).([]float32))
		d, x = d[n:], x[n:]
	}
	a := T(alpha)
	switch fn {
	case engine.FnScale:
		for i, v := range x {
			d[i] = a * v
		}
	case engine.FnAddConst:
		for i, v := range x {
			d[i] = v + a
		}
	case engine.FnSquare:
		for i, v := range x {
			d[i] = v * v
		}
	case engine.FnSqrt:
		for i, v := range x {
			d[i] = T(math.Sqrt(float64(v)))
		}
	case engine.FnRsqrt:
		for i, v := range x {
			d[i] = T(1 / math.Sqrt(float64(v)))
		}
	case engine.FnTanh:
		if d32, ok := any(d).([]float32); ok { // float32: tanh32, in lanes where it can
			x32 := any(x).([]float32)
			n := tanhVec(d32, x32)
			for i, v := range x32[n:] {
				d32[n+i] = tanh32(v)
			}
			return
		}
		for i, v := range x {
			d[i] = T(math.Tanh(float64(v)))
		}
	case engine.FnSigmoid:
		for i, v := range x {
			d[i] = T(1 / (1 + math.Exp(-float64(v))))
		}
	case engine.FnRelu, engine.FnLeakyRelu, engine.FnStep, engine.FnLeakyMask:
		piecewise(fn, alpha, d, x)
	default: // no specialised loop: the table's float64 function
		f := fn.Info().Eval
		for i, v := range x {
			d[i] = T(f(float64(v), alpha))
		}
	}
}

// binaryLoop computes d[i] = fn(a[i], b[i]). For float32 a vector loop
// (binaryVec: amd64) does what it can first, as unaryLoop.
func binaryLoop[T Float](fn engine.BinaryFn, d, a, b []T) {
	a, b = a[:len(d)], b[:len(d)]
	if d32, ok := any(d).([]float32); ok {
		n := binaryVec(fn, d32, any(a).([]float32), any(b).([]float32))
		d, a, b = d[n:], a[n:], b[n:]
	}
	switch fn {
	case engine.FnAdd:
		for i := range d {
			d[i] = a[i] + b[i]
		}
	case engine.FnSub:
		for i := range d {
			d[i] = a[i] - b[i]
		}
	case engine.FnMul:
		for i := range d {
			d[i] = a[i] * b[i]
		}
	case engine.FnDiv:
		for i := range d {
			d[i] = a[i] / b[i]
		}
	default: // no specialised loop: the table's float64 function
		f := fn.Info().Eval
		for i := range d {
			d[i] = T(f(float64(a[i]), float64(b[i])))
		}
	}
}

// adamKernel updates parameters in place (engine.AdamOp), each
//
//	m = β1·m + (1-β1)·g;  v = β2·v + (1-β2)·g²;  p -= rate · m / (√v + ε)
type adamKernel[T Float] struct {
	op     engine.AdamOp
	params [][4][]T // p, m, v, g of each
	rate   []T
	at     int // the parameter Run updates
}

func (k *adamKernel[T]) run(p *Pool) {
	for k.at = range k.params {
		p.For(k, len(k.params[k.at][0]), grain)
	}
}

func (k *adamKernel[T]) Run(lo, hi int) {
	b1, b2, eps := k.op.Beta1, k.op.Beta2, k.op.Eps
	rate := float64(k.rate[0])
	q := k.params[k.at]
	p, m, v, g := q[0][lo:hi], q[1][lo:hi], q[2][lo:hi], q[3][lo:hi]
	for i := range p {
		gi := float64(g[i])
		mi := b1*float64(m[i]) + (1-b1)*gi
		vi := b2*float64(v[i]) + (1-b2)*gi*gi
		m[i], v[i] = T(mi), T(vi)
		p[i] = T(float64(p[i]) - rate*mi/(math.Sqrt(vi)+eps))
	}
}

// collapse describes a broadcast between a full shape and a reduced one
// (same rank; reduced dims are 1 or equal) as alternating runs of kept and
// reduced dimensions, merged where adjacent dimensions behave alike and
// with dimensions of size 1 dropped.
type collapsed struct {
	size    []int  // size of each merged dimension, outermost first
	reduced []bool // whether the reduced shape has 1 there
}

func collapse(full, small engine.Shape) collapsed {
	var c collapsed
	c.size, c.reduced = engine.MergeDims(full, small)
	if len(c.size) == 0 {
		c.size, c.reduced = []int{1}, []bool{false}
	}
	return c
}

// strides returns, for each merged dimension, its stride in the full
// (row-major) tensor and in the small one (0 where reduced).
func (c collapsed) strides() (full, small []int) {
	full, small = make([]int, len(c.size)), make([]int, len(c.size))
	fs, ss := 1, 1
	for i := len(c.size) - 1; i >= 0; i-- {
		full[i] = fs
		fs *= c.size[i]
		if !c.reduced[i] {
			small[i] = ss
			ss *= c.size[i]
		}
	}
	return full, small
}

// piecewise computes the functions that are one thing where x > 0 and
// another elsewhere without a branch per element (the signs of activations
// are random, so a branch mispredicts half the time): both sides are
// computed and one is chosen by a mask made from the sign bit.
//
//	relu: x | 0   leakyrelu: x | αx   step: 1 | 0   leakymask: 1 | α
//
// x > 0 is decided on the bits as an integer, so +NaN counts as positive
// and -0 does not; a side with factor 0 is its constant alone (not 0·x,
// which is NaN for ±Inf), and a side's product is rounded before its sum
// (no fused multiply-add), so that piecewiseVec can match it.
func piecewise[T Float](fn engine.UnaryFn, alpha float64, d, x []T) {
	var hiX, loX, hiC, loC float64 // where x > 0: hiX·x + hiC; else loX·x + loC
	switch fn {
	case engine.FnRelu:
		hiX = 1
	case engine.FnLeakyRelu:
		hiX, loX = 1, alpha
	case engine.FnStep:
		hiC = 1
	case engine.FnLeakyMask:
		hiC, loC = 1, alpha
	}
	switch d := any(d).(type) {
	case []float32:
		x := any(x).([]float32)
		hx, lx, hc, lc := float32(hiX), float32(loX), float32(hiC), float32(loC)
		n := piecewiseVec(d, x, hx, hc, lx, lc)
		d, x = d[n:], x[n:]
		for i, v := range x {
			b := int32(math.Float32bits(v))
			m := uint32((-b & ^b) >> 31) // all ones where v > 0
			hi, lo := math.Float32bits(float32(hx*v)+hc), math.Float32bits(float32(lx*v)+lc)
			if hx == 0 {
				hi = math.Float32bits(hc)
			}
			if lx == 0 {
				lo = math.Float32bits(lc)
			}
			d[i] = math.Float32frombits(hi&m | lo&^m)
		}
	case []float64:
		x := any(x).([]float64)
		for i, v := range x {
			b := int64(math.Float64bits(v))
			m := uint64((-b & ^b) >> 63)
			hi, lo := math.Float64bits(float64(hiX*v)+hiC), math.Float64bits(float64(loX*v)+loC)
			if hiX == 0 {
				hi = math.Float64bits(hiC)
			}
			if loX == 0 {
				lo = math.Float64bits(loC)
			}
			d[i] = math.Float64frombits(hi&m | lo&^m)
		}
	default: // a named float type; d itself is not printed, so that it stays on the stack
		var zero T
		panic(fmt.Sprintf("cpu: piecewise of []%T", zero))
	}
}
