"""Chapter "β-VAE": the 784-400-20 VAE trained with several weights β on its KL term, each
with several seeds, measured for rate and distortion, sample and reconstruction quality,
active latent dimensions and what its most informative dimensions do, and set beside course
reports 000 and 001 (the latter also on its own convolutional network and training log)."""

from __future__ import annotations

import statistics
from types import SimpleNamespace

import torch
from IPython.display import Markdown

from vaebook import latent, measure, metrics, plots
from vaebook.evaluate import sample_scores
from vaebook.families import trained_model
from vaebook.losses import bce_recon

from .. import explorers, tables
from ..claims import SIGNIFICANCE, claim, every, fact, ordered, seeds_same, welch
from ..experiments import (
    BETA_EPOCHS,
    BETA_SWEEP,
    CONV_BETA_SWEEP,
    REPORT_000_BETAS,
    REPORT_000_SWEEPS,
    classifier,
    get_experiment,
    runs,
)
from ..figures import uses
from ..text import integer, labels, listing, number, percent
from . import chapter_facts
from .losses import (
    columns,
    mean_sd,
    one_run_margin,
    one_run_steps,
    relative_spread,
    shown,
    small_count,
    steps_over_seeds,
    yardstick,
)

LOW, ONE, TWO, HIGH = "beta-0.25", "beta-1", "beta-2", "beta-8"
# The two models whose traversals are drawn, one figure each.
TRAVERSED = {"one": "beta-1", "four": "beta-4"}
SHOWN = 5  # traversal rows: the most informative dimensions
TRAVERSAL_VALUES = torch.linspace(-3, 3, 7).tolist()
TOP_DIMENSIONS = 3  # how many of β = 8's dimensions the share of its KL is counted over
ACTIVE_CODE_SHARE = 0.01  # the inactive coordinates matter when setting them to 0 costs 1 % of the BCE
LOG_TOLERANCE = 1.0  # nats per image: two training logs that agree this well describe alike trainings
# Course report 001's β-VAE log (β = 2, 15 epochs, batches of 64), per image: the epoch's mean
# train loss, reconstruction + β · KL, then its KL and reconstruction terms.
REPORT_001_BETA = 2
REPORT_001_LOG = {10: (125.541367, 12.835146, 99.871086), 15: (123.645050, 13.099656, 97.445732)}
REPORT_001_EPOCHS = max(REPORT_001_LOG)
# The β of course report 000's sweeps whose samples are drawn: each sweep's smallest, 1, 2 and 4.
SAMPLED_2D = {"mse": (0.5, 1, 2, 4), "ce": (0.1, 1, 2, 4)}
COARSE_2D = (1, 2, 3, 4)
# Course report 000's logged train loss of the last of its 20 epochs (recon + β · KL per image,
# averaged over the epoch's batches), for each loss and β of its first sweep; its finer
# cross-entropy sweep printed no log.
REPORT_000_LOG = {("mse", 0.5): 35.50981140136719, ("mse", 1): 38.53614807128906, ("mse", 2): 44.546875,
                  ("mse", 3): 46.355674743652344, ("mse", 4): 49.54854202270508,
                  ("ce", 0.5): 631.455078125, ("ce", 1): 633.2487182617188, ("ce", 2): 635.23291015625,
                  ("ce", 3): 637.9805908203125, ("ce", 4): 637.4791870117188}
LOG_TOLERANCE_2D = 2.0  # nats per image  # the β both of report 000's sweeps share from 1 up


# --- Pure helpers -------------------------------------------------------------------------------


def chords_on_slope(slopes) -> int:
    """How many chords (β_low, β_high, slope) of a rate-distortion sweep have a slope between
    −β_high and −β_low, as they would if every model sat at its own objective's optimum on a
    convex curve (`metrics.rate_distortion_slopes`)."""
    return sum(-high <= slope <= -low for low, high, slope in slopes)


def top_share(kl_per_dim: torch.Tensor, count: int) -> float:
    """The share of a model's KL carried by its `count` most informative dimensions."""
    return float(kl_per_dim.sort(descending=True).values[:count].sum() / kl_per_dim.sum())


def tilt_row(slant: torch.Tensor) -> int:
    """The traversal row (rows × values, in degrees) whose slant changes most between its
    first and last image, in either direction."""
    return int((slant[:, -1] - slant[:, 0]).abs().argmax())


