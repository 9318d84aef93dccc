package main

import (
	"bufio"
	"context"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/wgangp/wgangp/wgan/train"
)

// TestStopSignals runs the built command as a user would and stops it
// mid-run by SIGINT, SIGTERM, SIGHUP (a dropped ssh session) and by
// closing its stdout (| head): each time it must exit with code 3 within a
// few seconds, leaving a checkpoint that is valid and resumes.
func TestStopSignals(t *testing.T) {
	if testing.Short() {
		t.Skip("-short: skipping the tests that build the command")
	}
	ctx, cancel := context.WithTimeout(context.Background(), 4*time.Minute)
	defer cancel()
	bin := filepath.Join(t.TempDir(), "native")
	out, err := exec.CommandContext(ctx, "go", "build", "-o", bin, ".").CombinedOutput()
	require.NoError(t, err, "building: %s", out)
	data := writeFlowers(t, 24)

	for _, tc := range []struct {
		name string
		stop func(cmd *exec.Cmd, stdout *os.File) error
	}{
		{"SIGINT", func(c *exec.Cmd, _ *os.File) error { return c.Process.Signal(syscall.SIGINT) }},
		{"SIGTERM", func(c *exec.Cmd, _ *os.File) error { return c.Process.Signal(syscall.SIGTERM) }},
		{"SIGHUP", func(c *exec.Cmd, _ *os.File) error { return c.Process.Signal(syscall.SIGHUP) }},
		{"stdout closed", func(_ *exec.Cmd, r *os.File) error { return r.Close() }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			run := filepath.Join(t.TempDir(), "run")
			cmd := exec.CommandContext(ctx, bin, append([]string{"train"}, trainArgs("--data", data, "--iterations", "100000",
				"--out", run)...)...)
			var stderr strings.Builder
			cmd.Stderr = &stderr
			r, w, err := os.Pipe()
			require.NoError(t, err)
			cmd.Stdout = w
			require.NoError(t, cmd.Start())
			w.Close()
			defer cmd.Process.Kill()
			// Wait for the first iterations.
			sc := bufio.NewScanner(r)
			for n := 0; n < 3 && sc.Scan(); {
				if strings.Contains(sc.Text(), "lossD ") {
					n++
				}
			}
			if tc.name == "SIGINT" {
				// A second train of the run while the first writes it is refused.
				refused(t, runTrain, trainArgs("--resume", run), exitError,
					"--out "+run+" is being written by process "+strconv.Itoa(cmd.Process.Pid))
			}
			require.NoError(t, tc.stop(cmd, r))
			go func() { // keep reading (unless closed) so the command never blocks on its pipe
				for sc.Scan() {
				}
			}()
			done := make(chan error, 1)
			go func() { done <- cmd.Wait() }()
			select {
			case err = <-done:
			case <-time.After(20 * time.Second):
				t.Fatalf("still running 20 s after the stop; stderr:\n%s", stderr.String())
			}
			var ee *exec.ExitError
			require.True(t, errors.As(err, &ee), "exit: %v; stderr:\n%s", err, stderr.String())
			require.Equal(t, exitInterrupted, ee.ExitCode(), "stderr:\n%s", stderr.String())
			require.Contains(t, stderr.String(), "checkpoint saved: continue with --resume "+run)
			saved, err := train.ReadSaved(readCk(t, run))
			require.NoError(t, err)
			require.GreaterOrEqual(t, saved.Iteration, 3)
			_, err = os.Stat(filepath.Join(run, weightsName))
			require.NoError(t, err)
			// It resumes where it stopped.
			log := runOK(t, runTrain, trainArgs("--resume", run, "--iterations", "4")...)
			if saved.Iteration < 4 {
				require.Contains(t, log, "resumed at iteration 3")
			}
		})
	}
}

// TestSecondSignalQuits: a first Ctrl-C waits for the step under way; a
// second quits at once, killed by the signal's default action, and the
// last checkpoint saved before it stays whole. The model is the seed's
// size, so that a step (about a second here) outlasts the 100 ms between
// the two signals.
func TestSecondSignalQuits(t *testing.T) {
	if testing.Short() {
		t.Skip("-short: skipping the tests that build the command")
	}
	ctx, cancel := context.WithTimeout(context.Background(), 4*time.Minute)
	defer cancel()
	bin := filepath.Join(t.TempDir(), "native")
	out, err := exec.CommandContext(ctx, "go", "build", "-o", bin, ".").CombinedOutput()
	require.NoError(t, err, "building: %s", out)
	data := writeFlowers(t, 64)
	run := filepath.Join(t.TempDir(), "run")
	cmd := exec.CommandContext(ctx, bin, append([]string{"train"}, trainArgs("--data", data, "--iterations", "1000",
		"--filters", "64", "--batch", "64", "--out", run)...)...)
	var stderr strings.Builder
	cmd.Stderr = &stderr
	r, w, err := os.Pipe()
	require.NoError(t, err)
	cmd.Stdout = w
	require.NoError(t, cmd.Start())
	w.Close()
	defer cmd.Process.Kill()
	sc := bufio.NewScanner(r)
	for n := 0; n < 2 && sc.Scan(); { // the checkpoint of iteration 1 is saved
		if strings.Contains(sc.Text(), "lossD ") {
			n++
		}
	}
	go func() {
		for sc.Scan() {
		}
	}()
	require.NoError(t, cmd.Process.Signal(syscall.SIGINT))
	time.Sleep(100 * time.Millisecond)
	require.NoError(t, cmd.Process.Signal(syscall.SIGINT))
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	select {
	case err = <-done:
	case <-time.After(3 * time.Second):
		t.Fatalf("still running 3 s after the second signal; stderr:\n%s", stderr.String())
	}
	var ee *exec.ExitError
	require.True(t, errors.As(err, &ee), "exit: %v; stderr:\n%s", err, stderr.String())
	ws := ee.Sys().(syscall.WaitStatus)
	require.True(t, ws.Signaled() && ws.Signal() == syscall.SIGINT, "not killed by the second SIGINT: %v; stderr:\n%s", err, stderr.String())
	require.Contains(t, stderr.String(), "a second Ctrl-C (or signal) quits at once")
	saved, err := train.ReadSaved(readCk(t, run))
	require.NoError(t, err)
	require.GreaterOrEqual(t, saved.Iteration, 1)
}
