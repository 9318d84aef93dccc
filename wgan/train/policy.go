package train

import (
	"fmt"
	"image"
	"strings"
	"time"

	"github.com/wgangp/wgangp/safetensors"
	"github.com/wgangp/wgangp/wgan"
	"github.com/wgangp/wgangp/wgan/ui"
)

// This file is the run policy that the desktop (cmd/native train) and the
// page's worker (cmd/wasm/trainer) share: a run's options from a preset
// and overrides, when a sitting refreshes the grid and keeps a checkpoint,
// the words of its title, status and progress lines, the final grid and
// the weights of a checkpoint; run.go drives a sitting with them. The
// front ends only read flags and files, or messages and IndexedDB, and
// show what this says.

// Overrides are a front end's changes to a preset: zero keeps the preset's
// value (Filters, Batch, Iterations) or the recipe's (the learning rates);
// Recipe "" is seed; Seed, EMA, SWDEvery and SWDImages are taken as given.
type Overrides struct {
	Filters, Batch, Iterations int
	Recipe                     string
	LRD, LRG                   float64
	EMA                        float64 // decay of the generator's moving average (0: none)
	Seed                       uint64
	SWDEvery, SWDImages        int
}

// PresetOptions returns the options of a run of preset p with overrides o,
// validated.
func PresetOptions(p Preset, o Overrides) (Options, error) {
	if o.Filters < 0 || o.Batch < 0 || o.Iterations < 0 {
		return Options{}, fmt.Errorf("filters, batch and iterations must be positive")
	}
	cfg := p.Config()
	r, err := RecipeByName(o.Recipe)
	if err != nil {
		return Options{}, err
	}
	r.apply(&cfg)
	cfg.EMA = o.EMA
	if o.LRD != 0 {
		cfg.LRD = o.LRD
	}
	if o.LRG != 0 {
		cfg.LRG = o.LRG
	}
	opt := Options{Config: cfg, Iterations: p.Iterations, Seed: o.Seed, SWDEvery: o.SWDEvery, SWDImages: o.SWDImages}
	if o.Filters > 0 {
		opt.Config.Filters = o.Filters
	}
	if o.Batch > 0 {
		opt.Config.Batch = o.Batch
	}
	if o.Iterations > 0 {
		opt.Iterations = o.Iterations
	}
	return opt, opt.Validate()
}

// CPUQuality is what `bench quality` measured of the presets with the
// seed's recipe on 2 CPU cores (README "Sample quality per minute"): the
// SWD after 10 and after 30 minutes of training, each the mean of the
// measurements of the two minutes before it (single measurements move by
// ±20). A run without a GPU that names no preset takes the one with the
// lowest sum (DefaultPreset).
var CPUQuality = []PresetQuality{
	{"tiny", 160, 173, 6049},
	{"small", 236, 193, 1661},
}

// PresetQuality is a preset's SWD after 10 and 30 minutes of training.
type PresetQuality struct {
	Preset         string
	SWD10, SWD30   float64
	IterationsIn30 int // the generator iterations that 30 minutes gave
}

// DefaultPreset is the preset of a run that names none, and why: the
// example's on a GPU; without one (the desktop on its CPU, the page on a
// software adapter or its CPU engine) the preset of CPUQuality with the
// lowest SWD after 10 and 30 minutes on 2 CPU cores.
func DefaultPreset(gpu bool) (Preset, string) {
	if gpu {
		p, _ := PresetByName("seed")
		return p, "a GPU, so the example's size"
	}
	best := CPUQuality[0]
	for _, q := range CPUQuality[1:] {
		if q.SWD10+q.SWD30 < best.SWD10+best.SWD30 {
			best = q
		}
	}
	p, err := PresetByName(best.Preset)
	if err != nil {
		panic(err) // CPUQuality names a preset that is not in Presets: a programming error
	}
	return p, fmt.Sprintf("no GPU, so the preset measured best on 2 CPU cores: SWD %.0f after 10 minutes, %.0f after 30 (bench quality)", best.SWD10, best.SWD30)
}

// Expectation is what a run of cfg should show and when, where that was
// measured: the Expect of the preset of its F and batch with the seed's
// recipe and no moving average, or "".
func Expectation(cfg wgan.Config) string {
	if cfg.Linear || cfg.EMA > 0 {
		return ""
	}
	for _, p := range Presets {
		if p.Filters == cfg.Filters && p.Batch == cfg.Batch {
			return p.Expect
		}
	}
	return ""
}

