"""Chapter "Comparison": every model of the book under the evaluation protocol of the chapter
before it (`evaluation`), the headline comparisons over their seeds, two published anchors, and
GAN against VAE against VAE-GAN."""

from __future__ import annotations

import statistics

from IPython.display import Markdown

from vaebook import evaluate, plots

from .. import tables
from ..claims import above, below, claim, close, extreme, fact, ordered
from ..experiments import (
    BETA_SWEEP,
    CLASSIFIER,
    CONV_BETA_SWEEP,
    EXPERIMENTS,
    REPLICATIONS,
    SHORT_LOSS_MODELS,
    classifier,
    runs,
    seed_scores,
)
from ..figures import uses
from ..text import integer, number
from . import chapter_facts
from .evaluation import bernoulli_bound, rounded_difference

# Every generative model of the book, in the registry's order.
# Every generative model but the replications, which their chapters show (@sec-beta-vae-2d,
# @sec-noisy-data-schedule).
MODELS = [name for name in EXPERIMENTS if name != CLASSIFIER and name not in REPLICATIONS]
# The three families, with the VAE twice: as trained for the book (`vae-bce`) and stopped at the
# VAE-GAN's length (`beta-1`, the same network and loss), the VAE the VAE-GAN is set against.
FAMILIES = ("gan", "vae-bce", "vaegan", "beta-1")
MATCHED_VAE = "beta-1"
BURDA_VAE_NATS = 86.76  # Burda et al. 2016, Table 1: VAE, one stochastic layer, k = 5,000, binarised MNIST
BURDA_PASSES = sum(3 ** i for i in range(8))  # their schedule: 3^i passes at each of eight learning rates
FAR = 5  # a gap between models trained once counts when it is this many of the largest seed spreads
# Cells of the protocol table that hold another quantity than their column's (tables.CELL_NOTES).
NOTES = {"ae": {"test_loss": "recon_only"}, "vae-binary": {"test_loss": "binarised", "iwae": "reference_budget"}}


# --- What the chapter reads ----------------------------------------------------------------------


def _runs():
    return runs(*MODELS)


def _scores() -> dict:
    """The protocol's scores of every model; the convolutional β-VAEs with their likelihood
    bound, which the library does not compute for their family (`evaluation.bernoulli_bound`)."""
    judge, found = classifier(), _runs()
    scores = {name: evaluate.evaluation(r, judge) for name, r in found.items()}
    for name in CONV_BETA_SWEEP:
        scores[name] |= bernoulli_bound(found[name])
    return scores


def _real() -> dict:
    judge = classifier()
    return evaluate.evaluation(judge, judge)


def _loss_spreads() -> dict:
    return {loss.upper(): seed_scores(name) for loss, name in SHORT_LOSS_MODELS.items()}


def _beta_spreads() -> dict:
    return {f"β = {EXPERIMENTS[name].config.beta:g}": seed_scores(name) for name in BETA_SWEEP}


def seed_yardstick(column: str) -> float:
    """The largest sample standard deviation of a score over the seeds of any model the book
    trains with several seeds: how far a change of seed alone moves a model."""
    spreads = [*_loss_spreads().values(), *_beta_spreads().values()]
    return max(statistics.stdev(s[column].tolist()) for s in spreads)


def ranked(scores: dict, column: str, names=None, highest_first: bool = False) -> list[str]:
    """The names (all of `scores`, or `names`) ordered by one score, best first: lowest first
    unless `highest_first`."""
    names = list(scores) if names is None else list(names)
    return sorted(names, key=lambda name: -scores[name][column] if highest_first else scores[name][column])


def mean(values) -> float:
    return statistics.fmean(float(v) for v in values)


def smallest_step(values: list[float]) -> float:
    """The smallest absolute difference between neighbours in a sequence."""
    return min(abs(a - b) for a, b in zip(values, values[1:]))


# The VAE-GAN chapter's module still imports these two (until its own rewrite drops its
# range-based reading of the seeds, which @sec-evaluation-seeds replaces with Welch's test).


def spanned_by_seeds(value: float, seeds) -> bool:
    """Whether a score lies within the range of another model's scores over its seeds, ends included."""
    return float(min(seeds)) <= value <= float(max(seeds))


def chance_reading(value_by_measure: dict, seeds_by_measure: dict) -> tuple[int, list[str], list[str]]:
    """Which measures' scores a model's seeds span and which they do not, in the order given:
    (0 some of each, 1 all spanned, 2 none), the spanned, the others."""
    within = [m for m, value in value_by_measure.items() if spanned_by_seeds(value, seeds_by_measure[m])]
    beyond = [m for m in value_by_measure if m not in within]
    return (0 if within and beyond else 1 if within else 2), within, beyond


