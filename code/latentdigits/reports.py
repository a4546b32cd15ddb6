"""What the five course reports the book grew from logged, for the chapters to compare with.
The reports are numbered 000 to 004, as in the preface; the appendix "The course reports"
maps each of their experiments to the book's runs (`REPORT_ITEMS`)."""

from __future__ import annotations

from dataclasses import dataclass

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

# What each course report is, in a line. The five are student reports for a course on pattern
# recognition and machine learning, numbered 000 to 004 as in the preface.
REPORTS = {
    "000": {"en": "a group project: from the autoencoder to the VAE, a β sweep, latent codes drawn by t-SNE, a GAN "
                  "and a VAE-GAN",
            "zh": "小组大作业：从自编码器到 VAE、β 扫描、用 t-SNE 画出的隐变量、一个 GAN 和一个 VAE-GAN"},
    "001": {"en": "a group project: a convolutional VAE under three reconstruction losses, the VAE's derivation, a "
                  "GAN, a convolutional β-VAE and training on noisy digits",
            "zh": "小组大作业：三种重构损失下的卷积 VAE、VAE 的推导、一个 GAN、一个卷积 β-VAE，以及在带噪声的数字上训练"},
    "002": {"en": "an assignment: the 784-400-20 VAE, with its training log, loss curves and ten samples",
            "zh": "一次作业：784-400-20 的 VAE，附训练日志、损失曲线和十个样本"},
    "003": {"en": "a walk-through of the same MLP VAE on digits scaled to [−1, 1], with a Tanh output and squared "
                  "error",
            "zh": "同一个 MLP VAE 的演练：数字缩放到 [−1, 1]，Tanh 输出，平方误差损失"},
    "004": {"en": "a homework: what an autoencoder without the KL term learns, and a GAN's training step in eight parts",
            "zh": "一次作业：没有 KL 项的自编码器学到什么，以及分八步写出的 GAN 训练步骤"},
}


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
# Course report 004 logs 937 iterations an epoch over the 60,000 training digits: batches of 64.
REPORT_004_BATCH = 60_000 // REPORT_004_ITERATIONS

RUN, UNTESTED, THEORY = "run", "untested", "theory"


@dataclass(frozen=True)
class ReportItem:
    """One experiment or claim of a course report and what the book does with it.

    `experiments`: the book's runs of it (none for a claim the book does not test or for a
    derivation, whose `note` then says why). `chapter`: the label of the chapter that shows
    it. `note`: departures from the report, or the reason nothing is trained, {lang: text};
    it may name the first experiment's configuration and network as `{config...}` and
    `{model...}`, any experiment's configuration as `{configs[name]...}`, the Adam betas of
    the first experiment as `{betas}`, its learning rate and weight decay as `{lr}` and
    `{weight_decay}`, and `{values[field]}` lists a field's values over the
    row's experiments, so that the book's side is read from the configurations, never typed.
    """

    report: str
    what: dict
    budget: Budget
    chapter: str
    note: dict
    experiments: tuple[str, ...] = ()
    kind: str = RUN


