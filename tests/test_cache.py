"""The cache: atomic, verified, identity-checked, safe between processes, and careful to touch
nothing it did not write. Every case here was once a way to lose a run, serve the wrong one,
or delete someone's files."""

import json
import multiprocessing
import os
import re
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
import torch

from conftest import stored_items
from latentdigits import experiments
from latentdigits.cli import main
from vaebook import cache, entries, runner
from vaebook.config import get_profile
from vaebook.errors import NotCached


@pytest.fixture
def count_training(monkeypatch):
    """The names of the runs the runner trained one at a time."""
    calls, real = [], runner.fit
    monkeypatch.setattr(runner, "fit", lambda trainer, name, *a, **k: calls.append(name) or real(trainer, name, *a,
                                                                                                    **k))
    return calls


def _entry(name="vae-bce", profile="quick") -> Path:
    run_as, config = experiments.request(name)
    return entries.entry_path(run_as, entries.resolve(config, profile)[0], get_profile(profile))


def _one_line(capsys) -> str:
    """The one line of the error, the notice that training falls back to the CPU aside."""
    err = capsys.readouterr().err.strip()
    lines = [line for line in err.splitlines() if not line.startswith("vaebook: CUDA is not available")]
    assert "Traceback" not in err and len(lines) == 1, err
    return lines[0]


# --- Hits, misses and keys ------------------------------------------------------------------


def test_miss_then_hit(use_tiny_data, count_training):
    first = experiments.load("vae-bce", profile="quick")
    second = experiments.load("vae-bce", profile="quick")
    assert count_training == ["vae-bce"]
    assert not first.from_cache and second.from_cache and second.path == first.path == _entry()
    assert second.history == first.history and second.metrics == first.metrics
    for name, tensor in first.weights.items():
        assert torch.equal(second.weights[name], tensor)


def test_overrides_and_profile_change_the_key(use_tiny_data, count_training):
    experiments.load("vae-bce", profile="quick")
    experiments.load("vae-bce", profile="quick", epochs=1)
    experiments.load("vae-bce", profile="quick", seed=5)
    experiments.load("vae-mse", profile="quick")
    assert len(count_training) == 4 and len(stored_items("entry")) == 4
    config = experiments.get_experiment("vae-bce").config
    assert len({entries.entry_key(*entries.resolve(config, p)) for p in ("quick", "full")}) == 2


def test_the_key_depends_on_the_config_and_the_code_version_only(monkeypatch):
    config, profile = entries.resolve(experiments.get_experiment("vae-bce").config, "full")
    key = entries.entry_key(config, profile)
    assert key == "fd6b3947ea2c9a27"  # the committed entry's: a refactor must not move it
    monkeypatch.setattr(type(config), "code_version", 2)
    assert entries.entry_key(config, profile) != key


def test_every_committed_entry_keeps_its_key(repo_root):
    """The committed cache was made before the code was reorganised: every entry the book reads
    must still be found where the code looks for it."""
    committed = {p.name for p in (repo_root / "cache" / "full").iterdir() if p.is_dir()}
    wanted = {p.name for p in experiments.book_entries(repo_root / "cache") if p.parent.name == "full"}
    assert committed and committed <= wanted
    assert {name for name in wanted if "-seed" not in name} <= committed


def test_entries_hold_safetensors_not_pickles(use_tiny_data):
    experiments.load("vae-bce", profile="quick")
    assert sorted(p.name for p in _entry().iterdir()) == ["artefacts.safetensors", "checksums.json", "entry.json",
                                                        "weights.safetensors"]


