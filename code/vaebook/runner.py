"""`load`: the one way to get a trained run, and the only code that starts training.

A run is identified by a name and a configuration; with the profile applied, they give the
cache key and the entry folder `<cache>/<profile>/<name>-<key>/`. `load` returns the cached
run when that folder holds a sound entry of exactly this run (its record's name, key,
configuration, profile and data are checked, not only its checksums), and otherwise trains
the run, stores it and returns it.

This is the one module of the library that reads MNIST (through `data.load_mnist`): it passes
the profile's slice to the trainers, and to every run it returns the loader (`Run.data`),
which the measurements (`measure`, `evaluate`) call only when they must compute.
"""

from __future__ import annotations

import signal
import tempfile
from pathlib import Path

import torch

from . import cache
from .config import Config, Profile, get_profile
from .data import load_mnist
from .device import check_device, notice, pick_device
from .entries import ARTEFACTS, WEIGHTS, check_entry, check_identity, described, entry_path, record_of, resolve
from .errors import NotCached
from .families import family_of
from .paths import CACHE_ONLY_VARIABLE, cache_only
from .result import Run
from .train import fit


class TrainingInterrupted(KeyboardInterrupt):
    """Ctrl-C while training; `finished` names the runs that were stored before it."""

    def __init__(self, finished: list[str]):
        super().__init__()
        self.finished = finished


def read_entry(folder: Path) -> Run:
    """The run stored in `folder`; CorruptEntry when it is broken, or is not the run its
    folder name promises (`entries.check_identity`)."""
    record, tensors = cache.read(folder)
    check_identity(folder, record)
    name, config, profile = described(record)
    try:
        return Run(name=name, config=config, profile=profile, history=record["history"], metrics=record["metrics"],
                   meta=record["meta"], weights=tensors[WEIGHTS], artefacts=tensors[ARTEFACTS], from_cache=True,
                   path=folder, data=load_mnist)
    except KeyError as error:
        raise cache.CorruptEntry(f"the entry lacks {error}") from None


def _holds_the_run(folder: Path) -> bool:
    try:
        check_entry(folder, locked=False)  # called by cache.write, which holds the lock
        return True
    except cache.CorruptEntry:
        return False


def cached(name: str, config: Config, profile: Profile) -> Run | None:
    """The cached run of `name` and a resolved `config`, or None when there is none or it is
    unusable (which is reported)."""
    folder = entry_path(name, config, profile)
    if folder.is_symlink() or not folder.is_dir():
        return None  # missing, or something else in its place, which storing the run reports
    try:
        return read_entry(folder)
    except cache.CorruptEntry as error:
        notice(f"cache entry {folder} is unusable ({error})")
        return None


def _refuse_to_train(names: list[str], profile: Profile) -> None:
    if cache_only():
        raise NotCached(f"{', '.join(names)} not in the {profile.name}-profile cache and {CACHE_ONLY_VARIABLE} is set; "
                        f"run: vaebook train {' '.join(names)} --profile {profile.name}")


def store(run: Run, *, replace: bool = False) -> Run:
    """Writes `run` to its entry and returns it with its path and data. If the cache cannot take it,
    the finished run is written to a folder of its own under the system's temporary folder
    and the error says where, so that no training is lost for want of a place to keep it."""
    folder = entry_path(run.name, run.config, run.profile)
    contents = {WEIGHTS: run.weights, ARTEFACTS: run.artefacts}
    try:
        run.path = cache.write(folder, record_of(run), contents, replace=replace, is_wanted=_holds_the_run)
        run.data = load_mnist
        return run
    except cache.CacheError as error:
        rescue = Path(tempfile.mkdtemp(prefix="vaebook-unsaved-")) / folder.name
        cache.write(rescue, record_of(run), contents)
        raise cache.CacheError(f"{error}; the finished run was saved to {rescue} instead: copy that folder to "
                               f"{folder} once the cache is writable") from None


def _check_can_store(names_and_configs, profile: Profile) -> None:
    for name, config in names_and_configs:
        cache.ensure_writable(entry_path(name, config, profile))


def _data(profile: Profile, device: torch.device):
    return load_mnist().subset(profile.train_size, profile.test_size).to(device)


def _train(name: str, config: Config, profile: Profile, data, device: torch.device, progress: bool | None) -> Run:
    family = family_of(config)
    return fit(family.trainer, name, config, family.network, profile, data, device, progress=progress)


