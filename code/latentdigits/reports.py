"""What the five course reports the book grew from logged, for the chapters to compare with.
The reports are numbered 000 to 004, as in the preface; the appendix "The course reports"
maps each of their experiments to the book's runs (`REPORT_ITEMS`)."""

from __future__ import annotations

from dataclasses import dataclass

from .experiments import REPORT_000_SWEEPS

# Course report 002's training log of its MLP VAE, all 100 epochs as it prints them (per-image
# running averages over each epoch, rounded to 0.01): epoch -> (total loss, BCE, KL).
REPORT_002_TRAIN_LOG = {
    1: (165.30, 150.13, 15.18), 2: (121.70, 99.15, 22.55), 3: (114.66, 90.51, 24.15),
    4: (111.75, 87.03, 24.72), 5: (109.97, 85.02, 24.95), 6: (108.82, 83.75, 25.07),
    7: (107.91, 82.76, 25.15), 8: (107.27, 82.05, 25.22), 9: (106.79, 81.50, 25.29),
    10: (106.32, 81.02, 25.30), 11: (105.98, 80.66, 25.33), 12: (105.67, 80.30, 25.37),
    13: (105.43, 80.03, 25.40), 14: (105.13, 79.74, 25.39), 15: (104.89, 79.49, 25.40),
    16: (104.70, 79.31, 25.39), 17: (104.57, 79.12, 25.45), 18: (104.39, 78.94, 25.45),
    19: (104.25, 78.80, 25.44), 20: (104.06, 78.62, 25.44), 21: (103.92, 78.46, 25.46),
    22: (103.82, 78.37, 25.45), 23: (103.72, 78.26, 25.46), 24: (103.58, 78.11, 25.47),
    25: (103.51, 78.04, 25.47), 26: (103.36, 77.90, 25.46), 27: (103.26, 77.78, 25.48),
    28: (103.14, 77.70, 25.44), 29: (103.14, 77.66, 25.48), 30: (102.98, 77.53, 25.45),
    31: (102.97, 77.47, 25.50), 32: (102.86, 77.39, 25.47), 33: (102.80, 77.31, 25.49),
    34: (102.73, 77.23, 25.50), 35: (102.66, 77.17, 25.48), 36: (102.60, 77.12, 25.48),
    37: (102.51, 77.05, 25.45), 38: (102.49, 77.00, 25.49), 39: (102.37, 76.91, 25.46),
    40: (102.34, 76.88, 25.46), 41: (102.27, 76.82, 25.46), 42: (102.25, 76.78, 25.47),
    43: (102.18, 76.72, 25.46), 44: (102.16, 76.69, 25.47), 45: (102.10, 76.62, 25.47),
    46: (102.05, 76.59, 25.46), 47: (101.99, 76.55, 25.44), 48: (101.94, 76.50, 25.44),
    49: (101.86, 76.42, 25.44), 50: (101.85, 76.42, 25.43), 51: (101.77, 76.36, 25.41),
    52: (101.78, 76.34, 25.44), 53: (101.73, 76.31, 25.42), 54: (101.67, 76.27, 25.41),
    55: (101.68, 76.23, 25.45), 56: (101.63, 76.20, 25.43), 57: (101.60, 76.18, 25.42),
    58: (101.56, 76.14, 25.42), 59: (101.53, 76.09, 25.43), 60: (101.49, 76.09, 25.41),
    61: (101.43, 76.03, 25.40), 62: (101.43, 76.01, 25.41), 63: (101.37, 75.98, 25.39),
    64: (101.40, 75.98, 25.42), 65: (101.31, 75.93, 25.38), 66: (101.29, 75.88, 25.41),
    67: (101.24, 75.87, 25.38), 68: (101.25, 75.88, 25.38), 69: (101.21, 75.84, 25.37),
    70: (101.17, 75.78, 25.39), 71: (101.15, 75.79, 25.37), 72: (101.13, 75.79, 25.34),
    73: (101.09, 75.71, 25.37), 74: (101.05, 75.70, 25.35), 75: (101.07, 75.70, 25.37),
    76: (101.02, 75.67, 25.35), 77: (100.94, 75.63, 25.31), 78: (100.95, 75.64, 25.32),
    79: (100.95, 75.60, 25.35), 80: (100.96, 75.60, 25.36), 81: (100.88, 75.55, 25.33),
    82: (100.90, 75.54, 25.36), 83: (100.84, 75.51, 25.33), 84: (100.82, 75.52, 25.30),
    85: (100.81, 75.50, 25.31), 86: (100.82, 75.48, 25.34), 87: (100.76, 75.48, 25.29),
    88: (100.79, 75.46, 25.33), 89: (100.76, 75.45, 25.31), 90: (100.73, 75.41, 25.32),
    91: (100.70, 75.39, 25.31), 92: (100.70, 75.38, 25.31), 93: (100.68, 75.39, 25.29),
    94: (100.66, 75.33, 25.32), 95: (100.60, 75.32, 25.28), 96: (100.61, 75.33, 25.28),
    97: (100.56, 75.29, 25.27), 98: (100.58, 75.29, 25.29), 99: (100.54, 75.28, 25.27),
    100: (100.56, 75.25, 25.31),
}

