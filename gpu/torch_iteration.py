#!/usr/bin/env python3
"""Seconds per WGAN-GP generator iteration in PyTorch, for a figure beside
`wgangp bench`: the model of SPEC.md (../shared/SPEC.md) sections 2-4,
written from the spec.

One generator iteration is what the trainer does: 5 critic steps (each with a
fresh real minibatch, latents and epsilon; the gradient penalty through a
double backward) and 1 generator step, each followed by the spec's Adam
update. The losses are read back to the host twice per iteration (after the
last critic step and after the generator step), as `wgangp bench` does.
"Real" images are uniform in [-1, 1): the time does not depend on them.

    python3 gpu/torch_iteration.py --sizes 8:16,16:32,64:64 --device cuda --tf32 both

prints, for each F:batch, one line a script can parse:

    torch: F=8 batch=16 device=cuda math=fp32 0.0123 s/iteration (median of 20, ...)

(math=tf32 with --tf32 on or both: cuDNN and cuBLAS may round to TF32).

Runs on PyTorch 1.13 (Debian's python3-torch, CPU) and 2.x with CUDA.
"""

import argparse
import math
import statistics
import sys
import time

import torch
import torch.nn.functional as tf

LATENT = 100
CRITIC_STEPS = 5
LAMBDA = 10.0
LR_D, LR_G = 2e-4, 1e-3
BETA1, BETA2, ADAM_EPS = 0.0, 0.9, 1e-8
LN_EPS = 1e-5


def glorot(shape, fan_in, fan_out, gen, device):
    """Glorot (Xavier) uniform weights, MATLAB's default initialiser."""
    bound = math.sqrt(6.0 / (fan_in + fan_out))
    w = torch.rand(shape, generator=gen) * (2 * bound) - bound
    return w.to(device).requires_grad_()


def zeros(n, device):
    return torch.zeros(n, device=device, requires_grad=True)


def ones(n, device):
    return torch.ones(n, device=device, requires_grad=True)


class Critic:
    """disc.conv1..5 with layer norms 2..4 (SPEC section 2)."""

    def __init__(self, f, gen, device):
        chans = [3, f, 2 * f, 4 * f, 8 * f]
        self.params = {}
        for k in range(1, 5):
            cin, cout = chans[k - 1], chans[k]
            self.params["conv%d.weight" % k] = glorot((cout, cin, 5, 5), 25 * cin, 25 * cout, gen, device)
            self.params["conv%d.bias" % k] = zeros(cout, device)
            if k >= 2:
                self.params["norm%d.weight" % k] = ones(cout, device)
                self.params["norm%d.bias" % k] = zeros(cout, device)
        self.params["conv5.weight"] = glorot((1, 8 * f, 4, 4), 16 * 8 * f, 16, gen, device)
        self.params["conv5.bias"] = zeros(1, device)

    def __call__(self, x):
        p = self.params
        for k in range(1, 5):
            # "same" padding of a 5x5 stride-2 convolution on an even size:
            # 1 row/column before, 2 after.
            x = tf.conv2d(tf.pad(x, (1, 2, 1, 2)), p["conv%d.weight" % k], p["conv%d.bias" % k], stride=2)
            if k >= 2:
                x = layer_norm(x, p["norm%d.weight" % k], p["norm%d.bias" % k])
            x = tf.leaky_relu(x, 0.2)
        x = tf.conv2d(x, p["conv5.weight"], p["conv5.bias"])
        return torch.sigmoid(x).reshape(-1)


def layer_norm(x, gamma, beta):
    """Per sample over (C, H, W), then a per-channel scale and offset."""
    mean = x.mean(dim=(1, 2, 3), keepdim=True)
    var = ((x - mean) ** 2).mean(dim=(1, 2, 3), keepdim=True)
    xn = (x - mean) / torch.sqrt(var + LN_EPS)
    return xn * gamma.view(1, -1, 1, 1) + beta.view(1, -1, 1, 1)


class Generator:
    """gen.project and gen.tconv1..4 (SPEC section 2)."""

    def __init__(self, f, gen, device):
        self.f = f
        chans = [8 * f, 4 * f, 2 * f, f, 3]
        self.params = {
            "project.weight": glorot((16 * 8 * f, LATENT), LATENT, 16 * 8 * f, gen, device),
            "project.bias": zeros(16 * 8 * f, device),
        }
        for k in range(1, 5):
            cin, cout = chans[k - 1], chans[k]
            # ConvTranspose2d layout [in, out, kh, kw].
            self.params["tconv%d.weight" % k] = glorot((cin, cout, 5, 5), 25 * cin, 25 * cout, gen, device)
            self.params["tconv%d.bias" % k] = zeros(cout, device)

    def __call__(self, z):
        p = self.params
        x = tf.linear(z, p["project.weight"], p["project.bias"]).view(-1, 8 * self.f, 4, 4)
        x = torch.relu(tf.conv_transpose2d(x, p["tconv1.weight"], p["tconv1.bias"]))
        for k in range(2, 5):
            # Full output 2n+3, cropped 1 before and 2 after: 2n.
            x = tf.conv_transpose2d(x, p["tconv%d.weight" % k], p["tconv%d.bias" % k], stride=2)
            x = x[:, :, 1:-2, 1:-2]
            x = torch.relu(x) if k < 4 else torch.tanh(x)
        return x


