"""The decisions of the chapter "The latent space", on small synthetic codes."""

from __future__ import annotations

import math

import pytest
import torch

from latentdigits.chapters.latent_space import loss_after, midpoint_norms, rms_norm, share_inside_square


def test_share_inside_square_needs_both_coordinates_inside() -> None:
    points = torch.tensor([[0.0, 0.0], [2.5, -2.5], [2.6, 0.0], [0.0, -3.0]])
    assert share_inside_square(points, 2.5) == pytest.approx(0.5)


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


def test_rms_norm_adds_variance_and_squared_mean() -> None:
    assert rms_norm(torch.tensor([3.0, 0.0]), torch.tensor([0.0, 16.0])) == pytest.approx(5.0)
    # Standard normal codes in 20 dimensions: sqrt(20).
    assert rms_norm(torch.zeros(20), torch.ones(20)) == pytest.approx(math.sqrt(20))


def test_loss_after_takes_the_row_of_the_same_epoch_or_the_last() -> None:
    history = {"epoch": [1, 2, 3], "test_loss": [30.0, 20.0, 10.0]}
    assert loss_after(history, 2) == (2, 20.0)
    assert loss_after(history, 10) == (3, 10.0)
