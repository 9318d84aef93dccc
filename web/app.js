// app.js is the page: it reads the user's pictures, drives the trainer (a
// dedicated worker running cmd/wasm/trainer), forwards what it shows to
// the viewer (an iframe running cmd/wasm/viewer), offers the files for
// download and keeps the run in IndexedDB. Every message to and from the
// trainer and the viewer goes through messages.js (defined in Go, in
// cmd/wasm/message); one that is not right is said in a notice.
//
// For automation: window.wganStatus(), window.wganLastDownload() and
// window.wganPostRaw(data), which posts data to the trainer unchecked (for
// tests of the trainer's own checks).

import { filesFromDrop, hidden, readPicture } from "./images.js";
import * as messages from "./messages.js";
import * as store from "./store.js";

const $ = (id) => document.getElementById(id);

// Options from the address: filters, batch, iterations, every,
// checkpointEvery and seed override the preset's (recipe and ema below); preset picks the model;
// backend=cpu trains on the CPU even where WebGPU is.
const params = new URLSearchParams(location.search);
const overrides = {};
for (const name of ["filters", "batch", "iterations", "every", "checkpointEvery", "seed"]) {
  if (!params.has(name)) continue;
  const v = Number(params.get(name));
  if (Number.isInteger(v) && v > 0) overrides[name] = v;
  else notify(`Ignoring ${name}=${params.get(name)} in the address: it must be a positive whole number.`);
}
// recipe=seed|paper and ema=D (a decay in [0,1), 0 for none) choose the
// critic, learning rates and moving average, as the desktop's --recipe and
// --ema do; the worker says what is wrong with a bad recipe.
if (params.has("recipe")) overrides.recipe = params.get("recipe");
if (params.has("ema")) {
  const v = Number(params.get("ema"));
  if (params.get("ema") !== "" && v >= 0 && v < 1) overrides.ema = v;
  else notify(`Ignoring ema=${params.get("ema")} in the address: it must be a decay in [0, 1), 0 for none.`);
}
const forcedPreset = params.get("preset");

// The page's state. status is the trainer's last status message.
const page = {
  ready: null, // the trainer's "ready" message
  calibration: {}, // the trainer's "calibration" message of each preset: its time per iteration here
  status: { state: "idle", iteration: 0, iterations: 0, backend: "", adapter: "", title: "", line: "" },
  images: [], // [{name, rgba}] in the order read
  skipped: [], // [{name, reason}]
  reading: 0, // files being read
  lossD: [],
  lossDUnreg: [],
  swd: { iterations: new Float64Array(0), values: new Float64Array(0), floor: 0, diversity: "" },
  grid: null, // {width, height, pixels} shown in the view
  gridLabel: "",
  runId: null,
  kept: null, // the run kept in IndexedDB, offered for resuming: {iteration, ...}
  keptIteration: 0, // the iteration of this run's checkpoint last committed to IndexedDB
  lastDownload: null,
  error: "",
};

window.wganStatus = () => ({
  state: page.status.state,
  iteration: page.status.iteration,
  lossD: page.status.lossD ?? null,
  lossDUnregularized: page.status.lossDUnregularized ?? null,
  backend: page.status.backend,
  adapter: page.status.adapter,
  images: page.images.length,
  skipped: page.skipped.length,
  iterations: page.status.iterations,
  done: !!page.status.done,
  reading: page.reading,
  itPerSec: page.status.itPerSec ?? 0,
  elapsedMs: page.status.elapsedMs ?? 0,
  error: page.error,
  keptIteration: page.keptIteration, // the checkpoint a reload would resume from
  deviceBytes: page.status.deviceBytes ?? -1, // held on the GPU device (-1: the CPU engine)
  heapBytes: page.status.heapBytes ?? 0, // the trainer's WebAssembly memory
  deviceOpens: page.status.deviceOpens ?? 0, // backends the trainer opened
  line: page.status.line ?? "", // the status line under the view
});
window.wganLastDownload = () => page.lastDownload;

// ---- the trainer ----

