// Package train is the training loop of SPEC.md §4 around wgan.Steps: the
// data stream, the random streams (Z, ε), the fixed validation latents, the
// loss history, the sample-quality metric (SWD) and checkpoints that resume
// exactly. It draws nothing and writes no files: the desktop and browser
// front ends read its snapshots and decide what to show and save.
package train

import (
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"time"

	"github.com/wgangp/wgangp/engine"
	"github.com/wgangp/wgangp/safetensors"
	"github.com/wgangp/wgangp/wgan"
	"github.com/wgangp/wgangp/wgan/data"
	"github.com/wgangp/wgangp/wgan/swd"
)

// ValidationImages is the number of fixed validation latents (the 5×5 grid).
const ValidationImages = 25

// Options configure a run.
type Options struct {
	Config     wgan.Config
	Iterations int    // generator iterations of the whole run
	Seed       uint64 // initial weights, data order and flips, Z, ε, validation latents
	// SWDEvery measures the sliced Wasserstein distance between generated
	// and held-out real images at iteration 0 and every SWDEvery generator
	// iterations (0: never).
	SWDEvery int
	// SWDImages is the number of images on each side of the measurement
	// (held out of training). Fewer are used when the data is small: at
	// most a quarter of it; below MinSWDImages the metric is off.
	SWDImages int
}

// MinSWDImages is the fewest held-out images SWD is measured with.
const MinSWDImages = 32

// Record is what one generator iteration produced.
type Record struct {
	Iteration int // generator iterations done, counting this one
	wgan.DLosses
	LossG float32
	SWD   float64 // the sliced Wasserstein distance measured after this iteration, or -1
}

// History is the record of a run so far: per generator iteration (index i
// is iteration i+1) the losses of its last discriminator step and of its
// generator step, and the SWD measurements.
type History struct {
	LossD, LossDUnreg, Penalty, LossG []float32
	SWD                               []SWDPoint
	SWDFloor                          float64 // real-vs-real distance with the same counts; 0 when SWD is off
	// DiversityReal is Diversity of ValidationImages real pictures, the
	// figure a generator's validation images are compared with.
	DiversityReal float64
}

// SWDPoint is one measurement of the sliced Wasserstein distance (×1e3,
// averaged over the pyramid levels) and, at the same iteration, the
// Diversity of the validation images (-1 where a checkpoint of an older
// version or of the PyTorch trainer has none).
type SWDPoint struct {
	Iteration int
	Value     float64
	Diversity float64
}

// Trainer runs one training run on one backend.
type Trainer struct {
	opt      Options
	data     *data.Set // the training pictures (without the held-out ones)
	dataDesc string
	steps    *wgan.Steps
	valid    *wgan.Sampler // the generator shown: the moving average when there is one
	plain    *wgan.Sampler // the trained generator beside an average, for MeasurePlain (made when first needed)
	stream   *data.Stream
	batches  *data.Prefetcher
	noise    *rand.PCG // Z and ε
	rng      *rand.Rand
	valZ     []float32
	x, z     []float32
	eps      []float32
	it       int
	critic   int // discriminator steps of the current iteration taken (a run stopped mid-iteration)
	diverged *DivergedError
	elapsed  time.Duration // training time of this run, resumed runs included
	metering time.Duration // the part of elapsed spent measuring SWD (this sitting's)
	hist     History
	metric   *metric // nil when SWD is off
}

