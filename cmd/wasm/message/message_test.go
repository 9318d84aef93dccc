package message

import (
	"flag"
	"math"
	"os"
	"path/filepath"
	"reflect"
	"testing"

	"github.com/stretchr/testify/require"
)

var update = flag.Bool("update", false, "rewrite web/messages_schema.js from the definitions")

func f32(v float32) *float32 { return &v }
func f64(v float64) *float64 { return &v }

// samples holds a message of every type with every field set (and some
// with the optional ones left out), by channel.
var samples = map[*Channel][]any{
	PageToWorker: {
		Init{Backend: "webgpu"},
		Start{Options: Options{Preset: "tiny", Filters: 4, Batch: 2, Iterations: 3, Every: 1, CheckpointEvery: 2,
			Seed: 1 << 40, Recipe: "paper", EMA: f64(0.999)}, Images: []Image{{Name: "a.png", RGBA: []byte{1, 2, 3, 4}}, {Name: "b", RGBA: []byte{}}}},
		Start{Options: Options{EMA: f64(0)}, Images: []Image{}},
		ResumeCheckpoint{Bytes: []byte("ck"), Images: []Image{{Name: "x", RGBA: []byte{9}}}, Options: Options{Iterations: 40}},
		Pause{}, Resume{}, Reset{},
		LoadWeights{Name: "w.safetensors", Bytes: []byte{0, 1}},
		GetWeights{}, GetGrid{}, GetCheckpoint{},
		Decode{ID: 7, Name: "a.tiff", Bytes: []byte{2}},
		DrawFlowers{Count: 8}, DrawFlowers{},
		Calibrate{}, Calibrate{Iterations: 500},
	},
	WorkerToPage: {
		Ready{Backend: "cpu", Adapter: "CPU", Software: true, Reason: "why", Preset: "tiny",
			Presets: []Preset{{Name: "tiny", Filters: 8, Batch: 16, Iterations: 1000, About: "small"}}},
		Status{State: "training", Iteration: 3, Iterations: 10, Done: true, LossD: f32(0.5), LossDUnregularized: f32(-1.25),
			Penalty: f32(3), LossG: f32(float32(math.Pi)), ItPerSec: 0.125, ElapsedMs: 1 << 40, Title: "t", Line: "l",
			Filters: 4, Batch: 2, Backend: "webgpu", Adapter: "a", Error: "e", DeviceBytes: -1, HeapBytes: 1 << 33, DeviceOpens: 2},
		Status{State: "idle", DeviceBytes: -1},
		Frame{Grid: &Grid{Width: 2, Height: 1, Pixels: make([]byte, 8)}, GridLabel: "g", LossD: []float32{1, 2},
			LossDUnregularized: []float32{3, 4}, SWDIterations: []float64{0, 250}, SWD: []float64{230.5, 228.8},
			SWDFloor: 19, Diversity: "0.1", Title: "t", Line: "l"},
		Frame{LossD: []float32{}, LossDUnregularized: []float32{}, SWDIterations: []float64{}, SWD: []float64{}},
		Checkpoint{Iteration: 200, Bytes: []byte("ck")},
		File{Name: "grid.png", Mime: "image/png", Bytes: []byte{1}},
		Flowers{Images: []Image{{Name: "flower-0001.png", RGBA: []byte{5}}}, Done: 1, Total: 2},
		Decoded{ID: 3, Name: "a.png", RGBA: []byte{1}},
		Decoded{ID: 4, Name: "notes.txt", Error: "not an image"},
		Calibration{Preset: "tiny", Seconds: 0.6, Text: "≈ 0.60 s"},
		Calibration{Preset: "small", Seconds: 4.8, From: "tiny", Text: "≈ 4.8 s"},
		Calibration{Preset: "seed", Error: "out of memory", Text: "not measured"},
		Notice{Message: "n"},
		Error{Message: "e", Fatal: true},
		Error{Message: "e"},
	},
	PageToViewer: {
		ViewFrame{Title: "t", Line: "l", GridLabel: "g", Grid: &Grid{Width: 1, Height: 1, Pixels: []byte{1, 2, 3, 4}},
			LossD: []float32{1}, LossDUnregularized: []float32{2}, SWDIterations: []float64{0}, SWD: []float64{1}, SWDFloor: 2, Diversity: "d"},
		ViewFrame{KeepGrid: true, LossD: []float32{}, LossDUnregularized: []float32{}, SWDIterations: []float64{}, SWD: []float64{}},
	},
	ViewerToPage: {ViewReady{}, TogglePause{}, SaveGrid{}, ViewFailed{Message: "no WebGL"}, ViewError{Message: "bad"}},
}

