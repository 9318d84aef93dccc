package main

// The hand-off to PyTorch (python/wgangp_torch, README "When one machine is
// not enough"): a run of ours continued by torchrun on 2 ranks and taken
// back, the package's lossgrad against the engine's in float64, its Adam
// against the engine's, and its errors for checkpoints it cannot use. They
// need Debian's python3-torch (and python3-numpy, python3-pil): under CI a
// missing one is a failure, elsewhere a skip.

import (
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/wgangp/wgangp/engine"
	"github.com/wgangp/wgangp/engine/cpu"
	"github.com/wgangp/wgangp/safetensors"
	"github.com/wgangp/wgangp/wgan"
)

// torchPython returns a Python that imports torch, numpy and PIL:
// $WGANGP_PYTHON, else python3 on PATH, else /usr/bin/python3 (Debian's,
// where a pyenv python3 shadows it).
func torchPython(t *testing.T) string {
	t.Helper()
	cands := []string{os.Getenv("WGANGP_PYTHON"), "python3", "/usr/bin/python3"}
	var tried []string
	for _, c := range cands {
		if c == "" {
			continue
		}
		out, err := exec.Command(c, "-c", "import torch, numpy, PIL").CombinedOutput()
		if err == nil {
			return c
		}
		tried = append(tried, fmt.Sprintf("%s: %v %s", c, err, lastLine(string(out))))
	}
	msg := "no Python with torch, numpy and PIL (apt-get install python3-torch python3-pil): " + strings.Join(tried, "; ")
	if os.Getenv("CI") != "" {
		t.Fatal(msg)
	}
	t.Skip(msg)
	return ""
}

func lastLine(s string) string {
	l := strings.Split(strings.TrimSpace(s), "\n")
	return l[len(l)-1]
}

// runPython runs python with the package on its path in the repository
// root and returns its output; wantCode is the exit status expected.
func runPython(t *testing.T, py string, wantCode int, args ...string) string {
	t.Helper()
	root, err := filepath.Abs("../..")
	require.NoError(t, err)
	cmd := exec.Command(py, args...)
	cmd.Dir = root
	// OpenBLAS, where installed, is 30× slower on some AVX2 machines without
	// the two variables of MACHINE-NOTES.md.
	cmd.Env = append(os.Environ(), "PYTHONPATH="+filepath.Join(root, "python"), "OMP_NUM_THREADS=1", "PYTHONDONTWRITEBYTECODE=1",
		"OPENBLAS_NUM_THREADS=1", "OPENBLAS_CORETYPE=Haswell")
	out, err := cmd.CombinedOutput()
	code := 0
	if err != nil {
		ee, ok := err.(*exec.ExitError)
		require.True(t, ok, "%v: %v", args, err)
		code = ee.ExitCode()
	}
	require.Equal(t, wantCode, code, "%v:\n%s", args, out)
	return string(out)
}

func inspectCounts(t *testing.T, path string) string {
	t.Helper()
	out := runOK(t, runInspect, path)
	for _, l := range strings.Split(out, "\n") {
		if strings.HasPrefix(l, "iteration:") {
			return strings.Join(strings.Fields(l), " ")
		}
	}
	t.Fatalf("inspect %s printed no iteration:\n%s", path, out)
	return ""
}

