package cpu

import "fmt"

// ConvGeom is the geometry of one convolution-family instance (NCHW).
//
//	x: [N, C, H, W]   w: [O, C, KH, KW]   y: [N, O, OH, OW]
//	y[n,o,i,j] = Σ_{c,p,q} x[n, c, i*Stride+p-PadT, j*Stride+q-PadL] * w[o,c,p,q]
//
// with x read as zero outside [0,H)×[0,W). The bottom and right padding are
// implied by OH and OW: padB = (OH-1)*Stride+KH-PadT-H, padR likewise. An
// implied pad may be negative (down to 1-Stride): the last input rows or
// columns are then never read, as when OH = (H+PadT+PadB-KH)/Stride+1 rounds
// down.
type ConvGeom struct {
	N, C, H, W int
	O, KH, KW  int
	OH, OW     int
	Stride     int
	PadT, PadL int
}

// FLOPs is 2*N*O*OH*OW*C*KH*KW: one multiply and one add per term.
func (g ConvGeom) FLOPs() int64 {
	return 2 * int64(g.N) * int64(g.O) * int64(g.OH) * int64(g.OW) *
		int64(g.C) * int64(g.KH) * int64(g.KW)
}

// PadB is the implied bottom padding, (OH-1)*Stride+KH-PadT-H.
func (g ConvGeom) PadB() int { return (g.OH-1)*g.Stride + g.KH - g.PadT - g.H }

// PadR is the implied right padding, (OW-1)*Stride+KW-PadL-W.
func (g ConvGeom) PadR() int { return (g.OW-1)*g.Stride + g.KW - g.PadL - g.W }

// Validate reports whether g is a geometry the kernels accept: all sizes
// positive, Stride >= 1, 0 <= PadT < KH, 0 <= PadL < KW, and implied
// bottom/right pads in [1-Stride, KH) and [1-Stride, KW).
func (g ConvGeom) Validate() error {
	switch {
	case g.N < 1 || g.C < 1 || g.H < 1 || g.W < 1 || g.O < 1 || g.KH < 1 || g.KW < 1 ||
		g.OH < 1 || g.OW < 1:
		return fmt.Errorf("conv geometry %+v: sizes must be positive", g)
	case g.Stride < 1:
		return fmt.Errorf("conv geometry %+v: stride must be >= 1", g)
	case g.PadT < 0 || g.PadT >= g.KH || g.PadL < 0 || g.PadL >= g.KW:
		return fmt.Errorf("conv geometry %+v: pads must be in [0, kernel size)", g)
	}
	if b := g.PadB(); b <= -g.Stride || b >= g.KH {
		return fmt.Errorf("conv geometry %+v: implied bottom pad %d not in [1-Stride, KH)", g, b)
	}
	if r := g.PadR(); r <= -g.Stride || r >= g.KW {
		return fmt.Errorf("conv geometry %+v: implied right pad %d not in [1-Stride, KW)", g, r)
	}
	return nil
}

func (g ConvGeom) mustValidate(kernel string) {
	if err := g.Validate(); err != nil {
		panic("cpu." + kernel + ": " + err.Error())
	}
}
