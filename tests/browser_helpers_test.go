package tests

import (
	"bytes"
	"compress/gzip"
	"context"
	"encoding/base64"
	"fmt"
	"image"
	"image/jpeg"
	"image/png"
	"io"
	"io/fs"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"
	"golang.org/x/image/draw"

	"github.com/wgangp/wgangp/assets"
	"github.com/wgangp/wgangp/web"
)

// chromiumPath is Debian's Chromium (the chromium package). The browser tests
// drive it and never download one.
const chromiumPath = "/usr/bin/chromium"

// requireChromium skips a browser test under -short or where Debian's
// Chromium is not installed; under CI=true a missing Chromium is a failure.
func requireChromium(t testing.TB) {
	t.Helper()
	if testing.Short() {
		t.Skip("browser test skipped under -short")
	}
	if _, err := os.Stat(chromiumPath); err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("%v: install Debian's chromium package (make deps does)", err)
		}
		t.Skipf("%v: install Debian's chromium package to run the browser tests", err)
	}
}

// newBrowser starts headless Chromium with a fresh profile and returns the
// context of its first tab. With webgpu, WebGPU is on: on a machine with no
// GPU its adapter is SwiftShader, Chromium's software renderer. The page's
// console is logged. The browser stops when the test ends.
func newBrowser(t testing.TB, webgpu bool) context.Context {
	t.Helper()
	opts := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(chromiumPath),
		chromedp.UserDataDir(t.TempDir()),
		chromedp.Headless,
		chromedp.NoSandbox,
		chromedp.NoFirstRun,
		// Without these Chromium tries to reach the internet, which may be closed.
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.WindowSize(1280, 1024),
	}
	if webgpu {
		opts = append(opts, chromedp.Flag("enable-unsafe-webgpu", true))
	}
	actx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancel := chromedp.NewContext(actx)
	// The first Run starts the browser; its context is the browser's life.
	if err := chromedp.Do(ctx); err != nil {
		cancel()
		cancelAlloc()
		t.Fatalf("starting %s: %v", chromiumPath, err)
	}
	logged := make(chan struct{})
	go func() {
		defer close(logged)
		for m, err := range chromedp.Console(ctx) {
			if err != nil {
				return
			}
			t.Logf("page %s", m)
		}
	}()
	t.Cleanup(func() {
		cancel()
		cancelAlloc()
		<-logged
	})
	return ctx
}

// evalJS evaluates a JavaScript expression in the page, awaiting a promise,
// and decodes its JSON value into T, within limit.
func evalJS[T any](ctx context.Context, limit time.Duration, expr string) (T, error) {
	ctx, cancel := context.WithTimeout(ctx, limit)
	defer cancel()
	return chromedp.Run(ctx, chromedp.Evaluate[T](expr, chromedp.EvalAwaitPromise))
}

// requireWebGPU checks that the browser has a WebGPU adapter, asking an
// empty page served on 127.0.0.1 (WebGPU needs a secure context, which
// about:blank is not). Without one the test is skipped, except under
// CI=true, where it fails.
func requireWebGPU(t testing.TB, ctx context.Context) {
	t.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		io.WriteString(w, `<!doctype html><link rel="icon" href="data:,"><title>probe</title>`)
	}))
	defer srv.Close()
	if err := chromedp.Do(ctx, chromedp.Navigate(srv.URL)); err != nil {
		t.Fatal(err)
	}
	adapter, err := evalJS[string](ctx, 30*time.Second, `(async () => {
		const a = navigator.gpu && await navigator.gpu.requestAdapter();
		return a ? a.info.vendor + " " + a.info.architecture : "";
	})()`)
	switch {
	case err != nil:
		t.Fatal(err)
	case adapter == "" && os.Getenv("CI") == "true":
		t.Fatal("Chromium has no WebGPU adapter")
	case adapter == "":
		t.Skip("Chromium has no WebGPU adapter")
	}
	t.Logf("WebGPU adapter: %s", adapter)
}

// builtPage is the page, built once per test binary; TestMain removes it.
var builtPage struct {
	once sync.Once
	dir  string
	err  error
}

func TestMain(m *testing.M) {
	code := m.Run()
	if builtPage.dir != "" {
		os.RemoveAll(builtPage.dir)
	}
	os.Exit(code)
}

// pageDir builds the page (web.Build) the first time it is called.
func pageDir(t testing.TB) string {
	t.Helper()
	builtPage.once.Do(func() {
		start := time.Now()
		builtPage.dir, builtPage.err = os.MkdirTemp("", "wgangp-page-")
		if builtPage.err == nil {
			builtPage.err = web.Build(context.Background(), builtPage.dir)
		}
		t.Logf("page built in %.1f s", time.Since(start).Seconds())
	})
	if builtPage.err != nil {
		t.Fatalf("building the page: %v", builtPage.err)
	}
	return builtPage.dir
}

