"""`load`: the one call chapters and the CLI make to get a trained model.

It returns the cached run when the cache has a sound entry for the experiment's
configuration under the active profile, and otherwise trains it and caches the result.
"""

from __future__ import annotations

from pathlib import Path

from . import cache
from .config import Profile, get_profile
from .data import load_mnist
from .device import notice, pick_device
from .errors import NotCached
from .experiments import EXPERIMENTS, get_experiment
from .paths import CACHE_ONLY_VARIABLE, cache_only
from .result import Run
from .trainers import GROUP_KEYS, TRAINERS, train_together


def resolve(name: str, *, profile: str | Profile | None = None, epochs: int | None = None, seed: int | None = None):
    """The experiment's configuration and profile after the profile and the overrides apply."""
    experiment = get_experiment(name)
    profile = profile if isinstance(profile, Profile) else get_profile(profile)
    return profile.apply(experiment.config, epochs=epochs, seed=seed), profile


def cached(name: str, **selection) -> Run | None:
    """The cached run, or None when there is none or it is unusable (which is reported)."""
    config, profile = resolve(name, **selection)
    path = cache.entry_path(name, config, profile)
    if not path.exists():
        return None
    try:
        return cache.read(path)
    except cache.CorruptEntry as error:
        notice(f"cache entry {path} is unusable ({error}); it will be retrained")
        return None


def _refuse_to_train(names: list[str], profile: Profile) -> None:
    if cache_only():
        raise NotCached(f"{', '.join(names)} not in the {profile.name}-profile cache and {CACHE_ONLY_VARIABLE} is set; "
                        f"run: vaebook train {' '.join(names)} --profile {profile.name}")


def load(name: str, *, profile: str | Profile | None = None, epochs: int | None = None, seed: int | None = None,
         device: str | None = None, force: bool = False, progress: bool | None = None) -> Run:
    """The trained run of experiment `name`: from the cache, or trained now and cached."""
    selection = dict(profile=profile, epochs=epochs, seed=seed)
    if not force and (run := cached(name, **selection)) is not None:
        return run
    config, profile = resolve(name, **selection)
    _refuse_to_train([name], profile)
    torch_device = pick_device(device)
    data = load_mnist().subset(profile.train_size, profile.test_size).to(torch_device)
    run = TRAINERS[config.family](name, config, profile, data, torch_device, progress=progress)
    cache.save(run)
    return run


def load_all(names: list[str], *, profile: str | Profile | None = None, device: str | None = None,
             force: bool = False, progress: bool | None = None) -> dict[str, Run]:
    """The runs of several experiments. Those that must be trained and differ only in β
    seed or data corruption (a sweep) are trained together as one batched model."""
    profile = profile if isinstance(profile, Profile) else get_profile(profile)
    runs = {} if force else {name: run for name in names if (run := cached(name, profile=profile)) is not None}
    missing = [name for name in names if name not in runs]
    if missing:
        _refuse_to_train(missing, profile)
        groups: dict = {}
        for name in missing:
            config, _ = resolve(name, profile=profile)
            key = GROUP_KEYS[config.family](config) if config.family in GROUP_KEYS else name  # else alone
            groups.setdefault((config.family, key), []).append((name, config))
        torch_device = pick_device(device)
        data = load_mnist().subset(profile.train_size, profile.test_size).to(torch_device)
        for members in groups.values():
            group_names, configs = [m[0] for m in members], [m[1] for m in members]
            for run in train_together(group_names, configs, profile, data, torch_device, progress=progress):
                cache.save(run)
                runs[run.name] = run
    return {name: runs[name] for name in names}


def status(name: str, profile: str | Profile | None = None) -> str:
    """'cached', 'missing' or 'unusable' for the experiment's default entry."""
    config, profile = resolve(name, profile=profile)
    path = cache.entry_path(name, config, profile)
    if not path.exists():
        return "missing"
    return "unusable" if cache.problem(path) else "cached"


def default_entries(root: Path | None = None) -> set[Path]:
    """The entries the book reads: each experiment's default configuration, per profile."""
    from .config import PROFILES

    return {
        cache.entry_path(name, *resolve(name, profile=profile), root)
        for name in EXPERIMENTS
        for profile in PROFILES
    }


def provenance(runs: list[Run]) -> dict:
    """What produced the book's numbers: the profile, devices, library versions and the
    training time of the given runs."""
    return {
        "profile": ", ".join(sorted({r.profile.name for r in runs})),
        "models": len(runs),
        "devices": ", ".join(sorted({f"{r.meta['device_name']} ({r.meta['device']})" for r in runs})),
        "torch": ", ".join(sorted({r.meta["torch"] for r in runs})),
        "python": ", ".join(sorted({r.meta["python"] for r in runs})),
        "train_minutes": sum(r.meta["train_seconds"] for r in runs) / 60,
        "last_trained": max(r.meta["created"] for r in runs)[:10],
    }
