package engine

import "fmt"

// Padding is the zero padding of a convolution's input, in pixels:
// Top, Left, Bottom, Right. MATLAB's "same" padding of a 5×5 stride-2
// convolution is {1, 1, 2, 2}.
type Padding struct{ Top, Left, Bottom, Right int }

// ConvGeom is the geometry shared by the convolution family (NCHW):
//
//	x [N,C,H,W], w [O,C,KH,KW], y [N,O,OH,OW]
//	y[n,o,i,j] = Σ_{c,p,q} x[n,c,i·S+p-Top,j·S+q-Left]·w[o,c,p,q]
//
// with x read as zero outside its bounds. Conv2D maps x to y; ConvTranspose
// is its adjoint in x (y to x); ConvFilter its adjoint in w.
type ConvGeom struct {
	N, C, H, W int
	O, KH, KW  int
	OH, OW     int
	Stride     int
	Pad        Padding
}

// FLOPs counts the multiply-adds of one op of the family, twice.
func (g ConvGeom) FLOPs() int64 {
	return 2 * int64(g.N) * int64(g.O) * int64(g.OH) * int64(g.OW) * int64(g.C) * int64(g.KH) * int64(g.KW)
}

// convOut is the output size of a convolution; 0 where there is none (a
// stride below 1 or a kernel larger than the padded input), which Validate
// refuses.
func convOut(in, k, stride, padA, padB int) int {
	if stride < 1 || in+padA+padB < k {
		return 0
	}
	return (in+padA+padB-k)/stride + 1
}

// Validate reports whether g is a geometry every backend runs, the one set
// of rules the graph, the CPU kernels and the WebGPU shaders all check:
// every size positive, Stride ≥ 1, each pad in [0, kernel size) on its
// axis, and OH, OW the sizes these pads give:
// OH = (H+Top+Bottom-KH)/Stride + 1 (rounded down), OW likewise. A pad as
// large as the kernel would make rows of the output that read no input.
func (g ConvGeom) Validate() error {
	switch {
	case g.Stride < 1:
		return fmt.Errorf("conv geometry %+v: stride must be ≥ 1", g)
	case g.N < 1 || g.C < 1 || g.H < 1 || g.W < 1 || g.O < 1 || g.KH < 1 || g.KW < 1 ||
		g.OH < 1 || g.OW < 1:
		return fmt.Errorf("conv geometry %+v: sizes must be positive", g)
	case g.Pad.Top < 0 || g.Pad.Top >= g.KH || g.Pad.Bottom < 0 || g.Pad.Bottom >= g.KH ||
		g.Pad.Left < 0 || g.Pad.Left >= g.KW || g.Pad.Right < 0 || g.Pad.Right >= g.KW:
		return fmt.Errorf("conv geometry %+v: pads must be in [0, kernel size)", g)
	case g.H+g.Pad.Top+g.Pad.Bottom < g.KH || g.W+g.Pad.Left+g.Pad.Right < g.KW:
		return fmt.Errorf("conv geometry %+v: the kernel is larger than the padded input", g)
	case g.OH != convOut(g.H, g.KH, g.Stride, g.Pad.Top, g.Pad.Bottom) ||
		g.OW != convOut(g.W, g.KW, g.Stride, g.Pad.Left, g.Pad.Right):
		return fmt.Errorf("conv geometry %+v: output %dx%d does not follow from input and pads (%dx%d)", g, g.OH, g.OW,
			convOut(g.H, g.KH, g.Stride, g.Pad.Top, g.Pad.Bottom), convOut(g.W, g.KW, g.Stride, g.Pad.Left, g.Pad.Right))
	}
	return nil
}

func (g ConvGeom) check(op string) {
	if err := g.Validate(); err != nil {
		panic(fmt.Sprintf("engine: %s: %v", op, err))
	}
}

// TransposePhase is one dimension of phase r of a transposed convolution
// (ConvTranspose, the adjoint of a stride-s convolution): the output
// positions h = s·a + r for a < N take the taps p = P0 + s·(U-1-t) for
// t < U, reading dy at a + t - Pad. Both backends split a transposed
// convolution into these s×s phases (dense GEMMs without the zeros a
// strided scatter would multiply).
type TransposePhase struct{ N, U, P0, Pad int }

// PhaseOf returns one dimension of phase r of the transposed convolution
// of stride s, kernel size k and leading padding pad that restores an
// input of size size.
func PhaseOf(r, s, k, pad, size int) TransposePhase {
	p0 := (r + pad) % s
	ph := TransposePhase{N: (size - r + s - 1) / s, P0: p0}
	if p0 < k {
		ph.U = (k - p0 + s - 1) / s
	}
	ph.Pad = ph.U - 1 - (r+pad-p0)/s
	return ph
}

func need4(op string, s Shape) {
	if len(s) != 4 {
		panic(fmt.Sprintf("engine: %s needs 4-d operands, got %v", op, s))
	}
}

// Conv2DOp is a 2-d convolution (cross-correlation, as in PyTorch):
// inputs x [N,C,H,W] and w [O,C,KH,KW], output [N,O,OH,OW].
type Conv2DOp struct {
	Stride int
	Pad    Padding
}

func (o Conv2DOp) String() string { return fmt.Sprintf("conv2d s%d p%v", o.Stride, o.Pad) }

// Geom is the geometry of this op on inputs of these shapes.
func (o Conv2DOp) Geom(x, w Shape) ConvGeom {
	need4("conv2d", x)
	need4("conv2d", w)
	if x[1] != w[1] {
		panic(fmt.Sprintf("engine: conv2d of x %v with w %v: channels differ", x, w))
	}
	g := ConvGeom{N: x[0], C: x[1], H: x[2], W: x[3], O: w[0], KH: w[2], KW: w[3], Stride: o.Stride, Pad: o.Pad}
	g.OH = convOut(g.H, g.KH, g.Stride, g.Pad.Top, g.Pad.Bottom)
	g.OW = convOut(g.W, g.KW, g.Stride, g.Pad.Left, g.Pad.Right)
	g.check("conv2d")
	return g
}

