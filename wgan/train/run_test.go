package train

import (
	"errors"
	"fmt"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/wgangp/wgangp/engine/cpu"
	"github.com/wgangp/wgangp/safetensors"
)

// front records what a Run asks of its front end, in order.
type front struct {
	calls []string
	keeps []*safetensors.File
	fail  error // Show's error, when set
}

func (f *front) Iterated(rec Record, refresh bool) {
	f.calls = append(f.calls, fmt.Sprintf("iterated %d refresh=%v", rec.Iteration, refresh))
}

func (f *front) Show(g Grid) error {
	f.calls = append(f.calls, fmt.Sprintf("show %s (%s) at %d final=%v", g.Name, g.Label, g.Iteration, g.Final))
	return f.fail
}

func (f *front) Keep(ck *safetensors.File, end bool) error {
	f.calls = append(f.calls, fmt.Sprintf("keep %s end=%v", ck.Metadata["iteration"], end))
	f.keeps = append(f.keeps, ck)
	return nil
}

// TestRunCadence: a run of 5 iterations refreshed every 2 and kept every
// 3 tells the front end of each iteration, shows the grid of the first,
// every second and the last, keeps a checkpoint at 3 and at the end, then
// shows the grid of new latents and is done.
func TestRunCadence(t *testing.T) {
	tr, err := New(cpu.New[float32](1), flowers(8), "flowers", tinyOptions(5))
	require.NoError(t, err)
	defer tr.Close()
	f := &front{}
	r := NewRun(tr, f, RunConfig{Every: 2, CheckpointEvery: 3, Meta: map[string]string{"crop": "squash"}})
	require.Equal(t, -1, r.Kept())
	require.NoError(t, r.Begin())
	require.Empty(t, f.calls, "a new run shows nothing before its first iteration")
	require.NoError(t, r.Train(nil))
	require.Equal(t, []string{
		"iterated 1 refresh=true", "show grid-000001.png (Generated images (iteration 1)) at 1 final=false",
		"iterated 2 refresh=true", "show grid-000002.png (Generated images (iteration 2)) at 2 final=false",
		"iterated 3 refresh=false", "keep 3 end=false",
		"iterated 4 refresh=true", "show grid-000004.png (Generated images (iteration 4)) at 4 final=false",
		"iterated 5 refresh=true", "show grid-000005.png (Generated images (iteration 5)) at 5 final=false",
		"keep 5 end=true", "show final.png (25 new images from new random latents) at 5 final=true",
	}, f.calls)
	require.True(t, r.Done())
	require.Equal(t, 5, r.Kept())
	for _, ck := range f.keeps {
		require.Equal(t, "squash", ck.Metadata["crop"])
		require.Equal(t, tr.Backend().Name(), ck.Metadata["backend"])
	}
	v := r.View()
	require.True(t, v.Grid.Final)
	require.Equal(t, "Iteration: 5, Elapsed: "+HMS(tr.Elapsed()), v.Title)
	require.Regexp(t, `^Training done · .* · F=4 batch 4 · 5 iterations$`, v.Status)
	require.Len(t, v.History.LossD, 5)

	n := len(f.calls)
	require.NoError(t, r.Step(nil), "a finished run steps no more")
	require.NoError(t, r.Train(nil))
	require.Len(t, f.calls, n)
	require.Equal(t, 5, tr.Iteration())
}

// TestRunStopAndResume: a run stopped between two critic steps, again
// when paused, then stopped for good (Stop: the grid where it stopped and
// the sitting's last checkpoint), resumed from that checkpoint in a new
// sitting, ends with the weights of an uninterrupted run, bit for bit.
func TestRunStopAndResume(t *testing.T) {
	b := cpu.New[float32](1)
	set := flowers(8)
	opt := tinyOptions(4)
	straight, err := New(b, set, "flowers", opt)
	require.NoError(t, err)
	require.NoError(t, NewRun(straight, &front{}, RunConfig{}).Train(nil))
	want := weights(t, straight)
	straight.Close()

	tr, err := New(b, set, "flowers", opt)
	require.NoError(t, err)
	f := &front{}
	r := NewRun(tr, f, RunConfig{Every: 10, CheckpointEvery: 10})
	require.NoError(t, r.Begin())
	require.NoError(t, r.Step(nil))
	asked := 0
	require.ErrorIs(t, r.Train(func() bool { asked++; return asked == 3 }), ErrStopped)
	require.Equal(t, 1, tr.Iteration())
	r.Pause()
	require.Regexp(t, `^PAUSED \(Space resumes\) · `, r.Status())
	require.ErrorIs(t, r.Step(r.Paused), ErrStopped, "a paused front end's stop")
	r.Resume()
	require.NotContains(t, r.Status(), "PAUSED")
	require.NoError(t, r.Step(nil))
	require.Equal(t, 2, tr.Iteration())
	f.calls = nil
	require.NoError(t, r.Stop())
	require.Equal(t, []string{"show grid-000002.png (Generated images (iteration 2)) at 2 final=false", "keep 2 end=true"}, f.calls)
	require.NoError(t, r.Stop())
	require.Equal(t, "keep 2 end=true", f.calls[len(f.calls)-1], "a grid shown where the run stands is not made again")
	ck, err := safetensors.Decode(f.keeps[len(f.keeps)-1].Bytes())
	require.NoError(t, err)
	tr.Close()

	again, err := New(b, set, "flowers", opt)
	require.NoError(t, err)
	defer again.Close()
	require.NoError(t, again.Resume(ck))
	f = &front{}
	r = NewRun(again, f, RunConfig{Resumed: true})
	require.Equal(t, 2, r.Kept(), "the checkpoint resumed is the last kept")
	require.NoError(t, r.Begin())
	require.Equal(t, []string{"show grid-000002.png (Generated images (iteration 2)) at 2 final=false"}, f.calls, "a resumed run shows its grid at once")
	require.NoError(t, r.Train(nil))
	got := weights(t, again)
	for _, w := range want.Tensors {
		g, ok := got.Get(w.Name)
		require.True(t, ok, w.Name)
		require.Equal(t, w.Data, g.Data, w.Name)
	}
}

