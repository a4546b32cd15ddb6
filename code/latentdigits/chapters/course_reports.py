"""Appendix "The course reports": each report's experiments beside the book's runs of them
(`reports.REPORT_ITEMS`), the settings in which the book departs from them, and every model's
hyperparameters. The tables and numbers here are read from the experiments' configurations and
networks, without loading a run. Whether a report's claim holds is checked by the chapter that
measures it: the appendix cites that chapter's claim, whose check reads the cache."""

from __future__ import annotations

import inspect
import re
from dataclasses import fields, replace

import torch
from IPython.display import Markdown

from vaebook.config import PROFILES, SWEEPABLE
from vaebook.families import build_model

from .. import report_tables
from ..claims import Evidence, claim, fact
from ..experiments import BETAS, EXPERIMENTS, NOISE_RATES
from ..figures import uses
from ..report_tables import (
    COMMA,
    CONV,
    DECONV,
    DEFAULT_INIT,
    HERE,
    KL_ONLY,
    LOSSES,
    OPTIMISER,
    PART_NAMES,
    RECON,
    SEPARATOR,
    VAE_LOSS,
    few,
    learning_rate,
)
from ..reports import (
    REPORT_000_LR,
    REPORT_001_CORRUPTED_EPOCHS,
    REPORT_001_NOISY_EPOCHS,
    REPORT_004_BATCH,
    REPORT_004_ITERATIONS,
    REPORT_ITEMS,
    RUN,
    THEORY,
    UNTESTED,
    Budget,
)
from ..text import integer, listing
from . import chapter_facts

PARTS = {  # a network's named children, by the part of the model they make up
    "encoder": ("encoder", "to_mu"), "decoder": ("decoder",), "generator": ("generator",),
    "discriminator": ("discriminator",), "classifier": ("body", "head"),
}


# --- The reports' side, and the book's ----------------------------------------------------------


def adam_settings(config) -> tuple[tuple[float, float], float, bool]:
    """(betas, weight decay, one optimiser per network) of the Adam that trains `config`: the
    adversarial trainers' (`vaebook.adversarial`) for GANs and the VAE-GAN, PyTorch's defaults
    for the rest, whose trainers set only the learning rate."""
    if hasattr(config, "adam_betas"):
        return tuple(config.adam_betas), config.weight_decay, True
    defaults = inspect.signature(torch.optim.Adam).parameters
    return tuple(defaults["betas"].default), defaults["weight_decay"].default, False


def here_budget(name: str) -> Budget:
    """The budget an experiment trains with, from its configuration (full profile)."""
    config = EXPERIMENTS[name].config
    return Budget(config.epochs, config.batch_size, config.lr)


def _values(configs, name: str) -> str:
    """A field's distinct values over `configs`, in order: "0.25, 0.5, 1"."""
    values = (getattr(c, name) for c in configs if hasattr(c, name))
    return ", ".join(dict.fromkeys(f"{v:g}" if isinstance(v, float) else str(v) for v in values))


def _chapter(label: str, lang: str) -> str:
    return f"@{label}" if lang == "en" else f"第 [-@{label}] 章"


def compact(names, lang: str = "en") -> str:
    """Experiment names in code font, a run of one sweep (beta-0.25 ... beta-8) as its ends."""
    groups: dict[str, list[str]] = {}
    for name in names:
        stem = re.sub(r"-[\d.]+$", "", name)
        groups.setdefault(stem, []).append(name)
    comma = "、" if lang == "zh" else ", "
    return comma.join(f"`{g[0]}`" if len(g) == 1 else f"`{g[0]}`{comma}`{g[1]}`" if len(g) == 2
                      else f"`{g[0]}` … `{g[-1]}`" for g in groups.values())


def here(item, lang: str) -> str:
    """Where the book has the item: its runs and chapter, a derivation and its chapter, or
    that the book does not test it (the prose says why)."""
    if item.kind == RUN:
        return f"{compact(item.experiments, lang)}{COMMA[lang]}{_chapter(item.chapter, lang)}"
    if item.kind == THEORY:
        return f"{HERE[lang][THEORY]}{COMMA[lang]}{_chapter(item.chapter, lang)}"
    return HERE[lang][UNTESTED]


def item_rows(report: str, lang: str) -> list[dict]:
    return [{"what": item.what[lang], "here": here(item, lang),
             "report_budget": item.budget if item.kind == RUN else None,
             "here_budgets": [here_budget(name) for name in item.experiments]}
            for item in REPORT_ITEMS if item.report == report]


def _report_table(report: str, lang: str):
    return Markdown(report_tables.report_items(item_rows(report, lang), lang))


@uses(report_tables.report_items)
def tbl_report_000(lang: str):
    return _report_table("000", lang)


@uses(report_tables.report_items)
def tbl_report_001(lang: str):
    return _report_table("001", lang)


@uses(report_tables.report_items)
def tbl_report_002(lang: str):
    return _report_table("002", lang)


@uses(report_tables.report_items)
def tbl_report_003(lang: str):
    return _report_table("003", lang)