def test_other_seeds_are_named_for_their_seed_read_by_the_book_and_kept_out_of_git(repo_root):
    assert experiments.run_name("beta-1") == experiments.run_name("beta-1", 0) == "beta-1"
    assert experiments.run_name("beta-1", 2) == "beta-1-seed2"
    folders = {path.name.rsplit("-", 1)[0] for path in experiments.book_entries()}  # what `cache prune` keeps
    assert {"beta-1", "beta-1-seed1", "beta-1-seed2", "vae-bce"} <= folders and "vae-bce-seed1" not in folders
    ignored = subprocess.run(["git", "check-ignore", "cache/full/beta-1-seed2-0123456789abcdef/entry.json",
                              "cache/full/beta-1-0123456789abcdef/entry.json"], cwd=repo_root,
                             capture_output=True, text=True).stdout.split()
    assert ignored == ["cache/full/beta-1-seed2-0123456789abcdef/entry.json"]


# --- Broken entries are reported and rebuilt, never used --------------------------------------


def test_a_corrupt_entry_is_reported_and_retrained(use_tiny_data, count_training, capsys):
    experiments.load("vae-bce", profile="quick")
    weights = _entry() / "weights.safetensors"
    weights.write_bytes(weights.read_bytes()[:-1] + b"\x00")
    with pytest.raises(cache.CorruptEntry, match="weights.safetensors does not match its checksum"):
        runner.read_entry(_entry())
    run = experiments.load("vae-bce", profile="quick")
    assert "unusable (weights.safetensors does not match its checksum)" in capsys.readouterr().err
    assert not run.from_cache and count_training == ["vae-bce", "vae-bce"]
    runner.read_entry(_entry())


@pytest.mark.parametrize("checksums", ["[]", "null", "{\"entry.json\": 5}", "not json", "{\"../x\": \"a\"}"])
def test_malformed_checksums_make_an_entry_unusable_not_a_traceback(checksums, use_tiny_data, count_training, capsys):
    experiments.load("vae-bce", profile="quick")
    (_entry() / "checksums.json").write_text(checksums)
    for argv in (["list"], ["cache", "verify"], ["show", "vae-bce"], ["cache", "prune", "--dry-run"]):
        main(argv)
        assert "Traceback" not in capsys.readouterr().err
    assert main(["train", "vae-bce"]) == 0
    assert count_training == ["vae-bce", "vae-bce"]
    runner.read_entry(_entry())


def test_a_malformed_record_is_unusable(use_tiny_data, count_training):
    experiments.load("vae-bce", profile="quick")
    record = _entry() / "entry.json"
    record.write_text("[1, 2]")
    checksums = json.loads((_entry() / "checksums.json").read_text())
    checksums["entry.json"] = cache._sha256(record)  # well checksummed, yet no run
    (_entry() / "checksums.json").write_text(json.dumps(checksums))
    assert runner.cached("vae-bce", *entries.resolve(experiments.get_experiment("vae-bce").config, "quick")) is None


def test_a_malformed_derived_sidecar_is_recomputed(use_tiny_data, capsys):
    from vaebook import measure

    run = experiments.load("vae-bce", profile="quick")
    codes = measure.test_codes(run)
    for sidecar in run.path.glob("derived-test-codes-*.json"):
        sidecar.write_text("null")
    torch.testing.assert_close(measure.test_codes(run)["means"], codes["means"])
    assert main(["show", "vae-bce"]) == 0 and "Traceback" not in capsys.readouterr().err


def test_a_partial_entry_is_never_used(use_tiny_data):
    experiments.load("vae-bce", profile="quick")
    (_entry() / "checksums.json").unlink()
    with pytest.raises(cache.CorruptEntry, match="partial entry"):
        runner.read_entry(_entry())


# --- Only the run asked for is served ---------------------------------------------------------


def test_a_copied_entry_is_not_served_as_another_run(use_tiny_data, count_training, monkeypatch, capsys):
    """A quick entry copied to the folder of the full entry is the quick run, whatever its folder says."""
    experiments.load("vae-bce", profile="quick")
    full = _entry(profile="full")
    full.parent.mkdir(parents=True)
    shutil.copytree(_entry(), full)
    monkeypatch.setenv("VAEBOOK_CACHE_ONLY", "1")
    with pytest.raises(NotCached):
        experiments.load("vae-bce", profile="full")
    assert "holds the quick-profile run" in capsys.readouterr().err