// CheckpointWeights returns the weights file (SPEC.md §6) inside a
// checkpoint: its model's tensors in the order of wgan.Params, the
// generator's moving averages in place of its weights when the run keeps
// them (what its grids show; CheckpointPlainWeights gives the others).
func CheckpointWeights(ck *safetensors.File) (*safetensors.File, wgan.Config, error) {
	return checkpointWeights(ck, true)
}

// CheckpointPlainWeights is CheckpointWeights with the generator as
// trained, also in a run with a moving average.
func CheckpointPlainWeights(ck *safetensors.File) (*safetensors.File, wgan.Config, error) {
	return checkpointWeights(ck, false)
}

// CheckpointModel is CheckpointPlainWeights when asTrained, else
// CheckpointWeights: the choice export and generate offer as --as-trained.
func CheckpointModel(ck *safetensors.File, asTrained bool) (*safetensors.File, wgan.Config, error) {
	return checkpointWeights(ck, !asTrained)
}

func checkpointWeights(ck *safetensors.File, averaged bool) (*safetensors.File, wgan.Config, error) {
	cfg, err := wgan.CheckpointConfig(ck)
	if err != nil {
		return nil, cfg, err
	}
	w := &safetensors.File{}
	for _, p := range wgan.Params(cfg.Filters, cfg.Latent) {
		name := p.Name
		if averaged && cfg.EMA > 0 && strings.HasPrefix(name, "gen.") {
			name = wgan.EMAPrefix + name
		}
		t, ok := ck.Get(name)
		if !ok {
			return nil, cfg, fmt.Errorf("checkpoint has no tensor %s", name)
		}
		w.Add(p.Name, p.Shape, t.Data)
	}
	return w, cfg, nil
}

// Sitting is one sitting of a run in a front end: the trainer, the
// cadence of its refreshes and checkpoints, and the clock of this sitting
// (its speed and ETA count only the iterations trained in it).
type Sitting struct {
	Tr                     *Trainer
	Every, CheckpointEvery int
	start                  time.Time
	startIt                int
	now                    func() time.Time
}

// Defaults of a sitting.
const (
	DefaultEvery           = 20  // grid refresh (SPEC.md §5)
	DefaultCheckpointEvery = 200 // --checkpoint-every, the page's checkpointEvery
)

// NewSitting starts a sitting of tr now; every and checkpointEvery ≤ 0
// take the defaults.
func NewSitting(tr *Trainer, every, checkpointEvery int) *Sitting {
	if every <= 0 {
		every = DefaultEvery
	}
	if checkpointEvery <= 0 {
		checkpointEvery = DefaultCheckpointEvery
	}
	s := &Sitting{Tr: tr, Every: every, CheckpointEvery: checkpointEvery, now: time.Now}
	s.Restart()
	return s
}

// Restart starts the sitting's clock again from the trainer's iteration
// (after a pause, or a trainer replaced on a new device).
func (s *Sitting) Restart() { s.start, s.startIt = s.now(), s.Tr.Iteration() }

// Refresh says whether the grid and curves are redrawn after rec: the
// first iteration, every Every, the last, and whenever SWD was measured.
func (s *Sitting) Refresh(rec Record) bool {
	it := rec.Iteration
	return it == 1 || it%s.Every == 0 || s.Tr.Done() || rec.SWD >= 0
}

// Checkpoint says whether a checkpoint is kept after rec: every
// CheckpointEvery iterations (the end of a run keeps its own).
func (s *Sitting) Checkpoint(rec Record) bool {
	return rec.Iteration%s.CheckpointEvery == 0 && !s.Tr.Done()
}

// Rate is this sitting's speed in generator iterations a second (0 before
// its first iteration).
func (s *Sitting) Rate() float64 {
	done := s.Tr.Iteration() - s.startIt
	el := s.now().Sub(s.start).Seconds()
	if done <= 0 || el <= 0 {
		return 0
	}
	return float64(done) / el
}

// Speed is the rate and the time left, "0.52 it/s · ETA 00:31:47", or
// "starting" before the sitting's first iteration.
func (s *Sitting) Speed() string {
	r := s.Rate()
	if r == 0 {
		return "starting"
	}
	eta := time.Duration(float64(s.Tr.Options().Iterations-s.Tr.Iteration()) / r * float64(time.Second))
	return fmt.Sprintf("%.2f it/s · ETA %s", r, HMS(eta))
}

// Title is the plot's title of SPEC.md §5.
func (s *Sitting) Title() string { return Title(s.Tr.Iteration(), s.Tr.Elapsed()) }

