package main

import (
	"errors"
	"fmt"
	"image"
	"image/png"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"

	"github.com/wgangp/wgangp/internal/atomicfile"
	"github.com/wgangp/wgangp/safetensors"
)

// This file is the one place that writes the commands' files. Every file
// is written atomically (internal/atomicfile: a temporary file renamed over
// the target, so a kill or a full disk leaves the old file or the new one,
// never half of one); no command writes onto a file it reads (outputs);
// and a run's folder is opened by openRunDir, which refuses a folder that
// holds another run unless that run is the one being resumed and removes
// the temporary files of writes that a kill interrupted.

// outputs guards the files a command writes against the files it reads.
type outputs struct {
	inputs []string // paths given as inputs
}

// newOutputs records the command's input files (empty paths are skipped).
func newOutputs(inputs ...string) *outputs {
	o := &outputs{}
	for _, in := range inputs {
		if in != "" {
			o.inputs = append(o.inputs, in)
		}
	}
	return o
}

// check refuses to write path when it is one of the inputs (the same file,
// whatever the spelling: links included) or a folder.
func (o *outputs) check(flag, path string) error {
	fi, err := os.Stat(path)
	if err != nil {
		return nil // a new file
	}
	if fi.IsDir() {
		return fmt.Errorf("%s %s is a folder: give a file name", flag, q(path))
	}
	for _, in := range o.inputs {
		if ii, err := os.Stat(in); err == nil && os.SameFile(fi, ii) {
			return fmt.Errorf("%s %s is the input %s: writing there would destroy it; choose another name", flag, q(path), q(in))
		}
	}
	return nil
}

// safetensors writes f to path after check.
func (o *outputs) safetensors(flag, path string, f *safetensors.File) error {
	if err := o.check(flag, path); err != nil {
		return err
	}
	return safetensors.WriteFile(path, f)
}

// png writes img to path after check.
func (o *outputs) png(flag, path string, img image.Image) error {
	if err := o.check(flag, path); err != nil {
		return err
	}
	return writePNG(path, img)
}

// writePNG writes an image atomically.
func writePNG(path string, img image.Image) error {
	return atomicfile.Write(path, func(w io.Writer) error { return png.Encode(w, img) })
}

// q is a file name as messages print it (atomicfile.Quote).
func q(path string) string { return atomicfile.Quote(path) }

// Names of a run's files: a folder holding any of them holds a run.
const (
	checkpointName = "checkpoint.safetensors"
	weightsName    = "weights.safetensors"
	// plainWeightsName holds the weights as trained, beside weights.safetensors
	// of the moving average, in a run with --ema.
	plainWeightsName = "weights-as-trained.safetensors"
	lossesName       = "losses.csv"
)

var runFile = regexp.MustCompile(`^(checkpoint\.safetensors|weights\.safetensors|weights-as-trained\.safetensors|losses\.csv|curves\.png|final\.png|grid-latest\.png|grid-[0-9]+\.png|grid-saved-[0-9]+\.png)$`)

// runFiles lists the files of a run in dir (nil when dir does not exist).
func runFiles(dir string) ([]string, error) {
	ents, err := os.ReadDir(dir)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	var names []string
	for _, e := range ents {
		if runFile.MatchString(e.Name()) {
			names = append(names, e.Name())
		}
	}
	return names, nil
}

// checkRunDir says whether dir can take a run's files, creating nothing:
// it must be a folder (or not exist yet) and hold no run's files, unless
// resumed is the folder of the run being resumed, which dir then must be.
// It is called before anything slow (the data, the backend) so that a bad
// --out fails at once.
func checkRunDir(dir, resumed string) error {
	fi, err := os.Stat(dir)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return nil
	case err != nil:
		return fmt.Errorf("--out %s: %w", q(dir), bareErr(err))
	case !fi.IsDir():
		return fmt.Errorf("--out %s is a file, not a folder", q(dir))
	}
	if resumed != "" {
		if ri, err := os.Stat(resumed); err == nil && os.SameFile(fi, ri) {
			return nil
		}
	}
	names, err := runFiles(dir)
	if err != nil {
		return fmt.Errorf("--out %s: %w", q(dir), bareErr(err))
	}
	if len(names) == 0 {
		return nil
	}
	shown := names
	if len(shown) > 4 {
		shown = append(slices.Clone(shown[:4]), "…")
	}
	return fmt.Errorf("--out %s already holds a run (%s): continue it with --resume %s, or choose another --out; nothing was written",
		q(dir), strings.Join(shown, ", "), q(dir))
}

// openRunDir creates dir (after checkRunDir), locks it for this process
// (lockRunDir) and removes the temporary files that writes killed midway
// left there; it returns their names and the unlock.
func openRunDir(dir, resumed string) (removed []string, unlock func(), err error) {
	if err := checkRunDir(dir, resumed); err != nil {
		return nil, nil, err
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, nil, fmt.Errorf("--out %s: %w", q(dir), bareErr(err))
	}
	if unlock, err = lockRunDir(dir); err != nil {
		return nil, nil, err
	}
	removed, err = atomicfile.RemoveStale(dir)
	if err != nil {
		unlock()
		return removed, nil, fmt.Errorf("--out %s: removing stale temporary files: %w", q(dir), err)
	}
	return removed, unlock, nil
}

// bareErr strips the path from an *fs.PathError (messages name it).
func bareErr(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}

// checkpointPath is where a run folder keeps its checkpoint.
func checkpointPath(dir string) string { return filepath.Join(dir, checkpointName) }

// lineWriter writes messages of one line each (one Write a line, as the
// data loader's "skipped NAME: why") with every control character but the
// final newline escaped, so that a file name holding a newline or a
// terminal escape code prints as one visible line.
type lineWriter struct{ w io.Writer }

func (l lineWriter) Write(p []byte) (int, error) {
	s := string(p)
	nl := strings.HasSuffix(s, "\n")
	s = strings.TrimSuffix(s, "\n")
	var b strings.Builder
	for _, r := range s {
		if r < 0x20 || r == 0x7f || (r >= 0x80 && r < 0xa0) {
			fmt.Fprintf(&b, "\\x%02x", r)
			continue
		}
		b.WriteRune(r)
	}
	if nl {
		b.WriteByte('\n')
	}
	if _, err := io.WriteString(l.w, b.String()); err != nil {
		return 0, err
	}
	return len(p), nil
}