// throughJS is what a plain value becomes on its way through JavaScript
// and FromJS: every number a float64.
func throughJS(v any) any {
	switch x := v.(type) {
	case map[string]any:
		out := map[string]any{}
		for k, e := range x {
			out[k] = throughJS(e)
		}
		return out
	case []any:
		out := make([]any, len(x))
		for i, e := range x {
			out[i] = throughJS(e)
		}
		return out
	}
	if f, ok := number(v); ok {
		return f
	}
	return v
}

// TestRoundTrip: every message of every channel decodes to itself, from
// Encode's value and from that value after JavaScript; every type of a
// channel has a sample.
func TestRoundTrip(t *testing.T) {
	for name, c := range Channels {
		seen := map[string]bool{}
		for _, m := range samples[c] {
			typ := TypeOf(m)
			seen[typ] = true
			plain := Encode(m)
			require.Equal(t, typ, plain["type"])
			for _, v := range []any{plain, throughJS(plain)} {
				got, err := c.Decode(v)
				require.NoError(t, err, "%s %s", name, typ)
				require.Equal(t, m, got, "%s %s", name, typ)
			}
		}
		for _, typ := range c.Types() {
			require.True(t, seen[typ], "%s: no sample of %q", name, typ)
		}
	}
}

// TestEncodeShape: the plain value has the keys and the value kinds the
// page reads (the typed arrays as slices, nil ones empty; optional zero
// fields and nil pointers left out).
func TestEncodeShape(t *testing.T) {
	st := Encode(Status{State: "idle", DeviceBytes: -1})
	require.Equal(t, "status", st["type"])
	require.Equal(t, -1, int(st["deviceBytes"].(int64)))
	require.NotContains(t, st, "lossD")
	require.NotContains(t, st, "filters")
	require.Contains(t, st, "iteration")
	require.Equal(t, 0.5, Encode(Status{LossD: f32(0.5)})["lossD"])

	fr := Encode(Frame{})
	require.Equal(t, []float32{}, fr["lossD"])
	require.Equal(t, []float64{}, fr["swd"])
	require.NotContains(t, fr, "grid")

	fl := Encode(Flowers{Images: []Image{{Name: "a", RGBA: []byte{1}}}})
	require.Equal(t, []any{map[string]any{"name": "a", "rgba": []byte{1}}}, fl["images"])

	require.Equal(t, map[string]any{"type": "pause"}, Encode(Pause{}))
	require.Equal(t, "unregistered struct {}", Encode(struct{}{})["type"])
}

