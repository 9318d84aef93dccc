//go:build !amd64 || purego

package cpufeat

func detect() (avx2fma, avx512 bool) { return false, false }
