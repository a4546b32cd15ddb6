"""Appendix "The course reports": each report's experiments beside the book's runs of them
(`reports.REPORT_ITEMS`), and every model's hyperparameters. Everything here is read from the
experiments' configurations and networks; no run is loaded, so the appendix renders without
the cache."""

from __future__ import annotations

import inspect
import re
from dataclasses import fields, replace

import torch
from IPython.display import Markdown
from vaebook.config import PROFILES, SWEEPABLE
from vaebook.families import build_model

from .. import report_tables
from ..experiments import EXPERIMENTS
from ..figures import uses
from ..reports import (REPORT_004_BATCH, REPORT_004_ITERATIONS, REPORT_ITEMS, REPORTS, RUN, THEORY, UNTESTED,
                       Budget)
from ..text import integer
from . import chapter_facts

HERE = {"en": {UNTESTED: "not tested", THEORY: "a derivation"}, "zh": {UNTESTED: "未检验", THEORY: "推导"}}
PARTS = {  # a network's named children, by the part of the model they make up
    "encoder": ("encoder", "to_mu"), "decoder": ("decoder",), "generator": ("generator",),
    "discriminator": ("discriminator",), "classifier": ("body", "head"),
}
PART_NAMES = {
    "en": {"encoder": "encoder", "decoder": "decoder", "generator": "generator", "discriminator": "discriminator",
           "classifier": "classifier"},
    "zh": {"encoder": "编码器", "decoder": "解码器", "generator": "生成器", "discriminator": "判别器",
           "classifier": "分类器"},
}
CONV = {"en": "conv", "zh": "卷积"}
DECONV = {"en": "transposed conv", "zh": "转置卷积"}
RECON = {
    "en": {"bce": "BCE", "mse": "squared error", "l1": "absolute error", "softmax-ce": "softmax cross-entropy over "
           "the 784 pixels", "none": "no reconstruction term", "tanh-mse": "squared error on [−1, 1]"},
    "zh": {"bce": "BCE", "mse": "平方误差", "l1": "绝对误差", "softmax-ce": "784 个像素上的 softmax 交叉熵",
           "none": "无重构项", "tanh-mse": "[−1, 1] 上的平方误差"},
}
# The objective of each family that is not a VAE's reconstruction + β · KL.
LOSSES = {
    "en": {"ae": "{recon}, no KL term", "gan": "GAN loss (BCE, non-saturating)",
           "gelu-gan": "GAN loss (BCE) + {config.l1_weight:g} × L1 to a real batch",
           "vaegan": "KL + feature reconstruction (γ = {config.gamma:g}) + least-squares GAN",
           "classifier": "cross-entropy over the ten digits"},
    "zh": {"ae": "{recon}，无 KL 项", "gan": "GAN 损失（BCE，非饱和形式）",
           "gelu-gan": "GAN 损失（BCE）+ {config.l1_weight:g} × 与一批真实数字的 L1",
           "vaegan": "KL + 特征空间重构（γ = {config.gamma:g}）+ 最小二乘 GAN",
           "classifier": "十个数字上的交叉熵"},
}
VAE_LOSS = {"en": "{recon} + β · KL, β = {betas}", "zh": "{recon} + β · KL，β = {betas}"}
KL_ONLY = {"en": "KL term only, β = {betas}", "zh": "只有 KL 项，β = {betas}"}
OPTIMISER = {"en": ("Adam", "Adam, one per network"), "zh": ("Adam", "Adam，每个网络一个")}
DEFAULT_INIT = {"en": "PyTorch's default", "zh": "PyTorch 默认"}
SEPARATOR = {"en": "; ", "zh": "；"}


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


def note(item, lang: str) -> str:
    """The item's note in `lang`, its fields filled from the configurations and networks."""
    configs = [EXPERIMENTS[name].config for name in item.experiments]
    context = {"configs": {name: e.config for name, e in EXPERIMENTS.items()},
               "values": {f.name: _values(configs, f.name) for c in configs[:1] for f in fields(c)}}
    if configs:
        betas, weight_decay, _ = adam_settings(configs[0])
        context |= {"config": configs[0], "model": build_model(configs[0]), "betas": f"({betas[0]:g}, {betas[1]:g})",
                    "lr": report_tables.learning_rate(configs[0].lr),
                    "weight_decay": report_tables.learning_rate(weight_decay)}
    return item.note[lang].format(**context)


def _chapter(label: str, lang: str) -> str:
    return f"@{label}" if lang == "en" else f"第 [-@{label}] 章"


def compact(names) -> str:
    """Experiment names in code font, a run of one sweep (beta-0.25 ... beta-8) as its ends."""
    groups: dict[str, list[str]] = {}
    for name in names:
        stem = re.sub(r"-[\d.]+$", "", name)
        groups.setdefault(stem, []).append(name)
    return ", ".join(f"`{g[0]}`" if len(g) == 1 else f"`{g[0]}`, `{g[1]}`" if len(g) == 2 else f"`{g[0]}` … `{g[-1]}`"
                     for g in groups.values())


def here(item, lang: str) -> str:
    """Where the book has the item: its runs and chapter, or why there is no run."""
    if item.kind == RUN:
        return f"{compact(item.experiments)}{'，' if lang == 'zh' else ', '}{_chapter(item.chapter, lang)}"
    if item.kind == THEORY:
        return f"{HERE[lang][THEORY]}{'，' if lang == 'zh' else ', '}{_chapter(item.chapter, lang)}"
    return HERE[lang][UNTESTED]


def item_rows(report: str, lang: str) -> list[dict]:
    return [{"what": item.what[lang], "here": here(item, lang), "report_budget": item.budget,
             "here_budgets": [here_budget(name) for name in item.experiments], "note": note(item, lang)}
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
            "models": compact(names), "architecture": architecture(model, lang), "activations": activations(model),
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


def facts(lang: str):
    runs_of = {item.kind: [] for item in REPORT_ITEMS}
    for item in REPORT_ITEMS:
        runs_of[item.kind].append(item)
    experiments = {name for item in REPORT_ITEMS for name in item.experiments}
    betas = adam_settings(EXPERIMENTS["vae-bce"].config)[0]
    return chapter_facts(
        __name__, lang,
        items=integer(len(REPORT_ITEMS)), trained=integer(len(runs_of.get(RUN, []))),
        untested=integer(len(runs_of.get(UNTESTED, []))), theory=integer(len(runs_of.get(THEORY, []))),
        experiments=integer(len(experiments)), models=integer(len(EXPERIMENTS)),
        groups=integer(len(model_groups())), default_betas=f"({betas[0]:g}, {betas[1]:g})",
        **{f"report_{number}": text[lang] for number, text in REPORTS.items()},
        report_004_batch=REPORT_004_BATCH, report_004_iterations=REPORT_004_ITERATIONS,
        quick_epochs=PROFILES["quick"].max_epochs,
    )
