import math

import pytest
import torch

from latentdigits import experiments
from vaebook import cache, latent, measure, metrics
from vaebook.data import salt_and_pepper
from vaebook.errors import NotCached
from vaebook.families import trained_model


def test_salt_and_pepper_replaces_the_given_fraction_by_black_or_white():
    images = torch.full((200, 784), 0.5)
    corrupted = salt_and_pepper(images, 0.2, torch.Generator().manual_seed(0))
    changed = corrupted != 0.5
    assert changed.float().mean().item() == pytest.approx(0.2, abs=0.01)
    assert set(corrupted[changed].unique().tolist()) == {0.0, 1.0}
    assert (corrupted[changed] == 1).float().mean().item() == pytest.approx(0.5, abs=0.02)
    again = salt_and_pepper(images, 0.2, torch.Generator().manual_seed(0))
    assert torch.equal(corrupted, again)


def test_image_measures():
    images = torch.zeros(3, 784)
    images[:, 300:320] = 1.0
    assert metrics.mean_intensity(images) == pytest.approx(20 / 784)
    blurred = torch.nn.functional.avg_pool2d(images.reshape(3, 1, 28, 28), 3, 1, 1).reshape(3, 784)
    assert metrics.sharpness(blurred) < metrics.sharpness(images)
    assert metrics.mse(images, images) == 0 and metrics.psnr(images, images) == pytest.approx(100)
    assert metrics.psnr(torch.full((1, 784), 0.1), torch.zeros(1, 784)) == pytest.approx(20)
    assert metrics.mse(torch.full((1, 784), 0.1), torch.zeros(1, 784)) == pytest.approx(7.84)


def test_slerp_keeps_the_ends_and_interpolates_the_norm():
    a, b = torch.tensor([3.0, 0.0]), torch.tensor([0.0, 1.0])
    path = latent.slerp(a, b, torch.linspace(0, 1, 5))
    torch.testing.assert_close(path[0], a)
    torch.testing.assert_close(path[-1], b)
    torch.testing.assert_close(path.norm(dim=1), torch.linspace(3, 1, 5))
    angles = torch.atan2(path[:, 1], path[:, 0])  # equal steps along the arc
    torch.testing.assert_close(angles, torch.linspace(0, math.pi / 2, 5))


def test_gaussian_ticks_are_symmetric_quantiles():
    ticks = latent.gaussian_ticks(20)
    torch.testing.assert_close(ticks, -ticks.flip(0))
    assert ticks[-1].item() == pytest.approx(1.96, abs=0.01)  # the 97.5 % quantile


def test_neighbour_agreement():
    labels = torch.arange(100) % 2
    apart = torch.stack([labels * 10.0 + torch.rand(100), torch.rand(100)], dim=1)
    assert metrics.neighbour_agreement(apart, labels) == 1.0
    assert metrics.neighbour_agreement(torch.rand(100, 2), labels) < 0.8


def test_analyses_are_stored_beside_the_entry_and_a_corrupt_one_is_recomputed(use_tiny_data):
    run = experiments.load("vae-bce", profile="quick")
    codes = measure.test_codes(run)
    assert codes["means"].shape == (128, 20) and codes["labels"].shape == (128,)
    # The KL per dimension adds up to the model's test KL, which has no sampling in it.
    kl = measure.code_statistics(run)["kl_per_dim"]
    assert kl.shape == (20,) and kl.sum().item() == pytest.approx(run.metrics["test_kl"], rel=1e-4)
    stored = sorted(run.path.glob("derived-test-codes-*.safetensors"))
    assert len(stored) == 1
    cache.read(run.path)  # the run's own entry is untouched: its checksums still hold
    stored[0].write_bytes(stored[0].read_bytes()[:-7] + b"garbage")
    torch.testing.assert_close(measure.test_codes(run)["means"], codes["means"])
    assert cache.read_derived(run.path, "test-codes", {"version": measure.VERSION}) is not None


