"""Frozen configurations: one dataclass per model family, and the build profile.

A configuration says everything that changes what a training run produces, so its
fields (after the profile is applied) are what the cache key is made of.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, fields, replace
from typing import ClassVar

from .errors import UsageError

RECON_LOSSES = ("bce", "mse", "l1")
NOISE_TARGETS = ("corrupted", "clean")


def _check_positive(config, names) -> None:
    """The named sizes positive and the seed non-negative."""
    for name in names:
        if getattr(config, name) < 1:
            raise UsageError(f"{name} must be a positive integer, got {getattr(config, name)}")
    if config.seed < 0:
        raise UsageError(f"seed must be a non-negative integer, got {config.seed}")


def _check_rate(lr: float) -> None:
    if not lr > 0:
        raise UsageError(f"lr must be a positive number, got {lr}")


def _check_common(config, names) -> None:
    """What every VAE-family config checks: positive sizes, the seed, and a known
    reconstruction loss."""
    _check_positive(config, names)
    if config.recon_loss not in RECON_LOSSES:
        raise UsageError(f"unknown reconstruction loss {config.recon_loss!r}; choose one of {', '.join(RECON_LOSSES)}")


@dataclass(frozen=True)
class VAEConfig:
    """The MLP VAE of seed 002: 784-hidden-latent, ReLU, a decoder that outputs logits."""

    family: ClassVar[str] = "vae"

    hidden_dim: int = 400
    latent_dim: int = 20
    recon_loss: str = "bce"
    beta: float = 1.0
    lr: float = 1e-3
    batch_size: int = 128
    epochs: int = 100
    seed: int = 0

    def __post_init__(self) -> None:
        _check_common(self, ("hidden_dim", "latent_dim", "batch_size", "epochs"))
        if not self.beta >= 0:
            raise UsageError(f"beta must be a non-negative number, got {self.beta}")


@dataclass(frozen=True)
class NoisyVAEConfig(VAEConfig):
    """The MLP VAE trained on salt-and-pepper-corrupted images (seed 001).

    A fresh corruption of each batch replaces a `noise_rate` fraction of its pixels by 0 or
    1; the model reconstructs either the corrupted image it was shown or, as a denoising
    VAE, the clean one. It is a family of its own so that adding it left the cache keys of
    the plain VAEs alone."""

    family: ClassVar[str] = "noisy-vae"

    noise_rate: float = 0.1
    target: str = "corrupted"

    def __post_init__(self) -> None:
        super().__post_init__()
        if not 0 < self.noise_rate <= 1:
            raise UsageError(f"noise_rate must be in (0, 1], got {self.noise_rate}")
        if self.target not in NOISE_TARGETS:
            raise UsageError(f"unknown target {self.target!r}; choose one of {', '.join(NOISE_TARGETS)}")


@dataclass(frozen=True)
class BinaryVAEConfig(VAEConfig):
    """The MLP VAE on dynamically binarised MNIST, the data set of the likelihood literature
    (Burda et al. 2016): each time an image is used, every pixel is drawn black or white
    with its grey level as the probability, so the Bernoulli decoder models data that
    really are binary. A family of its own, so the plain VAEs' cache keys stay as they were."""

    family: ClassVar[str] = "binary-vae"

    epochs: int = 50


@dataclass(frozen=True)
class AEConfig:
    """The MLP VAE's encoder and decoder with a deterministic code and no KL term."""

    family: ClassVar[str] = "ae"
    beta: ClassVar[float] = 0.0  # the objective has no KL term

    hidden_dim: int = 400
    latent_dim: int = 20
    recon_loss: str = "bce"
    lr: float = 1e-3
    batch_size: int = 128
    epochs: int = 100
    seed: int = 0

    def __post_init__(self) -> None:
        _check_common(self, ("hidden_dim", "latent_dim", "batch_size", "epochs"))


@dataclass(frozen=True)
class ConvVAEConfig:
    """Seed 001's convolutional VAE: three conv layers with BatchNorm and LeakyReLU down to
    7x7 feature maps, a latent code of 32, two transposed convolutions back up."""

    family: ClassVar[str] = "conv-vae"

    # Seed 001 used 64; half the width trains 3x faster on a CPU (29 s instead of 91 s an
    # epoch on two cores), which is what lets the full book train there.
    channels: int = 32  # the first conv layer's; the next two have twice as many
    latent_dim: int = 32
    recon_loss: str = "bce"
    beta: float = 1.0
    lr: float = 1e-3
    batch_size: int = 128
    epochs: int = 10
    seed: int = 0

    def __post_init__(self) -> None:
        _check_common(self, ("channels", "latent_dim", "batch_size", "epochs"))


