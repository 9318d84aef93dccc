//go:build js

package message

import (
	"encoding/binary"
	"math"
	"syscall/js"
)

var (
	uint8Array   = js.Global().Get("Uint8Array")
	float32Array = js.Global().Get("Float32Array")
	float64Array = js.Global().Get("Float64Array")
	object       = js.Global().Get("Object")
	array        = js.Global().Get("Array")
	toStringTag  = js.Global().Get("Object").Get("prototype").Get("toString")
)

// EncodeJS is m as a JavaScript object, with the buffers of its typed
// arrays (new copies) to transfer.
func EncodeJS(m any) (js.Value, []any) {
	var transfer []any
	return ToJS(Encode(m), &transfer), transfer
}

// DecodeJS reads a JavaScript object as a message of c (see Decode).
func (c *Channel) DecodeJS(v js.Value) (any, error) {
	return c.Decode(FromJS(v))
}

// ToJS converts a plain value (see Encode), adding the buffers of the
// typed arrays it makes to transfer.
func ToJS(v any, transfer *[]any) js.Value {
	switch x := v.(type) {
	case map[string]any:
		o := object.New()
		for k, e := range x {
			o.Set(k, ToJS(e, transfer))
		}
		return o
	case []any:
		a := array.New(len(x))
		for i, e := range x {
			a.SetIndex(i, ToJS(e, transfer))
		}
		return a
	case []byte:
		u := uint8Array.New(len(x))
		js.CopyBytesToJS(u, x)
		*transfer = append(*transfer, u.Get("buffer"))
		return u
	case []float32:
		b := make([]byte, 4*len(x))
		for i, f := range x {
			binary.LittleEndian.PutUint32(b[4*i:], math.Float32bits(f))
		}
		return float32Array.New(ToJS(b, transfer).Get("buffer"))
	case []float64:
		b := make([]byte, 8*len(x))
		for i, f := range x {
			binary.LittleEndian.PutUint64(b[8*i:], math.Float64bits(f))
		}
		return float64Array.New(ToJS(b, transfer).Get("buffer"))
	}
	return js.ValueOf(v)
}

// FromJS reads a JavaScript value as a plain one: objects as maps (keys
// whose value is undefined left out), arrays as []any, numbers as float64,
// a Uint8Array, Uint8ClampedArray or ArrayBuffer as []byte, a Float32Array
// as []float32, a Float64Array as []float64 (copies); anything else
// (functions, other typed arrays) as a Foreign naming it. Values from
// another realm (the page's objects in the view's iframe) are read the
// same.
func FromJS(v js.Value) any {
	switch v.Type() {
	case js.TypeNull:
		return nil
	case js.TypeBoolean:
		return v.Bool()
	case js.TypeNumber:
		return v.Float()
	case js.TypeString:
		return v.String()
	case js.TypeObject:
	default:
		return Foreign("a JavaScript " + v.Type().String())
	}
	switch tag := toStringTag.Call("call", v).String(); tag {
	case "[object Array]":
		out := make([]any, v.Length())
		for i := range out {
			out[i] = FromJS(v.Index(i))
		}
		return out
	case "[object Object]":
		out := map[string]any{}
		ks := object.Call("keys", v)
		for i := range ks.Length() {
			k := ks.Index(i).String()
			if e := v.Get(k); !e.IsUndefined() {
				out[k] = FromJS(e)
			}
		}
		return out
	case "[object Uint8Array]", "[object Uint8ClampedArray]", "[object ArrayBuffer]":
		return bytesOf(v, tag == "[object ArrayBuffer]")
	case "[object Float32Array]":
		b := bytesOf(v, false)
		out := make([]float32, len(b)/4)
		for i := range out {
			out[i] = math.Float32frombits(binary.LittleEndian.Uint32(b[4*i:]))
		}
		return out
	case "[object Float64Array]":
		b := bytesOf(v, false)
		out := make([]float64, len(b)/8)
		for i := range out {
			out[i] = math.Float64frombits(binary.LittleEndian.Uint64(b[8*i:]))
		}
		return out
	default:
		return Foreign("a JavaScript " + tag[len("[object "):len(tag)-1])
	}
}

// bytesOf copies the bytes of an ArrayBuffer or of a typed array's view,
// through a Uint8Array of this realm (js.CopyBytesToGo takes no other).
func bytesOf(v js.Value, buffer bool) []byte {
	var u js.Value
	if buffer {
		u = uint8Array.New(v)
	} else {
		u = uint8Array.New(v.Get("buffer"), v.Get("byteOffset"), v.Get("byteLength"))
	}
	b := make([]byte, u.Length())
	js.CopyBytesToGo(b, u)
	return b
}
