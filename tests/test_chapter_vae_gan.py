"""The VAE-GAN chapter's reasoning, on small synthetic inputs: the balanced least-squares
game, the scale of the feature reconstruction, course report 000's weights read off its code,
the comparison over seeds, and the layer table's networks."""

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


def test_report_000s_weights_are_those_of_its_code():
    """The report's step, written as its code writes it, against the per-image weights the
    chapter states: the gradients agree term by term."""
    batch = 128
    generator = torch.Generator().manual_seed(1)
    x_r = torch.randn(batch, 784, generator=generator)
    x_f = torch.randn(batch, 784, generator=generator, requires_grad=True)
    fd_r = torch.randn(batch, generator=generator)
    fd_f = torch.randn(batch, generator=generator, requires_grad=True)
    ld_p = torch.rand(batch, 1, generator=generator, requires_grad=True)
    loss_GD = 0.5 * ((ld_p - 1) ** 2).mean()
    loss_G = 0.5 * (0.01 * (x_f - x_r).pow(2).sum() + (fd_f - fd_r.pow(2).sum())) / batch
    (0.01 * loss_G + loss_GD).backward(torch.ones_like(loss_G))
    weights = vae_gan.report_000_weights()
    assert x_f.grad == pytest.approx(2 * weights["pixel"] * (x_f - x_r).detach(), rel=1e-4)
    assert fd_f.grad == pytest.approx(torch.full((batch,), weights["feature"]), rel=1e-4)
    assert ld_p.grad == pytest.approx(weights["gan"] * (ld_p - 1).detach(), rel=1e-4)
    assert weights["sigma"] == pytest.approx(100)  # 1 / (2 sigma^2) = 0.00005


def test_no_difference_over_seeds_needs_seeds(monkeypatch):
    seeds = {"vaegan": [316.4, 308.1, 322.0], vae_gan.VAE: [341.9, 316.2, 331.0, 325.5, 335.1]}
    monkeypatch.setattr(vae_gan, "_seeds", lambda column: seeds)
    assert vae_gan.fid_vs_vae().holds
    seeds["vaegan"] = [316.4]  # one run: Welch's test is undefined, and "no difference" must not hold by default
    assert not vae_gan.fid_vs_vae().holds


def test_the_commonest_digit_is_the_largest_share():
    shares = torch.tensor([0.05, 0.1, 0.1, 0.3, 0.05, 0.1, 0.1, 0.05, 0.1, 0.05])
    digit, share = vae_gan.commonest_digit(shares)
    assert digit == 3 and share == pytest.approx(0.3)


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
