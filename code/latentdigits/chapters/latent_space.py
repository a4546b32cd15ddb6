"""Chapter "The latent space": course report 000's two-dimensional VAE drawn whole, the
20-dimensional reference model projected by PCA and t-SNE (at two training lengths), walks
between two codes, and the same network as a plain autoencoder, to show what the KL term is for."""

from __future__ import annotations

import math
import statistics

import numpy as np
import torch
from IPython.display import Markdown

from vaebook import latent, measure, plots
from vaebook.families import trained_model
from vaebook.losses import RECON_LOSSES
from vaebook.metrics import mean_intensity, neighbour_agreement

from .. import explorers, tables
from ..claims import above, below, claim, close, every, fact, seeds_below, within
from ..experiments import runs, seed_scores
from ..figures import uses
from ..text import integer, labels, number, percent
from . import chapter_facts

GRID = 20  # points per coordinate, as in course report 000
HALF_WIDTH = 2.5  # our evenly spaced grid runs from -2.5 to 2.5, symmetric about the prior's centre
REPORT_START, REPORT_STEP = -2.5, 0.25  # course report 000's grid: -2.5 + 0.25 i, i = 0 ... 19
START, END = 4, 9  # interpolate from the first test 4 to the first test 9
MIDDLE = slice(3, 7)  # the four middle images of the ten along a path
PRIOR_MASS = 0.99  # the ball around the origin that holds this share of the prior's draws
CENTRAL = 0.95  # the central share of the angles between two independent prior draws
INK_TOLERANCE = 0.005  # mean intensities this close count as the same amount of ink
# The same 784-400-20 BCE network after 10 and after 100 epochs (the second run continues the
# first's seed and batches), for course report 000's "more epochs, cleaner t-SNE clusters".
SHORT, LONG = "beta-1", "vae-bce"
# t-SNE's own randomness: random initialisations, so that each seed is a different layout. The
# figures use the stored PCA-initialised embedding (`measure.embeddings`).
TSNE_SEEDS = (0, 1, 2)
STANDARD_ERRORS = 2  # a gap between two measured means counts beyond this many standard errors

# Row titles of the interpolation figure, which text.LABELS does not have.
PATH_LABELS = {"en": {"linear": "linear", "spherical": "spherical"},
               "zh": {"linear": "线性", "spherical": "球面"}}
EPOCHS_LABEL = {"en": "{name}, {epochs} epochs", "zh": "{name}，{epochs} 轮"}


def _runs():
    return runs("vae-2d", "vae-bce", "ae", "beta-1")


# --- Geometry ----------------------------------------------------------------------------------------


def linear_ticks() -> torch.Tensor:
    return torch.linspace(-HALF_WIDTH, HALF_WIDTH, GRID)


def report_ticks() -> torch.Tensor:
    """Course report 000's coordinates, -2.5 + 0.25 i for i = 0 ... 19: from -2.5 to 2.25."""
    return REPORT_START + REPORT_STEP * torch.arange(GRID)


def share_inside_square(points: torch.Tensor, half_width: float) -> float:
    """The fraction of 2-D points with both coordinates within [-half_width, half_width]:
    how much of the code distribution the evenly spaced grid covers."""
    return (points.abs() <= half_width).all(dim=1).float().mean().item()


def midpoint_norms(a: torch.Tensor, b: torch.Tensor) -> dict[str, float]:
    """The mean norm of two codes and the norms of the midpoints of the straight line and of
    the spherical path between them: how far each path dips towards the origin."""
    return {"ends": (a.norm() + b.norm()).item() / 2, "linear": ((a + b) / 2).norm().item(),
            "spherical": latent.slerp(a, b, torch.tensor([0.5]))[0].norm().item()}


def angle(a: torch.Tensor, b: torch.Tensor) -> float:
    """The angle between two codes, in degrees."""
    cosine = (a @ b / (a.norm() * b.norm())).clamp(-1, 1)
    return math.degrees(math.acos(cosine.item()))


