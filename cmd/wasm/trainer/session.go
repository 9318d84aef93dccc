package main

import (
	"bytes"
	"errors"
	"fmt"
	"image"
	"image/png"
	"io"
	"runtime"
	"strings"
	"sync"
	"time"

	"github.com/wgangp/wgangp/assets"
	"github.com/wgangp/wgangp/cmd/wasm/message"
	"github.com/wgangp/wgangp/engine"
	"github.com/wgangp/wgangp/safetensors"
	"github.com/wgangp/wgangp/wgan"
	"github.com/wgangp/wgangp/wgan/data"
	"github.com/wgangp/wgangp/wgan/train"
	"github.com/wgangp/wgangp/wgan/ui"
)

// States of the worker, as the page reports them.
const (
	stateIdle     = "idle"
	stateTraining = "training"
	statePaused   = "paused"
	stateError    = "error"
)

// Backend kinds.
const (
	kindWebGPU = "webgpu"
	kindCPU    = "cpu"
)

// Defaults of a run in the page, beside its preset's (the cadence of
// refreshes and checkpoints is train.Sitting's).
const (
	defaultSeed = 1
	swdEvery    = 250
	swdImages   = 256 // half the desktop's: the metric runs on one thread here
)

// maxSide is the longest side of a picture the worker decodes.
const maxSide = 16384

// outbox posts a message to the page (package message); the JavaScript
// side transfers its typed arrays.
type outbox func(m message.ToPage)

// backendInfo describes the backend the worker trains on.
type backendInfo struct {
	Kind     string // kindWebGPU or kindCPU
	Adapter  string // the adapter's description, or the CPU's
	Software bool   // a CPU implementation: WebGPU's software adapter, or the CPU engine
	Reason   string // why the CPU, when it is
}

// opener opens a backend: kind "auto" is WebGPU, or the CPU where WebGPU
// is missing or fails; "webgpu" is WebGPU only; "cpu" the CPU engine.
// (The worker's rule for a software adapter is init's.)
type opener func(kind string) (engine.Backend, backendInfo, error)

// queue holds the page's messages until the worker's loop takes them. Push
// never blocks, so JavaScript callbacks may call it.
type queue struct {
	mu    sync.Mutex
	items []message.ToWorker
	ready chan struct{}
}

func newQueue() *queue { return &queue{ready: make(chan struct{}, 1)} }

func (q *queue) push(r message.ToWorker) {
	q.mu.Lock()
	q.items = append(q.items, r)
	q.mu.Unlock()
	select {
	case q.ready <- struct{}{}:
	default:
	}
}

// poll returns the oldest message, if there is one.
func (q *queue) poll() (message.ToWorker, bool) {
	q.mu.Lock()
	defer q.mu.Unlock()
	if len(q.items) == 0 {
		return nil, false
	}
	r := q.items[0]
	q.items = q.items[1:]
	return r, true
}

// pending says whether a message is waiting.
func (q *queue) pending() bool {
	q.mu.Lock()
	defer q.mu.Unlock()
	return len(q.items) > 0
}

// wait returns the oldest message, waiting for one.
func (q *queue) wait() message.ToWorker {
	for {
		if r, ok := q.poll(); ok {
			return r
		}
		<-q.ready
	}
}

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

// init opens the backend and tells the page what it is and which preset
// suits it.
func (w *worker) init(kind string) error {
	if w.b != nil {
		return nil
	}
	if kind != kindCPU && kind != kindWebGPU {
		kind = "auto"
	}
	b, info, err := w.open(kind)
	if err != nil {
		return err
	}
	if kind == "auto" && info.Kind == kindWebGPU && info.Software {
		// The faster of the two CPU-bound paths (softwareRule).
		if c, ok := b.(io.Closer); ok {
			c.Close()
		}
		adapter := info.Adapter
		if b, info, err = w.open(kindCPU); err != nil {
			return err
		}
		info.Reason = softwareRule(adapter)
	}
	w.b, w.info, w.state = b, info, stateIdle
	w.opens++
	var presets []message.Preset
	for _, p := range train.Presets {
		presets = append(presets, message.Preset{Name: p.Name, Filters: p.Filters, Batch: p.Batch,
			Iterations: p.Iterations, About: p.About})
	}
	w.post(message.Ready{Backend: info.Kind, Adapter: info.Adapter, Software: info.Software,
		Reason: info.Reason, Presets: presets, Preset: w.defaultPreset()})
	return nil
}

