"""What the five course reports the book grew from logged, for the chapters to compare with.
The reports are numbered 000 to 004, as in the preface; the appendix "The course reports"
maps each of their experiments to the book's runs (`REPORT_ITEMS`)."""

from __future__ import annotations

from dataclasses import dataclass

# Course report 002's training log of its MLP VAE (per-image running averages over each
# epoch): epoch -> (total loss, BCE, KL).
REPORT_002_TRAIN_LOG = {
    1: (165.30, 150.13, 15.18),
    10: (106.32, 81.02, 25.30),
    50: (101.85, 76.42, 25.43),
    100: (100.56, 75.25, 25.31),
}

# Course report 004's GAN log of its last (50th) epoch, printed every 100 of its 937
# iterations per epoch: (discriminator loss, generator loss).
REPORT_004_ITERATIONS = 937
REPORT_004_LAST_EPOCH_LOG = [(0.1168, 4.1938), (0.2752, 4.0617), (0.2284, 4.2331), (0.2762, 3.7180), (0.1677, 4.1590),
                             (0.3223, 4.0261), (0.2897, 3.9723), (0.2730, 4.0399), (0.1931, 4.1343)]


# --- The reports' experiments, and where the book runs them ------------------------------------

# The five course reports, numbered 000 to 004 as in the preface: student reports for a course
# on pattern recognition and machine learning. What each holds is said in the appendix's prose.
REPORTS = ("000", "001", "002", "003", "004")


@dataclass(frozen=True)
class Budget:
    """A training budget as a course report gives it; None where the report does not say.
    `epochs` may be a range (the report's code and figures disagree), `lr` several rates (one
    per network)."""

    epochs: int | tuple[int, int] | None = None
    batch_size: int | None = None
    lr: float | tuple[float, ...] | None = None


# Course report 000's learning rate, as its code writes it: `learning_rate = 10e-3`, which is
# 1e-2, not the 1e-3 it is usually read as.
REPORT_000_LR = 10e-3
# Course report 000 decodes its two-dimensional VAE at x = -2.5 + 0.25 i for i = 0 ... 19 in each
# coordinate: from -2.5 to 2.25, not a grid symmetric about 0.
REPORT_000_GRID = tuple(-2.5 + 0.25 * i for i in range(20))
# Course report 001's noisy-data training: 300 epochs, of which only the first (`if (epoch==0)`)
# corrupts its images.
REPORT_001_NOISY_EPOCHS, REPORT_001_CORRUPTED_EPOCHS = 300, 1
# Course report 004 logs 937 iterations an epoch over the 60,000 training digits: batches of 64.
REPORT_004_BATCH = 60_000 // REPORT_004_ITERATIONS

# What the book does with an item: trains it, derives it, or leaves it untested (a claim or
# advice with nothing measured behind it here; the appendix's prose says why).
RUN, UNTESTED, THEORY = "run", "untested", "theory"


@dataclass(frozen=True)
class ReportItem:
    """One experiment or claim of a course report and what the book does with it.

    `what`: a short label of the item in each language, for the table. `experiments`: the
    book's runs of it (none for a claim the book does not test, or a derivation). `chapter`:
    the label of the chapter that shows it. How the book departs from the report, and what it
    finds of the report's claims, is the appendix's prose, not data.
    """

    report: str
    what: dict
    budget: Budget
    chapter: str
    experiments: tuple[str, ...] = ()
    kind: str = RUN


def _item(report, en, zh, budget, chapter, experiments=(), kind=RUN) -> ReportItem:
    return ReportItem(report, {"en": en, "zh": zh}, budget, chapter, tuple(experiments), kind)


_000 = Budget(20, 128, REPORT_000_LR)
_001_CONV = Budget((250, 300), 64, 1e-3)