def ink_row(ink: torch.Tensor) -> int:
    """The traversal row (rows × values) whose ink changes most between its first and last
    image, by ratio, so that halving counts as much as doubling."""
    return int((ink[:, -1] / ink[:, 0]).log().abs().argmax())


def stroke_changes(images: torch.Tensor, dims: list[int]) -> SimpleNamespace:
    """For a traversal (rows for `dims` × values × 784): the dimension, numbered from 1 as the
    figures draw it, whose row tilts the digit most and the one whose row changes its ink most,
    each with the measure at the row's two ends (`metrics.stroke_measures`)."""
    strokes = metrics.stroke_measures(images)
    tilt, ink = tilt_row(strokes["slant"]), ink_row(strokes["ink"])
    return SimpleNamespace(tilt_dim=dims[tilt] + 1, tilt_ends=strokes["slant"][tilt, [0, -1]].tolist(),
                           ink_dim=dims[ink] + 1, ink_ends=strokes["ink"][ink, [0, -1]].tolist())


def degrees(value: float) -> str:
    """A slant in whole degrees with its sign, the minus sign typeset: +12°, −3°, 0°."""
    rounded = round(value)
    return "0°" if rounded == 0 else f"{'+' if rounded > 0 else '−'}{abs(rounded)}°"


def per_seed_points(kl: dict, recon: dict, betas: dict) -> list[dict]:
    """The sweep's rate-distortion points seed by seed: [{β: (rate, distortion)}], from
    {name: one value per seed} of each term and {name: β}."""
    seeds = len(next(iter(kl.values())))
    return [{betas[name]: (kl[name][i], recon[name][i]) for name in kl} for i in range(seeds)]


def code_cost_shares(costs: dict) -> dict:
    """What decoding from the active coordinates alone costs, as a share of the full code's
    BCE, for each model with an inactive coordinate ({name: `active_code_cost`})."""
    return {name: (c["active_bce"] - c["full_bce"]) / c["full_bce"] for name, c in costs.items()
            if c["inactive"] > 0}


# --- The runs -----------------------------------------------------------------------------------


def _runs():
    return runs(*BETA_SWEEP)


def beta_of(name: str) -> str:
    """A model's β as the prose writes it: 0.25, 1, 8."""
    return f"{get_experiment(name).config.beta:g}"


def _label(name: str) -> str:
    return f"β = {beta_of(name)}"


def _seeds(column: str, names=BETA_SWEEP) -> dict[str, list[float]]:
    """{β label: one value per seed} of a protocol score, in order of β."""
    return {_label(name): columns(name)[column] for name in names}


def _means(column: str) -> dict[str, float]:
    return {name: statistics.fmean(columns(name)[column]) for name in BETA_SWEEP}


def _points() -> dict:
    """{β: (rate, distortion)}, each the mean over the seeds of the test KL and reconstruction term."""
    kl, recon = _means("test_kl"), _means("test_recon")
    return {get_experiment(name).config.beta: (kl[name], recon[name]) for name in BETA_SWEEP}


def _active() -> dict:
    return {name: measure.active_dimensions(r) for name, r in _runs().items()}


def _stats() -> dict:
    return {name: measure.image_stats(r) for name, r in _runs().items()}


def active_code_cost(run) -> dict[str, float]:
    """The test digits decoded from their posterior means, and from the same means with every
    inactive coordinate set to 0, the prior's mean: the BCE of each (nats per image) and the
    number of inactive coordinates. Stored beside the run's entry."""

    @torch.no_grad()
    def compute():
        model, images = trained_model(run), measure.test_data(run).test_images
        means = latent.encode(model, images)[0]
        active = measure.code_statistics(run)["kl_per_dim"] > metrics.ACTIVE_KL
        result = {"inactive": (~active).sum()}
        for key, codes in (("full", means), ("active", means * active)):
            logits = torch.cat([model.decode_logits(c) for c in codes.split(metrics.EVAL_BATCH)])
            result[f"{key}_bce"] = bce_recon(logits, images).mean()
        return result

    return {k: float(v) for k, v in measure.stored(run, "active-code", {"threshold": metrics.ACTIVE_KL},
                                                   compute).items()}


def _traversal(name: str) -> tuple[list[int], torch.Tensor]:
    """The most informative dimensions of a model and its traversal along each."""
    r = _runs()[name]
    dims = measure.informative_dimensions(r, SHOWN)
    return dims, latent.traversal(trained_model(r), r.config.latent_dim, dims, TRAVERSAL_VALUES)


