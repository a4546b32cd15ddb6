"""Chapter "Comparison": every model of the book under one evaluation protocol, the spread
of the headline comparisons over seeds, two published anchors, and GAN against VAE against
VAE-GAN."""

from __future__ import annotations

from IPython.display import Markdown
from vaebook import evaluate, measure, plots

from .. import tables
from ..experiments import BETA_SWEEP, CONV_BETA_SWEEP, NOISE_SWEEP, SHORT_LOSS_MODELS, classifier, runs, seed_scores
from ..figures import uses
from ..text import Text, choose, comparative, integer, listing, number, ordinal, percent
from . import chapter_facts

MODELS = ["vae-bce", "vae-mse", "vae-l1", "vae-tanh", "conv-vae", *CONV_BETA_SWEEP, "vae-2d", "vae-2d-softmax-ce", "ae",
          "vae-kl-only", *BETA_SWEEP, *NOISE_SWEEP, "gan", "gan-gelu", "vaegan", "vae-binary"]
# The three families, with the VAE twice: as trained for the book (`vae-bce`) and stopped at the
# VAE-GAN's length (`beta-1`, the same network and loss), so the VAE-GAN meets a VAE trained alike.
FAMILIES = ("gan", "vae-bce", "beta-1", "vaegan")
MATCHED_VAE = "beta-1"
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
EPOCHS_OF = {"en": "{name} ({epochs} epochs)", "zh": "{name}（{epochs} 轮）"}
BUDGET_SPAN = {
    "en": ("The table's budgets run from {low} to {high} epochs, so that ranking says which of these runs draws "
           "best, not which design would at equal training; the comparisons that follow say when their models "
           "trained alike.", "Every model of the table trained for {low} epochs, so the ranking compares equal budgets."),
    "zh": ("表中的训练预算从 {low} 轮到 {high} 轮不等，所以这个排名说的是这些训练结果中谁画得最好，而不是同等训练下哪种设计更好；"
           "后面的比较都会说明参与比较的模型是否训练得一样久。", "表中每个模型都训练了 {low} 轮，所以这个排名比较的是同等的预算。"),
}
SAME_BUDGET = {
    "en": ("both trained for {a} epochs", "`ae` trained for {a} epochs and `vae-bce` for {b}, so the comparison is "
           "not at equal training"),
    "zh": ("两者都训练了 {a} 轮", "`ae` 训练了 {a} 轮，`vae-bce` 训练了 {b} 轮，所以这不是同等训练下的比较"),
}
EPOCH_RELATION = {"en": ("more than", "as many as", "fewer than"), "zh": ("多于", "等于", "少于")}
MINUTE_RELATION = {"en": ("more than", "about the same as", "less than"), "zh": ("多于", "约等于", "少于")}
MATCHED_BUDGET = {
    "en": ("At equal training, {a} epochs each, its", "`beta-1` trained for {b} epochs and the VAE-GAN for {a}, so "
           "this comparison is not at equal training: its"),
    "zh": ("在同等训练下（各 {a} 轮），它的", "`beta-1` 训练了 {b} 轮，VAE-GAN 训练了 {a} 轮，这不是同等训练下的比较：它的"),
}
# How the VAE-GAN's score compares with `beta-1`'s (`compare`, for a score where lower is better).
AGAINST_MATCHED = {
    "en": ("worse than `beta-1`’s", "about the same as `beta-1`’s", "better than `beta-1`’s"),
    "zh": ("不如 `beta-1`", "与 `beta-1` 相当", "优于 `beta-1`"),
}
SEED_MEASURES = {"en": {"fid": "FID", "confidence": "confidence", "coverage_kl": "coverage KL"},
                 "zh": {"fid": "FID", "confidence": "置信度", "coverage_kl": "类别覆盖 KL"}}
# By `chance_reading`: some of the VAE-GAN's scores inside the seeds' ranges, all, none.
CHANCE = {
    "en": ("Those ranges take in the VAE-GAN's {within}, so a change of seed alone could undo those differences; its "
           "{beyond} lies outside them.",
           "Those ranges take in the VAE-GAN's score on every measure, so a change of seed alone could undo each "
           "difference.",
           "The VAE-GAN's scores lie outside all three ranges: each difference is larger than a change of seed makes."),
    "zh": ("这些范围涵盖了 VAE-GAN 在以下指标上的得分：{within}，所以仅换一个种子就可能抹平这些差异；落在范围之外的是{beyond}。",
           "这些范围涵盖了 VAE-GAN 在每个指标上的得分，所以仅换一个种子就可能抹平每一处差异。",
           "VAE-GAN 的得分都落在这三个范围之外：每一处差异都大于换种子带来的变化。"),
}
LONGER_VAE = {"en": ("better than", "about the same as", "worse than"), "zh": ("优于", "相当于", "不如")}


