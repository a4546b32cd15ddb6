"""The registry: every experiment the book trains, by the name the CLI and chapters use."""

from __future__ import annotations

from dataclasses import dataclass

from .config import (AEConfig, BinaryVAEConfig, ClassifierConfig, ConvVAEConfig, GANConfig, NoisyVAEConfig, VAEConfig,
                     VAEGANConfig)
from .errors import UsageError


@dataclass(frozen=True)
class Experiment:
    name: str
    config: object  # a frozen config dataclass from vaebook.config
    summary: str
    # The seeds the book trains; the first is the run chapters show, the others measure how
    # much a result moves when only the random numbers change.
    seeds: tuple[int, ...] = (0,)


SEEDS = (0, 1, 2)
# Sweeps train for fewer epochs than the reference models, and their seeds and the short
# loss comparison with them, so that the whole book trains on two CPU cores within 90
# minutes. Ten epochs of the β = 1 member is PyTorch's examples/vae, a published anchor.
BETA_EPOCHS = 10
NOISE_EPOCHS = 10
BETAS = (0.25, 0.5, 1, 2, 3, 4, 8)
NOISE_RATES = (0.01, 0.1, 0.2, 0.8)


def _beta_sweep():
    for beta in BETAS:
        yield Experiment(f"beta-{beta:g}", VAEConfig(beta=float(beta), epochs=BETA_EPOCHS),
                         f"the 784-400-20 VAE with its KL term weighted by β = {beta:g}, {BETA_EPOCHS} epochs", SEEDS)


# The loss comparison at the sweep's length, where three seeds are affordable, by loss; BCE's
# member is the sweep's own β = 1 model.
SHORT_LOSS_MODELS = {"bce": "beta-1", "mse": f"vae-mse-{BETA_EPOCHS}ep", "l1": f"vae-l1-{BETA_EPOCHS}ep"}


def _short_losses():
    for loss in ("mse", "l1"):
        yield Experiment(SHORT_LOSS_MODELS[loss], VAEConfig(recon_loss=loss, epochs=BETA_EPOCHS),
                         f"vae-{loss} for {BETA_EPOCHS} epochs, to compare losses across seeds", SEEDS)


def _noise_sweep():
    for rate in NOISE_RATES:
        yield Experiment(f"noise-{rate:g}", NoisyVAEConfig(noise_rate=rate, epochs=NOISE_EPOCHS),
                         f"the 784-400-20 VAE trained on images with {rate:.0%} salt-and-pepper pixels")
        yield Experiment(f"denoise-{rate:g}", NoisyVAEConfig(noise_rate=rate, target="clean", epochs=NOISE_EPOCHS),
                         f"the same, taught to reconstruct the clean image from {rate:.0%} corruption")


EXPERIMENTS: dict[str, Experiment] = {
    e.name: e
    for e in (
        Experiment("vae-bce", VAEConfig(recon_loss="bce"), "seed 002's MLP VAE 784-400-20, Bernoulli decoder (BCE)"),
        Experiment("vae-mse", VAEConfig(recon_loss="mse"), "the same network with a squared-error reconstruction loss"),
        Experiment("vae-l1", VAEConfig(recon_loss="l1"), "the same network with an absolute-error reconstruction loss"),
        Experiment("conv-vae", ConvVAEConfig(), "seed 001's convolutional VAE (latent 32, half width), BCE"),
        *_beta_sweep(),
        *_short_losses(),
        Experiment("vae-2d", VAEConfig(hidden_dim=256, latent_dim=2, epochs=20),
                   "seed 000's MLP VAE 784-256-2 with a two-dimensional latent space, BCE"),
        Experiment("ae", AEConfig(), "the 784-400-20 network as a plain autoencoder: deterministic code, no KL term"),
        *_noise_sweep(),
        Experiment("gan", GANConfig(), "seed 001's MLP GAN (generator 100-128-256-512-1024-784), trained seed 004's way"),
        Experiment("vaegan", VAEGANConfig(), "Larsen et al.'s VAE-GAN with seed 000's networks, least-squares GAN losses"),
        Experiment("vae-binary", BinaryVAEConfig(),
                   "the 784-400-20 VAE on dynamically binarised MNIST: the likelihood literature's benchmark"),
        Experiment("classifier", ClassifierConfig(), "the small CNN that scores generated digits (FID, confidence, coverage)"),
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

# Seed 004's GAN log of its last (50th) epoch, printed every 100 of its 937 iterations per
# epoch: (discriminator loss, generator loss). The GAN chapter compares its own with them.
SEED_004_ITERATIONS = 937
SEED_004_LAST_EPOCH_LOG = [(0.1168, 4.1938), (0.2752, 4.0617), (0.2284, 4.2331), (0.2762, 3.7180), (0.1677, 4.1590),
                           (0.3223, 4.0261), (0.2897, 3.9723), (0.2730, 4.0399), (0.1931, 4.1343)]


def get_experiment(name: str) -> Experiment:
    try:
        return EXPERIMENTS[name]
    except KeyError:
        raise UsageError(f"unknown experiment {name!r}; choose one of {', '.join(EXPERIMENTS)}") from None
# Names of the experiments the chapters read together.
BETA_SWEEP = [f"beta-{beta:g}" for beta in BETAS]
NOISE_SWEEP = [f"{kind}-{rate:g}" for rate in NOISE_RATES for kind in ("noise", "denoise")]
LOSS_MODELS = ["vae-bce", "vae-mse", "vae-l1", "conv-vae"]
