"""Measurements of trained runs that need the test set or heavy computation (t-SNE).

Each is computed once and stored beside the run's cache entry (`cache.save_derived`), so a
warm render reads them instead of loading MNIST or running t-SNE. Their parameters, and
`ANALYSIS_VERSION`, key the stored result: change either and it is recomputed.

Scores of images are per image and then averaged: `mse` sums squared error over the 784
pixels (the unit of `vae-mse`'s loss), `psnr` is 10 log10(1 / per-pixel MSE) in dB.
"""

from __future__ import annotations

from typing import Callable

import numpy as np
import torch

from . import cache
from .config import get_profile
from .data import MNIST, first_of_each_digit, load_mnist, salt_and_pepper
from .errors import NotCached
from .losses import gaussian_kl
from .paths import CACHE_ONLY_VARIABLE, cache_only
from .result import Run
from .train import EVAL_BATCH, fixed_latents

ANALYSIS_VERSION = 1
ACTIVE_KL = 0.01  # nats: a latent dimension whose average KL is below this carries no information
CORRUPTION_SEED = 7  # the same corrupted test set for every model at a given rate
TSNE = {"perplexity": 40, "init": "pca", "random_state": 0}  # seed 000's perplexity


def _stored(run: Run, name: str, params: dict, compute: Callable[[], dict]) -> dict[str, torch.Tensor]:
    entry = cache.entry_path(run.name, run.config, run.profile)
    params = params | {"version": ANALYSIS_VERSION}
    if (found := cache.read_derived(entry, name, params)) is not None:
        return found
    if cache_only():
        raise NotCached(f"the {name} analysis of {run.name} ({run.profile.name} profile) is not in the cache and "
                        f"{CACHE_ONLY_VARIABLE} is set; render once without it to compute and store it")
    result = {k: torch.as_tensor(v) for k, v in compute().items()}
    if entry.is_dir():  # a run that was never cached (a test's) is simply not stored
        cache.save_derived(entry, name, params, result)
    return result


def n_generated(run: Run) -> int:
    """How many samples of a model its sample statistics and scores use: 10,000 in the full
    profile. Read from the profile's definition, not the entry's copy of it."""
    return get_profile(run.profile.name).generated_images


def _test_data(run: Run) -> MNIST:
    return load_mnist().subset(run.profile.train_size, run.profile.test_size)


@torch.no_grad()
def _encode(model, images: torch.Tensor):
    means, logvars = zip(*(model.encode(x) for x in images.split(EVAL_BATCH)))
    return torch.cat(means), None if logvars[0] is None else torch.cat(logvars)


@torch.no_grad()
def _reconstruct(model, images: torch.Tensor) -> torch.Tensor:
    """The decoder's mean at the posterior mean: the model's reconstruction of each image."""
    return torch.cat([model.decode(model.encode(x)[0]) for x in images.split(EVAL_BATCH)])


def mean_intensity(images: torch.Tensor) -> float:
    """Average pixel value: how much ink (0 is white, 1 is black in the book's figures)."""
    return images.mean().item()


def sharpness(images: torch.Tensor) -> float:
    """Mean absolute difference between neighbouring pixels, across and down. A blurred
    stroke changes gradually and scores low; a crisp one jumps from 0 to 1 at its edge."""
    grid = images.reshape(-1, 28, 28)
    across = (grid[:, :, 1:] - grid[:, :, :-1]).abs().mean(dim=(1, 2))
    down = (grid[:, 1:, :] - grid[:, :-1, :]).abs().mean(dim=(1, 2))
    return ((across + down) / 2).mean().item()


def mse(images: torch.Tensor, reference: torch.Tensor) -> float:
    return (images - reference).square().sum(dim=1).mean().item()


def psnr(images: torch.Tensor, reference: torch.Tensor) -> float:
    per_pixel = (images - reference).square().mean(dim=1).clamp_min(1e-10)
    return (10 * torch.log10(1 / per_pixel)).mean().item()


