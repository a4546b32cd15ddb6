"""The decisions of the chapter "A GAN on MNIST", on small synthetic numbers and images."""

from __future__ import annotations

import math

import pytest
import torch

from latentdigits.chapters.gan import (abstract_verdict, commonest_and_scarce, copying_verdict, effective_digits,
                                       late_trend, middle_epoch, report_means, score_snapshots)


def test_report_means_averages_each_column() -> None:
    assert report_means([(0.1, 4.0), (0.3, 3.0)]) == pytest.approx((0.2, 3.5))


def test_middle_epoch_takes_the_earlier_of_two_middles() -> None:
    assert middle_epoch(list(range(1, 51))) == 25
    assert middle_epoch([1, 2, 3]) == 1
    assert middle_epoch([1, 2]) == 1  # the quick profile's two epochs


def test_late_trend_compares_only_the_last_two_snapshots() -> None:
    assert late_trend([0.1, 0.5, 0.53]) == "up"
    assert late_trend([0.9, 0.5, 0.47]) == "down"
    assert late_trend([0.1, 0.5, 0.51]) == "flat"
    assert late_trend([1.0, 0.75], step=0.25) == "flat"  # a change of exactly the step is no change


def test_copying_verdict_by_distance_ratio() -> None:
    assert copying_verdict(0.8) == "leaning"
    assert copying_verdict(1.0) == "none"
    assert copying_verdict(1.5) == "none"
    assert copying_verdict(1.6) == "far"


def test_effective_digits_runs_from_ten_to_one() -> None:
    assert effective_digits(0.0) == pytest.approx(10.0)
    assert effective_digits(math.log(10)) == pytest.approx(1.0)


def test_commonest_and_scarce() -> None:
    shares = [0.2, 0.005, 0.2, 0.1, 0.1, 0.009, 0.1, 0.1, 0.1, 0.076]
    common, scarce = commonest_and_scarce(shares)
    assert common == 0  # the first of two equal largest shares
    assert scarce == [1, 5]
    assert commonest_and_scarce([0.1] * 10)[1] == []


def test_abstract_verdict() -> None:
    assert abstract_verdict(0.8, 0.9, sure=True) == "less_sure"
    assert abstract_verdict(0.95, 0.9, sure=True) == "sure"
    assert abstract_verdict(0.9, 0.9, sure=False) == "unsure"


class _Constant(torch.nn.Module):
    """A 'classifier' whose logits favour digit 0 by a fixed margin, whatever the image."""

    def __init__(self, margin: float) -> None:
        super().__init__()
        self.margin = margin

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        logits = torch.zeros(len(x), 10)
        logits[:, 0] = self.margin
        return logits


def test_score_snapshots_one_value_per_snapshot() -> None:
    blank = torch.zeros(4, 784)
    stripes = torch.zeros(4, 28, 28)
    stripes[:, :, ::2] = 1.0  # every pixel differs from its neighbour across, none down
    scores = score_snapshots(torch.stack([blank, stripes.reshape(4, 784)]), _Constant(math.log(9)))
    assert scores["sharpness"] == pytest.approx([0.0, 0.5])
    # Logits (log 9, 0, ..., 0): the top class gets 9 / (9 + 9) = 0.5.
    assert scores["confidence"] == pytest.approx([0.5, 0.5])
