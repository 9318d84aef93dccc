package safetensors

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"sort"
	"strconv"
	"unicode/utf8"
)

// maxHeaderLen bounds the JSON header; anything larger is treated as corrupt.
const maxHeaderLen = 100 << 20

// Decode parses and validates a whole safetensors file held in memory. It
// rejects anything malformed with an error naming the offending tensor or
// header key: bad lengths, invalid or duplicate-keyed JSON, unknown or
// missing fields, dtypes other than F32, inconsistent, overlapping or
// gapped data offsets, and NaN or Inf values. The tensors of the returned
// File are ordered by data offset.
func Decode(b []byte) (*File, error) {
	f, err := decode(b)
	if err != nil {
		return nil, fmt.Errorf("safetensors: %w", err)
	}
	return f, nil
}

// entry is one tensor as described by the header.
type entry struct {
	name       string
	shape      []int
	n          int // number of elements
	begin, end int // byte range in the data section
}

// decode is Decode without the package prefix on errors.
func decode(b []byte) (*File, error) {
	return decodeFrom(bytes.NewReader(b), int64(len(b)))
}

// decodeFrom decodes a file of size bytes read from r. It reads and checks
// the 8-byte header length and the header against size before it reads
// the data, then decodes the data straight into the tensors, a chunk at a
// time: nothing more than the tensors (and the header) is ever held.
func decodeFrom(r io.Reader, size int64) (*File, error) {
	if size < 8 {
		return nil, fmt.Errorf("truncated file: %d bytes, shorter than the 8-byte header length", size)
	}
	var prefix [8]byte
	if _, err := io.ReadFull(r, prefix[:]); err != nil {
		return nil, fmt.Errorf("reading the header length: %w", err)
	}
	n := binary.LittleEndian.Uint64(prefix[:])
	switch {
	case n == 0:
		return nil, errors.New("header length is 0")
	case n > maxHeaderLen:
		return nil, fmt.Errorf("oversized header: length %d exceeds the %d-byte limit", n, maxHeaderLen)
	case n > uint64(size-8):
		return nil, fmt.Errorf("truncated header: length %d, but only %d bytes follow the length prefix", n, size-8)
	}
	hdr := make([]byte, n)
	if _, err := io.ReadFull(r, hdr); err != nil {
		return nil, fmt.Errorf("reading the %d-byte header: %w", n, err)
	}
	entries, meta, err := parseHeader(hdr)
	if err != nil {
		return nil, err
	}
	total, err := layout(entries, size-8-int64(n))
	if err != nil {
		return nil, err
	}

	all := make([]float32, total)
	f := &File{Tensors: make([]Tensor, len(entries)), Metadata: meta}
	chunk := make([]byte, min(64<<10, 4*max(total, 1)))
	k := 0
	for i, e := range entries {
		dst := all[k : k+e.n : k+e.n]
		k += e.n
		for done := 0; done < e.n; {
			m := min(len(chunk)/4, e.n-done)
			if _, err := io.ReadFull(r, chunk[:4*m]); err != nil {
				return nil, fmt.Errorf("tensor %q: reading its data: %w", e.name, err)
			}
			if err := readFloats(dst[done:done+m], chunk); err != nil {
				return nil, fmt.Errorf("tensor %q: %w", e.name, errAt(err, done))
			}
			done += m
		}
		f.Tensors[i] = Tensor{Name: e.name, Shape: e.shape, Data: dst}
	}
	return f, nil
}

// layout checks the entries' byte ranges against a data section of
// dataLen bytes (each the size of its shape, inside the section, the
// section covered without gaps or overlaps), sorts them by offset and
// returns their total number of elements.
func layout(entries []entry, dataLen int64) (int, error) {
	total := 0
	for _, e := range entries {
		switch {
		case e.end < e.begin:
			return 0, fmt.Errorf("tensor %q: data_offsets [%d, %d]: end before begin", e.name, e.begin, e.end)
		case e.end-e.begin != 4*e.n:
			return 0, fmt.Errorf("tensor %q: data_offsets [%d, %d] span %d bytes, expected %d (%d float32 values for shape %v)",
				e.name, e.begin, e.end, e.end-e.begin, 4*e.n, e.n, e.shape)
		case int64(e.end) > dataLen:
			return 0, fmt.Errorf("tensor %q: data_offsets [%d, %d] run past the end of the %d-byte data section",
				e.name, e.begin, e.end, dataLen)
		}
		total += e.n
	}
	sort.Slice(entries, func(i, j int) bool {
		a, b := entries[i], entries[j]
		if a.begin != b.begin {
			return a.begin < b.begin
		}
		if a.end != b.end {
			return a.end < b.end
		}
		return a.name < b.name
	})
	pos := 0
	for i, e := range entries {
		switch {
		case e.begin > pos:
			return 0, fmt.Errorf("data bytes [%d, %d) before tensor %q are not covered by any tensor", pos, e.begin, e.name)
		case e.begin < pos:
			p := entries[i-1]
			return 0, fmt.Errorf("tensor %q: data_offsets [%d, %d] overlap tensor %q at [%d, %d]",
				e.name, e.begin, e.end, p.name, p.begin, p.end)
		}
		pos = e.end
	}
	if int64(pos) != dataLen {
		return 0, fmt.Errorf("data bytes [%d, %d) at the end are not covered by any tensor", pos, dataLen)
	}
	return total, nil
}

