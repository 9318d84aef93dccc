// view.js starts the viewer (cmd/wasm/viewer) in this frame; Ebitengine
// draws on a canvas that fills it.

import * as messages from "./messages.js";

// Pictures dropped on the view are the page's, as anywhere else on it.
addEventListener("dragover", (e) => e.preventDefault(), true);
addEventListener("drop", (e) => {
  e.preventDefault();
  e.stopPropagation();
  parent.wganDrop?.(e.dataTransfer);
}, true);

const go = new Go();
WebAssembly.instantiateStreaming(fetch("viewer.wasm"), go.importObject)
  .then((result) => {
    globalThis.wasm = result;
    return go.run(result.instance);
  })
  .catch((err) => parent.wganViewerEvent?.(messages.write("viewerToPage", "failed", { message: String(err) })));
