// Command trainer is the training half of the page (web/): built with
// GOOS=js GOARCH=wasm, it runs in a dedicated Web Worker (web/worker.js)
// with its own WebAssembly instance, trains with package wgan/train on
// WebGPU (navigator.gpu) or, where WebGPU is missing or fails, on the CPU
// engine, and talks to the page by messages. Go's WebAssembly is one
// thread: on the CPU the worker waits on a timer between generator
// iterations so that messages get through; on WebGPU every readback already
// waits on a promise.
//
// The messages, both ways, are defined in package
// github.com/wgangp/wgangp/cmd/wasm/message (web/messages.js on the
// page's side): the page sends init, start, resume-checkpoint, pause,
// resume, reset, load-weights, get-weights, get-grid, get-checkpoint,
// decode, flowers and calibrate; the worker answers with ready, status,
// frame, checkpoint, file, flowers, decoded, calibration, notice and error
// (typed arrays are transferred). A message the worker cannot read (an
// unknown type, a field missing or of the wrong kind) is answered by an
// error saying which message and which field.
//
// state is "idle", "training", "paused" or "error"; a run that reached its
// iterations is idle with done set. A frame's grid is 8-bit RGBA; its
// losses are the whole history (Float32Array), which the page extends
// with the status messages in between.
package main
