package ui_test

import (
	"image"
	"image/png"
	"os"
	"path/filepath"
	"testing"

	"github.com/wgangp/wgangp/wgan/ui"
	"github.com/wgangp/wgangp/wgan/ui/internal/uidemo"
)

func writePNG(t testing.TB, path string, img image.Image) {
	t.Helper()
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if err := png.Encode(f, img); err != nil {
		t.Fatal(err)
	}
}

// TestWritePNGs writes sample renders to $UI_PNG_DIR for looking at the
// layout; it does nothing when the variable is unset.
func TestWritePNGs(t *testing.T) {
	dir := os.Getenv("UI_PNG_DIR")
	if dir == "" {
		t.Skip("UI_PNG_DIR not set")
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	full := uidemo.Frame(1200)
	noSWD := full
	noSWD.SWD, noSWD.SWDFloor = nil, 0
	noSWD.Hint = "Space pause · S save grid · Q quit"
	long := uidemo.Frame(10000)
	empty := ui.Frame{Title: "Iteration: 0, Elapsed: 00:00:00", Status: "WebGPU · preset full · starting…", GridLabel: "Generated images"}
	for _, c := range []struct {
		name string
		f    ui.Frame
		w, h int
	}{
		{"render_1280x720", full, 1280, 720},
		{"render_640x360", full, 640, 360},
		{"render_noswd_1280x720", noSWD, 1280, 720},
		{"render_noswd_640x360", noSWD, 640, 360},
		{"render_10k_1280x720", long, 1280, 720},
		{"render_empty_1280x720", empty, 1280, 720},
		{"render_portrait_480x800", full, 480, 800},
		{"render_2560x1440", full, 2560, 1440},
	} {
		writePNG(t, filepath.Join(dir, c.name+".png"), ui.Render(c.f, c.w, c.h))
	}
	writePNG(t, filepath.Join(dir, "curves_960x540.png"), ui.RenderCurves(full, 960, 540))
	writePNG(t, filepath.Join(dir, "curves_noswd_800x450.png"), ui.RenderCurves(noSWD, 800, 450))
}
