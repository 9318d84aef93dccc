// Package cpufeat says which vector instructions this CPU and OS support,
// for the packages that carry assembly kernels (engine/cpu, wgan/swd).
package cpufeat

// AVX2FMA reports AVX2 and FMA with YMM state enabled by the OS.
// AVX512 reports AVX-512F with ZMM and opmask state enabled.
// Both are false off amd64 and in builds tagged purego.
var AVX2FMA, AVX512 = detect()