// logPageWeight logs the size of each file of the page as built and
// gzipped (Handler sends the .wasm files gzipped from their .gz twins), and
// the sums.
func logPageWeight(t testing.TB, dir string) {
	t.Helper()
	var total, totalGz int
	err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || strings.HasSuffix(path, ".gz") {
			return err
		}
		b, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		var gz bytes.Buffer
		zw, _ := gzip.NewWriterLevel(&gz, gzip.BestCompression)
		zw.Write(b) // writes to a bytes.Buffer do not fail
		zw.Close()
		rel, _ := filepath.Rel(dir, path)
		t.Logf("%-20s %10d bytes, %10d gzipped", rel, len(b), gz.Len())
		total += len(b)
		totalGz += gz.Len()
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("page weight: %.2f MB, %.2f MB gzipped", float64(total)/1e6, float64(totalGz)/1e6)
}

// uploads writes n of the default flower pictures into a temporary folder,
// in turn as RGBA PNG, JPEG, greyscale PNG and a 100×75 JPEG (squashed to
// 64×64 by the page), and, with bad, a truncated PNG and a text file, which
// the page must skip. It returns the files' paths.
func uploads(t testing.TB, n int, bad bool) []string {
	t.Helper()
	dir := t.TempDir()
	var paths []string
	write := func(name string, b []byte) {
		path := filepath.Join(dir, name)
		if err := os.WriteFile(path, b, 0o644); err != nil {
			t.Fatal(err)
		}
		paths = append(paths, path)
	}
	pictures := assets.Flowers(n, 7)
	for i, img := range pictures {
		var buf bytes.Buffer
		var err error
		switch i % 4 {
		case 0:
			err = png.Encode(&buf, img)
		case 1:
			err = jpeg.Encode(&buf, img, &jpeg.Options{Quality: 90})
		case 2:
			grey := image.NewGray(img.Bounds())
			draw.Draw(grey, grey.Bounds(), img, image.Point{}, draw.Src)
			err = png.Encode(&buf, grey)
		case 3:
			wide := image.NewRGBA(image.Rect(0, 0, 100, 75))
			draw.BiLinear.Scale(wide, wide.Bounds(), img, img.Bounds(), draw.Src, nil)
			err = jpeg.Encode(&buf, wide, &jpeg.Options{Quality: 80})
		}
		if err != nil {
			t.Fatal(err)
		}
		write(fmt.Sprintf("flower-%03d.%s", i, [...]string{"png", "jpg", "png", "jpeg"}[i%4]), buf.Bytes())
	}
	if bad {
		var buf bytes.Buffer
		if err := png.Encode(&buf, pictures[0]); err != nil {
			t.Fatal(err)
		}
		write("truncated.png", buf.Bytes()[:buf.Len()/2])
		write("notes.txt", []byte("not a picture\n"))
	}
	return paths
}

// distinctColors counts the distinct RGB colours of img.
func distinctColors(img image.Image) int {
	seen := map[[3]uint32]bool{}
	b := img.Bounds()
	for y := b.Min.Y; y < b.Max.Y; y++ {
		for x := b.Min.X; x < b.Max.X; x++ {
			r, g, bl, _ := img.At(x, y).RGBA()
			seen[[3]uint32{r, g, bl}] = true
		}
	}
	return len(seen)
}

// pageStatus is what window.wganStatus() returns, and whether both losses
// are finite numbers (JSON has no NaN).
type pageStatus struct {
	State              string  `json:"state"` // idle, training, paused or error
	Iteration          int     `json:"iteration"`
	LossD              float64 `json:"lossD"`
	LossDUnregularized float64 `json:"lossDUnregularized"`
	Backend            string  `json:"backend"` // webgpu or cpu
	Adapter            string  `json:"adapter"`
	Images             int     `json:"images"`
	Skipped            int     `json:"skipped"`
	Finite             bool    `json:"finite"`
	KeptIteration      int     `json:"keptIteration"` // the checkpoint committed to IndexedDB
	Done               bool    `json:"done"`
	DeviceBytes        int64   `json:"deviceBytes"` // held on the GPU device; -1 on the CPU engine
	HeapBytes          int64   `json:"heapBytes"`   // the trainer's WebAssembly memory
	DeviceOpens        int     `json:"deviceOpens"` // backends the trainer opened
	Line               string  `json:"line"`        // the status line under the view
}

