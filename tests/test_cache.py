import shutil

import pytest
import safetensors.torch

import vaebook
from vaebook import cache, runner
from vaebook.cli import main


@pytest.fixture
def count_training(monkeypatch):
    """How many times the trainer ran."""
    calls = []
    real = runner.TRAINERS["vae"]
    monkeypatch.setitem(runner.TRAINERS, "vae", lambda *a, **k: calls.append(a[0]) or real(*a, **k))
    return calls


def _entry(name="vae-bce"):
    config, profile = runner.resolve(name, profile="quick")
    return cache.entry_path(name, config, profile)


def test_miss_then_hit(use_tiny_data, count_training):
    first = vaebook.load("vae-bce", profile="quick")
    second = vaebook.load("vae-bce", profile="quick")
    assert count_training == ["vae-bce"]
    assert not first.from_cache and second.from_cache
    assert second.history == first.history and second.metrics == first.metrics
    for name, tensor in first.weights.items():
        assert (second.weights[name] == tensor).all()
    assert (second.artefacts["samples"] == first.artefacts["samples"]).all()


def test_overrides_and_profile_change_the_key(use_tiny_data, count_training):
    vaebook.load("vae-bce", profile="quick")
    vaebook.load("vae-bce", profile="quick", epochs=1)
    vaebook.load("vae-bce", profile="quick", seed=5)
    vaebook.load("vae-mse", profile="quick")
    assert len(count_training) == 4 and len(cache.entries()) == 4
    keys = {cache.entry_key(*runner.resolve("vae-bce", profile=p)) for p in ("quick", "full")}
    assert len(keys) == 2


def test_key_depends_on_config_and_code_version_only(monkeypatch):
    config, profile = runner.resolve("vae-bce", profile="full")
    key = cache.entry_key(config, profile)
    assert cache.entry_key(*runner.resolve("vae-bce", profile="full")) == key
    monkeypatch.setitem(cache.CODE_VERSION, "vae", cache.CODE_VERSION["vae"] + 1)
    assert cache.entry_key(config, profile) != key


def test_a_corrupt_entry_is_reported_and_retrained(use_tiny_data, count_training, capsys):
    vaebook.load("vae-bce", profile="quick")
    weights = _entry() / "weights.safetensors"
    data = bytearray(weights.read_bytes())
    data[-1] ^= 0xFF
    weights.write_bytes(bytes(data))
    assert cache.problem(_entry()) == "weights.safetensors does not match its checksum"
    run = vaebook.load("vae-bce", profile="quick")
    assert "unusable (weights.safetensors does not match its checksum); it will be retrained" in capsys.readouterr().err
    assert not run.from_cache and count_training == ["vae-bce", "vae-bce"]
    assert cache.problem(_entry()) is None


def test_a_partial_entry_is_never_used(use_tiny_data, count_training):
    vaebook.load("vae-bce", profile="quick")
    (_entry() / "checksums.json").unlink()
    assert cache.problem(_entry()).startswith("partial entry")
    assert vaebook.cached("vae-bce", profile="quick") is None


def test_an_interrupted_write_leaves_no_entry(use_tiny_data, monkeypatch):
    def crash(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(cache, "save_file", crash)
    with pytest.raises(KeyboardInterrupt):
        vaebook.load("vae-bce", profile="quick")
    assert cache.entries() == [] and len(cache.leftovers()) == 1
    monkeypatch.undo()
    assert main(["cache", "prune"]) == 0
    assert cache.leftovers() == []


def test_a_stale_entry_is_found_by_verify(use_tiny_data, monkeypatch, capsys):
    vaebook.load("vae-bce", profile="quick")
    assert main(["cache", "verify"]) == 0
    monkeypatch.setitem(cache.CODE_VERSION, "vae", cache.CODE_VERSION["vae"] + 1)
    assert main(["cache", "verify"]) == 1
    assert "stale" in capsys.readouterr().out


def test_prune_keeps_what_the_book_reads(use_tiny_data):
    vaebook.load("vae-bce", profile="quick")
    vaebook.load("vae-bce", profile="quick", epochs=1)
    assert main(["cache", "prune", "--dry-run"]) == 0 and len(cache.entries()) == 2
    assert main(["cache", "prune"]) == 0
    assert cache.entries() == [_entry()]


def test_entries_hold_safetensors_not_pickles(use_tiny_data):
    vaebook.load("vae-bce", profile="quick")
    files = sorted(p.name for p in _entry().iterdir())
    assert files == ["artefacts.safetensors", "checksums.json", "entry.json", "weights.safetensors"]
    assert "to_mu.weight" in safetensors.torch.load_file(_entry() / "weights.safetensors")


def test_a_replaced_entry_leaves_nothing_behind(use_tiny_data):
    vaebook.load("vae-bce", profile="quick")
    vaebook.load("vae-bce", profile="quick", force=True)
    assert cache.entries() == [_entry()] and cache.leftovers() == []
    shutil.rmtree(_entry())
    assert vaebook.cached("vae-bce", profile="quick") is None


def test_other_seeds_are_named_for_their_seed_read_by_the_book_and_kept_out_of_git(repo_root):
    import subprocess

    from vaebook.runner import default_entries, run_name

    assert run_name("beta-1") == run_name("beta-1", 0) == "beta-1"
    assert run_name("beta-1", 2) == "beta-1-seed2"
    folders = {path.name.rsplit("-", 1)[0] for path in default_entries()}  # what `cache prune` keeps
    assert {"beta-1", "beta-1-seed1", "beta-1-seed2", "vae-bce"} <= folders and "vae-bce-seed1" not in folders
    ignored = subprocess.run(["git", "check-ignore", "cache/full/beta-1-seed2-0123456789abcdef/entry.json",
                              "cache/full/beta-1-0123456789abcdef/entry.json"], cwd=repo_root,
                             capture_output=True, text=True).stdout.split()
    assert ignored == ["cache/full/beta-1-seed2-0123456789abcdef/entry.json"]


def test_two_processes_train_and_cache_every_run(mnist_root, monkeypatch, tmp_path):
    from vaebook.runner import load_many

    monkeypatch.setenv("VAEBOOK_DATA", str(mnist_root))
    monkeypatch.setenv("VAEBOOK_CACHE", str(tmp_path))
    selections = [("vae-2d", None), ("beta-1", 1), ("ae", None)]
    runs = load_many(selections, device="cpu", jobs=2)
    assert [run.name for run in runs.values()] == ["vae-2d", "beta-1-seed1", "ae"]
    assert not any(run.from_cache for run in runs.values())
    assert all(run.from_cache for run in load_many(selections, device="cpu", jobs=2).values())
