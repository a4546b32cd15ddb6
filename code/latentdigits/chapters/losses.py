"""Chapter "Reconstruction losses": the MLP VAE trained with BCE, squared and absolute error,
and course report 001's convolutional VAE, measured against the report's impressions of
blur and brightness."""

from __future__ import annotations

import math

from IPython.display import Markdown
from vaebook import measure, metrics, plots

from .. import tables
from ..experiments import LOSS_MODELS, runs
from ..figures import uses
from ..text import choose, compare, comparative, labels, number
from . import chapter_facts

PIXELS = 784
# The plain sums `vae-mse` and `vae-l1` minimise are these likelihoods at these parameters.
GAUSSIAN_VARIANCE = 0.5
LAPLACE_SCALE = 1.0

# The English phrases that lead straight into the compared model carry their "than" or "as",
# which differs between the branches.
KL_AMOUNT = {"en": ("more", "about as much", "less"), "zh": ("更多", "差不多", "更少")}
KL_AMOUNT_THAN = {"en": ("more than", "about as much as", "less than"), "zh": KL_AMOUNT["zh"]}
RECON_ERROR = {"en": ("a larger squared error than", "about the same squared error as", "a smaller squared error than"),
               "zh": ("比 MSE 模型更大", "与 MSE 模型相当", "比 MSE 模型更小")}
CONV_STANDING = {"en": ("the better model", "on a par with the MLP", "the worse model"),
                 "zh": ("更好", "与多层感知机相当", "更差")}
MSE_INK = {"en": ("more ink than", "about as much ink as", "less ink than"),
           "zh": ("比 `vae-bce` 的样本多", "与 `vae-bce` 的样本差不多", "比 `vae-bce` 的样本少")}
MSE_SHARPNESS = {"en": ("sharper than", "about as sharp as", "blurrier than"), "zh": ("更高", "相当", "更低")}
SHARPNESS = {"en": ("sharper than", "about as sharp as", "blurrier than"),
             "zh": ("更清晰", "清晰程度相当", "更模糊")}
HOLDS = {"en": ("holds", "does not hold"), "zh": ("成立", "不成立")}
L1_INK = {"en": ("the least ink of the three, as the median predicts",
                 "not the least ink of the three, against what the median predicts"),
          "zh": ("是三者中最少的，与中位数的预测一致", "并不是三者中最少的，与中位数的预测不符")}
# Indexed by how many of the other two losses' samples the L1 samples are sharper than.
L1_RANKING = {"en": ("does not hold", "holds in part", "holds"), "zh": ("不成立", "只部分成立", "成立")}
L1_EDGES = {"en": ("the highest of the three", "not the highest of the three"),
            "zh": ("是三者中最高的", "并不是三者中最高的")}
L1_RECON_INK = {"en": ("puts back the least ink", "does not put back the least ink"),
                "zh": ("最少", "并不是最少的")}
MEANS_INK = {"en": ("put back the digits' own amount of ink to within 1 %, as a mean should",
                    "do not put back the digits' own amount of ink, as a well-fitted mean would"),
             "zh": ("还原的墨迹量与原图相差不到 1%，正符合均值的性质",
                    "还原的墨迹量与原图并不相符，而拟合良好的均值本应相符")}
# The end of the sentence on the conv VAE's samples, with its full stop: a remark only when
# they look different. Never empty: Quarto shows an inline expression with no output as source.
CONV_LOOK = {"en": (".", ": the loss is not the only thing that sets the look of a sample."),
             "zh": ("。", "：决定样本外观的不只是损失。")}


def gaussian_constant(variance: float, pixels: int = PIXELS) -> float:
    """The part of -log N(x | x̂, σ²I) without a gradient, (pixels / 2) log(2πσ²): how far the
    plain squared error is from the Gaussian likelihood it stands for, in nats per image."""
    return pixels / 2 * math.log(2 * math.pi * variance)


def laplace_constant(scale: float, pixels: int = PIXELS) -> float:
    """The part of -log Laplace(x | x̂, b) without a gradient, pixels · log(2b)."""
    return pixels * math.log(2 * scale)


def at_epoch(history: dict, epoch: int, columns=("test_loss", "test_recon", "test_kl")) -> dict[str, float]:
    """The history's `columns` after `epoch` (counted from 1): a longer run seen at a shorter one's length."""
    return {column: history[column][epoch - 1] for column in columns}


