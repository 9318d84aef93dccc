//go:build amd64 && !purego

#include "textflag.h"

// Vector loops of the float32 elementwise functions: elementwise.go has the
// Go loops they match bit for bit, elementwise_amd64.go the dispatch. Each
// lane does the IEEE operation of the Go loop with the same operands in the
// same order (the order decides which NaN comes out when both are NaN).
//
// The Y kernels (AVX2, 8 lanes) do the first n&^7 elements: 32 at a time,
// then 8 at a time. The Z kernels (AVX-512F, 16 lanes) do the same n&^7
// elements: 64 at a time, then 16, then one step of 8 with the Y macro. The
// caller does the last n%8 in Go.
//
// Registers: DI d, SI x (or a), DX b, CX elements left. A vector macro
// V(off, r, rh, t, th, u, k) computes the vector of d at byte offset off from
// the inputs at the same offset, using r (with rh its lower half: X for Y,
// Y for Z), the scratch t (th) and u, and the mask register k (Z only).
// Constants live in 12 to 15.

// The skeletons. Labels are the caller's, as they are per function.
#define LOOPY(V, l4, l1, l1b, end) \
	SUBQ $32, CX \
	JLT  l1 \
l4: \
	V(0, Y0, X0, Y4, X4, Y8, K1) \
	V(32, Y1, X1, Y5, X5, Y9, K1) \
	V(64, Y2, X2, Y6, X6, Y10, K1) \
	V(96, Y3, X3, Y7, X7, Y11, K1) \
	ADDQ $128, SI \
	ADDQ $128, DX \
	ADDQ $128, DI \
	SUBQ $32, CX \
	JGE  l4 \
l1: \
	ADDQ $24, CX \
	JLT  end \
l1b: \
	V(0, Y0, X0, Y4, X4, Y8, K1) \
	ADDQ $32, SI \
	ADDQ $32, DX \
	ADDQ $32, DI \
	SUBQ $8, CX \
	JGE  l1b \
end:

#define LOOPZ(VZ, VY, l4, l1, l1b, l8, end) \
	SUBQ $64, CX \
	JLT  l1 \
l4: \
	VZ(0, Z0, Y0, Z4, Y4, Z8, K1) \
	VZ(64, Z1, Y1, Z5, Y5, Z9, K2) \
	VZ(128, Z2, Y2, Z6, Y6, Z10, K3) \
	VZ(192, Z3, Y3, Z7, Y7, Z11, K4) \
	ADDQ $256, SI \
	ADDQ $256, DX \
	ADDQ $256, DI \
	SUBQ $64, CX \
	JGE  l4 \
l1: \
	ADDQ $48, CX \
	JLT  l8 \
l1b: \
	VZ(0, Z0, Y0, Z4, Y4, Z8, K1) \
	ADDQ $64, SI \
	ADDQ $64, DX \
	ADDQ $64, DI \
	SUBQ $16, CX \
	JGE  l1b \
l8: \
	CMPQ CX, $-8 \
	JLT  end \
	VY(0, Y0, X0, Y4, X4, Y8, K1) \
end:

// Binary: d = a op b (Go: MOVSS a, X; OPSS b, X).
#define ADDV(off, r, rh, t, th, u, k) \
	VMOVUPS off(SI), r \
	VADDPS  off(DX), r, r \
	VMOVUPS r, off(DI)

#define SUBV(off, r, rh, t, th, u, k) \
	VMOVUPS off(SI), r \
	VSUBPS  off(DX), r, r \
	VMOVUPS r, off(DI)

#define MULV(off, r, rh, t, th, u, k) \
	VMOVUPS off(SI), r \
	VMULPS  off(DX), r, r \
	VMOVUPS r, off(DI)

#define DIVV(off, r, rh, t, th, u, k) \
	VMOVUPS off(SI), r \
	VDIVPS  off(DX), r, r \
	VMOVUPS r, off(DI)

// func binary32Y(op int, d, a, b *float32, n int)
TEXT ·binary32Y(SB), NOSPLIT, $0-40
	MOVQ op+0(FP), AX
	MOVQ d+8(FP), DI
	MOVQ a+16(FP), SI
	MOVQ b+24(FP), DX
	MOVQ n+32(FP), CX
	CMPQ AX, $1
	JEQ  sub
	JGT  muldiv
	LOOPY(ADDV, add4, add1, add1b, addend)
	VZEROUPPER
	RET

sub:
	LOOPY(SUBV, sub4, sub1, sub1b, subend)
	VZEROUPPER
	RET

muldiv:
	CMPQ AX, $3
	JEQ  div
	LOOPY(MULV, mul4, mul1, mul1b, mulend)
	VZEROUPPER
	RET

