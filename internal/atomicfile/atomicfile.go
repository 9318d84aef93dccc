// Package atomicfile writes files so that a crash, a kill or a full disk
// never leaves a half-written file: the bytes go to a temporary file beside
// the target (named .NAME.DIGITS.tmp), which is synced and renamed over it.
// An existing file at the path is untouched until the rename. RemoveStale
// removes the temporary files that a killed write left behind.
package atomicfile

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Write writes the file at path with what fill writes, atomically. A new
// file gets mode 0644; an existing one keeps its mode. Errors name path,
// never the temporary file.
//
// Only a regular file is replaced: a device, a FIFO or a folder at path is
// an error (renaming over /dev/null would replace the device). A symbolic
// link is followed, so the link stays and its target gets the new bytes.
func Write(path string, fill func(w io.Writer) error) (err error) {
	target := path
	if resolved, err := filepath.EvalSymlinks(path); err == nil {
		target = resolved
	}
	mode := fs.FileMode(0o644)
	if fi, statErr := os.Stat(target); statErr == nil {
		if !fi.Mode().IsRegular() {
			return fmt.Errorf("write %s: exists and is not a regular file (%v); nothing was written", path, fi.Mode().Type())
		}
		mode = fi.Mode().Perm()
	}
	tmp, err := os.CreateTemp(filepath.Dir(target), "."+filepath.Base(target)+".*.tmp")
	if err != nil {
		return fmt.Errorf("write %s: %w", path, bare(err))
	}
	defer func() {
		if err != nil {
			tmp.Close() // may already be closed; the error is moot
			os.Remove(tmp.Name())
			err = fmt.Errorf("write %s: %w", path, bare(err))
		}
	}()
	w := bufio.NewWriterSize(tmp, 1<<20)
	if err = fill(w); err != nil {
		return err
	}
	if err = w.Flush(); err != nil {
		return err
	}
	if err = tmp.Chmod(mode); err != nil {
		return err
	}
	if err = tmp.Sync(); err != nil {
		return err
	}
	if err = tmp.Close(); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), target)
}

// bare strips the file names from the errors of the os package (which
// would name the temporary file) and keeps the cause.
func bare(err error) error {
	var pe *fs.PathError
	var le *os.LinkError
	switch {
	case errors.As(err, &pe):
		return pe.Err
	case errors.As(err, &le):
		return le.Err
	}
	return err
}

// stale matches the temporary files of Write (.NAME.DIGITS.tmp) and of the
// PNG writer of earlier versions (.png-DIGITS).
var stale = regexp.MustCompile(`^\..+\.[0-9]+\.tmp$|^\.png-[0-9]+$`)

// IsTemp says whether name (a base name) is one of Write's temporary files.
func IsTemp(name string) bool { return stale.MatchString(name) }

// RemoveStale removes from dir the temporary files of writes that did not
// finish (the process was killed) and returns their names. Call it only on
// a folder no other process is writing.
func RemoveStale(dir string) ([]string, error) {
	ents, err := os.ReadDir(dir)
	if err != nil {
		return nil, err
	}
	var removed []string
	var errs []error
	for _, e := range ents {
		if !e.Type().IsRegular() || !IsTemp(e.Name()) {
			continue
		}
		if err := os.Remove(filepath.Join(dir, e.Name())); err != nil && !errors.Is(err, fs.ErrNotExist) {
			errs = append(errs, err)
			continue
		}
		removed = append(removed, e.Name())
	}
	return removed, errors.Join(errs...)
}

// Quote returns a file name as messages print it: as it is when every
// character is printable, else quoted with Go escapes, so that a newline or
// a terminal escape code in a name cannot forge or garble output.
func Quote(name string) string {
	if strings.IndexFunc(name, func(r rune) bool { return !unicode.IsPrint(r) && r != ' ' }) >= 0 || !utf8.ValidString(name) {
		return strconv.Quote(name)
	}
	return name
}
