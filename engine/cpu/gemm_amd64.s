//go:build amd64 && !purego

#include "textflag.h"

// One depth step of the 4x16 tile: B row in Y12,Y13, A values broadcast.
#define STEP4x16(aoff, boff) \
	VMOVUPS boff(BX), Y12 \
	VMOVUPS boff+32(BX), Y13 \
	VBROADCASTSS aoff(AX), Y14 \
	VFMADD231PS Y12, Y14, Y0 \
	VFMADD231PS Y13, Y14, Y1 \
	VBROADCASTSS aoff+4(AX), Y15 \
	VFMADD231PS Y12, Y15, Y2 \
	VFMADD231PS Y13, Y15, Y3 \
	VBROADCASTSS aoff+8(AX), Y14 \
	VFMADD231PS Y12, Y14, Y4 \
	VFMADD231PS Y13, Y14, Y5 \
	VBROADCASTSS aoff+12(AX), Y15 \
	VFMADD231PS Y12, Y15, Y6 \
	VFMADD231PS Y13, Y15, Y7

// One depth step of the 6x16 tile: the 4x16 step and two rows more.
#define STEP6x16(aoff, boff) \
	STEP4x16(aoff, boff) \
	VBROADCASTSS aoff+16(AX), Y14 \
	VFMADD231PS Y12, Y14, Y8 \
	VFMADD231PS Y13, Y14, Y9 \
	VBROADCASTSS aoff+20(AX), Y15 \
	VFMADD231PS Y12, Y15, Y10 \
	VFMADD231PS Y13, Y15, Y11

#define STORE2(r0, r1) \
	VMOVUPS r0, (DI) \
	VMOVUPS r1, 32(DI) \
	ADDQ DX, DI

#define ACCSTORE2(r0, r1) \
	VADDPS (DI), r0, r0 \
	VADDPS 32(DI), r1, r1 \
	VMOVUPS r0, (DI) \
	VMOVUPS r1, 32(DI) \
	ADDQ DX, DI

// func sgemm6x16(kc int, a, b, c *float32, ldc int, acc bool)
// c[i*ldc+j] (+)= Σ_kk a[kk*6+i]*b[kk*16+j] for i<6, j<16.
TEXT ·sgemm6x16(SB), NOSPLIT, $0-41
	MOVQ kc+0(FP), CX
	MOVQ a+8(FP), AX
	MOVQ b+16(FP), BX
	MOVQ c+24(FP), DI
	MOVQ ldc+32(FP), DX
	SHLQ $2, DX
	VXORPS Y0, Y0, Y0
	VXORPS Y1, Y1, Y1
	VXORPS Y2, Y2, Y2
	VXORPS Y3, Y3, Y3
	VXORPS Y4, Y4, Y4
	VXORPS Y5, Y5, Y5
	VXORPS Y6, Y6, Y6
	VXORPS Y7, Y7, Y7
	VXORPS Y8, Y8, Y8
	VXORPS Y9, Y9, Y9
	VXORPS Y10, Y10, Y10
	VXORPS Y11, Y11, Y11
	CMPQ CX, $4
	JLT  tail

loop4:
	STEP6x16(0, 0)
	STEP6x16(24, 64)
	STEP6x16(48, 128)
	STEP6x16(72, 192)
	ADDQ $96, AX
	ADDQ $256, BX
	SUBQ $4, CX
	CMPQ CX, $4
	JGE  loop4

tail:
	TESTQ CX, CX
	JEQ   store

loop1:
	STEP6x16(0, 0)
	ADDQ $24, AX
	ADDQ $64, BX
	DECQ CX
	JNE  loop1

store:
	MOVBQZX acc+40(FP), SI
	TESTQ   SI, SI
	JNE     accum
	STORE2(Y0, Y1)
	STORE2(Y2, Y3)
	STORE2(Y4, Y5)
	STORE2(Y6, Y7)
	STORE2(Y8, Y9)
	STORE2(Y10, Y11)
	VZEROUPPER
	RET

accum:
	ACCSTORE2(Y0, Y1)
	ACCSTORE2(Y2, Y3)
	ACCSTORE2(Y4, Y5)
	ACCSTORE2(Y6, Y7)
	ACCSTORE2(Y8, Y9)
	ACCSTORE2(Y10, Y11)
	VZEROUPPER
	RET

// func sgemm4x16(kc int, a, b, c *float32, ldc int, acc bool)
// c[i*ldc+j] (+)= Σ_kk a[kk*4+i]*b[kk*16+j] for i<4, j<16: the 6x16
// kernel's step with 8 accumulators, for the last rows of a GEMM whose
// height is not a multiple of 6.
TEXT ·sgemm4x16(SB), NOSPLIT, $0-41
	MOVQ kc+0(FP), CX
	MOVQ a+8(FP), AX
	MOVQ b+16(FP), BX
	MOVQ c+24(FP), DI
	MOVQ ldc+32(FP), DX
	SHLQ $2, DX
	VXORPS Y0, Y0, Y0
	VXORPS Y1, Y1, Y1
	VXORPS Y2, Y2, Y2
	VXORPS Y3, Y3, Y3
	VXORPS Y4, Y4, Y4
	VXORPS Y5, Y5, Y5
	VXORPS Y6, Y6, Y6
	VXORPS Y7, Y7, Y7
	CMPQ CX, $4
	JLT  tail4