def code_statistics(run: Run) -> dict[str, torch.Tensor]:
    """Per latent dimension, over the test set: the average KL (VAEs only) and the aggregate
    posterior's mean and variance. Small, unlike the codes themselves (`test_codes`)."""

    def compute():
        data, model = _test_data(run), run.model()
        means, logvars = _encode(model, data.test_images)
        if logvars is None:  # an autoencoder: its codes are the whole story
            return {"code_mean": means.mean(0), "code_var": means.var(0)}
        # The KL of a diagonal Gaussian is a sum over dimensions: one term per dimension.
        per_dim = gaussian_kl(means.reshape(-1, 1), logvars.reshape(-1, 1)).reshape(means.shape)
        # The aggregate posterior q(z) = mean of N(mu, sigma^2): its variance adds the noise.
        return {"kl_per_dim": per_dim.mean(0), "code_mean": means.mean(0),
                "code_var": means.var(0) + logvars.exp().mean(0)}

    return _stored(run, "code-stats", {}, compute)


def test_codes(run: Run) -> dict[str, torch.Tensor]:
    """The posterior means (an autoencoder's codes) of the test images, with their labels."""

    def compute():
        data = _test_data(run)
        return {"means": _encode(run.model(), data.test_images)[0], "labels": data.test_labels}

    return _stored(run, "test-codes", {}, compute)


def active_dimensions(run: Run) -> int:
    return int((code_statistics(run)["kl_per_dim"] > ACTIVE_KL).sum())


def neighbour_agreement(points, labels) -> float:
    """The fraction of points whose nearest other point has the same label: how well the
    space keeps each digit among its own kind, with no classifier involved."""
    from sklearn.neighbors import NearestNeighbors

    points, labels = np.asarray(points), np.asarray(labels)
    _, index = NearestNeighbors(n_neighbors=2).fit(points).kneighbors(points)
    return float((labels[index[:, 1]] == labels).mean())


def embeddings(run: Run) -> dict[str, torch.Tensor]:
    """2-D PCA and t-SNE of the test set's posterior means, with the labels, and the
    nearest-neighbour label agreement in the codes and in each embedding."""

    def compute():
        from sklearn.decomposition import PCA
        from sklearn.manifold import TSNE as TSNEMethod

        codes = test_codes(run)
        means = codes["means"].double().numpy()
        tsne = TSNEMethod(n_components=2, max_iter=run.profile.tsne_iterations, **TSNE)
        result = {
            "pca": PCA(n_components=2).fit_transform(means).astype(np.float32),
            "tsne": tsne.fit_transform(means).astype(np.float32),
            "labels": codes["labels"],
        }
        for space, points in (("codes", means), ("pca", result["pca"]), ("tsne", result["tsne"])):
            result[f"agreement_{space}"] = neighbour_agreement(points, codes["labels"])
        return result

    return _stored(run, "embeddings", TSNE | {"max_iter": run.profile.tsne_iterations}, compute)


@torch.no_grad()
def generated_images(run: Run, n: int | None = None) -> torch.Tensor:
    """n images (`n_generated`) decoded from the shared latent draws (`fixed_latents`), in
    [0, 1]: the same draws for every model with the same latent size."""
    model, n = run.model(), n or n_generated(run)
    return torch.cat([model.decode(z) for z in fixed_latents(n, run.config.latent_dim, "cpu").split(EVAL_BATCH)])


def image_stats(run: Run) -> dict[str, float]:
    """Mean intensity and sharpness of 10,000 prior samples, of the test reconstructions and
    of the test digits themselves; and the reconstruction error (squared, summed over pixels)."""

    @torch.no_grad()
    def compute():
        data, model, samples = _test_data(run), run.model(), generated_images(run)
        recon = _reconstruct(model, data.test_images)
        return {
            "sample_intensity": mean_intensity(samples), "sample_sharpness": sharpness(samples),
            "recon_intensity": mean_intensity(recon), "recon_sharpness": sharpness(recon),
            "test_intensity": mean_intensity(data.test_images), "test_sharpness": sharpness(data.test_images),
            "recon_mse": mse(recon, data.test_images),
        }

    return {k: v.item() for k, v in _stored(run, "image-stats", {"samples": n_generated(run)}, compute).items()}


def corrupted_test_set(data: MNIST, rate: float) -> torch.Tensor:
    return salt_and_pepper(data.test_images, rate, torch.Generator().manual_seed(CORRUPTION_SEED))


