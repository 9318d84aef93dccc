package safetensors

import (
	"bytes"
	"encoding/binary"
	"errors"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"testing"
)

// randData returns n seeded standard-normal values.
func randData(rng *rand.Rand, n int) []float32 {
	d := make([]float32, n)
	for i := range d {
		d[i] = float32(rng.NormFloat64())
	}
	return d
}

// randFile returns a File with the given shapes, named t0, t1, ... in
// reverse name order (so layout order differs from header key order).
func randFile(seed uint64, shapes ...[]int) *File {
	rng := rand.New(rand.NewPCG(seed, 1))
	f := &File{}
	for i, s := range shapes {
		n, err := numElements(s)
		if err != nil {
			panic(err)
		}
		f.Add(string(rune('z'-i))+".weight", s, randData(rng, n))
	}
	return f
}

// le encodes float32 values little-endian.
func le(vals ...float32) []byte {
	b := make([]byte, 0, 4*len(vals))
	for _, v := range vals {
		b = binary.LittleEndian.AppendUint32(b, math.Float32bits(v))
	}
	return b
}

// raw assembles a file from a header string (unpadded) and a data section.
func raw(hdr string, data []byte) []byte {
	b := binary.LittleEndian.AppendUint64(nil, uint64(len(hdr)))
	return append(append(b, hdr...), data...)
}

// sameTensors reports whether a and b hold the same tensors in the same
// order, comparing values bit for bit and treating nil and empty shapes
// alike.
func sameTensors(a, b []Tensor) bool {
	return slices.EqualFunc(a, b, func(x, y Tensor) bool {
		return x.Name == y.Name && slices.Equal(x.Shape, y.Shape) &&
			slices.EqualFunc(x.Data, y.Data, func(p, q float32) bool {
				return math.Float32bits(p) == math.Float32bits(q)
			})
	})
}

func sameMetadata(a, b map[string]string) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if w, ok := b[k]; !ok || w != v {
			return false
		}
	}
	return true
}

func TestRoundTrip(t *testing.T) {
	tests := []struct {
		name string
		file *File
	}{
		{"empty", &File{}},
		{"scalar", randFile(1, []int{})},
		{"one", randFile(2, []int{5})},
		{"several", randFile(3, []int{64, 3, 5, 5}, []int{}, []int{64}, []int{2, 3, 4, 5, 6})},
		{"zero-size", randFile(4, []int{3}, []int{0, 7}, []int{2, 2}, []int{0})},
		{"metadata", func() *File {
			f := randFile(5, []int{4, 4}, []int{4})
			f.Metadata = map[string]string{"format": "pt", "step": "1200", "note": "quote \" and\nnewline", "": "empty key"}
			return f
		}()},
		{"odd names", func() *File {
			f := randFile(6, []int{2})
			f.Add("a\"b\\c\n\t\x01\x1f\u00e9\u2028<>&", []int{1, 1}, []float32{-0.5})
			f.Add("", []int{}, []float32{3})
			return f
		}()},
		{"special values", func() *File {
			f := &File{}
			f.Add("v", []int{6}, []float32{
				float32(math.Copysign(0, -1)), math.MaxFloat32, -math.MaxFloat32,
				math.SmallestNonzeroFloat32, 1e-40, -7.25,
			})
			return f
		}()},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b := tt.file.Bytes()
			n := binary.LittleEndian.Uint64(b)
			if n%8 != 0 {
				t.Errorf("header length %d is not a multiple of 8", n)
			}
			hdr := string(b[8 : 8+n])
			if json := strings.TrimRight(hdr, " "); len(hdr)-len(json) > 7 || !strings.HasSuffix(json, "}") {
				t.Errorf("header %q: want JSON then at most 7 spaces of padding", hdr)
			}
			got, err := Decode(b)
			if err != nil {
				t.Fatalf("Decode: %v", err)
			}
			if !sameTensors(got.Tensors, tt.file.Tensors) {
				t.Errorf("tensors differ:\ngot  %v\nwant %v", got.Tensors, tt.file.Tensors)
			}
			if !sameMetadata(got.Metadata, tt.file.Metadata) {
				t.Errorf("metadata = %v, want %v", got.Metadata, tt.file.Metadata)
			}
			if again := got.Bytes(); !bytes.Equal(again, b) {
				t.Errorf("re-encoding the decoded file changed the bytes")
			}
			for _, want := range tt.file.Tensors {
				if g, ok := got.Get(want.Name); !ok || !sameTensors([]Tensor{g}, []Tensor{want}) {
					t.Errorf("Get(%q) = %v, %v", want.Name, g, ok)
				}
			}
		})
	}
}

