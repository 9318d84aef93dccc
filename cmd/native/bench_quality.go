package main

import (
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/wgangp/wgangp/assets"
	"github.com/wgangp/wgangp/internal/atomicfile"
	"github.com/wgangp/wgangp/safetensors"
	"github.com/wgangp/wgangp/wgan"
	"github.com/wgangp/wgangp/wgan/data"
	"github.com/wgangp/wgangp/wgan/train"
	"github.com/wgangp/wgangp/wgan/ui"
)

// qualityFlags are the flags of `bench quality`.
type qualityFlags struct {
	preset, recipe, backend, out, python, pythonDir, gridsAt string
	ema, minutes                                             float64
	iterations, swdEvery, swdImages                          int
	seed                                                     uint64
	torch                                                    bool
	marks                                                    []float64
}

// runBenchQuality is `bench quality`: sample quality per minute of
// training. It trains a preset on the embedded flowers for a budget of
// training time (the time of the measurements not counted), measures the
// SWD and the diversity every --swd-every iterations and at each minute
// of --grids-at (where it also writes the validation grid), and with
// --torch trains the same run (the same initial weights, data order and
// held-out pictures) in PyTorch for as long and measures its snapshots the
// same way. It writes ours.csv, torch.csv, the grids and quality.png, the
// curves side by side, into --out.
func runBenchQuality(args []string, stdout io.Writer) error {
	f := &qualityFlags{}
	fs := newFlags("bench quality")
	fs.StringVar(&f.preset, "preset", "tiny", "model size: "+presetNames())
	fs.StringVar(&f.recipe, "recipe", "seed", "seed or paper (the WGAN-GP paper's critic without a sigmoid and learning rates 1e-4)")
	fs.Var(&emaFlag{&f.ema}, "ema", "a moving average of the generator, measured beside the trained weights: --ema (decay 0.999), --ema=D or --ema=false")
	fs.Float64Var(&f.minutes, "minutes", 10, "training time of each side, in minutes (the measurements not counted)")
	fs.IntVar(&f.iterations, "iterations", 0, "stop each side after N generator iterations instead of after --minutes")
	fs.IntVar(&f.swdEvery, "swd-every", 100, "measure SWD and diversity every N generator iterations")
	fs.IntVar(&f.swdImages, "swd-images", 512, "held-out pictures SWD is measured against")
	fs.StringVar(&f.gridsAt, "grids-at", "10,30", "minutes of training at which the grids are written and measured, comma-separated")
	fs.StringVar(&f.backend, "backend", "cpu", backendHelp)
	fs.Uint64Var(&f.seed, "seed", 1, "random seed of both sides: weights, data order and flips, held-out pictures")
	fs.StringVar(&f.out, "out", "", "output folder, new or empty (default quality/<preset>-<recipe>[-ema]-<date-time>)")
	fs.BoolVar(&f.torch, "torch", false, "then the same run in PyTorch (python/wgangp_torch.quality), measured the same way")
	fs.StringVar(&f.python, "python", defaultPython(), "the Python with torch, for --torch")
	fs.StringVar(&f.pythonDir, "python-dir", "python", "the folder of the wgangp_torch package, for --torch")
	chartOut := fs.String("chart", "", "instead of training: draw earlier runs' curves, given as arguments LABEL=FILE.csv[:COLUMN] (ours.csv or torch.csv; COLUMN swd or swd_as_trained, the default), into this PNG")
	floor := fs.Float64("floor", 0, "with --chart: the real-vs-real SWD drawn as a dashed line (0: none)")
	if err := fs.Parse(args); err != nil {
		return usage(err)
	}
	if *chartOut != "" {
		return drawQualityChart(stdout, *chartOut, *floor, fs.Args())
	}
	if fs.NArg() > 0 {
		return usage(fmt.Errorf("unexpected argument %q", fs.Arg(0)))
	}
	if !(f.minutes > 0) && f.iterations <= 0 {
		return usage(fmt.Errorf("--minutes must be positive (or give --iterations)"))
	}
	if f.torch && f.iterations > 0 {
		return usage(fmt.Errorf("--torch compares by time: give --minutes, not --iterations"))
	}
	if f.swdEvery < 1 || f.iterations < 0 {
		return usage(fmt.Errorf("--swd-every must be positive and --iterations not negative"))
	}
	for _, s := range strings.Split(f.gridsAt, ",") {
		if s = strings.TrimSpace(s); s == "" {
			continue
		}
		m, err := strconv.ParseFloat(s, 64)
		if err != nil || !(m > 0) {
			return usage(fmt.Errorf("--grids-at: %q is not a positive number of minutes", s))
		}
		f.marks = append(f.marks, m)
	}
	p, err := train.PresetByName(f.preset)
	if err != nil {
		return usage(err)
	}
	opt, err := train.PresetOptions(p, train.Overrides{Recipe: f.recipe, EMA: f.ema, Seed: f.seed,
		SWDEvery: f.swdEvery, SWDImages: f.swdImages, Iterations: max(f.iterations, 10_000_000)})
	if err != nil {
		return usage(err)
	}
	if f.out == "" {
		name := p.Name + "-" + train.RecipeOf(opt.Config)
		if f.ema > 0 {
			name += "-ema"
		}
		f.out = filepath.Join("quality", name+"-"+time.Now().Format("20060102-150405"))
	}
	if err := newOutputDir(f.out); err != nil {
		return err
	}
	b, err := openBackend(f.backend)
	if err != nil {
		return err
	}
	defer closeBackend(b)
	set := data.FromImages(assets.Flowers(assets.DefaultCount, f.seed), data.Squash)
	tr, err := train.New(b, set, fmt.Sprintf("%d embedded flower pictures", set.Len()), opt)
	if err != nil {
		return err
	}
	defer tr.Close()
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()

	budget := time.Duration(f.minutes * float64(time.Minute))
	fmt.Fprintf(stdout, "bench quality: preset %s (F=%d, batch %d), recipe %s, %s; %s; %s\n", p.Name, opt.Config.Filters,
		opt.Config.Batch, train.RecipeOf(opt.Config), emaWords(opt.Config.EMA), f.limitWords(budget), b.Name())
	start, err := tr.Checkpoint() // iteration 0: where the PyTorch side starts
	if err != nil {
		return err
	}
	ours, err := f.trainOurs(ctx, stdout, tr, budget)
	if err != nil {
		return err
	}
	f.summarize(stdout, "ours", ours, opt.Config.EMA > 0)
	series := []ui.Series{{Label: "ours" + emaLabel(opt.Config.EMA), Points: minutes(ours, false)}}
	if opt.Config.EMA > 0 {
		series = append(series, ui.Series{Label: "ours, as trained", Points: minutes(ours, true)})
	}
	if f.torch && ctx.Err() == nil {
		theirs, err := f.trainTorch(ctx, stdout, tr, start, budget)
		if err != nil {
			return fmt.Errorf("the PyTorch side: %w", err)
		}
		f.summarize(stdout, "PyTorch", theirs, opt.Config.EMA > 0)
		series = append(series, ui.Series{Label: "PyTorch" + emaLabel(opt.Config.EMA), Points: minutes(theirs, false)})
		if opt.Config.EMA > 0 {
			series = append(series, ui.Series{Label: "PyTorch, as trained", Points: minutes(theirs, true)})
		}
	}
	for i := range series {
		series[i].Color = ui.SeriesColors[i%len(ui.SeriesColors)]
	}
	chart := ui.Chart{Title: fmt.Sprintf("Sample quality per minute: preset %s, recipe %s", p.Name, train.RecipeOf(opt.Config)),
		XLabel: "minutes of training", YLabel: "sliced Wasserstein distance (lower is better)", Series: series,
		Floor: tr.History().SWDFloor, FloorLabel: "real vs real"}
	if err := writePNG(filepath.Join(f.out, "quality.png"), ui.RenderChart(chart, 1280, 720)); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "wrote %s (real-vs-real SWD %.1f, diversity of 25 real pictures %.3f)\n", q(filepath.Join(f.out, "quality.png")),
		tr.History().SWDFloor, tr.History().DiversityReal)
	if ctx.Err() != nil {
		return &interruptedError{why: "signal", iteration: -1}
	}
	return nil
}

