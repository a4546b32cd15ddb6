"""Measurements of trained runs that need the test set or heavy computation (t-SNE), each
computed once and stored beside the run's cache entry, so that a warm build neither loads
MNIST nor runs t-SNE. A result is keyed by its parameters and `VERSION`: change either and
it is recomputed. Nothing here trains or reads files: the runs to measure are arguments, and
each brings its data (`Run.data`, which the runner sets).
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import torch

from . import cache
from .config import get_profile
from .data import MNIST, first_of_each_digit, salt_and_pepper
from .errors import NotCached
from .families import family_of, trained_model
from .latent import decode_prior, encode, fixed_latents, reconstruct
from .losses import RECON_LOSSES
from .metrics import ACTIVE_KL, kl_per_dimension, mean_intensity, mse, neighbour_agreement, psnr, sharpness, stray_ink
from .paths import CACHE_ONLY_VARIABLE, cache_only
from .result import Run

VERSION = 1
CORRUPTION_SEED = 7  # the same corrupted test set for every model at a given rate
TSNE_OPTIONS = {"perplexity": 40, "init": "pca", "random_state": 0}  # course report 000's perplexity


def stored(run: Run, name: str, params: dict, compute: Callable[[], dict]) -> dict[str, torch.Tensor]:
    """The result `name` of `run` with `params`: read from beside its entry, or computed by
    `compute` and stored there. With VAEBOOK_CACHE_ONLY set, a missing result is NotCached."""
    params = params | {"version": VERSION}
    if run.path is not None and (found := cache.read_derived(run.path, name, params)) is not None:
        return found
    if cache_only():
        raise NotCached(f"the {name} result of {run.name} ({run.profile.name} profile) is not in the cache and "
                        f"{CACHE_ONLY_VARIABLE} is set; build once without it to compute and store it")
    result = {k: torch.as_tensor(v) for k, v in compute().items()}
    if run.path is not None:  # a run that was never stored (a test's) keeps nothing
        cache.write_derived(run.path, name, params, result)
    return result


def n_generated(run: Run) -> int:
    """How many samples of a model its sample statistics and scores use: 10,000 in the full
    profile. Read from the profile's definition, not the entry's copy of it."""
    return get_profile(run.profile.name).generated_images


def all_data(run: Run) -> MNIST:
    """All of MNIST, from the loader the run came with."""
    if run.data is None:
        raise ValueError(f"{run.name} has no data to measure it on: measure the runs that vaebook.runner returns")
    return run.data()


def test_data(run: Run) -> MNIST:
    """The data slice `run` was trained and tested on."""
    return all_data(run).subset(run.profile.train_size, run.profile.test_size)


def generated_images(run: Run, n: int | None = None) -> torch.Tensor:
    """n images (`n_generated`) decoded from the shared prior draws, in [0, 1]."""
    return decode_prior(trained_model(run), n or n_generated(run), run.config.latent_dim)


def pixel_moments(run: Run) -> dict[str, torch.Tensor]:
    """Per pixel, the mean and (population) standard deviation of the run's prior samples (`n_generated`),
    and the mean of the test digits: the "average digit", every test digit superimposed."""

    def compute():
        samples = generated_images(run)
        return {"sample_mean": samples.mean(0), "sample_std": samples.std(0, correction=0),
                "test_mean": test_data(run).test_images.mean(0)}

    return stored(run, "pixel-moments", {"samples": n_generated(run)}, compute)


def reference_losses(run: Run) -> dict[str, torch.Tensor]:
    """The run's reconstruction loss, averaged over the test digits, for two decoders that
    ignore the model: a perfect one, whose output is each digit itself (its logits clipped
    at 1e-6 from 0 and 1), and a flat grey one (every pixel 1/2). Their gap is how much the
    loss can tell a copy of the digit from no picture at all."""
    def compute():
        images = test_data(run).test_images
        loss = RECON_LOSSES[run.config.recon_loss]
        perfect = torch.logit(images.clamp(1e-6, 1 - 1e-6))
        return {"perfect": loss(perfect, images).mean(), "flat": loss(torch.zeros_like(images), images).mean()}

    return stored(run, "reference-losses", {"clip": 1e-6}, compute)


def code_statistics(run: Run) -> dict[str, torch.Tensor]:
    """Per latent dimension, over the test set: the average KL (VAEs only) and the aggregate
    posterior's mean and variance. Small, unlike the codes themselves (`test_codes`)."""

    def compute():
        means, logvars = encode(trained_model(run), test_data(run).test_images)
        if logvars is None:  # an autoencoder: its codes are the whole story
            return {"code_mean": means.mean(0), "code_var": means.var(0)}
        # The aggregate posterior q(z) = mean of N(mu, sigma^2): its variance adds the noise.
        return {"kl_per_dim": kl_per_dimension(means, logvars), "code_mean": means.mean(0),
                "code_var": means.var(0) + logvars.exp().mean(0)}

    return stored(run, "code-stats", {}, compute)


