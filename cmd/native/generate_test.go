package main

import (
	"bytes"
	"fmt"
	"image"
	"image/png"
	"io"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/wgangp/wgangp/safetensors"
	"github.com/wgangp/wgangp/wgan"
	"github.com/wgangp/wgangp/wgan/train"
)

// Sizes of the small model the command tests use.
const testF, testZ = 4, 20

// writeWeights writes freshly initialised weights of the test model.
func writeWeights(t *testing.T, dir string) string {
	t.Helper()
	path := filepath.Join(dir, "weights.safetensors")
	if err := safetensors.WriteFile(path, wgan.Init(testF, testZ, rand.New(rand.NewPCG(1, 1)))); err != nil {
		t.Fatal(err)
	}
	return path
}

func decodePNG(t *testing.T, path string) image.Image {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	img, err := png.Decode(bytes.NewReader(b))
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	return img
}

// distinctColors counts the distinct RGB colours of img.
func distinctColors(img image.Image) int {
	seen := map[[3]uint32]bool{}
	b := img.Bounds()
	for y := b.Min.Y; y < b.Max.Y; y++ {
		for x := b.Min.X; x < b.Max.X; x++ {
			r, g, bl, _ := img.At(x, y).RGBA()
			seen[[3]uint32{r, g, bl}] = true
		}
	}
	return len(seen)
}

func sameFiles(t *testing.T, a, b string, names ...string) {
	t.Helper()
	for _, name := range names {
		x, errA := os.ReadFile(filepath.Join(a, name))
		y, errB := os.ReadFile(filepath.Join(b, name))
		if errA != nil || errB != nil {
			t.Fatal(errA, errB)
		}
		if !bytes.Equal(x, y) {
			t.Errorf("%s differs between %s and %s", name, a, b)
		}
	}
}

// errCase is a command line that must fail with an error mentioning each
// of want.
type errCase struct{ args, want []string }

func wantErrors(t *testing.T, run func([]string, io.Writer) error, cases []errCase) {
	t.Helper()
	for _, c := range cases {
		err := run(c.args, io.Discard)
		if err == nil {
			t.Errorf("%v: no error", c.args)
			continue
		}
		for _, w := range c.want {
			if !strings.Contains(err.Error(), w) {
				t.Errorf("%v: error %q does not mention %q", c.args, err, w)
			}
		}
	}
}

func runOK(t *testing.T, run func([]string, io.Writer) error, args ...string) string {
	t.Helper()
	var out strings.Builder
	if err := run(args, &out); err != nil {
		t.Fatalf("%v: %v", args, err)
	}
	return out.String()
}

// TestGenerate checks the PNGs and latents that generate writes, that a
// seed or a latents file reproduces them exactly, and that each image is
// the generator's output for its latent.
func TestGenerate(t *testing.T) {
	dir := t.TempDir()
	weights := writeWeights(t, dir)
	out1, out2, out3 := filepath.Join(dir, "a"), filepath.Join(dir, "b"), filepath.Join(dir, "new", "c")
	const n = 7 // a 3×3 grid with two empty cells
	msg := runOK(t, runGenerate, "--weights", weights, "--n", fmt.Sprint(n), "--seed", "3", "--out", out1)
	for _, want := range []string{"F=4, Z=20", "seed 3", "grid.png (3×3 grid)", "000.png", "006.png (7 images, 64×64)", "latents.safetensors (z [7 20])"} {
		if !strings.Contains(msg, want) {
			t.Errorf("output lacks %q:\n%s", want, msg)
		}
	}
	if g := decodePNG(t, filepath.Join(out1, "grid.png")); g.Bounds().Dx() != 3*64 || g.Bounds().Dy() != 3*64 || distinctColors(g) < 3 {
		t.Errorf("grid.png: %v, %d colours; want 192×192 and not blank", g.Bounds(), distinctColors(g))
	}
	names := []string{"grid.png", "latents.safetensors"}
	for i := range n {
		name := fmt.Sprintf("%03d.png", i)
		names = append(names, name)
		img := decodePNG(t, filepath.Join(out1, name))
		if img.Bounds().Dx() != 64 || img.Bounds().Dy() != 64 || distinctColors(img) < 3 {
			t.Errorf("%s: %v, %d colours; want 64×64 and not blank", name, img.Bounds(), distinctColors(img))
		}
	}
	if _, err := os.Stat(filepath.Join(out1, "007.png")); err == nil {
		t.Error("007.png written for 7 images")
	}

	// The latents file holds z [n, Z]; image 4 is G of its row 4.
	lat, err := safetensors.ReadFile(filepath.Join(out1, "latents.safetensors"))
	if err != nil {
		t.Fatal(err)
	}
	if err := lat.Check(safetensors.Spec{"z": {n, testZ}}, ""); err != nil {
		t.Fatal(err)
	}
	w, _ := safetensors.ReadFile(weights)
	b, _ := openBackend("cpu")
	s, err := wgan.NewSampler(b, w, 1)
	if err != nil {
		t.Fatal(err)
	}
	z, _ := lat.Get("z")
	img := make([]float32, 3*64*64)
	if err := s.Sample(img, z.Data[4*testZ:5*testZ]); err != nil {
		t.Fatal(err)
	}
	got := decodePNG(t, filepath.Join(out1, "004.png")).(*image.RGBA) // png decodes an opaque RGBA image as RGBA
	want := toBytes(img)
	for c := range 3 {
		for p := range 64 * 64 {
			if d := int(got.Pix[4*p+c]) - int(want[c*64*64+p]); d < -1 || d > 1 {
				t.Fatalf("004.png channel %d pixel %d: %d, generator gives %d", c, p, got.Pix[4*p+c], want[c*64*64+p])
			}
		}
	}

	// The same seed gives the same files; so do the latents file and a checkpoint.
	runOK(t, runGenerate, "--weights", weights, "--n", fmt.Sprint(n), "--seed", "3", "--out", out2)
	sameFiles(t, out1, out2, names...)
	ck := writeCheckpoint(t, dir, 0) // the same generator, in a checkpoint
	msg = runOK(t, runGenerate, "--weights", ck.path, "--latents", filepath.Join(out1, "latents.safetensors"), "--out", out3)
	if !strings.Contains(msg, "7 latents from "+filepath.Join(out1, "latents.safetensors")) {
		t.Errorf("output does not name the latents file:\n%s", msg)
	}
	sameFiles(t, out1, out3, names...)

	// Another seed gives other images.
	runOK(t, runGenerate, "--weights", weights, "--n", "1", "--seed", "4", "--out", out2)
	seed3, _ := os.ReadFile(filepath.Join(out1, "000.png"))
	seed4, _ := os.ReadFile(filepath.Join(out2, "000.png"))
	if bytes.Equal(seed3, seed4) {
		t.Error("seeds 3 and 4 gave the same first image")
	}
}

