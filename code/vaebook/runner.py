"""`load`: the one call chapters and the CLI make to get a trained model.

It returns the cached run when the cache has a sound entry for the experiment's
configuration under the active profile, and otherwise trains it and caches the result.
"""

from __future__ import annotations

from pathlib import Path

import torch

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


def run_name(name: str, seed: int | None = None) -> str:
    """The name a run is cached under: the experiment's, with the seed when it is not the
    experiment's first, so that a replicate's folder says what it holds."""
    return name if seed is None or seed == get_experiment(name).seeds[0] else f"{name}-seed{seed}"


def cached(name: str, **selection) -> Run | None:
    """The cached run, or None when there is none or it is unusable (which is reported)."""
    config, profile = resolve(name, **selection)
    path = cache.entry_path(run_name(name, selection.get("seed")), config, profile)
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
    run = TRAINERS[config.family](run_name(name, seed), config, profile, data, torch_device, progress=progress)
    cache.save(run)
    return run


# Seconds an epoch takes on two CPU cores, measured; they only order parallel work, longest first.
CPU_SECONDS_PER_EPOCH = {"vae": 4, "noisy-vae": 4, "binary-vae": 4, "ae": 3.5, "conv-vae": 34, "gan": 27,
                         "vaegan": 92, "classifier": 36}


def _train_group(members: list[tuple[str, object]], profile: Profile, device: str, progress: bool | None,
                 threads: int | None = None) -> list[Path]:
    """Trains runs that can be trained together and caches them; their cache folders. The
    unit of work of `load_many`, in this process or in a worker."""
    if threads is not None:
        torch.set_num_threads(threads)
    torch_device = pick_device(device)
    data = load_mnist().subset(profile.train_size, profile.test_size).to(torch_device)
    names, configs = [m[0] for m in members], [m[1] for m in members]
    return [cache.save(run) for run in train_together(names, configs, profile, data, torch_device, progress=progress)]


def _train_in_parallel(groups: list, profile: Profile, jobs: int) -> None:
    """The groups trained by `jobs` worker processes, each on its share of the CPU threads:
    on a CPU, two one-thread processes get through about 1.3 times as much as one process
    with two threads, because a model this small keeps two threads waiting on each other."""
    from concurrent.futures import ProcessPoolExecutor, as_completed
    from multiprocessing import get_context

    from tqdm.auto import tqdm

    threads = max(1, torch.get_num_threads() // jobs)
    order = sorted(groups, key=lambda g: -len(g) * g[0][1].epochs * CPU_SECONDS_PER_EPOCH[g[0][1].family])
    with ProcessPoolExecutor(jobs, mp_context=get_context("spawn")) as pool:
        futures = {pool.submit(_train_group, group, profile, "cpu", False, threads): group for group in order}
        with tqdm(total=sum(map(len, groups)), desc=f"training in {jobs} processes", unit="model") as bar:
            for future in as_completed(futures):
                future.result()  # a worker's error is raised here, once
                bar.update(len(futures[future]))
                bar.set_postfix_str(", ".join(name for name, _ in futures[future])[:60])


def load_many(selections: list[tuple[str, int | None]], *, profile: str | Profile | None = None,
              device: str | None = None, force: bool = False, progress: bool | None = None,
              jobs: int = 1) -> dict[tuple[str, int | None], Run]:
    """The runs of several (experiment, seed) selections, seed None being the experiment's
    own. Those that must be trained and differ only in β, seed or data corruption (a sweep)
    are trained together as one batched model; with `jobs` > 1 on a CPU, independent
    trainings run in that many processes."""
    profile = profile if isinstance(profile, Profile) else get_profile(profile)
    selections = list(dict.fromkeys(selections))
    runs = {} if force else {s: run for s in selections if (run := cached(s[0], profile=profile, seed=s[1])) is not None}
    missing = [s for s in selections if s not in runs]
    if not missing:
        return {s: runs[s] for s in selections}
    _refuse_to_train([run_name(*s) for s in missing], profile)
    groups: dict = {}
    for name, seed in missing:
        config, _ = resolve(name, profile=profile, seed=seed)
        key = GROUP_KEYS[config.family](config) if config.family in GROUP_KEYS else (name, seed)  # else alone
        groups.setdefault((config.family, key), []).append((run_name(name, seed), config))
    groups = list(groups.values())
    torch_device = pick_device(device)
    if jobs > 1 and len(missing) > 1 and torch_device.type == "cpu":
        # Batching buys nothing on a CPU (the step is bound by arithmetic, not by launches),
        # and single models share the work out more evenly between the processes.
        _train_in_parallel([[member] for group in groups for member in group], profile, jobs)
    else:
        for group in groups:
            _train_group(group, profile, torch_device.type, progress)
    for s in missing:
        runs[s] = cache.read(cache.entry_path(run_name(*s), *resolve(s[0], profile=profile, seed=s[1])))
        runs[s].from_cache = False
    return {s: runs[s] for s in selections}


def load_all(names: list[str], **options) -> dict[str, Run]:
    """The runs of several experiments (each its own seed); options as for `load_many`."""
    return {name: run for (name, _), run in load_many([(name, None) for name in names], **options).items()}


def load_seeds(names: list[str], **options) -> dict[str, list[Run]]:
    """Every seed's run of each experiment (`Experiment.seeds`), the experiment's own first."""
    selections = [(name, seed) for name in names for seed in get_experiment(name).seeds]
    runs = load_many(selections, **options)
    return {name: [runs[(name, seed)] for seed in get_experiment(name).seeds] for name in names}


def status(name: str, profile: str | Profile | None = None) -> str:
    """'cached', 'missing' or 'unusable' for the experiment's default entry."""
    config, profile = resolve(name, profile=profile)
    path = cache.entry_path(name, config, profile)
    if not path.exists():
        return "missing"
    return "unusable" if cache.problem(path) else "cached"


def default_entries(root: Path | None = None) -> set[Path]:
    """The entries the book reads: each experiment's configuration with each of its seeds, per profile."""
    from .config import PROFILES

    return {
        cache.entry_path(run_name(name, seed), *resolve(name, profile=profile, seed=seed), root)
        for name, experiment in EXPERIMENTS.items()
        for seed in experiment.seeds
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
