package main

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/wgangp/wgangp/assets"
	"github.com/wgangp/wgangp/engine"
	"github.com/wgangp/wgangp/safetensors"
	"github.com/wgangp/wgangp/wgan"
	"github.com/wgangp/wgangp/wgan/data"
	"github.com/wgangp/wgangp/wgan/train"
)

// This file turns train's flags into what to run: the backend, the
// options (from a preset and the flags, or from the checkpoint resumed,
// which the flags may not change but for the learning rates and the
// target) and the data.

// trainFlags are the flags of `train`.
type trainFlags struct {
	data, crop, preset, recipe, backend, out, resume string
	filters, batch, iterations                       int
	seed                                             uint64
	lrD, lrG, ema                                    float64
	every, checkpointEvery                           int
	swdEvery, swdImages                              int
	headless                                         bool
	set                                              map[string]bool // flags given on the command line
}

func parseTrainFlags(args []string) (*trainFlags, error) {
	f := &trainFlags{set: map[string]bool{}}
	fs := newFlags("train")
	fs.StringVar(&f.data, "data", "", "folder of images, searched recursively (default: the embedded flowers)")
	fs.StringVar(&f.crop, "crop", "squash", "how pictures become 64×64: squash (as the example) or center")
	fs.StringVar(&f.preset, "preset", "auto", "model size and run length: auto, "+presetNames())
	fs.StringVar(&f.backend, "backend", "auto", "auto (a GPU through WebGPU if there is one, else the CPU), cpu, cpu64, webgpu, webgpu-software")
	fs.IntVar(&f.filters, "filters", 0, "F, the width of both networks (default: the preset's)")
	fs.IntVar(&f.batch, "batch", 0, "minibatch size (default: the preset's)")
	fs.IntVar(&f.iterations, "iterations", 0, "generator iterations (default: the preset's)")
	fs.Uint64Var(&f.seed, "seed", 1, "random seed: weights, data order and flips, latents")
	f.ema = train.DefaultEMA
	fs.StringVar(&f.recipe, "recipe", train.DefaultRecipe, "seed (the example's critic and learning rates) or paper (the WGAN-GP paper's: no sigmoid on the critic, both learning rates 1e-4)")
	fs.Float64Var(&f.lrD, "lr-d", 0, "discriminator learning rate (default: the recipe's, 2e-4 for seed)")
	fs.Float64Var(&f.lrG, "lr-g", 0, "generator learning rate (default: the recipe's, 1e-3 for seed)")
	fs.Var(&emaFlag{&f.ema}, "ema", "keep a moving average of the generator's weights, shown in the grids and written as weights.safetensors (the weights as trained beside it, weights-as-trained.safetensors): --ema (decay 0.999), --ema=D or --ema=false")
	fs.IntVar(&f.every, "every", 20, "refresh the grid and curves every N iterations")
	fs.IntVar(&f.checkpointEvery, "checkpoint-every", 200, "write checkpoint.safetensors every N iterations")
	fs.IntVar(&f.swdEvery, "swd-every", 250, "measure the sliced Wasserstein distance every N iterations (0: never)")
	fs.IntVar(&f.swdImages, "swd-images", 512, "images on each side of the SWD measurement (held out of training)")
	fs.StringVar(&f.out, "out", "", "output folder (default runs/<date-time>, or the resumed run's folder)")
	fs.StringVar(&f.resume, "resume", "", "continue the run of this checkpoint file or run folder")
	fs.BoolVar(&f.headless, "headless", false, "no window, even where a display is")
	if err := fs.Parse(args); err != nil {
		return nil, usage(err)
	}
	if fs.NArg() > 0 {
		if _, err := strconv.ParseFloat(fs.Arg(0), 64); err == nil && f.ema == train.EMADecay {
			return nil, usage(fmt.Errorf("unexpected argument %q (a decay is given as --ema=%s)", fs.Arg(0), fs.Arg(0)))
		}
		return nil, usage(fmt.Errorf("unexpected argument %q", fs.Arg(0)))
	}
	fs.Visit(func(fl *flag.Flag) { f.set[fl.Name] = true })
	for _, v := range []struct {
		name string
		val  int
	}{{"filters", f.filters}, {"batch", f.batch}, {"iterations", f.iterations}, {"every", f.every},
		{"checkpoint-every", f.checkpointEvery}} {
		if f.set[v.name] && v.val < 1 {
			return nil, fmt.Errorf("--%s must be positive", v.name)
		}
	}
	if f.swdEvery < 0 || f.swdImages < 0 {
		return nil, fmt.Errorf("--swd-every and --swd-images must not be negative")
	}
	// A rate given as 0 (or NaN) is refused, not taken for "the recipe's".
	for _, v := range []struct {
		name, what string
		val        float64
	}{{"lr-d", "discriminator", f.lrD}, {"lr-g", "generator", f.lrG}} {
		if f.set[v.name] && !(v.val > 0) {
			return nil, fmt.Errorf("--%s: the %s learning rate must be in (0, %g], got %g", v.name, v.what, float64(wgan.MaxRate), v.val)
		}
	}
	return f, nil
}