def _changes() -> dict:
    return {key: stroke_changes(images, dims) for key, (dims, images) in
            ((key, _traversal(name)) for key, name in TRAVERSED.items())}


def _conv_runs():
    return runs(*CONV_BETA_SWEEP)


def _conv(column: str) -> dict[str, float]:
    """{β label: value} of the conv sweep, one run each: test terms from the run, images from its stats."""
    sweep = _conv_runs()
    if column == "neg_elbo":
        return {_label(n): r.metrics["test_recon"] + r.metrics["test_kl"] for n, r in sweep.items()}
    if column in ("test_kl", "test_recon"):
        return {_label(n): r.metrics[column] for n, r in sweep.items()}
    return {_label(n): measure.image_stats(r)[column] for n, r in sweep.items()}


def _conv_log() -> dict:
    """{(run, epoch): (train loss, KL, reconstruction)}: course report 001's logged epochs and
    conv-beta-2's last."""
    ours = _conv_runs()[f"conv-beta-{REPORT_001_BETA}"]
    epoch = ours.config.epochs
    rows = {("course report 001", e): values for e, values in REPORT_001_LOG.items()}
    history = ours.history
    rows[(ours.name, epoch)] = tuple(history[c][epoch - 1] for c in ("train_loss", "train_kl", "train_recon"))
    return rows


def _sweep_2d(loss: str) -> dict:
    """Course report 000's sweep of its 2-D VAE under one loss ("mse" or "ce"), {name: run}, β ascending."""
    return runs(*REPORT_000_SWEEPS[loss])


def _scores_2d(loss: str) -> dict[float, dict[str, float]]:
    """{β: the test KL and the protocol's FID and confidence} of one of report 000's sweeps."""
    judge = classifier()
    return {r.config.beta: {"test_kl": r.metrics["test_kl"]}
            | {k: float(v) for k, v in sample_scores(r, judge).items() if k in ("fid", "confidence")}
            for r in _sweep_2d(loss).values()}


def _column_2d(loss: str, column: str, betas=None) -> dict[str, float]:
    """{β label: value} of one column of a 2-D sweep, at `betas` (default: all of the sweep's)."""
    scores = _scores_2d(loss)
    return {f"β = {beta:g}": scores[beta][column] for beta in (betas or scores)}


def _log_2d() -> dict:
    """{(loss, β): (report 000's logged last-epoch train loss, ours)} for its first sweep."""
    ours = {(loss, r.config.beta): r.history["train_loss"][-1] for loss in REPORT_000_SWEEPS
            for r in _sweep_2d(loss).values()}
    return {key: (logged, ours[key]) for key, logged in REPORT_000_LOG.items()}


# --- Claims -------------------------------------------------------------------------------------


@claim("c-beta-rate-falls")
def rate_falls():
    """The rate falls at every step of β, over the seeds."""
    return steps_over_seeds(_seeds("test_kl"), "falls", quantity="rate", unit="nats")


@claim("c-beta-distortion-rises")
def distortion_rises():
    return steps_over_seeds(_seeds("test_recon"), "rises", quantity="distortion", unit="nats")


@claim("c-beta-chords-on-slope")
def chords_on_slope_every_seed():
    """In every seed, each chord of the sweep lies between −β of its two ends."""
    betas = {name: get_experiment(name).config.beta for name in BETA_SWEEP}
    kl = {name: columns(name)["test_kl"] for name in BETA_SWEEP}
    recon = {name: columns(name)["test_recon"] for name in BETA_SWEEP}
    counts = [chords_on_slope(metrics.rate_distortion_slopes(points)) for points in per_seed_points(kl, recon, betas)]
    chords = len(BETA_SWEEP) - 1
    return fact(all(c == chords for c in counts), ", ".join(f"{c}/{chords}" for c in counts), "chords_every_seed",
                n=len(counts))


@claim("c-beta-elbo-lowest-at-one")
def elbo_lowest_at_one():
    """β = 1's test negative ELBO has the lowest mean, below each other β's by Welch's test."""
    losses = _seeds("test_loss")
    one = losses[_label(ONE)]
    parts, holds = [f"{_label(ONE)}: {mean_sd(one)}"], True
    for label, values in losses.items():
        if label != _label(ONE):
            _, p = welch(one, values)
            holds &= statistics.fmean(one) < statistics.fmean(values) and p < SIGNIFICANCE
            parts.append(f"{label}: {mean_sd(values)} ({'p < 0.001' if p < 0.001 else f'p = {p:.3f}'})")
    return fact(holds, "; ".join(parts), "lowest_over_seeds", level=f"{SIGNIFICANCE:g}", n=len(one),
                quantity="neg_elbo", unit="nats")


