// worker.js runs the trainer (cmd/wasm/trainer) in this dedicated worker,
// with its own WebAssembly instance.
"use strict";

importScripts("wasm_exec.js");

// Messages that come before Go starts; the trainer reads them first.
self.wganEarly = [];
self.onmessage = (e) => self.wganEarly.push(e.data);

const go = new Go();
WebAssembly.instantiateStreaming(fetch("trainer.wasm"), go.importObject)
  .then((result) => {
    // The WebGPU binding reads Go's memory through globalThis.wasm.
    self.wasm = result;
    return go.run(result.instance);
  })
  .then(
    () => self.postMessage({ type: "error", fatal: true, message: "The trainer stopped (the browser console says why)." }),
    (err) => self.postMessage({ type: "error", fatal: true, message: "The trainer did not load: " + err }),
  );
