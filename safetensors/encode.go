package safetensors

import (
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"math"
	"slices"
	"sort"
	"strconv"
	"unicode/utf8"
)

// metadataKey is the reserved header key holding the string metadata.
const metadataKey = "__metadata__"

// Encode writes f in safetensors format. Tensors are laid out in the order
// of f.Tensors, contiguous and without gaps. The header is compact JSON with
// "__metadata__" first (omitted when empty), then the tensors sorted by
// name, each as {"dtype","shape","data_offsets"}, padded with spaces to a
// multiple of 8 bytes: the same File always gives the same bytes, and a File
// whose tensors are in name order gives exactly the bytes the reference
// implementation writes (for at most one metadata entry, whose order the
// reference leaves unspecified).
//
// Encode checks f before writing anything: duplicate or reserved names,
// invalid UTF-8, negative dimensions, data whose length does not match the
// shape, and NaN or Inf values (which Decode rejects) are errors.
func (f *File) Encode(w io.Writer) error {
	if err := f.encode(w); err != nil {
		return fmt.Errorf("safetensors: %w", err)
	}
	return nil
}

// Bytes returns f encoded in memory. It panics if Encode would fail, which
// happens only for an invalid File (see Encode).
func (f *File) Bytes() []byte {
	hdr, err := f.header()
	if err != nil {
		panic(fmt.Errorf("safetensors: %w", err))
	}
	n := len(hdr)
	for _, t := range f.Tensors {
		n += 4 * len(t.Data)
	}
	b := make([]byte, 0, n)
	b = append(b, hdr...)
	for _, t := range f.Tensors {
		for _, v := range t.Data {
			b = binary.LittleEndian.AppendUint32(b, math.Float32bits(v))
		}
	}
	return b
}

// encode is Encode without the package prefix on errors.
func (f *File) encode(w io.Writer) error {
	hdr, err := f.header()
	if err != nil {
		return err
	}
	if _, err := w.Write(hdr); err != nil {
		return err
	}
	buf := make([]byte, 0, 64<<10) // multiple of 4: fills exactly
	for _, t := range f.Tensors {
		for _, v := range t.Data {
			buf = binary.LittleEndian.AppendUint32(buf, math.Float32bits(v))
			if len(buf) == cap(buf) {
				if _, err := w.Write(buf); err != nil {
					return err
				}
				buf = buf[:0]
			}
		}
	}
	if len(buf) > 0 {
		if _, err := w.Write(buf); err != nil {
			return err
		}
	}
	return nil
}

// header validates f and returns the length prefix and padded JSON header.
func (f *File) header() ([]byte, error) {
	type span struct{ begin, end int }
	offsets := make(map[string]span, len(f.Tensors))
	pos := 0
	for _, t := range f.Tensors {
		if err := checkTensor(t); err != nil {
			return nil, err
		}
		if _, dup := offsets[t.Name]; dup {
			return nil, fmt.Errorf("duplicate tensor name %q", t.Name)
		}
		offsets[t.Name] = span{pos, pos + 4*len(t.Data)}
		pos += 4 * len(t.Data)
	}
	for k, v := range f.Metadata {
		if !utf8.ValidString(k) || !utf8.ValidString(v) {
			return nil, fmt.Errorf("metadata %q: %q: invalid UTF-8", k, v)
		}
	}

	b := make([]byte, 8, 8+64*len(f.Tensors)+64)
	b = append(b, '{')
	if len(f.Metadata) > 0 {
		b = appendString(b, metadataKey)
		b = append(b, ":{"...)
		keys := make([]string, 0, len(f.Metadata))
		for k := range f.Metadata {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for i, k := range keys {
			if i > 0 {
				b = append(b, ',')
			}
			b = appendString(b, k)
			b = append(b, ':')
			b = appendString(b, f.Metadata[k])
		}
		b = append(b, '}')
	}
	names := make([]int, len(f.Tensors))
	for i := range names {
		names[i] = i
	}
	sort.Slice(names, func(i, j int) bool { return f.Tensors[names[i]].Name < f.Tensors[names[j]].Name })
	for i, ti := range names {
		t := f.Tensors[ti]
		if i > 0 || len(f.Metadata) > 0 {
			b = append(b, ',')
		}
		b = appendString(b, t.Name)
		b = append(b, `:{"dtype":"F32","shape":[`...)
		for j, d := range t.Shape {
			if j > 0 {
				b = append(b, ',')
			}
			b = strconv.AppendInt(b, int64(d), 10)
		}
		b = append(b, `],"data_offsets":[`...)
		s := offsets[t.Name]
		b = strconv.AppendInt(b, int64(s.begin), 10)
		b = append(b, ',')
		b = strconv.AppendInt(b, int64(s.end), 10)
		b = append(b, "]}"...)
	}
	b = append(b, '}')
	for len(b)%8 != 0 {
		b = append(b, ' ')
	}
	binary.LittleEndian.PutUint64(b, uint64(len(b)-8))
	return b, nil
}

// checkTensor reports why t cannot be encoded, or nil.
func checkTensor(t Tensor) error {
	switch {
	case t.Name == metadataKey:
		return fmt.Errorf("tensor name %q is reserved", t.Name)
	case !utf8.ValidString(t.Name):
		return fmt.Errorf("tensor name %q is not valid UTF-8", t.Name)
	}
	n, err := numElements(t.Shape)
	if err != nil {
		return fmt.Errorf("tensor %q: shape %v: %w", t.Name, t.Shape, err)
	}
	if n != len(t.Data) {
		return fmt.Errorf("tensor %q: shape %v needs %d values, has %d", t.Name, t.Shape, n, len(t.Data))
	}
	if i := slices.IndexFunc(t.Data, func(v float32) bool {
		return math.IsNaN(float64(v)) || math.IsInf(float64(v), 0)
	}); i >= 0 {
		return fmt.Errorf("tensor %q: value %v at flat index %d is not finite", t.Name, t.Data[i], i)
	}
	return nil
}

// errOverflow reports a shape whose element count does not fit.
var errOverflow = errors.New("element count overflows")

// numElements returns the product of shape (1 for a scalar), rejecting
// negative dimensions and counts whose byte size would overflow an int.
func numElements(shape []int) (int, error) {
	n := 1
	for _, d := range shape {
		if d < 0 {
			return 0, fmt.Errorf("negative dimension %d", d)
		}
	}
	if slices.Contains(shape, 0) {
		return 0, nil
	}
	for _, d := range shape {
		if n > math.MaxInt/4/d {
			return 0, errOverflow
		}
		n *= d
	}
	return n, nil
}

// appendString appends s as a JSON string, escaped the way serde_json (the
// reference implementation) does: only '"', '\\' and control characters.
// s must be valid UTF-8.
func appendString(b []byte, s string) []byte {
	const hex = "0123456789abcdef"
	b = append(b, '"')
	for i := 0; i < len(s); i++ {
		switch c := s[i]; c {
		case '"', '\\':
			b = append(b, '\\', c)
		case '\b':
			b = append(b, `\b`...)
		case '\f':
			b = append(b, `\f`...)
		case '\n':
			b = append(b, `\n`...)
		case '\r':
			b = append(b, `\r`...)
		case '\t':
			b = append(b, `\t`...)
		default:
			if c < 0x20 {
				b = append(b, '\\', 'u', '0', '0', hex[c>>4], hex[c&0xf])
			} else {
				b = append(b, c)
			}
		}
	}
	return append(b, '"')
}
