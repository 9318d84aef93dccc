package tests

import (
	"bytes"
	"flag"
	"image/png"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/wgangp/wgangp/safetensors"
	"github.com/wgangp/wgangp/wgan"
)

// The browser tests load the page (package web) in Debian's headless
// Chromium and drive it as a user would. They take about five minutes on
// two cores (compiling the model on SwiftShader takes most of it); -short
// skips them, and so does a machine without /usr/bin/chromium, except under
// CI=true, where that is a failure.

var browserBench = flag.Bool("browserbench", false, "run TestBrowserBench: seconds per generator iteration of the page at F=8, batch 16 on headless Chromium's WebGPU (minutes)")

// TestBrowserWebGPU trains on WebGPU in the page (SwiftShader, the software
// adapter, where there is no GPU): upload, start, losses, grid, weights,
// pause and resume, and resume from the checkpoint after a reload.
func TestBrowserWebGPU(t *testing.T) {
	requireChromium(t)
	ctx := newBrowser(t, true)
	requireWebGPU(t, ctx)
	const filters, checkpointEvery = 4, 2
	p := openPage(t, ctx, "filters=4&batch=8&iterations=1000&every=1&checkpointEvery=2&backend=webgpu")

	p.upload(uploads(t, 70, true))
	s := p.wait("70 pictures read and 2 files skipped", time.Minute, func(s pageStatus) bool {
		return s.Images == 70 && s.Skipped == 2
	})
	if s.State != "idle" {
		t.Fatalf("after the upload: state %q, want idle", s.State)
	}

	p.click("start")
	s = p.wait("3 iterations", 6*time.Minute, func(s pageStatus) bool { return s.Iteration >= 3 })
	if s.State != "training" || s.Backend != "webgpu" {
		t.Fatalf("state %q on backend %q, want training on webgpu", s.State, s.Backend)
	}
	if !s.Finite {
		t.Errorf("losses not finite: lossD %v, lossD unregularized %v", s.LossD, s.LossDUnregularized)
	}
	t.Logf("adapter %q", s.Adapter)

	p.screenshot("webgpu-training")
	if n := distinctColors(p.canvasPixels()); n < 1000 {
		t.Errorf("the canvas shows %d distinct colours: no grid of generated pictures", n)
	}
	grid, err := png.Decode(bytes.NewReader(p.download("download-grid", ".png")))
	if err != nil {
		t.Fatalf("downloaded grid: %v", err)
	}
	if n := distinctColors(grid); n < 1000 {
		t.Errorf("the downloaded grid (%v) has %d distinct colours", grid.Bounds().Size(), n)
	}
	w, err := safetensors.Decode(p.download("download-weights", ".safetensors"))
	if err != nil {
		t.Fatalf("downloaded weights: %v", err)
	}
	if err := w.Check(wgan.Spec(filters, 100), ""); err != nil {
		t.Error(err)
	}

	p.click("pause")
	s = p.wait("paused", time.Minute, func(s pageStatus) bool { return s.State == "paused" })
	time.Sleep(2 * time.Second)
	if again := p.status(); again.Iteration != s.Iteration || again.State != "paused" {
		t.Errorf("paused at iteration %d, then state %q at iteration %d", s.Iteration, again.State, again.Iteration)
	}
	p.click("resume")
	s = p.wait("training again", 2*time.Minute, func(r pageStatus) bool { return r.Iteration > s.Iteration })
	p.click("pause")
	paused := p.wait("paused", time.Minute, func(s pageStatus) bool { return s.State == "paused" })

	// The last checkpoint was written at a multiple of checkpointEvery (and
	// on pausing); a reload resumes from the one committed to the browser's
	// storage, which the page says once the write is done.
	saved := paused.Iteration / checkpointEvery * checkpointEvery
	p.wait("the checkpoint kept", time.Minute, func(s pageStatus) bool { return s.KeptIteration >= saved })
	p.reload()
	if s := p.status(); s.State != "idle" || s.Iteration != 0 {
		t.Fatalf("after the reload: state %q at iteration %d, want idle at 0", s.State, s.Iteration)
	}
	p.click("resume-checkpoint")
	// While the model compiles, the page says training at iteration 0.
	s = p.wait("the checkpoint restored", 4*time.Minute, func(s pageStatus) bool { return s.Iteration > 0 })
	if s.Iteration < saved {
		t.Errorf("resumed at iteration %d, want at least %d (paused at %d, a checkpoint every %d)", s.Iteration, saved, paused.Iteration, checkpointEvery)
	}
	start := s.Iteration
	s = p.wait("an iteration after resuming", 3*time.Minute, func(s pageStatus) bool { return s.Iteration > start })
	if s.State != "training" || s.Backend != "webgpu" || !s.Finite {
		t.Errorf("after resuming: state %q, backend %q, lossD %v, lossD unregularized %v", s.State, s.Backend, s.LossD, s.LossDUnregularized)
	}
}

