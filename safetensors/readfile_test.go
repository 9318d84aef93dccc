//go:build unix

package safetensors

import (
	"encoding/binary"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/wgangp/wgangp/internal/sysmem"
)

// readWithin runs ReadFile(path) and fails the test if it takes longer
// than a few seconds (a reader that blocks or reads without bound).
func readWithin(t *testing.T, path string) error {
	t.Helper()
	done := make(chan error, 1)
	go func() {
		_, err := ReadFile(path)
		done <- err
	}()
	select {
	case err := <-done:
		return err
	case <-time.After(5 * time.Second):
		t.Fatalf("ReadFile(%s) did not return within 5 s", path)
		return nil
	}
}

// sparse makes a file of size bytes that starts with head (the rest reads
// as zeros and takes no disk space).
func sparse(t *testing.T, path string, head []byte, size int64) string {
	t.Helper()
	if err := os.WriteFile(path, head, 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Truncate(path, size); err != nil {
		t.Fatal(err)
	}
	return path
}

// TestReadFileLooksFirst: ReadFile refuses what is not a regular file, and
// files whose header or size cannot be right, before reading their data,
// at once and without blocking.
func TestReadFileLooksFirst(t *testing.T) {
	dir := t.TempDir()
	fifo := filepath.Join(dir, "fifo.safetensors")
	if err := syscall.Mkfifo(fifo, 0o644); err != nil {
		t.Fatal(err)
	}
	var hugeLen [8]byte
	binary.LittleEndian.PutUint64(hugeLen[:], 50<<20)
	big := raw(`{"w":{"dtype":"F32","shape":[20000000000],"data_offsets":[0,80000000000]}}`, nil)
	// A well-formed file of more values than there is memory left.
	avail, ok := sysmem.Available()
	if !ok {
		t.Fatal("sysmem.Available: unknown on Linux")
	}
	n := avail/4 + 1<<28
	huge := raw(fmt.Sprintf(`{"w":{"dtype":"F32","shape":[%d],"data_offsets":[0,%d]}}`, n, 4*n), nil)
	for _, tc := range []struct {
		name, path string
		want       []string
	}{
		{"dev zero", "/dev/zero", []string{"/dev/zero", "a device, not a regular file"}},
		{"dev urandom", "/dev/urandom", []string{"a device, not a regular file"}},
		{"fifo", fifo, []string{"fifo.safetensors", "a named pipe (FIFO), not a regular file"}},
		{"folder", dir, []string{"a folder, not a regular file"}},
		{"header longer than the file", sparse(t, filepath.Join(dir, "h.safetensors"), hugeLen[:], 1<<20),
			[]string{"truncated header: length 52428800, but only 1048568 bytes follow"}},
		{"garbage 20 GB", sparse(t, filepath.Join(dir, "g.safetensors"), []byte("\x10\x00\x00\x00\x00\x00\x00\x00not json at all!"), 20<<30),
			[]string{"g.safetensors", "invalid JSON"}},
		{"tensor past the end of a 1 GB file", sparse(t, filepath.Join(dir, "p.safetensors"), big, 1<<30),
			[]string{"run past the end of the"}},
		{"more than the memory left", sparse(t, filepath.Join(dir, "m.safetensors"), huge, int64(len(huge))+4*n),
			[]string{"m.safetensors", "needs about", "of memory"}},
		{"name with escapes", filepath.Join(dir, "x\x1b[2J\n.safetensors"), []string{`x\x1b[2J\n.safetensors"`, "no such file"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := readWithin(t, tc.path)
			if err == nil {
				t.Fatal("ReadFile succeeded")
			}
			for _, w := range tc.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("ReadFile = %v, want it to say %q", err, w)
				}
			}
			if strings.ContainsAny(err.Error(), "\x1b") {
				t.Errorf("error %q holds a raw escape code", err)
			}
		})
	}
}

// TestReadFileStreams: a valid file read from disk gives the same tensors
// as Decode of its bytes, across the reader's chunk boundaries, and a NaN
// past the first chunk is reported at its index in the tensor.
func TestReadFileStreams(t *testing.T) {
	dir := t.TempDir()
	f := randFile(21, []int{3, 70000}, []int{5}, []int{0}, []int{40000})
	path := filepath.Join(dir, "f.safetensors")
	if err := WriteFile(path, f); err != nil {
		t.Fatal(err)
	}
	got, err := ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	want, err := Decode(f.Bytes())
	if err != nil {
		t.Fatal(err)
	}
	if !sameTensors(got.Tensors, want.Tensors) {
		t.Fatal("ReadFile and Decode disagree")
	}
	// One tensor, a NaN patched into its bytes past the first 64 KB chunk.
	b := randFile(22, []int{200000}).Bytes()
	n := binary.LittleEndian.Uint64(b)
	binary.LittleEndian.PutUint32(b[8+n+4*100000:], 0x7fc00000)
	bad := filepath.Join(dir, "nan.safetensors")
	if err := os.WriteFile(bad, b, 0o644); err != nil {
		t.Fatal(err)
	}
	_, err = ReadFile(bad)
	if err == nil || !strings.Contains(err.Error(), "at flat index 100000 is not finite") {
		t.Errorf("ReadFile(NaN at 100000) = %v", err)
	}
	if _, err := Decode(b); err == nil || !strings.Contains(err.Error(), "at flat index 100000 is not finite") {
		t.Errorf("Decode(NaN at 100000) = %v", err)
	}
}