// New prepares a run on b over the pictures of set (dataDesc says where they
// came from, for messages and checkpoints): fresh weights drawn from the
// seed, the held-out images, the validation latents and the compiled steps.
func New(b engine.Backend, set *data.Set, dataDesc string, opt Options) (*Trainer, error) {
	if err := opt.Validate(); err != nil {
		return nil, err
	}
	if err := CheckMemory(b, opt.Config); err != nil {
		return nil, err
	}
	t := &Trainer{opt: opt, dataDesc: dataDesc}
	held := &data.Set{}
	if opt.SWDEvery > 0 {
		n := min(opt.SWDImages, set.Len()/4)
		if n >= MinSWDImages {
			set, held = set.HoldOut(n, opt.Seed)
		}
	}
	t.data = set
	stream, err := set.NewStream(opt.Config.Batch, opt.Seed)
	if err != nil {
		return nil, err
	}
	t.stream = stream

	r := rand.New(rand.NewPCG(opt.Seed, 1))
	w := wgan.Init(opt.Config.Filters, opt.Config.Latent, r)
	t.valZ = make([]float32, ValidationImages*opt.Config.Latent)
	for i := range t.valZ {
		t.valZ[i] = float32(r.NormFloat64())
	}
	if t.steps, err = wgan.NewSteps(b, opt.Config, w); err != nil {
		return nil, err
	}
	made := false
	defer func() {
		if !made {
			t.Close() // what was compiled before the error
		}
	}()
	if t.valid, err = t.sampler(ValidationImages); err != nil {
		return nil, err
	}
	t.noise = rand.NewPCG(opt.Seed, 2)
	t.rng = rand.New(t.noise)
	t.x = make([]float32, opt.Config.Batch*data.ImageLen)
	t.z = make([]float32, opt.Config.Batch*opt.Config.Latent)
	t.eps = make([]float32, opt.Config.Batch)
	if held.Len() > 0 {
		if t.metric, err = newMetric(t, held); err != nil {
			return nil, err
		}
		t.hist.SWDFloor = t.metric.floor
	}
	if n := min(ValidationImages, set.Len()); n >= 2 {
		_, pick := set.HoldOut(n, opt.Seed^0xd1e5)
		t.hist.DiversityReal = Diversity(pick.Tensor(0, n, nil), n)
	}
	made = true
	return t, nil
}

// sampler is a generator of n images at a time of what the run shows: the
// moving average of the weights when the run keeps one, else the weights.
func (t *Trainer) sampler(n int) (*wgan.Sampler, error) {
	if t.steps.HasEMA() {
		return t.steps.EMASampler(n)
	}
	return t.steps.Sampler(n)
}

// Options returns the run's options (after a resume: the checkpoint's,
// with the iteration target given to Resume).
func (t *Trainer) Options() Options { return t.opt }

// Backend is the backend the run is on.
func (t *Trainer) Backend() engine.Backend { return t.steps.Backend }

// Data returns the number of training pictures and of held-out ones.
func (t *Trainer) Data() (train, held int) {
	if t.metric != nil {
		held = t.metric.held
	}
	return t.data.Len(), held
}

// Iteration is the number of generator iterations done.
func (t *Trainer) Iteration() int { return t.it }

// Done says whether the run has reached its iteration target.
func (t *Trainer) Done() bool { return t.it >= t.opt.Iterations }

// Elapsed is the time spent training (in Step), over every session of the run.
func (t *Trainer) Elapsed() time.Duration { return t.elapsed }

// History returns the run's record so far. The slices are shared with the
// trainer, which only appends to them: a caller may keep them while it
// keeps to their length at the time of the call.
func (t *Trainer) History() History { return t.hist }

// ErrStopped is StepUntil's error when it was asked to stop before the
// iteration was complete. The trainer is consistent: its checkpoint holds
// the discriminator steps taken so far, and resuming it goes on from there
// exactly.
var ErrStopped = errors.New("training stopped before the iteration was complete")

// DivergedError says that training produced a loss or a weight that is
// not finite (NaN or Inf): the trainer will not step again nor give its
// weights, and its last checkpoint is the last good state.
type DivergedError struct {
	Iteration int    // the generator iteration at which it was seen
	What      string // which values
}

func (e *DivergedError) Error() string {
	return fmt.Sprintf("training diverged at iteration %d: %s", e.Iteration, e.What)
}

// Step runs one generator iteration: Critic discriminator steps, each on
// the next real minibatch with fresh Z and ε, then one generator step with
// fresh Z; and the SWD measurement when it is due.
func (t *Trainer) Step() (Record, error) { return t.StepUntil(nil) }

