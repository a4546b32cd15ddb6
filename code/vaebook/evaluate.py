"""The evaluation protocol's scores of generated digits, through the cached classifier.

For a generative model: 10,000 images decoded from prior draws (the same draws for every
model with the same latent size), then
- classifier confidence: the mean top-class probability;
- class coverage: the histogram of predicted classes and its KL divergence from uniform
  (0 when every digit is equally common, log 10 = 2.30 nats when only one is produced);
- FID: the Fréchet distance between Gaussians fitted to the classifier's penultimate-layer
  features of the generated images and of the 10,000 test images (Heusel et al. 2017, with
  a digit classifier in place of Inception). The floor, 10,000 training images against the
  test set, shows what "as good as real data" scores.
For a model with an encoder, the squared error of its test reconstructions; for a VAE, the
test loss (the negative ELBO, one posterior sample per image) with its reconstruction and KL
terms, from the last epoch of its history; for a VAE with a Bernoulli decoder trained on
MNIST itself, the importance-weighted bound on log p(x) (Burda et al. 2016) with the number
of importance samples and test images stored beside it.
Each is stored beside the model's cache entry (the sample scores keyed by the classifier's
entry), so a warm render computes nothing; `seed_scores` stores the scores of an
experiment's other seeds beside its first, so the replicates themselves need not be kept.
"""

from __future__ import annotations

import math

import torch

from . import cache
from .analysis import _stored, _test_data, generated_images, image_stats, n_generated
from .classifier import features_and_predictions
from .config import Profile, get_profile
from .data import load_mnist
from .experiments import get_experiment
from .result import Run
from .runner import load, load_seeds, resolve
from .train import test_images

CLASSIFIER = "classifier"


def feature_moments(rows: torch.Tensor) -> dict[str, torch.Tensor]:
    """The mean and covariance of feature rows: all FID needs of a set of images."""
    rows = rows.double()
    return {"mean": rows.mean(0), "cov": torch.cov(rows.T)}


def frechet_distance(a: dict, b: dict) -> float:
    """The Fréchet distance between Gaussians with the moments a and b (`feature_moments`):
    |mu_a - mu_b|^2 + tr(S_a + S_b - 2 (S_a S_b)^(1/2)).

    tr((S_a S_b)^(1/2)) is the sum of the square roots of the eigenvalues of S_a S_b, which
    are real and non-negative for covariance matrices; rounding can leave tiny negative or
    imaginary parts, which are dropped."""
    root_trace = torch.linalg.eigvals(a["cov"] @ b["cov"]).real.clamp_min(0).sqrt().sum()
    return ((a["mean"] - b["mean"]).square().sum() + a["cov"].trace() + b["cov"].trace() - 2 * root_trace).item()


def class_coverage(probabilities: torch.Tensor) -> dict[str, torch.Tensor]:
    """The share of images predicted as each digit, its KL divergence from uniform, and
    the mean top-class probability."""
    shares = torch.bincount(probabilities.argmax(dim=1), minlength=10).double() / len(probabilities)
    kl = (shares[shares > 0] * (shares[shares > 0] * 10).log()).sum()
    return {"class_shares": shares.float(), "coverage_kl": kl.float(),
            "confidence": probabilities.max(dim=1).values.mean()}


def classifier_run(profile) -> Run:
    return load(CLASSIFIER, profile=profile)


def reference_scores(profile) -> dict[str, torch.Tensor]:
    """The moments of the test set's features (`test_mean`, `test_cov`), the FID floor of
    real training images, and the confidence and coverage of the test images."""
    classifier = classifier_run(profile)
    samples = n_generated(classifier)

    def compute():
        data = _test_data(classifier)
        model = classifier.model()
        n = min(samples, len(data.test_images))
        train = load_mnist().train_images[-n:]  # the last ones: the quick profile trains on the first
        test_features, test_predictions = features_and_predictions(model, data.test_images)
        test = feature_moments(test_features)
        floor = frechet_distance(feature_moments(features_and_predictions(model, train)[0]), test)
        return {"test_mean": test["mean"], "test_cov": test["cov"], "fid_floor": torch.tensor(floor)} \
            | class_coverage(test_predictions)

    return _stored(classifier, "reference-scores", {"n": samples}, compute)


def sample_scores(run: Run) -> dict[str, torch.Tensor]:
    """FID, confidence and class coverage of `run`'s generated images."""
    classifier = classifier_run(run.profile)

    def compute():
        generated_features, predictions = features_and_predictions(classifier.model(), generated_images(run))
        reference = reference_scores(run.profile)
        test = {"mean": reference["test_mean"], "cov": reference["test_cov"]}
        fid = frechet_distance(feature_moments(generated_features), test)
        return {"fid": torch.tensor(fid)} | class_coverage(predictions)

    key = {"n": n_generated(run), "classifier": cache.entry_key(classifier.config, classifier.profile)}
    return _stored(run, "sample-scores", key, compute)


IWAE_ROWS = 50_000  # latent samples decoded at once: k x images, ~160 MB of logits


