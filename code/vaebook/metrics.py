"""Measures of images, codes and models: pure functions of tensors (and, for the likelihood
bound, a model), with no cache and no data loading.

Scores of images are per image and then averaged: `mse` sums squared error over the 784
pixels (the unit of a squared-error loss), `psnr` is 10 log10(1 / per-pixel MSE) in dB.
"""

from __future__ import annotations

import math

import numpy as np
import torch
import torch.nn.functional as F

from .losses import gaussian_kl

EVAL_BATCH = 1000
ACTIVE_KL = 0.01  # nats: a latent dimension whose average KL is below this carries no information


def mean_intensity(images: torch.Tensor) -> float:
    """Average pixel value: how much ink (0 is white, 1 is black in the figures)."""
    return images.mean().item()


def sharpness(images: torch.Tensor) -> float:
    """Mean absolute difference between neighbouring pixels, across and down. A blurred
    stroke changes gradually and scores low; a crisp one jumps from 0 to 1 at its edge."""
    grid = images.reshape(-1, 28, 28)
    across = (grid[:, :, 1:] - grid[:, :, :-1]).abs().mean(dim=(1, 2))
    down = (grid[:, 1:, :] - grid[:, :-1, :]).abs().mean(dim=(1, 2))
    return ((across + down) / 2).mean().item()


def mse(images: torch.Tensor, reference: torch.Tensor) -> float:
    return (images - reference).square().sum(dim=1).mean().item()


def psnr(images: torch.Tensor, reference: torch.Tensor) -> float:
    per_pixel = (images - reference).square().mean(dim=1).clamp_min(1e-10)
    return (10 * torch.log10(1 / per_pixel)).mean().item()


def stray_ink(reconstructions: torch.Tensor, originals: torch.Tensor, reach: int = 2, level: float = 0.5) -> float:
    """Speckle: per image, the number of pixels the reconstruction paints above `level`
    although they lie more than `reach` pixels from every pixel above `level` in the
    original, averaged. Blur spreads ink next to a stroke and scores about 0; isolated dots
    away from the strokes, which pooled features can overlook and squared error cannot, count."""
    original = (originals > level).float().reshape(-1, 1, 28, 28)
    near = F.max_pool2d(original, 2 * reach + 1, stride=1, padding=reach) > 0
    painted = reconstructions.reshape(-1, 1, 28, 28) > level
    return (painted & ~near).sum(dim=(1, 2, 3)).float().mean().item()


def stroke_measures(images: torch.Tensor) -> dict[str, torch.Tensor]:
    """Two properties of each 28 x 28 image in `images` (..., 784) that can be read off its
    pixels: `ink`, the mean intensity (thicker or longer strokes hold more), and `slant`, the
    angle in degrees by which the ink leans from vertical, positive to the right, from the
    second moments of the ink (how far its column moves per row). Both keep the leading shape."""
    grid = images.reshape(*images.shape[:-1], 28, 28).float()
    rows, columns = torch.meshgrid(torch.arange(28.0), torch.arange(28.0), indexing="ij")
    mass = grid.sum(dim=(-2, -1)).clamp_min(1e-8)

    def mean(values):
        return (grid * values).sum(dim=(-2, -1)) / mass

    row_mean, column_mean = mean(rows), mean(columns)
    row_var = mean(rows.square()) - row_mean.square()
    covariance = mean(rows * columns) - row_mean * column_mean
    # Rows count downwards, so a digit leaning right has its column fall as the row grows.
    return {"ink": grid.mean(dim=(-2, -1)), "slant": torch.rad2deg(torch.atan(-covariance / row_var.clamp_min(1e-8)))}


def noise_entropy(rate: float, pixels: int = 784) -> float:
    """Nats per image that salt-and-pepper noise at `rate` adds to a black-and-white digit:
    each pixel keeps its value with probability 1 - rate/2 and flips with rate/2, and no model
    can predict the flip. A lower bound on the loss of a model of the corrupted images."""
    flip = rate / 2
    return float(-pixels * (flip * np.log(flip) + (1 - flip) * np.log(1 - flip))) if 0 < flip < 1 else 0.0


