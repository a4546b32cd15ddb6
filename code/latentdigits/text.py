"""The book's words for its figures and tables, in both languages, and the helpers that
write numbers and phrases into the prose. Each helper is defined once here and used by
every chapter, so a number is written the same way everywhere.

A chapter's `facts(lang)` returns `Text` values: strings that Quarto inserts as Markdown,
untouched (a plain string from an inline expression is escaped, which breaks it inside
math: `$x = 1\\.5$`).
"""

from __future__ import annotations

import datetime
import re
from types import SimpleNamespace

from vaebook.plots import require_cjk_font

LANGS = ("en", "zh")
# A Chinese character or full-width punctuation mark.
_CJK = re.compile(r"[\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uff00-\uffef]")

LABELS = {
    "en": {
        "epoch": "epoch", "train": "train", "test": "test", "loss": "loss (nats per image)",
        "recon": "reconstruction term", "kl": "KL term", "total": "train loss (recon + KL)",
        "steps": "per step", "seed": "course report 002's log", "original": "test digit",
        "reconstruction": "reconstruction",
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
        "gap_loss": "train loss", "gap_recon": "reconstruction term (train)", "gap_kl": "KL term (train)",
        "book_minus_report": "this book − course report 002 (nats per image)",
        "classifier_body": "feature extractor", "classifier_head": "class scores",
        "first_seed": "{} (first seed)", "report_001": "course report 001",
        "arch_input": "input x", "arch_encoder": "encoder", "arch_code": "code", "arch_decoder": "decoder",
        "arch_output": "image x̂", "arch_noise": "noise z", "arch_generator": "generator G",
        "arch_real_or_fake": "real x or G(z)", "arch_discriminator": "discriminator D", "arch_logit": "score",
        "arch_vaegan_output": "image x̃", "arch_dis_features": "discriminator: features",
        "arch_dis_head": "discriminator: score", "arch_dis_input": "x, x̃ or xₚ",
        "sweep_mse": "squared error", "sweep_ce": "cross-entropy",
    },
    "zh": {
        "epoch": "训练轮数", "train": "训练集", "test": "测试集", "loss": "损失（纳特/图像）",
        "recon": "重构项", "kl": "KL 项", "total": "训练损失（重构 + KL）",
        "steps": "逐步", "seed": "课程报告 002 的记录", "original": "测试数字", "reconstruction": "重构",
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
        "noisy_trained": "噪声训练的 VAE", "denoising": "去噪 VAE",
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
        "gap_loss": "训练损失", "gap_recon": "重构项（训练集）", "gap_kl": "KL 项（训练集）",
        "book_minus_report": "本书 − 课程报告 002（纳特/图像）",
        "classifier_body": "特征提取", "classifier_head": "类别得分",
        "first_seed": "{}（第一个种子）", "report_001": "课程报告 001",
        "arch_input": "输入 x", "arch_encoder": "编码器", "arch_code": "编码", "arch_decoder": "解码器",
        "arch_output": "图像 x̂", "arch_noise": "噪声 z", "arch_generator": "生成器 G",
        "arch_real_or_fake": "真实数字 x 或 G(z)", "arch_discriminator": "判别器 D", "arch_logit": "得分",
        "arch_vaegan_output": "图像 x̃", "arch_dis_features": "判别器：特征",
        "arch_dis_head": "判别器：得分", "arch_dis_input": "x、x̃ 或 xₚ",
        "sweep_mse": "平方误差", "sweep_ce": "交叉熵",
    },
}


class Text(str):
    """A string that Quarto inserts into the page as Markdown, as it is."""

    def _repr_markdown_(self) -> str:
        return str(self)


# What an empty fact shows. Quarto leaves an inline expression whose value is empty as its
# source (`{python} f.name` in the page), so a sentence that a result leaves out is an
# invisible comment instead.
OMITTED = "<!-- -->"


class Facts(SimpleNamespace):
    """A chapter's numbers and verdicts, each a `Text`, read in the prose as `f.name`."""

    def __init__(self, **values):
        super().__init__(**{k: v if isinstance(v, (Facts, list, dict)) else Text(str(v) or OMITTED)
                            for k, v in values.items()})


