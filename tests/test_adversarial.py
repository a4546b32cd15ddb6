"""The GAN, the VAE-GAN and the classifier train, keep what their chapters draw, and stop
on NaN without caching."""

import inspect

import pytest
import torch

from conftest import stored_items
from latentdigits import experiments
from vaebook import adversarial
from vaebook.adversarial import GANTrainer, VAEGANTrainer
from vaebook.classifier import ClassifierTrainer, predict
from vaebook.config import PROFILES, ClassifierConfig, GANConfig, VAEGANConfig
from vaebook.data import MNIST
from vaebook.errors import TrainingDiverged
from vaebook.families import build_model, trained_model
from vaebook.models import GAN, VAEGAN, Classifier
from vaebook.train import fit

CPU = torch.device("cpu")
QUICK = PROFILES["quick"]


@pytest.mark.slow
def test_the_gan_keeps_snapshots_losses_and_its_nearest_training_images(tiny_data):
    run = fit(GANTrainer, "gan", GANConfig(epochs=2), GAN, QUICK, tiny_data, CPU, progress=False)
    assert run.history["epoch"] == [1, 2] and set(run.history) == set(adversarial.GAN_COLUMNS)
    assert run.meta["snapshot_epochs"] == [1, 2] and run.artefacts["snapshots"].shape == (2, 64, 784)
    assert torch.equal(run.artefacts["snapshots"][-1], run.artefacts["samples"])
    assert run.artefacts["step_loss"].shape == (2 * 4, 2)  # 256 images in full batches of 64
    samples = run.artefacts["samples"]
    assert 0 <= samples.min() and samples.max() <= 1  # the Tanh output mapped back to [0, 1]
    # The stored neighbour is the closest training image: none is nearer.
    distances = torch.cdist(samples[: adversarial.N_NEAREST], tiny_data.train_images)
    assert torch.allclose(run.artefacts["nearest_distance"], distances.min(dim=1).values, atol=1e-4)
    assert all(0 <= d <= 1 for d in run.history["d_real"] + run.history["d_fake"])


def test_the_gan_step_follows_report_004s_eight_parts():
    source = inspect.getsource(adversarial.gan_step)
    assert [f"({i})" in source for i in range(1, 9)] == [True] * 8
    assert "fake.detach()" in source  # the discriminator's step leaves the generator alone


@pytest.mark.slow
def test_the_vaegan_steps_each_network_on_its_own_objective(tiny_data):
    config = VAEGANConfig(hidden_dim=32, latent_dim=4, batch_size=64, epochs=1)
    model = build_model(config)
    optimizers = {k: torch.optim.SGD(p, lr=0.0) for k, p in adversarial.network_parameters(model).items()}
    x, eps, z = tiny_data.train_images[:64], torch.randn(64, 4), torch.randn(64, 4)
    adversarial.vaegan_step(model, x, eps, z, 0.0, optimizers)
    # With γ = 0 the decoder's gradient is its GAN loss alone: the gradient of that loss.
    mu, logvar = model.encode(x)
    scores, _ = model.discriminator(torch.cat([model.decode(mu + torch.exp(0.5 * logvar) * eps), model.decode(z)]))
    gan = 0.5 * (scores.chunk(2)[0] - 1).square().mean() + 0.5 * (scores.chunk(2)[1] - 1).square().mean()
    expected = torch.autograd.grad(gan, list(model.decoder.parameters()))
    for parameter, gradient in zip(model.decoder.parameters(), expected):
        assert torch.allclose(parameter.grad, gradient, atol=1e-6)


@pytest.mark.slow
def test_the_vaegan_keeps_samples_reconstructions_and_three_networks_losses(tiny_data):
    config = VAEGANConfig(hidden_dim=32, latent_dim=4, batch_size=64, epochs=2)
    run = fit(VAEGANTrainer, "vaegan", config, VAEGAN, QUICK, tiny_data, CPU, progress=False)
    assert run.history["epoch"] == [1, 2]
    assert run.artefacts["step_loss"].shape == (8, 4)
    assert run.meta["step_columns"] == list(adversarial.VAEGAN_STEP_COLUMNS)
    assert run.artefacts["samples"].shape == (64, 784) and run.artefacts["probe_reconstructions"].shape == (10, 784)
    assert run.history["test_kl"][-1] > 0


@pytest.mark.slow
def test_the_classifier_learns_separable_digits():
    """Ten classes that differ in which band of pixels is lit: any working classifier
    separates them perfectly."""
    generator = torch.Generator().manual_seed(0)
    labels = torch.arange(600) % 10
    images = torch.rand(600, 784, generator=generator) * 0.2
    for digit in range(10):
        images[labels == digit, digit * 78 : (digit + 1) * 78] = 1.0
    data = MNIST(images[:500], labels[:500], images[500:], labels[500:])
    config = ClassifierConfig(channels=4, features=16, lr=1e-2, batch_size=25, epochs=4)
    run = fit(ClassifierTrainer, "classifier", config, Classifier, QUICK, data, CPU, progress=False)
    assert run.metrics["test_accuracy"] == 1.0
    assert predict(trained_model(run), data.test_images).sum(dim=1).allclose(torch.ones(100))


@pytest.mark.parametrize("name", ["gan", "vaegan", "classifier"])
def test_a_nan_stops_adversarial_and_classifier_training_and_caches_nothing(name, tiny_data, use_data):
    poisoned = MNIST(tiny_data.train_images.clone(), tiny_data.train_labels, tiny_data.test_images,
                     tiny_data.test_labels)
    poisoned.train_images[:, 5] = float("nan")
    use_data(poisoned)
    with pytest.raises(TrainingDiverged, match=rf"{name}: .*NaN.* epoch 1; nothing was cached"):
        experiments.load(name, profile="quick")
    assert stored_items() == []


def test_report_000s_gan_trains_on_zero_one_images_with_its_own_adam():
    from vaebook.config import GELUGANConfig
    from vaebook.models import GELUGAN

    config = GELUGANConfig(noise_dim=8, batch_size=64, epochs=1)
    model = GELUGAN(config)
    assert torch.equal(model.real(torch.ones(1)), torch.ones(1))  # no rescaling to [-1, 1]
    optimizer = adversarial._adam(model.generator.parameters(), config)
    assert optimizer.defaults["betas"] == (0.4, 0.8) and optimizer.defaults["weight_decay"] == 1e-4


@pytest.mark.slow
def test_report_000s_l1_term_pulls_the_generator_towards_the_real_batch():
    from vaebook.config import GELUGANConfig
    from vaebook.models import GELUGAN

    torch.manual_seed(0)
    config = GELUGANConfig(noise_dim=8, l1_weight=1000.0, lr=1e-3)  # the L1 term dominates
    model = GELUGAN(config)
    d_opt, g_opt = adversarial._adam(model.discriminator.parameters(), config), adversarial._adam(
        model.generator.parameters(), config)
    real, z = torch.zeros(16, 784), torch.randn(16, 8)
    before = model.generator(z).mean().item()
    for _ in range(5):
        losses = adversarial.l1_gan_step(model, real, z, d_opt, g_opt, config.l1_weight)
    assert model.generator(z).mean().item() < before  # towards the all-black real batch
    assert set(losses) == {"d_loss", "g_loss", "d_real", "d_fake"}
