"""The content-addressed store of trained runs.

An entry lives in `<cache root>/<profile>/<name>-<key>/` and holds `entry.json` (config,
history, metrics, metadata), `weights.safetensors`, `artefacts.safetensors` (what chapters
draw: samples, reconstructions, per-step losses) and `checksums.json`, written last.

The key hashes what determines the result: the configuration after the profile is applied
(seed included), the profile's data slice, the dataset's identity and a per-family code
version. The code version is bumped by hand when training code changes what it produces;
a refactor that does not must leave it alone, so the book is not retrained for nothing.

Entries are written to a temporary folder and renamed into place, so an interrupted write
never leaves a half entry under a real name; on every read the checksums are verified, and
an entry that fails is reported and retrained, never used.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
from dataclasses import asdict
from pathlib import Path

from safetensors.torch import load_file, save_file

from .config import Profile, config_from_dict, config_to_dict
from .data import DATASET_ID
from .paths import cache_root
from .result import Run

# Bump a family's number when its training code changes what a run produces.
CODE_VERSION = {"vae": 1, "noisy-vae": 1, "binary-vae": 1, "ae": 1, "conv-vae": 1, "gan": 1, "vaegan": 1,
                "classifier": 1}

FILES = ("entry.json", "weights.safetensors", "artefacts.safetensors")
CHECKSUMS = "checksums.json"
KEY_LENGTH = 16


class CorruptEntry(Exception):
    """An entry that is partial, fails its checksums, or cannot be parsed."""


def entry_key(config, profile: Profile) -> str:
    identity = {
        "config": config_to_dict(config),
        "profile": {"train_size": profile.train_size, "test_size": profile.test_size},
        "dataset": DATASET_ID,
        "code_version": CODE_VERSION[config.family],
    }
    return hashlib.sha256(json.dumps(identity, sort_keys=True).encode()).hexdigest()[:KEY_LENGTH]


def entry_path(name: str, config, profile: Profile, root: Path | None = None) -> Path:
    return (root or cache_root()) / profile.name / f"{name}-{entry_key(config, profile)}"


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def save(run: Run, root: Path | None = None) -> Path:
    """Writes `run` atomically and returns its folder; an existing entry is replaced."""
    final = entry_path(run.name, run.config, run.profile, root)
    final.parent.mkdir(parents=True, exist_ok=True)
    temporary = final.with_name(f".tmp-{final.name}-{os.getpid()}")
    shutil.rmtree(temporary, ignore_errors=True)
    temporary.mkdir()
    entry = {
        "name": run.name,
        "key": final.name.rsplit("-", 1)[1],
        "code_version": CODE_VERSION[run.config.family],
        "dataset": DATASET_ID,
        "config": config_to_dict(run.config),
        "profile": asdict(run.profile),
        "history": run.history,
        "metrics": run.metrics,
        "meta": run.meta,
    }
    (temporary / "entry.json").write_text(json.dumps(entry, indent=1, ensure_ascii=False) + "\n")
    save_file(run.weights, temporary / "weights.safetensors")
    save_file({k: v.contiguous() for k, v in run.artefacts.items()}, temporary / "artefacts.safetensors")
    checksums = {name: _sha256(temporary / name) for name in FILES}
    (temporary / CHECKSUMS).write_text(json.dumps(checksums, indent=1) + "\n")
    if final.exists():
        trash = final.with_name(f".trash-{final.name}-{os.getpid()}")
        final.rename(trash)
        shutil.rmtree(trash)
    temporary.rename(final)
    return final


def read(path: Path) -> Run:
    """The run stored at `path`; raises CorruptEntry when anything does not check out."""
    checksum_file = path / CHECKSUMS
    if not checksum_file.is_file():
        raise CorruptEntry("partial entry: checksums.json is missing")
    try:
        checksums = json.loads(checksum_file.read_text())
    except ValueError:
        raise CorruptEntry("checksums.json is not valid JSON") from None
    for name in FILES:
        if not (path / name).is_file():
            raise CorruptEntry(f"partial entry: {name} is missing")
        if _sha256(path / name) != checksums.get(name):
            raise CorruptEntry(f"{name} does not match its checksum")
    try:
        entry = json.loads((path / "entry.json").read_text())
        return Run(
            name=entry["name"],
            config=config_from_dict(entry["config"]),
            profile=Profile(**entry["profile"]),
            history=entry["history"],
            metrics=entry["metrics"],
            meta=entry["meta"],
            weights=load_file(path / "weights.safetensors"),
            artefacts=load_file(path / "artefacts.safetensors"),
            from_cache=True,
        )
    except Exception as error:  # a checksummed file that still fails to parse was written wrong
        raise CorruptEntry(f"unreadable entry ({type(error).__name__}: {error})") from None


def entries(root: Path | None = None):
    """Every entry folder under the cache root, temporary folders excluded."""
    root = root or cache_root()
    return sorted(p for p in root.glob("*/*") if p.is_dir() and not p.name.startswith("."))


def leftovers(root: Path | None = None):
    """Folders of interrupted writes and replacements."""
    root = root or cache_root()
    return sorted(p for p in root.glob("*/.*") if p.is_dir() and p.name.startswith((".tmp-", ".trash-")))


def problem(path: Path) -> str | None:
    """Why the entry at `path` cannot be used, or None when it can."""
    try:
        run = read(path)
    except CorruptEntry as error:
        return str(error)
    if path != entry_path(run.name, run.config, run.profile, path.parent.parent):
        return "stale: made by an older version of the training code"
    return None


# Derived results (embeddings, scores) live beside the entry they were computed from, one
# safetensors file each with a JSON sidecar holding its parameters and checksum. The entry's
# own files and checksums are untouched, so adding one never invalidates the run.
def _derived_stem(name: str, params: dict) -> str:
    digest = hashlib.sha256(json.dumps(params, sort_keys=True).encode()).hexdigest()[:KEY_LENGTH]
    return f"derived-{name}-{digest}"


def read_derived(entry: Path, name: str, params: dict) -> dict | None:
    """The tensors stored under (name, params), or None when absent or failing its checksum."""
    stem = _derived_stem(name, params)
    data, sidecar = entry / f"{stem}.safetensors", entry / f"{stem}.json"
    if not (data.is_file() and sidecar.is_file()):
        return None
    try:
        if json.loads(sidecar.read_text())["sha256"] == _sha256(data):
            return load_file(data)
    except (ValueError, KeyError):
        pass
    return None


def save_derived(entry: Path, name: str, params: dict, tensors: dict) -> None:
    stem = _derived_stem(name, params)
    data = entry / f"{stem}.safetensors"
    temporary = entry / f".tmp-{stem}-{os.getpid()}.safetensors"
    save_file({k: v.contiguous() for k, v in tensors.items()}, temporary)
    sidecar = {"name": name, "params": params, "sha256": _sha256(temporary)}
    (entry / f"{stem}.json").write_text(json.dumps(sidecar, indent=1) + "\n")
    os.replace(temporary, data)  # the data arrives last, so a torn write fails its checksum
