package main

import (
	"bytes"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"math/rand/v2"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/wgangp/wgangp/cmd/wasm/message"

	"github.com/wgangp/wgangp/engine"
	"github.com/wgangp/wgangp/engine/cpu"
	"github.com/wgangp/wgangp/safetensors"
	"github.com/wgangp/wgangp/wgan/train"
)

// page records what the worker posts, as the plain values of package
// message, and checks that each decodes back to the message posted.
type page struct {
	t    *testing.T
	msgs []map[string]any
}

func (p *page) post(m message.ToPage) {
	plain := message.Encode(m)
	back, err := message.WorkerToPage.Decode(plain)
	if p.t != nil {
		require.NoError(p.t, err, "the worker posted a message the page cannot read")
		require.Equal(p.t, plain, message.Encode(back), "%s does not round-trip", plain["type"]) // nil slices come back empty
	}
	p.msgs = append(p.msgs, plain)
}

// gridPixels returns the pixels of a frame's grid.
func gridPixels(t *testing.T, frame map[string]any) []byte {
	t.Helper()
	g, ok := frame["grid"].(map[string]any)
	require.True(t, ok, "the frame has no grid")
	return g["pixels"].([]byte)
}

// last returns the last message of type typ.
func (p *page) last(t *testing.T, typ string) map[string]any {
	t.Helper()
	for i := len(p.msgs) - 1; i >= 0; i-- {
		if p.msgs[i]["type"] == typ {
			return p.msgs[i]
		}
	}
	t.Fatalf("no %q message among %d", typ, len(p.msgs))
	return nil
}

func (p *page) count(typ string) int {
	n := 0
	for _, m := range p.msgs {
		if m["type"] == typ {
			n++
		}
	}
	return n
}

func newTestWorker(t *testing.T) (*worker, *page) {
	p := &page{t: t}
	w := &worker{post: p.post, open: func(string) (engine.Backend, backendInfo, error) {
		return cpu.New[float32](1), backendInfo{Kind: kindCPU, Adapter: "test CPU", Software: true, Reason: "test"}, nil
	}}
	w.handle(message.Init{Backend: "auto"})
	ready := p.last(t, "ready")
	require.Equal(t, kindCPU, ready["backend"])
	require.Equal(t, "tiny", ready["preset"])
	return w, p
}

func uploads(n int) []message.Image {
	r := rand.New(rand.NewPCG(7, 7))
	ups := make([]message.Image, n)
	for i := range ups {
		px := make([]byte, 4*64*64)
		for k := range px {
			px[k] = byte(r.IntN(256))
		}
		ups[i] = message.Image{Name: fmt.Sprintf("%d.png", i), RGBA: px}
	}
	return ups
}

// runOpts is a model small enough for a test.
var runOpts = message.Options{Preset: "tiny", Filters: 4, Batch: 2, Iterations: 3, Every: 1, CheckpointEvery: 2}

// runToEnd steps the worker until it stops training.
func runToEnd(t *testing.T, w *worker) {
	t.Helper()
	for i := 0; w.state == stateTraining; i++ {
		require.Less(t, i, 100)
		w.step()
	}
}