// TestTorchHandoff: a Go run of 2 iterations, continued for 2 by torchrun
// on 2 CPU ranks (gloo), is a checkpoint that inspect, export and generate
// read and that the Go trainer resumes for 1 more.
func TestTorchHandoff(t *testing.T) {
	py := torchPython(t)
	data := writeFlowers(t, 140) // 32 held out for the SWD: the hold-out must match
	run := filepath.Join(t.TempDir(), "run")
	runOK(t, runTrain, "--headless", "--backend", "cpu", "--data", data, "--filters", "4", "--batch", "8",
		"--iterations", "2", "--swd-every", "2", "--swd-images", "32", "--out", run)
	require.Equal(t, "iteration: 2 (step_g 2, step_d 10)", inspectCounts(t, filepath.Join(run, "checkpoint.safetensors")))

	// the same continuation on one process, for the split across ranks
	one := filepath.Join(t.TempDir(), "one")
	require.NoError(t, os.MkdirAll(one, 0o755))
	raw, err := os.ReadFile(filepath.Join(run, "checkpoint.safetensors"))
	require.NoError(t, err)
	require.NoError(t, os.WriteFile(filepath.Join(one, "checkpoint.safetensors"), raw, 0o644))
	start, err := safetensors.ReadFile(filepath.Join(one, "checkpoint.safetensors"))
	require.NoError(t, err)
	runPython(t, py, 0, "-m", "wgangp_torch.train", "--resume", one, "--iterations", "4")

	out := runPython(t, py, 0, "-m", "wgangp_torch.torchrun", "--standalone", "--nproc_per_node", "2",
		"-m", "wgangp_torch.train", "--resume", run, "--iterations", "4")
	require.Contains(t, out, "batch 8 over 2 rank(s) on cpu; 108 pictures")
	require.Contains(t, out, "iteration 4/4")
	ckPath := filepath.Join(run, "checkpoint.safetensors")
	require.Equal(t, "iteration: 4 (step_g 4, step_d 20)", inspectCounts(t, ckPath))
	ck, err := safetensors.ReadFile(ckPath)
	require.NoError(t, err)
	require.Contains(t, ck.Metadata["backend"], "pytorch")
	require.Equal(t, data, ck.Metadata["data_dir"])
	require.Len(t, readLosses(t, filepath.Join(run, "losses.csv")), 4)
	// 2 ranks step as 1 process does (up to float32 sums in another order)
	single, err := safetensors.ReadFile(filepath.Join(one, "checkpoint.safetensors"))
	require.NoError(t, err)
	for _, p := range wgan.Params(4, 100) {
		a, _ := ck.Get(p.Name)
		b, _ := single.Get(p.Name)
		s, _ := start.Get(p.Name)
		var diff, moved float64
		for i := range a.Data {
			diff = math.Max(diff, math.Abs(float64(a.Data[i]-b.Data[i])))
			moved = math.Max(moved, math.Abs(float64(b.Data[i]-s.Data[i])))
		}
		require.LessOrEqual(t, diff, 1e-3*moved, "%s: 2 ranks differ from 1 by %g, the update was %g", p.Name, diff, moved)
	}
	for _, k := range []string{"stream_epoch", "stream_pos", "noise_state", "step_d", "iteration"} {
		require.Equal(t, single.Metadata[k], ck.Metadata[k], k)
	}
	for _, name := range []string{"grid-000001.png", "grid-000004.png", "grid-latest.png"} {
		require.FileExists(t, filepath.Join(run, name))
	}
	decodePNG(t, filepath.Join(run, "grid-000004.png"))
	w := filepath.Join(t.TempDir(), "w.safetensors")
	runOK(t, runExport, "--checkpoint", ckPath, "--out", w)
	wf, err := safetensors.ReadFile(w)
	require.NoError(t, err)
	require.NoError(t, wf.Check(wgan.Spec(4, 100), ""))
	runOK(t, runGenerate, "--weights", ckPath, "--n", "4", "--out", filepath.Join(t.TempDir(), "gen"))

	runOK(t, runTrain, "--headless", "--backend", "cpu", "--resume", run, "--iterations", "5")
	require.Equal(t, "iteration: 5 (step_g 5, step_d 25)", inspectCounts(t, ckPath))
	require.Len(t, readLosses(t, filepath.Join(run, "losses.csv")), 5)
}

// TestTorchLossGrad: the package's lossgrad equals the engine's (cpu64) on
// random weights and inputs: relative error ≤ 1e-5 on every tensor.
func TestTorchLossGrad(t *testing.T) {
	py := torchPython(t)
	dir := t.TempDir()
	r := rand.New(rand.NewPCG(7, 7))
	w := wgan.Init(testF, testZ, r)
	for i := range w.Tensors { // biases and γ/β away from 0 and 1
		for j := range w.Tensors[i].Data {
			w.Tensors[i].Data[j] += float32(0.05 * r.NormFloat64())
		}
	}
	weights := filepath.Join(dir, "weights.safetensors")
	require.NoError(t, safetensors.WriteFile(weights, w))
	inputs := writeInputs(t, dir, "inputs.safetensors", 3, testZ, "")
	goOut, pyOut := filepath.Join(dir, "go.safetensors"), filepath.Join(dir, "py.safetensors")
	runOK(t, runLossGrad, "--weights", weights, "--inputs", inputs, "--out", goOut, "--backend", "cpu64")
	runPython(t, py, 0, "-m", "wgangp_torch.lossgrad", "--weights", weights, "--inputs", inputs, "--out", pyOut)
	a, err := safetensors.ReadFile(goOut)
	require.NoError(t, err)
	b, err := safetensors.ReadFile(pyOut)
	require.NoError(t, err)
	require.Equal(t, len(a.Tensors), len(b.Tensors))
	worst := 0.0
	for _, ta := range a.Tensors {
		tb, ok := b.Get(ta.Name)
		require.True(t, ok, "PyTorch lacks %s", ta.Name)
		require.Equal(t, ta.Shape, tb.Shape, ta.Name)
		var diff, scale float64
		for i := range ta.Data {
			diff = math.Max(diff, math.Abs(float64(ta.Data[i])-float64(tb.Data[i])))
			scale = math.Max(scale, math.Abs(float64(tb.Data[i])))
		}
		rel := diff / math.Max(scale, 1e-30)
		worst = math.Max(worst, rel)
		require.LessOrEqual(t, rel, 1e-5, "%s: relative error %g", ta.Name, rel)
	}
	t.Logf("%d tensors, worst relative error %.3g", len(a.Tensors), worst)
}

