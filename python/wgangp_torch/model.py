"""The two networks of SPEC §2 with the weights file's names and PyTorch
layouts (§6): WGAN().state_dict() has exactly the file's tensors.

linear=True (wgan.Config's Linear) is the WGAN-GP paper's critic: the
score is conv5's output itself, without the final sigmoid; the parameters
are the same."""

import math

import torch
import torch.nn as nn
import torch.nn.functional as F

LEAK = 0.2
NORM_EPS = 1e-5
CHANNELS, SIZE = 3, 64


class LayerNorm(nn.Module):
    """MATLAB's layerNormalizationLayer on images: per sample over (C,H,W),
    then a per-channel scale and offset."""

    def __init__(self, c):
        super().__init__()
        self.weight = nn.Parameter(torch.ones(c))
        self.bias = nn.Parameter(torch.zeros(c))

    def forward(self, x):
        mu = x.mean(dim=(1, 2, 3), keepdim=True)
        var = ((x - mu) ** 2).mean(dim=(1, 2, 3), keepdim=True)
        y = (x - mu) / torch.sqrt(var + NORM_EPS)
        return y * self.weight.view(1, -1, 1, 1) + self.bias.view(1, -1, 1, 1)


class Discriminator(nn.Module):
    def __init__(self, f, linear=False):
        super().__init__()
        self.linear = bool(linear)
        ch = [CHANNELS, f, 2 * f, 4 * f, 8 * f]
        for k in range(1, 5):
            setattr(self, f"conv{k}", nn.Conv2d(ch[k - 1], ch[k], 5, stride=2))
            if k >= 2:
                setattr(self, f"norm{k}", LayerNorm(ch[k]))
        self.conv5 = nn.Conv2d(8 * f, 1, 4)

    def forward(self, x):
        """Scores, shape [N]: in (0,1) (sigmoid of conv5), or conv5's output itself when linear."""
        for k in range(1, 5):
            x = getattr(self, f"conv{k}")(F.pad(x, (1, 2, 1, 2)))  # "same": 1 top/left, 2 bottom/right
            if k >= 2:
                x = getattr(self, f"norm{k}")(x)
            x = F.leaky_relu(x, LEAK)
        s = self.conv5(x)
        return (s if self.linear else torch.sigmoid(s)).reshape(-1)


class Generator(nn.Module):
    def __init__(self, f, z):
        super().__init__()
        self.f = f
        self.project = nn.Linear(z, 16 * 8 * f)
        ch = [8 * f, 4 * f, 2 * f, f, CHANNELS]
        for k in range(1, 5):
            setattr(self, f"tconv{k}", nn.ConvTranspose2d(ch[k - 1], ch[k], 5, stride=1 if k == 1 else 2))

    def forward(self, z):
        x = self.project(z).reshape(-1, 8 * self.f, 4, 4)
        x = F.relu(self.tconv1(x))  # 4 -> 8
        for k in range(2, 5):
            x = getattr(self, f"tconv{k}")(x)[:, :, 1:-2, 1:-2]  # full 2n+3, "same" crop
            x = F.relu(x) if k < 4 else torch.tanh(x)
        return x


class WGAN(nn.Module):
    def __init__(self, f, z, linear=False):
        super().__init__()
        self.filters, self.latent, self.linear = f, z, bool(linear)
        self.gen = Generator(f, z)
        self.disc = Discriminator(f, linear)


def param_shapes(f, z):
    """The weights file's tensors in file order (generator first), as wgan.Params."""
    shapes = [("gen.project.weight", [16 * 8 * f, z]), ("gen.project.bias", [16 * 8 * f])]
    ch = [8 * f, 4 * f, 2 * f, f, CHANNELS]
    for k in range(1, 5):
        shapes += [(f"gen.tconv{k}.weight", [ch[k - 1], ch[k], 5, 5]), (f"gen.tconv{k}.bias", [ch[k]])]
    ch = [CHANNELS, f, 2 * f, 4 * f, 8 * f, 1]
    for k in range(1, 6):
        kern = 4 if k == 5 else 5
        shapes += [(f"disc.conv{k}.weight", [ch[k], ch[k - 1], kern, kern]), (f"disc.conv{k}.bias", [ch[k]])]
        if 2 <= k <= 4:
            shapes += [(f"disc.norm{k}.weight", [ch[k]]), (f"disc.norm{k}.bias", [ch[k]])]
    return shapes


def glorot_init(model, generator=None):
    """MATLAB's defaults (SPEC §2): Glorot uniform weights with
    fan_in + fan_out = (in + out)·kh·kw, zero biases, norms 1 and 0."""
    with torch.no_grad():
        for name, p in model.named_parameters():
            if ".norm" in name:
                p.fill_(1.0 if name.endswith("weight") else 0.0)
            elif name.endswith("bias"):
                p.zero_()
            else:
                fan = p.shape[0] + p.shape[1]
                for d in p.shape[2:]:
                    fan *= d
                a = math.sqrt(6.0 / fan)
                p.uniform_(-a, a, generator=generator)
