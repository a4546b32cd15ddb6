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


CURVES = {"noisy_trained": [20.0, 18.0, 9.0], "denoising": [19.0, 18.0, 12.0], "clean_trained": [21.0, 17.0, 8.0],
          "corrupted_input": [30.0, 1.0, 1.0]}


def test_lead_is_over_the_best_of_the_others_and_signed():
    assert noisy_data.lead(CURVES, "denoising", ("noisy_trained", "clean_trained"), 0) == pytest.approx(-2.0)
    assert noisy_data.lead(CURVES, "denoising", ("noisy_trained", "clean_trained"), 2) == pytest.approx(3.0)
    assert noisy_data.lead(CURVES, "corrupted_input", noisy_data.MODELS, 0) == pytest.approx(9.0)


def test_lead_subtracts_the_values_as_printed():
    # 20.726 and 20.5149 print as 20.73 and 20.51: the lead the prose can show is 0.22, not 0.21.
    curves = {"a": [20.726], "b": [20.5149]}
    assert noisy_data.lead(curves, "a", ("b",), 0) == pytest.approx(0.22)


def test_prediction_interval_of_three_seeds():
    low, high = noisy_data.prediction_interval([1.0, 2.0, 3.0])
    # mean 2, sd 1, Student's t with 2 degrees of freedom: 4.303 * sqrt(1 + 1/3).
    assert (low + high) / 2 == pytest.approx(2.0)
    assert (high - low) / 2 == pytest.approx(4.302653 * math.sqrt(4 / 3), rel=1e-5)


def test_against_seeds_says_on_which_side_a_single_run_falls():
    seeds = [105.5, 105.8, 105.9]
    assert noisy_data.against_seeds(("x", 105.7), seeds, "inside").holds
    assert not noisy_data.against_seeds(("x", 105.7), seeds, "above").holds
    assert noisy_data.against_seeds(("x", 130.0), seeds, "above").holds
    assert noisy_data.against_seeds(("x", 80.0), seeds, "below").holds
    assert "x: 130.00" in noisy_data.against_seeds(("x", 130.0), seeds, "above").numbers


def test_psnr_seed_spread_in_decibels():
    assert noisy_data.psnr_seed_spread([10.0, 5.0, 7.0]) == pytest.approx(10 * math.log10(2))
    assert noisy_data.psnr_seed_spread([7.6, 7.6]) == 0


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
