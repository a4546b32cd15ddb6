"""Chapter "The evaluation protocol": the numbers every later chapter reads, each defined once
and shown on the reference model (`vae-bce`) and on real digits: the test ELBO and its terms,
the importance-weighted bound, the digit classifier and the three scores it gives generated
images (FID, confidence, class coverage), two image statistics, and how the book reads the
seeds of a model trained more than once."""

from __future__ import annotations

import statistics

import torch
from IPython.display import Markdown
from torch import nn

from vaebook import diagrams, evaluate, measure, plots
from vaebook.classifier import features_and_predictions
from vaebook.config import get_profile
from vaebook.families import build_model, has_likelihood, trained_model
from vaebook.metrics import feature_moments, frechet_distance, iwae_bound, sharpness

from .. import tables
from ..claims import above, claim, close, every, extreme, fact, ordered, spread
from ..experiments import BETA_SWEEP, CONV_BETA_SWEEP, EXPERIMENTS, classifier, run, runs, seed_scores
from ..figures import uses
from ..text import integer, labels, number, percent
from . import chapter_facts

REFERENCE = "vae-bce"  # the model of @sec-vae-mnist, on which every measure is shown
SEEDED = "beta-1"  # the same network and loss trained for ten epochs, with several seeds
ACCURACY_REQUIRED = 0.99  # the design brief's bar for the judge
# The importance-weighted bound as k grows, on the first test digits (nested budgets of one seed each).
IWAE_KS = (1, 2, 5, 10, 20, 50, 100, 200, 500, 1000)
IWAE_K_IMAGES = 1_000
FID_SIZES = (250, 500, 1_000, 2_000, 5_000, 10_000)
GRID = 64  # the images of a figure's sample grid, against the protocol's 10,000
# The Bernoulli VAEs of the grey digits, scored on the protocol's budget (k = 100 for every
# test digit); `vae-binary`, a model of binarised digits, has a budget of its own.
GENERATIVE = [name for name, e in EXPERIMENTS.items() if e.config.family != "classifier"]
BOUNDED = ["vae-bce", "conv-vae", *BETA_SWEEP, *CONV_BETA_SWEEP, "vae-2d"]


# --- The measurements --------------------------------------------------------------------------


def bernoulli_bound(r) -> dict[str, float]:
    """The IWAE bound of a Bernoulli VAE of the digits (`evaluate.likelihood_bound`)."""
    if not has_likelihood(r.config):
        raise ValueError(f"{r.name} is not a Bernoulli VAE of the digits: it has no likelihood bound")
    return evaluate.likelihood_bound(r)


def iwae_by_k(r) -> dict[str, torch.Tensor]:
    """The bound of `r` with each k of `IWAE_KS` (the quick profile's few) on the first
    `IWAE_K_IMAGES` test digits, each k from the protocol's seed: its mean over the digits and
    the standard error."""
    ks = [k for k in IWAE_KS if k <= (get_profile(r.profile.name).iwae_samples or max(IWAE_KS))]
    n = min(IWAE_K_IMAGES, len(measure.test_data(r).test_images))

    def compute():
        model, images = trained_model(r), measure.test_data(r).test_images[:n]
        bounds = [iwae_bound(model, images, k, torch.Generator().manual_seed(evaluate.IWAE_SEED)) for k in ks]
        return {"k": torch.tensor(ks), "bound": torch.stack([b.mean() for b in bounds]),
                "stderr": torch.stack([b.std() / n ** 0.5 for b in bounds]), "images": torch.tensor(n)}

    return measure.stored(r, "iwae-by-k", {"ks": ks, "n": n, "seed": evaluate.IWAE_SEED}, compute)


def fid_by_size(r, judge) -> dict[str, torch.Tensor]:
    """FID against all the test digits of the first n of `r`'s generated images and of the real
    training digits the floor uses, for each n of `FID_SIZES`: how the score depends on n."""
    sizes = [n for n in FID_SIZES if n <= measure.n_generated(r)]

    def compute():
        network = trained_model(judge)
        test = feature_moments(features_and_predictions(network, measure.test_data(judge).test_images)[0])
        sources = {"real": measure.all_data(r).train_images[-max(sizes):], "model": measure.generated_images(r)}
        result = {"n": torch.tensor(sizes)}
        for key, images in sources.items():
            features = features_and_predictions(network, images)[0]
            result[key] = torch.tensor([frechet_distance(feature_moments(features[:n]), test) for n in sizes])
        return result

    key = {"sizes": sizes, "classifier": judge.path.name.rsplit("-", 1)[1] if judge.path else "unstored"}
    return measure.stored(r, "fid-by-size", key, compute)


