//go:build !js

package main

import (
	"fmt"
	"os"
)

func main() {
	fmt.Fprintln(os.Stderr, "trainer runs in the browser's Web Worker: build it with GOOS=js GOARCH=wasm (make serve builds and serves the page)")
	os.Exit(2)
}
