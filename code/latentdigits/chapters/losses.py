"""Chapter "Reconstruction losses": the MLP VAE trained with BCE, squared and absolute error,
and course report 001's convolutional VAE, measured against the report's impressions of
blur and brightness."""

from __future__ import annotations

import math

import torch
from IPython.display import Markdown
from vaebook import evaluate, families, measure, metrics, plots, train

from .. import tables
from ..experiments import LOSS_MODELS, SHORT_LOSS_MODELS, classifier, runs, seed_scores
from ..figures import uses
from ..text import choose, compare, comparative, labels, listing, number
from . import chapter_facts

# The other experiments of the chapter: course report 001's VAE without its reconstruction
# term, set beside the sweep's strongest KL weight and β = 1 (all three trained 10 epochs);
# course report 000's softmax cross-entropy beside the same 2-D model with BCE; course report
# 003's Tanh decoder beside the squared-error model of the same length.
KL_ONLY = ("vae-kl-only", "beta-8", "beta-1")
SOFTMAX = ("vae-2d", "vae-2d-softmax-ce")
TANH = ("vae-mse-10ep", "vae-tanh", "beta-1")
MLP_MODELS = ("vae-bce", "vae-mse", "vae-l1")

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
             "zh": ("还原的墨量与原图相差不到 1%，正符合均值的性质",
                    "还原的墨量与原图并不相符，而拟合良好的均值本应相符")}
FID_STANDING = {"en": ("the lowest of the three", "not the lowest of the three"),
                "zh": ("是三者中最低的", "并不是三者中最低的")}
SEED_ORDER = {"en": ("in every one of the {} seeds", "not in every one of the {} seeds"),
              "zh": ("{} 个随机种子无一例外", "并非 {} 个随机种子都如此")}
DECODER_MOVED = {"en": ("not one of its decoder's weights has moved from its initial value",
                        "its decoder's weights have moved from their initial values"),
                 "zh": ("解码器的权重一个也没有离开初始值", "解码器的权重已离开初始值")}
CLOSER = {"en": ("closer to", "as close to", "farther from"), "zh": ("更接近", "同样接近", "更远离")}
MORE_LESS = {"en": ("more", "about as much", "less"), "zh": ("更多", "差不多", "更少")}
# Ordered as `comparative` reads them: the first when the first FID is the larger.
FID_THAN = {"en": ("a higher FID than", "about the same FID as", "a lower FID than"),
            "zh": ("比 `vae-mse` 的更高", "与 `vae-mse` 的相当", "比 `vae-mse` 的更低")}
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


def squared_distance_to(moments: dict, target: torch.Tensor) -> float:
    """The mean squared pixel distance between the run's samples and the image `target`, from
    the samples' per-pixel moments: (mean − target)² plus the samples' own variance."""
    return float(((moments["sample_mean"] - target).square() + moments["sample_std"].square()).mean())


def same_order_every_seed(fids: dict[str, torch.Tensor], best: str) -> bool:
    """Whether `best` has the lowest FID of the models in every seed ({model: one FID per seed})."""
    stacked = torch.stack([fids[name] for name in fids])
    return bool((stacked.argmin(dim=0) == list(fids).index(best)).all())


def _runs() -> dict:
    return runs(*LOSS_MODELS)


def _scores(names) -> dict:
    judge = classifier()
    return {name: evaluate.evaluation(run, judge, likelihood=False) for name, run in runs(*names).items()}


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
        **_fid_facts(lang), **_kl_only_facts(lang), **_softmax_facts(lang), **_tanh_facts(lang),
    )


