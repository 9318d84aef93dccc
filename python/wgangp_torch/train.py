"""Continue a wgangp run in PyTorch, on one process or many (torchrun, DDP).

    PYTHONPATH=python torchrun --nproc_per_node N -m wgangp_torch.train --resume RUN [--data DIR] --iterations K

RUN is a run folder of `wgangp train` (or its checkpoint.safetensors); K is
the run's new target (generator iterations in all, as `wgangp train
--resume RUN --iterations K` means it). The options come from the
checkpoint's config (wgan.Config), --lr-d and --lr-g aside, among them
Linear (a critic without the final sigmoid: its score is conv5's output)
and EMA (a moving average of the generator's weights, see ema.py: kept
here on every rank alike from the checkpoint's ema.* tensors and written
back in the checkpoints; weights.safetensors holds the trained weights, not
the averages). Output goes into RUN's folder: grid-NNNNNN.png and
grid-latest.png, losses.csv, checkpoint.safetensors (every
--checkpoint-every iterations, when stopped and at the end) and
weights.safetensors, each written to a temporary file and renamed.

Data parallel: every rank deals the same global minibatch (the Go
trainer's order, flips and held-out pictures, from the checkpoint's stream
position) and takes its rows; Z and ε are drawn for the whole minibatch
from one seed on every rank, each taking its rows; gradients are averaged
across ranks with all_reduce after each backward, weighted by each rank's
rows, so the global batch and step counts mean what they mean in one
process. The backend is nccl on CUDA, gloo on the CPU.

What cannot carry over bit for bit: Go's Z/ε stream (its PCG through
math/rand's NormFloat64 and Float64). The checkpoint written here holds a
fresh noise_state for the Go trainer (Go's PCG seeded with (seed,
mix(step_d))), and this trainer seeds torch's generator from (seed,
step_d) of the checkpoint it resumed. The 25 validation latents are drawn
here from the seed too (not Go's): the grids written here show other
latents than Go's grids."""

import argparse
import base64
import csv
import io
import math
import os
import signal
import sys
import time

import numpy as np
import torch
import torch.distributed as dist

from . import checkpoint as ckpt
from . import data as wdata
from . import png, rng
from .adam import MatlabAdam
from .ema import EMA
from .losses import d_losses, g_loss
from .model import WGAN, param_shapes

MIN_SWD_IMAGES = 32
VALIDATION = 25


def noise_seed(seed, step_d):
    return rng.mix64((seed ^ rng.mix64(step_d ^ 0x746F726368)) & rng.M64)  # "torch"


def go_noise_state(seed, step_d):
    """A fresh noise_state for the Go trainer: its PCG seeded with (seed, hash of step_d)."""
    return base64.b64encode(rng.PCG(seed, noise_seed(seed, step_d)).marshal()).decode()


class Run:
    def __init__(self, a):
        self.rank = int(os.environ.get("RANK", "0"))
        self.world = int(os.environ.get("WORLD_SIZE", "1"))
        self.local = int(os.environ.get("LOCAL_RANK", "0"))
        if a.device == "auto":
            a.device = "cuda" if torch.cuda.is_available() else "cpu"
        if a.device == "cuda":
            torch.cuda.set_device(self.local)
            self.device = torch.device("cuda", self.local)
        else:
            self.device = torch.device("cpu")
        if self.world > 1:
            dist.init_process_group("nccl" if self.device.type == "cuda" else "gloo")
        self.a = a

    def log(self, *args, **kw):
        if self.rank == 0:
            print(*args, **kw)

    def allreduce_(self, ts):
        if self.world == 1:
            return
        flat = torch.cat([t.reshape(-1) for t in ts])
        dist.all_reduce(flat)
        off = 0
        for t in ts:
            t.copy_(flat[off:off + t.numel()].view_as(t))
            off += t.numel()


