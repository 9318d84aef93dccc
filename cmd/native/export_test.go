package main

import (
	"bytes"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/wgangp/wgangp/safetensors"
	"github.com/wgangp/wgangp/wgan"
)

// testCheckpoint is a checkpoint of the test model written to path, with
// the Steps that made it.
type testCheckpoint struct {
	path  string
	steps *wgan.Steps
}

// writeCheckpoint trains the test model (batch 2), from the weights of
// writeWeights, for iters iterations of one D step and one G step, so that
// weights and moments move, and writes its checkpoint.
func writeCheckpoint(t *testing.T, dir string, iters int) testCheckpoint {
	t.Helper()
	cfg := wgan.SeedConfig()
	cfg.Filters, cfg.Latent, cfg.Batch, cfg.Critic = testF, testZ, 2, 1
	b, _ := openBackend("cpu")
	s, err := wgan.NewSteps(b, cfg, wgan.Init(testF, testZ, rand.New(rand.NewPCG(1, 1))))
	if err != nil {
		t.Fatal(err)
	}
	in := wgan.NewStepInputs(cfg)
	r := rand.New(rand.NewPCG(5, 5))
	for range iters {
		in.Random(r)
		if _, err := s.DStep(in.X, in.Z, in.Eps); err != nil {
			t.Fatal(err)
		}
		if _, err := s.GStep(in.Z); err != nil {
			t.Fatal(err)
		}
	}
	ck, err := s.Checkpoint(nil) // a model's checkpoint: step counts, no trainer metadata
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, "checkpoint.safetensors")
	if err := safetensors.WriteFile(path, ck); err != nil {
		t.Fatal(err)
	}
	return testCheckpoint{path, s}
}

// TestExport checks that export writes exactly the Steps' weights, bit for
// bit, in the bytes train writes for them, and nothing else.
func TestExport(t *testing.T) {
	dir := t.TempDir()
	ck := writeCheckpoint(t, dir, 2)
	out := filepath.Join(dir, "w.safetensors")
	msg := runOK(t, runExport, "--checkpoint", ck.path, "--out", out)
	gen, disc := paramCounts(testF, testZ)
	for _, want := range []string{out, "iteration 2, step_d 2", "F=4, Z=20", "26 tensors", "parameters (generator"} {
		if !strings.Contains(msg, want) {
			t.Errorf("output lacks %q:\n%s", want, msg)
		}
	}
	got, err := safetensors.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	want, err := ck.steps.Weights()
	if err != nil {
		t.Fatal(err)
	}
	if f, z, err := wgan.SizeOf(got, false); err != nil || f != testF || z != testZ {
		t.Fatalf("exported file: F=%d, Z=%d, %v", f, z, err)
	}
	if len(got.Metadata) != 0 {
		t.Errorf("exported file has metadata %v", got.Metadata)
	}
	total := 0
	for i, wt := range want.Tensors {
		gt := got.Tensors[i]
		if gt.Name != wt.Name {
			t.Fatalf("tensor %d is %s, want %s", i, gt.Name, wt.Name)
		}
		for j := range wt.Data {
			if math.Float32bits(gt.Data[j]) != math.Float32bits(wt.Data[j]) {
				t.Fatalf("%s[%d] = %v, Steps hold %v", wt.Name, j, gt.Data[j], wt.Data[j])
			}
		}
		total += len(gt.Data)
	}
	if total != gen+disc {
		t.Errorf("%d values, want %d parameters", total, gen+disc)
	}
	file, _ := os.ReadFile(out)
	if !bytes.Equal(file, want.Bytes()) {
		t.Error("the exported file is not byte for byte the encoding of Steps.Weights (what train writes)")
	}
	init := wgan.Init(testF, testZ, rand.New(rand.NewPCG(1, 1)))
	if a, b := init.Tensors[0].Data[0], got.Tensors[0].Data[0]; a == b {
		t.Errorf("the test checkpoint's weights did not move from their initial values (%v)", a)
	}
}

func TestExportErrors(t *testing.T) {
	dir := t.TempDir()
	ck := writeCheckpoint(t, dir, 0)
	weights := writeWeights(t, dir)
	f, _ := safetensors.ReadFile(ck.path)
	lost := f.Tensors[len(f.Tensors)-1].Name
	f.Tensors = f.Tensors[:len(f.Tensors)-1]
	lacking := filepath.Join(dir, "lacking.safetensors")
	if err := safetensors.WriteFile(lacking, f); err != nil {
		t.Fatal(err)
	}
	b, _ := os.ReadFile(ck.path)
	truncated := filepath.Join(dir, "trunc.safetensors")
	if err := os.WriteFile(truncated, b[:len(b)/2], 0o644); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(dir, "out.safetensors")
	wantErrors(t, runExport, []errCase{
		{[]string{"--checkpoint", weights, "--out", out}, []string{"weights.safetensors", "already a weights file", "F=4, Z=20"}},
		{[]string{"--checkpoint", lacking, "--out", out}, []string{"lacking.safetensors", lost, "missing"}},
		{[]string{"--checkpoint", truncated, "--out", out}, []string{"trunc.safetensors"}},
		{[]string{"--checkpoint", filepath.Join(dir, "none.safetensors"), "--out", out}, []string{"none.safetensors", "no such file"}},
		{[]string{"--checkpoint", ck.path, "--out", ck.path}, []string{"is the input", "would destroy it"}},
		{[]string{"--checkpoint", ck.path, "--out", filepath.Join(dir, "no", "dir", "w.safetensors")}, []string{"w.safetensors"}},
		{[]string{"--checkpoint", ck.path}, []string{"required"}},
	})
	if _, err := os.Stat(out); err == nil {
		t.Error("an output file was written despite the errors")
	}
	if after, _ := os.ReadFile(ck.path); !bytes.Equal(after, b) {
		t.Error("the checkpoint changed")
	}
}