def load(name: str, config: Config, *, profile: str | Profile | None = None, epochs: int | None = None,
         seed: int | None = None, device: str | None = None, force: bool = False,
         progress: bool | None = None) -> Run:
    """The trained run `name` of `config` under `profile` (with overrides): from the cache,
    or trained now and stored. `force` trains and replaces the entry in any case."""
    check_device(device)
    config, profile = resolve(config, profile, epochs=epochs, seed=seed)
    if not force and (run := cached(name, config, profile)) is not None:
        return run
    _refuse_to_train([name], profile)
    _check_can_store([(name, config)], profile)
    torch_device = pick_device(device)
    run = _train(name, config, profile, _data(profile, torch_device), torch_device, progress)
    return store(run, replace=force)


def _train_group(members: list[tuple[str, Config]], profile: Profile, device: str, progress: bool | None,
                 replace: bool, threads: int | None = None) -> list[Path]:
    """Trains runs that can be trained together, stores them, and returns their folders: the
    unit of work of `load_many`, in this process or in a worker."""
    if threads is not None:
        torch.set_num_threads(threads)
    torch_device = pick_device(device)
    data = _data(profile, torch_device)
    names, configs = [m[0] for m in members], [m[1] for m in members]
    family = family_of(configs[0])
    if len(members) == 1:
        runs = [_train(names[0], configs[0], profile, data, torch_device, progress)]
    else:
        runs = family.group_trainer(names, configs, family.network, profile, data, torch_device, progress=progress)
    return [store(run, replace=replace).path for run in runs]


def _quiet_worker() -> None:
    # Ctrl-C reaches every process of the terminal's group; the parent alone decides what stops.
    signal.signal(signal.SIGINT, signal.SIG_IGN)


def _train_in_parallel(groups: list, profile: Profile, jobs: int, replace: bool) -> None:
    """The groups trained by `jobs` worker processes, each on its share of the CPU threads:
    on a CPU, two one-thread processes get through about 1.3 times as much as one process
    with two threads, because a model this small keeps two threads waiting on each other.
    An interrupt stops every worker; the runs already stored stay stored."""
    from multiprocessing import get_context

    from tqdm.auto import tqdm

    threads = max(1, torch.get_num_threads() // jobs)
    order = sorted(groups, key=lambda g: -len(g) * g[0][1].epochs * family_of(g[0][1]).cpu_seconds_per_epoch)
    arguments = [(group, profile, "cpu", False, replace, threads) for group in order]
    finished: list[str] = []
    pool = get_context("spawn").Pool(jobs, initializer=_quiet_worker)
    try:
        with tqdm(total=sum(map(len, groups)), desc=f"training in {jobs} processes", unit="model") as bar:
            for paths in pool.imap_unordered(_train_group_star, arguments):
                finished += [path.name for path in paths]
                bar.update(len(paths))
    except BaseException as error:
        pool.terminate()  # an interrupt or a worker's error stops the others too
        pool.join()
        if isinstance(error, KeyboardInterrupt):
            raise TrainingInterrupted(finished) from None
        raise
    pool.close()
    pool.join()


def _train_group_star(arguments: tuple) -> list[Path]:
    return _train_group(*arguments)


def load_many(requests: list[tuple[str, Config]], *, profile: str | Profile | None = None, device: str | None = None,
              force: bool = False, progress: bool | None = None, jobs: int = 1) -> list[Run]:
    """The runs of several (name, config) requests, in order. Those that must be trained and
    differ only in what a family's `group_key` ignores (β, seed or data corruption: a sweep)
    are trained together as one batched model; with `jobs` > 1 on a CPU, independent runs
    train side by side in that many processes."""
    check_device(device)
    profile = get_profile(profile)
    resolved = [(name, resolve(config, profile)[0]) for name, config in requests]
    unique = list(dict.fromkeys(resolved))
    runs = {} if force else {r: run for r in unique if (run := cached(*r, profile)) is not None}
    missing = [r for r in unique if r not in runs]
    if missing:
        _refuse_to_train([name for name, _ in missing], profile)
        _check_can_store(missing, profile)
        groups: dict = {}
        for name, config in missing:
            family = family_of(config)
            key = family.group_key(config) if family.group_key else (name, config)  # else alone
            groups.setdefault((family.name, key), []).append((name, config))
        torch_device = pick_device(device)
        stored: list[str] = []
        if jobs > 1 and len(missing) > 1 and torch_device.type == "cpu":
            # Batching buys nothing on a CPU (the step is bound by arithmetic, not by launches),
            # and single models share the work out more evenly between the processes.
            _train_in_parallel([[member] for group in groups.values() for member in group], profile, jobs, force)
        else:
            try:
                for group in groups.values():
                    stored += [path.name for path in _train_group(group, profile, torch_device.type, progress, force)]
            except KeyboardInterrupt:
                raise TrainingInterrupted(stored) from None
        for name, config in missing:
            runs[(name, config)] = read_entry(entry_path(name, config, profile))
            runs[(name, config)].from_cache = False
    return [runs[r] for r in resolved]

