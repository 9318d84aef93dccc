// Package cpufeat says which vector instructions this CPU and OS support,
// for the packages that carry assembly kernels (engine/cpu, wgan/swd).
package cpufeat

import (
	"fmt"
	"os"
)

// AVX2FMA reports AVX2 and FMA with YMM state enabled by the OS.
// AVX512 reports AVX-512F with ZMM and opmask state enabled.
// Both are false off amd64 and in builds tagged purego. The environment
// variable WGANGP_CPU limits them: avx2 turns AVX-512 off (to time the
// kernels of an AVX2-only machine on an AVX-512 one), generic both.
var AVX2FMA, AVX512 = fromEnv()

func fromEnv() (avx2fma, avx512 bool) {
	avx2fma, avx512 = detect()
	avx2fma, avx512, err := Limit(avx2fma, avx512, os.Getenv("WGANGP_CPU"))
	if err != nil {
		fmt.Fprintln(os.Stderr, "wgangp:", err)
	}
	return avx2fma, avx512
}

// Limit is what WGANGP_CPU=env leaves of the instructions a CPU has: all
// of them for "" or "avx512", no AVX-512 for "avx2", neither for
// "generic"; any other value is an error, and leaves them all.
func Limit(avx2fma, avx512 bool, env string) (bool, bool, error) {
	switch env {
	case "", "avx512":
		return avx2fma, avx512, nil
	case "avx2":
		return avx2fma, false, nil
	case "generic":
		return false, false, nil
	}
	return avx2fma, avx512, fmt.Errorf("WGANGP_CPU=%q is not avx512, avx2 or generic: ignored", env)
}
