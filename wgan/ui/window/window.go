//go:build !nowindow && (js || windows || (darwin && !ios) || ((linux || freebsd || openbsd || netbsd) && !android && cgo))

package window

import (
	"image"
	"math"
	"runtime"
	"time"

	"github.com/hajimehoshi/ebiten/v2"
	"github.com/hajimehoshi/ebiten/v2/inpututil"

	"github.com/wgangp/wgangp/wgan/ui"
	"github.com/wgangp/wgangp/wgan/ui/window/internal/capture"
)

// Available reports whether this build has a window (see ErrUnavailable).
const Available = true

// minRenderInterval limits re-rendering while training keeps changing the
// frame; a size change re-renders at once.
const minRenderInterval = 100 * time.Millisecond

// Run runs the window until it is closed (close button, Q or Esc; in the
// browser the page keeps running and Q/Esc are ignored). frames is called
// every tick (30 a second) to get the latest Frame and must be cheap; the
// view is re-rendered only when Frame.Version or the window size changes.
// The window is resizable, renders at the display's device pixels and is
// titled "WGAN-GP". While the frame changes continuously it is re-rendered
// at most ten times a second (less if rendering is slow). Controls.OnClose is called before Run returns.
//
// Run must be called from the main goroutine (Ebitengine's requirement).
func Run(frames func() ui.Frame, c Controls) error {
	ebiten.SetWindowTitle(Title)
	ebiten.SetWindowResizingMode(ebiten.WindowResizingModeEnabled)
	ebiten.SetWindowSizeLimits(480, 270, -1, -1)
	w, h := 1280, 720
	if m := ebiten.Monitor(); m != nil {
		if mw, mh := m.Size(); mw > 0 && mh > 0 {
			// Keep 16:9 and at most 90% of the monitor.
			s := math.Min(1, math.Min(0.9*float64(mw)/float64(w), 0.9*float64(mh)/float64(h)))
			w, h = max(480, int(float64(w)*s)), max(270, int(float64(h)*s))
		}
	}
	ebiten.SetWindowSize(w, h)
	ebiten.SetTPS(30)
	ebiten.SetRunnableOnUnfocused(true)
	// The screen keeps its pixels between frames; Draw only copies the
	// rendered image when it has changed.
	ebiten.SetScreenClearedEveryFrame(false)

	g := &game{frames: frames, c: c}
	err := ebiten.RunGameWithOptions(g, &ebiten.RunGameOptions{X11ClassName: "wgangp", X11InstanceName: "wgangp"})
	if c.OnClose != nil {
		c.OnClose()
	}
	return err
}

type game struct {
	frames func() ui.Frame
	c      Controls

	w, h int // the screen size in device pixels, from Layout

	img        *ebiten.Image // the last rendered view
	have       bool
	ver        uint64
	rw, rh     int // size of img
	lastRender time.Time
	renderCost time.Duration // how long the last Render took

	dirty     bool            // img has not been copied to the screen yet
	drawnSize image.Rectangle // screen bounds at the last copy
	quit      bool

	capturePending int // draws left before handing the screen to capture.Hook
}

func (g *game) Update() error {
	if g.quit || capture.Quit.Load() {
		return ebiten.Termination
	}
	if inpututil.IsKeyJustPressed(ebiten.KeySpace) && g.c.TogglePause != nil {
		g.c.TogglePause()
	}
	if inpututil.IsKeyJustPressed(ebiten.KeyS) && g.c.SaveGrid != nil {
		g.c.SaveGrid()
	}
	if runtime.GOOS != "js" && (inpututil.IsKeyJustPressed(ebiten.KeyQ) || inpututil.IsKeyJustPressed(ebiten.KeyEscape)) {
		return ebiten.Termination
	}
	g.refresh()
	return nil
}

// refresh re-renders the view if the frame or the size changed.
func (g *game) refresh() {
	if g.w <= 0 || g.h <= 0 || g.frames == nil {
		return
	}
	f := g.frames()
	resized := g.w != g.rw || g.h != g.rh
	if !resized && g.have {
		// While the frame keeps changing, re-render at most every 100 ms,
		// and spend at most a fifth of the time rendering (large HiDPI
		// windows on slow CPUs), so training keeps the CPU.
		wait := max(minRenderInterval, 4*g.renderCost)
		if f.Version == g.ver || time.Since(g.lastRender) < wait {
			return
		}
	}
	if f.Hint == "" {
		f.Hint = DefaultHint
		if runtime.GOOS == "js" {
			f.Hint = "Space pause · S save grid"
		}
	}
	start := time.Now()
	pix := ui.Render(f, g.w, g.h)
	g.renderCost = time.Since(start)
	if g.img == nil || resized {
		if g.img != nil {
			g.img.Deallocate()
		}
		g.img = ebiten.NewImage(g.w, g.h)
		g.rw, g.rh = g.w, g.h
	}
	g.img.WritePixels(pix.Pix)
	g.have, g.ver, g.lastRender, g.dirty = true, f.Version, time.Now(), true
	g.capturePending = 3
}

func (g *game) Draw(screen *ebiten.Image) {
	if g.img == nil {
		return
	}
	if g.dirty || screen.Bounds() != g.drawnSize {
		screen.DrawImage(g.img, nil)
		g.dirty, g.drawnSize = false, screen.Bounds()
	}
	if capture.Hook != nil && g.capturePending > 0 {
		g.capturePending--
		if g.capturePending == 0 {
			b := screen.Bounds()
			pix := make([]byte, 4*b.Dx()*b.Dy())
			screen.ReadPixels(pix)
			img := &image.RGBA{Pix: pix, Stride: 4 * b.Dx(), Rect: image.Rect(0, 0, b.Dx(), b.Dy())}
			if capture.Hook(img) {
				g.quit = true
			}
		}
	}
}

func (g *game) Layout(outsideWidth, outsideHeight int) (int, int) {
	s := 1.0
	if m := ebiten.Monitor(); m != nil {
		s = m.DeviceScaleFactor()
	}
	if !(s > 0) {
		s = 1
	}
	g.w = max(1, int(math.Ceil(float64(outsideWidth)*s)))
	g.h = max(1, int(math.Ceil(float64(outsideHeight)*s)))
	return g.w, g.h
}
