package main

import (
	"flag"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"strconv"

	"github.com/wgangp/wgangp/internal/atomicfile"
	"github.com/wgangp/wgangp/safetensors"
	"github.com/wgangp/wgangp/wgan"
	"github.com/wgangp/wgangp/wgan/data"
	"github.com/wgangp/wgangp/wgan/train"
	"github.com/wgangp/wgangp/wgan/ui"
)

// maxImages bounds the images of one run (train.Generate makes them
// train.SampleChunk at a time).
const maxImages = 10000

// runGenerate draws images from the generator of a weights file or a
// checkpoint and writes them as PNGs, with the latents that made them.
func runGenerate(args []string, stdout io.Writer) error {
	fs := newFlags("generate")
	weights := fs.String("weights", "", "weights file or checkpoint (safetensors)")
	n := fs.Int("n", 25, "number of images, with latents drawn from N(0,1)")
	seed := fs.Uint64("seed", 1, "random seed of the latents")
	latents := fs.String("latents", "", "read the latents instead: a safetensors file holding one tensor [n, Z] (such as a previous run's latents.safetensors)")
	backend := fs.String("backend", "cpu", backendHelp)
	asTrained := fs.Bool("as-trained", false, "from a checkpoint of a run with --ema, the generator as trained instead of its moving average (the default, as export and the page's grids)")
	out := fs.String("out", "", "output folder, created if missing: grid.png (tiled and rescaled to the grid's min/max, as the training grid), 000.png… (each image, [-1,1] mapped to [0,255]) and latents.safetensors")
	if err := fs.Parse(args); err != nil {
		return usage(err)
	}
	if *weights == "" || *out == "" {
		fs.Usage()
		return usage(fmt.Errorf("--weights and --out are required"))
	}
	if fs.NArg() > 0 {
		return usage(fmt.Errorf("unexpected arguments %q", fs.Args()))
	}
	if fi, err := os.Stat(*out); err == nil && !fi.IsDir() {
		return fmt.Errorf("--out %s is a file: give a folder", q(*out))
	}
	outs := newOutputs(*weights, *latents)
	for _, name := range []string{"grid.png", "latents.safetensors"} {
		if err := outs.check("--out", filepath.Join(*out, name)); err != nil {
			return err
		}
	}
	set := map[string]bool{}
	fs.Visit(func(f *flag.Flag) { set[f.Name] = true })
	if *latents != "" && (set["n"] || set["seed"]) {
		return usage(fmt.Errorf("--latents gives the latents: leave out --n and --seed"))
	}

	b, err := openBackend(*backend)
	if err != nil {
		return err
	}
	defer closeBackend(b)
	w, err := safetensors.ReadFile(*weights)
	if err != nil {
		return err
	}
	which := ""
	if _, err := wgan.CheckpointConfig(w); err == nil {
		// A checkpoint: its model's tensors are the weights, the generator
		// its moving average where the run keeps one (as export and the
		// page's Load weights).
		model, cfg, err := train.CheckpointModel(w, *asTrained)
		if err != nil {
			return fmt.Errorf("%s: %w", q(*weights), err)
		}
		w, which = model, averageNote(cfg, *asTrained)
	}
	f, zSize, err := wgan.SizeOf(w, true) // a checkpoint is fine
	if err != nil {
		return fmt.Errorf("%s: %w", q(*weights), err)
	}
	var z *safetensors.File
	if *latents != "" {
		if z, err = readLatents(*latents, zSize); err != nil {
			return err
		}
	} else {
		if *n < 1 || *n > maxImages {
			return fmt.Errorf("--n must be in [1, %d], got %d", maxImages, *n)
		}
		z = drawLatents(*n, zSize, *seed)
	}
	zt := z.Tensors[0]
	count := zt.Shape[0]

	images, err := train.Generate(b, w, zt.Data)
	if err != nil {
		return fmt.Errorf("%s: %w", q(*weights), err)
	}
	if err := os.MkdirAll(*out, 0o755); err != nil {
		return fmt.Errorf("--out %s: %w", q(*out), bareErr(err))
	}
	if _, err := atomicfile.RemoveStale(*out); err != nil {
		return fmt.Errorf("--out %s: %w", q(*out), err)
	}
	cols := int(math.Ceil(math.Sqrt(float64(count))))
	gridPath := filepath.Join(*out, "grid.png")
	if err := outs.png("--out", gridPath, ui.Tile(images, count, wgan.Size, cols)); err != nil {
		return err
	}
	digits := max(3, len(strconv.Itoa(count-1)))
	imagePath := func(i int) string { return filepath.Join(*out, fmt.Sprintf("%0*d.png", digits, i)) }
	plane := wgan.Channels * wgan.Size * wgan.Size
	for i := range count {
		if err := outs.png("--out", imagePath(i), data.ToRGBA(toBytes(images[i*plane:(i+1)*plane]))); err != nil {
			return err
		}
	}
	zPath := filepath.Join(*out, "latents.safetensors")
	if err := outs.safetensors("--out", zPath, z); err != nil {
		return err
	}

	source := fmt.Sprintf("drawn from N(0,1) with seed %d", *seed)
	if *latents != "" {
		source = "from " + *latents
	}
	fmt.Fprintf(stdout, "generator: %s%s (F=%d, Z=%d) on %s; %d latents %s\n", q(*weights), which, f, zSize, b.Name(), count, source)
	fmt.Fprintf(stdout, "wrote %s (%d×%d grid)\n", gridPath, cols, (count+cols-1)/cols)
	if count == 1 {
		fmt.Fprintf(stdout, "wrote %s (64×64)\n", imagePath(0))
	} else {
		fmt.Fprintf(stdout, "wrote %s … %s (%d images, 64×64)\n", imagePath(0), imagePath(count-1), count)
	}
	fmt.Fprintf(stdout, "wrote %s (z %v)\n", zPath, zt.Shape)
	return nil
}

