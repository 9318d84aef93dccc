package main

import (
	"context"
	"encoding/csv"
	"errors"
	"flag"
	"fmt"
	"image"
	"image/png"
	"io"
	"os"
	"os/signal"
	"path/filepath"
	"strconv"
	"syscall"
	"time"

	"github.com/wgangp/wgangp/assets"
	"github.com/wgangp/wgangp/engine"
	"github.com/wgangp/wgangp/safetensors"
	"github.com/wgangp/wgangp/wgan"
	"github.com/wgangp/wgangp/wgan/data"
	"github.com/wgangp/wgangp/wgan/train"
	"github.com/wgangp/wgangp/wgan/ui"
	"github.com/wgangp/wgangp/wgan/ui/wire"
)

// trainFlags are the flags of `train`.
type trainFlags struct {
	data, crop, preset, backend, out, resume string
	filters, batch, iterations               int
	seed                                     uint64
	lrD, lrG                                 float64
	every, checkpointEvery                   int
	swdEvery, swdImages                      int
	headless                                 bool
	set                                      map[string]bool // flags given on the command line
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
	fs.Float64Var(&f.lrD, "lr-d", 2e-4, "discriminator learning rate")
	fs.Float64Var(&f.lrG, "lr-g", 1e-3, "generator learning rate")
	fs.IntVar(&f.every, "every", 20, "refresh the grid and curves every N iterations")
	fs.IntVar(&f.checkpointEvery, "checkpoint-every", 200, "write checkpoint.safetensors every N iterations")
	fs.IntVar(&f.swdEvery, "swd-every", 250, "measure the sliced Wasserstein distance every N iterations (0: never)")
	fs.IntVar(&f.swdImages, "swd-images", 512, "images on each side of the SWD measurement (held out of training)")
	fs.StringVar(&f.out, "out", "", "output folder (default runs/<date-time>, or the resumed run's folder)")
	fs.StringVar(&f.resume, "resume", "", "continue the run of this checkpoint file or run folder")
	fs.BoolVar(&f.headless, "headless", false, "no window, even where a display is")
	if err := fs.Parse(args); err != nil {
		return nil, err
	}
	if fs.NArg() > 0 {
		return nil, fmt.Errorf("unexpected argument %q", fs.Arg(0))
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

// runTrain trains: with a window where a display is, else headless with a
// progress line; in both cases it writes into --out the validation grid and
// loss curves as PNG, the losses as CSV, a checkpoint every
// --checkpoint-every iterations, on Ctrl-C and when the window closes, and
// the weights file at the end.
func runTrain(args []string, stdout io.Writer) error {
	f, err := parseTrainFlags(args)
	if err != nil {
		return err
	}
	var ck *safetensors.File
	ckDir := ""
	if f.resume != "" {
		if ck, ckDir, err = readCheckpoint(f.resume); err != nil {
			return err
		}
	}
	b, gpu, why, err := chooseBackend(f.backend)
	if err != nil {
		return err
	}
	if c, ok := b.(io.Closer); ok {
		defer c.Close()
	}
	fmt.Fprintf(stdout, "backend: %s (%s)\n", b.Name(), why)

	opt, presetMsg, err := f.options(ck, gpu)
	if err != nil {
		return err
	}
	set, dataMsg, err := f.loadData(ck, opt.Seed)
	if err != nil {
		return err
	}
	fmt.Fprintln(stdout, dataMsg)
	tr, err := train.New(b, set, dataMsg, opt)
	if err != nil {
		return err
	}
	defer tr.Close()
	if ck != nil {
		if err := tr.Resume(ck); err != nil {
			return fmt.Errorf("resuming %s: %w", f.resume, err)
		}
		if f.set["iterations"] {
			tr.SetIterations(f.iterations)
		}
	}
	out := f.out
	switch {
	case out == "" && ckDir != "":
		out = ckDir
	case out == "":
		out = filepath.Join("runs", time.Now().Format("2006-01-02-150405"))
	}
	if err := os.MkdirAll(out, 0o755); err != nil {
		return err
	}
	opt = tr.Options()
	trainN, held := tr.Data()
	fmt.Fprintf(stdout, "model: %s: F=%d, Z=%d, batch %d, %d iterations\n", presetMsg, opt.Config.Filters, opt.Config.Latent, opt.Config.Batch, opt.Iterations)
	if held > 0 {
		fmt.Fprintf(stdout, "quality: SWD every %d iterations, %d generated vs %d held-out pictures (%d left for training); real-vs-real floor %.2f\n",
			opt.SWDEvery, held, held, trainN, tr.History().SWDFloor)
	} else if opt.SWDEvery > 0 {
		fmt.Fprintf(stdout, "quality: SWD off: %d pictures are too few to hold %d out\n", trainN, train.MinSWDImages)
	}
	if ck != nil {
		fmt.Fprintf(stdout, "resumed at iteration %d (elapsed %s)\n", tr.Iteration(), hms(tr.Elapsed()))
	}
	fmt.Fprintf(stdout, "output: %s\n", out)

	var view *viewer
	if !f.headless && hasDisplay() {
		if view, err = openViewer(stdout); err != nil {
			fmt.Fprintf(stdout, "no window, training headless: %v\n", err)
			view = nil
		}
	}
	s := &session{tr: tr, out: out, stdout: stdout, view: view, every: f.every, ckEvery: f.checkpointEvery,
		extra: map[string]string{"data_dir": f.absData(), "crop": f.crop, "backend": b.Name()},
		tty:   isTerminal(stdout)}
	return s.run()
}

// readCheckpoint reads the checkpoint at path, a file or a run folder
// holding checkpoint.safetensors, and returns it with its folder.
func readCheckpoint(path string) (*safetensors.File, string, error) {
	if fi, err := os.Stat(path); err == nil && fi.IsDir() {
		path = filepath.Join(path, "checkpoint.safetensors")
	}
	ck, err := safetensors.ReadFile(path)
	if err != nil {
		return nil, "", err
	}
	if _, err := train.RunOptions(ck); err != nil {
		return nil, "", fmt.Errorf("%s: %w", path, err)
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

// options builds the run's options: from the checkpoint when resuming,
// else from the preset (auto: seed on a GPU, small on the CPU) and the
// flags, which override it.
func (f *trainFlags) options(ck *safetensors.File, gpu bool) (train.Options, string, error) {
	if ck != nil {
		opt, err := train.RunOptions(ck)
		for _, name := range []string{"preset", "filters", "batch", "seed", "lr-d", "lr-g", "swd-every", "swd-images"} {
			if f.set[name] {
				return opt, "", fmt.Errorf("--%s cannot change a resumed run (its checkpoint fixes it)", name)
			}
		}
		return opt, "resumed run", err
	}
	name, why := f.preset, "--preset"
	if name == "auto" {
		name, why = "small", "auto: no GPU, so a size that shows progress within minutes on a CPU"
		if gpu {
			name, why = "seed", "auto: a GPU, so the example's size"
		}
	}
	p, err := train.PresetByName(name)
	if err != nil {
		return train.Options{}, "", err
	}
	cfg := p.Config()
	cfg.LRD, cfg.LRG = f.lrD, f.lrG
	opt := train.Options{Config: cfg, Iterations: p.Iterations, Seed: f.seed, SWDEvery: f.swdEvery, SWDImages: f.swdImages}
	if f.set["filters"] {
		opt.Config.Filters = f.filters
	}
	if f.set["batch"] {
		opt.Config.Batch = f.batch
	}
	if f.set["iterations"] {
		opt.Iterations = f.iterations
	}
	if err := opt.Config.Validate(); err != nil {
		return opt, "", err
	}
	return opt, fmt.Sprintf("preset %s (%s)", p.Name, why), nil
}

// loadData reads the pictures: --data, else the resumed run's folder, else
// the embedded flowers.
func (f *trainFlags) loadData(ck *safetensors.File, seed uint64) (*data.Set, string, error) {
	dir, cropName := f.data, f.crop
	if ck != nil && !f.set["data"] {
		dir = ck.Metadata["data_dir"]
	}
	if ck != nil && !f.set["crop"] && ck.Metadata["crop"] != "" {
		cropName = ck.Metadata["crop"]
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
	set, err := data.LoadDir(dir, crop, os.Stderr)
	if err != nil {
		return nil, "", err
	}
	return set, fmt.Sprintf("data: %d pictures from %s (%d skipped)", set.Len(), dir, len(set.Skipped)), nil
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

// session is one sitting of a run: the loop, its files and its window.
type session struct {
	tr             *train.Trainer
	out            string
	stdout         io.Writer
	view           *viewer
	every, ckEvery int
	extra          map[string]string // checkpoint metadata of the front end
	tty            bool

	frame     ui.Frame
	gridIt    int // iteration of the grid shown
	grid      []float32
	csv       *csv.Writer
	csvFile   *os.File
	start     time.Time // of this sitting
	startIt   int
	paused    bool
	lastPrint time.Time
	ctx       context.Context // cancelled by SIGINT or SIGTERM
}

func (s *session) run() error {
	if err := s.openCSV(); err != nil {
		return err
	}
	defer s.csvFile.Close()
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	s.ctx = ctx
	s.start, s.startIt = time.Now(), s.tr.Iteration()
	if s.tr.Iteration() > 0 {
		if err := s.refresh(); err != nil {
			return err
		}
	}
	var events <-chan wire.Event
	if s.view != nil {
		events = s.view.events
	}
	for !s.tr.Done() {
		select {
		case <-ctx.Done():
			fmt.Fprintf(s.stdout, "\ninterrupted at iteration %d: saving a checkpoint\n", s.tr.Iteration())
			return s.finish(false)
		case e := <-events:
			if done, err := s.handle(e); done || err != nil {
				return errors.Join(err, s.finish(false))
			}
			continue
		default:
		}
		if s.paused {
			select {
			case <-ctx.Done():
			case e := <-events:
				if done, err := s.handle(e); done || err != nil {
					return errors.Join(err, s.finish(false))
				}
			}
			continue
		}
		rec, err := s.tr.Step()
		if err != nil {
			return errors.Join(fmt.Errorf("iteration %d: %w", s.tr.Iteration()+1, err), s.finish(false))
		}
		s.csv.Write([]string{strconv.Itoa(rec.Iteration), fmtF(rec.LossD), fmtF(rec.LossDUnreg), fmtF(rec.Penalty), fmtF(rec.LossG)})
		it := rec.Iteration
		if it == 1 || it%s.every == 0 || s.tr.Done() || rec.SWD >= 0 {
			if err := s.refresh(); err != nil {
				return err
			}
		} else if s.view != nil {
			s.updateFrame() // the curves move every iteration in the window
			s.view.show(s.frame)
		}
		s.progress(rec)
		if it%s.ckEvery == 0 {
			if err := s.saveCheckpoint(); err != nil {
				return err
			}
		}
	}
	return s.finish(true)
}

// handle acts on a window event; done means the run should stop.
func (s *session) handle(e wire.Event) (done bool, err error) {
	switch e {
	case wire.TogglePause:
		s.paused = !s.paused
		s.updateFrame()
		s.view.show(s.frame)
	case wire.SaveGrid:
		name := filepath.Join(s.out, fmt.Sprintf("grid-saved-%06d.png", s.gridIt))
		if err := writePNG(name, s.frame.Grid); err != nil {
			return false, err
		}
		fmt.Fprintf(s.stdout, "\nsaved %s\n", name)
	case wire.Closed:
		fmt.Fprintf(s.stdout, "\nwindow closed at iteration %d: saving a checkpoint\n", s.tr.Iteration())
		s.view.close(false)
		s.view = nil
		return true, nil
	}
	return false, nil
}

func (s *session) openCSV() error {
	var err error
	if s.csvFile, err = os.Create(filepath.Join(s.out, "losses.csv")); err != nil {
		return err
	}
	s.csv = csv.NewWriter(s.csvFile)
	s.csv.Write([]string{"iteration", "lossD", "lossD_unregularized", "gradient_penalty", "lossG"})
	// A resumed run rewrites the rows up to its checkpoint from the history.
	h := s.tr.History()
	for i := range h.LossD {
		s.csv.Write([]string{strconv.Itoa(i + 1), fmtF(h.LossD[i]), fmtF(h.LossDUnreg[i]), fmtF(h.Penalty[i]), fmtF(h.LossG[i])})
	}
	s.csv.Flush()
	return s.csv.Error()
}

// updateFrame fills the frame from the trainer's history.
func (s *session) updateFrame() {
	tr := s.tr
	h := tr.History()
	f := &s.frame
	f.Title = fmt.Sprintf("Iteration: %d, Elapsed: %s", tr.Iteration(), hms(tr.Elapsed()))
	f.LossD = f.LossD[:0:0]
	f.LossDUnreg = f.LossDUnreg[:0:0]
	for i := range h.LossD {
		f.LossD = append(f.LossD, float64(h.LossD[i]))
		f.LossDUnreg = append(f.LossDUnreg, float64(h.LossDUnreg[i]))
	}
	f.SWD = nil
	for _, p := range h.SWD {
		f.SWD = append(f.SWD, ui.Point{X: float64(p.Iteration), Y: p.Value})
	}
	f.SWDFloor = h.SWDFloor
	opt := tr.Options()
	f.Status = fmt.Sprintf("%s · F=%d batch %d · %s", tr.Backend().Name(), opt.Config.Filters, opt.Config.Batch, s.rate())
	if s.paused {
		f.Status = "PAUSED (Space resumes) · " + f.Status
	}
	f.Version++
}

// rate is the speed of this sitting and the time left.
func (s *session) rate() string {
	done := s.tr.Iteration() - s.startIt
	el := time.Since(s.start).Seconds()
	if done == 0 || el <= 0 {
		return "starting"
	}
	r := float64(done) / el
	eta := time.Duration(float64(s.tr.Options().Iterations-s.tr.Iteration()) / r * float64(time.Second))
	return fmt.Sprintf("%.2f it/s · ETA %s", r, hms(eta))
}

// refresh samples the validation grid and writes the grid, curves and CSV.
func (s *session) refresh() error {
	var err error
	if s.grid, err = s.tr.Validation(s.grid); err != nil {
		return err
	}
	it := s.tr.Iteration()
	s.gridIt = it
	s.frame.Grid = ui.Tile(s.grid, train.ValidationImages, wgan.Size, 5)
	s.frame.GridLabel = fmt.Sprintf("Generated images (iteration %d)", it)
	s.updateFrame()
	s.csv.Flush()
	if err := writePNG(filepath.Join(s.out, fmt.Sprintf("grid-%06d.png", it)), s.frame.Grid); err != nil {
		return err
	}
	if err := writePNG(filepath.Join(s.out, "grid-latest.png"), s.frame.Grid); err != nil {
		return err
	}
	if err := writePNG(filepath.Join(s.out, "curves.png"), ui.RenderCurves(s.frame, 960, 540)); err != nil {
		return err
	}
	if s.view != nil {
		s.view.show(s.frame)
	}
	return nil
}

// progress prints the progress line: redrawn in place on a terminal (at
// most 5 times a second), one line per refresh otherwise.
func (s *session) progress(rec train.Record) {
	it, n := rec.Iteration, s.tr.Options().Iterations
	swd := ""
	if rec.SWD >= 0 {
		swd = fmt.Sprintf("  SWD %.2f (floor %.2f)", rec.SWD, s.tr.History().SWDFloor)
	}
	line := fmt.Sprintf("%s %d/%d  lossD %.4f  lossD_unreg %.4f  %s%s", bar(it, n, 20), it, n, rec.LossD, rec.LossDUnreg, s.rate(), swd)
	switch {
	case s.tty && (time.Since(s.lastPrint) > 200*time.Millisecond || it == n || swd != ""):
		fmt.Fprintf(s.stdout, "\r\033[K%s", line)
		if swd != "" {
			fmt.Fprintln(s.stdout)
		}
		s.lastPrint = time.Now()
	case !s.tty && (it == 1 || it%s.every == 0 || it == n || swd != ""):
		fmt.Fprintln(s.stdout, line)
	}
}

func bar(it, n, width int) string {
	full := 0
	if n > 0 {
		full = min(width, it*width/n)
	}
	b := make([]byte, width)
	for i := range b {
		b[i] = ' '
		if i < full {
			b[i] = '='
		}
	}
	return "[" + string(b) + "]"
}

func (s *session) saveCheckpoint() error {
	ck, err := s.tr.Checkpoint()
	if err != nil {
		return err
	}
	for k, v := range s.extra {
		ck.Metadata[k] = v
	}
	return safetensors.WriteFile(filepath.Join(s.out, "checkpoint.safetensors"), ck)
}

// finish saves the checkpoint and the weights; after a complete run it also
// makes the grid of new latents (SPEC.md §5) and, with a window, shows it
// until the window is closed.
func (s *session) finish(complete bool) error {
	s.csv.Flush()
	if err := s.saveCheckpoint(); err != nil {
		return err
	}
	w, err := s.tr.Weights()
	if err != nil {
		return err
	}
	weights := filepath.Join(s.out, "weights.safetensors")
	if err := safetensors.WriteFile(weights, w); err != nil {
		return err
	}
	if !complete {
		fmt.Fprintf(s.stdout, "saved %s and %s; continue with --resume %s\n",
			filepath.Join(s.out, "checkpoint.safetensors"), weights, s.out)
		return nil
	}
	fresh, err := s.tr.Fresh(s.tr.Options().Seed + 1)
	if err != nil {
		return err
	}
	final := filepath.Join(s.out, "final.png")
	s.frame.Grid = ui.Tile(fresh, train.ValidationImages, wgan.Size, 5)
	if err := writePNG(final, s.frame.Grid); err != nil {
		return err
	}
	fmt.Fprintf(s.stdout, "\ndone in %s: %s, %s (25 new images)\n", hms(s.tr.Elapsed()), weights, final)
	if s.view != nil {
		s.frame.GridLabel = "25 new images from new random latents"
		s.updateFrame()
		s.frame.Status = "Training done · close the window to exit · " + s.frame.Status
		s.view.show(s.frame)
		for {
			select {
			case e, ok := <-s.view.events:
				if ok && e != wire.Closed {
					if _, err := s.handle(e); err != nil {
						return err
					}
					continue
				}
			case <-s.ctx.Done():
			}
			break
		}
		s.view.close(s.ctx.Err() == nil)
	}
	return nil
}

func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	fi, err := f.Stat()
	return err == nil && fi.Mode()&os.ModeCharDevice != 0
}

func fmtF(v float32) string { return strconv.FormatFloat(float64(v), 'g', 8, 32) }

func hms(d time.Duration) string {
	s := int(d.Round(time.Second).Seconds())
	return fmt.Sprintf("%02d:%02d:%02d", s/3600, s/60%60, s%60)
}

// writePNG writes an image atomically (temporary file, then rename).
func writePNG(path string, img image.Image) error {
	tmp, err := os.CreateTemp(filepath.Dir(path), ".png-*")
	if err != nil {
		return err
	}
	if err := png.Encode(tmp, img); err != nil {
		tmp.Close()
		os.Remove(tmp.Name())
		return err
	}
	if err := tmp.Close(); err != nil {
		os.Remove(tmp.Name())
		return err
	}
	return os.Rename(tmp.Name(), path)
}