def seed_range(seeds, digits: int = 2) -> str:
    """The lowest and highest of a model's scores over its seeds: "316.20–341.88"."""
    return f"{number(float(min(seeds)), digits)}–{number(float(max(seeds)), digits)}"


# --- Facts, section by section -------------------------------------------------------------------


def _table_facts(scores: dict) -> dict:
    epochs = [s["epochs"] for s in scores.values()]
    by_fid = ranked(scores, "fid")
    vae, ae = scores["vae-bce"], scores["ae"]
    return dict(n_models=len(scores), n_replications=len(REPLICATIONS), n_experiments=len(EXPERIMENTS),
                low_epochs=min(epochs), high_epochs=max(epochs),
                second=by_fid[1], second_fid=number(scores[by_fid[1]]["fid"]),
                second_epochs=scores[by_fid[1]]["epochs"], fid_yardstick=number(seed_yardstick("fid")),
                ae_recon=number(ae["test_recon"]), vae_recon=number(vae["test_recon"]), ae_mse=number(ae["recon_mse"]),
                vae_mse=number(vae["recon_mse"]), ae_fid=number(ae["fid"]), vae_fid=number(vae["fid"]),
                vae_epochs=vae["epochs"],
                **_gap_facts(scores))


def _gap_facts(scores: dict) -> dict:
    mlp = elbo_gaps(scores, [n for n in BETA_SWEEP if EXPERIMENTS[n].config.beta >= 1])
    conv = elbo_gaps(scores, CONV_BETA_SWEEP)
    return dict(gap_low=number(mlp[min(mlp)]), gap_high=number(mlp[max(mlp)]), beta_high=f"{max(mlp):g}",
                conv_gap_low=number(conv[min(conv)]), conv_gap_high=number(conv[max(conv)]),
                conv_beta_high=f"{max(conv):g}", sweep_epochs=scores["beta-1"]["epochs"],
                conv_epochs=scores["conv-beta-1"]["epochs"])


def _seed_facts() -> dict:
    losses, betas = _loss_spreads(), _beta_spreads()
    kl_means = [mean(s["test_kl"]) for s in betas.values()]
    n = {len(s["seed"]) for s in [*losses.values(), *betas.values()]}
    return dict(n_seeds=" / ".join(str(k) for k in sorted(n)), short_epochs=_runs()[MATCHED_VAE].config.epochs,
                smallest_kl_step=number(smallest_step(kl_means)),
                largest_kl_spread=number(max(statistics.stdev(s["test_kl"].tolist()) for s in betas.values())),
                **{f"{loss.lower()}_fid": number(mean(s["fid"])) for loss, s in losses.items()},
                **{f"{loss.lower()}_error": number(mean(s["recon_mse"])) for loss, s in losses.items()})


def _anchor_facts(scores: dict) -> dict:
    binary = scores["vae-binary"]
    return dict(binary_epochs=binary["epochs"], binary_k=integer(binary["iwae_samples"]),
                binary_n=integer(binary["iwae_images"]), binary_bound=number(-binary["iwae"]),
                binary_stderr=number(binary["iwae_stderr"]), binary_loss=number(binary["test_loss"]),
                burda=number(BURDA_VAE_NATS), burda_passes=integer(BURDA_PASSES),
                binary_gap=number(rounded_difference(-binary["iwae"], BURDA_VAE_NATS)))


def _family_facts(scores: dict, real: dict) -> dict:
    found = _runs()
    values = {}
    for name in FAMILIES:
        key, s = name.replace("-", "_"), scores[name]
        values |= {f"{key}_epochs": s["epochs"], f"{key}_minutes": number(found[name].meta["train_seconds"] / 60, 1),
                   f"{key}_fid": number(s["fid"]), f"{key}_confidence": number(s["confidence"], 3),
                   f"{key}_coverage": number(s["coverage_kl"], 3)}
    return values | dict(real_confidence=number(real["confidence"], 3), fid_floor=number(real["fid_floor"]),
                         vae_bound=number(-scores["vae-bce"]["iwae"]), vaegan_mse=number(scores["vaegan"]["recon_mse"]),
                         matched_mse=number(scores[MATCHED_VAE]["recon_mse"]))


def facts(lang: str):
    scores, real = _scores(), _real()
    return chapter_facts(__name__, lang, **_table_facts(scores), **_seed_facts(), **_anchor_facts(scores),
                         **_family_facts(scores, real))


# --- The claims ------------------------------------------------------------------------------------


