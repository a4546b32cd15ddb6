import pytest
import torch

import vaebook
from vaebook import cache
from vaebook.config import PROFILES, VAEConfig
from vaebook.data import MNIST
from vaebook.train import train_vae

TINY = VAEConfig(hidden_dim=32, latent_dim=4, batch_size=64, epochs=2)


def _train(data, config=TINY):
    return train_vae("tiny", config, PROFILES["quick"], data, torch.device("cpu"), progress=False)


def test_history_has_every_column_per_epoch(tiny_data):
    run = _train(tiny_data)
    assert run.history["epoch"] == [1, 2]
    for column in ("train_loss", "train_recon", "train_kl", "test_loss", "test_recon", "test_kl"):
        assert len(run.history[column]) == 2
    assert run.history["train_loss"][0] == pytest.approx(run.history["train_recon"][0] + run.history["train_kl"][0])
    assert len(run.artefacts["step_loss"]) == 2 * 4  # 256 images in batches of 64
    assert run.artefacts["samples"].shape[1] == 784 and run.artefacts["probe_images"].shape == (10, 784)


def test_beta_weights_the_kl_term(tiny_data):
    run = _train(tiny_data, VAEConfig(hidden_dim=32, latent_dim=4, batch_size=64, epochs=1, beta=4.0))
    assert run.history["test_loss"][0] == pytest.approx(run.history["test_recon"][0] + 4 * run.history["test_kl"][0])


def test_training_is_deterministic_for_a_seed(tiny_data):
    first, second = _train(tiny_data), _train(tiny_data)
    assert first.history == second.history
    for name in first.weights:
        assert torch.equal(first.weights[name], second.weights[name])
    other = _train(tiny_data, VAEConfig(hidden_dim=32, latent_dim=4, batch_size=64, epochs=2, seed=1))
    assert not torch.equal(first.weights["to_mu.weight"], other.weights["to_mu.weight"])


def test_a_nan_loss_stops_training_and_caches_nothing(tiny_data, use_data, monkeypatch):
    poisoned = MNIST(tiny_data.train_images.clone(), tiny_data.train_labels, tiny_data.test_images, tiny_data.test_labels)
    poisoned.train_images[3, 5] = float("nan")
    use_data(poisoned)
    with pytest.raises(vaebook.TrainingDiverged, match=r"vae-bce: .*NaN.* epoch 1; nothing was cached"):
        vaebook.load("vae-bce", profile="quick")
    assert cache.entries() == [] and cache.leftovers() == []
