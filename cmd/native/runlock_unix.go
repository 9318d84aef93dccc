//go:build unix

package main

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
)

// lockName is the file a run's folder is locked through while a train
// writes into it.
const lockName = ".wgangp.lock"

// lockRunDir takes the run folder for this process, so that two trains
// never write one run (a second --resume of a run still training is
// refused, naming the first's process). The lock ends with the process or
// with unlock.
func lockRunDir(dir string) (unlock func(), err error) {
	path := filepath.Join(dir, lockName)
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o644)
	if err != nil {
		return nil, fmt.Errorf("--out %s: %w", q(dir), bareErr(err))
	}
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB); err != nil {
		b := make([]byte, 32)
		n, _ := f.ReadAt(b, 0)
		f.Close()
		if errors.Is(err, syscall.EWOULDBLOCK) {
			who := "another process"
			if pid, perr := strconv.Atoi(strings.TrimSpace(string(b[:n]))); perr == nil {
				who = fmt.Sprintf("process %d", pid)
			}
			return nil, fmt.Errorf("--out %s is being written by %s (another train of this run): wait for it to end or stop it first", q(dir), who)
		}
		return nil, fmt.Errorf("--out %s: locking: %w", q(dir), err)
	}
	f.Truncate(0)
	f.WriteAt([]byte(strconv.Itoa(os.Getpid())+"\n"), 0)
	return func() { f.Close() }, nil
}