func TestDeterministicBytes(t *testing.T) {
	a := randFile(7, []int{3, 3}, []int{3}, []int{})
	a.Metadata = map[string]string{}
	for i := range 20 {
		a.Metadata[string(rune('a'+i))] = strings.Repeat("x", i)
	}
	// Same content, metadata map built in another order.
	b := &File{Tensors: slices.Clone(a.Tensors), Metadata: map[string]string{}}
	for i := 19; i >= 0; i-- {
		b.Metadata[string(rune('a'+i))] = strings.Repeat("x", i)
	}
	first := a.Bytes()
	for range 5 {
		if !bytes.Equal(a.Bytes(), first) || !bytes.Equal(b.Bytes(), first) {
			t.Fatal("Bytes differ between encodings of the same File")
		}
	}
	var buf bytes.Buffer
	if err := a.Encode(&buf); err != nil || !bytes.Equal(buf.Bytes(), first) {
		t.Fatalf("Encode = %v, bytes equal %v", err, bytes.Equal(buf.Bytes(), first))
	}
}

func TestLayoutOrder(t *testing.T) {
	f := &File{}
	f.Add("b", []int{2}, []float32{1, 2})
	f.Add("a", []int{1}, []float32{3})
	want := `{"a":{"dtype":"F32","shape":[1],"data_offsets":[8,12]},"b":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}}`
	want += strings.Repeat(" ", (8-len(want)%8)%8)
	b := f.Bytes()
	if got := string(b[8 : 8+binary.LittleEndian.Uint64(b)]); got != want {
		t.Errorf("header\ngot  %s\nwant %s", got, want)
	}
	if got := b[len(b)-12:]; !bytes.Equal(got, le(1, 2, 3)) {
		t.Errorf("data = % x, want tensors in the order given", got)
	}
	g, err := Decode(b)
	if err != nil {
		t.Fatal(err)
	}
	if g.Tensors[0].Name != "b" || g.Tensors[1].Name != "a" {
		t.Errorf("decoded order %q, %q; want data-offset order b, a", g.Tensors[0].Name, g.Tensors[1].Name)
	}
}

// referenceFile is, byte for byte, what the reference implementation
// (safetensors.torch.save_file({"b": ..., "a": ...}, metadata={"format": "pt"}))
// writes: compact JSON, __metadata__ first, tensors sorted by name and laid
// out in that order, header padded with spaces to a multiple of 8.
func referenceFile() []byte {
	hdr := `{"__metadata__":{"format":"pt"},` +
		`"a":{"dtype":"F32","shape":[3],"data_offsets":[0,12]},` +
		`"b":{"dtype":"F32","shape":[2,2],"data_offsets":[12,28]}}` +
		" " // 143 bytes of JSON + 1 of padding = 144 = 0x90
	b := []byte{0x90, 0, 0, 0, 0, 0, 0, 0}
	b = append(b, hdr...)
	b = append(b,
		0x00, 0x00, 0x80, 0x3f, // a[0] = 1
		0x00, 0x00, 0x20, 0xc0, // a[1] = -2.5
		0x00, 0x00, 0x00, 0x3f, // a[2] = 0.5
		0x00, 0x00, 0x40, 0x40, // b[0,0] = 3
		0x00, 0x00, 0x80, 0x3e, // b[0,1] = 0.25
		0x00, 0x00, 0x80, 0xbf, // b[1,0] = -1
		0x00, 0x00, 0xc8, 0x42, // b[1,1] = 100
	)
	return b
}

