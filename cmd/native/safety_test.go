package main

import (
	"bytes"
	"errors"
	"io"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/wgangp/wgangp/safetensors"
	"github.com/wgangp/wgangp/wgan/train"
)

// The cases of issue 10 ("nothing lost, nothing hangs"): each bad input
// gives its error and exit code at once, and every file stays byte for
// byte as it was.

// trainArgs trains the test model quickly: F=4, batch 8, SWD off.
func trainArgs(extra ...string) []string {
	return append([]string{"--headless", "--backend", "cpu", "--preset", "tiny", "--filters", "4", "--batch", "8",
		"--swd-every", "0", "--every", "1", "--checkpoint-every", "1"}, extra...)
}

// makeRun trains 2 iterations into a new run folder and returns it with
// its data folder.
func makeRun(t *testing.T) (run, data string) {
	t.Helper()
	data = writeFlowers(t, 24)
	run = filepath.Join(t.TempDir(), "run")
	runOK(t, runTrain, trainArgs("--data", data, "--iterations", "2", "--out", run)...)
	return run, data
}

// snapshot holds every file under dir, by relative path.
func snapshot(t *testing.T, dirs ...string) map[string][]byte {
	t.Helper()
	files := map[string][]byte{}
	for _, dir := range dirs {
		require.NoError(t, filepath.Walk(dir, func(path string, fi os.FileInfo, err error) error {
			if err != nil || !fi.Mode().IsRegular() {
				return err
			}
			b, err := os.ReadFile(path)
			files[path] = b
			return err
		}))
	}
	return files
}

// unchanged fails unless the files under dirs are those of before.
func unchanged(t *testing.T, before map[string][]byte, dirs ...string) {
	t.Helper()
	after := snapshot(t, dirs...)
	require.Equal(t, slices.Sorted(maps.Keys(before)), slices.Sorted(maps.Keys(after)), "files were added or removed")
	for name, b := range before {
		require.True(t, bytes.Equal(b, after[name]), "%s changed", name)
	}
}

// refused runs a command that must fail within a few seconds with every
// want in its error and the given exit code.
func refused(t *testing.T, run func([]string, io.Writer) error, args []string, code int, want ...string) error {
	t.Helper()
	done := make(chan error, 1)
	go func() { done <- run(args, io.Discard) }()
	var err error
	select {
	case err = <-done:
	case <-time.After(10 * time.Second):
		t.Fatalf("%q did not return within 10 s", args)
	}
	require.Error(t, err, "%q", args)
	for _, w := range want {
		require.ErrorContains(t, err, w, "%q", args)
	}
	require.Equal(t, code, exitCode(err), "exit code of %q (%v)", args, err)
	return err
}

// TestNothingOverwritten: no command writes onto a run it was not asked to
// resume, nor onto one of its inputs.
func TestNothingOverwritten(t *testing.T) {
	run, data := makeRun(t)
	other, _ := makeRun(t)
	dir := t.TempDir()
	weights := writeWeights(t, dir)
	inputs := writeInputs(t, dir, "inputs.safetensors", 2, testZ, "")
	gen := filepath.Join(dir, "gen")
	runOK(t, runGenerate, "--weights", weights, "--n", "2", "--out", gen)
	latents := filepath.Join(gen, "latents.safetensors")
	ck := filepath.Join(run, checkpointName)
	file := filepath.Join(dir, "notes.txt")
	require.NoError(t, os.WriteFile(file, []byte("notes"), 0o644))
	before := snapshot(t, run, other, dir)
	for _, tc := range []struct {
		name string
		run  func([]string, io.Writer) error
		args []string
		want []string
	}{
		{"train into a run without --resume", runTrain, trainArgs("--data", data, "--iterations", "3", "--out", run),
			[]string{"already holds a run (checkpoint.safetensors", "--resume " + run, "nothing was written"}},
		{"--out checked before the data", runTrain, trainArgs("--data", filepath.Join(dir, "no such folder"), "--out", run),
			[]string{"already holds a run"}},
		{"resume into another run", runTrain, trainArgs("--resume", run, "--out", other), []string{"--out " + other + " already holds a run"}},
		{"train into a file", runTrain, trainArgs("--out", file), []string{"is a file, not a folder"}},
		{"lossgrad over its weights", runLossGrad, []string{"--weights", weights, "--inputs", inputs, "--out", weights},
			[]string{"--out " + weights + " is the input " + weights, "would destroy it"}},
		{"lossgrad over its inputs", runLossGrad, []string{"--weights", weights, "--inputs", inputs, "--out", inputs}, []string{"is the input"}},
		{"lossgrad over a folder", runLossGrad, []string{"--weights", weights, "--inputs", inputs, "--out", gen}, []string{"is a folder"}},
		{"export over its checkpoint", runExport, []string{"--checkpoint", ck, "--out", ck}, []string{"is the input"}},
		{"export over it through a link", runExport, []string{"--checkpoint", ck, "--out", filepath.Join(run, ".", checkpointName)}, []string{"is the input"}},
		{"generate over its latents", runGenerate, []string{"--weights", weights, "--latents", latents, "--out", gen},
			[]string{"latents.safetensors is the input"}},
		{"generate over its weights", runGenerate, []string{"--weights", latents, "--out", gen}, []string{"is the input"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			refused(t, tc.run, tc.args, exitError, tc.want...)
			unchanged(t, before, run, other, dir)
		})
	}
}

