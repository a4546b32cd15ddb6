"""Chapter "Comparison": every model of the book under one evaluation protocol, the spread
of the headline comparisons over seeds, two published anchors, and GAN against VAE against
VAE-GAN."""

from __future__ import annotations

from IPython.display import Markdown
from vaebook import evaluate, measure, plots

from .. import tables
from ..experiments import BETA_SWEEP, NOISE_SWEEP, SHORT_LOSS_MODELS, classifier, runs, seed_scores
from ..figures import uses
from ..text import choose, integer, number, percent
from . import chapter_facts

MODELS = ["vae-bce", "vae-mse", "vae-l1", "conv-vae", "vae-2d", "ae", *BETA_SWEEP, *NOISE_SWEEP, "gan", "vaegan",
          "vae-binary"]
FAMILIES = ("gan", "vae-bce", "vaegan")
# PyTorch's examples/vae is beta-1 at ten epochs; its published test loss is 104-106 nats.
PYTORCH_EXAMPLE_NATS = (104, 106)
BURDA_VAE_NATS = 86.76  # Burda et al. 2016, Table 1: VAE, one stochastic layer, k = 1, MNIST
FID_LEADERS = 5

SEPARATOR = {"en": ", ", "zh": "、"}
PAIR = {"en": "{} and {}", "zh": "{} 与 {}"}
FID_OVERLAP = {
    "en": ("the ranges of mean ± one standard deviation overlap for {pairs}, so {n_seeds} seeds do not settle "
           "their order by FID",
           "no two losses' ranges of mean ± one standard deviation overlap, so their order by FID holds across seeds"),
    "zh": ("{pairs} 的“均值 ± 一个标准差”区间相互重叠，所以 {n_seeds} 个种子还不足以确定它们按 FID 的先后",
           "任意两种损失的“均值 ± 一个标准差”区间都不重叠，所以它们按 FID 的先后在各种子之间都成立"),
}
ANCHOR_POSITION = {
    "en": {"inside": "inside that range", "below": "below that range", "above": "above that range"},
    "zh": {"inside": "落在这一范围之内", "below": "低于这一范围", "above": "高于这一范围"},
}
GAP_DIRECTION = {"en": ("above", "below"), "zh": ("高", "低")}
VAEGAN_FID = {"en": ("better", "worse"), "zh": ("优于", "不如")}
VAEGAN_COVERAGE = {"en": ("better", "worse"), "zh": ("更好", "更差")}


def _runs():
    return runs(*MODELS)


def _scores() -> dict:
    judge = classifier()
    return {name: evaluate.evaluation(run, judge) for name, run in _runs().items()}


def _real() -> dict:
    """The classifier's own evaluation: its accuracy and the scores of real digits."""
    judge = classifier()
    return evaluate.evaluation(judge, judge)


def _loss_spreads() -> dict:
    return {loss.upper(): seed_scores(name) for loss, name in SHORT_LOSS_MODELS.items()}


def _beta_spreads() -> dict:
    return {f"β = {_runs()[name].config.beta:g}": seed_scores(name) for name in BETA_SWEEP}


def mean(values) -> float:
    return float(values.double().mean())


def spread(values) -> float:
    """The sample standard deviation (n − 1), as the seed tables print it."""
    return float(values.double().std())


def ranked(scores: dict, column: str, names=None, highest_first: bool = False) -> list[str]:
    """The names (all of `scores`, or `names`) ordered by one score, best first: lowest
    first unless `highest_first`."""
    names = list(scores) if names is None else list(names)
    return sorted(names, key=lambda name: -scores[name][column] if highest_first else scores[name][column])


def smallest_step(values: list[float]) -> float:
    """The smallest absolute difference between neighbours in a sequence: the weakest step of
    a sweep's trend."""
    return min(abs(a - b) for a, b in zip(values, values[1:]))


def overlapping_pairs(ranges: dict[str, tuple[float, float]]) -> list[tuple[str, str]]:
    """The pairs of names whose closed intervals (low, high) overlap, each pair in name
    order, the list sorted."""
    return sorted({tuple(sorted((a, b))) for a in ranges for b in ranges
                   if a != b and ranges[a][0] <= ranges[b][1] and ranges[b][0] <= ranges[a][1]})


def range_position(value: float, low: float, high: float) -> str:
    """"below", "inside" or "above" the closed range [low, high]."""
    if value < low:
        return "below"
    return "inside" if value <= high else "above"


