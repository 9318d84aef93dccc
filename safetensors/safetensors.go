// Package safetensors reads and writes float32 tensors in the safetensors
// format (https://github.com/huggingface/safetensors).
//
// A file is an 8-byte little-endian header length N, N bytes of JSON header
// and the raw tensor data. The header maps each tensor name to its dtype,
// shape and byte range within the data section, plus an optional
// "__metadata__" object of strings. Only the F32 dtype is supported.
package safetensors

import (
	"bufio"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"slices"
	"sort"
	"strings"

	"github.com/wgangp/wgangp/internal/atomicfile"
	"github.com/wgangp/wgangp/internal/sysmem"
)

// Tensor is one named float32 array, row-major (C order), PyTorch layout.
type Tensor struct {
	Name  string
	Shape []int
	Data  []float32 // len == product of Shape (1 for a scalar with Shape [])
}

// File is a whole safetensors file: tensors in file order plus the header's
// __metadata__.
type File struct {
	Tensors  []Tensor
	Metadata map[string]string
}

// Get returns the first tensor called name and whether there was one.
func (f *File) Get(name string) (Tensor, bool) {
	for _, t := range f.Tensors {
		if t.Name == name {
			return t, true
		}
	}
	return Tensor{}, false
}

// Add appends a tensor. The shape is copied; data is kept without copying.
// Add panics if len(data) is not the product of shape or a dimension is
// negative: that is a programmer error.
func (f *File) Add(name string, shape []int, data []float32) {
	n, err := numElements(shape)
	if err != nil {
		panic(fmt.Sprintf("safetensors: Add %q: shape %v: %v", name, shape, err))
	}
	if n != len(data) {
		panic(fmt.Sprintf("safetensors: Add %q: shape %v needs %d values, got len(data) = %d", name, shape, n, len(data)))
	}
	f.Tensors = append(f.Tensors, Tensor{Name: name, Shape: slices.Clone(shape), Data: data})
}

// ReadFile reads and decodes the file at path. Errors name the path. It
// looks before it reads: only a regular file is read (a device, a FIFO or
// a folder is refused without blocking), its header length and header are
// checked against its size before any tensor data is read, and a file
// larger than the memory this process has left is refused (sysmem).
func ReadFile(path string) (*File, error) {
	f, err := readFile(path)
	if err != nil {
		return nil, fmt.Errorf("safetensors: %s: %w", atomicfile.Quote(path), err)
	}
	return f, nil
}

func readFile(path string) (*File, error) {
	fi, err := os.Stat(path)
	if err != nil {
		return nil, pathless(err)
	}
	if err := regular(fi); err != nil {
		return nil, err
	}
	if err := sysmem.Check(fmt.Sprintf("reading this %s file", sysmem.Size(fi.Size())), fi.Size()); err != nil {
		return nil, err
	}
	fh, err := os.Open(path)
	if err != nil {
		return nil, pathless(err)
	}
	defer fh.Close()
	if now, err := fh.Stat(); err != nil || !os.SameFile(fi, now) || now.Size() != fi.Size() {
		return nil, errors.New("the file changed while it was being opened; try again")
	}
	return decodeFrom(bufio.NewReaderSize(fh, 1<<20), fi.Size())
}

// regular refuses anything but a regular file, saying what it is.
func regular(fi fs.FileInfo) error {
	m := fi.Mode()
	what := ""
	switch {
	case m.IsRegular():
		return nil
	case m.IsDir():
		what = "a folder"
	case m&fs.ModeNamedPipe != 0:
		what = "a named pipe (FIFO)"
	case m&fs.ModeSocket != 0:
		what = "a socket"
	case m&fs.ModeDevice != 0:
		what = "a device"
	default:
		what = "not a regular file"
		return errors.New(what + ": safetensors files are read from regular files only")
	}
	return fmt.Errorf("%s, not a regular file: safetensors files are read from regular files only", what)
}

// pathless strips the path from an *fs.PathError, for errors that name the
// path themselves.
func pathless(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}

// WriteFile writes f to path atomically (internal/atomicfile): it encodes
// into a temporary file in the same directory, syncs and closes it, then
// renames it over path. On any error the temporary file is removed and an
// existing file at path is left untouched. A new file gets mode 0644; an
// existing file keeps its mode. Errors name path, not the temporary file.
func WriteFile(path string, f *File) error {
	if err := atomicfile.Write(path, f.encode); err != nil {
		return fmt.Errorf("safetensors: %w", err)
	}
	return nil
}

// Spec is what a caller expects: tensor name -> shape.
type Spec map[string][]int

// Check compares f against spec and reports, in one error listing every
// problem sorted by name, tensors that are missing, misshapen, duplicated
// or extra. A tensor not in spec is extra unless allowExtraPrefix is not
// empty and the name starts with it. Check returns nil if there is no
// problem.
func (f *File) Check(spec Spec, allowExtraPrefix string) error {
	type problem struct{ name, msg string }
	var probs []problem
	count := make(map[string]int, len(f.Tensors))
	for _, t := range f.Tensors {
		count[t.Name]++
	}
	for _, t := range f.Tensors {
		want, inSpec := spec[t.Name]
		switch c := count[t.Name]; {
		case c > 1:
			probs = append(probs, problem{t.Name, fmt.Sprintf("%s: appears %d times", t.Name, c)})
			count[t.Name] = -1 // report once; still counts as present
		case c < 0:
			// duplicate already reported
		case !inSpec:
			if allowExtraPrefix == "" || !strings.HasPrefix(t.Name, allowExtraPrefix) {
				probs = append(probs, problem{t.Name, fmt.Sprintf("%s: unexpected tensor, shape %v", t.Name, t.Shape)})
			}
		case !slices.Equal(t.Shape, want):
			probs = append(probs, problem{t.Name, fmt.Sprintf("%s: shape %v, expected %v", t.Name, t.Shape, want)})
		}
	}
	for name, want := range spec {
		if count[name] == 0 {
			probs = append(probs, problem{name, fmt.Sprintf("%s: missing, expected shape %v", name, want)})
		}
	}
	if len(probs) == 0 {
		return nil
	}
	sort.Slice(probs, func(i, j int) bool { return probs[i].name < probs[j].name })
	var b strings.Builder
	fmt.Fprintf(&b, "safetensors: %d tensor(s) do not match the spec:", len(probs))
	for _, p := range probs {
		b.WriteString("\n\t")
		b.WriteString(p.msg)
	}
	return errors.New(b.String())
}
