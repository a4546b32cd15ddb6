"""The book's claims: sentences about the measured numbers, each checked against them.

A claim is marked in the prose of both editions with the same id,
`[the rate falls at every step]{#c-beta-rate-falls .claim}`, and has one check in the book
layer: a function registered with `@claim("c-beta-rate-falls")` in the chapter module that
owns the comparison. The check reads the cached runs and returns `Evidence`: whether the claim
holds, and the numbers it rests on, written the same way in both languages. Two chapters that
speak of the same comparison cite the same id, so they cannot disagree.

When a chapter executes, `publish` evaluates the claims its file cites and hands the evidence
to the page (`claims.lua` shows it when the reader points at or focuses the sentence). What a
false claim does depends on the mode, `$LATENTDIGITS_CLAIMS`:

    strict   the whole full-profile build (`make book`): a false claim stops the build, naming
             the claim and the file and line of its sentence; the sentence is then rewritten
    mark     the default, as when a reader re-renders one chapter after changing a setting:
             each false claim is marked in the page with its evidence
    (quick)  the quick profile never fails and marks nothing: its pages say at the top that
             their numbers are a preview

    python -m latentdigits.claims [--profile full|quick] [ID ...]

evaluates every claim (or the given ones) and prints one line per claim; it exits 1 when one
fails and 2 when the editions cite an id that has no check or a check that no edition cites.
"""

from __future__ import annotations

import argparse
import importlib
import json
import math
import os
import re
import statistics
import sys
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from .figures import REPO_ROOT
from .text import LANGS, check_lang, number

MODE_VARIABLE = "LATENTDIGITS_CLAIMS"
MODES = ("strict", "mark")
# Where a chapter's kernel leaves the evidence for the page's filter (claims.lua).
EVIDENCE_DIR = REPO_ROOT / ".quarto" / "claims"
# Every chapter module, so that every check is registered before the book's ids are resolved.
CHAPTER_MODULES = ("preface", "from_ae_to_vae", "vae_mnist", "evaluation", "losses", "beta_vae", "latent_space",
                   "noisy_data", "gan", "vae_gan", "comparison", "course_reports", "reproducibility", "glossary")
# A claim in a chapter's text: `]{#c-some-id .claim}`; the sentence is the span before it.
CITATION = re.compile(r"\]\{#(c-[a-z0-9][a-z0-9-]*)\s+\.claim\}")
SIGNIFICANCE = 0.05  # the level of every test over seeds

