"""Train a wgangp run for a given time on one process, keeping snapshots of
the weights along the way (for measuring quality against training time).

    PYTHONPATH=python python3 -m wgangp_torch.quality --resume CKPT --data DIR --out OUTDIR \\
        --seconds S --snapshot-every K [--device cpu|cuda|auto] [--threads N] [--tf32]

CKPT is a checkpoint of `wgangp train` (a run folder or its
checkpoint.safetensors; normally at iteration 0), with its configuration:
Linear (a critic without the final sigmoid) and EMA (a moving average of
the generator's weights, see ema.py) are taken from it. DIR is the run's
picture folder (default: the checkpoint's data_dir), loaded as train.py
loads it: the same order, flips and held-out pictures, from the
checkpoint's stream position; Z and ε are drawn as train.py draws them.
Training goes on, one generator iteration after another, until S seconds
of wall time were spent in training steps (snapshots not counted; the
check is between iterations, so the last one may end past S), or until
SIGINT or SIGTERM.

OUTDIR (made when missing; refused when it already holds
weights-*.safetensors or ema-*.safetensors) gets, at the checkpoint's
iteration, after every K generator iterations from it and at the end
(unless the last iteration's was just written):

  weights-NNNNNN.safetensors  the weights file (every gen.* and disc.*
                              parameter in the file's order), as train.py's
                              weights.safetensors; NNNNNN is the run's
                              generator iteration
  ema-NNNNNN.safetensors      with EMA > 0: the same with the gen.* tensors
                              replaced by their moving averages
  times.csv                   header iteration,seconds; a row per snapshot
                              (seconds: training wall time so far)

each written to a temporary file and renamed (the row after its files),
and prints a line per snapshot: iteration, seconds, lossD (the last
iteration's; the checkpoint's last, or nan, at the first snapshot).
No checkpoint is written. --threads sets torch.set_num_threads.

Exit status: 0 done, 1 a checkpoint, data or OUTDIR it cannot use, 2 bad
arguments, 3 stopped by a signal (after a final snapshot), 4 the losses
diverged (NaN or Inf: no snapshot of those weights)."""

import argparse
import csv
import glob
import io
import math
import os
import signal
import sys
import time

import torch

from . import checkpoint as ckpt
from .safetensors import write_atomic
from .train import Training, load_images

PROG = "wgangp_torch.quality"


def _fail(msg, code=1):
    print(f"{PROG}: {msg}", file=sys.stderr)
    return code


def existing_snapshots(out):
    """The snapshot files in folder out, weights-* first."""
    return (sorted(glob.glob(os.path.join(glob.escape(out), "weights-*.safetensors")))
            + sorted(glob.glob(os.path.join(glob.escape(out), "ema-*.safetensors"))))


