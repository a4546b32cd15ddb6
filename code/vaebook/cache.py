"""A content-addressed store of folders: written atomically, verified on every read, and
careful to touch nothing it did not write.

An entry is a folder `<root>/<profile>/<name>-<key>/` (the key: 16 hex digits) holding a JSON
record (`entry.json`), safetensors files, and `checksums.json`, written last, with the
SHA-256 of each. Results derived from an entry later (embeddings, scores) live beside its
files as `derived-<what>-<digest>.safetensors` with a JSON sidecar, so adding one never
touches the entry's own checksums. This module knows nothing of models or configurations:
the caller names the folder and gives the record and the tensors.

What the store guarantees:
- Atomic: an entry is written into a temporary folder and renamed into place, so a reader
  never sees half an entry under a real name.
- Verified: every read checks every file against `checksums.json`, and the header of every
  safetensors file (so that a file written wrong, whose checksum holds, is caught without
  loading it); anything that fails (a flipped bit, a missing file, malformed JSON, a damaged
  header) is `CorruptEntry`, naming the file, never a traceback.
- Concurrency-safe: writers and readers of one entry hold a lock on a file beside it
  (`.lock-<entry>`): one writer at a time, and no reader sees an entry being replaced.
  Two writers of the same key keep the first sound entry (pass `replace=True` to overwrite).
- Ours alone: `scan` sorts what lies two levels below the root into this store's entries,
  its own leftovers (`.tmp-*`, `.trash-*`, `.lock-*` names) and everything else, which is
  foreign: listed at most, never read as an entry and never deleted.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import re
import secrets
import shutil
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

RECORD = "entry.json"
CHECKSUMS = "checksums.json"
KEY_LENGTH = 16
ENTRY_NAME = re.compile(rf"^[a-z0-9][a-z0-9._-]*-[0-9a-f]{{{KEY_LENGTH}}}$")
DERIVED_FILE = re.compile(rf"^derived-[a-z0-9-]+-[0-9a-f]{{{KEY_LENGTH}}}\.(safetensors|json)$")
OWN_LEFTOVER = re.compile(r"^\.(tmp|trash|lock)-")  # names only this module gives
DERIVED_LEFTOVER = re.compile(r"^\.tmp-derived-")


class CacheError(Exception):
    """The store cannot do what was asked (a folder that cannot be written, something in the
    way); the message says what to do."""


class CorruptEntry(Exception):
    """An entry that is partial, fails its checksums, or cannot be parsed."""


def key_of(identity: dict) -> str:
    """The key of a JSON-able description of what determines an entry's content."""
    return hashlib.sha256(json.dumps(identity, sort_keys=True).encode()).hexdigest()[:KEY_LENGTH]


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


@contextlib.contextmanager
def _locked(folder: Path, exclusive: bool):
    """A lock on `folder`'s entry, shared for readers and exclusive for writers, held through
    a lock file beside it. Where no lock file can be made (a read-only cache, a system
    without fcntl), readers go unlocked: nobody can be writing there."""
    try:
        import fcntl
    except ImportError:  # Windows: no advisory locks, so no protection between processes
        yield
        return
    path = folder.with_name(f".lock-{folder.name}")
    try:
        handle = open(path, "a+")
    except OSError:
        if exclusive:
            raise
        yield
        return
    with handle:
        fcntl.flock(handle, fcntl.LOCK_EX if exclusive else fcntl.LOCK_SH)
        yield


def ensure_writable(entry: Path) -> None:
    """Raises CacheError unless the entry `entry` can be written: its parent folder is (or can
    be made) a writable folder, and nothing that is not an entry stands at `entry` itself.
    Callers check this before the work that the entry will hold."""
    if entry.is_symlink() or (entry.exists() and not entry.is_dir()):
        raise CacheError(f"{entry} is in the way of the cache entry (a file or a link this package did not make); "
                         f"move it away")
    folder = entry.parent
    try:
        for parent in (folder, *folder.parents):
            if parent.exists() and not parent.is_dir():
                raise CacheError(f"{parent} is a file, but the cache needs a folder there; move it away or set "
                                 f"VAEBOOK_CACHE to another folder")
        folder.mkdir(parents=True, exist_ok=True)
        probe = folder / f".tmp-probe-{os.getpid()}-{secrets.token_hex(4)}"
        probe.write_bytes(b"")
        probe.unlink()
    except OSError as error:
        raise CacheError(f"cannot write to the cache folder {folder} ({error.strerror or error}); make it writable "
                         f"or set VAEBOOK_CACHE to a folder you can write") from None


def _is_sound(folder: Path) -> bool:
    try:
        _verified(folder)
        return True
    except CorruptEntry:
        return False


