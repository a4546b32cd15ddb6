"""The decisions of the chapter on reconstruction losses, on small made-up numbers."""

from __future__ import annotations

import math

import pytest

from latentdigits.chapters import losses


def stats(sample_intensity=0.1, sample_sharpness=0.05, recon_intensity=0.13, test_intensity=0.13):
    return {"sample_intensity": sample_intensity, "sample_sharpness": sample_sharpness,
            "recon_intensity": recon_intensity, "test_intensity": test_intensity}


def test_the_plain_sums_differ_from_the_likelihoods_by_constants():
    # σ² = 1/2 makes (784/2) log(2πσ²) = 392 log π; b = 1 makes 784 log 2.
    assert losses.gaussian_constant(0.5) == pytest.approx(392 * math.log(math.pi))
    assert losses.laplace_constant(1.0) == pytest.approx(784 * math.log(2))
    assert losses.gaussian_constant(1 / (2 * math.pi), pixels=10) == pytest.approx(0.0)
    assert losses.laplace_constant(2.0, pixels=3) == pytest.approx(3 * math.log(4))


def test_at_epoch_reads_the_history_after_that_epoch():
    history = {"test_loss": [9.0, 8.0, 7.0], "test_recon": [6.0, 5.0, 4.0], "test_kl": [1.0, 2.0, 3.0]}
    assert losses.at_epoch(history, 2) == {"test_loss": 8.0, "test_recon": 5.0, "test_kl": 2.0}


def test_sharper_count_ignores_differences_within_one_percent():
    s = {"l1": stats(sample_sharpness=0.100), "a": stats(sample_sharpness=0.0995),
         "b": stats(sample_sharpness=0.090), "c": stats(sample_sharpness=0.120)}
    assert losses.sharper_count(s, "l1", ("a", "b")) == 1
    assert losses.sharper_count(s, "l1", ("b",)) == 1
    assert losses.sharper_count(s, "l1", ("a", "c")) == 0


def test_edges_per_ink_divides_sharpness_by_intensity():
    s = {"x": stats(sample_intensity=0.2, sample_sharpness=0.1), "y": stats(sample_intensity=0.1, sample_sharpness=0.1)}
    assert losses.edges_per_ink(s) == pytest.approx({"x": 0.5, "y": 1.0})


def test_lowest_and_highest_are_strict():
    values = {"a": 1.0, "b": 2.0, "c": 3.0}
    assert losses.lowest(values, "a") and not losses.lowest(values, "b")
    assert losses.highest(values, "c") and not losses.highest(values, "b")
    tied = {"a": 1.0, "b": 1.0}
    assert not losses.lowest(tied, "a") and not losses.highest(tied, "a")


def test_keeps_ink_within_one_percent_of_the_digits():
    assert losses.keeps_ink([stats(recon_intensity=0.1325, test_intensity=0.133),
                             stats(recon_intensity=0.134, test_intensity=0.133)])
    assert not losses.keeps_ink([stats(recon_intensity=0.133, test_intensity=0.133),
                                 stats(recon_intensity=0.125, test_intensity=0.133)])


def test_per_pixel_rms_undoes_the_sum_over_pixels():
    assert losses.per_pixel_rms(784 * 0.25) == pytest.approx(0.5)
    assert losses.per_pixel_rms(8.0, pixels=2) == pytest.approx(2.0)


@pytest.mark.parametrize("table", [losses.KL_AMOUNT, losses.KL_AMOUNT_THAN, losses.RECON_ERROR, losses.CONV_STANDING,
                                   losses.MSE_INK, losses.MSE_SHARPNESS, losses.SHARPNESS, losses.L1_RANKING])
def test_three_way_phrases_exist_in_both_languages(table):
    assert set(table) == {"en", "zh"} and all(len(phrases) == 3 for phrases in table.values())


def test_the_sentence_on_the_conv_vae_never_ends_in_nothing():
    # Quarto shows an inline expression whose value is empty as its source.
    assert all(phrase for phrases in losses.CONV_LOOK.values() for phrase in phrases)


def test_the_distance_to_an_image_adds_the_samples_spread_to_their_mean_offset():
    import torch

    samples = torch.rand(500, 784, generator=torch.Generator().manual_seed(0))
    target = torch.full((784,), 0.2)
    moments = {"sample_mean": samples.mean(0), "sample_std": samples.std(0, correction=0)}
    direct = (samples - target).square().mean().item()
    assert losses.squared_distance_to(moments, target) == pytest.approx(direct, rel=1e-4)


def test_the_same_order_in_every_seed_needs_the_best_model_lowest_in_each():
    import torch

    fids = {"bce": torch.tensor([200.0, 210.0]), "l1": torch.tensor([150.0, 160.0])}
    assert losses.same_order_every_seed(fids, "l1")
    fids["l1"] = torch.tensor([150.0, 220.0])
    assert not losses.same_order_every_seed(fids, "l1")