# Course report 003's posterior mean of its first training digit, printed before and after 100
# epochs of its Tanh VAE (digits scaled to [-1, 1], summed squared error).
REPORT_003_MEAN_BEFORE = (-0.0307, -0.1439, -0.0435, 0.3472, 0.0368, -0.0339, 0.0274, -0.5608, 0.0280, 0.2742,
                          -0.6221, -0.0894, -0.0933, 0.4241, 0.1611, 0.3267, 0.5755, -0.0237, 0.2714, -0.2806)
REPORT_003_MEAN_AFTER = (0.3861, 0.5561, 1.1995, -1.6773, 0.9867, 0.1244, -0.3443, -1.6658, 1.3332, 1.1606,
                         0.6898, 0.3042, 2.1044, -2.4588, 0.0504, 0.9743, 1.1136, 0.7872, -0.0777, 1.6101)
REPORT_003_EPOCHS = 100

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
    _item("000", "MLP VAE 784-256-2, its decoder on a 20 × 20 grid",
          "784-256-2 的 MLP VAE，解码器画在 20 × 20 的网格上",
          _000, "sec-latent-space", ("vae-2d",)),
    _item("000", "The same VAE with a softmax cross-entropy over the pixels",
          "同一个 VAE，以像素上的 softmax 交叉熵为损失",
          _000, "sec-losses", ("vae-2d-softmax-ce",)),
    _item("000", "β sweep, β ∈ {0.5, 1, 2, 3, 4}", "β 扫描，β ∈ {0.5, 1, 2, 3, 4}", _000, "sec-beta-vae",
          ("beta-0.25", "beta-0.5", "beta-1", "beta-2", "beta-3", "beta-4", "beta-8")),
    _item("000", "The same sweeps on its own 784-256-2 VAE: squared error; cross-entropy, β from 0.1 to 4",
          "在报告自己的 784-256-2 VAE 上重做这些扫描：平方误差；交叉熵，β 从 0.1 到 4", _000, "sec-beta-vae",
          (*REPORT_000_SWEEPS["mse"], *REPORT_000_SWEEPS["ce"])),
    _item("000", "t-SNE of 10,000 latent codes, after PCA", "10,000 个隐变量先做 PCA、再做 t-SNE", _000,
          "sec-latent-space", ("vae-bce",)),
    _item("000", "Claim: more epochs give cleaner t-SNE clusters", "说法：训练轮数越多，t-SNE 的聚类越清晰", _000,
          "sec-latent-space", ("vae-bce", "beta-1")),
    _item("000", "Guess: a larger latent space may give worse samples",
          "推测：隐空间维数较大时样本可能变差", Budget(),
          "sec-comparison", kind=UNTESTED),
    _item("000", "MLP GAN with GELU, latent 96, an extra L1 term", "GELU 激活、隐变量 96 维、另加 L1 项的 MLP GAN",
          Budget(50, 128, 3e-4), "sec-gan", ("gan-gelu",)),
    _item("000", "VAE-GAN after Larsen et al.", "仿 Larsen 等人的 VAE-GAN", Budget(20, 128, (1e-3, 3e-4)),
          "sec-vae-gan", ("vaegan",)),
    _item("000", "The ELBO from KL(p(x, z) ‖ q(x, z)); the closed-form KL",
          "从 KL(p(x, z) ‖ q(x, z)) 推导证据下界；KL 的闭式解",
          Budget(), "sec-from-ae-to-vae", kind=THEORY),
    _item("001", "Convolutional VAE, latent 32", "卷积 VAE，隐变量 32 维", _001_CONV, "sec-losses", ("conv-vae",)),
    _item("001", "BCE, squared error and absolute error as reconstruction losses",
          "以 BCE、平方误差和绝对误差为重构损失",
          _001_CONV, "sec-losses", ("vae-bce", "vae-mse", "vae-l1")),
    _item("001", "Without the KL term", "去掉 KL 项", Budget(), "sec-latent-space", ("ae",)),
    _item("001", "Without the reconstruction term", "去掉重构项", Budget(), "sec-losses", ("vae-kl-only",)),
    _item("001", "The variational derivation; origins, strengths, drawbacks",
          "变分推导；VAE 的由来、优点与缺点", Budget(),
          "sec-from-ae-to-vae", kind=THEORY),
    _item("001", "MLP GAN, generator 100-128-256-512-1024-784", "MLP GAN，生成器 100-128-256-512-1024-784",
          Budget(200, 64, 1e-3), "sec-gan", ("gan",)),
    _item("001", "Convolutional β-VAE, latent 10, β ∈ {1, 2, 3, 4}", "卷积 β-VAE，隐变量 10 维，β ∈ {1, 2, 3, 4}",
          Budget(15, 64, 1e-3), "sec-beta-vae", ("conv-beta-1", "conv-beta-2", "conv-beta-3", "conv-beta-4")),
    _item("001", "Salt-and-pepper noise on 1 %, 10 %, 20 %, 80 % of the pixels", "1%、10%、20%、80% 的像素加椒盐噪声",
          Budget(REPORT_001_NOISY_EPOCHS, 64, 1e-3), "sec-noisy-data",
          ("noise-0.01", "denoise-0.01", "noise-0.1", "denoise-0.1", "noise-0.2", "denoise-0.2", "noise-0.8",
           "denoise-0.8", "noise-first-0.01", "noise-first-0.1", "noise-first-0.2", "noise-first-0.8")),
    _item("002", "MLP VAE 784-400-20: training log, loss curves, ten samples",
          "MLP VAE 784-400-20：训练日志、损失曲线、十个样本",
          Budget(100, 128, 1e-3), "sec-vae-mnist", ("vae-bce",)),
    _item("002", "The assignment's advice: a Gaussian initialisation against mode collapse",
          "作业要求中的建议：用高斯分布初始化以避免模式坍缩", Budget(),
          "sec-vae-mnist", kind=UNTESTED),
    _item("003", "MLP VAE on [−1, 1], Tanh output, squared error", "[−1, 1] 上的 MLP VAE，Tanh 输出，平方误差",
          Budget(100, 128, 1e-3), "sec-losses", ("vae-tanh",)),
    _item("003", "One image's posterior mean before and after training", "一张图像训练前后的后验均值",
          Budget(100, 128, 1e-3), "sec-vae-mnist", ("vae-bce", "vae-tanh")),
    _item("004", "An autoencoder without the KL term", "没有 KL 项的自编码器", Budget(), "sec-latent-space", ("ae",)),
    _item("004", "A GAN's training step in eight parts; samples after 10 and 50 epochs",
          "分八步写出的 GAN 训练步骤；第 10 轮和第 50 轮后的样本", Budget(50, REPORT_004_BATCH, None),
          "sec-gan", ("gan",)),
)
