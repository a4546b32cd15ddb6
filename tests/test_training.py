from dataclasses import replace

import pytest
import torch

from conftest import stored_items
from latentdigits import experiments
from latentdigits.experiments import EXPERIMENTS, Experiment
from vaebook import families, train
from vaebook.config import PROFILES, AEConfig, ConvVAEConfig, NoisyVAEConfig, VAEConfig
from vaebook.data import MNIST
from vaebook.errors import TrainingDiverged, UsageError
from vaebook.families import trained_model
from vaebook.models import MLPVAE
from vaebook.train import VAETrainer, fit, train_vae_group

TINY = VAEConfig(hidden_dim=32, latent_dim=4, batch_size=64, epochs=2)


def _train(data, config=TINY):
    return fit(VAETrainer, "tiny", config, families.family_of(config).network, PROFILES["quick"], data,
               torch.device("cpu"), progress=False)


def test_history_has_every_column_per_epoch(tiny_data):
    run = _train(tiny_data)
    assert run.history["epoch"] == [1, 2]
    for column in ("train_loss", "train_recon", "train_kl", "test_loss", "test_recon", "test_kl"):
        assert len(run.history[column]) == 2
    assert run.history["train_loss"][0] == pytest.approx(run.history["train_recon"][0] + run.history["train_kl"][0])
    assert len(run.artefacts["step_loss"]) == 2 * 4  # 256 images in batches of 64
    assert run.artefacts["samples"].shape[1] == 784 and run.artefacts["probe_images"].shape == (10, 784)


@pytest.mark.slow
def test_a_larger_beta_buys_a_lower_rate(tiny_data):
    """The same data, seed and schedule: only β differs, and the model that pays more for
    its KL term keeps less information in its code."""
    low, high = (_train(tiny_data, replace(TINY, beta=beta)) for beta in (0.5, 4.0))
    assert high.history["test_kl"][-1] < 0.5 * low.history["test_kl"][-1]
    assert high.history["train_kl"][-1] < low.history["train_kl"][-1]


@pytest.mark.slow
def test_training_is_deterministic_for_a_seed(tiny_data):
    first, second = _train(tiny_data), _train(tiny_data)
    assert first.history == second.history
    for name in first.weights:
        assert torch.equal(first.weights[name], second.weights[name])
    other = _train(tiny_data, VAEConfig(hidden_dim=32, latent_dim=4, batch_size=64, epochs=2, seed=1))
    assert not torch.equal(first.weights["to_mu.weight"], other.weights["to_mu.weight"])


def test_a_nan_loss_stops_training_and_caches_nothing(tiny_data, use_data, monkeypatch):
    poisoned = MNIST(tiny_data.train_images.clone(), tiny_data.train_labels, tiny_data.test_images,
                     tiny_data.test_labels)
    poisoned.train_images[3, 5] = float("nan")
    use_data(poisoned)
    with pytest.raises(TrainingDiverged, match=r"vae-bce: .*NaN.* epoch 1; nothing was cached"):
        experiments.load("vae-bce", profile="quick")
    assert stored_items() == []


@pytest.mark.slow
def test_a_batched_sweep_matches_sequential_training(tiny_data):
    """Tolerance: rounding only (batched matmuls sum in another order), 1e-4 relative."""
    configs = [replace(TINY, beta=0.5), replace(TINY, beta=4.0), replace(TINY, seed=3)]
    names = ["beta-0.5", "beta-4", "seed-3"]
    batched = train_vae_group(names, configs, MLPVAE, PROFILES["quick"], tiny_data, torch.device("cpu"), progress=False)
    for run, config in zip(batched, configs):
        alone = _train(tiny_data, config)
        assert run.config == config and run.meta["trained_with"] == names
        for column in alone.history:
            assert run.history[column] == pytest.approx(alone.history[column], rel=1e-4)
        for name, tensor in alone.weights.items():
            torch.testing.assert_close(run.weights[name], tensor, rtol=1e-4, atol=1e-5)
        for name in ("step_loss", "samples", "samples_epoch_1", "latent_mean_before", "latent_mean_after"):
            torch.testing.assert_close(run.artefacts[name], alone.artefacts[name], rtol=1e-4, atol=1e-5)


@pytest.mark.slow
def test_a_batched_noise_sweep_matches_sequential_training(tiny_data):
    """Each member corrupts its batches with its own rate, target and random stream."""
    noisy = NoisyVAEConfig(hidden_dim=32, latent_dim=4, batch_size=64, epochs=2)
    configs = [replace(noisy, noise_rate=0.1), replace(noisy, noise_rate=0.8, target="clean")]
    batched = train_vae_group(["n", "d"], configs, MLPVAE, PROFILES["quick"], tiny_data, torch.device("cpu"),
                              progress=False)
    for run, config in zip(batched, configs):
        alone = _train(tiny_data, config)
        for column in alone.history:
            assert run.history[column] == pytest.approx(alone.history[column], rel=1e-4)


