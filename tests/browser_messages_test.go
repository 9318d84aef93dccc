package tests

import (
	"regexp"
	"strings"
	"testing"
	"time"
)

// TestBrowserMessages checks the page's messages at the JavaScript
// boundary (package cmd/wasm/message, web/messages.js): a message the
// trainer or the view cannot read, and one the page cannot read, each give
// a notice naming the message and the field, and the page goes on working.
func TestBrowserMessages(t *testing.T) {
	requireChromium(t)
	ctx := newBrowser(t, false)
	p := openPage(t, ctx, "filters=4&batch=8&every=1&iterations=2")
	p.wait("the trainer ready", time.Minute, func(s pageStatus) bool { return s.Backend != "" })
	notices := func(want string) {
		t.Helper()
		var text string
		for start := time.Now(); time.Since(start) < 30*time.Second; time.Sleep(200 * time.Millisecond) {
			var err error
			if text, err = evalJS[string](ctx, 5*time.Second, `document.getElementById("notice").textContent`); err != nil {
				t.Fatal(err)
			}
			if strings.Contains(text, want) {
				return
			}
		}
		t.Errorf("no notice saying %q; the notices say %q", want, text)
	}

	// The trainer's Go decoder, through FromJS.
	for _, c := range []struct{ post, want string }{
		{`{type: "start", options: {}}`, `message "start" from the page: field "images" is missing`},
		{`{type: "strat"}`, `unknown message type "strat" from the page`},
		{`{type: "start", options: {filters: 2.5}, images: []}`, `field "options.filters" is the number 2.5, want a whole number`},
		{`{type: "load-weights", name: "w", bytes: new Int32Array(2)}`, `field "bytes" is a JavaScript Int32Array, want bytes (a Uint8Array)`},
	} {
		if _, err := evalJS[bool](ctx, 5*time.Second, `(window.wganPostRaw(`+c.post+`), true)`); err != nil {
			t.Fatal(err)
		}
		notices(c.want)
	}

	// The view's: a frame it cannot read, through the iframe's realm.
	if _, err := evalJS[bool](ctx, 5*time.Second, `(document.getElementById("viewer").contentWindow.wganShowFrame({type: "frame", title: 1}), true)`); err != nil {
		t.Fatal(err)
	}
	notices(`The view could not read the page's frame: message "frame" from the page: field "title" is the number 1, want a string`)
	if _, err := evalJS[bool](ctx, 5*time.Second, `(window.wganViewerEvent({type: "zoom"}), true)`); err != nil {
		t.Fatal(err)
	}
	notices(`The page could not read the view's event: unknown message type "zoom" from the view`)

	// messages.js itself: what the page reads from the trainer, and what it
	// refuses to write.
	got, err := evalJS[[]string](ctx, 5*time.Second, `import("./messages.js").then((m) => {
		const said = (f) => { try { f(); return "no error"; } catch (e) { return e.name + ": " + e.message; } };
		return [
			said(() => m.read("workerToPage", {type: "status", state: "idle"})),
			said(() => m.read("workerToPage", {type: "frame", gridLabel: "", grid: {width: 1, height: 1, pixels: "x"}})),
			said(() => m.read("workerToPage", {type: "notice", message: "hello", extra: 1})),
			said(() => m.read("workerToPage", {type: "teleport"})),
			said(() => m.write("pageToWorker", "init", {})),
			said(() => m.write("pageToWorker", "flowers", {count: 8})),
			said(() => m.read("workerToPage", {type: "checkpoint", iteration: 2, bytes: new Uint8Array(3)})),
		];
	})`)
	if err != nil {
		t.Fatal(err)
	}
	want := []string{
		`MessageError: message "status" from the trainer: field "iteration" is missing`,
		`MessageError: message "frame" from the trainer: field "grid.pixels" is a string, want bytes (a Uint8Array)`,
		`MessageError: message "notice" from the trainer: field "extra" is not one of this message's (message)`,
		`MessageError: unknown message type "teleport" from the trainer (known: calibration, checkpoint, decoded, error, file, flowers, frame, notice, ready, status)`,
		`MessageError: message "init" from the page: field "backend" is missing`,
		"no error",
		"no error",
	}
	for i := range want {
		if i >= len(got) || got[i] != want[i] {
			t.Errorf("messages.js case %d: %q, want %q", i, at(got, i), want[i])
		}
	}

	// The page still trains, on messages that are right.
	p.upload(uploads(t, 8, false))
	p.wait("8 pictures read", time.Minute, func(s pageStatus) bool { return s.Images == 8 })
	p.click("start")
	p.wait("an iteration", 2*time.Minute, func(s pageStatus) bool { return s.Iteration >= 1 })
}

func at(s []string, i int) string {
	if i < len(s) {
		return s[i]
	}
	return "(none)"
}

// TestBrowserCalibration: before Start, the preset list shows each
// preset's time per iteration measured on this machine and the ETA of its
// iterations (the CPU path: tiny is timed, the larger ones scaled from it).
func TestBrowserCalibration(t *testing.T) {
	requireChromium(t)
	ctx := newBrowser(t, false)
	p := openPage(t, ctx, "")
	p.wait("the trainer ready", time.Minute, func(s pageStatus) bool { return s.Backend != "" })
	measured := regexp.MustCompile(`^tiny — F=8, batch 16 · ≈ [0-9.]+ s per iteration here, 6,000 iterations ≈ [0-9]+( h [0-9]+ min| min| s)$`)
	var list []string
	began := time.Now()
	for ; time.Since(began) < time.Minute; time.Sleep(200 * time.Millisecond) {
		var err error
		if list, err = evalJS[[]string](ctx, 5*time.Second, `Array.from(document.getElementById("preset").options, (o) => o.textContent)`); err != nil {
			t.Fatal(err)
		}
		if len(list) == 4 && !strings.Contains(strings.Join(list, "\n"), "measuring") {
			break
		}
	}
	t.Logf("after %.1f s the preset list says %q", time.Since(began).Seconds(), list)
	if s := p.status(); s.State != "idle" || s.Iteration != 0 {
		t.Errorf("the page is %q at iteration %d, want idle before Start", s.State, s.Iteration)
	}
	if len(list) != 4 {
		t.Fatalf("the preset list has %d entries: %q", len(list), list)
	}
	if !measured.MatchString(list[3]) {
		t.Errorf("tiny's entry says %q, want its measured time and ETA", list[3])
	}
	if !strings.Contains(list[0], "≈") || !strings.Contains(list[0], ", 10,000 iterations ≈ ") || !strings.HasSuffix(list[0], " (scaled from tiny)") {
		t.Errorf("seed's entry says %q, want a time scaled from tiny's", list[0])
	}
	about, err := evalJS[string](ctx, 5*time.Second, `document.getElementById("preset-about").textContent`)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(about, "Here: ≈ ") {
		t.Errorf("the preset's description says %q, without its time here", about)
	}
	p.screenshot("calibration")
}