// qualityPoint is one row of ours.csv or torch.csv: the measurement of the
// generator shown (the moving average when there is one) and of the
// trained one (the same without an average).
type qualityPoint struct {
	iteration    int
	seconds      float64
	shown, plain train.SWDPoint
	mark         float64 // the minute of --grids-at this row was taken at, or 0
}

// trainOurs trains tr until the budget (or --iterations) and returns its
// measurements; ours.csv is written after each.
func (f *qualityFlags) trainOurs(ctx context.Context, stdout io.Writer, tr *train.Trainer, budget time.Duration) ([]qualityPoint, error) {
	var pts []qualityPoint
	seconds := func() float64 { return (tr.Elapsed() - tr.Metering()).Seconds() }
	add := func(shown train.SWDPoint, mark float64) error {
		pt := qualityPoint{iteration: tr.Iteration(), seconds: seconds(), shown: shown, plain: shown, mark: mark}
		if tr.HasEMA() {
			var err error
			if pt.plain, err = tr.MeasurePlain(); err != nil {
				return err
			}
		}
		pts = append(pts, pt)
		fmt.Fprintf(stdout, "ours    %s\n", pt)
		return writeQualityCSV(filepath.Join(f.out, "ours.csv"), pts)
	}
	next := 0 // the next mark
	for {
		done := f.iterations > 0 && tr.Iteration() >= f.iterations || f.iterations == 0 && seconds() >= budget.Seconds()
		if done || ctx.Err() != nil {
			break
		}
		rec, err := tr.StepUntil(func() bool { return ctx.Err() != nil })
		if errors.Is(err, train.ErrStopped) {
			break
		}
		if err != nil {
			return pts, err
		}
		if rec.Iteration == 1 {
			// the measurement at iteration 0, taken inside the first step
			h := tr.History().SWD[0]
			pts = append(pts, qualityPoint{shown: h, plain: h})
		}
		if rec.SWD >= 0 {
			if err := add(tr.History().SWD[len(tr.History().SWD)-1], 0); err != nil {
				return pts, err
			}
		}
		for next < len(f.marks) && seconds() >= f.marks[next]*60 {
			shown, err := tr.Measure()
			if err != nil {
				return pts, err
			}
			if err := add(shown, f.marks[next]); err != nil {
				return pts, err
			}
			if err := f.writeGrids("ours", f.marks[next], tr.Validation, tr.HasEMA(), tr.PlainValidation); err != nil {
				return pts, err
			}
			next++
		}
	}
	if len(pts) == 0 || pts[len(pts)-1].iteration != tr.Iteration() {
		shown, err := tr.Measure()
		if err != nil {
			return pts, err
		}
		if err := add(shown, 0); err != nil {
			return pts, err
		}
	}
	return pts, f.writeGrids("ours", 0, tr.Validation, tr.HasEMA(), tr.PlainValidation)
}