// notFinite is a NaN or Inf found by readFloats at index i of its slice.
type notFinite struct {
	v float32
	i int
}

func (e notFinite) Error() string {
	return fmt.Sprintf("value %v at flat index %d is not finite", e.v, e.i)
}

// errAt shifts the index of a notFinite error by off (the chunk's start).
func errAt(err error, off int) error {
	if nf, ok := err.(notFinite); ok {
		nf.i += off
		return nf
	}
	return err
}

// readFloats decodes little-endian float32 values from src (4*len(dst)
// bytes) into dst, rejecting NaN and Inf.
func readFloats(dst []float32, src []byte) error {
	const expMask = 0x7f800000 // all exponent bits set: Inf or NaN
	src = src[:4*len(dst)]
	for i := range dst {
		u := binary.LittleEndian.Uint32(src[4*i:])
		if u&expMask == expMask {
			return notFinite{math.Float32frombits(u), i}
		}
		dst[i] = math.Float32frombits(u)
	}
	return nil
}

// parseHeader parses the JSON header, token by token so that duplicate keys
// and unknown fields are caught.
func parseHeader(hdr []byte) ([]entry, map[string]string, error) {
	if !utf8.Valid(hdr) {
		return nil, nil, errors.New("header is not valid UTF-8")
	}
	p := parser{json.NewDecoder(bytes.NewReader(hdr))}
	p.dec.UseNumber()
	if err := p.open('{'); err != nil {
		return nil, nil, fmt.Errorf("header: %w", err)
	}
	var (
		entries []entry
		meta    map[string]string
		seen    = map[string]bool{}
	)
	for p.dec.More() {
		key, err := p.key(seen)
		if err != nil {
			return nil, nil, fmt.Errorf("header: %w", err)
		}
		if key == metadataKey {
			if meta, err = p.metadata(); err != nil {
				return nil, nil, fmt.Errorf("%s: %w", metadataKey, err)
			}
			continue
		}
		e, err := p.entry(key)
		if err != nil {
			return nil, nil, fmt.Errorf("tensor %q: %w", key, err)
		}
		entries = append(entries, e)
	}
	if err := p.close(); err != nil {
		return nil, nil, fmt.Errorf("header: %w", err)
	}
	if t, err := p.dec.Token(); err != io.EOF {
		if err != nil {
			return nil, nil, fmt.Errorf("header: invalid JSON after the object: %w", err)
		}
		return nil, nil, fmt.Errorf("header: found %s after the object", describe(t))
	}
	return entries, meta, nil
}

// parser reads the header's JSON tokens.
type parser struct{ dec *json.Decoder }

// token returns the next token, turning a premature end into an error.
func (p parser) token() (json.Token, error) {
	t, err := p.dec.Token()
	if err == io.EOF {
		return nil, io.ErrUnexpectedEOF
	}
	if err != nil {
		return nil, fmt.Errorf("invalid JSON: %w", err)
	}
	return t, nil
}

// open consumes the opening delimiter of an object or array.
func (p parser) open(delim json.Delim) error {
	t, err := p.token()
	if err != nil {
		return err
	}
	if t != delim {
		kind := "object"
		if delim == '[' {
			kind = "array"
		}
		return fmt.Errorf("expected a JSON %s, got %s", kind, describe(t))
	}
	return nil
}

// close consumes the closing delimiter that follows the last element.
func (p parser) close() error {
	_, err := p.token() // More() was false: only '}' or ']' can come next
	return err
}

