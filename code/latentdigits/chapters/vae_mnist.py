"""Chapter "A VAE on MNIST": course report 002's MLP VAE, trained and set beside the report's
whole training log, beside PyTorch's examples/vae run here and the IWAE paper's number, and
one image's code before and after training beside course report 003's."""

from __future__ import annotations

import functools
import json
import math
import statistics
from pathlib import Path
from types import SimpleNamespace

import torch
from IPython.display import Markdown

from vaebook import diagrams, evaluate, losses, measure, models, plots, train
from vaebook.families import build_model

from .. import tables
from ..claims import below, claim, fact
from ..experiments import classifier, run, runs, seed_scores
from ..figures import REPO_ROOT, source_listing, uses
from ..reports import REPORT_002_TRAIN_LOG, REPORT_003_EPOCHS, REPORT_003_MEAN_AFTER, REPORT_003_MEAN_BEFORE
from ..text import labels, number
from . import chapter_facts
from .from_ae_to_vae import all_of

# The epochs the log table shows (the figure shows all of them); the table adds the epoch after
# the first where the two runs differ most.
TABLE_EPOCHS = (1, 2, 5, 10, 20, 50, 100)
# The epochs whose logged values the curves mark, spread evenly on their logarithmic axis; marks at
# all 100 would hide the curves, and the gap figure compares every epoch.
MARKED_EPOCHS = (1, 2, 3, 5, 7, 10, 15, 20, 30, 50, 70, 100)
EARLY = 10  # the epoch by which the KL term has settled
COLUMNS = ("train_loss", "train_recon", "train_kl")  # the report's three numbers per epoch, in its order
# The network and loss of `vae-bce`, trained by the book for ten epochs with three seeds.
TWIN = "beta-1"
# PyTorch's examples/vae, run unmodified on this data by bench/course_loop.py; its README states no loss.
PYTORCH_EXAMPLE = REPO_ROOT / "bench" / "results" / "anchors" / "pytorch-example-10-epochs.json"
PYTORCH_EXAMPLE_URL = "https://github.com/pytorch/examples/tree/main/vae"
# Burda et al. 2016, Table 1: a VAE with one stochastic layer trained with k = 1 on MNIST, its
# negative log-likelihood estimated with 5,000 importance samples; 3^0 + ... + 3^7 passes.
BURDA_VAE_NATS, BURDA_SAMPLES, BURDA_EPOCHS = 86.76, 5000, 3280
PREDICTION_LEVEL = 0.95


def _run():
    return run("vae-bce")


# --- The report's log beside the run ---------------------------------------------------------------


def rounded_history(history: dict, digits: int = 2) -> dict[int, tuple[float, ...]]:
    """A run's train loss, reconstruction and KL per epoch as the report prints its own,
    rounded as the table shows them: {epoch: (loss, recon, kl)}."""
    return {e: tuple(round(history[c][i], digits) for c in COLUMNS) for i, e in enumerate(history["epoch"])}


def log_gaps(ours: dict, log: dict, digits: int = 2) -> dict[int, tuple[float, ...]]:
    """This run minus the log, per epoch both have and per column, from the rounded values."""
    return {e: tuple(round(a - b, digits) for a, b in zip(ours[e], log[e])) for e in sorted(log) if e in ours}


@functools.cache
def _gaps() -> dict[int, tuple[float, ...]]:
    return log_gaps(rounded_history(_run().history), REPORT_002_TRAIN_LOG)


def largest_gap(gaps: dict, column: int = 0, after: int = 0) -> tuple[int, float]:
    """The epoch (later than `after`) where a column's gap is largest in size, and the gap."""
    epoch = max((e for e in gaps if e > after), key=lambda e: abs(gaps[e][column]))
    return epoch, gaps[epoch][column]


@claim("c-vae-log-largest-gap-first-epoch")
def log_largest_gap_first_epoch():
    """Over all the epochs both logged, the train losses differ most at epoch 1."""
    gaps = _gaps()
    first, later = largest_gap(gaps), largest_gap(gaps, after=1)
    return fact(first[0] == 1, f"{number(abs(first[1]))}; {number(abs(later[1]))}", "largest_at", unit="nats",
                quantity="log_gap", epoch=first[0], epochs=len(gaps), later=later[0])


@claim("c-vae-log-agrees")
def log_agrees():
    """From epoch 2 on, the gap stays below how far three seeds of the same network land apart."""
    gap = largest_gap(_gaps(), after=1)[1]
    seeds = seed_scores(TWIN)["test_loss"]
    spread = float(max(seeds)) - float(min(seeds))
    return fact(abs(gap) < spread, f"{number(abs(gap))} < {number(spread)}", "gap_below_seeds", unit="nats",
                quantity="log_gap", twin=TWIN, n=len(seeds))


