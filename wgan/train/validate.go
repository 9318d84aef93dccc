package train

import (
	"encoding/base64"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/wgangp/wgangp/engine"
	"github.com/wgangp/wgangp/internal/sysmem"
	"github.com/wgangp/wgangp/safetensors"
	"github.com/wgangp/wgangp/wgan"
	"github.com/wgangp/wgangp/wgan/data"
)

// Bounds of a run's options beside those of wgan.Config.Validate.
const (
	MaxIterations = 10_000_000
	MaxSWDImages  = 100_000
)

// Validate is the one check of a run's options, wherever they come from
// (flags and presets, a checkpoint's metadata, the page's messages): the
// model's configuration within wgan's bounds, every count within its own.
// Memory is CheckMemory's.
func (o Options) Validate() error {
	if err := o.Config.Validate(); err != nil {
		return err
	}
	switch {
	case o.Iterations < 0 || o.Iterations > MaxIterations:
		return fmt.Errorf("iterations must be in [0, %d], got %d", MaxIterations, o.Iterations)
	case o.SWDEvery < 0 || o.SWDEvery > MaxIterations:
		return fmt.Errorf("the SWD interval must be in [0, %d] (0: off), got %d", MaxIterations, o.SWDEvery)
	case o.SWDImages < 0 || o.SWDImages > MaxSWDImages:
		return fmt.Errorf("SWD images must be in [0, %d], got %d", MaxSWDImages, o.SWDImages)
	}
	return nil
}

// MemoryLimiter is what a backend may implement to say how much memory it
// has left (a GPU device); backends that do not are checked against the
// machine's memory.
type MemoryLimiter interface {
	MemoryAvailable() (bytes int64, ok bool)
}

// CheckMemory estimates the memory a run of cfg takes on b
// (wgan.MemoryNeeded, 8-byte values on a float64 backend) and refuses it,
// saying how much it needs and has, when the backend or the machine has
// less left. It allocates nothing.
func CheckMemory(b engine.Backend, cfg wgan.Config) error {
	elem := 4
	if strings.Contains(b.Name(), "float64") {
		elem = 8
	}
	need := wgan.MemoryNeeded(cfg, elem)
	what := fmt.Sprintf("a model of F=%d, Z=%d, batch %d", cfg.Filters, cfg.Latent, cfg.Batch)
	if m, ok := b.(MemoryLimiter); ok {
		if avail, ok := m.MemoryAvailable(); ok && need > avail {
			return fmt.Errorf("%s needs about %s on %s, which has %s left: choose a smaller --filters or --batch", what, sysmem.Size(need), b.Name(), sysmem.Size(avail))
		}
		return nil
	}
	if err := sysmem.Check(what, need); err != nil {
		return fmt.Errorf("%w: choose a smaller --filters or --batch", err)
	}
	return nil
}

// Saved is what a trainer's checkpoint says about its run: the options and
// where the run stood.
type Saved struct {
	Options
	Iteration  int // generator iterations done
	CriticDone int // discriminator steps of the next iteration already taken
	StepD      int
	StepG      int
	DataImages int
	Stream     data.StreamState
	Elapsed    time.Duration
	Noise      []byte // the Z/ε generator's state
	History    History
}

// trainerKeys are the metadata a trainer writes beside wgan's.
var trainerKeys = []string{"iteration", "iterations", "seed", "swd_every", "swd_images", "elapsed_ms",
	"data_images", "stream_epoch", "stream_pos", "noise_state"}

// IsTrainerCheckpoint says whether f claims to be a trainer's checkpoint
// (it has a trainer's metadata or tensors) rather than a model's alone.
func IsTrainerCheckpoint(f *safetensors.File) bool {
	for _, k := range trainerKeys {
		if _, ok := f.Metadata[k]; ok {
			return true
		}
	}
	for _, t := range f.Tensors {
		if strings.HasPrefix(t.Name, wgan.TrainerPrefix) {
			return true
		}
	}
	return false
}