def _fid_facts(lang: str) -> dict:
    """Course report 001's "L1 is best", judged by the protocol's FID as well as by sharpness."""
    fid = {name: s["fid"] for name, s in _scores(MLP_MODELS).items()}
    short = {loss: seed_scores(name)["fid"] for loss, name in SHORT_LOSS_MODELS.items()}
    seeds = len(short["l1"])
    short_best = min(short, key=lambda loss: float(short[loss].mean()))
    return dict(
        bce_fid=number(fid["vae-bce"], 1), mse_fid=number(fid["vae-mse"], 1), l1_fid=number(fid["vae-l1"], 1),
        l1_fid_standing=choose(min(fid, key=fid.get) == "vae-l1", *FID_STANDING[lang]),
        short_epochs=runs(SHORT_LOSS_MODELS["l1"])[SHORT_LOSS_MODELS["l1"]].config.epochs,
        short_bce_fid=number(short["bce"].double().mean(), 1), short_mse_fid=number(short["mse"].double().mean(), 1),
        short_l1_fid=number(short["l1"].double().mean(), 1), short_best=short_best.upper(),
        short_order=choose(same_order_every_seed(short, short_best), *SEED_ORDER[lang]).format(seeds),
    )


def _kl_only_facts(lang: str) -> dict:
    all_runs = runs(*KL_ONLY)
    kl_only = all_runs["vae-kl-only"]
    moments = {name: measure.pixel_moments(run) for name, run in all_runs.items()}
    average_digit = moments["vae-kl-only"]["test_mean"]
    distance = {name: squared_distance_to(m, average_digit) for name, m in moments.items()}
    initial = initial_model(kl_only).state_dict()
    moved = max(float((kl_only.weights[k] - initial[k]).abs().max()) for k in initial if k.startswith("decoder."))
    return dict(
        kl_only_epochs=kl_only.config.epochs, kl_only_kl=number(kl_only.metrics["test_kl"], 3),
        kl_only_decoder=choose(moved == 0, *DECODER_MOVED[lang]),
        kl_only_intensity=number(measure.image_stats(kl_only)["sample_intensity"], 3),
        kl_only_spread=number(float(moments["vae-kl-only"]["sample_std"].mean()), 3),
        beta8_spread=number(float(moments["beta-8"]["sample_std"].mean()), 3),
        beta1_spread=number(float(moments["beta-1"]["sample_std"].mean()), 3),
        kl_only_distance=number(distance["vae-kl-only"], 3), beta8_distance=number(distance["beta-8"], 3),
        beta1_distance=number(distance["beta-1"], 3),
        beta8_vs_beta1=comparative(distance["beta-1"], distance["beta-8"], *CLOSER[lang]),
        beta8=number(all_runs["beta-8"].config.beta, 0),
    )


def _softmax_facts(lang: str) -> dict:
    bce, softmax = (runs(*SOFTMAX)[name] for name in SOFTMAX)
    ranges = {name: measure.reference_losses(run) for name, run in runs(*SOFTMAX).items()}
    scores = _scores(SOFTMAX)
    gap = {name: float(r["flat"] - r["perfect"]) for name, r in ranges.items()}
    return dict(
        softmax_epochs=softmax.config.epochs, softmax_hidden=softmax.config.hidden_dim,
        softmax_latent=softmax.config.latent_dim,
        softmax_loss=number(softmax.metrics["test_recon"], 1), softmax_kl=number(softmax.metrics["test_kl"], 2),
        softmax_perfect=number(ranges["vae-2d-softmax-ce"]["perfect"], 1),
        softmax_flat=number(ranges["vae-2d-softmax-ce"]["flat"], 1), softmax_gap=number(gap["vae-2d-softmax-ce"], 1),
        bce2d_perfect=number(ranges["vae-2d"]["perfect"], 1), bce2d_flat=number(ranges["vae-2d"]["flat"], 1),
        bce2d_gap=number(gap["vae-2d"], 1), bce2d_kl=number(bce.metrics["test_kl"], 2),
        bce2d_recon=number(bce.metrics["test_recon"], 1),
        softmax_fid=number(scores["vae-2d-softmax-ce"]["fid"], 1), bce2d_fid=number(scores["vae-2d"]["fid"], 1),
        softmax_confidence=number(scores["vae-2d-softmax-ce"]["confidence"], 2),
        softmax_coverage=number(scores["vae-2d-softmax-ce"]["coverage_kl"], 2),
        bce2d_coverage=number(scores["vae-2d"]["coverage_kl"], 2),
        softmax_ink=number(measure.image_stats(softmax)["sample_intensity"], 3),
        bce2d_ink=number(measure.image_stats(bce)["sample_intensity"], 3),
        bce2d_confidence=number(scores["vae-2d"]["confidence"], 2),
    )


