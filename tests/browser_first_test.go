package tests

import (
	"testing"
	"time"
)

// TestBrowserFirstIteration measures the time from Start to the first
// generator iteration in the page at the tiny preset (F=8, batch 16), on
// the path the page picks and on each path forced: the figures of the
// README. It runs only with -browserbench:
//
//	go test ./tests -run BrowserFirstIteration -browserbench -v -timeout 20m
func TestBrowserFirstIteration(t *testing.T) {
	if !*browserBench {
		t.Skip("run with -browserbench")
	}
	requireChromium(t)
	for _, query := range []string{"", "backend=webgpu", "backend=cpu"} {
		t.Run("query="+query, func(t *testing.T) {
			ctx := newBrowser(t, true)
			requireWebGPU(t, ctx)
			p := openPage(t, ctx, "preset=tiny&iterations=1000&every=1000&checkpointEvery=1000&"+query)
			p.wait("the trainer ready", 2*time.Minute, func(s pageStatus) bool { return s.Backend != "" })
			p.upload(uploads(t, 64, false))
			p.wait("64 pictures read", time.Minute, func(s pageStatus) bool { return s.Images == 64 })
			p.click("start")
			started := time.Now()
			s := p.wait("the first iteration", 15*time.Minute, func(s pageStatus) bool { return s.Iteration >= 1 })
			first := time.Since(started)
			s = p.wait("the second iteration", 5*time.Minute, func(s pageStatus) bool { return s.Iteration >= 2 })
			t.Logf("FIGURE %q: first iteration %.1f s after Start, the second %.1f s later, on %s (%s)",
				query, first.Seconds(), time.Since(started).Seconds()-first.Seconds(), s.Backend, s.Adapter)
		})
	}
}