div:
	LOOPY(DIVV, div4, div1, div1b, divend)
	VZEROUPPER
	RET

// func binary32Z(op int, d, a, b *float32, n int)
TEXT ·binary32Z(SB), NOSPLIT, $0-40
	MOVQ op+0(FP), AX
	MOVQ d+8(FP), DI
	MOVQ a+16(FP), SI
	MOVQ b+24(FP), DX
	MOVQ n+32(FP), CX
	CMPQ AX, $1
	JEQ  sub
	JGT  muldiv
	LOOPZ(ADDV, ADDV, add4, add1, add1b, add8, addend)
	VZEROUPPER
	RET

sub:
	LOOPZ(SUBV, SUBV, sub4, sub1, sub1b, sub8, subend)
	VZEROUPPER
	RET

muldiv:
	CMPQ AX, $3
	JEQ  div
	LOOPZ(MULV, MULV, mul4, mul1, mul1b, mul8, mulend)
	VZEROUPPER
	RET

div:
	LOOPZ(DIVV, DIVV, div4, div1, div1b, div8, divend)
	VZEROUPPER
	RET

// Unary, with α broadcast in 15 (Go: MOVSS x, X0; MULSS α, X0 and so on,
// x first).
#define SCALEY(off, r, rh, t, th, u, k) \
	VMOVUPS off(SI), r \
	VMULPS  Y15, r, r \
	VMOVUPS r, off(DI)

#define SCALEZ(off, r, rh, t, th, u, k) \
	VMOVUPS off(SI), r \
	VMULPS  Z15, r, r \
	VMOVUPS r, off(DI)

#define ADDCY(off, r, rh, t, th, u, k) \
	VMOVUPS off(SI), r \
	VADDPS  Y15, r, r \
	VMOVUPS r, off(DI)

#define ADDCZ(off, r, rh, t, th, u, k) \
	VMOVUPS off(SI), r \
	VADDPS  Z15, r, r \
	VMOVUPS r, off(DI)

#define SQUAREV(off, r, rh, t, th, u, k) \
	VMOVUPS off(SI), r \
	VMULPS  r, r, r \
	VMOVUPS r, off(DI)

// float32(math.Sqrt(float64(v))) is the correctly rounded float32 root,
// which is what VSQRTPS computes (the Go compiler emits SQRTSS for it too).
#define SQRTV(off, r, rh, t, th, u, k) \
	VSQRTPS off(SI), r \
	VMOVUPS r, off(DI)

// float32(1 / math.Sqrt(float64(v))) in float64 lanes, as the Go loop does:
// widen, root, divide 1.0 (in 15) by it, narrow.
#define RSQRTY(off, r, rh, t, th, u, k) \
	VCVTPS2PD  off(SI), r \
	VCVTPS2PD  off+16(SI), t \
	VSQRTPD    r, r \
	VSQRTPD    t, t \
	VDIVPD     r, Y15, r \
	VDIVPD     t, Y15, t \
	VCVTPD2PSY r, rh \
	VCVTPD2PSY t, th \
	VMOVUPS    rh, off(DI) \
	VMOVUPS    th, off+16(DI)

#define RSQRTZ(off, r, rh, t, th, u, k) \
	VCVTPS2PD off(SI), r \
	VCVTPS2PD off+32(SI), t \
	VSQRTPD   r, r \
	VSQRTPD   t, t \
	VDIVPD    r, Z15, r \
	VDIVPD    t, Z15, t \
	VCVTPD2PS r, rh \
	VCVTPD2PS t, th \
	VMOVUPS   rh, off(DI) \
	VMOVUPS   th, off+32(DI)

// func unary32Y(op int, d, x *float32, n int, alpha float32)
TEXT ·unary32Y(SB), NOSPLIT, $0-36
	MOVQ op+0(FP), AX
	MOVQ d+8(FP), DI
	MOVQ x+16(FP), SI
	MOVQ n+24(FP), CX
	VBROADCASTSS alpha+32(FP), Y15
	CMPQ AX, $1
	JEQ  addc
	JGT  more
	LOOPY(SCALEY, sc4, sc1, sc1b, scend)
	VZEROUPPER
	RET

addc:
	LOOPY(ADDCY, ac4, ac1, ac1b, acend)
	VZEROUPPER
	RET

more:
	CMPQ AX, $3
	JEQ  sqrt
	JGT  rsqrt
	LOOPY(SQUAREV, sq4, sq1, sq1b, sqend)
	VZEROUPPER
	RET

sqrt:
	LOOPY(SQRTV, rt4, rt1, rt1b, rtend)
	VZEROUPPER
	RET

