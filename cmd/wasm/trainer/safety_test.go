package main

import (
	"math"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/wgangp/wgangp/cmd/wasm/message"

	"github.com/wgangp/wgangp/engine"
	"github.com/wgangp/wgangp/engine/cpu"
	"github.com/wgangp/wgangp/safetensors"
)

// The page's side of issue 10: bad options, bad files, a diverged run and
// a message during an iteration.

// TestPageBadInput: options out of bounds (as the address may set them),
// a garbage file dropped as weights and a checkpoint with inconsistent
// metadata each give a clear error, and the worker goes on.
func TestPageBadInput(t *testing.T) {
	w, p := newTestWorker(t)
	for _, tc := range []struct {
		opt  message.Options
		want string
	}{
		{message.Options{Preset: "tiny", Filters: 100000, Iterations: 3}, "filters must be in [1, 1024], got 100000"},
		{message.Options{Preset: "tiny", Batch: 100000, Iterations: 3}, "batch must be in [1, 4096]"},
		{message.Options{Preset: "tiny", Iterations: 1 << 40}, "iterations must be in [0, 10000000]"},
	} {
		w.handle(message.Start{Options: tc.opt, Images: uploads(4)})
		require.Contains(t, p.last(t, "error")["message"], tc.want)
		require.Equal(t, stateError, w.state)
	}
	for _, garbage := range [][]byte{nil, []byte("nope"), []byte("\xff\xff\xff\xff\xff\xff\xff\xff{}"), make([]byte, 1<<16)} {
		w.handle(message.LoadWeights{Name: "dropped.bin", Bytes: garbage})
		msg := p.last(t, "error")["message"].(string)
		require.True(t, strings.HasPrefix(msg, "dropped.bin: safetensors: "), msg)
	}

	// A checkpoint of a run, its iteration edited.
	w.handle(message.Start{Options: runOpts, Images: uploads(4)})
	w.step()
	w.handle(message.GetCheckpoint{})
	ck, err := safetensors.Decode(p.last(t, "file")["bytes"].([]byte))
	require.NoError(t, err)
	ck.Metadata["iteration"] = "-5"
	w.handle(message.ResumeCheckpoint{Bytes: ck.Bytes(), Images: uploads(4)})
	require.Contains(t, p.last(t, "error")["message"], `iteration "-5"`)
	require.Equal(t, stateError, w.state)
}

// TestPageStopsMidIteration: a message that arrives during an iteration is
// answered before the iteration ends; the iteration then goes on from the
// critic step it stopped at, and the run ends as an uninterrupted one.
func TestPageStopsMidIteration(t *testing.T) {
	straight, p1 := newTestWorker(t)
	straight.handle(message.Start{Options: runOpts, Images: uploads(4)})
	runToEnd(t, straight)
	straight.handle(message.GetWeights{})
	want := p1.last(t, "file")["bytes"].([]byte)

	w, p := newTestWorker(t)
	w.in = newQueue()
	w.handle(message.Start{Options: runOpts, Images: uploads(4)})
	w.in.push(message.Pause{})
	w.step()
	require.Equal(t, 0, w.run.Trainer().Iteration(), "the iteration did not stop for the message")
	w.handle(w.in.wait())
	require.Equal(t, statePaused, w.state)
	ck, err := safetensors.Decode(p.last(t, "checkpoint")["bytes"].([]byte))
	require.NoError(t, err)
	require.Equal(t, "0", ck.Metadata["iteration"])
	w.handle(message.Resume{})
	runToEnd(t, w)
	w.handle(message.GetWeights{})
	require.Equal(t, want, p.last(t, "file")["bytes"].([]byte), "an interrupted run's weights differ")
}

// nanBackend's program outputs read as NaN: every run diverges at once.
type nanBackend struct{ engine.Backend }

func (b nanBackend) Compile(pl *engine.Plan, in map[*engine.Node]engine.Buffer) (engine.Program, error) {
	prog, err := b.Backend.Compile(pl, in)
	return nanProg{prog}, err
}

type nanProg struct{ engine.Program }

func (p nanProg) Output(i int) engine.Buffer { return nanBuf{p.Program.Output(i)} }

type nanBuf struct{ engine.Buffer }

func (b nanBuf) Read(dst []float32) error {
	for i := range dst {
		dst[i] = float32(math.NaN())
	}
	return nil
}

// TestPageDivergence: a diverged run stops in the error state saying so,
// posts no checkpoint (the one kept in the browser stays) and gives no
// weights.
func TestPageDivergence(t *testing.T) {
	p := &page{t: t}
	w := &worker{post: p.post, open: func(string) (engine.Backend, backendInfo, error) {
		return nanBackend{cpu.New[float32](1)}, backendInfo{Kind: kindCPU, Adapter: "test CPU", Software: true}, nil
	}}
	w.handle(message.Init{Backend: "auto"})
	w.handle(message.Start{Options: runOpts, Images: uploads(4)})
	n := p.count("checkpoint")
	runToEnd(t, w)
	require.Equal(t, stateError, w.state)
	st := p.last(t, "status")
	require.Contains(t, st["error"], "training diverged at iteration 1")
	require.Equal(t, n, p.count("checkpoint"), "a diverged run posted a checkpoint")
	w.handle(message.GetWeights{})
	require.Contains(t, p.last(t, "error")["message"], "training diverged")
	require.Equal(t, 1, w.run.Trainer().Diverged().Iteration)
}
