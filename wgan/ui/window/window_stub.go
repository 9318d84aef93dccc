//go:build nowindow || !(js || windows || (darwin && !ios) || ((linux || freebsd || openbsd || netbsd) && !android && cgo))

package window

import "github.com/wgangp/wgangp/wgan/ui"

// Available reports whether this build has a window.
const Available = false

// Run returns ErrUnavailable: this build has no window. OnClose is not called.
func Run(frames func() ui.Frame, c Controls) error { return ErrUnavailable }