func TestTrainCheckpointResume(t *testing.T) {
	w, p := newTestWorker(t)
	imgs := uploads(6)
	w.handle(message.Start{Options: runOpts, Images: imgs})
	require.Equal(t, stateTraining, w.state)
	w.step()
	st := p.last(t, "status")
	require.Equal(t, 1, st["iteration"])
	require.Equal(t, stateTraining, st["state"])
	fr := p.last(t, "frame")
	require.Len(t, gridPixels(t, fr), 4*320*320)
	require.Len(t, fr["lossD"], 1)

	w.step()
	ck := p.last(t, "checkpoint")
	require.Equal(t, 2, ck["iteration"])
	ckBytes := ck["bytes"].([]byte)

	runToEnd(t, w)
	st = p.last(t, "status")
	require.Equal(t, stateIdle, st["state"])
	require.Equal(t, true, st["done"])
	require.Equal(t, 3, st["iteration"])
	require.Equal(t, "25 new images from new random latents", p.last(t, "frame")["gridLabel"])

	w.handle(message.GetWeights{})
	file := p.last(t, "file")
	require.Equal(t, "weights.safetensors", file["name"])
	weights := file["bytes"].([]byte)

	// The same run made directly gives the same weights file, byte for byte.
	set, err := newSet(imgs)
	require.NoError(t, err)
	opt, err := w.options(runOpts)
	require.NoError(t, err)
	tr, err := train.New(cpu.New[float32](1), set, dataDesc(set), opt)
	require.NoError(t, err)
	for range 3 {
		_, err := tr.Step()
		require.NoError(t, err)
	}
	f, err := tr.Weights()
	require.NoError(t, err)
	require.True(t, bytes.Equal(f.Bytes(), weights), "weights differ from the direct run's")

	// Resuming from iteration 2 ends with the same weights.
	w.handle(message.ResumeCheckpoint{Bytes: ckBytes, Images: imgs})
	require.Equal(t, stateTraining, w.state)
	require.Equal(t, 2, p.last(t, "status")["iteration"])
	require.Len(t, p.last(t, "frame")["lossD"], 2)
	runToEnd(t, w)
	w.handle(message.GetWeights{})
	require.True(t, bytes.Equal(weights, p.last(t, "file")["bytes"].([]byte)), "resumed run's weights differ")

	// A finished run resumed is only ended, as the desktop ends it: its
	// checkpoint again and the grid of new latents.
	last := p.last(t, "checkpoint")["bytes"].([]byte)
	n := p.count("checkpoint")
	w.handle(message.ResumeCheckpoint{Bytes: last, Images: imgs})
	runToEnd(t, w)
	st = p.last(t, "status")
	require.Equal(t, stateIdle, st["state"])
	require.Equal(t, true, st["done"])
	require.Equal(t, 3, st["iteration"])
	require.Equal(t, "25 new images from new random latents", p.last(t, "frame")["gridLabel"])
	require.Equal(t, n+1, p.count("checkpoint"))

	// A larger target continues a finished run.
	w.handle(message.ResumeCheckpoint{Bytes: last, Images: imgs, Options: message.Options{Iterations: 4}})
	require.Equal(t, stateTraining, w.state)
	runToEnd(t, w)
	require.Equal(t, 4, p.last(t, "status")["iteration"])
}

func TestPauseResumeReset(t *testing.T) {
	w, p := newTestWorker(t)
	w.handle(message.Start{Options: runOpts, Images: uploads(4)})
	w.step()
	n := p.count("checkpoint")
	w.handle(message.Pause{})
	require.Equal(t, statePaused, p.last(t, "status")["state"])
	require.Equal(t, n+1, p.count("checkpoint"), "pausing keeps a checkpoint")
	require.Contains(t, p.last(t, "status")["line"], "PAUSED")
	w.handle(message.Resume{})
	require.Equal(t, stateTraining, p.last(t, "status")["state"])
	w.step()
	require.Equal(t, 2, p.last(t, "status")["iteration"])

	w.handle(message.GetGrid{})
	file := p.last(t, "file")
	require.Equal(t, "grid-000002.png", file["name"])
	img, err := png.Decode(bytes.NewReader(file["bytes"].([]byte)))
	require.NoError(t, err)
	require.Equal(t, image.Rect(0, 0, 320, 320), img.Bounds())

	w.handle(message.Reset{})
	st := p.last(t, "status")
	require.Equal(t, stateIdle, st["state"])
	require.Equal(t, 0, st["iteration"])
	w.handle(message.GetWeights{})
	require.Contains(t, p.last(t, "error")["message"], "no run")
}

func TestStartErrors(t *testing.T) {
	w, p := newTestWorker(t)
	w.handle(message.Start{Options: runOpts})
	require.Contains(t, p.last(t, "error")["message"], "no pictures")
	require.Equal(t, stateError, p.last(t, "status")["state"])

	w.handle(message.Start{Options: message.Options{Preset: "tiny", Filters: 4, Batch: 8}, Images: uploads(3)})
	require.Contains(t, p.last(t, "error")["message"], "need at least one minibatch of 8")

	w.handle(message.Start{Options: message.Options{Preset: "huge"}, Images: uploads(3)})
	require.Contains(t, p.last(t, "error")["message"], "unknown preset")

	// A good start leaves the error state.
	w.handle(message.Start{Options: runOpts, Images: uploads(3)})
	require.Equal(t, stateTraining, p.last(t, "status")["state"])
	require.Equal(t, "", p.last(t, "status")["error"])
}

