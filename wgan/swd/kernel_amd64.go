//go:build amd64 && !purego

package swd

import "github.com/wgangp/wgangp/internal/cpufeat"

// useAVX2 reports whether the CPU and OS support AVX2 and FMA
// (internal/cpufeat); tests may turn it off to exercise the Go kernel.
var useAVX2 = cpufeat.AVX2FMA

// kern6x16 is the AVX2+FMA kernel (kernel_amd64.s); see kern6x16Go.
//
//go:noescape
func kern6x16(k int, w *float32, ldw int, x *float32, out *float32, ldo int)
