package train

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/wgangp/wgangp/engine/cpu"
)

// TestSittingStatus drives a sitting through the table the front ends'
// tests share, and checks the cadence and the ETA with a fixed clock.
func TestSittingStatus(t *testing.T) {
	cases, err := ReadStatusCases("testdata/status_lines.json")
	require.NoError(t, err)
	require.NotEmpty(t, cases)
	opt := tinyOptions(3)
	opt.Config.Batch = 2
	for _, c := range cases {
		tr, err := New(cpu.New[float32](1), flowers(8), "flowers", opt)
		require.NoError(t, err)
		s := NewSitting(tr, 0, 0)
		require.Equal(t, DefaultEvery, s.Every)
		clock := time.Unix(0, 0)
		s.now = func() time.Time { return clock }
		s.Restart()
		run(t, tr, c.Iterations)
		clock = clock.Add(time.Duration(c.Iterations) * 2 * time.Second) // 0.5 it/s
		st := State{Paused: c.State == "paused", Done: c.State == "done"}
		if c.State == "error" {
			st.Err = "the device was lost"
		}
		line := s.Status(st)
		require.True(t, c.Match(line), "%s: %q does not match %s", c.Name, line, c.Want)
		if c.State == "training" && c.Iterations == 1 {
			require.Contains(t, line, "0.50 it/s · ETA 00:00:04") // 2 iterations left at 0.5 it/s
		}
		tr.Close()
	}
}

func TestSittingCadence(t *testing.T) {
	tr, err := New(cpu.New[float32](1), flowers(8), "flowers", tinyOptions(5))
	require.NoError(t, err)
	defer tr.Close()
	s := NewSitting(tr, 2, 3)
	var refreshed, kept []int
	for range 5 {
		rec, err := tr.Step()
		require.NoError(t, err)
		if s.Refresh(rec) {
			refreshed = append(refreshed, rec.Iteration)
		}
		if s.Checkpoint(rec) {
			kept = append(kept, rec.Iteration)
		}
	}
	require.Equal(t, []int{1, 2, 4, 5}, refreshed) // the first, every 2nd, the last
	require.Equal(t, []int{3}, kept)               // the end keeps its own
	require.Equal(t, "[==========          ]", bar(5, 10, 20))
	require.Equal(t, "01:01:01", HMS(time.Hour+time.Minute+time.Second+400*time.Millisecond))
}

// TestDefaultPreset: the example's on a GPU; on a CPU the measured preset
// with the lowest SWD after 10 and 30 minutes, whichever order the table
// lists them in; every preset of the table exists and has its promise.
func TestDefaultPreset(t *testing.T) {
	p, why := DefaultPreset(true)
	require.Equal(t, "seed", p.Name)
	require.Contains(t, why, "GPU")

	saved := CPUQuality
	defer func() { CPUQuality = saved }()
	for _, order := range [][]PresetQuality{
		{{"tiny", 160, 150, 6000}, {"small", 150, 140, 1500}},
		{{"small", 150, 140, 1500}, {"tiny", 160, 150, 6000}},
	} {
		CPUQuality = order
		p, why = DefaultPreset(false)
		require.Equal(t, "small", p.Name)
		require.Contains(t, why, "SWD 150 after 10 minutes, 140 after 30")
	}
	CPUQuality = []PresetQuality{{"small", 170, 160, 1500}, {"tiny", 160, 150, 6000}}
	p, _ = DefaultPreset(false)
	require.Equal(t, "tiny", p.Name)

	CPUQuality = saved
	for _, q := range CPUQuality {
		p, err := PresetByName(q.Preset)
		require.NoError(t, err)
		require.NotEmpty(t, p.Expect, q.Preset)
		require.Greater(t, q.SWD10, 0.0)
		require.Greater(t, q.SWD30, 0.0)
	}
}