# The words of the evidence: the rule a check applies, in each language (a label table; the
# numbers themselves are written the same way in both).
RULES = {
    "falls": {"en": "each below the one before", "zh": "每个值都低于前一个"},
    "rises": {"en": "each above the one before", "zh": "每个值都高于前一个"},
    "never_rises": {"en": "none above the one before", "zh": "没有一个值高于前一个"},
    "never_falls": {"en": "none below the one before", "zh": "没有一个值低于前一个"},
    "below": {"en": "first below second", "zh": "前者低于后者"},
    "above": {"en": "first above second", "zh": "前者高于后者"},
    "close": {"en": "within {tolerance} of each other", "zh": "相差不超过 {tolerance}"},
    "within": {"en": "inside the range", "zh": "落在区间内"},
    "outside": {"en": "outside the range", "zh": "落在区间外"},
    "lowest": {"en": "lowest of all", "zh": "所有值中最低"},
    "highest": {"en": "highest of all", "zh": "所有值中最高"},
    "seeds_below": {"en": "lower mean over seeds, Welch's t-test p < {level}",
                    "zh": "跨种子均值更低，Welch t 检验 p < {level}"},
    "seeds_same": {"en": "no difference over seeds at p < {level} (Welch's t-test)",
                   "zh": "跨种子无显著差异（Welch t 检验，p < {level}）"},
    "every_seed": {"en": "in every seed", "zh": "每个种子都如此"},
    "all": {"en": "every one", "zh": "全部满足"},
    "none": {"en": "none", "zh": "一个也没有"},
    "equal": {"en": "equal", "zh": "相等"},
    "count": {"en": "count", "zh": "计数"},
    "within_errors": {"en": "each within {n} standard errors of the exact value",
                      "zh": "每一项与精确值相差都在 {n} 个标准误差以内"},
    "at_most": {"en": "at most {limit}", "zh": "不超过 {limit}"},
    "beyond_seed_range": {"en": "gap larger than the range of {twin}'s {n} seeds",
                          "zh": "差距大于 {twin} 的 {n} 个种子的极差"},
    "closer_to_data": {"en": "first closer than second to the test digits' {value}",
                       "zh": "前者比后者更接近测试数字的 {value}"},
    "below_data": {"en": "below the test digits' {value}", "zh": "低于测试数字的 {value}"},
    "largest_at": {"en": "largest at epoch {epoch} of {epochs}; after it, largest at epoch {later}",
                   "zh": "{epochs} 轮中第 {epoch} 轮最大；其后以第 {later} 轮最大"},
    "gap_below_seeds": {"en": "largest gap after epoch 1 below the range of {twin}'s test loss over {n} seeds",
                        "zh": "第 1 轮之后的最大差距小于 {twin} 在 {n} 个种子上测试集损失的极差"},
    "split": {"en": "the first never below zero, the second always below", "zh": "前者从不小于零，后者始终小于零"},
    "band_narrow": {"en": "range from epoch 10 on under a tenth of the climb",
                    "zh": "第 10 轮起的波动范围不到此前升幅的十分之一"},
    "prediction": {"en": "inside the {level} % prediction interval of {twin}'s {n} seeds",
                   "zh": "落在 {twin} 的 {n} 个种子的 {level}% 预测区间内"},
    "above_by_errors": {"en": "first above second by more than {n} standard errors",
                        "zh": "前者比后者高出 {n} 个标准误差以上"},
    "grows_each": {"en": "after above before in each", "zh": "每一项训练后都大于训练前"},
    "several": {"en": "more than one", "zh": "不止一个"},
    "falls_over_seeds": {"en": "mean over {n} seeds lower at every step, each by Welch's t-test p < {level}",
                         "zh": "{n} 个种子的均值每一步都更低，每一步 Welch t 检验 p < {level}"},
    "rises_over_seeds": {"en": "mean over {n} seeds higher at every step, each by Welch's t-test p < {level}",
                         "zh": "{n} 个种子的均值每一步都更高，每一步 Welch t 检验 p < {level}"},
    "below_seed_interval": {"en": "one run, below the {level} % prediction interval of the other model's {n} seeds",
                            "zh": "单次运行，低于另一模型 {n} 个种子的 {level}% 预测区间"},
    "above_seed_interval": {"en": "one run, above the {level} % prediction interval of the other model's {n} seeds",
                            "zh": "单次运行，高于另一模型 {n} 个种子的 {level}% 预测区间"},
    "inside_seed_interval": {"en": "one run, inside the {level} % prediction interval of the other model's {n} seeds",
                             "zh": "单次运行，落在另一模型 {n} 个种子的 {level}% 预测区间内"},
    "falls_one_run": {"en": "one run each; every step down by more than t · √2 · {spread} % of the larger value, "
                            "{spread} % being the largest relative spread over {n} seeds of the seeded models",
                      "zh": "各只训练一次；每一步的降幅都大于较大值的 t · √2 · {spread}%，"
                            "{spread}% 是有多个种子的模型在 {n} 个种子上最大的相对离散度"},
    "none_better_one_run": {"en": "one run each; no β lower than β = 1 by more than t · √2 · {spread} % of the "
                                  "larger value, {spread} % being the largest relative spread over {n} seeds of "
                                  "the seeded models",
                            "zh": "各只训练一次；没有哪个 β 比 β = 1 低出较大值的 t · √2 · {spread}% 以上，"
                                  "{spread}% 是有多个种子的模型在 {n} 个种子上最大的相对离散度"},
    "rises_one_run": {"en": "one run each; every step up by more than t · √2 · {spread} % of the larger value, "
                            "{spread} % being the largest relative spread over {n} seeds of the seeded models",
                      "zh": "各只训练一次；每一步的升幅都大于较大值的 t · √2 · {spread}%，"
                            "{spread}% 是有多个种子的模型在 {n} 个种子上最大的相对离散度"},
    "unmoved": {"en": "largest change of any decoder weight from its initial value is zero",
                "zh": "解码器权重相对初始值的最大变化为零"},
    "ratio_below": {"en": "ratio below {ratio}", "zh": "比值小于 {ratio}"},
    "chords_every_seed": {"en": "chords with a slope between −β of their ends, in each of {n} seeds",
                          "zh": "斜率介于两端 −β 之间的连线数，{n} 个种子各自统计"},
    "lowest_over_seeds": {"en": "lowest mean over {n} seeds, below each other by Welch's t-test p < {level}",
                          "zh": "{n} 个种子的均值最低，与其余每一个相比 Welch t 检验 p < {level}"},
    "share_below": {"en": "full code → active coordinates only; each rise below {share} of the full code's value",
                    "zh": "完整编码 → 只保留活跃坐标；每一处的增幅都不到完整编码取值的 {share}"},
    "most_shared": {"en": "more than half of the {shown} dimensions in both", "zh": "{shown} 个维度中一半以上两者共有"},
    "below_data_by": {"en": "below the test digits' value by more than {share} %",
                      "zh": "比测试数字的值低 {share}% 以上"},
    "tilt_ink_apart": {"en": "in each model, the dimension that tilts the digit most differs from the one that changes "
                             "its ink most",
                       "zh": "每个模型中，让数字倾斜变化最大的维度与让墨量变化最大的维度不是同一个"},
    "not_below": {"en": "one run each; first not below second", "zh": "各只训练一次；前者不低于后者"},
    "close_to_report": {"en": "within {tolerance} of course report {report}'s",
                        "zh": "与课程报告 {report} 的值相差不超过 {tolerance}"},
    "latent_beyond_seeds": {"en": "one run each; the gap is wider than the range of {twin} over its {n} seeds",
                            "zh": "各只训练一次；差距大于 {twin} 的 {n} 个种子之间的极差"},
    "latent_beyond_errors": {"en": "the difference exceeds {k} standard errors of the training and test means",
                             "zh": "差值超过训练集与测试集均值标准误的 {k} 倍"},
    "noise_inside_interval": {"en": "inside the 95 % prediction interval of {twin}'s {n} seeds",
                              "zh": "落在 {twin} 的 {n} 个种子的 95% 预测区间之内"},
    "noise_above_interval": {"en": "above the 95 % prediction interval of {twin}'s {n} seeds",
                             "zh": "高于 {twin} 的 {n} 个种子的 95% 预测区间"},
    "noise_below_interval": {"en": "below the 95 % prediction interval of {twin}'s {n} seeds",
                             "zh": "低于 {twin} 的 {n} 个种子的 95% 预测区间"},
    "noise_margin": {"en": "ahead by more than {margin} dB at each rate", "zh": "在每个比例下都领先超过 {margin} dB"},
    "noise_spread": {"en": "all within {share} of their mean", "zh": "都与均值相差不到 {share}"},
    "latent_flat_end": {"en": "the last epoch ({last}) within {tolerance} of the lowest (epoch {best})",
                        "zh": "最后一轮（第 {last} 轮）与最低值（第 {best} 轮）相差不超过 {tolerance}"},
    "noise_input_ahead": {"en": "at {rate} the corrupted input ahead of every model by more than {margin} dB",
                          "zh": "{rate} 时污染后的输入领先每个模型超过 {margin} dB"},
    "noise_encoder_shift": {"en": "KL on clean test digits above {factor} × KL on corrupted training digits; "
                                  "test loss above training loss",
                            "zh": "干净测试数字上的 KL 高于污染训练数字上 KL 的 {factor} 倍；测试集损失高于训练损失"},
    "beyond_seeds": {"en": "one run each; the gap is wider than the range of {yardstick} over its seeds",
                     "zh": "各只训练一次；差距大于 {yardstick} 各种子之间的极差"},
    "rises_beyond_error": {"en": "each above the one before, by more than {k} standard errors of a {n}-image mean",
                           "zh": "每个值都高于前一个，且超出 {n} 张图像均值标准误的 {k} 倍"},
    "speckle": {"en": "epoch 1 above {factor} × the test digits'; the later ones within {share} of them",
                "zh": "第 1 轮高于测试数字的 {factor} 倍，之后的都与测试数字相差不到 {share}"},
    "ratio_within": {"en": "within {share} of each other", "zh": "相差不到 {share}"},
    "no_copies": {"en": "no more samples than test digits below the test digits' {share} quantile, "
                        "and none nearer than the "
                        "nearest test digit",
                  "zh": "低于测试数字 {share} 分位数的样本不多于测试数字，也没有哪个样本比最近的测试数字更近"},
    "at_least": {"en": "each at least {limit}", "zh": "每个都不低于 {limit}"},
    "missing": {"en": "digits never drawn", "zh": "从未画出的数字"},
    "all_ones": {"en": "labels of the nearest ones: all 1", "zh": "最近者的标签：全是 1"},
    "enough_seeds": {"en": "at least two seeds each", "zh": "每个模型至少两个种子"},
    "ratio_above": {"en": "ratio above {ratio}", "zh": "比值大于 {ratio}"},
    "one_row": {"en": "one row changed, the replaced β's", "zh": "只有被替换的 β 那一行变了"},
}
# What the numbers measure, named once per language (a label table).
QUANTITIES = {
    "rate": {"en": "rate (test KL)", "zh": "码率（测试集 KL）"},
    "distortion": {"en": "distortion (test reconstruction term)", "zh": "失真（测试集重构项）"},
    "neg_elbo": {"en": "test negative ELBO", "zh": "测试集负 ELBO"},
    "test_loss": {"en": "test loss", "zh": "测试集损失"},
    "kl": {"en": "test KL", "zh": "测试集 KL"},
    "recon": {"en": "test reconstruction term", "zh": "测试集重构项"},
    "fid": {"en": "FID", "zh": "FID"},
    "confidence": {"en": "confidence", "zh": "置信度"},
    "coverage_kl": {"en": "coverage KL", "zh": "类别覆盖 KL"},
    "sharpness": {"en": "sharpness", "zh": "锐度"},
    "ink": {"en": "mean intensity", "zh": "平均墨量"},
    "recon_mse": {"en": "squared error of test reconstructions", "zh": "测试集重构的平方误差"},
    "active": {"en": "active dimensions", "zh": "活跃维度"},
    "psnr": {"en": "PSNR", "zh": "PSNR"},
    "iwae": {"en": "IWAE bound", "zh": "IWAE 界"},
    "gap_kl": {"en": "gap log p(x) − ELBO vs exact KL(q ‖ p(z | x)) ± standard error of the gap",
               "zh": "差距 log p(x) − ELBO 与精确的 KL(q ‖ p(z | x))，± 为差距的标准误差"},
    "log_mean_weight": {"en": "log of the mean weight ± standard error (first: the exact log p(x))",
                        "zh": "权重均值的对数 ± 标准误差（第一项为精确的 log p(x)）"},
    "kl_disagreement": {"en": "largest distance between the closed-form KL and its Monte Carlo estimate, "
                              "in standard errors",
                        "zh": "KL 闭式解与蒙特卡洛估计的最大差距（以标准误差计）"},
    "gradient_mean": {"en": "gradient: exact; reparameterised estimate; score-function estimate "
                            "(mean ± standard error)",
                      "zh": "梯度：精确值；重参数化估计；得分函数估计（均值 ± 标准误差）"},
    "gradient_variance": {"en": "variance of the one-draw gradient estimate: reparameterised vs score function",
                          "zh": "单次采样梯度估计的方差：重参数化与得分函数"},
    "inside_prior": {"en": "share of test codes inside the ball that holds 99 % of prior draws (%)",
                     "zh": "落在容纳 99% 先验样本的球内的测试编码比例（%）"},
    "ink_samples": {"en": "mean intensity of the prior samples", "zh": "先验样本的平均墨量"},
    "sharpness_samples": {"en": "sharpness of the prior samples", "zh": "先验样本的锐度"},
    "log_gap": {"en": "|this book − course report 002| in train loss", "zh": "本书与课程报告 002 训练损失之差的绝对值"},
    "log_gap_terms": {"en": "this book − course report 002 from epoch 2 on: reconstruction term; "
                            "KL term (lowest to highest)",
                      "zh": "第 2 轮起本书与课程报告 002 之差：重构项；KL 项（最低到最高）"},
    "kl_course": {"en": "train KL: epoch 1 → epoch 10; lowest to highest from epoch 10 on",
                  "zh": "训练集 KL：第 1 轮 → 第 10 轮；第 10 轮起的最低值到最高值"},
    "recon_fall": {"en": "fall of the train reconstruction term: over epochs 1–10 vs over the epochs after",
                   "zh": "训练集重构项的降幅：第 1–10 轮与其后各轮"},
    "neg_iwae": {"en": "bound on −log p(x) of binarised digits", "zh": "二值化数字的 −log p(x) 上界"},
    "code_norm": {"en": "norm of one image's posterior mean, before → after training (003: course report 003)",
                  "zh": "单张图像后验均值的范数，训练前 → 训练后（003：课程报告 003）"},
    "untrained_norm": {"en": "norm of the first test digit's posterior mean before training",
                       "zh": "训练前第一张测试数字后验均值的范数"},
    "machines": {"en": "machines that trained the committed models", "zh": "训练已提交模型的机器"},
    "epochs": {"en": "epochs", "zh": "训练轮数"},
    "own_objective": {"en": "largest own objective D + βR over the seeds < smallest negative ELBO of any model and "
                            "seed",
                      "zh": "各种子中自身目标 D + βR 的最大值 < 所有模型、所有种子中负 ELBO 的最小值"},
    "bce_at_mean": {"en": "test BCE of the digits decoded from their posterior means",
                    "zh": "由后验均值解码的测试数字的 BCE"},
    "train_loss": {"en": "train loss, reconstruction + β · KL, after the last epoch",
                   "zh": "最后一轮的训练损失（重构 + β · KL）"},
    "ink_sharpness": {"en": "mean intensity / sharpness of the samples (last: the test digits)",
                      "zh": "样本的平均墨量 / 锐度（最后一项为测试数字）"},
    "loss_gap": {"en": "loss of a flat grey image minus that of an exact copy; ratio",
                 "zh": "均匀灰色图像与原图精确复制的损失之差；比值"},
    "latent_agreement": {"en": "nearest-neighbour label agreement", "zh": "最近邻标签一致率"},
    "latent_code_agreement": {"en": "nearest-neighbour label agreement in the codes",
                              "zh": "编码空间中的最近邻标签一致率"},
    "latent_code_silhouette": {"en": "silhouette by digit in the codes", "zh": "编码空间中按数字计算的轮廓系数"},
    "latent_silhouette": {"en": "silhouette by digit", "zh": "按数字计算的轮廓系数"},
    "latent_angle": {"en": "angle between the two codes", "zh": "两个编码的夹角"},
    "latent_norm": {"en": "code norm", "zh": "编码的范数"},
    "latent_variance": {"en": "per-dimension variance of the test codes", "zh": "测试编码各维的方差"},
    "latent_gap": {"en": "reconstruction term, test minus training", "zh": "重构项：测试集减训练集"},
    "noise_error_per_rate": {"en": "squared error of the corrupted digits divided by ρ",
                             "zh": "污染数字的平方误差除以 ρ"},
    "noise_train_kl": {"en": "training KL", "zh": "训练集 KL"},
    "noise_pixel_spread": {"en": "per-pixel standard deviation of the samples", "zh": "样本逐像素的标准差"},
    "noise_floor_share": {"en": "the noise's share of the training loss", "zh": "噪声在训练损失中所占的比例"},
    "noise_clean_loss": {"en": "test loss on clean digits", "zh": "干净测试图像上的损失"},
    "d_loss": {"en": "discriminator's loss", "zh": "判别器的损失"},
    "d_gap": {"en": "mean D(x) − mean D(G(z)), by epoch", "zh": "各轮的 D(x) 均值 − D(G(z)) 均值"},
    "confidence_by_epoch": {"en": "confidence after each epoch", "zh": "各轮之后的置信度"},
    "sharpness_by_epoch": {"en": "sharpness after each epoch", "zh": "各轮之后的锐度"},
    "nearest_distance": {"en": "distance to the nearest training digit", "zh": "到最近训练数字的距离"},
    "lsgan_d_loss": {"en": "discriminator's least-squares loss", "zh": "判别器的最小二乘损失"},
    "lsgan_dec_loss": {"en": "decoder's least-squares GAN loss", "zh": "解码器的最小二乘 GAN 损失"},
    "feature_recon": {"en": "feature reconstruction", "zh": "特征空间重构项"},
    "stray_ink": {"en": "stray pixels per test reconstruction", "zh": "每张测试重构中离群的像素数"},
    "epochs_here_report": {"en": "epochs, here against the report's", "zh": "训练轮数，本书对报告"},
}
UNITS = {
    "nats": {"en": "nats per image", "zh": "纳特/图像"},
    "dB": {"en": "dB", "zh": "dB"},
    "degrees": {"en": "degrees", "zh": "度"},
    "dimensions": {"en": "dimensions", "zh": "个维度"},
    "minutes": {"en": "minutes", "zh": "分钟"},
}
VERDICT = {"en": ("holds", "FAILS"), "zh": ("成立", "不成立")}


