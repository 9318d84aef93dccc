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

// saveRun starts a new run: its pictures, and no checkpoint yet, in one
// transaction, so a tab closed or a full storage midway leaves the kept
// run as it was.
export function saveRun(runId, images) {
  return request("readwrite", (s) => {
    s.delete("checkpoint");
    return s.put({ runId, images }, "run");
  });
}

// saveCheckpoint keeps the run's latest checkpoint (bytes: a Uint8Array),
// in one transaction that first checks that the kept pictures are this
// run's: a checkpoint never replaces another run's (say, when this run's
// pictures could not be stored). An IndexedDB transaction is atomic, so a
// tab closed or a quota exceeded mid-save leaves the previous checkpoint.
export async function saveCheckpoint(runId, iteration, bytes) {
  const tx = (await db()).transaction(STORE, "readwrite");
  const s = tx.objectStore(STORE);
  let stale = false;
  s.get("run").onsuccess = (e) => {
    if (e.target.result?.runId !== runId) {
      stale = true;
      tx.abort();
      return;
    }
    s.put({ runId, iteration, bytes, saved: Date.now() }, "checkpoint");
  };
  return new Promise((resolve, reject) => {
    tx.oncomplete = () => resolve();
    tx.onerror = () => reject(tx.error);
    tx.onabort = () => reject(stale ? staleRun() : tx.error);
  });
}

// staleRun is saveCheckpoint's error for a run whose pictures are not kept.
function staleRun() {
  const err = new Error("this run's pictures are not kept in the browser, so neither are its checkpoints");
  err.name = "StaleRun";
  return err;
}

// isQuota says whether err is the browser's storage being full.
export function isQuota(err) {
  return err?.name === "QuotaExceededError" || /quota/i.test(String(err?.message ?? err));
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
