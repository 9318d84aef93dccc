"""A small safetensors reader and writer: an 8-byte little-endian header
length, a JSON header (name -> dtype, shape, data_offsets; "__metadata__"
-> string map), then the raw little-endian data. Only F32 (and, for reading,
F64) tensors; reading is strict: offsets must tile the data exactly."""

import json
import os
import struct
import random

import numpy as np

MAX_HEADER = 100 << 20
_DTYPES = {"F32": "<f4", "F64": "<f8"}


class FormatError(ValueError):
    """A file that is not a valid safetensors file."""


def read(path):
    """Returns (dict name -> numpy float32 array, in header order; metadata dict)."""
    try:
        with open(path, "rb") as f:
            buf = f.read()
    except OSError as e:
        raise FormatError(f"{path}: {e.strerror or e}") from None
    return parse(buf, path)


def parse(buf, path="<bytes>"):
    if len(buf) < 8:
        raise FormatError(f"{path}: {len(buf)} bytes, too short for a safetensors file (truncated?)")
    (n,) = struct.unpack("<Q", buf[:8])
    if n > MAX_HEADER or 8 + n > len(buf):
        raise FormatError(f"{path}: header length {n} does not fit a file of {len(buf)} bytes (truncated, or not a safetensors file)")
    try:
        header = json.loads(buf[8:8 + n].decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as e:
        raise FormatError(f"{path}: header is not JSON ({e}): not a safetensors file") from None
    if not isinstance(header, dict):
        raise FormatError(f"{path}: header is not a JSON object")
    meta = header.pop("__metadata__", None) or {}
    if not isinstance(meta, dict) or not all(isinstance(v, str) for v in meta.values()):
        raise FormatError(f"{path}: __metadata__ must map names to strings")
    data = memoryview(buf)[8 + n:]
    spans = []
    tensors = {}
    for name, h in header.items():
        if not isinstance(h, dict) or set(h) - {"dtype", "shape", "data_offsets"}:
            raise FormatError(f"{path}: tensor {name}: malformed header entry")
        dt = _DTYPES.get(h.get("dtype"))
        if dt is None:
            raise FormatError(f"{path}: tensor {name}: dtype {h.get('dtype')!r}, want F32")
        shape = h.get("shape")
        offs = h.get("data_offsets")
        if (not isinstance(shape, list) or not all(isinstance(d, int) and d >= 0 for d in shape)
                or not isinstance(offs, list) or len(offs) != 2 or not all(isinstance(o, int) for o in offs)):
            raise FormatError(f"{path}: tensor {name}: malformed shape or data_offsets")
        a, b = offs
        size = int(np.prod(shape, dtype=np.int64)) * np.dtype(dt).itemsize
        if not (0 <= a <= b <= len(data)) or b - a != size:
            raise FormatError(f"{path}: tensor {name}: data_offsets {offs} do not fit shape {shape} in {len(data)} data bytes (truncated?)")
        spans.append((a, b, name))
        tensors[name] = np.frombuffer(data[a:b], dtype=dt).reshape(shape).astype(np.float32)
    pos = 0
    for a, b, name in sorted(spans):
        if a != pos:
            raise FormatError(f"{path}: tensor {name}: data at {a}, expected {pos} (overlap or gap)")
        pos = b
    if pos != len(data):
        raise FormatError(f"{path}: {len(data) - pos} bytes after the last tensor")
    return tensors, meta


def encode(tensors, metadata=None):
    """tensors: iterable of (name, array) or a dict; values written as F32."""
    items = tensors.items() if isinstance(tensors, dict) else tensors
    header, blobs, off = {}, [], 0
    for name, t in items:
        if hasattr(t, "detach"):
            t = t.detach().cpu().numpy()
        a = np.ascontiguousarray(np.asarray(t, dtype="<f4"))
        raw = a.tobytes()
        header[name] = {"dtype": "F32", "shape": list(a.shape), "data_offsets": [off, off + len(raw)]}
        blobs.append(raw)
        off += len(raw)
    if metadata:
        header["__metadata__"] = {str(k): str(v) for k, v in metadata.items()}
    h = json.dumps(header, separators=(",", ":")).encode()
    h += b" " * (-len(h) % 8)
    return struct.pack("<Q", len(h)) + h + b"".join(blobs)


def write_atomic(path, data):
    """Writes bytes to a temporary file beside path, then renames it onto path."""
    d = os.path.dirname(os.path.abspath(path))
    while True:  # .NAME.DIGITS.tmp, the Go writer's pattern (its stale-file sweep knows it)
        tmp = os.path.join(d, ".%s.%d%06d.tmp" % (os.path.basename(path), os.getpid(), random.randrange(10**6)))
        try:
            fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
            break
        except FileExistsError:
            continue
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise


def write(path, tensors, metadata=None):
    write_atomic(path, encode(tensors, metadata))