class ClaimError(Exception):
    """A claim the book cannot check: an id without a check, or a check that failed to run."""


class ClaimFailed(Exception):
    """One or more claims of a strict build do not hold; the message names each with its
    evidence and the file and line of its sentence."""


@dataclass(frozen=True)
class Evidence:
    """Whether a claim holds, and what it rests on: `numbers`, written alike in both
    languages ("β = 0.25: 27.95 > β = 8: 8.31"), and the `rule` applied to them (a key of
    `RULES`, with its parameters), whose words are looked up per language."""

    holds: bool
    numbers: str
    rule: str = ""
    parameters: tuple[tuple[str, str], ...] = ()
    unit: str = ""  # a key of UNITS
    quantity: str = ""  # a key of QUANTITIES

    def __post_init__(self):
        if self.quantity and self.quantity not in QUANTITIES:
            raise ValueError(f"unknown quantity {self.quantity!r}; choose from {', '.join(QUANTITIES)}")
        if self.rule and self.rule not in RULES:
            raise ValueError(f"unknown rule {self.rule!r}; choose from {', '.join(RULES)}")
        if self.unit and self.unit not in UNITS:
            raise ValueError(f"unknown unit {self.unit!r}; choose from {', '.join(UNITS)}")

    def text(self, lang: str) -> str:
        rule = RULES[self.rule][check_lang(lang)].format(**dict(self.parameters)) if self.rule else ""
        numbers = f"{self.numbers} {UNITS[self.unit][lang]}" if self.unit else self.numbers
        if self.quantity:
            numbers = f"{QUANTITIES[self.quantity][lang]}{'：' if lang == 'zh' else ': '}{numbers}"
        if not rule:
            return numbers
        return f"{numbers}（{rule}）" if lang == "zh" else f"{numbers} ({rule})"

    def __and__(self, other: Evidence) -> Evidence:
        return both(self, other)