// TestTorchAdam: MatlabAdam's step equals the engine's Adam (float32 CPU)
// bit for bit on the same parameters, moments and gradients.
func TestTorchAdam(t *testing.T) {
	py := torchPython(t)
	const n, step, lr = 1000, 3, 2e-4
	r := rand.New(rand.NewPCG(3, 3))
	vals := map[string][]float32{}
	for _, k := range []string{"p", "m", "v", "g"} {
		vals[k] = make([]float32, n)
		for i := range vals[k] {
			vals[k][i] = float32(r.NormFloat64())
		}
	}
	for i := range vals["v"] {
		vals["v"][i] *= vals["v"][i]
	}
	vals["g"][0], vals["m"][1] = 0, 0
	in := &safetensors.File{}
	for _, k := range []string{"p", "m", "v", "g"} {
		in.Add(k, []int{n}, append([]float32(nil), vals[k]...))
	}
	dir := t.TempDir()
	inPath, outPath := filepath.Join(dir, "in.safetensors"), filepath.Join(dir, "out.safetensors")
	require.NoError(t, safetensors.WriteFile(inPath, in))

	b := cpu.New[float32](1)
	g := engine.NewGraph()
	nodes := map[string]*engine.Node{}
	bind := map[*engine.Node]engine.Buffer{}
	for _, k := range []string{"p", "m", "v", "g", "rate"} {
		size := n
		if k == "rate" {
			size = 1
		}
		nodes[k] = g.Input(k, size)
		buf, err := b.NewBuffer(size)
		require.NoError(t, err)
		bind[nodes[k]] = buf
	}
	up := engine.Adam(nodes["p"], nodes["m"], nodes["v"], nodes["g"], nodes["rate"], 0, 0.9, 1e-8)
	prog, err := b.Compile(engine.NewPlan(nil, []*engine.Node{up}), bind)
	require.NoError(t, err)
	for _, k := range []string{"p", "m", "v", "g"} {
		require.NoError(t, bind[nodes[k]].Write(vals[k]))
	}
	rate := lr * math.Sqrt(1-math.Pow(0.9, step)) / (1 - math.Pow(0, step)) // wgan's adamRate
	require.NoError(t, bind[nodes["rate"]].Write([]float32{float32(rate)}))
	require.NoError(t, prog.Run())

	runPython(t, py, 0, "-c", fmt.Sprintf(`
import sys, torch
from wgangp_torch import safetensors
from wgangp_torch.adam import MatlabAdam
t, _ = safetensors.read(%q)
p = torch.nn.Parameter(torch.from_numpy(t["p"]))
opt = MatlabAdam([p], lr=%v, beta1=0.0, beta2=0.9, eps=1e-8, t=%d)
opt.state[p]["m"].copy_(torch.from_numpy(t["m"])); opt.state[p]["v"].copy_(torch.from_numpy(t["v"]))
p.grad = torch.from_numpy(t["g"])
opt.step()
assert opt.t == %d
safetensors.write(%q, [("p", p), ("m", opt.state[p]["m"]), ("v", opt.state[p]["v"])])
`, inPath, lr, step-1, step, outPath))
	got, err := safetensors.ReadFile(outPath)
	require.NoError(t, err)
	for _, k := range []string{"p", "m", "v"} {
		want := make([]float32, n)
		require.NoError(t, bind[nodes[k]].Read(want))
		tg, ok := got.Get(k)
		require.True(t, ok)
		for i := range want {
			require.Equal(t, math.Float32bits(want[i]), math.Float32bits(tg.Data[i]), "%s[%d]: engine %v, PyTorch %v", k, i, want[i], tg.Data[i])
		}
	}
}

