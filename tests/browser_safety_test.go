package tests

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/storage"
	"github.com/chromedp/chromedp"
)

// TestBrowserSafety is the page's side of issue 10, on the CPU path: a
// garbage file given to Load weights gives a clear message and leaves the
// page working, and a full browser storage says what was not kept while
// training goes on.
func TestBrowserSafety(t *testing.T) {
	requireChromium(t)
	ctx := newBrowser(t, false)
	p := openPage(t, ctx, "filters=4&batch=8&every=1&checkpointEvery=1&iterations=3")
	notices := func(want string) string {
		t.Helper()
		var text string
		for start := time.Now(); time.Since(start) < time.Minute; time.Sleep(200 * time.Millisecond) {
			var err error
			if text, err = evalJS[string](ctx, 5*time.Second, `document.getElementById("notice").textContent`); err != nil {
				t.Fatal(err)
			}
			if strings.Contains(text, want) {
				return text
			}
		}
		t.Fatalf("no notice saying %q; the notices say %q", want, text)
		return ""
	}

	garbage := filepath.Join(t.TempDir(), "garbage.safetensors")
	if err := os.WriteFile(garbage, []byte("\x10\x00\x00\x00\x00\x00\x00\x00not tensors at all"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := chromedp.Do(ctx, chromedp.SetUploadFiles(chromedp.ID("load-weights"), []string{garbage})); err != nil {
		t.Fatal(err)
	}
	notices("garbage.safetensors: safetensors: ")
	if s := p.status(); s.State == "error" {
		t.Fatalf("a bad weights file put the page in the error state: %+v", s)
	}

	origin, err := evalJS[string](ctx, 5*time.Second, `location.origin`)
	if err != nil {
		t.Fatal(err)
	}
	quota := 1024.0
	if _, err := chromedp.Run(ctx, func(ctx context.Context, tg *chromedp.Target) (cdp.Empty, error) {
		return cdp.Call(ctx, tg, storage.OverrideQuotaForOrigin, storage.OverrideQuotaForOriginParams{Origin: origin, QuotaSize: &quota})
	}); err != nil {
		t.Fatal(err)
	}
	p.upload(uploads(t, 16, false))
	p.wait("16 pictures read", time.Minute, func(s pageStatus) bool { return s.Images == 16 })
	p.click("start")
	notices("storage for this page is full")
	p.wait("training past the failed save", 2*time.Minute, func(s pageStatus) bool { return s.Iteration >= 2 })
	// Its checkpoints are not kept either (they would replace another
	// run's), said once.
	text := notices("this run's pictures are not kept in the browser")
	if n := strings.Count(text, "are not kept in the browser"); n != 1 {
		t.Errorf("the unkept checkpoints were mentioned %d times: %q", n, text)
	}
}