const worker = new Worker("worker.js", { type: "module" });
worker.onmessage = (e) => {
  let msg;
  try {
    msg = messages.read("workerToPage", e.data);
  } catch (err) {
    notify(`The page could not read the trainer's message: ${err.message}.`, true);
    return;
  }
  onTrainer(msg);
};
worker.onerror = (e) => fatal("The trainer failed: " + (e.message || "unknown error"));
window.wganPostRaw = (data) => worker.postMessage(data);
// backend=cpu or backend=webgpu in the address forces that path; else the
// trainer picks (the CPU engine where WebGPU's adapter is a software one).
const forcedBackend = ["cpu", "webgpu"].includes(params.get("backend")) ? params.get("backend") : "auto";
send("init", { backend: forcedBackend });

const pendingDecodes = new Map();
let recalibrating = null; // the timer of a calibration asked again
let nextDecode = 1;

function onTrainer(msg) {
  switch (msg.type) {
    case "ready":
      onReady(msg);
      break;
    case "status":
      onStatus(msg);
      break;
    case "frame":
      page.lossD = Array.from(msg.lossD ?? []);
      page.lossDUnreg = Array.from(msg.lossDUnregularized ?? []);
      page.swd = { iterations: msg.swdIterations, values: msg.swd, floor: msg.swdFloor, diversity: msg.diversity };
      page.grid = msg.grid ?? null;
      page.gridLabel = msg.gridLabel;
      page.status.title = msg.title;
      page.status.line = msg.line;
      showView(true);
      updateControls();
      break;
    case "checkpoint":
      if (page.runId) {
        const runId = page.runId;
        persist(() => store.saveCheckpoint(runId, msg.iteration, msg.bytes).then(() => {
          if (page.runId === runId) page.keptIteration = msg.iteration;
        }));
      }
      break;
    case "file":
      offer(msg.name, msg.bytes, msg.mime);
      break;
    case "flowers":
      // A chunk of the embedded flowers the trainer draws (the Flowers button).
      for (const im of msg.images) page.images.push({ name: im.name, rgba: im.rgba });
      page.reading = Math.max(0, page.reading - msg.images.length);
      showImages();
      updateControls();
      break;
    case "decoded": {
      const resolve = pendingDecodes.get(msg.id);
      pendingDecodes.delete(msg.id);
      resolve?.(msg.error ? { reason: msg.error } : { rgba: msg.rgba });
      break;
    }
    case "calibration":
      page.calibration[msg.preset] = msg;
      showPresets();
      // Interrupted by another message (the Flowers button, a decode):
      // go on once the trainer is free, unless a run has started.
      if (msg.error === "interrupted by the page" && !recalibrating) {
        recalibrating = setTimeout(() => {
          recalibrating = null;
          if (page.status.state === "idle" && !page.status.iterations && page.reading === 0) calibrate();
        }, 2000);
      }
      break;
    case "notice":
      notify(msg.message);
      break;
    case "error":
      if (msg.fatal) fatal(msg.message);
      else if (msg.message !== page.error) notify(msg.message, true); // else the status said it
      break;
  }
}

function onReady(msg) {
  page.ready = msg;
  page.status.backend = msg.backend;
  page.status.adapter = msg.adapter;
  const select = $("preset");
  select.replaceChildren(...msg.presets.map((p) => new Option(presetLabel(p), p.name)));
  select.value = msg.presets.some((p) => p.name === forcedPreset) ? forcedPreset : msg.preset;
  if (forcedPreset && select.value !== forcedPreset) notify(`Unknown preset ${forcedPreset} in the address: using ${select.value}.`, true);
  select.disabled = false;
  presetChanged();
  calibrate();
  if (msg.backend === "webgpu") {
    $("backend-line").textContent = `Training on WebGPU: ${msg.adapter}` +
      (msg.software ? ", a software adapter (no GPU), so the model is small by default" : "");
  } else if (params.get("backend") === "cpu") {
    $("backend-line").textContent = "Training on the CPU engine compiled to WebAssembly (backend=cpu in the address): slowly, with the smallest model.";
  } else if (msg.software && msg.reason.startsWith("WebGPU's adapter here is")) {
    $("backend-line").textContent = "Training on the CPU engine compiled to WebAssembly, with the smallest model.";
    notify(msg.reason + ".");
  } else {
    $("backend-line").textContent = "No WebGPU: training on the CPU engine compiled to WebAssembly, slowly, with the smallest model.";
    notify(`WebGPU is not available (${msg.reason}). Training runs on the CPU instead: it works, slowly.`);
  }
  showView(true);
  updateControls();
  store.load().then((kept) => {
    page.kept = kept;
    updateControls();
  }, (err) => notify("This browser's storage is not available, so runs cannot be resumed after a reload: " + err));
}

