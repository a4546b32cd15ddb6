"""The evaluation protocol, one for every model, with a trained digit classifier as judge.

For a generative model: 10,000 images decoded from prior draws (the same draws for every
model with the same latent size), then
- classifier confidence: the mean top-class probability;
- class coverage: the histogram of predicted classes and its KL divergence from uniform;
- FID: the Fréchet distance between Gaussians fitted to the classifier's penultimate-layer
  features of the generated images and of the 10,000 test images (Heusel et al. 2017, with
  a digit classifier in place of Inception). The floor, 10,000 training images against the
  test set, shows what "as good as real data" scores.
For a model with an encoder, the squared error of its test reconstructions; for a VAE, the
test loss (the negative ELBO, one posterior sample per image) with its reconstruction and KL
terms, from the last epoch of its history; for a VAE with a Bernoulli decoder trained on
MNIST itself, the importance-weighted bound on log p(x) (Burda et al. 2016) with the number
of importance samples and test images stored beside it.

Each score is stored beside the model's entry (`measure.stored`; the sample scores keyed by
the classifier's entry), so a warm build computes nothing. The classifier is an argument:
nothing here trains, and the data come with the runs (`Run.data`).
"""

from __future__ import annotations

import torch

from .classifier import features_and_predictions
from .config import get_profile
from .families import family_of, has_likelihood, trained_model
from .measure import all_data, generated_images, image_stats, n_generated, stored, test_data
from .metrics import class_coverage, feature_moments, frechet_distance, iwae_bound
from .result import Run

IWAE_SEED = 5
BUFFERS = ("running_mean", "running_var", "num_batches_tracked")  # BatchNorm's statistics, not trained
SEED_COLUMNS = ("test_loss", "test_recon", "test_kl", "recon_mse", "fid", "confidence", "coverage_kl")


def _classifier_key(classifier: Run) -> str:
    return classifier.path.name.rsplit("-", 1)[1] if classifier.path else "unstored"


def reference_scores(classifier: Run) -> dict[str, torch.Tensor]:
    """The moments of the test set's features (`test_mean`, `test_cov`), the FID floor of
    real training images, and the confidence and coverage of the test images."""
    samples = n_generated(classifier)

    def compute():
        data = test_data(classifier)
        model = trained_model(classifier)
        n = min(samples, len(data.test_images))
        train = all_data(classifier).train_images[-n:]  # the last ones: the quick profile trains on the first
        test_features, test_predictions = features_and_predictions(model, data.test_images)
        test = feature_moments(test_features)
        floor = frechet_distance(feature_moments(features_and_predictions(model, train)[0]), test)
        return {"test_mean": test["mean"], "test_cov": test["cov"], "fid_floor": torch.tensor(floor)} \
            | class_coverage(test_predictions)

    return stored(classifier, "reference-scores", {"n": samples}, compute)


def sample_scores(run: Run, classifier: Run) -> dict[str, torch.Tensor]:
    """FID, confidence and class coverage of `run`'s generated images, read by `classifier`."""

    def compute():
        generated_features, predictions = features_and_predictions(trained_model(classifier), generated_images(run))
        reference = reference_scores(classifier)
        fid = frechet_distance(feature_moments(generated_features), {"mean": reference["test_mean"],
                                                                     "cov": reference["test_cov"]})
        return {"fid": torch.tensor(fid)} | class_coverage(predictions)

    return stored(run, "sample-scores", {"n": n_generated(run), "classifier": _classifier_key(classifier)}, compute)


def likelihood_bound(run: Run) -> dict[str, float]:
    """The IWAE bound on log p(x), averaged over the first n test images, with its standard
    error and k and n, on the budget its family sets (`Family.iwae_budget`); for a model of
    binarised digits, on their fixed binarisation. The quick profile caps k."""
    budget = dict(family_of(run.config).iwae_budget)
    budget["k"] = min(budget["k"], get_profile(run.profile.name).iwae_samples or budget["k"])

    def compute():
        images = run.config.test_images(test_data(run).test_images)[: budget["n"]]
        bounds = iwae_bound(trained_model(run), images, budget["k"], torch.Generator().manual_seed(IWAE_SEED))
        return {"iwae": bounds.mean(), "iwae_stderr": bounds.std() / len(bounds) ** 0.5,
                "iwae_samples": budget["k"], "iwae_images": len(bounds)}

    return {k: v.item() for k, v in stored(run, "iwae", budget | {"seed": IWAE_SEED}, compute).items()}


def parameter_count(run: Run) -> int:
    """The run's trained parameters (BatchNorm's running statistics are not)."""
    return sum(w.numel() for k, w in run.weights.items() if not k.endswith(BUFFERS))


def evaluation(run: Run, classifier: Run, *, likelihood: bool = True) -> dict:
    """What the protocol reports of `run`, as plain numbers: for the classifier itself its
    accuracy and the scores of real digits; for a generative model its sample scores, its
    test loss (the negative ELBO) and terms (VAEs), its reconstruction error (models with an
    encoder) and, unless `likelihood` is false, its likelihood bound (the costly one).
    Parameters and training time come along for the tables."""
    family = family_of(run.config)
    if not family.generates:
        scores = {k: v for k, v in reference_scores(run).items() if k not in ("test_mean", "test_cov")}
        scores["test_accuracy"] = run.metrics["test_accuracy"]
    else:
        scores = dict(sample_scores(run, classifier))
        if "test_recon" in run.metrics:
            # The negative ELBO is reconstruction + KL whatever β weighted the KL in training.
            recon, kl = run.metrics["test_recon"], run.metrics["test_kl"]
            scores |= {"test_loss": recon + kl, "test_recon": recon, "test_kl": kl}
        if family.has_encoder:
            scores["recon_mse"] = image_stats(run)["recon_mse"]
        if likelihood and has_likelihood(run.config):
            scores |= likelihood_bound(run)
    scores |= {"parameters": parameter_count(run),
               "train_seconds": run.meta["train_seconds"], "epochs": run.config.epochs}
    return {k: torch.as_tensor(v).tolist() for k, v in scores.items()}