@claim("c-vae-log-terms-split")
def log_terms_split():
    """From epoch 2 on, the run's reconstruction term is never below the report's and its KL
    term always below."""
    later = {e: g for e, g in _gaps().items() if e > 1}
    recon, kl = [g[1] for g in later.values()], [g[2] for g in later.values()]
    numbers = f"[{number(min(recon))}, {number(max(recon))}]; [{number(min(kl))}, {number(max(kl))}]"
    return all_of({"recon": min(recon) >= 0, "KL": max(kl) < 0}, numbers, "split", unit="nats",
                  quantity="log_gap_terms")


@claim("c-vae-kl-settles-early")
def kl_settles_early():
    """The train KL climbs over the first ten epochs, then stays in a band a tenth as wide."""
    kl = _run().history["train_kl"]
    early = min(EARLY, len(kl)) - 1  # the quick profile stops before epoch 10
    climb, band = kl[early] - kl[0], max(kl[early:]) - min(kl[early:])
    return fact(climb > 0 and band < climb / 10, f"{number(kl[0])} → {number(kl[early])}; [{number(min(kl[early:]))}, "
                                                  f"{number(max(kl[early:]))}]", "band_narrow", unit="nats",
                quantity="kl_course")


@claim("c-vae-recon-falls-fast-then-slow")
def recon_falls_fast_then_slow():
    """The train reconstruction term falls more in epochs 1–10 than in all the epochs after."""
    recon = _run().history["train_recon"]
    split = min(EARLY, len(recon)) - 1
    early, late = recon[0] - recon[split], recon[split] - recon[-1]
    return fact(late > 0 and early > late, f"{number(early)} > {number(late)}", "above", unit="nats",
                quantity="recon_fall")


# --- Two published anchors -------------------------------------------------------------------------


