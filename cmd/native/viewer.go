package main

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"time"

	"github.com/wgangp/wgangp/wgan/ui"
	"github.com/wgangp/wgangp/wgan/ui/wire"
)

// viewerName is the window program (cmd/native/viewer) that `train` starts
// when a display is there.
const viewerName = "wgangp-viewer"

// viewer is the window, running as a child process.
type viewer struct {
	cmd    *exec.Cmd
	stdin  io.WriteCloser
	buf    *bufio.Writer
	frames *wire.FrameWriter
	events <-chan wire.Event
	stderr *bytes.Buffer
}

// hasDisplay says whether a window could open: on Linux and the BSDs an X
// display must be named (Ebitengine uses X11, XWayland included).
func hasDisplay() bool {
	switch runtime.GOOS {
	case "linux", "freebsd", "openbsd", "netbsd":
		return os.Getenv("DISPLAY") != ""
	}
	return true
}

// findViewer returns the window program: $WGANGP_VIEWER, else wgangp-viewer
// beside this executable or on PATH, else (under `go run`, in a checkout of
// this module) one built from source into the user's cache folder; build
// says what it did, for the log.
func findViewer(ctx context.Context) (path, how string, err error) {
	exe := viewerName
	if runtime.GOOS == "windows" {
		exe += ".exe"
	}
	if p := os.Getenv("WGANGP_VIEWER"); p != "" {
		return p, "$WGANGP_VIEWER", nil
	}
	if self, err := os.Executable(); err == nil {
		p := filepath.Join(filepath.Dir(self), exe)
		if _, err := os.Stat(p); err == nil {
			return p, "beside " + filepath.Base(self), nil
		}
	}
	if p, err := exec.LookPath(exe); err == nil {
		return p, "on PATH", nil
	}
	root, err := moduleRoot()
	if err != nil {
		return "", "", fmt.Errorf("no %s beside this program or on PATH (`make build` makes both), and %v", viewerName, err)
	}
	goBin, err := exec.LookPath("go")
	if err != nil {
		return "", "", fmt.Errorf("no %s beside this program or on PATH (`make build` makes both), and no go command to build it", viewerName)
	}
	cache, err := os.UserCacheDir()
	if err != nil {
		cache = os.TempDir()
	}
	out := filepath.Join(cache, "wgangp", exe)
	build := exec.CommandContext(ctx, goBin, "build", "-o", out, "./cmd/native/viewer")
	build.Dir = root
	if msg, err := build.CombinedOutput(); err != nil {
		return "", "", fmt.Errorf("building %s: %v\n%s", viewerName, err, msg)
	}
	return out, "built from " + root, nil
}

// moduleRoot finds the checkout of this module above the working folder.
func moduleRoot() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for {
		b, err := os.ReadFile(filepath.Join(dir, "go.mod"))
		if err == nil && strings.HasPrefix(string(b), "module github.com/wgangp/wgangp\n") {
			return dir, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", errors.New("the working folder is not in a checkout of github.com/wgangp/wgangp")
		}
		dir = parent
	}
}

// openViewer starts the window program and waits until its window is open.
func openViewer(log io.Writer) (*viewer, error) {
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	path, how, err := findViewer(ctx)
	if err != nil {
		return nil, err
	}
	v := &viewer{cmd: exec.Command(path), stderr: &bytes.Buffer{}}
	v.cmd.Stderr = v.stderr
	if v.stdin, err = v.cmd.StdinPipe(); err != nil {
		return nil, err
	}
	stdout, err := v.cmd.StdoutPipe()
	if err != nil {
		return nil, err
	}
	if err := v.cmd.Start(); err != nil {
		return nil, fmt.Errorf("starting %s: %w", path, err)
	}
	v.buf = bufio.NewWriterSize(v.stdin, 1<<16)
	v.frames = wire.NewFrameWriter(v.buf)
	v.events = wire.ReadEvents(stdout)
	select {
	case e := <-v.events:
		if e == wire.Ready {
			fmt.Fprintf(log, "window: %s (%s)\n", path, how)
			return v, nil
		}
	case <-time.After(30 * time.Second):
	}
	v.cmd.Process.Kill()
	v.cmd.Wait()
	return nil, fmt.Errorf("the window did not open: %s", strings.TrimSpace(lastLines(v.stderr.String(), 3)))
}

// show sends a frame; an error means the window is gone.
func (v *viewer) show(f ui.Frame) error {
	if err := v.frames.Write(f); err != nil {
		return err
	}
	return v.buf.Flush()
}

// close ends the viewer: its stdin closes and the process is waited for
// (it keeps the window open until the user closes it if wait is true).
func (v *viewer) close(wait bool) {
	v.stdin.Close()
	if !wait {
		v.cmd.Process.Kill()
	}
	v.cmd.Wait()
}

func lastLines(s string, n int) string {
	lines := strings.Split(strings.TrimSpace(s), "\n")
	return strings.Join(lines[max(0, len(lines)-n):], "\n")
}