// softwareRule says why the page trains on its CPU engine where WebGPU's
// only adapter is a software one (SwiftShader in a browser without a GPU).
// The rule is measured (TestBrowserFirstIteration, headless Chromium on 2
// cores, the tiny preset; the last sitting at load 1–2, 2026-12-02): WebGPU
// on SwiftShader took 74–90 s from Start to the first iteration (compiling
// its pipelines), the CPU engine in WebAssembly 4–5 s; per iteration
// 10–12 s against 3.5–3.8 s (earlier sittings, before the register-blocked
// kernels: 76–120 s against 10–14 s, and 10–22 s against 11–15 s). So the
// CPU path shows a first grid over 15× sooner and runs faster after; on
// many idle cores, where SwiftShader spreads and WebAssembly keeps one
// thread, a long run may go faster on WebGPU, which backend=webgpu in the
// address forces.
func softwareRule(adapter string) string {
	return fmt.Sprintf("WebGPU's adapter here is %s, a software one (no GPU), so the page trains on the CPU engine "+
		"in WebAssembly, the faster path to a first grid: measured on 2 cores, its first iteration came 4–5 s after Start "+
		"instead of 74–90 s (SwiftShader compiles its kernels first), and its iterations took 3.5–3.8 s against 10–12 s. "+
		"backend=webgpu in the address trains on WebGPU anyway, which may be faster for a long run on many cores", adapter)
}

