// worker.js runs the trainer (cmd/wasm/trainer) in this dedicated module
// worker, with its own WebAssembly instance.

import "./wasm_exec.js";
import * as messages from "./messages.js";

// Messages that come before Go starts; the trainer reads them first.
self.wganEarly = [];
self.onmessage = (e) => self.wganEarly.push(e.data);

const fatal = (message) => self.postMessage(messages.write("workerToPage", "error", { fatal: true, message }));

const go = new Go();
WebAssembly.instantiateStreaming(fetch("trainer.wasm"), go.importObject)
  .then((result) => {
    // The WebGPU binding reads Go's memory through globalThis.wasm.
    self.wasm = result;
    return go.run(result.instance);
  })
  .then(
    () => fatal("The trainer stopped (the browser console says why)."),
    (err) => fatal("The trainer did not load: " + err),
  );
