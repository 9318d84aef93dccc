package sysmem

import "runtime"

// wasmMemory is the most memory a 32-bit WebAssembly instance can have.
const wasmMemory = 4 << 30

// available is what is left of WebAssembly's 4 GB address space after
// what the Go runtime has taken from it.
func available() (int64, bool) {
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return max(wasmMemory-int64(m.Sys), 0), true
}
