package message

import (
	"fmt"
	"math"
	"reflect"
	"slices"
	"sort"
	"strings"
)

// A Channel is one direction of messages: each message's Go type by the
// value of its "type" key.
type Channel struct {
	from   string // who sends them, for errors: "the page", "the trainer"
	byName map[string]reflect.Type
}

// typeNames is every message's "type" value by its Go type.
var typeNames = map[reflect.Type]string{}

func newChannel(from string, msgs map[string]any) *Channel {
	c := &Channel{from: from, byName: map[string]reflect.Type{}}
	for name, m := range msgs {
		t := reflect.TypeOf(m)
		c.byName[name] = t
		typeNames[t] = name
	}
	return c
}

// Types lists the channel's message types, sorted.
func (c *Channel) Types() []string {
	var names []string
	for n := range c.byName {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}

// TypeOf returns the "type" value of a message.
func TypeOf(m any) string {
	if name, ok := typeNames[reflect.TypeOf(m)]; ok {
		return name
	}
	return fmt.Sprintf("unregistered %T", m) // the receiver says it is unknown
}

// Encode returns m as a plain value: a map with its "type" and its fields
// (numbers as Go ints and float64, slices of bytes and floats as they
// are, structs as maps, slices of structs as []any). A field tagged
// optional is left out when it is zero, a nil pointer always (it is
// optional too).
func Encode(m any) map[string]any {
	out := encodeStruct(reflect.ValueOf(m))
	out["type"] = TypeOf(m)
	return out
}

func encodeStruct(v reflect.Value) map[string]any {
	out := map[string]any{}
	for _, f := range fieldsOf(v.Type()) {
		fv := v.Field(f.index)
		if fv.Kind() == reflect.Pointer && fv.IsNil() || f.optional && fv.IsZero() {
			continue
		}
		out[f.key] = encodeValue(fv)
	}
	return out
}

func encodeValue(v reflect.Value) any {
	switch v.Kind() {
	case reflect.Pointer:
		return encodeValue(v.Elem())
	case reflect.Struct:
		return encodeStruct(v)
	case reflect.Float32:
		return v.Float()
	case reflect.Slice:
		if v.Type().Elem().Kind() == reflect.Struct {
			out := make([]any, v.Len())
			for i := range out {
				out[i] = encodeStruct(v.Index(i))
			}
			return out
		}
		if v.IsNil() { // an empty typed array, not null
			return reflect.MakeSlice(v.Type(), 0, 0).Interface()
		}
	}
	return v.Interface()
}

// Decode reads a plain value (as Encode makes, or FromJS reads from a
// JavaScript object; a number may be any Go numeric type) as a message of
// channel c. It fails on a value that is not an object, a type the channel
// does not have, a field missing or of the wrong type, and a key the
// message does not have, saying which message and which field.
func (c *Channel) Decode(v any) (any, error) {
	o, ok := v.(map[string]any)
	if !ok {
		return nil, fmt.Errorf("a message from %s is %s, not an object", c.from, describe(v))
	}
	tv, ok := o["type"]
	if !ok {
		return nil, fmt.Errorf("a message from %s has no type (keys: %s)", c.from, keys(o))
	}
	name, ok := tv.(string)
	if !ok {
		return nil, fmt.Errorf("a message from %s has a type that is %s, not a string", c.from, describe(tv))
	}
	t, ok := c.byName[name]
	if !ok {
		return nil, fmt.Errorf("unknown message type %q from %s (known: %s)", name, c.from, strings.Join(c.Types(), ", "))
	}
	out := reflect.New(t).Elem()
	if err := decodeStruct(out, o, "", true); err != nil {
		return nil, fmt.Errorf("message %q from %s: %w", name, c.from, err)
	}
	return out.Interface(), nil
}

func keys(o map[string]any) string {
	var ks []string
	for k := range o {
		ks = append(ks, k)
	}
	if len(ks) == 0 {
		return "none"
	}
	sort.Strings(ks)
	return strings.Join(ks, ", ")
}

// decodeStruct fills the struct dst from o; path names o's place in the
// message ("" at the top).
func decodeStruct(dst reflect.Value, o map[string]any, path string, top bool) error {
	fields := fieldsOf(dst.Type())
	known := map[string]bool{}
	for _, f := range fields {
		known[f.key] = true
		p := path + f.key
		v, ok := o[f.key]
		if !ok {
			if f.optional || dst.Field(f.index).Kind() == reflect.Pointer {
				continue
			}
			return fmt.Errorf("field %q is missing", p)
		}
		if err := decodeValue(dst.Field(f.index), v, p); err != nil {
			return err
		}
	}
	var extra []string
	for k := range o {
		if !known[k] && !(top && k == "type") {
			extra = append(extra, k)
		}
	}
	if len(extra) > 0 {
		sort.Strings(extra)
		return fmt.Errorf("field %q is not one of this message's (%s)", path+extra[0], fieldList(fields))
	}
	return nil
}

func fieldList(fields []field) string {
	if len(fields) == 0 {
		return "it has none"
	}
	var ks []string
	for _, f := range fields {
		ks = append(ks, f.key)
	}
	return strings.Join(ks, ", ")
}

func decodeValue(dst reflect.Value, v any, path string) error {
	wrong := func() error {
		return &kindError{path, fmt.Sprintf("field %q is %s, want %s", path, describe(v), want(dst.Type()))}
	}
	switch dst.Kind() {
	case reflect.Pointer:
		if v == nil {
			return nil
		}
		p := reflect.New(dst.Type().Elem())
		if err := decodeValue(p.Elem(), v, path); err != nil {
			if k, ok := err.(*kindError); ok && k.path == path {
				return wrong() // "… or null"
			}
			return err
		}
		dst.Set(p)
		return nil
	case reflect.String:
		s, ok := v.(string)
		if !ok {
			return wrong()
		}
		dst.SetString(s)
	case reflect.Bool:
		b, ok := v.(bool)
		if !ok {
			return wrong()
		}
		dst.SetBool(b)
	case reflect.Float32, reflect.Float64:
		f, ok := number(v)
		if !ok {
			return wrong()
		}
		dst.SetFloat(f)
	case reflect.Int, reflect.Int64:
		f, ok := number(v)
		if !ok || f != math.Trunc(f) || math.Abs(f) > 1<<53 {
			return wrong()
		}
		dst.SetInt(int64(f))
	case reflect.Uint64:
		f, ok := number(v)
		if !ok || f != math.Trunc(f) || f < 0 || f > 1<<53 {
			return wrong()
		}
		dst.SetUint(uint64(f))
	case reflect.Struct:
		o, ok := v.(map[string]any)
		if !ok {
			return wrong()
		}
		return decodeStruct(dst, o, path+".", false)
	case reflect.Slice:
		if dst.Type().Elem().Kind() == reflect.Struct {
			items, ok := v.([]any)
			if !ok {
				return wrong()
			}
			s := reflect.MakeSlice(dst.Type(), len(items), len(items))
			for i, item := range items {
				o, ok := item.(map[string]any)
				p := fmt.Sprintf("%s[%d]", path, i)
				if !ok {
					return fmt.Errorf("field %q is %s, want an object", p, describe(item))
				}
				if err := decodeStruct(s.Index(i), o, p+".", false); err != nil {
					return err
				}
			}
			dst.Set(s)
			return nil
		}
		rv := reflect.ValueOf(v)
		if v == nil || rv.Type() != dst.Type() {
			return wrong()
		}
		dst.Set(rv)
	default:
		return fmt.Errorf("field %q: a Go field of kind %s cannot be decoded", path, dst.Kind())
	}
	return nil
}

// kindError is a field of the wrong kind.
type kindError struct{ path, msg string }

func (e *kindError) Error() string { return e.msg }

// number reads any Go number as a float64 (NaN is not one).
func number(v any) (float64, bool) {
	rv := reflect.ValueOf(v)
	var f float64
	switch rv.Kind() {
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		f = float64(rv.Int())
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		f = float64(rv.Uint())
	case reflect.Float32, reflect.Float64:
		f = rv.Float()
	default:
		return 0, false
	}
	return f, !math.IsNaN(f)
}

// Foreign is a JavaScript value that has no plain form (a function, an
// Int32Array): FromJS keeps its description for the error that names it.
type Foreign string

// describe names what a plain value is, for errors.
func describe(v any) string {
	switch x := v.(type) {
	case nil:
		return "null"
	case string:
		return "a string"
	case bool:
		return "a boolean"
	case []byte:
		return "bytes"
	case []float32:
		return "a Float32Array"
	case []float64:
		return "a Float64Array"
	case []any:
		return "an array"
	case map[string]any:
		return "an object"
	case Foreign:
		return string(x)
	}
	if f, ok := number(v); ok {
		if f != math.Trunc(f) || math.IsInf(f, 0) {
			return fmt.Sprintf("the number %g", f)
		}
		return fmt.Sprintf("the number %.0f", f)
	}
	if _, ok := v.(float64); ok {
		return "NaN"
	}
	return fmt.Sprintf("a Go %T", v)
}

// want names what a field of Go type t must be, for errors and the schema.
func want(t reflect.Type) string {
	switch t.Kind() {
	case reflect.Pointer:
		return want(t.Elem()) + " or null"
	case reflect.String:
		return "a string"
	case reflect.Bool:
		return "a boolean"
	case reflect.Float32, reflect.Float64:
		return "a number"
	case reflect.Int, reflect.Int64:
		return "a whole number"
	case reflect.Uint64:
		return "a whole number ≥ 0"
	case reflect.Struct:
		return "an object"
	case reflect.Slice:
		switch t.Elem().Kind() {
		case reflect.Struct:
			return "an array of objects"
		case reflect.Uint8:
			return "bytes (a Uint8Array)"
		case reflect.Float32:
			return "a Float32Array"
		case reflect.Float64:
			return "a Float64Array"
		}
	}
	return t.String()
}

// field is one field of a message struct.
type field struct {
	key      string
	index    int
	optional bool
	typ      reflect.Type
}

// fieldsOf lists the tagged fields of a struct type, in order.
func fieldsOf(t reflect.Type) []field {
	var fs []field
	for i := range t.NumField() {
		sf := t.Field(i)
		tag, ok := sf.Tag.Lookup("js")
		if !ok {
			continue
		}
		parts := strings.Split(tag, ",")
		fs = append(fs, field{key: parts[0], index: i, optional: slices.Contains(parts[1:], "optional"), typ: sf.Type})
	}
	return fs
}
