package wgan

import (
	"encoding/json"
	"fmt"
	"math"
	"strconv"
	"strings"

	"github.com/wgangp/wgangp/engine"
	"github.com/wgangp/wgangp/safetensors"
)

// Checkpoint tensor names: the weights under their own names, Adam's
// moments under these prefixes; configuration and counters in __metadata__.
const (
	MomentPrefix = "optim.m."
	SquarePrefix = "optim.v."
	// EMAPrefix names the moving averages of the generator's parameters
	// (Config.EMA > 0), e.g. ema.gen.project.weight.
	EMAPrefix     = "ema."
	checkpointTag = "wgangp-checkpoint-1"
	// TrainerPrefix marks the tensors a trainer adds to a checkpoint (its
	// history); the model ignores them.
	TrainerPrefix = "train."
)

// DLosses are the scalars of one discriminator step.
type DLosses struct {
	LossD, LossDUnreg, Penalty float32
}

// Steps is a model on a backend: parameters and Adam moments in buffers
// that live across steps, and the two planned steps (SPEC.md §4) compiled
// once. Each step uploads its inputs, replays its plan and reads back the
// losses.
type Steps struct {
	Config  Config
	Backend engine.Backend
	Losses  *Losses

	bufs         map[string]engine.Buffer // params, moments and per-step inputs by name
	dProg, gProg engine.Program
	emaProg      engine.Program // the moving average's update (nil without EMA)
	// what each step computes: its outputs, then its effects (for Plans)
	dWant, gWant [2][]*engine.Node
	stepD, stepG int // Adam's t for each network: steps taken so far
	scalar       [1]float32
	out          [4]float32
}

// NewSteps builds, plans and compiles the D step and G step of cfg on b,
// starting from weights w (which must match cfg's F and Z) and zero moments.
func NewSteps(b engine.Backend, cfg Config, w *safetensors.File) (*Steps, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	if err := w.Check(Spec(cfg.Filters, cfg.Latent), ""); err != nil {
		return nil, fmt.Errorf("weights do not fit F=%d, Z=%d: %w", cfg.Filters, cfg.Latent, err)
	}
	l := BuildLossesWith(cfg, JointCritic(b))
	s := &Steps{Config: cfg, Backend: b, Losses: l, bufs: map[string]engine.Buffer{}}
	made := false
	defer func() {
		if !made {
			s.Close() // what was allocated before the error
		}
	}()
	g := l.Graph
	alloc := func(name string, shape ...int) (*engine.Node, error) {
		n := g.Input(name, shape...)
		buf, err := b.NewBuffer(n.Shape().Size())
		if err != nil {
			return nil, fmt.Errorf("allocating %s %v: %w", name, n.Shape(), err)
		}
		s.bufs[name] = buf
		return n, nil
	}
	for _, n := range []*engine.Node{l.X, l.Z, l.Eps} {
		if _, err := alloc(inputName(n), n.Shape()...); err != nil {
			return nil, err
		}
	}
	rateD, err := alloc("rate.disc", 1)
	if err != nil {
		return nil, err
	}
	rateG, err := alloc("rate.gen", 1)
	if err != nil {
		return nil, err
	}
	adam := func(params []*engine.Node, specs []Param, grads []*engine.Node, rate *engine.Node) ([]*engine.Node, error) {
		var effects []*engine.Node
		for i, p := range params {
			if _, err := alloc(specs[i].Name, p.Shape()...); err != nil {
				return nil, err
			}
			m, err := alloc(MomentPrefix+specs[i].Name, p.Shape()...)
			if err != nil {
				return nil, err
			}
			v, err := alloc(SquarePrefix+specs[i].Name, p.Shape()...)
			if err != nil {
				return nil, err
			}
			effects = append(effects, engine.Adam(p, m, v, grads[i], rate, cfg.Beta1, cfg.Beta2, cfg.Eps))
		}
		return effects, nil
	}
	dEffects, err := adam(l.DiscParams, l.DiscSpecs, l.GradD, rateD)
	if err != nil {
		return nil, err
	}
	gEffects, err := adam(l.GenParams, l.GenSpecs, l.GradG, rateG)
	if err != nil {
		return nil, err
	}
	// The losses of an iteration come back in one read (GStepLosses): the
	// D step stores lossD, lossDUnreg and the penalty into the buffer
	// losses, the G step lossG after them, and outputs the buffer.
	losses, err := alloc(lossesName, 4)
	if err != nil {
		return nil, err
	}
	for k, loss := range []*engine.Node{l.LossD, l.LossDUnreg, l.Penalty} {
		dEffects = append(dEffects, engine.Store(losses, loss, k))
	}
	gEffects = append(gEffects, engine.Store(losses, l.LossG, 3))

	if cfg.EMA > 0 {
		if s.emaProg, err = s.compileEMA(); err != nil {
			return nil, fmt.Errorf("compiling the moving average: %w", err)
		}
	}
	if err := s.SetWeights(w); err != nil {
		return nil, err
	}
	s.dWant = [2][]*engine.Node{{l.LossD, l.LossDUnreg, l.Penalty}, dEffects}
	s.gWant = [2][]*engine.Node{{l.LossG, losses}, gEffects}
	if s.dProg, err = s.compile(s.dWant[0], s.dWant[1]); err != nil {
		return nil, fmt.Errorf("compiling the discriminator step: %w", err)
	}
	if s.gProg, err = s.compile(s.gWant[0], s.gWant[1]); err != nil {
		return nil, fmt.Errorf("compiling the generator step: %w", err)
	}
	made = true
	return s, nil
}

