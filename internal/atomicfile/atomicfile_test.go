package atomicfile

import (
	"errors"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

func TestWrite(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "a.txt")
	if err := Write(path, func(w io.Writer) error { _, err := io.WriteString(w, "one"); return err }); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(path, 0o600); err != nil {
		t.Fatal(err)
	}
	// A failing fill leaves the old file byte for byte and no temporary file.
	boom := errors.New("boom")
	err := Write(path, func(w io.Writer) error { io.WriteString(w, "partial"); return boom })
	if !errors.Is(err, boom) || !strings.Contains(err.Error(), "write "+path) || strings.Contains(err.Error(), ".tmp") {
		t.Errorf("failed Write = %v, want boom naming %s and not the temporary file", err, path)
	}
	if b, _ := os.ReadFile(path); string(b) != "one" {
		t.Errorf("after a failed write the file holds %q, want the old \"one\"", b)
	}
	if err := Write(path, func(w io.Writer) error { _, err := io.WriteString(w, "two"); return err }); err != nil {
		t.Fatal(err)
	}
	fi, _ := os.Stat(path)
	if b, _ := os.ReadFile(path); string(b) != "two" || fi.Mode().Perm() != 0o600 {
		t.Errorf("rewritten file: %q mode %v, want \"two\" mode 0600 (kept)", b, fi.Mode().Perm())
	}
	ents, _ := os.ReadDir(dir)
	if len(ents) != 1 {
		t.Errorf("folder holds %d entries, want only a.txt", len(ents))
	}
	// A missing folder: the error names the path, not the temporary file.
	missing := filepath.Join(dir, "no", "b.txt")
	err = Write(missing, func(io.Writer) error { return nil })
	if err == nil || !strings.Contains(err.Error(), missing) || strings.Contains(err.Error(), "*") {
		t.Errorf("Write into a missing folder = %v, want an error naming %s", err, missing)
	}
}

func TestRemoveStale(t *testing.T) {
	dir := t.TempDir()
	keep := []string{"grid-000001.png", "checkpoint.safetensors", ".hidden", ".x.tmp", "notes.123.tmp"}
	gone := []string{".grid-latest.png.123456.tmp", ".checkpoint.safetensors.98765.tmp", ".png-4242"}
	for _, n := range append(slices.Clone(keep), gone...) {
		if err := os.WriteFile(filepath.Join(dir, n), []byte("x"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.Mkdir(filepath.Join(dir, ".sub.1.tmp"), 0o755); err != nil {
		t.Fatal(err)
	}
	removed, err := RemoveStale(dir)
	if err != nil {
		t.Fatal(err)
	}
	slices.Sort(removed)
	want := slices.Sorted(slices.Values(gone))
	if !slices.Equal(removed, want) {
		t.Errorf("removed %v, want %v", removed, want)
	}
	for _, n := range append(keep, ".sub.1.tmp") {
		if _, err := os.Stat(filepath.Join(dir, n)); err != nil {
			t.Errorf("%s was removed: %v", n, err)
		}
	}
}

func TestQuote(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"runs/2026 a/x.png", "runs/2026 a/x.png"},
		{"fleur-é.png", "fleur-é.png"},
		{"a\nb", `"a\nb"`},
		{"x\x1b[2Jy", `"x\x1b[2Jy"`},
		{"bad\xff", `"bad\xff"`},
	} {
		if got := Quote(tc.in); got != tc.want {
			t.Errorf("Quote(%q) = %s, want %s", tc.in, got, tc.want)
		}
	}
}
