package main

import (
	"encoding/csv"
	"image/png"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/wgangp/wgangp/assets"
	"github.com/wgangp/wgangp/safetensors"
	"github.com/wgangp/wgangp/wgan"
)

// writeFlowers writes n embedded flower pictures as PNG into a new folder,
// with a file that is not an image among them.
func writeFlowers(t *testing.T, n int) string {
	t.Helper()
	dir := t.TempDir()
	for i, img := range assets.Flowers(n, 5) {
		f, err := os.Create(filepath.Join(dir, "flower"+strconv.Itoa(i)+".png"))
		require.NoError(t, err)
		require.NoError(t, png.Encode(f, img))
		require.NoError(t, f.Close())
	}
	require.NoError(t, os.WriteFile(filepath.Join(dir, "notes.txt"), []byte("not a picture"), 0o644))
	return dir
}

func readLosses(t *testing.T, path string) [][]string {
	t.Helper()
	f, err := os.Open(path)
	require.NoError(t, err)
	defer f.Close()
	rows, err := csv.NewReader(f).ReadAll()
	require.NoError(t, err)
	require.Equal(t, []string{"iteration", "lossD", "lossD_unregularized", "gradient_penalty", "lossG"}, rows[0])
	for i, row := range rows[1:] {
		require.Equal(t, strconv.Itoa(i+1), row[0])
		for _, v := range row[1:] {
			x, err := strconv.ParseFloat(v, 64)
			require.NoError(t, err)
			require.False(t, math.IsNaN(x) || math.IsInf(x, 0), "row %v", row)
		}
	}
	return rows[1:]
}

// TestTrainHeadless trains a few iterations from a folder, checks every
// file the run writes, then resumes the run for more iterations.
func TestTrainHeadless(t *testing.T) {
	data := writeFlowers(t, 140)
	out := filepath.Join(t.TempDir(), "run")
	log := runOK(t, runTrain, "--headless", "--backend", "cpu", "--data", data, "--preset", "tiny",
		"--filters", "4", "--batch", "8", "--iterations", "4", "--every", "2", "--checkpoint-every", "3",
		"--swd-every", "2", "--swd-images", "32", "--out", out)
	require.Contains(t, log, "data: 140 pictures from "+data+" (1 skipped)")
	require.Contains(t, log, "SWD every 2 iterations, 32 generated vs 32 held-out pictures (108 left for training)")
	require.Contains(t, log, "4/4")

	for _, name := range []string{"grid-000001.png", "grid-000002.png", "grid-000004.png", "grid-latest.png", "curves.png", "final.png"} {
		img := decodePNG(t, filepath.Join(out, name))
		require.Greater(t, distinctColors(img), 100, "%s is blank", name)
	}
	require.Len(t, readLosses(t, filepath.Join(out, "losses.csv")), 4)
	w, err := safetensors.ReadFile(filepath.Join(out, "weights.safetensors"))
	require.NoError(t, err)
	require.NoError(t, w.Check(wgan.Spec(4, 100), ""))
	ck, err := safetensors.ReadFile(filepath.Join(out, "checkpoint.safetensors"))
	require.NoError(t, err)
	require.Equal(t, "4", ck.Metadata["iteration"])
	require.Equal(t, data, ck.Metadata["data_dir"])

	// Resume: the data folder and the options come from the checkpoint.
	log = runOK(t, runTrain, "--headless", "--backend", "cpu", "--resume", out, "--iterations", "6")
	require.Contains(t, log, "resumed at iteration 4")
	require.Contains(t, log, "output: "+out)
	require.Len(t, readLosses(t, filepath.Join(out, "losses.csv")), 6)
	ck, err = safetensors.ReadFile(filepath.Join(out, "checkpoint.safetensors"))
	require.NoError(t, err)
	require.Equal(t, "6", ck.Metadata["iteration"])

	// The run's checkpoint (history included) generates images.
	gen := filepath.Join(t.TempDir(), "gen")
	runOK(t, runGenerate, "--weights", filepath.Join(out, "checkpoint.safetensors"), "--n", "4", "--out", gen)
	require.Greater(t, distinctColors(decodePNG(t, filepath.Join(gen, "grid.png"))), 100)
}

func TestTrainErrors(t *testing.T) {
	empty := t.TempDir()
	few := writeFlowers(t, 3)
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"--data", empty}, "is empty"},
		{[]string{"--data", few, "--batch", "8"}, "found 3 images, need at least one minibatch of 8"},
		{[]string{"--preset", "huge"}, "unknown preset"},
		{[]string{"--backend", "tpu"}, "unknown backend"},
		{[]string{"--iterations", "0"}, "--iterations must be positive"},
		{[]string{"--resume", filepath.Join(empty, "nothing.safetensors")}, "nothing.safetensors"},
		{[]string{"extra"}, "unexpected argument"},
	} {
		err := runTrain(append([]string{"--headless", "--out", t.TempDir()}, tc.args...), &strings.Builder{})
		require.ErrorContains(t, err, tc.want, "%v", tc.args)
	}
}