def neighbour_agreement(points, labels) -> float:
    """The fraction of points whose nearest other point has the same label: how well a space
    keeps each digit among its own kind, with no classifier involved."""
    from sklearn.neighbors import NearestNeighbors

    points, labels = np.asarray(points), np.asarray(labels)
    _, index = NearestNeighbors(n_neighbors=2).fit(points).kneighbors(points)
    return float((labels[index[:, 1]] == labels).mean())


def kl_per_dimension(means: torch.Tensor, logvars: torch.Tensor) -> torch.Tensor:
    """Each latent dimension's KL from the prior, averaged over the codes (rows). The KL of a
    diagonal Gaussian is a sum over dimensions, one term each."""
    return gaussian_kl(means.reshape(-1, 1), logvars.reshape(-1, 1)).reshape(means.shape).mean(0)


def rate_distortion_slopes(points: dict) -> list[tuple[float, float, float]]:
    """Slopes of the chords between neighbouring points of a β sweep {β: (rate, distortion)}:
    (β_low, β_high, Δdistortion / Δrate), in order of β. A model that minimises distortion
    + β·rate sits where the rate-distortion curve has slope −β, so on a convex curve each
    chord's slope lies between −β_high and −β_low (Alemi et al. 2018)."""
    betas = sorted(points)
    return [(low, high, (points[high][1] - points[low][1]) / (points[high][0] - points[low][0]))
            for low, high in zip(betas, betas[1:])]


def feature_moments(rows: torch.Tensor) -> dict[str, torch.Tensor]:
    """The mean and covariance of feature rows: all FID needs of a set of images."""
    rows = rows.double()
    return {"mean": rows.mean(0), "cov": torch.cov(rows.T)}


def frechet_distance(a: dict, b: dict) -> float:
    """The Fréchet distance between Gaussians with the moments a and b (`feature_moments`):
    |mu_a - mu_b|^2 + tr(S_a + S_b - 2 (S_a S_b)^(1/2)).

    tr((S_a S_b)^(1/2)) is the sum of the square roots of the eigenvalues of S_a S_b, which
    are real and non-negative for covariance matrices; rounding can leave tiny negative or
    imaginary parts, which are dropped."""
    root_trace = torch.linalg.eigvals(a["cov"] @ b["cov"]).real.clamp_min(0).sqrt().sum()
    return ((a["mean"] - b["mean"]).square().sum() + a["cov"].trace() + b["cov"].trace() - 2 * root_trace).item()


def class_coverage(probabilities: torch.Tensor) -> dict[str, torch.Tensor]:
    """The share of images predicted as each digit, its KL divergence from uniform (0 when
    every digit is equally common, log 10 = 2.30 nats when only one is produced), and the
    mean top-class probability."""
    shares = torch.bincount(probabilities.argmax(dim=1), minlength=10).double() / len(probabilities)
    kl = (shares[shares > 0] * (shares[shares > 0] * 10).log()).sum()
    return {"class_shares": shares.float(), "coverage_kl": kl.float(),
            "confidence": probabilities.max(dim=1).values.mean()}


IWAE_ROWS = 50_000  # latent samples decoded at once: k x images, ~160 MB of logits


@torch.no_grad()
def iwae_bound(model, images: torch.Tensor, k: int, generator: torch.Generator) -> torch.Tensor:
    """The importance-weighted bound on log p(x) of each image (Burda et al. 2016) with k
    samples from the encoder's posterior, for a Bernoulli decoder:
    log (1/k) sum_i p(x|z_i) p(z_i) / q(z_i|x). k = 1 is the ELBO; it rises towards
    log p(x) as k grows."""
    model.eval()
    bounds = []
    for x in images.split(max(1, IWAE_ROWS // k)):
        mu, logvar = model.encode(x)
        std = torch.exp(0.5 * logvar)
        eps = torch.randn(k, *mu.shape, generator=generator)
        z = mu + std * eps
        log_q = torch.distributions.Normal(mu, std).log_prob(z).sum(-1)
        log_prior = torch.distributions.Normal(0.0, 1.0).log_prob(z).sum(-1)
        logits = model.decode_logits(z.reshape(-1, z.shape[-1])).reshape(k, *x.shape)  # conv decoders take 2-D input
        log_likelihood = -F.binary_cross_entropy_with_logits(logits, x.expand(k, *x.shape), reduction="none").sum(-1)
        bounds.append(torch.logsumexp(log_likelihood + log_prior - log_q, dim=0) - math.log(k))
    return torch.cat(bounds)
