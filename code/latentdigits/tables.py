"""Tables as Markdown text, in English or Chinese: a chapter displays them with
IPython's `Markdown`, and Quarto typesets them as native tables."""

from __future__ import annotations

import re

import torch
from torch import nn

from vaebook.config import VAEConfig
from vaebook.models import PIXELS

from .experiments import EXPERIMENTS

HEADERS = {
    "architecture": {
        "en": ("part", "layer", "output", "activation", "parameters"),
        "zh": ("部分", "层", "输出", "激活函数", "参数量"),
    },
    "log": {
        "en": ("epoch", "course report 002: train loss", "this book: train loss", "difference",
               "difference: reconstruction",
               "difference: KL"),
        "zh": ("训练轮数", "课程报告 002：训练损失", "本书：训练损失", "差值", "差值：重构项", "差值：KL 项"),
    },
}
LAYERS = {
    "en": ("network", "layer", "output", "parameters"),
    "zh": ("网络", "层", "输出", "参数量"),
}
SCORES = {
    "en": ("model", "FID (classifier features)", "confidence", "coverage KL (nats)", "rarest digit", "commonest digit"),
    "zh": ("模型", "FID（分类器特征）", "置信度", "类别覆盖 KL（纳特）", "最少的数字", "最多的数字"),
}
PARTS = {
    "en": {"encoder": "encoder", "decoder": "decoder", "logits": "logits; sigmoid gives the image", "total": "total"},
    "zh": {"encoder": "编码器", "decoder": "解码器", "logits": "logits；经 sigmoid 得到图像", "total": "合计"},
}


def _markdown(header, rows) -> str:
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join(["---"] * len(header)) + "|"]
    lines += ["| " + " | ".join(str(cell) for cell in row) + " |" for row in rows]
    return "\n".join(lines)


def architecture(config: VAEConfig, lang: str = "en") -> str:
    """The MLP VAE layer by layer, with parameter counts."""
    p = PARTS[lang]
    h, z = config.hidden_dim, config.latent_dim
    layers = [
        (p["encoder"], f"Linear {PIXELS} → {h}", h, "ReLU", PIXELS * h + h),
        (p["encoder"], f"Linear {h} → {z} (μ)", z, "—", h * z + z),
        (p["encoder"], f"Linear {h} → {z} (log σ²)", z, "—", h * z + z),
        (p["decoder"], f"Linear {z} → {h}", h, "ReLU", z * h + h),
        (p["decoder"], f"Linear {h} → {PIXELS}", PIXELS, p["logits"], h * PIXELS + PIXELS),
    ]
    total = sum(layer[-1] for layer in layers)
    rows = [(*layer[:-1], f"{layer[-1]:,}") for layer in layers] + [(p["total"], "", "", "", f"{total:,}")]
    return _markdown(HEADERS["architecture"][lang], rows)


def log_comparison(ours: dict, log: dict, epochs, lang: str = "en") -> str:
    """A logged reference {epoch: (loss, recon, kl)} beside a run's own {epoch: (loss, recon, kl)},
    at the given epochs both have: the two losses and the run's difference from the log in
    each of the three columns, from the values as shown (two decimals)."""
    rows = []
    for e in (e for e in epochs if e in ours and e in log):
        gaps = [_signed(round(a, 2) - round(b, 2)) for a, b in zip(ours[e], log[e])]
        rows.append((e, f"{log[e][0]:.2f}", f"{ours[e][0]:.2f}", *gaps))
    return _markdown(HEADERS["log"][lang], rows)


def _signed(value: float, digits: int = 2) -> str:
    """+1,234.12, −0.12 (a true minus sign), 0.00 (never a signed zero)."""
    if abs(value) < 0.5 * 10**-digits:
        return f"{0:.{digits}f}"
    return f"{value:+,.{digits}f}".replace("-", "−")


ANCHORS = {
    "en": ("model", "network", "digits", "epochs", "measure", "nats per image"),
    "zh": ("模型", "网络", "数据", "训练轮数", "度量", "纳特/图像"),
}
ANCHOR_ROWS = {
    "en": {"example": ("PyTorch examples/vae, run here", "784-400-20, ReLU", "grey levels", "test loss, one run"),
           "twin": ("{name}", "784-400-20, ReLU", "grey levels", "test loss, {seeds} seeds (mean ± sd)"),
           "paper": ("Burda et al., VAE (published)", "784-200-200-50, tanh", "binarised",
                     "−IWAE bound, k = {k}, all test digits"),
           "binary": ("{name}", "784-400-20, ReLU", "binarised",
                      "−IWAE bound, k = {k}, first {n} test digits (± standard error)")},
    "zh": {"example": ("PyTorch examples/vae，在本机运行", "784-400-20，ReLU", "灰度", "测试集损失，一次运行"),
           "twin": ("{name}", "784-400-20，ReLU", "灰度", "测试集损失，{seeds} 个种子（均值 ± 标准差）"),
           "paper": ("Burda 等的 VAE（论文发表值）", "784-200-200-50，tanh", "二值化",
                     "−IWAE 界，k = {k}，全部测试数字"),
           "binary": ("{name}", "784-400-20，ReLU", "二值化", "−IWAE 界，k = {k}，前 {n} 张测试数字（± 标准误差）")},
}


def anchors(rows: list[dict], lang: str = "en") -> str:
    """Published or independently run numbers beside the book's: each row a dict with `kind`
    (a key of `ANCHOR_ROWS`), `epochs`, `value` (the number as shown) and the fields its
    words name ({name}, {seeds}, {k}, {n})."""
    lines = []
    for row in rows:
        model, network, digits, measure = (text.format(**row) for text in ANCHOR_ROWS[lang][row["kind"]])
        lines.append((model, network, digits, row["epochs"], measure, row["value"]))
    return _markdown(ANCHORS[lang], lines)