def denoising(run: Run, rate: float) -> dict[str, torch.Tensor]:
    """The run's reconstructions of test digits corrupted at `rate`, scored against the clean
    digits; the corrupted digits themselves are scored too (doing nothing). `examples` and
    `example_inputs` hold the first test digit of each class."""

    def compute():
        data, model = _test_data(run), run.model()
        corrupted = corrupted_test_set(data, rate)
        recon = _reconstruct(model, corrupted)
        probes = first_of_each_digit(data.test_labels)
        return {
            "mse": mse(recon, data.test_images), "psnr": psnr(recon, data.test_images),
            "input_mse": mse(corrupted, data.test_images), "input_psnr": psnr(corrupted, data.test_images),
            "example_inputs": corrupted[probes], "examples": recon[probes],
        }

    return _stored(run, "denoising", {"rate": rate, "seed": CORRUPTION_SEED}, compute)


# Cheap decodings, computed at render time from the weights alone.
@torch.no_grad()
def traversal(run: Run, dims, values) -> torch.Tensor:
    """Images decoded as one latent dimension at a time takes each of `values`, the others
    held at 0 (the prior's mean): shape (len(dims), len(values), 784)."""
    model = run.model()
    z = torch.zeros(len(dims), len(values), run.config.latent_dim)
    for row, dim in enumerate(dims):
        z[row, :, dim] = torch.as_tensor(values, dtype=torch.float32)
    return model.decode(z.reshape(-1, run.config.latent_dim)).reshape(len(dims), len(values), -1)


def informative_dimensions(run: Run, count: int) -> list[int]:
    """The `count` latent dimensions with the largest average KL, most informative first."""
    return torch.argsort(code_statistics(run)["kl_per_dim"], descending=True)[:count].tolist()


@torch.no_grad()
def manifold(run: Run, ticks) -> torch.Tensor:
    """A 2-D latent space decoded on the grid ticks x ticks: shape (n, n, 784), [i, j] at
    (z1, z2) = (ticks[j], ticks[i])."""
    ticks = torch.as_tensor(ticks, dtype=torch.float32)
    z2, z1 = torch.meshgrid(ticks, ticks, indexing="ij")
    z = torch.stack([z1.flatten(), z2.flatten()], dim=1)
    return run.model().decode(z).reshape(len(ticks), len(ticks), -1)


def gaussian_ticks(n: int) -> torch.Tensor:
    """Latent coordinates at evenly spaced quantiles of N(0, 1), as in Kingma & Welling
    (2014, Fig. 4): equal steps in probability mass rather than in z."""
    quantiles = torch.linspace(0.5 / n, 1 - 0.5 / n, n)
    return torch.distributions.Normal(0.0, 1.0).icdf(quantiles)


def slerp(a: torch.Tensor, b: torch.Tensor, t: torch.Tensor) -> torch.Tensor:
    """Spherical interpolation: along the great circle between a and b, scaling the norm
    linearly. Under a Gaussian prior, points between two typical codes stay at a typical
    distance from the origin, where a straight line dips towards it."""
    t = t[:, None]
    norm_a, norm_b = a.norm(), b.norm()
    omega = torch.arccos(torch.clamp((a / norm_a) @ (b / norm_b), -1.0, 1.0))
    direction = (torch.sin((1 - t) * omega) * a / norm_a + torch.sin(t * omega) * b / norm_b) / torch.sin(omega)
    return direction * ((1 - t) * norm_a + t * norm_b)


@torch.no_grad()
def interpolations(run: Run, start: torch.Tensor, end: torch.Tensor, steps: int = 10) -> dict[str, torch.Tensor]:
    """Images decoded along the linear and the spherical path between the posterior means
    of two images."""
    model = run.model()
    a, b = model.encode(start[None])[0][0], model.encode(end[None])[0][0]
    t = torch.linspace(0, 1, steps)
    return {"linear": model.decode(a + t[:, None] * (b - a)), "spherical": model.decode(slerp(a, b, t))}


def share_inside_prior(run: Run, mass: float = 0.99) -> float:
    """The fraction of test codes (posterior means) within the radius that holds `mass` of
    the prior's draws: how much of the prior's region real digits occupy."""
    draws = fixed_latents(n_generated(run), run.config.latent_dim, "cpu")
    radius = torch.quantile(draws.norm(dim=1), mass)
    return (test_codes(run)["means"].norm(dim=1) <= radius).float().mean().item()


