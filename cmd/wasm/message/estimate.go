package message

import (
	"fmt"
	"math"
	"strconv"
)

// Estimate is the words of a measured time per generator iteration, the
// page's (a Calibration, beside its preset) and the desktop's (train, as it
// starts): "≈ 2.4 s per iteration here, 1,000 iterations ≈ 40 min". from,
// when not "", names the preset whose measured time this one is scaled
// from (a model too large to time in a few seconds here).
func Estimate(seconds float64, iterations int, from string) string {
	per := "≈ " + Seconds(seconds) + " per iteration here"
	if from != "" {
		per += fmt.Sprintf(" (scaled from %s's measured time)", from)
	}
	return fmt.Sprintf("%s, %s iterations ≈ %s", per, thousands(iterations), Duration(seconds*float64(iterations)))
}

// Seconds writes a time in seconds with two significant digits (three
// under a tenth of a second).
func Seconds(s float64) string {
	switch {
	case s >= 10:
		return fmt.Sprintf("%.0f s", s)
	case s >= 1:
		return fmt.Sprintf("%.1f s", s)
	case s >= 0.1:
		return fmt.Sprintf("%.2f s", s)
	}
	return fmt.Sprintf("%.3f s", s)
}

// Duration writes a total time as "H h M min", "M min" from a minute on
// (rounded to the minute), else in whole seconds.
func Duration(s float64) string {
	if s < 59.5 {
		return fmt.Sprintf("%.0f s", s)
	}
	m := int(math.Round(s / 60))
	if m < 60 {
		return fmt.Sprintf("%d min", m)
	}
	return fmt.Sprintf("%d h %d min", m/60, m%60)
}

func thousands(n int) string {
	s := strconv.Itoa(n)
	for i := len(s) - 3; i > 0 && s[i-1] != '-'; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	return s
}