@claim("c-beta-own-objective-misleads")
def own_objective_misleads():
    """β = 0.25's own objective, in every seed, is below every model's negative ELBO in every seed."""
    low = columns(LOW)
    beta = get_experiment(LOW).config.beta
    own = [r + beta * k for r, k in zip(low["test_recon"], low["test_kl"])]
    lowest = min(v for values in _seeds("test_loss").values() for v in values)
    return fact(max(own) < lowest, f"{_label(LOW)}: {shown(max(own))} < {shown(lowest)}", "below",
                quantity="own_objective", unit="nats")


@claim("c-beta-recon-error-rises")
def recon_error_rises():
    return steps_over_seeds(_seeds("recon_mse"), "rises", quantity="recon_mse")


@claim("c-beta-fid-lowest-in-middle")
def fid_lowest_in_middle():
    """FID falls at every step up to β = 1 and rises at every step from β = 2, over the seeds."""
    fid = _seeds("fid")
    labels_ = list(fid)
    one, two = labels_.index(_label(ONE)), labels_.index(_label(TWO))
    return (steps_over_seeds({k: fid[k] for k in labels_[: one + 1]}, "falls", quantity="fid")
            & steps_over_seeds({k: fid[k] for k in labels_[two:]}, "rises", quantity="fid"))


@claim("c-beta-fid-one-two-alike")
def fid_one_two_alike():
    fid = _seeds("fid", (ONE, TWO))
    return seeds_same(*fid.items(), quantity="fid")


@claim("c-beta-samples-below-digits")
def samples_below_digits():
    """Every model's samples (the first seed's) carry less ink than the test digits and are softer."""
    stats = _stats()
    real = stats[ONE]
    shown_ = ", ".join(f"{_label(n)}: {shown(s['sample_intensity'], 3)} / {shown(s['sample_sharpness'], 3)}"
                       for n, s in stats.items())
    return every({_label(n): s["sample_intensity"] < real["test_intensity"] and
                  s["sample_sharpness"] < real["test_sharpness"] for n, s in stats.items()},
                 f"{shown_}; {shown(real['test_intensity'], 3)} / {shown(real['test_sharpness'], 3)}",
                 quantity="ink_sharpness")


@claim("c-beta-active-never-grows")
def active_never_grows():
    active = _active()
    return ordered({_label(n): active[n] for n in BETA_SWEEP}, "never_rises", digits=0, quantity="active")


@claim("c-beta-all-active-at-low")
def all_active_at_low():
    active, latent_dim = _active()[LOW], _runs()[LOW].config.latent_dim
    return fact(active == latent_dim, f"{_label(LOW)}: {active} / {latent_dim}", "all", quantity="active")


@claim("c-beta-active-code-suffices")
def active_code_suffices():
    costs = {n: active_code_cost(r) for n, r in _runs().items()}
    shares = code_cost_shares(costs)
    return fact(bool(shares) and max(shares.values()) < ACTIVE_CODE_SHARE,
                "; ".join(f"{_label(n)}: {shown(costs[n]['full_bce'])} → {shown(costs[n]['active_bce'])}"
                          for n in shares), "share_below", share=f"{100 * ACTIVE_CODE_SHARE:g} %",
                quantity="bce_at_mean", unit="nats")


@claim("c-beta-traversals-separate")
def traversals_separate():
    changes = _changes()
    return fact(all(c.tilt_dim != c.ink_dim for c in changes.values()),
                "; ".join(f"{TRAVERSED[k]}: {c.tilt_dim}, {c.ink_dim}" for k, c in changes.items()), "tilt_ink_apart")


@claim("c-beta-traversals-share-dimensions")
def traversals_share_dimensions():
    dims = {name: measure.informative_dimensions(_runs()[name], SHOWN) for name in TRAVERSED.values()}
    shared = set.intersection(*(set(d) for d in dims.values()))
    return fact(len(shared) > SHOWN / 2, "; ".join(f"{n}: {[d + 1 for d in ds]}" for n, ds in dims.items()),
                "most_shared", shown=SHOWN)


