package main

import (
	"bytes"
	"image/png"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// TestBenchQuality runs bench quality for a few iterations with a moving
// average: ours.csv has a row per measurement (iteration 0 included) with
// both generators measured, the grids and the chart are PNGs, and a second
// run into the same folder is refused; --chart draws the CSV again.
func TestBenchQuality(t *testing.T) {
	if testing.Short() {
		t.Skip("trains for a few iterations")
	}
	dir := filepath.Join(t.TempDir(), "q")
	var out bytes.Buffer
	args := []string{"--preset", "tiny", "--iterations", "4", "--swd-every", "2", "--swd-images", "64", "--ema=0.5", "--grids-at", "0.0001", "--out", dir}
	require.NoError(t, runBenchQuality(args, &out))
	require.Contains(t, out.String(), "recipe seed, a moving average of the generator (decay 0.5)")
	require.Regexp(t, `ours    after 0.0001 min \(iteration 1\): SWD [0-9.]+, diversity [0-9.]+; as trained: SWD [0-9.]+, diversity [0-9.]+ \(the mean of 2 measurements`, out.String())

	recs, err := readCSV(filepath.Join(dir, "ours.csv"))
	require.NoError(t, err)
	require.Equal(t, []string{"iteration", "seconds", "swd", "diversity", "swd_as_trained", "diversity_as_trained", "minute_mark"}, recs[0])
	var its []string
	differ := false
	for _, r := range recs[1:] {
		its = append(its, r[0])
		for _, c := range []int{2, 4} {
			v, err := strconv.ParseFloat(r[c], 64)
			require.NoError(t, err)
			require.Greater(t, v, 19.0, "an untrained generator is far from the flowers: %v", r)
		}
		differ = differ || r[2] != r[4]
	}
	require.Equal(t, []string{"0", "1", "2", "4"}, its) // 1: the minute mark, passed in the first iteration
	require.True(t, differ, "the average and the weights as trained measured alike at every point: %v", recs)
	for _, name := range []string{"quality.png", "ours-grid-end.png", "ours-grid-end-as-trained.png", "ours-grid-0.0001min.png"} {
		fh, err := os.Open(filepath.Join(dir, name))
		require.NoError(t, err)
		img, err := png.Decode(fh)
		fh.Close()
		require.NoError(t, err, name)
		require.Positive(t, img.Bounds().Dx(), name)
	}

	err = runBenchQuality(args, &out)
	require.ErrorContains(t, err, "is not empty: give --out a new folder")

	chart := filepath.Join(t.TempDir(), "chart.png")
	require.NoError(t, runBenchQuality([]string{"--chart", chart, "--floor", "19", "ours=" + filepath.Join(dir, "ours.csv"), "EMA=" + filepath.Join(dir, "ours.csv:swd")}, &out))
	require.FileExists(t, chart)
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"--chart", chart}, "--chart needs curves"},
		{[]string{"--chart", chart, "nolabel"}, `"nolabel" is not LABEL=FILE.csv[:COLUMN]`},
		{[]string{"--chart", chart, "x=" + filepath.Join(dir, "ours.csv:nope")}, "has no columns seconds and nope"},
		{[]string{"--chart", filepath.Join(dir, "ours.csv"), "x=" + filepath.Join(dir, "ours.csv")}, "writing there would destroy it"},
		{[]string{"--torch", "--iterations", "3"}, "--torch compares by time"},
		{[]string{"--grids-at", "ten"}, `"ten" is not a positive number of minutes`},
	} {
		err := runBenchQuality(c.args, &out)
		require.Error(t, err, strings.Join(c.args, " "))
		require.Contains(t, err.Error(), c.want)
	}
}