// Close frees the steps' programs and buffers (parameters, moments,
// inputs) on the backend; samplers made from the steps must be closed
// first. The steps must not be used afterwards; closing twice is harmless.
func (s *Steps) Close() {
	for _, p := range []engine.Program{s.dProg, s.gProg, s.emaProg} {
		if p != nil {
			p.Release()
		}
	}
	for _, buf := range s.bufs {
		buf.Release()
	}
	s.dProg, s.gProg, s.emaProg, s.bufs = nil, nil, nil, map[string]engine.Buffer{}
}

// lossesName is the buffer the steps store their losses into: lossD,
// lossDUnreg, penalty (the last D step's), lossG.
const lossesName = "losses"

// JointCritic reports whether b's steps score the critic's loss on one
// batch of 2N (BuildLossesWith): on a backend that asks for wide batches
// (engine.PlanOptions.WideBatches), a GPU's trade of fewer kernels for more
// live memory.
func JointCritic(b engine.Backend) bool { return engine.PlanOptionsFor(b).WideBatches }

// MemoryNeeded estimates the bytes the Steps of cfg take on a backend that
// stores elemSize-byte values: the parameters and Adam's two moments, the
// step inputs and the working memory of the two planned steps (their
// gradients as outputs), times 3 and 128 MB more for a backend's scratch
// space and the runtime (measured on the CPU backend: F=16 batch 32 peaks at
// 355 MB, F=64 batch 64 at 2.28 GB; this gives 394 MB and 2.3 GB). It builds and plans the graphs, allocating nothing on a
// backend, so a run can be refused before it starts.
func MemoryNeeded(cfg Config, elemSize int) int64 {
	l := BuildLosses(cfg)
	d := engine.NewPlan(append([]*engine.Node{l.LossD, l.LossDUnreg, l.Penalty}, l.GradD...), nil)
	g := engine.NewPlan(append([]*engine.Node{l.LossG}, l.GradG...), nil)
	elems := int64(d.Memory()) + int64(g.Memory())
	for _, p := range Params(cfg.Filters, cfg.Latent) {
		elems += 3 * int64(p.Shape.Size())
		if cfg.EMA > 0 && p.Name[:4] == "gen." {
			elems += 2 * int64(p.Shape.Size()) // the average and its update's value
		}
	}
	for _, n := range []*engine.Node{l.X, l.Z, l.Eps} {
		elems += int64(n.Shape().Size())
	}
	return elems*int64(elemSize)*3 + 128<<20
}

// Programs are the compiled D step and G step, for profiling.
func (s *Steps) Programs() (d, g engine.Program) { return s.dProg, s.gProg }

// Plans plans the D step and the G step again with opts, for figures: the
// steps run plans made with engine.PlanOptionsFor(s.Backend).
func (s *Steps) Plans(opts engine.PlanOptions) (d, g *engine.Plan) {
	return engine.NewPlanWith(s.dWant[0], s.dWant[1], opts), engine.NewPlanWith(s.gWant[0], s.gWant[1], opts)
}

func inputName(n *engine.Node) string { return n.Op().(engine.InputOp).Name }

func (s *Steps) compile(outputs, effects []*engine.Node) (engine.Program, error) {
	p := engine.NewPlanFor(s.Backend, outputs, effects)
	bind := map[*engine.Node]engine.Buffer{}
	for _, in := range p.Inputs {
		buf, ok := s.bufs[inputName(in)]
		if !ok {
			return nil, fmt.Errorf("no buffer for %v", in)
		}
		bind[in] = buf
	}
	return s.Backend.Compile(p, bind)
}

