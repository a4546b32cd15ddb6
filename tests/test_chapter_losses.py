"""The reconstruction-loss chapter's measures and the statistics its checks (and the β-VAE
chapter's) rest on, on small made-up numbers: no MNIST, no training."""

from __future__ import annotations

import math
import statistics

import pytest

from latentdigits.chapters import losses


def test_the_plain_sums_differ_from_the_likelihoods_by_constants():
    # σ² = 1/2 makes (784/2) log(2πσ²) = 392 log π; b = 1 makes 784 log 2.
    assert losses.gaussian_constant(0.5) == pytest.approx(392 * math.log(math.pi))
    assert losses.laplace_constant(1.0) == pytest.approx(784 * math.log(2))
    assert losses.gaussian_constant(1 / (2 * math.pi), pixels=10) == pytest.approx(0.0)
    assert losses.laplace_constant(2.0, pixels=3) == pytest.approx(3 * math.log(4))


def test_per_pixel_rms_undoes_the_sum_over_pixels():
    assert losses.per_pixel_rms(784 * 0.25) == pytest.approx(0.5)
    assert losses.per_pixel_rms(8.0, pixels=2) == pytest.approx(2.0)


def test_edges_per_ink_divides_sharpness_by_intensity():
    stats = {"x": {"sample_intensity": 0.2, "sample_sharpness": 0.1},
             "y": {"sample_intensity": 0.1, "sample_sharpness": 0.1}}
    assert losses.edges_per_ink(stats) == pytest.approx({"x": 0.5, "y": 1.0})


def test_the_distance_to_an_image_adds_the_samples_spread_to_their_mean_offset():
    import torch

    samples = torch.rand(500, 784, generator=torch.Generator().manual_seed(0))
    target = torch.full((784,), 0.2)
    moments = {"sample_mean": samples.mean(0), "sample_std": samples.std(0, correction=0)}
    direct = (samples - target).square().mean().item()
    assert losses.squared_distance_to(moments, target) == pytest.approx(direct, rel=1e-4)


def test_a_gap_is_the_difference_of_the_printed_values():
    # 692.44 and 624.86 print as 692.4 and 624.9, so the printed gap is 67.5, not 67.58 -> 67.6.
    assert losses.rounded_gap(692.44, 624.86) == pytest.approx(67.5)


def test_numbers_never_read_minus_zero():
    assert losses.shown(-0.0004, 3) == "0.000" and losses.shown(-0.0006, 3) == "-0.001"
    assert losses.mean_sd([1.0, 1.0, 1.0]) == "1.00 ± 0.00"


@pytest.mark.parametrize(("n", "en", "zh"), [(2, "two", "两"), (3, "three", "三"), (5, "five", "五"), (12, "12", "12")])
def test_small_counts_are_words_in_both_languages(n, en, zh):
    assert losses.small_count(n, "en") == en and losses.small_count(n, "zh") == zh


def test_the_prediction_interval_widens_with_the_spread_and_the_fewness_of_seeds():
    low, high = losses.prediction_interval([1.0, 2.0, 3.0])
    # mean 2, sd 1, t(0.975, 2) = 4.303, √(1 + 1/3)
    assert (high - low) / 2 == pytest.approx(4.303 * math.sqrt(4 / 3), rel=1e-3)
    five = losses.prediction_interval([1.5, 2.0, 2.0, 2.5, 2.0])
    assert five[1] - five[0] < high - low


def test_the_relative_spread_is_the_most_variable_models():
    spread = losses.relative_spread([[10.0, 10.0, 10.0], [100.0, 110.0, 90.0]])
    assert spread == pytest.approx(10 / 100)


def test_two_single_runs_need_a_gap_beyond_the_borrowed_spread():
    margin = losses.one_run_margin(100.0, 90.0, spread=0.01, seeds=3)
    assert margin == pytest.approx(4.303 * math.sqrt(2) * 0.01 * 100, rel=1e-3)
    assert losses.one_run_steps({"a": 100.0, "b": 90.0}, "falls", [[1.0, 1.01, 0.99]]).holds
    assert not losses.one_run_steps({"a": 100.0, "b": 99.0}, "falls", [[1.0, 1.01, 0.99]]).holds
    # Every step must pass: a rise, then a step within the noise.
    assert not losses.one_run_steps({"a": 1.0, "b": 2.0, "c": 2.001}, "rises", [[1.0, 1.01, 0.99]]).holds


def test_a_trend_over_seeds_needs_every_step_significant_and_in_its_direction():
    clear = {"a": [10.0, 10.1, 9.9], "b": [8.0, 8.1, 7.9], "c": [6.0, 6.1, 5.9]}
    assert losses.steps_over_seeds(clear, "falls").holds
    assert not losses.steps_over_seeds(clear, "rises").holds
    # The means fall at every step, but the last step is lost in the seeds' spread.
    noisy = dict(clear, c=[9.0, 5.0, 7.5])
    assert statistics.fmean(noisy["c"]) < statistics.fmean(noisy["b"])
    evidence = losses.steps_over_seeds(noisy, "falls")
    assert not evidence.holds and "≈" in evidence.numbers


def test_one_run_against_seeds_lands_below_above_or_inside_their_interval():
    seeds = ("m", [10.0, 10.2, 9.8])
    assert losses.outside_seeds(("x", 5.0), seeds, "below").holds
    assert losses.outside_seeds(("x", 15.0), seeds, "above").holds
    assert losses.outside_seeds(("x", 10.1), seeds, "inside").holds
    assert not losses.outside_seeds(("x", 10.1), seeds, "below").holds
