package train

import (
	"errors"
	"fmt"
	"math"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/wgangp/wgangp/engine"
	"github.com/wgangp/wgangp/engine/cpu"
	"github.com/wgangp/wgangp/safetensors"
	"github.com/wgangp/wgangp/wgan"
)

// trainerCheckpoint is the checkpoint of a tiny run after its iterations.
func trainerCheckpoint(t *testing.T, iterations, target int) *safetensors.File {
	t.Helper()
	tr, err := New(cpu.New[float32](2), flowers(24), "flowers", tinyOptions(target))
	require.NoError(t, err)
	defer tr.Close()
	run(t, tr, iterations)
	return weights(t, tr)
}

// TestReadSavedRefuses: every inconsistent or out-of-range metadata value
// is refused by ReadSaved (and so by inspect, export, resume and the
// page), with an error naming the key.
func TestReadSavedRefuses(t *testing.T) {
	good := trainerCheckpoint(t, 2, 5)
	_, err := ReadSaved(good)
	require.NoError(t, err)
	cfg := func(edit func(*wgan.Config)) string {
		c := tinyOptions(5).Config
		edit(&c)
		return fmt.Sprintf(`{"Filters":%d,"Latent":%d,"Batch":%d,"Lambda":%v,"LRD":%v,"LRG":%v,"Beta1":0,"Beta2":0.9,"Eps":1e-8,"Critic":%d}`,
			c.Filters, c.Latent, c.Batch, c.Lambda, c.LRD, c.LRG, c.Critic)
	}
	for _, tc := range []struct {
		key, value, want string
	}{
		{"iteration", "-5", `iteration "-5"`},
		{"iteration", "abc", `iteration "abc"`},
		{"iteration", "3", "step_g 2 does not match iteration 3"},
		{"iteration", "", `iteration ""`},
		{"iterations", "1", "iteration 2 is past the run's target of 1 iterations"},
		{"iterations", "99999999999", "iterations must be in [0, 10000000]"},
		{"step_d", "7", "step_d 7 does not match iteration 2 × 5 critic steps + 0"},
		{"step_g", "1", "step_g 1 does not match iteration 2"},
		{"critic_done", "5", "critic_done 5, but an iteration has 5 critic steps"},
		{"critic_done", "1", "step_d 10 does not match iteration 2 × 5 critic steps + 1"},
		{"seed", "-1", `seed "-1"`},
		{"swd_every", "x", `swd_every "x"`},
		{"swd_images", "1000000", "SWD images must be in [0, 100000]"},
		{"elapsed_ms", "-3", `elapsed_ms "-3"`},
		{"data_images", "2", "data_images 2, fewer than a minibatch of 4"},
		{"stream_pos", "1e3", `stream_pos "1e3"`},
		{"noise_state", "!!", "noise_state"},
		{"config", cfg(func(c *wgan.Config) { c.Critic = 1000000000 }), "critic steps per generator step must be in [1, 100], got 1000000000"},
		{"config", cfg(func(c *wgan.Config) { c.LRG = 5 }), "generator learning rate"},
		{"config", `{"Filters":4,"Latent":100,"Batch":4,"Lambda":10,"LRD":2e-4,"LRG":"Inf","Beta1":0,"Beta2":0.9,"Eps":1e-8,"Critic":5}`, "checkpoint configuration"},
		{"config", cfg(func(c *wgan.Config) { c.Filters = 100000 }), "filters must be in [1, 1024], got 100000"},
		{"format", "wgangp-checkpoint-0", "not a checkpoint of this program"},
	} {
		t.Run(tc.key+"="+tc.value, func(t *testing.T) {
			f := &safetensors.File{Tensors: good.Tensors, Metadata: map[string]string{}}
			for k, v := range good.Metadata {
				f.Metadata[k] = v
			}
			f.Metadata[tc.key] = tc.value
			_, err := ReadSaved(f)
			require.ErrorContains(t, err, tc.want)
		})
	}
	// A history tensor of the wrong length.
	f := &safetensors.File{Metadata: good.Metadata}
	for _, x := range good.Tensors {
		if x.Name == histLossG {
			x = safetensors.Tensor{Name: x.Name, Shape: []int{1}, Data: x.Data[:1]}
		}
		f.Tensors = append(f.Tensors, x)
	}
	_, err = ReadSaved(f)
	require.ErrorContains(t, err, "train.history.lossG has shape [1], want [2]")
}