@uses(report_tables.report_items)
def tbl_report_004(lang: str):
    return _report_table("004", lang)


REFERENCE_MODEL = "vae-bce"  # course report 002's model at its full length, which other items reuse


def epoch_departures(items=REPORT_ITEMS) -> list[tuple[str, int, int]]:
    """(experiment, its epochs, the report's) for every run of an item whose epochs differ from
    what its report states (the upper end of a range), the reference model aside."""
    found = []
    for item in items:
        stated = item.budget.epochs
        if item.kind != RUN or stated is None:
            continue
        most = max(stated) if isinstance(stated, tuple) else stated
        found += [(name, _config(name).epochs, most) for name in item.experiments
                  if name != REFERENCE_MODEL and _config(name).epochs != most]
    return found


@claim("c-reports-fewer-epochs")
def fewer_epochs() -> Evidence:
    """Where the book trains a report's experiment for another number of epochs than the report
    states, it trains fewer, except where it reuses its 100-epoch reference model."""
    departures = list(dict.fromkeys(epoch_departures()))
    groups: dict[tuple[int, int], list[str]] = {}
    for name, ours, theirs in departures:
        groups.setdefault((ours, theirs), []).append(name)
    shown = "; ".join(f"{compact(names).replace('`', '')}: {ours} {'<' if ours < theirs else '>'} {theirs}"
                      for (ours, theirs), names in groups.items())
    return fact(all(ours < theirs for _, ours, theirs in departures), shown, "all", quantity="epochs_here_report")


# --- Every model's hyperparameters --------------------------------------------------------------


def _sweep_key(config):
    """What the members of one sweep share: the configuration without β, the seed and the
    corruption (`vaebook.config.SWEEPABLE`)."""
    own = {f.name: f.default for f in fields(config) if f.name in SWEEPABLE}
    return type(config), replace(config, **own)


def model_groups() -> list[list[str]]:
    """The experiments, those of one sweep together, in the registry's order."""
    groups: dict = {}
    for name, experiment in EXPERIMENTS.items():
        groups.setdefault(_sweep_key(experiment.config), []).append(name)
    return list(groups.values())


def _layer(layer, lang: str) -> str | None:
    if isinstance(layer, torch.nn.Linear):
        return str(layer.out_features)
    if isinstance(layer, torch.nn.ConvTranspose2d):
        return f"{DECONV[lang]} {layer.out_channels}"
    if isinstance(layer, torch.nn.Conv2d):
        return f"{CONV[lang]} {layer.out_channels}"
    return None


def architecture(model, lang: str) -> str:
    """The model's parts as chains of layer widths (a conv layer by its channels), read from
    the modules: `encoder 784 → 400 → 20; decoder 20 → 400 → 784`."""
    children = dict(model.named_children())
    parts = []
    for part, names in PARTS.items():
        layers = [layer for name in names if name in children for layer in children[name].modules()]
        widths = [w for w in (_layer(layer, lang) for layer in layers) if w is not None]
        if not widths:
            continue
        first = next(layer for layer in layers if _layer(layer, lang) is not None)
        start = str(first.in_features) if isinstance(first, torch.nn.Linear) else "28×28"
        parts.append(f"{PART_NAMES[lang][part]} {' → '.join([start, *widths])}")
    return SEPARATOR[lang].join(parts)


ACTIVATIONS = (torch.nn.ReLU, torch.nn.LeakyReLU, torch.nn.GELU, torch.nn.Tanh, torch.nn.Sigmoid)


def activations(model) -> str:
    """The activation modules and normalisations the model uses, in order of appearance."""
    found = []
    for layer in model.modules():
        if isinstance(layer, torch.nn.LeakyReLU):
            found.append(f"LeakyReLU {layer.negative_slope:g}")
        elif isinstance(layer, ACTIVATIONS):
            found.append(type(layer).__name__)
        elif isinstance(layer, (torch.nn.BatchNorm1d, torch.nn.BatchNorm2d)):
            found.append("BatchNorm")
    return ", ".join(dict.fromkeys(found))


def loss(configs, lang: str) -> str:
    config = configs[0]
    recon = RECON[lang].get(getattr(config, "recon_loss", None), "")
    if config.family in LOSSES[lang]:
        return LOSSES[lang][config.family].format(config=config, recon=recon)
    template = KL_ONLY if config.recon_loss == "none" else VAE_LOSS
    return template[lang].format(recon=recon, betas=_values(configs, "beta"))


def hyperparameter_rows(lang: str) -> list[dict]:
    """One row per model, a sweep's members in one: its networks (built from the
    configuration, untrained) and its training settings."""
    rows = []
    for names in model_groups():
        configs = [EXPERIMENTS[name].config for name in names]
        config, model = configs[0], build_model(configs[0])
        betas, weight_decay, per_network = adam_settings(config)
        rows.append({
            "models": compact(names, lang), "architecture": architecture(model, lang),
            "activations": activations(model),
            "parameters": sum(p.numel() for p in model.parameters()), "latent": getattr(config, "latent_dim", None),
            "loss": loss(configs, lang), "optimiser": OPTIMISER[lang][per_network], "lr": config.lr,
            "betas": betas, "weight_decay": weight_decay, "batch": config.batch_size, "epochs": config.epochs,
            "seeds": EXPERIMENTS[names[0]].seeds, "init": DEFAULT_INIT[lang],
        })
    return rows


