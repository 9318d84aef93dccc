package main

import (
	"errors"
	"fmt"
	"image"
	"runtime"
	"time"

	"github.com/wgangp/wgangp/cmd/wasm/message"
	"github.com/wgangp/wgangp/engine"
	"github.com/wgangp/wgangp/safetensors"
	"github.com/wgangp/wgangp/wgan/data"
	"github.com/wgangp/wgangp/wgan/train"
)

// States of the worker, as the page reports them.
const (
	stateIdle     = "idle"
	stateTraining = "training"
	statePaused   = "paused"
	stateError    = "error"
)

// Defaults of a run in the page, beside its preset's (the cadence of
// refreshes and checkpoints is train.Sitting's).
const (
	defaultSeed = 1
	swdEvery    = 250
	swdImages   = 256 // half the desktop's: the metric runs on one thread here
)

// outbox posts a message to the page (package message); the JavaScript
// side transfers its typed arrays.
type outbox func(m message.ToPage)

// worker is the trainer's state: the backend, the run and what the page
// shows.
type worker struct {
	post  outbox
	open  opener
	yield func() // on the CPU, lets the browser deliver messages between steps
	in    *queue // the page's messages (nil in tests that call step directly)

	b         engine.Backend
	info      backendInfo
	state     string
	err       string // why the state is stateError
	run       *run
	note      string            // the status line while a run is being prepared
	opens     int               // backends opened: 1, and one more per device lost
	preparing bool              // the backend is compiling (and locked): its memory is not asked
	grid      *image.RGBA       // the grid shown, for get-grid
	gridN     string            // its file name
	loads     uint64            // weights files loaded: the seed of the next one's latents
	timed     map[string]timing // the presets' times per iteration here (calibrate)
}

// run is one training run in this page: its sitting (train.Run, which the
// worker is the Front of) and what it takes to resume it on a new device.
type run struct {
	*train.Run
	set       *data.Set
	lastCk    []byte // the last checkpoint, to resume from after a lost device
	recovered bool   // reopened the device since the last completed iteration
}

// serve handles the page's messages for ever, training between them.
func (w *worker) serve(in *queue) {
	w.in = in
	for {
		if w.state != stateTraining {
			w.handle(in.wait())
			continue
		}
		if r, ok := in.poll(); ok {
			w.handle(r)
			continue
		}
		w.step()
		if w.info.Kind == kindCPU && w.yield != nil {
			w.yield()
		}
	}
}

func (w *worker) handle(m message.ToWorker) {
	switch m.(type) {
	case message.Init, message.Decode, message.DrawFlowers:
	default:
		if w.b == nil {
			w.post(message.Error{Message: fmt.Sprintf("%q before init", message.TypeOf(m))})
			return
		}
	}
	var err error
	switch r := m.(type) {
	case message.Init:
		err = w.init(r.Backend)
	case message.Start:
		err = w.start(r)
	case message.ResumeCheckpoint:
		err = w.resumeFrom(r)
	case message.Pause:
		err = w.pause()
	case message.Resume:
		if w.state == statePaused {
			w.state = stateTraining
			w.run.Resume()
			w.postStatus()
		}
	case message.Reset:
		w.reset()
	case message.LoadWeights:
		err = w.loadWeights(r.Name, r.Bytes)
	case message.GetWeights, message.GetGrid, message.GetCheckpoint:
		err = w.sendFile(m)
	case message.Decode:
		w.decode(r)
	case message.DrawFlowers:
		err = w.flowers(r.Count)
	case message.Calibrate:
		err = w.calibrate(r.Iterations)
	default:
		err = fmt.Errorf("unknown message %q", message.TypeOf(m))
	}
	if err != nil {
		w.post(message.Error{Message: err.Error()})
	}
}

// options builds a run's options from the preset and the page's
// overrides, as the desktop's flags do (train.PresetOptions).
func (w *worker) options(o message.Options) (train.Options, error) {
	name := o.Preset
	if name == "" {
		name = w.defaultPreset()
	}
	p, err := train.PresetByName(name)
	if err != nil {
		return train.Options{}, err
	}
	if o.Every < 0 || o.CheckpointEvery < 0 {
		return train.Options{}, fmt.Errorf("every and checkpointEvery must be positive")
	}
	seed := o.Seed
	if seed == 0 {
		seed = defaultSeed
	}
	ema := train.DefaultEMA
	if o.EMA != nil {
		ema = *o.EMA
	}
	return train.PresetOptions(p, train.Overrides{Filters: o.Filters, Batch: o.Batch, Iterations: o.Iterations,
		Recipe: o.Recipe, EMA: ema, Seed: seed, SWDEvery: swdEvery, SWDImages: swdImages})
}

// start begins a new run, replacing the current one.
func (w *worker) start(r message.Start) error {
	w.reset()
	opt, err := w.options(r.Options)
	if err != nil {
		return w.fail(err)
	}
	set, err := newSet(r.Images)
	if err != nil {
		return w.fail(err)
	}
	tr, err := w.newTrainer(set, opt, nil)
	if err != nil {
		return w.fail(err)
	}
	w.begin(tr, set, r.Options, nil)
	return nil
}

