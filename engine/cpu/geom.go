package cpu

import "github.com/wgangp/wgangp/engine"

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

// Validate reports whether g is a geometry the kernels accept, by the
// engine's one set of rules (engine.ConvGeom.Validate), with the bottom and
// right pads those implied by OH and OW, or 0 where the implied pad is
// negative (the last rows or columns never read, as rounding down leaves
// them).
func (g ConvGeom) Validate() error {
	return g.engine().Validate()
}

// engine is g as the engine's geometry.
func (g ConvGeom) engine() engine.ConvGeom {
	return engine.ConvGeom{N: g.N, C: g.C, H: g.H, W: g.W, O: g.O, KH: g.KH, KW: g.KW,
		OH: g.OH, OW: g.OW, Stride: g.Stride,
		Pad: engine.Padding{Top: g.PadT, Left: g.PadL, Bottom: max(0, g.PadB()), Right: max(0, g.PadR())}}
}

func (g ConvGeom) mustValidate(kernel string) {
	if err := g.Validate(); err != nil {
		panic("cpu." + kernel + ": " + err.Error())
	}
}
