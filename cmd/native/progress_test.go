package main

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/wgangp/wgangp/engine/cpu"
)

// progressBackend is a CPU backend that reports kernel preparation as the
// WebGPU backend does (SetProgress).
type progressBackend struct {
	*cpu.Backend[float32]
	f func(done, total int)
}

func (b *progressBackend) SetProgress(f func(done, total int)) { b.f = f }

func TestKernelProgress(t *testing.T) {
	for _, tty := range []bool{false, true} {
		b := &progressBackend{Backend: cpu.New[float32](1)}
		var out strings.Builder
		stop := kernelProgress(b, &out, tty)
		require.NotNil(t, b.f)
		for i := 1; i <= 8; i++ {
			b.f(i, 8)
		}
		stop()
		b.f(8, 8) // after stop: nothing
		if tty {
			require.True(t, strings.HasPrefix(out.String(), "\r\033[Kpreparing kernels 1/8"), "%q", out.String())
			require.True(t, strings.HasSuffix(out.String(), "preparing kernels 8/8\n"), "%q", out.String())
		} else {
			require.Equal(t, "preparing kernels 2/8\npreparing kernels 4/8\npreparing kernels 6/8\npreparing kernels 8/8\n", out.String())
		}
	}
	var out strings.Builder
	kernelProgress(cpu.New[float32](1), &out, false)() // no reports on the CPU
	require.Empty(t, out.String())
}
