"""The exponential moving average of the generator's weights (wgan.Config's
EMA), kept beside training as the Go trainer keeps it:

    after generator step t (1, 2, 3, ... counted over the whole run):
    β_t = min(EMA, (1+t)/(10+t));  ema += (1−β_t)·(w − ema)

in float32 (1−β_t computed in float64, then rounded), starting from the
generator's initial weights. In a checkpoint the averages are ema.<name>
(see checkpoint.py); the weights are unchanged by it."""

import torch


def beta(decay, t):
    """β_t: the warm-up (1+t)/(10+t) capped at the decay."""
    return min(float(decay), (1.0 + t) / (10.0 + t))


class EMA:
    """The moving averages of named parameters (name -> live tensor, e.g.
    the gen.* of a WGAN's named_parameters()). decay in (0,1); t is the
    generator step count the averages are at (the checkpoint's step_g)."""

    def __init__(self, named, decay, t=0):
        if not 0 < decay < 1:
            raise ValueError(f"moving average decay {decay} is not in (0,1)")
        self.decay, self.t = float(decay), int(t)
        self.params = dict(named)
        self.avg = {n: p.detach().clone() for n, p in self.params.items()}

    @torch.no_grad()
    def load_(self, tensors):
        """Copies the averages from name -> array or tensor (every name)."""
        for n, a in self.avg.items():
            v = tensors[n]
            a.copy_(v if isinstance(v, torch.Tensor) else torch.from_numpy(v))

    @torch.no_grad()
    def update(self, t=None):
        """After a generator step: t is the step count after it (default
        self.t + 1)."""
        self.t = self.t + 1 if t is None else int(t)
        k = 1.0 - beta(self.decay, self.t)
        for n, a in self.avg.items():
            c = torch.tensor(k, dtype=a.dtype, device=a.device)
            a.copy_(a + c * (self.params[n].detach() - a))
