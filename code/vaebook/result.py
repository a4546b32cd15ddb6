"""A finished training run: what the cache stores and its readers get back."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from .config import Profile

if TYPE_CHECKING:
    import torch

    from .data import MNIST


@dataclass
class Run:
    name: str
    config: object  # a frozen config dataclass from vaebook.config
    profile: Profile
    history: dict[str, list]  # per-epoch lists: epoch, train_loss, ..., test_kl
    metrics: dict[str, float]  # the last epoch's row of the history
    meta: dict  # device, library versions, wall time, date
    weights: dict[str, torch.Tensor]
    artefacts: dict[str, torch.Tensor] = field(default_factory=dict)  # samples, reconstructions: what figures draw from
    from_cache: bool = False
    path: Path | None = None  # its cache entry, once stored; results derived from it go there
    # All of MNIST, read when called: the runner gives each run it returns its loader, which
    # measurements call only when they compute (a stored result needs no data).
    data: Callable[[], MNIST] | None = field(default=None, repr=False, compare=False)

    @property
    def final(self) -> dict[str, float]:
        """The last epoch's row of the history."""
        return {key: values[-1] for key, values in self.history.items()}