@dataclass(frozen=True)
class Combined(Evidence):
    """Several pieces of evidence that must all hold."""

    parts: tuple[Evidence, ...] = ()

    def text(self, lang: str) -> str:
        return "; ".join(part.text(lang) for part in self.parts)


def both(*parts: Evidence) -> Evidence:
    """Evidence that holds when every part does."""
    flat = tuple(p for part in parts for p in (part.parts if isinstance(part, Combined) else (part,)))
    return Combined(all(p.holds for p in flat), "; ".join(p.numbers for p in flat), parts=flat)


# --- The checks' building blocks -------------------------------------------------------------------
# Each takes the named values it decides on and, as keywords, `quantity` (a key of QUANTITIES)
# and `unit` (a key of UNITS) for the words around the numbers, and `digits` for rounding:
# the evidence shows a number as the prose does.


def _fmt(value: float, digits: int) -> str:
    return number(0.0 if abs(value) < 0.5 * 10 ** -digits else value, digits)  # never "-0.00"


def ordered(values: Mapping[str, float], trend: str, digits: int = 2, **words) -> Evidence:
    """Whether `values`, in their given order, fall / rise at every step, or never rise /
    never fall (`trend`, a rule name; ties allowed only for the "never" trends)."""
    items = list(values.values())
    test = {"falls": lambda a, b: b < a, "rises": lambda a, b: b > a,
            "never_rises": lambda a, b: b <= a, "never_falls": lambda a, b: b >= a}[trend]
    holds = all(test(a, b) for a, b in zip(items, items[1:]))
    sign = {"falls": ">", "rises": "<", "never_rises": "≥", "never_falls": "≤"}[trend] if holds else ","
    shown = f" {sign} ".join(f"{name}: {_fmt(value, digits)}" for name, value in values.items())
    return Evidence(holds, shown, trend, **words)