def _runs():
    return runs(*MODELS)


def _scores() -> dict:
    judge = classifier()
    return {name: evaluate.evaluation(run, judge) for name, run in _runs().items()}


def _real() -> dict:
    """The classifier's own evaluation: its accuracy and the scores of real digits."""
    judge = classifier()
    return evaluate.evaluation(judge, judge)


def _loss_label(loss: str) -> str:
    return loss.upper()


def _beta_label(name: str) -> str:
    return f"β = {_runs()[name].config.beta:g}"


def _loss_spreads() -> dict:
    return {_loss_label(loss): seed_scores(name) for loss, name in SHORT_LOSS_MODELS.items()}


def _beta_spreads() -> dict:
    return {_beta_label(name): seed_scores(name) for name in BETA_SWEEP}


def _loss_epochs() -> dict:
    return {_loss_label(loss): run.config.epochs
            for loss, run in zip(SHORT_LOSS_MODELS, runs(*SHORT_LOSS_MODELS.values()).values())}


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


def spanned_by_seeds(value: float, seeds) -> bool:
    """Whether a score lies within the range of another model's scores over its seeds, ends
    included: whether a change of seed alone moved that model as far."""
    return float(min(seeds)) <= value <= float(max(seeds))


def chance_reading(value_by_measure: dict, seeds_by_measure: dict) -> tuple[int, list[str], list[str]]:
    """Which measures' scores a model's seeds span (`spanned_by_seeds`) and which they do not,
    in the order given, and the case of `CHANCE`: 0 some of each, 1 all spanned, 2 none."""
    within = [m for m, value in value_by_measure.items() if spanned_by_seeds(value, seeds_by_measure[m])]
    beyond = [m for m in value_by_measure if m not in within]
    return (0 if within and beyond else 1 if within else 2), within, beyond


def seed_range(seeds, digits: int = 2) -> Text:
    """The lowest and highest of a model's scores over its seeds: "316.20–341.88"."""
    return Text(f"{number(float(min(seeds)), digits)}–{number(float(max(seeds)), digits)}")


def with_epochs(names, epochs: dict, lang: str) -> list[str]:
    """Each name with how many epochs it trained: "gan (50 epochs)"."""
    return [EPOCHS_OF[lang].format(name=name, epochs=epochs[name]) for name in names]


