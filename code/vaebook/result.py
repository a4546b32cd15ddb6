"""A finished training run: what the cache stores and the chapters read."""

from __future__ import annotations

from dataclasses import dataclass, field

import torch

from .config import Profile
from .models import build_model


@dataclass
class Run:
    name: str
    config: object  # a frozen config dataclass from vaebook.config
    profile: Profile
    history: dict[str, list]  # per-epoch lists: epoch, train_loss, ..., test_kl
    metrics: dict[str, float]
    meta: dict  # device, library versions, wall time, date
    weights: dict[str, torch.Tensor]
    artefacts: dict[str, torch.Tensor] = field(default_factory=dict)  # what chapters draw from
    from_cache: bool = False

    def model(self, device: str | torch.device = "cpu") -> torch.nn.Module:
        """The trained network, in eval mode."""
        model = build_model(self.config)
        model.load_state_dict(self.weights)
        return model.to(device).eval()

    @property
    def final(self) -> dict[str, float]:
        """The last epoch's row of the history."""
        return {key: values[-1] for key, values in self.history.items()}