def sharper_count(stats: dict, name: str, others) -> int:
    """How many of `others`' samples the samples of `name` beat in sharpness by more than 1 %."""
    return sum(compare(stats[name]["sample_sharpness"], stats[other]["sample_sharpness"]) > 0 for other in others)


def edges_per_ink(stats: dict) -> dict[str, float]:
    """Sample sharpness per unit of mean intensity, by model. Sharpness grows with the amount
    of ink as well as with crisp edges; divided by the ink, only the edges count."""
    return {name: s["sample_sharpness"] / s["sample_intensity"] for name, s in stats.items()}


def lowest(values: dict, name: str) -> bool:
    """Whether `name`'s value is strictly below every other's."""
    return values[name] < min(value for other, value in values.items() if other != name)


def highest(values: dict, name: str) -> bool:
    """Whether `name`'s value is strictly above every other's."""
    return values[name] > max(value for other, value in values.items() if other != name)


def keeps_ink(stats) -> bool:
    """Whether every model's reconstructions hold the test digits' mean intensity to within
    1 %, as a decoder of the mean should."""
    return all(compare(s["recon_intensity"], s["test_intensity"]) == 0 for s in stats)


def per_pixel_rms(summed_squares: float, pixels: int = PIXELS) -> float:
    """The root-mean-square pixel difference behind a squared error summed over an image."""
    return math.sqrt(summed_squares / pixels)


def _runs() -> dict:
    return runs(*LOSS_MODELS)


def _stats() -> dict[str, dict[str, float]]:
    return {name: measure.image_stats(run) for name, run in _runs().items()}


