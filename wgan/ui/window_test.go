package ui_test

import (
	"context"
	"fmt"
	"image/png"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/wgangp/wgangp/internal/x11grab"
	"github.com/wgangp/wgangp/wgan/ui"
	"github.com/wgangp/wgangp/wgan/ui/internal/uidemo"
)

// TestWindow opens the real window (package window, Ebitengine) on the X
// display with fixed frames and checks that it shows exactly what Render
// draws: once from the screen read back from the GPU inside the window's
// Draw, for two successive frame versions, and once read back from the X
// server. It closes the window itself and checks that OnClose ran.
//
// The window runs in a separate program (window/internal/wincheck) because
// a binary that links Ebitengine panics at start-up without a display, which
// would take every other test of this package down with it.
//
// Run it with:  xvfb-run -a go test ./wgan/ui -run Window -v
// Without DISPLAY it is skipped, unless CI=true, where that is a failure.
// Set UI_PNG_DIR to keep the captured PNGs.
func TestWindow(t *testing.T) {
	needDisplay := func(format string, args ...any) {
		t.Helper()
		if os.Getenv("CI") == "true" {
			t.Fatalf(format, args...)
		}
		t.Skipf(format, args...)
	}
	if os.Getenv("DISPLAY") == "" {
		needDisplay("DISPLAY is not set: run under xvfb-run -a")
	}
	if testing.Short() {
		t.Skip("-short: skipping the window test")
	}
	goBin, err := exec.LookPath("go")
	if err != nil {
		needDisplay("no go command to build the window check: %v", err)
	}
	dir := os.Getenv("UI_PNG_DIR")
	if dir == "" {
		dir = t.TempDir()
	} else if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}

	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	bin := filepath.Join(t.TempDir(), "wincheck")
	build := exec.CommandContext(ctx, goBin, "build", "-o", bin, "github.com/wgangp/wgangp/wgan/ui/window/internal/wincheck")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("building the window check: %v\n%s", err, out)
	}
	run := exec.CommandContext(ctx, bin, "-dir", dir, "-timeout", "90s")
	// A display of its own where Xvfb is there (see x11grab.StartServer).
	if display, stop, err := x11grab.StartServer(1400, 900); err == nil {
		defer stop()
		run.Env = append(os.Environ(), "DISPLAY="+display)
	}
	out, err := run.CombinedOutput()
	t.Logf("wincheck output:\n%s", out)
	if err != nil {
		if strings.Contains(string(out), "built without a window") {
			needDisplay("this build has no window (nowindow tag or no cgo)")
		}
		t.Fatalf("window check failed: %v", err)
	}
	if !strings.Contains(string(out), "onclose=true") {
		t.Errorf("OnClose was not called before Run returned")
	}

	for _, iters := range []int{600, 1200} {
		name := filepath.Join(dir, fmt.Sprintf("window_%d.png", iters))
		compareWithRender(t, name, uidemo.WindowFrame(iters))
	}
	if m := regexp.MustCompile(`x11=(\S+\.png)`).FindSubmatch(out); m != nil {
		compareWithRender(t, string(m[1]), uidemo.WindowFrame(1200))
	} else {
		t.Logf("no X server read-back (see output above); the GPU read-back was checked")
	}
}

// compareWithRender checks that the PNG shows Render(f) at the PNG's size.
func compareWithRender(t *testing.T, name string, f ui.Frame) {
	t.Helper()
	fh, err := os.Open(name)
	if err != nil {
		t.Fatal(err)
	}
	defer fh.Close()
	got, err := png.Decode(fh)
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	b := got.Bounds()
	if b.Dx() < 480 || b.Dy() < 270 {
		t.Fatalf("%s: window is only %v", name, b)
	}
	want := ui.Render(f, b.Dx(), b.Dy())
	bad := 0
	var first string
	for y := 0; y < b.Dy(); y++ {
		for x := 0; x < b.Dx(); x++ {
			r, g, bb, _ := got.At(b.Min.X+x, b.Min.Y+y).RGBA()
			w := want.RGBAAt(x, y)
			c := [3]int{int(r >> 8), int(g >> 8), int(bb >> 8)}
			if abs(c[0]-int(w.R)) > 2 || abs(c[1]-int(w.G)) > 2 || abs(c[2]-int(w.B)) > 2 {
				if bad == 0 {
					first = fmt.Sprintf("(%d,%d) = %v, want %v", x, y, c, w)
				}
				bad++
			}
		}
	}
	// The pixels are uploaded and drawn 1:1, so they should match exactly;
	// allow a few for drivers that round differently.
	if bad > b.Dx()*b.Dy()/1000 {
		t.Errorf("%s: %d of %d pixels differ from Render; first at %s", name, bad, b.Dx()*b.Dy(), first)
	} else {
		t.Logf("%s: %dx%d matches Render (%d pixels off by more than 2)", name, b.Dx(), b.Dy(), bad)
	}
}

func abs(v int) int { return max(v, -v) }