// StepUntil is Step, asking stop (when not nil) before each discriminator
// step whether to stop; when it says so, StepUntil returns ErrStopped with
// the steps taken so far kept (a checkpoint saves them). A loss that is
// not finite gives a *DivergedError for the iteration.
func (t *Trainer) StepUntil(stop func() bool) (Record, error) {
	if t.diverged != nil {
		return Record{}, t.diverged
	}
	start := time.Now()
	defer func() { t.elapsed += time.Since(start) }()
	if t.metric != nil && t.it == 0 && len(t.hist.SWD) == 0 {
		if err := t.measure(); err != nil {
			return Record{}, err
		}
	}
	if t.batches == nil {
		t.batches = t.stream.Prefetch(2)
	}
	var rec Record
	var err error
	for t.critic < t.opt.Config.Critic {
		if stop != nil && stop() {
			return Record{}, ErrStopped
		}
		t.batches.Next(t.x)
		t.normal(t.z)
		for i := range t.eps {
			t.eps[i] = float32(t.rng.Float64())
		}
		if err = t.steps.TrainD(t.x, t.z, t.eps); err != nil {
			return Record{}, err
		}
		t.critic++
	}
	t.normal(t.z)
	if rec.DLosses, rec.LossG, err = t.steps.GStepLosses(t.z); err != nil {
		return Record{}, err
	}
	t.critic = 0
	if !finite(rec.LossD, rec.LossDUnreg, rec.Penalty, rec.LossG) {
		t.diverged = &DivergedError{Iteration: t.it + 1, What: fmt.Sprintf(
			"lossD %v, lossD unregularized %v, gradient penalty %v, lossG %v", rec.LossD, rec.LossDUnreg, rec.Penalty, rec.LossG)}
		return Record{}, t.diverged
	}
	t.it++
	rec.Iteration = t.it
	t.hist.LossD = append(t.hist.LossD, rec.LossD)
	t.hist.LossDUnreg = append(t.hist.LossDUnreg, rec.LossDUnreg)
	t.hist.Penalty = append(t.hist.Penalty, rec.Penalty)
	t.hist.LossG = append(t.hist.LossG, rec.LossG)
	rec.SWD = -1
	if t.metric != nil && (t.it%t.opt.SWDEvery == 0 || t.it == t.opt.Iterations) {
		if err := t.measure(); err != nil {
			return Record{}, err
		}
		rec.SWD = t.hist.SWD[len(t.hist.SWD)-1].Value
	}
	return rec, nil
}

// Diverged returns the divergence that stopped the run, or nil.
func (t *Trainer) Diverged() *DivergedError { return t.diverged }

func finite(vs ...float32) bool {
	for _, v := range vs {
		if math.IsNaN(float64(v)) || math.IsInf(float64(v), 0) {
			return false
		}
	}
	return true
}

// checkFinite makes the trainer diverged when a tensor of f (weights or
// moments about to be saved) is not finite, so that they are never written.
func (t *Trainer) checkFinite(f *safetensors.File) error {
	if t.diverged != nil {
		return t.diverged
	}
	for _, x := range f.Tensors {
		for i, v := range x.Data {
			if !finite(v) {
				t.diverged = &DivergedError{Iteration: t.it, What: fmt.Sprintf("%s[%d] is %v after the update", x.Name, i, v)}
				return t.diverged
			}
		}
	}
	return nil
}

func (t *Trainer) normal(dst []float32) {
	for i := range dst {
		dst[i] = float32(t.rng.NormFloat64())
	}
}

// measure appends the SWD of the generator shown and the diversity of its
// validation images to the history.
func (t *Trainer) measure() error {
	start := time.Now()
	defer func() { t.metering += time.Since(start) }()
	v, err := t.metric.measure(t.metric.gen, t.it)
	if err != nil {
		return fmt.Errorf("measuring SWD: %w", err)
	}
	img, err := t.Validation(nil)
	if err != nil {
		return err
	}
	t.hist.SWD = append(t.hist.SWD, SWDPoint{Iteration: t.it, Value: v, Diversity: Diversity(img, ValidationImages)})
	return nil
}

// Metering is the part of Elapsed this trainer spent measuring SWD and the
// diversity (since New: a resumed run's earlier sittings are not counted).
func (t *Trainer) Metering() time.Duration { return t.metering }