def pytorch_example(path: Path = PYTORCH_EXAMPLE) -> dict:
    """PyTorch's examples/vae as run here (bench/course_loop.py): {"epochs": n, "test_loss":
    [per epoch, nats per image]}. A missing or malformed file is an error that says what to run."""
    try:
        result = json.loads(Path(path).read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise FileNotFoundError(f"{path} is missing: it holds PyTorch's examples/vae run here for 10 epochs; make it "
                                "with `python bench/course_loop.py --data ROOT --epochs 10 --seed 1 --record "
                                "bench/results/anchors/pytorch-example-10-epochs.json`") from None
    if not isinstance(result.get("test_loss"), list) or len(result["test_loss"]) != result.get("epochs"):
        raise ValueError(f"{path}: expected \"epochs\" and a \"test_loss\" list with one value per epoch")
    return result


def prediction_interval(values, level: float = PREDICTION_LEVEL) -> tuple[float, float]:
    """Where one more run of the same model would land with probability `level`, from the
    runs in `values` (Student's t, assuming normally distributed results): mean ± t · sd ·
    sqrt(1 + 1/n)."""
    from scipy import stats

    values = [float(v) for v in values]
    n, mean, sd = len(values), statistics.fmean(values), statistics.stdev(values)
    half = stats.t.ppf(0.5 + level / 2, n - 1) * sd * math.sqrt(1 + 1 / n)
    return mean - half, mean + half


@claim("c-vae-pytorch-example-agrees")
def pytorch_example_agrees():
    """The example's test loss after its epochs lies where one more seed of beta-1 would."""
    example, seeds = pytorch_example(), seed_scores(TWIN)["test_loss"]
    low, high = prediction_interval(seeds)
    value = example["test_loss"][-1]
    return fact(low <= value <= high, f"PyTorch examples/vae: {number(value)}; [{number(low)}, {number(high)}]",
                "prediction", unit="nats", quantity="test_loss", level=f"{100 * PREDICTION_LEVEL:g}", twin=TWIN,
                n=len(seeds))


def _binary() -> dict:
    return evaluate.evaluation(run("vae-binary"), classifier())


@claim("c-vae-binary-above-paper")
def binary_above_paper():
    """vae-binary's bound on −log p(x) lies above Burda et al.'s 86.76, by more than two
    standard errors of its estimate."""
    score = _binary()
    bound, error = -score["iwae"], score["iwae_stderr"]
    return fact(bound - BURDA_VAE_NATS > 2 * error, f"vae-binary: {number(bound)} ± {number(error)}; Burda 2016: "
                                                     f"{number(BURDA_VAE_NATS)}", "above_by_errors", unit="nats",
                quantity="neg_iwae", n=2)


# --- One image's code before and after training ----------------------------------------------------


def _norms() -> dict[str, tuple[float, float]]:
    """{model: (norm before, norm after)} of one image's posterior mean."""
    trained = runs("vae-bce", "vae-tanh")
    found = {name: (r.artefacts["latent_mean_before"].norm().item(), r.artefacts["latent_mean_after"].norm().item())
             for name, r in trained.items()}
    report = (torch.tensor(REPORT_003_MEAN_BEFORE).norm().item(), torch.tensor(REPORT_003_MEAN_AFTER).norm().item())
    return found | {"003": report}


@claim("c-vae-code-norm-grows")
def code_norm_grows():
    """Training moves the image's code away from the origin, in every run shown."""
    norms = _norms()
    return all_of({name: after > before for name, (before, after) in norms.items()},
                  "; ".join(f"{name}: {number(b)} → {number(a)}" for name, (b, a) in norms.items()), "grows_each",
                  quantity="code_norm")


@claim("c-vae-scaling-enlarges-untrained-code")
def scaling_enlarges_untrained_code():
    """With the same initial weights and image, digits scaled to [−1, 1] give a larger untrained code."""
    norms = _norms()
    return below(("vae-bce", norms["vae-bce"][0]), ("vae-tanh", norms["vae-tanh"][0]), quantity="untrained_norm")


# --- The chapter's numbers -------------------------------------------------------------------------


def _model_facts() -> dict:
    r = _run()
    config, meta = r.config, r.meta
    return dict(latent_dim=config.latent_dim, hidden_dim=config.hidden_dim, lr=config.lr,
                batch_size=config.batch_size, epochs=config.epochs, train_images=f"{meta['train_images']:,}",
                test_images=f"{meta['test_images']:,}", train_minutes=number(meta["train_seconds"] / 60, 1),
                n_samples=f"{measure.n_generated(r):,}")


def _training_facts() -> dict:
    h = _run().history
    early = min(EARLY, h["epoch"][-1])  # the quick profile stops before epoch 10
    return dict(early=early, kl_first=number(h["train_kl"][0]), kl_early=number(h["train_kl"][early - 1]),
                kl_low=number(min(h["train_kl"][early - 1:])), kl_high=number(max(h["train_kl"][early - 1:])),
                recon_first=number(h["train_recon"][0]), recon_early=number(h["train_recon"][early - 1]),
                recon_last=number(h["train_recon"][-1]), test_loss=number(h["test_loss"][-1]),
                test_recon=number(h["test_recon"][-1]), test_kl=number(h["test_kl"][-1]),
                test_kl_short=number(h["test_kl"][-1], 1), train_loss=number(h["train_loss"][-1]))


def _log_facts() -> dict:
    gaps = _gaps()
    first, (later_epoch, later_gap) = gaps[1][0], largest_gap(gaps, after=1)
    recon = [g[1] for e, g in gaps.items() if e > 1]
    kl = [g[2] for e, g in gaps.items() if e > 1]
    seeds = seed_scores(TWIN)["test_loss"]
    return dict(log_epochs=len(gaps), gap_first=number(abs(first)), gap_later=number(abs(later_gap)),
                gap_later_epoch=later_epoch, recon_gap_max=number(max(recon)), kl_gap_max=number(-min(kl)),
                twin=f"`{TWIN}`", twin_seeds=len(seeds), twin_range=number(float(max(seeds)) - float(min(seeds))))


def _anchor_facts() -> dict:
    example, seeds = pytorch_example(), seed_scores(TWIN)["test_loss"]
    low, high = prediction_interval(seeds)
    binary = _binary()
    bound = -binary["iwae"]
    return dict(example_epochs=example["epochs"], example_loss=number(example["test_loss"][-1]),
                example_url=PYTORCH_EXAMPLE_URL, twin_mean=number(statistics.fmean(map(float, seeds))),
                twin_sd=number(statistics.stdev(map(float, seeds))), twin_low=number(low), twin_high=number(high),
                level=f"{PREDICTION_LEVEL:.0%}".rstrip("%"), burda=number(BURDA_VAE_NATS),
                burda_samples=f"{BURDA_SAMPLES:,}", burda_epochs=f"{BURDA_EPOCHS:,}",
                binary_epochs=run("vae-binary").config.epochs, binary_bound=number(bound),
                binary_stderr=number(binary["iwae_stderr"]), binary_k=f"{binary['iwae_samples']:,}",
                binary_n=f"{binary['iwae_images']:,}", binary_gap=number(round(bound, 2) - BURDA_VAE_NATS))


def _norm_facts() -> dict:
    norms = _norms()
    (bce_before, bce_after), (tanh_before, tanh_after) = norms["vae-bce"], norms["vae-tanh"]
    report_before, report_after = norms["003"]
    return dict(mean_before=number(bce_before), mean_after=number(bce_after), tanh_before=number(tanh_before),
                tanh_after=number(tanh_after), tanh_epochs=run("vae-tanh").config.epochs,
                report_before=number(report_before), report_after=number(report_after),
                report_epochs=REPORT_003_EPOCHS)


def facts(lang: str):
    return chapter_facts(__name__, lang, **_model_facts(), **_training_facts(), **_log_facts(), **_anchor_facts(),
                         **_norm_facts())


# --- Figures and tables ----------------------------------------------------------------------------


@uses(tables.architecture)
def tbl_architecture(lang: str):
    return Markdown(tables.architecture(_run().config, lang))


VAE_STAGES = ("input", "encoder", "code", "decoder", "output")


def vae_titles(lang: str) -> dict[str, str]:
    """The titles of a VAE diagram's stages (`diagrams.vae_stages`), from the label table."""
    t = labels(lang)
    return {stage: t[f"arch_{stage}"] for stage in VAE_STAGES}


@uses(diagrams.architecture, diagrams.vae_stages, diagrams.layer_rows, build_model)
def fig_architecture(lang: str):
    return diagrams.architecture(diagrams.vae_stages(build_model(_run().config), vae_titles(lang)))


def lst_model(lang: str):
    return Markdown(source_listing(models.VAE) + "\n\n" + source_listing(models.MLPVAE))


def lst_loss(lang: str):
    return Markdown(source_listing(losses.bce_recon) + "\n\n" + source_listing(losses.gaussian_kl))


def lst_step(lang: str):
    return Markdown(source_listing(train.vae_terms) + "\n\n" + source_listing(train.vae_step))


@uses(plots.loss_curves)
def fig_curves(lang: str):
    t = labels(lang)
    return plots.loss_curves(_run(), {e: REPORT_002_TRAIN_LOG[e] for e in MARKED_EPOCHS},
                             titles=[t["total"], t["recon"], t["kl"]], xlabel=t["epoch"], ylabel=t["loss"],
                             steps_label=t["steps"], train_label=t["train"], test_label=t["test"],
                             reference_label=t["seed"])


@uses(plots.test_curves, rounded_history, log_gaps)
def fig_log_gap(lang: str):
    gaps = _gaps()
    panels = ("gap_loss", "gap_recon", "gap_kl")  # label keys, one per column of the log
    history = {"epoch": list(gaps)} | {panel: [g[i] for g in gaps.values()] for i, panel in enumerate(panels)}
    t = labels(lang)
    return plots.test_curves({t["book_minus_report"]: SimpleNamespace(history=history)}, panels,
                             titles=[t[panel] for panel in panels], xlabel=t["epoch"])


@uses(tables.log_comparison)
def tbl_seed(lang: str):
    shown = sorted(set(TABLE_EPOCHS) | {largest_gap(_gaps(), after=1)[0]})
    return Markdown(tables.log_comparison(rounded_history(_run().history), REPORT_002_TRAIN_LOG, shown, lang))


@uses(tables.anchors, evaluate.evaluation, pytorch_example)
def tbl_anchors(lang: str):
    example, seeds, binary = pytorch_example(), [float(v) for v in seed_scores(TWIN)["test_loss"]], _binary()
    rows = [dict(kind="example", epochs=example["epochs"], value=number(example["test_loss"][-1])),
            dict(kind="twin", name=TWIN, seeds=len(seeds), epochs=run(TWIN).config.epochs,
                 value=f"{number(statistics.fmean(seeds))} ± {number(statistics.stdev(seeds))}"),
            dict(kind="paper", k=f"{BURDA_SAMPLES:,}", epochs=f"{BURDA_EPOCHS:,}", value=number(BURDA_VAE_NATS)),
            dict(kind="binary", name="vae-binary", k=f"{binary['iwae_samples']:,}", n=f"{binary['iwae_images']:,}",
                 epochs=run("vae-binary").config.epochs,
                 value=f"{number(-binary['iwae'])} ± {number(binary['iwae_stderr'])}")]
    return Markdown(tables.anchors(rows, lang))


@uses(plots.digit_row)
def fig_samples(lang: str):
    return plots.digit_row(_run().artefacts["samples"][:10])


@uses(plots.reconstructions)
def fig_reconstructions(lang: str):
    art = _run().artefacts
    t = labels(lang)
    return plots.reconstructions(art["probe_images"], art["probe_reconstructions"], original_label=t["original"],
                                 reconstruction_label=t["reconstruction"])


@uses(plots.latent_mean_change)
def fig_latent_mean(lang: str):
    art = _run().artefacts
    t = labels(lang)
    return plots.latent_mean_change(art["latent_mean_before"], art["latent_mean_after"], xlabel=t["dimension"],
                                    ylabel=t["mean"], before_label=t["before"], after_label=t["after"])


@uses(tables.code_norms)
def tbl_code_norms(lang: str):
    norms = _norms()
    epochs = {"vae-bce": _run().config.epochs, "vae-tanh": run("vae-tanh").config.epochs, "003": REPORT_003_EPOCHS}
    return Markdown(tables.code_norms({name: (epochs[name], *norms[name]) for name in norms}, lang))