// TestNotRegularFiles: devices, FIFOs and folders given as files are
// refused at once, by every command that reads a safetensors file.
func TestNotRegularFiles(t *testing.T) {
	dir := t.TempDir()
	fifo := filepath.Join(dir, "fifo")
	require.NoError(t, syscall.Mkfifo(fifo, 0o644))
	weights := writeWeights(t, dir)
	inputs := writeInputs(t, dir, "inputs.safetensors", 2, testZ, "")
	for _, tc := range []struct {
		name string
		run  func([]string, io.Writer) error
		args []string
		want string
	}{
		{"inspect /dev/zero", runInspect, []string{"/dev/zero"}, "/dev/zero: a device, not a regular file"},
		{"generate from /dev/urandom", runGenerate, []string{"--weights", "/dev/urandom", "--out", filepath.Join(dir, "g")}, "a device, not a regular file"},
		{"resume a FIFO", runTrain, trainArgs("--resume", fifo), "a named pipe (FIFO), not a regular file"},
		{"export a FIFO", runExport, []string{"--checkpoint", fifo, "--out", filepath.Join(dir, "w.safetensors")}, "a named pipe (FIFO)"},
		{"lossgrad inputs from /dev/zero", runLossGrad, []string{"--weights", weights, "--inputs", "/dev/zero", "--out", filepath.Join(dir, "o.safetensors")}, "a device"},
		{"lossgrad weights from a folder", runLossGrad, []string{"--weights", dir, "--inputs", inputs, "--out", filepath.Join(dir, "o.safetensors")}, "a folder, not a regular file"},
		{"a name with escape codes", runInspect, []string{filepath.Join(dir, "x\x1b[2J\ny.safetensors")}, `x\x1b[2J\ny.safetensors"`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := refused(t, tc.run, tc.args, exitError, tc.want)
			require.NotContains(t, err.Error(), "\x1b")
		})
	}
	_, err := os.Stat(filepath.Join(dir, "g"))
	require.ErrorIs(t, err, os.ErrNotExist, "generate made its folder")
}

// editCheckpoint writes a copy of the run's checkpoint with metadata
// changed (and, with scale, its critic weights multiplied).
func editCheckpoint(t *testing.T, run, name string, meta map[string]string, scale float32) string {
	t.Helper()
	ck, err := safetensors.ReadFile(filepath.Join(run, checkpointName))
	require.NoError(t, err)
	for k, v := range meta {
		ck.Metadata[k] = v
	}
	if scale != 0 {
		for _, x := range ck.Tensors {
			if strings.HasPrefix(x.Name, "disc.conv") && strings.HasSuffix(x.Name, ".weight") {
				for i := range x.Data {
					x.Data[i] *= scale
				}
			}
		}
	}
	dir := filepath.Join(t.TempDir(), name)
	require.NoError(t, os.Mkdir(dir, 0o755))
	require.NoError(t, safetensors.WriteFile(filepath.Join(dir, checkpointName), ck))
	return dir
}

