"""Chapter "The latent space": course report 000's two-dimensional VAE drawn whole, the
20-dimensional reference model projected by PCA and t-SNE, walks between two codes, and the
same network as a plain autoencoder, to show what the KL term is for."""

from __future__ import annotations

import torch
from IPython.display import Markdown
from vaebook import latent, measure, plots
from vaebook.families import trained_model
from vaebook.metrics import mean_intensity

from .. import explorers, tables
from ..experiments import runs
from ..figures import uses
from ..text import integer, labels, number, percent
from . import chapter_facts

GRID = 20  # course report 000's 20 x 20 grid over [-2.5, 2.5]^2
HALF_WIDTH = 2.5
START, END = 4, 9  # interpolate from the first test 4 to the first test 9
MIDDLE = slice(3, 7)  # the four middle images of the ten along a path
PRIOR_MASS = 0.99  # the ball around the origin that holds this share of the prior's draws

# Row titles of the interpolation figure, which text.LABELS does not have.
PATH_LABELS = {"en": {"linear": "linear", "spherical": "spherical"},
               "zh": {"linear": "线性", "spherical": "球面"}}


def _runs():
    return runs("vae-2d", "vae-bce", "ae")


def linear_ticks() -> torch.Tensor:
    return torch.linspace(-HALF_WIDTH, HALF_WIDTH, GRID)


def share_inside_square(points: torch.Tensor, half_width: float) -> float:
    """The fraction of 2-D points with both coordinates within [-half_width, half_width]:
    how much of the code distribution the evenly spaced grid covers."""
    return (points.abs() <= half_width).all(dim=1).float().mean().item()


def midpoint_norms(a: torch.Tensor, b: torch.Tensor) -> dict[str, float]:
    """The mean norm of two codes and the norms of the midpoints of the straight line and of
    the spherical path between them: how far each path dips towards the origin."""
    return {"ends": (a.norm() + b.norm()).item() / 2, "linear": ((a + b) / 2).norm().item(),
            "spherical": latent.slerp(a, b, torch.tensor([0.5]))[0].norm().item()}


def rms_norm(mean: torch.Tensor, var: torch.Tensor) -> float:
    """The root-mean-square norm of codes with these per-dimension means and variances:
    E|z|^2 is the sum over dimensions of var + mean^2."""
    return (var + mean.square()).sum().sqrt().item()


def loss_after(history: dict, epochs: int) -> tuple[int, float]:
    """(epoch, test loss) of a run's `history` after `epochs` epochs, or after its last if it
    trained fewer: a longer run's loss at another run's budget."""
    epoch = min(epochs, history["epoch"][-1])
    return epoch, history["test_loss"][epoch - 1]


def _paths() -> dict[str, torch.Tensor]:
    vae = _runs()["vae-bce"]
    probes = vae.artefacts["probe_images"]
    return latent.interpolations(trained_model(vae), probes[START], probes[END])


def _code_statistics() -> dict[str, dict]:
    r = _runs()
    return {"ae": measure.code_statistics(r["ae"]), "vae-bce": measure.code_statistics(r["vae-bce"])}


def facts(lang: str):
    r = _runs()
    two_d, vae, ae = r["vae-2d"], r["vae-bce"], r["ae"]
    codes_2d, embedding = measure.test_codes(two_d), measure.embeddings(vae)
    codes_vae = measure.test_codes(vae)
    probes = vae.artefacts["probe_images"]
    ends = latent.encode(trained_model(vae), probes[[START, END]])[0]
    norms = midpoint_norms(ends[0], ends[1])
    paths = _paths()
    stats = _code_statistics()
    ae_var, vae_var = stats["ae"]["code_var"], stats["vae-bce"]["code_var"]
    images_vae = measure.image_stats(vae)
    matched_epoch, loss_matched = loss_after(vae.history, two_d.config.epochs)
    return chapter_facts(
        __name__, lang,
        grid=GRID, half_width=HALF_WIDTH,
        hidden_dim_2d=two_d.config.hidden_dim, latent_dim_2d=two_d.config.latent_dim,
        batch_size_2d=two_d.config.batch_size, epochs_2d=two_d.config.epochs, lr_2d=f"{two_d.config.lr:g}",
        test_loss_2d=number(two_d.metrics["test_loss"]), test_loss=number(vae.metrics["test_loss"]),
        matched_epoch=matched_epoch, test_loss_matched=number(loss_matched), epochs_20d=vae.config.epochs,
        test_digits=integer(len(codes_2d["labels"])),
        inside_square=percent(share_inside_square(codes_2d["means"], HALF_WIDTH)),
        latent_dim=vae.config.latent_dim, prior_norm=number(vae.config.latent_dim ** 0.5),
        perplexity=measure.TSNE_OPTIONS["perplexity"],
        agreement_codes=percent(embedding["agreement_codes"]), agreement_pca=percent(embedding["agreement_pca"]),
        agreement_tsne=percent(embedding["agreement_tsne"]),
        start=START, end=END,
        code_norm=number(codes_vae["means"].norm(dim=1).mean()),
        end_norm=number(norms["ends"]), mid_norm_linear=number(norms["linear"]),
        mid_norm_spherical=number(norms["spherical"]),
        ink_linear=number(mean_intensity(paths["linear"][MIDDLE]), 3),
        ink_spherical=number(mean_intensity(paths["spherical"][MIDDLE]), 3),
        ink_ends=number(mean_intensity(paths["linear"][[0, -1]]), 3),
        epochs_ae=ae.config.epochs, ae_gain=number(vae.metrics["test_recon"] - ae.metrics["test_recon"]),
        vae_var_min=number(vae_var.min()), vae_var_max=number(vae_var.max()),
        ae_var_min=number(ae_var.min()), ae_var_max=number(ae_var.max()),
        rms_norm_vae=number(rms_norm(stats["vae-bce"]["code_mean"], vae_var)),
        rms_norm_ae=number(rms_norm(stats["ae"]["code_mean"], ae_var)),
        prior_mass=percent(PRIOR_MASS, 0),
        inside_vae=percent(measure.share_inside_prior(vae, PRIOR_MASS)),
        inside_ae=percent(measure.share_inside_prior(ae, PRIOR_MASS)),
        ink_vae=number(images_vae["sample_intensity"], 3), ink_real=number(images_vae["test_intensity"], 3),
        ink_ae=number(measure.image_stats(ae)["sample_intensity"], 3),
        sample_count=len(vae.artefacts["samples"]),
    )


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
    return Markdown(tables.code_comparison({"ae": r["ae"], "vae-bce": r["vae-bce"]}, _code_statistics(), lang))


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