loop4x4:
	STEP4x16(0, 0)
	STEP4x16(16, 64)
	STEP4x16(32, 128)
	STEP4x16(48, 192)
	ADDQ $64, AX
	ADDQ $256, BX
	SUBQ $4, CX
	CMPQ CX, $4
	JGE  loop4x4

tail4:
	TESTQ CX, CX
	JEQ   store4

loop4x1:
	STEP4x16(0, 0)
	ADDQ $16, AX
	ADDQ $64, BX
	DECQ CX
	JNE  loop4x1

store4:
	MOVBQZX acc+40(FP), SI
	TESTQ   SI, SI
	JNE     accum4
	STORE2(Y0, Y1)
	STORE2(Y2, Y3)
	STORE2(Y4, Y5)
	STORE2(Y6, Y7)
	VZEROUPPER
	RET

accum4:
	ACCSTORE2(Y0, Y1)
	ACCSTORE2(Y2, Y3)
	ACCSTORE2(Y4, Y5)
	ACCSTORE2(Y6, Y7)
	VZEROUPPER
	RET

// func gather16x8(dst, src *float32, rows *int32, n int, lanes *[16]int32)
// dst[r*16+t] = src[rows[r]+lanes[t]] for r < n, t < 16.
TEXT ·gather16x8(SB), NOSPLIT, $0-40
	MOVQ dst+0(FP), DI
	MOVQ src+8(FP), SI
	MOVQ rows+16(FP), BX
	MOVQ n+24(FP), CX
	MOVQ lanes+32(FP), AX
	VMOVDQU (AX), Y4
	VMOVDQU 32(AX), Y5

gloop:
	MOVLQSX (BX), DX
	LEAQ    (SI)(DX*4), R8
	VPCMPEQD Y2, Y2, Y2
	VPCMPEQD Y3, Y3, Y3
	VXORPS  Y0, Y0, Y0
	VXORPS  Y1, Y1, Y1
	VGATHERDPS Y2, (R8)(Y4*4), Y0
	VGATHERDPS Y3, (R8)(Y5*4), Y1
	VMOVUPS Y0, (DI)
	VMOVUPS Y1, 32(DI)
	ADDQ    $4, BX
	ADDQ    $64, DI
	DECQ    CX
	JNE     gloop
	VZEROUPPER
	RET

// func gather16h(dst, src *float32, rows *int32, n int, off0, off1 int, stride2 bool)
// dst[r*16+h*8+t] = src[rows[r]+off_h+t*st] for r < n, h < 2, t < 8, with
// st = 2 if stride2 else 1. With stride 2 it reads src[rows[r]+off_h+15].
TEXT ·gather16h(SB), NOSPLIT, $0-49
	MOVQ dst+0(FP), DI
	MOVQ src+8(FP), SI
	MOVQ rows+16(FP), BX
	MOVQ n+24(FP), CX
	MOVQ off0+32(FP), R9
	MOVQ off1+40(FP), R10
	SHLQ $2, R9
	SHLQ $2, R10
	ADDQ SI, R9
	ADDQ SI, R10
	MOVBQZX stride2+48(FP), AX
	TESTQ AX, AX
	JNE  s2loop

s1loop:
	MOVLQSX (BX), DX
	VMOVUPS (R9)(DX*4), Y0
	VMOVUPS (R10)(DX*4), Y1
	VMOVUPS Y0, (DI)
	VMOVUPS Y1, 32(DI)
	ADDQ    $4, BX
	ADDQ    $64, DI
	DECQ    CX
	JNE     s1loop
	VZEROUPPER
	RET

s2loop:
	MOVLQSX (BX), DX
	VMOVUPS (R9)(DX*4), Y0
	VMOVUPS 32(R9)(DX*4), Y1
	VMOVUPS (R10)(DX*4), Y2
	VMOVUPS 32(R10)(DX*4), Y3
	VSHUFPS $0x88, Y1, Y0, Y0
	VSHUFPS $0x88, Y3, Y2, Y2
	VPERMPD $0xd8, Y0, Y0
	VPERMPD $0xd8, Y2, Y2
	VMOVUPS Y0, (DI)
	VMOVUPS Y2, 32(DI)
	ADDQ    $4, BX
	ADDQ    $64, DI
	DECQ    CX
	JNE     s2loop
	VZEROUPPER
	RET

// One depth step of the 8x32 tile: B rows of two panels in Z16, Z17.
#define STEP8x32(aoff, boff) \
	VMOVUPS boff(BX), Z16 \
	VMOVUPS boff(R9), Z17 \
	VBROADCASTSS aoff(AX), Z18 \
	VBROADCASTSS aoff+4(AX), Z19 \
	VBROADCASTSS aoff+8(AX), Z20 \
	VBROADCASTSS aoff+12(AX), Z21 \
	VFMADD231PS Z16, Z18, Z0 \
	VFMADD231PS Z17, Z18, Z1 \
	VFMADD231PS Z16, Z19, Z2 \
	VFMADD231PS Z17, Z19, Z3 \
	VFMADD231PS Z16, Z20, Z4 \
	VFMADD231PS Z17, Z20, Z5 \
	VFMADD231PS Z16, Z21, Z6 \
	VFMADD231PS Z17, Z21, Z7 \
	VBROADCASTSS aoff+16(AX), Z22 \
	VBROADCASTSS aoff+20(AX), Z23 \
	VBROADCASTSS aoff+24(AX), Z24 \
	VBROADCASTSS aoff+28(AX), Z25 \
	VFMADD231PS Z16, Z22, Z8 \
	VFMADD231PS Z17, Z22, Z9 \
	VFMADD231PS Z16, Z23, Z10 \
	VFMADD231PS Z17, Z23, Z11 \
	VFMADD231PS Z16, Z24, Z12 \
	VFMADD231PS Z17, Z24, Z13 \
	VFMADD231PS Z16, Z25, Z14 \
	VFMADD231PS Z17, Z25, Z15

