// Package capture lets the window check (internal/wincheck) read back what
// the window shows. It is not for use outside package window's tests.
package capture

import (
	"image"
	"sync/atomic"
)

// Hook, when set before window.Run, is called from the window's Draw a few
// frames after each re-render with the screen's pixels read back from the
// GPU; returning true closes the window.
var Hook func(screen *image.RGBA) (done bool)

// Quit, when set, closes the window at its next tick (any goroutine).
var Quit atomic.Bool