class Adam:
    """MATLAB's adamupdate as SPEC section 4 writes it:
    m = b1 m + (1-b1) g; v = b2 v + (1-b2) g^2;
    p -= lr sqrt(1-b2^t)/(1-b1^t) m / (sqrt(v) + eps)."""

    def __init__(self, params, lr, foreach):
        self.params = list(params)
        self.lr = lr
        self.t = 0
        self.m = [torch.zeros_like(p) for p in self.params]
        self.v = [torch.zeros_like(p) for p in self.params]
        self.foreach = foreach and hasattr(torch, "_foreach_addcdiv_")

    @torch.no_grad()
    def step(self, grads):
        self.t += 1
        step = self.lr * math.sqrt(1 - BETA2 ** self.t) / (1 - BETA1 ** self.t)
        if self.foreach:
            torch._foreach_mul_(self.m, BETA1)
            torch._foreach_add_(self.m, grads, alpha=1 - BETA1)
            torch._foreach_mul_(self.v, BETA2)
            torch._foreach_addcmul_(self.v, grads, grads, value=1 - BETA2)
            denom = torch._foreach_sqrt(self.v)
            torch._foreach_add_(denom, ADAM_EPS)
            torch._foreach_addcdiv_(self.params, self.m, denom, value=-step)
            return
        for p, g, m, v in zip(self.params, grads, self.m, self.v):
            m.mul_(BETA1).add_(g, alpha=1 - BETA1)
            v.mul_(BETA2).addcmul_(g, g, value=1 - BETA2)
            p.addcdiv_(m, v.sqrt().add_(ADAM_EPS), value=-step)


class Trainer:
    def __init__(self, f, batch, device, seed, foreach):
        gen = torch.Generator().manual_seed(seed)
        self.n, self.device = batch, device
        self.d = Critic(f, gen, device)
        self.g = Generator(f, gen, device)
        self.dp = list(self.d.params.values())
        self.gp = list(self.g.params.values())
        self.adam_d = Adam(self.dp, LR_D, foreach)
        self.adam_g = Adam(self.gp, LR_G, foreach)

    def d_step(self):
        """One critic step; returns (lossD, lossD unregularized, penalty) as tensors."""
        n, dev = self.n, self.device
        x = torch.rand(n, 3, 64, 64, device=dev) * 2 - 1
        z = torch.randn(n, LATENT, device=dev)
        eps = torch.rand(n, 1, 1, 1, device=dev)
        with torch.no_grad():
            fake = self.g(z)
        unreg = self.d(fake).mean() - self.d(x).mean()
        xhat = (eps * x + (1 - eps) * fake).requires_grad_()
        (g,) = torch.autograd.grad(self.d(xhat).sum(), xhat, create_graph=True)
        norm = torch.sqrt((g * g).sum(dim=(1, 2, 3)) + 1e-10)
        penalty = LAMBDA * ((norm - 1) ** 2).mean()
        loss = unreg + penalty
        grads = torch.autograd.grad(loss, self.dp)
        self.adam_d.step(grads)
        return loss.detach(), unreg.detach(), penalty.detach()

    def g_step(self):
        z = torch.randn(self.n, LATENT, device=self.device)
        loss = -self.d(self.g(z)).mean()
        grads = torch.autograd.grad(loss, self.gp)
        self.adam_g.step(grads)
        return loss.detach()

    def iteration(self):
        """5 critic steps and 1 generator step; reads the losses back as the
        Go trainer does (which also waits for the device)."""
        for _ in range(CRITIC_STEPS):
            loss_d, unreg, _ = self.d_step()
        loss_d, unreg = loss_d.item(), unreg.item()
        loss_g = self.g_step().item()
        return loss_d, unreg, loss_g


def sync(device):
    if device.type == "cuda":
        torch.cuda.synchronize(device)


def time_size(f, batch, device, math_mode, args):
    tr = Trainer(f, batch, device, args.seed, not args.no_foreach)
    t0 = time.perf_counter()
    for _ in range(args.warmup):
        tr.iteration()
    sync(device)
    warm = time.perf_counter() - t0
    times, losses = [], None
    for _ in range(args.iterations):
        t = time.perf_counter()
        losses = tr.iteration()
        sync(device)
        times.append(time.perf_counter() - t)
    med = statistics.median(times)
    print(
        "torch: F=%d batch=%d device=%s math=%s %.4f s/iteration (median of %d, min %.4f, max %.4f; warm-up %d in %.2f s; "
        "lossD %.4f lossD_unregularized %.4f lossG %.4f)"
        % (f, batch, device.type, math_mode, med, len(times), min(times), max(times), args.warmup, warm, *losses)
    )
    if not all(math.isfinite(v) for v in losses):
        print("torch: F=%d batch=%d: non-finite losses" % (f, batch))
        return False
    sys.stdout.flush()
    return True