function onStatus(msg) {
  const prev = page.status;
  page.status = msg;
  if (msg.error) page.error = msg.error;
  else if (msg.state !== "error") page.error = "";
  // A status between frames extends the curves by its iteration.
  if (msg.iteration === page.lossD.length + 1 && msg.lossD !== undefined) {
    page.lossD.push(msg.lossD);
    page.lossDUnreg.push(msg.lossDUnregularized);
  }
  if (msg.state === "error" && prev.state !== "error") notify(msg.error, true);
  showStatus();
  showView(false);
  updateControls();
}

function fatal(message) {
  page.status = { ...page.status, state: "error" };
  page.error = message;
  notify(message, true);
  showStatus();
  updateControls();
}

// ---- the view ----

let viewReady = false;

window.wganViewerEvent = (data) => {
  // Called from the viewer's Go code: answer later, not inside its call.
  setTimeout(() => {
    let event;
    try {
      event = messages.read("viewerToPage", data);
    } catch (err) {
      notify(`The page could not read the view's event: ${err.message}.`, true);
      return;
    }
    switch (event.type) {
      case "ready":
        viewReady = true;
        showView(true);
        break;
      case "toggle-pause":
        if (page.status.state === "training") send("pause");
        else if (page.status.state === "paused") send("resume");
        break;
      case "save-grid":
        if (page.grid) send("get-grid");
        break;
      case "failed":
        notify("The view could not start (failed: " + event.message + "); training and downloads still work.", true);
        break;
      case "error":
        notify("The view could not read the page's frame: " + event.message + ".", true);
        break;
    }
  });
};

// The view may have started before this script.
if ($("viewer").contentWindow?.wganShowFrame) viewReady = true;

// showView sends the view the current curves and status, and the grid
// when withGrid (null clears it).
function showView(withGrid) {
  if (!viewReady) return;
  const s = page.status;
  let frame;
  try {
    frame = messages.write("pageToViewer", "frame", {
      title: s.title || "Iteration: 0, Elapsed: 00:00:00",
      line: s.line || idleLine(),
      gridLabel: page.gridLabel,
      lossD: Float32Array.from(page.lossD),
      lossDUnregularized: Float32Array.from(page.lossDUnreg),
      swdIterations: page.swd.iterations,
      swd: page.swd.values,
      swdFloor: page.swd.floor,
      diversity: page.swd.diversity,
      ...(withGrid ? { grid: page.grid } : { keepGrid: true }),
    });
  } catch (err) {
    notify(`The page made a frame the view cannot take: ${err.message}.`, true);
    return;
  }
  $("viewer").contentWindow.wganShowFrame?.(frame);
}

function idleLine() {
  if (!page.ready) return "loading the trainer…";
  const on = page.ready.backend === "webgpu" ? `WebGPU (${page.ready.adapter})` : page.ready.adapter;
  return `${on} · add images and press Start`;
}

// ---- controls ----

// send posts the trainer a message of this type and says whether it did
// (messages.js checks it; one the page got wrong is said in a notice and
// not sent).
function send(type, fields = {}, transfer = []) {
  let msg;
  try {
    msg = messages.write("pageToWorker", type, fields);
  } catch (err) {
    notify(`The page made a message the trainer cannot take: ${err.message}.`, true);
    return false;
  }
  worker.postMessage(msg, transfer);
  return true;
}

function presetChanged() {
  const p = page.ready.presets.find((q) => q.name === $("preset").value);
  $("iterations").value = overrides.iterations ?? p.iterations;
  showAbout();
}

