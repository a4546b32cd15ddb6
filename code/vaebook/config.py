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
        if self.recon_loss not in RECON_LOSSES:
            raise UsageError(
                f"unknown reconstruction loss {self.recon_loss!r}; choose one of {', '.join(RECON_LOSSES)}"
            )
        for name in ("hidden_dim", "latent_dim", "batch_size", "epochs"):
            if getattr(self, name) < 1:
                raise UsageError(f"{name} must be a positive integer, got {getattr(self, name)}")
        if self.seed < 0:
            raise UsageError(f"seed must be a non-negative integer, got {self.seed}")


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
    "quick": Profile("quick", max_epochs=2, train_size=2048, test_size=1024),
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


CONFIG_CLASSES = {cls.family: cls for cls in (VAEConfig,)}
