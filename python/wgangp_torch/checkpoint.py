"""Our checkpoint format (wgan/steps.go and wgan/train/checkpoint.go), both ways.

Tensors: the weights under their names, Adam's moments as optim.m.<name>
and optim.v.<name>, the trainer's history as train.history.lossD,
.lossD_unregularized, .gradient_penalty, .lossG ([iteration] each) and
train.history.swd ([k,2]: iteration, value). __metadata__: format
"wgangp-checkpoint-1", config (JSON of wgan.Config), step_d, step_g,
iteration, critic_done, iterations, seed, swd_every, swd_images, swd_floor,
elapsed_ms, data, data_images, stream_epoch, stream_pos, noise_state
(base64 of Go's PCG state) and, from the command line, data_dir and crop.

The config's optional keys (absent in older checkpoints: their defaults):
Linear (bool, false: the critic without its final sigmoid when true) and
EMA (a number, 0: off; else the decay in (0,1) of a moving average of the
generator's weights). With EMA > 0 the averages are tensors
ema.<name> for every generator parameter gen.* (its shape), required then
and refused otherwise."""

import base64
import json
import math
import os

import numpy as np

from . import safetensors
from .model import param_shapes

FORMAT = "wgangp-checkpoint-1"
MOMENT, SQUARE, TRAINER, EMA = "optim.m.", "optim.v.", "train.", "ema."
HISTORY = ["lossD", "lossD_unregularized", "gradient_penalty", "lossG"]
COUNTS = ["iteration", "iterations", "swd_every", "swd_images", "data_images",
          "stream_epoch", "stream_pos", "step_d", "step_g"]
CONFIG_KEYS = ["Filters", "Latent", "Batch", "Lambda", "LRD", "LRG", "Beta1", "Beta2", "Eps", "Critic"]
CHECKPOINT_NAME = "checkpoint.safetensors"


class CheckpointError(ValueError):
    """A file that is not a checkpoint this package can continue."""


def linear(cfg):
    """wgan.Config's Linear: the critic without its final sigmoid (default false)."""
    return bool(cfg.get("Linear", False))


def ema_decay(cfg):
    """wgan.Config's EMA: the generator's moving average's decay, 0 when off (the default)."""
    return float(cfg.get("EMA", 0))


def check_options(cfg):
    """Linear and EMA of a config (dict), when present: raises ValueError
    saying what is wrong."""
    if "Linear" in cfg and not isinstance(cfg["Linear"], bool):
        raise ValueError(f"Linear {cfg['Linear']!r} is not true or false")
    if "EMA" in cfg:
        v = cfg["EMA"]
        if isinstance(v, bool) or not isinstance(v, (int, float)) or not math.isfinite(v) or not (v == 0 or 0 < v < 1):
            raise ValueError(f"EMA {v!r} is not 0 (no moving average) nor a decay in (0,1)")


def ema_names(f, z):
    """The moving averages' tensor names, ema.gen.*, in file order."""
    return [EMA + n for n, _ in param_shapes(f, z) if n.startswith("gen.")]


def resolve(run):
    """A run folder or a checkpoint file -> the checkpoint's path."""
    if os.path.isdir(run):
        p = os.path.join(run, CHECKPOINT_NAME)
        if not os.path.exists(p):
            raise CheckpointError(f"{run} is a folder without {CHECKPOINT_NAME}: not a run folder")
        return p
    if not os.path.exists(run):
        raise CheckpointError(f"{run} does not exist")
    return run