function showAbout() {
  const p = page.ready.presets.find((q) => q.name === $("preset").value);
  const set = ["filters", "batch"].filter((k) => overrides[k]).map((k) => `${k} ${overrides[k]}`);
  const c = page.calibration[p.name];
  const about = /[.!?]$/.test(p.about) ? p.about : p.about + ".";
  $("preset-about").textContent = about + (set.length ? ` The address sets ${set.join(", ")}.` : "") +
    (c ? ` ${c.text}${set.length && !c.error ? " (At the preset's own size.)" : ""}` : " Measuring its time per iteration here…");
}

// calibrate asks the trainer for each preset's time per iteration on this
// machine (measured in a few seconds, before Start), shown in the list as
// each comes.
function calibrate() {
  send("calibrate", overrides.iterations ? { iterations: overrides.iterations } : {});
}

function presetLabel(p) {
  const c = page.calibration[p.name];
  return `${p.name} — F=${p.filters}, batch ${p.batch} · ${c ? c.short : "measuring here…"}`;
}

function showPresets() {
  if (!page.ready) return;
  for (const option of $("preset").options) {
    const p = page.ready.presets.find((q) => q.name === option.value);
    if (p) option.textContent = presetLabel(p);
  }
  showAbout();
}

$("preset").addEventListener("change", presetChanged);

$("start").addEventListener("click", () => {
  if (page.images.length === 0) {
    notify("No usable images yet: choose image files or a folder, or drop them on the page.", true);
    return;
  }
  const iterations = Number($("iterations").value);
  if (!Number.isInteger(iterations) || iterations < 1) {
    notify("Iterations must be a positive whole number.", true);
    return;
  }
  const options = { ...overrides, preset: $("preset").value, iterations };
  const images = page.images.slice();
  page.runId = `${Date.now()}-${Math.random().toString(16).slice(2)}`;
  page.kept = null;
  page.keptIteration = 0;
  const runId = page.runId;
  persist(() => store.saveRun(runId, images));
  send("start", { options, images });
});

// The embedded flowers, drawn by the trainer: a newcomer can watch a run
// before choosing pictures. flowers=N in the address asks for fewer.
$("flowers").addEventListener("click", () => {
  const count = Number(params.get("flowers")) || 2000;
  page.reading += count;
  $("flowers").disabled = true;
  showImages();
  updateControls();
  send("flowers", { count });
});

$("pause").addEventListener("click", () => send("pause"));
$("resume").addEventListener("click", () => send("resume"));

$("reset").addEventListener("click", () => {
  send("reset");
  calibrate(); // the presets not timed before the run
  page.runId = null;
  page.kept = null;
  page.keptIteration = 0;
  persist(() => store.clear());
  updateControls();
});

$("resume-checkpoint").addEventListener("click", () => {
  const kept = page.kept;
  if (!kept) return;
  page.kept = null;
  page.runId = kept.runId;
  page.keptIteration = kept.iteration;
  page.images = kept.images.slice();
  page.skipped = [];
  showImages();
  const options = {};
  for (const name of ["iterations", "every", "checkpointEvery"]) {
    if (overrides[name]) options[name] = overrides[name];
  }
  const bytes = kept.bytes.slice();
  send("resume-checkpoint", { bytes, images: kept.images, options }, [bytes.buffer]);
  updateControls();
});

$("download-weights").addEventListener("click", () => send("get-weights"));
$("download-grid").addEventListener("click", () => send("get-grid"));
$("download-checkpoint").addEventListener("click", () => send("get-checkpoint"));

// maxWeightsBytes bounds a file given to Load weights: a checkpoint of
// F=64 is about 115 MB, of F=128 about 450 MB; WebAssembly has 4 GB in all.
const maxWeightsBytes = 1 << 30;

