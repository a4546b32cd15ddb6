"""Figures: pure functions from runs or tensors to matplotlib figures.

Each function closes its figure before returning it, so pyplot keeps no state and a
notebook shows the returned figure exactly once. Words are the caller's: every title, axis
label and legend entry is a keyword argument (`xlabel=`, `ylabel=`, `..._label=`), so the
same figure can be drawn in any language.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Sequence
from contextlib import contextmanager

import matplotlib.pyplot as plt
import numpy as np
import torch
from matplotlib import font_manager

from .errors import MissingTool

CJK_FONTS = ("Noto Sans CJK SC", "Noto Serif CJK SC", "Source Han Sans SC", "WenQuanYi Zen Hei", "SimHei")
CJK_FILE = re.compile(r"(NotoSansCJK|NotoSerifCJK|SourceHanSans|wqy-zenhei|simhei)", re.IGNORECASE)


@functools.cache
def cjk_fonts() -> tuple[str, ...]:
    """The CJK families of `CJK_FONTS` that matplotlib can draw with. Matplotlib keeps a list
    of the system's fonts from the first time it ran, so fonts installed since are missing
    from it: the CJK font files the system has now are added to it here, by path."""
    def known():
        return {f.name for f in font_manager.fontManager.ttflist}

    if not known() & set(CJK_FONTS):
        for path in font_manager.findSystemFonts():
            if CJK_FILE.search(path):
                font_manager.fontManager.addfont(path)
    return tuple(f for f in CJK_FONTS if f in known())


def require_cjk_font() -> None:
    """Raises a one-line error unless a CJK font is available for Chinese labels."""
    if not cjk_fonts():
        raise MissingTool("no CJK font for the figures' Chinese labels; install Noto CJK "
                           "(Debian/Ubuntu: sudo apt install fonts-noto-cjk; elsewhere Noto Sans CJK SC)")


@contextmanager
def _style():
    # Matplotlib falls back glyph by glyph along the family list, so Chinese labels find a
    # CJK font while Latin text keeps DejaVu Sans.
    with plt.rc_context({"font.family": ["DejaVu Sans", *cjk_fonts()], "axes.spines.top": False,
                         "axes.spines.right": False, "axes.unicode_minus": False, "figure.dpi": 110}):
        yield


# The one style of every figure of the package, for the modules that draw outside this one
# (`diagrams`).
style = _style


def _images(images, side: int = 28) -> np.ndarray:
    return np.asarray(images, dtype=np.float32).reshape(-1, side, side)


def loss_curves(run, reference: dict | None = None, *, titles: Sequence[str], xlabel: str, ylabel: str,
                steps_label: str, train_label: str, test_label: str, reference_label: str = ""):
    """Three panels per epoch on a log axis, titled `titles`: the train loss (with its per-step
    values and, when given, a reference log {epoch: (loss, recon, kl)}), the reconstruction
    term and the KL term, train and test."""
    h = run.history
    with _style():
        fig, axes = plt.subplots(1, 3, figsize=(11, 3.3), constrained_layout=True)
        steps = np.asarray(run.artefacts["step_loss"])
        per_epoch = len(steps) / len(h["epoch"])
        axes[0].plot((np.arange(len(steps)) + 1) / per_epoch, steps, color="0.8", lw=0.5, label=steps_label)
        axes[0].plot(h["epoch"], h["train_loss"], color="C0", label=train_label)
        for ax, column in ((axes[1], "recon"), (axes[2], "kl")):
            ax.plot(h["epoch"], h[f"train_{column}"], color="C0", label=train_label)
            ax.plot(h["epoch"], h[f"test_{column}"], color="C1", label=test_label)
        for ax, title in zip(axes, titles):
            ax.set_title(title)
        if reference:
            epochs = sorted(reference)
            for i, ax in enumerate(axes):
                ax.plot(epochs, [reference[e][i] for e in epochs], "k^", ms=6, label=reference_label)
        for ax in axes:
            ax.set_xscale("log")
            ax.set_xlabel(xlabel)
            ax.legend(frameon=False, fontsize=8)
        axes[0].set_ylim(top=min(axes[0].get_ylim()[1], 1.15 * max(h["train_loss"][0], steps[len(steps) // 20])))
        axes[0].set_ylabel(ylabel)
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


def _bare(ax) -> None:
    ax.set_xticks([])
    ax.set_yticks([])
    ax.spines[:].set_visible(False)


def image_rows(rows: dict, scale: float = 1.0):
    """Rows of images, each labelled on its left: {label: images}."""
    rows = {label: _images(images) for label, images in rows.items()}
    columns = max(len(images) for images in rows.values())
    with _style():
        fig, axes = plt.subplots(len(rows), columns, figsize=(scale * columns + 0.8, scale * 1.05 * len(rows)),
                                 squeeze=False)
        for row, (label, images) in enumerate(rows.items()):
            for column, ax in enumerate(axes[row]):
                _bare(ax)
                if column < len(images):
                    ax.imshow(images[column], cmap="gray_r", vmin=0, vmax=1)
            axes[row, 0].set_ylabel(label, fontsize=8, rotation=0, ha="right", va="center")
        fig.subplots_adjust(wspace=0.05, hspace=0.08, left=0.12)
    plt.close(fig)
    return fig


def reconstructions(originals, reconstructed, *, original_label: str, reconstruction_label: str):
    """Test digits (top row) over their reconstructions (bottom row)."""
    return image_rows({original_label: originals, reconstruction_label: reconstructed})


def _mosaic(images, columns: int) -> np.ndarray:
    """Images tiled into one array, `columns` to a row, with a one-pixel white gap."""
    from torchvision.utils import make_grid  # torchvision takes a second to import; only grids need it

    tiles = torch.as_tensor(_images(images))[:, None]
    return make_grid(tiles, nrow=columns, padding=1, pad_value=0.0)[0].numpy()


def sample_grids(panels: dict, columns: int = 8, per_row: int = 4, size: float = 2.4):
    """Panels of images side by side, `per_row` panels to a row: {title: images}."""
    n_rows = -(-len(panels) // per_row)
    n_columns = min(per_row, len(panels))
    with _style():
        fig, axes = plt.subplots(n_rows, n_columns, figsize=(size * n_columns, size * n_rows + 0.3 * n_rows),
                                 squeeze=False, constrained_layout=True)
        for ax in axes.flat:
            ax.set_axis_off()
        for ax, (title, images) in zip(axes.flat, panels.items()):
            ax.imshow(_mosaic(images, columns), cmap="gray_r", vmin=0, vmax=1)
            ax.set_title(title, fontsize=9)
    plt.close(fig)
    return fig


def test_curves(runs: dict, columns=("test_recon", "test_kl"), *, titles: Sequence[str], xlabel: str):
    """Per-epoch history columns of several runs, one panel per column titled by `titles`:
    {label: run}."""
    with _style():
        # At most a page's width: three panels share it rather than run off it.
        fig, axes = plt.subplots(1, len(columns), figsize=(min(4.2 * len(columns), 8.4), 3.2),
                                 constrained_layout=True, squeeze=False)
        for ax, column, title in zip(axes[0], columns, titles):
            for label, run in runs.items():
                ax.plot(run.history["epoch"], run.history[column], label=label)
            ax.set_xscale("log")
            ax.set_xlabel(xlabel)
            ax.set_title(title)
        axes[0, 0].legend(frameon=False, fontsize=8)
    plt.close(fig)
    return fig


def latent_mean_change(before, after, *, xlabel: str, ylabel: str, before_label: str, after_label: str):
    """One image's posterior mean, dimension by dimension, before and after training."""
    before, after = np.asarray(before), np.asarray(after)
    dims = np.arange(1, len(before) + 1)
    with _style():
        fig, ax = plt.subplots(figsize=(8, 2.8), constrained_layout=True)
        ax.bar(dims - 0.2, before, width=0.4, color="0.6", label=before_label)
        ax.bar(dims + 0.2, after, width=0.4, color="C0", label=after_label)
        ax.axhline(0, color="k", lw=0.6)
        ax.set_xticks(dims)
        ax.set_xlabel(xlabel)
        ax.set_ylabel(ylabel)
        ax.legend(frameon=False)
    plt.close(fig)
    return fig


