//go:build amd64 && !purego

package swd

// useAVX2 reports whether the CPU and OS support AVX2 and FMA, detected once
// with CPUID/XGETBV; tests may turn it off to exercise the Go kernel.
var useAVX2 = detectAVX2FMA()

func cpuid(eaxArg, ecxArg uint32) (eax, ebx, ecx, edx uint32)
func xgetbv() (eax, edx uint32)

// kern6x16 is the AVX2+FMA kernel (kernel_amd64.s); see kern6x16Go.
//
//go:noescape
func kern6x16(k int, w *float32, ldw int, x *float32, out *float32, ldo int)

func detectAVX2FMA() bool {
	maxID, _, _, _ := cpuid(0, 0)
	if maxID < 7 {
		return false
	}
	_, _, ecx1, _ := cpuid(1, 0)
	const fma, osxsave, avx = 1 << 12, 1 << 27, 1 << 28
	if ecx1&fma == 0 || ecx1&osxsave == 0 || ecx1&avx == 0 {
		return false
	}
	if xcr0, _ := xgetbv(); xcr0&6 != 6 { // XMM and YMM state enabled by the OS
		return false
	}
	_, ebx7, _, _ := cpuid(7, 0)
	return ebx7&(1<<5) != 0 // AVX2
}