func TestReferenceCompatibility(t *testing.T) {
	ref := referenceFile()
	f, err := Decode(ref)
	if err != nil {
		t.Fatalf("Decode: %v", err)
	}
	want := []Tensor{
		{Name: "a", Shape: []int{3}, Data: []float32{1, -2.5, 0.5}},
		{Name: "b", Shape: []int{2, 2}, Data: []float32{3, 0.25, -1, 100}},
	}
	if !sameTensors(f.Tensors, want) {
		t.Errorf("tensors = %v, want %v", f.Tensors, want)
	}
	if !sameMetadata(f.Metadata, map[string]string{"format": "pt"}) {
		t.Errorf("metadata = %v", f.Metadata)
	}
	// Tensors in name order encode to exactly the reference bytes.
	if got := f.Bytes(); !bytes.Equal(got, ref) {
		t.Errorf("Encode differs from the reference:\ngot  %q\nwant %q", got, ref)
	}
	// A reference file with the keys in another order, as older writers
	// produced, decodes the same.
	hdr := `{"b":{"data_offsets":[12,28],"shape":[2,2],"dtype":"F32"},"a":{"dtype":"F32","shape":[3],"data_offsets":[0,12]},"__metadata__":{"format":"pt"}}`
	g, err := Decode(raw(hdr, ref[8+0x90:]))
	if err != nil {
		t.Fatalf("Decode reordered: %v", err)
	}
	if !sameTensors(g.Tensors, want) {
		t.Errorf("reordered: tensors = %v, want %v", g.Tensors, want)
	}
}

// entry1 is a valid header entry for a one-element tensor at [0, 4].
const entry1 = `{"dtype":"F32","shape":[1],"data_offsets":[0,4]}`

type malformed struct {
	name string
	file []byte
	want []string // substrings the error must contain
}