def rate_distortion(points: dict, *, xlabel: str, ylabel: str):
    """Test KL against test reconstruction, one point per β: {β: (kl, recon)}."""
    betas = sorted(points)
    kl = [points[b][0] for b in betas]
    recon = [points[b][1] for b in betas]
    with _style():
        fig, ax = plt.subplots(figsize=(5.5, 3.8), constrained_layout=True)
        ax.plot(kl, recon, "o-", color="C0")
        for b, x, y in zip(betas, kl, recon):
            ax.annotate(f"β = {b:g}", (x, y), textcoords="offset points", xytext=(6, 4), fontsize=8)
        ax.set_xlabel(xlabel)
        ax.set_ylabel(ylabel)
    plt.close(fig)
    return fig


def kl_per_dimension(kls: dict, threshold: float, *, xlabel: str, ylabel: str):
    """Each latent dimension's average KL, sorted, one line per model: {label: kl vector};
    the dashed line is the threshold above which a dimension counts as active."""
    with _style():
        fig, ax = plt.subplots(figsize=(6.5, 3.4), constrained_layout=True)
        for label, kl in kls.items():
            kl = np.sort(np.asarray(kl))[::-1]
            ax.plot(np.arange(1, len(kl) + 1), np.maximum(kl, 1e-4), "o-", ms=3, label=label)
        ax.axhline(threshold, color="k", ls="--", lw=0.8)
        ax.set_yscale("log")
        ax.xaxis.set_major_locator(plt.MaxNLocator(integer=True))
        ax.set_xlabel(xlabel)
        ax.set_ylabel(ylabel)
        ax.legend(frameon=False, fontsize=8, ncol=2)
    plt.close(fig)
    return fig


