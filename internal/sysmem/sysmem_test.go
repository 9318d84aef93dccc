package sysmem

import (
	"strings"
	"testing"
)

func TestAvailableAndCheck(t *testing.T) {
	avail, ok := Available()
	if !ok {
		t.Fatal("Available: not known on this system (Linux has /proc/meminfo)")
	}
	if avail <= 0 {
		t.Fatalf("Available = %d, want > 0", avail)
	}
	if err := Check("a small thing", 1<<10); err != nil {
		t.Errorf("Check(1 KB) = %v, want nil", err)
	}
	err := Check("a huge run", avail+1<<40)
	if err == nil || !strings.Contains(err.Error(), "a huge run needs about") || !strings.Contains(err.Error(), "available") {
		t.Errorf("Check(too much) = %v, want an error naming what and how much", err)
	}
}

func TestSize(t *testing.T) {
	for _, tc := range []struct {
		b    int64
		want string
	}{{0, "0 B"}, {1023, "1023 B"}, {1536, "1.5 KB"}, {3 << 20, "3.0 MB"}, {20 << 30, "20.0 GB"}} {
		if got := Size(tc.b); got != tc.want {
			t.Errorf("Size(%d) = %q, want %q", tc.b, got, tc.want)
		}
	}
}