CODE_NORMS = {
    "en": ("model", "digits", "output and loss", "image", "epochs", "norm before training", "norm after training"),
    "zh": ("模型", "像素范围", "输出与损失", "图像", "训练轮数", "训练前的范数", "训练后的范数"),
}
CODE_NORM_ROWS = {
    "en": {"vae-bce": ("vae-bce", "[0, 1]", "sigmoid, BCE", "first test digit"),
           "vae-tanh": ("vae-tanh", "[−1, 1]", "Tanh, squared error", "first test digit"),
           "003": ("course report 003", "[−1, 1]", "Tanh, squared error", "first training digit")},
    "zh": {"vae-bce": ("vae-bce", "[0, 1]", "sigmoid，BCE", "第一张测试数字"),
           "vae-tanh": ("vae-tanh", "[−1, 1]", "Tanh，平方误差", "第一张测试数字"),
           "003": ("课程报告 003", "[−1, 1]", "Tanh，平方误差", "第一张训练数字")},
}


def code_norms(norms: dict, lang: str = "en") -> str:
    """One image's posterior-mean norm before and after training, per model: {key of
    `CODE_NORM_ROWS`: (epochs, before, after)}."""
    rows = [(*CODE_NORM_ROWS[lang][key], epochs, _number(before), _number(after))
            for key, (epochs, before, after) in norms.items()]
    return _markdown(CODE_NORMS[lang], rows)


TIMES = {
    "en": ("model", "machine", "epochs", "training time (s)", "seconds per epoch", "models trained together"),
    "zh": ("模型", "机器", "训练轮数", "训练时间（秒）", "每轮秒数", "一起训练的模型数"),
}
TOTAL = {"en": "total", "zh": "合计"}
MINUTES = {"en": "{} ({} min)", "zh": "{}（{} 分钟）"}


def device_label(name: str) -> str:
    """A processor's name without trademark signs and the words every one has ("Intel(R)
    Xeon(R) Processor @ 2.50GHz" -> "Intel Xeon @ 2.50GHz"), short enough for a table cell."""
    name = re.sub(r"\((?:R|TM)\)|\b(?:CPU|Processor)\b", "", name)
    return re.sub(r"\s+", " ", name).strip()


def batch_label(members) -> str:
    """The models a run was trained with as one batch, as its first and last and how many
    ("noise-0.01 … denoise-0.8 (8)"): the same in every row of the batch, and one line long."""
    members = list(members)
    if len(members) <= 2:
        return ", ".join(members) or "—"
    return f"{members[0]} … {members[-1]} ({len(members)})"


def training_times(runs, lang: str = "en") -> str:
    """Each run's training time from its cache metadata, and the sum in seconds and minutes.
    Runs trained together as one batched model show how many there were."""
    rows = [
        (run.name, device_label(run.meta["device_name"]), run.config.epochs, f"{run.meta['train_seconds']:,.1f}",
         f"{run.meta['seconds_per_epoch']:.2f}", len(run.meta.get("trained_with", [])) or "—")
        for run in runs
    ]
    seconds = sum(run.meta["train_seconds"] for run in runs)
    rows.append((TOTAL[lang], "", "", MINUTES[lang].format(f"{seconds:,.1f}", f"{seconds / 60:,.1f}"), "", ""))
    lines = ["| " + " | ".join(TIMES[lang]) + " |", "|:" + "-" * 16 + "|:" + "-" * 26 + "|" + "-" * 8 + ":|"
             + "-" * 18 + ":|" + "-" * 12 + ":|" + "-" * 12 + ":|"]
    return "\n".join(lines + ["| " + " | ".join(str(cell) for cell in row) + " |" for row in rows])


BENCH = {
    "en": ("device", "epochs", "course reports' loop: process (s)", "vaebook: process (s)", "speed-up",
           "course reports' loop (s/epoch)", "vaebook (s/epoch)", "vaebook: share of the matmul limit",
           "β sweep of 6, batched vs one by one"),
    "zh": ("设备", "训练轮数", "课程报告写法：整个进程（秒）", "vaebook：整个进程（秒）", "加速比",
           "课程报告写法（秒/轮）", "vaebook（秒/轮）", "vaebook：达到矩阵乘法上限的比例",
           "6 个 β 批量训练相对依次训练"),
}


def benchmarks(results: list[dict], lang: str = "en") -> str:
    """One row per benchmark result written by bench/run.py: the whole process and the epoch
    of both training loops, the trainer's share of the device's matrix-multiply FLOP/s, and
    the speed-up of a batched β sweep."""
    rows = []
    for r in results:
        course, book, sweep = r["course_loop"], r["book_trainer"], r["beta_sweep"]
        rows.append((f"{r['device_name']} ({r['device']})", r["epochs"], f"{course['process_s']:.1f}",
                     f"{book['process_s']:.1f}", f"{course['process_s'] / book['process_s']:.2f}×",
                     f"{course['epoch_s']:.2f}", f"{book['epoch_s']:.2f}", f"{book['share_of_limit']:.0%}",
                     f"{sweep['speedup']:.2f}×"))
    return _markdown(BENCH[lang], rows)


def _number(value: float, digits: int = 2) -> str:
    return f"{value:,.{digits}f}"