def traversals(images, dims, values, *, dimension_label: str):
    """Decoded images as one latent dimension moves: rows are `dims` (labelled
    "<dimension_label> <number from 1>"), columns `values`."""
    images = np.asarray(images)
    with _style():
        fig, axes = plt.subplots(len(dims), len(values), figsize=(0.85 * len(values) + 0.9, 0.9 * len(dims) + 0.4),
                                 squeeze=False)
        for r, dim in enumerate(dims):
            for c, ax in enumerate(axes[r]):
                _bare(ax)
                ax.imshow(images[r, c].reshape(28, 28), cmap="gray_r", vmin=0, vmax=1)
                if r == len(dims) - 1:
                    ax.set_xlabel(f"{values[c]:+.1f}", fontsize=7)
            axes[r, 0].set_ylabel(f"{dimension_label} {dim + 1}", fontsize=7, rotation=0, ha="right", va="center")
        fig.subplots_adjust(wspace=0.05, hspace=0.05, left=0.16)
    plt.close(fig)
    return fig


def manifold(images, ticks, *, xlabel: str, ylabel: str):
    """A grid of decoded images (n, n, 784) placed at latent coordinates `ticks` (n,)."""
    images = np.asarray(images)
    n = len(ticks)
    canvas = np.zeros((28 * n, 28 * n), dtype=np.float32)
    for i in range(n):  # row i holds the i-th largest z2, so that z2 grows upwards
        for j in range(n):
            canvas[i * 28 : (i + 1) * 28, j * 28 : (j + 1) * 28] = images[n - 1 - i, j].reshape(28, 28)
    with _style():
        fig, ax = plt.subplots(figsize=(5.6, 5.6), constrained_layout=True)
        ax.imshow(canvas, cmap="gray_r", vmin=0, vmax=1)
        positions = np.arange(n) * 28 + 14
        shown = np.linspace(0, n - 1, 5).round().astype(int)
        ax.set_xticks(positions[shown], [f"{ticks[k]:.2f}" for k in shown])
        ax.set_yticks(positions[shown], [f"{ticks[n - 1 - k]:.2f}" for k in shown])
        ax.set_xlabel(xlabel)
        ax.set_ylabel(ylabel)
    plt.close(fig)
    return fig


def scatter_by_digit(panels: dict, digits, *, legend_title: str, size: float = 4.2):
    """2-D points coloured by their digit, one panel per embedding: {title: (n, 2) points}."""
    digits = np.asarray(digits)
    with _style():
        fig, axes = plt.subplots(1, len(panels), figsize=(size * len(panels) + 0.8, size), constrained_layout=True,
                                 squeeze=False)
        for ax, (title, points) in zip(axes[0], panels.items()):
            points = np.asarray(points)
            for digit in range(10):
                chosen = digits == digit
                ax.scatter(points[chosen, 0], points[chosen, 1], s=2, alpha=0.5, color=plt.cm.tab10(digit),
                           label=str(digit), rasterized=True)
            ax.set_title(title, fontsize=9)
            ax.set_aspect("equal", adjustable="datalim")
        axes[0, -1].legend(title=legend_title, markerscale=5, frameon=False, fontsize=8, loc="center left",
                           bbox_to_anchor=(1.0, 0.5))
    plt.close(fig)
    return fig