def prior_angle_range(dim: int, central: float = CENTRAL) -> tuple[float, float]:
    """The central `central` range of the angle (degrees) between two independent draws of
    N(0, I_dim). Their directions are uniform on the sphere, so (1 + cos θ) / 2 follows a
    Beta((dim - 1) / 2, (dim - 1) / 2) distribution."""
    from scipy.stats import beta

    shape = (dim - 1) / 2
    low, high = beta.ppf([(1 - central) / 2, (1 + central) / 2], shape, shape)
    return math.degrees(math.acos(2 * high - 1)), math.degrees(math.acos(2 * low - 1))


def rms_norm(mean: torch.Tensor, var: torch.Tensor) -> float:
    """The root-mean-square norm of codes with these per-dimension means and variances:
    E|z|^2 is the sum over dimensions of var + mean^2."""
    return (var + mean.square()).sum().sqrt().item()


def loss_after(history: dict, epochs: int) -> tuple[int, float]:
    """(epoch, test loss) of a run's `history` after `epochs` epochs, or after its last if it
    trained fewer: a longer run's loss at another run's budget."""
    epoch = min(epochs, history["epoch"][-1])
    return epoch, history["test_loss"][epoch - 1]


def printed_difference(a: float, b: float, digits: int = 2) -> float:
    """a - b from the two values as the prose prints them, so that a difference agrees with
    the numbers beside it (63.91 - 62.05 = 1.86, not the 1.85 of the unrounded values)."""
    return round(a, digits) - round(b, digits)


def seed_range(values) -> float:
    """How far apart a model's seeds land: the largest value minus the smallest."""
    return float(max(values)) - float(min(values))


# --- Measurements of the stored models ---------------------------------------------------------------


def cluster_quality(points, digits) -> dict[str, float]:
    """How well a space keeps each digit among its own kind: nearest-neighbour label agreement
    and the mean silhouette with the digits as clusters (1: tight, apart; 0: overlapping)."""
    from sklearn.metrics import silhouette_score

    points, digits = np.asarray(points, dtype=np.float64), np.asarray(digits)
    return {"agreement": neighbour_agreement(points, digits), "silhouette": float(silhouette_score(points, digits))}


def tsne_quality(run) -> dict[str, torch.Tensor]:
    """`cluster_quality` of the test set's posterior means, in the 20-D codes and in a t-SNE
    embedding of them for each of `TSNE_SEEDS` (random initialisations, otherwise the options
    of `measure.embeddings`). Computed once and stored beside the run."""
    options = measure.TSNE_OPTIONS | {"init": "random", "max_iter": run.profile.tsne_iterations}

    def compute():
        from sklearn.manifold import TSNE

        codes = measure.test_codes(run)
        means, digits = codes["means"].double().numpy(), codes["labels"].numpy()
        layouts = [cluster_quality(TSNE(n_components=2, **(options | {"random_state": seed})).fit_transform(means),
                                   digits) for seed in TSNE_SEEDS]
        in_codes = cluster_quality(means, digits)
        return {"seed": list(TSNE_SEEDS), "agreement": [q["agreement"] for q in layouts],
                "silhouette": [q["silhouette"] for q in layouts],
                "code_agreement": in_codes["agreement"], "code_silhouette": in_codes["silhouette"]}

    return measure.stored(run, "tsne-quality", options | {"seeds": list(TSNE_SEEDS)}, compute)


@torch.no_grad()
def recon_terms(run) -> dict[str, torch.Tensor]:
    """The reconstruction term per image on the training and on the test digits, measured the
    same way on both after training (the test column of the training log: one posterior sample
    per image, the model's seed): mean and standard deviation over each set. Stored beside the run."""

    def per_image(model, images):
        generator = torch.Generator().manual_seed(run.config.seed)
        terms = [RECON_LOSSES[run.config.recon_loss](model(x, torch.randn(len(x), run.config.latent_dim,
                                                                           generator=generator))[0], x)
                 for x in images.split(1000)]
        return torch.cat(terms)

    def compute():
        data, model = measure.test_data(run), trained_model(run)
        train, test = per_image(model, data.train_images), per_image(model, data.test_images)
        return {"train_mean": train.mean(), "train_sd": train.std(), "train_n": len(train),
                "test_mean": test.mean(), "test_sd": test.std(), "test_n": len(test)}

    return measure.stored(run, "recon-terms", {"batch": 1000}, compute)