#define ZSTORE2(r0, r1) \
	VMOVUPS r0, (DI) \
	VMOVUPS r1, 64(DI) \
	ADDQ DX, DI

#define ZACCSTORE2(r0, r1) \
	VADDPS (DI), r0, r0 \
	VADDPS 64(DI), r1, r1 \
	VMOVUPS r0, (DI) \
	VMOVUPS r1, 64(DI) \
	ADDQ DX, DI

// func sgemm8x32(kc int, a, b, b2, c *float32, ldc int, acc bool)
// c[i*ldc+j] (+)= Σ_kk a[kk*8+i]*b[kk*16+j] and
// c[i*ldc+16+j] (+)= Σ_kk a[kk*8+i]*b2[kk*16+j] for i<8, j<16 (AVX-512).
TEXT ·sgemm8x32(SB), NOSPLIT, $0-49
	MOVQ kc+0(FP), CX
	MOVQ a+8(FP), AX
	MOVQ b+16(FP), BX
	MOVQ b2+24(FP), R9
	MOVQ c+32(FP), DI
	MOVQ ldc+40(FP), DX
	SHLQ $2, DX
	VPXORD Z0, Z0, Z0
	VPXORD Z1, Z1, Z1
	VPXORD Z2, Z2, Z2
	VPXORD Z3, Z3, Z3
	VPXORD Z4, Z4, Z4
	VPXORD Z5, Z5, Z5
	VPXORD Z6, Z6, Z6
	VPXORD Z7, Z7, Z7
	VPXORD Z8, Z8, Z8
	VPXORD Z9, Z9, Z9
	VPXORD Z10, Z10, Z10
	VPXORD Z11, Z11, Z11
	VPXORD Z12, Z12, Z12
	VPXORD Z13, Z13, Z13
	VPXORD Z14, Z14, Z14
	VPXORD Z15, Z15, Z15
	CMPQ CX, $2
	JLT  ztail

zloop2:
	STEP8x32(0, 0)
	STEP8x32(32, 64)
	ADDQ $64, AX
	ADDQ $128, BX
	ADDQ $128, R9
	SUBQ $2, CX
	CMPQ CX, $2
	JGE  zloop2

ztail:
	TESTQ CX, CX
	JEQ   zstore
	STEP8x32(0, 0)

zstore:
	MOVBQZX acc+48(FP), SI
	TESTQ   SI, SI
	JNE     zaccum
	ZSTORE2(Z0, Z1)
	ZSTORE2(Z2, Z3)
	ZSTORE2(Z4, Z5)
	ZSTORE2(Z6, Z7)
	ZSTORE2(Z8, Z9)
	ZSTORE2(Z10, Z11)
	ZSTORE2(Z12, Z13)
	ZSTORE2(Z14, Z15)
	VZEROUPPER
	RET

zaccum:
	ZACCSTORE2(Z0, Z1)
	ZACCSTORE2(Z2, Z3)
	ZACCSTORE2(Z4, Z5)
	ZACCSTORE2(Z6, Z7)
	ZACCSTORE2(Z8, Z9)
	ZACCSTORE2(Z10, Z11)
	ZACCSTORE2(Z12, Z13)
	ZACCSTORE2(Z14, Z15)
	VZEROUPPER
	RET

#define STEP8x16(aoff, boff) \
	VMOVUPS boff(BX), Z16 \
	VFMADD231PS.BCST aoff(AX), Z16, Z0 \
	VFMADD231PS.BCST aoff+4(AX), Z16, Z1 \
	VFMADD231PS.BCST aoff+8(AX), Z16, Z2 \
	VFMADD231PS.BCST aoff+12(AX), Z16, Z3 \
	VFMADD231PS.BCST aoff+16(AX), Z16, Z4 \
	VFMADD231PS.BCST aoff+20(AX), Z16, Z5 \
	VFMADD231PS.BCST aoff+24(AX), Z16, Z6 \
	VFMADD231PS.BCST aoff+28(AX), Z16, Z7

#define ZSTORE1(r0) \
	VMOVUPS r0, (DI) \
	ADDQ DX, DI

#define ZACCSTORE1(r0) \
	VADDPS (DI), r0, r0 \
	VMOVUPS r0, (DI) \
	ADDQ DX, DI

// func sgemm8x16(kc int, a, b, c *float32, ldc int, acc bool)
// c[i*ldc+j] (+)= Σ_kk a[kk*8+i]*b[kk*16+j] for i<8, j<16 (AVX-512).
TEXT ·sgemm8x16(SB), NOSPLIT, $0-41
	MOVQ kc+0(FP), CX
	MOVQ a+8(FP), AX
	MOVQ b+16(FP), BX
	MOVQ c+24(FP), DI
	MOVQ ldc+32(FP), DX
	SHLQ $2, DX
	VPXORD Z0, Z0, Z0
	VPXORD Z1, Z1, Z1
	VPXORD Z2, Z2, Z2
	VPXORD Z3, Z3, Z3
	VPXORD Z4, Z4, Z4
	VPXORD Z5, Z5, Z5
	VPXORD Z6, Z6, Z6
	VPXORD Z7, Z7, Z7