def facts(lang: str):
    scores, real = _scores(), _real()
    loss_spreads, beta_spreads = _loss_spreads(), _beta_spreads()
    all_runs = _runs()
    vae, vaegan, ae = scores["vae-bce"], scores["vaegan"], scores["ae"]
    sep = SEPARATOR[lang]

    by_fid = ranked(scores, "fid")
    fid_order = ranked(scores, "fid", FAMILIES)
    confidence_order = ranked(scores, "confidence", FAMILIES, highest_first=True)
    coverage_order = ranked(scores, "coverage_kl", FAMILIES)

    n_seeds = len(next(iter(beta_spreads.values()))["seed"])
    kl_means = [mean(s["test_kl"]) for s in beta_spreads.values()]
    fid_ranges = {loss: (mean(s["fid"]) - spread(s["fid"]), mean(s["fid"]) + spread(s["fid"]))
                  for loss, s in loss_spreads.items()}
    overlapping = overlapping_pairs(fid_ranges)
    overlap_yes, overlap_no = FID_OVERLAP[lang]
    pairs = sep.join(PAIR[lang].format(a, b) for a, b in overlapping)

    anchor = beta_spreads["β = 1"]["test_loss"]
    reference = scores["vae-binary"]
    reference_gap = -reference["iwae"] - BURDA_VAE_NATS

    return chapter_facts(
        __name__, lang,
        test_images=integer(all_runs["vae-bce"].meta["test_images"]),
        iwae_k=integer(vae["iwae_samples"]), iwae_n=integer(vae["iwae_images"]),
        n_samples=integer(measure.n_generated(all_runs["vae-bce"])),
        classifier_accuracy=percent(real["test_accuracy"], 2), fid_floor=number(real["fid_floor"]),
        bce_bound=number(-vae["iwae"]), elbo_gap=number(vae["test_loss"] + vae["iwae"]),
        bce_test_loss=number(vae["test_loss"]),
        fid_leaders=sep.join(by_fid[:FID_LEADERS]), gan_rank=by_fid.index("gan") + 1, n_ranked=len(by_fid),
        ae_mse=number(ae["recon_mse"]), vae_mse=number(vae["recon_mse"]),
        ae_fid=number(ae["fid"]), vae_fid=number(vae["fid"]),
        n_seeds=n_seeds, built_epochs=all_runs["beta-1"].config.epochs,
        smallest_kl_step=number(smallest_step(kl_means)),
        largest_kl_spread=number(max(spread(s["test_kl"]) for s in beta_spreads.values())),
        fid_spread_largest=number(max(spread(s["fid"]) for s in loss_spreads.values())),
        fid_overlap=choose(bool(overlapping), overlap_yes.format(pairs=pairs, n_seeds=n_seeds), overlap_no),
        anchor_mean=number(mean(anchor)), anchor_spread=number(spread(anchor)),
        anchor_position=ANCHOR_POSITION[lang][range_position(mean(anchor), *PYTORCH_EXAMPLE_NATS)],
        binary_epochs=all_runs["vae-binary"].config.epochs,
        binary_k=integer(reference["iwae_samples"]), binary_n=integer(reference["iwae_images"]),
        binary_bound=number(-reference["iwae"]), binary_stderr=number(reference["iwae_stderr"]),
        binary_gap=number(abs(reference_gap)), binary_gap_direction=choose(reference_gap > 0, *GAP_DIRECTION[lang]),
        fid_order=sep.join(fid_order), fid_values=sep.join(number(scores[n]["fid"]) for n in fid_order),
        confidence_order=sep.join(confidence_order),
        confidence_values=sep.join(number(scores[n]["confidence"], 3) for n in confidence_order),
        real_confidence=number(real["confidence"], 3),
        coverage_order=sep.join(coverage_order),
        coverage_values=sep.join(number(scores[n]["coverage_kl"], 3) for n in coverage_order),
        vaegan_mse=number(vaegan["recon_mse"]), vaegan_epochs=all_runs["vaegan"].config.epochs,
        vaegan_fid=number(vaegan["fid"]),
        vaegan_fid_verdict=choose(vaegan["fid"] < vae["fid"], *VAEGAN_FID[lang]),
        vaegan_coverage_verdict=choose(vaegan["coverage_kl"] < vae["coverage_kl"], *VAEGAN_COVERAGE[lang]),
    )


@uses(tables.protocol, evaluate.evaluation)
def tbl_protocol(lang: str):
    return Markdown(tables.protocol(_scores(), _real(), lang))


@uses(plots.sample_grids)
def fig_samples(lang: str):
    return plots.sample_grids({name: run.artefacts["samples"][:16] for name, run in _runs().items()}, columns=4,
                              per_row=6, size=1.5)


@uses(tables.seed_spread, seed_scores, evaluate.evaluation)
def tbl_seeds_losses(lang: str):
    return Markdown(tables.seed_spread(_loss_spreads(), lang))


@uses(tables.seed_spread, seed_scores, evaluate.evaluation)
def tbl_seeds_beta(lang: str):
    return Markdown(tables.seed_spread(_beta_spreads(), lang))