// TestTorchBadCheckpoint: the PyTorch trainer refuses what it cannot
// continue, saying why, before it trains or writes anything.
func TestTorchBadCheckpoint(t *testing.T) {
	py := torchPython(t)
	dir := t.TempDir()
	ck := filepath.Join(dir, "ck.safetensors")
	// a valid checkpoint to break: a run of 1 iteration
	data := writeFlowers(t, 8)
	run := filepath.Join(dir, "run")
	runOK(t, runTrain, "--headless", "--backend", "cpu", "--data", data, "--filters", "4", "--batch", "4",
		"--iterations", "1", "--swd-every", "0", "--out", run)
	good, err := safetensors.ReadFile(filepath.Join(run, "checkpoint.safetensors"))
	require.NoError(t, err)
	raw, err := os.ReadFile(filepath.Join(run, "checkpoint.safetensors"))
	require.NoError(t, err)

	edit := func(f func(*safetensors.File)) string {
		c := &safetensors.File{Metadata: map[string]string{}}
		for k, v := range good.Metadata {
			c.Metadata[k] = v
		}
		for _, tn := range good.Tensors {
			c.Add(tn.Name, tn.Shape, append([]float32(nil), tn.Data...))
		}
		f(c)
		require.NoError(t, safetensors.WriteFile(ck, c))
		return ck
	}
	drop := func(name string) func(*safetensors.File) {
		return func(c *safetensors.File) {
			for i, tn := range c.Tensors {
				if tn.Name == name {
					c.Tensors = append(c.Tensors[:i], c.Tensors[i+1:]...)
					return
				}
			}
		}
	}
	weights := filepath.Join(run, "weights.safetensors")
	notST := filepath.Join(dir, "notes.txt")
	require.NoError(t, os.WriteFile(notST, []byte("hello, not a checkpoint"), 0o644))
	cases := []struct {
		name, path, want string
	}{
		{"missing file", filepath.Join(dir, "nope"), "does not exist"},
		{"folder without checkpoint", data, "not a run folder"},
		{"not safetensors", notST, "not a checkpoint"},
		{"weights file", weights, "a weights file"},
		{"truncated", func() string {
			p := filepath.Join(dir, "trunc.safetensors")
			require.NoError(t, os.WriteFile(p, raw[:len(raw)-100], 0o644))
			return p
		}(), "truncated"},
		{"missing moment", edit(drop("optim.v.disc.conv3.weight")), "lacks tensor optim.v.disc.conv3.weight"},
	}
	for _, c := range cases {
		out := runPython(t, py, 1, "-m", "wgangp_torch.train", "--resume", c.path, "--iterations", "1")
		require.Contains(t, out, c.want, c.name)
	}
	// the last ones edit ck in place, one after another
	for _, c := range []struct {
		f    func(*safetensors.File)
		want string
	}{
		{func(c *safetensors.File) {
			for i, tn := range c.Tensors {
				if tn.Name == "disc.conv1.bias" {
					c.Tensors[i].Shape, c.Tensors[i].Data = []int{3}, tn.Data[:3]
				}
			}
		}, "disc.conv1.bias has shape [3], want [4]"},
		{func(c *safetensors.File) { c.Metadata["step_d"] = "7" }, "step counts"},
		{func(c *safetensors.File) { delete(c.Metadata, "noise_state") }, "noise_state"},
		{func(c *safetensors.File) { c.Metadata["config"] = "{}" }, "configuration"},
		{func(c *safetensors.File) { c.Metadata["data_images"] = "9" }, "trained on 9 pictures"},
	} {
		out := runPython(t, py, 1, "-m", "wgangp_torch.train", "--resume", edit(c.f), "--iterations", "1")
		require.Contains(t, out, c.want)
	}
	entries, err := os.ReadDir(dir)
	require.NoError(t, err)
	for _, e := range entries {
		require.False(t, strings.HasSuffix(e.Name(), ".tmp"), "left %s", e.Name())
	}
}