def below(a: tuple[str, float], b: tuple[str, float], digits: int = 2, **words) -> Evidence:
    """Whether the first named value is below the second (`a = (name, value)`)."""
    holds = a[1] < b[1]
    return Evidence(holds, f"{a[0]}: {_fmt(a[1], digits)} {'<' if holds else '≥'} {b[0]}: {_fmt(b[1], digits)}",
                    "below", **words)


def above(a: tuple[str, float], b: tuple[str, float], digits: int = 2, **words) -> Evidence:
    """Whether the first named value is above the second."""
    holds = a[1] > b[1]
    return Evidence(holds, f"{a[0]}: {_fmt(a[1], digits)} {'>' if holds else '≤'} {b[0]}: {_fmt(b[1], digits)}",
                    "above", **words)


def close(a: tuple[str, float], b: tuple[str, float], tolerance: float, digits: int = 2, **words) -> Evidence:
    """Whether two named values differ by at most `tolerance`."""
    holds = abs(a[1] - b[1]) <= tolerance
    return Evidence(holds, f"{a[0]}: {_fmt(a[1], digits)}, {b[0]}: {_fmt(b[1], digits)}", "close",
                    (("tolerance", _fmt(tolerance, digits)),), **words)


def within(value: tuple[str, float], low: float, high: float, digits: int = 2, inside: bool = True,
           **words) -> Evidence:
    """Whether a named value lies in [low, high] (or, with `inside=False`, outside it)."""
    holds = (low <= value[1] <= high) == inside
    return Evidence(holds, f"{value[0]}: {_fmt(value[1], digits)}, [{_fmt(low, digits)}, {_fmt(high, digits)}]",
                    "within" if inside else "outside", **words)