@uses(report_tables.networks, build_model)
def tbl_networks(lang: str):
    return Markdown(report_tables.networks(hyperparameter_rows(lang), lang))


@uses(report_tables.training, adam_settings)
def tbl_training(lang: str):
    return Markdown(report_tables.training(hyperparameter_rows(lang), lang))


# --- The prose's numbers, report by report ------------------------------------------------------------


def _config(name: str):
    return EXPERIMENTS[name].config


def _betas(pair) -> str:
    return f"({pair[0]:g}, {pair[1]:g})"


def count_facts(lang: str) -> dict:
    """How many items the reports hold, and what the book does with them."""
    kinds = [item.kind for item in REPORT_ITEMS]
    trained_by = {name for item in REPORT_ITEMS for name in item.experiments if item.kind == RUN}
    return {"items": integer(len(REPORT_ITEMS)), "trained": few(kinds.count(RUN), lang),
            "theory": few(kinds.count(THEORY), lang), "untested": few(kinds.count(UNTESTED), lang),
            "experiments": integer(len(trained_by))}


def report_000_facts(lang: str) -> dict:
    """Course report 000's settings beside the book's: the 2-D VAE, the sweep, t-SNE, the GAN
    and the VAE-GAN."""
    vae_2d, gelu, vaegan = _config("vae-2d"), _config("gan-gelu"), _config("vaegan")
    discriminator = build_model(vaegan).discriminator
    convs = [layer.out_channels for layer in discriminator.modules() if isinstance(layer, torch.nn.Conv2d)]
    pooled = next(layer for layer in discriminator.modules() if isinstance(layer, torch.nn.Linear)).in_features
    return {"r000_lr": f"{REPORT_000_LR:g}", "lr_2d": learning_rate(vae_2d.lr), "beta_2d": f"{vae_2d.beta:g}",
            "latent_2d": integer(vae_2d.latent_dim), "latent_bce": integer(_config("vae-bce").latent_dim),
            "betas": ", ".join(f"{b:g}" for b in BETAS), "beta_epochs": integer(_config("beta-1").epochs),
            "epochs_bce": integer(_config("vae-bce").epochs), "epochs_beta_1": integer(_config("beta-1").epochs),
            "gelu_betas": _betas(adam_settings(gelu)[0]), "gelu_weight_decay": learning_rate(gelu.weight_decay),
            "gelu_l1": f"{gelu.l1_weight:g}", "vaegan_features": integer(pooled),
            "vaegan_channels": listing(convs, lang), "vaegan_gamma": f"{vaegan.gamma:g}",
            "vaegan_lr": learning_rate(vaegan.lr), "vaegan_betas": _betas(adam_settings(vaegan)[0]),
            "vaegan_epochs": integer(vaegan.epochs)}


def report_001_facts(lang: str) -> dict:
    """Course report 001's settings beside the book's: the convolutional VAE, the losses, the
    GAN, the convolutional β-VAE and the noisy digits."""
    convs = [layer.out_channels for layer in build_model(_config("conv-vae")).encoder.modules()
             if isinstance(layer, torch.nn.Conv2d)]
    return {"conv_channels": listing(convs, lang), "loss_epochs": integer(_config("vae-mse").epochs),
            "gan_lr": learning_rate(_config("gan").lr), "gan_epochs": integer(_config("gan").epochs),
            "conv_beta_epochs": integer(_config("conv-beta-1").epochs),
            "noise_epochs": integer(_config("noise-0.1").epochs), "r001_noisy_epochs": integer(REPORT_001_NOISY_EPOCHS),
            "r001_clean_epochs": integer(REPORT_001_NOISY_EPOCHS - REPORT_001_CORRUPTED_EPOCHS),
            "noise_low": f"{100 * NOISE_RATES[0]:g}", "noise_second": f"{100 * NOISE_RATES[1]:g}",
            "noise_third": f"{100 * NOISE_RATES[2]:g}", "noise_high": f"{100 * NOISE_RATES[-1]:g}"}


def settings_facts() -> dict:
    """The numbers of the hyperparameter section, and of the last two reports."""
    return {"models": integer(len(EXPERIMENTS)), "groups": integer(len(model_groups())),
            "default_betas": _betas(adam_settings(_config("vae-bce"))[0]), "quick_epochs": PROFILES["quick"].max_epochs,
            "tanh_epochs": integer(_config("vae-tanh").epochs), "report_004_batch": REPORT_004_BATCH,
            "report_004_iterations": REPORT_004_ITERATIONS}


def facts(lang: str):
    return chapter_facts(__name__, lang, **count_facts(lang), **report_000_facts(lang), **report_001_facts(lang),
                         **settings_facts())
