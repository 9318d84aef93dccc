//go:build !(linux || freebsd || openbsd || netbsd)

package x11grab

import (
	"errors"
	"image"
)

func Window(string) (*image.RGBA, error) { return nil, errors.New("no X11 on this platform") }
