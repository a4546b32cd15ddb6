import json
import re
import subprocess
import sys

import pytest

from latentdigits.cli import main
from latentdigits.experiments import EXPERIMENTS


def _error_line(capsys):
    captured = capsys.readouterr()
    lines = captured.err.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in captured.err, captured.err
    return lines[0]


@pytest.mark.parametrize(
    "argv, expected",
    [
        (["train", "nope"], "invalid choice: 'nope' (choose from 'vae-bce', 'vae-mse', 'vae-l1', 'conv-vae'"),
        (["show", "beta-9"], "invalid choice: 'beta-9' (choose from 'vae-bce',"),
        (["show", "vae-bce", "--profile", "huge"], "invalid choice: 'huge' (choose from 'full', 'quick')"),
        (["train", "vae-bce", "--device", "tpu"], "invalid choice: 'tpu' (choose from 'cpu', 'cuda')"),
        (["train", "vae-bce", "--epochs", "0"], "--epochs: 0 is less than 1"),
        (["train", "vae-bce", "--epochs", "ten"], "--epochs: 'ten' is not an integer"),
        (["train", "vae-bce", "--seed", "-1"], "--seed: -1 is less than 0"),
        (["train", "vae-bce", "--seed", "18446744073709551616"], "--seed: 18446744073709551616 is more than"),
        (["train", "vae-bce", "--epochs", str(10**30)], "is more than 100,000"),
        (["train", "vae-bce", "--jobs", "0"], "--jobs: 0 is less than 1"),
        (["cache", "shrink"], "invalid choice: 'shrink' (choose from 'verify', 'prune')"),
    ],
)
def test_bad_arguments_are_one_line_with_exit_status_2(argv, expected, capsys):
    with pytest.raises(SystemExit) as exit_:
        main(argv)
    assert exit_.value.code == 2
    line = _error_line(capsys)
    assert line.startswith("vaebook: error:") and expected in line


def test_a_bad_profile_variable_is_one_line(monkeypatch, capsys):
    monkeypatch.setenv("VAEBOOK_PROFILE", "fast")
    assert main(["list"]) == 2
    assert _error_line(capsys) == "vaebook: error: VAEBOOK_PROFILE='fast' is not a profile; choose one of full, quick"


def test_cuda_when_absent_is_one_line_whether_or_not_it_would_train(use_tiny_data, monkeypatch, capsys):
    monkeypatch.setattr("torch.cuda.is_available", lambda: False)
    assert main(["train", "vae-bce", "--device", "cuda"]) == 2  # nothing cached: it would train
    assert "no CUDA device is available; use --device cpu" in _error_line(capsys)
    assert main(["train", "vae-bce", "--device", "cpu"]) == 0
    capsys.readouterr()
    assert main(["train", "vae-bce", "--device", "cuda"]) == 2  # cached: the same error
    assert "no CUDA device is available; use --device cpu" in _error_line(capsys)


def test_a_bad_profile_variable_stops_verify_too(monkeypatch, capsys):
    monkeypatch.setenv("VAEBOOK_PROFILE", "fast")
    assert main(["cache", "verify"]) == 2
    assert "VAEBOOK_PROFILE='fast' is not a profile" in _error_line(capsys)


def test_show_of_an_uncached_run_says_how_to_train_it(use_tiny_data, capsys):
    assert main(["show", "vae-bce", "--seed", "3"]) == 2
    assert _error_line(capsys).endswith("run: vaebook train vae-bce --seed 3")


