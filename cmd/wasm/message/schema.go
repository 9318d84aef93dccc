package message

import (
	"encoding/json"
	"reflect"
)

// Channels are the four channels by the name web/messages.js knows them.
var Channels = map[string]*Channel{
	"pageToWorker": PageToWorker,
	"workerToPage": WorkerToPage,
	"pageToViewer": PageToViewer,
	"viewerToPage": ViewerToPage,
}

// SchemaPath is where Schema is kept, from the module's root.
const SchemaPath = "web/messages_schema.js"

// Schema is the text of web/messages_schema.js: the messages of each
// channel with, for each field in order, its key, its kind (string, boolean, number,
// integer, bytes, float32s, float64s, object, objects: an array of
// objects, with their fields), whether it may be missing (optional) and
// whether it may be null (nullable), and what it must be in words (want,
// for errors). TestSchemaUpToDate keeps the file equal to it.
func Schema() string {
	channels := map[string]any{}
	for name, c := range Channels {
		msgs := map[string]any{}
		for typ, t := range c.byName {
			msgs[typ] = schemaFields(t)
		}
		channels[name] = map[string]any{"from": c.from, "messages": msgs}
	}
	b, err := json.MarshalIndent(channels, "", "  ")
	if err != nil {
		panic(err) // maps of strings and bools always marshal
	}
	return "// Generated from the Go definitions in cmd/wasm/message (go test ./cmd/wasm/message -run Schema -update); do not edit.\n" +
		"// web/messages.js reads and writes the page's messages by it.\n\n" +
		"export const schema = " + string(b) + ";\n"
}

// schemaFields lists the fields of a struct in their order (the order
// the Go side checks them in).
func schemaFields(t reflect.Type) []any {
	out := []any{}
	for _, f := range fieldsOf(t) {
		spec := map[string]any{"key": f.key, "want": want(f.typ)}
		ft := f.typ
		if ft.Kind() == reflect.Pointer {
			spec["optional"], spec["nullable"] = true, true
			ft = ft.Elem()
		}
		if f.optional {
			spec["optional"] = true
		}
		switch ft.Kind() {
		case reflect.String:
			spec["kind"] = "string"
		case reflect.Bool:
			spec["kind"] = "boolean"
		case reflect.Float32, reflect.Float64:
			spec["kind"] = "number"
		case reflect.Int, reflect.Int64, reflect.Uint64:
			spec["kind"] = "integer"
			if ft.Kind() == reflect.Uint64 {
				spec["min"] = 0
			}
		case reflect.Struct:
			spec["kind"], spec["fields"] = "object", schemaFields(ft)
		case reflect.Slice:
			switch ft.Elem().Kind() {
			case reflect.Struct:
				spec["kind"], spec["fields"] = "objects", schemaFields(ft.Elem())
			case reflect.Uint8:
				spec["kind"] = "bytes"
			case reflect.Float32:
				spec["kind"] = "float32s"
			case reflect.Float64:
				spec["kind"] = "float64s"
			}
		}
		out = append(out, spec)
	}
	return out
}