def active_dimensions(run: Run) -> int:
    """The latent dimensions whose average KL exceeds `metrics.ACTIVE_KL`."""
    return int((code_statistics(run)["kl_per_dim"] > ACTIVE_KL).sum())


def informative_dimensions(run: Run, count: int) -> list[int]:
    """The `count` latent dimensions with the largest average KL, most informative first."""
    return torch.argsort(code_statistics(run)["kl_per_dim"], descending=True)[:count].tolist()


def test_codes(run: Run) -> dict[str, torch.Tensor]:
    """The posterior means (an autoencoder's codes) of the test images, with their labels."""

    def compute():
        data = test_data(run)
        return {"means": encode(trained_model(run), data.test_images)[0], "labels": data.test_labels}

    return stored(run, "test-codes", {}, compute)


def embeddings(run: Run) -> dict[str, torch.Tensor]:
    """2-D PCA and t-SNE of the test set's posterior means, with the labels, and the
    nearest-neighbour label agreement in the codes and in each embedding."""

    def compute():
        from sklearn.decomposition import PCA
        from sklearn.manifold import TSNE

        codes = test_codes(run)
        means = codes["means"].double().numpy()
        tsne = TSNE(n_components=2, max_iter=run.profile.tsne_iterations, **TSNE_OPTIONS)
        result = {"pca": PCA(n_components=2).fit_transform(means).astype(np.float32),
                  "tsne": tsne.fit_transform(means).astype(np.float32), "labels": codes["labels"]}
        for space, points in (("codes", means), ("pca", result["pca"]), ("tsne", result["tsne"])):
            result[f"agreement_{space}"] = neighbour_agreement(points, codes["labels"])
        return result

    return stored(run, "embeddings", TSNE_OPTIONS | {"max_iter": run.profile.tsne_iterations}, compute)


def image_stats(run: Run) -> dict[str, float]:
    """Mean intensity and sharpness of the prior samples (`n_generated` of them), of the test
    reconstructions and of the test digits themselves, and the reconstruction error (squared,
    summed over pixels). For a model without an encoder, the sample columns alone."""
    with_encoder = family_of(run.config).has_encoder

    @torch.no_grad()
    def compute():
        samples = generated_images(run)
        result = {"sample_intensity": mean_intensity(samples), "sample_sharpness": sharpness(samples)}
        if with_encoder:
            data = test_data(run)
            recon = reconstruct(trained_model(run), data.test_images)
            result |= {"recon_intensity": mean_intensity(recon), "recon_sharpness": sharpness(recon),
                       "test_intensity": mean_intensity(data.test_images),
                       "test_sharpness": sharpness(data.test_images), "recon_mse": mse(recon, data.test_images)}
        return result

    name = "image-stats" if with_encoder else "generated-stats"
    return {k: v.item() for k, v in stored(run, name, {"samples": n_generated(run)}, compute).items()}


def share_inside_prior(run: Run, mass: float = 0.99) -> float:
    """The fraction of test codes (posterior means) within the radius that holds `mass` of
    the prior's draws: how much of the prior's region real digits occupy."""
    draws = fixed_latents(n_generated(run), run.config.latent_dim)
    radius = torch.quantile(draws.norm(dim=1), mass)
    return (test_codes(run)["means"].norm(dim=1) <= radius).float().mean().item()


def corrupted_test_set(data: MNIST, rate: float) -> torch.Tensor:
    return salt_and_pepper(data.test_images, rate, torch.Generator().manual_seed(CORRUPTION_SEED))


def denoising(run: Run, rate: float) -> dict[str, torch.Tensor]:
    """The run's reconstructions of test digits corrupted at `rate`, scored against the clean
    digits; the corrupted digits themselves are scored too (doing nothing). `examples` and
    `example_inputs` hold the first test digit of each class."""

    def compute():
        data = test_data(run)
        corrupted = corrupted_test_set(data, rate)
        recon = reconstruct(trained_model(run), corrupted)
        probes = first_of_each_digit(data.test_labels)
        return {"mse": mse(recon, data.test_images), "psnr": psnr(recon, data.test_images),
                "input_mse": mse(corrupted, data.test_images), "input_psnr": psnr(corrupted, data.test_images),
                "example_inputs": corrupted[probes], "examples": recon[probes]}

    return stored(run, "denoising", {"rate": rate, "seed": CORRUPTION_SEED}, compute)


def speckle(run: Run, reach: int = 2, level: float = 0.5) -> float:
    """`metrics.stray_ink` of the run's test reconstructions."""

    @torch.no_grad()
    def compute():
        data = test_data(run)
        return {"stray": stray_ink(reconstruct(trained_model(run), data.test_images), data.test_images, reach, level)}

    return stored(run, "stray-ink", {"reach": reach, "level": level}, compute)["stray"].item()
