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
        "test_recon": "test reconstruction term", "test_kl": "test KL (nats per image)",
        "test_loss": "test loss", "rate": "rate: test KL (nats per image)",
        "distortion": "distortion: test reconstruction (nats per image)", "kl_dim": "average KL (nats)",
        "active": "active", "code_mean": "mean of the codes", "code_var": "variance of the codes",
        "prior": "prior N(0, I)", "noise_rate": "fraction of pixels corrupted", "psnr": "PSNR against clean (dB)",
        "mse": "squared error against clean", "clean_loss": "test loss on clean digits (nats)",
        "z1": "$z_1$", "z2": "$z_2$", "digit": "digit", "rank": "latent dimensions, by average KL",
        "decoded": "decoded pixel value $\\hat x_i$ (target $x_i = 1$)", "pixel_cost": "cost of this pixel",
        "bce_cost": "BCE: $-\\log \\hat x_i$ (nats)", "mse_cost": "squared error: $(1 - \\hat x_i)^2$",
        "l1_cost": "absolute error: $|1 - \\hat x_i|$",
        "after_epoch": "after epoch {}", "clean_digit": "clean digit", "corrupted_input": "corrupted input",
        "noisy_trained": "trained on noisy digits", "denoising": "denoising VAE",
        "clean_trained": "vae-bce, trained on clean digits",
        "clean_matched": "vae-bce, same number of epochs",
        "iteration": "iteration", "smoothed": "moving average over {} iterations", "epoch_mean": "epoch mean",
        "d_loss": "discriminator loss", "g_loss": "generator loss", "d_real": "mean D(x), real images",
        "d_fake": "mean D(G(z)), generated images", "d_output": "discriminator output",
        "equilibrium": "value at equilibrium", "share": "share of images", "uniform": "uniform (0.1)",
        "predicted": "predicted digit", "prior_kl": "prior: KL (nats per image)",
        "feature_recon": "reconstruction in features", "decoder_gan": "decoder's GAN loss",
        "discriminator": "discriminator's loss",
        "gan_sample": "sample", "nearest_training": "nearest\ntraining image", "test_digits": "test digits",
    },
    "zh": {
        "epoch": "训练轮数", "train": "训练集", "test": "测试集", "loss": "损失（纳特/图像）",
        "recon": "重构项", "kl": "KL 项", "total": "训练损失（重构 + KL）",
        "steps": "逐步", "seed": "种子报告 002 的记录", "original": "测试数字", "reconstruction": "重构",
        "dimension": "隐变量维度", "mean": "后验均值", "before": "训练前", "after": "训练后",
        "test_recon": "测试集重构项", "test_kl": "测试集 KL（纳特/图像）",
        "test_loss": "测试集损失", "rate": "码率：测试集 KL（纳特/图像）",
        "distortion": "失真：测试集重构项（纳特/图像）", "kl_dim": "平均 KL（纳特）",
        "active": "活跃", "code_mean": "编码的均值", "code_var": "编码的方差",
        "prior": "先验 N(0, I)", "noise_rate": "被污染像素的比例", "psnr": "相对干净图像的 PSNR（dB）",
        "mse": "相对干净图像的平方误差", "clean_loss": "干净测试图像上的损失（纳特）",
        "z1": "$z_1$", "z2": "$z_2$", "digit": "数字", "rank": "隐变量维度（按平均 KL 排序）",
        "decoded": "解码出的像素值（目标值为 1）", "pixel_cost": "该像素的代价",
        "bce_cost": "BCE（纳特）", "mse_cost": "平方误差", "l1_cost": "绝对误差",
        "after_epoch": "第 {} 轮后", "clean_digit": "干净数字", "corrupted_input": "污染后的输入",
        "noisy_trained": "在噪声数据上训练", "denoising": "去噪 VAE",
        "clean_trained": "vae-bce，在干净数据上训练",
        "clean_matched": "vae-bce，相同训练轮数",
        "iteration": "迭代次数", "smoothed": "{} 次迭代的滑动平均", "epoch_mean": "每轮平均",
        "d_loss": "判别器损失", "g_loss": "生成器损失", "d_real": "真实图像的平均 D(x)",
        "d_fake": "生成图像的平均 D(G(z))", "d_output": "判别器输出",
        "equilibrium": "均衡时的取值", "share": "图像占比", "uniform": "均匀分布（0.1）",
        "predicted": "预测的数字", "prior_kl": "先验项：KL（纳特/图像）",
        "feature_recon": "特征空间重构项", "decoder_gan": "解码器的 GAN 损失",
        "discriminator": "判别器的损失",
        "gan_sample": "样本", "nearest_training": "最近的\n训练图像", "test_digits": "测试集数字",
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


def reconstructions(originals, reconstructed, lang: str = "en"):
    """Test digits (top row) over their reconstructions (bottom row)."""
    t = TEXT[lang]
    return image_rows({t["original"]: originals, t["reconstruction"]: reconstructed})


def _mosaic(images, columns: int) -> np.ndarray:
    """Images tiled into one array, `columns` to a row, with a one-pixel white gap."""
    images = _images(images)
    rows = -(-len(images) // columns)
    canvas = np.zeros((rows * 29 - 1, columns * 29 - 1), dtype=np.float32)
    for i, image in enumerate(images):
        r, c = divmod(i, columns)
        canvas[r * 29 : r * 29 + 28, c * 29 : c * 29 + 28] = image
    return canvas


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


def test_curves(runs: dict, columns=("test_recon", "test_kl"), lang: str = "en"):
    """Per-epoch test columns of several runs, one panel per column: {label: run}."""
    t = TEXT[lang]
    with _style():
        fig, axes = plt.subplots(1, len(columns), figsize=(4.2 * len(columns), 3.2), constrained_layout=True,
                                 squeeze=False)
        for ax, column in zip(axes[0], columns):
            for label, run in runs.items():
                ax.plot(run.history["epoch"], run.history[column], label=label)
            ax.set_xscale("log")
            ax.set_xlabel(t["epoch"])
            ax.set_title(t[column])
        axes[0, 0].legend(frameon=False, fontsize=8)
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


def rate_distortion(points: dict, lang: str = "en"):
    """Test KL against test reconstruction, one point per β: {β: (kl, recon)}."""
    t = TEXT[lang]
    betas = sorted(points)
    kl = [points[b][0] for b in betas]
    recon = [points[b][1] for b in betas]
    with _style():
        fig, ax = plt.subplots(figsize=(5.5, 3.8), constrained_layout=True)
        ax.plot(kl, recon, "o-", color="C0")
        for b, x, y in zip(betas, kl, recon):
            ax.annotate(f"β = {b:g}", (x, y), textcoords="offset points", xytext=(6, 4), fontsize=8)
        ax.set_xlabel(t["rate"])
        ax.set_ylabel(t["distortion"])
    plt.close(fig)
    return fig


def kl_per_dimension(kls: dict, threshold: float, lang: str = "en"):
    """Each latent dimension's average KL, sorted, one line per model: {label: kl vector};
    the dashed line is the threshold above which a dimension counts as active."""
    t = TEXT[lang]
    with _style():
        fig, ax = plt.subplots(figsize=(6.5, 3.4), constrained_layout=True)
        for label, kl in kls.items():
            kl = np.sort(np.asarray(kl))[::-1]
            ax.plot(np.arange(1, len(kl) + 1), np.maximum(kl, 1e-4), "o-", ms=3, label=label)
        ax.axhline(threshold, color="k", ls="--", lw=0.8)
        ax.set_yscale("log")
        ax.xaxis.set_major_locator(plt.MaxNLocator(integer=True))
        ax.set_xlabel(t["rank"])
        ax.set_ylabel(t["kl_dim"])
        ax.legend(frameon=False, fontsize=8, ncol=2)
    plt.close(fig)
    return fig


def traversals(images, dims, values, lang: str = "en"):
    """Decoded images as one latent dimension moves: rows are `dims`, columns `values`."""
    images = np.asarray(images)
    t = TEXT[lang]
    with _style():
        fig, axes = plt.subplots(len(dims), len(values), figsize=(0.85 * len(values) + 0.9, 0.9 * len(dims) + 0.4),
                                 squeeze=False)
        for r, dim in enumerate(dims):
            for c, ax in enumerate(axes[r]):
                _bare(ax)
                ax.imshow(images[r, c].reshape(28, 28), cmap="gray_r", vmin=0, vmax=1)
                if r == len(dims) - 1:
                    ax.set_xlabel(f"{values[c]:+.1f}", fontsize=7)
            axes[r, 0].set_ylabel(f"{t['dimension']} {dim + 1}", fontsize=7, rotation=0, ha="right", va="center")
        fig.subplots_adjust(wspace=0.05, hspace=0.05, left=0.16)
    plt.close(fig)
    return fig


def manifold(images, ticks, lang: str = "en"):
    """A grid of decoded images (n, n, 784) placed at latent coordinates `ticks` (n,)."""
    images = np.asarray(images)
    n = len(ticks)
    t = TEXT[lang]
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
        ax.set_xlabel(t["z1"])
        ax.set_ylabel(t["z2"])
    plt.close(fig)
    return fig


def scatter_by_digit(panels: dict, labels, lang: str = "en", size: float = 4.2):
    """2-D points coloured by their digit, one panel per embedding: {title: (n, 2) points}."""
    t = TEXT[lang]
    labels = np.asarray(labels)
    with _style():
        fig, axes = plt.subplots(1, len(panels), figsize=(size * len(panels) + 0.8, size), constrained_layout=True,
                                 squeeze=False)
        for ax, (title, points) in zip(axes[0], panels.items()):
            points = np.asarray(points)
            for digit in range(10):
                chosen = labels == digit
                ax.scatter(points[chosen, 0], points[chosen, 1], s=2, alpha=0.5, color=plt.cm.tab10(digit),
                           label=str(digit), rasterized=True)
            ax.set_title(title, fontsize=9)
            ax.set_aspect("equal", adjustable="datalim")
        axes[0, -1].legend(title=t["digit"], markerscale=5, frameon=False, fontsize=8, loc="center left",
                           bbox_to_anchor=(1.0, 0.5))
    plt.close(fig)
    return fig


def code_moments(moments: dict, lang: str = "en"):
    """The aggregate posterior per latent dimension, mean and variance, beside the prior's
    0 and 1: {label: (mean vector, variance vector)}."""
    t = TEXT[lang]
    with _style():
        fig, axes = plt.subplots(1, 2, figsize=(10, 3.2), constrained_layout=True)
        width = 0.8 / len(moments)
        for k, (label, (mean, var)) in enumerate(moments.items()):
            dims = np.arange(1, len(mean) + 1) + (k - (len(moments) - 1) / 2) * width
            axes[0].bar(dims, np.asarray(mean), width=width, label=label)
            axes[1].bar(dims, np.asarray(var), width=width, label=label)
        axes[0].axhline(0, color="k", lw=0.8, label=t["prior"])
        axes[1].axhline(1, color="k", lw=0.8, ls="--", label=t["prior"])
        for ax, title in zip(axes, (t["code_mean"], t["code_var"])):
            ax.set_title(title)
            ax.set_xlabel(t["dimension"])
        axes[1].legend(frameon=False, fontsize=8)
    plt.close(fig)
    return fig


def samples_by_rate(runs: dict, lang: str = "en"):
    """Prior samples of one model per corruption rate, {rate: run}: after the first epoch
    (top row) and after the last (bottom row), the same latent draws in every panel."""
    t = TEXT[lang]
    first = {f"{rate:.0%} · {t['after_epoch'].format(1)}": run.artefacts["samples_epoch_1"] for rate, run in runs.items()}
    last = {f"{rate:.0%} · {t['after_epoch'].format(run.config.epochs)}": run.artefacts["samples"]
            for rate, run in runs.items()}
    return sample_grids(first | last, per_row=len(runs))


def denoising_rows(clean, examples: dict, lang: str = "en", scale: float = 0.8):
    """Clean digits, then for each corruption rate the corrupted digits and the models'
    reconstructions of them: {rate: {key of the label table: images}}."""
    t = TEXT[lang]
    rows = {t["clean_digit"]: clean}
    for rate, images in examples.items():
        rows |= {f"{t[key]} ({rate:.0%})": row for key, row in images.items()}
    return image_rows(rows, scale=scale)


NOISE_SERIES_COLOURS = {"corrupted_input": "0.55", "noisy_trained": "C0", "denoising": "C1", "clean_trained": "C2"}


def noise_curves(rates, series: dict, ylabel: str, reference: dict | None = None, lang: str = "en"):
    """Values against the corruption rate, one line per series: {key: values}; `reference`
    {key: value} draws horizontal lines. Series, references and `ylabel` are keys of the
    label table, and each series keeps its colour from figure to figure."""
    t = TEXT[lang]
    with _style():
        fig, ax = plt.subplots(figsize=(5.5, 3.6), constrained_layout=True)
        for key, values in series.items():
            ax.plot(rates, values, "o-", color=NOISE_SERIES_COLOURS.get(key), label=t[key])
        for key, value in (reference or {}).items():
            ax.axhline(value, color="0.3", ls="--", lw=0.9, label=t[key])
        ax.set_xscale("log")
        ax.set_xticks(rates, [f"{r:.0%}" for r in rates])
        ax.set_xlabel(t["noise_rate"])
        ax.set_ylabel(t[ylabel])
        ax.legend(frameon=False, fontsize=8)
    plt.close(fig)
    return fig


def pixel_costs(lang: str = "en"):
    """What one pixel whose target is 1 costs under each reconstruction loss as the decoded
    value moves from 0 to 1: -log x̂ (BCE, in nats), (1 - x̂)² and |1 - x̂|. The squared and
    absolute errors never exceed 1 per pixel; the BCE grows without bound."""
    t = TEXT[lang]
    decoded = np.linspace(0.01, 1, 400)
    with _style():
        fig, ax = plt.subplots(figsize=(5.5, 3.4), constrained_layout=True)
        ax.plot(decoded, -np.log(decoded), label=t["bce_cost"])
        ax.plot(decoded, (1 - decoded) ** 2, label=t["mse_cost"])
        ax.plot(decoded, 1 - decoded, label=t["l1_cost"])
        ax.set_ylim(0, 3)
        ax.set_xlim(0, 1)
        ax.set_xlabel(t["decoded"])
        ax.set_ylabel(t["pixel_cost"])
        ax.legend(frameon=False, fontsize=8)
    plt.close(fig)
    return fig


def _moving_average(values: np.ndarray, window: int) -> np.ndarray:
    window = max(1, min(window, len(values)))
    return np.convolve(values, np.ones(window) / window, mode="valid")


STEP_TITLES = {"prior": "prior_kl"}  # "prior" alone labels the prior N(0, I) elsewhere


def step_losses(run, columns, references: dict | None = None, window: int = 200, lang: str = "en"):
    """One panel per loss: its per-iteration values smoothed by a moving average, with the
    epoch means on top, and where given a horizontal reference line {column: value}.
    `columns` are the run's step-loss columns to draw, in its `meta["step_columns"]` order."""
    t = TEXT[lang]
    steps = np.asarray(run.artefacts["step_loss"])
    per_epoch = len(steps) / len(run.history["epoch"])
    with _style():
        fig, axes = plt.subplots(1, len(columns), figsize=(3.6 * len(columns), 3.1), constrained_layout=True,
                                 squeeze=False)
        for ax, column in zip(axes[0], columns):
            values = steps[:, run.meta["step_columns"].index(column)]
            smooth = _moving_average(values, window)
            x = (np.arange(len(smooth)) + len(values) - len(smooth) + 1) / per_epoch
            ax.plot(x, smooth, color="C0", lw=1, label=t["smoothed"].format(min(window, len(values))))
            ax.plot(run.history["epoch"], run.history[column], "o", color="C1", ms=3, label=t["epoch_mean"])
            if references and column in references:
                ax.axhline(references[column], color="0.4", ls="--", lw=1, label=t["equilibrium"])
            ax.set_title(t[STEP_TITLES.get(column, column)])
            ax.set_xlabel(t["epoch"])
        axes[0, 0].legend(frameon=False, fontsize=7)
    plt.close(fig)
    return fig


def discriminator_outputs(history: dict, lang: str = "en"):
    """Mean D(x) on real and D(G(z)) on generated images per epoch, and the 1/2 that an
    optimal discriminator outputs everywhere once the generator matches the data."""
    t = TEXT[lang]
    with _style():
        fig, ax = plt.subplots(figsize=(5, 3.1), constrained_layout=True)
        ax.plot(history["epoch"], history["d_real"], "o-", ms=3, label=t["d_real"])
        ax.plot(history["epoch"], history["d_fake"], "o-", ms=3, label=t["d_fake"])
        ax.axhline(0.5, color="0.4", ls="--", lw=1, label=t["equilibrium"])
        ax.set_ylim(0, 1)
        ax.set_xlabel(t["epoch"])
        ax.set_ylabel(t["d_output"])
        ax.legend(frameon=False, fontsize=8)
    plt.close(fig)
    return fig


def class_shares(shares: dict, lang: str = "en"):
    """Grouped bars: the share of images the classifier assigns to each digit, per source
    {label: ten shares}, against the uniform 0.1."""
    t = TEXT[lang]
    width = 0.8 / len(shares)
    with _style():
        fig, ax = plt.subplots(figsize=(7, 3.1), constrained_layout=True)
        for i, (label, values) in enumerate(shares.items()):
            ax.bar(np.arange(10) + (i - (len(shares) - 1) / 2) * width, np.asarray(values), width, label=label)
        ax.axhline(0.1, color="0.3", ls="--", lw=1, label=t["uniform"])
        ax.set_xticks(range(10))
        ax.set_xlabel(t["predicted"])
        ax.set_ylabel(t["share"])
        ax.legend(frameon=False, fontsize=8, ncol=2)
    plt.close(fig)
    return fig


def nearest_training(samples, nearest, lang: str = "en"):
    """Generated images (top row) above the training image nearest to each in pixel space
    (bottom row): a model that copied its training data would show the same digit twice."""
    t = TEXT[lang]
    return image_rows({t["gan_sample"]: samples, t["nearest_training"]: nearest})
