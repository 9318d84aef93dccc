"""Our checkpoint format (wgan/steps.go and wgan/train/checkpoint.go), both ways.

Tensors: the weights under their names, Adam's moments as optim.m.<name>
and optim.v.<name>, the trainer's history as train.history.lossD,
.lossD_unregularized, .gradient_penalty, .lossG ([iteration] each) and
train.history.swd ([k,2]: iteration, value). __metadata__: format
"wgangp-checkpoint-1", config (JSON of wgan.Config), step_d, step_g,
iteration, critic_done, iterations, seed, swd_every, swd_images, swd_floor,
elapsed_ms, data, data_images, stream_epoch, stream_pos, noise_state
(base64 of Go's PCG state) and, from the command line, data_dir and crop."""

import base64
import json
import os

import numpy as np

from . import safetensors
from .model import param_shapes

FORMAT = "wgangp-checkpoint-1"
MOMENT, SQUARE, TRAINER = "optim.m.", "optim.v.", "train."
HISTORY = ["lossD", "lossD_unregularized", "gradient_penalty", "lossG"]
COUNTS = ["iteration", "iterations", "swd_every", "swd_images", "data_images",
          "stream_epoch", "stream_pos", "step_d", "step_g"]
CONFIG_KEYS = ["Filters", "Latent", "Batch", "Lambda", "LRD", "LRG", "Beta1", "Beta2", "Eps", "Critic"]
CHECKPOINT_NAME = "checkpoint.safetensors"


class CheckpointError(ValueError):
    """A file that is not a checkpoint this package can continue."""


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
    for name, shape in want.items():
        if name not in tensors:
            raise CheckpointError(f"{path}: checkpoint for F={f}, Z={z} lacks tensor {name}")
        if list(tensors[name].shape) != shape:
            raise CheckpointError(f"{path}: tensor {name} has shape {list(tensors[name].shape)}, want {shape} (F={f}, Z={z})")
    for name in tensors:
        if name not in want and not name.startswith(TRAINER):
            raise CheckpointError(f"{path}: unexpected tensor {name} in a checkpoint for F={f}, Z={z}")
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
    out = dict(counts)
    out.update(config=cfg, tensors=tensors, history=history, swd=swd, meta=dict(meta), path=path)
    return out


def save(path, cfg, model, opt_d, opt_g, meta, history, swd):
    """Writes a checkpoint of model (WGAN), its two MatlabAdams and the run's
    metadata and history, atomically. meta must hold the trainer's keys;
    config, step_d, step_g and format are set here."""
    tensors = []
    params = dict(model.named_parameters())
    names = [n for n, _ in param_shapes(model.filters, model.latent)]
    for n in names:
        tensors.append((n, params[n]))
    for prefix, key in ((MOMENT, "m"), (SQUARE, "v")):
        for n in names:
            opt = opt_g if n.startswith("gen.") else opt_d
            tensors.append((prefix + n, opt.state[params[n]][key]))
    it = len(history["lossD"])
    if it > 0:
        for h in HISTORY:
            tensors.append((TRAINER + "history." + h, np.asarray(history[h], np.float32)))
    if len(swd) > 0:
        tensors.append((TRAINER + "history.swd", np.asarray(swd, np.float32).reshape(-1, 2)))
    m = dict(meta)
    m.update(format=FORMAT, config=json.dumps(cfg, separators=(",", ":")), step_d=str(opt_d.t), step_g=str(opt_g.t))
    safetensors.write(path, tensors, m)


def save_weights(path, model):
    params = dict(model.named_parameters())
    safetensors.write(path, [(n, params[n]) for n, _ in param_shapes(model.filters, model.latent)])