// TestMalformed: an unknown type or a malformed message is an error naming
// the message and the field.
func TestMalformed(t *testing.T) {
	for _, tc := range []struct {
		c    *Channel
		v    any
		want string
	}{
		{PageToWorker, "start", `a message from the page is a string, not an object`},
		{PageToWorker, nil, `a message from the page is null, not an object`},
		{PageToWorker, map[string]any{"backend": "cpu"}, `a message from the page has no type (keys: backend)`},
		{PageToWorker, map[string]any{"type": 3.0}, `a message from the page has a type that is the number 3, not a string`},
		{PageToWorker, map[string]any{"type": "strat"}, `unknown message type "strat" from the page (known: calibrate, decode, flowers, get-checkpoint, get-grid, get-weights, init, load-weights, pause, reset, resume, resume-checkpoint, start)`},
		{WorkerToPage, map[string]any{"type": "start"}, `unknown message type "start" from the trainer`},
		{PageToWorker, map[string]any{"type": "start", "options": map[string]any{}}, `message "start" from the page: field "images" is missing`},
		{PageToWorker, map[string]any{"type": "start", "options": map[string]any{}, "images": map[string]any{}},
			`message "start" from the page: field "images" is an object, want an array of objects`},
		{PageToWorker, map[string]any{"type": "start", "options": map[string]any{}, "images": []any{map[string]any{"name": "a"}}},
			`message "start" from the page: field "images[0].rgba" is missing`},
		{PageToWorker, map[string]any{"type": "start", "options": map[string]any{}, "images": []any{map[string]any{"name": "a", "rgba": "xx"}}},
			`message "start" from the page: field "images[0].rgba" is a string, want bytes (a Uint8Array)`},
		{PageToWorker, map[string]any{"type": "start", "options": map[string]any{"filters": 2.5}, "images": []any{}},
			`message "start" from the page: field "options.filters" is the number 2.5, want a whole number`},
		{PageToWorker, map[string]any{"type": "start", "options": map[string]any{"seed": -1.0}, "images": []any{}},
			`field "options.seed" is the number -1, want a whole number ≥ 0`},
		{PageToWorker, map[string]any{"type": "start", "options": map[string]any{"ema": "0.9"}, "images": []any{}},
			`field "options.ema" is a string, want a number or null`},
		{PageToWorker, map[string]any{"type": "start", "options": map[string]any{"checkpointevery": 3.0}, "images": []any{}},
			`message "start" from the page: field "options.checkpointevery" is not one of this message's (preset, filters, batch, iterations, every, checkpointEvery, seed, recipe, ema)`},
		{PageToWorker, map[string]any{"type": "pause", "now": true}, `message "pause" from the page: field "now" is not one of this message's (it has none)`},
		{PageToWorker, map[string]any{"type": "init", "backend": nil}, `message "init" from the page: field "backend" is null, want a string`},
		{PageToWorker, map[string]any{"type": "decode", "id": math.NaN(), "name": "a", "bytes": []byte{}}, `field "id" is NaN, want a whole number`},
		{PageToWorker, map[string]any{"type": "load-weights", "name": "w", "bytes": Foreign("a JavaScript Int32Array")},
			`message "load-weights" from the page: field "bytes" is a JavaScript Int32Array, want bytes (a Uint8Array)`},
		{WorkerToPage, map[string]any{"type": "status"}, `message "status" from the trainer: field "state" is missing`},
		{WorkerToPage, map[string]any{"type": "notice", "message": true}, `message "notice" from the trainer: field "message" is a boolean, want a string`},
		{PageToViewer, map[string]any{"type": "frame", "title": "t", "line": "l", "gridLabel": "", "lossD": []float64{1},
			"lossDUnregularized": []float32{}, "swdIterations": []float64{}, "swd": []float64{}, "swdFloor": 0.0, "diversity": ""},
			`message "frame" from the page: field "lossD" is a Float64Array, want a Float32Array`},
		{PageToViewer, map[string]any{"type": "frame", "title": "t", "line": "l", "gridLabel": "", "grid": map[string]any{"width": 1.0, "height": 1.0},
			"lossD": []float32{}, "lossDUnregularized": []float32{}, "swdIterations": []float64{}, "swd": []float64{}, "swdFloor": 0.0, "diversity": ""},
			`message "frame" from the page: field "grid.pixels" is missing`},
		{ViewerToPage, map[string]any{"type": "toggle"}, `unknown message type "toggle" from the view`},
	} {
		_, err := tc.c.Decode(tc.v)
		require.Error(t, err, "%v", tc.v)
		require.Contains(t, err.Error(), tc.want)
	}
	// null is a nil pointer.
	m, err := PageToWorker.Decode(map[string]any{"type": "start", "options": map[string]any{"ema": nil}, "images": []any{}})
	require.NoError(t, err)
	require.Nil(t, m.(Start).Options.EMA)
}

// TestSchemaUpToDate: web/messages_schema.js is the schema of these
// definitions (-update rewrites it).
func TestSchemaUpToDate(t *testing.T) {
	path := filepath.Join("..", "..", "..", filepath.FromSlash(SchemaPath))
	if *update {
		require.NoError(t, os.WriteFile(path, []byte(Schema()), 0o644))
	}
	b, err := os.ReadFile(path)
	require.NoError(t, err)
	require.Equal(t, Schema(), string(b), "%s is stale: go test ./cmd/wasm/message -run Schema -update", SchemaPath)
	require.Contains(t, string(b), `"key": "checkpointEvery",`)
}

// TestFieldKinds: every field of every message has a kind the codec and
// the schema know.
func TestFieldKinds(t *testing.T) {
	var check func(reflect.Type)
	check = func(t2 reflect.Type) {
		for _, f := range fieldsOf(t2) {
			ft := f.typ
			if ft.Kind() == reflect.Pointer {
				ft = ft.Elem()
			}
			if ft.Kind() == reflect.Slice && ft.Elem().Kind() == reflect.Struct {
				check(ft.Elem())
				continue
			}
			if ft.Kind() == reflect.Struct {
				check(ft)
				continue
			}
			require.NotEqual(t, ft.String(), want(ft), "%s.%s", t2, f.key)
		}
	}
	for _, c := range Channels {
		for _, typ := range c.Types() {
			check(c.byName[typ])
		}
	}
}