$("load-weights").addEventListener("change", async (e) => {
  const file = e.target.files[0];
  e.target.value = "";
  if (!file) return;
  if (file.size > maxWeightsBytes) {
    notify(`${file.name} is ${(file.size / 2 ** 20).toFixed(0)} MB: too large to be a weights file or checkpoint of this page's models.`, true);
    return;
  }
  let bytes;
  try {
    bytes = new Uint8Array(await file.arrayBuffer());
  } catch (err) {
    notify(`${file.name} could not be read: ${err}`, true);
    return;
  }
  send("load-weights", { name: file.name, bytes }, [bytes.buffer]);
});

function updateControls() {
  const s = page.status.state;
  const ready = !!page.ready;
  const running = s === "training" || s === "paused";
  const hasRun = page.status.iterations > 0;
  $("start").disabled = !ready || running || page.reading > 0;
  $("pause").disabled = s !== "training";
  $("resume").disabled = s !== "paused";
  $("reset").disabled = !hasRun && s !== "error";
  $("download-weights").disabled = !hasRun;
  $("download-checkpoint").disabled = !hasRun;
  $("download-grid").disabled = !page.grid;
  $("preset").disabled = !ready || running;
  $("iterations").disabled = !ready || running;
  const offer = $("resume-checkpoint");
  offer.hidden = !(ready && page.kept && !hasRun && !running);
  if (page.kept) offer.textContent = `Resume training from iteration ${page.kept.iteration}`;
}

function showStatus() {
  const s = page.status;
  $("status-state").textContent = s.state + (s.done ? " (done)" : "");
  $("status-iteration").textContent = s.iterations ? `${s.iteration} / ${s.iterations}` : String(s.iteration);
  $("status-loss").textContent = s.lossD === undefined ? "–"
    : `${s.lossD.toFixed(4)} (unregularized ${s.lossDUnregularized.toFixed(4)})`;
  $("status-speed").textContent = s.itPerSec > 0
    ? `${s.itPerSec.toFixed(2)} it/s (${(1 / s.itPerSec).toFixed(2)} s per iteration)` : "–";
  $("status-elapsed").textContent = hms(s.elapsedMs ?? 0);
}

function hms(ms) {
  const t = Math.round(ms / 1000);
  const pad = (v) => String(v).padStart(2, "0");
  return `${pad(Math.floor(t / 3600))}:${pad(Math.floor(t / 60) % 60)}:${pad(t % 60)}`;
}

// ---- messages ----

function notify(message, isError = false) {
  const box = $("notice");
  const p = document.createElement("p");
  p.textContent = message;
  if (isError) p.className = "error";
  box.append(p);
  while (box.childElementCount > 4) box.firstElementChild.remove();
  box.hidden = false;
}

// persist runs storage writes one after the other. A write that fails
// (the storage full, a private window) leaves what was kept before; the
// page says so and how to keep the run anyway.
// A tab closed during a write loses only that write: an IndexedDB
// transaction commits whole or not at all, so the checkpoint kept before
// stays (the page does not hold the tab open: a prompt on leaving would
// stop every reload).
let storing = Promise.resolve();
let staleNoted = null; // the run whose unkept checkpoints the page has mentioned
function persist(write) {
  storing = storing.then(write).catch((err) => {
    if (err?.name === "StaleRun") {
      if (staleNoted !== page.runId) notify("Could not keep the run in the browser's storage: " + err.message + ". Download checkpoint saves one as a file.", true);
      staleNoted = page.runId;
    } else if (store.isQuota(err)) {
      notify("The browser's storage for this page is full: this checkpoint was not kept (the one kept before, if any, still is). " +
        "Download checkpoint saves it as a file; freeing this site's storage lets the next one be kept.", true);
    } else {
      notify("Could not keep the run in the browser's storage (what was kept before still is): " + err, true);
    }
  });
}

// ---- downloads ----

function offer(name, bytes, mime) {
  page.lastDownload = { name, bytes };
  const url = URL.createObjectURL(new Blob([bytes], { type: mime }));
  const a = document.createElement("a");
  a.href = url;
  a.download = name;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}

// ---- images ----

for (const id of ["files", "folder"]) {
  $(id).addEventListener("change", (e) => {
    const files = Array.from(e.target.files, (file) => ({ file, name: file.webkitRelativePath || file.name }));
    e.target.value = "";
    addFiles(files);
  });
}