// resumeFrom continues the run of a checkpoint on the pictures it was
// trained on; a larger iterations option raises its target.
func (w *worker) resumeFrom(r message.ResumeCheckpoint) error {
	w.reset()
	ck, err := safetensors.Decode(r.Bytes)
	if err != nil {
		return w.fail(err)
	}
	opt, err := train.RunOptions(ck)
	if err != nil {
		return w.fail(err)
	}
	opt.Iterations = max(opt.Iterations, r.Options.Iterations)
	set, err := newSet(r.Images)
	if err != nil {
		return w.fail(err)
	}
	tr, err := w.newTrainer(set, opt, ck)
	if err != nil {
		return w.fail(err)
	}
	w.begin(tr, set, r.Options, r.Bytes)
	return nil
}

// newTrainer prepares a run, resumed from ck when it is not nil, saying so
// meanwhile: compiling the kernels can take a minute on a software
// adapter. The run before it has released what it held on the device
// (reset closes its trainer).
func (w *worker) newTrainer(set *data.Set, opt train.Options, ck *safetensors.File) (*train.Trainer, error) {
	w.state = stateTraining
	base := fmt.Sprintf("Preparing F=%d batch %d on %s: ", opt.Config.Filters, opt.Config.Batch, w.b.Name())
	w.note = base + "compiling the model…"
	w.postStatus()
	defer func() { w.note = "" }()
	if p, ok := w.b.(interface{ SetProgress(func(done, total int)) }); ok {
		// WebGPU: its pipelines, one by one (a minute on a software adapter).
		w.preparing = true
		var last time.Time
		p.SetProgress(func(done, total int) {
			w.note = fmt.Sprintf("%spreparing kernels %d/%d", base, done, total)
			if done == 1 || done == total || time.Since(last) > 250*time.Millisecond {
				w.postStatus() // at most 4 a second: each redraws the page
				last = time.Now()
			}
		})
		defer func() {
			p.SetProgress(nil)
			w.preparing = false
		}()
	}
	tr, err := train.New(w.b, set, dataDesc(set), opt)
	if err == nil && ck != nil {
		if err = tr.Resume(ck); err != nil {
			tr.Close()
		}
	}
	return tr, err
}

// begin makes tr the current run and starts training it (a run already
// complete only ends, with its final grid).
func (w *worker) begin(tr *train.Trainer, set *data.Set, o message.Options, ck []byte) {
	r := &run{set: set, lastCk: ck}
	r.Run = train.NewRun(tr, w, train.RunConfig{Every: o.Every, CheckpointEvery: o.CheckpointEvery, Resumed: ck != nil,
		Meta: map[string]string{"crop": data.Squash.String()}})
	w.run, w.state, w.err = r, stateTraining, ""
	if err := r.Begin(); err != nil {
		w.fail(err)
		return
	}
	w.postStatus()
}

// fail puts the worker in the error state and returns err for the page.
func (w *worker) fail(err error) error {
	w.state, w.err = stateError, err.Error()
	if w.run != nil {
		w.run.Fail(err)
	}
	w.postStatus()
	return err
}

// interrupt is asked between any two steps of an iteration: on the CPU it
// first lets the browser deliver its messages, and a message waiting stops
// the iteration there (the trainer keeps the steps taken; the next step
// call goes on from them), so Pause, Reset or a download is answered
// within one critic step.
func (w *worker) interrupt() bool {
	if w.info.Kind == kindCPU && w.yield != nil {
		w.yield()
	}
	return w.in != nil && w.in.pending()
}

// step runs one generator iteration (or the rest of one) and what follows
// it (train.Run.Step); a complete run leaves the worker idle.
func (w *worker) step() {
	err := w.run.Step(w.interrupt)
	var div *train.DivergedError
	switch {
	case errors.Is(err, train.ErrStopped):
		// serve handles the message, then steps on
	case errors.As(err, &div):
		kept := "no checkpoint of it was kept"
		if w.run.lastCk != nil {
			kept = "the last good checkpoint is the one kept in this browser"
		}
		w.fail(fmt.Errorf("%v. %s; start again with fewer iterations or another seed or preset", div, kept))
	case err != nil:
		w.stepFailed(err)
	case w.run.Done():
		w.state = stateIdle
		w.postStatus()
	}
}

// stepFailed handles a failed iteration. On WebGPU the device may have been
// lost (a driver reset, the GPU process restarting): the device is reopened
// and the run resumed from its last checkpoint, once per failure; a failure
// with no iteration done since puts the worker in the error state.
func (w *worker) stepFailed(err error) {
	r := w.run
	if w.info.Kind != kindWebGPU || r.recovered {
		w.fail(err)
		return
	}
	from := "the beginning"
	if r.lastCk != nil {
		from = "its last checkpoint"
	}
	w.post(message.Notice{Message: fmt.Sprintf(
		"The GPU failed (%v). Reopening the device and resuming the run from %s.", err, from)})
	opt := r.Trainer().Options()
	r.Trainer().Close()
	if oerr := w.reopen(); oerr != nil {
		w.fail(fmt.Errorf("%v; reopening WebGPU failed: %w (Start trains on the CPU)", err, oerr))
		return
	}
	var ck *safetensors.File
	var nerr error
	if r.lastCk != nil {
		ck, nerr = safetensors.Decode(r.lastCk)
	}
	var tr *train.Trainer
	if nerr == nil {
		tr, nerr = w.newTrainer(r.set, opt, ck)
	}
	if nerr != nil {
		w.fail(fmt.Errorf("%v; resuming on the reopened device failed: %w", err, nerr))
		return
	}
	r.recovered = true
	if err := r.Replace(tr); err != nil {
		w.fail(err)
		return
	}
	w.post(message.Notice{Message: fmt.Sprintf("Resumed at iteration %d on a new device.", tr.Iteration())})
	w.postStatus()
}

