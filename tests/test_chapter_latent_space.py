"""The computations behind the claims of the chapter "The latent space", on small synthetic codes."""

from __future__ import annotations

import math

import numpy as np
import pytest
import torch

from latentdigits.chapters import latent_space
from latentdigits.chapters.latent_space import (
    angle,
    cluster_quality,
    generalisation_gap,
    loss_after,
    midpoint_norms,
    printed_difference,
    prior_angle_range,
    report_ticks,
    rms_norm,
    share_inside_square,
)


def test_share_inside_square_needs_both_coordinates_inside() -> None:
    points = torch.tensor([[0.0, 0.0], [2.5, -2.5], [2.6, 0.0], [0.0, -3.0]])
    assert share_inside_square(points, 2.5) == pytest.approx(0.5)


def test_report_grid_runs_from_minus_two_and_a_half_to_two_and_a_quarter() -> None:
    ticks = report_ticks()
    assert len(ticks) == latent_space.GRID
    assert ticks[0].item() == pytest.approx(-2.5) and ticks[-1].item() == pytest.approx(2.25)
    # Not centred on the prior's mean: ten values below zero, one at zero, nine above.
    assert (ticks < 0).sum() == 10 and (ticks == 0).sum() == 1 and (ticks > 0).sum() == 9
    # Ours keeps the size and the lower edge and is symmetric about the origin.
    ours = latent_space.linear_ticks()
    assert len(ours) == len(ticks) and ours[0] == ticks[0] and torch.allclose(ours, -ours.flip(0))


def test_midpoint_norms_of_orthogonal_unit_codes() -> None:
    norms = midpoint_norms(torch.tensor([1.0, 0.0]), torch.tensor([0.0, 1.0]))
    assert norms["ends"] == pytest.approx(1.0)
    # The chord's midpoint dips to cos 45°, the great circle's stays on the unit circle.
    assert norms["linear"] == pytest.approx(math.sqrt(0.5))
    assert norms["spherical"] == pytest.approx(1.0)


def test_midpoint_norms_spherical_path_averages_unequal_norms() -> None:
    norms = midpoint_norms(torch.tensor([2.0, 0.0, 0.0]), torch.tensor([0.0, 4.0, 0.0]))
    assert norms["ends"] == pytest.approx(3.0)
    assert norms["linear"] == pytest.approx(math.sqrt(5.0))
    assert norms["spherical"] == pytest.approx(3.0)


def test_angle_ignores_the_norms() -> None:
    assert angle(torch.tensor([3.0, 0.0]), torch.tensor([0.0, 0.5])) == pytest.approx(90.0)
    assert angle(torch.tensor([1.0, 1.0]), torch.tensor([2.0, 2.0])) == pytest.approx(0.0, abs=1e-3)
    assert angle(torch.tensor([1.0, 0.0]), torch.tensor([-1.0, 0.0])) == pytest.approx(180.0)


def test_prior_angle_range_is_uniform_in_two_dimensions_and_narrows_with_more() -> None:
    # In the plane the angle between two independent directions is uniform on [0°, 180°].
    low, high = prior_angle_range(2)
    assert (low, high) == pytest.approx((4.5, 175.5), abs=1e-6)
    # In d dimensions the cosine has variance 1/d: the range closes in on 90° as d grows.
    low, high = prior_angle_range(20)
    assert low < 90 < high and high - 90 == pytest.approx(90 - low)
    assert prior_angle_range(200)[0] > low


def test_prior_angle_range_agrees_with_sampling() -> None:
    draws = torch.randn(2, 40_000, 20, generator=torch.Generator().manual_seed(0))
    angles = torch.rad2deg(torch.acos(torch.nn.functional.cosine_similarity(draws[0], draws[1], dim=1)))
    low, high = prior_angle_range(20)
    inside = ((angles >= low) & (angles <= high)).float().mean().item()
    assert inside == pytest.approx(0.95, abs=0.005)


def test_rms_norm_adds_variance_and_squared_mean() -> None:
    assert rms_norm(torch.tensor([3.0, 0.0]), torch.tensor([0.0, 16.0])) == pytest.approx(5.0)
    # Standard normal codes in 20 dimensions: sqrt(20).
    assert rms_norm(torch.zeros(20), torch.ones(20)) == pytest.approx(math.sqrt(20))


def test_loss_after_takes_the_row_of_the_same_epoch_or_the_last() -> None:
    history = {"epoch": [1, 2, 3], "test_loss": [30.0, 20.0, 10.0]}
    assert loss_after(history, 2) == (2, 20.0)
    assert loss_after(history, 10) == (3, 10.0)


def test_printed_difference_subtracts_the_numbers_as_printed() -> None:
    assert printed_difference(63.905757, 62.051361) == pytest.approx(1.86)
    assert printed_difference(63.905757, 62.051361, digits=1) == pytest.approx(1.8)


def test_generalisation_gap_and_its_standard_error() -> None:
    terms = {"train_mean": torch.tensor(10.0), "train_sd": torch.tensor(30.0), "train_n": torch.tensor(900),
             "test_mean": torch.tensor(12.0), "test_sd": torch.tensor(40.0), "test_n": torch.tensor(100)}
    gap, error = generalisation_gap(terms)
    assert gap == pytest.approx(2.0)
    assert error == pytest.approx(math.sqrt(1.0 + 16.0))


def test_cluster_quality_tells_apart_separated_from_mixed_digits() -> None:
    rng = np.random.default_rng(0)
    digits = np.repeat([0, 1], 50)
    apart = np.concatenate([rng.normal(0, 0.1, (50, 2)), rng.normal(10, 0.1, (50, 2))])
    mixed = rng.normal(0, 1, (100, 2))
    clean, muddled = cluster_quality(apart, digits), cluster_quality(mixed, digits)
    assert clean["agreement"] == 1.0 and clean["silhouette"] > 0.9
    assert muddled["agreement"] < 0.8 and abs(muddled["silhouette"]) < 0.1


def test_small_counts_are_chinese_numerals_in_the_chinese_edition() -> None:
    assert latent_space.count(3, "zh") == "三" and latent_space.count(3, "en") == "3"
    assert latent_space.count(12, "zh") == "12"
