"""The decisions of the β-VAE chapter, on small synthetic inputs: no MNIST, no training."""

from __future__ import annotations

import math

import pytest
import torch
from vaebook.metrics import rate_distortion_slopes

from latentdigits.chapters import beta_vae


def test_steps_along_the_sweep() -> None:
    assert beta_vae.rises_at_every_step([1.0, 2.0, 3.5])
    assert not beta_vae.rises_at_every_step([1.0, 3.0, 2.0])
    assert not beta_vae.rises_at_every_step([1.0, 1.0])
    assert beta_vae.falls_at_every_step(value for value in (3, 2, 1))  # generators are read once
    assert not beta_vae.falls_at_every_step([3, 3, 1])
    assert beta_vae.never_rises([20, 20, 18, 10])
    assert not beta_vae.never_rises([20, 18, 19])


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


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_favour_verdict_for_none_some_and_all(lang: str) -> None:
    none, one, two, every = (beta_vae.favour_verdict(count, lang) for count in range(4))
    assert none == beta_vae.FAVOUR[lang][0] and every == beta_vae.FAVOUR[lang][3]
    assert one.startswith(("One of", "三项图像指标中有 1 项")) and two.startswith(("Two of", "三项图像指标中有 2 项"))


def test_favour_verdict_agrees_in_number_in_english() -> None:
    assert "One of the three image measures favours β = 2" in beta_vae.favour_verdict(1, "en")
    assert "Two of the three image measures favour β = 2" in beta_vae.favour_verdict(2, "en")


def test_degrees() -> None:
    assert [beta_vae.degrees(v) for v in (26.4, -21.3, 0.2)] == ["+26°", "-21°", "+0°"]


def test_a_count_never_reads_n_of_n() -> None:
    from latentdigits.text import tally

    phrases = beta_vae.CHORD_COUNT["en"]
    assert tally(6, 6, *phrases) == "all 6 chords do"
    assert tally(0, 6, *phrases) == "none of the 6 chords does"
    assert tally(4, 6, *phrases) == "4 of the 6 chords do"


def test_the_active_traversed_dimensions_are_said_once_when_equal() -> None:
    assert beta_vae.shown_active_phrase(5, 5, 5, "en") == "all of them are active in both models"
    assert beta_vae.shown_active_phrase(3, 3, 5, "en") == "3 of them are active in each model"
    assert beta_vae.shown_active_phrase(5, 2, 5, "en") == "5 of them are active at β = 1 and 2 at β = 4"
