//go:build amd64 && !purego

package cpu

import "github.com/wgangp/wgangp/engine"

// The float32 elementwise loops in assembly (elementwise_amd64.s), each the
// same IEEE operation per lane as its Go loop in elementwise.go, so results
// are bit for bit those of the Go loops. They do the first len(d)&^7
// elements, with AVX-512F (16 lanes) or AVX2 (8 lanes); the Go loops do
// the rest and everything else.

//go:noescape
func binary32Y(op int, d, a, b *float32, n int)

//go:noescape
func binary32Z(op int, d, a, b *float32, n int)

//go:noescape
func unary32Y(op int, d, x *float32, n int, alpha float32)

//go:noescape
func unary32Z(op int, d, x *float32, n int, alpha float32)

//go:noescape
func piecewise32Y(mode int, d, x *float32, n int, hx, hc, lx, lc float32)

//go:noescape
func piecewise32Z(mode int, d, x *float32, n int, hx, hc, lx, lc float32)

// binaryOps is the kernels' code of each function with a vector loop
// (add 0, sub 1, mul 2, div 3), -1 for the others.
var binaryOps = func() (ops [engine.NumBinaryFns]int8) {
	for i := range ops {
		ops[i] = -1
	}
	ops[engine.FnAdd], ops[engine.FnSub], ops[engine.FnMul], ops[engine.FnDiv] = 0, 1, 2, 3
	return ops
}()

// unaryOps is the same for unary functions (scale 0, addconst 1, square 2,
// sqrt 3, rsqrt 4); the piecewise ones have piecewiseVec.
var unaryOps = func() (ops [engine.NumUnaryFns]int8) {
	for i := range ops {
		ops[i] = -1
	}
	ops[engine.FnScale], ops[engine.FnAddConst], ops[engine.FnSquare] = 0, 1, 2
	ops[engine.FnSqrt], ops[engine.FnRsqrt] = 3, 4
	return ops
}()

// binaryVec computes d[i] = fn(a[i], b[i]) for i < n with vector
// instructions and returns n: len(d)&^7, or 0 where there is no vector loop
// for fn. a and b are at least as long as d.
func binaryVec(fn engine.BinaryFn, d, a, b []float32) int {
	n := len(d) &^ 7
	if n == 0 || !useAVX2 || binaryOps[fn] < 0 {
		return 0
	}
	_, _ = a[n-1], b[n-1]
	if useAVX512 {
		binary32Z(int(binaryOps[fn]), &d[0], &a[0], &b[0], n)
	} else {
		binary32Y(int(binaryOps[fn]), &d[0], &a[0], &b[0], n)
	}
	return n
}

// unaryVec is binaryVec for d[i] = fn(x[i]) with parameter alpha, for the
// functions with a loop in unaryOps.
func unaryVec(fn engine.UnaryFn, alpha float32, d, x []float32) int {
	n := len(d) &^ 7
	if n == 0 || !useAVX2 || unaryOps[fn] < 0 {
		return 0
	}
	_ = x[n-1]
	if useAVX512 {
		unary32Z(int(unaryOps[fn]), &d[0], &x[0], n, alpha)
	} else {
		unary32Y(int(unaryOps[fn]), &d[0], &x[0], n, alpha)
	}
	return n
}

// piecewiseVec is binaryVec for piecewise's float32 loop:
// d[i] = x[i] > 0 ? hx·x[i] + hc : lx·x[i] + lc, where a side whose factor
// is 0 is its constant alone.
func piecewiseVec(d, x []float32, hx, hc, lx, lc float32) int {
	n := len(d) &^ 7
	if n == 0 || !useAVX2 {
		return 0
	}
	_ = x[n-1]
	mode := 0
	if hx != 0 {
		mode |= 1
	}
	if lx != 0 {
		mode |= 2
	}
	if useAVX512 {
		piecewise32Z(mode, &d[0], &x[0], n, hx, hc, lx, lc)
	} else {
		piecewise32Y(mode, &d[0], &x[0], n, hx, hc, lx, lc)
	}
	return n
}

//go:noescape
func tanh32Y(d, x *float32, n int)

//go:noescape
func tanh32Z(d, x *float32, n int)

// tanhVec computes d[i] = tanh32(x[i]) for the first len(d)&^7 elements
// and returns their number (0 without AVX2).
func tanhVec(d, x []float32) int {
	n := len(d) &^ 7
	if n == 0 || !useAVX2 {
		return 0
	}
	_ = x[n-1]
	if useAVX512 {
		tanh32Z(&d[0], &x[0], n)
	} else {
		tanh32Y(&d[0], &x[0], n)
	}
	return n
}

//go:noescape
func sum32(x *float32, n int) float64

// sumVec is the float64 sum of the first len(v)&^15 elements as sum16Go
// makes it, and their number (0 without AVX2).
func sumVec(v []float32) (float64, int) {
	n := len(v) &^ 15
	if n == 0 || !useAVX2 {
		return 0, 0
	}
	return sum32(&v[0], n), n
}