def beyond_seeds(gap: float, column: str, digits: int = 2, **words):
    """Whether a gap between two models trained once is at least `FAR` times the largest
    standard deviation that a change of seed gives any model trained with several seeds."""
    yardstick = seed_yardstick(column)
    return fact(gap >= FAR * yardstick, f"gap {number(gap, digits)} ≥ {FAR} × {number(yardstick, digits)} "
                f"(largest sd over seeds)", **words)


@claim("c-cmp-gan-lowest-fid")
def gan_lowest_fid():
    """gan has the lowest FID of every generative model, by far more than seeds move a model."""
    fids = {name: s["fid"] for name, s in _scores().items()}
    second = ranked(_scores(), "fid")[1]
    return extreme(fids, "gan", quantity="fid") & beyond_seeds(fids[second] - fids["gan"], "fid", quantity="fid")


@claim("c-cmp-ae-fid-far-above")
def ae_fid_far_above():
    """The autoencoder's samples have a far higher FID than vae-bce's (same network and epochs)."""
    ae, vae = _scores()["ae"]["fid"], _scores()["vae-bce"]["fid"]
    return above(("ae", ae), ("vae-bce", vae), quantity="fid") & beyond_seeds(ae - vae, "fid", quantity="fid")


def elbo_gaps(scores: dict, names) -> dict:
    """Test loss minus −IWAE bound, from the rounded values the table prints, by β: how much
    the ELBO understates each model's likelihood at least."""
    return {EXPERIMENTS[n].config.beta: rounded_difference(scores[n]["test_loss"], -scores[n]["iwae"]) for n in names}


@claim("c-cmp-elbo-gap-grows-with-beta")
def elbo_gap_grows_with_beta():
    """From β = 1 up, the gap between the ELBO and the IWAE bound widens at every step of the MLP
    sweep, and the convolutional sweep's gap is wider at its largest β than at β = 1."""
    scores = _scores()
    mlp = elbo_gaps(scores, [n for n in BETA_SWEEP if EXPERIMENTS[n].config.beta >= 1])
    conv = elbo_gaps(scores, CONV_BETA_SWEEP)
    return ordered({f"MLP β = {beta:g}": gap for beta, gap in mlp.items()}, "rises", unit="nats") & \
        above((f"conv β = {max(conv):g}", conv[max(conv)]), (f"conv β = {min(conv):g}", conv[min(conv)]), unit="nats")


@claim("c-cmp-gan-most-confident")
def gan_most_confident():
    """The classifier is surer of gan's samples than of any other model's, and surer still of
    real digits."""
    confidence = {name: s["confidence"] for name, s in _scores().items()}
    return extreme(confidence, "gan", lowest=False, digits=3, quantity="confidence") & \
        below(("gan", confidence["gan"]), ("real", _real()["confidence"]), 3, quantity="confidence")


@claim("c-cmp-gan-coverage-like-vae")
def gan_coverage_like_vae():
    """gan's samples cover the ten digits about as evenly as vae-bce's (coverage KL within
    0.01 nats)."""
    s = _scores()
    return close(("gan", s["gan"]["coverage_kl"]), ("vae-bce", s["vae-bce"]["coverage_kl"]), 0.01, 3,
                 quantity="coverage_kl")


@claim("c-cmp-families-same-machine")
def families_same_machine():
    """The models of the family comparison were trained on the same kind of machine, so their
    training times compare."""
    machines = {name: _runs()[name].meta["device_name"] for name in FAMILIES}
    return fact(len(set(machines.values())) == 1, ", ".join(f"{name}: {m}" for name, m in machines.items()))


# --- Figures and tables ----------------------------------------------------------------------------


@uses(tables.protocol, evaluate.evaluation, bernoulli_bound)
def tbl_protocol(lang: str):
    return Markdown(tables.protocol(_scores(), _real(), lang, notes=NOTES))


@uses(plots.sample_grids)
def fig_samples(lang: str):
    return plots.sample_grids({name: r.artefacts["samples"][:16] for name, r in _runs().items()}, columns=4,
                              per_row=6, size=1.5)


@uses(tables.seed_spread, seed_scores, evaluate.evaluation)
def tbl_seeds_losses(lang: str):
    epochs = {loss.upper(): _runs()[name].config.epochs for loss, name in SHORT_LOSS_MODELS.items()}
    return Markdown(tables.seed_spread(_loss_spreads(), epochs, lang,
                                       {loss.upper(): loss for loss in SHORT_LOSS_MODELS}))


@uses(tables.seed_spread, seed_scores, evaluate.evaluation)
def tbl_seeds_beta(lang: str):
    epochs = {f"β = {EXPERIMENTS[name].config.beta:g}": _runs()[name].config.epochs for name in BETA_SWEEP}
    return Markdown(tables.seed_spread(_beta_spreads(), epochs, lang))
