package train

import (
	"encoding/base64"
	"fmt"
	"strconv"
	"time"

	"github.com/wgangp/wgangp/safetensors"
	"github.com/wgangp/wgangp/wgan"
	"github.com/wgangp/wgangp/wgan/data"
)

// Checkpoint tensors and metadata of the trainer, beside those of
// wgan.Steps.Checkpoint: the history under wgan.TrainerPrefix, the rest in
// __metadata__.
const (
	histLossD      = wgan.TrainerPrefix + "history.lossD"
	histLossDUnreg = wgan.TrainerPrefix + "history.lossD_unregularized"
	histPenalty    = wgan.TrainerPrefix + "history.gradient_penalty"
	histLossG      = wgan.TrainerPrefix + "history.lossG"
	histSWD        = wgan.TrainerPrefix + "history.swd" // [k,2]: iteration, value
)

// Checkpoint returns the whole state of the run: wgan.Steps' checkpoint
// plus the iteration, the data stream's position, the noise generator's
// state, the options and the history. A Trainer made by New with the same
// data and options and given this to Resume continues exactly.
func (t *Trainer) Checkpoint() (*safetensors.File, error) {
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
	if n := len(t.hist.LossD); n > 0 {
		f.Add(histLossD, []int{n}, append([]float32(nil), t.hist.LossD...))
		f.Add(histLossDUnreg, []int{n}, append([]float32(nil), t.hist.LossDUnreg...))
		f.Add(histPenalty, []int{n}, append([]float32(nil), t.hist.Penalty...))
		f.Add(histLossG, []int{n}, append([]float32(nil), t.hist.LossG...))
	}
	if k := len(t.hist.SWD); k > 0 {
		v := make([]float32, 0, 2*k)
		for _, p := range t.hist.SWD {
			v = append(v, float32(p.Iteration), float32(p.Value))
		}
		f.Add(histSWD, []int{k, 2}, v)
	}
	return f, nil
}

// RunOptions reads the options a checkpoint's run was made with.
func RunOptions(f *safetensors.File) (Options, error) {
	cfg, err := wgan.CheckpointConfig(f)
	if err != nil {
		return Options{}, err
	}
	opt := Options{Config: cfg}
	m := f.Metadata
	var bad []string
	atoi := func(key string, dst *int) {
		v, err := strconv.Atoi(m[key])
		if err != nil || v < 0 {
			bad = append(bad, key)
		}
		*dst = v
	}
	atoi("iterations", &opt.Iterations)
	atoi("swd_every", &opt.SWDEvery)
	atoi("swd_images", &opt.SWDImages)
	if opt.Seed, err = strconv.ParseUint(m["seed"], 10, 64); err != nil {
		bad = append(bad, "seed")
	}
	if len(bad) > 0 {
		return Options{}, fmt.Errorf("checkpoint metadata lacks or garbles %v (was it written by `train`?)", bad)
	}
	return opt, nil
}

// Resume loads a checkpoint into t, which New made with the options
// RunOptions returns for it (the iteration target aside) and the same data.
func (t *Trainer) Resume(f *safetensors.File) error {
	if t.it != 0 || t.batches != nil {
		return fmt.Errorf("resume before the first step")
	}
	m := f.Metadata
	var it, images, epoch, pos int
	var elapsedMS int64
	var bad []string
	for _, kv := range []struct {
		key string
		dst *int
	}{{"iteration", &it}, {"data_images", &images}, {"stream_epoch", &epoch}, {"stream_pos", &pos}} {
		v, err := strconv.Atoi(m[kv.key])
		if err != nil || v < 0 {
			bad = append(bad, kv.key)
		}
		*kv.dst = v
	}
	elapsedMS, err := strconv.ParseInt(m["elapsed_ms"], 10, 64)
	if err != nil {
		bad = append(bad, "elapsed_ms")
	}
	rng, err := base64.StdEncoding.DecodeString(m["noise_state"])
	if err != nil {
		bad = append(bad, "noise_state")
	}
	if len(bad) > 0 {
		return fmt.Errorf("checkpoint metadata lacks or garbles %v (was it written by `train`?)", bad)
	}
	if images != t.data.Len() {
		return fmt.Errorf("checkpoint was trained on %d pictures (%s); this data gives %d: resume with the same data", images, m["data"], t.data.Len())
	}
	hist, err := readHistory(f, it)
	if err != nil {
		return err
	}
	if err := t.noise.UnmarshalBinary(rng); err != nil {
		return fmt.Errorf("checkpoint noise_state: %w", err)
	}
	if err := t.stream.Restore(data.StreamState{Epoch: epoch, Pos: pos}); err != nil {
		return fmt.Errorf("checkpoint data position: %w", err)
	}
	if _, err := t.steps.Restore(f); err != nil {
		return err
	}
	hist.SWDFloor = t.hist.SWDFloor
	t.hist = hist
	t.it = it
	t.elapsed = time.Duration(elapsedMS) * time.Millisecond
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
		if len(t.Shape) != 2 || t.Shape[1] != 2 {
			return h, fmt.Errorf("checkpoint %s has shape %v, want [k 2]", histSWD, t.Shape)
		}
		for i := 0; i < t.Shape[0]; i++ {
			h.SWD = append(h.SWD, SWDPoint{Iteration: int(t.Data[2*i]), Value: float64(t.Data[2*i+1])})
		}
	}
	return h, nil
}