def load_images(run, c, data_dir):
    cfg, meta = c["config"], c["meta"]
    saved = meta.get("data_dir", "")
    d = data_dir or saved
    if not d:
        raise SystemExit("the run was trained on the embedded flowers, which only the Go program makes: "
                         "give --data DIR, a folder of the same pictures")
    images = wdata.load_dir(d, meta.get("crop", "squash") or "squash")
    total = len(images)
    held = 0
    if c["swd_every"] > 0:
        n = min(c["swd_images"], total // 4)
        held = n if n >= MIN_SWD_IMAGES else 0
    if total - held != c["data_images"]:
        raise SystemExit(f"the checkpoint was trained on {c['data_images']} pictures ({meta.get('data', '')}); "
                         f"{d} gives {total - held} ({total} less {held} held out): use the same data")
    if held:
        images = images[rng.hold_out(total, held, int(meta["seed"]))]
    return images, d


class Training:
    """What a run continues from checkpoint c (checkpoint.load) with config
    cfg (c's, perhaps with other rates) on device dev: the model (Linear as
    cfg says), its two MatlabAdams with their moments and step counts, the
    generator's moving average (ema, None without EMA), the data stream
    over images from c's position and the Z/ε generator."""

    def __init__(self, c, cfg, images, dev):
        self.cfg, self.dev = cfg, dev
        seed = int(c["meta"]["seed"])
        self.stream = wdata.Stream(images, cfg["Batch"], seed, c["stream_epoch"], c["stream_pos"])
        f, z = cfg["Filters"], cfg["Latent"]
        self.model = model = WGAN(f, z, linear=ckpt.linear(cfg)).to(dev)
        t = c["tensors"]
        model.load_state_dict({n: torch.from_numpy(t[n]) for n, _ in param_shapes(f, z)})
        self.opt_d = MatlabAdam(model.disc.parameters(), cfg["LRD"], cfg["Beta1"], cfg["Beta2"], cfg["Eps"], t=c["step_d"])
        self.opt_g = MatlabAdam(model.gen.parameters(), cfg["LRG"], cfg["Beta1"], cfg["Beta2"], cfg["Eps"], t=c["step_g"])
        params = dict(model.named_parameters())
        with torch.no_grad():
            for n, _ in param_shapes(f, z):
                opt = self.opt_g if n.startswith("gen.") else self.opt_d
                opt.state[params[n]]["m"].copy_(torch.from_numpy(t[ckpt.MOMENT + n]))
                opt.state[params[n]]["v"].copy_(torch.from_numpy(t[ckpt.SQUARE + n]))
        self.ema = None
        if ckpt.ema_decay(cfg) > 0:
            self.ema = EMA([(n, p) for n, p in params.items() if n.startswith("gen.")], ckpt.ema_decay(cfg), t=c["step_g"])
            self.ema.load_(c["ema"])
        self.gen_noise = torch.Generator().manual_seed(noise_seed(seed, c["step_d"]) & ((1 << 63) - 1))

    def iteration(self, critic=0, lo=0, hi=None, scale=1.0, allreduce=None, world=1):
        """The rest of one generator iteration, critic of its critic steps
        done: the critic steps, then the generator step and the moving
        average's update. This rank takes rows [lo, hi) of each global
        minibatch, its losses weighted by scale; allreduce (in place, a
        list of tensors; None on one process) sums gradients and losses
        across the world ranks. Returns the iteration's record [lossD,
        lossD_unregularized, gradient_penalty, lossG]: the last critic
        step's losses (measured before its update) and the generator
        step's, averaged across ranks."""
        cfg, dev, model = self.cfg, self.dev, self.model
        batch, z, lam = cfg["Batch"], cfg["Latent"], cfg["Lambda"]
        hi = batch if hi is None else hi
        reduce = allreduce or (lambda ts: None)
        dparams = list(model.disc.parameters())
        gparams = list(model.gen.parameters())
        while critic < cfg["Critic"]:
            x = torch.from_numpy(self.stream.next(lo, hi)).to(dev)
            zz = torch.randn(batch, z, generator=self.gen_noise)[lo:hi].to(dev)
            eps = torch.rand(batch, generator=self.gen_noise)[lo:hi].to(dev)
            loss_d, unreg, gp, _, _, _ = d_losses(model.gen, model.disc, x, zz, eps, lam)
            self.opt_d.zero_grad(set_to_none=False)
            (loss_d * scale).backward()
            reduce([p.grad for p in dparams])
            if world > 1:
                for p in dparams:
                    p.grad /= world
            self.opt_d.step()
            critic += 1
        zz = torch.randn(batch, z, generator=self.gen_noise)[lo:hi].to(dev)
        loss_g = g_loss(model.gen, model.disc, zz)
        self.opt_g.zero_grad(set_to_none=False)
        (loss_g * scale).backward()
        reduce([p.grad for p in gparams])
        if world > 1:
            for p in gparams:
                p.grad /= world
        vals = torch.stack([loss_d.detach(), unreg.detach(), gp.detach(), loss_g.detach()]) * scale
        reduce([vals])
        vals = (vals / world).cpu().tolist()
        self.opt_g.step()
        if self.ema is not None:
            self.ema.update(self.opt_g.t)
        return vals


def main(argv=None):
    ap = argparse.ArgumentParser(prog="torchrun --nproc_per_node N -m wgangp_torch.train",
                                 description=__doc__.split("\n\n")[0])
    ap.add_argument("--resume", required=True, help="a run folder of `wgangp train` or its checkpoint")
    ap.add_argument("--data", default="", help="the run's picture folder (default: the checkpoint's data_dir)")
    ap.add_argument("--iterations", type=int, default=0, help="the run's new target of generator iterations (default: the checkpoint's)")
    ap.add_argument("--every", type=int, default=20, help="grid refresh every N iterations")
    ap.add_argument("--checkpoint-every", type=int, default=200)
    ap.add_argument("--lr-d", type=float, default=0.0)
    ap.add_argument("--lr-g", type=float, default=0.0)
    ap.add_argument("--device", choices=["auto", "cpu", "cuda"], default="auto")
    ap.add_argument("--tf32", action="store_true", help="allow TF32 matmuls and convolutions on CUDA")
    a = ap.parse_args(argv)
    try:
        path = ckpt.resolve(a.resume)
        c = ckpt.load(path)
    except ckpt.CheckpointError as e:
        print(f"wgangp_torch.train: {e}", file=sys.stderr)
        return 1
    cfg = dict(c["config"])
    target = a.iterations or c["iterations"]
    if target < c["iteration"]:
        print(f"wgangp_torch.train: --iterations {target} is below the checkpoint's iteration {c['iteration']}", file=sys.stderr)
        return 2
    if a.lr_d:
        cfg["LRD"] = a.lr_d
    if a.lr_g:
        cfg["LRG"] = a.lr_g
    r = Run(a)
    torch.backends.cuda.matmul.allow_tf32 = a.tf32
    torch.backends.cudnn.allow_tf32 = a.tf32
    batch = cfg["Batch"]
    if r.world > batch:
        print(f"wgangp_torch.train: {r.world} ranks for a minibatch of {batch}: at most one rank per picture", file=sys.stderr)
        return 2
    lo, hi = r.rank * batch // r.world, (r.rank + 1) * batch // r.world
    scale = (hi - lo) * r.world / batch  # weights each rank's mean by its share of the global batch
    try:
        images, data_dir = load_images(path, c, a.data)
    except (OSError, ValueError) as e:
        print(f"wgangp_torch.train: {e}", file=sys.stderr)
        return 1
    meta = c["meta"]
    seed = int(meta["seed"])
    dev = r.device
    f, z = cfg["Filters"], cfg["Latent"]
    tr = Training(c, cfg, images, dev)
    model, opt_d, opt_g, stream = tr.model, tr.opt_d, tr.opt_g, tr.stream
    val_z = torch.randn(VALIDATION, z, generator=torch.Generator().manual_seed(seed & ((1 << 63) - 1))).to(dev)

    out = os.path.dirname(os.path.abspath(path))
    history = {k: list(v) for k, v in c["history"].items()}
    it, critic = c["iteration"], c["critic_done"]
    elapsed_ms = int(meta["elapsed_ms"])
    stop = [False]

    def on_signal(sig, frame):
        stop[0] = True

    for s in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
        signal.signal(s, on_signal)

    def write_meta():
        m = dict(meta)
        m.update(iteration=str(it), critic_done=str(critic), iterations=str(target), elapsed_ms=str(elapsed_ms),
                 stream_epoch=str(stream.epoch), stream_pos=str(stream.pos),
                 noise_state=go_noise_state(seed, opt_d.t), data_dir=data_dir if meta.get("data_dir") else "",
                 backend=f"pytorch {torch.__version__} ({dev.type}, float32, {r.world} rank(s), wgangp_torch)")
        if not meta.get("data_dir"):
            m.pop("data_dir", None)
        cf = dict(cfg)
        return m, cf

    def save(final=False):
        if r.rank != 0:
            return
        m, cf = write_meta()
        ckpt.save(os.path.join(out, ckpt.CHECKPOINT_NAME), cf, model, opt_d, opt_g, m, history, c["swd"],
                  ema=None if tr.ema is None else tr.ema.avg)
        if final:
            ckpt.save_weights(os.path.join(out, "weights.safetensors"), model)

    def write_csv():
        buf = io.StringIO()
        w = csv.writer(buf, lineterminator="\n")
        w.writerow(["iteration", "lossD", "lossD_unregularized", "gradient_penalty", "lossG"])
        for i in range(len(history["lossD"])):
            w.writerow([i + 1] + [str(np.float32(history[h][i])) for h in ckpt.HISTORY])
        from .safetensors import write_atomic
        write_atomic(os.path.join(out, "losses.csv"), buf.getvalue().encode())

    def write_grid():
        with torch.no_grad():
            g = model.gen(val_z).cpu().numpy()
        from .safetensors import write_atomic
        b = png.encode(png.grid(g))
        write_atomic(os.path.join(out, f"grid-{it:06d}.png"), b)
        write_atomic(os.path.join(out, "grid-latest.png"), b)

    r.log(f"resumed {path} at iteration {it} (step_d {opt_d.t}, step_g {opt_g.t}); target {target}; "
          f"F={f}, Z={z}, batch {batch} over {r.world} rank(s) on {dev.type}; {len(images)} pictures from {data_dir}"
          + ("; linear critic" if model.linear else "") + (f"; EMA {tr.ema.decay:g}" if tr.ema else ""))
    start = time.time()
    done_here = 0
    tty = sys.stdout.isatty()
    status = 0
    while it < target:
        t0 = time.time()
        flag = torch.tensor([1.0 if stop[0] else 0.0], device=dev)
        r.allreduce_([flag])
        if flag.item() > 0:
            status = 3
            break
        vals = tr.iteration(critic, lo, hi, scale, r.allreduce_, r.world)
        critic = 0
        if not all(math.isfinite(v) for v in vals):
            r.log(f"\ntraining diverged at iteration {it + 1}: losses {vals}; the last good checkpoint is kept: resume it with smaller learning rates")
            status = 4
            break
        it += 1
        done_here += 1
        for h, v in zip(ckpt.HISTORY, vals):
            history[h].append(v)
        elapsed_ms += int((time.time() - t0) * 1000)
        if r.rank == 0:
            if it == 1 or it % a.every == 0 or it == target:
                write_grid()
                write_csv()
            if it % a.checkpoint_every == 0 and it < target:
                save()
            rate = done_here / max(time.time() - start, 1e-9)
            line = (f"iteration {it}/{target}  lossD {vals[0]:.4g}  lossD unregularized {vals[1]:.4g}  "
                    f"{rate:.3g} it/s  ETA {int((target - it) / max(rate, 1e-9))} s")
            print(("\r" + line) if tty else line, end="" if tty else "\n", flush=True)
    if status != 4:
        if r.rank == 0:
            write_csv()
        save(final=True)
    if tty:
        r.log()
    r.log({0: f"done: iteration {it}; wrote {out}", 3: f"stopped at iteration {it}: checkpoint saved; --resume continues"}.get(status, ""))
    if r.world > 1:
        dist.barrier()
        dist.destroy_process_group()
    return status


if __name__ == "__main__":
    sys.exit(main())