def code_moments(moments: dict, *, titles: Sequence[str], xlabel: str, prior_label: str):
    """The aggregate posterior per latent dimension, mean and variance (the two panels'
    `titles`), beside the prior's 0 and 1: {label: (mean vector, variance vector)}."""
    with _style():
        fig, axes = plt.subplots(1, 2, figsize=(10, 3.2), constrained_layout=True)
        width = 0.8 / len(moments)
        for k, (label, (mean, var)) in enumerate(moments.items()):
            dims = np.arange(1, len(mean) + 1) + (k - (len(moments) - 1) / 2) * width
            axes[0].bar(dims, np.asarray(mean), width=width, label=label)
            axes[1].bar(dims, np.asarray(var), width=width, label=label)
        axes[0].axhline(0, color="k", lw=0.8, label=prior_label)
        axes[1].axhline(1, color="k", lw=0.8, ls="--", label=prior_label)
        for ax, title in zip(axes, titles):
            ax.set_title(title)
            ax.set_xlabel(xlabel)
        axes[1].legend(frameon=False, fontsize=8)
    plt.close(fig)
    return fig


def samples_by_rate(runs: dict, *, after_epoch: str):
    """Prior samples of one model per corruption rate, {rate: run}: after the first epoch
    (top row) and after the last (bottom row), the same latent draws in every panel, titled
    by the rate and `after_epoch` (a format string of the epoch: "after epoch {}")."""
    first = {f"{rate:.0%} · {after_epoch.format(1)}": run.artefacts["samples_epoch_1"] for rate, run in runs.items()}
    last = {f"{rate:.0%} · {after_epoch.format(run.config.epochs)}": run.artefacts["samples"]
            for rate, run in runs.items()}
    return sample_grids(first | last, per_row=len(runs))


def denoising_rows(clean, examples: dict, *, clean_label: str, scale: float = 0.8):
    """Clean digits (labelled `clean_label`), then for each corruption rate the corrupted
    digits and the models' reconstructions of them: {rate: {row label: images}}; each row's
    label gets its rate."""
    rows = {clean_label: clean}
    for rate, images in examples.items():
        rows |= {f"{label} ({rate:.0%})": row for label, row in images.items()}
    return image_rows(rows, scale=scale)


def noise_curves(rates, series: dict, reference: dict | None = None, *, xlabel: str, ylabel: str,
                 colours: dict | None = None):
    """Values against the corruption rate, one line per series: {label: values}, each in its
    colour of `colours` ({label: colour}, so that a series keeps its colour from figure to
    figure); `reference` {label: value} draws horizontal lines."""
    colours = colours or {}
    with _style():
        fig, ax = plt.subplots(figsize=(5.5, 3.6), constrained_layout=True)
        for label, values in series.items():
            ax.plot(rates, values, "o-", color=colours.get(label), label=label)
        for label, value in (reference or {}).items():
            ax.axhline(value, color="0.3", ls="--", lw=0.9, label=label)
        ax.set_xscale("log")
        ax.set_xticks(rates, [f"{r:.0%}" for r in rates])
        ax.set_xlabel(xlabel)
        ax.set_ylabel(ylabel)
        ax.legend(frameon=False, fontsize=8)
    plt.close(fig)
    return fig


def pixel_costs(*, xlabel: str, ylabel: str, bce_label: str, mse_label: str, l1_label: str):
    """What one pixel whose target is 1 costs under each reconstruction loss as the decoded
    value moves from 0 to 1: -log x̂ (BCE, in nats), (1 - x̂)² and |1 - x̂|. The squared and
    absolute errors never exceed 1 per pixel; the BCE grows without bound."""
    decoded = np.linspace(0.01, 1, 400)
    with _style():
        fig, ax = plt.subplots(figsize=(5.5, 3.4), constrained_layout=True)
        ax.plot(decoded, -np.log(decoded), label=bce_label)
        ax.plot(decoded, (1 - decoded) ** 2, label=mse_label)
        ax.plot(decoded, 1 - decoded, label=l1_label)
        ax.set_ylim(0, 3)
        ax.set_xlim(0, 1)
        ax.set_xlabel(xlabel)
        ax.set_ylabel(ylabel)
        ax.legend(frameon=False, fontsize=8)
    plt.close(fig)
    return fig


