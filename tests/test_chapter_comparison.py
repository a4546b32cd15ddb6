"""The decisions of the comparison chapter, on small synthetic inputs: no MNIST, no training."""

from __future__ import annotations

import pytest
import torch

from latentdigits.chapters import comparison


SCORES = {"gan": {"fid": 30.0, "confidence": 0.96}, "vae": {"fid": 200.0, "confidence": 0.85},
          "vaegan": {"fid": 300.0, "confidence": 0.90}, "ae": {"fid": 2000.0, "confidence": 0.5}}


def test_ranked_puts_the_best_first() -> None:
    assert comparison.ranked(SCORES, "fid") == ["gan", "vae", "vaegan", "ae"]
    assert comparison.ranked(SCORES, "confidence", highest_first=True) == ["gan", "vaegan", "vae", "ae"]


def test_ranked_orders_only_the_names_asked_for() -> None:
    assert comparison.ranked(SCORES, "fid", ("vaegan", "gan", "vae")) == ["gan", "vae", "vaegan"]


def test_smallest_step_is_between_neighbours_whichever_the_direction() -> None:
    assert comparison.smallest_step([40.0, 30.0, 27.5, 20.0]) == pytest.approx(2.5)
    # 1.0 and 1.5 are close but not neighbours: only neighbouring values count.
    assert comparison.smallest_step([1.0, 5.0, 1.5]) == pytest.approx(3.5)


def test_overlapping_pairs_lists_each_pair_once_in_name_order() -> None:
    ranges = {"MSE": (360.0, 370.0), "BCE": (315.0, 365.0), "L1": (265.0, 275.0)}
    assert comparison.overlapping_pairs(ranges) == [("BCE", "MSE")]


def test_ranges_that_touch_overlap_and_disjoint_ones_do_not() -> None:
    assert comparison.overlapping_pairs({"a": (0.0, 1.0), "b": (1.0, 2.0)}) == [("a", "b")]
    assert comparison.overlapping_pairs({"a": (0.0, 1.0), "b": (1.5, 2.0)}) == []


def test_range_position_includes_both_ends() -> None:
    assert comparison.range_position(103.9, 104, 106) == "below"
    assert comparison.range_position(104, 104, 106) == "inside"
    assert comparison.range_position(106, 104, 106) == "inside"
    assert comparison.range_position(106.1, 104, 106) == "above"


def test_spread_is_the_sample_standard_deviation() -> None:
    values = torch.tensor([1.0, 2.0, 3.0])
    assert comparison.mean(values) == pytest.approx(2.0)
    assert comparison.spread(values) == pytest.approx(1.0)  # n − 1 in the denominator
