"""The measures behind the β-VAE chapter's checks, on small synthetic inputs: no MNIST, no training."""

from __future__ import annotations

import math

import pytest
import torch

from latentdigits.chapters import beta_vae
from vaebook.metrics import rate_distortion_slopes


def test_chords_on_slope_count_the_chords_between_their_ends_prices() -> None:
    # Inside, outside (too steep), and exactly on the steeper bound.
    slopes = [(0.25, 0.5, -0.3), (0.5, 1.0, -2.0), (1.0, 2.0, -2.0)]
    assert beta_vae.chords_on_slope(slopes) == 2


def test_every_chord_of_a_sweep_at_its_optima_is_on_slope() -> None:
    # On the convex curve D = 1/R the slope -1/R² equals -β at R = β^(-1/2).
    points = {beta: (beta ** -0.5, beta ** 0.5) for beta in (0.25, 0.5, 1, 2, 8)}
    slopes = rate_distortion_slopes(points)
    assert beta_vae.chords_on_slope(slopes) == len(slopes) == 4
    # A model that stopped short (more distortion than its optimum) breaks its chords.
    points[1] = (1.0, 1.5)
    assert beta_vae.chords_on_slope(rate_distortion_slopes(points)) < 4


def test_the_sweep_is_split_into_one_set_of_points_per_seed() -> None:
    kl = {"beta-1": [3.0, 3.1], "beta-2": [2.0, 2.2]}
    recon = {"beta-1": [10.0, 10.5], "beta-2": [12.0, 12.5]}
    points = beta_vae.per_seed_points(kl, recon, {"beta-1": 1.0, "beta-2": 2.0})
    assert points == [{1.0: (3.0, 10.0), 2.0: (2.0, 12.0)}, {1.0: (3.1, 10.5), 2.0: (2.2, 12.5)}]


def test_the_cost_of_the_active_code_counts_only_models_with_an_inactive_dimension() -> None:
    costs = {"all-active": {"inactive": 0.0, "full_bce": 70.0, "active_bce": 70.0},
             "some-off": {"inactive": 4.0, "full_bce": 100.0, "active_bce": 100.5}}
    assert beta_vae.code_cost_shares(costs) == {"some-off": pytest.approx(0.005)}


def test_top_share() -> None:
    assert beta_vae.top_share(torch.tensor([1.0, 4.0, 2.0, 3.0]), 3) == pytest.approx(0.9)
    assert beta_vae.top_share(torch.tensor([5.0, 0.0]), 1) == pytest.approx(1.0)


def test_tilt_row_takes_the_largest_change_either_way() -> None:
    slant = torch.tensor([[0.0, 5.0, 10.0], [0.0, -1.0, -30.0], [2.0, 40.0, 2.0]])
    assert beta_vae.tilt_row(slant) == 1  # the middle of a row does not count


def test_ink_row_compares_ratios_not_differences() -> None:
    ink = torch.tensor([[0.5, 0.7], [0.05, 0.15], [0.3, 0.1]])
    assert beta_vae.ink_row(ink) == 1
    # A fall counts by its ratio as a rise does: 0.4 to 0.09 beats 0.1 to 0.2.
    assert beta_vae.ink_row(torch.tensor([[0.1, 0.2], [0.4, 0.09]])) == 1


def line(slope: float, intensity: float) -> torch.Tensor:
    """A 20-pixel stroke, one pixel per image row, leaning right by `slope` columns per row."""
    image = torch.zeros(28, 28)
    for row in range(4, 24):
        image[row, 14 + round(slope * (13.5 - row))] = intensity
    return image.flatten()


def test_stroke_changes_name_the_dimensions_as_drawn_with_their_ends() -> None:
    # Row 0 (dimension 7) tilts an upright stroke; row 1 (dimension 2) inks it five times as much.
    images = torch.stack([torch.stack([line(0, 1), line(0.5, 1)]), torch.stack([line(0, 0.2), line(0, 1)])])
    changes = beta_vae.stroke_changes(images, [7, 2])
    assert (changes.tilt_dim, changes.ink_dim) == (8, 3)
    assert changes.tilt_ends[0] == pytest.approx(0, abs=1e-3)
    assert changes.tilt_ends[1] == pytest.approx(math.degrees(math.atan(0.5)), abs=2)
    assert changes.ink_ends == pytest.approx([0.2 * 20 / 784, 20 / 784])


def test_degrees_have_a_typeset_minus_and_no_signed_zero() -> None:
    assert [beta_vae.degrees(v) for v in (26.4, -21.3, 0.2, -0.4)] == ["+26°", "−21°", "0°", "0°"]


def test_report_001s_log_is_the_objective_it_prints() -> None:
    # Its train loss is the reconstruction term plus β times the KL, to the printed digits.
    for loss, kl, recon in beta_vae.REPORT_001_LOG.values():
        assert loss == pytest.approx(recon + beta_vae.REPORT_001_BETA * kl, abs=0.01)