def generalisation_gap(terms: dict) -> tuple[float, float]:
    """Test minus training reconstruction term, and its standard error from the two sets' sizes."""
    gap = float(terms["test_mean"] - terms["train_mean"])
    error = math.sqrt(float(terms["train_sd"]) ** 2 / int(terms["train_n"])
                      + float(terms["test_sd"]) ** 2 / int(terms["test_n"]))
    return gap, error


def printed_gap(terms: dict) -> float:
    """Test minus training reconstruction term from the two means as printed."""
    return printed_difference(float(terms["test_mean"]), float(terms["train_mean"]))


def _paths() -> dict[str, torch.Tensor]:
    vae = _runs()["vae-bce"]
    probes = vae.artefacts["probe_images"]
    return latent.interpolations(trained_model(vae), probes[START], probes[END])


def _ends() -> torch.Tensor:
    vae = _runs()["vae-bce"]
    return latent.encode(trained_model(vae), vae.artefacts["probe_images"][[START, END]])[0]


def _code_statistics() -> dict[str, dict]:
    r = _runs()
    return {"ae": measure.code_statistics(r["ae"]), "vae-bce": measure.code_statistics(r["vae-bce"])}


def _ink() -> dict[str, float]:
    paths = _paths()
    return {"linear": mean_intensity(paths["linear"][MIDDLE]), "spherical": mean_intensity(paths["spherical"][MIDDLE]),
            "ends": mean_intensity(paths["linear"][[0, -1]])}


def count(n: int, lang: str) -> str:
    """A small count as the prose writes it: 3 in English, 三 in Chinese (Arabic above ten)."""
    return "零一二三四五六七八九十"[n] if lang == "zh" and 0 <= n <= 10 else str(n)


def _pct(value: float) -> str:
    return f"{number(100 * value, 1)}%"


# --- Claims --------------------------------------------------------------------------------------------


@claim("c-latent-2d-loses")
def two_d_loses():
    """vae-2d's test loss is above vae-bce's after as many epochs, by more than a seed moves it."""
    r = _runs()
    epoch, matched = loss_after(r["vae-bce"].history, r["vae-2d"].config.epochs)
    seeds = seed_scores("beta-1")["test_loss"]
    spread = seed_range(seeds)
    two_d = r["vae-2d"].metrics["test_loss"]
    gap = printed_difference(two_d, matched)
    return (above(("vae-2d", two_d), (f"vae-bce @ {epoch}", matched), quantity="test_loss", unit="nats")
            & fact(gap > spread, f"{number(gap)} > {number(spread)}", "latent_beyond_seeds", twin="beta-1",
                   n=len(seeds)))


@claim("c-latent-pca-loses-neighbours")
def pca_loses_neighbours():
    """In vae-bce's codes nearly every digit's nearest neighbour has its label; the PCA plane
    keeps fewer than half of them, t-SNE (every seed) within a point of the codes' share."""
    e, q = measure.embeddings(_runs()["vae-bce"]), tsne_quality(_runs()["vae-bce"])
    codes, pca = float(e["agreement_codes"]), float(e["agreement_pca"])
    layouts = [float(e["agreement_tsne"]), *q["agreement"].tolist()]
    shown = (f"20-D: {_pct(codes)}, PCA: {_pct(pca)}, "
             f"t-SNE: {_pct(min(layouts))}–{_pct(max(layouts))} (n = {len(layouts)})")
    return every({"PCA below half": pca < 0.5, "t-SNE within 1 point": all(abs(v - codes) <= 0.01 for v in layouts)},
                 shown, quantity="latent_agreement")


