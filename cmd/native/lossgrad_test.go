package main

import (
	"io"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/wgangp/wgangp/safetensors"
	"github.com/wgangp/wgangp/wgan"
)

func writeInputs(t *testing.T, dir, file string, n, z int, drop string) string {
	t.Helper()
	r := rand.New(rand.NewPCG(2, 2))
	rnd := func(k int, f func() float64) []float32 {
		v := make([]float32, k)
		for i := range v {
			v[i] = float32(f())
		}
		return v
	}
	in := &safetensors.File{}
	add := func(name string, shape []int, data []float32) {
		if name != drop {
			in.Add(name, shape, data)
		}
	}
	add("x", []int{n, 3, 64, 64}, rnd(n*3*64*64, func() float64 { return 2*r.Float64() - 1 }))
	add("z", []int{n, z}, rnd(n*z, r.NormFloat64))
	add("epsilon", []int{n}, rnd(n, r.Float64))
	add("lambda", []int{1}, []float32{10})
	path := filepath.Join(dir, file)
	if err := safetensors.WriteFile(path, in); err != nil {
		t.Fatal(err)
	}
	return path
}

// TestLossGradCommand runs lossgrad end to end on the float32 and float64
// backends and checks that the file has every tensor and that they agree.
func TestLossGradCommand(t *testing.T) {
	dir := t.TempDir()
	const f, z, n = 4, 20, 2
	wpath := filepath.Join(dir, "w.safetensors")
	if err := safetensors.WriteFile(wpath, wgan.Init(f, z, rand.New(rand.NewPCG(1, 1)))); err != nil {
		t.Fatal(err)
	}
	ipath := writeInputs(t, dir, "inputs.safetensors", n, z, "")
	outs := map[string]*safetensors.File{}
	for _, b := range []string{"cpu", "cpu64"} {
		o := filepath.Join(dir, b+".safetensors")
		if err := runLossGrad([]string{"--weights", wpath, "--inputs", ipath, "--out", o, "--backend", b}, io.Discard); err != nil {
			t.Fatal(err)
		}
		res, err := safetensors.ReadFile(o)
		if err != nil {
			t.Fatal(err)
		}
		outs[b] = res
	}
	if err := outs["cpu"].Check(outputsSpec(f, z, n), ""); err != nil {
		t.Fatal(err)
	}
	for _, t32 := range outs["cpu"].Tensors {
		t64, _ := outs["cpu64"].Get(t32.Name)
		var maxRef, maxDiff float64
		for i := range t32.Data {
			maxRef = math.Max(maxRef, math.Abs(float64(t64.Data[i])))
			maxDiff = math.Max(maxDiff, math.Abs(float64(t32.Data[i]-t64.Data[i])))
		}
		if maxDiff > 1e-4*maxRef {
			t.Errorf("%s: float32 and float64 differ by %g (max |value| %g)", t32.Name, maxDiff, maxRef)
		}
	}
	lossD, _ := outs["cpu64"].Get("lossD")
	unreg, _ := outs["cpu64"].Get("lossD_unregularized")
	gp, _ := outs["cpu64"].Get("gradient_penalty")
	if d := lossD.Data[0] - unreg.Data[0] - gp.Data[0]; math.Abs(float64(d)) > 1e-6 {
		t.Errorf("lossD %v != unregularized %v + penalty %v", lossD.Data[0], unreg.Data[0], gp.Data[0])
	}
}

func TestLossGradErrors(t *testing.T) {
	dir := t.TempDir()
	wpath := filepath.Join(dir, "w.safetensors")
	if err := safetensors.WriteFile(wpath, wgan.Init(4, 20, rand.New(rand.NewPCG(1, 1)))); err != nil {
		t.Fatal(err)
	}
	good := writeInputs(t, dir, "good.safetensors", 2, 20, "")
	noEps := writeInputs(t, dir, "noeps.safetensors", 2, 20, "epsilon")
	wrongZ := writeInputs(t, dir, "wrongz.safetensors", 2, 7, "")
	truncated := filepath.Join(dir, "trunc.safetensors")
	b, _ := os.ReadFile(wpath)
	if err := os.WriteFile(truncated, b[:len(b)/2], 0o644); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(dir, "o.safetensors")
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"--weights", wpath, "--inputs", noEps, "--out", out}, "epsilon"},
		{[]string{"--weights", wpath, "--inputs", wrongZ, "--out", out}, "z"},
		{[]string{"--weights", truncated, "--inputs", good, "--out", out}, "trunc.safetensors"},
		{[]string{"--weights", good, "--inputs", good, "--out", out}, "gen.project.weight"},
		{[]string{"--weights", wpath, "--inputs", good, "--out", out, "--backend", "tpu"}, "unknown backend"},
		{[]string{"--weights", wpath}, "required"},
	} {
		err := runLossGrad(c.args, io.Discard)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%v: error %v, want one mentioning %q", c.args, err, c.want)
		}
	}
	if _, err := os.Stat(out); err == nil {
		t.Error("an output file was written despite the errors")
	}
}