def facts(lang: str):
    all_runs, stats = _runs(), _stats()
    bce, mse, l1, conv = (all_runs[name] for name in LOSS_MODELS)
    sb, sm, sl, sc = (stats[name] for name in LOSS_MODELS)
    mlp = {name: stats[name] for name in ("vae-bce", "vae-mse", "vae-l1")}
    kl = {name: r.metrics["test_kl"] for name, r in all_runs.items()}
    conv_epochs = conv.config.epochs
    bce_at_conv = at_epoch(bce.history, conv_epochs)
    edges = edges_per_ink(mlp)
    return chapter_facts(
        __name__, lang,
        gaussian_constant=number(gaussian_constant(GAUSSIAN_VARIANCE), 1),
        laplace_constant=number(laplace_constant(LAPLACE_SCALE), 1),
        gaussian_sd=number(math.sqrt(GAUSSIAN_VARIANCE)),
        bce_kl=number(kl["vae-bce"]), mse_kl=number(kl["vae-mse"]), l1_kl=number(kl["vae-l1"]),
        mse_kl_vs_bce=comparative(kl["vae-mse"], kl["vae-bce"], *KL_AMOUNT[lang]),
        l1_kl_vs_bce=comparative(kl["vae-l1"], kl["vae-bce"], *KL_AMOUNT_THAN[lang]),
        bce_kl_vs_mse=comparative(kl["vae-bce"], kl["vae-mse"], *KL_AMOUNT[lang]),
        mlp_latent_dim=bce.config.latent_dim, conv_latent_dim=conv.config.latent_dim,
        conv_channels=conv.config.channels, conv_channels_wide=2 * conv.config.channels,
        mlp_epochs=bce.config.epochs, conv_epochs=conv_epochs,
        conv_seconds_per_epoch=number(conv.meta["seconds_per_epoch"], 1), conv_device_name=conv.meta["device_name"],
        mse_rms=number(per_pixel_rms(mse.metrics["test_recon"]), 3),
        l1_mean_abs=number(l1.metrics["test_recon"] / PIXELS, 3),
        bce_recon_mse=number(sb["recon_mse"]), mse_recon_mse=number(sm["recon_mse"]),
        bce_recon_mse_vs_mse=comparative(sb["recon_mse"], sm["recon_mse"], *RECON_ERROR[lang]),
        bce_recon_at_conv=number(bce_at_conv["test_recon"]), bce_kl_at_conv=number(bce_at_conv["test_kl"]),
        bce_loss_at_conv=number(bce_at_conv["test_loss"]),
        conv_recon=number(conv.metrics["test_recon"]), conv_kl=number(conv.metrics["test_kl"]),
        conv_loss=number(conv.metrics["test_loss"]), bce_loss=number(bce.metrics["test_loss"]),
        conv_standing=comparative(bce_at_conv["test_loss"], conv.metrics["test_loss"], *CONV_STANDING[lang]),
        bce_sample_intensity=number(sb["sample_intensity"], 3), mse_sample_intensity=number(sm["sample_intensity"], 3),
        l1_sample_intensity=number(sl["sample_intensity"], 3), conv_sample_intensity=number(sc["sample_intensity"], 3),
        bce_sharpness=number(sb["sample_sharpness"], 3), mse_sharpness=number(sm["sample_sharpness"], 3),
        l1_sharpness=number(sl["sample_sharpness"], 3), conv_sharpness=number(sc["sample_sharpness"], 3),
        mse_ink_vs_bce=comparative(sm["sample_intensity"], sb["sample_intensity"], *MSE_INK[lang]),
        mse_sharpness_vs_bce=comparative(sm["sample_sharpness"], sb["sample_sharpness"], *MSE_SHARPNESS[lang]),
        dimmer_verdict=choose(compare(sm["sample_intensity"], sb["sample_intensity"]) < 0, *HOLDS[lang]),
        cleaner_verdict=choose(compare(sm["sample_sharpness"], sb["sample_sharpness"]) > 0, *HOLDS[lang]),
        l1_sharpness_vs_bce=comparative(sl["sample_sharpness"], sb["sample_sharpness"], *SHARPNESS[lang]),
        l1_sharpness_vs_mse=comparative(sl["sample_sharpness"], sm["sample_sharpness"], *SHARPNESS[lang]),
        l1_ink_verdict=choose(lowest({n: s["sample_intensity"] for n, s in mlp.items()}, "vae-l1"), *L1_INK[lang]),
        l1_ranking_verdict=L1_RANKING[lang][sharper_count(stats, "vae-l1", ("vae-bce", "vae-mse"))],
        bce_edges_per_ink=number(edges["vae-bce"]), mse_edges_per_ink=number(edges["vae-mse"]),
        l1_edges_per_ink=number(edges["vae-l1"]),
        test_edges_per_ink=number(sb["test_sharpness"] / sb["test_intensity"]),
        l1_edges_verdict=choose(highest(edges, "vae-l1"), *L1_EDGES[lang]),
        bce_recon_intensity=number(sb["recon_intensity"], 3), mse_recon_intensity=number(sm["recon_intensity"], 3),
        l1_recon_intensity=number(sl["recon_intensity"], 3), test_intensity=number(sb["test_intensity"], 3),
        l1_recon_ink_verdict=choose(lowest({n: s["recon_intensity"] for n, s in mlp.items()}, "vae-l1"),
                                    *L1_RECON_INK[lang]),
        means_ink_verdict=choose(keeps_ink((sb, sm)), *MEANS_INK[lang]),
        conv_sharpness_vs_bce=comparative(sc["sample_sharpness"], sb["sample_sharpness"], *SHARPNESS[lang]),
        conv_look=choose(compare(sc["sample_sharpness"], sb["sample_sharpness"]) == 0, *CONV_LOOK[lang]),
    )


@uses(plots.pixel_costs)
def fig_pixel_costs(lang: str):
    return plots.pixel_costs(labels=labels(lang))


def _sample_title(name: str, run) -> str:
    return f"{name} ({run.config.recon_loss.upper()}, $z \\in \\mathbb{{R}}^{{{run.config.latent_dim}}}$)"


@uses(plots.sample_grids)
def fig_samples(lang: str):
    panels = {_sample_title(name, r): r.artefacts["samples"] for name, r in _runs().items()}
    return plots.sample_grids(panels, columns=8, per_row=2, size=3.4)


@uses(plots.image_rows)
def fig_reconstructions(lang: str):
    all_runs = _runs()
    originals = all_runs["vae-bce"].artefacts["probe_images"]
    rows = {name: r.artefacts["probe_reconstructions"] for name, r in all_runs.items()}
    return plots.image_rows({labels(lang)["original"]: originals, **rows})


@uses(plots.test_curves)
def fig_curves(lang: str):
    return plots.test_curves(_runs(), labels=labels(lang))


@uses(tables.loss_comparison, measure.image_stats, metrics.sharpness)
def tbl_metrics(lang: str):
    return Markdown(tables.loss_comparison(_runs(), _stats(), lang))