# The noise sweep's series, named by keys of plots.TEXT.
def denoising_curves(scores: dict, clean_trained: dict, key: str = "psnr") -> dict[str, list[float]]:
    """One value per corruption rate for each series: the corrupted input itself (doing
    nothing), the `noise-<rate>` and `denoise-<rate>` runs (`scores`: {name: denoising(...)})
    and a VAE trained on clean digits (`clean_trained`: {rate: denoising(...)}). `key` is
    "psnr" or "mse"; rates ascend."""
    rates = sorted(clean_trained)
    return {
        "corrupted_input": [float(scores[f"noise-{r:g}"][f"input_{key}"]) for r in rates],
        "noisy_trained": [float(scores[f"noise-{r:g}"][key]) for r in rates],
        "denoising": [float(scores[f"denoise-{r:g}"][key]) for r in rates],
        "clean_trained": [float(clean_trained[r][key]) for r in rates],
    }


def denoising_examples(scores: dict, clean_trained: dict, rate: float) -> dict[str, torch.Tensor]:
    """The first test digit of each class corrupted at `rate`, and each model's reconstruction
    of it, from the same arguments as `denoising_curves`."""
    noisy, denoised = scores[f"noise-{rate:g}"], scores[f"denoise-{rate:g}"]
    return {"corrupted_input": noisy["example_inputs"], "noisy_trained": noisy["examples"],
            "denoising": denoised["examples"], "clean_trained": clean_trained[rate]["examples"]}


def noise_sweep_column(runs: dict, column: str) -> dict[str, list[float]]:
    """A metric of the noise sweep's runs ({name: run}), one value per rate, ascending, for the
    models trained on noisy digits and for the denoising ones."""
    rates = sorted({run.config.noise_rate for run in runs.values()})
    return {"noisy_trained": [runs[f"noise-{r:g}"].metrics[column] for r in rates],
            "denoising": [runs[f"denoise-{r:g}"].metrics[column] for r in rates]}


def rate_distortion_slopes(points: dict) -> list[tuple[float, float, float]]:
    """Slopes of the chords between neighbouring points of a β sweep {β: (rate, distortion)}:
    (β_low, β_high, Δdistortion / Δrate), in order of β. A model that minimises distortion
    + β·rate sits where the rate-distortion curve has slope −β, so on a convex curve each
    chord's slope lies between −β_high and −β_low (Alemi et al. 2018)."""
    betas = sorted(points)
    return [
        (low, high, (points[high][1] - points[low][1]) / (points[high][0] - points[low][0]))
        for low, high in zip(betas, betas[1:])
    ]


def noise_entropy(rate: float, pixels: int = 784) -> float:
    """Nats per image that salt-and-pepper noise at `rate` adds to a black-and-white digit:
    each pixel keeps its value with probability 1 - rate/2 and flips with rate/2, and no model
    can predict the flip. A lower bound on the loss of a model of the corrupted images."""
    flip = rate / 2
    return float(-pixels * (flip * np.log(flip) + (1 - flip) * np.log(1 - flip))) if 0 < flip < 1 else 0.0


def stroke_measures(images: torch.Tensor) -> dict[str, torch.Tensor]:
    """Two properties of each 28 x 28 image in `images` (..., 784) that can be read off its
    pixels: `ink`, the mean intensity (thicker or longer strokes hold more), and `slant`, the
    angle in degrees by which the ink leans from vertical, positive to the right, from the
    second moments of the ink (how far its column moves per row). Both keep the leading shape."""
    grid = images.reshape(*images.shape[:-1], 28, 28).float()
    rows, columns = torch.meshgrid(torch.arange(28.0), torch.arange(28.0), indexing="ij")
    mass = grid.sum(dim=(-2, -1)).clamp_min(1e-8)

    def mean(values):
        return (grid * values).sum(dim=(-2, -1)) / mass

    row_mean, column_mean = mean(rows), mean(columns)
    row_var = mean(rows.square()) - row_mean.square()
    covariance = mean(rows * columns) - row_mean * column_mean
    # Rows count downwards, so a digit leaning right has its column fall as the row grows.
    return {"ink": grid.mean(dim=(-2, -1)), "slant": torch.rad2deg(torch.atan(-covariance / row_var.clamp_min(1e-8)))}


