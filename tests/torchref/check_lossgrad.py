#!/usr/bin/python3
"""Cross-check `native lossgrad` (the Go engine) against PyTorch autograd.

The reference model is the independent PyTorch implementation in
/work/shared/anchors/pytorch/wgan_ref.py (imported at run time from that
path, or from --ref-dir / $WGAN_REF_DIR). This script:

  1. builds that model (float64), perturbs every parameter so that biases and
     the layer-norm gamma/beta are away from their initial values, and writes
     named_parameters() as a float32 safetensors weights file;
  2. writes an inputs file: x [N,3,64,64] ~ U(-1,1), z [N,Z] ~ N(0,1),
     epsilon [N] ~ U(0,1), lambda [1] = 10 (float32);
  3. runs `go run ./cmd/native lossgrad --weights W --inputs I --out O
     --backend B` in the repository root (or a prebuilt --go-binary);
  4. recomputes every output in PyTorch, in float64, from the float32 values
     that were written (so both sides see identical inputs): the losses,
     d_real, d_fake, fake, grad.disc.* = d lossD / d disc params (through the
     double backward of the gradient penalty) and grad.gen.* = d lossG / d gen
     params;
  5. compares the two files tensor by tensor (names, shapes, values).

Run with the Debian PyTorch: /usr/bin/python3 tests/torchref/check_lossgrad.py
Exit status: 0 all within --tol, 1 some tensor off or missing/extra/misshapen,
2 the Go tool failed.
"""
import argparse
import json
import math
import os
import shutil
import struct
import subprocess
import sys
import tempfile

import numpy as np
import torch

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))
DEFAULT_REF_DIR = "/work/shared/anchors/pytorch"
TINY = 1e-30


# ------------------------------------------------------------ safetensors I/O
def write_safetensors(path, tensors, metadata=None):
    """tensors: list of (name, array-like); written as little-endian F32 in
    the given order, contiguous, no gaps."""
    header = {}
    blobs = []
    off = 0
    for name, t in tensors:
        if isinstance(t, torch.Tensor):
            t = t.detach().cpu().numpy()
        a = np.ascontiguousarray(np.asarray(t, dtype="<f4"))
        if not np.all(np.isfinite(a)):
            raise ValueError(f"{name}: non-finite values")
        raw = a.tobytes(order="C")
        header[name] = {"dtype": "F32", "shape": list(a.shape),
                        "data_offsets": [off, off + len(raw)]}
        blobs.append(raw)
        off += len(raw)
    if metadata:
        header["__metadata__"] = {str(k): str(v) for k, v in metadata.items()}
    hdr = json.dumps(header, separators=(",", ":")).encode("utf-8")
    hdr += b" " * ((-len(hdr)) % 8)  # pad to 8 bytes, as the format allows
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(hdr)))
        f.write(hdr)
        for b in blobs:
            f.write(b)


def read_safetensors(path):
    """Returns (dict name -> float32 numpy array (a copy), metadata dict),
    preserving the header's order of names."""
    with open(path, "rb") as f:
        buf = f.read()
    if len(buf) < 8:
        raise ValueError(f"{path}: shorter than 8 bytes")
    (n,) = struct.unpack_from("<Q", buf, 0)
    if n > len(buf) - 8:
        raise ValueError(f"{path}: header length {n} past end of file")
    header = json.loads(buf[8:8 + n].decode("utf-8"))
    data = memoryview(buf)[8 + n:]
    meta = header.pop("__metadata__", {}) or {}
    out = {}
    for name, e in header.items():
        if e["dtype"] != "F32":
            raise ValueError(f"{path}: {name}: dtype {e['dtype']}, only F32 handled")
        b, en = e["data_offsets"]
        shape = tuple(int(s) for s in e["shape"])
        count = int(np.prod(shape)) if shape else 1
        if en - b != 4 * count or en > len(data):
            raise ValueError(f"{path}: {name}: bad data_offsets {b},{en} for shape {shape}")
        out[name] = np.frombuffer(data[b:en], dtype="<f4").reshape(shape).copy()
    return out, meta


