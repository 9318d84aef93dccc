package main

import (
	"bufio"
	"context"
	"image"
	"image/color"
	"image/png"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/wgangp/wgangp/internal/x11grab"
	"github.com/wgangp/wgangp/wgan/ui"
)

// TestDesktopApp runs `native train` as a user would, on the X display
// (Xvfb in CI): it must find the window program beside itself, open the
// window and show the grid and the two loss curves while training; Ctrl-C
// must save a checkpoint and close the window.
//
// Without DISPLAY it is skipped, unless CI=true, where that is a failure.
// Set UI_PNG_DIR to keep the screenshot.
func TestDesktopApp(t *testing.T) {
	if os.Getenv("DISPLAY") == "" {
		if os.Getenv("CI") == "true" {
			t.Fatal("DISPLAY is not set: run under xvfb-run -a")
		}
		t.Skip("DISPLAY is not set: run under xvfb-run -a")
	}
	if testing.Short() {
		t.Skip("-short: skipping the desktop app")
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	bin := t.TempDir()
	for _, pkg := range []struct{ out, path string }{{"native", "."}, {viewerName, "./viewer"}} {
		out, err := exec.CommandContext(ctx, "go", "build", "-o", filepath.Join(bin, pkg.out), pkg.path).CombinedOutput()
		require.NoError(t, err, "building %s: %s", pkg.path, out)
	}

	runDir := t.TempDir()
	cmd := exec.CommandContext(ctx, filepath.Join(bin, "native"), "train", "--backend", "cpu", "--preset", "tiny",
		"--filters", "4", "--batch", "8", "--iterations", "100000", "--every", "2", "--swd-every", "0", "--out", runDir)
	cmd.Stderr = os.Stderr
	// A display of its own where Xvfb is there (see x11grab.StartServer).
	display := ""
	if d, stop, err := x11grab.StartServer(1400, 900); err == nil {
		defer stop()
		display = d
		cmd.Env = append(os.Environ(), "DISPLAY="+display)
	}
	stdout, err := cmd.StdoutPipe()
	require.NoError(t, err)
	require.NoError(t, cmd.Start())
	defer cmd.Process.Kill()

	lines := make(chan string, 100)
	go func() {
		s := bufio.NewScanner(stdout)
		for s.Scan() {
			lines <- s.Text()
		}
		close(lines)
	}()
	var log []string
	window, iterations := false, 0
	for iterations < 6 {
		select {
		case l, ok := <-lines:
			require.True(t, ok, "native ended early:\n%s", strings.Join(log, "\n"))
			log = append(log, l)
			window = window || strings.HasPrefix(l, "window: ")
			if strings.Contains(l, "lossD ") {
				iterations++
			}
		case <-ctx.Done():
			t.Fatalf("timed out; output:\n%s", strings.Join(log, "\n"))
		}
	}
	require.True(t, window, "no window opened; output:\n%s", strings.Join(log, "\n"))
	time.Sleep(time.Second) // a render happens at most every 100 ms

	shot, err := x11grab.Window(display, "wgangp")
	require.NoError(t, err)
	if dir := os.Getenv("UI_PNG_DIR"); dir != "" {
		f, err := os.Create(filepath.Join(dir, "desktop_app.png"))
		require.NoError(t, err)
		require.NoError(t, png.Encode(f, shot))
		f.Close()
	}
	b := shot.Bounds()
	left := image.Rect(b.Min.X, b.Min.Y, b.Min.X+b.Dx()*2/5, b.Max.Y)
	right := image.Rect(b.Min.X+b.Dx()/2, b.Min.Y, b.Max.X, b.Max.Y)
	require.Greater(t, distinctColors(shot.SubImage(left)), 500, "the left of the window shows no image grid")
	require.Greater(t, countNear(shot, right, ui.ColorLossGP), 50, "no curve with gradient penalty on the right")
	require.Greater(t, countNear(shot, right, ui.ColorLossUnreg), 50, "no unregularized curve on the right")

	require.NoError(t, cmd.Process.Signal(syscall.SIGINT))
	for l := range lines {
		log = append(log, l)
	}
	var exit *exec.ExitError
	require.ErrorAs(t, cmd.Wait(), &exit, "output:\n%s", strings.Join(log, "\n"))
	require.Equal(t, exitInterrupted, exit.ExitCode(), "Ctrl-C exits with code 3 (interrupted, checkpoint saved); output:\n%s", strings.Join(log, "\n"))
	for _, name := range []string{"checkpoint.safetensors", "weights.safetensors", "grid-latest.png", "curves.png", "losses.csv"} {
		_, err := os.Stat(filepath.Join(runDir, name))
		require.NoError(t, err, "after Ctrl-C")
	}
}

func countNear(img *image.RGBA, r image.Rectangle, c color.RGBA) int {
	n := 0
	near := func(a, b uint8) bool { return a-b < 12 || b-a < 12 }
	for y := r.Min.Y; y < r.Max.Y; y++ {
		for x := r.Min.X; x < r.Max.X; x++ {
			p := img.RGBAAt(x, y)
			if near(p.R, c.R) && near(p.G, c.G) && near(p.B, c.B) {
				n++
			}
		}
	}
	return n
}