@claim("c-beta-conv-rate-falls")
def conv_rate_falls():
    return one_run_steps(_conv("test_kl"), "falls", yardstick("test_kl"), quantity="rate", unit="nats")


@claim("c-beta-conv-error-rises")
def conv_error_rises():
    """From β = 2 on, each step of the conv sweep adds more reconstruction error than a change of seed would."""
    error = _conv("recon_mse")
    return one_run_steps(dict(list(error.items())[1:]), "rises", yardstick("recon_mse"), quantity="recon_mse")


@claim("c-beta-conv-two-not-closer")
def conv_two_not_closer():
    """In the conv sweep's single runs, β = 2 reconstructs the test digits no more closely than β = 1."""
    error = _conv("recon_mse")
    one, two = _label(CONV_BETA_SWEEP[0]), _label(f"conv-beta-{REPORT_001_BETA}")
    return fact(error[two] >= error[one], f"{two}: {shown(error[two])} ≥ {one}: {shown(error[one])}", "not_below",
                quantity="recon_mse")


@claim("c-beta-2d-rate-falls")
def two_d_rate_falls():
    """In both of report 000's sweeps the rate falls from each β of 1, 2, 3, 4 to the next by
    more than a change of seed would explain."""
    mse, ce = (one_run_steps(_column_2d(loss, "test_kl", COARSE_2D), "falls", yardstick("test_kl"),
                             quantity="rate", unit="nats") for loss in ("mse", "ce"))
    return mse & ce


@claim("c-beta-2d-fid-worse-at-four")
def two_d_fid_worse_at_four():
    """Under the squared error, β = 4's FID is above β = 1's by more than a change of seed would explain."""
    return one_run_steps(_column_2d("mse", "fid", (1, 4)), "rises", yardstick("fid"), digits=1, quantity="fid")


@claim("c-beta-2d-none-better")
def two_d_none_better():
    """On the β of report 000's first sweep, under either loss, none reaches an FID below β = 1's
    by more than a change of seed would explain."""
    spread, seeds = relative_spread(yardstick("fid")), len(yardstick("fid")[0])
    holds, parts = True, []
    for loss in REPORT_000_SWEEPS:
        fid = _column_2d(loss, "fid", REPORT_000_BETAS["mse"])
        one, best = fid["β = 1"], min(fid, key=fid.get)
        holds &= not any(one - value > one_run_margin(one, value, spread, seeds) for value in fid.values())
        parts.append(f"{loss}: β = 1: {shown(one, 1)}, lowest {best}: {shown(fid[best], 1)}")
    return fact(holds, "; ".join(parts), "none_better_one_run", spread=f"{100 * spread:.1f}", n=seeds,
                quantity="fid")


@claim("c-beta-2d-ce-small-beta-better")
def two_d_ce_small_beta_better():
    """Under the cross-entropy, the smallest β's FID is below β = 1's by more than a change of seed would explain."""
    smallest = min(_scores_2d("ce"))
    return one_run_steps(_column_2d("ce", "fid", (smallest, 1)), "rises", yardstick("fid"), digits=1, quantity="fid")


@claim("c-beta-2d-log-as-report")
def two_d_log_as_report():
    """Each of report 000's ten logged last-epoch losses is within `LOG_TOLERANCE_2D` of our run's."""
    gaps = {f"{loss} β = {beta:g}": ours - report for (loss, beta), (report, ours) in _log_2d().items()}
    worst = max(gaps, key=lambda k: abs(gaps[k]))
    return fact(all(abs(g) <= LOG_TOLERANCE_2D for g in gaps.values()),
                f"largest gap: {worst}: {shown(gaps[worst])}", "close_to_report", report="000",
                tolerance=shown(LOG_TOLERANCE_2D),
                quantity="train_loss", unit="nats")


@claim("c-beta-conv-log-as-report")
def conv_log_as_report():
    """conv-beta-2's train loss after its epochs is within `LOG_TOLERANCE` of the report's after 15."""
    log = _conv_log()
    ours = next(values for (label, _), values in log.items() if label != "course report 001")
    epoch = _conv_runs()[f"conv-beta-{REPORT_001_BETA}"].config.epochs
    report = REPORT_001_LOG[REPORT_001_EPOCHS][0]
    return fact(abs(ours[0] - report) <= LOG_TOLERANCE,
                f"conv-beta-{REPORT_001_BETA} ({epoch}): {shown(ours[0])}, 001 ({REPORT_001_EPOCHS}): {shown(report)}",
                "close_to_report", report="001", tolerance=shown(LOG_TOLERANCE), quantity="train_loss", unit="nats")