LOSSES = {
    "en": ("model", "reconstruction loss", "epochs", "test reconstruction term", "test KL (nats)",
           "test squared error", "sample mean intensity", "sample sharpness"),
    "zh": ("模型", "重构损失", "训练轮数", "测试集重构项", "测试集 KL（纳特）", "测试集平方误差",
           "样本平均墨量", "样本锐度"),
}
REAL_DIGITS = {"en": "real test digits", "zh": "真实测试数字"}


def loss_comparison(runs: dict, stats: dict, lang: str = "en") -> str:
    """The reconstruction-loss models side by side: each one's own test terms, then measures
    in a shared unit: squared error of test reconstructions, and the mean intensity and
    sharpness of 10,000 samples, with the real test digits' values last."""
    rows = [
        (name, run.config.recon_loss.upper(), run.config.epochs, _number(run.metrics["test_recon"]),
         _number(run.metrics["test_kl"]), _number(stats[name]["recon_mse"]),
         _number(stats[name]["sample_intensity"], 3), _number(stats[name]["sample_sharpness"], 3))
        for name, run in runs.items()
    ]
    any_stats = next(iter(stats.values()))
    rows.append((REAL_DIGITS[lang], "", "", "", "", "", _number(any_stats["test_intensity"], 3),
                 _number(any_stats["test_sharpness"], 3)))
    return _markdown(LOSSES[lang], rows)


BETA = {
    "en": ("β", "test reconstruction (nats)", "test KL (nats)", "test negative ELBO (nats)", "active dimensions"),
    "zh": ("β", "测试集重构项（纳特）", "测试集 KL（纳特）", "测试集负 ELBO（纳特）", "活跃维度"),
}


def beta_sweep(runs: dict, active: dict, lang: str = "en") -> str:
    """One row per β: its epochs, the test terms, the β = 1 objective (the negative ELBO,
    comparable across β) and the number of active latent dimensions. {name: run}, {name: count}."""
    rows = [
        (f"{run.config.beta:g}", _number(run.metrics["test_recon"]), _number(run.metrics["test_kl"]),
         _number(run.metrics["test_recon"] + run.metrics["test_kl"]), f"{active[name]} / {run.config.latent_dim}")
        for name, run in runs.items()
    ]
    return _markdown(*_with_epochs(BETA[lang], rows, list(runs),
                                   {name: run.config.epochs for name, run in runs.items()},
                                   lang))


TWO_D_SWEEPS = {
    "en": ("β", "squared error: test KL (nats)", "squared error: FID", "cross-entropy: test KL (nats)",
           "cross-entropy: FID"),
    "zh": ("β", "平方误差：测试集 KL（纳特）", "平方误差：FID", "交叉熵：测试集 KL（纳特）", "交叉熵：FID"),
}


def two_d_sweeps(sweeps: dict, lang: str = "en") -> str:
    """Course report 000's two β sweeps side by side, one row per β of either: {loss: {β:
    (test KL, FID)}} with the losses "mse" and "ce"; a dash where a sweep lacks that β."""
    betas = sorted({beta for sweep in sweeps.values() for beta in sweep})

    def cells(loss, beta):
        if beta not in sweeps[loss]:
            return MISSING, MISSING
        kl, fid = sweeps[loss][beta]
        return _number(kl), _number(fid, 1)

    rows = [(f"{beta:g}", *cells("mse", beta), *cells("ce", beta)) for beta in betas]
    return _markdown(TWO_D_SWEEPS[lang], rows)


LOGGED_LOSSES = {
    "en": ("loss", "β", "course report 000", "this book", "difference"),
    "zh": ("损失", "β", "课程报告 000", "本书", "差值"),
}


def logged_losses(rows: dict, lang: str = "en") -> str:
    """A course report's logged train loss of the last epoch beside the book's run of the same
    model: {(loss label, β): (report, ours)}."""
    return _markdown(LOGGED_LOSSES[lang], [(loss, f"{beta:g}", _number(report), _number(ours), _signed(ours - report))
                                           for (loss, beta), (report, ours) in rows.items()])


BETA_SEEDS = {
    "en": ("β", "epochs", "test reconstruction (nats)", "test KL (nats)", "test negative ELBO (nats)", "FID",
           "active dimensions (first seed)"),
    "zh": ("β", "训练轮数", "测试集重构项（纳特）", "测试集 KL（纳特）", "测试集负 ELBO（纳特）", "FID",
           "活跃维度（第一个种子）"),
}


def beta_seeds(spreads: dict, active: dict, epochs: dict, latent_dim: int, lang: str = "en") -> str:
    """One row per β ({β label: seed scores}): the test terms, the negative ELBO and FID as
    mean ± sample standard deviation over the seeds, and the active dimensions of the first
    seed's model ({β label: count}), whose figures the chapter draws."""
    rows = [(label, epochs[label], mean_and_spread(s["test_recon"]), mean_and_spread(s["test_kl"]),
             mean_and_spread(s["test_loss"]), mean_and_spread(s["fid"]), f"{active[label]} / {latent_dim}")
            for label, s in spreads.items()]
    return _markdown(BETA_SEEDS[lang], rows)


TRAINING_LOG = {
    "en": ("run", "epoch", "train loss: reconstruction + β · KL (nats)", "train KL (nats)",
           "train reconstruction (nats)"),
    "zh": ("运行", "训练轮数", "训练损失：重构 + β · KL（纳特）", "训练集 KL（纳特）", "训练集重构项（纳特）"),
}


def training_log(rows: dict, lang: str = "en") -> str:
    """Training logs side by side: {(run label, epoch): (loss, kl, recon)}, per image."""
    return _markdown(TRAINING_LOG[lang], [(label, epoch, *(_number(v) for v in values))
                                          for (label, epoch), values in rows.items()])