func TestLoadWeights(t *testing.T) {
	w, p := newTestWorker(t)
	w.handle(message.Start{Options: runOpts, Images: uploads(4)})
	runToEnd(t, w)
	w.handle(message.GetWeights{})
	weights := p.last(t, "file")["bytes"].([]byte)
	w.handle(message.GetCheckpoint{})
	ck := p.last(t, "file")["bytes"].([]byte)
	w.handle(message.Reset{})

	for i, b := range [][]byte{weights, ck} {
		w.handle(message.LoadWeights{Name: "w.safetensors", Bytes: b})
		fr := p.last(t, "frame")
		require.Equal(t, fmt.Sprintf("25 images from w.safetensors (seed %d)", i+1), fr["gridLabel"])
		require.Len(t, gridPixels(t, fr), 4*320*320)
	}
	w.handle(message.LoadWeights{Name: "bad.safetensors", Bytes: []byte("nope")})
	require.Contains(t, p.last(t, "error")["message"], "bad.safetensors")
	_, err := safetensors.Decode(weights)
	require.NoError(t, err)
}

func TestDecode(t *testing.T) {
	w, p := newTestWorker(t)
	src := image.NewGray(image.Rect(0, 0, 130, 70))
	for i := range src.Pix {
		src.Pix[i] = uint8(i)
	}
	var buf bytes.Buffer
	require.NoError(t, png.Encode(&buf, src))
	w.handle(message.Decode{ID: 3, Name: "a.png", Bytes: buf.Bytes()})
	m := p.last(t, "decoded")
	require.Equal(t, 3, m["id"])
	rgba := m["rgba"].([]byte)
	require.Len(t, rgba, 4*64*64)
	require.Equal(t, rgba[0], rgba[1], "grey gives equal channels")

	w.handle(message.Decode{ID: 4, Name: "notes.txt", Bytes: []byte("hello, world")})
	require.Equal(t, "not an image (unknown format)", p.last(t, "decoded")["error"])

	huge := image.NewPaletted(image.Rect(0, 0, maxSide+1, 1), color.Palette{color.Black})
	buf.Reset()
	require.NoError(t, png.Encode(&buf, huge))
	w.handle(message.Decode{ID: 5, Name: "wide.png", Bytes: buf.Bytes()})
	require.Contains(t, p.last(t, "decoded")["error"], "too large")
}

// TestSoftwareAdapterRule checks the page's rule: where WebGPU's adapter is
// a software one, "auto" trains on the CPU engine and says why; the
// address's backend=webgpu still gets WebGPU.
func TestSoftwareAdapterRule(t *testing.T) {
	for _, c := range []struct {
		ask, want string
		software  bool
	}{
		{"auto", kindCPU, true},
		{"webgpu", kindWebGPU, true},
		{"auto", kindWebGPU, false},
		{"cpu", kindCPU, false},
	} {
		p := &page{t: t}
		var opened []string
		w := &worker{post: p.post, open: func(kind string) (engine.Backend, backendInfo, error) {
			opened = append(opened, kind)
			if kind == kindCPU {
				return cpu.New[float32](1), backendInfo{Kind: kindCPU, Adapter: "test CPU", Software: true, Reason: "backend=cpu in the address"}, nil
			}
			return cpu.New[float32](1), backendInfo{Kind: kindWebGPU, Adapter: "google swiftshader", Software: c.software}, nil
		}}
		w.handle(message.Init{Backend: c.ask})
		ready := p.last(t, "ready")
		require.Equal(t, c.want, ready["backend"], "%+v (opened %v)", c, opened)
		if c.ask == "auto" && c.software {
			require.Contains(t, ready["reason"], "google swiftshader, a software one")
			require.Contains(t, ready["reason"], "backend=webgpu")
		}
	}
}