def _moving_average(values: np.ndarray, window: int) -> np.ndarray:
    window = max(1, min(window, len(values)))
    return np.convolve(values, np.ones(window) / window, mode="valid")


def step_losses(run, columns, references: dict | None = None, window: int = 200, *, titles: Sequence[str],
                xlabel: str, smoothed_label: str, epoch_mean_label: str, reference_label: str = ""):
    """One panel per loss, titled by `titles`: its per-iteration values smoothed by a moving
    average (labelled `smoothed_label`, a format string of the window), with the epoch means
    on top, and where given a horizontal reference line {column: value}. `columns` are the
    run's step-loss columns to draw, in its `meta["step_columns"]` order."""
    steps = np.asarray(run.artefacts["step_loss"])
    per_epoch = len(steps) / len(run.history["epoch"])
    # At most two panels a row: a page shows a figure about 6 inches wide, and a row of four
    # 3.6-inch panels was shrunk to half its size, tick labels and all.
    n_columns = min(2, len(columns))
    n_rows = -(-len(columns) // n_columns)
    with _style():
        fig, axes = plt.subplots(n_rows, n_columns, figsize=(3.6 * n_columns, 3.1 * n_rows), constrained_layout=True,
                                 squeeze=False)
        for ax in axes.flat[len(columns):]:
            ax.set_visible(False)
        for ax, column, title in zip(axes.flat, columns, titles):
            values = steps[:, run.meta["step_columns"].index(column)]
            smooth = _moving_average(values, window)
            x = (np.arange(len(smooth)) + len(values) - len(smooth) + 1) / per_epoch
            ax.plot(x, smooth, color="C0", lw=1, label=smoothed_label.format(min(window, len(values))))
            ax.plot(run.history["epoch"], run.history[column], "o", color="C1", ms=3, label=epoch_mean_label)
            if references and column in references:
                ax.axhline(references[column], color="0.4", ls="--", lw=1, label=reference_label)
            ax.set_title(title)
            ax.set_xlabel(xlabel)
        axes[0, 0].legend(frameon=False, fontsize=8)
    plt.close(fig)
    return fig


def discriminator_outputs(history: dict, *, xlabel: str, ylabel: str, real_label: str, fake_label: str,
                          equilibrium_label: str):
    """Mean D(x) on real and D(G(z)) on generated images per epoch, and the 1/2 that an
    optimal discriminator outputs everywhere once the generator matches the data."""
    with _style():
        fig, ax = plt.subplots(figsize=(5, 3.1), constrained_layout=True)
        ax.plot(history["epoch"], history["d_real"], "o-", ms=3, label=real_label)
        ax.plot(history["epoch"], history["d_fake"], "o-", ms=3, label=fake_label)
        ax.axhline(0.5, color="0.4", ls="--", lw=1, label=equilibrium_label)
        ax.set_ylim(0, 1)
        ax.set_xlabel(xlabel)
        ax.set_ylabel(ylabel)
        ax.legend(frameon=False, fontsize=8)
    plt.close(fig)
    return fig


def class_shares(shares: dict, *, xlabel: str, ylabel: str, uniform_label: str):
    """Grouped bars: the share of images the classifier assigns to each digit, per source
    {label: ten shares}, against the uniform 0.1."""
    width = 0.8 / len(shares)
    with _style():
        fig, ax = plt.subplots(figsize=(7, 3.1), constrained_layout=True)
        for i, (label, values) in enumerate(shares.items()):
            ax.bar(np.arange(10) + (i - (len(shares) - 1) / 2) * width, np.asarray(values), width, label=label)
        ax.axhline(0.1, color="0.3", ls="--", lw=1, label=uniform_label)
        ax.set_xticks(range(10))
        ax.set_xlabel(xlabel)
        ax.set_ylabel(ylabel)
        ax.legend(frameon=False, fontsize=8, ncol=2)
    plt.close(fig)
    return fig


def nearest_training(samples, nearest, *, sample_label: str, nearest_label: str):
    """Generated images (top row) above the training image nearest to each in pixel space
    (bottom row): a model that copied its training data would show the same digit twice."""
    return image_rows({sample_label: samples, nearest_label: nearest})
