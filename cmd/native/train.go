package main

import (
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"path/filepath"
	"strconv"
	"syscall"
	"time"

	"github.com/wgangp/wgangp/internal/atomicfile"
	"github.com/wgangp/wgangp/safetensors"
	"github.com/wgangp/wgangp/wgan/data"
	"github.com/wgangp/wgangp/wgan/train"
	"github.com/wgangp/wgangp/wgan/ui"
	"github.com/wgangp/wgangp/wgan/ui/wire"
)

// runTrain trains: with a window where a display is, else headless with a
// progress line; in both cases it writes into --out the validation grid and
// loss curves as PNG, the losses as CSV, a checkpoint every
// --checkpoint-every iterations, when stopped (a signal, the window, a
// closed output) and at the end, and the weights file.
//
// Everything that can be checked is checked before anything slow or
// anything written: the checkpoint, the output folder, the options and the
// memory they need, then the data.
func runTrain(args []string, stdout io.Writer) error {
	f, err := parseTrainFlags(args)
	if err != nil {
		return err
	}
	// From here on a stop signal or a closed stdout ends the command
	// cleanly: before training, at once with nothing written; during it,
	// with a checkpoint (session.run).
	ctx, stop := signal.NotifyContext(context.Background(), stopSignals...)
	defer stop()
	returned := make(chan struct{})
	defer close(returned) // before stop, which also ends ctx
	go secondSignalQuits(ctx, stop, returned)
	signal.Ignore(syscall.SIGPIPE) // for good: the last message may go to a closed stderr too
	tty := isTerminal(stdout)
	stdout = &guardedWriter{w: stdout}
	early := func() error {
		if ctx.Err() != nil {
			return &interruptedError{why: "stopped by a signal", iteration: -1}
		}
		return nil
	}
	var ck *safetensors.File
	ckDir := ""
	if f.resume != "" {
		if ck, ckDir, err = readCheckpoint(f.resume); err != nil {
			return err
		}
	}
	out := f.out
	switch {
	case out == "" && ckDir != "":
		out = ckDir
	case out == "":
		out = filepath.Join("runs", time.Now().Format("2006-01-02-150405"))
	}
	if err := checkRunDir(out, ckDir); err != nil {
		return err
	}
	b, gpu, why, err := chooseBackend(f.backend)
	if err != nil {
		return err
	}
	defer closeBackend(b)
	fmt.Fprintf(stdout, "backend: %s (%s)\n", b.Name(), why)

	opt, presetMsg, err := f.options(ck, gpu)
	if err != nil {
		return err
	}
	if err := train.CheckMemory(b, opt.Config); err != nil {
		return err
	}
	if err := early(); err != nil {
		return err
	}
	var set *data.Set
	var dataMsg string
	if err := untilStopped(ctx, func() (err error) { set, dataMsg, err = f.loadData(ck, opt.Seed); return err }); err != nil {
		return err
	}
	fmt.Fprintln(stdout, dataMsg)
	if err := early(); err != nil {
		return err
	}
	var tr *train.Trainer
	stopProgress := kernelProgress(b, stdout, tty)
	err = untilStopped(ctx, func() (err error) { tr, err = train.New(b, set, dataMsg, opt); return err })
	stopProgress()
	if err != nil {
		return err
	}
	defer tr.Close()
	if ck != nil {
		if err := tr.Resume(ck); err != nil {
			return fmt.Errorf("resuming %s: %w", q(f.resume), err)
		}
	}
	if err := early(); err != nil {
		return err
	}
	removed, unlock, err := openRunDir(out, ckDir)
	if err != nil {
		return err
	}
	defer unlock()
	if len(removed) > 0 {
		fmt.Fprintf(stdout, "removed %d temporary file(s) of an interrupted write from %s\n", len(removed), q(out))
	}
	opt = tr.Options()
	trainN, held := tr.Data()
	fmt.Fprintf(stdout, "model: %s: F=%d, Z=%d, batch %d, %d iterations; %s, learning rates %g (D) and %g (G)\n", presetMsg, opt.Config.Filters,
		opt.Config.Latent, opt.Config.Batch, opt.Iterations, opt.Config.Recipe(), opt.Config.LRD, opt.Config.LRG)
	if e := train.Expectation(opt.Config); e != "" {
		fmt.Fprintf(stdout, "expect: %s\n", e)
	}
	if held > 0 {
		fmt.Fprintf(stdout, "quality: SWD every %d iterations, %d generated vs %d held-out pictures (%d left for training); real-vs-real floor %.2f\n",
			opt.SWDEvery, held, held, trainN, tr.History().SWDFloor)
	} else if opt.SWDEvery > 0 {
		fmt.Fprintf(stdout, "quality: SWD off: %d pictures are too few to hold %d out\n", trainN, train.MinSWDImages)
	}
	if ck != nil {
		fmt.Fprintf(stdout, "resumed at iteration %d (elapsed %s)\n", tr.Iteration(), train.HMS(tr.Elapsed()))
	}
	fmt.Fprintf(stdout, "output: %s\n", q(out))
	printEstimate(stdout, b, opt.Config, opt.Iterations-tr.Iteration()) // estimate.go

	var view *viewer
	if !f.headless && hasDisplay() {
		if view, err = openViewer(stdout); err != nil {
			fmt.Fprintf(stdout, "no window, training headless: %v\n", err)
			view = nil
		}
	}
	s := &session{out: out, stdout: stdout, view: view, tty: tty, ctx: ctx}
	s.r = train.NewRun(tr, s, train.RunConfig{Every: f.every, CheckpointEvery: f.checkpointEvery, Resumed: ck != nil,
		Meta: map[string]string{"data_dir": f.absData(), "crop": f.crop}})
	return s.run()
}