// TestStopMidIterationIsExact: a run stopped between two critic steps,
// checkpointed and resumed ends bit for bit where an uninterrupted run
// does.
func TestStopMidIterationIsExact(t *testing.T) {
	set := flowers(24)
	b := cpu.New[float32](2)
	opt := tinyOptions(3)
	straight, err := New(b, set, "flowers", opt)
	require.NoError(t, err)
	run(t, straight, 3)
	want := weights(t, straight)
	straight.Close()

	first, err := New(b, set, "flowers", opt)
	require.NoError(t, err)
	run(t, first, 1)
	asked := 0
	_, err = first.StepUntil(func() bool { asked++; return asked == 3 }) // after 2 of 5 critic steps
	require.ErrorIs(t, err, ErrStopped)
	require.Equal(t, 1, first.Iteration())
	ck := weights(t, first)
	first.Close()
	require.Equal(t, "2", ck.Metadata["critic_done"])
	require.Equal(t, "7", ck.Metadata["step_d"])
	ck, err = safetensors.Decode(ck.Bytes())
	require.NoError(t, err)

	second, err := New(b, set, "flowers", opt)
	require.NoError(t, err)
	require.NoError(t, second.Resume(ck))
	run(t, second, 2)
	got := weights(t, second)
	second.Close()
	for _, w := range want.Tensors {
		g, ok := got.Get(w.Name)
		require.True(t, ok, w.Name)
		require.Equal(t, w.Data, g.Data, w.Name)
	}
	require.Equal(t, want.Metadata["step_d"], got.Metadata["step_d"])
	require.Equal(t, want.Metadata["noise_state"], got.Metadata["noise_state"])
}

// poison is a backend whose programs' outputs read as NaN once armed: a
// run that diverges.
type poison struct {
	engine.Backend
	armed *bool
}

func (p poison) Compile(pl *engine.Plan, in map[*engine.Node]engine.Buffer) (engine.Program, error) {
	prog, err := p.Backend.Compile(pl, in)
	return poisonProg{prog, p.armed}, err
}

type poisonProg struct {
	engine.Program
	armed *bool
}

func (p poisonProg) Output(i int) engine.Buffer { return poisonBuf{p.Program.Output(i), p.armed} }

type poisonBuf struct {
	engine.Buffer
	armed *bool
}

func (b poisonBuf) Read(dst []float32) error {
	if err := b.Buffer.Read(dst); err != nil || !*b.armed {
		return err
	}
	for i := range dst {
		dst[i] = float32(math.NaN())
	}
	return nil
}

// TestDivergence: a NaN loss stops the run at its iteration with a
// *DivergedError, and the trainer then refuses to step, to checkpoint and
// to give its weights, so nothing non-finite is ever written.
func TestDivergence(t *testing.T) {
	armed := false
	tr, err := New(poison{cpu.New[float32](2), &armed}, flowers(24), "flowers", tinyOptions(5))
	require.NoError(t, err)
	defer tr.Close()
	run(t, tr, 2)
	armed = true
	_, err = tr.Step()
	var div *DivergedError
	require.True(t, errors.As(err, &div), "err %v", err)
	require.Equal(t, 3, div.Iteration)
	require.Contains(t, err.Error(), "training diverged at iteration 3: lossD NaN")
	require.Equal(t, 2, tr.Iteration())
	require.Len(t, tr.History().LossD, 2)
	_, err = tr.Step()
	require.ErrorAs(t, err, &div)
	_, err = tr.Checkpoint()
	require.ErrorAs(t, err, &div)
	_, err = tr.Weights()
	require.ErrorAs(t, err, &div)
	require.Equal(t, div, tr.Diverged())
}

// TestOptionsBounds: Validate and CheckMemory refuse what cannot run, at
// once and before anything is allocated.
func TestOptionsBounds(t *testing.T) {
	b := cpu.New[float32](1)
	for _, tc := range []struct {
		edit func(*Options)
		want string
	}{
		{func(o *Options) { o.Config.Filters = 100000 }, "filters must be in [1, 1024]"},
		{func(o *Options) { o.Config.LRG = math.Inf(1) }, "generator learning rate must be in (0, 1], got +Inf"},
		{func(o *Options) { o.Config.LRD = math.NaN() }, "discriminator learning rate must be in (0, 1], got NaN"},
		{func(o *Options) { o.Config.Critic = 1e9 }, "critic steps per generator step must be in [1, 100]"},
		{func(o *Options) { o.Config.Lambda = math.Inf(1) }, "gradient penalty weight"},
		{func(o *Options) { o.Config.Batch = 5000 }, "batch must be in [1, 4096]"},
		{func(o *Options) { o.Iterations = -1 }, "iterations must be in [0, 10000000]"},
		{func(o *Options) { o.SWDImages = 1 << 30 }, "SWD images must be in"},
	} {
		o := tinyOptions(3)
		tc.edit(&o)
		require.ErrorContains(t, o.Validate(), tc.want)
		_, err := New(b, flowers(24), "flowers", o)
		require.ErrorContains(t, err, tc.want)
	}
	// Within the bounds but far beyond this machine's memory.
	o := tinyOptions(3)
	o.Config.Filters, o.Config.Batch = 1024, 4096
	err := CheckMemory(b, o.Config)
	require.ErrorContains(t, err, "a model of F=1024, Z=100, batch 4096 needs about")
	require.ErrorContains(t, err, "choose a smaller --filters or --batch")
	require.NoError(t, CheckMemory(b, tinyOptions(3).Config))
}