// TestGenerateChunks checks that more latents than one sampler call takes
// (train.SampleChunk) give the images of each latent, the last partial chunk too.
func TestGenerateChunks(t *testing.T) {
	dir := t.TempDir()
	weights := writeWeights(t, dir)
	all, one := filepath.Join(dir, "all"), filepath.Join(dir, "one")
	runOK(t, runGenerate, "--weights", weights, "--n", fmt.Sprint(train.SampleChunk+1), "--out", all)
	lat, _ := safetensors.ReadFile(filepath.Join(all, "latents.safetensors"))
	z, _ := lat.Get("z")
	last := &safetensors.File{}
	last.Add("last", []int{1, testZ}, z.Data[train.SampleChunk*testZ:])
	lastPath := filepath.Join(dir, "last.safetensors")
	if err := safetensors.WriteFile(lastPath, last); err != nil {
		t.Fatal(err)
	}
	runOK(t, runGenerate, "--weights", weights, "--latents", lastPath, "--out", one)
	a := decodePNG(t, filepath.Join(all, fmt.Sprintf("%03d.png", train.SampleChunk))).(*image.RGBA)
	b := decodePNG(t, filepath.Join(one, "000.png")).(*image.RGBA)
	for i := range a.Pix {
		if d := int(a.Pix[i]) - int(b.Pix[i]); d < -1 || d > 1 {
			t.Fatalf("image %d of %d differs from the same latent alone at byte %d: %d vs %d", train.SampleChunk, train.SampleChunk+1, i, a.Pix[i], b.Pix[i])
		}
	}
}