def selftest_safetensors():
    """Round trip through the writer and the reader, including a scalar-ish
    [1] tensor, an empty-metadata file and odd header lengths."""
    rng = np.random.default_rng(0)
    cases = [
        ("a", rng.standard_normal((2, 3, 4, 5)).astype(np.float32)),
        ("b.c", rng.standard_normal((7,)).astype(np.float32)),
        ("lambda", np.array([10.0], dtype=np.float32)),
        ("big", (rng.standard_normal((3, 1000)) * 1e30).astype(np.float32)),
    ]
    d = tempfile.mkdtemp(prefix="st_selftest_")
    try:
        for meta in (None, {"k": "v", "n": 3}):
            p = os.path.join(d, "t.safetensors")
            write_safetensors(p, cases, meta)
            back, m2 = read_safetensors(p)
            assert list(back) == [n for n, _ in cases], list(back)
            for n, a in cases:
                assert back[n].shape == a.shape and back[n].dtype == np.float32
                assert np.array_equal(back[n].view(np.uint32), a.view(np.uint32)), n
            assert m2 == ({} if meta is None else {"k": "v", "n": "3"}), m2
            with open(p, "rb") as f:
                raw = f.read()
            (hl,) = struct.unpack_from("<Q", raw)
            assert hl % 8 == 0
            assert len(raw) == 8 + hl + sum(4 * a.size for _, a in cases)
            # little-endian float32 of the first value, checked by hand
            assert struct.unpack_from("<f", raw, 8 + hl)[0] == cases[0][1].flat[0]
            # torch.frombuffer sees the same bytes
            t = torch.frombuffer(bytearray(raw[8 + hl:8 + hl + 4 * cases[0][1].size]),
                                 dtype=torch.float32).reshape(cases[0][1].shape)
            assert torch.equal(t, torch.from_numpy(cases[0][1]))
    finally:
        shutil.rmtree(d)
    print("safetensors writer/reader round trip: OK")


# ------------------------------------------------------------ reference
def import_ref(ref_dir):
    if ref_dir not in sys.path:
        sys.path.insert(0, ref_dir)
    import wgan_ref  # noqa: E402  (outside the repository on purpose)
    return wgan_ref


def make_problem(wr, nf, nz, n, seed, perturb_std):
    """Model parameters and inputs, already rounded to float32 (as numpy)."""
    torch.manual_seed(seed)
    model = wr.build(nf, nz, torch.float64)
    wr.perturb(model, perturb_std)
    params = [(k, p.detach().to(torch.float32).numpy().copy())
              for k, p in model.named_parameters()]
    g = torch.Generator().manual_seed(seed + 1)
    x = torch.rand(n, 3, 64, 64, generator=g, dtype=torch.float64) * 2 - 1
    z = torch.randn(n, nz, generator=g, dtype=torch.float64)
    eps = torch.rand(n, generator=g, dtype=torch.float64)
    inputs = [("x", x.to(torch.float32).numpy()),
              ("z", z.to(torch.float32).numpy()),
              ("epsilon", eps.to(torch.float32).numpy()),
              ("lambda", np.array([wr.LAMBDA], dtype=np.float32))]
    return params, inputs