// drawLatents is train.Latents as a latents file: tensor z [n, Z] and the
// seed in the metadata.
func drawLatents(n, z int, seed uint64) *safetensors.File {
	f := &safetensors.File{Metadata: map[string]string{"seed": strconv.FormatUint(seed, 10)}}
	f.Add("z", []int{n, z}, train.Latents(n, z, seed))
	return f
}

// readLatents reads a latents file: exactly one tensor, [n, Z] with Z the
// generator's latent size. It returns it as tensor z, with the file's
// metadata.
func readLatents(path string, z int) (*safetensors.File, error) {
	f, err := safetensors.ReadFile(path)
	if err != nil {
		return nil, err
	}
	t, err := latentsTensor(f)
	if err != nil {
		return nil, fmt.Errorf("latents %s: %w", path, err)
	}
	switch {
	case t.Shape[1] != z:
		return nil, fmt.Errorf("latents %s: tensor %s %v has Z=%d, but the generator takes Z=%d", path, t.Name, t.Shape, t.Shape[1], z)
	case t.Shape[0] > maxImages:
		return nil, fmt.Errorf("latents %s: %d latents, more than the %d images one run makes", path, t.Shape[0], maxImages)
	}
	out := &safetensors.File{Metadata: f.Metadata}
	out.Add("z", t.Shape, t.Data)
	return out, nil
}

// latentsTensor returns the one tensor of a latents file, which must be
// [n, Z] with n, Z ≥ 1.
func latentsTensor(f *safetensors.File) (safetensors.Tensor, error) {
	if len(f.Tensors) != 1 {
		names := make([]string, len(f.Tensors))
		for i, t := range f.Tensors {
			names[i] = t.Name
		}
		return safetensors.Tensor{}, fmt.Errorf("holds %d tensors %v, expected one tensor [n, Z]", len(f.Tensors), names)
	}
	t := f.Tensors[0]
	if len(t.Shape) != 2 || t.Shape[0] < 1 || t.Shape[1] < 1 {
		return safetensors.Tensor{}, fmt.Errorf("tensor %s has shape %v, expected [n, Z]", t.Name, t.Shape)
	}
	return t, nil
}

// toBytes maps one generated image, planar RGB in [-1,1], to [0,255]
// (the inverse of the data pipeline's rescaling); NaN becomes 0.
func toBytes(img []float32) []uint8 {
	p := make([]uint8, len(img))
	for i, v := range img {
		switch q := (float64(v) + 1) * 127.5; {
		case !(q > 0):
			p[i] = 0
		case q >= 255:
			p[i] = 255
		default:
			p[i] = uint8(q + 0.5)
		}
	}
	return p
}