def test_train_then_show_then_list(use_tiny_data, capsys):
    assert main(["list"]) == 0
    assert re.search(r"^vae-bce +missing", capsys.readouterr().out, re.MULTILINE)
    assert main(["train", "vae-bce"]) == 0
    trained = capsys.readouterr().out.strip()
    assert trained.startswith("vae-bce (quick profile, seed 0, 2 epochs): test loss") and "trained on cpu" in trained
    assert main(["train", "vae-bce"]) == 0
    assert "from the cache in" in capsys.readouterr().out
    assert main(["show", "vae-bce", "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert {"name", "config", "history", "metrics", "meta"} <= report.keys()
    assert set(report["history"]) == {"epoch", "train_loss", "train_recon", "train_kl", "test_loss", "test_recon",
                                      "test_kl"}
    assert {"device", "torch", "torchvision", "train_seconds"} <= report["meta"].keys()
    assert report["config"]["recon_loss"] == "bce" and report["config"]["epochs"] == 2
    assert {"test_loss", "iwae", "iwae_samples", "fid", "coverage_kl", "recon_mse"} <= report["metrics"].keys()
    assert main(["list"]) == 0
    assert re.search(r"^vae-bce +cached", capsys.readouterr().out, re.MULTILINE)


def test_times_lists_cached_models_and_the_total(use_tiny_data, capsys):
    main(["train", "vae-bce"])
    capsys.readouterr()
    assert main(["times"]) == 0
    out = capsys.readouterr().out
    assert re.search(r"^vae-mse +not cached", out, re.MULTILINE)
    assert f"for 1 of {len(EXPERIMENTS)} experiments" in out
    assert any(line.startswith("vae-bce") and " s " in line for line in out.splitlines())


def test_train_several_trains_a_sweep_together(use_tiny_data, capsys):
    assert main(["train", "beta-0.5", "beta-2", "vae-2d"]) == 0
    lines = capsys.readouterr().out.strip().splitlines()
    assert sorted(line.split(" ")[0] for line in lines) == ["beta-0.5", "beta-2", "vae-2d"]
    assert main(["show", "beta-2", "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["meta"]["trained_with"] == ["beta-0.5", "beta-2"] and report["config"]["beta"] == 2.0
    assert main(["train", "beta-0.5", "beta-2"]) == 0
    assert capsys.readouterr().out.count("from the cache") == 2


def test_evaluate_scores_a_gan_and_the_classifier(use_tiny_data, capsys):
    assert main(["evaluate", "gan"]) == 2
    assert _error_line(capsys).endswith("run: vaebook train gan")
    assert main(["train", "gan", "classifier"]) == 0
    lines = capsys.readouterr().out.strip().splitlines()
    assert lines[0].startswith("gan (quick profile") and "mean D(G(z))" in lines[0]
    assert lines[1].startswith("classifier (quick profile") and "test accuracy" in lines[1]
    assert main(["evaluate", "gan", "--json"]) == 0
    report = json.loads(capsys.readouterr().out)["evaluation"]
    assert {"fid", "confidence", "coverage_kl"} <= report.keys() and len(report["class_shares"]) == 10
    assert main(["evaluate", "classifier"]) == 0
    out = capsys.readouterr().out
    assert "shares of the test digits" in out and "fid_floor" in out and "test_accuracy" in out
    assert main(["show", "classifier", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["metrics"]["test_accuracy"] > 0


def test_a_closed_pipe_is_not_an_error(monkeypatch, tmp_path):
    """`vaebook list | head -1`: the reader has gone, so writing raises BrokenPipeError."""

    class ClosedPipe:
        def __init__(self):
            self.file = open(tmp_path / "out", "w")

        def write(self, text):
            raise BrokenPipeError(32, "Broken pipe")

        def fileno(self):
            return self.file.fileno()

        def flush(self):
            pass

    monkeypatch.setattr("sys.stdout", ClosedPipe())
    assert main(["list", "--profile", "quick"]) == 0


def test_listing_and_verifying_the_cache_import_no_torch(repo_root):
    """Keys and records need only the configurations: `vaebook list` and `vaebook cache verify`
    answer at once, without PyTorch's seconds of import."""
    check = ("import sys; from latentdigits.cli import main; main(['list']); main(['cache', 'verify']); "
             "assert 'torch' not in sys.modules, 'torch was imported'")
    done = subprocess.run([sys.executable, "-c", check], cwd=repo_root, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