// writeGrids writes the validation grid of side at minute mark (0: the
// end) and, beside a moving average, the trained generator's.
func (f *qualityFlags) writeGrids(side string, mark float64, shown func([]float32) ([]float32, error), ema bool, plain func() ([]float32, error)) error {
	name := side + "-grid-end"
	if mark > 0 {
		name = fmt.Sprintf("%s-grid-%gmin", side, mark)
	}
	img, err := shown(nil)
	if err != nil {
		return err
	}
	if err := writePNG(filepath.Join(f.out, name+".png"), ui.Tile(img, train.ValidationImages, wgan.Size, 5)); err != nil {
		return err
	}
	if !ema {
		return nil
	}
	if img, err = plain(); err != nil {
		return err
	}
	return writePNG(filepath.Join(f.out, name+"-as-trained.png"), ui.Tile(img, train.ValidationImages, wgan.Size, 5))
}

// trainTorch trains the run of start (a checkpoint at iteration 0) in
// PyTorch for the budget our side had, snapshotting every --swd-every
// iterations, and measures each snapshot with tr's metric.
func (f *qualityFlags) trainTorch(ctx context.Context, stdout io.Writer, tr *train.Trainer, start *safetensors.File, budget time.Duration) ([]qualityPoint, error) {
	tmp, err := os.MkdirTemp("", "wgangp-quality-")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(tmp)
	flowers := filepath.Join(tmp, "flowers")
	if err := os.Mkdir(flowers, 0o755); err != nil {
		return nil, err
	}
	for i, img := range assets.Flowers(assets.DefaultCount, f.seed) {
		if err := writePNG(filepath.Join(flowers, fmt.Sprintf("flower-%04d.png", i)), img); err != nil {
			return nil, err
		}
	}
	ckPath := filepath.Join(tmp, "start.safetensors")
	if err := atomicfile.Write(ckPath, func(w io.Writer) error { _, err := w.Write(start.Bytes()); return err }); err != nil {
		return nil, err
	}
	snaps := filepath.Join(f.out, "torch-snapshots")
	args := []string{"-m", "wgangp_torch.quality", "--resume", ckPath, "--data", flowers, "--out", snaps,
		"--seconds", strconv.FormatFloat(budget.Seconds(), 'f', 1, 64), "--snapshot-every", strconv.Itoa(f.swdEvery),
		"--threads", strconv.Itoa(runtime.GOMAXPROCS(0))} // as many threads as our side's CPU backend
	cmd := exec.CommandContext(ctx, f.python, args...)
	cmd.Cancel = func() error { return cmd.Process.Signal(os.Interrupt) }
	cmd.WaitDelay = time.Minute
	cmd.Stdout, cmd.Stderr = stdout, os.Stderr
	cmd.Env = append(os.Environ(), "PYTHONPATH="+f.pythonDir)
	// The fair OpenBLAS settings of MACHINE-NOTES.md unless the caller set them.
	for k, v := range map[string]string{"OPENBLAS_NUM_THREADS": "1", "OPENBLAS_CORETYPE": "Haswell"} {
		if os.Getenv(k) == "" {
			cmd.Env = append(cmd.Env, k+"="+v)
		}
	}
	fmt.Fprintf(stdout, "torch: %s %s\n", f.python, strings.Join(args, " "))
	if err := cmd.Run(); err != nil && ctx.Err() == nil {
		return nil, fmt.Errorf("%s -m wgangp_torch.quality: %w", f.python, err)
	}
	rows, err := readTimes(filepath.Join(snaps, "times.csv"))
	if err != nil {
		return nil, err
	}
	var pts []qualityPoint
	next := 0
	for i, r := range rows {
		pt := qualityPoint{iteration: r.iteration, seconds: r.seconds}
		measure := func(prefix string) (train.SWDPoint, []float32, error) {
			w, err := safetensors.ReadFile(filepath.Join(snaps, fmt.Sprintf("%s-%06d.safetensors", prefix, r.iteration)))
			if err != nil {
				return train.SWDPoint{}, nil, err
			}
			return tr.MeasureWeights(w, r.iteration)
		}
		var img, plainImg []float32
		if pt.plain, plainImg, err = measure("weights"); err != nil {
			return pts, err
		}
		pt.shown, img = pt.plain, plainImg
		if tr.HasEMA() {
			if pt.shown, img, err = measure("ema"); err != nil {
				return pts, err
			}
		}
		// The first snapshot at or past each mark stands for it (snapshots
		// come every --swd-every iterations); the last one for the end.
		for next < len(f.marks) && r.seconds >= f.marks[next]*60 {
			pt.mark = f.marks[next]
			if err := f.writeGrids("torch", f.marks[next], func([]float32) ([]float32, error) { return img, nil }, tr.HasEMA(),
				func() ([]float32, error) { return plainImg, nil }); err != nil {
				return pts, err
			}
			next++
		}
		if i == len(rows)-1 {
			if err := f.writeGrids("torch", 0, func([]float32) ([]float32, error) { return img, nil }, tr.HasEMA(),
				func() ([]float32, error) { return plainImg, nil }); err != nil {
				return pts, err
			}
		}
		pts = append(pts, pt)
		fmt.Fprintf(stdout, "PyTorch %s\n", pt)
	}
	return pts, writeQualityCSV(filepath.Join(f.out, "torch.csv"), pts)
}