// TestBadCheckpointMetadata: a checkpoint whose metadata is inconsistent
// is reported by inspect and refused by export and by --resume.
func TestBadCheckpointMetadata(t *testing.T) {
	run, _ := makeRun(t)
	ck, err := safetensors.ReadFile(filepath.Join(run, checkpointName))
	require.NoError(t, err)
	critic := strings.Replace(ck.Metadata["config"], `"Critic":5`, `"Critic":1000000000`, 1)
	require.NotEqual(t, critic, ck.Metadata["config"])
	for _, tc := range []struct {
		name string
		meta map[string]string
		want string
	}{
		{"iteration -5", map[string]string{"iteration": "-5"}, `iteration "-5"`},
		{"iteration abc", map[string]string{"iteration": "abc"}, `iteration "abc"`},
		{"step count not the iteration", map[string]string{"step_g": "7"}, "step_g 7 does not match iteration 2"},
		{"step_d not the iteration's", map[string]string{"step_d": "3"}, "step_d 3 does not match iteration 2 × 5 critic steps"},
		{"target below the iteration", map[string]string{"iterations": "1"}, "iteration 2 is past the run's target of 1"},
		{"10⁹ critic steps", map[string]string{"config": critic}, "critic steps per generator step must be in [1, 100], got 1000000000"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := editCheckpoint(t, run, "bad", tc.meta, 0)
			path := filepath.Join(dir, checkpointName)
			before := snapshot(t, dir)
			in := inspectFile(t, path)
			require.Contains(t, in.Problem, "not a valid checkpoint: ")
			require.Contains(t, in.Problem, tc.want)
			require.Nil(t, in.StepG)
			refused(t, runExport, []string{"--checkpoint", path, "--out", filepath.Join(dir, "w.safetensors")}, exitError, tc.want)
			refused(t, runTrain, trainArgs("--resume", dir), exitError, tc.want)
			unchanged(t, before, dir)
		})
	}
}

func inspectFile(t *testing.T, path string) *inspection {
	t.Helper()
	f, err := safetensors.ReadFile(path)
	require.NoError(t, err)
	return inspect(f)
}

// TestResumeFlags: --resume takes the checkpoint's options; a flag that
// repeats one is fine, one that changes it is refused, and so is a target
// below the checkpoint or data from elsewhere.
func TestResumeFlags(t *testing.T) {
	run, data := makeRun(t)
	elsewhere := writeFlowers(t, 24)
	before := snapshot(t, run, data)
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"--swd-every", "7"}, "--swd-every cannot change a resumed run"},
		{[]string{"--filters", "8"}, "--filters cannot change a resumed run"},
		{[]string{"--seed", "9"}, "--seed cannot change a resumed run"},
		{[]string{"--batch", "16"}, "--batch cannot change a resumed run"},
		{[]string{"--iterations", "1"}, "--iterations 1 is below the checkpoint's iteration 2"},
		{[]string{"--data", elsewhere}, "--data cannot change a resumed run: it trains on " + data},
		{[]string{"--crop", "center"}, "--crop cannot change a resumed run"},
		{[]string{"--lr-g", "Inf"}, "generator learning rate must be in (0, 1], got +Inf"},
	} {
		refused(t, runTrain, trainArgs(append([]string{"--resume", run}, tc.args...)...), exitError, tc.want)
		unchanged(t, before, run, data)
	}
	refused(t, runTrain, []string{"--headless", "--backend", "cpu", "--resume", run, "--preset", "small"}, exitError,
		"--preset cannot change a resumed run (its checkpoint fixes F=4, batch 8")
	unchanged(t, before, run, data)
	// Repeating the checkpoint's own values (trainArgs repeats F, batch,
	// --swd-every 0 and the preset's F and batch) resumes.
	log := runOK(t, runTrain, trainArgs("--resume", run, "--data", data, "--iterations", "3", "--lr-g", "5e-4")...)
	require.Contains(t, log, "resumed at iteration 2")
	require.Contains(t, log, "learning rates now 0.0002 (D) and 0.0005 (G)")
	saved, err := train.ReadSaved(readCk(t, run))
	require.NoError(t, err)
	require.Equal(t, 3, saved.Iteration)
	require.Equal(t, 5e-4, saved.Config.LRG)

	// The data folder moved: --data says where it went.
	moved := data + "-moved"
	require.NoError(t, os.Rename(data, moved))
	refused(t, runTrain, trainArgs("--resume", run, "--iterations", "4"), exitError, data)
	log = runOK(t, runTrain, trainArgs("--resume", run, "--data", moved, "--iterations", "4")...)
	require.Contains(t, log, "resumed at iteration 3")
	require.Equal(t, moved, readCk(t, run).Metadata["data_dir"])
}

func readCk(t *testing.T, run string) *safetensors.File {
	t.Helper()
	ck, err := safetensors.ReadFile(filepath.Join(run, checkpointName))
	require.NoError(t, err)
	return ck
}