yloop:
	STEP8x16(0, 0)
	ADDQ $32, AX
	ADDQ $64, BX
	DECQ CX
	JNE  yloop

	MOVBQZX acc+40(FP), SI
	TESTQ   SI, SI
	JNE     yaccum
	ZSTORE1(Z0)
	ZSTORE1(Z1)
	ZSTORE1(Z2)
	ZSTORE1(Z3)
	ZSTORE1(Z4)
	ZSTORE1(Z5)
	ZSTORE1(Z6)
	ZSTORE1(Z7)
	VZEROUPPER
	RET

yaccum:
	ZACCSTORE1(Z0)
	ZACCSTORE1(Z1)
	ZACCSTORE1(Z2)
	ZACCSTORE1(Z3)
	ZACCSTORE1(Z4)
	ZACCSTORE1(Z5)
	ZACCSTORE1(Z6)
	ZACCSTORE1(Z7)
	VZEROUPPER
	RET

// One depth step of eight columns of the 3x4 dot tile: rows of a in
// Y12-Y14, one row of b at a time in Y15.
#define DOTB(ptr, r0, r1, r2) \
	VMOVUPS (ptr), Y15 \
	VFMADD231PS Y15, Y12, r0 \
	VFMADD231PS Y15, Y13, r1 \
	VFMADD231PS Y15, Y14, r2 \
	ADDQ $32, ptr

// DOTSTEP8 is one 8-column step of the 3x4 dot tile (AVX2).
#define DOTSTEP8 \
	VMOVUPS (SI), Y12 \
	VMOVUPS (SI)(DX*1), Y13 \
	VMOVUPS (SI)(DX*2), Y14 \
	DOTB(R8, Y0, Y4, Y8) \
	DOTB(R9, Y1, Y5, Y9) \
	DOTB(R10, Y2, Y6, Y10) \
	DOTB(R11, Y3, Y7, Y11)

// DOTOUT adds the twelve 8-lane sums Y0-Y11 into out at (DI).
#define DOTOUT \
	VADDPS 0(DI), Y0, Y0 \
	VMOVUPS Y0, 0(DI) \
	VADDPS 32(DI), Y1, Y1 \
	VMOVUPS Y1, 32(DI) \
	VADDPS 64(DI), Y2, Y2 \
	VMOVUPS Y2, 64(DI) \
	VADDPS 96(DI), Y3, Y3 \
	VMOVUPS Y3, 96(DI) \
	VADDPS 128(DI), Y4, Y4 \
	VMOVUPS Y4, 128(DI) \
	VADDPS 160(DI), Y5, Y5 \
	VMOVUPS Y5, 160(DI) \
	VADDPS 192(DI), Y6, Y6 \
	VMOVUPS Y6, 192(DI) \
	VADDPS 224(DI), Y7, Y7 \
	VMOVUPS Y7, 224(DI) \
	VADDPS 256(DI), Y8, Y8 \
	VMOVUPS Y8, 256(DI) \
	VADDPS 288(DI), Y9, Y9 \
	VMOVUPS Y9, 288(DI) \
	VADDPS 320(DI), Y10, Y10 \
	VMOVUPS Y10, 320(DI) \
	VADDPS 352(DI), Y11, Y11 \
	VMOVUPS Y11, 352(DI)

// func sdot3x4(k int, a *float32, lda int, b *float32, boff *[4]int32, out *[96]float32)
// out[(r*4+t)*8+l] += Σ_{kk<k/8} a[r*lda+kk*8+l] * b[boff[t]+kk*8+l] for
// r < 3, t < 4, l < 8 (AVX2+FMA); k is a positive multiple of 8.
TEXT ·sdot3x4(SB), NOSPLIT, $0-48
	MOVQ k+0(FP), CX
	MOVQ a+8(FP), SI
	MOVQ lda+16(FP), DX
	SHLQ $2, DX
	MOVQ b+24(FP), BX
	MOVQ boff+32(FP), AX
	MOVLQSX 0(AX), R8
	LEAQ (BX)(R8*4), R8
	MOVLQSX 4(AX), R9
	LEAQ (BX)(R9*4), R9
	MOVLQSX 8(AX), R10
	LEAQ (BX)(R10*4), R10
	MOVLQSX 12(AX), R11
	LEAQ (BX)(R11*4), R11
	MOVQ out+40(FP), DI
	VXORPS Y0, Y0, Y0
	VXORPS Y1, Y1, Y1
	VXORPS Y2, Y2, Y2
	VXORPS Y3, Y3, Y3
	VXORPS Y4, Y4, Y4
	VXORPS Y5, Y5, Y5
	VXORPS Y6, Y6, Y6
	VXORPS Y7, Y7, Y7
	VXORPS Y8, Y8, Y8
	VXORPS Y9, Y9, Y9
	VXORPS Y10, Y10, Y10
	VXORPS Y11, Y11, Y11

dloop:
	DOTSTEP8
	ADDQ $32, SI
	SUBQ $8, CX
	JGT  dloop

	DOTOUT
	VZEROUPPER
	RET

