"""The VAE-GAN chapter's decisions, on small synthetic inputs: the balanced least-squares
game, the reading of the losses and scores, and the layer table's networks."""

import pytest
import torch

from latentdigits import tables
from latentdigits.chapters import vae_gan
from latentdigits.experiments import get_experiment
from vaebook.config import VAEGANConfig
from vaebook.families import build_model


def test_the_balanced_game_has_the_losses_the_chapter_states():
    score, discriminator, decoder = vae_gan.balanced_least_squares()
    assert score == pytest.approx(1 / 3)
    assert discriminator == pytest.approx(1 / 3)  # ½ ((1/3 − 1)² + 2 (1/3)²)
    assert decoder == pytest.approx(4 / 9)  # ½ · 2 (1/3 − 1)²


@pytest.mark.parametrize("fake_kinds", [1, 2, 3])
def test_the_balanced_score_minimises_the_discriminators_loss(fake_kinds):
    score, discriminator, _ = vae_gan.balanced_least_squares(fake_kinds)
    # With every kind of fake distributed like the data, the discriminator can only give all
    # images one score s; its loss is then ½ ((s − 1)² + k s²).
    grid = torch.linspace(0, 1, 10_001, dtype=torch.float64)
    losses = 0.5 * ((grid - 1) ** 2 + fake_kinds * grid ** 2)
    assert grid[losses.argmin()].item() == pytest.approx(score, abs=1e-4)
    assert losses.min().item() == pytest.approx(discriminator)


def test_a_plain_lsgan_balances_at_one_half():
    assert vae_gan.balanced_least_squares(1) == pytest.approx((0.5, 0.25, 0.125))


@pytest.mark.parametrize("loss, standing", [(0.1, 0), (0.49, 0), (0.5, 1), (1.0, 1), (1.5, 1), (1.51, 2)])
def test_the_discriminator_stands_by_its_loss_against_balance(loss, standing):
    assert vae_gan.discriminator_standing(loss, 1.0) == standing


@pytest.mark.parametrize("discriminator, decoder, trend", [
    ([0.1, 0.2], [0.9, 0.8], 0),  # the discriminator loses ground, the decoder gains it
    ([0.2, 0.1], [0.8, 0.9], 1),  # the reverse
    ([0.1, 0.2], [0.8, 0.9], 2),  # both losses rose
    ([0.2, 0.1], [0.9, 0.8], 2),  # both fell
    ([0.1, 0.5, 0.1], [0.9, 0.1, 0.9], 1),  # only the first and last epochs count
])
def test_the_game_trend_reads_the_first_and_last_epochs(discriminator, decoder, trend):
    assert vae_gan.game_trend(discriminator, decoder) == trend


def feature_reconstruction(reconstructed: torch.Tensor, real: torch.Tensor) -> torch.Tensor:
    """@eq-vae-gan-feature, as `adversarial.vaegan_step` computes it."""
    return 0.5 * ((reconstructed - real) / (real.std(dim=0) + 1e-3)).square().sum(dim=1).mean()


def test_the_feature_scale_matches_the_loss_of_two_uninformed_guesses():
    n_features = 64
    generator = torch.Generator().manual_seed(0)
    # Features of very different sizes: the loss measures each in units of its own spread.
    scales = torch.logspace(-1, 1, n_features, dtype=torch.float64)
    real = 5 + scales * torch.randn(1024, n_features, generator=generator, dtype=torch.float64)
    mean_cost, other_cost = vae_gan.feature_cost_scale(n_features)
    at_the_mean = feature_reconstruction(real.mean(dim=0).expand_as(real), real)
    another_digit = feature_reconstruction(real.roll(1, dims=0), real)
    assert at_the_mean.item() == pytest.approx(mean_cost, rel=0.01)
    assert another_digit.item() == pytest.approx(other_cost, rel=0.05)


@pytest.mark.parametrize("cost, reading", [(10, 0), (49.9, 0), (50, 1), (99, 1), (100, 2), (300, 2)])
def test_the_feature_reconstruction_is_read_against_the_two_guesses(cost, reading):
    assert vae_gan.feature_reading(cost, 50, 100) == reading


def test_the_commonest_digit_is_the_largest_share():
    shares = torch.tensor([0.05, 0.1, 0.1, 0.3, 0.05, 0.1, 0.1, 0.05, 0.1, 0.05])
    digit, share = vae_gan.commonest_digit(shares)
    assert digit == 3 and share == pytest.approx(0.3)


@pytest.mark.parametrize("share, confidence, reading", [
    (0.5, 0.99, 0),  # no more than half: not one-sided
    (0.6, 0.90, 1),  # read at least 90 % as surely as real digits: a collapse
    (0.6, 0.85, 2),  # much less sure: perhaps the classifier's default guess
])
def test_a_one_sided_histogram_is_a_collapse_only_when_read_surely(share, confidence, reading):
    assert vae_gan.mode_collapse_reading(share, confidence, real_confidence=1.0) == reading


@pytest.mark.parametrize("sharper, fid_better, verdict", [(True, True, 0), (True, False, 1), (False, True, 2),
                                                          (False, False, 2)])
def test_the_course_reports_claim_needs_sharper_samples(sharper, fid_better, verdict):
    assert vae_gan.seed_claim_verdict(sharper, fid_better) == verdict


def test_the_network_parts_run_and_count_every_parameter_once():
    config = VAEGANConfig(hidden_dim=8, latent_dim=3)
    model = build_model(config)
    parts = vae_gan.network_parts(model, config.hidden_dim, config.latent_dim)
    names = vae_gan.NETWORK_NAMES["en"]
    assert len(parts) == len(names) == len(vae_gan.NETWORK_NAMES["zh"])
    table = tables.layers({name: network for name, (network, _) in zip(names, parts)},
                          {name: example for name, (_, example) in zip(names, parts)})
    total = table.splitlines()[-1].split("|")[-2].strip()
    assert total == f"{sum(p.numel() for p in model.parameters()):,}"


def test_the_vae_gan_is_measured_against_its_own_networks_trained_as_a_vae_as_long():
    vae, longer, vaegan = (get_experiment(name).config for name in (vae_gan.VAE, vae_gan.LONGER, "vaegan"))
    assert (vae.hidden_dim, vae.latent_dim, vae.epochs) == (vaegan.hidden_dim, vaegan.latent_dim, vaegan.epochs)
    assert (vae.recon_loss, vae.beta) == (longer.recon_loss, longer.beta)
    assert longer.epochs > vae.epochs  # shown beside them, never as an equal


def test_the_seed_sentence_has_one_wording_per_case_in_both_languages():
    for lang in ("en", "zh"):
        some, every, none = vae_gan.CHANCE[lang]
        assert "{within}" in some and "{beyond}" in some
        assert "{" not in every + none
