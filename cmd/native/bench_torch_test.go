package main

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// fakeSides answers a sitting's runs as our bench and torch_iteration.py
// would, with times that differ by side, size and call, and logs the calls.
type fakeSides struct {
	calls []string
	n     int
	torch string // what PyTorch prints, overriding the usual line where set
}

func (f *fakeSides) run(_ context.Context, env []string, prog string, args ...string) (string, error) {
	f.n++
	if prog == "ours" {
		fb := flagValue(args, "--filters") + ":" + flagValue(args, "--batch")
		f.calls = append(f.calls, "ours "+strings.Join(env, " ")+" "+fb)
		return fmt.Sprintf("backend: cpu (fake %s)\nD step: 1 steps\ngenerator iteration: %.3f s (median of 5)\n", env[0], 0.1*float64(f.n)), nil
	}
	fb := flagValue(args, "--sizes")
	f.calls = append(f.calls, "torch "+strings.Join(env, " ")+" "+fb)
	if f.torch != "" {
		return f.torch, nil
	}
	fs, bs, _ := strings.Cut(fb, ":")
	return fmt.Sprintf("torch 1.13 on cpu\nblas: /usr/lib/openblas-pthread/libblas.so.3\ntorch: F=%s batch=%s device=cpu math=fp32 %.4f s/iteration (median of 5)\n", fs, bs, 0.2*float64(f.n)), nil
}

func flagValue(args []string, name string) string {
	i := slices.Index(args, name)
	if i < 0 || i+1 >= len(args) {
		return "?"
	}
	return args[i+1]
}

func TestBenchTorchAlternatesAndReportsRatios(t *testing.T) {
	t.Setenv("OPENBLAS_NUM_THREADS", "")
	t.Setenv("OPENBLAS_CORETYPE", "")
	f := &fakeSides{}
	s := torchSitting{
		rounds: 2, iterations: 5, threads: 2, sizes: [][2]int{{8, 16}, {16, 32}},
		kernels: cpuKernelSets(true, true), self: "ours", python: "python3", script: "torch_iteration.py", run: f.run,
	}
	var out strings.Builder
	require.NoError(t, s.sit(context.Background(), &out))
	ob := "OPENBLAS_NUM_THREADS=1 OPENBLAS_CORETYPE=Haswell"
	var want []string
	for range 2 {
		for _, fb := range []string{"8:16", "16:32"} {
			want = append(want, "ours WGANGP_CPU= "+fb, "ours WGANGP_CPU=avx2 "+fb, "torch "+ob+" "+fb)
		}
	}
	assert.Equal(t, want, f.calls, "each round times every size, ours with each kernel set and then PyTorch")
	// Calls 1..12 return 0.1·n (ours) and 0.2·n (PyTorch): round 1 at
	// F=8 is ours 0.1, 0.2 and PyTorch 0.6; round 2 at F=16 ours 1.0, 1.1
	// and PyTorch 2.4.
	text := out.String()
	assert.Contains(t, text, "| F, batch | ours, AVX-512 | ours, AVX2 | PyTorch | AVX-512 / PyTorch | AVX2 / PyTorch |")
	assert.Contains(t, text, "| 8, 16 | 0.100, 0.700 | 0.200, 0.800 | 0.600, 1.800 | 0.17, 0.39 | 0.33, 0.44 |")
	assert.Contains(t, text, "| 16, 32 | 0.400, 1.000 | 0.500, 1.100 | 1.200, 2.400 | 0.33, 0.42 | 0.42, 0.46 |")
	assert.Contains(t, text, "round 2, F=16 batch 32: ours AVX-512 1.000 s, ours AVX2 1.100 s, PyTorch 2.400 s; ours / PyTorch 0.42 0.46")
	assert.Contains(t, text, "PyTorch's BLAS: /usr/lib/openblas-pthread/libblas.so.3")
	assert.NotContains(t, text, "warning")
}

func TestBenchTorchKeepsTheCallersBLASSettingsAndWarnsOfReferenceBLAS(t *testing.T) {
	t.Setenv("OPENBLAS_NUM_THREADS", "2")
	t.Setenv("OPENBLAS_CORETYPE", "")
	f := &fakeSides{torch: "blas: /usr/lib/x86_64-linux-gnu/blas/libblas.so.3\ntorch: F=8 batch=16 device=cpu math=fp32 0.5 s/iteration\n"}
	s := torchSitting{rounds: 1, iterations: 1, threads: 2, sizes: [][2]int{{8, 16}},
		kernels: cpuKernelSets(true, false), self: "ours", python: "python3", script: "x.py", run: f.run}
	var out strings.Builder
	require.NoError(t, s.sit(context.Background(), &out))
	assert.Equal(t, []string{"ours WGANGP_CPU= 8:16", "torch OPENBLAS_CORETYPE=Haswell 8:16"}, f.calls)
	assert.Contains(t, out.String(), "warning: PyTorch is not using OpenBLAS")
	assert.Contains(t, out.String(), "| 8, 16 | 0.100 | 0.500 | 0.20 |")
}

func TestBenchTorchFailsOnAnAnswerWithoutItsFigure(t *testing.T) {
	for _, torch := range []string{
		"Traceback: no module named torch\n",
		"torch: F=16 batch=32 device=cpu math=fp32 0.5 s/iteration\n", // another size's line
	} {
		f := &fakeSides{torch: torch}
		s := torchSitting{rounds: 1, iterations: 1, threads: 2, sizes: [][2]int{{8, 16}},
			kernels: cpuKernelSets(false, false), self: "ours", python: "python3", script: "x.py", run: f.run}
		err := s.sit(context.Background(), &strings.Builder{})
		require.Error(t, err, torch)
		assert.Contains(t, err.Error(), "printed no \"torch: F=8 batch=16", torch)
	}
}

func TestParseSizes(t *testing.T) {
	got, err := parseSizes("8:16, 16:32")
	require.NoError(t, err)
	assert.Equal(t, [][2]int{{8, 16}, {16, 32}}, got)
	for _, bad := range []string{"8", "8:", "0:16", "8:x", "8:16,", ""} {
		_, err := parseSizes(bad)
		assert.Error(t, err, bad)
	}
}

func TestCPUKernelSets(t *testing.T) {
	assert.Equal(t, []kernelSet{{"AVX-512", ""}, {"AVX2", "avx2"}}, cpuKernelSets(true, true))
	assert.Equal(t, []kernelSet{{"AVX2", ""}}, cpuKernelSets(true, false))
	assert.Equal(t, []kernelSet{{"pure-Go", ""}}, cpuKernelSets(false, false))
}