def main(argv=None):
    ap = argparse.ArgumentParser(prog=f"python3 -m {PROG}", description=__doc__.split("\n\n")[0])
    ap.add_argument("--resume", required=True, help="a checkpoint of `wgangp train` or its run folder")
    ap.add_argument("--data", default="", help="the run's picture folder (default: the checkpoint's data_dir)")
    ap.add_argument("--out", required=True, help="the snapshots' folder (made when missing; must hold no snapshots)")
    ap.add_argument("--seconds", type=float, required=True, help="training wall time to spend, in seconds")
    ap.add_argument("--snapshot-every", type=int, required=True, help="a snapshot every K generator iterations")
    ap.add_argument("--device", choices=["auto", "cpu", "cuda"], default="auto")
    ap.add_argument("--threads", type=int, default=0, help="torch.set_num_threads (default: torch's)")
    ap.add_argument("--tf32", action="store_true", help="allow TF32 matmuls and convolutions on CUDA")
    a = ap.parse_args(argv)
    if not (a.seconds >= 0 and math.isfinite(a.seconds)):
        return _fail(f"--seconds {a.seconds} must be a finite number >= 0", 2)
    if a.snapshot_every < 1:
        return _fail(f"--snapshot-every {a.snapshot_every} must be at least 1", 2)
    if a.threads < 0:
        return _fail(f"--threads {a.threads} must be positive", 2)
    out = a.out
    if os.path.exists(out) and not os.path.isdir(out):
        return _fail(f"--out {out} exists and is not a folder")
    if os.path.isdir(out) and existing_snapshots(out):
        return _fail(f"--out {out} already holds snapshots ({os.path.basename(existing_snapshots(out)[0])}, ...): "
                     "give an empty or new folder")
    try:
        path = ckpt.resolve(a.resume)
        c = ckpt.load(path)
    except ckpt.CheckpointError as e:
        return _fail(e)
    if a.device == "auto":
        a.device = "cuda" if torch.cuda.is_available() else "cpu"
    if a.device == "cuda" and not torch.cuda.is_available():
        return _fail("--device cuda: this PyTorch sees no CUDA device")
    dev = torch.device("cuda", 0) if a.device == "cuda" else torch.device("cpu")
    if a.threads:
        torch.set_num_threads(a.threads)
    torch.backends.cuda.matmul.allow_tf32 = a.tf32
    torch.backends.cudnn.allow_tf32 = a.tf32
    try:
        images, data_dir = load_images(path, c, a.data)
    except SystemExit as e:  # load_images' refusals, said as train.py says them
        return _fail(e.code)
    except (OSError, ValueError) as e:
        return _fail(e)
    cfg = dict(c["config"])
    try:
        tr = Training(c, cfg, images, dev)
        os.makedirs(out, exist_ok=True)
    except (OSError, ValueError) as e:
        return _fail(e)

    rows = []

    def snapshot(it, seconds, loss_d):
        ckpt.save_weights(os.path.join(out, f"weights-{it:06d}.safetensors"), tr.model)
        if tr.ema is not None:
            ckpt.save_weights(os.path.join(out, f"ema-{it:06d}.safetensors"), tr.model, gen=tr.ema.avg)
        rows.append((it, seconds))
        buf = io.StringIO()
        w = csv.writer(buf, lineterminator="\n")
        w.writerow(["iteration", "seconds"])
        w.writerows((i, repr(float(s))) for i, s in rows)
        write_atomic(os.path.join(out, "times.csv"), buf.getvalue().encode())
        print(f"iteration {it}  seconds {seconds:.3f}  lossD {loss_d:.6g}", flush=True)

    stop = [False]

    def on_signal(sig, frame):
        stop[0] = True

    old = {s: signal.signal(s, on_signal) for s in (signal.SIGINT, signal.SIGTERM)}
    try:
        it0 = it = c["iteration"]
        critic = c["critic_done"]
        hist = c["history"]["lossD"]
        print(f"{PROG}: {path} at iteration {it} (F={cfg['Filters']}, Z={cfg['Latent']}, batch {cfg['Batch']}"
              f"{', linear critic' if tr.model.linear else ''}{f', EMA {tr.ema.decay:g}' if tr.ema else ''}) "
              f"on {dev.type}, {torch.get_num_threads()} thread(s); {len(images)} pictures from {data_dir}; "
              f"{a.seconds:g} s of training into {out}", file=sys.stderr, flush=True)
        trained = 0.0
        snapshot(it, trained, hist[-1] if hist else math.nan)
        last = it
        while not stop[0] and trained < a.seconds:
            t0 = time.perf_counter()
            vals = tr.iteration(critic)
            if dev.type == "cuda":
                torch.cuda.synchronize(dev)
            trained += time.perf_counter() - t0
            critic = 0
            if not all(math.isfinite(v) for v in vals):
                return _fail(f"training diverged at iteration {it + 1}: losses {vals}; snapshots up to iteration {last} kept", 4)
            it += 1
            if (it - it0) % a.snapshot_every == 0:
                snapshot(it, trained, vals[0])
                last = it
        if last != it:
            snapshot(it, trained, vals[0])
    finally:
        for s, h in old.items():
            signal.signal(s, h)
    if stop[0]:
        print(f"{PROG}: stopped at iteration {it}: final snapshot written", file=sys.stderr)
        return 3
    return 0


if __name__ == "__main__":
    sys.exit(main())
