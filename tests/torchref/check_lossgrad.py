#!/usr/bin/python3
"""Cross-check `wgangp lossgrad` (the Go engine) against PyTorch autograd,
through the repository's one PyTorch implementation (python/wgangp_torch).

  1. random weights: the package's model with MATLAB's initialisation, every
     parameter perturbed (so biases and layer-norm γ/β are away from 0/1),
     written as a float32 weights file;
  2. an inputs file: x [N,3,64,64] ~ U(-1,1), z [N,Z] ~ N(0,1),
     epsilon [N] ~ U(0,1), lambda [1] = 10;
  3. `wgangp lossgrad --weights W --inputs I --out O --backend B` (a prebuilt
     --go-binary, else `go run ./cmd/native`);
  4. wgangp_torch.lossgrad.compute on the same files, in float64;
  5. every tensor compared (names, shapes; max|ours−ref|/max|ref| ≤ --tol).

Exit status: 0 all within --tol, 1 a tensor off, missing, extra or
misshapen, 2 the Go tool failed."""

import argparse
import os
import subprocess
import sys
import tempfile

import numpy as np
import torch

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, os.path.join(REPO, "python"))

from wgangp_torch import safetensors  # noqa: E402
from wgangp_torch.lossgrad import compute  # noqa: E402
from wgangp_torch.model import WGAN, glorot_init, param_shapes  # noqa: E402


def problem(f, z, n, seed, perturb):
    g = torch.Generator().manual_seed(seed)
    m = WGAN(f, z)
    glorot_init(m, g)
    params = dict(m.named_parameters())
    weights = []
    with torch.no_grad():
        for name, _ in param_shapes(f, z):
            p = params[name]
            weights.append((name, p + perturb * torch.randn(p.shape, generator=g)))
    inputs = [("x", torch.rand(n, 3, 64, 64, generator=g) * 2 - 1), ("z", torch.randn(n, z, generator=g)),
              ("epsilon", torch.rand(n, generator=g)), ("lambda", torch.tensor([10.0]))]
    return weights, inputs


def compare(ours, ref, tol):
    bad = 0
    for name in sorted(set(ours) | set(ref)):
        if name not in ours or name not in ref:
            print(f"FAIL {name}: {'missing from Go' if name not in ours else 'extra in Go'}")
            bad += 1
            continue
        a, b = ours[name].astype(np.float64), ref[name].astype(np.float64)
        if a.shape != b.shape:
            print(f"FAIL {name}: shape {list(a.shape)}, PyTorch {list(b.shape)}")
            bad += 1
            continue
        scale = np.abs(b).max()
        err = np.abs(a - b).max() / scale if scale > 0 else np.abs(a - b).max()
        ok = err <= tol
        bad += not ok
        print(f"{'ok  ' if ok else 'FAIL'} {name:32s} {str(list(a.shape)):18s} rel {err:.3g}")
    return bad


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--filters", type=int, default=4)
    ap.add_argument("--batch", type=int, default=2)
    ap.add_argument("--latent", type=int, default=100)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--perturb", type=float, default=0.05)
    ap.add_argument("--backend", default="cpu64", help="backend of `wgangp lossgrad` (cpu64: float64)")
    ap.add_argument("--tol", type=float, default=1e-5, help="max tensor-wise relative error")
    ap.add_argument("--go-binary", help="a prebuilt wgangp instead of `go run ./cmd/native`")
    ap.add_argument("--keep", metavar="DIR", help="write the files into DIR and keep them")
    a = ap.parse_args(argv)
    d = a.keep or tempfile.mkdtemp(prefix="torchref-")
    os.makedirs(d, exist_ok=True)
    wpath, ipath, opath = (os.path.join(d, n) for n in ("weights.safetensors", "inputs.safetensors", "go.safetensors"))
    weights, inputs = problem(a.filters, a.latent, a.batch, a.seed, a.perturb)
    safetensors.write(wpath, weights)
    safetensors.write(ipath, inputs)
    cmd = [a.go_binary] if a.go_binary else ["go", "run", "./cmd/native"]
    cmd += ["lossgrad", "--weights", wpath, "--inputs", ipath, "--out", opath, "--backend", a.backend]
    p = subprocess.run(cmd, cwd=REPO, capture_output=True, text=True)
    if p.returncode != 0:
        print(f"wgangp lossgrad failed ({p.returncode}):\n{p.stdout}{p.stderr}", file=sys.stderr)
        return 2
    ours, _ = safetensors.read(opath)
    w, _ = safetensors.read(wpath)
    i, _ = safetensors.read(ipath)
    ref = {k: v.numpy() for k, v in compute(w, i, torch.float64)}
    bad = compare(ours, ref, a.tol)
    print(f"F={a.filters}, N={a.batch}, backend {a.backend}: {len(ref)} tensors, {bad} off (tol {a.tol:g})")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