rsqrt:
	MOVQ $0x3ff0000000000000, BX
	MOVQ BX, X15
	VBROADCASTSD X15, Y15
	LOOPY(RSQRTY, rs4, rs1, rs1b, rsend)
	VZEROUPPER
	RET

// func unary32Z(op int, d, x *float32, n int, alpha float32)
TEXT ·unary32Z(SB), NOSPLIT, $0-36
	MOVQ op+0(FP), AX
	MOVQ d+8(FP), DI
	MOVQ x+16(FP), SI
	MOVQ n+24(FP), CX
	VBROADCASTSS alpha+32(FP), Z15
	CMPQ AX, $1
	JEQ  addc
	JGT  more
	LOOPZ(SCALEZ, SCALEY, sc4, sc1, sc1b, sc8, scend)
	VZEROUPPER
	RET

addc:
	LOOPZ(ADDCZ, ADDCY, ac4, ac1, ac1b, ac8, acend)
	VZEROUPPER
	RET

more:
	CMPQ AX, $3
	JEQ  sqrt
	JGT  rsqrt
	LOOPZ(SQUAREV, SQUAREV, sq4, sq1, sq1b, sq8, sqend)
	VZEROUPPER
	RET

sqrt:
	LOOPZ(SQRTV, SQRTV, rt4, rt1, rt1b, rt8, rtend)
	VZEROUPPER
	RET

rsqrt:
	MOVQ $0x3ff0000000000000, BX
	MOVQ BX, X15
	VBROADCASTSD X15, Z15
	LOOPZ(RSQRTZ, RSQRTY, rs4, rs1, rs1b, rs8, rsend)
	VZEROUPPER
	RET

// Piecewise (see piecewise in elementwise.go): d = x > 0 ? hi : lo, where
// x > 0 is the int32 comparison of the bits with 0 (as the Go loop's sign
// trick: +NaN counts as positive, -0 not), and each side is either a
// constant or a product and a sum: hi = x·hx + hc, lo = x·lx + lc (Go:
// MULSS hx, v; ADDSS hc, v, x first). hx, hc, lx, lc are in 12, 13, 14, 15.
// The mode says which sides multiply: MC (hi only: relu), MM (both: leaky
// relu), CC (none: step, leaky mask), CM (lo only).
#define PWMCY(off, r, rh, t, th, u, k) \
	VMOVUPS   off(SI), r \
	VPXOR     t, t, t \
	VPCMPGTD  t, r, t \
	VMULPS    Y12, r, r \
	VADDPS    Y13, r, r \
	VBLENDVPS t, r, Y15, r \
	VMOVUPS   r, off(DI)

#define PWMMY(off, r, rh, t, th, u, k) \
	VMOVUPS   off(SI), r \
	VPXOR     t, t, t \
	VPCMPGTD  t, r, t \
	VMULPS    Y14, r, u \
	VADDPS    Y15, u, u \
	VMULPS    Y12, r, r \
	VADDPS    Y13, r, r \
	VBLENDVPS t, r, u, r \
	VMOVUPS   r, off(DI)

#define PWCCY(off, r, rh, t, th, u, k) \
	VMOVUPS   off(SI), r \
	VPXOR     t, t, t \
	VPCMPGTD  t, r, t \
	VBLENDVPS t, Y13, Y15, r \
	VMOVUPS   r, off(DI)

#define PWCMY(off, r, rh, t, th, u, k) \
	VMOVUPS   off(SI), r \
	VPXOR     t, t, t \
	VPCMPGTD  t, r, t \
	VMULPS    Y14, r, r \
	VADDPS    Y15, r, r \
	VBLENDVPS t, Y13, r, r \
	VMOVUPS   r, off(DI)

// The Z forms compare into k with t, which the Z kernel keeps at 0 (so that
// no register past 15 is used: VZEROUPPER does not clean those), and blend
// under k.
#define PWMCZ(off, r, rh, t, th, u, k) \
	VMOVUPS   off(SI), r \
	VPCMPGTD  t, r, k \
	VMULPS    Z12, r, r \
	VADDPS    Z13, r, r \
	VBLENDMPS r, Z15, k, r \
	VMOVUPS   r, off(DI)

#define PWMMZ(off, r, rh, t, th, u, k) \
	VMOVUPS   off(SI), r \
	VPCMPGTD  t, r, k \
	VMULPS    Z14, r, u \
	VADDPS    Z15, u, u \
	VMULPS    Z12, r, r \
	VADDPS    Z13, r, r \
	VBLENDMPS r, u, k, r \
	VMOVUPS   r, off(DI)

#define PWCCZ(off, r, rh, t, th, u, k) \
	VMOVUPS   off(SI), r \
	VPCMPGTD  t, r, k \
	VBLENDMPS Z13, Z15, k, r \
	VMOVUPS   r, off(DI)

