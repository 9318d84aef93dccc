"""MATLAB's adamupdate (SPEC §4) as a torch.optim.Optimizer:

    t += 1; m = β1·m + (1−β1)·g; v = β2·v + (1−β2)·g²
    p −= lr·sqrt(1−β2^t)/(1−β1^t) · m / (sqrt(v) + ε)

ε is outside the bias correction (unlike torch.optim.Adam). The rate is
computed in float64 and rounded to the parameters' dtype, the update in
float64, as the Go engine does, so float32 steps equal Go's bit for bit.
The step count t is the optimizer's (one per network), in self.t."""

import math

import torch


class MatlabAdam(torch.optim.Optimizer):
    def __init__(self, params, lr, beta1=0.0, beta2=0.9, eps=1e-8, t=0):
        super().__init__(params, dict(lr=lr, beta1=beta1, beta2=beta2, eps=eps))
        self.t = t
        for group in self.param_groups:
            for p in group["params"]:
                self.state[p]["m"] = torch.zeros_like(p)
                self.state[p]["v"] = torch.zeros_like(p)

    def rate(self, group, t):
        b1, b2 = group["beta1"], group["beta2"]
        return group["lr"] * math.sqrt(1 - b2 ** t) / (1 - b1 ** t)

    @torch.no_grad()
    def step(self, closure=None):
        loss = None
        if closure is not None:
            with torch.enable_grad():
                loss = closure()
        self.t += 1
        for group in self.param_groups:
            b1, b2, eps = group["beta1"], group["beta2"], group["eps"]
            for p in group["params"]:
                if p.grad is None:
                    continue
                rate = torch.tensor(self.rate(group, self.t), dtype=p.dtype).double()
                st = self.state[p]
                g = p.grad.double()
                m = b1 * st["m"].double() + (1 - b1) * g
                v = b2 * st["v"].double() + (1 - b2) * g * g
                st["m"].copy_(m)
                st["v"].copy_(v)
                p.copy_(p.double() - rate * m / (torch.sqrt(v) + eps))
        return loss
