//go:build !(linux || freebsd || openbsd || netbsd)

package x11grab

import (
	"errors"
	"image"
)

var errNoX11 = errors.New("no X11 on this platform")

func Window(display, instance string) (*image.RGBA, error) { return nil, errNoX11 }

func StartServer(w, h int) (string, func(), error) { return "", nil, errNoX11 }
