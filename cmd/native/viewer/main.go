// Command viewer is the desktop window of `native train`: it reads the
// trainer's frames from stdin and shows them (Ebitengine, package
// ui/window), and writes the keys pressed and the closing of the window to
// stdout as events (package ui/wire). native starts it when a display is
// there; it is a program of its own because a binary that links Ebitengine
// cannot start on Linux without an X display.
package main

import (
	"fmt"
	"io"
	"os"
	"sync"

	"github.com/wgangp/wgangp/wgan/ui"
	"github.com/wgangp/wgangp/wgan/ui/window"
	"github.com/wgangp/wgangp/wgan/ui/wire"
)

func main() {
	var (
		mu     sync.Mutex
		latest = ui.Frame{Title: "Starting…", Status: "waiting for the trainer"}
		outMu  sync.Mutex
	)
	send := func(e wire.Event) {
		outMu.Lock()
		defer outMu.Unlock()
		wire.WriteEvent(os.Stdout, e)
	}
	go func() {
		r := wire.NewFrameReader(os.Stdin)
		for {
			f, err := r.Read()
			if err != nil {
				if err != io.EOF {
					fmt.Fprintf(os.Stderr, "viewer: %v\n", err)
				}
				// The trainer is gone: keep showing the last frame
				// until the window is closed.
				return
			}
			mu.Lock()
			latest = f
			mu.Unlock()
		}
	}()
	ready := sync.OnceFunc(func() { send(wire.Ready) })
	err := window.Run(func() ui.Frame {
		ready()
		mu.Lock()
		defer mu.Unlock()
		return latest
	}, window.Controls{
		TogglePause: func() { send(wire.TogglePause) },
		SaveGrid:    func() { send(wire.SaveGrid) },
		OnClose:     func() { send(wire.Closed) },
	})
	if err != nil {
		fmt.Fprintf(os.Stderr, "viewer: %v\n", err)
		os.Exit(1)
	}
}
