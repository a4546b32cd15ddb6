"""Walking a model's latent space: encoding and decoding in batches, the shared prior draws,
traversals, grids over a 2-D code, and interpolation. Functions of a model and tensors."""

from __future__ import annotations

import torch

from .metrics import EVAL_BATCH

SAMPLE_SEED = 2024  # the same latent draws for every model, so that their samples compare


def fixed_latents(n: int, latent_dim: int, device="cpu") -> torch.Tensor:
    """n draws from N(0, I), the same for every model with this latent size."""
    generator = torch.Generator().manual_seed(SAMPLE_SEED)
    return torch.randn(n, latent_dim, generator=generator).to(device)


@torch.no_grad()
def encode(model, images: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor | None]:
    """The posterior means and log-variances of `images` (an autoencoder's codes and None)."""
    means, logvars = zip(*(model.encode(x) for x in images.split(EVAL_BATCH)))
    return torch.cat(means), None if logvars[0] is None else torch.cat(logvars)


@torch.no_grad()
def reconstruct(model, images: torch.Tensor) -> torch.Tensor:
    """The decoder's mean at the posterior mean: the model's reconstruction of each image."""
    return torch.cat([model.decode(model.encode(x)[0]) for x in images.split(EVAL_BATCH)])


@torch.no_grad()
def decode_prior(model, n: int, latent_dim: int) -> torch.Tensor:
    """n images decoded from the shared draws `fixed_latents(n, latent_dim)`, in [0, 1]."""
    return torch.cat([model.decode(z) for z in fixed_latents(n, latent_dim).split(EVAL_BATCH)])


@torch.no_grad()
def traversal(model, latent_dim: int, dims, values) -> torch.Tensor:
    """Images decoded as one latent dimension at a time takes each of `values`, the others
    held at 0 (the prior's mean): shape (len(dims), len(values), 784)."""
    z = torch.zeros(len(dims), len(values), latent_dim)
    for row, dim in enumerate(dims):
        z[row, :, dim] = torch.as_tensor(values, dtype=torch.float32)
    return model.decode(z.reshape(-1, latent_dim)).reshape(len(dims), len(values), -1)


@torch.no_grad()
def grid(model, ticks) -> torch.Tensor:
    """A 2-D latent space decoded on the grid ticks x ticks: shape (n, n, 784), [i, j] at
    (z1, z2) = (ticks[j], ticks[i])."""
    ticks = torch.as_tensor(ticks, dtype=torch.float32)
    z2, z1 = torch.meshgrid(ticks, ticks, indexing="ij")
    z = torch.stack([z1.flatten(), z2.flatten()], dim=1)
    return model.decode(z).reshape(len(ticks), len(ticks), -1)


def gaussian_ticks(n: int) -> torch.Tensor:
    """Latent coordinates at evenly spaced quantiles of N(0, 1), as in Kingma & Welling
    (2014, Fig. 4): equal steps in probability mass rather than in z."""
    quantiles = torch.linspace(0.5 / n, 1 - 0.5 / n, n)
    return torch.distributions.Normal(0.0, 1.0).icdf(quantiles)


def slerp(a: torch.Tensor, b: torch.Tensor, t: torch.Tensor) -> torch.Tensor:
    """Spherical interpolation: along the great circle between a and b, scaling the norm
    linearly. Under a Gaussian prior, points between two typical codes stay at a typical
    distance from the origin, where a straight line dips towards it."""
    t = t[:, None]
    norm_a, norm_b = a.norm(), b.norm()
    omega = torch.arccos(torch.clamp((a / norm_a) @ (b / norm_b), -1.0, 1.0))
    direction = (torch.sin((1 - t) * omega) * a / norm_a + torch.sin(t * omega) * b / norm_b) / torch.sin(omega)
    return direction * ((1 - t) * norm_a + t * norm_b)


@torch.no_grad()
def interpolations(model, start: torch.Tensor, end: torch.Tensor, steps: int = 10) -> dict[str, torch.Tensor]:
    """Images decoded along the linear and the spherical path between the posterior means
    of two images."""
    a, b = model.encode(start[None])[0][0], model.encode(end[None])[0][0]
    t = torch.linspace(0, 1, steps)
    return {"linear": model.decode(a + t[:, None] * (b - a)), "spherical": model.decode(slerp(a, b, t))}