// Measure measures, now, the SWD of the generator shown and the diversity
// of its validation images, without recording them.
func (t *Trainer) Measure() (SWDPoint, error) {
	if t.metric == nil {
		return SWDPoint{}, fmt.Errorf("SWD is off in this run")
	}
	v, err := t.metric.measure(t.metric.gen, t.it)
	if err != nil {
		return SWDPoint{}, fmt.Errorf("measuring SWD: %w", err)
	}
	img, err := t.Validation(nil)
	if err != nil {
		return SWDPoint{}, err
	}
	return SWDPoint{Iteration: t.it, Value: v, Diversity: Diversity(img, ValidationImages)}, nil
}

// MeasureWeights measures the generator of a weights file w (another
// trainer's, at iteration it) as this run measures its own: the same
// held-out pictures, the same latents for the same iteration, the same
// validation latents; it returns the measurement and the validation images.
func (t *Trainer) MeasureWeights(w *safetensors.File, it int) (SWDPoint, []float32, error) {
	if t.metric == nil {
		return SWDPoint{}, nil, fmt.Errorf("SWD is off in this run")
	}
	gen, err := wgan.NewSampler(t.steps.Backend, w, swdBatch)
	if err != nil {
		return SWDPoint{}, nil, err
	}
	defer gen.Close()
	v, err := t.metric.measure(gen, it)
	if err != nil {
		return SWDPoint{}, nil, fmt.Errorf("measuring SWD: %w", err)
	}
	img, err := sampleValidation(gen, t.valZ)
	if err != nil {
		return SWDPoint{}, nil, err
	}
	return SWDPoint{Iteration: it, Value: v, Diversity: Diversity(img, ValidationImages)}, img, nil
}

// sampleValidation generates the validation images of latents valZ with a
// sampler of at least ValidationImages at a time.
func sampleValidation(gen *wgan.Sampler, valZ []float32) ([]float32, error) {
	z := make([]float32, gen.N*gen.Latent)
	copy(z, valZ)
	img := make([]float32, gen.N*data.ImageLen)
	if err := gen.Sample(img, z); err != nil {
		return nil, err
	}
	return img[:ValidationImages*data.ImageLen], nil
}

// PlainValidation is Validation of the trained generator, beside the
// moving average that Validation shows (the same images without one).
func (t *Trainer) PlainValidation() ([]float32, error) {
	if t.plain == nil {
		var err error
		if t.plain, err = t.steps.Sampler(max(swdBatch, ValidationImages)); err != nil {
			return nil, err
		}
	}
	return sampleValidation(t.plain, t.valZ)
}

// MeasurePlain measures, now, the SWD of the trained generator and the
// diversity of its validation images, beside the moving average the run
// shows (the same as the last measurement's when there is none): the
// quality benchmark compares the two at equal iterations. It changes
// nothing of the run.
func (t *Trainer) MeasurePlain() (SWDPoint, error) {
	if t.metric == nil {
		return SWDPoint{}, fmt.Errorf("SWD is off in this run")
	}
	img, err := t.PlainValidation()
	if err != nil {
		return SWDPoint{}, err
	}
	v, err := t.metric.measure(t.plain, t.it)
	if err != nil {
		return SWDPoint{}, fmt.Errorf("measuring SWD: %w", err)
	}
	return SWDPoint{Iteration: t.it, Value: v, Diversity: Diversity(img, ValidationImages)}, nil
}

// Validation writes the generator's images for the fixed validation latents
// into dst [25,3,64,64] (nil: allocated) and returns it.
func (t *Trainer) Validation(dst []float32) ([]float32, error) {
	if len(dst) != ValidationImages*data.ImageLen {
		dst = make([]float32, ValidationImages*data.ImageLen)
	}
	return dst, t.valid.Sample(dst, t.valZ)
}