def reference(wr, nf, nz, params, inputs):
    """Every output of `native lossgrad`, in float64, from float32 values."""
    model = wr.WGAN(nf, nz).to(torch.float64)
    sd = {k: torch.from_numpy(v.astype(np.float64)) for k, v in params}
    missing, unexpected = model.load_state_dict(sd, strict=True)
    assert not missing and not unexpected
    inp = {k: torch.from_numpy(v.astype(np.float64)) for k, v in inputs}
    gen, disc = model.gen, model.disc
    lam = float(inp["lambda"][0])

    out = wr.disc_loss(gen, disc, inp["x"], inp["z"], inp["epsilon"], lam)
    dnames = [k for k, _ in disc.named_parameters()]
    dparams = [p for _, p in disc.named_parameters()]
    dgrads = torch.autograd.grad(out["lossD"], dparams)

    loss_g = wr.gen_loss(gen, disc, inp["z"])
    gnames = [k for k, _ in gen.named_parameters()]
    gparams = [p for _, p in gen.named_parameters()]
    ggrads = torch.autograd.grad(loss_g, gparams)

    ref = {}
    for k in ("lossD", "lossD_unregularized", "gradient_penalty"):
        ref[k] = out[k].detach().reshape(1)
    ref["lossG"] = loss_g.detach().reshape(1)
    for k in ("d_real", "d_fake", "fake"):
        ref[k] = out[k].detach()
    for k, gr in zip(dnames, dgrads):
        ref["grad.disc." + k] = gr
    for k, gr in zip(gnames, ggrads):
        ref["grad.gen." + k] = gr
    return {k: v.numpy().astype(np.float64) for k, v in ref.items()}


# ------------------------------------------------------------ comparison
def layout_hint(name, ours, ref):
    """For a weight that disagrees, try the usual layout mistakes and say if
    one of them matches much better."""
    if ours.ndim != ref.ndim or ours.ndim < 2:
        return ""
    scale = max(np.abs(ref).max(), TINY)
    base = np.abs(ours - ref).max() / scale
    cands = []
    if ours.ndim == 4:
        cands.append(("spatially flipped", ref[:, :, ::-1, ::-1]))
        # the same buffer read with dims 0 and 1 swapped
        cands.append(("in/out swapped (reinterpreted)", np.swapaxes(ref, 0, 1).reshape(ours.shape)))
        cands.append(("kh/kw transposed", np.swapaxes(ref, 2, 3)))
    if ours.ndim == 2:
        cands.append(("transposed (reinterpreted)", ref.T.reshape(ours.shape)))
    cands.append(("sign flipped", -ref))
    best = None
    for label, c in cands:
        e = np.abs(ours - c).max() / scale
        if e < 0.1 * base and (best is None or e < best[1]):
            best = (label, e)
    return f"  [matches ref {best[0]}: err {best[1]:.2e}]" if best else ""


def compare(ours, ref, tol):
    bad = []
    names = list(ref)
    extra = [k for k in ours if k not in ref]
    w = max(len(k) for k in names + extra) if names else 20
    hdr = f"{'tensor':<{w}}  {'shape':<16} {'max|ref|':>10} {'max|diff|':>10} {'rel(tensor)':>11} {'rel(elem)':>10}  ok"
    print(hdr)
    print("-" * len(hdr))
    worst = 0.0
    for k in names:
        r = ref[k]
        if k not in ours:
            print(f"{k:<{w}}  {str(list(r.shape)):<16} MISSING from our output")
            bad.append(k)
            continue
        o = ours[k].astype(np.float64)
        if tuple(o.shape) != tuple(r.shape):
            print(f"{k:<{w}}  shape ours {list(o.shape)} != ref {list(r.shape)}")
            bad.append(k)
            continue
        mref = float(np.abs(r).max()) if r.size else 0.0
        diff = np.abs(o - r)
        mdiff = float(diff.max()) if r.size else 0.0
        rel_t = mdiff / max(mref, TINY)
        rel_e = float((diff / (np.abs(r) + 1e-3 * mref + TINY)).max()) if r.size else 0.0
        ok = rel_t <= tol and np.all(np.isfinite(o))
        worst = max(worst, rel_t)
        note = ""
        if not ok:
            bad.append(k)
            idx = np.unravel_index(int(np.argmax(diff)), r.shape)
            note = f"  worst at {list(map(int, idx))}: ours {o[idx]:.6g} ref {r[idx]:.6g}"
            note += layout_hint(k, o, r)
        print(f"{k:<{w}}  {str(list(r.shape)):<16} {mref:10.3e} {mdiff:10.3e} {rel_t:11.3e} {rel_e:10.3e}  "
              f"{'ok' if ok else 'FAIL'}{note}")
    for k in extra:
        print(f"{k:<{w}}  {str(list(ours[k].shape)):<16} EXTRA (not produced by the reference)")
        bad.append(k)
    print("-" * len(hdr))
    print(f"{len(names)} reference tensors, {len(ours)} in our output; worst tensor-wise relative error "
          f"{worst:.3e} (tol {tol:g}); {len(bad)} problem(s)")
    return bad