@torch.no_grad()
def iwae_bound(model, images: torch.Tensor, k: int, generator: torch.Generator) -> torch.Tensor:
    """The importance-weighted bound on log p(x) of each image (Burda et al. 2016) with k
    samples from the encoder's posterior, for a Bernoulli decoder:
    log (1/k) sum_i p(x|z_i) p(z_i) / q(z_i|x). k = 1 is the ELBO; it rises towards
    log p(x) as k grows."""
    model.eval()
    bounds = []
    for x in images.split(max(1, IWAE_ROWS // k)):
        mu, logvar = model.encode(x)
        std = torch.exp(0.5 * logvar)
        eps = torch.randn(k, *mu.shape, generator=generator)
        z = mu + std * eps
        log_q = torch.distributions.Normal(mu, std).log_prob(z).sum(-1)
        log_prior = torch.distributions.Normal(0.0, 1.0).log_prob(z).sum(-1)
        logits = model.decode_logits(z.reshape(-1, z.shape[-1])).reshape(k, *x.shape)  # conv decoders take 2-D input
        log_likelihood = -torch.nn.functional.binary_cross_entropy_with_logits(
            logits, x.expand(k, *x.shape), reduction="none").sum(-1)
        bounds.append(torch.logsumexp(log_likelihood + log_prior - log_q, dim=0) - math.log(k))
    return torch.cat(bounds)


# The protocol's importance sampling: k samples for each of n test images. The reference row
# (a model of binarised digits, for the literature's figure) spends more on fewer images.
IWAE = {"k": 100, "n": 10_000}
REFERENCE_IWAE = {"k": 5_000, "n": 1_000}
IWAE_SEED = 5


def has_likelihood(run: Run) -> bool:
    """Whether `run` is a VAE with a Bernoulli decoder trained on the digits themselves, so
    that its bound on log p(x) means what the literature's does."""
    return run.config.family in ("vae", "conv-vae", "binary-vae") and run.config.recon_loss == "bce"


def likelihood_bound(run: Run) -> dict[str, float]:
    """The IWAE bound on log p(x), averaged over the first n test images (all 10,000 in the
    protocol), with its standard error and k and n; for a model of binarised digits, on
    their fixed binarisation and with `REFERENCE_IWAE`'s budget. The quick profile caps k."""
    budget = dict(REFERENCE_IWAE if run.config.family == "binary-vae" else IWAE)
    budget["k"] = min(budget["k"], get_profile(run.profile.name).iwae_samples or budget["k"])

    def compute():
        images = test_images(run.config, _test_data(run))[: budget["n"]]
        bounds = iwae_bound(run.model(), images, budget["k"], torch.Generator().manual_seed(IWAE_SEED))
        return {"iwae": bounds.mean(), "iwae_stderr": bounds.std() / len(bounds) ** 0.5,
                "iwae_samples": budget["k"], "iwae_images": len(bounds)}

    return {k: v.item() for k, v in _stored(run, "iwae", budget | {"seed": IWAE_SEED}, compute).items()}


WITHOUT_ENCODER = ("gan",)
BUFFERS = ("running_mean", "running_var", "num_batches_tracked")  # BatchNorm's statistics, not trained


def evaluation(run: Run, likelihood: bool = True) -> dict:
    """What the protocol reports of `run`, as plain numbers: for the classifier its accuracy
    and the scores of real digits; for a generative model its sample scores, its test loss
    (the negative ELBO) and terms (VAEs), its reconstruction error (models with an encoder)
    and, unless `likelihood` is false, its likelihood bound (`has_likelihood`, the costly
    one). Parameters and training time come along for the tables."""
    if run.config.family == CLASSIFIER:
        scores = {k: v for k, v in reference_scores(run.profile).items() if k not in ("test_mean", "test_cov")}
        scores["test_accuracy"] = run.metrics["test_accuracy"]
    else:
        scores = dict(sample_scores(run))
        if "test_recon" in run.metrics:
            # The negative ELBO is reconstruction + KL whatever β weighted the KL in training.
            recon, kl = run.metrics["test_recon"], run.metrics["test_kl"]
            scores |= {"test_loss": recon + kl, "test_recon": recon, "test_kl": kl}
        if run.config.family not in WITHOUT_ENCODER:
            scores["recon_mse"] = image_stats(run)["recon_mse"]
        if likelihood and has_likelihood(run):
            scores |= likelihood_bound(run)
    scores |= {"parameters": sum(w.numel() for k, w in run.weights.items() if not k.endswith(BUFFERS)),
               "train_seconds": run.meta["train_seconds"], "epochs": run.config.epochs}
    return {k: torch.as_tensor(v).tolist() for k, v in scores.items()}


SEED_COLUMNS = ("test_loss", "test_recon", "test_kl", "recon_mse", "fid", "confidence", "coverage_kl")


def seed_scores(name: str, profile=None) -> dict[str, torch.Tensor]:
    """The protocol's scores (`SEED_COLUMNS`, without the costly likelihood bound) of each of
    the experiment's seeds, one value per seed, stored beside the first seed's entry: the
    other seeds' runs are trained (and cached) only when the scores are not stored."""
    profile = profile if isinstance(profile, Profile) else get_profile(profile)
    seeds = get_experiment(name).seeds
    first = load(name, profile=profile)
    classifier = classifier_run(profile)
    key = {"seeds": list(seeds), "n": n_generated(first),
           "entries": [cache.entry_key(resolve(name, profile=profile, seed=seed)[0], profile) for seed in seeds],
           "classifier": cache.entry_key(classifier.config, classifier.profile)}

    def compute():
        rows = [evaluation(run, likelihood=False) for run in load_seeds([name], profile=profile)[name]]
        return {"seed": torch.tensor(seeds)} | {c: torch.tensor([row[c] for row in rows]) for c in SEED_COLUMNS}

    return _stored(first, "seed-scores", key, compute)