// Title is the plot's title of SPEC.md §5 at iteration it after elapsed.
func Title(it int, elapsed time.Duration) string {
	return fmt.Sprintf("Iteration: %d, Elapsed: %s", it, HMS(elapsed))
}

// State is what a front end's run is doing, for the status line.
type State struct {
	Paused bool
	Done   bool
	Err    string // why the run stopped, when it did
}

// Status is the status line under the view, the same words in the window
// and the page: backend, model, then speed and ETA, "PAUSED (Space
// resumes)" first when paused, "Training done" when done, "STOPPED: why"
// when the run failed.
func (s *Sitting) Status(st State) string {
	opt := s.Tr.Options()
	line := fmt.Sprintf("%s · F=%d batch %d · ", s.Tr.Backend().Name(), opt.Config.Filters, opt.Config.Batch)
	switch {
	case st.Err != "":
		return "STOPPED: " + st.Err
	case st.Done:
		return "Training done · " + line + fmt.Sprintf("%d iterations", opt.Iterations)
	case st.Paused:
		return "PAUSED (Space resumes) · " + line + s.Speed()
	}
	return line + s.Speed()
}

// Progress is the desktop's progress line after rec: a bar, the iteration,
// the losses, the speed and ETA, and SWD when it was measured.
func (s *Sitting) Progress(rec Record) string {
	it, n := rec.Iteration, s.Tr.Options().Iterations
	swd := ""
	if h := s.Tr.History(); rec.SWD >= 0 {
		swd = fmt.Sprintf("  SWD %.2f (floor %.2f)", rec.SWD, h.SWDFloor)
		if d := h.SWD[len(h.SWD)-1].Diversity; d >= 0 {
			swd += "  " + DiversityWords(d, h.DiversityReal)
		}
	}
	return fmt.Sprintf("%s %d/%d  lossD %.4f  lossD_unreg %.4f  %s%s", bar(it, n, 20), it, n, rec.LossD, rec.LossDUnreg, s.Speed(), swd)
}

// Diversity is DiversityWords of the last measurement that has one, or "".
func (s *Sitting) Diversity() string {
	h := s.Tr.History()
	for i := len(h.SWD) - 1; i >= 0; i-- {
		if d := h.SWD[i].Diversity; d >= 0 {
			return DiversityWords(d, h.DiversityReal)
		}
	}
	return ""
}

// DiversityWords is the diversity of the validation images beside that
// of real pictures, "diversity 0.214 (real 0.381)", with "LOW: the images
// look alike" when it is under a third of the real figure (mode
// collapse).
func DiversityWords(d, real float64) string {
	s := fmt.Sprintf("diversity %.3f (real %.3f)", d, real)
	if real > 0 && d < real/3 {
		s += " LOW: the images look alike"
	}
	return s
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

// Grid is a picture of the view with its label and file name, the
// iteration of the weights that made it and whether it is the final grid
// of new latents (else the validation grid).
type Grid struct {
	Image     *image.RGBA
	Label     string
	Name      string
	Iteration int
	Final     bool
}

// ValidationGrid is the grid of the run's fixed validation latents now
// (dst is reused when it has the size), as refreshes show it.
func (s *Sitting) ValidationGrid(dst []float32) (Grid, []float32, error) {
	dst, err := s.Tr.Validation(dst)
	if err != nil {
		return Grid{}, dst, err
	}
	it := s.Tr.Iteration()
	return Grid{Image: ui.Tile(dst, ValidationImages, wgan.Size, 5), Label: fmt.Sprintf("Generated images (iteration %d)", it),
		Name: fmt.Sprintf("grid-%06d.png", it), Iteration: it}, dst, nil
}

// FinalGrid is the grid shown after a complete run (SPEC.md §5): 25
// images from new random latents (drawn from the run's seed + 1).
func (s *Sitting) FinalGrid() (Grid, error) {
	fresh, err := s.Tr.Fresh(s.Tr.Options().Seed + 1)
	if err != nil {
		return Grid{}, err
	}
	return Grid{Image: ui.Tile(fresh, ValidationImages, wgan.Size, 5), Label: "25 new images from new random latents",
		Name: "final.png", Iteration: s.Tr.Iteration(), Final: true}, nil
}

// HMS writes d as hh:mm:ss.
func HMS(d time.Duration) string {
	s := int(d.Round(time.Second).Seconds())
	return fmt.Sprintf("%02d:%02d:%02d", s/3600, s/60%60, s%60)
}