@claim("c-latent-tsne-epochs")
def tsne_epochs():
    """Course report 000: more epochs, cleaner t-SNE clusters. vae-bce (100 epochs) against
    beta-1 (10 epochs), the same network, loss and seed: the nearest-neighbour agreement and the
    silhouette by digit of their t-SNE layouts are higher, over t-SNE's seeds (Welch)."""
    r = _runs()
    short, long = tsne_quality(r[SHORT]), tsne_quality(r[LONG])
    names = _epoch_names(r)
    return (seeds_below((names[0], (100 * short["agreement"]).tolist()), (names[1], (100 * long["agreement"]).tolist()),
                        digits=1, quantity="latent_agreement")
            & seeds_below((names[0], short["silhouette"].tolist()), (names[1], long["silhouette"].tolist()),
                          digits=3, quantity="latent_silhouette"))


@claim("c-latent-codes-not-cleaner")
def codes_not_cleaner():
    """In the 20-D codes themselves, the same two models: nearest-neighbour agreement within
    half a percentage point, and no higher silhouette by digit after 100 epochs (one run each)."""
    r = _runs()
    short, long = tsne_quality(r[SHORT]), tsne_quality(r[LONG])
    names = _epoch_names(r)
    silhouettes = float(short["code_silhouette"]), float(long["code_silhouette"])
    return (close((names[0], 100 * float(short["code_agreement"])), (names[1], 100 * float(long["code_agreement"])),
                  0.5, digits=1, quantity="latent_code_agreement")
            & fact(silhouettes[1] <= silhouettes[0],
                   f"{names[1]}: {number(silhouettes[1], 3)} ≤ {names[0]}: {number(silhouettes[0], 3)}", "never_rises",
                   quantity="latent_code_silhouette"))


def _epoch_names(r) -> tuple[str, str]:
    return f"{SHORT} @ {r[SHORT].config.epochs}", f"{LONG} @ {r[LONG].config.epochs}"


@claim("c-latent-ends-unrelated")
def ends_unrelated():
    """The two ends of the walk are as far apart in direction as two independent prior draws
    usually are: their angle lies in the central 95 % of that angle's distribution."""
    low, high = prior_angle_range(_runs()["vae-bce"].config.latent_dim)
    a, b = _ends()
    return within((f"{START}–{END}", angle(a, b)), low, high, digits=1, quantity="latent_angle", unit="degrees")


@claim("c-latent-midpoint-inside")
def midpoint_inside():
    """The straight line's midpoint is nearer the origin than either end."""
    a, b = _ends()
    mid = ((a + b) / 2).norm().item()
    return below(("‖(a + b)/2‖", mid), ("min(‖a‖, ‖b‖)", min(a.norm().item(), b.norm().item())), quantity="latent_norm")


@claim("c-latent-paths-same-ink")
def paths_same_ink():
    """The middle images of both paths hold as much ink as each other and as the ends."""
    ink = _ink()
    return (close(("lerp", ink["linear"]), ("slerp", ink["spherical"]), INK_TOLERANCE, digits=3, quantity="ink")
            & close(("lerp", ink["linear"]), ("a, b", ink["ends"]), INK_TOLERANCE, digits=3, quantity="ink"))


@claim("c-latent-vae-codes-fit-prior")
def vae_codes_fit_prior():
    """vae-bce's aggregate posterior: every per-dimension variance within 10 % of 1, and a
    root-mean-square norm within 2 % of the prior's sqrt(d)."""
    stats = _code_statistics()["vae-bce"]
    var, prior = stats["code_var"], math.sqrt(len(stats["code_var"]))
    return (within(("vae-bce: min σ²", var.min().item()), 0.9, 1.1, quantity="latent_variance")
            & within(("vae-bce: max σ²", var.max().item()), 0.9, 1.1, quantity="latent_variance")
            & within(("vae-bce: RMS ‖z‖", rms_norm(stats["code_mean"], var)), 0.98 * prior, 1.02 * prior,
                     quantity="latent_norm"))