func (p qualityPoint) String() string {
	s := fmt.Sprintf("iteration %6d  %7.1f s  SWD %6.1f  diversity %.3f", p.iteration, p.seconds, p.shown.Value, p.shown.Diversity)
	if p.plain != p.shown {
		s += fmt.Sprintf("  (as trained: SWD %6.1f  diversity %.3f)", p.plain.Value, p.plain.Diversity)
	}
	if p.mark > 0 {
		s += fmt.Sprintf("  [%g min]", p.mark)
	}
	return s
}

// writeQualityCSV writes the rows: iteration, seconds of training, SWD and
// diversity of the generator shown and of the trained one, the mark.
func writeQualityCSV(path string, pts []qualityPoint) error {
	return atomicfile.Write(path, func(w io.Writer) error {
		cw := csv.NewWriter(w)
		cw.Write([]string{"iteration", "seconds", "swd", "diversity", "swd_as_trained", "diversity_as_trained", "minute_mark"})
		g := func(v float64) string { return strconv.FormatFloat(v, 'f', 4, 64) }
		for _, p := range pts {
			cw.Write([]string{strconv.Itoa(p.iteration), g(p.seconds), g(p.shown.Value), g(p.shown.Diversity),
				g(p.plain.Value), g(p.plain.Diversity), g(p.mark)})
		}
		cw.Flush()
		return cw.Error()
	})
}

