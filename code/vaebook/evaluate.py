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
Each is stored beside the model's cache entry, keyed by the classifier's entry, so a warm
render computes nothing.
"""

from __future__ import annotations

import math

import torch

from . import cache
from .analysis import N_GENERATED, _stored, _test_data, generated_images
from .classifier import features_and_predictions
from .data import load_mnist
from .result import Run
from .runner import load

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

    def compute():
        data = _test_data(classifier)
        model = classifier.model()
        n = min(N_GENERATED, len(data.test_images))
        train = load_mnist().train_images[-n:]  # the last ones: the quick profile trains on the first
        test_features, test_predictions = features_and_predictions(model, data.test_images)
        test = feature_moments(test_features)
        floor = frechet_distance(feature_moments(features_and_predictions(model, train)[0]), test)
        return {"test_mean": test["mean"], "test_cov": test["cov"], "fid_floor": torch.tensor(floor)} \
            | class_coverage(test_predictions)

    return _stored(classifier, "reference-scores", {"n": N_GENERATED}, compute)


def sample_scores(run: Run) -> dict[str, torch.Tensor]:
    """FID, confidence and class coverage of `run`'s generated images."""
    classifier = classifier_run(run.profile)

    def compute():
        generated_features, predictions = features_and_predictions(classifier.model(), generated_images(run))
        reference = reference_scores(run.profile)
        test = {"mean": reference["test_mean"], "cov": reference["test_cov"]}
        fid = frechet_distance(feature_moments(generated_features), test)
        return {"fid": torch.tensor(fid)} | class_coverage(predictions)

    key = {"n": N_GENERATED, "classifier": cache.entry_key(classifier.config, classifier.profile)}
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
        log_likelihood = -torch.nn.functional.binary_cross_entropy_with_logits(
            model.decode_logits(z), x.expand(k, *x.shape), reduction="none").sum(-1)
        bounds.append(torch.logsumexp(log_likelihood + log_prior - log_q, dim=0) - math.log(k))
    return torch.cat(bounds)


def evaluation(run: Run) -> dict:
    """What the protocol reports of `run`, as plain numbers: for a generative model its
    sample scores, for the classifier its accuracy and the scores of real digits."""
    if run.config.family == CLASSIFIER:
        scores = {k: v for k, v in reference_scores(run.profile).items() if k not in ("test_mean", "test_cov")}
        scores["test_accuracy"] = run.metrics["test_accuracy"]
    else:
        scores = sample_scores(run)
    return {k: torch.as_tensor(v).tolist() for k, v in scores.items()}