func TestGenerateErrors(t *testing.T) {
	dir := t.TempDir()
	weights := writeWeights(t, dir)
	write := func(name string, f *safetensors.File) string {
		path := filepath.Join(dir, name)
		if err := safetensors.WriteFile(path, f); err != nil {
			t.Fatal(err)
		}
		return path
	}
	latents := func(name string, shapes ...[]int) string {
		f := &safetensors.File{}
		for i, s := range shapes {
			size := 1
			for _, d := range s {
				size *= d
			}
			f.Add(fmt.Sprintf("t%d", i), s, make([]float32, size))
		}
		return write(name, f)
	}
	wrongZ := latents("z7.safetensors", []int{3, 7})
	twoTensors := latents("two.safetensors", []int{3, testZ}, []int{3, testZ})
	flat := latents("flat.safetensors", []int{testZ})
	truncated := filepath.Join(dir, "trunc.safetensors")
	b, _ := os.ReadFile(weights)
	if err := os.WriteFile(truncated, b[:len(b)-5], 0o644); err != nil {
		t.Fatal(err)
	}
	notST := filepath.Join(dir, "picture.png")
	if err := os.WriteFile(notST, []byte("\x89PNG\r\n\x1a\n not a safetensors file"), 0o644); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(dir, "out")
	wantErrors(t, runGenerate, []errCase{
		{[]string{"--weights", filepath.Join(dir, "missing.safetensors"), "--out", out}, []string{"missing.safetensors", "no such file"}},
		{[]string{"--weights", truncated, "--out", out}, []string{"trunc.safetensors", "past the end"}},
		{[]string{"--weights", notST, "--out", out}, []string{"picture.png", "header"}},
		{[]string{"--weights", wrongZ, "--out", out}, []string{"z7.safetensors", "gen.project.weight"}},
		{[]string{"--weights", weights, "--latents", wrongZ, "--out", out}, []string{"z7.safetensors", "Z=7", "Z=20"}},
		{[]string{"--weights", weights, "--latents", twoTensors, "--out", out}, []string{"two.safetensors", "2 tensors"}},
		{[]string{"--weights", weights, "--latents", flat, "--out", out}, []string{"flat.safetensors", "[20]", "[n, Z]"}},
		{[]string{"--weights", weights, "--latents", notST, "--out", out}, []string{"picture.png"}},
		{[]string{"--weights", weights, "--latents", twoTensors, "--n", "3", "--out", out}, []string{"--latents", "--n"}},
		{[]string{"--weights", weights, "--n", "0", "--out", out}, []string{"--n"}},
		{[]string{"--weights", weights, "--backend", "tpu", "--out", out}, []string{"unknown backend"}},
		{[]string{"--weights", weights}, []string{"required"}},
		{[]string{"--weights", weights, "--out", out, "extra"}, []string{"unexpected"}},
	})
	if _, err := os.Stat(out); err == nil {
		t.Error("the output folder was created despite the errors")
	}
}

// TestGenerateMovingAverage: from a checkpoint of a run with a moving
// average, generate draws from the average (as export writes and the
// page's Load weights shows), and with --as-trained from the generator as
// trained; the two differ.
func TestGenerateMovingAverage(t *testing.T) {
	dir := t.TempDir()
	cfg := wgan.SeedConfig()
	cfg.Filters, cfg.Latent, cfg.Batch, cfg.Critic, cfg.EMA = testF, testZ, 2, 1, 0.5
	b, _ := openBackend("cpu")
	s, err := wgan.NewSteps(b, cfg, wgan.Init(testF, testZ, rand.New(rand.NewPCG(1, 1))))
	if err != nil {
		t.Fatal(err)
	}
	in := wgan.NewStepInputs(cfg)
	r := rand.New(rand.NewPCG(5, 5))
	for range 3 {
		in.Random(r)
		if _, err := s.DStep(in.X, in.Z, in.Eps); err != nil {
			t.Fatal(err)
		}
		if _, err := s.GStep(in.Z); err != nil {
			t.Fatal(err)
		}
	}
	ck, err := s.Checkpoint(nil)
	if err != nil {
		t.Fatal(err)
	}
	ckPath := filepath.Join(dir, "checkpoint.safetensors")
	if err := safetensors.WriteFile(ckPath, ck); err != nil {
		t.Fatal(err)
	}
	write := func(name string, weights func(*safetensors.File) (*safetensors.File, wgan.Config, error)) string {
		w, _, err := weights(ck)
		if err != nil {
			t.Fatal(err)
		}
		path := filepath.Join(dir, name)
		if err := safetensors.WriteFile(path, w); err != nil {
			t.Fatal(err)
		}
		return path
	}
	averaged, trained := write("averaged.safetensors", train.CheckpointWeights), write("trained.safetensors", train.CheckpointPlainWeights)
	gen := func(out string, args ...string) string {
		return runOK(t, runGenerate, append([]string{"--n", "4", "--seed", "2", "--out", filepath.Join(dir, out)}, args...)...)
	}
	msg := gen("ck", "--weights", ckPath)
	if !strings.Contains(msg, "moving average (decay 0.5") {
		t.Errorf("output does not say the moving average is used:\n%s", msg)
	}
	gen("ck-trained", "--weights", ckPath, "--as-trained")
	gen("averaged", "--weights", averaged)
	gen("trained", "--weights", trained)
	names := []string{"grid.png", "000.png", "003.png"}
	sameFiles(t, filepath.Join(dir, "ck"), filepath.Join(dir, "averaged"), names...)
	sameFiles(t, filepath.Join(dir, "ck-trained"), filepath.Join(dir, "trained"), names...)
	x, _ := os.ReadFile(filepath.Join(dir, "ck", "grid.png"))
	y, _ := os.ReadFile(filepath.Join(dir, "ck-trained", "grid.png"))
	if bytes.Equal(x, y) {
		t.Error("the moving average and the generator as trained gave the same grid")
	}
}
