"""Figures: pure functions from runs or tensors to matplotlib figures.

Each function closes its figure before returning it, so pyplot keeps no state and a
notebook shows the returned figure exactly once.

Every label exists in English and Chinese and `lang` picks one. Chapters draw each figure
once per language, in the language blocks, rather than asking which edition is rendering:
Quarto's freeze keys a chapter's outputs by its source alone, so an output that depended
on the active profile would be reused in the other edition.
"""

from __future__ import annotations

from contextlib import contextmanager

import matplotlib.pyplot as plt
import numpy as np
from matplotlib import font_manager

TEXT = {
    "en": {
        "epoch": "epoch", "train": "train", "test": "test", "loss": "loss (nats per image)",
        "recon": "reconstruction term", "kl": "KL term", "total": "train loss (recon + KL)",
        "steps": "per step", "seed": "seed 002's log", "original": "test digit", "reconstruction": "reconstruction",
        "dimension": "latent dimension", "mean": "posterior mean", "before": "before training",
        "after": "after training",
    },
    "zh": {
        "epoch": "训练轮数", "train": "训练集", "test": "测试集", "loss": "损失（纳特/图像）",
        "recon": "重构项", "kl": "KL 项", "total": "训练损失（重构 + KL）",
        "steps": "逐步", "seed": "种子报告 002 的记录", "original": "测试数字", "reconstruction": "重构",
        "dimension": "隐变量维度", "mean": "后验均值", "before": "训练前", "after": "训练后",
    },
}
CJK_FONTS = ("Noto Sans CJK SC", "Noto Serif CJK SC", "Source Han Sans SC", "WenQuanYi Zen Hei", "SimHei")


@contextmanager
def _style():
    # Matplotlib falls back glyph by glyph along the family list, so Chinese labels find a
    # CJK font when one is installed while Latin text keeps DejaVu Sans.
    installed = {f.name for f in font_manager.fontManager.ttflist}
    families = ["DejaVu Sans", *(f for f in CJK_FONTS if f in installed)]
    with plt.rc_context({"font.family": families, "axes.spines.top": False, "axes.spines.right": False,
                         "axes.unicode_minus": False, "figure.dpi": 110}):
        yield


def _images(images, side: int = 28) -> np.ndarray:
    return np.asarray(images, dtype=np.float32).reshape(-1, side, side)


def loss_curves(run, reference: dict | None = None, lang: str = "en"):
    """Three panels per epoch on a log axis: the train loss (with its per-step values and,
    when given, a reference log {epoch: (loss, recon, kl)}), the reconstruction term and
    the KL term, train and test."""
    t = TEXT[lang]
    h = run.history
    with _style():
        fig, axes = plt.subplots(1, 3, figsize=(11, 3.3), constrained_layout=True)
        steps = np.asarray(run.artefacts["step_loss"])
        per_epoch = len(steps) / len(h["epoch"])
        axes[0].plot((np.arange(len(steps)) + 1) / per_epoch, steps, color="0.8", lw=0.5, label=t["steps"])
        axes[0].plot(h["epoch"], h["train_loss"], color="C0", label=t["train"])
        for ax, column, title in ((axes[1], "recon", t["recon"]), (axes[2], "kl", t["kl"])):
            ax.plot(h["epoch"], h[f"train_{column}"], color="C0", label=t["train"])
            ax.plot(h["epoch"], h[f"test_{column}"], color="C1", label=t["test"])
            ax.set_title(title)
        axes[0].set_title(t["total"])
        if reference:
            epochs = sorted(reference)
            for i, ax in enumerate(axes):
                ax.plot(epochs, [reference[e][i] for e in epochs], "k^", ms=6, label=t["seed"])
        for ax in axes:
            ax.set_xscale("log")
            ax.set_xlabel(t["epoch"])
            ax.legend(frameon=False, fontsize=8)
        axes[0].set_ylim(top=min(axes[0].get_ylim()[1], 1.15 * max(h["train_loss"][0], steps[len(steps) // 20])))
        axes[0].set_ylabel(t["loss"])
    plt.close(fig)
    return fig


def digit_row(images, titles=None, scale: float = 1.0):
    """Images side by side in one row, optionally titled."""
    images = _images(images)
    with _style():
        fig, axes = plt.subplots(1, len(images), figsize=(scale * len(images), scale * 1.1), squeeze=False)
        for i, (ax, image) in enumerate(zip(axes[0], images)):
            ax.imshow(image, cmap="gray_r", vmin=0, vmax=1)
            ax.set_axis_off()
            if titles is not None:
                ax.set_title(str(titles[i]), fontsize=9)
    plt.close(fig)
    return fig


def reconstructions(originals, reconstructed, lang: str = "en"):
    """Test digits (top row) over their reconstructions (bottom row)."""
    originals, reconstructed = _images(originals), _images(reconstructed)
    t = TEXT[lang]
    with _style():
        fig, axes = plt.subplots(2, len(originals), figsize=(len(originals), 2.3), squeeze=False)
        for row, (images, label) in enumerate(((originals, t["original"]), (reconstructed, t["reconstruction"]))):
            for ax, image in zip(axes[row], images):
                ax.imshow(image, cmap="gray_r", vmin=0, vmax=1)
                ax.set_xticks([])
                ax.set_yticks([])
                ax.spines[:].set_visible(False)
            axes[row, 0].set_ylabel(label, fontsize=8)
    plt.close(fig)
    return fig


def latent_mean_change(before, after, lang: str = "en"):
    """One image's posterior mean, dimension by dimension, before and after training."""
    t = TEXT[lang]
    before, after = np.asarray(before), np.asarray(after)
    dims = np.arange(1, len(before) + 1)
    with _style():
        fig, ax = plt.subplots(figsize=(8, 2.8), constrained_layout=True)
        ax.bar(dims - 0.2, before, width=0.4, color="0.6", label=t["before"])
        ax.bar(dims + 0.2, after, width=0.4, color="C0", label=t["after"])
        ax.axhline(0, color="k", lw=0.6)
        ax.set_xticks(dims)
        ax.set_xlabel(t["dimension"])
        ax.set_ylabel(t["mean"])
        ax.legend(frameon=False)
    plt.close(fig)
    return fig
