//go:build !(linux || freebsd || openbsd || netbsd)

package main

import (
	"errors"
	"image"
)

func grabX11(string) (*image.RGBA, error) { return nil, errors.New("no X11 on this platform") }