const statusJS = `(() => {
	const s = window.wganStatus();
	return Object.assign({}, s, {finite: Number.isFinite(s.lossD) && Number.isFinite(s.lossDUnregularized)});
})()`

// A trainerPage is the page, loaded in a browser tab.
type trainerPage struct {
	t   testing.TB
	ctx context.Context
	// slowest is the longest that wganStatus took to answer, and the
	// status line it answered then: the page's main thread must not stall.
	slowest     time.Duration
	slowestLine string
}

// openPage serves the page on 127.0.0.1, loads it with the query string and
// waits until window.wganStatus answers.
func openPage(t testing.TB, ctx context.Context, query string) *trainerPage {
	t.Helper()
	srv := httptest.NewServer(web.Handler(pageDir(t)))
	t.Cleanup(srv.Close)
	if err := chromedp.Do(ctx, chromedp.Navigate(srv.URL+"/?"+query)); err != nil {
		t.Fatal(err)
	}
	p := &trainerPage{t: t, ctx: ctx}
	p.ready()
	return p
}

// ready waits until window.wganStatus answers.
func (p *trainerPage) ready() {
	p.t.Helper()
	ctx, cancel := context.WithTimeout(p.ctx, 2*time.Minute)
	defer cancel()
	if err := chromedp.Do(ctx, chromedp.Poll[chromedp.Void](`typeof window.wganStatus === "function"`,
		chromedp.WithPollingInterval(100*time.Millisecond), chromedp.WithPollingTimeout(0))); err != nil {
		p.t.Fatalf("waiting for window.wganStatus: %v", err)
	}
}

// status returns window.wganStatus(); the page must answer within 5 s.
func (p *trainerPage) status() pageStatus {
	p.t.Helper()
	began := time.Now()
	s, err := evalJS[pageStatus](p.ctx, 5*time.Second, statusJS)
	if err != nil {
		p.t.Fatalf("wganStatus(): %v", err)
	}
	if took := time.Since(began); took > p.slowest {
		p.slowest, p.slowestLine = took, s.Line
	}
	return s
}

// wait polls the status until done holds, failing the test if the page
// reports an error or limit passes; it logs each new state and iteration.
func (p *trainerPage) wait(what string, limit time.Duration, done func(pageStatus) bool) pageStatus {
	p.t.Helper()
	start := time.Now()
	var last pageStatus
	for {
		s := p.status()
		if s.State != last.State || s.Iteration != last.Iteration {
			p.t.Logf("%5.1f s: %+v", time.Since(start).Seconds(), s)
			last = s
		}
		if done(s) {
			return s
		}
		if s.State == "error" {
			p.t.Fatalf("waiting for %s: the page reports an error: %+v", what, s)
		}
		if time.Since(start) > limit {
			p.t.Fatalf("no %s after %v: %+v", what, limit, s)
		}
		time.Sleep(250 * time.Millisecond)
	}
}

// upload sets the files of the page's file input.
func (p *trainerPage) upload(paths []string) {
	p.t.Helper()
	if err := chromedp.Do(p.ctx, chromedp.SetUploadFiles(chromedp.ID("files"), paths)); err != nil {
		p.t.Fatalf("setting %d files on #files: %v", len(paths), err)
	}
}

// click clicks the button with this id once it is shown and enabled.
func (p *trainerPage) click(id string) {
	p.t.Helper()
	ctx, cancel := context.WithTimeout(p.ctx, time.Minute)
	defer cancel()
	// chromedp's WaitEnabled reads its own copy of the attributes, which
	// misses changes here: ask the page.
	usable := fmt.Sprintf(`(() => { const b = document.getElementById(%q); return !!b && !b.disabled && !b.hidden; })()`, id)
	err := chromedp.Do(ctx,
		chromedp.Poll[chromedp.Void](usable, chromedp.WithPollingInterval(100*time.Millisecond), chromedp.WithPollingTimeout(0)),
		chromedp.Click(chromedp.ID(id)))
	if err != nil {
		p.t.Fatalf("clicking #%s: %v", id, err)
	}
}

// reload reloads the page and waits until window.wganStatus answers.
func (p *trainerPage) reload() {
	p.t.Helper()
	if err := chromedp.Do(p.ctx, chromedp.Reload()); err != nil {
		p.t.Fatal(err)
	}
	p.ready()
}

