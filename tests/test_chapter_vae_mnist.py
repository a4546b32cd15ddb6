"""The computations of the chapter "A VAE on MNIST", on small synthetic inputs: the report's log
set beside a run, the anchor from PyTorch's example, and the prediction interval it is judged by."""

from __future__ import annotations

import json
import statistics

import pytest

from latentdigits.chapters.vae_mnist import largest_gap, log_gaps, prediction_interval, pytorch_example, rounded_history
from latentdigits.reports import REPORT_002_TRAIN_LOG


def test_the_report_log_holds_every_epoch_and_adds_up():
    assert sorted(REPORT_002_TRAIN_LOG) == list(range(1, 101))
    for loss, recon, kl in REPORT_002_TRAIN_LOG.values():
        assert loss == pytest.approx(recon + kl, abs=0.011)  # each printed to 0.01


def test_gaps_are_taken_from_the_values_as_shown():
    history = {"epoch": [1, 2], "train_loss": [10.004, 8.996], "train_recon": [7.0, 6.0], "train_kl": [3.004, 2.996]}
    ours = rounded_history(history)
    assert ours == {1: (10.0, 7.0, 3.0), 2: (9.0, 6.0, 3.0)}
    gaps = log_gaps(ours, {1: (10.5, 7.25, 3.25), 2: (9.0, 5.5, 3.5), 3: (8.0, 5.0, 3.0)})
    assert gaps == {1: (-0.5, -0.25, -0.25), 2: (0.0, 0.5, -0.5)}  # epoch 3 is not in the run


def test_largest_gap_is_by_size_and_can_skip_the_first_epochs():
    gaps = {1: (-0.74, 0, 0), 2: (0.09, 0, 0), 3: (-0.15, 0, 0), 4: (0.14, 0, 0)}
    assert largest_gap(gaps) == (1, -0.74)
    assert largest_gap(gaps, after=1) == (3, -0.15)
    assert largest_gap({1: (0, 0.2, -0.3)}, column=2) == (1, -0.3)


def test_the_prediction_interval_is_wider_than_the_seeds_spread():
    seeds = [105.84, 105.53, 105.85]
    low, high = prediction_interval(seeds)
    mean = statistics.fmean(seeds)
    assert low < min(seeds) and high > max(seeds)
    assert mean - low == pytest.approx(high - mean)
    # Student's t with two degrees of freedom (4.303), sd times sqrt(1 + 1/3).
    assert high - mean == pytest.approx(4.303 * statistics.stdev(seeds) * (4 / 3) ** 0.5, rel=1e-3)
    assert prediction_interval(seeds, level=0.5)[1] < high


def test_pytorch_example_reads_the_bench_result_and_refuses_a_bad_one(tmp_path):
    good = tmp_path / "good.json"
    good.write_text(json.dumps({"epochs": 2, "test_loss": [120.0, 110.0]}))
    assert pytorch_example(good)["test_loss"][-1] == 110.0
    with pytest.raises(FileNotFoundError, match="course_loop.py"):
        pytorch_example(tmp_path / "missing.json")
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps({"epochs": 10, "test_loss": [120.0]}))
    with pytest.raises(ValueError, match="one value per epoch"):
        pytorch_example(bad)
