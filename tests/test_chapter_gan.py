"""The reasoning of the chapter "A GAN on MNIST", on small synthetic numbers and images: the
nearest-training-digit search behind the memorisation check, and the rules its claims apply."""

from __future__ import annotations

import math

import pytest
import torch

from latentdigits.chapters.gan import (
    beyond_seeds,
    effective_digits,
    middle_epoch,
    missing_digits,
    nearest_training,
    report_means,
    rises_beyond_error,
    share_below,
    standard_error,
)


def test_report_means_averages_each_column() -> None:
    assert report_means([(0.1, 4.0), (0.3, 3.0)]) == pytest.approx((0.2, 3.5))


def test_middle_epoch_takes_the_earlier_of_two_middles() -> None:
    assert middle_epoch(list(range(1, 51))) == 25
    assert middle_epoch([1, 2, 3]) == 1
    assert middle_epoch([1, 2]) == 1  # the quick profile's two epochs


def test_effective_digits_runs_from_ten_to_one() -> None:
    assert effective_digits(0.0) == pytest.approx(10.0)
    assert effective_digits(math.log(10)) == pytest.approx(1.0)


def test_nearest_training_finds_each_images_neighbour_across_chunks() -> None:
    generator = torch.Generator().manual_seed(0)
    train = torch.rand(95, 784, generator=generator)
    picked = torch.tensor([3, 94, 40, 41, 0, 77, 12])
    shift = 0.01 * torch.randn(len(picked), 784, generator=generator)
    # Chunks of 2 images against blocks of 20 training images: every boundary is crossed.
    distance, index = nearest_training(train[picked] + shift, train, chunk=2)
    assert index.tolist() == picked.tolist()
    assert distance == pytest.approx(shift.norm(dim=1), rel=1e-3)


def test_an_exact_copy_sits_at_distance_zero() -> None:
    train = torch.eye(4, 784)
    distance, index = nearest_training(train[[2]], train)
    assert index.item() == 2 and distance.item() == pytest.approx(0.0, abs=1e-3)


def test_missing_digits_are_those_with_no_image() -> None:
    assert missing_digits([0.2, 0.0, 0.3, 0.0, 0.5, 0, 0, 0, 0, 0.0]) == [1, 3, 5, 6, 7, 8, 9]
    assert missing_digits([0.1] * 10) == []


def test_share_below_is_strict() -> None:
    assert share_below(torch.tensor([1.0, 2.0, 3.0, 4.0]), 3.0) == pytest.approx(0.5)


def test_standard_error_of_a_mean() -> None:
    assert standard_error(torch.tensor([1.0, 3.0] * 8)) == pytest.approx(math.sqrt(16 / 15) / 4)


@pytest.mark.parametrize("means, errors, rises", [
    ([0.5, 0.7, 0.9], [0.05, 0.05, 0.0], True),  # each step 0.2 > 2 x 0.05
    ([0.5, 0.58, 0.9], [0.05, 0.05, 0.0], False),  # the first step is within two errors
    ([0.5, 0.7, 0.65], [0.01, 0.01, 0.0], False),  # a fall is no rise
    ([0.5, 0.7, 0.75], [0.01, 0.03, 0.0], False),  # the larger error of a pair counts
])
def test_a_rise_counts_only_beyond_the_sampling_error(means, errors, rises) -> None:
    assert rises_beyond_error(means, errors) is rises


def test_one_run_each_is_compared_against_what_seeds_do() -> None:
    seeds = ("beta-1", [316.2, 341.9, 331.0])  # a range of 25.7
    assert beyond_seeds(("gan", 27.6), ("vae-bce", 206.2), seeds).holds
    assert not beyond_seeds(("a", 300.0), ("b", 320.0), seeds).holds  # a gap a change of seed could make
    assert not beyond_seeds(("a", 206.2), ("b", 27.6), seeds).holds  # the wrong way round
    higher = beyond_seeds(("gan", 0.963), ("vae-bce", 0.849), ("beta-1", [0.809, 0.821]), lower=False, digits=3)
    assert higher.holds and "0.963 > vae-bce: 0.849" in higher.numbers and "(n = 2)" in higher.numbers