// One 16-column step of a B row of the 3x4 dot tile (AVX-512).
#define ZDOTB(ptr, r0, r1, r2) \
	VMOVUPS (ptr), Z15 \
	VFMADD231PS Z15, Z12, r0 \
	VFMADD231PS Z15, Z13, r1 \
	VFMADD231PS Z15, Z14, r2 \
	ADDQ $64, ptr

// ZFOLD adds the upper 8 lanes of z into its lower 8 (y).
#define ZFOLD(z, y) \
	VEXTRACTF64X4 $1, z, Y16 \
	VADDPS Y16, y, y

// func sdot3x4z(k int, a *float32, lda int, b *float32, boff *[4]int32, out *[96]float32)
// sdot3x4 with AVX-512: 16 lanes a sum over the depth, folded to 8 before
// they are added into out (lane l sums the columns ≡ l mod 8, as
// sdot3x4's do, in another order); k is a positive multiple of 8.
TEXT ·sdot3x4z(SB), NOSPLIT, $0-48
	MOVQ k+0(FP), CX
	MOVQ a+8(FP), SI
	MOVQ lda+16(FP), DX
	SHLQ $2, DX
	MOVQ b+24(FP), BX
	MOVQ boff+32(FP), AX
	MOVLQSX 0(AX), R8
	LEAQ (BX)(R8*4), R8
	MOVLQSX 4(AX), R9
	LEAQ (BX)(R9*4), R9
	MOVLQSX 8(AX), R10
	LEAQ (BX)(R10*4), R10
	MOVLQSX 12(AX), R11
	LEAQ (BX)(R11*4), R11
	MOVQ out+40(FP), DI
	VPXORD Z0, Z0, Z0
	VPXORD Z1, Z1, Z1
	VPXORD Z2, Z2, Z2
	VPXORD Z3, Z3, Z3
	VPXORD Z4, Z4, Z4
	VPXORD Z5, Z5, Z5
	VPXORD Z6, Z6, Z6
	VPXORD Z7, Z7, Z7
	VPXORD Z8, Z8, Z8
	VPXORD Z9, Z9, Z9
	VPXORD Z10, Z10, Z10
	VPXORD Z11, Z11, Z11
	CMPQ CX, $16
	JLT  zdfold

zdloop:
	VMOVUPS (SI), Z12
	VMOVUPS (SI)(DX*1), Z13
	VMOVUPS (SI)(DX*2), Z14
	ZDOTB(R8, Z0, Z4, Z8)
	ZDOTB(R9, Z1, Z5, Z9)
	ZDOTB(R10, Z2, Z6, Z10)
	ZDOTB(R11, Z3, Z7, Z11)
	ADDQ $64, SI
	SUBQ $16, CX
	CMPQ CX, $16
	JGE  zdloop

zdfold:
	ZFOLD(Z0, Y0)
	ZFOLD(Z1, Y1)
	ZFOLD(Z2, Y2)
	ZFOLD(Z3, Y3)
	ZFOLD(Z4, Y4)
	ZFOLD(Z5, Y5)
	ZFOLD(Z6, Y6)
	ZFOLD(Z7, Y7)
	ZFOLD(Z8, Y8)
	ZFOLD(Z9, Y9)
	ZFOLD(Z10, Y10)
	ZFOLD(Z11, Y11)
	TESTQ CX, CX
	JEQ   zdout
	// The last 8 columns (k ≡ 8 mod 16).
	DOTSTEP8

zdout:
	DOTOUT
	VZEROUPPER
	RET

// One depth step of the 3x32 indirect tile: the B row at (SI)(DX*4).
#define IND3(off, r0, r1, r2) \
	VMOVUPS off(SI)(DX*4), Y15 \
	VFMADD231PS Y15, Y12, r0 \
	VFMADD231PS Y15, Y13, r1 \
	VFMADD231PS Y15, Y14, r2

// func sgemm3x32i(kc int, a, src *float32, rows *int32, c *float32, ldc int, acc bool)
// c[r*ldc+t] (+)= Σ_kk a[kk*3+r] * src[rows[kk]+t] for r < 3, t < 32
// (AVX2+FMA): B is read in place, one row of 32 at each offset.
TEXT ·sgemm3x32i(SB), NOSPLIT, $0-49
	MOVQ kc+0(FP), CX
	MOVQ a+8(FP), AX
	MOVQ src+16(FP), SI
	MOVQ rows+24(FP), BX
	MOVQ c+32(FP), DI
	MOVQ ldc+40(FP), R8
	SHLQ $2, R8
	VXORPS Y0, Y0, Y0
	VXORPS Y1, Y1, Y1
	VXORPS Y2, Y2, Y2
	VXORPS Y3, Y3, Y3
	VXORPS Y4, Y4, Y4
	VXORPS Y5, Y5, Y5
	VXORPS Y6, Y6, Y6
	VXORPS Y7, Y7, Y7
	VXORPS Y8, Y8, Y8
	VXORPS Y9, Y9, Y9
	VXORPS Y10, Y10, Y10
	VXORPS Y11, Y11, Y11
	TESTQ CX, CX
	JEQ   istore

