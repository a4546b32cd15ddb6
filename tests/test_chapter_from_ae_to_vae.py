"""The computations of the chapter "From autoencoder to VAE", on small synthetic inputs."""

from __future__ import annotations

import math

import pytest
import torch

from latentdigits.chapters.from_ae_to_vae import (
    all_of,
    gradient_estimates,
    ink_gap,
    kl_check,
    seed_range,
    shown,
    toy_jensen_gap,
    within_errors,
    worst_disagreement,
)
from vaebook.losses import gaussian_kl

PROPOSALS = ((0.0, 1.0), (0.375, 0.75), (0.75, 0.5))


def test_toy_jensen_gap_is_the_kl_to_the_true_posterior():
    result = toy_jensen_gap(1.5, 1.0, PROPOSALS, samples=20_000)
    torch.testing.assert_close(result["posterior"], torch.tensor([0.75, 0.5], dtype=torch.float64))
    exact = torch.distributions.Normal(0.0, math.sqrt(2.0)).log_prob(torch.tensor(1.5, dtype=torch.float64))
    torch.testing.assert_close(result["log_px"], exact.expand(3))
    assert (result["elbo"] <= result["log_px"] + 1e-9).all()  # Jensen: a lower bound
    # Within about five standard errors of the sampled ELBO.
    torch.testing.assert_close(result["log_px"] - result["elbo"], result["kl_to_posterior"], atol=0.05, rtol=0)
    torch.testing.assert_close(result["log_mean_weight"], result["log_px"], atol=0.02, rtol=0)
    assert result["kl_to_posterior"][2].abs() < 1e-12  # q = p(z | x): the bound is tight


def test_toy_jensen_gap_posterior_follows_the_noise():
    # With noise variance s, p(z | x) = N(x / (1 + s), s / (1 + s)).
    result = toy_jensen_gap(2.0, 3.0, [(0.5, 0.75)], samples=10)
    torch.testing.assert_close(result["posterior"], torch.tensor([0.5, 0.75], dtype=torch.float64))
    assert result["kl_to_posterior"][0].abs() < 1e-12
    torch.testing.assert_close(result["elbo"], result["log_px"])  # every weight is p(x) exactly


def test_toy_jensen_gap_is_reproducible_by_seed():
    first, again = (toy_jensen_gap(1.5, 1.0, PROPOSALS, samples=1_000, seed=3) for _ in range(2))
    other = toy_jensen_gap(1.5, 1.0, PROPOSALS, samples=1_000, seed=4)
    torch.testing.assert_close(first["elbo"], again["elbo"])
    assert not torch.equal(first["elbo"], other["elbo"])


def test_kl_check_compares_the_closed_form_with_sampling():
    check = kl_check(latent_dim=5, gaussians=3, samples=20_000)
    assert check["mu"].shape == check["logvar"].shape == (3, 5)
    assert check["closed"].shape == check["estimate"].shape == check["error"].shape == (3,)
    torch.testing.assert_close(check["closed"], gaussian_kl(check["mu"], check["logvar"]))
    assert worst_disagreement(check["closed"], check["estimate"], check["error"]) < 5
    again = kl_check(latent_dim=5, gaussians=3, samples=20_000)
    torch.testing.assert_close(check["estimate"], again["estimate"])


def test_worst_disagreement_is_in_standard_errors():
    closed = torch.tensor([1.0, 2.0, 3.0])
    estimate = torch.tensor([1.1, 1.7, 3.0])
    error = torch.tensor([0.1, 0.1, 0.5])
    assert worst_disagreement(closed, estimate, error) == pytest.approx(3.0)


def test_ink_gap_is_the_distance_in_mean_intensity_either_way():
    assert ink_gap({"sample_intensity": 0.10, "test_intensity": 0.13}) == pytest.approx(0.03)
    assert ink_gap({"sample_intensity": 0.16, "test_intensity": 0.13}) == pytest.approx(0.03)
    darker = {"sample_intensity": 0.12, "test_intensity": 0.13}
    fainter = {"sample_intensity": 0.03, "test_intensity": 0.13}
    assert ink_gap(darker) < ink_gap(fainter)


def test_toy_jensen_gap_reports_its_sampling_errors():
    result = toy_jensen_gap(1.5, 1.0, PROPOSALS, samples=20_000)
    assert (result["elbo_error"][:2] > 0).all() and result["elbo_error"][2] < 1e-12  # the posterior: no spread
    gaps = result["log_px"] - result["elbo"]
    for gap, kl, error in zip(gaps.tolist(), result["kl_to_posterior"].tolist(), result["elbo_error"].tolist()):
        assert within_errors(gap, kl, error, errors=5)
    for value, error in zip(result["log_mean_weight"].tolist(), result["log_mean_weight_error"].tolist()):
        assert within_errors(value, result["log_px"][0].item(), error, errors=5)


def test_within_errors_needs_an_exact_hit_when_there_is_no_spread():
    assert within_errors(1.02, 1.0, 0.01)
    assert not within_errors(1.04, 1.0, 0.01)
    assert within_errors(1.0, 1.0, 0.0) and not within_errors(1.001, 1.0, 0.0)


def test_gradient_estimates_are_unbiased_and_the_score_function_noisier():
    g = gradient_estimates(1.5, 1.0, 0.0, 1.0, samples=50_000)
    assert g["exact"] == pytest.approx(1.5)
    assert within_errors(g["reparam_mean"], g["exact"], g["reparam_error"], errors=5)
    assert within_errors(g["score_mean"], g["exact"], g["score_error"], errors=5)
    # (x - z) / s^2 with z ~ N(0, 1) and s^2 = 1 has variance exactly 1.
    assert g["reparam_variance"] == pytest.approx(1.0, rel=0.05)
    assert g["score_variance"] > 5 * g["reparam_variance"]
    # The estimate is unbiased wherever the proposal sits: exact gradient (x - mean) / s^2.
    shifted = gradient_estimates(1.5, 2.0, 1.0, 0.5, samples=50_000)
    assert shifted["exact"] == pytest.approx(0.25)
    assert within_errors(shifted["reparam_mean"], 0.25, shifted["reparam_error"], errors=5)


def test_seed_range_and_evidence_of_several_conditions():
    assert seed_range(torch.tensor([80.27, 80.33, 80.36], dtype=torch.float64)) == pytest.approx(0.09)
    assert all_of({"a": True, "b": True}, "1; 2", "all").holds
    failing = all_of({"a": True, "b": False}, "1; 2", "all")
    assert not failing.holds and "✗ b" in failing.numbers


def test_shown_never_writes_a_negative_zero():
    assert shown(-0.0002) == "0.000" and shown(-0.0006) == "-0.001" and shown(0.721) == "0.721"