@dataclass(frozen=True)
class GANConfig:
    """Seed 001's MLP GAN trained seed 004's way: generator 100-128-256-512-1024-784 with
    BatchNorm and LeakyReLU 0.2 and a Tanh output, discriminator 784-512-256-1."""

    family: ClassVar[str] = "gan"

    noise_dim: int = 100
    # Seed 001 used 1e-3. Radford et al. (2016) found that too high for Adam with
    # beta1 = 0.5 and used 2e-4, which has been the default for GANs of this size since.
    lr: float = 2e-4
    batch_size: int = 64
    epochs: int = 50
    seed: int = 0

    def __post_init__(self) -> None:
        _check_positive(self, ("noise_dim", "batch_size", "epochs"))
        _check_rate(self.lr)

    @property
    def latent_dim(self) -> int:
        """The generator's input, named like every other model's code, so that sampling
        code treats all generative models alike."""
        return self.noise_dim


@dataclass(frozen=True)
class VAEGANConfig:
    """Larsen et al. (2016) with seed 000's networks: the 784-400-20 encoder, its mirror as
    decoder and generator, and a convolutional discriminator whose intermediate features
    define the reconstruction loss."""

    family: ClassVar[str] = "vaegan"

    hidden_dim: int = 400
    latent_dim: int = 20
    # The decoder's loss is gamma * feature reconstruction + its GAN loss. At 1 the
    # decoder weighs the reconstruction as the encoder does. (In a 200-step trial with
    # seed 000's 0.01 the prior samples were still noise; with 1 digits were emerging.)
    gamma: float = 1.0
    lr: float = 3e-4  # seed 000's for the decoder and discriminator
    batch_size: int = 128
    # Seed 000 trained 20 epochs; an epoch costs ~70 s on two CPU cores (the convolutional
    # discriminator sees three batches per step), so the full profile stops at 10.
    epochs: int = 10
    seed: int = 0

    def __post_init__(self) -> None:
        _check_positive(self, ("hidden_dim", "latent_dim", "batch_size", "epochs"))
        _check_rate(self.lr)
        if not self.gamma >= 0:
            raise UsageError(f"gamma must be a non-negative number, got {self.gamma}")


@dataclass(frozen=True)
class ClassifierConfig:
    """The small CNN that scores every generative model: two 3x3 conv layers with max
    pooling, a `features`-unit layer (whose activations FID compares), ten logits."""

    family: ClassVar[str] = "classifier"

    channels: int = 32
    features: int = 128
    lr: float = 1e-3
    batch_size: int = 128
    epochs: int = 8
    seed: int = 0

    def __post_init__(self) -> None:
        _check_positive(self, ("channels", "features", "batch_size", "epochs"))
        _check_rate(self.lr)


@dataclass(frozen=True)
class Profile:
    """How much of the work a build does.

    `full` is the published book. `quick` renders the whole book on two CPU cores in
    minutes: a slice of the data and at most `max_epochs` epochs, never committed.
    """

    name: str
    max_epochs: int | None = None
    train_size: int | None = None  # None: all 60,000 training images
    test_size: int | None = None  # None: all 10,000 test images
    tsne_iterations: int = 1000  # scikit-learn's default; 250 is its minimum
    iwae_samples: int | None = None  # at most this many importance samples (None: the protocol's)
    generated_images: int = 10_000  # samples per model for sample statistics and scores

    def apply(self, config, *, epochs: int | None = None, seed: int | None = None):
        """The configuration this profile trains, with explicit overrides taking precedence."""
        if self.max_epochs is not None:
            config = replace(config, epochs=min(config.epochs, self.max_epochs))
        if epochs is not None:
            config = replace(config, epochs=epochs)
        if seed is not None:
            config = replace(config, seed=seed)
        return config


PROFILES = {
    "full": Profile("full"),
    "quick": Profile("quick", max_epochs=2, train_size=1024, test_size=1024, tsne_iterations=250, iwae_samples=10,
                     generated_images=1_000),
}
DEFAULT_PROFILE = "full"
PROFILE_VARIABLE = "VAEBOOK_PROFILE"


def get_profile(name: str | None = None) -> Profile:
    """The named profile, else the one `VAEBOOK_PROFILE` names, else `full`."""
    source = "profile"
    if name is None:
        name = os.environ.get(PROFILE_VARIABLE) or DEFAULT_PROFILE
        source = PROFILE_VARIABLE
    if name not in PROFILES:
        raise UsageError(f"{source}={name!r} is not a profile; choose one of {', '.join(PROFILES)}")
    return PROFILES[name]


def config_to_dict(config) -> dict:
    return {"family": config.family} | {f.name: getattr(config, f.name) for f in fields(config)}


def config_from_dict(data: dict):
    data = dict(data)
    family = data.pop("family")
    return CONFIG_CLASSES[family](**data)


CONFIG_CLASSES = {cls.family: cls for cls in (VAEConfig, NoisyVAEConfig, BinaryVAEConfig, AEConfig, ConvVAEConfig,
                                               GANConfig, VAEGANConfig, ClassifierConfig)}