// session is the desktop's side of a sitting (train.Run drives it): the
// run's files, the progress line, the window and the signals.
type session struct {
	r      *train.Run
	out    string
	stdout io.Writer
	view   *viewer
	tty    bool
	ctx    context.Context // cancelled by SIGINT, SIGTERM or SIGHUP

	frame     ui.Frame
	csv       *csv.Writer
	csvFile   *os.File
	lastPrint time.Time
	stopWhy   string       // why the run stops early: a signal, the window, the output
	pending   []wire.Event // window events for the loop to handle
}

// stopSignals stop a run with a checkpoint: Ctrl-C, kill, a closed
// terminal (a dropped ssh session). SIGPIPE is caught too, so that a
// closed stdout (| head, a dead tee) makes writes fail instead of killing
// the process; the writer then stops the run the same way.
var stopSignals = []os.Signal{os.Interrupt, syscall.SIGTERM, syscall.SIGHUP}

// secondSignalQuits, once the first stop signal has come (ctx done), gives
// the signals back their default action (stop), so that a second one ends
// the command at once: the first waits for the step under way, which on a
// large model and a slow backend can take minutes. Nothing is lost by it:
// every file is written atomically, so the last checkpoint stays whole.
// It does nothing once returned is closed (the command is over).
func secondSignalQuits(ctx context.Context, stop func(), returned <-chan struct{}) {
	select {
	case <-returned:
		return
	case <-ctx.Done():
	}
	select {
	case <-returned: // ctx ended by the command's own stop
		return
	default:
	}
	stop()
	fmt.Fprintln(os.Stderr, "stopping after the step under way, then saving a checkpoint; a second Ctrl-C (or signal) quits at once, keeping the last checkpoint saved")
}

// run trains to the end, handling the window's events whenever the run
// stops for them (Space pauses: the run then waits for the next event).
func (s *session) run() error {
	if err := s.openCSV(); err != nil {
		return err
	}
	defer s.csvFile.Close()
	if err := s.r.Begin(); err != nil {
		return err
	}
	for {
		err := s.r.Train(s.stopRequested)
		var div *train.DivergedError
		switch {
		case err == nil:
			return s.done()
		case errors.As(err, &div):
			return s.diverged(div)
		case !errors.Is(err, train.ErrStopped):
			return errors.Join(err, s.end())
		case s.stopWhy != "":
			it := s.r.Trainer().Iteration()
			if err := s.end(); err != nil {
				return err
			}
			return &interruptedError{why: s.stopWhy, iteration: it, dir: s.out}
		case len(s.pending) > 0:
			e := s.pending[0]
			s.pending = s.pending[1:]
			if err := s.handle(e); err != nil {
				return errors.Join(err, s.end())
			}
		default: // paused
			select {
			case <-s.ctx.Done():
			case e := <-s.events():
				s.take(e)
			}
		}
	}
}

// events is the window's event channel (nil, never ready, without one).
func (s *session) events() <-chan wire.Event {
	if s.view == nil {
		return nil
	}
	return s.view.events
}