func malformedCases() []malformed {
	one := le(1.5)
	hugeLen := binary.LittleEndian.AppendUint64(nil, math.MaxUint64)
	return []malformed{
		{"empty file", nil, []string{"truncated", "0 bytes"}},
		{"short file", []byte{1, 2, 3}, []string{"truncated", "3 bytes"}},
		{"zero header length", append(make([]byte, 8), "{}"...), []string{"header length is 0"}},
		{"header past end", append([]byte{100, 0, 0, 0, 0, 0, 0, 0}, "{}"...), []string{"truncated", "length 100", "only 2 bytes"}},
		{"oversized header", append([]byte{0, 0, 0, 0x10, 0, 0, 0, 0}, "{}"...), []string{"oversized", "268435456", "104857600"}},
		{"max uint64 header", append(hugeLen, "{}"...), []string{"oversized", "18446744073709551615"}},
		{"not UTF-8", raw("{\"\xff\":"+entry1+"}", one), []string{"UTF-8"}},
		{"not JSON", raw(`{"w" `+entry1+`}`, one), []string{"invalid JSON"}},
		{"cut JSON", raw(`{"w":{"dtype":"F3`, nil), []string{`tensor "w"`}},
		{"unclosed header", raw(`{"w":`+entry1, one), []string{"unexpected EOF"}},
		{"array header", raw(`[1,2]`, nil), []string{"expected a JSON object", "an array"}},
		{"null header", raw(`null`, nil), []string{"expected a JSON object", "null"}},
		{"trailing junk", raw(`{"w":`+entry1+`} x`, one), []string{"after the object"}},
		{"two objects", raw(`{"w":`+entry1+`}{}`, one), []string{"after the object"}},
		{"entry not object", raw(`{"w":[1]}`, nil), []string{`tensor "w"`, "expected a JSON object", "an array"}},
		{"unknown field", raw(`{"w":{"dtype":"F32","shape":[1],"data_offsets":[0,4],"bias":1}}`, one), []string{`tensor "w"`, `unknown field "bias"`}},
		{"missing dtype", raw(`{"w":{"shape":[1],"data_offsets":[0,4]}}`, one), []string{`tensor "w"`, `missing field "dtype"`}},
		{"missing shape", raw(`{"w":{"dtype":"F32","data_offsets":[0,4]}}`, one), []string{`tensor "w"`, `missing field "shape"`}},
		{"missing offsets", raw(`{"w":{"dtype":"F32","shape":[1]}}`, one), []string{`tensor "w"`, `missing field "data_offsets"`}},
		{"dtype number", raw(`{"w":{"dtype":32,"shape":[1],"data_offsets":[0,4]}}`, one), []string{`tensor "w"`, "dtype", "expected a string", "number 32"}},
		{"shape string", raw(`{"w":{"dtype":"F32","shape":"1","data_offsets":[0,4]}}`, one), []string{`tensor "w"`, "shape", "expected a JSON array"}},
		{"shape of strings", raw(`{"w":{"dtype":"F32","shape":["1"],"data_offsets":[0,4]}}`, one), []string{`tensor "w"`, "shape", "expected an integer"}},
		{"shape of arrays", raw(`{"w":{"dtype":"F32","shape":[[1]],"data_offsets":[0,4]}}`, one), []string{`tensor "w"`, "shape", "expected an integer"}},
		{"fractional dim", raw(`{"w":{"dtype":"F32","shape":[1.5],"data_offsets":[0,4]}}`, one), []string{`tensor "w"`, "1.5 is not an integer"}},
		{"exponent dim", raw(`{"w":{"dtype":"F32","shape":[1e0],"data_offsets":[0,4]}}`, one), []string{`tensor "w"`, "1e0 is not an integer"}},
		{"negative dim", raw(`{"w":{"dtype":"F32","shape":[2,-1],"data_offsets":[0,4]}}`, one), []string{`tensor "w"`, "shape", "negative value -1"}},
		{"huge dim", raw(`{"w":{"dtype":"F32","shape":[99999999999999999999],"data_offsets":[0,4]}}`, one), []string{`tensor "w"`, "99999999999999999999 is out of range"}},
		{"count overflow", raw(`{"w":{"dtype":"F32","shape":[4294967296,4294967296],"data_offsets":[0,4]}}`, one), []string{`tensor "w"`, "overflow"}},
		{"offsets object", raw(`{"w":{"dtype":"F32","shape":[1],"data_offsets":{}}}`, one), []string{`tensor "w"`, "data_offsets", "an object"}},
		{"three offsets", raw(`{"w":{"dtype":"F32","shape":[1],"data_offsets":[0,4,8]}}`, one), []string{`tensor "w"`, "expected [begin, end], got 3"}},
		{"negative offset", raw(`{"w":{"dtype":"F32","shape":[1],"data_offsets":[-4,0]}}`, one), []string{`tensor "w"`, "data_offsets", "negative value -4"}},
		{"dtype F16", raw(`{"w":{"dtype":"F16","shape":[2],"data_offsets":[0,4]}}`, one), []string{`tensor "w"`, `dtype "F16"`, "F32"}},
		{"end before begin", raw(`{"w":{"dtype":"F32","shape":[1],"data_offsets":[8,4]}}`, le(1, 2, 3)), []string{`tensor "w"`, "[8, 4]", "end before begin"}},
		{"span mismatch", raw(`{"w":{"dtype":"F32","shape":[2],"data_offsets":[0,4]}}`, one), []string{`tensor "w"`, "span 4 bytes, expected 8", "[2]"}},
		{"past end", raw(`{"w":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}}`, one), []string{`tensor "w"`, "past the end", "4-byte"}},
		{"overlap", raw(`{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},"b":{"dtype":"F32","shape":[1],"data_offsets":[4,8]}}`, le(1, 2)), []string{`tensor "b"`, "overlap", `tensor "a"`}},
		{"same range", raw(`{"a":`+entry1+`,"b":`+entry1+`}`, one), []string{"overlap", `"a"`, `"b"`}},
		{"empty inside other", raw(`{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},"z":{"dtype":"F32","shape":[0],"data_offsets":[4,4]}}`, le(1, 2)), []string{`tensor "z"`, "overlap"}},
		{"gap between", raw(`{"a":`+entry1+`,"b":{"dtype":"F32","shape":[1],"data_offsets":[8,12]}}`, le(1, 2, 3)), []string{"[4, 8)", `tensor "b"`, "not covered"}},
		{"gap at start", raw(`{"a":{"dtype":"F32","shape":[1],"data_offsets":[4,8]}}`, le(1, 2)), []string{"[0, 4)", `tensor "a"`, "not covered"}},
		{"trailing data", raw(`{"a":`+entry1+`}`, le(1, 2)), []string{"[4, 8)", "not covered"}},
		{"data without tensors", raw(`{}`, le(1)), []string{"[0, 4)", "not covered"}},
		{"NaN", raw(`{"w":{"dtype":"F32","shape":[3],"data_offsets":[0,12]}}`, le(1, float32(math.NaN()), 2)), []string{`tensor "w"`, "flat index 1", "NaN"}},
		{"+Inf", raw(`{"w":{"dtype":"F32","shape":[2,2],"data_offsets":[0,16]}}`, le(1, 2, 3, float32(math.Inf(1)))), []string{`tensor "w"`, "flat index 3", "+Inf"}},
		{"-Inf in second", raw(`{"a":`+entry1+`,"w":{"dtype":"F32","shape":[1],"data_offsets":[4,8]}}`, le(1, float32(math.Inf(-1)))), []string{`tensor "w"`, "flat index 0", "-Inf"}},
		{"duplicate tensor", raw(`{"w":`+entry1+`,"w":`+entry1+`}`, one), []string{`duplicate key "w"`}},
		{"duplicate field", raw(`{"w":{"dtype":"F32","dtype":"F32","shape":[1],"data_offsets":[0,4]}}`, one), []string{`tensor "w"`, `duplicate key "dtype"`}},
		{"duplicate metadata", raw(`{"__metadata__":{},"__metadata__":{}}`, nil), []string{`duplicate key "__metadata__"`}},
		{"metadata string", raw(`{"__metadata__":"pt"}`, nil), []string{"__metadata__", "expected a JSON object", `string "pt"`}},
		{"metadata null", raw(`{"__metadata__":null}`, nil), []string{"__metadata__", "expected a JSON object", "null"}},
		{"metadata number value", raw(`{"__metadata__":{"step":12}}`, nil), []string{"__metadata__", `key "step"`, "expected a string", "number 12"}},
		{"metadata nested", raw(`{"__metadata__":{"cfg":{"lr":"1"}}}`, nil), []string{"__metadata__", `key "cfg"`, "expected a string", "an object"}},
		{"metadata duplicate key", raw(`{"__metadata__":{"k":"1","k":"2"}}`, nil), []string{"__metadata__", `duplicate key "k"`}},
	}
}

