package main

import (
	"bytes"
	"errors"
	"fmt"
	"image/png"
	"strings"

	"github.com/wgangp/wgangp/cmd/wasm/message"
	"github.com/wgangp/wgangp/safetensors"
	"github.com/wgangp/wgangp/wgan"
	"github.com/wgangp/wgangp/wgan/train"
	"github.com/wgangp/wgangp/wgan/ui"
)

// This file is the files the page asks for (the weights, the grid, the
// checkpoint) and the weights files it gives (Load weights).

// encode is safetensors' encoding, with an error rather than a panic for
// a file that cannot be written (NaN weights after a diverged run).
func encode(f *safetensors.File) ([]byte, error) {
	var buf bytes.Buffer
	if err := f.Encode(&buf); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// sendFile answers get-weights, get-grid and get-checkpoint.
func (w *worker) sendFile(what message.ToWorker) error {
	var name, mime string
	var b []byte
	var err error
	switch {
	case what == message.GetGrid{} && w.grid == nil:
		return errors.New("no grid yet: start training or load weights")
	case what == message.GetGrid{}:
		var buf bytes.Buffer
		if err = png.Encode(&buf, w.grid); err != nil {
			return err
		}
		name, mime, b = w.gridN, "image/png", buf.Bytes()
	case w.run == nil:
		return errors.New("no run yet: start training first")
	case what == message.GetWeights{}:
		var f *safetensors.File
		if f, err = w.run.Trainer().Weights(); err != nil {
			return err
		}
		if b, err = encode(f); err != nil {
			return err
		}
		name, mime = "weights.safetensors", "application/octet-stream"
	default:
		var ck *safetensors.File
		if ck, err = w.run.CheckpointFile(); err != nil {
			return err
		}
		if b, err = encode(ck); err != nil {
			return err
		}
		name, mime = "checkpoint.safetensors", "application/octet-stream"
	}
	w.post(message.File{Name: name, Mime: mime, Bytes: b})
	return nil
}

// loadWeights shows 25 images from the generator of a weights file or a
// checkpoint: the k-th file loaded uses the latents of `native generate
// --seed k` (train.Latents), so the first grid is that command's grid.png.
func (w *worker) loadWeights(name string, b []byte) error {
	f, err := safetensors.Decode(b)
	if err != nil {
		return fmt.Errorf("%s: %w", name, err)
	}
	if weights, _, err := train.CheckpointWeights(f); err == nil {
		f = weights // a checkpoint: its model's tensors are the weights
	}
	_, z, err := wgan.SizeOf(f, true)
	if err != nil {
		return fmt.Errorf("%s: %w", name, err)
	}
	img, err := train.Generate(w.b, f, train.Latents(train.ValidationImages, z, w.loads+1))
	if err != nil {
		return fmt.Errorf("%s: %w", name, err)
	}
	w.loads++
	base := strings.TrimSuffix(name, ".safetensors")
	w.show(ui.Tile(img, train.ValidationImages, wgan.Size, 5), fmt.Sprintf("25 images from %s (seed %d)", name, w.loads),
		fmt.Sprintf("%s-seed%d.png", base, w.loads))
	return nil
}