# --- The chapter's numbers, section by section ----------------------------------------------------


def _setup_facts(lang: str) -> dict:
    one = _runs()[ONE]
    return dict(latent_dim=one.config.latent_dim, beta_low=beta_of(LOW), beta_high=beta_of(HIGH),
                n_betas=small_count(len(BETA_SWEEP), lang), beta_epochs=BETA_EPOCHS,
                reference_epochs=get_experiment("vae-bce").config.epochs,
                built_epochs=one.config.epochs, train_images=integer(one.meta["train_images"]),
                n_seeds=small_count(len(columns(ONE)["seed"]), lang))


def _trade_facts(lang: str) -> dict:
    kl, recon, loss = _means("test_kl"), _means("test_recon"), _seeds("test_loss")
    low = columns(LOW)
    beta = get_experiment(LOW).config.beta
    own = [r + beta * k for r, k in zip(low["test_recon"], low["test_kl"])]
    return dict(rate_low=number(kl[LOW]), rate_high=number(kl[HIGH]), rate_two=number(kl[TWO]),
                distortion_low=number(recon[LOW]), distortion_high=number(recon[HIGH]),
                neg_elbo_one=mean_sd(loss[_label(ONE)]), neg_elbo_half=mean_sd(loss[_label("beta-0.5")]),
                neg_elbo_two=mean_sd(loss[_label(TWO)]), own_low=mean_sd(own),
                n_chords=small_count(len(BETA_SWEEP) - 1, lang))


def _image_facts() -> dict:
    stats, fid, error = _stats(), _seeds("fid"), _means("recon_mse")
    ink = {n: number(s["sample_intensity"], 3) for n, s in stats.items()}
    sharp = {n: number(s["sample_sharpness"], 3) for n, s in stats.items()}
    return dict(ink_low=ink[LOW], ink_high=ink[HIGH], ink_one=ink[ONE], ink_two=ink[TWO],
                real_ink=number(stats[ONE]["test_intensity"], 3),
                real_sharpness=number(stats[ONE]["test_sharpness"], 3),
                sharpness_low=sharp[LOW], sharpness_half=sharp["beta-0.5"], sharpness_one=sharp[ONE],
                sharpness_two=sharp[TWO], sharpness_high=sharp[HIGH],
                fid_low=mean_sd(fid[_label(LOW)]), fid_one=mean_sd(fid[_label(ONE)]), fid_two=mean_sd(fid[_label(TWO)]),
                fid_high=mean_sd(fid[_label(HIGH)]), mse_low=number(error[LOW]), mse_one=number(error[ONE]),
                mse_two=number(error[TWO]), mse_high=number(error[HIGH]))


def _active_facts(lang: str) -> dict:
    active = _active()
    kl_high = measure.code_statistics(_runs()[HIGH])["kl_per_dim"]
    costs = {n: active_code_cost(r) for n, r in _runs().items()}
    shares = code_cost_shares(costs)
    worst = max(shares, key=shares.get) if shares else HIGH  # a short (quick) run may switch nothing off
    return dict(active_kl=metrics.ACTIVE_KL, active_low=active[LOW], active_one=active[ONE], active_high=active[HIGH],
                top_dimensions=small_count(TOP_DIMENSIONS, lang),
                top_share_high=percent(top_share(kl_high, TOP_DIMENSIONS), 0),
                code_worst_beta=beta_of(worst), code_worst_full=number(costs[worst]["full_bce"]),
                code_worst_active=number(costs[worst]["active_bce"]),
                code_worst_inactive=small_count(int(costs[worst]["inactive"]), lang))


def _traversal_facts(lang: str) -> dict:
    values = dict(value_first=number(TRAVERSAL_VALUES[0], 0).replace("-", "−"),
                  value_last=number(TRAVERSAL_VALUES[-1], 0).replace("-", "−"),
                  shown=small_count(SHOWN, lang))
    for key, c in _changes().items():
        values |= {f"tilt_dim_{key}": c.tilt_dim, f"tilt_from_{key}": degrees(c.tilt_ends[0]),
                   f"tilt_to_{key}": degrees(c.tilt_ends[1]), f"ink_dim_{key}": c.ink_dim,
                   f"ink_from_{key}": number(c.ink_ends[0], 3), f"ink_to_{key}": number(c.ink_ends[1], 3)}
    return values


