"""Which function trains which family, and which models can be trained together."""

from __future__ import annotations

import torch

from .adversarial import train_gan, train_vaegan
from .classifier import train_classifier
from .config import Profile
from .data import MNIST
from .result import Run
from .train import groupable, train_vae, train_vae_group

TRAINERS = {"vae": train_vae, "noisy-vae": train_vae, "binary-vae": train_vae, "ae": train_vae, "conv-vae": train_vae,
            "gan": train_gan, "vaegan": train_vaegan, "classifier": train_classifier}
GROUP_TRAINERS = {"vae": train_vae_group, "noisy-vae": train_vae_group}
# Models of one family with equal keys can be trained by GROUP_TRAINERS together; a family
# without a key (BatchNorm's running statistics do not vmap simply) always trains alone.
GROUP_KEYS = {"vae": groupable, "noisy-vae": groupable}


def train_together(names: list[str], configs: list, profile: Profile, data: MNIST, device: torch.device,
                   *, progress: bool | None = None) -> list[Run]:
    """Runs of models that share a `GROUP_KEYS` value: one alone trains plainly, several batched."""
    if len(configs) == 1:
        return [TRAINERS[configs[0].family](names[0], configs[0], profile, data, device, progress=progress)]
    return GROUP_TRAINERS[configs[0].family](names, configs, profile, data, device, progress=progress)