func TestDecodeMalformed(t *testing.T) {
	for _, tc := range malformedCases() {
		t.Run(tc.name, func(t *testing.T) {
			f, err := Decode(tc.file)
			if err == nil {
				t.Fatalf("Decode succeeded: %v", f.Tensors)
			}
			msg := err.Error()
			if !strings.HasPrefix(msg, "safetensors: ") {
				t.Errorf("error %q lacks the package prefix", msg)
			}
			for _, w := range tc.want {
				if !strings.Contains(msg, w) {
					t.Errorf("error %q does not mention %q", msg, w)
				}
			}
		})
	}
}

func TestDecodeAccepts(t *testing.T) {
	tests := []struct {
		name string
		file []byte
		want []Tensor
	}{
		{"no tensors", raw(`{}`, nil), nil},
		{"whitespace", raw(" {\n\t\"w\" : "+entry1+" }\r\n   ", le(2)), []Tensor{{Name: "w", Shape: []int{1}, Data: []float32{2}}}},
		{"escaped name", raw(`{"a\u00e9\n":`+entry1+`}`, le(2)), []Tensor{{Name: "a\u00e9\n", Shape: []int{1}, Data: []float32{2}}}},
		{"empty tensor at end", raw(`{"a":`+entry1+`,"e":{"dtype":"F32","shape":[5,0],"data_offsets":[4,4]}}`, le(2)),
			[]Tensor{{Name: "a", Shape: []int{1}, Data: []float32{2}}, {Name: "e", Shape: []int{5, 0}, Data: []float32{}}}},
		{"empty tensors at start, by name", raw(`{"z":{"dtype":"F32","shape":[0],"data_offsets":[0,0]},"y":{"dtype":"F32","shape":[0],"data_offsets":[0,0]},"a":`+entry1+`}`, le(2)),
			[]Tensor{{Name: "y", Shape: []int{0}}, {Name: "z", Shape: []int{0}}, {Name: "a", Shape: []int{1}, Data: []float32{2}}}},
		{"scalar", raw(`{"s":{"dtype":"F32","shape":[],"data_offsets":[0,4]}}`, le(-3)), []Tensor{{Name: "s", Shape: []int{}, Data: []float32{-3}}}},
		{"zero dim with huge dims", raw(`{"s":{"dtype":"F32","shape":[0,9223372036854775807,9223372036854775807],"data_offsets":[0,0]}}`, nil),
			[]Tensor{{Name: "s", Shape: []int{0, math.MaxInt64, math.MaxInt64}}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f, err := Decode(tt.file)
			if err != nil {
				t.Fatalf("Decode: %v", err)
			}
			if !sameTensors(f.Tensors, tt.want) {
				t.Errorf("tensors = %v, want %v", f.Tensors, tt.want)
			}
		})
	}
}

