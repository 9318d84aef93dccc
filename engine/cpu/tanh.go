package cpu

import "math"

// tanh32 is tanh in float32 arithmetic, within 1.3 ulp of the exact value
// (checked against float64 tanh over [0, 12] and down to 1e-30), so that
// the generator's output layer does not wait on float64 math.Tanh (tens of
// ns an element). Each step is one float32 operation, rounded (no fused
// multiply-add), in the order tanh32Z and tanh32Y (amd64) do it in lanes:
//
//	|x| < 0.625: x + x·s·P(s), s = x², P of degree 4 (fitted by us, minimax
//	             on the relative error);
//	otherwise:   1 - 2/(e^{2|x|}+1), with |x| clamped at 9.1 (tanh is 1 in
//	             float32 there) and e^y = 2^n·(1 + r + r²·Q(r)),
//	             n = round(y/ln 2), r = y - n·ln 2 (in two parts), Q of
//	             degree 5;
//
// with x's sign; NaN gives itself.
func tanh32(x float32) float32 {
	if x != x {
		return x
	}
	a := math.Float32frombits(math.Float32bits(x) &^ (1 << 31))
	var t float32
	if a < tanhSmall {
		s := a * a
		p := tanhP[4]
		for k := 3; k >= 0; k-- {
			p = float32(p*s) + tanhP[k]
		}
		t = a + float32(float32(a*s)*p)
	} else {
		y := a
		if y > tanhClamp {
			y = tanhClamp
		}
		y += y
		n := float32(float32(y*tanhLog2E)+tanhRound) - tanhRound
		r := y - float32(n*tanhLn2Hi)
		r -= float32(n * tanhLn2Lo)
		q := tanhQ[5]
		for k := 4; k >= 0; k-- {
			q = float32(q*r) + tanhQ[k]
		}
		e := float32(r+float32(float32(r*r)*q)) + 1
		e *= math.Float32frombits(uint32(int32(n)+127) << 23)
		t = 1 - 2/(e+1)
	}
	return math.Float32frombits(math.Float32bits(t) | math.Float32bits(x)&(1<<31))
}

const (
	tanhSmall = float32(0.625)
	tanhClamp = float32(9.1)
	tanhLog2E = float32(1.44269504)
	tanhRound = float32(12582912) // 1.5·2²³: adding and subtracting it rounds to an integer
	tanhLn2Hi = float32(0.693359375)
	tanhLn2Lo = float32(-2.12194440e-4)
)

var (
	tanhP = [5]float32{-0.3333328664302826, 0.13331547379493713, -0.05374710634350777, 0.020662356168031693, -0.005731410346925259}
	tanhQ = [6]float32{0.5, 0.1666666716337204, 0.04166625440120697, 0.008333267644047737, 0.001394725521095097, 0.00019917004101444036}
)