// TestRunComplete: a run resumed at its target is only ended (its
// checkpoint, the grid of new latents) by its first Step.
func TestRunComplete(t *testing.T) {
	b := cpu.New[float32](1)
	tr, err := New(b, flowers(8), "flowers", tinyOptions(1))
	require.NoError(t, err)
	require.NoError(t, NewRun(tr, &front{}, RunConfig{}).Train(nil))
	ck := weights(t, tr)
	tr.Close()

	tr, err = New(b, flowers(8), "flowers", tinyOptions(1))
	require.NoError(t, err)
	defer tr.Close()
	require.NoError(t, tr.Resume(ck))
	f := &front{}
	r := NewRun(tr, f, RunConfig{Resumed: true})
	require.NoError(t, r.Begin())
	require.False(t, r.Done())
	require.NoError(t, r.Step(nil))
	require.True(t, r.Done())
	require.Equal(t, []string{
		"show grid-000001.png (Generated images (iteration 1)) at 1 final=false",
		"keep 1 end=true", "show final.png (25 new images from new random latents) at 1 final=true",
	}, f.calls)
}

// TestRunShowFails: a front end that cannot show the final grid leaves
// the run not done, and Step tries the end again.
func TestRunShowFails(t *testing.T) {
	tr, err := New(cpu.New[float32](1), flowers(8), "flowers", tinyOptions(1))
	require.NoError(t, err)
	defer tr.Close()
	f := &front{fail: errors.New("disk full")}
	r := NewRun(tr, f, RunConfig{})
	require.ErrorContains(t, r.Train(nil), "disk full")
	require.False(t, r.Done())
	f.fail = nil
	require.NoError(t, r.Train(nil))
	require.True(t, r.Done())
	require.Equal(t, 1, tr.Iteration())
}

// TestRunDivergence: a diverged iteration stops the run with its
// *DivergedError and nothing is kept after it: the last checkpoint kept
// stays the last good state; a front end's Fail shows in the status line.
func TestRunDivergence(t *testing.T) {
	armed := false
	tr, err := New(poison{cpu.New[float32](1), &armed}, flowers(8), "flowers", tinyOptions(5))
	require.NoError(t, err)
	defer tr.Close()
	f := &front{}
	r := NewRun(tr, f, RunConfig{CheckpointEvery: 2})
	require.NoError(t, r.Begin())
	require.NoError(t, r.Step(nil))
	require.NoError(t, r.Step(nil))
	require.Equal(t, 2, r.Kept())
	armed = true
	err = r.Train(nil)
	var div *DivergedError
	require.ErrorAs(t, err, &div)
	require.Equal(t, "training diverged at iteration 3: lossD NaN, lossD unregularized NaN, gradient penalty NaN, lossG NaN", err.Error())
	require.ErrorAs(t, r.Stop(), &div, "a diverged run keeps nothing")
	require.Len(t, f.keeps, 1)
	require.Equal(t, 2, r.Kept())
	r.Fail(err)
	require.Equal(t, "STOPPED: "+err.Error(), r.Status())
}

// TestRunReplace: the run goes on with a trainer made again from its last
// checkpoint (the page's lost device), showing its grid, and ends as one
// that was never replaced.
func TestRunReplace(t *testing.T) {
	b := cpu.New[float32](1)
	opt := tinyOptions(3)
	tr, err := New(b, flowers(8), "flowers", opt)
	require.NoError(t, err)
	f := &front{}
	r := NewRun(tr, f, RunConfig{Every: 10, CheckpointEvery: 1})
	require.NoError(t, r.Step(nil))
	ck := f.keeps[0]
	tr.Close()
	again, err := New(b, flowers(8), "flowers", opt)
	require.NoError(t, err)
	defer again.Close()
	require.NoError(t, again.Resume(ck))
	f.calls = nil
	require.NoError(t, r.Replace(again))
	require.Equal(t, again, r.Trainer())
	require.Equal(t, []string{"show grid-000001.png (Generated images (iteration 1)) at 1 final=false"}, f.calls)
	require.NoError(t, r.Train(nil))
	require.True(t, r.Done())
	require.Equal(t, 3, again.Iteration())
}
