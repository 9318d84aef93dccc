package sysmem

import (
	"bufio"
	"bytes"
	"os"
	"strconv"
	"strings"
	"syscall"
)

// available reads MemAvailable from /proc/meminfo, the control group's
// limit less its usage (cgroup v2, then v1) and the address-space limit
// (ulimit -v) less the process's size.
func available() (int64, bool) {
	best, ok := memAvailable()
	var lim syscall.Rlimit
	if err := syscall.Getrlimit(syscall.RLIMIT_AS, &lim); err == nil && lim.Cur != ^uint64(0) && lim.Cur < 1<<62 {
		if size, found := statusKB("VmSize:"); found {
			left := max(int64(lim.Cur)-size, 0)
			if !ok || left < best {
				best, ok = left, true
			}
		}
	}
	for _, lim := range [][2]string{
		{"/sys/fs/cgroup/memory.max", "/sys/fs/cgroup/memory.current"},
		{"/sys/fs/cgroup/memory/memory.limit_in_bytes", "/sys/fs/cgroup/memory/memory.usage_in_bytes"},
	} {
		limit, err1 := readInt(lim[0])
		cur, err2 := readInt(lim[1])
		if err1 != nil || err2 != nil || limit <= 0 || limit >= 1<<60 {
			continue // "max" (no limit) or unreadable
		}
		left := max(limit-cur, 0)
		if !ok || left < best {
			best, ok = left, true
		}
		break
	}
	return best, ok
}

func memAvailable() (int64, bool) { return fieldKB("/proc/meminfo", "MemAvailable:") }

func statusKB(key string) (int64, bool) { return fieldKB("/proc/self/status", key) }

// fieldKB reads the "key: N kB" line of a /proc file, in bytes.
func fieldKB(path, key string) (int64, bool) {
	f, err := os.Open(path)
	if err != nil {
		return 0, false
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := sc.Text()
		if rest, found := strings.CutPrefix(line, key); found {
			kb, err := strconv.ParseInt(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(rest), "kB")), 10, 64)
			if err != nil {
				return 0, false
			}
			return kb << 10, true
		}
	}
	return 0, false
}

func readInt(path string) (int64, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return 0, err
	}
	return strconv.ParseInt(string(bytes.TrimSpace(b)), 10, 64)
}