NOISE = {
    "en": ("corrupted pixels", "epochs", "corrupted input: PSNR (dB)", "noisy-trained VAE: PSNR (dB)",
           "denoising VAE: PSNR (dB)", "clean-trained VAE: PSNR (dB)", "noisy-trained: clean test loss (nats)",
           "denoising: clean test loss (nats)"),
    "zh": ("被污染像素", "训练轮数", "污染后的输入：PSNR（dB）", "噪声训练：PSNR（dB）", "去噪：PSNR（dB）",
           "干净训练：PSNR（dB）", "噪声训练：干净测试损失（纳特）", "去噪：干净测试损失（纳特）"),
}


def _epochs(runs) -> str:
    """The epochs of runs compared in one row: one number when they trained alike, else each."""
    counts = [run.config.epochs for run in runs]
    return str(counts[0]) if len(set(counts)) == 1 else " / ".join(map(str, counts))


def noise_scores(runs: dict, scores: dict, reference, reference_scores: dict, lang: str = "en") -> str:
    """Per corruption rate, from the `noise-<rate>` and `denoise-<rate>` runs ({name: run})
    and their denoising scores ({name: measure.denoising(...)}), and a VAE trained on clean
    digits (`reference`, with {rate: measure.denoising(...)}): the epochs the three trained,
    PSNR of the corrupted input and of each model's reconstruction, and the test loss on
    clean digits of the two models trained on noisy ones."""
    rates = sorted({run.config.noise_rate for run in runs.values()})
    rows = []
    for rate in rates:
        noisy, denoising = f"noise-{rate:g}", f"denoise-{rate:g}"
        rows.append((f"{rate:.0%}", _epochs((runs[noisy], runs[denoising], reference)),
                     _number(float(scores[noisy]["input_psnr"])), _number(float(scores[noisy]["psnr"])),
                     _number(float(scores[denoising]["psnr"])), _number(float(reference_scores[rate]["psnr"])),
                     _number(runs[noisy].metrics["test_loss"]), _number(runs[denoising].metrics["test_loss"])))
    return _markdown(NOISE[lang], rows)


SCHEDULES = {
    "en": ("model", "epochs", "corrupted pixels", "epochs with noise", "clean test loss (nats)", "FID", "confidence"),
    "zh": ("模型", "训练轮数", "被污染像素", "加噪的轮次", "干净测试损失（纳特）", "FID", "置信度"),
}
SCHEDULE_WORDS = {"en": ("every epoch", "the first of {}", "{}, {} seeds, 95 % prediction interval"),
                  "zh": ("每一轮", "{} 轮中的第一轮", "{}，{} 个种子的 95% 预测区间")}


def noise_schedules(scores: dict, reference: tuple[str, int, int, dict], lang: str = "en") -> str:
    """Models trained on corrupted digits under two schedules, {name: (run, scores)} with the
    scores' clean test loss, FID and confidence; then the clean-trained reference's prediction
    intervals, (name, number of seeds, epochs, {column: (low, high)})."""
    every, first, interval = SCHEDULE_WORDS[lang]
    rows = []
    for name, (run, score) in scores.items():
        noisy = first.format(run.config.epochs) if run.config.family == "noisy-first-vae" else every
        rows.append((name, run.config.epochs, f"{run.config.noise_rate:.0%}", noisy, _number(score["test_loss"]),
                     _number(score["fid"], 1), _number(score["confidence"], 3)))
    name, seeds, epochs, bounds = reference
    rows.append((interval.format(name, seeds), epochs, MISSING, MISSING,
                 *(f"{_number(low, d)} – {_number(high, d)}"
                   for (low, high), d in zip((bounds["test_loss"], bounds["fid"], bounds["confidence"]), (2, 1, 3)))))
    return _markdown(SCHEDULES[lang], rows)


AE_VS_VAE = {
    "en": ("model", "KL term", "epochs", "reconstruction: training set (nats)", "reconstruction: test set (nats)",
           "code means: largest in size", "code variances: smallest – largest"),
    "zh": ("模型", "KL 项", "训练轮数", "训练集重构项（纳特）", "测试集重构项（纳特）", "编码均值：绝对值最大者",
           "编码方差：最小 – 最大"),
}
WITH_KL = {"en": ("no", "yes"), "zh": ("无", "有")}


def code_comparison(runs: dict, codes: dict, lang: str = "en", train_recon: dict | None = None) -> str:
    """Reconstruction (on the training digits, `train_recon`, {name: nats}, and on the test
    digits) and the aggregate posterior's moments of models with and without the KL term:
    {name: run}, {name: measure.code_statistics(run)}."""
    rows = []
    for name, run in runs.items():
        mean, var = codes[name]["code_mean"], codes[name]["code_var"]
        train = _number(train_recon[name]) if train_recon else "–"
        rows.append((name, WITH_KL[lang][run.config.beta > 0], run.config.epochs, train,
                     _number(run.metrics["test_recon"]), _number(mean.abs().max().item()),
                     f"{var.min().item():,.3g} – {var.max().item():,.3g}"))
    return _markdown(AE_VS_VAE[lang], rows)


