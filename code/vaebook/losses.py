"""Losses, each returned per image (summed over pixels or latent dimensions).

Callers average over images, so a reported loss is always nats (or squared or absolute
error) per image, the unit course report 002 logs.
"""

from __future__ import annotations

import torch
import torch.nn.functional as F


def bce_recon(logits: torch.Tensor, x: torch.Tensor) -> torch.Tensor:
    """-log p(x|z) of a Bernoulli decoder. Taken from logits: sigmoid followed by log
    overflows to -inf for confident pixels, the logit form does not."""
    return F.binary_cross_entropy_with_logits(logits, x, reduction="none").sum(dim=1)


def mse_recon(logits: torch.Tensor, x: torch.Tensor) -> torch.Tensor:
    """Squared error between the decoded image sigmoid(logits) and x."""
    return (torch.sigmoid(logits) - x).square().sum(dim=1)


def l1_recon(logits: torch.Tensor, x: torch.Tensor) -> torch.Tensor:
    """Absolute error between the decoded image sigmoid(logits) and x."""
    return (torch.sigmoid(logits) - x).abs().sum(dim=1)


def softmax_ce_recon(logits: torch.Tensor, x: torch.Tensor) -> torch.Tensor:
    """Course report 000's `F.cross_entropy(sigmoid(logits), x)`: the 784 pixels treated as
    the classes of one softmax, the image x as the target distribution. A softmax of values
    in (0, 1) is nearly uniform whatever the decoder draws, so the loss barely depends on it."""
    return -(x * torch.log_softmax(torch.sigmoid(logits), dim=1)).sum(dim=1)


def no_recon(logits: torch.Tensor, x: torch.Tensor) -> torch.Tensor:
    """No reconstruction term (the objective is the KL term alone): zero, with no gradient
    for the decoder."""
    return torch.zeros(len(x), device=x.device, dtype=x.dtype)


def tanh_mse_recon(logits: torch.Tensor, x: torch.Tensor) -> torch.Tensor:
    """Squared error of a Tanh decoder on the [-1, 1] scale: (tanh(logits) - (2x - 1))^2."""
    return (torch.tanh(logits) - (2 * x - 1)).square().sum(dim=1)


RECON_LOSSES = {"bce": bce_recon, "mse": mse_recon, "l1": l1_recon, "softmax-ce": softmax_ce_recon,
                "none": no_recon, "tanh-mse": tanh_mse_recon}


def gaussian_kl(mu: torch.Tensor, logvar: torch.Tensor) -> torch.Tensor:
    """KL(N(mu, diag(exp(logvar))) || N(0, I)) in closed form:
    1/2 * sum_j (mu_j^2 + sigma_j^2 - log sigma_j^2 - 1)."""
    return 0.5 * (mu.square() + logvar.exp() - logvar - 1).sum(dim=1)


def monte_carlo_kl(mu: torch.Tensor, logvar: torch.Tensor, samples: int = 100_000,
                   generator: torch.Generator | None = None) -> tuple[torch.Tensor, torch.Tensor]:
    """KL(N(mu, diag(exp(logvar))) || N(0, I)) estimated by sampling, per row: the average of
    log q(z) - log p(z) over `samples` draws z ~ q, and its standard error. A check on
    `gaussian_kl`, which it approaches as `samples` grows."""
    std = torch.exp(0.5 * logvar)
    z = mu + std * torch.randn(samples, *mu.shape, generator=generator, dtype=mu.dtype)
    prior = torch.distributions.Normal(0.0, 1.0)
    log_ratio = (torch.distributions.Normal(mu, std).log_prob(z) - prior.log_prob(z)).sum(-1)
    return log_ratio.mean(0), log_ratio.std(0) / samples**0.5