def write(folder: Path, record: dict, tensors: dict[str, dict], *, replace: bool = False,
          is_wanted: Callable[[Path], bool] = _is_sound) -> Path:
    """Writes an entry: `record` as entry.json and each of `tensors` ({file name: {tensor
    name: tensor}}) as a safetensors file, atomically. An existing entry is kept when
    `is_wanted` says so (by default: when it is sound), unless `replace`: so of two writers of
    one key, the first to finish stays. Returns `folder`."""
    ensure_writable(folder)
    from safetensors.torch import save_file

    temporary = folder.with_name(f".tmp-{folder.name}-{os.getpid()}-{secrets.token_hex(4)}")
    try:
        temporary.mkdir()
        (temporary / RECORD).write_text(json.dumps(record, indent=1, ensure_ascii=False) + "\n")
        for name, contents in tensors.items():
            save_file({k: v.contiguous() for k, v in contents.items()}, temporary / name)
        checksums = {name: _sha256(temporary / name) for name in (RECORD, *tensors)}
        (temporary / CHECKSUMS).write_text(json.dumps(checksums, indent=1) + "\n")
        with _locked(folder, exclusive=True):
            if folder.is_dir():
                if not replace and is_wanted(folder):
                    return folder  # another writer of this key finished first
                trash = folder.with_name(f".trash-{folder.name}-{os.getpid()}-{secrets.token_hex(4)}")
                folder.rename(trash)
                shutil.rmtree(trash, ignore_errors=True)
            temporary.rename(folder)
    except OSError as error:
        reason = f"{type(error).__name__}: {error.strerror or error}"
        raise CacheError(f"cannot write the entry {folder} ({reason})") from None
    finally:
        shutil.rmtree(temporary, ignore_errors=True)
    return folder


def _json(path: Path):
    try:
        return json.loads(path.read_text())
    except (OSError, ValueError, UnicodeDecodeError) as error:
        raise CorruptEntry(f"{path.name} is unreadable ({type(error).__name__})") from None


def _tensor_header_problem(path: Path) -> str | None:
    """Why the safetensors file at `path` cannot be loaded, read from its header alone (an
    8-byte length, then a JSON table of tensors and their byte ranges), or None."""
    try:
        with open(path, "rb") as f:
            length = int.from_bytes(f.read(8), "little")
            size = path.stat().st_size
            if not 2 <= length <= size - 8:
                return f"its header length ({length:,} bytes) does not fit in the file ({size:,} bytes)"
            header = json.loads(f.read(length))
    except OSError as error:
        return f"it is unreadable ({error.strerror or error})"
    except (ValueError, UnicodeDecodeError):
        return "its header is not JSON"
    if not isinstance(header, dict):
        return "its header is not a table of tensors"
    end = 0
    for name, entry in header.items():
        if name == "__metadata__":
            continue
        offsets = entry.get("data_offsets") if isinstance(entry, dict) else None
        if not (isinstance(offsets, list) and len(offsets) == 2 and all(isinstance(o, int) for o in offsets)
                and 0 <= offsets[0] <= offsets[1]):
            return f"its header gives no valid byte range for {name!r}"
        end = max(end, offsets[1])
    if 8 + length + end > size:
        return f"its tensors run past the end of the file ({8 + length + end:,} > {size:,} bytes)"
    return None


def _verified(folder: Path) -> tuple[dict, dict]:
    """The record and the checksums of the entry in `folder`, every file checked."""
    if folder.is_symlink() or not folder.is_dir():
        raise CorruptEntry("not an entry folder")
    if not (folder / CHECKSUMS).is_file():
        raise CorruptEntry(f"partial entry: {CHECKSUMS} is missing")
    checksums = _json(folder / CHECKSUMS)
    if not (isinstance(checksums, dict) and RECORD in checksums
            and all(isinstance(k, str) and isinstance(v, str) and "/" not in k for k, v in checksums.items())):
        raise CorruptEntry(f"{CHECKSUMS} does not list the entry's files")
    for name, digest in checksums.items():
        path = folder / name
        if not path.is_file():
            raise CorruptEntry(f"partial entry: {name} is missing")
        try:
            if _sha256(path) != digest:
                raise CorruptEntry(f"{name} does not match its checksum")
        except OSError as error:
            raise CorruptEntry(f"{name} is unreadable ({error.strerror or error})") from None
        if name.endswith(".safetensors") and (problem := _tensor_header_problem(path)) is not None:
            raise CorruptEntry(f"{name} is damaged: {problem}")
    record = _json(folder / RECORD)
    if not isinstance(record, dict):
        raise CorruptEntry(f"{RECORD} is not a record")
    return record, checksums


def check(folder: Path, *, locked: bool = True) -> dict:
    """The record of the entry in `folder`, every file verified but no tensor loaded (cheap:
    what listing and verifying the cache need). Raises CorruptEntry like `read`."""
    with _locked(folder, exclusive=False) if locked else contextlib.nullcontext():
        return _verified(folder)[0]