def facts(lang: str):
    scores, real = _scores(), _real()
    loss_spreads, beta_spreads = _loss_spreads(), _beta_spreads()
    all_runs = _runs()
    vae, vaegan, ae, gan = scores["vae-bce"], scores["vaegan"], scores["ae"], scores["gan"]
    matched, matched_seeds = scores[MATCHED_VAE], seed_scores(MATCHED_VAE)
    epochs = {name: run.config.epochs for name, run in all_runs.items()}
    minutes = {name: run.meta["train_seconds"] / 60 for name, run in all_runs.items()}
    sep = SEPARATOR[lang]

    by_fid = ranked(scores, "fid")
    fid_order = ranked(scores, "fid", FAMILIES)
    confidence_order = ranked(scores, "confidence", FAMILIES, highest_first=True)
    coverage_order = ranked(scores, "coverage_kl", FAMILIES)
    low_epochs, high_epochs = min(epochs.values()), max(epochs.values())

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
    words = SEED_MEASURES[lang]
    chance, within, beyond = chance_reading({m: vaegan[m] for m in words}, {m: matched_seeds[m] for m in words})

    return chapter_facts(
        __name__, lang,
        test_images=integer(all_runs["vae-bce"].meta["test_images"]),
        iwae_k=integer(vae["iwae_samples"]), iwae_n=integer(vae["iwae_images"]),
        n_samples=integer(measure.n_generated(all_runs["vae-bce"])),
        classifier_accuracy=percent(real["test_accuracy"], 2), fid_floor=number(real["fid_floor"]),
        bce_bound=number(-vae["iwae"]), elbo_gap=number(vae["test_loss"] + vae["iwae"]),
        bce_test_loss=number(vae["test_loss"]),
        fid_leaders=sep.join(with_epochs(by_fid[:FID_LEADERS], epochs, lang)),
        gan_rank=ordinal(by_fid.index("gan") + 1, lang), n_ranked=len(by_fid),
        budget_span=choose(low_epochs < high_epochs, *BUDGET_SPAN[lang]).format(low=low_epochs, high=high_epochs),
        ae_mse=number(ae["recon_mse"]), vae_mse=number(vae["recon_mse"]),
        ae_fid=number(ae["fid"]), vae_fid=number(vae["fid"]),
        ae_budget=choose(epochs["ae"] == epochs["vae-bce"], *SAME_BUDGET[lang]).format(a=epochs["ae"],
                                                                                       b=epochs["vae-bce"]),
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
        # The three families, each model with its budget.
        gan_epochs=epochs["gan"], vae_epochs=epochs["vae-bce"], vaegan_epochs=epochs["vaegan"],
        matched_epochs=epochs[MATCHED_VAE],
        gan_minutes=number(minutes["gan"], 1), vae_minutes=number(minutes["vae-bce"], 1),
        vaegan_minutes=number(minutes["vaegan"], 1),
        gan_epochs_relation=comparative(epochs["gan"], epochs["vae-bce"], *EPOCH_RELATION[lang], tolerance=0),
        gan_minutes_relation=comparative(minutes["gan"], minutes["vae-bce"], *MINUTE_RELATION[lang]),
        fid_order=sep.join(with_epochs(fid_order, epochs, lang)),
        fid_values=sep.join(number(scores[n]["fid"]) for n in fid_order),
        confidence_order=sep.join(with_epochs(confidence_order, epochs, lang)),
        confidence_values=sep.join(number(scores[n]["confidence"], 3) for n in confidence_order),
        real_confidence=number(real["confidence"], 3),
        coverage_order=sep.join(with_epochs(coverage_order, epochs, lang)),
        coverage_values=sep.join(number(scores[n]["coverage_kl"], 3) for n in coverage_order),
        gan_fid=number(gan["fid"]),
        vaegan_mse=number(vaegan["recon_mse"]), matched_mse=number(matched["recon_mse"]),
        matched_budget=choose(epochs["vaegan"] == epochs[MATCHED_VAE], *MATCHED_BUDGET[lang]).format(
            a=epochs["vaegan"], b=epochs[MATCHED_VAE]),
        vaegan_fid=number(vaegan["fid"]), matched_fid=number(matched["fid"]),
        vaegan_fid_verdict=comparative(vaegan["fid"], matched["fid"], *AGAINST_MATCHED[lang]),
        vaegan_confidence=number(vaegan["confidence"], 3), matched_confidence=number(matched["confidence"], 3),
        vaegan_confidence_verdict=comparative(matched["confidence"], vaegan["confidence"], *AGAINST_MATCHED[lang]),
        vaegan_coverage=number(vaegan["coverage_kl"], 3), matched_coverage=number(matched["coverage_kl"], 3),
        vaegan_coverage_verdict=comparative(vaegan["coverage_kl"], matched["coverage_kl"], *AGAINST_MATCHED[lang]),
        matched_fid_range=seed_range(matched_seeds["fid"]),
        matched_confidence_range=seed_range(matched_seeds["confidence"], 3),
        matched_coverage_range=seed_range(matched_seeds["coverage_kl"], 3),
        chance=CHANCE[lang][chance].format(within=listing([words[m] for m in within], lang),
                                           beyond=listing([words[m] for m in beyond], lang)),
        longer_verdict=comparative(vaegan["fid"], vae["fid"], *LONGER_VAE[lang]),
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
    return Markdown(tables.seed_spread(_loss_spreads(), _loss_epochs(), lang,
                                       {_loss_label(loss): loss for loss in SHORT_LOSS_MODELS}))


@uses(tables.seed_spread, seed_scores, evaluate.evaluation)
def tbl_seeds_beta(lang: str):
    return Markdown(tables.seed_spread(_beta_spreads(), {_beta_label(name): _runs()[name].config.epochs
                                                         for name in BETA_SWEEP}, lang))