REPORT_ITEMS: tuple[ReportItem, ...] = (
    # --- 000 ---
    ReportItem(
        "000",
        {"en": "MLP VAE 784-256-2 with a two-dimensional code, its decoder drawn on a 20 × 20 grid over "
               "[−2.5, 2.5]²",
         "zh": "784-256-2 的 MLP VAE，隐变量只有两维；在 [−2.5, 2.5]² 上 20 × 20 的网格里画出解码器"},
        Budget(20, 128, REPORT_000_LR), "sec-latent-space",
        {"en": "The report's learning rate is written `10e-3`, which is 0.01, ten times the 1e-3 it is usually read "
               "as; here {lr}. The report trains this VAE with a squared-error loss and with "
               "`F.cross_entropy` (next row), each at several β; here with BCE at β = {config.beta:g}.",
         "zh": "报告中的学习率写作 `10e-3`，即 0.01，是通常理解的 1e-3 的十倍；本书用 {lr}。报告用平方误差和 "
               "`F.cross_entropy`（见下一行）训练这个 VAE，各取若干个 β；本书用 BCE，β = {config.beta:g}。"},
        ("vae-2d",)),
    ReportItem(
        "000",
        {"en": "The same VAE with `F.cross_entropy` as its reconstruction loss, a softmax over the 784 pixels; the "
               "report found its images nearly impossible to make out",
         "zh": "同一个 VAE 以 `F.cross_entropy` 为重构损失，即在 784 个像素上做 softmax；报告发现它生成的图像几乎无法辨认"},
        Budget(20, 128, REPORT_000_LR), "sec-losses",
        {"en": "Learning rate {lr} here, against the report's 0.01, so that only the loss differs from "
               "`vae-2d`.",
         "zh": "本书学习率为 {lr}（报告为 0.01），使它与 `vae-2d` 只差在损失上。"},
        ("vae-2d-softmax-ce",)),
    ReportItem(
        "000",
        {"en": "A β sweep, β ∈ {0.5, 1, 2, 3, 4}, of the two-dimensional VAE under both losses; the report saw no "
               "clear gain from any β",
         "zh": "对二维 VAE 在两种损失下做 β 扫描，β ∈ {0.5, 1, 2, 3, 4}；报告没有看出哪个 β 带来明显提升"},
        Budget(20, 128, REPORT_000_LR), "sec-beta-vae",
        {"en": "Here the sweep is of the 784-400-20 VAE with BCE, β ∈ {{{values[beta]}}}, for {config.epochs} "
               "epochs.",
         "zh": "本书扫描的是以 BCE 训练的 784-400-20 VAE，β ∈ {{{values[beta]}}}，训练 {config.epochs} 轮。"},
        ("beta-0.25", "beta-0.5", "beta-1", "beta-2", "beta-3", "beta-4", "beta-8")),
    ReportItem(
        "000",
        {"en": "The latent codes of 10,000 training digits, reduced to two principal components, then embedded by "
               "t-SNE (perplexity 40, 300 iterations) and drawn by digit",
         "zh": "10,000 张训练数字的隐变量，先降到两个主成分，再用 t-SNE（困惑度 40，300 次迭代）嵌入，按数字着色"},
        Budget(20, 128, REPORT_000_LR), "sec-latent-space",
        {"en": "The report's codes had two dimensions, so its PCA step only rotated them and its t-SNE had "
               "nothing to reduce. Here the codes are the posterior means of the 10,000 test digits under "
               "`vae-bce` ({config.latent_dim} dimensions), embedded by t-SNE with no PCA step before it.",
         "zh": "报告的编码只有两维，所以它的 PCA 只是把编码旋转了一下，t-SNE 也无维可降。本书用的是 `vae-bce` 下 "
               "10,000 张测试数字的后验均值（{config.latent_dim} 维），t-SNE 之前不做 PCA。"},
        ("vae-bce",)),
    ReportItem(
        "000",
        {"en": "Claim: with more epochs the t-SNE clusters become cleaner",
         "zh": "说法：训练轮数越多，t-SNE 的聚类越清晰"},
        Budget(20, 128, REPORT_000_LR), "sec-latent-space",
        {"en": "Not tested: the book embeds one model trained for one length (`vae-bce`, "
               "{configs[vae-bce].epochs} epochs) and does not repeat the embedding at other lengths "
               "(@sec-latent-space). The report does not say how long its second model trained.",
         "zh": "未检验：本书只对一个训练了固定轮数的模型（`vae-bce`，{configs[vae-bce].epochs} 轮）做嵌入，"
               "没有在其他训练长度上重复（第 [-@sec-latent-space] 章）。报告也没有说明第二个模型训练了多久。"},
        kind=UNTESTED),
    ReportItem(
        "000",
        {"en": "Claim: a larger latent space gives worse samples",
         "zh": "说法：隐空间越大，采样质量越差"},
        Budget(), "sec-comparison",
        {"en": "Not tested: no two models here differ in latent size alone. @sec-comparison scores the samples of "
               "`vae-2d` ({configs[vae-2d].latent_dim} dimensions) and `vae-bce` ({configs[vae-bce].latent_dim}), "
               "but they also differ in hidden width and epochs; @sec-beta-vae counts how many of the "
               "{configs[beta-1].latent_dim} dimensions each β-VAE actually uses.",
         "zh": "未检验：本书没有哪两个模型只在隐空间大小上不同。第 [-@sec-comparison] 章为 `vae-2d`（{configs[vae-2d].latent_dim} 维）和 `vae-bce`"
               "（{configs[vae-bce].latent_dim} 维）的样本打分，但两者的隐藏层宽度和训练轮数也不同；第 [-@sec-beta-vae] 章统计了每个 β-VAE 的 "
               "{configs[beta-1].latent_dim} 个维度中真正用到的有几个。"},
        kind=UNTESTED),
    ReportItem(
        "000",
        {"en": "MLP GAN: GELU, latent 96, generator with BatchNorm and a sigmoid output, discriminator "
               "784-512-256-128-64-32-1, Adam with betas (0.4, 0.8) and weight decay, an extra L1 term of weight "
               "0.05",
         "zh": "MLP GAN：GELU 激活，隐变量 96 维，生成器带 BatchNorm、以 sigmoid 输出，判别器 784-512-256-128-64-32-1，"
               "Adam 的 betas 为 (0.4, 0.8) 并带权重衰减，另加权重 0.05 的 L1 项"},
        Budget(50, 128, 3e-4), "sec-gan",
        {"en": "Networks and optimiser as in the report (betas ({config.beta1:g}, {config.beta2:g}), weight decay "
               "{weight_decay}, L1 weight {config.l1_weight:g}). The report's display code passes the "
               "generator's sigmoid output through a second sigmoid, which maps every pixel into [0.5, 0.73]; here "
               "samples are shown as generated.",
         "zh": "网络和优化器与报告相同（betas 为 ({config.beta1:g}, {config.beta2:g})，权重衰减 {weight_decay}，"
               "L1 权重 {config.l1_weight:g}）。报告展示样本的代码把生成器的 sigmoid 输出又过了一次 sigmoid，"
               "使每个像素都落在 [0.5, 0.73] 之内；本书按生成的原样展示样本。"},
        ("gan-gelu",)),
    ReportItem(
        "000",
        {"en": "VAE-GAN after Larsen et al.: encoder 784-400-20, its mirror as decoder and generator, a convolutional "
               "discriminator whose features give the reconstruction loss, least-squares GAN losses",
         "zh": "仿 Larsen 等人的 VAE-GAN：编码器 784-400-20，其镜像作解码器兼生成器，卷积判别器的特征给出重构损失，"
               "最小二乘 GAN 损失"},
        Budget(20, 128, (1e-3, 3e-4)), "sec-vae-gan",
        {"en": "γ = {config.gamma:g} here, 0.01 in the report. Generator noise from the prior N(0, I), where the "
               "report draws uniformly on [−1, 1]. The discriminator has {model.discriminator.features[0].out_channels}"
               " and {model.discriminator.features[3].out_channels} channels (the report's 32 and 64), and the "
               "reconstruction is compared on its {model.discriminator.head[0].in_features} pooled features, where "
               "the report's compares one number per image (a 64 → 1 convolution, averaged). One learning rate, "
               "{lr}, and betas {betas} for all three networks; the report's encoder has 1e-3 and PyTorch's "
               "default betas. {config.epochs} epochs, not 20, to fit two CPU cores.",
         "zh": "本书 γ = {config.gamma:g}，报告为 0.01。生成器的噪声取自先验 N(0, I)，报告则取 [−1, 1] 上的均匀分布。"
               "判别器有 {model.discriminator.features[0].out_channels} 和 "
               "{model.discriminator.features[3].out_channels} 个通道（报告为 32 和 64），重构在它池化后的 "
               "{model.discriminator.head[0].in_features} 个特征上比较，报告比较的则是每张图像的一个数（一个 64 → 1 "
               "的卷积再取平均）。三个网络用同一个学习率 {lr} 和 betas {betas}；报告的编码器用 1e-3 和 PyTorch "
               "默认的 betas。训练 {config.epochs} 轮而不是 20 轮，以便在两个 CPU 核心上训练完。"},
        ("vaegan",)),
    ReportItem(
        "000",
        {"en": "The ELBO derived from KL(p(x, z) ‖ q(x, z)), and the closed-form KL term",
         "zh": "从 KL(p(x, z) ‖ q(x, z)) 推导证据下界，以及 KL 项的闭式解"},
        Budget(), "sec-from-ae-to-vae",
        {"en": "A derivation: nothing to train.", "zh": "这是推导，无需训练。"},
        kind=THEORY),
    # --- 001 ---
    ReportItem(
        "001",
        {"en": "Convolutional VAE: three convolutions of 64, 128 and 128 channels with BatchNorm and LeakyReLU, "
               "latent 32, two transposed convolutions back, BCE",
         "zh": "卷积 VAE：64、128、128 通道的三层卷积，带 BatchNorm 和 LeakyReLU，隐变量 32 维，两层转置卷积还原，BCE 损失"},
        Budget((250, 300), 64, 1e-3), "sec-losses",
        {"en": "Half the width here ({model.encoder[0].out_channels}, {model.encoder[3].out_channels} and "
               "{model.encoder[6].out_channels} channels), three times as fast on a CPU. The report's code sets 250 "
               "epochs and its figures go to epoch 292. As printed, its loader reads MNIST's 10,000 test images "
               "(`train=False`) as the training set; here the 60,000 training images.",
         "zh": "本书宽度减半（{model.encoder[0].out_channels}、{model.encoder[3].out_channels}、"
               "{model.encoder[6].out_channels} 个通道），在 CPU 上快三倍。报告代码设定 250 轮，图却画到了第 292 轮。"
               "按报告所印的代码，它把 MNIST 的 10,000 张测试图像（`train=False`）当作训练集；本书用 60,000 张训练图像。"},
        ("conv-vae",)),
    ReportItem(
        "001",
        {"en": "BCE, squared error (L2) and absolute error (L1) as reconstruction losses; the report judged L1 best "
               "and L2 dimmer than BCE",
         "zh": "以 BCE、平方误差（L2）和绝对误差（L1）为重构损失；报告认为 L1 最好，L2 比 BCE 更暗"},
        Budget((250, 300), 64, 1e-3), "sec-losses",
        {"en": "Here the three losses train the 784-400-20 MLP VAE, not the report's convolutional one, for "
               "{config.epochs} epochs; the report's figures come from epochs 101 to 292.",
         "zh": "本书用三种损失训练的是 784-400-20 的 MLP VAE，而不是报告的卷积 VAE，训练 {config.epochs} 轮；"
               "报告的图取自第 101 到第 292 轮。"},
        ("vae-bce", "vae-mse", "vae-l1")),
    ReportItem(
        "001",
        {"en": "Without the KL term: samples that are only faint outlines",
         "zh": "去掉 KL 项：样本只剩淡淡的轮廓"},
        Budget(), "sec-latent-space",
        {"en": "The report states the outcome without the settings of a run; here the 784-400-20 network as a plain "
               "autoencoder.",
         "zh": "报告只给出结论，没有给出训练设置；本书把 784-400-20 网络当作普通自编码器来训练。"},
        ("ae",)),
    ReportItem(
        "001",
        {"en": "Without the reconstruction term: samples that look like images laid over one another",
         "zh": "去掉重构项：样本看起来像几张图像叠在一起"},
        Budget(), "sec-losses",
        {"en": "The report states the outcome without the settings of a run; here the 784-400-20 VAE trained on its "
               "KL term alone.",
         "zh": "报告只给出结论，没有给出训练设置；本书只用 KL 项训练 784-400-20 的 VAE。"},
        ("vae-kl-only",)),
    ReportItem(
        "001",
        {"en": "The variational derivation of the ELBO; the VAE's origins, strengths and drawbacks (blur, posterior "
               "collapse)",
         "zh": "证据下界的变分推导；VAE 的由来、优点与缺点（模糊、后验坍缩）"},
        Budget(), "sec-from-ae-to-vae",
        {"en": "A derivation and a discussion: nothing to train.", "zh": "这是推导与讨论，无需训练。"},
        kind=THEORY),
    ReportItem(
        "001",
        {"en": "MLP GAN: generator 100-128-256-512-1024-784 with BatchNorm, LeakyReLU 0.2 and Tanh, discriminator "
               "784-512-256-1, BCE, Adam with betas (0.5, 0.999)",
         "zh": "MLP GAN：生成器 100-128-256-512-1024-784，带 BatchNorm、LeakyReLU 0.2 和 Tanh，判别器 784-512-256-1，"
               "BCE 损失，Adam 的 betas 为 (0.5, 0.999)"},
        Budget(200, 64, 1e-3), "sec-gan",
        {"en": "Learning rate {lr} here, after Radford et al.; {config.epochs} epochs, course report 004's "
               "length; course report 004's step, which updates the discriminator first (the report's code updates "
               "the generator first).",
         "zh": "本书学习率为 {lr}，依照 Radford 等人的做法；训练 {config.epochs} 轮，即课程报告 004 的长度；"
               "训练步骤采用课程报告 004 的写法，先更新判别器（报告 001 的代码先更新生成器）。"},
        ("gan",)),
    ReportItem(
        "001",
        {"en": "Convolutional β-VAE (8, 16 and 32 channels, latent 10), β ∈ {1, 2, 3, 4}; the report found β = 2 "
               "clearest and larger β less expressive",
         "zh": "卷积 β-VAE（8、16、32 通道，隐变量 10 维），β ∈ {1, 2, 3, 4}；报告认为 β = 2 最清晰，β 更大时表示能力下降"},
        Budget(15, 64, 1e-3), "sec-beta-vae",
        {"en": "{config.epochs} epochs here, the length of the MLP β sweep. The encoder gives a log-variance rather "
               "than a softplus standard deviation, and each half has its own BatchNorm. As printed, the report's "
               "training loader does not shuffle (`shuffle=False`).",
         "zh": "本书训练 {config.epochs} 轮，与 MLP 的 β 扫描等长。编码器输出对数方差而不是经 softplus 的标准差，"
               "编码器和解码器各有自己的 BatchNorm。按报告所印的代码，它的训练数据加载器不打乱顺序（`shuffle=False`）。"},
        ("conv-beta-1", "conv-beta-2", "conv-beta-3", "conv-beta-4")),
    ReportItem(
        "001",
        {"en": "Training on digits with 1 %, 10 %, 20 % and 80 % of their pixels replaced by salt-and-pepper noise, "
               "samples at the first and the last epoch; the closing remark that a VAE can clean noisy images",
         "zh": "在 1%、10%、20%、80% 的像素被椒盐噪声替换的数字上训练，展示第一轮和最后一轮的样本；结尾提到 VAE "
               "可以把带噪声的图像变清晰"},
        Budget(300, 64, 1e-3), "sec-noisy-data",
        {"en": "Here the 784-400-20 VAE, with a fresh corruption of every batch, for {config.epochs} epochs; the "
               "`denoise-*` models, which reconstruct the clean digit, test the closing remark. As printed, the "
               "report's code trains its convolutional VAE on the 10,000 test images and corrupts them in the "
               "first epoch only.",
         "zh": "本书用 784-400-20 的 VAE，每个批次重新加噪，训练 {config.epochs} 轮；重构干净数字的 `denoise-*` "
               "模型检验报告结尾的说法。按报告所印的代码，它在 10,000 张测试图像上训练卷积 VAE，而且只在第一轮加噪。"},
        ("noise-0.01", "denoise-0.01", "noise-0.1", "denoise-0.1", "noise-0.2", "denoise-0.2", "noise-0.8",
         "denoise-0.8")),
    # --- 002 ---
    ReportItem(
        "002",
        {"en": "MLP VAE 784-400-20 (ReLU, sigmoid output), BCE summed over pixels plus KL; the training log, the "
               "curves of both terms per epoch, and ten samples",
         "zh": "MLP VAE 784-400-20（ReLU，sigmoid 输出），按像素求和的 BCE 加 KL；训练日志、两项损失逐轮的曲线和十个样本"},
        Budget(100, 128, 1e-3), "sec-vae-mnist",
        {"en": "The same model and budget. The decoder returns logits and BCE takes them directly, the same loss "
               "computed without overflow.",
         "zh": "模型和训练预算都相同。解码器输出 logits，BCE 直接作用于 logits：损失相同，只是计算时不会溢出。"},
        ("vae-bce",)),
    ReportItem(
        "002",
        {"en": "Recommendation: initialise the parameters from a Gaussian to avoid some of the collapse",
         "zh": "建议：用高斯分布随机初始化模型参数，以避免一部分模式坍缩"},
        Budget(), "sec-vae-mnist",
        {"en": "Not tested. The report's own code keeps PyTorch's default initialisation, as every model of the "
               "book does (@tbl-course-reports-training).",
         "zh": "未检验。报告自己的代码也沿用 PyTorch 的默认初始化，本书所有模型同样如此（@tbl-course-reports-training）。"},
        kind=UNTESTED),
    # --- 003 ---
    ReportItem(
        "003",
        {"en": "The MLP VAE 784-400-20 on digits scaled to [−1, 1], with a Tanh output and a summed squared error",
         "zh": "在缩放到 [−1, 1] 的数字上训练的 MLP VAE 784-400-20，Tanh 输出，求和的平方误差"},
        Budget(100, 128, 1e-3), "sec-losses",
        {"en": "{config.epochs} epochs here, the sweeps' length. The report logs the loss of one batch every 20 "
               "epochs, not an average.",
         "zh": "本书训练 {config.epochs} 轮，与各组扫描等长。报告每 20 轮记录一个批次的损失，而不是平均值。"},
        ("vae-tanh",)),
    ReportItem(
        "003",
        {"en": "The posterior mean of one image printed before and after training",
         "zh": "打印一张图像在训练前后的后验均值"},
        Budget(100, 128, 1e-3), "sec-vae-mnist",
        {"en": "Shown here for `vae-bce` and the first test digit; the report prints it for its Tanh model and the "
               "first training digit.",
         "zh": "本书展示的是 `vae-bce` 和第一张测试数字；报告打印的是它的 Tanh 模型和第一张训练数字。"},
        ("vae-bce",)),
    # --- 004 ---
    ReportItem(
        "004",
        {"en": "What an autoencoder trained without the KL regulariser does with its codes",
         "zh": "不带 KL 正则项训练的自编码器会把编码变成什么样"},
        Budget(), "sec-latent-space",
        {"en": "The report answers in words; here the autoencoder is trained and its codes measured against the "
               "VAE's.",
         "zh": "报告用文字作答；本书训练这个自编码器，并把它的编码与 VAE 的编码对比测量。"},
        ("ae",)),
    ReportItem(
        "004",
        {"en": "A GAN's training step in eight numbered parts, the losses logged every 100 of 937 iterations, "
               "samples after 10 and 50 epochs",
         "zh": "分八个编号步骤写出的 GAN 训练步骤，每 937 次迭代中每 100 次记录一次损失，展示第 10 轮和第 50 轮后的样本"},
        Budget(50, REPORT_004_BATCH, None), "sec-gan",
        {"en": "The same step, part for part. The report does not state its learning rate (the course's template "
               "sets it); here {lr}. Its batch size follows from 937 iterations over 60,000 digits.",
         "zh": "训练步骤逐步相同。报告没有写出学习率（由课程提供的模板设定）；本书为 {lr}。"
               "它的批大小由 60,000 张数字每轮 937 次迭代推出。"},
        ("gan",)),
)
