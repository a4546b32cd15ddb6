from dataclasses import replace

import pytest
import torch

import vaebook
from vaebook import cache, train
from vaebook.config import PROFILES, VAEConfig
from vaebook.data import MNIST
from vaebook.experiments import EXPERIMENTS, Experiment
from vaebook.train import train_vae, train_vae_group

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


def test_a_batched_sweep_matches_sequential_training(tiny_data):
    """Tolerance: rounding only (batched matmuls sum in another order), 1e-4 relative."""
    configs = [replace(TINY, beta=0.5), replace(TINY, beta=4.0), replace(TINY, seed=3)]
    names = ["beta-0.5", "beta-4", "seed-3"]
    batched = train_vae_group(names, configs, PROFILES["quick"], tiny_data, torch.device("cpu"), progress=False)
    for run, config in zip(batched, configs):
        alone = _train(tiny_data, config)
        assert run.config == config and run.meta["trained_with"] == names
        for column in alone.history:
            assert run.history[column] == pytest.approx(alone.history[column], rel=1e-4)
        for name, tensor in alone.weights.items():
            torch.testing.assert_close(run.weights[name], tensor, rtol=1e-4, atol=1e-5)
        for name in ("step_loss", "samples", "latent_mean_before", "latent_mean_after"):
            torch.testing.assert_close(run.artefacts[name], alone.artefacts[name], rtol=1e-4, atol=1e-5)


def test_only_models_differing_in_beta_and_seed_train_together(tiny_data):
    with pytest.raises(vaebook.UsageError, match="differ in more than β and seed"):
        train_vae_group(["a", "b"], [TINY, replace(TINY, recon_loss="mse")], PROFILES["quick"], tiny_data,
                        torch.device("cpu"), progress=False)


def test_load_all_trains_a_sweep_as_one_group_and_caches_each_model(use_tiny_data, monkeypatch):
    sweep = {"beta-a": VAEConfig(beta=0.5), "beta-b": VAEConfig(beta=2.0)}
    for name, config in sweep.items():
        monkeypatch.setitem(EXPERIMENTS, name, Experiment(name, config, "a test sweep"))
    groups = []
    real = train.GROUP_TRAINERS["vae"]
    monkeypatch.setitem(train.GROUP_TRAINERS, "vae", lambda names, *a, **k: groups.append(names) or real(names, *a, **k))
    runs = vaebook.load_all(["beta-a", "beta-b", "vae-bce"], profile="quick")
    assert groups == [["beta-a", "beta-b", "vae-bce"]] and list(runs) == ["beta-a", "beta-b", "vae-bce"]
    assert vaebook.load("beta-b", profile="quick").from_cache
    assert vaebook.load_all(["beta-a", "beta-b"], profile="quick")["beta-a"].from_cache