func (o Conv2DOp) Shape(in []Shape) Shape {
	g := o.Geom(in[0], in[1])
	return Shape{g.N, g.O, g.OH, g.OW}
}

// d conv(x,w) = (convT(dy, w), filter(x, dy))
func (o Conv2DOp) Grad(n, dy *Node) []*Node {
	x, w := n.inputs[0], n.inputs[1]
	return []*Node{
		ConvTranspose(dy, w, o.Stride, o.Pad, x.shape[2], x.shape[3]),
		ConvFilter(x, dy, o.Stride, o.Pad, w.shape[2], w.shape[3]),
	}
}

// Conv2D convolves x [N,C,H,W] with w [O,C,KH,KW].
func Conv2D(x, w *Node, stride int, pad Padding) *Node {
	return x.g.apply(Conv2DOp{Stride: stride, Pad: pad}, x, w)
}

// ConvTransposeOp is the adjoint of Conv2DOp in x (the data gradient, or a
// transposed convolution): inputs dy [N,O,OH,OW] and w [O,C,KH,KW], output
// [N,C,H,W]. A PyTorch ConvTranspose2d weight [in,out,kh,kw] is such a w.
// The padding of the convolution is the cropping of the transposed one.
type ConvTransposeOp struct {
	Stride int
	Pad    Padding
	H, W   int
}

func (o ConvTransposeOp) String() string {
	return fmt.Sprintf("convtranspose s%d p%v %dx%d", o.Stride, o.Pad, o.H, o.W)
}

// Geom is the geometry of the convolution this op is the adjoint of.
func (o ConvTransposeOp) Geom(dy, w Shape) ConvGeom {
	need4("convtranspose", dy)
	need4("convtranspose", w)
	g := ConvGeom{N: dy[0], C: w[1], H: o.H, W: o.W, O: w[0], KH: w[2], KW: w[3], OH: dy[2], OW: dy[3], Stride: o.Stride, Pad: o.Pad}
	if dy[1] != w[0] {
		panic(fmt.Sprintf("engine: convtranspose of %v with w %v: channels differ", dy, w))
	}
	g.check("convtranspose")
	return g
}

func (o ConvTransposeOp) Shape(in []Shape) Shape {
	g := o.Geom(in[0], in[1])
	return Shape{g.N, g.C, g.H, g.W}
}

// d convT(u,w) = (conv(dy, w), filter(dy, u))
func (o ConvTransposeOp) Grad(n, dy *Node) []*Node {
	u, w := n.inputs[0], n.inputs[1]
	return []*Node{
		Conv2D(dy, w, o.Stride, o.Pad),
		ConvFilter(dy, u, o.Stride, o.Pad, w.shape[2], w.shape[3]),
	}
}

// ConvTranspose maps dy [N,O,OH,OW] to [N,C,h,w] with w [O,C,KH,KW]: the
// adjoint of Conv2D(·, w, stride, pad) on inputs of size h×w.
func ConvTranspose(dy, w *Node, stride int, pad Padding, h, wd int) *Node {
	return dy.g.apply(ConvTransposeOp{Stride: stride, Pad: pad, H: h, W: wd}, dy, w)
}

// ConvFilterOp is the adjoint of Conv2DOp in w (the weight gradient):
// inputs x [N,C,H,W] and dy [N,O,OH,OW], output [O,C,KH,KW].
type ConvFilterOp struct {
	Stride int
	Pad    Padding
	KH, KW int
}

func (o ConvFilterOp) String() string {
	return fmt.Sprintf("convfilter s%d p%v %dx%d", o.Stride, o.Pad, o.KH, o.KW)
}

// Geom is the geometry of the convolution this op is the adjoint of.
func (o ConvFilterOp) Geom(x, dy Shape) ConvGeom {
	need4("convfilter", x)
	need4("convfilter", dy)
	if x[0] != dy[0] {
		panic(fmt.Sprintf("engine: convfilter of x %v with dy %v: batches differ", x, dy))
	}
	g := ConvGeom{N: x[0], C: x[1], H: x[2], W: x[3], O: dy[1], KH: o.KH, KW: o.KW, OH: dy[2], OW: dy[3], Stride: o.Stride, Pad: o.Pad}
	g.check("convfilter")
	return g
}

func (o ConvFilterOp) Shape(in []Shape) Shape {
	g := o.Geom(in[0], in[1])
	return Shape{g.O, g.C, g.KH, g.KW}
}

// d filter(x,u) = (convT(u, dy), conv(x, dy))
func (o ConvFilterOp) Grad(n, dy *Node) []*Node {
	x, u := n.inputs[0], n.inputs[1]
	return []*Node{
		ConvTranspose(u, dy, o.Stride, o.Pad, x.shape[2], x.shape[3]),
		Conv2D(x, dy, o.Stride, o.Pad),
	}
}

// ConvFilter is the weight gradient of Conv2D(x, ·, stride, pad) for the
// output gradient dy, for a kh×kw kernel.
func ConvFilter(x, dy *Node, stride int, pad Padding, kh, kw int) *Node {
	return x.g.apply(ConvFilterOp{Stride: stride, Pad: pad, KH: kh, KW: kw}, x, dy)
}

// Pads returns the padding {top, left, bottom, right}.
func Pads(top, left, bottom, right int) Padding {
	return Padding{Top: top, Left: left, Bottom: bottom, Right: right}
}
