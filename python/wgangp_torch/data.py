"""The image-folder pipeline of SPEC §1, in wgan/data's order.

A folder is searched recursively (names starting with "." ignored; the
entries of each folder sorted by name, a subfolder's pictures where its name
sorts), each picture squashed to 64×64 (or center-cropped first) with a
triangle filter widened for downscaling (PIL's BILINEAR resize, like
wgan/data's resampler), grey made 3 channels, alpha dropped. The Stream
deals minibatches as wgan/data's does: each epoch a permutation of the
pictures from Go's PCG, a picture flipped when a hash of (seed, epoch,
position) says so, a partial last minibatch dropped, values v/127.5 − 1.
The decoded pixels may differ from Go's by rounding; the order, the flips
and the held-out pictures are the same."""

import os
import sys

import numpy as np

from . import rng

SIZE = 64
IMAGE_LEN = 3 * SIZE * SIZE
EXTS = {".jpg", ".jpeg", ".png", ".gif", ".bmp", ".tif", ".tiff", ".webp"}


def list_pictures(root):
    out = []

    def walk(d, seen):
        real = os.path.realpath(d)
        if real in seen:
            return
        seen = seen | {real}
        for name in sorted(os.listdir(d)):
            if name.startswith("."):
                continue
            p = os.path.join(d, name)
            if os.path.isdir(p):
                walk(p, seen)
            elif os.path.isfile(p):
                out.append(p)

    walk(root, frozenset())
    return out


def decode(path, crop="squash"):
    """One picture -> uint8 [3,64,64] planar RGB."""
    from PIL import Image

    with Image.open(path) as im:
        im.load()
        if im.mode in ("RGBA", "LA", "PA") or (im.mode == "P" and "transparency" in im.info):
            im = im.convert("RGBA").convert("RGB")  # alpha dropped (colours as stored)
        else:
            im = im.convert("RGB")
        if crop == "center":
            w, h = im.size
            s = min(w, h)
            im = im.crop(((w - s) // 2, (h - s) // 2, (w - s) // 2 + s, (h - s) // 2 + s))
        im = im.resize((SIZE, SIZE), Image.BILINEAR)
        return np.asarray(im, dtype=np.uint8).transpose(2, 0, 1).copy()


def load_dir(root, crop="squash", log=sys.stderr):
    if not os.path.isdir(root):
        raise FileNotFoundError(f"data folder {root} does not exist or is not a folder")
    images = []
    for p in list_pictures(root):
        if os.path.splitext(p)[1].lower() not in EXTS:
            print(f"skipped {os.path.relpath(p, root)}: not a picture", file=log)
            continue
        try:
            images.append(decode(p, crop))
        except Exception as e:  # noqa: BLE001 - any decoder error skips the file
            print(f"skipped {os.path.relpath(p, root)}: {e}", file=log)
    if not images:
        raise ValueError(f"data folder {root} holds no usable picture")
    return np.stack(images)


class Stream:
    """Minibatches of batch pictures of images (uint8 [n,3,64,64]) from
    state (epoch, pos), as wgan/data.Stream."""

    def __init__(self, images, batch, seed, epoch=0, pos=0):
        n = len(images)
        if n < batch:
            raise ValueError(f"found {n} images, need at least one minibatch of {batch}")
        if epoch < 0 or pos < 0 or pos > n or pos % batch:
            raise ValueError(f"data stream state epoch {epoch}, position {pos} does not fit {n} images in minibatches of {batch}")
        self.images, self.batch, self.seed = images, batch, seed
        self.epoch, self.pos = epoch, pos
        self._perm, self._perm_epoch = None, -1

    def next_indices(self):
        """The picture indices and flips of the next minibatch."""
        n = len(self.images)
        if self.pos + self.batch > n:
            self.epoch += 1
            self.pos = 0
        if self._perm_epoch != self.epoch:
            self._perm = rng.permutation(n, rng.PCG(self.seed, rng.epoch_stream(self.epoch)))
            self._perm_epoch = self.epoch
        ks = range(self.pos, self.pos + self.batch)
        idx = [self._perm[k] for k in ks]
        flips = [rng.flip(self.seed, self.epoch, k) for k in ks]
        self.pos += self.batch
        return idx, flips

    def next(self, lo=0, hi=None):
        """The next minibatch's rows [lo, hi) as float32 [hi-lo,3,64,64] in [-1,1]."""
        idx, flips = self.next_indices()
        hi = self.batch if hi is None else hi
        x = self.images[idx[lo:hi]].astype(np.float32) / np.float32(127.5) - np.float32(1)
        f = np.asarray(flips[lo:hi])
        x[f] = x[f][..., ::-1]
        return x
