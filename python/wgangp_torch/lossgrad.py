"""`wgangp lossgrad` in PyTorch: the losses and gradients of SPEC §3 for a
weights file and an inputs file, written as the Go command writes them.

    python3 -m wgangp_torch.lossgrad --weights W --inputs I --out O [--dtype float64|float32] [--linear]

Inputs: x [N,3,64,64], z [N,Z], epsilon [N], lambda [1]. Outputs: lossD,
lossD_unregularized, gradient_penalty, lossG [1]; d_real, d_fake [N]; fake
[N,3,64,64]; grad.<disc param> = ∂lossD/∂θ_D (through the penalty's double
backward) and grad.<gen param> = ∂lossG/∂θ_G. --linear: the critic without
its final sigmoid (wgan.Config's Linear; a weights file does not say)."""

import argparse
import os
import sys

import torch

from . import safetensors
from .losses import d_losses, g_loss
from .model import WGAN, param_shapes


def infer_fz(weights):
    if "gen.project.weight" not in weights or "disc.conv1.weight" not in weights:
        raise ValueError("not a weights file: it lacks gen.project.weight or disc.conv1.weight")
    f = weights["disc.conv1.weight"].shape[0]
    z = weights["gen.project.weight"].shape[1]
    return f, z


def load_model(weights, dtype=torch.float64, linear=False):
    """A WGAN holding the given weights (checked against the spec)."""
    f, z = infer_fz(weights)
    for name, shape in param_shapes(f, z):
        if name not in weights:
            raise ValueError(f"weights for F={f}, Z={z} lack {name}")
        if list(weights[name].shape) != shape:
            raise ValueError(f"weights tensor {name} has shape {list(weights[name].shape)}, want {shape}")
    m = WGAN(f, z, linear=linear).to(dtype)
    m.load_state_dict({n: torch.from_numpy(weights[n]).to(dtype) for n, _ in param_shapes(f, z)})
    return m


def compute(weights, inputs, dtype=torch.float64, linear=False):
    """Returns a list of (name, tensor) in the Go command's order."""
    m = load_model(weights, dtype, linear)
    for k in ("x", "z", "epsilon", "lambda"):
        if k not in inputs:
            raise ValueError(f"inputs lack {k}")
    x, z, eps = (torch.from_numpy(inputs[k]).to(dtype) for k in ("x", "z", "epsilon"))
    n = x.shape[0]
    if list(x.shape[1:]) != [3, 64, 64] or list(z.shape) != [n, m.latent] or list(eps.shape) != [n]:
        raise ValueError(f"inputs x {list(x.shape)}, z {list(z.shape)}, epsilon {list(eps.shape)} do not fit N={n}, Z={m.latent}")
    lam = float(inputs["lambda"].reshape(-1)[0])
    with torch.no_grad():
        fake = m.gen(z)
    loss_d, unreg, gp, _, d_real, d_fake = d_losses(m.gen, m.disc, x, z, eps, lam, fake=fake)
    dparams = [p for _, p in m.disc.named_parameters()]
    gd = torch.autograd.grad(loss_d, dparams)
    loss_g = g_loss(m.gen, m.disc, z)
    gparams = [p for _, p in m.gen.named_parameters()]
    gg = torch.autograd.grad(loss_g, gparams)
    out = [("lossD", loss_d.reshape(1)), ("lossD_unregularized", unreg.reshape(1)),
           ("gradient_penalty", gp.reshape(1)), ("lossG", loss_g.reshape(1)),
           ("d_real", d_real), ("d_fake", d_fake), ("fake", fake)]
    grads = {"gen." + n: g for (n, _), g in zip(m.gen.named_parameters(), gg)}
    grads.update({"disc." + n: g for (n, _), g in zip(m.disc.named_parameters(), gd)})
    for name, _ in param_shapes(m.filters, m.latent):
        out.append(("grad." + name, grads[name]))
    return [(k, v.detach()) for k, v in out]


def main(argv=None):
    ap = argparse.ArgumentParser(prog="python3 -m wgangp_torch.lossgrad", description=__doc__.split("\n\n")[0])
    ap.add_argument("--weights", required=True)
    ap.add_argument("--inputs", required=True)
    ap.add_argument("--out", required=True)
    ap.add_argument("--dtype", choices=["float64", "float32"], default="float64")
    ap.add_argument("--linear", action="store_true", help="a critic without the final sigmoid (wgan.Config's Linear)")
    a = ap.parse_args(argv)
    if os.path.abspath(a.out) in (os.path.abspath(a.weights), os.path.abspath(a.inputs)):
        print("lossgrad: --out may not be one of its inputs", file=sys.stderr)
        return 1
    try:
        w, _ = safetensors.read(a.weights)
        i, _ = safetensors.read(a.inputs)
        res = compute(w, i, getattr(torch, a.dtype), a.linear)
    except (ValueError, OSError) as e:
        print(f"lossgrad: {e}", file=sys.stderr)
        return 1
    safetensors.write(a.out, res)
    d = dict(res)
    print(f"lossD {d['lossD'].item():.7g}  lossD_unregularized {d['lossD_unregularized'].item():.7g}  "
          f"gradient_penalty {d['gradient_penalty'].item():.7g}  lossG {d['lossG'].item():.7g}\nwrote {a.out} ({len(res)} tensors)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