// emaRateName is the buffer of the moving average's step, 1-β_t.
const emaRateName = "ema.rate"

// compileEMA allocates the moving averages of the generator's parameters
// and compiles their update, ema += (1-β_t)·(w - ema) for every parameter
// w, in one program.
func (s *Steps) compileEMA() (engine.Program, error) {
	g := engine.NewGraph()
	input := func(name string, shape ...int) (*engine.Node, error) {
		n := g.Input(name, shape...)
		if _, ok := s.bufs[name]; ok {
			return n, nil
		}
		buf, err := s.Backend.NewBuffer(n.Shape().Size())
		if err != nil {
			return nil, fmt.Errorf("allocating %s %v: %w", name, n.Shape(), err)
		}
		s.bufs[name] = buf
		return n, nil
	}
	rate, err := input(emaRateName, 1)
	if err != nil {
		return nil, err
	}
	var effects []*engine.Node
	for _, p := range GenParams(s.Config.Filters, s.Config.Latent) {
		w, err := input(p.Name, p.Shape...)
		if err != nil {
			return nil, err
		}
		e, err := input(EMAPrefix+p.Name, p.Shape...)
		if err != nil {
			return nil, err
		}
		ones := make([]int, len(p.Shape))
		for i := range ones {
			ones[i] = 1
		}
		step := engine.Mul(engine.Sub(w, e), engine.Reshape(rate, ones...))
		effects = append(effects, engine.Store(e, engine.Add(e, step), 0))
	}
	return s.compile(nil, effects)
}

// EMADecay is β_t, the moving average's decay at generator step t (from 1):
// min(decay, (1+t)/(10+t)), so that the first steps' weights, far from
// the later ones, fade quickly (TensorFlow's ExponentialMovingAverage
// with num_updates).
func EMADecay(decay float64, t int) float64 {
	return min(decay, float64(1+t)/float64(10+t))
}

// adamRate is lr·√(1-β2^t)/(1-β1^t), MATLAB's bias-corrected step size.
func adamRate(lr, beta1, beta2 float64, t int) float64 {
	return lr * math.Sqrt(1-math.Pow(beta2, float64(t))) / (1 - math.Pow(beta1, float64(t)))
}

// DStep takes one discriminator step on real images x [N,3,64,64], latents
// z [N,Z] and interpolation weights eps [N], and returns its losses
// (computed before the update).
func (s *Steps) DStep(x, z, eps []float32) (DLosses, error) {
	if err := s.TrainD(x, z, eps); err != nil {
		return DLosses{}, err
	}
	return s.ReadDLosses()
}

// TrainD takes one discriminator step as DStep does without reading its
// losses back, so a GPU is not made to wait for the host: the trainer reads
// only the last of the Critic steps of an iteration.
func (s *Steps) TrainD(x, z, eps []float32) error {
	if err := s.write("x", x); err != nil {
		return err
	}
	if err := s.write("z", z); err != nil {
		return err
	}
	if err := s.write("epsilon", eps); err != nil {
		return err
	}
	s.scalar[0] = float32(adamRate(s.Config.LRD, s.Config.Beta1, s.Config.Beta2, s.stepD+1))
	if err := s.write("rate.disc", s.scalar[:]); err != nil {
		return err
	}
	if err := s.dProg.Run(); err != nil {
		return err
	}
	s.stepD++
	return nil
}

// ReadDLosses returns the losses of the last discriminator step, in one
// read (the D step copies them into one buffer).
func (s *Steps) ReadDLosses() (DLosses, error) {
	buf, err := s.buffer(lossesName)
	if err != nil {
		return DLosses{}, err
	}
	if err := buf.Read(s.out[:]); err != nil {
		return DLosses{}, err
	}
	return DLosses{LossD: s.out[0], LossDUnreg: s.out[1], Penalty: s.out[2]}, nil
}

// GStepLosses takes one generator step as GStep does and returns the
// losses of the last discriminator step with lossG, what a trainer records
// of a generator iteration, in one read: the only time a generator
// iteration waits for the backend.
func (s *Steps) GStepLosses(z []float32) (DLosses, float32, error) {
	if err := s.runG(z); err != nil {
		return DLosses{}, 0, err
	}
	if err := s.gProg.Output(1).Read(s.out[:]); err != nil {
		return DLosses{}, 0, err
	}
	return DLosses{LossD: s.out[0], LossDUnreg: s.out[1], Penalty: s.out[2]}, s.out[3], nil
}