func TestEncodeErrors(t *testing.T) {
	tests := []struct {
		name string
		file *File
		want []string
	}{
		{"duplicate", &File{Tensors: []Tensor{{Name: "w", Data: []float32{1}}, {Name: "w", Data: []float32{2}}}}, []string{`duplicate tensor name "w"`}},
		{"reserved", &File{Tensors: []Tensor{{Name: "__metadata__", Data: []float32{1}}}}, []string{`"__metadata__" is reserved`}},
		{"bad UTF-8 name", &File{Tensors: []Tensor{{Name: "\xff", Data: []float32{1}}}}, []string{"UTF-8"}},
		{"bad UTF-8 metadata", &File{Metadata: map[string]string{"k": "\xfe"}}, []string{"metadata", `"k"`, "UTF-8"}},
		{"length mismatch", &File{Tensors: []Tensor{{Name: "w", Shape: []int{2, 3}, Data: make([]float32, 5)}}}, []string{`tensor "w"`, "[2 3]", "needs 6", "has 5"}},
		{"negative dim", &File{Tensors: []Tensor{{Name: "w", Shape: []int{-1}}}}, []string{`tensor "w"`, "negative dimension -1"}},
		{"overflow", &File{Tensors: []Tensor{{Name: "w", Shape: []int{math.MaxInt / 2, 3}}}}, []string{`tensor "w"`, "overflow"}},
		{"NaN", &File{Tensors: []Tensor{{Name: "w", Shape: []int{3}, Data: []float32{1, 2, float32(math.NaN())}}}}, []string{`tensor "w"`, "flat index 2", "NaN"}},
		{"Inf", &File{Tensors: []Tensor{{Name: "w", Shape: []int{}, Data: []float32{float32(math.Inf(-1))}}}}, []string{`tensor "w"`, "flat index 0", "-Inf"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var buf bytes.Buffer
			err := tt.file.Encode(&buf)
			if err == nil {
				t.Fatal("Encode succeeded")
			}
			if buf.Len() != 0 {
				t.Errorf("Encode wrote %d bytes before failing", buf.Len())
			}
			for _, w := range tt.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q does not mention %q", err, w)
				}
			}
			defer func() {
				if recover() == nil {
					t.Error("Bytes did not panic")
				}
			}()
			tt.file.Bytes()
		})
	}
}

type failWriter struct{ n int }

func (w *failWriter) Write(p []byte) (int, error) {
	if w.n <= 0 {
		return 0, errors.New("disk full")
	}
	w.n--
	return len(p), nil
}

func TestEncodeWriterError(t *testing.T) {
	f := randFile(8, []int{100000})
	for n := range 3 {
		if err := f.Encode(&failWriter{n: n}); err == nil || !strings.Contains(err.Error(), "disk full") {
			t.Errorf("after %d writes: error = %v, want disk full", n, err)
		}
	}
}

func TestAddPanics(t *testing.T) {
	tests := []struct {
		name  string
		shape []int
		n     int
		want  []string
	}{
		{"short", []int{2, 3}, 5, []string{`"w"`, "[2 3]", "needs 6", "len(data) = 5"}},
		{"scalar", []int{}, 0, []string{`"w"`, "needs 1", "len(data) = 0"}},
		{"negative", []int{-2}, 0, []string{`"w"`, "negative dimension"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			defer func() {
				r := recover()
				msg, _ := r.(string)
				for _, w := range tt.want {
					if !strings.Contains(msg, w) {
						t.Errorf("panic %v does not mention %q", r, w)
					}
				}
			}()
			(&File{}).Add("w", tt.shape, make([]float32, tt.n))
		})
	}
	f := &File{}
	shape := []int{2}
	f.Add("w", shape, []float32{1, 2})
	shape[0] = 9
	if f.Tensors[0].Shape[0] != 2 {
		t.Error("Add did not copy the shape")
	}
}

// dirEntries lists the names in dir.
func dirEntries(t *testing.T, dir string) []string {
	t.Helper()
	es, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range es {
		names = append(names, e.Name())
	}
	return names
}