REPORT_ITEMS: tuple[ReportItem, ...] = (
    _item("000", "MLP VAE 784-256-2, its decoder on a 20 × 20 grid", "784-256-2 的 MLP VAE，解码器画在 20 × 20 的网格上",
          _000, "sec-latent-space", ("vae-2d",)),
    _item("000", "The same VAE with a softmax cross-entropy over the pixels", "同一个 VAE，以像素上的 softmax 交叉熵为损失",
          _000, "sec-losses", ("vae-2d-softmax-ce",)),
    _item("000", "β sweep, β ∈ {0.5, 1, 2, 3, 4}", "β 扫描，β ∈ {0.5, 1, 2, 3, 4}", _000, "sec-beta-vae",
          ("beta-0.25", "beta-0.5", "beta-1", "beta-2", "beta-3", "beta-4", "beta-8")),
    _item("000", "t-SNE of 10,000 latent codes, after PCA", "10,000 个隐变量先做 PCA、再做 t-SNE", _000,
          "sec-latent-space", ("vae-bce",)),
    _item("000", "Claim: more epochs give cleaner t-SNE clusters", "说法：训练轮数越多，t-SNE 的聚类越清晰", _000,
          "sec-latent-space", ("vae-bce", "beta-1")),
    _item("000", "Claim: a larger latent space gives worse samples", "说法：隐空间越大，样本越差", Budget(),
          "sec-comparison", kind=UNTESTED),
    _item("000", "MLP GAN with GELU, latent 96, an extra L1 term", "GELU 激活、隐变量 96 维、另加 L1 项的 MLP GAN",
          Budget(50, 128, 3e-4), "sec-gan", ("gan-gelu",)),
    _item("000", "VAE-GAN after Larsen et al.", "仿 Larsen 等人的 VAE-GAN", Budget(20, 128, (1e-3, 3e-4)),
          "sec-vae-gan", ("vaegan",)),
    _item("000", "The ELBO from KL(p(x, z) ‖ q(x, z)); the closed-form KL", "从 KL(p(x, z) ‖ q(x, z)) 推导证据下界；KL 的闭式解",
          Budget(), "sec-from-ae-to-vae", kind=THEORY),
    _item("001", "Convolutional VAE, latent 32", "卷积 VAE，隐变量 32 维", _001_CONV, "sec-losses", ("conv-vae",)),
    _item("001", "BCE, squared error and absolute error as reconstruction losses", "以 BCE、平方误差和绝对误差为重构损失",
          _001_CONV, "sec-losses", ("vae-bce", "vae-mse", "vae-l1")),
    _item("001", "Without the KL term", "去掉 KL 项", Budget(), "sec-latent-space", ("ae",)),
    _item("001", "Without the reconstruction term", "去掉重构项", Budget(), "sec-losses", ("vae-kl-only",)),
    _item("001", "The variational derivation; origins, strengths, drawbacks", "变分推导；VAE 的由来、优点与缺点", Budget(),
          "sec-from-ae-to-vae", kind=THEORY),
    _item("001", "MLP GAN, generator 100-128-256-512-1024-784", "MLP GAN，生成器 100-128-256-512-1024-784",
          Budget(200, 64, 1e-3), "sec-gan", ("gan",)),
    _item("001", "Convolutional β-VAE, latent 10, β ∈ {1, 2, 3, 4}", "卷积 β-VAE，隐变量 10 维，β ∈ {1, 2, 3, 4}",
          Budget(15, 64, 1e-3), "sec-beta-vae", ("conv-beta-1", "conv-beta-2", "conv-beta-3", "conv-beta-4")),
    _item("001", "Salt-and-pepper noise on 1 %, 10 %, 20 %, 80 % of the pixels", "1%、10%、20%、80% 的像素加椒盐噪声",
          Budget(REPORT_001_NOISY_EPOCHS, 64, 1e-3), "sec-noisy-data",
          ("noise-0.01", "denoise-0.01", "noise-0.1", "denoise-0.1", "noise-0.2", "denoise-0.2", "noise-0.8",
           "denoise-0.8")),
    _item("002", "MLP VAE 784-400-20: training log, loss curves, ten samples", "MLP VAE 784-400-20：训练日志、损失曲线、十个样本",
          Budget(100, 128, 1e-3), "sec-vae-mnist", ("vae-bce",)),
    _item("002", "Advice: a Gaussian initialisation against collapse", "建议：用高斯分布初始化以避免坍缩", Budget(),
          "sec-vae-mnist", kind=UNTESTED),
    _item("003", "MLP VAE on [−1, 1], Tanh output, squared error", "[−1, 1] 上的 MLP VAE，Tanh 输出，平方误差",
          Budget(100, 128, 1e-3), "sec-losses", ("vae-tanh",)),
    _item("003", "One image's posterior mean before and after training", "一张图像训练前后的后验均值",
          Budget(100, 128, 1e-3), "sec-vae-mnist", ("vae-bce", "vae-tanh")),
    _item("004", "An autoencoder without the KL term", "没有 KL 项的自编码器", Budget(), "sec-latent-space", ("ae",)),
    _item("004", "A GAN's training step in eight parts; samples after 10 and 50 epochs",
          "分八步写出的 GAN 训练步骤；第 10 轮和第 50 轮后的样本", Budget(50, REPORT_004_BATCH, None), "sec-gan", ("gan",)),
)
