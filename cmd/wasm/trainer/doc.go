// Command trainer is the training half of the page (web/): built with
// GOOS=js GOARCH=wasm, it runs in a dedicated Web Worker (web/worker.js)
// with its own WebAssembly instance, trains with package wgan/train on
// WebGPU (navigator.gpu) or, where WebGPU is missing or fails, on the CPU
// engine, and talks to the page by messages. Go's WebAssembly is one
// thread: on the CPU the worker waits on a timer between generator
// iterations so that messages get through; on WebGPU every readback already
// waits on a promise.
//
// Messages from the page, plain objects with a type:
//
//	{type: "init", backend: "auto"|"cpu"}          open WebGPU (or the CPU); answered by "ready"
//	{type: "start", options, images}               a new run on images [{name, rgba}] (64×64 RGBA bytes)
//	{type: "resume-checkpoint", bytes, images, options}
//	                                               continue the run of a checkpoint, on the images it was trained on
//	{type: "pause"} {type: "resume"} {type: "reset"}
//	{type: "load-weights", name, bytes}            25 images from a weights file or checkpoint, shown in the grid
//	{type: "get-weights"} {type: "get-grid"} {type: "get-checkpoint"}
//	                                               answered by "file"
//	{type: "decode", id, name, bytes}              decode a file the browser could not: answered by "decoded"
//
// options holds preset, filters, batch, iterations, every, checkpointEvery
// and seed; a missing or zero value takes the preset's or the default.
//
// Messages to the page (typed arrays are transferred):
//
//	{type: "ready", backend, adapter, software, reason, presets, preset}
//	{type: "status", state, iteration, iterations, done, lossD, lossDUnregularized, penalty, lossG,
//	 itPerSec, elapsedMs, title, line, filters, batch, backend, adapter, error,
//	 deviceBytes (held on the GPU device; -1 on the CPU engine or while compiling), heapBytes (Go's memory), deviceOpens}
//	{type: "frame", grid, gridWidth, gridHeight, gridLabel, lossD, lossDUnregularized,
//	 swdIterations, swd, swdFloor, title, line}
//	{type: "checkpoint", iteration, bytes}         every checkpointEvery iterations, on pause and at the end
//	{type: "file", name, mime, bytes}
//	{type: "decoded", id, name, rgba | error}
//	{type: "notice", message} {type: "error", message}
//
// state is "idle", "training", "paused" or "error"; a run that reached its
// iterations is idle with done set. A frame's grid is 8-bit RGBA; its
// losses are the whole history (Float32Array), which the page extends
// with the status messages in between.
package main