def test_active_dimensions_count_kl_above_the_threshold(use_tiny_data):
    run = experiments.load("vae-bce", profile="quick")
    kl = measure.code_statistics(run)["kl_per_dim"]
    assert measure.active_dimensions(run) == int((kl > metrics.ACTIVE_KL).sum())
    dims = measure.informative_dimensions(run, 3)
    assert kl[dims[0]] == kl.max() and len(set(dims)) == 3
    images = latent.traversal(trained_model(run), run.config.latent_dim, dims, [-2.0, 0.0, 2.0])
    assert images.shape == (3, 3, 784)
    torch.testing.assert_close(images[0, 1], images[2, 1])  # every row passes through z = 0


def test_denoising_scores_the_input_and_the_reconstruction(use_tiny_data):
    run = experiments.load("vae-bce", profile="quick")
    light, heavy = measure.denoising(run, 0.05), measure.denoising(run, 0.5)
    assert heavy["input_psnr"] < light["input_psnr"] and heavy["input_mse"] > light["input_mse"]
    assert light["examples"].shape == (10, 784) and light["example_inputs"].shape == (10, 784)


def test_the_autoencoder_has_codes_but_no_kl_per_dimension(use_tiny_data):
    run = experiments.load("ae", profile="quick")
    stats = measure.code_statistics(run)
    assert "kl_per_dim" not in stats and stats["code_var"].shape == (20,)


def test_cache_only_refuses_to_train_or_compute(use_tiny_data, monkeypatch):
    run = experiments.load("vae-bce", profile="quick")
    monkeypatch.setenv("VAEBOOK_CACHE_ONLY", "1")
    assert experiments.load("vae-bce", profile="quick").from_cache
    with pytest.raises(NotCached, match="vae-mse not in the quick-profile cache and VAEBOOK_CACHE_ONLY is set"):
        experiments.load_all(["vae-bce", "vae-mse"], profile="quick")
    with pytest.raises(NotCached, match="test-codes result of vae-bce"):
        measure.test_codes(run)
    monkeypatch.setenv("VAEBOOK_CACHE_ONLY", "0")
    measure.test_codes(run)
    monkeypatch.setenv("VAEBOOK_CACHE_ONLY", "1")
    assert measure.test_codes(run)["means"].shape == (128, 20)


def test_stroke_measures_read_ink_and_slant():
    upright = torch.zeros(28, 28)
    upright[4:24, 14] = 1.0
    leaning = torch.zeros(28, 28)
    for row in range(4, 24):
        leaning[row, 24 - row // 2] = 1.0  # the column grows as the row rises: leans right
    measures = metrics.stroke_measures(torch.stack([upright, leaning]).reshape(2, 784))
    assert measures["slant"][0].item() == pytest.approx(0.0, abs=1e-4)
    assert measures["slant"][1].item() == pytest.approx(math.degrees(math.atan(0.5)), abs=2.0)
    assert measures["ink"][0].item() == pytest.approx(20 / 784)


def test_rate_distortion_slopes_are_chords_in_beta_order():
    slopes = metrics.rate_distortion_slopes({2.0: (10.0, 100.0), 0.5: (30.0, 80.0), 1.0: (20.0, 85.0)})
    assert slopes == [(0.5, 1.0, pytest.approx(-0.5)), (1.0, 2.0, pytest.approx(-1.5))]


def test_noise_entropy_is_the_entropy_of_the_flips():
    assert metrics.noise_entropy(1.0, pixels=1) == pytest.approx(math.log(2))
    assert metrics.noise_entropy(0.0) == 0.0
    assert metrics.noise_entropy(0.2) > metrics.noise_entropy(0.1)


def test_pixel_moments_are_the_samples_per_pixel_mean_and_spread_and_the_average_test_digit(use_tiny_data):
    run = experiments.load("vae-kl-only", profile="quick")
    moments = measure.pixel_moments(run)
    samples = measure.generated_images(run)
    assert torch.allclose(moments["sample_mean"], samples.mean(0))
    assert torch.allclose(moments["sample_std"], samples.std(0, correction=0))
    assert torch.allclose(moments["test_mean"], use_tiny_data.test_images.mean(0))
