package main

import (
	"context"
	"encoding/csv"
	"fmt"
	"image"
	"image/png"
	"io"
	"math/rand/v2"
	"os"
	"os/signal"
	"path/filepath"
	"strconv"
	"syscall"
	"time"

	"github.com/wgangp/wgangp/assets"
	"github.com/wgangp/wgangp/safetensors"
	"github.com/wgangp/wgangp/wgan"
	"github.com/wgangp/wgangp/wgan/data"
	"github.com/wgangp/wgangp/wgan/ui"
)

// runTrain trains headless: a progress line per refresh, and in --out the
// validation grid and loss curves as PNG, the losses as CSV, a checkpoint
// every --checkpoint-every iterations and on Ctrl-C, and the weights file
// at the end.
func runTrain(args []string, stdout io.Writer) error {
	fs := newFlags("train")
	dataDir := fs.String("data", "", "folder of images, searched recursively (default: the embedded flowers)")
	cropName := fs.String("crop", "squash", "how images become 64×64: squash (as the example) or center")
	backend := fs.String("backend", "cpu", "backend: cpu or cpu64")
	filters := fs.Int("filters", 16, "F, the width of both networks (the example: 64)")
	batch := fs.Int("batch", 32, "minibatch size (the example: 64)")
	iters := fs.Int("iterations", 2000, "generator iterations (the example: 10000)")
	seed := fs.Uint64("seed", 1, "random seed (weights, data order, latents)")
	every := fs.Int("every", 20, "refresh the grid and curves every N iterations")
	ckEvery := fs.Int("checkpoint-every", 200, "write checkpoint.safetensors every N iterations")
	out := fs.String("out", "", "output folder (default runs/<date-time>)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *every < 1 || *ckEvery < 1 || *iters < 1 {
		return fmt.Errorf("--iterations, --every and --checkpoint-every must be positive")
	}
	crop, err := data.ParseCrop(*cropName)
	if err != nil {
		return err
	}
	cfg := wgan.SeedConfig()
	cfg.Filters, cfg.Batch = *filters, *batch
	if err := cfg.Validate(); err != nil {
		return err
	}
	b, err := openBackend(*backend)
	if err != nil {
		return err
	}
	var set *data.Set
	if *dataDir == "" {
		set = data.FromImages(assets.Flowers(assets.DefaultCount, *seed), crop)
		fmt.Fprintf(stdout, "data: %d embedded flower pictures\n", set.Len())
	} else {
		if set, err = data.LoadDir(*dataDir, crop, os.Stderr); err != nil {
			return err
		}
		fmt.Fprintf(stdout, "data: %d images from %s (%d skipped)\n", set.Len(), *dataDir, len(set.Skipped))
	}
	stream, err := set.NewStream(cfg.Batch, *seed)
	if err != nil {
		return err
	}
	if *out == "" {
		*out = filepath.Join("runs", time.Now().Format("2006-01-02-150405"))
	}
	if err := os.MkdirAll(*out, 0o755); err != nil {
		return err
	}

	r := rand.New(rand.NewPCG(*seed, 1))
	steps, err := wgan.NewSteps(b, cfg, wgan.Init(cfg.Filters, cfg.Latent, r))
	if err != nil {
		return err
	}
	sampler, err := steps.Sampler(25)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "model: F=%d, Z=%d, batch %d, %d iterations on %s\noutput: %s\n",
		cfg.Filters, cfg.Latent, cfg.Batch, *iters, b.Name(), *out)

	valZ := make([]float32, 25*cfg.Latent) // fixed for the whole run
	for i := range valZ {
		valZ[i] = float32(r.NormFloat64())
	}
	grid := make([]float32, 25*wgan.Channels*wgan.Size*wgan.Size)
	x := make([]float32, cfg.Batch*wgan.Channels*wgan.Size*wgan.Size)
	z := make([]float32, cfg.Batch*cfg.Latent)
	eps := make([]float32, cfg.Batch)
	noise := rand.New(rand.NewPCG(*seed, 2))

	csvFile, err := os.Create(filepath.Join(*out, "losses.csv"))
	if err != nil {
		return err
	}
	defer csvFile.Close()
	lossCSV := csv.NewWriter(csvFile)
	_ = lossCSV.Write([]string{"iteration", "lossD", "lossD_unregularized", "gradient_penalty", "lossG"})

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	frame := ui.Frame{}
	start := time.Now()
	save := func(it int) error {
		ck, err := steps.Checkpoint(map[string]string{"iteration": strconv.Itoa(it)})
		if err != nil {
			return err
		}
		return safetensors.WriteFile(filepath.Join(*out, "checkpoint.safetensors"), ck)
	}
	it := 0
	for it < *iters {
		if ctx.Err() != nil {
			fmt.Fprintf(stdout, "\ninterrupted at iteration %d: saving a checkpoint\n", it)
			lossCSV.Flush()
			return save(it)
		}
		var dl wgan.DLosses
		for range cfg.Critic {
			stream.Next(x)
			for i := range z {
				z[i] = float32(noise.NormFloat64())
			}
			for i := range eps {
				eps[i] = float32(noise.Float64())
			}
			if dl, err = steps.DStep(x, z, eps); err != nil {
				return err
			}
		}
		for i := range z {
			z[i] = float32(noise.NormFloat64())
		}
		lg, err := steps.GStep(z)
		if err != nil {
			return err
		}
		it++
		frame.LossD = append(frame.LossD, float64(dl.LossD))
		frame.LossDUnreg = append(frame.LossDUnreg, float64(dl.LossDUnreg))
		_ = lossCSV.Write([]string{strconv.Itoa(it), fmtF(dl.LossD), fmtF(dl.LossDUnreg), fmtF(dl.Penalty), fmtF(lg)})

		if it == 1 || it%*every == 0 || it == *iters {
			if err := sampler.Sample(grid, valZ); err != nil {
				return err
			}
			elapsed := time.Since(start)
			rate := float64(it) / elapsed.Seconds()
			eta := time.Duration(float64(*iters-it) / rate * float64(time.Second))
			frame.Title = fmt.Sprintf("Iteration: %d, Elapsed: %s", it, hms(elapsed))
			frame.Grid = ui.Tile(grid, 25, wgan.Size, 5)
			frame.GridLabel = fmt.Sprintf("Generated images (iteration %d)", it)
			frame.Status = fmt.Sprintf("%s · F=%d batch %d · %.2f it/s · ETA %s", b.Name(), cfg.Filters, cfg.Batch, rate, hms(eta))
			frame.Version++
			lossCSV.Flush()
			if err := writePNG(filepath.Join(*out, fmt.Sprintf("grid-%06d.png", it)), frame.Grid); err != nil {
				return err
			}
			if err := writePNG(filepath.Join(*out, "grid-latest.png"), frame.Grid); err != nil {
				return err
			}
			if err := writePNG(filepath.Join(*out, "curves.png"), ui.RenderCurves(frame, 960, 540)); err != nil {
				return err
			}
			fmt.Fprintf(stdout, "iteration %d/%d  lossD %.4f  lossD_unregularized %.4f  lossG %.4f  %.2f it/s  ETA %s\n",
				it, *iters, dl.LossD, dl.LossDUnreg, lg, rate, hms(eta))
		}
		if it%*ckEvery == 0 {
			if err := save(it); err != nil {
				return err
			}
		}
	}
	lossCSV.Flush()
	if err := save(it); err != nil {
		return err
	}
	w, err := steps.Weights()
	if err != nil {
		return err
	}
	path := filepath.Join(*out, "weights.safetensors")
	if err := safetensors.WriteFile(path, w); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "done in %s: %s\n", hms(time.Since(start)), path)
	return nil
}

func fmtF(v float32) string { return strconv.FormatFloat(float64(v), 'g', 8, 32) }

func hms(d time.Duration) string {
	s := int(d.Round(time.Second).Seconds())
	return fmt.Sprintf("%02d:%02d:%02d", s/3600, s/60%60, s%60)
}

// writePNG writes an image atomically (temporary file, then rename).
func writePNG(path string, img image.Image) error {
	tmp, err := os.CreateTemp(filepath.Dir(path), ".png-*")
	if err != nil {
		return err
	}
	if err := png.Encode(tmp, img); err != nil {
		tmp.Close()
		os.Remove(tmp.Name())
		return err
	}
	if err := tmp.Close(); err != nil {
		os.Remove(tmp.Name())
		return err
	}
	return os.Rename(tmp.Name(), path)
}