#define PWCMZ(off, r, rh, t, th, u, k) \
	VMOVUPS   off(SI), r \
	VPCMPGTD  t, r, k \
	VMULPS    Z14, r, r \
	VADDPS    Z15, r, r \
	VBLENDMPS Z13, r, k, r \
	VMOVUPS   r, off(DI)

// func piecewise32Y(mode int, d, x *float32, n int, hx, hc, lx, lc float32)
// mode: 0 CC, 1 MC, 2 CM, 3 MM.
TEXT ·piecewise32Y(SB), NOSPLIT, $0-48
	MOVQ mode+0(FP), AX
	MOVQ d+8(FP), DI
	MOVQ x+16(FP), SI
	MOVQ n+24(FP), CX
	VBROADCASTSS hx+32(FP), Y12
	VBROADCASTSS hc+36(FP), Y13
	VBROADCASTSS lx+40(FP), Y14
	VBROADCASTSS lc+44(FP), Y15
	CMPQ AX, $1
	JEQ  mc
	JGT  more
	LOOPY(PWCCY, cc4, cc1, cc1b, ccend)
	VZEROUPPER
	RET

mc:
	LOOPY(PWMCY, mc4, mc1, mc1b, mcend)
	VZEROUPPER
	RET

more:
	CMPQ AX, $3
	JEQ  mm
	LOOPY(PWCMY, cm4, cm1, cm1b, cmend)
	VZEROUPPER
	RET

mm:
	LOOPY(PWMMY, mm4, mm1, mm1b, mmend)
	VZEROUPPER
	RET

// func piecewise32Z(mode int, d, x *float32, n int, hx, hc, lx, lc float32)
TEXT ·piecewise32Z(SB), NOSPLIT, $0-48
	MOVQ mode+0(FP), AX
	MOVQ d+8(FP), DI
	MOVQ x+16(FP), SI
	MOVQ n+24(FP), CX
	VBROADCASTSS hx+32(FP), Z12
	VBROADCASTSS hc+36(FP), Z13
	VBROADCASTSS lx+40(FP), Z14
	VBROADCASTSS lc+44(FP), Z15
	VPXORD Z4, Z4, Z4
	VPXORD Z5, Z5, Z5
	VPXORD Z6, Z6, Z6
	VPXORD Z7, Z7, Z7
	CMPQ AX, $1
	JEQ  mc
	JGT  more
	LOOPZ(PWCCZ, PWCCY, cc4, cc1, cc1b, cc8, ccend)
	VZEROUPPER
	RET

mc:
	LOOPZ(PWMCZ, PWMCY, mc4, mc1, mc1b, mc8, mcend)
	VZEROUPPER
	RET

more:
	CMPQ AX, $3
	JEQ  mm
	LOOPZ(PWCMZ, PWCMY, cm4, cm1, cm1b, cm8, cmend)
	VZEROUPPER
	RET

mm:
	LOOPZ(PWMMZ, PWMMY, mm4, mm1, mm1b, mm8, mmend)
	VZEROUPPER
	RET

// func sum32(x *float32, n int) float64
// The float64 sum of x[0:n] (n a positive multiple of 16) in sixteen
// partial sums, lane l of the accumulators adding x[i] for i%16 == l, then
// combined as sum16Go combines them: e = (A+B)+(C+D) lane by lane, then
// (e0+e2)+(e1+e3).
TEXT ·sum32(SB), NOSPLIT, $0-24
	MOVQ   x+0(FP), SI
	MOVQ   n+8(FP), CX
	VXORPD Y0, Y0, Y0
	VXORPD Y1, Y1, Y1
	VXORPD Y2, Y2, Y2
	VXORPD Y3, Y3, Y3

sum32loop:
	VCVTPS2PD (SI), Y4
	VCVTPS2PD 16(SI), Y5
	VCVTPS2PD 32(SI), Y6
	VCVTPS2PD 48(SI), Y7
	VADDPD    Y4, Y0, Y0
	VADDPD    Y5, Y1, Y1
	VADDPD    Y6, Y2, Y2
	VADDPD    Y7, Y3, Y3
	ADDQ      $64, SI
	SUBQ      $16, CX
	JNZ       sum32loop

	VADDPD       Y1, Y0, Y0
	VADDPD       Y3, Y2, Y2
	VADDPD       Y2, Y0, Y0
	VEXTRACTF128 $1, Y0, X1
	VADDPD       X1, X0, X0
	VPERMILPD    $1, X0, X1
	VADDSD       X1, X0, X0
	VZEROUPPER
	MOVSD        X0, ret+16(FP)
	RET