@claim("c-latent-ae-codes-spread")
def ae_codes_spread():
    """ae's codes: every per-dimension variance above 4, and a root-mean-square norm more than
    twice the prior's."""
    stats = _code_statistics()["ae"]
    var, prior = stats["code_var"], math.sqrt(len(stats["code_var"]))
    return (above(("ae: min σ²", var.min().item()), ("4", 4.0), quantity="latent_variance")
            & above(("ae: RMS ‖z‖", rms_norm(stats["code_mean"], var)), ("2 √d", 2 * prior), quantity="latent_norm"))


@claim("c-latent-ae-overfits")
def ae_overfits():
    """Course report 004: without the KL term the decoder overfits. ae's test-minus-training gap
    in the reconstruction term is larger than vae-bce's (100 epochs each), by more than
    `STANDARD_ERRORS` standard errors of the two gaps' difference."""
    r = _runs()
    ae, vae = printed_gap(recon_terms(r["ae"])), printed_gap(recon_terms(r["vae-bce"]))
    error = math.hypot(generalisation_gap(recon_terms(r["ae"]))[1], generalisation_gap(recon_terms(r["vae-bce"]))[1])
    difference = printed_difference(ae, vae)
    return (above(("ae", ae), ("vae-bce", vae), quantity="latent_gap", unit="nats")
            & fact(difference > STANDARD_ERRORS * error, f"{number(difference)} > {STANDARD_ERRORS} × {number(error)}",
                   "latent_beyond_errors", k=STANDARD_ERRORS))


@claim("c-latent-ae-test-flat")
def ae_test_flat():
    """ae's test reconstruction term ends within 0.1 nats of its lowest epoch: it never turns up."""
    history = _runs()["ae"].history
    best = min(range(len(history["test_recon"])), key=history["test_recon"].__getitem__)
    last, lowest = history["test_recon"][-1], history["test_recon"][best]
    return fact(last - lowest <= 0.1, f"{number(last)}, {number(lowest)}", "latent_flat_end", unit="nats",
                quantity="recon", last=history["epoch"][-1], best=history["epoch"][best], tolerance="0.1")


# --- The chapter's numbers, by section ------------------------------------------------------------------


def _two_d_facts() -> dict:
    r = _runs()
    two_d, vae = r["vae-2d"], r["vae-bce"]
    matched_epoch, loss_matched = loss_after(vae.history, two_d.config.epochs)
    ours, report = linear_ticks(), report_ticks()
    return dict(
        grid=GRID, half_width=HALF_WIDTH, step=number(ours[1] - ours[0], 3),
        report_start=number(report[0], 1).replace("-", "−"), report_last=number(report[-1], 2),
        report_step=number(REPORT_STEP, 2),
        hidden_dim_2d=two_d.config.hidden_dim, latent_dim_2d=two_d.config.latent_dim,
        batch_size_2d=two_d.config.batch_size, epochs_2d=two_d.config.epochs, lr_2d=f"{two_d.config.lr:g}",
        test_loss_2d=number(two_d.metrics["test_loss"]), test_loss=number(vae.metrics["test_loss"]),
        matched_epoch=matched_epoch, test_loss_matched=number(loss_matched), epochs_20d=vae.config.epochs,
        test_digits=integer(len(measure.test_codes(two_d)["labels"])),
        inside_square=percent(share_inside_square(measure.test_codes(two_d)["means"], HALF_WIDTH)),
    )