// pause stops training after the current iteration and keeps a checkpoint.
func (w *worker) pause() error {
	if w.state != stateTraining {
		return nil
	}
	w.state = statePaused
	w.run.Pause()
	w.postStatus()
	return w.run.Checkpoint()
}

// reset drops the run.
func (w *worker) reset() {
	if w.run != nil {
		w.run.Trainer().Close()
		w.run = nil
	}
	w.state, w.err = stateIdle, ""
	w.grid, w.gridN = nil, ""
	w.post(message.Frame{Title: train.Title(0, 0), Line: w.idleLine()})
	w.postStatus()
}

// Iterated (train.Front) posts the status of each iteration.
func (w *worker) Iterated(train.Record, bool) {
	w.run.recovered = false
	w.postStatus()
}

// Show (train.Front) posts the run's grid with its curves.
func (w *worker) Show(g train.Grid) error {
	w.show(g.Image, g.Label, g.Name)
	return nil
}

// show posts a frame with grid and, when there is a run, its curves.
func (w *worker) show(grid *image.RGBA, label, name string) {
	w.grid, w.gridN = grid, name
	f := message.Frame{Grid: &message.Grid{Width: grid.Rect.Dx(), Height: grid.Rect.Dy(), Pixels: grid.Pix},
		GridLabel: label, Title: train.Title(0, 0), Line: w.idleLine()}
	if w.run != nil {
		v := w.run.View()
		for _, p := range v.History.SWD {
			f.SWDIterations = append(f.SWDIterations, float64(p.Iteration))
			f.SWD = append(f.SWD, p.Value)
		}
		f.LossD, f.LossDUnregularized = v.History.LossD, v.History.LossDUnreg
		f.SWDFloor, f.Diversity = v.History.SWDFloor, v.Diversity
		f.Title, f.Line = v.Title, v.Status
	}
	w.post(f)
}

// Keep (train.Front) posts the run's checkpoint for the page to keep in
// IndexedDB.
func (w *worker) Keep(ck *safetensors.File, _ bool) error {
	b, err := encode(ck)
	if err != nil {
		return err
	}
	w.run.lastCk = b
	w.post(message.Checkpoint{Iteration: w.run.Trainer().Iteration(), Bytes: b})
	return nil
}

// postStatus tells the page where the worker stands.
func (w *worker) postStatus() {
	st := message.Status{State: w.state, Backend: w.info.Kind, Adapter: w.info.Adapter, Error: w.err,
		Title: train.Title(0, 0), Line: w.idleLine(), DeviceBytes: w.deviceBytes(), HeapBytes: heapBytes(), DeviceOpens: w.opens}
	if r := w.run; r != nil {
		tr := r.Trainer()
		opt := tr.Options()
		st.Iteration, st.Iterations, st.Done = tr.Iteration(), opt.Iterations, r.Done()
		st.ItPerSec, st.ElapsedMs = r.Rate(), tr.Elapsed().Milliseconds()
		st.Filters, st.Batch = opt.Config.Filters, opt.Config.Batch
		v := r.View()
		st.Title, st.Line = v.Title, v.Status
		if h := tr.History(); len(h.LossD) > 0 {
			k := len(h.LossD) - 1
			st.LossD, st.LossDUnregularized = ptr(h.LossD[k]), ptr(h.LossDUnreg[k])
			st.Penalty, st.LossG = ptr(h.Penalty[k]), ptr(h.LossG[k])
		}
	}
	w.post(st)
}

func ptr(v float32) *float32 { return &v }

// deviceBytes is the memory the backend holds on its device (buffers and
// programs not released), or -1 for a backend that does not count it (the
// CPU engine, whose memory is the Go heap).
func (w *worker) deviceBytes() int64 {
	if w.preparing {
		return -1
	}
	if d, ok := w.b.(interface{ DeviceBytes() int64 }); ok {
		return d.DeviceBytes()
	}
	return -1
}

// heapBytes is the memory Go holds from the runtime (in the browser: the
// WebAssembly memory, which grows and never shrinks).
func heapBytes() int64 {
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return int64(m.Sys)
}

// idleLine is the status line with no run.
func (w *worker) idleLine() string {
	if w.b == nil {
		return "starting"
	}
	switch {
	case w.state == stateError:
		return "STOPPED: " + w.err
	case w.note != "":
		return w.note
	}
	return w.b.Name() + " · add images and press Start"
}
