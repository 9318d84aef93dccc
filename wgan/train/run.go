package train

import (
	"errors"
	"fmt"

	"github.com/wgangp/wgangp/safetensors"
)

// Run drives one sitting of a run for a front end: the loop that both the
// desktop (cmd/native train) and the page's worker (cmd/wasm/trainer) go
// through. It steps the trainer, asks the front end's stop between any two
// steps, refreshes the grid and keeps checkpoints at the Sitting's cadence,
// stops at a divergence, ends a complete run with a checkpoint and the
// grid of new latents, and says what the view shows (title, status line,
// grid, curves). The front end only does what is its own (Front): files,
// a window and signals on the desktop; messages and IndexedDB in the page.
type Run struct {
	tr     *Trainer
	sit    *Sitting
	front  Front
	cfg    RunConfig
	grid   Grid      // the grid shown last
	valid  []float32 // the validation images, reused by each refresh
	kept   int       // iteration of the last checkpoint kept (-1: none)
	paused bool
	done   bool   // the run is complete and its final grid shown
	failed string // why the run stopped, for the status line (Fail)
}

// Front is what a front end does for a Run.
type Front interface {
	// Iterated is told of each generator iteration done, before its grid:
	// refresh says whether Show follows with a new one (Sitting.Refresh).
	Iterated(rec Record, refresh bool)
	// Show shows a new grid: the validation grid at a refresh, the grid of
	// new latents (Final) at the end. View says the rest of the frame.
	Show(g Grid) error
	// Keep keeps a checkpoint of the run (CheckpointFile's). end says that
	// the sitting ends with it: the run stopped (Stop) or is complete.
	Keep(ck *safetensors.File, end bool) error
}

// RunConfig is how a front end runs a sitting.
type RunConfig struct {
	Every, CheckpointEvery int               // the cadence of refreshes and checkpoints (≤ 0: the defaults)
	Resumed                bool              // the trainer resumed a checkpoint, which the front end keeps
	Meta                   map[string]string // the front end's metadata, in every checkpoint (the data's folder, the crop)
}

// NewRun makes the sitting of tr for front. Begin starts it.
func NewRun(tr *Trainer, front Front, cfg RunConfig) *Run {
	r := &Run{tr: tr, sit: NewSitting(tr, cfg.Every, cfg.CheckpointEvery), front: front, cfg: cfg, kept: -1}
	if cfg.Resumed {
		r.kept = tr.Iteration()
	}
	return r
}

// Begin starts the sitting's clock and, for a run resumed past iteration
// 0, shows its grid at once.
func (r *Run) Begin() error {
	r.sit.Restart()
	if r.tr.Iteration() > 0 {
		return r.refresh()
	}
	return nil
}

// Train steps the run until it is complete (and finished: nil), stop says
// to stop (ErrStopped; Train again goes on from the step it stopped at)
// or an iteration fails (Step's errors).
func (r *Run) Train(stop func() bool) error {
	for !r.done {
		if err := r.Step(stop); err != nil {
			return err
		}
	}
	return nil
}

// Step runs one generator iteration, or the rest of one, asking stop (nil:
// never) before each discriminator step, then what follows it: Iterated,
// the refresh and the checkpoint when due, and after the last iteration
// the end of the run (a checkpoint, then the grid of new latents, Done).
// A run already complete is only ended. The errors: ErrStopped, a
// *DivergedError (nothing is kept after it: the last checkpoint kept is
// the last good state), an iteration that failed ("iteration N: …"), or
// the front end's.
func (r *Run) Step(stop func() bool) error {
	switch {
	case r.done:
		return nil
	case r.tr.Done():
		return r.finish()
	}
	rec, err := r.tr.StepUntil(stop)
	var div *DivergedError
	switch {
	case errors.Is(err, ErrStopped), errors.As(err, &div):
		return err
	case err != nil:
		return fmt.Errorf("iteration %d: %w", r.tr.Iteration()+1, err)
	}
	refresh := r.sit.Refresh(rec)
	r.front.Iterated(rec, refresh)
	if refresh {
		if err := r.refresh(); err != nil {
			return err
		}
	}
	if r.sit.Checkpoint(rec) {
		if err := r.keep(false); err != nil {
			return err
		}
	}
	if r.tr.Done() {
		return r.finish()
	}
	return nil
}

