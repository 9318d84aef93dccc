package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"sync"

	"github.com/wgangp/wgangp/engine"
)

// This file is how train talks to its terminal or pipe: the kernels'
// progress while it starts, a stop signal that ends a slow start at once,
// and an output that closes (the run then stops with a checkpoint).

// kernelProgress prints "preparing kernels N/M" while a WebGPU backend
// compiles the model's pipelines (a minute on a software adapter): redrawn
// in place on a terminal, at each quarter otherwise. The function it
// returns ends the reports.
func kernelProgress(b engine.Backend, stdout io.Writer, tty bool) func() {
	p, ok := b.(interface{ SetProgress(func(done, total int)) })
	if !ok {
		return func() {}
	}
	var mu sync.Mutex
	printed, off := false, false
	p.SetProgress(func(done, total int) {
		mu.Lock()
		defer mu.Unlock()
		switch {
		case off:
		case tty:
			fmt.Fprintf(stdout, "\r\033[Kpreparing kernels %d/%d", done, total)
			printed = true
		case done == total || done%max(1, total/4) == 0:
			fmt.Fprintf(stdout, "preparing kernels %d/%d\n", done, total)
		}
	})
	// Not SetProgress(nil): after a stop signal the compile may still hold
	// the backend, and the run ends at once.
	return func() {
		mu.Lock()
		defer mu.Unlock()
		off = true
		if printed {
			fmt.Fprintln(stdout)
		}
	}
}

// untilStopped runs work (reading a large folder of pictures, compiling the
// model for a GPU) and returns
// its error, or an interruption at once when a stop signal comes first:
// the work is then abandoned with the process, having written nothing.
func untilStopped(ctx context.Context, work func() error) error {
	done := make(chan error, 1)
	go func() { done <- work() }()
	select {
	case err := <-done:
		return err
	case <-ctx.Done():
		return &interruptedError{why: "stopped by a signal", iteration: -1}
	}
}

// guardedWriter passes writes through until one fails (a closed pipe, a
// terminal gone), then drops them and keeps the error: the run stops with
// a checkpoint instead of dying.
type guardedWriter struct {
	w   io.Writer
	err error
}

func (g *guardedWriter) Write(p []byte) (int, error) {
	if g.err != nil {
		return len(p), nil
	}
	if _, err := g.w.Write(p); err != nil {
		g.err = err
	}
	return len(p), nil
}

func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	fi, err := f.Stat()
	return err == nil && fi.Mode()&os.ModeCharDevice != 0
}
