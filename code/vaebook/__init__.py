"""vaebook: the models, training, cache and figures behind the book Latent Digits.

Chapters call `vaebook.load("vae-bce")` for a trained run and `vaebook.plots` for figures.
"""

from .config import PROFILES, Profile, VAEConfig, get_profile
from .errors import DataError, NotCached, TrainingDiverged, UsageError, VaebookError
from .experiments import EXPERIMENTS, SEED_002_TRAIN_LOG, get_experiment
from .result import Run
from .runner import cached, load, load_all, provenance, status

__all__ = [
    "EXPERIMENTS", "PROFILES", "SEED_002_TRAIN_LOG", "DataError", "NotCached", "Profile", "Run",
    "TrainingDiverged", "UsageError", "VAEConfig", "VaebookError", "cached", "get_experiment",
    "get_profile", "load", "load_all", "provenance", "status",
]
