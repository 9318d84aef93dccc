package main

import (
	"bytes"
	"os"
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// TestBenchProfile: bench prints the plan's figures in the lines a script
// reads, the timed iterations, and with --profile N the profile of as
// many iterations again: the kinds of step, then the N slowest steps.
func TestBenchProfile(t *testing.T) {
	for _, backend := range []string{"cpu", "webgpu-software"} {
		t.Run(backend, func(t *testing.T) {
			if backend != "cpu" {
				b, err := openBackend(backend)
				if err != nil {
					if os.Getenv("CI") == "true" {
						t.Fatalf("no software WebGPU adapter (lavapipe) in CI: %v", err)
					}
					t.Skipf("no software WebGPU adapter: %v", err)
				}
				closeBackend(b)
			}
			var out bytes.Buffer
			require.NoError(t, runBench([]string{"--backend", backend, "--op-filters", "0", "--filters", "4", "--batch", "2", "--iterations", "2", "--profile", "3"}, &out))
			s := out.String()
			require.Regexp(t, `(?m)^D step: \d+ steps, \d+ dispatches, \d+ distinct kernels`, s)
			require.Regexp(t, `(?m)^G step: \d+ steps, \d+ dispatches`, s)
			require.Regexp(t, `(?m)^generator iteration: [0-9.]+ s \(median of 2\)$`, s)
			require.Equal(t, 3, strings.Count(s, "  iteration "), "the warm-up and 2 timed iterations")
			require.Regexp(t, `(?m)^profile: [0-9.]+ ms of steps per generator iteration`, s)
			require.Regexp(t, `(?m)^ +[0-9.]+ ms +[0-9.]+ % +\d+ steps  fused elementwise$`, s)
			tail := s[strings.Index(s, "the 3 slowest steps:"):]
			require.Len(t, regexp.MustCompile(`(?m)^ +[0-9.]+ ms  [DG] %\d+ = `).FindAllString(tail, -1), 3, tail)
		})
	}
}