@pytest.mark.slow
def test_the_noisy_family_trains_on_corrupted_and_scores_on_clean_images(tiny_data):
    noisy = NoisyVAEConfig(hidden_dim=32, latent_dim=4, batch_size=64, epochs=1, noise_rate=0.8)
    plain = replace(TINY, epochs=1)
    corrupted, clean = _train(tiny_data, noisy), _train(tiny_data, plain)
    assert corrupted.history["train_recon"] != clean.history["train_recon"]
    # Scoring draws no corruption: a model is scored on the clean test images.
    model = trained_model(corrupted)
    scored = train.evaluate_vae(model, tiny_data.test_images, noisy)
    assert scored["recon"] == pytest.approx(corrupted.history["test_recon"][-1], rel=1e-5)


@pytest.mark.slow
def test_the_autoencoder_has_no_kl_term_and_a_deterministic_code(tiny_data):
    run = _train(tiny_data, AEConfig(hidden_dim=32, latent_dim=4, batch_size=64, epochs=2))
    assert run.history["train_kl"] == [0.0, 0.0] and run.history["test_loss"] == run.history["test_recon"]
    model = trained_model(run)
    x = tiny_data.test_images[:5]
    assert torch.equal(model(x)[0], model(x, torch.randn(5, 4))[0])  # no noise enters


@pytest.mark.slow
def test_the_conv_vae_trains_and_scores_in_eval_mode(tiny_data):
    config = ConvVAEConfig(channels=4, latent_dim=3, batch_size=64, epochs=1)
    run = _train(tiny_data, config)
    assert run.artefacts["samples"].shape == (64, 784) and run.artefacts["probe_reconstructions"].shape == (10, 784)
    model = trained_model(run)
    assert not model.training  # BatchNorm uses its running statistics
    again = train.evaluate_vae(model, tiny_data.test_images, config)
    assert again["loss"] == pytest.approx(run.history["test_loss"][-1], rel=1e-5)


def test_only_models_differing_in_beta_and_seed_train_together(tiny_data):
    with pytest.raises(UsageError, match="differ in more than β, seed and noise"):
        train_vae_group(["a", "b"], [TINY, replace(TINY, recon_loss="mse")], MLPVAE, PROFILES["quick"], tiny_data,
                        torch.device("cpu"), progress=False)


def test_load_all_trains_a_sweep_as_one_group_and_caches_each_model(use_tiny_data, monkeypatch):
    sweep = {"beta-a": VAEConfig(beta=0.5), "beta-b": VAEConfig(beta=2.0)}
    for name, config in sweep.items():
        monkeypatch.setitem(EXPERIMENTS, name, Experiment(name, config, "a test sweep"))
    groups = []
    counted = replace(families.FAMILIES["vae"],
                      group_trainer=lambda names, *a, **k: groups.append(names) or train_vae_group(names, *a, **k))
    monkeypatch.setitem(families.FAMILIES, "vae", counted)
    runs = experiments.load_all(["beta-a", "beta-b", "vae-bce"], profile="quick")
    assert groups == [["beta-a", "beta-b", "vae-bce"]] and list(runs) == ["beta-a", "beta-b", "vae-bce"]
    assert experiments.load("beta-b", profile="quick").from_cache
    assert experiments.load_all(["beta-a", "beta-b"], profile="quick")["beta-a"].from_cache


def test_load_all_trains_families_without_a_group_key_one_by_one(use_tiny_data, monkeypatch):
    monkeypatch.setitem(EXPERIMENTS, "ae", Experiment("ae", AEConfig(hidden_dim=32, latent_dim=4), "test"))
    monkeypatch.setitem(EXPERIMENTS, "conv-vae", Experiment("conv-vae", ConvVAEConfig(channels=4), "test"))
    runs = experiments.load_all(["ae", "conv-vae"], profile="quick")
    assert [run.config.family for run in runs.values()] == ["ae", "conv-vae"]
    assert all("trained_with" not in run.meta for run in runs.values())


def test_the_tanh_vae_takes_and_draws_images_in_zero_one_and_models_minus_one_to_one(tiny_data):
    from vaebook.config import TanhVAEConfig

    config = TanhVAEConfig(hidden_dim=32, latent_dim=4, batch_size=64, epochs=1)
    run = _train(tiny_data, config)
    samples = run.artefacts["samples"]
    assert 0 <= samples.min() and samples.max() <= 1
    model = trained_model(run)
    x = tiny_data.test_images[:4]
    # The encoder sees 2x - 1: the same codes as the plain MLP VAE's layers given the scaled image.
    assert torch.allclose(model.encode(x)[0], model.to_mu(model.encoder(2 * x - 1)))


@pytest.mark.slow
def test_the_small_conv_vae_of_report_001_trains_with_its_beta(tiny_data):
    from vaebook.config import SmallConvVAEConfig

    config = SmallConvVAEConfig(latent_dim=3, beta=2.0, batch_size=64, epochs=1)
    run = _train(tiny_data, config)
    assert run.artefacts["samples"].shape == (64, 784)
    row = {k: v[-1] for k, v in run.history.items()}
    assert row["train_loss"] == pytest.approx(row["train_recon"] + 2.0 * row["train_kl"], rel=1e-5)


def test_the_kl_only_vae_never_changes_its_decoder(tiny_data):
    config = replace(TINY, recon_loss="none", epochs=1)
    run = _train(tiny_data, config)
    fresh = train.initial_model(MLPVAE, config, torch.device("cpu"))
    trained = trained_model(run)
    assert all(torch.equal(a, b) for a, b in zip(fresh.decoder.parameters(), trained.decoder.parameters()))
    assert run.history["train_recon"] == [0.0]