// finish ends a complete run: its checkpoint, then 25 images from new
// latents (SPEC.md §5), shown as the run's last grid.
func (r *Run) finish() error {
	if err := r.keep(true); err != nil {
		return err
	}
	g, err := r.sit.FinalGrid()
	if err != nil {
		return err
	}
	r.done = true // the frame of the final grid says so
	r.grid = g
	if err := r.front.Show(g); err != nil {
		r.done = false
		return err
	}
	return nil
}

// Stop ends the sitting before the run is complete (a signal, the window
// closed, an error): the grid and curves are redrawn where the run stopped
// and a checkpoint is kept, the sitting's last.
func (r *Run) Stop() error {
	if it := r.tr.Iteration(); it > 0 && it != r.grid.Iteration {
		if err := r.refresh(); err != nil {
			return err
		}
	}
	return r.keep(true)
}

// Checkpoint keeps a checkpoint now (the page's, on pausing).
func (r *Run) Checkpoint() error { return r.keep(false) }

// refresh makes the validation grid and shows it.
func (r *Run) refresh() error {
	g, valid, err := r.sit.ValidationGrid(r.valid)
	if err != nil {
		return err
	}
	r.valid, r.grid = valid, g
	return r.front.Show(g)
}

func (r *Run) keep(end bool) error {
	ck, err := r.CheckpointFile()
	if err != nil {
		return err
	}
	if err := r.front.Keep(ck, end); err != nil {
		return err
	}
	r.kept = r.tr.Iteration()
	return nil
}

// CheckpointFile is the run's checkpoint with the front end's metadata and
// the backend's name; a diverged run gives none (its *DivergedError).
func (r *Run) CheckpointFile() (*safetensors.File, error) {
	ck, err := r.tr.Checkpoint()
	if err != nil {
		return nil, err
	}
	for k, v := range r.cfg.Meta {
		ck.Metadata[k] = v
	}
	ck.Metadata["backend"] = r.tr.Backend().Name()
	return ck, nil
}

// Kept is the iteration of the last checkpoint kept: this sitting's, else
// the one it resumed; -1 when there is none.
func (r *Run) Kept() int { return r.kept }

// Replace goes on with tr, a trainer made again from the last checkpoint
// (the page's, on a device that was lost): the clock starts again and the
// grid is shown.
func (r *Run) Replace(tr *Trainer) error {
	r.tr, r.sit.Tr, r.done = tr, tr, false
	r.sit.Restart()
	return r.refresh()
}

// Trainer is the run's trainer.
func (r *Run) Trainer() *Trainer { return r.tr }

// Pause marks the run paused (the status line says so); the front end
// stops calling Step meanwhile.
func (r *Run) Pause() { r.paused = true }

// Resume ends a pause; the sitting's speed counts from now.
func (r *Run) Resume() {
	r.paused = false
	r.sit.Restart()
}

// Paused says whether the run is paused.
func (r *Run) Paused() bool { return r.paused }

// Done says whether the run is complete and its final grid shown.
func (r *Run) Done() bool { return r.done }

// Fail records why the run stopped, which its status line then says.
func (r *Run) Fail(err error) { r.failed = err.Error() }

// Rate is the sitting's speed in generator iterations a second.
func (r *Run) Rate() float64 { return r.sit.Rate() }

// Progress is the desktop's progress line after rec (Sitting.Progress).
func (r *Run) Progress(rec Record) string { return r.sit.Progress(rec) }

// Status is the status line of the run in its state now (Sitting.Status).
func (r *Run) Status() string {
	return r.sit.Status(State{Paused: r.paused, Done: r.done, Err: r.failed})
}

// View is what the view shows of the run: the grid shown last, the title,
// the status line, the losses and SWD so far and the diversity's words.
type View struct {
	Grid                     Grid
	Title, Status, Diversity string
	History                  History
}

// View is the view of the run now.
func (r *Run) View() View {
	return View{Grid: r.grid, Title: r.sit.Title(), Status: r.Status(), Diversity: r.sit.Diversity(), History: r.tr.History()}
}
