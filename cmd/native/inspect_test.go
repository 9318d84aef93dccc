package main

import (
	"encoding/json"
	"io"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/wgangp/wgangp/safetensors"
	"github.com/wgangp/wgangp/wgan"
)

// TestInspectCheckpoint checks the text report of a checkpoint: kind,
// iteration, counts, pretty-printed configuration and aligned tensor rows.
func TestInspectCheckpoint(t *testing.T) {
	dir := t.TempDir()
	ck := writeCheckpoint(t, dir, 2)
	text := runOK(t, runInspect, ck.path)
	gen, disc := paramCounts(testF, testZ)
	values := 3 * (gen + disc)
	for _, want := range []string{
		"kind:       checkpoint (F=4, Z=20)",
		"iteration:  2 (step_g 2, step_d 2)",
		"parameters: " + strconv.Itoa(gen+disc) + " (generator " + strconv.Itoa(gen) + ", critic " + strconv.Itoa(disc) + ")",
		"elements:   " + strconv.Itoa(values) + " in 78 tensors",
		"\n  config:\n    {\n      \"Filters\": 4,\n      \"Latent\": 20,",
		"format:  wgangp-checkpoint-1",
		"gen.project.weight", "[512 20]", "optim.v.disc.conv5.weight", "[1 32 4 4]",
	} {
		if !strings.Contains(text, want) {
			t.Errorf("report lacks %q:\n%s", want, text)
		}
	}
	// Every tensor row has its dtype in the same column.
	_, table, _ := strings.Cut(text, "\ntensors:\n")
	rows := strings.Split(strings.TrimSuffix(table, "\n"), "\n")
	if len(rows) != 79 {
		t.Fatalf("%d table rows, want a header and 78 tensors", len(rows))
	}
	col := strings.Index(rows[0], "dtype")
	for _, r := range rows[1:] {
		if strings.Index(r, " F32 ") != col-1 {
			t.Fatalf("row not aligned with the header:\n%s\n%s", rows[0], r)
		}
	}
}

// TestInspectJSON checks --json (given after the file): the statistics of
// known values, an empty tensor, and the checkpoint's fields.
func TestInspectJSON(t *testing.T) {
	dir := t.TempDir()
	f := &safetensors.File{Metadata: map[string]string{"note": "hand made"}}
	f.Add("ramp", []int{2, 2}, []float32{1, 2, 3, 4})
	f.Add("empty", []int{0, 3}, []float32{})
	path := filepath.Join(dir, "ramp.safetensors")
	if err := safetensors.WriteFile(path, f); err != nil {
		t.Fatal(err)
	}
	var in inspection
	if err := json.Unmarshal([]byte(runOK(t, runInspect, path, "--json")), &in); err != nil {
		t.Fatal(err)
	}
	if in.Kind != "unknown" || in.Problem != "" || in.Elements != 4 || in.Metadata["note"] != "hand made" || len(in.Tensors) != 2 {
		t.Fatalf("got %+v", in)
	}
	for _, ti := range in.Tensors {
		switch ti.Name {
		case "ramp":
			s := ti.Stats
			if s == nil || s.Min != 1 || s.Max != 4 || s.Mean != 2.5 || math.Abs(s.Std-math.Sqrt(1.25)) > 1e-12 || ti.Elements != 4 || ti.DType != "F32" {
				t.Errorf("ramp: %+v %+v", ti, s)
			}
		case "empty":
			if ti.Stats != nil || ti.Elements != 0 || len(ti.Shape) != 2 {
				t.Errorf("empty: %+v %+v", ti, ti.Stats)
			}
		}
	}
	text := runOK(t, runInspect, path)
	if !strings.Contains(text, "\n  empty  [0 3]  F32           0    -    -     -      -\n") {
		t.Errorf("the empty tensor's row is not dashes, aligned:\n%s", text)
	}

	ck := writeCheckpoint(t, dir, 1)
	in = inspection{}
	if err := json.Unmarshal([]byte(runOK(t, runInspect, "--json", ck.path)), &in); err != nil {
		t.Fatal(err)
	}
	gen, disc := paramCounts(testF, testZ)
	var cfg wgan.Config
	if err := json.Unmarshal(in.Config, &cfg); err != nil || cfg.Filters != testF || cfg.Batch != 2 {
		t.Errorf("config %s: %v", in.Config, err)
	}
	if in.Kind != "checkpoint" || in.StepG == nil || *in.StepG != 1 || *in.StepD != 1 || in.Parameters != gen+disc ||
		in.Filters != testF || in.Latent != testZ || len(in.Tensors) != 78 {
		t.Errorf("checkpoint: %+v", in)
	}
}

// TestInspectKinds checks the kind of every file this program writes, and
// the reason given for a file that almost is one.
func TestInspectKinds(t *testing.T) {
	dir := t.TempDir()
	weights := writeWeights(t, dir)
	w, _ := safetensors.ReadFile(weights)
	in, _ := safetensors.ReadFile(writeInputs(t, dir, "inputs.safetensors", 2, testZ, ""))
	b, _ := openBackend("cpu")
	outputs, err := lossGrad(b, w, in)
	if err != nil {
		t.Fatal(err)
	}
	broken := &safetensors.File{Tensors: w.Tensors[:3]}
	noEps, _ := safetensors.ReadFile(writeInputs(t, dir, "noeps.safetensors", 2, testZ, "epsilon"))
	ck, _ := safetensors.ReadFile(writeCheckpoint(t, dir, 0).path)
	ck.Metadata["step_g"] = "soon"
	for _, c := range []struct {
		name string
		f    *safetensors.File
		kind string
		want string // in the problem
		n    int
	}{
		{"weights", w, "weights", "", 0},
		{"latents", drawLatents(5, testZ, 1), "latents", "", 5},
		{"inputs", in, "lossgrad-inputs", "", 2},
		{"outputs", outputs, "lossgrad-outputs", "", 2},
		{"broken weights", broken, "unknown", "gen.tconv2.weight: missing", 0},
		{"inputs without epsilon", noEps, "unknown", "epsilon: missing", 0},
		{"bad step count", ck, "checkpoint", `step_g "soon"`, 0},
	} {
		got := inspect(c.f)
		if got.Kind != c.kind || !strings.Contains(got.Problem, c.want) || (c.want == "") != (got.Problem == "") || got.Samples != c.n {
			t.Errorf("%s: kind %s, n=%d, problem %q; want %s, n=%d, problem with %q", c.name, got.Kind, got.Samples, got.Problem, c.kind, c.n, c.want)
		}
	}
}

func TestInspectErrors(t *testing.T) {
	dir := t.TempDir()
	weights := writeWeights(t, dir)
	b, _ := os.ReadFile(weights)
	truncated := filepath.Join(dir, "trunc.safetensors")
	if err := os.WriteFile(truncated, b[:len(b)-1], 0o644); err != nil {
		t.Fatal(err)
	}
	text := filepath.Join(dir, "notes.txt")
	if err := os.WriteFile(text, []byte("just some notes, not tensors"), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{filepath.Join(dir, "missing.safetensors")}, "missing.safetensors"},
		{[]string{truncated}, "trunc.safetensors"},
		{[]string{text}, "notes.txt"},
		{[]string{dir}, "a folder, not a regular file"},
		{nil, "one file, got 0"},
		{[]string{weights, weights}, "one file, got 2"},
		{[]string{"--yaml", weights}, "yaml"},
	} {
		err := runInspect(c.args, io.Discard)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%v: error %v, want one mentioning %q", c.args, err, c.want)
		}
	}
}