def extreme(values: Mapping[str, float], name: str, lowest: bool = True, digits: int = 2, **words) -> Evidence:
    """Whether `values[name]` is the lowest (or highest) of all."""
    pick = min if lowest else max
    holds = pick(values, key=values.get) == name
    others = ", ".join(f"{n}: {_fmt(v, digits)}" for n, v in values.items() if n != name)
    return Evidence(holds, f"{name}: {_fmt(values[name], digits)}; {others}", "lowest" if lowest else "highest",
                    **words)


def every(conditions: Mapping[str, bool], numbers: str, **words) -> Evidence:
    """Whether every named condition holds; `numbers` shows what they were decided on."""
    failing = [name for name, ok in conditions.items() if not ok]
    return Evidence(not failing, numbers + (f" [✗ {', '.join(failing)}]" if failing else ""), "all", **words)


def fact(holds: bool, numbers: str, rule: str = "", unit: str = "", quantity: str = "", **parameters) -> Evidence:
    """Evidence for a check of its own kind: whether it holds and the numbers it rests on."""
    return Evidence(bool(holds), numbers, rule, tuple((k, str(v)) for k, v in parameters.items()), unit, quantity)


def spread(values: Sequence[float], digits: int = 2) -> str:
    """Seeds' values as mean ± standard deviation and range: "316.4 ± 8.1 (307.2–325.0, n = 5)"."""
    mean = statistics.fmean(values)
    sd = statistics.stdev(values) if len(values) > 1 else 0.0
    return (f"{_fmt(mean, digits)} ± {_fmt(sd, digits)} "
            f"({_fmt(min(values), digits)}–{_fmt(max(values), digits)}, n = {len(values)})")


def welch(a: Sequence[float], b: Sequence[float]) -> tuple[float, float]:
    """Welch's t statistic and two-sided p-value for the means of two samples."""
    from scipy import stats

    result = stats.ttest_ind(list(a), list(b), equal_var=False)
    return float(result.statistic), float(result.pvalue)


def _p(p: float) -> str:
    return "p < 0.001" if p < 0.001 else f"p = {p:.3f}"


def seeds_below(a: tuple[str, Sequence[float]], b: tuple[str, Sequence[float]], digits: int = 2,
                **words) -> Evidence:
    """Whether the first model's values over seeds have a lower mean than the second's, by
    Welch's t-test at `SIGNIFICANCE` (two-sided): one run is one run."""
    t, p = welch(a[1], b[1])
    holds = statistics.fmean(a[1]) < statistics.fmean(b[1]) and p < SIGNIFICANCE
    return Evidence(holds, f"{a[0]}: {spread(a[1], digits)}; {b[0]}: {spread(b[1], digits)}; t = {t:.2f}, {_p(p)}",
                    "seeds_below", (("level", f"{SIGNIFICANCE:g}"),), **words)