# ------------------------------------------------------------ main
def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--filters", type=int, default=4, help="F (numFilters), default 4")
    ap.add_argument("--batch", type=int, default=2, help="N, default 2")
    ap.add_argument("--latent", type=int, default=100, help="Z, default 100")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--perturb", type=float, default=0.05, help="std of the parameter perturbation")
    ap.add_argument("--backend", default="cpu", help="backend of `native lossgrad` (cpu, cpu64, ...)")
    ap.add_argument("--tol", type=float, default=1e-4, help="max tensor-wise relative error, default 1e-4")
    ap.add_argument("--keep", metavar="DIR", help="keep weights/inputs/output files in DIR")
    ap.add_argument("--go-binary", metavar="PATH", help="prebuilt `native` binary instead of `go run ./cmd/native`")
    ap.add_argument("--ref-dir", default=os.environ.get("WGAN_REF_DIR", DEFAULT_REF_DIR),
                    help=f"directory holding wgan_ref.py (default {DEFAULT_REF_DIR} or $WGAN_REF_DIR)")
    ap.add_argument("--torch-only", action="store_true",
                    help="only compute and print the PyTorch reference (no Go)")
    ap.add_argument("--selftest", action="store_true", help="round-trip test of the safetensors code, then exit")
    a = ap.parse_args(argv)

    if a.selftest:
        selftest_safetensors()
        return 0

    torch.set_num_threads(max(1, os.cpu_count() or 1))
    wr = import_ref(a.ref_dir)
    params, inputs = make_problem(wr, a.filters, a.latent, a.batch, a.seed, a.perturb)
    print(f"F={a.filters} Z={a.latent} N={a.batch} seed={a.seed} perturb={a.perturb} backend={a.backend} "
          f"reference={os.path.join(a.ref_dir, 'wgan_ref.py')} torch {torch.__version__}")
    ref = reference(wr, a.filters, a.latent, params, inputs)
    print("reference (PyTorch float64): " + "  ".join(
        f"{k} {ref[k][0]:.10g}" for k in ("lossD", "lossD_unregularized", "gradient_penalty", "lossG")))
    if a.torch_only:
        return 0

    work = a.keep or tempfile.mkdtemp(prefix="torchref_")
    os.makedirs(work, exist_ok=True)
    wpath = os.path.join(work, "weights.safetensors")
    ipath = os.path.join(work, "inputs.safetensors")
    opath = os.path.join(work, "out.safetensors")
    try:
        meta = {"filters": a.filters, "latent": a.latent, "seed": a.seed, "source": "tests/torchref"}
        write_safetensors(wpath, params, meta)
        write_safetensors(ipath, inputs, meta)
        if os.path.exists(opath):
            os.remove(opath)
        tool = [a.go_binary] if a.go_binary else ["go", "run", "./cmd/native"]
        cmd = tool + ["lossgrad", "--weights", wpath, "--inputs", ipath, "--out", opath, "--backend", a.backend]
        print("running: " + " ".join(cmd))
        p = subprocess.run(cmd, cwd=REPO, capture_output=True, text=True)
        sys.stdout.write(p.stdout)
        sys.stderr.write(p.stderr)
        if p.returncode != 0 or not os.path.exists(opath):
            print(f"FAIL: the Go tool exited with status {p.returncode}")
            return 2
        ours, ometa = read_safetensors(opath)
        if ometa:
            print("output metadata: " + json.dumps(ometa, sort_keys=True))
        bad = compare(ours, ref, a.tol)
    finally:
        if a.keep:
            print(f"files kept in {work}")
        else:
            shutil.rmtree(work, ignore_errors=True)
    print("PASS" if not bad else "FAIL: " + ", ".join(bad))
    return 0 if not bad else 1


if __name__ == "__main__":
    sys.exit(main())