def test_swapped_entries_are_not_served(use_tiny_data, count_training, capsys):
    experiments.load_all(["vae-mse", "vae-l1"], profile="quick")
    mse, l1 = _entry("vae-mse"), _entry("vae-l1")
    mse.rename(mse.with_name("swap"))
    l1.rename(mse)
    mse.with_name("swap").rename(l1)
    assert main(["train", "vae-mse"]) == 0
    out = capsys.readouterr()
    assert out.out.startswith("vae-mse (quick profile") and "vae-l1" not in out.out
    assert "unusable (it holds the quick-profile run vae-l1-" in out.err
    assert runner.read_entry(_entry("vae-mse")).name == "vae-mse"


# --- The file system ----------------------------------------------------------------------------


def test_an_unwritable_cache_is_one_line_before_any_training(use_tiny_data, count_training, tmp_path, monkeypatch,
                                                              capsys):
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    monkeypatch.setenv("VAEBOOK_CACHE", str(blocker))
    assert main(["train", "vae-bce", "--force"]) == 2
    assert "is a file, but the cache needs a folder there" in _one_line(capsys)
    assert count_training == []


def test_a_file_where_the_entry_goes_is_one_line_before_any_training(use_tiny_data, count_training, capsys):
    _entry().parent.mkdir(parents=True)
    _entry().write_text("someone's file")
    assert main(["train", "vae-bce"]) == 2
    assert "is in the way of the cache entry" in _one_line(capsys)
    assert count_training == [] and _entry().read_text() == "someone's file"


def test_a_read_only_cache_is_one_line_before_any_training(use_tiny_data, count_training, monkeypatch, capsys):
    def read_only(entry):
        raise cache.CacheError(f"cannot write to the cache folder {entry.parent} (Read-only file system)")

    monkeypatch.setattr(cache, "ensure_writable", read_only)
    assert main(["train", "vae-bce", "--force"]) == 2
    assert "cannot write to the cache folder" in _one_line(capsys) and count_training == []


def test_a_finished_run_that_cannot_be_stored_is_saved_elsewhere(use_tiny_data, monkeypatch, capsys):
    real_write = cache.write

    def full_disk(folder, *args, **kwargs):
        if "vaebook-unsaved-" not in str(folder):
            raise cache.CacheError(f"cannot write the entry {folder} (No space left on device)")
        return real_write(folder, *args, **kwargs)

    monkeypatch.setattr(cache, "write", full_disk)
    assert main(["train", "vae-bce"]) == 2
    line = _one_line(capsys)
    rescued = Path(line.split("saved to ")[1].split(" instead")[0])
    assert "No space left on device" in line and rescued.name == _entry().name
    cache.read(rescued)  # a sound entry, ready to be copied into the cache


def test_an_unreadable_entry_is_reported_not_a_traceback(use_tiny_data, monkeypatch, capsys):
    experiments.load("vae-bce", profile="quick")
    real = cache._sha256

    def denied(path):
        if path.name == "weights.safetensors":
            raise PermissionError(13, "Permission denied")
        return real(path)

    monkeypatch.setattr(cache, "_sha256", denied)
    assert main(["cache", "verify"]) == 1
    assert "weights.safetensors is unreadable (Permission denied)" in capsys.readouterr().out


