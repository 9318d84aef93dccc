// Package ui draws what the user of the WGAN-GP trainer sees (SPEC.md §5):
// the 5×5 tile of validation images on the left, the discriminator loss
// curves on the right, and a status line at the bottom.
//
// Everything is rendered in pure Go into an *image.RGBA, so the same pixels
// can be shown in the desktop window (package ui/window, Ebitengine), written
// as PNG files in headless mode, or shown in the browser (Ebitengine on WASM).
//
// This package deliberately does not import Ebitengine: on Linux, linking
// Ebitengine into a binary makes it panic at start-up (package init) when no X
// display is available, which would break headless training and the tests.
// The window lives in the subpackage github.com/wgangp/wgangp/wgan/ui/window.
package ui

import "image"

// Frame is everything the view shows; the trainer fills it from a snapshot.
// Render only reads a Frame, possibly on another goroutine than the
// trainer's (the window's): once a Frame has been handed out, do not modify
// its slices or its Grid image; build new ones for the next snapshot
// (appending to a slice beyond the handed-out length is fine).
type Frame struct {
	// Version identifies the contents; the caller increments it whenever any
	// other field changes. The window re-renders only when Version (or the
	// window size) changes.
	Version uint64

	Title      string      // "Iteration: 120, Elapsed: 00:03:12" (SPEC.md §5; the caller formats it)
	Status     string      // one line: backend, preset, it/s, ETA, "paused", messages
	Hint       string      // optional, right-aligned in the status bar (e.g. key help); the window fills it if empty
	Grid       image.Image // the 5×5 tile of validation images (320×320 at 64 px each), nil before the first
	GridLabel  string      // e.g. "Generated images (iteration 120)"
	LossD      []float64   // discriminator loss with gradient penalty, one per generator iteration (index 0 = iteration 1)
	LossDUnreg []float64   // unregularized discriminator loss, same indexing
	SWD        []Point     // optional: sample-quality metric over iterations (X = iteration), drawn as a third panel when non-empty
	SWDFloor   float64     // real-vs-real noise floor, drawn as a dashed horizontal line when > 0
	// Diversity says how unalike the validation images are, beside real
	// pictures ("diversity 0.214 (real 0.381)"): the SWD panel's caption
	// shows it when not empty.
	Diversity string
}

// Point is one sample of a metric series.
type Point struct{ X, Y float64 }