def check_lang(lang: str) -> str:
    if lang not in LANGS:
        raise ValueError(f"unknown language {lang!r}; the book has {', '.join(LANGS)}")
    return lang


def labels(lang: str) -> dict[str, str]:
    """The words of the figures in `lang`; for Chinese, a CJK font must be installed."""
    if check_lang(lang) == "zh":
        require_cjk_font()
    return LABELS[lang]


def number(value: float, digits: int = 2) -> Text:
    """1,234.57: thousands separated, `digits` after the point (the same in both languages)."""
    return Text(f"{float(value):,.{digits}f}")


def integer(value: int) -> Text:
    return Text(f"{int(value):,}")


def percent(fraction: float, digits: int = 1) -> Text:
    """A fraction as a percentage without the sign: 0.123 -> 12.3 (the prose adds % or ％)."""
    return Text(f"{100 * float(fraction):.{digits}f}")


def signed(value: float, digits: int = 2) -> Text:
    return Text(f"{float(value):+,.{digits}f}")


MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
          "November", "December")


def day(value: datetime.date, lang: str) -> Text:
    """A date as each edition writes it: '1 December 2026' / '2026 年 12 月 1 日'."""
    if check_lang(lang) == "zh":
        return Text(f"{value.year} 年 {value.month} 月 {value.day} 日")
    return Text(f"{value.day} {MONTHS[value.month - 1]} {value.year}")


def listing(items, lang: str) -> Text:
    """'a, b and c' / 'a、b 和 c'."""
    items = [str(item) for item in items]
    if len(items) <= 1:
        return Text("".join(items))
    if check_lang(lang) == "zh":
        head = "、".join(items[:-1])
        # Chinese sets off Latin words and numbers with a space, not Chinese ones: "FID 和置信度".
        before, after = (" " if not _CJK.match(text) else "" for text in (head[-1], items[-1][0]))
        return Text(f"{head}{before}和{after}{items[-1]}")
    return Text(", ".join(items[:-1]) + (" and " if len(items) == 2 else ", and ") + items[-1])


def choose(condition: bool, yes: str, no: str) -> Text:
    """One of two phrases, by a measured condition."""
    return Text(yes if condition else no)


def tally(part: int, whole: int, every: str, some: str, none: str | None = None) -> Text:
    """How many of `whole` things a measurement found, said the way a reader would say it:
    `every` when it is all of them ("all {whole} chords", never "6 of the 6 chords"), `none`
    when it is none of them (if given), else `some` ("{part} of the {whole} chords"); each
    phrase may use {part} and {whole}."""
    if not 0 <= part <= whole:
        raise ValueError(f"{part} is not a count out of {whole}")
    phrase = every if part == whole else none if part == 0 and none is not None else some
    return Text(phrase.format(part=integer(part), whole=integer(whole)))


ORDINALS_EN = ("first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth", "tenth")


def ordinal(place: int, lang: str) -> Text:
    """A place in a ranking: 'first' ... 'tenth', then '11th', '22nd' / '1' ... (the Chinese
    prose writes 第 … 位 around it)."""
    if place < 1:
        raise ValueError(f"no place {place} in a ranking")
    if check_lang(lang) == "zh":
        return integer(place)
    if place <= len(ORDINALS_EN):
        return Text(ORDINALS_EN[place - 1])
    suffix = "th" if place % 100 in (11, 12, 13) else {1: "st", 2: "nd", 3: "rd"}.get(place % 10, "th")
    return Text(f"{place:,}{suffix}")


def compare(a: float, b: float, tolerance: float = 0.01) -> int:
    """1 if a exceeds b by more than `tolerance` of the larger in size, -1 if it falls short
    by as much, else 0: whether a difference is worth a word."""
    if abs(a - b) <= tolerance * max(abs(a), abs(b)):
        return 0
    return 1 if a > b else -1


def comparative(a: float, b: float, more: str, same: str, less: str, tolerance: float = 0.01) -> Text:
    """The phrase for how a compares with b (`compare`)."""
    return Text({1: more, 0: same, -1: less}[compare(a, b, tolerance)])