def test_weights_with_a_damaged_header_are_named_with_what_to_run(use_tiny_data, count_training, capsys):
    """A file written wrong passes its checksum: its header is checked without loading it, and
    every command says which file is damaged and what verify, prune and train do about it."""
    experiments.load("vae-bce", profile="quick")
    weights = _entry() / "weights.safetensors"
    weights.write_bytes((10**9).to_bytes(8, "little") + weights.read_bytes()[8:])
    checksums = json.loads((_entry() / "checksums.json").read_text())
    checksums["weights.safetensors"] = cache._sha256(weights)
    (_entry() / "checksums.json").write_text(json.dumps(checksums))
    capsys.readouterr()

    assert main(["show", "vae-bce"]) == 2
    line = _one_line(capsys)
    assert f"the cache entry of vae-bce is unusable: {_entry()}: weights.safetensors is damaged: its header" in line
    assert "`vaebook cache verify` reports it, `vaebook cache prune` deletes it, and `vaebook train vae-bce` " \
           "trains it again in its place" in line
    assert main(["cache", "verify"]) == 1
    assert f"BAD {_entry()}: weights.safetensors is damaged" in capsys.readouterr().out
    main(["list"])
    assert re.search(r"^vae-bce +unusable", capsys.readouterr().out, re.MULTILINE)
    assert main(["cache", "prune"]) == 0
    assert f"deleted {_entry()}: weights.safetensors is damaged" in capsys.readouterr().out
    assert not _entry().exists() and count_training == ["vae-bce"]


# --- Verify and prune touch only what this package wrote ---------------------------------------