def _tanh_facts(lang: str) -> dict:
    mse, tanh, bce = (runs(*TANH)[name] for name in TANH)
    scores = _scores(TANH)
    return dict(
        tanh_epochs=tanh.config.epochs, mse_short_kl=number(mse.metrics["test_kl"]), tanh_kl=number(tanh.metrics["test_kl"]),
        tanh_kl_vs_mse=comparative(tanh.metrics["test_kl"], mse.metrics["test_kl"], *MORE_LESS[lang]),
        mse_short_recon_mse=number(scores["vae-mse-10ep"]["recon_mse"]), tanh_recon_mse=number(scores["vae-tanh"]["recon_mse"]),
        bce_short_recon_mse=number(scores["beta-1"]["recon_mse"]),
        mse_short_fid=number(scores["vae-mse-10ep"]["fid"], 1), tanh_fid=number(scores["vae-tanh"]["fid"], 1),
        bce_short_fid=number(scores["beta-1"]["fid"], 1), bce_short_kl=number(bce.metrics["test_kl"]),
        tanh_fid_vs_mse=comparative(scores["vae-tanh"]["fid"], scores["vae-mse-10ep"]["fid"], *FID_THAN[lang]),
    )


def initial_model(run):
    """A fresh network of `run`'s configuration, its weights as training began."""
    return train.initial_model(families.family_of(run.config).network, run.config, torch.device("cpu"))


@uses(plots.pixel_costs)
def fig_pixel_costs(lang: str):
    t = labels(lang)
    return plots.pixel_costs(xlabel=t["decoded"], ylabel=t["pixel_cost"], bce_label=t["bce_cost"],
                             mse_label=t["mse_cost"], l1_label=t["l1_cost"])


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
    t = labels(lang)
    return plots.test_curves(_runs(), titles=[t["test_recon"], t["test_kl"]], xlabel=t["epoch"])


@uses(tables.loss_comparison, measure.image_stats, metrics.sharpness)
def tbl_metrics(lang: str):
    return Markdown(tables.loss_comparison(_runs(), _stats(), lang))


@uses(tables.protocol, evaluate.evaluation)
def tbl_scores(lang: str):
    judge = classifier()
    names = (*MLP_MODELS, "conv-vae")
    return Markdown(tables.protocol(_scores(names), evaluate.evaluation(judge, judge), lang))


@uses(plots.sample_grids, measure.generated_images)
def fig_kl_only(lang: str):
    return plots.sample_grids({name: run.artefacts["samples"] for name, run in runs(*KL_ONLY).items()},
                              per_row=3, size=2.6)


@uses(plots.digit_row, measure.pixel_moments)
def fig_average_digit(lang: str):
    moments = {name: measure.pixel_moments(run) for name, run in runs(*KL_ONLY).items()}
    images = [moments[KL_ONLY[0]]["test_mean"]] + [m["sample_mean"] for m in moments.values()]
    return plots.digit_row(torch.stack(images), [labels(lang)["test_digits"], *moments], scale=1.8)


@uses(plots.sample_grids, measure.reference_losses)
def fig_softmax(lang: str):
    return plots.sample_grids({name: run.artefacts["samples"] for name, run in runs(*SOFTMAX).items()},
                              per_row=2, size=3.0)


@uses(plots.sample_grids)
def fig_tanh(lang: str):
    return plots.sample_grids({name: run.artefacts["samples"] for name, run in runs(*TANH).items()},
                              per_row=3, size=2.6)


@uses(tables.protocol, evaluate.evaluation)
def tbl_tanh(lang: str):
    judge = classifier()
    return Markdown(tables.protocol(_scores(TANH), evaluate.evaluation(judge, judge), lang))