$("clear-images").addEventListener("click", () => {
  page.images = [];
  page.skipped = [];
  showImages();
  if (page.reading === 0) $("flowers").disabled = false;
});

document.addEventListener("dragover", (e) => {
  e.preventDefault();
  document.body.classList.add("dropping");
});
document.addEventListener("dragleave", (e) => {
  if (!e.relatedTarget) document.body.classList.remove("dropping");
});
document.addEventListener("drop", (e) => {
  e.preventDefault();
  document.body.classList.remove("dropping");
  window.wganDrop(e.dataTransfer);
});

// wganDrop reads a drop here or on the view (view.js). It must be called
// while the drop event is dispatched: its files are readable only then.
window.wganDrop = (dataTransfer) => filesFromDrop(dataTransfer).then(addFiles);

// decodeInTrainer asks the trainer's Go decoders for a file the browser
// could not decode.
function decodeInTrainer(name, bytes) {
  const id = nextDecode++;
  return new Promise((resolve) => {
    pendingDecodes.set(id, resolve);
    if (!send("decode", { id, name, bytes }, [bytes.buffer])) {
      pendingDecodes.delete(id);
      resolve({ reason: "could not be sent to the trainer's decoders" });
    }
  });
}

// addFiles reads files into the page's pictures, a few at a time, keeping
// their order.
async function addFiles(files) {
  // In path order, folder by folder, as the desktop app reads a folder.
  files = files.filter((f) => !hidden(f.name)).sort((a, b) => comparePaths(a.name, b.name));
  if (files.length === 0) return;
  page.reading += files.length;
  updateControls();
  const results = new Array(files.length);
  let next = 0;
  const readNext = async () => {
    while (next < files.length) {
      const i = next++;
      const { file, name } = files[i];
      try {
        results[i] = await readPicture(file, (bytes) => decodeInTrainer(name, bytes));
      } catch (err) {
        results[i] = { reason: "could not be read: " + err };
      }
      page.reading--;
      if (i % 16 === 0) showImages();
    }
  };
  await Promise.all(Array.from({ length: 4 }, readNext));
  let added = 0;
  files.forEach(({ name }, i) => {
    if (results[i].rgba) {
      page.images.push({ name, rgba: results[i].rgba });
      added++;
    } else {
      page.skipped.push({ name, reason: results[i].reason });
    }
  });
  showImages();
  updateControls();
  if (added === 0) {
    const which = files.length === 1 ? "The file is not" : `None of the ${files.length} files is`;
    notify(`${which} a usable picture (see the skipped list): choose JPEG, PNG, GIF, BMP, WebP or TIFF images.`, true);
  }
}

function comparePaths(a, b) {
  const pa = a.split("/"), pb = b.split("/");
  for (let i = 0; i < Math.min(pa.length, pb.length); i++) {
    if (pa[i] !== pb[i]) return pa[i] < pb[i] ? -1 : 1;
  }
  return pa.length - pb.length;
}

function showImages() {
  const n = page.images.length;
  let text = n === 0 ? "No images yet." : `${n} image${n === 1 ? "" : "s"} read.`;
  if (page.reading > 0) text += ` Reading ${page.reading} more…`;
  $("image-count").textContent = text;
  $("thumbs").replaceChildren(...page.images.slice(0, 8).map(thumbnail));
  const skipped = page.skipped;
  $("skipped").hidden = skipped.length === 0;
  $("skipped-summary").textContent = `${skipped.length} file${skipped.length === 1 ? "" : "s"} skipped`;
  $("skipped-list").replaceChildren(...skipped.slice(0, 200).map(({ name, reason }) => {
    const li = document.createElement("li");
    li.textContent = `${name}: ${reason}`;
    return li;
  }));
}

function thumbnail({ name, rgba }) {
  const c = document.createElement("canvas");
  c.width = c.height = 64;
  c.title = name;
  c.getContext("2d").putImageData(new ImageData(new Uint8ClampedArray(rgba), 64, 64), 0, 0);
  return c;
}
