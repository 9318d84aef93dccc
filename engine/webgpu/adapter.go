package webgpu

import (
	"fmt"
	"strings"
)

// choose picks the adapter for want among infos: for AdapterGPU the best
// real GPU (discrete, then integrated, then of unknown type), for
// AdapterSoftware the first CPU adapter, for AdapterAuto a real GPU if
// there is one, else a CPU adapter.
func choose(infos []AdapterInfo, want string) (int, error) {
	gpu, soft := -1, -1
	rank := func(t string) int {
		switch t {
		case "discrete":
			return 0
		case "integrated":
			return 1
		}
		return 2
	}
	for i, a := range infos {
		switch {
		case a.Software:
			if soft < 0 {
				soft = i
			}
		case gpu < 0 || rank(a.Type) < rank(infos[gpu].Type):
			gpu = i
		}
	}
	found := "none"
	if len(infos) > 0 {
		names := make([]string, len(infos))
		for i, a := range infos {
			names[i] = a.String()
		}
		found = strings.Join(names, "; ")
	}
	switch want {
	case AdapterGPU:
		if gpu >= 0 {
			return gpu, nil
		}
		return -1, fmt.Errorf("webgpu: %w that is a GPU (found: %s)", ErrNoAdapter, found)
	case AdapterSoftware:
		if soft >= 0 {
			return soft, nil
		}
		return -1, fmt.Errorf("webgpu: %w that runs on the CPU (found: %s)%s", ErrNoAdapter, found, noAdapterHint())
	}
	if gpu >= 0 {
		return gpu, nil
	}
	if soft >= 0 {
		return soft, nil
	}
	return -1, fmt.Errorf("webgpu: %w (tried %s)%s", ErrNoAdapter, triedAPIs, noAdapterHint())
}

// isSoftwareName reports adapter names of known CPU implementations, for
// APIs that do not say an adapter's type.
func isSoftwareName(name string) bool {
	n := strings.ToLower(name)
	for _, s := range []string{"llvmpipe", "lavapipe", "softpipe", "swiftshader", "microsoft basic render"} {
		if strings.Contains(n, s) {
			return true
		}
	}
	return false
}
