"""Runs in the cache, without loading them: where a run is stored (its key and folder), what
its record says, and whether a folder holds the run its name promises. Nothing here needs
torch, so that listing and verifying the cache cost only the files they read."""

from __future__ import annotations

from dataclasses import asdict
from pathlib import Path

from . import cache
from .config import Config, Profile, config_from_dict, config_to_dict, get_profile
from .errors import VaebookError
from .identity import DATASET_ID
from .paths import cache_root

WEIGHTS, ARTEFACTS = "weights.safetensors", "artefacts.safetensors"


def resolve(config: Config, profile: str | Profile | None = None, *, epochs: int | None = None,
            seed: int | None = None) -> tuple[Config, Profile]:
    """The configuration a profile trains, with explicit overrides, and the profile."""
    profile = get_profile(profile)
    return profile.apply(config, epochs=epochs, seed=seed), profile


def _identity(config: Config, profile: Profile) -> dict:
    return {
        "config": config_to_dict(config),
        "profile": {"train_size": profile.train_size, "test_size": profile.test_size},
        "dataset": DATASET_ID,
        "code_version": config.code_version,
    }


def entry_key(config: Config, profile: Profile) -> str:
    """What determines a run's result, hashed: the configuration (seed included), the
    profile's data slice, the dataset and the family's code version. Not the source code, so
    that a refactor does not retrain every model."""
    return cache.key_of(_identity(config, profile))


def entry_path(name: str, config: Config, profile: Profile, root: Path | None = None) -> Path:
    return (root or cache_root()) / profile.name / f"{name}-{entry_key(config, profile)}"


def record_of(run) -> dict:
    """The record stored as a run's entry.json."""
    return {"name": run.name, "key": entry_key(run.config, run.profile), "code_version": run.config.code_version,
            "dataset": DATASET_ID, "config": config_to_dict(run.config), "profile": asdict(run.profile),
            "history": run.history, "metrics": run.metrics, "meta": run.meta}


def described(record: dict) -> tuple[str, Config, Profile]:
    """The name, configuration and profile a record describes; CorruptEntry if it describes none."""
    try:
        return record["name"], config_from_dict(record["config"]), Profile(**record["profile"])
    except (KeyError, TypeError, VaebookError) as error:
        raise cache.CorruptEntry(f"the record does not describe a run ({type(error).__name__}: {error})") from None


def check_identity(folder: Path, record: dict) -> None:
    """CorruptEntry unless `record` is the run `folder` is named for: a copied or swapped
    folder, or one from an older code version, is not."""
    name, config, profile = described(record)
    expected = f"{name}-{entry_key(config, profile)}"
    if folder.name != expected or folder.parent.name != profile.name:
        raise cache.CorruptEntry(f"it holds the {profile.name}-profile run {expected}, not the one its folder is "
                                 f"named for")


def check_entry(folder: Path, *, locked: bool = True) -> dict:
    """The verified record of the entry in `folder`, loading no tensor. `locked=False` for a
    caller that holds the entry's lock already."""
    record = cache.check(folder, locked=locked)
    check_identity(folder, record)
    return record


def status(name: str, config: Config, profile: Profile) -> str:
    """'cached', 'missing' or 'unusable' for a resolved configuration."""
    folder = entry_path(name, config, profile)
    if not (folder.exists() or folder.is_symlink()):
        return "missing"
    try:
        check_entry(folder)
        return "cached"
    except cache.CorruptEntry:
        return "unusable"