iloop:
	MOVLQSX (BX), DX
	VBROADCASTSS 0(AX), Y12
	VBROADCASTSS 4(AX), Y13
	VBROADCASTSS 8(AX), Y14
	IND3(0, Y0, Y4, Y8)
	IND3(32, Y1, Y5, Y9)
	IND3(64, Y2, Y6, Y10)
	IND3(96, Y3, Y7, Y11)
	ADDQ $12, AX
	ADDQ $4, BX
	DECQ CX
	JNE  iloop

istore:
	MOVBQZX acc+48(FP), DX
	TESTQ   DX, DX
	JEQ     istore0
	VADDPS 0(DI), Y0, Y0
	VADDPS 32(DI), Y1, Y1
	VADDPS 64(DI), Y2, Y2
	VADDPS 96(DI), Y3, Y3
	VADDPS 0(DI)(R8*1), Y4, Y4
	VADDPS 32(DI)(R8*1), Y5, Y5
	VADDPS 64(DI)(R8*1), Y6, Y6
	VADDPS 96(DI)(R8*1), Y7, Y7
	VADDPS 0(DI)(R8*2), Y8, Y8
	VADDPS 32(DI)(R8*2), Y9, Y9
	VADDPS 64(DI)(R8*2), Y10, Y10
	VADDPS 96(DI)(R8*2), Y11, Y11

istore0:
	VMOVUPS Y0, 0(DI)
	VMOVUPS Y1, 32(DI)
	VMOVUPS Y2, 64(DI)
	VMOVUPS Y3, 96(DI)
	ADDQ R8, DI
	VMOVUPS Y4, 0(DI)
	VMOVUPS Y5, 32(DI)
	VMOVUPS Y6, 64(DI)
	VMOVUPS Y7, 96(DI)
	ADDQ R8, DI
	VMOVUPS Y8, 0(DI)
	VMOVUPS Y9, 32(DI)
	VMOVUPS Y10, 64(DI)
	VMOVUPS Y11, 96(DI)
	VZEROUPPER
	RET

// One depth step of the 8x32 indirect tile: the B row at (SI)(DX*4).
#define IND8x32 \
	VMOVUPS (SI)(DX*4), Z16 \
	VMOVUPS 64(SI)(DX*4), Z17 \
	VBROADCASTSS 0(AX), Z18 \
	VBROADCASTSS 4(AX), Z19 \
	VBROADCASTSS 8(AX), Z20 \
	VBROADCASTSS 12(AX), Z21 \
	VFMADD231PS Z16, Z18, Z0 \
	VFMADD231PS Z17, Z18, Z1 \
	VFMADD231PS Z16, Z19, Z2 \
	VFMADD231PS Z17, Z19, Z3 \
	VFMADD231PS Z16, Z20, Z4 \
	VFMADD231PS Z17, Z20, Z5 \
	VFMADD231PS Z16, Z21, Z6 \
	VFMADD231PS Z17, Z21, Z7 \
	VBROADCASTSS 16(AX), Z22 \
	VBROADCASTSS 20(AX), Z23 \
	VBROADCASTSS 24(AX), Z24 \
	VBROADCASTSS 28(AX), Z25 \
	VFMADD231PS Z16, Z22, Z8 \
	VFMADD231PS Z17, Z22, Z9 \
	VFMADD231PS Z16, Z23, Z10 \
	VFMADD231PS Z17, Z23, Z11 \
	VFMADD231PS Z16, Z24, Z12 \
	VFMADD231PS Z17, Z24, Z13 \
	VFMADD231PS Z16, Z25, Z14 \
	VFMADD231PS Z17, Z25, Z15

// func sgemm8x32i(kc int, a, src *float32, rows *int32, c *float32, ldc int, acc bool)
// c[r*ldc+t] (+)= Σ_kk a[kk*8+r] * src[rows[kk]+t] for r < 8, t < 32
// (AVX-512): B is read in place, one row of 32 at each offset.
TEXT ·sgemm8x32i(SB), NOSPLIT, $0-49
	MOVQ kc+0(FP), CX
	MOVQ a+8(FP), AX
	MOVQ src+16(FP), SI
	MOVQ rows+24(FP), BX
	MOVQ c+32(FP), DI
	VPXORD Z0, Z0, Z0
	VPXORD Z1, Z1, Z1
	VPXORD Z2, Z2, Z2
	VPXORD Z3, Z3, Z3
	VPXORD Z4, Z4, Z4
	VPXORD Z5, Z5, Z5
	VPXORD Z6, Z6, Z6
	VPXORD Z7, Z7, Z7
	VPXORD Z8, Z8, Z8
	VPXORD Z9, Z9, Z9
	VPXORD Z10, Z10, Z10
	VPXORD Z11, Z11, Z11
	VPXORD Z12, Z12, Z12
	VPXORD Z13, Z13, Z13
	VPXORD Z14, Z14, Z14
	VPXORD Z15, Z15, Z15
	TESTQ CX, CX
	JEQ   i8store

i8loop:
	MOVLQSX (BX), DX
	IND8x32
	ADDQ $32, AX
	ADDQ $4, BX
	DECQ CX
	JNE  i8loop

i8store:
	MOVQ ldc+40(FP), DX
	SHLQ $2, DX
	MOVBQZX acc+48(FP), SI
	TESTQ   SI, SI
	JNE     i8accum
	ZSTORE2(Z0, Z1)
	ZSTORE2(Z2, Z3)
	ZSTORE2(Z4, Z5)
	ZSTORE2(Z6, Z7)
	ZSTORE2(Z8, Z9)
	ZSTORE2(Z10, Z11)
	ZSTORE2(Z12, Z13)
	ZSTORE2(Z14, Z15)
	VZEROUPPER
	RET

