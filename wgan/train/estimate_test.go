package train

import (
	"testing"

	"github.com/stretchr/testify/require"
)

func TestEstimate(t *testing.T) {
	require.Equal(t, "≈ 2.4 s per iteration here, 1,000 iterations ≈ 40 min", Estimate(2.4, 1000, ""))
	require.Equal(t, "≈ 12 s per iteration here (scaled from tiny's measured time), 10,000 iterations ≈ 33 h 20 min", Estimate(12, 10000, "tiny"))
	require.Equal(t, "≈ 0.60 s per iteration here, 2,000 iterations ≈ 20 min", Estimate(0.6, 2000, ""))
	require.Equal(t, "≈ 0.012 s per iteration here, 1,000 iterations ≈ 12 s", Estimate(0.012, 1000, ""))
	require.Equal(t, "≈ 7.4 s per iteration here, 1,000,000 iterations ≈ 2055 h 33 min", Estimate(7.4, 1000000, ""))
	for _, c := range []struct {
		s    float64
		want string
	}{{0, "0 s"}, {59.4, "59 s"}, {59.6, "1 min"}, {89, "1 min"}, {91, "2 min"}, {3599, "1 h 0 min"}, {3600 + 29*60 + 40, "1 h 30 min"}} {
		require.Equal(t, c.want, Duration(c.s), "%v s", c.s)
	}
	require.Equal(t, "999", thousands(999))
	require.Equal(t, "1,000", thousands(1000))
	require.Equal(t, "-1,234", thousands(-1234))
}
