// images.js turns the user's files into 64×64 RGBA pictures with the
// browser's own decoders, squashed as the desktop app does by default.

const SIZE = 64;
const MAX_BYTES = 50 * 1024 * 1024;
const MAX_SIDE = 16384;

// filesFromDrop lists the files of a drop, searching dropped folders, as
// [{file, name}] with name the path inside the drop.
export async function filesFromDrop(dataTransfer) {
  const entries = [];
  for (const item of dataTransfer.items) {
    const entry = item.kind === "file" && item.webkitGetAsEntry?.();
    if (entry) entries.push(entry);
  }
  if (entries.length === 0) {
    return Array.from(dataTransfer.files, (file) => ({ file, name: file.name }));
  }
  const out = [];
  for (const entry of entries) await walk(entry, out);
  return out;
}

async function walk(entry, out) {
  if (entry.isFile) {
    const file = await new Promise((resolve, reject) => entry.file(resolve, reject));
    out.push({ file, name: entry.fullPath.replace(/^\//, "") });
    return;
  }
  const reader = entry.createReader();
  // readEntries returns a folder's entries a batch at a time.
  for (;;) {
    const batch = await new Promise((resolve, reject) => reader.readEntries(resolve, reject));
    if (batch.length === 0) break;
    for (const e of batch) await walk(e, out);
  }
}

// hidden says whether a path has a part starting with ".", which the
// desktop app ignores too (.DS_Store, .git).
export function hidden(name) {
  return name.split("/").some((part) => part.startsWith("."));
}

// readPicture reads one file: {rgba} (a Uint8Array of 64×64×4) or
// {reason} for a file that is skipped. fallback(bytes) decodes a file the
// browser cannot (TIFF; or says why it is not a picture) and answers the
// same way.
export async function readPicture(file, fallback) {
  if (file.size === 0) return { reason: "empty file" };
  if (file.size > MAX_BYTES) {
    const mb = Math.ceil(file.size / 104857.6) / 10; // rounded up: never "50.0 MB" over a 50 MB limit
    return { reason: `too large: ${mb.toFixed(1)} MB (the limit is ${MAX_BYTES / 1048576} MB)` };
  }
  const head = new Uint8Array(await file.slice(0, 1 << 18).arrayBuffer());
  const size = imageSize(head);
  if (size && (size.width > MAX_SIDE || size.height > MAX_SIDE)) {
    return { reason: `too large: ${size.width}×${size.height} pixels (the limit is ${MAX_SIDE} a side)` };
  }
  let bitmap;
  try {
    bitmap = await createImageBitmap(file, { resizeWidth: SIZE, resizeHeight: SIZE, resizeQuality: "high" });
  } catch {
    return fallback(new Uint8Array(await file.arrayBuffer()));
  }
  const canvas = new OffscreenCanvas(SIZE, SIZE);
  const ctx = canvas.getContext("2d", { willReadFrequently: true });
  ctx.drawImage(bitmap, 0, 0, SIZE, SIZE); // scales too where the browser ignored the resize options
  bitmap.close();
  return { rgba: new Uint8Array(ctx.getImageData(0, 0, SIZE, SIZE).data.buffer) };
}

// imageSize reads the width and height from the start of a PNG, GIF, BMP,
// WebP or JPEG file, or returns null.
function imageSize(b) {
  const dv = new DataView(b.buffer, b.byteOffset, b.byteLength);
  const at = (i, ...bytes) => i + bytes.length <= b.length && bytes.every((v, k) => b[i + k] === v);
  const ascii = (i, s) => at(i, ...Array.from(s, (c) => c.charCodeAt(0)));
  if (at(0, 0x89, 0x50, 0x4e, 0x47) && b.length >= 24) {
    return { width: dv.getUint32(16), height: dv.getUint32(20) };
  }
  if (ascii(0, "GIF8") && b.length >= 10) {
    return { width: dv.getUint16(6, true), height: dv.getUint16(8, true) };
  }
  if (ascii(0, "BM") && b.length >= 26) {
    return { width: Math.abs(dv.getInt32(18, true)), height: Math.abs(dv.getInt32(22, true)) };
  }
  if (ascii(0, "RIFF") && ascii(8, "WEBP") && b.length >= 30) {
    if (ascii(12, "VP8 ")) return { width: dv.getUint16(26, true) & 0x3fff, height: dv.getUint16(28, true) & 0x3fff };
    if (ascii(12, "VP8L")) {
      const v = dv.getUint32(21, true);
      return { width: (v & 0x3fff) + 1, height: ((v >>> 14) & 0x3fff) + 1 };
    }
    if (ascii(12, "VP8X")) {
      const u24 = (i) => b[i] | (b[i + 1] << 8) | (b[i + 2] << 16);
      return { width: u24(24) + 1, height: u24(27) + 1 };
    }
    return null;
  }
  if (at(0, 0xff, 0xd8)) {
    // Walk the markers to the first start of frame (SOF0–SOF15 but DHT,
    // JPG and DAC), whose header holds the size.
    let i = 2;
    while (i + 9 <= b.length) {
      if (b[i] !== 0xff) return null;
      const m = b[i + 1];
      if (m === 0xff) { i++; continue; }
      if (m === 0xd8 || m === 0x01 || (m >= 0xd0 && m <= 0xd7)) { i += 2; continue; }
      if (m >= 0xc0 && m <= 0xcf && m !== 0xc4 && m !== 0xc8 && m !== 0xcc) {
        return { width: dv.getUint16(i + 7), height: dv.getUint16(i + 5) };
      }
      i += 2 + dv.getUint16(i + 2);
    }
  }
  return null;
}