// stopRequested says whether the run should stop now, asked between any
// two steps: a stop signal, the window closed or the output gone end the
// run (stopWhy); a window event waiting or a pause stop it for the loop.
func (s *session) stopRequested() bool {
	select {
	case <-s.ctx.Done():
		if s.stopWhy == "" {
			s.stopWhy = "stopped by a signal"
		}
	default:
	}
	for s.stopWhy == "" {
		select {
		case e := <-s.events():
			s.take(e)
			continue
		default:
		}
		break
	}
	if g, ok := s.stdout.(*guardedWriter); ok && g.err != nil && s.stopWhy == "" {
		s.stopWhy = fmt.Sprintf("the output closed (%v)", g.err)
	}
	return s.stopWhy != "" || len(s.pending) > 0 || s.r.Paused()
}

// take receives a window event: Closed (the window closed, Q or Esc)
// stops the run; the others wait in pending for the loop.
func (s *session) take(e wire.Event) {
	if e != wire.Closed {
		s.pending = append(s.pending, e)
		return
	}
	s.view.close(false)
	s.view = nil
	if s.stopWhy == "" {
		s.stopWhy = "the window was closed"
	}
}

// diverged keeps the last good checkpoint and says what to do.
func (s *session) diverged(div *train.DivergedError) error {
	s.csv.Flush()
	cfg := s.r.Trainer().Options().Config
	last := fmt.Sprintf("no checkpoint was written; start again with a smaller learning rate, such as --lr-d %g --lr-g %g", cfg.LRD/2, cfg.LRG/2)
	if _, err := os.Stat(checkpointPath(s.out)); err == nil && s.r.Kept() >= 0 {
		last = fmt.Sprintf("the last good checkpoint is %s (iteration %d), kept; continue from it with a smaller learning rate: --resume %s --lr-d %g --lr-g %g",
			q(checkpointPath(s.out)), s.r.Kept(), q(s.out), cfg.LRD/2, cfg.LRG/2)
	}
	return &divergedError{div: div, advice: last}
}

// handle acts on a window event other than Closed.
func (s *session) handle(e wire.Event) error {
	switch e {
	case wire.TogglePause:
		if s.r.Paused() {
			s.r.Resume()
		} else {
			s.r.Pause()
		}
		s.updateFrame()
		s.view.show(s.frame)
	case wire.SaveGrid:
		g := s.r.View().Grid
		name := filepath.Join(s.out, fmt.Sprintf("grid-saved-%06d.png", g.Iteration))
		if err := writePNG(name, g.Image); err != nil {
			return err
		}
		fmt.Fprintf(s.stdout, "\nsaved %s\n", q(name))
	}
	return nil
}

// openCSV writes losses.csv afresh (atomically) with the rows of the
// history (a resumed run's rows up to its checkpoint), then keeps it open
// to append the rows of this sitting.
func (s *session) openCSV() error {
	path := filepath.Join(s.out, lossesName)
	h := s.r.Trainer().History()
	err := atomicfile.Write(path, func(w io.Writer) error {
		c := csv.NewWriter(w)
		c.Write([]string{"iteration", "lossD", "lossD_unregularized", "gradient_penalty", "lossG"})
		for i := range h.LossD {
			c.Write([]string{strconv.Itoa(i + 1), fmtF(h.LossD[i]), fmtF(h.LossDUnreg[i]), fmtF(h.Penalty[i]), fmtF(h.LossG[i])})
		}
		c.Flush()
		return c.Error()
	})
	if err != nil {
		return err
	}
	if s.csvFile, err = os.OpenFile(path, os.O_WRONLY|os.O_APPEND, 0); err != nil {
		return fmt.Errorf("%s: %w", q(path), bareErr(err))
	}
	s.csv = csv.NewWriter(s.csvFile)
	return nil
}

// updateFrame fills the window's frame from the run's view.
func (s *session) updateFrame() {
	v := s.r.View()
	f := &s.frame
	f.Title, f.Status, f.Diversity, f.SWDFloor = v.Title, v.Status, v.Diversity, v.History.SWDFloor
	f.Grid, f.GridLabel = v.Grid.Image, v.Grid.Label
	f.LossD = f.LossD[:0:0]
	f.LossDUnreg = f.LossDUnreg[:0:0]
	for i := range v.History.LossD {
		f.LossD = append(f.LossD, float64(v.History.LossD[i]))
		f.LossDUnreg = append(f.LossDUnreg, float64(v.History.LossDUnreg[i]))
	}
	f.SWD = nil
	for _, p := range v.History.SWD {
		f.SWD = append(f.SWD, ui.Point{X: float64(p.Iteration), Y: p.Value})
	}
	f.Version++
}