type timeRow struct {
	iteration int
	seconds   float64
}

// readTimes reads times.csv of wgangp_torch.quality: iteration, seconds.
func readTimes(path string) ([]timeRow, error) {
	recs, err := readCSV(path)
	if err != nil {
		return nil, err
	}
	var rows []timeRow
	for i, r := range recs {
		if i == 0 {
			continue // the header
		}
		it, err1 := strconv.Atoi(r[0])
		sec, err2 := strconv.ParseFloat(r[1], 64)
		if len(r) < 2 || err1 != nil || err2 != nil {
			return nil, fmt.Errorf("%s: row %d %q is not iteration,seconds", q(path), i+1, r)
		}
		rows = append(rows, timeRow{it, sec})
	}
	if len(rows) == 0 {
		return nil, fmt.Errorf("%s has no snapshots", q(path))
	}
	return rows, nil
}

// minutes are the points of a side's curve: SWD over minutes of training.
func minutes(pts []qualityPoint, plain bool) []ui.Point {
	var out []ui.Point
	for _, p := range pts {
		v := p.shown.Value
		if plain {
			v = p.plain.Value
		}
		out = append(out, ui.Point{X: p.seconds / 60, Y: v})
	}
	return out
}

func emaWords(decay float64) string {
	if decay == 0 {
		return "no moving average"
	}
	return fmt.Sprintf("a moving average of the generator (decay %g) shown and measured beside the trained weights", decay)
}

func emaLabel(decay float64) string {
	if decay == 0 {
		return ""
	}
	return fmt.Sprintf(" (EMA %g)", decay)
}

func (f *qualityFlags) limitWords(budget time.Duration) string {
	if f.iterations > 0 {
		return fmt.Sprintf("%d iterations", f.iterations)
	}
	return fmt.Sprintf("%s of training (measurements not counted)", train.HMS(budget))
}

// newOutputDir makes dir, which must not exist or be empty: the benchmark
// writes only into a folder of its own.
func newOutputDir(dir string) error {
	entries, err := os.ReadDir(dir)
	switch {
	case err == nil && len(entries) > 0:
		return fmt.Errorf("%s is not empty: give --out a new folder", q(dir))
	case err != nil && !errors.Is(err, os.ErrNotExist):
		return err
	}
	return os.MkdirAll(dir, 0o755)
}

// defaultPython is Debian's python3 (which has python3-torch) when there
// is one, else the python3 on PATH.
func defaultPython() string {
	if _, err := os.Stat("/usr/bin/python3"); err == nil {
		return "/usr/bin/python3"
	}
	return "python3"
}