def set_tf32(on):
    """Lets cuDNN's convolutions and cuBLAS's products round to TF32, or not:
    through fp32_precision where PyTorch has it (2.9 and later deprecate the
    allow_tf32 flags), else through the flags."""
    conv = getattr(torch.backends.cudnn, "conv", None)
    if conv is not None and hasattr(conv, "fp32_precision"):
        try:
            conv.fp32_precision = "tf32" if on else "ieee"
            torch.backends.cuda.matmul.fp32_precision = "tf32" if on else "ieee"
            return "fp32_precision"
        except (AttributeError, RuntimeError, ValueError) as e:
            print("torch: fp32_precision: %s; trying allow_tf32" % e)
    try:
        torch.backends.cudnn.allow_tf32 = on
        torch.backends.cuda.matmul.allow_tf32 = on
        return "allow_tf32"
    except (AttributeError, RuntimeError, ValueError) as e:
        print("torch: allow_tf32: %s; leaving PyTorch's defaults" % e)
        return "defaults"


def parse_sizes(s):
    sizes = []
    for part in s.split(","):
        f, _, b = part.strip().partition(":")
        if not f or not b:
            raise argparse.ArgumentTypeError("sizes are F:batch pairs separated by commas, e.g. 8:16,64:64")
        sizes.append((int(f), int(b)))
    return sizes


def blas_library():
    """The BLAS library this process has loaded once a product ran (on Linux:
    from /proc/self/maps; Debian's torch calls whichever libblas.so.3 the
    alternatives name: OpenBLAS once libopenblas0-pthread is installed, else
    the reference BLAS, 2-3x slower)."""
    torch.ones(64, 64) @ torch.ones(64, 64)
    try:
        with open("/proc/self/maps") as maps:
            libs = {line.split()[-1] for line in maps if "blas" in line.rsplit("/", 1)[-1].lower()}
    except OSError:
        return "unknown"
    return ", ".join(sorted(libs)) or "unknown (none mapped)"


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--sizes", type=parse_sizes, default=parse_sizes("8:16,16:32,64:64"), help="F:batch pairs (8:16,16:32,64:64)")
    ap.add_argument("--device", default="auto", help="auto (cuda when there is one), cuda or cpu")
    ap.add_argument("--iterations", type=int, default=0, help="timed iterations (default 20 on cuda, 3 on cpu)")
    ap.add_argument("--warmup", type=int, default=0, help="warm-up iterations (default 3 on cuda, 1 on cpu)")
    ap.add_argument("--tf32", choices=("off", "on", "both"), default="off",
                    help="let cuDNN and cuBLAS use TF32 on CUDA: off (float32 throughout, as the Go engine computes), on, or both, one line each")
    ap.add_argument("--no-cudnn-benchmark", action="store_true", help="do not let cuDNN time its algorithms per shape")
    ap.add_argument("--no-foreach", action="store_true", help="Adam as a loop over tensors instead of torch._foreach_*")
    ap.add_argument("--threads", type=int, default=0, help="CPU threads (0: PyTorch's default)")
    ap.add_argument("--seed", type=int, default=1)
    args = ap.parse_args()

    if args.device == "auto":
        args.device = "cuda" if torch.cuda.is_available() else "cpu"
    device = torch.device(args.device)
    if device.type == "cuda" and not torch.cuda.is_available():
        print("torch: CUDA is not available (torch %s)" % torch.__version__, file=sys.stderr)
        return 2
    cuda = device.type == "cuda"
    if not cuda:
        args.tf32 = "off"
    args.iterations = args.iterations or (20 if cuda else 3)
    args.warmup = args.warmup or (3 if cuda else 1)
    if args.threads > 0:
        torch.set_num_threads(args.threads)
    torch.manual_seed(args.seed)
    desc = "cpu, %d threads" % torch.get_num_threads()
    if cuda:
        torch.backends.cudnn.benchmark = not args.no_cudnn_benchmark
        desc = "%s, CUDA %s, cuDNN %s, cudnn.benchmark %s" % (
            torch.cuda.get_device_name(device),
            torch.version.cuda,
            torch.backends.cudnn.version(),
            "on" if torch.backends.cudnn.benchmark else "off",
        )
    foreach = not args.no_foreach and hasattr(torch, "_foreach_addcdiv_")
    print("torch %s on %s; float32 tensors; Adam %s" % (torch.__version__, desc, "foreach" if foreach else "loop"))
    if not cuda:
        print("blas: %s" % blas_library())
    sys.stdout.flush()
    ok = True
    maths = {"off": ["fp32"], "on": ["tf32"], "both": ["fp32", "tf32"]}[args.tf32]
    for math_mode in maths:
        if cuda:
            print("math=%s: TF32 %s (through %s)" % (math_mode, "allowed" if math_mode == "tf32" else "off", set_tf32(math_mode == "tf32")))
        for f, batch in args.sizes:
            try:
                ok = time_size(f, batch, device, math_mode, args) and ok
            except RuntimeError as e:  # out of memory and the like: report, go on
                print("torch: F=%d batch=%d device=%s math=%s failed: %s" % (f, batch, device.type, math_mode, e))
                ok = False
            if cuda:
                torch.cuda.empty_cache()
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