def sharpness_spread(r) -> dict[str, torch.Tensor]:
    """The standard deviation over images of each image's sharpness, for `r`'s generated
    images and the test digits: what the mean over a grid of a few images can be off by."""

    def compute():
        per_image = {key: torch.tensor([sharpness(image[None]) for image in images]) for key, images in
                     (("samples", measure.generated_images(r)), ("test", measure.test_data(r).test_images))}
        return {f"{key}_sd": values.std() for key, values in per_image.items()}

    return measure.stored(r, "sharpness-spread", {"samples": measure.n_generated(r)}, compute)


def rounded_difference(a: float, b: float, digits: int = 2) -> float:
    """a − b as the tables' rounded values give it, so that prose and tables agree."""
    return round(a, digits) - round(b, digits)


def standard_error(sd: float, n: int) -> float:
    return sd / n ** 0.5


def relative_spread(values) -> float:
    """The sample standard deviation over the mean (the coefficient of variation)."""
    values = [float(v) for v in values]
    return statistics.stdev(values) / abs(statistics.fmean(values))


def effective_digits(coverage_kl: float) -> float:
    """10 e^(−KL): the number of equally common digits whose histogram has this coverage KL."""
    return 10 * torch.exp(-torch.as_tensor(coverage_kl, dtype=torch.float64)).item()


# --- What the chapter reads ----------------------------------------------------------------------


def _run():
    return run(REFERENCE)


def _scores() -> dict:
    return evaluate.evaluation(_run(), classifier())


def _real() -> dict:
    judge = classifier()
    return evaluate.evaluation(judge, judge)


def _elbo_facts(scores: dict) -> dict:
    r = _run()
    perfect = float(measure.reference_losses(r)["perfect"])
    return dict(test_images=integer(r.meta["test_images"]), epochs=r.config.epochs,
                test_loss=number(scores["test_loss"]), test_recon=number(scores["test_recon"]),
                test_kl=number(scores["test_kl"]), perfect_bce=number(perfect),
                perfect_share=percent(perfect / scores["test_recon"], 0))


def _iwae_facts(scores: dict) -> dict:
    by_k = iwae_by_k(_run())
    ks, bound = by_k["k"].tolist(), by_k["bound"].tolist()
    at_protocol = ks.index(scores["iwae_samples"]) if scores["iwae_samples"] in ks else len(ks) - 1
    return dict(iwae_k=integer(scores["iwae_samples"]), iwae_n=integer(scores["iwae_images"]),
                iwae=number(-scores["iwae"]), iwae_stderr=number(scores["iwae_stderr"]),
                elbo_gap=number(rounded_difference(scores["test_loss"], -scores["iwae"])),
                k_images=integer(by_k["images"]), k_max=integer(ks[-1]), k_one=number(-bound[0]),
                k_protocol=number(-bound[at_protocol]), k_last=number(-bound[-1]),
                k_beyond=number(rounded_difference(-bound[at_protocol], -bound[-1])))


def _classifier_facts(real: dict) -> dict:
    c = classifier().config
    return dict(accuracy=percent(real["test_accuracy"], 2), classifier_epochs=c.epochs, classifier_lr=c.lr,
                classifier_batch=c.batch_size, features=c.features, channels=c.channels,
                channels_wide=2 * c.channels, classifier_parameters=integer(real["parameters"]))


def _sample_facts(scores: dict, real: dict) -> dict:
    r, by_size = _run(), fid_by_size(_run(), classifier())
    shares = [float(s) for s in real["class_shares"]]
    rare, common = min(range(10), key=shares.__getitem__), max(range(10), key=shares.__getitem__)
    return dict(n_generated=integer(measure.n_generated(r)), fid=number(scores["fid"]),
                fid_floor=number(real["fid_floor"]), fid_small_n=integer(by_size["n"][0]),
                fid_floor_small=number(by_size["real"][0]), fid_small=number(by_size["model"][0]),
                confidence=number(scores["confidence"], 3), real_confidence=number(real["confidence"], 3),
                coverage=number(scores["coverage_kl"], 3), real_coverage=number(real["coverage_kl"], 3),
                effective=number(effective_digits(scores["coverage_kl"]), 2),
                real_effective=number(effective_digits(real["coverage_kl"]), 2),
                real_rare=rare, real_rare_share=percent(shares[rare], 1),
                real_common=common, real_common_share=percent(shares[common], 1))


