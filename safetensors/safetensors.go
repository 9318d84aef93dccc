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
	"path/filepath"
	"slices"
	"sort"
	"strings"
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

// ReadFile reads and decodes the file at path. Errors name the path.
func ReadFile(path string) (*File, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("safetensors: %w", err)
	}
	f, err := decode(b)
	if err != nil {
		return nil, fmt.Errorf("safetensors: %s: %w", path, err)
	}
	return f, nil
}

// WriteFile writes f to path atomically: it encodes into a temporary file in
// the same directory, syncs and closes it, then renames it over path. On any
// error the temporary file is removed and an existing file at path is left
// untouched. A new file gets mode 0644; an existing file keeps its mode.
func WriteFile(path string, f *File) (err error) {
	mode := fs.FileMode(0o644)
	if fi, statErr := os.Stat(path); statErr == nil && fi.Mode().IsRegular() {
		mode = fi.Mode().Perm()
	}
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".*.tmp")
	if err != nil {
		return fmt.Errorf("safetensors: write %s: %w", path, err)
	}
	defer func() {
		if err != nil {
			tmp.Close() // may already be closed; the error is moot
			os.Remove(tmp.Name())
			err = fmt.Errorf("safetensors: write %s: %w", path, err)
		}
	}()
	w := bufio.NewWriterSize(tmp, 1<<20)
	if err = f.encode(w); err != nil {
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
	return os.Rename(tmp.Name(), path)
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