i8accum:
	ZACCSTORE2(Z0, Z1)
	ZACCSTORE2(Z2, Z3)
	ZACCSTORE2(Z4, Z5)
	ZACCSTORE2(Z6, Z7)
	ZACCSTORE2(Z8, Z9)
	ZACCSTORE2(Z10, Z11)
	ZACCSTORE2(Z12, Z13)
	ZACCSTORE2(Z14, Z15)
	VZEROUPPER
	RET

// Transpose the 8x8 block of Y0-Y7 (row r = lane r, 8 elements) into
// Y8-Y15 (register 8+e = element e of the 8 lanes).
#define TRANSPOSE8 \
	VUNPCKLPS Y1, Y0, Y8 \
	VUNPCKHPS Y1, Y0, Y9 \
	VUNPCKLPS Y3, Y2, Y10 \
	VUNPCKHPS Y3, Y2, Y11 \
	VUNPCKLPS Y5, Y4, Y12 \
	VUNPCKHPS Y5, Y4, Y13 \
	VUNPCKLPS Y7, Y6, Y14 \
	VUNPCKHPS Y7, Y6, Y15 \
	VSHUFPS $0x44, Y10, Y8, Y0 \
	VSHUFPS $0xEE, Y10, Y8, Y1 \
	VSHUFPS $0x44, Y11, Y9, Y2 \
	VSHUFPS $0xEE, Y11, Y9, Y3 \
	VSHUFPS $0x44, Y14, Y12, Y4 \
	VSHUFPS $0xEE, Y14, Y12, Y5 \
	VSHUFPS $0x44, Y15, Y13, Y6 \
	VSHUFPS $0xEE, Y15, Y13, Y7 \
	VPERM2F128 $0x20, Y4, Y0, Y8 \
	VPERM2F128 $0x20, Y5, Y1, Y9 \
	VPERM2F128 $0x20, Y6, Y2, Y10 \
	VPERM2F128 $0x20, Y7, Y3, Y11 \
	VPERM2F128 $0x31, Y4, Y0, Y12 \
	VPERM2F128 $0x31, Y5, Y1, Y13 \
	VPERM2F128 $0x31, Y6, Y2, Y14 \
	VPERM2F128 $0x31, Y7, Y3, Y15

#define TLOAD(r, reg) \
	MOVLQSX (r*4)(R8)(R11*4), DX \
	VMOVUPS (AX)(DX*4), reg

// func tgather8(dst, src *float32, rows *int32, nb int, lanes *int32, nl int)
// dst[(b*8+e)*nl+t] = src[rows[b]+lanes[t]+e] for b < nb, e < 8, t < nl,
// nl = 8 or 16 (AVX2): each lane's 8 consecutive values, transposed.
TEXT ·tgather8(SB), NOSPLIT, $0-48
	MOVQ dst+0(FP), DI
	MOVQ src+8(FP), SI
	MOVQ rows+16(FP), BX
	MOVQ nb+24(FP), CX
	MOVQ lanes+32(FP), R8
	MOVQ nl+40(FP), R9
	MOVQ R9, R10
	SHLQ $2, R10

tbloop:
	MOVLQSX (BX), AX
	LEAQ    (SI)(AX*4), AX
	XORQ    R11, R11

thalf:
	TLOAD(0, Y0)
	TLOAD(1, Y1)
	TLOAD(2, Y2)
	TLOAD(3, Y3)
	TLOAD(4, Y4)
	TLOAD(5, Y5)
	TLOAD(6, Y6)
	TLOAD(7, Y7)
	TRANSPOSE8
	LEAQ    (DI)(R11*4), R12
	VMOVUPS Y8, (R12)
	ADDQ    R10, R12
	VMOVUPS Y9, (R12)
	ADDQ    R10, R12
	VMOVUPS Y10, (R12)
	ADDQ    R10, R12
	VMOVUPS Y11, (R12)
	ADDQ    R10, R12
	VMOVUPS Y12, (R12)
	ADDQ    R10, R12
	VMOVUPS Y13, (R12)
	ADDQ    R10, R12
	VMOVUPS Y14, (R12)
	ADDQ    R10, R12
	VMOVUPS Y15, (R12)
	ADDQ    $8, R11
	CMPQ    R11, R9
	JLT     thalf
	LEAQ    (DI)(R10*8), DI
	ADDQ    $4, BX
	DECQ    CX
	JNE     tbloop
	VZEROUPPER
	RET

// func deint2rows(d0, d1, src *float32, n, rows, dstride, sstride int)
// d0[r*dstride+j] = src[r*sstride+2*j], d1[r*dstride+j] = src[r*sstride+2*j+1]
// for r < rows, j < n, n a positive multiple of 8 (AVX2): the two column
// phases of rows split by a stride-2 convolution.
TEXT ·deint2rows(SB), NOSPLIT, $0-56
	MOVQ d0+0(FP), DI
	MOVQ d1+8(FP), R8
	MOVQ src+16(FP), SI
	MOVQ rows+32(FP), BX
	MOVQ dstride+40(FP), R9
	SHLQ $2, R9
	MOVQ sstride+48(FP), R10
	SHLQ $2, R10