KL_CHECK = {
    "en": ("Gaussian", "$\\lVert\\mu\\rVert$", "mean $\\sigma^2$", "closed form (nats)", "Monte Carlo (nats)",
           "standard error"),
    "zh": ("高斯分布", "$\\lVert\\mu\\rVert$", "$\\sigma^2$ 的平均", "闭式解（纳特）", "蒙特卡洛估计（纳特）",
           "标准误差"),
}
JENSEN = {
    "en": ("proposal $q(z)$", "ELBO: mean of $\\log w$", "$\\log$ of mean $w$", "$\\log p(x)$ (exact)",
           "gap $\\log p(x) - \\text{ELBO}$", "$\\mathrm{KL}(q \\,\\Vert\\, p(z \\mid x))$ (exact)"),
    "zh": ("提议分布 $q(z)$", "ELBO：$\\log w$ 的均值", "$w$ 均值的对数", "$\\log p(x)$（精确值）",
           "差距 $\\log p(x) - \\text{ELBO}$", "$\\mathrm{KL}(q \\,\\Vert\\, p(z \\mid x))$（精确值）"),
}
PROPOSAL_NAMES = {"en": ("the prior", "the true posterior"), "zh": ("先验", "真实后验")}


def kl_check(mu, logvar, closed, estimate, error, lang: str = "en") -> str:
    """Closed-form KL of diagonal Gaussians from N(0, I) beside a Monte Carlo estimate: one
    row per Gaussian (rows of `mu`, `logvar`), with `closed` from `losses.gaussian_kl` and
    (`estimate`, `error`) from `losses.monte_carlo_kl`."""
    rows = [(i + 1, _number(mu[i].norm().item()), _number(logvar[i].exp().mean().item()), _number(closed[i].item(), 3),
             _number(estimate[i].item(), 3), _number(error[i].item(), 3)) for i in range(len(mu))]
    return _markdown(KL_CHECK[lang], rows)


def jensen_gap(proposals, result: dict, lang: str = "en") -> str:
    """The toy model's bound for each proposal q = N(mean, var) of `proposals`, from
    `analysis.toy_jensen_gap(..., proposals)`: ELBO, log of the mean weight, the exact
    evidence, the gap and the KL from q to the true posterior. The prior N(0, 1) and the
    true posterior are named as such."""
    prior, posterior = PROPOSAL_NAMES[lang]
    post_mean, post_var = (value.item() for value in result["posterior"])
    rows = []
    for i, (mean, var) in enumerate(proposals):
        name = f"$\\mathcal N({mean:g}, {var:g})$"
        if (mean, var) == (0.0, 1.0):
            name += f" ({prior})" if lang == "en" else f"（{prior}）"
        elif abs(mean - post_mean) < 1e-9 and abs(var - post_var) < 1e-9:
            name += f" ({posterior})" if lang == "en" else f"（{posterior}）"
        values = (result["elbo"][i], result["log_mean_weight"][i], result["log_px"][i],
                  result["log_px"][i] - result["elbo"][i], result["kl_to_posterior"][i])
        rows.append((name, *(_number(0.0 if abs(v.item()) < 5e-4 else v.item(), 3) for v in values)))  # no "-0.000"
    return _markdown(JENSEN[lang], rows)


GLOSSARY = {"en": ("English", "中文", "meaning"), "zh": ("英文", "中文", "含义")}


def glossary(lang: str = "en") -> str:
    """The book's terms (`vaebook.glossary.TERMS`) in both languages, with a definition in
    `lang`, sorted by the English term (β read as "beta")."""
    from .glossary import TERMS

    def key(term):
        return term[0].replace("β", "beta").lower()

    rows = [(en, zh, en_meaning if lang == "en" else zh_meaning)
            for en, zh, en_meaning, zh_meaning in sorted(TERMS, key=key)]
    # Left-aligned, the meaning given most of the width (Quarto reads relative widths from the
    # separator's dashes once a row is longer than a line).
    lines = ["| " + " | ".join(GLOSSARY[lang]) + " |", "|:" + "-" * 22 + "|:" + "-" * 18 + "|:" + "-" * 60 + "|"]
    return "\n".join(lines + ["| " + " | ".join(row) + " |" for row in rows])


def _layer_name(layer) -> str:
    if isinstance(layer, nn.Linear):
        return f"Linear {layer.in_features} → {layer.out_features}"
    if isinstance(layer, nn.Conv2d):
        k = layer.kernel_size[0]
        return f"Conv {k}×{k}, {layer.in_channels} → {layer.out_channels}"
    if isinstance(layer, nn.LeakyReLU):
        return f"LeakyReLU {layer.negative_slope:g}"
    if isinstance(layer, nn.MaxPool2d):
        return f"MaxPool {layer.kernel_size}×{layer.kernel_size}"
    if isinstance(layer, nn.BatchNorm1d | nn.BatchNorm2d):
        return "BatchNorm"
    return type(layer).__name__


def layers(networks: dict, example_inputs: dict, lang: str = "en") -> str:
    """The networks layer by layer, read from the modules themselves: {label: nn.Sequential},
    each run on its example input to show every layer's output shape."""
    rows, total = [], 0
    for label, network in networks.items():
        x = example_inputs[label]
        for layer in network:
            with torch.no_grad():
                x = layer(x)
            count = sum(p.numel() for p in layer.parameters())
            total += count
            rows.append((label, _layer_name(layer), " × ".join(map(str, x.shape[1:])), f"{count:,}" if count else ""))
    rows.append((PARTS[lang]["total"], "", "", f"{total:,}"))
    return _markdown(LAYERS[lang], rows)


EPOCHS = {"en": "epochs", "zh": "训练轮数"}
MISSING = "—"


def _with_epochs(header, rows, labels, epochs: dict | None, lang: str):
    """The table with an epochs column after the first, from {label: epochs} (a dash for a
    label without, such as the real digits); unchanged without `epochs`."""
    if epochs is None:
        return header, rows
    return ((header[0], EPOCHS[lang], *header[1:]),
            [(row[0], epochs.get(label, MISSING), *row[1:]) for label, row in zip(labels, rows)])


