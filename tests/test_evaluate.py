"""The scores of the evaluation protocol behave as their definitions say."""

import math

import pytest
import torch

from latentdigits import experiments
from vaebook import evaluate
from vaebook.families import trained_model
from vaebook.metrics import class_coverage, feature_moments
from vaebook.metrics import frechet_distance as _frechet


def frechet_distance(a, b):
    return _frechet(feature_moments(a), feature_moments(b))


def _features(n=2000, dim=16, seed=0):
    mixing = torch.randn(dim, dim, generator=torch.Generator().manual_seed(1))
    return torch.randn(n, dim, generator=torch.Generator().manual_seed(seed)) @ mixing


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
    judge = experiments.classifier()
    scores = evaluate.sample_scores(experiments.load("gan", profile="quick"), judge)
    assert set(scores) == {"fid", "class_shares", "coverage_kl", "confidence"}
    monkeypatch.setattr(evaluate, "generated_images", lambda *a, **k: pytest.fail("recomputed"))
    again = evaluate.sample_scores(experiments.load("gan", profile="quick"), judge)
    assert torch.equal(scores["class_shares"], again["class_shares"])


@pytest.mark.slow
def test_the_iwae_bound_is_above_the_elbo_and_rises_with_k(tiny_data):
    from vaebook.config import PROFILES, VAEConfig
    from vaebook.losses import bce_recon, gaussian_kl
    from vaebook.metrics import iwae_bound
    from vaebook.models import MLPVAE
    from vaebook.train import VAETrainer, fit

    binary = (tiny_data.test_images[:64] > 0.5).float()
    run = fit(VAETrainer, "tiny", VAEConfig(hidden_dim=32, latent_dim=4, batch_size=64, epochs=2), MLPVAE,
              PROFILES["quick"], tiny_data, torch.device("cpu"), progress=False)
    model = trained_model(run)
    bounds = {k: iwae_bound(model, binary, k, torch.Generator().manual_seed(0)).mean().item()
              for k in (1, 10, 100, 1000)}
    mu, logvar = model.encode(binary)
    elbos = []
    for seed in range(50):
        eps = torch.randn(mu.shape, generator=torch.Generator().manual_seed(100 + seed))
        logits = model.decode_logits(mu + torch.exp(0.5 * logvar) * eps)
        elbos.append((-bce_recon(logits, binary) - gaussian_kl(mu, logvar)).mean().item())
    elbo = sum(elbos) / len(elbos)
    assert bounds[1] == pytest.approx(elbo, abs=0.5)  # k = 1 is one sample of the ELBO
    assert bounds[10] > elbo and bounds[10] < bounds[100] < bounds[1000]


def test_the_evaluation_reports_what_applies_to_each_model(use_tiny_data):
    from vaebook.evaluate import evaluation

    judge = experiments.classifier()
    vae = evaluation(experiments.load("vae-bce"), judge)
    assert {"test_loss", "test_recon", "test_kl", "recon_mse", "iwae", "iwae_stderr", "fid", "confidence",
            "coverage_kl", "parameters", "train_seconds", "epochs"} <= vae.keys()
    # k and n are stored beside the bound: the quick profile's cap, and every (tiny) test image.
    assert (vae["iwae_samples"], vae["iwae_images"]) == (10, 128)
    assert -vae["iwae"] < vae["test_loss"] + 1  # the bound is tighter than the ELBO
    assert vae["parameters"] == (784 * 400 + 400) + 2 * (400 * 20 + 20) + (20 * 400 + 400) + (400 * 784 + 784)
    mse = evaluation(experiments.load("vae-mse"), judge)
    assert "iwae" not in mse and "recon_mse" in mse  # a squared-error decoder has no Bernoulli likelihood
    gan = evaluation(experiments.load("gan"), judge)
    assert not {"iwae", "recon_mse", "test_loss"} & gan.keys() and "fid" in gan


def test_seed_scores_are_stored_beside_the_first_seed(use_tiny_data, monkeypatch):
    from vaebook import entries, runner
    from vaebook.config import get_profile

    scores = experiments.seed_scores("vae-mse-10ep")
    seeds = list(experiments.get_experiment("vae-mse-10ep").seeds)
    assert scores["seed"].tolist() == seeds and len(set(scores["test_loss"].tolist())) == len(seeds)
    name, config = experiments.request("vae-mse-10ep", 2)
    assert runner.cached(name, entries.resolve(config, "quick")[0], get_profile("quick")).name == "vae-mse-10ep-seed2"
    real_load = experiments.load
    monkeypatch.setattr(experiments, "load", lambda n, **k: pytest.fail("a replicate was loaded again")
                        if k.get("seed") else real_load(n, **k))
    assert torch.equal(experiments.seed_scores("vae-mse-10ep")["fid"], scores["fid"])


def test_a_binary_data_model_trains_and_is_scored_on_binary_digits(tiny_data):
    from vaebook.config import BinaryVAEConfig

    config = BinaryVAEConfig()
    # Not seed 0: the tiny images are themselves uniform draws from seed 0, so binarising them with
    # the same stream would compare each pixel with itself.
    shown, target = config.inputs(tiny_data.train_images, torch.Generator().manual_seed(1))
    again, _ = config.inputs(tiny_data.train_images, torch.Generator().manual_seed(2))
    assert set(shown.unique().tolist()) == {0.0, 1.0} and torch.equal(shown, target)
    assert not torch.equal(shown, again)  # redrawn at every use
    assert shown.mean().item() == pytest.approx(tiny_data.train_images.mean().item(), abs=0.01)  # as much ink
    fixed = config.test_images(tiny_data.test_images)
    assert set(fixed.unique().tolist()) == {0.0, 1.0} and torch.equal(fixed, config.test_images(tiny_data.test_images))


def test_tables_give_mean_and_spread_and_a_dash_where_a_score_does_not_apply():
    from latentdigits import tables

    assert tables.mean_and_spread([1.0, 2.0, 3.0]) == "2.00 ± 1.00"
    score = {"parameters": 1000, "epochs": 5, "train_seconds": 90.0, "fid": 12.0, "confidence": 0.9,
             "coverage_kl": 0.01, "class_shares": [0.1] * 10}
    real = {"fid_floor": 4.0, "confidence": 0.99, "coverage_kl": 0.0}
    row = tables.protocol({"gan": score}, real).splitlines()[2]
    assert row == "| gan | 1,000 | 5 | 1.5 | — | — | — | 12.00 | 0.900 | 0.010 |"