func TestWriteReadFile(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "model.safetensors")
	f := randFile(9, []int{8, 3, 5, 5}, []int{8})
	f.Metadata = map[string]string{"step": "10"}
	if err := WriteFile(path, f); err != nil {
		t.Fatal(err)
	}
	if runtime.GOOS != "windows" {
		if fi, err := os.Stat(path); err != nil || fi.Mode().Perm() != 0o644 {
			t.Errorf("new file mode = %v, %v; want 0644", fi.Mode(), err)
		}
	}
	got, err := ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if !sameTensors(got.Tensors, f.Tensors) || !sameMetadata(got.Metadata, f.Metadata) {
		t.Error("ReadFile(WriteFile(f)) differs from f")
	}

	// Overwrite with different content.
	g := randFile(10, []int{4})
	if err := WriteFile(path, g); err != nil {
		t.Fatal(err)
	}
	if b, err := os.ReadFile(path); err != nil || !bytes.Equal(b, g.Bytes()) {
		t.Errorf("overwritten file does not hold the new content (err %v)", err)
	}
	if names := dirEntries(t, dir); !slices.Equal(names, []string{"model.safetensors"}) {
		t.Errorf("directory holds %q, want only model.safetensors", names)
	}

	// A failing encode leaves the existing file untouched.
	bad := &File{Tensors: []Tensor{{Name: "w", Data: []float32{1}}, {Name: "w", Data: []float32{1}}}}
	err = WriteFile(path, bad)
	if err == nil || !strings.Contains(err.Error(), path) || !strings.Contains(err.Error(), "duplicate") {
		t.Errorf("WriteFile(duplicate names) = %v, want an error naming the path", err)
	}
	if b, err := os.ReadFile(path); err != nil || !bytes.Equal(b, g.Bytes()) {
		t.Errorf("failed WriteFile changed the existing file (err %v)", err)
	}
	if names := dirEntries(t, dir); !slices.Equal(names, []string{"model.safetensors"}) {
		t.Errorf("directory holds %q after a failed write, want only model.safetensors", names)
	}
}

func TestWriteFileRenameFails(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "ckpt")
	if err := os.Mkdir(path, 0o755); err != nil {
		t.Fatal(err)
	}
	err := WriteFile(path, randFile(11, []int{16}))
	if err == nil {
		t.Fatal("WriteFile over a directory succeeded")
	}
	if !strings.Contains(err.Error(), path) {
		t.Errorf("error %q does not name the path", err)
	}
	if names := dirEntries(t, dir); !slices.Equal(names, []string{"ckpt"}) {
		t.Errorf("directory holds %q, want only ckpt (temporary file left behind?)", names)
	}
	if names := dirEntries(t, path); len(names) != 0 {
		t.Errorf("target directory now holds %q", names)
	}
}

func TestWriteFileMissingDir(t *testing.T) {
	path := filepath.Join(t.TempDir(), "no", "such", "dir", "x.safetensors")
	if err := WriteFile(path, &File{}); err == nil || !strings.Contains(err.Error(), path) {
		t.Errorf("WriteFile into a missing directory = %v, want an error naming the path", err)
	}
}

func TestReadFileErrors(t *testing.T) {
	dir := t.TempDir()
	missing := filepath.Join(dir, "missing.safetensors")
	if _, err := ReadFile(missing); err == nil || !strings.Contains(err.Error(), missing) || !errors.Is(err, os.ErrNotExist) {
		t.Errorf("ReadFile(missing) = %v, want a not-exist error naming the path", err)
	}
	corrupt := filepath.Join(dir, "corrupt.safetensors")
	if err := os.WriteFile(corrupt, raw(`{"w":{"dtype":"BF16","shape":[2],"data_offsets":[0,4]}}`, le(1)), 0o644); err != nil {
		t.Fatal(err)
	}
	_, err := ReadFile(corrupt)
	if err == nil || !strings.Contains(err.Error(), corrupt) || !strings.Contains(err.Error(), `"BF16"`) || !strings.Contains(err.Error(), `"w"`) {
		t.Errorf("ReadFile(corrupt) = %v, want an error naming the path, tensor and dtype", err)
	}
}