// FuzzCheckpointMetadata: whatever a checkpoint's metadata says, ReadSaved
// neither panics nor accepts counts that contradict each other.
func FuzzCheckpointMetadata(f *testing.F) {
	good := trainerCheckpointF(f)
	f.Add("iteration", "2", "step_d", "10")
	f.Add("critic_done", "3", "step_d", "13")
	f.Add("iterations", "2", "config", good.Metadata["config"])
	f.Add("config", `{"Filters":4,"Critic":1e9}`, "seed", "18446744073709551616")
	f.Add("noise_state", "", "elapsed_ms", "9223372036854775807")
	f.Fuzz(func(t *testing.T, k1, v1, k2, v2 string) {
		m := map[string]string{}
		for k, v := range good.Metadata {
			m[k] = v
		}
		m[k1], m[k2] = v1, v2
		s, err := ReadSaved(&safetensors.File{Tensors: good.Tensors, Metadata: m})
		if err != nil {
			if strings.TrimSpace(err.Error()) == "" {
				t.Fatal("empty error")
			}
			return
		}
		c := s.Config
		if s.Iteration > s.Iterations || s.StepG != s.Iteration || s.StepD != s.Iteration*c.Critic+s.CriticDone ||
			s.CriticDone >= c.Critic || len(s.History.LossD) != s.Iteration || s.Options.Validate() != nil {
			t.Fatalf("accepted inconsistent metadata %v: %+v", m, s)
		}
	})
}

func trainerCheckpointF(f *testing.F) *safetensors.File {
	tr, err := New(cpu.New[float32](1), flowers(24), "flowers", tinyOptions(5))
	if err != nil {
		f.Fatal(err)
	}
	defer tr.Close()
	for range 2 {
		if _, err := tr.Step(); err != nil {
			f.Fatal(err)
		}
	}
	ck, err := tr.Checkpoint()
	if err != nil {
		f.Fatal(err)
	}
	return ck
}

// counting is a backend that counts the reads (each a wait for the device
// on a GPU) of every buffer and program output.
type counting struct {
	engine.Backend
	reads *int
}

func (c counting) NewBuffer(n int) (engine.Buffer, error) {
	b, err := c.Backend.NewBuffer(n)
	return countBuf{b, c.reads}, err
}

func (c counting) Compile(pl *engine.Plan, in map[*engine.Node]engine.Buffer) (engine.Program, error) {
	bare := map[*engine.Node]engine.Buffer{}
	for n, b := range in {
		if cb, ok := b.(countBuf); ok {
			b = cb.Buffer
		}
		bare[n] = b
	}
	prog, err := c.Backend.Compile(pl, bare)
	return countProg{prog, c.reads}, err
}

type countProg struct {
	engine.Program
	reads *int
}

func (p countProg) Output(i int) engine.Buffer { return countBuf{p.Program.Output(i), p.reads} }

type countBuf struct {
	engine.Buffer
	reads *int
}

func (b countBuf) Read(dst []float32) error        { *b.reads++; return b.Buffer.Read(dst) }
func (b countBuf) ReadFloat64(dst []float64) error { *b.reads++; return b.Buffer.ReadFloat64(dst) }

// TestOneWaitPerIteration: a generator iteration (5 critic steps and the
// generator step) reads from the backend once: its four losses together.
func TestOneWaitPerIteration(t *testing.T) {
	reads := 0
	tr, err := New(counting{cpu.New[float32](2), &reads}, flowers(24), "flowers", tinyOptions(5))
	require.NoError(t, err)
	defer tr.Close()
	for it := 1; it <= 3; it++ {
		reads = 0
		rec, err := tr.Step()
		require.NoError(t, err)
		require.Equal(t, 1, reads, "reads in iteration %d", it)
		require.NotZero(t, rec.LossG)
	}
}