func presetNames() string {
	s := ""
	for i, p := range train.Presets {
		if i > 0 {
			s += ", "
		}
		s += p.Name
	}
	return s
}

// readCheckpoint reads the checkpoint at path, a file or a run folder
// holding checkpoint.safetensors, checks its metadata (train.ReadSaved) and
// returns it with its folder.
func readCheckpoint(path string) (*safetensors.File, string, error) {
	if fi, err := os.Stat(path); err == nil && fi.IsDir() {
		path = checkpointPath(path)
	}
	ck, err := safetensors.ReadFile(path)
	if err != nil {
		return nil, "", err
	}
	if _, err := train.ReadSaved(ck); err != nil {
		return nil, "", fmt.Errorf("%s: %w", q(path), err)
	}
	return ck, filepath.Dir(path), nil
}

// chooseBackend opens the named backend; auto takes a real GPU through
// WebGPU when there is one and the CPU otherwise. gpu says whether the
// backend is a real GPU; why says why it was chosen.
func chooseBackend(name string) (b engine.Backend, gpu bool, why string, err error) {
	if name != "auto" {
		b, err := openBackend(name)
		return b, name == "webgpu" && !isSoftware(b), "--backend " + name, err
	}
	if ok, reason := gpuAvailable(); !ok {
		b, err := openBackend("cpu")
		return b, false, "auto: " + reason, err
	}
	b, err = openBackend("webgpu")
	if err != nil {
		b, err2 := openBackend("cpu")
		return b, false, fmt.Sprintf("auto: the GPU did not open (%v), so the CPU", err), err2
	}
	return b, true, "auto: a GPU is there", nil
}

// options builds the run's options: from the checkpoint when resuming
// (flags that would change the run are refused unless they repeat the
// checkpoint's values; the learning rates may change, to go on after a
// divergence, and --iterations may raise the target), else from the preset
// (auto: seed on a GPU, small on the CPU) and the flags, which override it.
// Either way the options pass train.Options.Validate.
func (f *trainFlags) options(ck *safetensors.File, gpu bool) (train.Options, string, error) {
	if ck != nil {
		saved, err := train.ReadSaved(ck)
		if err != nil {
			return train.Options{}, "", err
		}
		opt := saved.Options
		c := opt.Config
		same := map[string]bool{
			"filters": f.filters == c.Filters, "batch": f.batch == c.Batch, "seed": f.seed == opt.Seed,
			"swd-every": f.swdEvery == opt.SWDEvery, "swd-images": f.swdImages == opt.SWDImages,
			"recipe": f.recipe == train.RecipeOf(c), "ema": f.ema == c.EMA,
		}
		if f.set["preset"] {
			p, err := train.PresetByName(f.preset)
			pf, pb := p.Filters, p.Batch
			if f.set["filters"] {
				pf = f.filters
			}
			if f.set["batch"] {
				pb = f.batch
			}
			same["preset"] = err == nil && pf == c.Filters && pb == c.Batch
		}
		for _, name := range []string{"filters", "batch", "seed", "swd-every", "swd-images", "preset", "recipe", "ema"} {
			if f.set[name] && !same[name] {
				return opt, "", fmt.Errorf("--%s cannot change a resumed run (its checkpoint fixes F=%d, batch %d, seed %d, --swd-every %d, --swd-images %d, --recipe %s, --ema=%g)",
					name, c.Filters, c.Batch, opt.Seed, opt.SWDEvery, opt.SWDImages, train.RecipeOf(c), c.EMA)
			}
		}
		msg := "resumed run"
		if f.set["lr-d"] || f.set["lr-g"] {
			if f.set["lr-d"] {
				opt.Config.LRD = f.lrD
			}
			if f.set["lr-g"] {
				opt.Config.LRG = f.lrG
			}
			msg = fmt.Sprintf("resumed run, learning rates now %g (D) and %g (G)", opt.Config.LRD, opt.Config.LRG)
		}
		if f.set["iterations"] {
			if f.iterations < saved.Iteration {
				return opt, "", fmt.Errorf("--iterations %d is below the checkpoint's iteration %d: give a target of at least %d", f.iterations, saved.Iteration, saved.Iteration)
			}
			opt.Iterations = f.iterations
		}
		return opt, msg, opt.Validate()
	}
	var p train.Preset
	why := "--preset"
	if f.preset == "auto" {
		p, why = train.DefaultPreset(gpu)
		why = "auto: " + why
	} else {
		var err error
		if p, err = train.PresetByName(f.preset); err != nil {
			return train.Options{}, "", err
		}
	}
	o := train.Overrides{Recipe: f.recipe, LRD: f.lrD, LRG: f.lrG, EMA: f.ema, Seed: f.seed, SWDEvery: f.swdEvery, SWDImages: f.swdImages}
	if f.set["filters"] {
		o.Filters = f.filters
	}
	if f.set["batch"] {
		o.Batch = f.batch
	}
	if f.set["iterations"] {
		o.Iterations = f.iterations
	}
	opt, err := train.PresetOptions(p, o)
	if err != nil {
		return opt, "", flagError(err)
	}
	return opt, fmt.Sprintf("preset %s (%s)", p.Name, why), nil
}