def sample_scores(scores: dict, lang: str = "en", epochs: dict | None = None) -> str:
    """FID, confidence and class coverage of each source of images {label: scores}, the
    digits with the smallest and largest share given with their shares; with `epochs`
    ({label: epochs}), how long each model trained."""
    rows = []
    for label, score in scores.items():
        shares = [float(v) for v in score["class_shares"]]
        rare, common = min(range(10), key=shares.__getitem__), max(range(10), key=shares.__getitem__)
        fid = float(score["fid"]) if "fid" in score else float(score["fid_floor"])
        rows.append((label, _number(fid), _number(float(score["confidence"]), 3),
                     _number(float(score["coverage_kl"]), 3),
                     f"{rare} ({shares[rare]:.1%})", f"{common} ({shares[common]:.1%})"))
    return _markdown(*_with_epochs(SCORES[lang], rows, list(scores), epochs, lang))


IMAGE_MEASURES = {
    "en": ("images", "sample mean intensity", "sample sharpness", "reconstruction mean intensity",
           "reconstruction sharpness",
           "test squared error"),
    "zh": ("图像", "样本平均墨量", "样本锐度", "重构平均墨量", "重构锐度", "测试集平方误差"),
}


def image_measures(stats: dict, lang: str = "en", epochs: dict | None = None) -> str:
    """Models compared on their images alone, whatever their loss ({label: analysis.image_stats}):
    mean intensity and sharpness of 10,000 prior samples and of the test reconstructions, and
    the reconstructions' squared error summed over pixels; the real test digits last, as the
    values a perfect model would match (their own reconstruction error is 0). With `epochs`
    ({label: epochs}), how long each model trained."""
    rows = [(label, *(_number(s[key], 3) for key in ("sample_intensity", "sample_sharpness", "recon_intensity",
                                                     "recon_sharpness")), _number(s["recon_mse"]))
            for label, s in stats.items()]
    real = next(iter(stats.values()))
    ink, sharp = _number(real["test_intensity"], 3), _number(real["test_sharpness"], 3)
    rows.append((REAL_DIGITS[lang], ink, sharp, ink, sharp, _number(0.0)))
    return _markdown(*_with_epochs(IMAGE_MEASURES[lang], rows, [*stats, REAL_DIGITS[lang]], epochs, lang))


PROTOCOL = {
    "en": ("model", "parameters", "epochs", "training (min)", "test loss (nats unless marked)", "−IWAE bound (nats)",
           "squared error", "FID", "confidence", "coverage KL"),
    "zh": ("模型", "参数量", "训练轮数", "训练时间（分钟）", "测试集损失（未标注者为纳特）", "−IWAE 下界（纳特）",
           "平方误差",
           "FID", "置信度", "类别覆盖 KL"),
}
# What a test loss adds up when its reconstruction term is not a log-likelihood in nats (the
# KL term always is): shown beside the number, which compares only with its own kind.
LOSS_UNITS = {
    "en": {"mse": "squared error + KL", "l1": "absolute error + KL", "tanh-mse": "squared error on [−1, 1] + KL",
           "softmax-ce": "softmax cross-entropy + KL", "none": "KL alone"},
    "zh": {"mse": "平方误差 + KL", "l1": "绝对误差 + KL", "tanh-mse": "[−1, 1] 上的平方误差 + KL",
           "softmax-ce": "softmax 交叉熵 + KL", "none": "仅 KL"},
}


def loss_cell(value: str, recon_loss: str | None, lang: str = "en") -> str:
    """A test loss as the tables print it: bare when it is in nats (a Bernoulli likelihood,
    BCE), with what it adds up otherwise."""
    unit = LOSS_UNITS[lang].get(recon_loss) if recon_loss is not None else None
    if value == MISSING or unit is None:
        return value
    return f"{value} ({unit})" if lang == "en" else f"{value}（{unit}）"


def _optional(score: dict, key: str, digits: int = 2, sign: float = 1.0) -> str:
    return _number(sign * score[key], digits) if key in score else MISSING


# What a cell of the protocol table holds when it is not its column's quantity (`protocol`'s
# `notes`): formatted with the model's scores.
CELL_NOTES = {
    "en": {"recon_only": "reconstruction term only", "binarised": "on binarised digits",
           "reference_budget": "binarised; k = {iwae_samples:,}, n = {iwae_images:,}"},
    "zh": {"recon_only": "仅重构项", "binarised": "二值化数字上",
           "reference_budget": "二值化；k = {iwae_samples:,}，n = {iwae_images:,}"},
}


def _noted(value: str, note: str | None, lang: str) -> str:
    if note is None or value == MISSING:
        return value
    return f"{value} ({note})" if lang == "en" else f"{value}（{note}）"