// TestBrowserTenRuns starts ten tiny runs one after another on WebGPU in
// the page, on the embedded flowers (its Flowers button): each frees the one before it without reopening the device, so
// the device memory held during a run is the same for each, and the
// trainer's WebAssembly memory stops growing after the first runs.
func TestBrowserTenRuns(t *testing.T) {
	requireChromium(t)
	ctx := newBrowser(t, true)
	requireWebGPU(t, ctx)
	p := openPage(t, ctx, "filters=4&batch=2&iterations=1&every=1&checkpointEvery=1&flowers=8&backend=webgpu")
	// The embedded flowers, with one button (flowers=8 asks for 8 of them).
	p.click("flowers")
	p.wait("8 flowers drawn", time.Minute, func(s pageStatus) bool { return s.Images == 8 })
	shown, err := evalJS[string](ctx, 5*time.Second, `document.querySelectorAll("#thumbs canvas").length + " " + document.getElementById("image-count").textContent`)
	if err != nil || shown != "8 8 images read." {
		t.Errorf("after the Flowers button the page shows %q (%v), want 8 thumbnails and \"8 images read.\"", shown, err)
	}
	p.screenshot("flowers")
	var device, heap []int64
	began := time.Now()
	for run := range 10 {
		limit := 30 * time.Second
		if run == 0 {
			limit = 4 * time.Minute // the first run compiles the pipelines
			// Only the answers from Start on count: the page's first
			// answers after it loads (on a cold machine the WebAssembly
			// start and the flowers) are not the compile.
			p.slowest, p.slowestLine = 0, ""
		}
		p.click("start")
		// Start resets the last run at once (iteration 0), then trains one.
		p.wait("the run started", limit, func(s pageStatus) bool { return !s.Done || s.Iteration == 0 })
		if run == 0 {
			// The first run compiles its pipelines, and the page counts them.
			s := p.wait("the kernels counted", limit, func(s pageStatus) bool { return strings.Contains(s.Line, "preparing kernels") || s.Iteration > 0 })
			if !regexp.MustCompile(`preparing kernels [0-9]+/[0-9]+$`).MatchString(s.Line) || s.Iteration > 0 {
				t.Errorf("before the first iteration the status line says %q at iteration %d, want \"preparing kernels N/M\"", s.Line, s.Iteration)
			}
			time.Sleep(time.Second) // the view draws the line at its next frame
			p.screenshot("preparing-kernels")
		}
		s := p.wait("the run done", limit, func(s pageStatus) bool { return s.Done && s.State == "idle" && s.Iteration == 1 })
		if run == 0 {
			// The pipelines compile off the page's threads
			// (createComputePipelineAsync): the page answers meanwhile.
			t.Logf("through the first run wganStatus answered within %v (slowest at %q)", p.slowest.Round(time.Millisecond), p.slowestLine)
			if p.slowest > 2*time.Second {
				t.Errorf("wganStatus took %v to answer at %q: the page stalled while the kernels compiled", p.slowest, p.slowestLine)
			}
		}
		if s.Backend != "webgpu" || s.DeviceOpens != 1 {
			t.Fatalf("run %d: backend %q, %d device opens; want webgpu opened once", run+1, s.Backend, s.DeviceOpens)
		}
		device, heap = append(device, s.DeviceBytes), append(heap, s.HeapBytes)
	}
	t.Logf("ten runs in %v; device bytes held at the end of each: %v; WebAssembly memory: %v", time.Since(began).Round(time.Second), device, heap)
	for i, d := range device {
		if d <= 0 || d != device[0] {
			t.Errorf("run %d holds %d bytes on the device, run 1 %d: a run's memory was not freed", i+1, d, device[0])
		}
	}
	// Go's memory may grow over the first runs as its heap finds its size;
	// past them, ten runs' programs kept alive would add megabytes each.
	if grown := heap[9] - heap[2]; grown > 8<<20 {
		t.Errorf("the WebAssembly memory grew by %d MiB from run 3 to run 10: %v", grown>>20, heap)
	}
	p.click("reset")
	if s := p.wait("reset", time.Minute, func(s pageStatus) bool { return !s.Done }); s.DeviceBytes != 0 {
		t.Errorf("after Reset the device holds %d bytes, want 0", s.DeviceBytes)
	}
}

