"""A tiny PNG writer (RGB, 8-bit) and the training grid."""

import struct
import zlib

import numpy as np


def encode(rgb):
    """rgb: uint8 [H,W,3] -> PNG bytes."""
    h, w, _ = rgb.shape
    raw = b"".join(b"\x00" + rgb[y].tobytes() for y in range(h))

    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(raw, 6)) + chunk(b"IEND", b""))


def grid(images, cols=5):
    """images [n,3,64,64] (any range) -> uint8 [H,W,3]: tiled row by row and
    rescaled to the min and max of the whole tile (imtile + rescale)."""
    a = np.asarray(images, dtype=np.float64)
    n, c, h, w = a.shape
    rows = (n + cols - 1) // cols
    out = np.zeros((rows * h, cols * w, c))
    for i in range(n):
        r, k = divmod(i, cols)
        out[r * h:(r + 1) * h, k * w:(k + 1) * w] = a[i].transpose(1, 2, 0)
    lo, hi = a.min(), a.max()
    out = (out - lo) / (hi - lo) if hi > lo else out * 0
    return np.clip(np.round(out * 255), 0, 255).astype(np.uint8)