drow:
	MOVQ DI, R11
	MOVQ R8, R12
	MOVQ SI, R13
	MOVQ n+24(FP), CX

dloop2:
	VMOVUPS (R13), Y0
	VMOVUPS 32(R13), Y1
	VSHUFPS $0x88, Y1, Y0, Y2
	VSHUFPS $0xDD, Y1, Y0, Y3
	VPERMPD $0xd8, Y2, Y2
	VPERMPD $0xd8, Y3, Y3
	VMOVUPS Y2, (R11)
	VMOVUPS Y3, (R12)
	ADDQ $64, R13
	ADDQ $32, R11
	ADDQ $32, R12
	SUBQ $8, CX
	JGT  dloop2
	ADDQ R9, DI
	ADDQ R9, R8
	ADDQ R10, SI
	DECQ BX
	JNE  drow
	VZEROUPPER
	RET

// func gather16q(dst, src *float32, rows *int32, n int, offs *[4]int, stride2 bool)
// dst[r*16+h*4+t] = src[rows[r]+offs[h]+t*st] for r < n, h < 4, t < 4, with
// st = 2 if stride2 else 1 (AVX2): lanes in four runs of four, as the
// columns of 4-wide output maps. With stride 2 it reads src[rows[r]+offs[h]+7].
TEXT ·gather16q(SB), NOSPLIT, $0-41
	MOVQ dst+0(FP), DI
	MOVQ src+8(FP), SI
	MOVQ rows+16(FP), BX
	MOVQ n+24(FP), CX
	MOVQ offs+32(FP), AX
	MOVQ 0(AX), R9
	LEAQ (SI)(R9*4), R9
	MOVQ 8(AX), R10
	LEAQ (SI)(R10*4), R10
	MOVQ 16(AX), R11
	LEAQ (SI)(R11*4), R11
	MOVQ 24(AX), R12
	LEAQ (SI)(R12*4), R12
	MOVBQZX stride2+40(FP), AX
	TESTQ AX, AX
	JNE  q2loop

q1loop:
	MOVLQSX (BX), DX
	VMOVUPS (R9)(DX*4), X0
	VINSERTF128 $1, (R10)(DX*4), Y0, Y0
	VMOVUPS (R11)(DX*4), X1
	VINSERTF128 $1, (R12)(DX*4), Y1, Y1
	VMOVUPS Y0, (DI)
	VMOVUPS Y1, 32(DI)
	ADDQ    $4, BX
	ADDQ    $64, DI
	DECQ    CX
	JNE     q1loop
	VZEROUPPER
	RET

q2loop:
	MOVLQSX (BX), DX
	VMOVUPS (R9)(DX*4), Y2
	VMOVUPS (R10)(DX*4), Y3
	VMOVUPS (R11)(DX*4), Y4
	VMOVUPS (R12)(DX*4), Y5
	VSHUFPS $0x88, Y3, Y2, Y0
	VSHUFPS $0x88, Y5, Y4, Y1
	VPERMPD $0xd8, Y0, Y0
	VPERMPD $0xd8, Y1, Y1
	VMOVUPS Y0, (DI)
	VMOVUPS Y1, 32(DI)
	ADDQ    $4, BX
	ADDQ    $64, DI
	DECQ    CX
	JNE     q2loop
	VZEROUPPER
	RET

// func int2rows(dst, s0, s1 *float32, n, rows, dstride, sstride int)
// dst[r*dstride+2*j] = s0[r*sstride+j], dst[r*dstride+2*j+1] = s1[r*sstride+j]
// for r < rows, j < n, n a positive multiple of 4 (AVX2): two column phases
// of a stride-2 transposed convolution stored as the rows they interleave in.
TEXT ·int2rows(SB), NOSPLIT, $0-56
	MOVQ dst+0(FP), DI
	MOVQ s0+8(FP), SI
	MOVQ s1+16(FP), R8
	MOVQ rows+32(FP), BX
	MOVQ dstride+40(FP), R9
	SHLQ $2, R9
	MOVQ sstride+48(FP), R10
	SHLQ $2, R10

irow:
	MOVQ DI, R11
	MOVQ SI, R12
	MOVQ R8, R13
	MOVQ n+24(FP), CX

	CMPQ CX, $8
	JLT  ifour

iloop:
	VMOVUPS    (R12), Y0
	VMOVUPS    (R13), Y1
	VUNPCKLPS  Y1, Y0, Y2
	VUNPCKHPS  Y1, Y0, Y3
	VPERM2F128 $0x20, Y3, Y2, Y4
	VPERM2F128 $0x31, Y3, Y2, Y5
	VMOVUPS    Y4, (R11)
	VMOVUPS    Y5, 32(R11)
	ADDQ $32, R12
	ADDQ $32, R13
	ADDQ $64, R11
	SUBQ $8, CX
	CMPQ CX, $8
	JGE  iloop

ifour:
	TESTQ CX, CX
	JEQ   inext
	VMOVUPS   (R12), X0
	VMOVUPS   (R13), X1
	VUNPCKLPS X1, X0, X2
	VUNPCKHPS X1, X0, X3
	VMOVUPS   X2, (R11)
	VMOVUPS   X3, 16(R11)

inext:
	ADDQ R9, DI
	ADDQ R10, SI
	ADDQ R10, R8
	DECQ BX
	JNE  irow
	VZEROUPPER
	RET