// TestBrowserCPU trains on the page's CPU path: in a Chromium without
// WebGPU, which the page falls back from, and with backend=cpu in one with
// it. Training runs in a Worker, so the page keeps answering and drawing.
func TestBrowserCPU(t *testing.T) {
	requireChromium(t)
	for _, tc := range []struct {
		name   string
		webgpu bool
		query  string
	}{
		{"no-webgpu", false, "filters=4&batch=8&every=1"},
		{"backend=cpu", true, "filters=4&batch=8&every=1&backend=cpu"},
		{"software-adapter", true, "filters=4&batch=8&every=1"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ctx := newBrowser(t, tc.webgpu)
			if tc.name == "software-adapter" {
				requireWebGPU(t, ctx) // SwiftShader, this machine's only adapter
			}
			p := openPage(t, ctx, tc.query)
			if tc.name == "software-adapter" {
				// The page's rule: on a software adapter the CPU engine is the
				// faster path, and the page says why.
				p.wait("the trainer ready", time.Minute, func(s pageStatus) bool { return s.Backend != "" })
				var why string
				for start := time.Now(); time.Since(start) < 10*time.Second && !strings.Contains(why, "a software one"); time.Sleep(200 * time.Millisecond) {
					why, _ = evalJS[string](ctx, 5*time.Second, `document.getElementById("backend-line").textContent + " | " + document.getElementById("notice").textContent`)
				}
				if !strings.Contains(why, "swiftshader, a software one") || !strings.Contains(why, "faster path") || !strings.Contains(why, "backend=webgpu") {
					t.Errorf("the page does not say why it trains on the CPU: %q", why)
				}
				p.screenshot("software-adapter")
			}
			p.upload(uploads(t, 16, false))
			p.wait("16 pictures read", time.Minute, func(s pageStatus) bool { return s.Images == 16 })
			p.click("start")
			s := p.wait("training", time.Minute, func(s pageStatus) bool { return s.State == "training" })
			if s.Backend != "cpu" {
				t.Fatalf("training on backend %q, want cpu", s.Backend)
			}
			var slowest time.Duration
			var frames []int
			for began, last := time.Now(), s.Iteration; s.Iteration < 2; {
				start := time.Now()
				s = p.status()
				slowest = max(slowest, time.Since(start))
				frames = append(frames, p.framesPerSecond())
				if s.State != "training" {
					t.Fatalf("state %q at iteration %d", s.State, s.Iteration)
				}
				if s.Iteration != last {
					t.Logf("%5.1f s: iteration %d", time.Since(began).Seconds(), s.Iteration)
					last = s.Iteration
				}
			}
			if !s.Finite {
				t.Errorf("losses not finite: lossD %v, lossD unregularized %v", s.LossD, s.LossDUnregularized)
			}
			t.Logf("while training: wganStatus answered within %v; animation frames per second %v", slowest, frames)
			if slowest > 2*time.Second {
				t.Errorf("wganStatus took %v to answer while training", slowest)
			}
			if slices.Min(frames) < 5 {
				t.Errorf("animation frames per second while training: %v, want at least 5", frames)
			}
		})
	}
}

// TestBrowserBench measures the page at F=8, batch 16 on headless Chromium's
// WebGPU: the page weight, the time to the first generator iteration and
// the seconds per generator iteration. It runs only with -browserbench:
//
//	go test ./tests -run BrowserBench -browserbench -v -timeout 30m
func TestBrowserBench(t *testing.T) {
	if !*browserBench {
		t.Skip("run with -browserbench")
	}
	requireChromium(t)
	dir := pageDir(t)
	logPageWeight(t, dir)

	ctx := newBrowser(t, true)
	requireWebGPU(t, ctx)
	loaded := time.Now()
	p := openPage(t, ctx, "filters=8&batch=16&iterations=1000&every=1000&checkpointEvery=1000&backend=webgpu")
	p.wait("the trainer ready", 2*time.Minute, func(s pageStatus) bool { return s.Backend != "" })
	t.Logf("trainer ready %.1f s after navigating", time.Since(loaded).Seconds())
	p.upload(uploads(t, 64, false))
	p.wait("64 pictures read", time.Minute, func(s pageStatus) bool { return s.Images == 64 })

	const warmup, timed = 2, 5
	p.click("start")
	started := time.Now()
	seen := map[int]time.Time{} // iteration -> when the page first reported it
	for last := 0; last < warmup+timed; time.Sleep(100 * time.Millisecond) {
		s := p.status()
		if s.State == "error" {
			t.Fatalf("the page reports an error: %+v", s)
		}
		if s.Iteration > last {
			last = s.Iteration
			seen[last] = time.Now()
			t.Logf("iteration %d at %.1f s (%s, %s)", last, time.Since(started).Seconds(), s.Backend, s.Adapter)
		}
		if time.Since(started) > 20*time.Minute {
			t.Fatalf("timed out at iteration %d", last)
		}
	}
	var per []float64
	for i := warmup + 1; i <= warmup+timed; i++ {
		a, okA := seen[i-1]
		b, okB := seen[i]
		if okA && okB {
			per = append(per, b.Sub(a).Seconds())
		}
	}
	slices.Sort(per)
	t.Logf("time to first iteration: %.1f s after start", seen[1].Sub(started).Seconds())
	t.Logf("seconds per generator iteration (F=8, batch 16): median %.2f of %.2f", per[len(per)/2], per)
}
