"""The registry: every experiment the book trains, by the name the CLI and chapters use."""

from __future__ import annotations

from dataclasses import dataclass

from .config import VAEConfig
from .errors import UsageError


@dataclass(frozen=True)
class Experiment:
    name: str
    config: VAEConfig
    summary: str


EXPERIMENTS: dict[str, Experiment] = {
    e.name: e
    for e in (
        Experiment("vae-bce", VAEConfig(recon_loss="bce"), "seed 002's MLP VAE 784-400-20, Bernoulli decoder (BCE)"),
        Experiment("vae-mse", VAEConfig(recon_loss="mse"), "the same network with a squared-error reconstruction loss"),
        Experiment("vae-l1", VAEConfig(recon_loss="l1"), "the same network with an absolute-error reconstruction loss"),
    )
}

# Seed 002's training log for vae-bce (per-image running averages over each epoch):
# epoch -> (total loss, BCE, KL). The book plots these beside its own run.
SEED_002_TRAIN_LOG = {
    1: (165.30, 150.13, 15.18),
    10: (106.32, 81.02, 25.30),
    50: (101.85, 76.42, 25.43),
    100: (100.56, 75.25, 25.31),
}


def get_experiment(name: str) -> Experiment:
    try:
        return EXPERIMENTS[name]
    except KeyError:
        raise UsageError(f"unknown experiment {name!r}; choose one of {', '.join(EXPERIMENTS)}") from None
