"""Go's math/rand/v2 PCG (128-bit LCG, DXSM output) and the data order of
wgan/data (held-out pictures, each epoch's permutation, the flips), so that
a run continued here deals the same pictures in the same order, with the
same flips, as the Go trainer would from the same stream position. (The Z
and epsilon draws are not Go's: those streams cannot match; see train.py.)"""

M64 = (1 << 64) - 1
_MUL = (2549297995355413924 << 64) | 4865540595714422341
_INC = (6364136223846793005 << 64) | 1442695040888963407
_CHEAP = 0xDA942042E4DD58B5

HOLDOUT_STREAM = 0x686F6C646F7574  # "holdout"
EPOCH_TAG = 0x65706F6368  # "epoch"
FLIP_TAG = 0x666C6970  # "flip"


class PCG:
    def __init__(self, seed1, seed2):
        self.state = ((seed1 & M64) << 64) | (seed2 & M64)

    def uint64(self):
        self.state = (self.state * _MUL + _INC) & ((1 << 128) - 1)
        hi, lo = self.state >> 64, self.state & M64
        hi ^= hi >> 32
        hi = (hi * _CHEAP) & M64
        hi ^= hi >> 48
        return (hi * (lo | 1)) & M64

    def marshal(self):
        """The bytes of Go's PCG.MarshalBinary: "pcg:", hi, lo (big endian)."""
        return b"pcg:" + self.state.to_bytes(16, "big")


def mix64(x):
    x = (x + 0x9E3779B97F4A7C15) & M64
    x = ((x ^ (x >> 30)) * 0xBF58476D1CE4E5B9) & M64
    x = ((x ^ (x >> 27)) * 0x94D049BB133111EB) & M64
    return x ^ (x >> 31)


def uintn(src, n):
    """Uniform in [0, n): Lemire's method as wgan/data does it."""
    p = src.uint64() * n
    hi, lo = p >> 64, p & M64
    if lo < n:
        thresh = ((1 << 64) - n) % n
        while lo < thresh:
            p = src.uint64() * n
            hi, lo = p >> 64, p & M64
    return hi


def permutation(n, src):
    p = list(range(n))
    for i in range(n - 1, 0, -1):
        j = uintn(src, i + 1)
        p[i], p[j] = p[j], p[i]
    return p


def epoch_stream(e):
    return mix64(EPOCH_TAG ^ mix64(e & M64))


def flip(seed, e, k):
    h = mix64((seed ^ FLIP_TAG) & M64)
    h = mix64(h ^ (e & M64))
    h = mix64(h ^ (k & M64))
    return (h >> 63) == 1


def hold_out(n_images, n, seed):
    """Indices (in order) of the pictures kept for training when n of
    n_images are held out for the SWD, as wgan/data's Set.HoldOut."""
    n = max(0, min(n, n_images))
    perm = permutation(n_images, PCG(seed, HOLDOUT_STREAM))
    held = set(perm[:n])
    return [i for i in range(n_images) if i not in held]
