// Command wincheck opens the window (package window) with fixed frames and
// writes what the window's screen shows, read back from the GPU, as PNG
// files; wgan/ui's TestWindow builds and runs it under an X display and
// compares the PNGs with ui.Render. (It is a separate program because a
// binary that links Ebitengine cannot even start without a display.)
//
// It shows uidemo.WindowFrame(600), captures it, switches to
// uidemo.WindowFrame(1200) (a new Version), captures that, then closes the
// window and reports whether OnClose ran. On X11 it also reads the window's
// pixels back from the X server (window_x11.png).
package main

import (
	"flag"
	"fmt"
	"image"
	"image/png"
	"os"
	"path/filepath"
	"time"

	"github.com/wgangp/wgangp/internal/x11grab"
	"github.com/wgangp/wgangp/wgan/ui"
	"github.com/wgangp/wgangp/wgan/ui/internal/uidemo"
	"github.com/wgangp/wgangp/wgan/ui/window"
	"github.com/wgangp/wgangp/wgan/ui/window/internal/capture"
)

func main() {
	dir := flag.String("dir", os.TempDir(), "directory for window_<iters>.png")
	timeout := flag.Duration("timeout", 60*time.Second, "give up after this long")
	flag.Parse()

	go func() {
		time.Sleep(*timeout)
		fmt.Fprintln(os.Stderr, "wincheck: timed out")
		os.Exit(3)
	}()

	stages := []int{600, 1200}
	stage := 0
	frame := uidemo.WindowFrame(stages[0])
	var failed error
	capture.Hook = func(img *image.RGBA) bool {
		name := filepath.Join(*dir, fmt.Sprintf("window_%d.png", stages[stage]))
		if err := writePNG(name, img); err != nil {
			failed = err
			return true
		}
		fmt.Printf("captured %s %dx%d version=%d\n", name, img.Rect.Dx(), img.Rect.Dy(), frame.Version)
		stage++
		if stage == len(stages) {
			// Also read the window back from the X server once the last
			// frame has been on the display for a moment.
			go func() {
				// On a loaded machine the X server may show the frame
				// later: wait up to 15 s for the window to stop being
				// all black.
				var x *image.RGBA
				var err error
				for try := 0; try < 30; try++ {
					time.Sleep(500 * time.Millisecond)
					if x, err = x11grab.Window("", "wgangp"); err != nil || !allBlack(x) {
						break
					}
				}
				if err != nil {
					fmt.Printf("x11=unavailable (%v)\n", err)
				} else if err := writePNG(filepath.Join(*dir, "window_x11.png"), x); err != nil {
					fmt.Printf("x11=unavailable (%v)\n", err)
				} else {
					fmt.Printf("x11=%s %dx%d\n", filepath.Join(*dir, "window_x11.png"), x.Rect.Dx(), x.Rect.Dy())
				}
				capture.Quit.Store(true)
			}()
			return false
		}
		frame = uidemo.WindowFrame(stages[stage])
		return false
	}
	closed := false
	err := window.Run(func() ui.Frame { return frame }, window.Controls{OnClose: func() { closed = true }})
	fmt.Printf("onclose=%v\n", closed)
	if err != nil {
		fmt.Fprintln(os.Stderr, "wincheck: window:", err)
		os.Exit(1)
	}
	if failed != nil {
		fmt.Fprintln(os.Stderr, "wincheck:", failed)
		os.Exit(1)
	}
	if stage != len(stages) {
		fmt.Fprintln(os.Stderr, "wincheck: window closed before all captures")
		os.Exit(1)
	}
}

func writePNG(name string, img image.Image) error {
	f, err := os.Create(name)
	if err != nil {
		return err
	}
	if err := png.Encode(f, img); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

func allBlack(img *image.RGBA) bool {
	for i := 0; i < len(img.Pix); i += 4 {
		if img.Pix[i] != 0 || img.Pix[i+1] != 0 || img.Pix[i+2] != 0 {
			return false
		}
	}
	return true
}