def _image_facts() -> dict:
    stats, spread_ = measure.image_stats(_run()), sharpness_spread(_run())
    n = measure.n_generated(_run())
    return dict(sample_ink=number(stats["sample_intensity"], 3), test_ink=number(stats["test_intensity"], 3),
                sample_sharpness=number(stats["sample_sharpness"], 3),
                test_sharpness=number(stats["test_sharpness"], 3),
                recon_mse=number(stats["recon_mse"]), grid=GRID,
                grid_error=number(standard_error(float(spread_["samples_sd"]), GRID), 3),
                protocol_error=number(standard_error(float(spread_["samples_sd"]), n), 4))


def _seed_facts() -> dict:
    seeds = seed_scores(SEEDED)
    return dict(seeded_epochs=run(SEEDED).config.epochs, n_seeds=len(seeds["seed"]),
                seed_fid=tables.mean_and_spread(seeds["fid"]), seed_loss=tables.mean_and_spread(seeds["test_loss"]),
                fid_relative=percent(relative_spread(seeds["fid"]), 1),
                loss_relative=percent(relative_spread(seeds["test_loss"]), 2))


def facts(lang: str):
    scores, real = _scores(), _real()
    return chapter_facts(__name__, lang, **_elbo_facts(scores), **_iwae_facts(scores), **_classifier_facts(real),
                         **_sample_facts(scores, real), **_image_facts(), **_seed_facts())


# --- The claims ------------------------------------------------------------------------------------


@claim("c-eval-perfect-copy-pays")
def perfect_copy_pays():
    """A decoder that returned each grey test digit exactly would still pay a reconstruction
    term of more than half of vae-bce's: the BCE of grey pixels is no likelihood of them."""
    perfect = float(measure.reference_losses(_run())["perfect"])
    recon = _scores()["test_recon"]
    return fact(perfect > recon / 2, f"{REFERENCE}: {number(recon)}; copy: {number(perfect)} "
                f"({percent(perfect / recon, 0)}%)", quantity="recon", unit="nats")


@claim("c-eval-iwae-above-elbo")
def iwae_above_elbo():
    """For every Bernoulli VAE of the grey digits, the bound with k = 100 lies above the ELBO:
    −bound below the test loss."""
    scored = runs(*BOUNDED)
    gaps = {name: rounded_difference(r.metrics["test_recon"] + r.metrics["test_kl"], -bernoulli_bound(r)["iwae"])
            for name, r in scored.items()}
    shown = ", ".join(f"{name}: {number(gap)}" for name, gap in gaps.items())
    return every({name: gap > 0 for name, gap in gaps.items()}, f"ELBO gap: {shown}", unit="nats")


@claim("c-eval-iwae-rises-with-k")
def iwae_rises_with_k():
    """On vae-bce, the bound rises at every step of k, beyond k = 100 too."""
    by_k = iwae_by_k(_run())
    return ordered({f"k = {k:,}": -b for k, b in zip(by_k["k"].tolist(), by_k["bound"].tolist())}, "falls",
                   quantity="iwae", unit="nats")


@claim("c-eval-classifier-accurate")
def classifier_accurate():
    """The judge labels at least 99 % of the test digits correctly."""
    accuracy = _real()["test_accuracy"]
    return fact(accuracy >= ACCURACY_REQUIRED, f"{percent(accuracy, 2)}% ≥ {percent(ACCURACY_REQUIRED, 0)}%")


@claim("c-eval-fid-small-samples-higher")
def fid_small_samples_higher():
    """FID from the fewest images is far above FID from the protocol's 10,000: more than ten
    times as high for real digits, and higher for vae-bce's samples too."""
    by_size = fid_by_size(_run(), classifier())
    few, most = f"n = {int(by_size['n'][0]):,}", f"n = {int(by_size['n'][-1]):,}"
    real, model = by_size["real"].tolist(), by_size["model"].tolist()
    return (fact(real[0] > 10 * real[-1], f"real: {few}: {number(real[0])}, {most}: {number(real[-1])}",
                 quantity="fid") &
            above((f"{REFERENCE}: {few}", model[0]), (most, model[-1]), quantity="fid"))


@claim("c-eval-floor-levels-off")
def floor_levels_off():
    """The real digits' FID barely moves from 5,000 to 10,000 images (within 0.1)."""
    by_size = fid_by_size(_run(), classifier())
    sizes = by_size["n"].tolist()
    half = sizes.index(FID_SIZES[-2]) if FID_SIZES[-2] in sizes else len(sizes) - 2
    return close((f"n = {sizes[half]:,}", float(by_size["real"][half])),
                 (f"n = {sizes[-1]:,}", float(by_size["real"][-1])), 0.1, quantity="fid")


