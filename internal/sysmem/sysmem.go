// Package sysmem says how much memory this process may still use, so that
// a run or a file too large for the machine is refused with a clear error
// before anything is allocated, instead of ending in an out-of-memory kill.
package sysmem

import "fmt"

// Available returns the bytes of memory this process can still allocate:
// the smaller of the machine's available memory and what its control
// group allows; ok is false where that is not known (the browser, other
// systems).
func Available() (bytes int64, ok bool) { return available() }

// Check returns an error saying what needed how much when need bytes are
// more than Available; nil when they fit or nothing is known.
func Check(what string, need int64) error {
	avail, ok := Available()
	if !ok || need <= avail {
		return nil
	}
	return fmt.Errorf("%s needs about %s of memory; only %s is available to this process", what, Size(need), Size(avail))
}

// Size formats a byte count for messages: 512 B, 3.2 MB, 20.0 GB.
func Size(b int64) string {
	switch {
	case b < 1<<10:
		return fmt.Sprintf("%d B", b)
	case b < 1<<20:
		return fmt.Sprintf("%.1f KB", float64(b)/(1<<10))
	case b < 1<<30:
		return fmt.Sprintf("%.1f MB", float64(b)/(1<<20))
	}
	return fmt.Sprintf("%.1f GB", float64(b)/(1<<30))
}
