"""Chapter "A VAE on MNIST": course report 002's MLP VAE, trained and checked against the
report's training log."""

from __future__ import annotations

from IPython.display import Markdown
from vaebook import losses, models, plots, train

from .. import tables
from ..experiments import run
from ..figures import source_listing, uses
from ..reports import REPORT_002_TRAIN_LOG
from ..text import labels, number
from . import chapter_facts


def _run():
    return run("vae-bce")


def facts(lang: str):
    r = _run()
    config, history, meta, art = r.config, r.history, r.meta, r.artefacts
    log = REPORT_002_TRAIN_LOG
    early = min(10, history["epoch"][-1])  # the quick profile stops before epoch 10
    return chapter_facts(
        __name__, lang,
        latent_dim=config.latent_dim, hidden_dim=config.hidden_dim, lr=config.lr, batch_size=config.batch_size,
        epochs=config.epochs, train_images=f"{meta['train_images']:,}", test_images=f"{meta['test_images']:,}",
        train_minutes=number(meta["train_seconds"] / 60, 1), device_name=meta["device_name"], device=meta["device"],
        early=early,
        kl_first=number(history["train_kl"][0]), kl_early=number(history["train_kl"][early - 1]),
        kl_last=number(history["train_kl"][-1]),
        recon_first=number(history["train_recon"][0]), recon_last=number(history["train_recon"][-1]),
        log_gap=number(max(abs(history["train_loss"][e - 1] - log[e][0]) for e in log if e <= history["epoch"][-1])),
        test_loss=number(history["test_loss"][-1]), test_recon=number(history["test_recon"][-1]),
        test_kl=number(history["test_kl"][-1]), test_kl_short=number(history["test_kl"][-1], 1),
        train_loss=number(history["train_loss"][-1]),
        mean_before=number(art["latent_mean_before"].norm()), mean_after=number(art["latent_mean_after"].norm()),
    )


@uses(tables.architecture)
def tbl_architecture(lang: str):
    return Markdown(tables.architecture(_run().config, lang))


def lst_model(lang: str):
    return Markdown(source_listing(models.VAE) + "\n\n" + source_listing(models.MLPVAE))


def lst_loss(lang: str):
    return Markdown(source_listing(losses.bce_recon) + "\n\n" + source_listing(losses.gaussian_kl))


def lst_step(lang: str):
    return Markdown(source_listing(train.vae_terms) + "\n\n" + source_listing(train.vae_step))


@uses(plots.loss_curves)
def fig_curves(lang: str):
    t = labels(lang)
    return plots.loss_curves(_run(), REPORT_002_TRAIN_LOG, titles=[t["total"], t["recon"], t["kl"]],
                             xlabel=t["epoch"], ylabel=t["loss"], steps_label=t["steps"], train_label=t["train"],
                             test_label=t["test"], reference_label=t["seed"])


@uses(tables.log_comparison)
def tbl_seed(lang: str):
    return Markdown(tables.log_comparison(_run().history, REPORT_002_TRAIN_LOG, lang=lang))


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