def _projection_facts(lang: str) -> dict:
    r = _runs()
    embedding, short, long = measure.embeddings(r[LONG]), tsne_quality(r[SHORT]), tsne_quality(r[LONG])
    return dict(
        latent_dim=r[LONG].config.latent_dim, perplexity=measure.TSNE_OPTIONS["perplexity"],
        tsne_iterations=integer(r[LONG].profile.tsne_iterations), tsne_seeds=count(len(TSNE_SEEDS), lang),
        agreement_codes=percent(embedding["agreement_codes"]), agreement_pca=percent(embedding["agreement_pca"]),
        agreement_tsne=percent(embedding["agreement_tsne"]),
        short_epochs=r[SHORT].config.epochs, long_epochs=r[LONG].config.epochs,
        extra_epochs=r[LONG].config.epochs - r[SHORT].config.epochs,
        short_agreement=percent(statistics.fmean(short["agreement"].tolist())),
        long_agreement=percent(statistics.fmean(long["agreement"].tolist())),
        short_silhouette=number(statistics.fmean(short["silhouette"].tolist()), 3),
        long_silhouette=number(statistics.fmean(long["silhouette"].tolist()), 3),
        short_code_agreement=percent(short["code_agreement"]), long_code_agreement=percent(long["code_agreement"]),
        short_code_silhouette=number(short["code_silhouette"], 3),
        long_code_silhouette=number(long["code_silhouette"], 3),
        short_test_loss=number(r[SHORT].metrics["test_loss"]), long_test_loss=number(r[LONG].metrics["test_loss"]),
    )


def _walk_facts() -> dict:
    vae = _runs()["vae-bce"]
    a, b = _ends()
    norms, ink = midpoint_norms(a, b), _ink()
    low, high = prior_angle_range(vae.config.latent_dim)
    return dict(
        start=START, end=END, code_norm=number(measure.test_codes(vae)["means"].norm(dim=1).mean()),
        prior_norm=number(vae.config.latent_dim ** 0.5),
        norm_start=number(a.norm()), norm_end=number(b.norm()),
        end_norm=number(norms["ends"]), mid_norm_linear=number(norms["linear"]),
        mid_norm_spherical=number(norms["spherical"]), mid_share=percent(norms["linear"] / norms["ends"], 0),
        angle=number(angle(a, b), 1), angle_low=number(low, 1), angle_high=number(high, 1), central=percent(CENTRAL, 0),
        ink_linear=number(ink["linear"], 3), ink_spherical=number(ink["spherical"], 3), ink_ends=number(ink["ends"], 3),
    )


def _ae_facts() -> dict:
    r = _runs()
    vae, ae = r["vae-bce"], r["ae"]
    stats = _code_statistics()
    ae_var, vae_var = stats["ae"]["code_var"], stats["vae-bce"]["code_var"]
    ae_gap = generalisation_gap(recon_terms(ae))[0]
    best = min(ae.history["test_recon"])
    return dict(
        epochs_ae=ae.config.epochs,
        ae_gain=number(printed_difference(vae.metrics["test_recon"], ae.metrics["test_recon"])),
        vae_var_min=f"{vae_var.min().item():,.3g}", vae_var_max=f"{vae_var.max().item():,.3g}",
        ae_var_min=f"{ae_var.min().item():,.3g}", ae_var_max=f"{ae_var.max().item():,.3g}",
        rms_norm_vae=number(rms_norm(stats["vae-bce"]["code_mean"], vae_var)),
        rms_norm_ae=number(rms_norm(stats["ae"]["code_mean"], ae_var)),
        ae_centre=number(stats["ae"]["code_mean"].norm()), vae_centre=number(stats["vae-bce"]["code_mean"].norm()),
        prior_mass=percent(PRIOR_MASS, 0),
        inside_vae=percent(measure.share_inside_prior(vae, PRIOR_MASS)),
        inside_ae=percent(measure.share_inside_prior(ae, PRIOR_MASS)),
        ink_vae=number(measure.image_stats(vae)["sample_intensity"], 3),
        ink_real=number(measure.image_stats(vae)["test_intensity"], 3),
        ink_ae=number(measure.image_stats(ae)["sample_intensity"], 3),
        sample_count=len(vae.artefacts["samples"]),
        ae_train=number(recon_terms(ae)["train_mean"]), ae_test=number(recon_terms(ae)["test_mean"]),
        vae_train=number(recon_terms(vae)["train_mean"]), vae_test=number(recon_terms(vae)["test_mean"]),
        ae_gap=number(printed_gap(recon_terms(ae))), vae_gap=number(printed_gap(recon_terms(vae))),
        ae_gap_share=percent(ae_gap / float(recon_terms(ae)["test_mean"])),
        ae_best=number(best), ae_best_epoch=ae.history["test_recon"].index(best) + 1,
        train_images=integer(int(recon_terms(ae)["train_n"])),
    )