def toy_jensen_gap(x: float, noise_var: float, proposals: list[tuple[float, float]], samples: int = 100_000,
                   seed: int = 0) -> dict[str, torch.Tensor]:
    """The evidence lower bound of a one-dimensional latent-variable model whose evidence is
    known exactly: z ~ N(0, 1), x | z ~ N(z, noise_var), so p(x) = N(x; 0, 1 + noise_var) and
    p(z | x) = N(x / (1 + noise_var), noise_var / (1 + noise_var)). For each proposal
    q = N(mean, var) in `proposals`, from `samples` draws z ~ q of the weight w = p(x, z) / q(z):
    `elbo` = mean of log w (Jensen's lower bound), `log_mean_weight` = log of the mean of w (an
    estimate of log p(x) itself), and in closed form `log_px` (the same for every row) and
    `kl_to_posterior` = KL(q || p(z | x)), which the identity log p(x) = ELBO + KL says is the gap.
    Rows follow `proposals`; `posterior` is (mean, var) of p(z | x)."""
    generator = torch.Generator().manual_seed(seed)
    mean, var = (torch.tensor(column, dtype=torch.float64) for column in zip(*proposals))
    post_mean, post_var = x / (1 + noise_var), noise_var / (1 + noise_var)
    z = mean + var.sqrt() * torch.randn(samples, len(proposals), generator=generator, dtype=torch.float64)
    normal, f64 = torch.distributions.Normal, (lambda v: torch.tensor(v, dtype=torch.float64))
    log_w = (normal(f64(0.0), f64(1.0)).log_prob(z) + normal(z, f64(noise_var).sqrt()).log_prob(f64(x))
             - normal(mean, var.sqrt()).log_prob(z))
    log_px = normal(f64(0.0), f64(1 + noise_var).sqrt()).log_prob(f64(x))
    kl = 0.5 * (torch.log(post_var / var) + (var + (mean - post_mean) ** 2) / post_var - 1)
    return {"elbo": log_w.mean(0), "log_mean_weight": torch.logsumexp(log_w, 0) - np.log(samples),
            "log_px": log_px.expand(len(proposals)), "kl_to_posterior": kl,
            "posterior": torch.tensor([post_mean, post_var], dtype=torch.float64)}


def generated_image_stats(run: Run) -> dict[str, float]:
    """Mean intensity and sharpness of the 10,000 images `run` decodes from the shared latent
    draws: the sample columns of `image_stats`, for a model without an encoder (the GAN)."""

    def compute():
        samples = generated_images(run)
        return {"sample_intensity": mean_intensity(samples), "sample_sharpness": sharpness(samples)}

    return {k: v.item() for k, v in _stored(run, "generated-stats", {"samples": n_generated(run)}, compute).items()}


def snapshot_scores(run: Run) -> dict[str, list[float]]:
    """For each of a GAN's `snapshots` (one fixed set of latent draws decoded after each epoch
    in `meta["snapshot_epochs"]`): the images' sharpness and the cached classifier's mean
    confidence in them (its mean top-class probability), to measure how the samples change
    as training goes on. Cheap (64 images each), so not stored."""
    from .classifier import predict
    from .evaluate import classifier_run

    classifier = classifier_run(run.profile).model()
    snapshots = run.artefacts["snapshots"]
    return {"sharpness": [sharpness(images) for images in snapshots],
            "confidence": [predict(classifier, images).max(dim=1).values.mean().item() for images in snapshots]}


def stray_ink(run: Run, reach: int = 2, level: float = 0.5) -> float:
    """Speckle in the test reconstructions: per image, the number of pixels the reconstruction
    paints above `level` although they lie more than `reach` pixels from every pixel above
    `level` in the original, averaged over the test set. Blur spreads ink next to a stroke and
    scores about 0; isolated dots away from the strokes, which pooled features can overlook
    and squared error cannot, are what it counts."""

    @torch.no_grad()
    def compute():
        data = _test_data(run)
        original = (data.test_images > level).float().reshape(-1, 1, 28, 28)
        near = torch.nn.functional.max_pool2d(original, 2 * reach + 1, stride=1, padding=reach) > 0
        painted = _reconstruct(run.model(), data.test_images).reshape(-1, 1, 28, 28) > level
        return {"stray": (painted & ~near).sum(dim=(1, 2, 3)).float().mean()}

    return _stored(run, "stray-ink", {"reach": reach, "level": level}, compute)["stray"].item()