// GStep takes one generator step on latents z [N,Z] and returns lossG
// (computed before the update).
func (s *Steps) GStep(z []float32) (float32, error) {
	if err := s.runG(z); err != nil {
		return 0, err
	}
	if err := s.gProg.Output(0).Read(s.out[:1]); err != nil {
		return 0, err
	}
	return s.out[0], nil
}

// runG uploads the G step's inputs and runs it.
func (s *Steps) runG(z []float32) error {
	if err := s.write("z", z); err != nil {
		return err
	}
	s.scalar[0] = float32(adamRate(s.Config.LRG, s.Config.Beta1, s.Config.Beta2, s.stepG+1))
	if err := s.write("rate.gen", s.scalar[:]); err != nil {
		return err
	}
	if err := s.gProg.Run(); err != nil {
		return err
	}
	s.stepG++
	if s.emaProg == nil {
		return nil
	}
	s.scalar[0] = float32(1 - EMADecay(s.Config.EMA, s.stepG))
	if err := s.write(emaRateName, s.scalar[:]); err != nil {
		return err
	}
	return s.emaProg.Run()
}

// buffer is the named buffer, or an error once the steps are closed.
func (s *Steps) buffer(name string) (engine.Buffer, error) {
	buf, ok := s.bufs[name]
	if !ok {
		return nil, fmt.Errorf("%s: the steps are closed", name)
	}
	return buf, nil
}

func (s *Steps) write(name string, data []float32) error {
	buf, err := s.buffer(name)
	if err != nil {
		return err
	}
	if len(data) != buf.Len() {
		return fmt.Errorf("%s: %d values, expected %d", name, len(data), buf.Len())
	}
	return buf.Write(data)
}

// StepCounts are the number of discriminator and generator steps taken.
func (s *Steps) StepCounts() (d, g int) { return s.stepD, s.stepG }

// SetWeights uploads weights (every parameter of the model); the moving
// averages, when there are, start again from the generator's.
func (s *Steps) SetWeights(w *safetensors.File) error {
	for _, p := range Params(s.Config.Filters, s.Config.Latent) {
		t, ok := w.Get(p.Name)
		if !ok {
			return fmt.Errorf("weights lack %s", p.Name)
		}
		if err := s.bufs[p.Name].Write(t.Data); err != nil {
			return fmt.Errorf("%s: %w", p.Name, err)
		}
		if buf, ok := s.bufs[EMAPrefix+p.Name]; ok {
			if err := buf.Write(t.Data); err != nil {
				return fmt.Errorf("%s: %w", EMAPrefix+p.Name, err)
			}
		}
	}
	return nil
}

// HasEMA says whether the steps keep a moving average of the generator.
func (s *Steps) HasEMA() bool { return s.Config.EMA > 0 }

// EMAWeights is Weights with the generator's parameters replaced by their
// moving averages (Config.EMA > 0): the weights file of the averaged
// generator, beside the critic as trained.
func (s *Steps) EMAWeights() (*safetensors.File, error) {
	if !s.HasEMA() {
		return nil, fmt.Errorf("the steps keep no moving average (Config.EMA is 0)")
	}
	w := &safetensors.File{}
	for _, p := range Params(s.Config.Filters, s.Config.Latent) {
		buf := p.Name
		if isGen(p.Name) {
			buf = EMAPrefix + p.Name
		}
		if err := s.download(w, buf, p.Name, p.Shape); err != nil {
			return nil, err
		}
	}
	return w, nil
}

func isGen(name string) bool { return strings.HasPrefix(name, "gen.") }

// Weights downloads the parameters as a weights file (SPEC.md §6).
func (s *Steps) Weights() (*safetensors.File, error) {
	w := &safetensors.File{}
	for _, p := range Params(s.Config.Filters, s.Config.Latent) {
		if err := s.download(w, p.Name, p.Name, p.Shape); err != nil {
			return nil, err
		}
	}
	return w, nil
}

func (s *Steps) download(f *safetensors.File, buf, name string, shape engine.Shape) error {
	b, err := s.buffer(buf)
	if err != nil {
		return err
	}
	data := make([]float32, shape.Size())
	if err := b.Read(data); err != nil {
		return fmt.Errorf("reading %s: %w", name, err)
	}
	f.Add(name, shape, data)
	return nil
}

