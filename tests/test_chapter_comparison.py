"""The decisions of the comparison chapter, on small synthetic inputs: no MNIST, no training."""

from __future__ import annotations

import pytest
import torch

from latentdigits.chapters import comparison
from latentdigits.experiments import get_experiment


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


def test_seeds_span_a_score_between_their_lowest_and_highest_ends_included() -> None:
    seeds = torch.tensor([316.2, 341.9, 331.0], dtype=torch.float64)
    assert comparison.spanned_by_seeds(316.2, seeds) and comparison.spanned_by_seeds(330.0, seeds)
    assert not comparison.spanned_by_seeds(316.1, seeds) and not comparison.spanned_by_seeds(342.0, seeds)


def test_chance_reading_splits_the_measures_the_seeds_span() -> None:
    seeds = {"fid": torch.tensor([316.2, 341.9]), "confidence": torch.tensor([0.81, 0.82]),
             "coverage_kl": torch.tensor([0.05, 0.06])}
    # The VAE-GAN's scores of the book: FID and confidence inside beta-1's seeds, coverage outside.
    assert comparison.chance_reading({"fid": 316.35, "confidence": 0.817, "coverage_kl": 0.146}, seeds) == (
        0, ["fid", "confidence"], ["coverage_kl"])
    assert comparison.chance_reading({"fid": 320.0, "confidence": 0.815, "coverage_kl": 0.055}, seeds)[0] == 1
    assert comparison.chance_reading({"fid": 200.0, "confidence": 0.9, "coverage_kl": 0.5}, seeds)[0] == 2


def test_seed_range_gives_the_lowest_and_highest_seed() -> None:
    assert comparison.seed_range(torch.tensor([341.88, 316.2, 331.0])) == "316.20–341.88"
    assert comparison.seed_range(torch.tensor([0.8161, 0.8092]), 3) == "0.809–0.816"


def test_every_model_in_a_listing_carries_its_epochs() -> None:
    epochs = {"gan": 50, "vaegan": 10}
    assert comparison.with_epochs(["gan", "vaegan"], epochs, "en") == ["gan (50 epochs)", "vaegan (10 epochs)"]
    assert comparison.with_epochs(["gan"], epochs, "zh") == ["gan（50 轮）"]


def test_the_vae_gan_is_compared_with_a_vae_trained_as_long() -> None:
    matched, vaegan = get_experiment(comparison.MATCHED_VAE).config, get_experiment("vaegan").config
    assert matched.epochs == vaegan.epochs
    assert (matched.hidden_dim, matched.latent_dim, matched.batch_size) == (vaegan.hidden_dim, vaegan.latent_dim,
                                                                              vaegan.batch_size)
    assert (matched.recon_loss, matched.beta) == (get_experiment("vae-bce").config.recon_loss, 1.0)