def _conv_facts() -> dict:
    sweep = _conv_runs()
    first, last = _label(CONV_BETA_SWEEP[0]), _label(CONV_BETA_SWEEP[-1])
    config = sweep[CONV_BETA_SWEEP[0]].config
    rate, error, elbo = _conv("test_kl"), _conv("recon_mse"), _conv("neg_elbo")
    ink, sharp = _conv("sample_intensity"), _conv("sample_sharpness")
    active = {_label(n): measure.active_dimensions(r) for n, r in sweep.items()}
    two = _label(f"conv-beta-{REPORT_001_BETA}")
    return dict(conv_epochs=config.epochs, conv_latent_dim=config.latent_dim, conv_batch=config.batch_size,
                conv_beta_high=beta_of(CONV_BETA_SWEEP[-1]), conv_rate_one=number(rate[first]),
                conv_rate_high=number(rate[last]), conv_mse_one=number(error[first]), conv_mse_two=number(error[two]),
                conv_mse_high=number(error[last]), conv_neg_elbo_one=number(elbo[first]),
                conv_neg_elbo_two=number(elbo[two]), conv_ink_one=number(ink[first], 3),
                conv_ink_two=number(ink[two], 3), conv_sharpness_one=number(sharp[first], 3),
                conv_sharpness_two=number(sharp[two], 3), conv_active_one=active[first],
                conv_active_high=active[last])


def _log_facts() -> dict:
    log = _conv_log()
    (_, ours_epoch), ours = list(log.items())[-1]
    early, late = sorted(REPORT_001_LOG)
    return dict(report_early_epoch=early, report_early_loss=number(REPORT_001_LOG[early][0]),
                report_epochs=late, report_loss=number(REPORT_001_LOG[late][0]),
                report_kl=number(REPORT_001_LOG[late][1]),
                report_recon=number(REPORT_001_LOG[late][2]), log_epoch=ours_epoch, ours_loss=number(ours[0]),
                ours_kl=number(ours[1]), ours_recon=number(ours[2]))


def _two_d_facts(lang: str) -> dict:
    config = next(iter(_sweep_2d("mse").values())).config
    mse, ce = _scores_2d("mse"), _scores_2d("ce")
    smallest = min(ce)
    return dict(two_d_hidden=config.hidden_dim, two_d_latent=config.latent_dim, two_d_lr=number(config.lr, 2),
                two_d_epochs=config.epochs, two_d_mse_betas=listing([f"{b:g}" for b in mse], lang),
                two_d_ce_low=f"{smallest:g}", two_d_ce_high=f"{max(ce):g}",
                kl_mse_one=number(mse[1]["test_kl"]), kl_mse_four=number(mse[4]["test_kl"]),
                kl_ce_one=number(ce[1]["test_kl"]), kl_ce_four=number(ce[4]["test_kl"]),
                kl_ce_small=number(ce[smallest]["test_kl"]),
                fid_mse_half=number(mse[0.5]["fid"], 1), fid_mse_one=number(mse[1]["fid"], 1),
                fid_mse_four=number(mse[4]["fid"], 1), fid_ce_small=number(ce[smallest]["fid"], 1),
                fid_ce_one=number(ce[1]["fid"], 1), fid_ce_13=number(ce[1.3]["fid"], 1),
                fid_ce_16=number(ce[1.6]["fid"], 1), fid_ce_19=number(ce[1.9]["fid"], 1),
                log_tolerance_2d=number(LOG_TOLERANCE_2D, 0),
                log_gap_2d=number(max(abs(o - r) for r, o in _log_2d().values())))


def facts(lang: str):
    return chapter_facts(__name__, lang, **_setup_facts(lang), **_trade_facts(lang), **_image_facts(),
                         **_active_facts(lang), **_traversal_facts(lang), **_conv_facts(), **_log_facts(),
                         **_two_d_facts(lang))


# --- Figures and tables -------------------------------------------------------------------------


@uses(plots.rate_distortion)
def fig_rate_distortion(lang: str):
    t = labels(lang)
    return plots.rate_distortion(_points(), xlabel=t["rate"], ylabel=t["distortion"])