// TestBadOptions: options out of bounds are refused before anything is
// allocated or written, naming the flag.
func TestBadOptions(t *testing.T) {
	parent := t.TempDir()
	out := filepath.Join(parent, "run")
	for _, tc := range []struct {
		args []string
		code int
		want string
	}{
		{[]string{"--filters", "100000"}, exitError, "--filters: filters must be in [1, 1024], got 100000"},
		{[]string{"--filters", "1024", "--batch", "4096"}, exitError, "needs about"},
		{[]string{"--lr-g", "Inf"}, exitError, "--lr-g: the generator learning rate must be in (0, 1], got +Inf"},
		{[]string{"--lr-d", "NaN"}, exitError, "--lr-d: the discriminator learning rate must be in (0, 1], got NaN"},
		{[]string{"--iterations", "99999999999"}, exitError, "--iterations: iterations must be in [0, 10000000]"},
		{[]string{"--bogus"}, exitUsage, "flag provided but not defined: -bogus"},
		{[]string{"extra"}, exitUsage, "unexpected argument"},
	} {
		refused(t, runTrain, trainArgs(append(tc.args, "--out", out)...), tc.code, tc.want)
		ents, err := os.ReadDir(parent)
		require.NoError(t, err)
		require.Empty(t, ents, "%v wrote something", tc.args)
	}
}

// TestDivergence: a run whose losses become non-finite stops at that
// iteration with exit code 4, says where the last good checkpoint is and
// what to try, and keeps that checkpoint byte for byte.
func TestDivergence(t *testing.T) {
	run, _ := makeRun(t)
	dir := editCheckpoint(t, run, "blowup", nil, 1e30)
	before := readFileT(t, filepath.Join(dir, checkpointName))
	err := refused(t, runTrain, trainArgs("--resume", dir, "--iterations", "10"), exitDiverged,
		"training diverged at iteration 3", "the last good checkpoint is "+filepath.Join(dir, checkpointName)+" (iteration 2), kept",
		"smaller learning rate: --resume "+dir+" --lr-d 0.0001 --lr-g 0.0005")
	var div *train.DivergedError
	require.True(t, errors.As(err, &div))
	require.True(t, bytes.Equal(before, readFileT(t, filepath.Join(dir, checkpointName))), "the checkpoint changed")
	_, err = os.Stat(filepath.Join(dir, weightsName))
	require.ErrorIs(t, err, os.ErrNotExist, "a diverged run wrote weights")
}

func readFileT(t *testing.T, path string) []byte {
	t.Helper()
	b, err := os.ReadFile(path)
	require.NoError(t, err)
	return b
}

// TestStaleTemporaryFiles: the temporary files of writes that a kill
// interrupted are removed when the run is resumed, and nothing else is.
func TestStaleTemporaryFiles(t *testing.T) {
	run, _ := makeRun(t)
	stale := []string{".grid-latest.png.123456.tmp", ".checkpoint.safetensors.42.tmp", ".png-98765"}
	for _, n := range stale {
		require.NoError(t, os.WriteFile(filepath.Join(run, n), []byte("half"), 0o644))
	}
	require.NoError(t, os.WriteFile(filepath.Join(run, "mine.txt"), []byte("keep"), 0o644))
	log := runOK(t, runTrain, trainArgs("--resume", run, "--iterations", "3")...)
	require.Contains(t, log, "removed 3 temporary file(s) of an interrupted write from "+run)
	for _, n := range stale {
		_, err := os.Stat(filepath.Join(run, n))
		require.ErrorIs(t, err, os.ErrNotExist, n)
	}
	require.Equal(t, "keep", string(readFileT(t, filepath.Join(run, "mine.txt"))))
}

// TestExitCodes: the kinds of error and their codes.
func TestExitCodes(t *testing.T) {
	require.Equal(t, exitOK, exitCode(nil))
	require.Equal(t, exitUsage, exitCode(usage(errors.New("x"))))
	require.Equal(t, exitInterrupted, exitCode(&interruptedError{why: "stopped by a signal", iteration: 3, dir: "d"}))
	require.Equal(t, exitDiverged, exitCode(&divergedError{div: &train.DivergedError{Iteration: 1}}))
	require.Equal(t, exitError, exitCode(errors.New("x")))
	require.Equal(t, `a\x1b[2Jb`+"\n\tc", sanitize("a\x1b[2Jb\n\tc"))
}

// TestLineWriter: a skipped file's name with a newline or an escape code
// prints as one line, escaped.
func TestLineWriter(t *testing.T) {
	var b strings.Builder
	lineWriter{&b}.Write([]byte("skipped a\nb\x1b[2J.png: not a picture\n"))
	require.Equal(t, `skipped a\x0ab\x1b[2J.png: not a picture`+"\n", b.String())
}