// Checkpoint returns the whole training state: weights, Adam moments
// (MomentPrefix, SquarePrefix), step counts and configuration, plus the
// caller's own metadata (iteration, random generator states).
func (s *Steps) Checkpoint(extra map[string]string) (*safetensors.File, error) {
	f, err := s.Weights()
	if err != nil {
		return nil, err
	}
	for _, p := range Params(s.Config.Filters, s.Config.Latent) {
		if err := s.download(f, MomentPrefix+p.Name, MomentPrefix+p.Name, p.Shape); err != nil {
			return nil, err
		}
		if err := s.download(f, SquarePrefix+p.Name, SquarePrefix+p.Name, p.Shape); err != nil {
			return nil, err
		}
	}
	if s.HasEMA() {
		for _, p := range GenParams(s.Config.Filters, s.Config.Latent) {
			if err := s.download(f, EMAPrefix+p.Name, EMAPrefix+p.Name, p.Shape); err != nil {
				return nil, err
			}
		}
	}
	cfg, err := json.Marshal(s.Config)
	if err != nil {
		return nil, err
	}
	f.Metadata = map[string]string{}
	for k, v := range extra {
		f.Metadata[k] = v
	}
	f.Metadata["format"] = checkpointTag
	f.Metadata["config"] = string(cfg)
	f.Metadata["step_d"] = strconv.Itoa(s.stepD)
	f.Metadata["step_g"] = strconv.Itoa(s.stepG)
	return f, nil
}

// CheckpointConfig reads the configuration stored in a checkpoint and
// checks that its tensors fit it.
func CheckpointConfig(f *safetensors.File) (Config, error) {
	var cfg Config
	if f.Metadata["format"] != checkpointTag {
		return cfg, fmt.Errorf("not a checkpoint of this program (metadata format %q, expected %q)", f.Metadata["format"], checkpointTag)
	}
	if err := json.Unmarshal([]byte(f.Metadata["config"]), &cfg); err != nil {
		return cfg, fmt.Errorf("checkpoint configuration: %w", err)
	}
	if err := cfg.Validate(); err != nil {
		return cfg, fmt.Errorf("checkpoint configuration: %w", err)
	}
	spec := Spec(cfg.Filters, cfg.Latent)
	for _, p := range Params(cfg.Filters, cfg.Latent) {
		spec[MomentPrefix+p.Name] = p.Shape
		spec[SquarePrefix+p.Name] = p.Shape
		if cfg.EMA > 0 && isGen(p.Name) {
			spec[EMAPrefix+p.Name] = p.Shape
		}
	}
	if err := f.Check(spec, TrainerPrefix); err != nil {
		return cfg, fmt.Errorf("checkpoint for F=%d, Z=%d: %w", cfg.Filters, cfg.Latent, err)
	}
	return cfg, nil
}

// Restore loads a checkpoint made by Checkpoint into s (whose configuration
// must be the checkpoint's) and returns its metadata.
func (s *Steps) Restore(f *safetensors.File) (map[string]string, error) {
	cfg, err := CheckpointConfig(f)
	if err != nil {
		return nil, err
	}
	if cfg.Filters != s.Config.Filters || cfg.Latent != s.Config.Latent || cfg.Batch != s.Config.Batch {
		return nil, fmt.Errorf("checkpoint is for F=%d, Z=%d, batch %d; this model is F=%d, Z=%d, batch %d",
			cfg.Filters, cfg.Latent, cfg.Batch, s.Config.Filters, s.Config.Latent, s.Config.Batch)
	}
	if cfg.Linear != s.Config.Linear || (cfg.EMA > 0) != s.HasEMA() {
		return nil, fmt.Errorf("checkpoint is for %s; this model is %s", cfg.Recipe(), s.Config.Recipe())
	}
	stepD, errD := strconv.Atoi(f.Metadata["step_d"])
	stepG, errG := strconv.Atoi(f.Metadata["step_g"])
	if errD != nil || errG != nil || stepD < 0 || stepG < 0 {
		return nil, fmt.Errorf("checkpoint step counts %q and %q are not counts", f.Metadata["step_d"], f.Metadata["step_g"])
	}
	if err := s.SetWeights(f); err != nil {
		return nil, err
	}
	for _, p := range Params(cfg.Filters, cfg.Latent) {
		names := []string{MomentPrefix + p.Name, SquarePrefix + p.Name}
		if cfg.EMA > 0 && isGen(p.Name) {
			names = append(names, EMAPrefix+p.Name)
		}
		for _, name := range names {
			t, _ := f.Get(name)
			if err := s.bufs[name].Write(t.Data); err != nil {
				return nil, fmt.Errorf("%s: %w", name, err)
			}
		}
	}
	s.stepD, s.stepG = stepD, stepG
	return f.Metadata, nil
}
