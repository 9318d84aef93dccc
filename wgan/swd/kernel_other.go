//go:build !amd64 || purego

package swd

// Without assembly the portable kernel does the projections.
var useAVX2 = false

func kern6x16(k int, w *float32, ldw int, x *float32, out *float32, ldo int) {
	panic("swd: no assembly kernel on this platform")
}
