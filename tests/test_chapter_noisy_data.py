"""The noisy-data chapter's computations, on small synthetic scores and runs."""

from __future__ import annotations

import math
from types import SimpleNamespace

import pytest
import torch

from latentdigits.chapters import noisy_data
from latentdigits.experiments import get_experiment
from vaebook.config import VAEConfig

RATES = (0.1, 0.5)


def score(value: float, examples: float = 0.0) -> dict:
    """A stand-in for measure.denoising: the model scores `value`, doing nothing `value - 1`."""
    return {"psnr": torch.tensor(value), "mse": torch.tensor(10 * value), "input_psnr": torch.tensor(value - 1),
            "input_mse": torch.tensor(10 * value - 10), "examples": torch.full((10, 784), examples),
            "example_inputs": torch.full((10, 784), examples + 0.5)}


SCORES = {"noise-0.1": score(20, 0.1), "denoise-0.1": score(21, 0.2),
          "noise-0.5": score(12, 0.3), "denoise-0.5": score(15, 0.4)}
# Listed out of order: the curves must still ascend by rate.
BASELINE = {0.5: score(11, 0.6), 0.1: score(22, 0.5)}


def test_denoising_curves_give_one_value_per_rate_in_ascending_order():
    curves = noisy_data.denoising_curves(SCORES, BASELINE, "psnr")
    assert curves == {"corrupted_input": [19.0, 11.0], "noisy_trained": [20.0, 12.0],
                      "denoising": [21.0, 15.0], "clean_trained": [22.0, 11.0]}
    assert noisy_data.denoising_curves(SCORES, BASELINE, "mse")["corrupted_input"] == [190.0, 110.0]


def test_denoising_examples_take_each_models_probe_digits_at_one_rate():
    examples = noisy_data.denoising_examples(SCORES, BASELINE, 0.5)
    assert list(examples) == ["corrupted_input", "noisy_trained", "denoising", "clean_trained"]
    assert [row[0, 0].item() for row in examples.values()] == pytest.approx([0.8, 0.3, 0.4, 0.6])


def sweep_run(rate: float, test_loss: float) -> SimpleNamespace:
    return SimpleNamespace(config=SimpleNamespace(noise_rate=rate), metrics={"test_loss": test_loss})


def test_noise_sweep_column_orders_rates_and_splits_the_two_kinds():
    sweep = {"denoise-0.5": sweep_run(0.5, 4), "noise-0.5": sweep_run(0.5, 3),
             "noise-0.1": sweep_run(0.1, 1), "denoise-0.1": sweep_run(0.1, 2)}
    assert noisy_data.noise_sweep_column(sweep, "test_loss") == {"noisy_trained": [1, 3], "denoising": [2, 4]}


CURVES = {"noisy_trained": [20.0, 18.0, 9.0], "denoising": [19.0, 18.0, 12.0], "clean_trained": [21.0, 17.0, 8.0]}


def test_best_reconstruction_ignores_the_corrupted_input():
    curves = CURVES | {"corrupted_input": [30.0, 1.0, 1.0]}
    assert noisy_data.best_reconstruction(curves, 0) == 21.0


def test_denoising_best_count_counts_ties_as_best():
    # Behind vae-bce at the first rate, tied with the noisy-trained model at the second.
    assert noisy_data.denoising_best_count(CURVES) == 2


def test_denoising_margins_are_signed():
    assert noisy_data.denoising_margins(CURVES) == [-1.0, 0.0, 3.0]


def test_rates_where_ahead_keeps_only_strict_leads():
    assert noisy_data.rates_where_ahead((0.01, 0.1, 0.8), [1.0, 2.0, 3.0], [2.0, 2.0, 1.0]) == [0.8]
    assert noisy_data.rates_where_ahead((0.01, 0.1), [1.0, 1.0], [2.0, 2.0]) == []


def test_falls_at_every_step_needs_a_strict_fall_each_time():
    assert noisy_data.falls_at_every_step([3.0, 2.0, 1.0])
    assert not noisy_data.falls_at_every_step([3.0, 3.0, 1.0])
    assert not noisy_data.falls_at_every_step([3.0, 1.0, 2.0])


def test_above_at_every_rate_compares_rate_by_rate():
    assert noisy_data.above_at_every_rate([5.0, 2.0], [4.0, 1.0])
    assert not noisy_data.above_at_every_rate([5.0, 2.0], [1.0, 2.0])


def test_predicted_grey_pulls_the_mean_towards_one_half():
    assert noisy_data.predicted_grey(0.1, 0.0) == pytest.approx(0.1)
    assert noisy_data.predicted_grey(0.1, 1.0) == pytest.approx(0.5)
    assert noisy_data.predicted_grey(0.2, 0.5) == pytest.approx(0.35)


def test_psnr_ceiling_matches_a_perfect_noisy_model_on_black_and_white_digits():
    rate = 0.8
    clean = torch.tensor([0.0, 1.0])
    expected_corrupted = (1 - rate) * clean + rate / 2
    per_pixel = (expected_corrupted - clean).square().mean().item()
    assert noisy_data.psnr_ceiling(rate) == pytest.approx(10 * math.log10(1 / per_pixel))


def test_the_clean_trained_reference_trains_like_the_noise_models():
    reference, noisy = get_experiment(noisy_data.REFERENCE).config, get_experiment("noise-0.1").config
    assert type(reference) is VAEConfig and noisy.target == "corrupted"
    # The same network, loss and optimiser for as many epochs: only the data differ.
    for field in ("hidden_dim", "latent_dim", "recon_loss", "beta", "lr", "batch_size", "epochs", "seed"):
        assert getattr(reference, field) == getattr(noisy, field), field


def test_the_figures_name_the_reference_the_chapter_uses():
    words = noisy_data.chapter_labels("en")
    assert noisy_data.REFERENCE in words["clean_trained"] and noisy_data.REFERENCE in words["clean_matched"]
    assert "vae-bce" not in words["clean_trained"]


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_denoising_standing_says_one_thing_when_the_denoiser_is_best_everywhere(lang: str):
    everywhere = noisy_data.denoising_standing(4, 4, 4, lang)
    partly = noisy_data.denoising_standing(1, 3, 4, lang)
    nowhere = noisy_data.denoising_standing(0, 0, 4, lang)
    assert everywhere == noisy_data.DENOISE_BEST_EVERYWHERE[lang]
    assert "1" in partly and "3" in partly and "4" in partly
    assert len({everywhere, partly, nowhere}) == 3
    assert not any(f"{n} of the {n}" in text or f"{n} 个中的 {n} 个" in text
                   for text in (everywhere, partly, nowhere) for n in range(5))