@uses(tables.beta_seeds, measure.active_dimensions)
def tbl_sweep(lang: str):
    active = _active()
    spreads = {_label(n): {c: columns(n)[c] for c in ("test_recon", "test_kl", "test_loss", "fid")} for n in BETA_SWEEP}
    return Markdown(tables.beta_seeds(spreads, {_label(n): a for n, a in active.items()},
                                      {_label(n): r.config.epochs for n, r in _runs().items()},
                                      _runs()[ONE].config.latent_dim, lang))


@uses(plots.sample_grids)
def fig_samples(lang: str):
    return plots.sample_grids({_label(n): r.artefacts["samples"][:25] for n, r in _runs().items()},
                              columns=5, per_row=4)


@uses(plots.image_rows)
def fig_reconstructions(lang: str):
    sweep = _runs()
    rows = {_label(n): r.artefacts["probe_reconstructions"] for n, r in sweep.items()}
    return plots.image_rows({labels(lang)["original"]: sweep[ONE].artefacts["probe_images"]} | rows, scale=0.8)


@uses(plots.kl_per_dimension, measure.code_statistics)
def fig_kl_dimensions(lang: str):
    words, active = labels(lang), _active()
    curves = {f"{_label(n)} ({active[n]} {words['active']})": measure.code_statistics(r)["kl_per_dim"]
              for n, r in _runs().items()}
    return plots.kl_per_dimension(curves, metrics.ACTIVE_KL, xlabel=words["rank"], ylabel=words["kl_dim"])


def _traversal_figure(name: str, lang: str):
    dims, images = _traversal(name)
    return plots.traversals(images, dims, TRAVERSAL_VALUES, dimension_label=labels(lang)["dimension"])


@uses(plots.traversals, latent.traversal, measure.informative_dimensions)
def fig_traversal_one(lang: str):
    return _traversal_figure(TRAVERSED["one"], lang)


@uses(plots.traversals, latent.traversal, measure.informative_dimensions)
def fig_traversal_four(lang: str):
    return _traversal_figure(TRAVERSED["four"], lang)


@uses(explorers.traversals, explorers.export_decoder, measure.informative_dimensions)
def html_traversals(lang: str):
    sweep = _runs()
    models = {_label(name): (trained_model(sweep[name]), measure.informative_dimensions(sweep[name], SHOWN))
              for name in TRAVERSED.values()}
    return Markdown(explorers.traversals(models, TRAVERSAL_VALUES[0], TRAVERSAL_VALUES[-1], lang).markdown())


@uses(tables.two_d_sweeps)
def tbl_2d_sweeps(lang: str):
    sweeps = {loss: {beta: (v["test_kl"], v["fid"]) for beta, v in _scores_2d(loss).items()}
              for loss in REPORT_000_SWEEPS}
    return Markdown(tables.two_d_sweeps(sweeps, lang))


@uses(plots.sample_grids)
def fig_2d_samples(lang: str):
    names = labels(lang)
    panels = {}
    for loss, key in (("mse", "sweep_mse"), ("ce", "sweep_ce")):
        panels |= {f"{names[key]}, β = {r.config.beta:g}": r.artefacts["samples"][:25]
                   for r in _sweep_2d(loss).values() if r.config.beta in SAMPLED_2D[loss]}
    return plots.sample_grids(panels, columns=5, per_row=4)


@uses(tables.logged_losses)
def tbl_2d_log(lang: str):
    t = labels(lang)
    return Markdown(tables.logged_losses({(t[f"sweep_{loss}"], beta): values
                                          for (loss, beta), values in _log_2d().items()}, lang))


@uses(tables.beta_sweep, measure.active_dimensions)
def tbl_conv_sweep(lang: str):
    sweep = _conv_runs()
    return Markdown(tables.beta_sweep(sweep, {name: measure.active_dimensions(r) for name, r in sweep.items()}, lang))


@uses(tables.training_log)
def tbl_conv_log(lang: str):
    report = labels(lang)["report_001"]
    return Markdown(tables.training_log({(report if label == "course report 001" else label, epoch): values
                                         for (label, epoch), values in _conv_log().items()}, lang))


@uses(plots.sample_grids)
def fig_conv_samples(lang: str):
    return plots.sample_grids({_label(n): r.artefacts["samples"][:25] for n, r in _conv_runs().items()},
                              columns=5, per_row=4)