def read(folder: Path) -> tuple[dict, dict[str, dict]]:
    """The record and tensors of the entry in `folder`: ({...}, {file name: {name: tensor}}).
    Raises CorruptEntry when anything does not check out."""
    from safetensors.torch import load_file  # torch: only a read of the tensors needs it

    with _locked(folder, exclusive=False):
        record, checksums = _verified(folder)
        tensors = {}
        for name in checksums:
            if name.endswith(".safetensors"):
                try:
                    tensors[name] = load_file(folder / name)
                except Exception as error:  # a checksummed file that still fails to parse was written wrong
                    raise CorruptEntry(f"{name} is damaged ({type(error).__name__}: {error})") from None
        return record, tensors


# Derived results: one safetensors file each, beside the entry, with a sidecar holding their
# parameters and checksum. The data arrives last, so a torn write fails its checksum.
def _derived_stem(name: str, params: dict) -> str:
    return f"derived-{name}-{key_of(params)}"


def read_derived(folder: Path, name: str, params: dict, *, as_numpy: bool = False) -> dict | None:
    """The tensors stored under (name, params), or None when absent or failing its checksum;
    `as_numpy` reads them without torch."""
    if as_numpy:
        from safetensors.numpy import load_file
    else:
        from safetensors.torch import load_file
    stem = _derived_stem(name, params)
    data, sidecar = folder / f"{stem}.safetensors", folder / f"{stem}.json"
    if not (data.is_file() and sidecar.is_file()):
        return None
    try:
        stored = json.loads(sidecar.read_text())
        if isinstance(stored, dict) and stored.get("sha256") == _sha256(data):
            return load_file(data)
    except Exception:  # unreadable or malformed: recomputed, like a missing one
        pass
    return None


def write_derived(folder: Path, name: str, params: dict, tensors: dict) -> None:
    """Stores tensors beside the entry in `folder` (the caller checks that it is one)."""
    from safetensors.torch import save_file

    stem = _derived_stem(name, params)
    temporary = folder / f".tmp-{stem}-{os.getpid()}-{secrets.token_hex(4)}.safetensors"
    try:
        save_file({k: v.contiguous() for k, v in tensors.items()}, temporary)
        sidecar = {"name": name, "params": params, "sha256": _sha256(temporary)}
        (folder / f"{stem}.json").write_text(json.dumps(sidecar, indent=1) + "\n")
        os.replace(temporary, folder / f"{stem}.safetensors")
    except OSError as error:
        raise CacheError(f"cannot store the {name} result beside {folder} ({error.strerror or error})") from None
    finally:
        temporary.unlink(missing_ok=True)


# What lies in the store.
@dataclass(frozen=True)
class Item:
    path: Path
    kind: str  # "entry", "leftover" (this module's temporary, trash and lock files) or "foreign"
    reason: str = ""


def _entry_problem(folder: Path) -> str | None:
    """Why `folder`, named like an entry, is not one this module wrote, or None."""
    if folder.is_symlink():
        return "a symbolic link"
    if not folder.is_dir():
        return "not a folder"
    try:
        names = [p.name for p in folder.iterdir()]
    except OSError as error:
        return f"unreadable ({error.strerror or error})"
    strangers = [n for n in names if n != RECORD and n != CHECKSUMS and not n.endswith(".safetensors")
                 and not DERIVED_FILE.match(n) and not DERIVED_LEFTOVER.match(n)]
    return f"holds files this package did not write ({', '.join(sorted(strangers)[:3])})" if strangers else None


def scan(root: Path, profiles) -> list[Item]:
    """Everything two levels below `root` in the folders named by `profiles`, sorted:
    entries, this module's leftovers (also inside entries: unfinished derived results), and
    foreign things, which only the caller's listing may mention."""
    items = []
    for profile in profiles:
        folder = root / profile
        if folder.is_symlink() or not folder.is_dir():
            continue
        for path in sorted(folder.iterdir()):
            if OWN_LEFTOVER.match(path.name) and not path.is_symlink():
                if not path.name.startswith(".lock-") or not path.with_name(path.name[6:]).is_dir():
                    items.append(Item(path, "leftover", "left by an interrupted write"))
            elif ENTRY_NAME.match(path.name) and (problem := _entry_problem(path)) is None:
                items.append(Item(path, "entry"))
                items += [Item(p, "leftover", "an unfinished derived result")
                          for p in sorted(path.iterdir()) if DERIVED_LEFTOVER.match(p.name)]
            else:
                reason = problem if ENTRY_NAME.match(path.name) else "not named like an entry"
                items.append(Item(path, "foreign", reason))
    return items


def delete(item: Item) -> None:
    """Deletes an entry or a leftover of this store; foreign things are refused."""
    if item.kind == "foreign":
        raise CacheError(f"{item.path} is not this package's; it is left alone")
    try:
        if item.path.is_dir() and not item.path.is_symlink():
            shutil.rmtree(item.path)
        else:
            item.path.unlink(missing_ok=True)
        if item.kind == "entry":
            item.path.with_name(f".lock-{item.path.name}").unlink(missing_ok=True)
    except OSError as error:
        raise CacheError(f"cannot delete {item.path} ({error.strerror or error})") from None