// key reads an object key and rejects one already seen.
func (p parser) key(seen map[string]bool) (string, error) {
	t, err := p.token()
	if err != nil {
		return "", err
	}
	k, ok := t.(string)
	if !ok {
		return "", fmt.Errorf("expected a key, got %s", describe(t))
	}
	if seen[k] {
		return "", fmt.Errorf("duplicate key %q", k)
	}
	seen[k] = true
	return k, nil
}

// metadata reads the __metadata__ object of strings.
func (p parser) metadata() (map[string]string, error) {
	if err := p.open('{'); err != nil {
		return nil, err
	}
	meta := map[string]string{}
	seen := map[string]bool{}
	for p.dec.More() {
		k, err := p.key(seen)
		if err != nil {
			return nil, err
		}
		t, err := p.token()
		if err != nil {
			return nil, fmt.Errorf("key %q: %w", k, err)
		}
		v, ok := t.(string)
		if !ok {
			return nil, fmt.Errorf("key %q: expected a string, got %s", k, describe(t))
		}
		meta[k] = v
	}
	return meta, p.close()
}

// entry reads one tensor's {"dtype", "shape", "data_offsets"} object.
func (p parser) entry(name string) (entry, error) {
	e := entry{name: name}
	if err := p.open('{'); err != nil {
		return e, err
	}
	var dtype string
	seen := map[string]bool{}
	for p.dec.More() {
		k, err := p.key(seen)
		if err != nil {
			return e, err
		}
		switch k {
		case "dtype":
			t, err := p.token()
			if err != nil {
				return e, fmt.Errorf("dtype: %w", err)
			}
			s, ok := t.(string)
			if !ok {
				return e, fmt.Errorf("dtype: expected a string, got %s", describe(t))
			}
			dtype = s
		case "shape":
			if e.shape, err = p.ints("shape"); err != nil {
				return e, err
			}
		case "data_offsets":
			offs, err := p.ints("data_offsets")
			if err != nil {
				return e, err
			}
			if len(offs) != 2 {
				return e, fmt.Errorf("data_offsets: expected [begin, end], got %d numbers", len(offs))
			}
			e.begin, e.end = offs[0], offs[1]
		default:
			return e, fmt.Errorf("unknown field %q", k)
		}
	}
	if err := p.close(); err != nil {
		return e, err
	}
	for _, f := range []string{"dtype", "shape", "data_offsets"} {
		if !seen[f] {
			return e, fmt.Errorf("missing field %q", f)
		}
	}
	if dtype != "F32" {
		return e, fmt.Errorf("dtype %q is not supported, expected \"F32\"", dtype)
	}
	n, err := numElements(e.shape)
	if err != nil {
		return e, fmt.Errorf("shape %v: %w", e.shape, err)
	}
	e.n = n
	return e, nil
}

// ints reads an array of non-negative integers.
func (p parser) ints(what string) ([]int, error) {
	if err := p.open('['); err != nil {
		return nil, fmt.Errorf("%s: %w", what, err)
	}
	xs := []int{}
	for p.dec.More() {
		t, err := p.token()
		if err != nil {
			return nil, fmt.Errorf("%s: %w", what, err)
		}
		num, ok := t.(json.Number)
		if !ok {
			return nil, fmt.Errorf("%s: expected an integer, got %s", what, describe(t))
		}
		x, err := strconv.ParseInt(string(num), 10, strconv.IntSize)
		switch {
		case err != nil && errors.Is(err, strconv.ErrRange):
			return nil, fmt.Errorf("%s: %s is out of range", what, num)
		case err != nil:
			return nil, fmt.Errorf("%s: %s is not an integer", what, num)
		case x < 0:
			return nil, fmt.Errorf("%s: negative value %d", what, x)
		}
		xs = append(xs, int(x))
	}
	if err := p.close(); err != nil {
		return nil, fmt.Errorf("%s: %w", what, err)
	}
	return xs, nil
}

// describe names a JSON token for error messages.
func describe(t json.Token) string {
	switch v := t.(type) {
	case json.Delim:
		switch v {
		case '{':
			return "an object"
		case '[':
			return "an array"
		}
		return fmt.Sprintf("%q", v.String())
	case string:
		return fmt.Sprintf("string %q", v)
	case json.Number:
		return "number " + v.String()
	case bool:
		return fmt.Sprintf("boolean %v", v)
	case nil:
		return "null"
	}
	return fmt.Sprintf("%v", t)
}
