// messages.js reads and writes every message of the page: between the
// page and the trainer (worker.js, cmd/wasm/trainer) and between the page
// and the view (cmd/wasm/viewer). The messages are defined once, in Go
// (cmd/wasm/message); messages_schema.js is generated from there, and this
// checks a message against it the way the Go side does, with the same
// words: an unknown type, or a field missing or of the wrong kind, is a
// MessageError that names the message and the field.
//
// Channels: "pageToWorker", "workerToPage", "pageToViewer", "viewerToPage".

import { schema } from "./messages_schema.js";

export class MessageError extends Error {
  constructor(message) {
    super(message);
    this.name = "MessageError";
  }
}

// read returns data, a message received on channel, once checked; it
// throws a MessageError if data is not a message of that channel.
export function read(channel, data) {
  check(channel, data);
  return data;
}

// write returns the message of this type made of fields, checked: a
// message the page itself got wrong throws a MessageError too, before it
// is sent.
export function write(channel, type, fields = {}) {
  const msg = { type, ...fields };
  check(channel, msg);
  return msg;
}

function check(channel, data) {
  const c = schema[channel];
  if (!c) throw new MessageError(`no channel ${channel}`);
  if (tag(data) !== "Object") throw new MessageError(`a message from ${c.from} is ${describe(data)}, not an object`);
  if (data.type === undefined) throw new MessageError(`a message from ${c.from} has no type (keys: ${defined(data).sort().join(", ") || "none"})`);
  if (typeof data.type !== "string") throw new MessageError(`a message from ${c.from} has a type that is ${describe(data.type)}, not a string`);
  const fields = Object.hasOwn(c.messages, data.type) ? c.messages[data.type] : null;
  if (!fields) {
    throw new MessageError(`unknown message type "${data.type}" from ${c.from} (known: ${Object.keys(c.messages).sort().join(", ")})`);
  }
  const problem = checkObject(fields, data, "", true);
  if (problem) throw new MessageError(`message "${data.type}" from ${c.from}: ${problem}`);
}

// checkObject returns what is wrong with the object o of these fields, or
// "" (path is o's place in the message).
function checkObject(fields, o, path, top) {
  for (const spec of fields) {
    const p = path + spec.key;
    const v = o[spec.key];
    if (v === undefined) {
      if (spec.optional) continue;
      return `field "${p}" is missing`;
    }
    const problem = checkValue(spec, v, p);
    if (problem) return problem;
  }
  const names = fields.map((f) => f.key);
  const extra = defined(o).filter((k) => !names.includes(k) && !(top && k === "type")).sort();
  if (extra.length) {
    return `field "${path + extra[0]}" is not one of this message's (${names.length ? names.join(", ") : "it has none"})`;
  }
  return "";
}

function checkValue(spec, v, path) {
  const wrong = `field "${path}" is ${describe(v)}, want ${spec.want}`;
  if (v === null) return spec.nullable ? "" : wrong;
  const t = tag(v);
  switch (spec.kind) {
    case "string":
      return typeof v === "string" ? "" : wrong;
    case "boolean":
      return typeof v === "boolean" ? "" : wrong;
    case "number":
      return typeof v === "number" && !Number.isNaN(v) ? "" : wrong;
    case "integer":
      return Number.isInteger(v) && Math.abs(v) <= 2 ** 53 && !(spec.min !== undefined && v < spec.min) ? "" : wrong;
    case "bytes":
      return ["Uint8Array", "Uint8ClampedArray", "ArrayBuffer"].includes(t) ? "" : wrong;
    case "float32s":
      return t === "Float32Array" ? "" : wrong;
    case "float64s":
      return t === "Float64Array" ? "" : wrong;
    case "object":
      return t === "Object" ? checkObject(spec.fields, v, path + ".", false) : wrong;
    case "objects":
      if (!Array.isArray(v)) return wrong;
      for (let i = 0; i < v.length; i++) {
        const p = `${path}[${i}]`;
        if (tag(v[i]) !== "Object") return `field "${p}" is ${describe(v[i])}, want an object`;
        const problem = checkObject(spec.fields, v[i], p + ".", false);
        if (problem) return problem;
      }
      return "";
  }
  return `field "${path}" has an unknown kind ${spec.kind} in the schema`;
}

// tag is a value's class as Object.prototype.toString names it ("Object",
// "Array", "Uint8Array"), which holds for values of another frame too.
function tag(v) {
  return Object.prototype.toString.call(v).slice(8, -1);
}

function defined(o) {
  return Object.keys(o).filter((k) => o[k] !== undefined);
}

// describe names what a value is, as the Go side does.
function describe(v) {
  if (v === null) return "null";
  if (v === undefined) return "undefined";
  switch (typeof v) {
    case "string":
      return "a string";
    case "boolean":
      return "a boolean";
    case "number":
      return Number.isNaN(v) ? "NaN" : `the number ${v}`;
  }
  const t = tag(v);
  if (t === "Array") return "an array";
  if (t === "Object") return "an object";
  if (t === "Uint8Array" || t === "Uint8ClampedArray" || t === "ArrayBuffer") return "bytes";
  if (t === "Float32Array" || t === "Float64Array") return `a ${t}`;
  return `a JavaScript ${t}`;
}