// Fresh writes 25 images from new random latents (drawn from seed) into a
// new slice: the grid shown after training (SPEC.md §5).
func (t *Trainer) Fresh(seed uint64) ([]float32, error) {
	r := rand.New(rand.NewPCG(seed, 3))
	z := make([]float32, ValidationImages*t.opt.Config.Latent)
	for i := range z {
		z[i] = float32(r.NormFloat64())
	}
	dst := make([]float32, ValidationImages*data.ImageLen)
	return dst, t.valid.Sample(dst, z)
}

// Close stops the data prefetcher and frees the run's programs and buffers
// on its backend, so that the next run on the same backend (the page's
// device) starts from what this one held. The trainer must not be used
// afterwards; closing twice is harmless.
func (t *Trainer) Close() {
	if t.batches != nil {
		t.batches.Close()
		t.batches = nil
	}
	if t.metric != nil {
		t.metric.gen.Close()
	}
	for _, s := range []*wgan.Sampler{t.valid, t.plain} {
		if s != nil {
			s.Close()
		}
	}
	if t.steps != nil {
		t.steps.Close()
	}
}

// metric measures SWD against held-out real images.
type metric struct {
	ref    *swd.Reference
	gen    *wgan.Sampler
	held   int
	floor  float64
	seed   uint64
	z, img []float32
	images []float32
}

// swdBatch is the number of images the metric's generator makes at a time.
const swdBatch = 32

func newMetric(t *Trainer, held *data.Set) (*metric, error) {
	n := held.Len()
	cfg := swd.DefaultConfig()
	cfg.Seed = t.opt.Seed
	real := held.Tensor(0, n, nil)
	ref, err := swd.NewReference(real, n, wgan.Size, cfg)
	if err != nil {
		return nil, err
	}
	// The floor: as many training pictures, picked at random, against the
	// held-out ones.
	_, other := t.data.HoldOut(n, t.opt.Seed^0x5eed)
	_, floor, err := ref.Distance(other.Tensor(0, n, nil), n)
	if err != nil {
		return nil, err
	}
	gen, err := t.sampler(swdBatch)
	if err != nil {
		return nil, err
	}
	return &metric{
		ref: ref, gen: gen, held: n, floor: floor, seed: t.opt.Seed,
		z:      make([]float32, swdBatch*t.opt.Config.Latent),
		img:    make([]float32, swdBatch*data.ImageLen),
		images: make([]float32, n*data.ImageLen),
	}, nil
}

// measure generates with gen (of swdBatch images) as many images as are
// held out, from latents that depend only on the run's seed and the
// iteration, and returns their distance from the held-out set.
func (m *metric) measure(gen *wgan.Sampler, it int) (float64, error) {
	r := rand.New(rand.NewPCG(m.seed, 4+uint64(it)))
	for done := 0; done < m.held; done += swdBatch {
		for i := range m.z {
			m.z[i] = float32(r.NormFloat64())
		}
		if err := gen.Sample(m.img, m.z); err != nil {
			return 0, err
		}
		k := min(swdBatch, m.held-done)
		copy(m.images[done*data.ImageLen:], m.img[:k*data.ImageLen])
	}
	_, avg, err := m.ref.Distance(m.images, m.held)
	return avg, err
}

// Weights returns the current weights file (SPEC.md §6) of the generator
// shown, the moving average when the run keeps one; a diverged run's
// weights are refused (a *DivergedError).
func (t *Trainer) Weights() (*safetensors.File, error) {
	if t.steps.HasEMA() {
		return t.weights(t.steps.EMAWeights)
	}
	return t.weights(t.steps.Weights)
}

// PlainWeights returns the weights as trained (the last step's), which
// Weights also returns in a run without a moving average.
func (t *Trainer) PlainWeights() (*safetensors.File, error) { return t.weights(t.steps.Weights) }

// weights downloads a weights file with get, refused for a diverged run
// or when a value is not finite.
func (t *Trainer) weights(get func() (*safetensors.File, error)) (*safetensors.File, error) {
	if t.diverged != nil {
		return nil, t.diverged
	}
	w, err := get()
	if err != nil {
		return nil, err
	}
	return w, t.checkFinite(w)
}

// HasEMA says whether the run keeps a moving average of the generator.
func (t *Trainer) HasEMA() bool { return t.steps.HasEMA() }