def facts(lang: str):
    return chapter_facts(__name__, lang, **_two_d_facts(), **_projection_facts(lang), **_walk_facts(), **_ae_facts())


# --- Figures and tables -----------------------------------------------------------------------------------


@uses(plots.manifold, latent.grid)
def fig_manifold_linear(lang: str):
    ticks, t = linear_ticks(), labels(lang)
    return plots.manifold(latent.grid(trained_model(_runs()["vae-2d"]), ticks), ticks.tolist(), xlabel=t["z1"],
                          ylabel=t["z2"])


@uses(plots.manifold, latent.grid, latent.gaussian_ticks)
def fig_manifold_gaussian(lang: str):
    ticks, t = latent.gaussian_ticks(GRID), labels(lang)
    return plots.manifold(latent.grid(trained_model(_runs()["vae-2d"]), ticks), ticks.tolist(), xlabel=t["z1"],
                          ylabel=t["z2"])


@uses(plots.scatter_by_digit, measure.test_codes)
def fig_scatter_2d(lang: str):
    codes = measure.test_codes(_runs()["vae-2d"])
    return plots.scatter_by_digit({"vae-2d": codes["means"]}, codes["labels"], legend_title=labels(lang)["digit"],
                                  size=5)


@uses(explorers.plane, explorers.export_decoder, measure.test_codes)
def html_explorer(lang: str):
    two_d = _runs()["vae-2d"]
    return Markdown(explorers.plane(trained_model(two_d), measure.test_codes(two_d), lang).markdown())


@uses(plots.scatter_by_digit, measure.embeddings)
def fig_embeddings(lang: str):
    embedding = measure.embeddings(_runs()["vae-bce"])
    return plots.scatter_by_digit({"PCA": embedding["pca"], "t-SNE": embedding["tsne"]}, embedding["labels"],
                                  legend_title=labels(lang)["digit"])


@uses(plots.scatter_by_digit, measure.embeddings)
def fig_tsne_epochs(lang: str):
    r = _runs()
    panels = {EPOCHS_LABEL[lang].format(name=name, epochs=r[name].config.epochs): measure.embeddings(r[name])
              for name in (SHORT, LONG)}
    return plots.scatter_by_digit({title: e["tsne"] for title, e in panels.items()},
                                  next(iter(panels.values()))["labels"], legend_title=labels(lang)["digit"])


@uses(plots.image_rows, latent.interpolations)
def fig_interpolation(lang: str):
    words, paths = labels(lang) | PATH_LABELS[lang], _paths()
    return plots.image_rows({words[path]: paths[path] for path in ("linear", "spherical")})


@uses(explorers.interpolation, explorers.export_decoder, latent.encode, latent.slerp)
def html_interpolation(lang: str):
    vae = _runs()["vae-bce"]
    return Markdown(explorers.interpolation(trained_model(vae), vae.artefacts["probe_images"], lang, START, END)
                    .markdown())


@uses(tables.code_comparison, measure.code_statistics)
def tbl_ae(lang: str):
    r = _runs()
    chosen = {"ae": r["ae"], "vae-bce": r["vae-bce"]}
    train = {name: float(recon_terms(run)["train_mean"]) for name, run in chosen.items()}
    return Markdown(tables.code_comparison(chosen, _code_statistics(), lang, train))


@uses(plots.code_moments, measure.code_statistics)
def fig_ae_moments(lang: str):
    moments = {name: (stats["code_mean"], stats["code_var"]) for name, stats in _code_statistics().items()}
    t = labels(lang)
    return plots.code_moments(moments, titles=[t["code_mean"], t["code_var"]], xlabel=t["dimension"],
                              prior_label=t["prior"])


@uses(plots.sample_grids)
def fig_ae_samples(lang: str):
    r = _runs()
    return plots.sample_grids({"ae": r["ae"].artefacts["samples"], "vae-bce": r["vae-bce"].artefacts["samples"]},
                              per_row=2, size=3.2)