def seeds_same(a: tuple[str, Sequence[float]], b: tuple[str, Sequence[float]], digits: int = 2,
               **words) -> Evidence:
    """Whether two models' values over seeds show no difference at `SIGNIFICANCE` (Welch)."""
    t, p = welch(a[1], b[1])
    holds = math.isnan(p) or p >= SIGNIFICANCE
    return Evidence(holds, f"{a[0]}: {spread(a[1], digits)}; {b[0]}: {spread(b[1], digits)}; t = {t:.2f}, {_p(p)}",
                    "seeds_same", (("level", f"{SIGNIFICANCE:g}"),), **words)


def every_seed(pairs: Sequence[tuple[float, float]], names: tuple[str, str], digits: int = 2, **words) -> Evidence:
    """Whether the first value is below the second in every seed (pairs of one seed each)."""
    holds = all(a < b for a, b in pairs)
    shown = ", ".join(f"{_fmt(a, digits)} {'<' if a < b else '≥'} {_fmt(b, digits)}" for a, b in pairs)
    return Evidence(holds, f"{names[0]} vs {names[1]}: {shown}", "every_seed", **words)


# --- The registry -----------------------------------------------------------------------------------

CHECKS: dict[str, Callable[[], Evidence]] = {}


def claim(claim_id: str):
    """Registers a function as the one check of claim `claim_id`."""
    if not re.fullmatch(r"c-[a-z0-9][a-z0-9-]*", claim_id):
        raise ValueError(f"a claim id is c- and lower-case words joined by dashes, not {claim_id!r}")

    def register(check: Callable[[], Evidence]):
        if claim_id in CHECKS and CHECKS[claim_id].__qualname__ != check.__qualname__:
            raise ValueError(f"claim {claim_id} has two checks: "
                             f"{CHECKS[claim_id].__module__}.{CHECKS[claim_id].__name__} "
                             f"and {check.__module__}.{check.__name__}")
        check.claim_id = claim_id
        CHECKS[claim_id] = check
        return check

    return register


def register_all() -> dict[str, Callable[[], Evidence]]:
    """Every check of the book (importing a chapter module registers its checks)."""
    for name in CHAPTER_MODULES:
        importlib.import_module(f"latentdigits.chapters.{name}")
    return CHECKS


def evaluate(claim_id: str) -> Evidence:
    """The evidence of one claim, by its check."""
    checks = register_all()
    if claim_id not in checks:
        raise ClaimError(f"claim {claim_id} has no check; "
                         f"register one with @claim({claim_id!r}) in its chapter's module")
    evidence = checks[claim_id]()
    if not isinstance(evidence, Evidence):
        raise ClaimError(f"the check of {claim_id} returned {type(evidence).__name__}, not Evidence")
    return evidence


# --- Where the claims are cited -------------------------------------------------------------------


@dataclass(frozen=True)
class Citation:
    claim_id: str
    path: Path
    line: int
    sentence: str

    def where(self) -> str:
        try:
            shown = self.path.resolve().relative_to(REPO_ROOT)
        except ValueError:
            shown = self.path
        return f"{shown}:{self.line}"


def _span_start(text: str, end: int) -> int:
    """The index of the `[` that opens the span whose `]` is at `end`."""
    depth = 0
    for index in range(end, -1, -1):
        char = text[index]
        if index > 0 and text[index - 1] == "\\":
            continue
        if char == "]":
            depth += 1
        elif char == "[":
            depth -= 1
            if depth == 0:
                return index
    return 0


def citations(path: Path) -> list[Citation]:
    """Every claim a chapter file cites, with the line where its sentence starts."""
    text = path.read_text(encoding="utf-8")
    found = []
    for match in CITATION.finditer(text):
        start = _span_start(text, match.start())
        sentence = " ".join(text[start + 1 : match.start()].split())
        found.append(Citation(match[1], path, text.count("\n", 0, start) + 1, sentence))
    return found


def edition_files(lang: str) -> list[Path]:
    """The chapter files of an edition, preface included."""
    return sorted((REPO_ROOT / "chapters" / check_lang(lang)).glob("*.qmd"))


def chapter_file(module_name: str, lang: str) -> Path:
    """The file of an edition that a chapter module serves: `beta_vae` -> chapters/en/beta-vae.qmd."""
    stem = module_name.rsplit(".", 1)[-1]
    stem = "_preface" if stem == "preface" else stem.replace("_", "-")
    return REPO_ROOT / "chapters" / check_lang(lang) / f"{stem}.qmd"


# --- In the page --------------------------------------------------------------------------------------


def mode() -> str:
    """strict, mark, or preview (the quick profile: never fails, marks nothing)."""
    from vaebook.config import get_profile

    if get_profile().name != "full":
        return "preview"
    chosen = os.environ.get(MODE_VARIABLE, "mark")
    if chosen not in MODES:
        raise ClaimError(f"{MODE_VARIABLE}={chosen!r}: choose one of {', '.join(MODES)}")
    return chosen


