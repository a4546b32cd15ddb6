"""The scores of the evaluation protocol behave as their definitions say."""

import math

import pytest
import torch

import vaebook
from vaebook.evaluate import class_coverage, feature_moments
from vaebook.evaluate import frechet_distance as _frechet


def frechet_distance(a, b):
    return _frechet(feature_moments(a), feature_moments(b))


def _features(n=2000, dim=16, seed=0):
    return torch.randn(n, dim, generator=torch.Generator().manual_seed(seed)) @ torch.randn(dim, dim, generator=torch.Generator().manual_seed(1))


def test_fid_of_a_set_against_itself_is_zero():
    a = _features()
    assert frechet_distance(a, a) == pytest.approx(0.0, abs=1e-6)


def test_fid_grows_as_noise_is_added():
    a = _features()
    noise = torch.randn(a.shape, generator=torch.Generator().manual_seed(2))
    distances = [frechet_distance(a, a + scale * noise) for scale in (0.1, 0.5, 1.0, 2.0)]
    assert distances == sorted(distances) and distances[0] > 0


def test_fid_matches_the_closed_form_for_gaussians():
    """N(0, I) against N(m, s^2 I) in d dimensions: |m|^2 + d (1 - s)^2."""
    generator = torch.Generator().manual_seed(3)
    a = torch.randn(200_000, 4, generator=generator)
    b = 2 + 3 * torch.randn(200_000, 4, generator=generator)
    assert frechet_distance(a, b) == pytest.approx(4 * 4 + 4 * (1 - 3) ** 2, rel=0.02)


def test_coverage_detects_a_one_class_set():
    one_class = torch.nn.functional.one_hot(torch.full((500,), 7), 10).float()
    scores = class_coverage(one_class)
    assert scores["class_shares"][7] == 1 and scores["coverage_kl"].item() == pytest.approx(math.log(10))
    balanced = torch.nn.functional.one_hot(torch.arange(500) % 10, 10).float()
    assert class_coverage(balanced)["coverage_kl"].item() == pytest.approx(0.0, abs=1e-7)
    assert class_coverage(balanced * 0.5 + 0.05)["confidence"].item() == pytest.approx(0.55)


def test_sample_scores_are_stored_beside_the_entry(use_tiny_data, monkeypatch):
    from vaebook import evaluate

    scores = evaluate.sample_scores(vaebook.load("gan", profile="quick"))
    assert set(scores) == {"fid", "class_shares", "coverage_kl", "confidence"}
    monkeypatch.setattr(evaluate, "generated_images", lambda *a, **k: pytest.fail("recomputed"))
    again = evaluate.sample_scores(vaebook.load("gan", profile="quick"))
    assert torch.equal(scores["class_shares"], again["class_shares"])


def test_the_iwae_bound_is_above_the_elbo_and_rises_with_k(tiny_data):
    from vaebook.config import PROFILES, VAEConfig
    from vaebook.evaluate import iwae_bound
    from vaebook.losses import bce_recon, gaussian_kl
    from vaebook.train import train_vae

    binary = (tiny_data.test_images[:64] > 0.5).float()
    run = train_vae("tiny", VAEConfig(hidden_dim=32, latent_dim=4, batch_size=64, epochs=2), PROFILES["quick"],
                    tiny_data, torch.device("cpu"), progress=False)
    model = run.model()
    bounds = {k: iwae_bound(model, binary, k, torch.Generator().manual_seed(0)).mean().item() for k in (1, 10, 100, 1000)}
    mu, logvar = model.encode(binary)
    elbos = []
    for seed in range(50):
        eps = torch.randn(mu.shape, generator=torch.Generator().manual_seed(100 + seed))
        logits = model.decode_logits(mu + torch.exp(0.5 * logvar) * eps)
        elbos.append((-bce_recon(logits, binary) - gaussian_kl(mu, logvar)).mean().item())
    elbo = sum(elbos) / len(elbos)
    assert bounds[1] == pytest.approx(elbo, abs=0.5)  # k = 1 is one sample of the ELBO
    assert bounds[10] > elbo and bounds[10] < bounds[100] < bounds[1000]
