// Package window shows the trainer's view (package ui) in a desktop window,
// or in the browser canvas when built for GOOS=js, using Ebitengine.
//
// Ebitengine only displays the pixels that ui.Render produced and handles
// the keys; the frame is re-rendered only when its Version or the window size
// changes (and at most ten times a second while training updates it).
//
// Important for callers on Linux and the BSDs: a binary that links this
// package (and so Ebitengine) panics during package initialization, before
// main runs, when no X display is available ("The GLFW library is not
// initialized"). A command that must also run headless therefore needs a
// separate build for that case: build it with -tags nowindow (or with
// CGO_ENABLED=0 on Linux), which replaces Run with a stub that returns
// ErrUnavailable and keeps Ebitengine out of the binary. Package ui itself
// never imports Ebitengine.
package window

import "errors"

// Controls are the callbacks for the keys and the closing of the window.
// They are called on the window's goroutine and should return quickly.
type Controls struct {
	TogglePause func() // Space
	SaveGrid    func() // S
	// OnClose is called once, after the window has been closed (close
	// button, Q or Esc) and before Run returns, e.g. to save a checkpoint.
	OnClose func()
}

// Title is the window's title bar text.
const Title = "WGAN-GP"

// DefaultHint is shown at the right of the status bar when the frame has no
// Hint of its own.
const DefaultHint = "Space pause · S save grid · Q quit"

// ErrUnavailable is returned by Run in builds without a window (the nowindow
// tag, or a platform Ebitengine cannot build for, such as Linux without cgo).
var ErrUnavailable = errors.New("window: built without a window (nowindow tag or no cgo)")