def load(path):
    """Reads and checks a trainer checkpoint. Returns a dict: config,
    tensors (weights and moments), history (name -> list), swd (array [k,2]),
    meta (the metadata, all keys), and the counts as ints."""
    try:
        tensors, meta = safetensors.read(path)
    except safetensors.FormatError as e:
        raise CheckpointError(f"not a checkpoint: {e}") from None
    if meta.get("format") != FORMAT:
        kind = "a weights file (no Adam moments or counters)" if "gen.project.weight" in tensors else "not a checkpoint of this program"
        raise CheckpointError(f"{path}: {kind}: metadata format {meta.get('format')!r}, expected {FORMAT!r}")
    try:
        cfg = json.loads(meta.get("config", ""))
        assert isinstance(cfg, dict) and all(k in cfg for k in CONFIG_KEYS)
        for k in ("Filters", "Latent", "Batch", "Critic"):
            assert isinstance(cfg[k], int) and cfg[k] >= 1
    except (ValueError, AssertionError):
        raise CheckpointError(f"{path}: checkpoint configuration {meta.get('config')!r} is not a wgan.Config") from None
    try:
        check_options(cfg)
    except ValueError as e:
        raise CheckpointError(f"{path}: checkpoint configuration: {e}") from None
    counts, bad = {}, []
    for k in COUNTS + ["critic_done"]:
        v = meta.get(k, "0" if k == "critic_done" else None)
        try:
            counts[k] = int(v)
            assert counts[k] >= 0
        except (TypeError, ValueError, AssertionError):
            bad.append(f"{k} {v!r}")
    for k in ("seed", "elapsed_ms"):
        try:
            int(meta.get(k))
        except (TypeError, ValueError):
            bad.append(f"{k} {meta.get(k)!r}")
    if bad:
        raise CheckpointError(f"{path}: checkpoint metadata lacks or garbles {', '.join(bad)} (was it written by `wgangp train`?)")
    f, z = cfg["Filters"], cfg["Latent"]
    want = {}
    for name, shape in param_shapes(f, z):
        want[name] = shape
        want[MOMENT + name] = shape
        want[SQUARE + name] = shape
        if name.startswith("gen.") and ema_decay(cfg) > 0:
            want[EMA + name] = shape
    for name, shape in want.items():
        if name not in tensors:
            why = f" (its config has EMA {cfg['EMA']}: a moving average of every generator parameter)" if name.startswith(EMA) else ""
            raise CheckpointError(f"{path}: checkpoint for F={f}, Z={z} lacks tensor {name}{why}")
        if list(tensors[name].shape) != shape:
            raise CheckpointError(f"{path}: tensor {name} has shape {list(tensors[name].shape)}, want {shape} (F={f}, Z={z})")
    for name in tensors:
        if name not in want and not name.startswith(TRAINER):
            why = " (its config has no EMA)" if name.startswith(EMA) and ema_decay(cfg) == 0 else ""
            raise CheckpointError(f"{path}: unexpected tensor {name} in a checkpoint for F={f}, Z={z}{why}")
    for name, t in tensors.items():
        if not np.all(np.isfinite(t)):
            raise CheckpointError(f"{path}: tensor {name} holds NaN or Inf")
    it = counts["iteration"]
    if counts["step_g"] != it or counts["step_d"] != it * cfg["Critic"] + counts["critic_done"]:
        raise CheckpointError(f"{path}: step counts step_d {counts['step_d']}, step_g {counts['step_g']} do not match iteration {it} × {cfg['Critic']} critic steps + {counts['critic_done']}")
    history = {}
    for h in HISTORY:
        t = tensors.get(TRAINER + "history." + h)
        if t is None and it > 0:
            raise CheckpointError(f"{path}: checkpoint at iteration {it} lacks {TRAINER}history.{h}")
        if t is not None and list(t.shape) != [it]:
            raise CheckpointError(f"{path}: {TRAINER}history.{h} has shape {list(t.shape)}, want [{it}]")
        history[h] = [] if t is None else [float(v) for v in t]
    swd = tensors.get(TRAINER + "history.swd", np.zeros((0, 2), np.float32))
    try:
        noise = base64.b64decode(meta.get("noise_state", ""), validate=True)
    except ValueError:
        noise = b""
    if len(noise) == 0:
        raise CheckpointError(f"{path}: checkpoint metadata lacks or garbles noise_state")
    ema = {n[len(EMA):]: tensors[n] for n in ema_names(f, z)} if ema_decay(cfg) > 0 else {}
    out = dict(counts)
    out.update(config=cfg, tensors=tensors, history=history, swd=swd, meta=dict(meta), path=path, ema=ema)
    return out


def save(path, cfg, model, opt_d, opt_g, meta, history, swd, ema=None):
    """Writes a checkpoint of model (WGAN), its two MatlabAdams and the run's
    metadata and history, atomically. meta must hold the trainer's keys;
    config, step_d, step_g and format are set here. ema (name gen.* ->
    tensor, e.g. ema.EMA's averages) is written as ema.* and is required
    exactly when cfg has EMA > 0."""
    check_options(cfg)
    if (ema_decay(cfg) > 0) != (ema is not None):
        raise ValueError(f"config EMA {ema_decay(cfg)} with{'out' if ema is None else ''} moving averages to save")
    tensors = []
    params = dict(model.named_parameters())
    names = [n for n, _ in param_shapes(model.filters, model.latent)]
    for n in names:
        tensors.append((n, params[n]))
    for prefix, key in ((MOMENT, "m"), (SQUARE, "v")):
        for n in names:
            opt = opt_g if n.startswith("gen.") else opt_d
            tensors.append((prefix + n, opt.state[params[n]][key]))
    if ema is not None:
        for n in ema_names(model.filters, model.latent):
            tensors.append((n, ema[n[len(EMA):]]))
    it = len(history["lossD"])
    if it > 0:
        for h in HISTORY:
            tensors.append((TRAINER + "history." + h, np.asarray(history[h], np.float32)))
    if len(swd) > 0:
        tensors.append((TRAINER + "history.swd", np.asarray(swd, np.float32).reshape(-1, 2)))
    m = dict(meta)
    m.update(format=FORMAT, config=json.dumps(cfg, separators=(",", ":")), step_d=str(opt_d.t), step_g=str(opt_g.t))
    safetensors.write(path, tensors, m)


def save_weights(path, model, gen=None):
    """Writes model's weights file (param_shapes' tensors in order),
    atomically; gen (name gen.* -> tensor, e.g. the moving averages)
    replaces the generator's parameters when given."""
    params = dict(model.named_parameters())
    if gen is not None:
        params.update({n: gen[n] for n, _ in param_shapes(model.filters, model.latent) if n.startswith("gen.")})
    safetensors.write(path, [(n, params[n]) for n, _ in param_shapes(model.filters, model.latent)])