def test_prune_deletes_nothing_that_is_not_an_entry_of_this_package(tmp_path, monkeypatch, capsys):
    """With VAEBOOK_CACHE pointing at a checkout, prune once deleted .git and the code."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("VAEBOOK_CACHE", str(tmp_path))
    precious = [tmp_path / ".git" / "objects" / "ab" / "cdef", tmp_path / "code" / "vaebook" / "cache.py",
                tmp_path / "cache" / "full" / "vae-bce-0123456789abcdef" / "entry.json",
                tmp_path / "quick" / "notes" / "todo.txt", tmp_path / "quick" / "vae-bce-0123456789abcdef" / "mine.txt",
                tmp_path / "full" / ".hidden" / "x"]
    for path in precious:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("keep me")
    (tmp_path / "quick" / "beta-2-0123456789abcdef").symlink_to(tmp_path / "code")
    for argv in (["cache", "prune", "--dry-run"], ["cache", "prune"], ["cache", "verify"]):
        main(argv)
    out = capsys.readouterr().out
    assert all(path.read_text() == "keep me" for path in precious)
    assert (tmp_path / "code" / "vaebook" / "cache.py").exists() and "deleted" not in out.replace("0 deleted", "")
    assert "notes: not named like an entry; not this package's" in out
    assert "holds files this package did not write (mine.txt)" in out and "a symbolic link" in out


def test_prune_dry_run_lists_exactly_what_prune_deletes(use_tiny_data, capsys):
    experiments.load("vae-bce", profile="quick")
    experiments.load("vae-bce", profile="quick", epochs=1)  # an override: not read by the book
    leftover = _entry().with_name(f".tmp-{_entry().name}-99-abcd")
    leftover.mkdir()
    (leftover / "entry.json").write_text("{}")
    trash = _entry().with_name(f".trash-{_entry().name}-98-abcd")
    trash.mkdir()
    orphan = _entry() / ".tmp-derived-test-codes-0123456789abcdef-97-abcd.safetensors"
    orphan.write_bytes(b"half")
    assert main(["cache", "verify"]) == 0
    verified = capsys.readouterr().out
    assert all(f"LEFT {path}" in verified for path in (leftover, trash, orphan))
    assert main(["cache", "prune", "--dry-run"]) == 0
    planned = {line.split(": ")[0].removeprefix("would delete ") for line in capsys.readouterr().out.splitlines()
               if line.startswith("would delete")}
    assert main(["cache", "prune"]) == 0
    done = {line.split(": ")[0].removeprefix("deleted ") for line in capsys.readouterr().out.splitlines()
            if line.startswith("deleted ")}
    assert planned == done and {str(leftover), str(trash), str(orphan)} <= done
    assert [item.path for item in stored_items()] == [_entry()]


# --- Several processes ----------------------------------------------------------------------------


def _write_entry(folder: str, barrier, value: float) -> str:
    barrier.wait()
    cache.write(Path(folder), {"name": "x", "value": value}, {"weights.safetensors": {"w": torch.full((1000,), value)}})
    return "ok"


def _read_repeatedly(folder: str, barrier, seconds: float) -> list[str]:
    barrier.wait()
    problems, stop = [], time.time() + seconds
    while time.time() < stop:
        try:
            cache.read(Path(folder))
        except cache.CorruptEntry as error:
            if "not an entry folder" not in str(error):  # not yet written: a miss, not a problem
                problems.append(str(error))
    return problems


@pytest.mark.slow
def test_concurrent_writers_and_readers_of_one_key(tmp_path):
    folder = tmp_path / "quick" / "x-0123456789abcdef"
    context = multiprocessing.get_context("spawn")
    barrier = context.Manager().Barrier(5)
    with context.Pool(5) as pool:
        readers = [pool.apply_async(_read_repeatedly, (str(folder), barrier, 3.0)) for _ in range(2)]
        writers = [pool.apply_async(_write_entry, (str(folder), barrier, float(i))) for i in range(3)]
        assert [w.get(60) for w in writers] == ["ok"] * 3
        assert [r.get(60) for r in readers] == [[], []]
    record, _ = cache.read(folder)
    assert record["name"] == "x"
    assert [p.name for p in folder.parent.iterdir() if not p.name.startswith(".lock-")] == [folder.name]


def _interruptible():
    # A job started in the background of a non-interactive shell ignores SIGINT, and so would
    # the command under test; it must see Ctrl-C as a user's terminal delivers it.
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def test_jobs_trains_in_two_processes_and_an_interrupt_stops_them_truthfully(mnist_root, tmp_path):
    env = os.environ | {"VAEBOOK_DATA": str(mnist_root), "VAEBOOK_CACHE": str(tmp_path), "VAEBOOK_PROFILE": "quick"}
    done = subprocess.run([sys.executable, "-m", "latentdigits", "train", "vae-2d", "ae", "--jobs", "2"], env=env,
                          capture_output=True, text=True, timeout=600)
    assert done.returncode == 0 and done.stdout.count("trained on cpu") == 2, done.stderr
    # Now interrupt a longer one while its workers train: they stop, and the message is true.
    env["VAEBOOK_CACHE"] = str(tmp_path / "interrupted")
    process = subprocess.Popen([sys.executable, "-m", "latentdigits", "train", "beta-0.5", "beta-2", "vae-mse",
                                "--jobs", "2", "--profile", "full"], env=env, stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, text=True, preexec_fn=_interruptible)
    time.sleep(15)  # the workers are a few seconds into 60,000 images
    process.send_signal(signal.SIGINT)  # to the parent alone, as `kill -INT` would
    _, err = process.communicate(timeout=60)
    assert process.returncode == 130 and "Traceback" not in err, err
    assert "interrupted; nothing was stored by this command" in err
    time.sleep(3)  # a worker left running would store its run now
    entries = list((tmp_path / "interrupted").glob("full/*-*"))
    assert [p for p in entries if not p.name.startswith(".")] == []


@pytest.mark.slow
def test_an_interrupt_while_importing_is_one_line(tmp_path):
    env = os.environ | {"VAEBOOK_CACHE": str(tmp_path)}
    process = subprocess.Popen([sys.executable, "-m", "latentdigits", "train", "vae-bce", "--profile", "quick"],
                               env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                               preexec_fn=_interruptible)
    time.sleep(0.5)  # torch is still importing
    process.send_signal(signal.SIGINT)
    out, err = process.communicate(timeout=60)
    assert process.returncode == 130, (out, err)
    assert "Traceback" not in err and err.strip().startswith("vaebook: interrupted"), (out, err)