// flagError names the flag behind an Options.Validate error.
func flagError(err error) error {
	msg := err.Error()
	for _, fl := range []struct{ prefix, flag string }{
		{"filters", "--filters"}, {"batch", "--batch"}, {"the discriminator learning rate", "--lr-d"},
		{"the generator learning rate", "--lr-g"}, {"iterations", "--iterations"}, {"the SWD interval", "--swd-every"},
		{"SWD images", "--swd-images"}, {"unknown recipe", "--recipe"}, {"the moving average", "--ema"},
	} {
		if strings.HasPrefix(msg, fl.prefix) {
			return fmt.Errorf("%s: %w", fl.flag, err)
		}
	}
	return err
}

// loadData reads the pictures: --data, else the resumed run's folder, else
// the embedded flowers.
func (f *trainFlags) loadData(ck *safetensors.File, seed uint64) (*data.Set, string, error) {
	dir, cropName := f.data, f.crop
	if ck != nil {
		saved := ck.Metadata["data_dir"]
		switch {
		case !f.set["data"]:
			dir = saved
		case saved == "":
			return nil, "", fmt.Errorf("--data cannot change a resumed run: it was trained on the embedded flowers")
		default:
			si, errS := os.Stat(saved)
			di, errD := os.Stat(f.data)
			if errS == nil && (errD != nil || !os.SameFile(si, di)) {
				return nil, "", fmt.Errorf("--data cannot change a resumed run: it trains on %s (give --data only when that folder has moved)", q(saved))
			}
		}
		if c := ck.Metadata["crop"]; c != "" {
			if f.set["crop"] && f.crop != c {
				return nil, "", fmt.Errorf("--crop cannot change a resumed run (its checkpoint says %s)", q(c))
			}
			cropName = c
		}
	}
	crop, err := data.ParseCrop(cropName)
	if err != nil {
		return nil, "", err
	}
	f.data, f.crop = dir, cropName
	if dir == "" {
		set := data.FromImages(assets.Flowers(assets.DefaultCount, seed), crop)
		return set, fmt.Sprintf("data: %d embedded flower pictures", set.Len()), nil
	}
	set, err := data.LoadDir(dir, crop, lineWriter{os.Stderr})
	if err != nil {
		return nil, "", err
	}
	return set, fmt.Sprintf("data: %d pictures from %s (%d skipped)", set.Len(), q(dir), len(set.Skipped)), nil
}

func (f *trainFlags) absData() string {
	if f.data == "" {
		return ""
	}
	if abs, err := filepath.Abs(f.data); err == nil {
		return abs
	}
	return f.data
}

// emaFlag is --ema: a bare --ema is train.EMADecay, --ema=D a decay in (0,1),
// --ema=false or --ema=0 none.
type emaFlag struct{ v *float64 }

func (e *emaFlag) String() string {
	if e.v == nil || *e.v == 0 {
		return "false"
	}
	return strconv.FormatFloat(*e.v, 'g', -1, 64)
}

func (e *emaFlag) Set(s string) error {
	switch s {
	case "true":
		*e.v = train.EMADecay
		return nil
	case "false":
		*e.v = 0
		return nil
	}
	d, err := strconv.ParseFloat(s, 64)
	if err != nil || !(d >= 0 && d < 1) {
		return fmt.Errorf("want true, false or a decay in [0,1), got %q", s)
	}
	*e.v = d
	return nil
}

func (e *emaFlag) IsBoolFlag() bool { return true }
