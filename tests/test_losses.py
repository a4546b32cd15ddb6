import math

import torch

from vaebook.config import VAEConfig
from vaebook.losses import bce_recon, gaussian_kl, l1_recon, monte_carlo_kl, mse_recon
from vaebook.models import MLPVAE


def test_gaussian_kl_matches_a_monte_carlo_estimate():
    generator = torch.Generator().manual_seed(0)
    mu = torch.randn(4, 3, generator=generator)
    logvar = torch.randn(4, 3, generator=generator) * 0.5
    std = torch.exp(0.5 * logvar)
    z = mu + std * torch.randn(200_000, 4, 3, generator=generator)
    log_q = torch.distributions.Normal(mu, std).log_prob(z).sum(-1)
    log_p = torch.distributions.Normal(0.0, 1.0).log_prob(z).sum(-1)
    monte_carlo = (log_q - log_p).mean(0)
    torch.testing.assert_close(gaussian_kl(mu, logvar), monte_carlo, rtol=0.02, atol=0.01)


def test_gaussian_kl_is_zero_for_the_prior_itself():
    assert gaussian_kl(torch.zeros(2, 5), torch.zeros(2, 5)).abs().max() < 1e-7


def _sigmoid(v):
    return 1 / (1 + math.exp(-v))


X = [0.0, 1.0, 0.5]
LOGITS = [0.0, 2.0, -1.0]


def test_bce_recon_by_hand():
    expected = -sum(x * math.log(_sigmoid(logit)) + (1 - x) * math.log(1 - _sigmoid(logit))
                    for x, logit in zip(X, LOGITS))
    assert math.isclose(bce_recon(torch.tensor([LOGITS]), torch.tensor([X])).item(), expected, rel_tol=1e-6)


def test_mse_and_l1_recon_by_hand():
    squared = sum((_sigmoid(logit) - x) ** 2 for x, logit in zip(X, LOGITS))
    absolute = sum(abs(_sigmoid(logit) - x) for x, logit in zip(X, LOGITS))
    assert math.isclose(mse_recon(torch.tensor([LOGITS]), torch.tensor([X])).item(), squared, rel_tol=1e-6)
    assert math.isclose(l1_recon(torch.tensor([LOGITS]), torch.tensor([X])).item(), absolute, rel_tol=1e-6)


def test_bce_recon_stays_finite_for_confident_logits():
    # sigmoid then log would give log(0) = -inf for these; the logit form must not.
    loss = bce_recon(torch.tensor([[100.0, -100.0]]), torch.tensor([[0.0, 1.0]]))
    assert torch.isfinite(loss).all() and math.isclose(loss.item(), 200.0, rel_tol=1e-4)


def test_mlp_vae_shapes():
    model = MLPVAE(VAEConfig(hidden_dim=400, latent_dim=20))
    logits, mu, logvar = model(torch.rand(5, 784), torch.randn(5, 20))
    assert logits.shape == (5, 784) and mu.shape == (5, 20) and logvar.shape == (5, 20)
    images = model.decode(torch.randn(3, 20))
    assert images.shape == (3, 784) and images.min() >= 0 and images.max() <= 1
    layers = 784 * 400 + 400 + 2 * (400 * 20 + 20) + 20 * 400 + 400 + 400 * 784 + 784
    assert sum(p.numel() for p in model.parameters()) == layers


def test_monte_carlo_kl_agrees_with_the_closed_form_within_its_standard_error():
    generator = torch.Generator().manual_seed(1)
    mu = torch.randn(3, 6, generator=generator)
    logvar = torch.randn(3, 6, generator=generator) * 0.5
    estimate, error = monte_carlo_kl(mu, logvar, samples=50_000, generator=generator)
    assert estimate.shape == error.shape == (3,) and (error > 0).all()
    assert ((estimate - gaussian_kl(mu, logvar)).abs() < 5 * error).all()
    zero, zero_error = monte_carlo_kl(torch.zeros(1, 4), torch.zeros(1, 4), samples=100, generator=generator)
    assert zero.abs().max() < 1e-6 and zero_error.abs().max() < 1e-6  # q = p: every log-ratio is 0


def test_softmax_ce_treats_the_pixels_as_one_softmax_and_barely_sees_the_image():
    from vaebook.losses import softmax_ce_recon

    x = torch.zeros(1, 784)
    x[0, :100] = 1.0
    # F.cross_entropy with the image as a distribution over the 784 pixels, on sigmoid outputs.
    logits = torch.randn(1, 784, generator=torch.Generator().manual_seed(0))
    expected = torch.nn.functional.cross_entropy(torch.sigmoid(logits), x, reduction="sum")
    assert math.isclose(softmax_ce_recon(logits, x).item(), expected.item(), rel_tol=1e-5)
    # The best decoder output (ink exactly where the digit is) scores within 15 % of a flat grey
    # one: sigmoid outputs in (0, 1) leave the softmax nearly uniform.
    perfect = torch.where(x > 0, 30.0, -30.0)
    grey = torch.zeros_like(x)
    best, flat = softmax_ce_recon(perfect, x).item(), softmax_ce_recon(grey, x).item()
    assert 0.85 * flat < best < flat


def test_no_recon_leaves_the_decoder_without_gradient():
    from vaebook.losses import no_recon

    model = MLPVAE(VAEConfig(hidden_dim=8, latent_dim=2))
    x = torch.rand(3, 784)
    logits, mu, logvar = model(x, torch.randn(3, 2))
    (no_recon(logits, x) + gaussian_kl(mu, logvar)).sum().backward()
    assert all(p.grad is None or not p.grad.any() for p in model.decoder.parameters())
    assert model.to_mu.weight.grad.abs().sum() > 0


def test_tanh_mse_is_the_squared_error_on_the_minus_one_to_one_scale():
    from vaebook.losses import tanh_mse_recon

    logits, x = torch.tensor([[0.3, -2.0]]), torch.tensor([[1.0, 0.25]])
    expected = (math.tanh(0.3) - 1.0) ** 2 + (math.tanh(-2.0) + 0.5) ** 2
    assert math.isclose(tanh_mse_recon(logits, x).item(), expected, rel_tol=1e-6)