// ReadSaved reads and checks a trainer checkpoint's metadata and history:
// wgan.CheckpointConfig (format, configuration, tensors), every key
// present and a number in range, the options valid (Validate), and the
// counts consistent with each other: step_g = iteration, step_d =
// iteration·critic + critic_done, iteration ≤ iterations, a history of
// iteration entries. inspect, export, resume and the page all use it.
func ReadSaved(f *safetensors.File) (Saved, error) {
	cfg, err := wgan.CheckpointConfig(f)
	if err != nil {
		return Saved{}, err
	}
	s := Saved{Options: Options{Config: cfg}}
	m := f.Metadata
	var bad []string
	count := func(key string, dst *int, optional bool) {
		v, ok := m[key]
		if !ok && optional {
			return
		}
		n, err := strconv.Atoi(v)
		if err != nil || n < 0 {
			bad = append(bad, fmt.Sprintf("%s %q", key, v))
		}
		*dst = n
	}
	count("iteration", &s.Iteration, false)
	count("iterations", &s.Iterations, false)
	count("swd_every", &s.SWDEvery, false)
	count("swd_images", &s.SWDImages, false)
	count("data_images", &s.DataImages, false)
	count("stream_epoch", &s.Stream.Epoch, false)
	count("stream_pos", &s.Stream.Pos, false)
	count("step_d", &s.StepD, false)
	count("step_g", &s.StepG, false)
	count("critic_done", &s.CriticDone, true)
	if s.Seed, err = strconv.ParseUint(m["seed"], 10, 64); err != nil {
		bad = append(bad, fmt.Sprintf("seed %q", m["seed"]))
	}
	ms, err := strconv.ParseInt(m["elapsed_ms"], 10, 64)
	if err != nil || ms < 0 || ms > int64(100*365*24*time.Hour/time.Millisecond) {
		bad = append(bad, fmt.Sprintf("elapsed_ms %q", m["elapsed_ms"]))
	}
	s.Elapsed = time.Duration(ms) * time.Millisecond
	if s.Noise, err = base64.StdEncoding.DecodeString(m["noise_state"]); err != nil || len(s.Noise) == 0 {
		bad = append(bad, "noise_state")
	}
	if len(bad) > 0 {
		return Saved{}, fmt.Errorf("checkpoint metadata lacks or garbles %s (was it written by `train`?)", strings.Join(bad, ", "))
	}
	if err := s.Options.Validate(); err != nil {
		return Saved{}, fmt.Errorf("checkpoint options: %w", err)
	}
	switch {
	case s.Iteration > s.Iterations:
		return Saved{}, fmt.Errorf("checkpoint metadata: iteration %d is past the run's target of %d iterations", s.Iteration, s.Iterations)
	case s.CriticDone >= cfg.Critic:
		return Saved{}, fmt.Errorf("checkpoint metadata: critic_done %d, but an iteration has %d critic steps", s.CriticDone, cfg.Critic)
	case s.StepG != s.Iteration:
		return Saved{}, fmt.Errorf("checkpoint metadata: step_g %d does not match iteration %d (one generator step per iteration)", s.StepG, s.Iteration)
	case int64(s.StepD) != int64(s.Iteration)*int64(cfg.Critic)+int64(s.CriticDone):
		return Saved{}, fmt.Errorf("checkpoint metadata: step_d %d does not match iteration %d × %d critic steps + %d", s.StepD, s.Iteration, cfg.Critic, s.CriticDone)
	case s.DataImages < cfg.Batch:
		return Saved{}, fmt.Errorf("checkpoint metadata: data_images %d, fewer than a minibatch of %d", s.DataImages, cfg.Batch)
	}
	if s.History, err = readHistory(f, s.Iteration); err != nil {
		return Saved{}, err
	}
	return s, nil
}