@claim("c-eval-floor-below-every-model")
def floor_below_every_model():
    """The floor lies below the FID of every generative model of the book."""
    judge = classifier()
    fids = {name: float(evaluate.sample_scores(r, judge)["fid"]) for name, r in runs(*GENERATIVE).items()}
    best = min(fids, key=fids.get)
    return extreme({"floor": _real()["fid_floor"], best: fids[best]}, "floor", quantity="fid")


@claim("c-eval-real-more-confident")
def real_more_confident():
    """The classifier is surer of real test digits than of vae-bce's samples."""
    return above(("real", _real()["confidence"]), (REFERENCE, _scores()["confidence"]), 3, quantity="confidence")


@claim("c-eval-coverage-near-uniform")
def coverage_near_uniform():
    """vae-bce's samples spread over the ten digits almost as evenly as uniform: more than nine
    equally common digits' worth (10 e^(−KL) > 9), as do the test digits."""
    values = {REFERENCE: _scores()["coverage_kl"], "real": _real()["coverage_kl"]}
    shown = ", ".join(f"{name}: 10 e^(−{number(kl, 3)}) = {number(effective_digits(kl))}"
                      for name, kl in values.items())
    return every({name: effective_digits(kl) > 9 for name, kl in values.items()}, shown)


@claim("c-eval-fid-varies-more-than-elbo")
def fid_varies_more_than_elbo():
    """Relative to its mean, beta-1's FID varies over the seeds more than ten times as much as
    its test loss."""
    seeds = seed_scores(SEEDED)
    fid, loss = relative_spread(seeds["fid"]), relative_spread(seeds["test_loss"])
    return fact(fid > 10 * loss, f"FID: {spread(seeds['fid'].tolist())}, sd/mean {percent(fid, 1)}%; test loss: "
                f"{spread(seeds['test_loss'].tolist())}, sd/mean {percent(loss, 2)}%")


# --- Figures and tables ----------------------------------------------------------------------------


@uses(tables.layers)
def tbl_classifier(lang: str):
    network = trained_model(classifier())
    body, head = labels(lang)["classifier_body"], labels(lang)["classifier_head"]
    return Markdown(tables.layers({body: network.body, head: nn.Sequential(network.head)},
                                  {body: torch.zeros(2, 1, 28, 28), head: torch.zeros(2, network.head.in_features)},
                                  lang))


@uses(diagrams.architecture, diagrams.layer_rows, diagrams.highlighted, build_model)
def fig_classifier_architecture(lang: str):
    network, t = build_model(classifier().config), labels(lang)
    image = torch.zeros(2, 1, 28, 28)
    features = diagrams.output(network.body, image)
    return diagrams.architecture([
        diagrams.Stage(t["arch_input"], (diagrams.tensor_row("x:", image),)),
        diagrams.Stage(t["classifier_body"], diagrams.highlighted(diagrams.layer_rows(network.body, image))),
        diagrams.Stage(t["classifier_head"], diagrams.layer_rows(network.head, features))])


@uses(tables.reference_scores, evaluate.evaluation, measure.image_stats, measure.reference_losses)
def tbl_reference(lang: str):
    r = _run()
    return Markdown(tables.reference_scores(_scores(), _real(), measure.image_stats(r),
                                            float(measure.reference_losses(r)["perfect"]), measure.n_generated(r),
                                            lang))


@uses(tables.iwae_by_k, iwae_bound)
def tbl_iwae(lang: str):
    return Markdown(tables.iwae_by_k(iwae_by_k(_run()), lang))


@uses(tables.fid_by_size, frechet_distance, features_and_predictions)
def tbl_fid(lang: str):
    return Markdown(tables.fid_by_size(fid_by_size(_run(), classifier()), REFERENCE, lang))


@uses(plots.class_shares, evaluate.sample_scores, evaluate.reference_scores)
def fig_coverage(lang: str):
    t = labels(lang)
    shares = {REFERENCE: _scores()["class_shares"], t["test_digits"]: _real()["class_shares"]}
    return plots.class_shares(shares, xlabel=t["predicted"], ylabel=t["share"], uniform_label=t["uniform"])


@uses(tables.seed_table, seed_scores, evaluate.evaluation)
def tbl_seeds(lang: str):
    return Markdown(tables.seed_table(seed_scores(SEEDED), run(SEEDED).config.epochs, lang))