// drawQualityChart draws the SWD curves of earlier runs' CSV files into
// the PNG out, one series per argument LABEL=FILE.csv[:COLUMN].
func drawQualityChart(stdout io.Writer, out string, floor float64, curves []string) error {
	if len(curves) == 0 {
		return usage(fmt.Errorf("--chart needs curves: LABEL=FILE.csv[:COLUMN] ..."))
	}
	var files []string
	var series []ui.Series
	for i, c := range curves {
		label, file, ok := strings.Cut(c, "=")
		if !ok || label == "" || file == "" {
			return usage(fmt.Errorf("%q is not LABEL=FILE.csv[:COLUMN]", c))
		}
		column := "swd_as_trained"
		if base, col, ok := strings.Cut(file, ".csv:"); ok {
			file, column = base+".csv", col
		}
		files = append(files, file)
		pts, err := readQualityColumn(file, column)
		if err != nil {
			return err
		}
		series = append(series, ui.Series{Label: label, Color: ui.SeriesColors[i%len(ui.SeriesColors)], Points: pts})
	}
	c := ui.Chart{Title: "Sample quality per minute of training", XLabel: "minutes of training",
		YLabel: "sliced Wasserstein distance (lower is better)", Series: series, Floor: floor, FloorLabel: "real vs real"}
	if err := newOutputs(files...).png("--chart", out, ui.RenderChart(c, 1280, 720)); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "wrote %s (%d curves)\n", q(out), len(series))
	return nil
}

// readQualityColumn reads the (minutes, column) points of a bench quality CSV.
func readQualityColumn(path, column string) ([]ui.Point, error) {
	recs, err := readCSV(path)
	if err != nil {
		return nil, err
	}
	if len(recs) < 2 {
		return nil, fmt.Errorf("%s has no rows", q(path))
	}
	sec, col := slices.Index(recs[0], "seconds"), slices.Index(recs[0], column)
	if sec < 0 || col < 0 {
		return nil, fmt.Errorf("%s has no columns seconds and %s (it has %s)", q(path), column, strings.Join(recs[0], ", "))
	}
	var pts []ui.Point
	for i, r := range recs[1:] {
		s, err1 := strconv.ParseFloat(r[sec], 64)
		v, err2 := strconv.ParseFloat(r[col], 64)
		if err1 != nil || err2 != nil {
			return nil, fmt.Errorf("%s: row %d %q is not numbers", q(path), i+2, r)
		}
		pts = append(pts, ui.Point{X: s / 60, Y: v})
	}
	return pts, nil
}

// readCSV reads a whole CSV file (a header row and at least a row).
func readCSV(path string) ([][]string, error) {
	fh, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer fh.Close()
	recs, err := csv.NewReader(fh).ReadAll()
	if err != nil {
		return nil, fmt.Errorf("%s: %w", q(path), err)
	}
	return recs, nil
}

// summaryWindow is how far before a minute mark the measurements are
// averaged for its summary: one measurement moves by ±20.
const summaryWindow = 2 * 60

// summarize prints, for each minute of --grids-at that the run reached,
// the mean SWD and diversity of the measurements of the two minutes before
// it (the mark's own included), of the generator shown and, beside a
// moving average, of the one as trained: the figures the README's table
// and train.CPUQuality hold.
func (f *qualityFlags) summarize(w io.Writer, side string, pts []qualityPoint, ema bool) {
	for _, m := range f.marks {
		var n int
		var shown, plain train.SWDPoint
		it := -1
		for _, p := range pts {
			if p.mark != m && (p.seconds < m*60-summaryWindow || p.seconds >= m*60) {
				continue
			}
			n++
			shown.Value += p.shown.Value
			shown.Diversity += p.shown.Diversity
			plain.Value += p.plain.Value
			plain.Diversity += p.plain.Diversity
			if p.mark == m || it < 0 {
				it = p.iteration
			}
		}
		if n == 0 {
			continue
		}
		k := float64(n)
		line := fmt.Sprintf("%-7s after %g min (iteration %d): SWD %.1f, diversity %.3f", side, m, it, shown.Value/k, shown.Diversity/k)
		if ema {
			line += fmt.Sprintf("; as trained: SWD %.1f, diversity %.3f", plain.Value/k, plain.Diversity/k)
		}
		fmt.Fprintf(w, "%s (the mean of %d measurements of the %d minutes before)\n", line, n, summaryWindow/60)
	}
}
