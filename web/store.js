// store.js keeps the run in IndexedDB, so that a reload can resume it: the
// run's pictures (64×64 RGBA, in the order trained on) under "run" and its
// latest checkpoint under "checkpoint", both tagged with the run's id.

const DB = "wgangp";
const STORE = "run";

let opened;

function db() {
  opened ??= new Promise((resolve, reject) => {
    const req = indexedDB.open(DB, 1);
    req.onupgradeneeded = () => req.result.createObjectStore(STORE);
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error);
  });
  return opened;
}

// request runs one request on the store and resolves with its result when
// the transaction has committed.
async function request(mode, f) {
  const tx = (await db()).transaction(STORE, mode);
  const req = f(tx.objectStore(STORE));
  return new Promise((resolve, reject) => {
    tx.oncomplete = () => resolve(req.result);
    tx.onerror = () => reject(tx.error);
    tx.onabort = () => reject(tx.error);
  });
}

// saveRun starts a new run: its pictures, and no checkpoint yet.
export async function saveRun(runId, images) {
  await request("readwrite", (s) => s.delete("checkpoint"));
  return request("readwrite", (s) => s.put({ runId, images }, "run"));
}

// saveCheckpoint keeps the run's latest checkpoint (bytes: a Uint8Array).
export function saveCheckpoint(runId, iteration, bytes) {
  return request("readwrite", (s) => s.put({ runId, iteration, bytes, saved: Date.now() }, "checkpoint"));
}

// load returns {runId, images, iteration, bytes} of the kept run, or null
// when there is no checkpoint of it.
export async function load() {
  const [run, ck] = await Promise.all([
    request("readonly", (s) => s.get("run")),
    request("readonly", (s) => s.get("checkpoint")),
  ]);
  if (!run || !ck || run.runId !== ck.runId) return null;
  return { runId: run.runId, images: run.images, iteration: ck.iteration, bytes: ck.bytes };
}

// clear forgets the run.
export function clear() {
  return request("readwrite", (s) => s.clear());
}