// Iterated (train.Front) appends the iteration's row to losses.csv (on
// disk at each refresh), moves the window's curves and prints the
// progress line: redrawn in place on a terminal (at most 5 times a
// second), one line per refresh otherwise.
func (s *session) Iterated(rec train.Record, refresh bool) {
	s.csv.Write([]string{strconv.Itoa(rec.Iteration), fmtF(rec.LossD), fmtF(rec.LossDUnreg), fmtF(rec.Penalty), fmtF(rec.LossG)})
	if refresh {
		s.csv.Flush()
	} else if s.view != nil {
		s.updateFrame()
		s.view.show(s.frame)
	}
	it, n := rec.Iteration, s.r.Trainer().Options().Iterations
	swd := rec.SWD >= 0
	line := s.r.Progress(rec)
	switch {
	case s.tty && (time.Since(s.lastPrint) > 200*time.Millisecond || it == n || swd):
		fmt.Fprintf(s.stdout, "\r\033[K%s", line)
		if swd {
			fmt.Fprintln(s.stdout)
		}
		s.lastPrint = time.Now()
	case !s.tty && refresh:
		fmt.Fprintln(s.stdout, line)
	}
}

// Show (train.Front) writes a refresh's grid as grid-NNNNNN.png and
// grid-latest.png with curves.png, and shows it in the window; the final
// grid is final.png (done shows it).
func (s *session) Show(g train.Grid) error {
	if g.Final {
		return writePNG(filepath.Join(s.out, g.Name), g.Image)
	}
	s.updateFrame()
	for _, name := range []string{g.Name, "grid-latest.png"} {
		if err := writePNG(filepath.Join(s.out, name), g.Image); err != nil {
			return err
		}
	}
	if err := writePNG(filepath.Join(s.out, "curves.png"), ui.RenderCurves(s.frame, 960, 540)); err != nil {
		return err
	}
	if s.view != nil {
		s.view.show(s.frame)
	}
	return nil
}

// Keep (train.Front) writes checkpoint.safetensors and, when the sitting
// ends, the weights file (and, with --ema, the weights as trained).
func (s *session) Keep(ck *safetensors.File, end bool) error {
	if err := safetensors.WriteFile(checkpointPath(s.out), ck); err != nil || !end {
		return err
	}
	tr := s.r.Trainer()
	w, err := tr.Weights()
	if err != nil {
		return err
	}
	if err := safetensors.WriteFile(filepath.Join(s.out, weightsName), w); err != nil || !tr.HasEMA() {
		return err
	}
	plain, err := tr.PlainWeights()
	if err != nil {
		return err
	}
	return safetensors.WriteFile(filepath.Join(s.out, plainWeightsName), plain)
}

// end ends a sitting stopped before the run's target: the grid, curves,
// checkpoint and weights where it stopped (train.Run.Stop), and how to go on.
func (s *session) end() error {
	s.csv.Flush()
	if err := s.r.Stop(); err != nil {
		return err
	}
	fmt.Fprintf(s.stdout, "\n%s at iteration %d: saved %s and %s; continue with --resume %s\n",
		s.stopWhy, s.r.Trainer().Iteration(), q(checkpointPath(s.out)), q(filepath.Join(s.out, weightsName)), q(s.out))
	return nil
}

// done says where a complete run's files are and, with a window, shows
// its final grid until the window is closed.
func (s *session) done() error {
	s.csv.Flush()
	fmt.Fprintf(s.stdout, "\ndone in %s: %s, %s (25 new images)\n", train.HMS(s.r.Trainer().Elapsed()),
		q(filepath.Join(s.out, weightsName)), q(filepath.Join(s.out, s.r.View().Grid.Name)))
	if s.view == nil {
		return nil
	}
	s.updateFrame()
	s.frame.Status += " · close the window to exit"
	s.view.show(s.frame)
	for {
		select {
		case e, ok := <-s.view.events:
			if ok && e != wire.Closed {
				if err := s.handle(e); err != nil {
					return err
				}
				continue
			}
		case <-s.ctx.Done():
		}
		break
	}
	s.view.close(s.ctx.Err() == nil)
	return nil
}

func fmtF(v float32) string { return strconv.FormatFloat(float64(v), 'g', 8, 32) }
