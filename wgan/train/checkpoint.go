package train

import (
	"encoding/base64"
	"fmt"
	"math"
	"strconv"

	"github.com/wgangp/wgangp/safetensors"
	"github.com/wgangp/wgangp/wgan"
)

// Checkpoint tensors and metadata of the trainer, beside those of
// wgan.Steps.Checkpoint: the history under wgan.TrainerPrefix, the rest in
// __metadata__.
const (
	histLossD      = wgan.TrainerPrefix + "history.lossD"
	histLossDUnreg = wgan.TrainerPrefix + "history.lossD_unregularized"
	histPenalty    = wgan.TrainerPrefix + "history.gradient_penalty"
	histLossG      = wgan.TrainerPrefix + "history.lossG"
	histSWD        = wgan.TrainerPrefix + "history.swd"       // [k,2]: iteration, value
	histDiversity  = wgan.TrainerPrefix + "history.diversity" // [k]: at the SWD points (absent in older checkpoints)
)

// Checkpoint returns the whole state of the run: wgan.Steps' checkpoint
// plus the iteration, the data stream's position, the noise generator's
// state, the options and the history. A Trainer made by New with the same
// data and options and given this to Resume continues exactly.
func (t *Trainer) Checkpoint() (*safetensors.File, error) {
	if t.diverged != nil {
		return nil, t.diverged
	}
	rng, err := t.noise.MarshalBinary()
	if err != nil {
		return nil, err
	}
	st := t.stream.State()
	if t.batches != nil {
		st = t.batches.State()
	}
	meta := map[string]string{
		"iteration":    strconv.Itoa(t.it),
		"critic_done":  strconv.Itoa(t.critic),
		"iterations":   strconv.Itoa(t.opt.Iterations),
		"seed":         strconv.FormatUint(t.opt.Seed, 10),
		"swd_every":    strconv.Itoa(t.opt.SWDEvery),
		"swd_images":   strconv.Itoa(t.opt.SWDImages),
		"swd_floor":    strconv.FormatFloat(t.hist.SWDFloor, 'g', -1, 64),
		"elapsed_ms":   strconv.FormatInt(t.elapsed.Milliseconds(), 10),
		"data":         t.dataDesc,
		"data_images":  strconv.Itoa(t.data.Len()),
		"stream_epoch": strconv.Itoa(st.Epoch),
		"stream_pos":   strconv.Itoa(st.Pos),
		"noise_state":  base64.StdEncoding.EncodeToString(rng),
	}
	f, err := t.steps.Checkpoint(meta)
	if err != nil {
		return nil, err
	}
	if err := t.checkFinite(f); err != nil {
		return nil, err
	}
	if n := len(t.hist.LossD); n > 0 {
		f.Add(histLossD, []int{n}, append([]float32(nil), t.hist.LossD...))
		f.Add(histLossDUnreg, []int{n}, append([]float32(nil), t.hist.LossDUnreg...))
		f.Add(histPenalty, []int{n}, append([]float32(nil), t.hist.Penalty...))
		f.Add(histLossG, []int{n}, append([]float32(nil), t.hist.LossG...))
	}
	if k := len(t.hist.SWD); k > 0 {
		v := make([]float32, 0, 2*k)
		div := make([]float32, 0, k)
		for _, p := range t.hist.SWD {
			v = append(v, float32(p.Iteration), float32(p.Value))
			div = append(div, float32(p.Diversity))
		}
		f.Add(histSWD, []int{k, 2}, v)
		f.Add(histDiversity, []int{k}, div)
	}
	return f, nil
}

// RunOptions reads the options a checkpoint's run was made with, after
// checking the whole of its metadata (ReadSaved).
func RunOptions(f *safetensors.File) (Options, error) {
	s, err := ReadSaved(f)
	return s.Options, err
}

// Resume loads a checkpoint into t, which New made with the options
// RunOptions returns for it (the iteration target and learning rates
// aside) and the same data.
func (t *Trainer) Resume(f *safetensors.File) error {
	if t.it != 0 || t.critic != 0 || t.batches != nil {
		return fmt.Errorf("resume before the first step")
	}
	s, err := ReadSaved(f)
	if err != nil {
		return err
	}
	if s.DataImages != t.data.Len() {
		return fmt.Errorf("checkpoint was trained on %d pictures (%s); this data gives %d: resume with the same data", s.DataImages, f.Metadata["data"], t.data.Len())
	}
	if s.Iteration > t.opt.Iterations {
		return fmt.Errorf("checkpoint is at iteration %d, past this run's target of %d iterations", s.Iteration, t.opt.Iterations)
	}
	if err := t.noise.UnmarshalBinary(s.Noise); err != nil {
		return fmt.Errorf("checkpoint noise_state: %w", err)
	}
	if err := t.stream.Restore(s.Stream); err != nil {
		return fmt.Errorf("checkpoint data position: %w", err)
	}
	if _, err := t.steps.Restore(f); err != nil {
		return err
	}
	s.History.SWDFloor, s.History.DiversityReal = t.hist.SWDFloor, t.hist.DiversityReal
	t.hist = s.History
	t.it = s.Iteration
	t.critic = s.CriticDone
	t.elapsed = s.Elapsed
	return nil
}

// SetIterations changes the run's iteration target (to go on training past
// the original one).
func (t *Trainer) SetIterations(n int) { t.opt.Iterations = n }

func readHistory(f *safetensors.File, it int) (History, error) {
	var h History
	for _, s := range []struct {
		name string
		dst  *[]float32
	}{{histLossD, &h.LossD}, {histLossDUnreg, &h.LossDUnreg}, {histPenalty, &h.Penalty}, {histLossG, &h.LossG}} {
		t, ok := f.Get(s.name)
		switch {
		case !ok && it == 0:
		case !ok:
			return h, fmt.Errorf("checkpoint at iteration %d lacks %s", it, s.name)
		case len(t.Shape) != 1 || t.Shape[0] != it:
			return h, fmt.Errorf("checkpoint %s has shape %v, want [%d]", s.name, t.Shape, it)
		default:
			*s.dst = append([]float32(nil), t.Data...)
		}
	}
	if t, ok := f.Get(histSWD); ok {
		if len(t.Shape) != 2 || t.Shape[1] != 2 || t.Shape[0] > it+1 {
			return h, fmt.Errorf("checkpoint %s has shape %v, want [k 2] with k ≤ %d", histSWD, t.Shape, it+1)
		}
		for i := 0; i < t.Shape[0]; i++ {
			at, v := t.Data[2*i], t.Data[2*i+1]
			if at != float32(int(at)) || int(at) < 0 || int(at) > it || (i > 0 && int(at) <= h.SWD[i-1].Iteration) || v < 0 {
				return h, fmt.Errorf("checkpoint %s: point %d (iteration %v, value %v) is not a measurement of iterations 0..%d in order", histSWD, i, at, v, it)
			}
			h.SWD = append(h.SWD, SWDPoint{Iteration: int(at), Value: float64(v), Diversity: -1})
		}
	}
	// The diversity beside each point, when the checkpoint has it (the
	// PyTorch trainer's and older ones do not).
	if t, ok := f.Get(histDiversity); ok && len(t.Shape) == 1 && t.Shape[0] == len(h.SWD) {
		for i, v := range t.Data {
			if v >= 0 && !math.IsInf(float64(v), 0) {
				h.SWD[i].Diversity = float64(v)
			}
		}
	}
	return h, nil
}