def evidence_file(lang: str) -> Path:
    from vaebook.config import get_profile

    return EVIDENCE_DIR / f"{get_profile().name}-{check_lang(lang)}.json"


def failure_message(failed: Iterable[tuple[Citation, Evidence]], lang: str = "en") -> str:
    lines = [f"claim {c.claim_id} does not hold: {e.text(lang)}\n  at {c.where()}: \"{c.sentence}\""
             for c, e in failed]
    return "\n".join(lines) + "\nclaims: rewrite these sentences to say what the numbers show (WRITING.md)"


def publish(path: Path, lang: str) -> dict[str, Evidence]:
    """Evaluates the claims a chapter file cites and leaves their evidence for the page's
    filter (`claims.lua`); in strict mode a false claim raises `ClaimFailed`."""
    cited = citations(path)
    results = {c.claim_id: evaluate(c.claim_id) for c in cited}
    current = mode()
    failed = [(c, results[c.claim_id]) for c in cited if not results[c.claim_id].holds]
    if failed and current == "strict":
        raise ClaimFailed(failure_message(failed, lang))
    target = evidence_file(lang)
    target.parent.mkdir(parents=True, exist_ok=True)
    try:
        shown = json.loads(target.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        shown = {}
    verdict = VERDICT[lang]
    for claim_id, evidence in results.items():
        shown[claim_id] = {"holds": evidence.holds, "mark": current == "mark" and not evidence.holds,
                           "evidence": f"{evidence.text(lang)} — {verdict[0] if evidence.holds else verdict[1]}"}
    temporary = target.with_suffix(f".{os.getpid()}.tmp")
    temporary.write_text(json.dumps(shown, ensure_ascii=False, indent=1, sort_keys=True), encoding="utf-8")
    temporary.replace(target)
    return results


# --- The command ----------------------------------------------------------------------------------------


def book_citations() -> dict[str, dict[str, list[Citation]]]:
    """{claim id: {lang: [citations]}} over both editions."""
    cited: dict[str, dict[str, list[Citation]]] = {}
    for lang in LANGS:
        for path in edition_files(lang):
            for c in citations(path):
                cited.setdefault(c.claim_id, {}).setdefault(lang, []).append(c)
    return cited


def structure_problems() -> list[str]:
    """Ids cited without a check, checks cited nowhere, ids cited in one edition only."""
    checks, cited = register_all(), book_citations()
    problems = [f"claim {i} is cited ({cited[i][next(iter(cited[i]))][0].where()}) but has no check"
                for i in sorted(cited) if i not in checks]
    problems += [f"claim {i} has a check ({checks[i].__module__}.{checks[i].__name__}) but no edition cites it"
                 for i in sorted(checks) if i not in cited]
    problems += [f"claim {i} is cited only in {', '.join(cited[i])}" for i in sorted(cited)
                 if i in checks and set(cited[i]) != set(LANGS)]
    return problems


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m latentdigits.claims", description=__doc__.split("\n\n")[0])
    parser.add_argument("ids", nargs="*", metavar="ID", help="claims to check (default: every claim of the book)")
    parser.add_argument("--profile", choices=("full", "quick"), default="full")
    parser.add_argument("--lang", choices=LANGS, default="en", help="language of the rules' words")
    args = parser.parse_args(argv)
    # The checks read the profile from the environment; set it for them alone, so that a caller
    # in the same process (a test) keeps its own.
    previous = os.environ.get("VAEBOOK_PROFILE")
    os.environ["VAEBOOK_PROFILE"] = args.profile
    try:
        return _check(args)
    finally:
        if previous is None:
            os.environ.pop("VAEBOOK_PROFILE", None)
        else:
            os.environ["VAEBOOK_PROFILE"] = previous


def _check(args) -> int:
    problems = structure_problems()
    cited = book_citations()
    unknown = [i for i in args.ids if i not in CHECKS]
    if unknown:
        print(f"claims: no claim {', '.join(unknown)}; `python -m latentdigits.claims` lists them all", file=sys.stderr)
        return 2
    failed = 0
    for claim_id in args.ids or sorted(CHECKS):
        evidence = evaluate(claim_id)
        failed += not evidence.holds
        where = ", ".join(c.where() for lang in LANGS for c in cited.get(claim_id, {}).get(lang, []))
        print(f"{claim_id}  {'holds' if evidence.holds else 'FAILS'}  {evidence.text(args.lang)}  [{where}]")
    for problem in problems:
        print(f"claims: {problem}", file=sys.stderr)
    print(f"claims: {len(args.ids or CHECKS) - failed} hold, {failed} fail", file=sys.stderr)
    return 2 if problems else 1 if failed else 0


if __name__ == "__main__":
    # Run as a script, this file is `__main__`, not the module the chapters register with.
    from latentdigits.claims import main as registered_main

    sys.exit(registered_main())
