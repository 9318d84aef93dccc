"""The losses of SPEC §3. They are D's scores as D gives them: with a
linear critic (WGAN(..., linear=True), wgan.Config's Linear) the same
formulas hold without the sigmoid, the penalty's gradient included."""

import torch

GP_EPS = 1e-10


def d_losses(gen, disc, x, z, eps, lam, fake=None):
    """lossD = mean(D(G(z))) − mean(D(x)) + λ·mean((‖∂ΣD(x̂)/∂x̂‖ − 1)²),
    x̂ = ε·x + (1−ε)·G(z). The penalty's gradient is built with
    create_graph, so lossD.backward() differentiates through it (the
    double backward). Returns (lossD, unregularized, penalty, fake, d_real, d_fake)."""
    if fake is None:
        with torch.no_grad():
            fake = gen(z)
    d_real = disc(x)
    d_fake = disc(fake)
    e = eps.reshape(-1, 1, 1, 1)
    xhat = (e * x + (1 - e) * fake).detach().requires_grad_(True)
    (g,) = torch.autograd.grad(disc(xhat).sum(), xhat, create_graph=True)
    norm = torch.sqrt((g * g).sum(dim=(1, 2, 3)) + GP_EPS)
    penalty = lam * ((norm - 1) ** 2).mean()
    unreg = d_fake.mean() - d_real.mean()
    return unreg + penalty, unreg, penalty, fake, d_real, d_fake


def g_loss(gen, disc, z):
    """lossG = −mean(D(G(z)))."""
    return -disc(gen(z)).mean()