def protocol(scores: dict, real: dict, lang: str = "en", recon_losses: dict | None = None,
             notes: dict | None = None) -> str:
    """Every model under the evaluation protocol ({label: evaluate.evaluation(...)}): its size
    and training cost, then the test loss (the negative ELBO; reconstruction error alone for
    the autoencoder), the IWAE bound on −log p(x), the squared error of test reconstructions,
    and the scores of its samples; the real test digits (`real`, the classifier's evaluation)
    last, with the FID floor. A dash: the score does not apply to the model. The test losses
    that are not in nats are marked (`LOSS_UNITS`), by each model's reconstruction loss:
    `recon_losses` ({label: config.recon_loss}), or by default that of the experiment each label
    names, so that no table calls a squared error nats. `notes` ({label: {"test_loss" or "iwae":
    key of CELL_NOTES}}) marks the other cells that hold another quantity than their column's."""
    if recon_losses is None:
        recon_losses = {label: getattr(EXPERIMENTS[label].config, "recon_loss", None)
                        for label in scores if label in EXPERIMENTS}
    notes = notes or {}

    def note(label, column):
        key = notes.get(label, {}).get(column)
        return CELL_NOTES[lang][key].format(**scores[label]) if key else None

    rows = [
        (label, f"{score['parameters']:,}", score["epochs"], _number(score["train_seconds"] / 60, 1),
         _noted(loss_cell(_optional(score, "test_loss"), recon_losses.get(label), lang), note(label, "test_loss"),
                lang),
         _noted(_optional(score, "iwae", sign=-1), note(label, "iwae"), lang),
         _optional(score, "recon_mse"), _number(score["fid"]), _number(score["confidence"], 3),
         _number(score["coverage_kl"], 3))
        for label, score in scores.items()
    ]
    rows.append((REAL_DIGITS[lang], MISSING, MISSING, MISSING, MISSING, MISSING, MISSING, _number(real["fid_floor"]),
                 _number(real["confidence"], 3), _number(real["coverage_kl"], 3)))
    return _markdown(PROTOCOL[lang], rows)


SPREAD_COLUMNS = {
    "en": {"test_loss": "test loss (nats unless marked)", "test_kl": "test KL (nats)", "recon_mse": "squared error",
           "fid": "FID", "confidence": "confidence"},
    "zh": {"test_loss": "测试集损失（未标注者为纳特）", "test_kl": "测试集 KL（纳特）", "recon_mse": "平方误差",
           "fid": "FID",
           "confidence": "置信度"},
}
SPREAD_MODEL = {"en": "model", "zh": "模型"}


def mean_and_spread(values, digits: int = 2) -> str:
    """Mean ± sample standard deviation (n − 1 in the denominator) of a few seeds' values."""
    values = torch.as_tensor(values, dtype=torch.float64)
    return f"{_number(values.mean().item(), digits)} ± {_number(values.std().item(), digits)}"


def seed_spread(spreads: dict, epochs: dict, lang: str = "en", recon_losses: dict | None = None) -> str:
    """Mean ± standard deviation over seeds of the protocol's scores ({label: evaluate.seed_scores(...)}),
    after how many epochs each label trained ({label: epochs}); `recon_losses` as for `protocol`."""
    columns, recon_losses = SPREAD_COLUMNS[lang], recon_losses or {}

    def cell(label, spread, column):
        value = mean_and_spread(spread[column], 3 if column == "confidence" else 2)
        return loss_cell(value, recon_losses.get(label), lang) if column == "test_loss" else value

    rows = [(label, epochs[label], *(cell(label, spread, c) for c in columns)) for label, spread in spreads.items()]
    return _markdown((SPREAD_MODEL[lang], EPOCHS[lang], *columns.values()), rows)


# --- The evaluation protocol's chapter --------------------------------------------------------------

REFERENCE_HEADER = {"en": ("measure", "unit", "vae-bce", "real digits", "images"),
                    "zh": ("指标", "单位", "vae-bce", "真实数字", "图像数")}
REFERENCE_ROWS = {
    "en": {"epochs": ("epochs", ""), "test_loss": ("test loss (negative ELBO)", "nats per image"),
           "test_recon": ("reconstruction term", "nats per image"), "test_kl": ("KL term", "nats per image"),
           "iwae": ("−IWAE bound, k = {k}", "nats per image"), "recon_mse": ("squared error of reconstructions",
                                                                          "summed over pixels"),
           "fid": ("FID", "—"), "confidence": ("confidence", "probability"), "coverage_kl": ("coverage KL", "nats"),
           "sample_intensity": ("mean intensity", "pixel value"), "sample_sharpness": ("sharpness", "pixel value")},
    "zh": {"epochs": ("训练轮数", ""), "test_loss": ("测试集损失（负 ELBO）", "纳特/图像"),
           "test_recon": ("重构项", "纳特/图像"), "test_kl": ("KL 项", "纳特/图像"),
           "iwae": ("−IWAE 下界，k = {k}", "纳特/图像"), "recon_mse": ("重构的平方误差", "各像素之和"),
           "fid": ("FID", "—"), "confidence": ("置信度", "概率"), "coverage_kl": ("类别覆盖 KL", "纳特"),
           "sample_intensity": ("平均墨量", "像素值"), "sample_sharpness": ("锐度", "像素值")},
}


def reference_scores(scores: dict, real: dict, stats: dict, perfect: float, n: int, lang: str = "en") -> str:
    """The protocol's numbers for one model (`scores`, `evaluate.evaluation`; `stats`,
    `measure.image_stats`) beside those of real digits (`real`, the classifier's evaluation):
    for the real digits the reconstruction term and error of a copy of each digit (`perfect`
    and 0), the FID floor, and the test digits' own confidence, coverage and image statistics.
    The last column says how many images each number averages over (`n`)."""
    count = f"{n:,}"
    cells = {
        "epochs": (str(scores["epochs"]), MISSING, ""),
        "test_loss": (_number(scores["test_loss"]), MISSING, count),
        "test_recon": (_number(scores["test_recon"]), _number(perfect), count),
        "test_kl": (_number(scores["test_kl"]), MISSING, count),
        "iwae": (_number(-scores["iwae"]), MISSING, f"{scores['iwae_images']:,}"),
        "recon_mse": (_number(scores["recon_mse"]), _number(0.0), count),
        "fid": (_number(scores["fid"]), _number(real["fid_floor"]), count),
        "confidence": (_number(scores["confidence"], 3), _number(real["confidence"], 3), count),
        "coverage_kl": (_number(scores["coverage_kl"], 3), _number(real["coverage_kl"], 3), count),
        "sample_intensity": (_number(stats["sample_intensity"], 3), _number(stats["test_intensity"], 3), count),
        "sample_sharpness": (_number(stats["sample_sharpness"], 3), _number(stats["test_sharpness"], 3), count),
    }
    names = {key: (name.format(k=f"{scores['iwae_samples']:,}"), unit)
             for key, (name, unit) in REFERENCE_ROWS[lang].items()}
    return _markdown(REFERENCE_HEADER[lang], [(*names[key], *values) for key, values in cells.items()])