func TestCheck(t *testing.T) {
	f := &File{}
	f.Add("disc.conv1.weight", []int{8, 3, 5, 5}, make([]float32, 8*3*5*5))
	f.Add("disc.conv1.bias", []int{64}, make([]float32, 64))
	f.Add("gen.fc.weight", []int{4, 2}, make([]float32, 8))
	f.Add("opt.step", []int{}, []float32{7})

	exact := Spec{
		"disc.conv1.weight": {8, 3, 5, 5},
		"disc.conv1.bias":   {64},
		"gen.fc.weight":     {4, 2},
		"opt.step":          {},
	}
	tests := []struct {
		name   string
		spec   Spec
		prefix string
		want   []string // lines after the summary, in order; nil: no error
	}{
		{"exact", exact, "", nil},
		{"scalar nil shape", Spec{"disc.conv1.weight": {8, 3, 5, 5}, "disc.conv1.bias": {64}, "gen.fc.weight": {4, 2}, "opt.step": nil}, "", nil},
		{"extra allowed by prefix", Spec{"disc.conv1.weight": {8, 3, 5, 5}, "disc.conv1.bias": {64}, "gen.fc.weight": {4, 2}}, "opt.", nil},
		{"all problems", Spec{
			"disc.conv1.weight": {64, 3, 5, 5},
			"disc.conv1.bias":   {64},
			"disc.fc.weight":    {1, 64},
			"opt.step":          {},
		}, "", []string{
			"disc.conv1.weight: shape [8 3 5 5], expected [64 3 5 5]",
			"disc.fc.weight: missing, expected shape [1 64]",
			"gen.fc.weight: unexpected tensor, shape [4 2]",
		}},
		{"prefix does not hide others", Spec{"disc.conv1.weight": {8, 3, 5, 5}, "disc.conv1.bias": {64}}, "opt.", []string{
			"gen.fc.weight: unexpected tensor, shape [4 2]",
		}},
		{"empty spec", nil, "", []string{
			"disc.conv1.bias: unexpected tensor, shape [64]",
			"disc.conv1.weight: unexpected tensor, shape [8 3 5 5]",
			"gen.fc.weight: unexpected tensor, shape [4 2]",
			"opt.step: unexpected tensor, shape []",
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := f.Check(tt.spec, tt.prefix)
			if tt.want == nil {
				if err != nil {
					t.Fatalf("Check = %v, want nil", err)
				}
				return
			}
			if err == nil {
				t.Fatal("Check = nil, want problems")
			}
			lines := strings.Split(err.Error(), "\n")
			for i := range lines[1:] {
				lines[i+1] = strings.TrimSpace(lines[i+1])
			}
			if !slices.Equal(lines[1:], tt.want) {
				t.Errorf("Check lines\ngot  %q\nwant %q", lines[1:], tt.want)
			}
		})
	}

	dup := &File{Tensors: []Tensor{{Name: "w", Shape: []int{1}, Data: []float32{1}}, {Name: "w", Shape: []int{1}, Data: []float32{1}}}}
	if err := dup.Check(Spec{"w": {1}}, ""); err == nil || !strings.Contains(err.Error(), "w: appears 2 times") {
		t.Errorf("Check(duplicates) = %v", err)
	}
}

func FuzzDecode(f *testing.F) {
	f.Add(referenceFile())
	f.Add(randFile(12, []int{2, 3}, []int{}, []int{0, 4}, []int{1}).Bytes())
	meta := randFile(13, []int{3})
	meta.Metadata = map[string]string{"format": "pt", "k": "v"}
	f.Add(meta.Bytes())
	f.Add((&File{}).Bytes())
	for _, tc := range malformedCases() {
		f.Add(tc.file)
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		got, err := Decode(b)
		if err != nil {
			if got != nil {
				t.Fatal("Decode returned a File and an error")
			}
			return
		}
		var buf bytes.Buffer
		if err := got.Encode(&buf); err != nil {
			t.Fatalf("Encode(Decode(b)): %v", err)
		}
		again, err := Decode(buf.Bytes())
		if err != nil {
			t.Fatalf("Decode(Encode(Decode(b))): %v", err)
		}
		if !sameTensors(again.Tensors, got.Tensors) {
			t.Fatalf("tensors changed in a round trip:\n%v\n%v", got.Tensors, again.Tensors)
		}
		if !sameMetadata(again.Metadata, got.Metadata) {
			t.Fatalf("metadata changed in a round trip: %v, %v", got.Metadata, again.Metadata)
		}
		if !bytes.Equal(again.Bytes(), buf.Bytes()) {
			t.Fatal("encoding is not canonical: Encode(Decode(Encode(x))) != Encode(x)")
		}
	})
}

// BenchmarkDecode decodes a ~48 MB file.
func BenchmarkDecode(b *testing.B) {
	f := randFile(14, []int{1024, 1024, 4}, []int{1024, 1024, 8}, []int{512})
	data := f.Bytes()
	b.SetBytes(int64(len(data)))
	for b.Loop() {
		if _, err := Decode(data); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkBytes encodes a ~48 MB file.
func BenchmarkBytes(b *testing.B) {
	f := randFile(14, []int{1024, 1024, 4}, []int{1024, 1024, 8}, []int{512})
	b.SetBytes(int64(4 * (1024*1024*12 + 512)))
	for b.Loop() {
		f.Bytes()
	}
}