// download clicks the button with this id and returns the bytes of the
// file the page then offers (window.wganLastDownload()), whose name must end
// with suffix.
func (p *trainerPage) download(id, suffix string) []byte {
	p.t.Helper()
	// The bytes travel as base64: a Uint8Array has no JSON form.
	const lastJS = `(() => {
		const d = window.wganLastDownload();
		if (!d) return null;
		let s = "";
		for (let i = 0; i < d.bytes.length; i += 0x8000) s += String.fromCharCode(...d.bytes.subarray(i, i + 0x8000));
		return {name: d.name, bytes: btoa(s)};
	})()`
	type offered struct {
		Name  string `json:"name"`
		Bytes string `json:"bytes"`
	}
	before, err := evalJS[*offered](p.ctx, 5*time.Second, lastJS)
	if err != nil {
		p.t.Fatalf("wganLastDownload(): %v", err)
	}
	p.click(id)
	for start := time.Now(); ; time.Sleep(250 * time.Millisecond) {
		d, err := evalJS[*offered](p.ctx, 10*time.Second, lastJS)
		if err != nil {
			p.t.Fatalf("wganLastDownload(): %v", err)
		}
		if d != nil && (before == nil || *d != *before) {
			if !strings.HasSuffix(d.Name, suffix) {
				p.t.Errorf("#%s offered %q, want a name ending with %q", id, d.Name, suffix)
			}
			b, err := base64.StdEncoding.DecodeString(d.Bytes)
			if err != nil {
				p.t.Fatal(err)
			}
			p.t.Logf("#%s offered %s, %d bytes", id, d.Name, len(b))
			return b
		}
		if time.Since(start) > time.Minute {
			p.t.Fatalf("#%s offered no new file in a minute", id)
		}
	}
}

// canvasPixels returns what the largest canvas of the page, or of a frame
// of it (the viewer is an iframe), shows, from a screenshot.
func (p *trainerPage) canvasPixels() image.Image {
	p.t.Helper()
	type rect struct{ X, Y, Width, Height float64 }
	r, err := evalJS[*rect](p.ctx, 5*time.Second, `(() => {
		let best = null, area = 0;
		const look = (doc, dx, dy) => {
			for (const c of doc.querySelectorAll("canvas")) {
				const r = c.getBoundingClientRect();
				if (r.width * r.height > area) {
					area = r.width * r.height;
					best = {X: dx + r.x, Y: dy + r.y, Width: r.width, Height: r.height};
				}
			}
			for (const f of doc.querySelectorAll("iframe")) {
				const r = f.getBoundingClientRect();
				if (f.contentDocument) look(f.contentDocument, dx + r.x + f.clientLeft, dy + r.y + f.clientTop);
			}
		};
		look(document, 0, 0);
		return best;
	})()`)
	if err != nil {
		p.t.Fatalf("finding the canvas: %v", err)
	}
	if r == nil {
		p.t.Fatal("the page has no canvas")
	}
	shot, err := chromedp.Run(p.ctx, func(ctx context.Context, t *chromedp.Target) ([]byte, error) {
		res, err := cdp.Call(ctx, t, page.CaptureScreenshot, page.CaptureScreenshotParams{
			Clip: &page.Viewport{X: r.X, Y: r.Y, Width: r.Width, Height: r.Height, Scale: 1},
		})
		return res.Data, err
	})
	if err != nil {
		p.t.Fatalf("screenshot: %v", err)
	}
	img, err := png.Decode(bytes.NewReader(shot))
	if err != nil {
		p.t.Fatalf("screenshot: %v", err)
	}
	p.t.Logf("canvas at %+v", *r)
	return img
}

// framesPerSecond counts the animation frames the page draws in a second:
// a page whose main thread is busy draws few.
func (p *trainerPage) framesPerSecond() int {
	p.t.Helper()
	n, err := evalJS[int](p.ctx, 10*time.Second, `new Promise(done => {
		let n = 0;
		const start = performance.now();
		const frame = now => { n++; if (now - start < 1000) requestAnimationFrame(frame); else done(n); };
		requestAnimationFrame(frame);
	})`)
	if err != nil {
		p.t.Fatalf("counting animation frames: %v", err)
	}
	return n
}

// screenshot saves the whole page as PNG into $WGANGP_SCREENSHOTS/name.png
// when that variable names a folder, for a person to look at.
func (p *trainerPage) screenshot(name string) {
	p.t.Helper()
	dir := os.Getenv("WGANGP_SCREENSHOTS")
	if dir == "" {
		return
	}
	shot, err := chromedp.Run(p.ctx, func(ctx context.Context, t *chromedp.Target) ([]byte, error) {
		res, err := cdp.Call(ctx, t, page.CaptureScreenshot, page.CaptureScreenshotParams{})
		return res.Data, err
	})
	if err != nil {
		p.t.Fatalf("screenshot: %v", err)
	}
	if err := os.WriteFile(filepath.Join(dir, name+".png"), shot, 0o644); err != nil {
		p.t.Fatal(err)
	}
}