IWAE_BY_K = {"en": ("k", "−IWAE bound (nats per image)", "standard error", "change from the k before"),
             "zh": ("k", "−IWAE 下界（纳特/图像）", "标准误", "相对上一个 k 的变化")}


def iwae_by_k(result: dict, lang: str = "en") -> str:
    """The importance-weighted bound as k grows (`evaluation.iwae_by_k`), shown as −bound so
    that it reads like a loss, with its standard error over the images and the step from the
    k before."""
    bounds = [-b for b in result["bound"].tolist()]
    rows = [(f"{int(k):,}", _number(b), _number(float(e)), MISSING if i == 0 else _signed(b - bounds[i - 1]))
            for i, (k, b, e) in enumerate(zip(result["k"].tolist(), bounds, result["stderr"].tolist()))]
    return _markdown(IWAE_BY_K[lang], rows)


FID_BY_SIZE = {"en": ("images n", "real training digits", "{} samples"),
               "zh": ("图像数 n", "真实训练数字", "{} 的样本")}


def fid_by_size(result: dict, model: str, lang: str = "en") -> str:
    """FID against the test digits of the first n real training digits and of the first n
    samples of `model`, per n (`evaluation.fid_by_size`)."""
    n_header, real, samples = FID_BY_SIZE[lang]
    rows = [(f"{int(n):,}", _number(a), _number(b))
            for n, a, b in zip(result["n"].tolist(), result["real"].tolist(), result["model"].tolist())]
    return _markdown((n_header, real, samples.format(model)), rows)


SEED_TABLE = {
    "en": ("seed", "epochs", "test loss (nats)", "test KL (nats)", "squared error", "FID", "confidence",
           "coverage KL (nats)"),
    "zh": ("种子", "训练轮数", "测试集损失（纳特）", "测试集 KL（纳特）", "平方误差", "FID", "置信度",
           "类别覆盖 KL（纳特）"),
}
SEED_TABLE_COLUMNS = (("test_loss", 2), ("test_kl", 2), ("recon_mse", 2), ("fid", 2), ("confidence", 3),
                      ("coverage_kl", 3))
MEAN_SD = {"en": "mean ± sd", "zh": "均值 ± 标准差"}


def seed_table(seeds: dict, epochs: int, lang: str = "en") -> str:
    """One model's protocol scores seed by seed (`experiments.seed_scores`), and their mean ±
    sample standard deviation (n − 1) in the last row."""
    rows = [(int(seed), epochs, *(_number(float(seeds[c][i]), d) for c, d in SEED_TABLE_COLUMNS))
            for i, seed in enumerate(seeds["seed"].tolist())]
    rows.append((MEAN_SD[lang], epochs, *(mean_and_spread(seeds[c], d) for c, d in SEED_TABLE_COLUMNS)))
    return _markdown(SEED_TABLE[lang], rows)
NEAREST = {
    "en": ("images", "number", "nearest", "{share} quantile", "median", "mean"),
    "zh": ("图像", "数量", "最小值", "{share} 分位数", "中位数", "平均值"),
}
NEAREST_ROWS = {"en": {"gan": "GAN samples", "test": "test digits"}, "zh": {"gan": "GAN 样本", "test": "测试数字"}}


def nearest_distances(distances: dict, quantile: float, lang: str = "en") -> str:
    """The distances from each of a set of images to its nearest training image, summed up per
    set ({"gan" or "test": distances}): the smallest, the `quantile`, the median and the mean."""
    header = [cell.format(share=f"{quantile:.0%}") for cell in NEAREST[lang]]
    rows = [(NEAREST_ROWS[lang][name], f"{len(d):,}", _number(d.min().item()),
             _number(torch.quantile(d, quantile).item()), _number(d.median().item()), _number(d.mean().item()))
            for name, d in distances.items()]
    return _markdown(header, rows)


SEED_SIDE_COLUMNS = ("fid", "confidence", "coverage_kl", "recon_mse")
SEED_SIDE = {
    "en": ("model", "epochs", "seeds", "FID", "confidence", "coverage KL (nats)", "squared error"),
    "zh": ("模型", "训练轮数", "种子数", "FID", "置信度", "类别覆盖 KL（纳特）", "平方误差"),
}


def seeds_side_by_side(spreads: dict, epochs: dict, lang: str = "en") -> str:
    """Mean ± standard deviation over each model's seeds of its sample scores and its test
    reconstructions' squared error ({label: {column: values}}), with its epochs and seeds."""
    rows = [(label, epochs[label], len(spread["fid"]),
             *(mean_and_spread(spread[c], 3 if c in ("confidence", "coverage_kl") else 2) for c in SEED_SIDE_COLUMNS))
            for label, spread in spreads.items()]
    return _markdown(SEED_SIDE[lang], rows)