// defaultPreset is train.DefaultPreset's: the example's size on a real
// GPU, the CPU's choice on a software adapter or the CPU engine.
func (w *worker) defaultPreset() string {
	p, _ := train.DefaultPreset(!w.info.Software)
	return p.Name
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

// newSet makes the training data of the page's pictures.
func newSet(ups []message.Image) (*data.Set, error) {
	if len(ups) == 0 {
		return nil, errors.New("no pictures: add images first")
	}
	const n = data.Size * data.Size
	set := &data.Set{}
	for _, u := range ups {
		if len(u.RGBA) != 4*n {
			return nil, fmt.Errorf("%s: %d bytes, not a 64×64 RGBA picture (%d bytes)", u.Name, len(u.RGBA), 4*n)
		}
		p := make([]uint8, data.ImageLen)
		for k := range n {
			p[k], p[n+k], p[2*n+k] = u.RGBA[4*k], u.RGBA[4*k+1], u.RGBA[4*k+2]
		}
		set.Images = append(set.Images, p)
		set.Names = append(set.Names, u.Name)
	}
	return set, nil
}

func dataDesc(set *data.Set) string {
	return fmt.Sprintf("data: %d uploaded pictures", set.Len())
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

// reopen replaces the WebGPU device with a new one, which also frees all
// the old one held. If WebGPU does not open again, the worker goes on with
// the CPU engine.
func (w *worker) reopen() error {
	if c, ok := w.b.(io.Closer); ok {
		c.Close()
	}
	b, info, err := w.open(kindWebGPU)
	if err != nil {
		b, info, _ = w.open(kindCPU)
		info.Reason = "reopening WebGPU failed: " + err.Error()
	}
	w.b, w.info = b, info
	w.opens++
	return err
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

// encode is safetensors' encoding, with an error rather than a panic for
// a file that cannot be written (NaN weights after a diverged run).
func encode(f *safetensors.File) ([]byte, error) {
	var buf bytes.Buffer
	if err := f.Encode(&buf); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// sendFile answers get-weights, get-grid and get-checkpoint.
func (w *worker) sendFile(what message.ToWorker) error {
	var name, mime string
	var b []byte
	var err error
	switch {
	case what == message.GetGrid{} && w.grid == nil:
		return errors.New("no grid yet: start training or load weights")
	case what == message.GetGrid{}:
		var buf bytes.Buffer
		if err = png.Encode(&buf, w.grid); err != nil {
			return err
		}
		name, mime, b = w.gridN, "image/png", buf.Bytes()
	case w.run == nil:
		return errors.New("no run yet: start training first")
	case what == message.GetWeights{}:
		var f *safetensors.File
		if f, err = w.run.Trainer().Weights(); err != nil {
			return err
		}
		if b, err = encode(f); err != nil {
			return err
		}
		name, mime = "weights.safetensors", "application/octet-stream"
	default:
		var ck *safetensors.File
		if ck, err = w.run.CheckpointFile(); err != nil {
			return err
		}
		if b, err = encode(ck); err != nil {
			return err
		}
		name, mime = "checkpoint.safetensors", "application/octet-stream"
	}
	w.post(message.File{Name: name, Mime: mime, Bytes: b})
	return nil
}

// loadWeights shows 25 images from the generator of a weights file or a
// checkpoint: the k-th file loaded uses the latents of `native generate
// --seed k` (train.Latents), so the first grid is that command's grid.png.
func (w *worker) loadWeights(name string, b []byte) error {
	f, err := safetensors.Decode(b)
	if err != nil {
		return fmt.Errorf("%s: %w", name, err)
	}
	if weights, _, err := train.CheckpointWeights(f); err == nil {
		f = weights // a checkpoint: its model's tensors are the weights
	}
	_, z, err := wgan.SizeOf(f, true)
	if err != nil {
		return fmt.Errorf("%s: %w", name, err)
	}
	img, err := train.Generate(w.b, f, train.Latents(train.ValidationImages, z, w.loads+1))
	if err != nil {
		return fmt.Errorf("%s: %w", name, err)
	}
	w.loads++
	base := strings.TrimSuffix(name, ".safetensors")
	w.show(ui.Tile(img, train.ValidationImages, wgan.Size, 5), fmt.Sprintf("25 images from %s (seed %d)", name, w.loads),
		fmt.Sprintf("%s-seed%d.png", base, w.loads))
	return nil
}

// flowerChunk is how many embedded flowers one message carries.
const flowerChunk = 100

// flowers draws the desktop's default data (the embedded flowers of its
// default seed, the page's too) and posts them to the page a chunk at a
// time, as pictures it adds to its own: a run on them is the desktop's
// `wgangp train` without --data.
func (w *worker) flowers(n int) error {
	if n == 0 {
		n = assets.DefaultCount
	}
	if n < 0 || n > assets.DefaultCount {
		return fmt.Errorf("flowers: %d pictures asked for; there are %d", n, assets.DefaultCount)
	}
	for start := 0; start < n; start += flowerChunk {
		var images []message.Image
		for i := start; i < min(n, start+flowerChunk); i++ {
			images = append(images, message.Image{Name: fmt.Sprintf("flower-%04d.png", i+1),
				RGBA: assets.Flower(i, defaultSeed).Pix})
		}
		w.post(message.Flowers{Images: images, Done: min(n, start+flowerChunk), Total: n})
	}
	return nil
}

// decode decodes a file the browser could not (TIFF, or to say why it is
// not a picture) as the desktop does, squashed to 64×64.
func (w *worker) decode(r message.Decode) {
	d := message.Decoded{ID: r.ID, Name: r.Name}
	if rgba, err := decodePicture(r.Name, r.Bytes); err != nil {
		d.Error = err.Error()
	} else {
		d.RGBA = rgba
	}
	w.post(d)
}

func decodePicture(name string, b []byte) ([]byte, error) {
	if cfg, _, err := image.DecodeConfig(bytes.NewReader(b)); err == nil && (cfg.Width > maxSide || cfg.Height > maxSide) {
		return nil, fmt.Errorf("too large: %d×%d pixels (the limit is %d a side)", cfg.Width, cfg.Height, maxSide)
	}
	p, err := data.Decode(name, b, data.Squash)
	if err != nil {
		return nil, errors.New(strings.TrimPrefix(err.Error(), name+": "))
	}
	return data.ToRGBA(p).Pix, nil
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
