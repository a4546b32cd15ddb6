"""The book's terms in English and Chinese, for the glossary appendix (`tables.glossary`).

Each entry is (English term, Chinese term, English definition, Chinese definition). The
glossary decides: a concept has one term in each language, this one, and every chapter uses
it (解耦, never 解纠缠; Jensen 不等式, never 詹森; 多层感知机). Where the English term gives an
abbreviation in brackets, the Chinese edition writes the Chinese term with the abbreviation
once, 多层感知机（MLP）, and the abbreviation after it. A new term belongs here first.
"""

from __future__ import annotations

TERMS: tuple[tuple[str, str, str, str], ...] = (
    # --- Models and their parts -----------------------------------------------------------------
    ("autoencoder (AE)", "自编码器",
     "A network trained to reproduce its input through a narrow code: an encoder, a code, a decoder.",
     "经由一个窄的编码来复现输入的网络，由编码器、编码和解码器三部分组成。"),
    ("variational autoencoder (VAE)", "变分自编码器",
     "An autoencoder whose encoder outputs a distribution over latent codes and which is trained to maximise "
     "the ELBO; decoding draws from the prior generates new images.",
     "编码器输出隐变量的分布、以最大化证据下界为训练目标的自编码器；把从先验中抽取的隐变量解码，就得到新的图像。"),
    ("β-VAE", "β-VAE",
     "A VAE whose KL term is weighted by β; β > 1 gives up reconstruction for a code closer to the prior.",
     "KL 项乘以权重 β 的 VAE；β > 1 时以牺牲重构为代价，换取更接近先验的编码。"),
    ("multilayer perceptron (MLP)", "多层感知机",
     "A network of fully connected layers, each followed by a nonlinearity; the book's reference VAE is the "
     "MLP 784-400-20.",
     "由若干全连接层组成、每层之后接一个非线性函数的网络；本书的基准 VAE 就是 784-400-20 的 MLP。"),
    ("convolutional network", "卷积网络",
     "A network whose layers slide small learned filters over the image, so that one filter serves every "
     "position.",
     "各层用小的可学习滤波器在图像上滑动的网络，同一个滤波器作用于图像的每个位置。"),
    ("transposed convolution", "转置卷积",
     "The layer that runs a convolution backwards, enlarging a feature map; decoders use it to go back to "
     "28 × 28 pixels.",
     "把卷积反过来运行、使特征图变大的层；解码器用它回到 28 × 28 的像素。"),
    ("batch normalisation (BatchNorm)", "批归一化",
     "A layer that rescales each feature by its mean and standard deviation over the batch, then by a "
     "learned scale and shift.",
     "先用一个批次内的均值和标准差把每个特征标准化，再乘以可学习的缩放并加上平移的层。"),
    ("encoder", "编码器",
     "The network that maps an image to its latent code, or in a VAE to the parameters of q(z ∣ x).",
     "把图像映射为隐变量的网络；在 VAE 中，它输出的是 q(z ∣ x) 的参数。"),
    ("decoder", "解码器",
     "The network that maps a latent code back to an image, or to the parameters of a likelihood over images.",
     "把隐变量映射回图像（或图像似然的参数）的网络。"),
    ("logit", "logit",
     "The input of a sigmoid: a = log(p / (1 − p)). The book's decoders output 784 logits, one per pixel.",
     "sigmoid 的输入，a = log(p / (1 − p))。本书的解码器输出 784 个 logit，每个像素一个。"),
    ("generative adversarial network (GAN)", "生成对抗网络",
     "A generator and a discriminator trained against each other, with no encoder and no likelihood.",
     "生成器与判别器相互对抗训练的模型，没有编码器，也没有似然。"),
    ("generator", "生成器",
     "The GAN network that turns noise into images.",
     "GAN 中把噪声变成图像的网络。"),
    ("discriminator", "判别器",
     "The GAN network that tells real images from generated ones.",
     "GAN 中区分真实图像与生成图像的网络。"),
    ("VAE-GAN", "VAE-GAN",
     "A VAE whose decoder is also a GAN's generator, trained to reconstruct in the discriminator's features "
     "and to fool the discriminator.",
     "解码器同时充当 GAN 生成器的 VAE：既要在判别器的特征空间中重构输入，又要骗过判别器。"),
    ("classifier", "分类器",
     "The small convolutional network, trained once on MNIST, whose features and verdicts score every "
     "generative model of the book.",
     "在 MNIST 上训练一次的小型卷积网络；本书用它的特征和判断为每个生成模型打分。"),
    # --- Probability and the objective ---------------------------------------------------------
    ("latent variable", "隐变量",
     "The unobserved vector z from which the model explains an image; also called its code.",
     "模型用来解释图像的、观测不到的向量 z，也称图像的编码。"),
    ("latent space", "隐空间",
     "The space the latent variables live in; interpolations and traversals explore its geometry.",
     "隐变量所在的空间；插值与遍历考察的就是它的几何结构。"),
    ("prior", "先验",
     "The distribution p(z) assumed for latent codes before an image is seen; here the standard normal N(0, I).",
     "看到图像之前对隐变量假定的分布 p(z)；本书中为标准正态分布 N(0, I)。"),
    ("posterior", "后验",
     "The distribution of the latent code given an image; the encoder's q(z ∣ x) approximates it.",
     "给定图像时隐变量的分布；编码器的 q(z ∣ x) 是它的近似。"),
    ("aggregate posterior", "聚合后验",
     "The encoder's distributions averaged over the data set; sampling works when it stays close to the prior.",
     "编码器的分布在整个数据集上的平均；它与先验越接近，从先验采样就越可靠。"),
    ("likelihood", "似然",
     "The decoder's probability model of the pixels given a code; its negative logarithm is the "
     "reconstruction loss.",
     "给定隐变量时解码器对像素的概率模型；它的负对数就是重构损失。"),
    ("Bernoulli likelihood", "伯努利似然",
     "Each pixel is 1 with the probability the decoder gives. It is a distribution over binary images only: "
     "on grey-level digits the BCE is a training loss, and the ELBO built on it is no bound on their "
     "log-likelihood.",
     "每个像素以解码器给出的概率取 1。它只是二值图像上的分布：用在灰度数字上时，二元交叉熵只是训练用的损失，"
     "以它构成的证据下界也不是这些灰度图像对数似然的下界。"),
    ("Gaussian likelihood", "高斯似然",
     "Pixels normal around the decoder's output; with a fixed variance its loss is the squared error.",
     "像素服从以解码器输出为均值的正态分布；方差固定时，对应的损失就是平方误差。"),
    ("Laplace likelihood", "拉普拉斯似然",
     "Pixels Laplace-distributed around the decoder's output; its loss is the absolute error.",
     "像素服从以解码器输出为中心的拉普拉斯分布；对应的损失就是绝对误差。"),
    ("evidence lower bound (ELBO)", "证据下界",
     "A lower bound on log p(x) under the model: the expected reconstruction log-likelihood minus the KL "
     "divergence from the prior. Its negative is the VAE's loss.",
     "模型下 log p(x) 的一个下界：重构对数似然的期望减去与先验之间的 KL 散度。它的相反数就是 VAE 的损失。"),
    ("negative ELBO", "负 ELBO",
     "The reconstruction term plus the KL term, in nats per image: the quantity the VAE minimises at β = 1.",
     "重构项与 KL 项之和，单位为纳特/图像；β = 1 时 VAE 最小化的正是它。"),
    ("Jensen's inequality", "Jensen 不等式",
     "For a concave function such as the logarithm, the function of a mean is at least the mean of the "
     "function; it gives the ELBO in one line.",
     "对于对数这样的凹函数，均值的函数值不小于函数值的均值；用它一步就能得到证据下界。"),
    ("KL divergence", "KL 散度",
     "A measure, in nats, of how far one distribution is from another; in the ELBO, of q(z ∣ x) from the prior.",
     "以纳特计量一个分布偏离另一个分布多远的量；在证据下界中，衡量的是 q(z ∣ x) 偏离先验的程度。"),
    ("reparameterisation trick", "重参数化技巧",
     "Writing z = μ + σ·ε with ε drawn from N(0, I), so that gradients flow through the sampling step.",
     "把 z 写成 μ + σ·ε（ε 取自 N(0, I)），使梯度能够穿过采样这一步。"),
    ("importance sampling", "重要性采样",
     "Estimating an expectation from draws of another distribution, each reweighted by the ratio of the two "
     "densities.",
     "用另一个分布的样本来估计期望，每个样本按两个分布的密度之比加权。"),
    ("IWAE bound", "重要性加权下界",
     "The bound of Burda et al.: the log of the mean of k importance weights. It lies between the ELBO and "
     "log p(x), closer to log p(x) as k grows, and is itself a lower bound.",
     "Burda 等人提出的下界：k 个重要性权重的均值取对数。它介于证据下界与 log p(x) 之间，k 越大越接近 "
     "log p(x)，但它本身仍是一个下界。"),
    ("nat", "纳特",
     "The unit of information with natural logarithms; the book's losses and KL terms are in nats per image.",
     "以自然对数计量的信息单位；本书的损失和 KL 项都以纳特/图像为单位。"),
    ("rate", "码率",
     "The KL term read as the information a code carries about its image, in nats.",
     "把 KL 项理解为编码所携带的关于图像的信息量，以纳特计。"),
    ("distortion", "失真",
     "The reconstruction term read as the cost of what the code fails to carry.",
     "把重构项理解为编码未能携带的信息所造成的代价。"),
    ("posterior collapse", "后验坍缩",
     "Latent dimensions whose posterior equals the prior for every image, so that they carry no information.",
     "某些隐变量维度对每张图像的后验都等于先验，因而不携带任何信息。"),
    ("active dimension", "活跃维度",
     "A latent dimension whose KL term, averaged over the test digits, exceeds 0.01 nats: one the model uses.",
     "在测试数字上平均的 KL 项超过 0.01 纳特的隐变量维度，即模型真正用到的维度。"),
    ("disentanglement", "解耦",
     "A code in which each dimension follows one factor of the data, such as slant or stroke width, and "
     "nothing else.",
     "编码的每个维度只随数据的一个因素（例如倾角或笔画粗细）变化、而与其他因素无关的性质。"),
    # --- Losses --------------------------------------------------------------------------------
    ("reconstruction", "重构",
     "The decoder's output for an image's own code; the reconstruction term scores how well it matches the "
     "input.",
     "解码器对图像自身编码的输出；重构项衡量它与输入的吻合程度。"),
    ("reconstruction term", "重构项",
     "The part of the loss that compares an image with its reconstruction, summed over the 784 pixels.",
     "损失中比较图像与其重构的那一部分，对 784 个像素求和。"),
    ("binary cross-entropy (BCE)", "二元交叉熵",
     "−[x log p + (1 − x) log(1 − p)] summed over pixels: the negative log of a Bernoulli likelihood when the "
     "pixels x are 0 or 1.",
     "对所有像素求和的 −[x log p + (1 − x) log(1 − p)]；像素 x 只取 0 或 1 时，它就是伯努利似然的负对数。"),
    ("squared error", "平方误差",
     "The squared differences between two images' pixels, summed over the pixels: the loss of the book's "
     "squared-error models.",
     "两张图像对应像素之差的平方，对像素求和；本书平方误差模型的损失就是它。"),
    ("mean squared error (MSE)", "均方误差",
     "The squared error averaged over the pixels rather than summed; PSNR is computed from it.",
     "对像素取平均（而不是求和）的平方误差；峰值信噪比由它算出。"),
    ("absolute error (L1)", "绝对误差",
     "The absolute differences between two images' pixels, summed over pixels; below an error of 1 it "
     "punishes small errors more than the squared error does.",
     "两张图像对应像素之差的绝对值，对像素求和；误差小于 1 时，它对小误差的惩罚比平方误差更重。"),
    ("least-squares GAN", "最小二乘 GAN",
     "A GAN whose losses are squared distances of the discriminator's score from its targets, instead of "
     "cross-entropies (Mao et al.).",
     "判别器的分数与目标之差取平方作为损失、而不用交叉熵的 GAN（Mao 等人）。"),
    ("non-saturating loss", "非饱和损失",
     "The generator's loss −log D(G(z)): its gradient stays large while the discriminator still rejects the "
     "generator's images.",
     "生成器的损失 −log D(G(z))：判别器仍在拒绝生成图像时，它的梯度依然较大。"),
    ("feature-space reconstruction", "特征空间重构",
     "The VAE-GAN's reconstruction term: how far the discriminator's features of a reconstruction lie from "
     "those of its image, as a squared error over the features.",
     "VAE-GAN 的重构项：重构图像的判别器特征与原图像的判别器特征相差多远，以特征上的平方误差计。"),
    # --- Data and training ---------------------------------------------------------------------
    ("epoch", "训练轮",
     "One pass over the 60,000 training digits; the length of training is counted in epochs.",
     "遍历一次 60,000 张训练数字；训练的长短以轮计（如“训练 10 轮”），称为训练轮数。"),
    ("batch", "批次",
     "The images processed together in one gradient step; their number is the batch size.",
     "一次梯度更新中一起处理的一组图像；其数目称为批大小。"),
    ("seed", "随机种子",
     "The number that fixes a run's random draws: initial weights, batch order, sampling noise. Runs that "
     "differ only in it show how far chance alone moves a result.",
     "决定一次训练中全部随机数的数：初始权重、批次顺序和采样噪声。只在种子上不同的几次训练，显示了单凭偶然性结果会变动多少。"),
    ("sweep", "扫描",
     "A set of models that differ in one setting only, such as β or the noise rate.",
     "只在一个设置（例如 β 或噪声比例）上不同的一组模型。"),
    ("dynamic binarisation", "动态二值化",
     "Drawing each pixel as 0 or 1 with its grey level as probability, anew every time an image is used: the "
     "data of the likelihood literature's binarised MNIST.",
     "每次使用一张图像时，都以像素的灰度为概率重新把它抽成 0 或 1；似然文献中二值化 MNIST 的数据就是这样得到的。"),
    ("salt-and-pepper noise", "椒盐噪声",
     "Corruption that sets a random fraction of the pixels to black or white.",
     "把随机一部分像素置为全黑或全白的噪声。"),
    ("denoising", "去噪",
     "Training on corrupted inputs against clean targets, so that the model learns to remove the corruption.",
     "以受损图像为输入、干净图像为目标进行训练，使模型学会去除噪声。"),
    ("Welch's t-test", "Welch t 检验",
     "A test of whether two samples, here two models' scores over seeds, have different means, without "
     "assuming equal variances; the book uses it at the 5% level.",
     "检验两组样本（这里是两个模型在各随机种子上的分数）均值是否不同、"
     "且不假设方差相等的检验；本书取 5% 的显著性水平。"),
    # --- What the book measures ----------------------------------------------------------------
    ("sample", "样本",
     "An image decoded from a draw of the prior, or drawn from a GAN's generator: what the model generates.",
     "从先验抽取隐变量再解码得到的图像，或 GAN 生成器画出的图像，即模型生成的结果。"),
    ("latent traversal", "隐变量遍历",
     "Decoding codes that vary one latent dimension while the others stay fixed.",
     "固定其余维度、只改变一个隐变量维度，并把沿途的编码逐一解码。"),
    ("interpolation", "插值",
     "Decoding codes on a path between the codes of two images.",
     "在两张图像的编码之间取一条路径，并把路径上的各点解码。"),
    ("spherical interpolation (slerp)", "球面插值",
     "Interpolation along a great circle, which keeps codes at the typical distance of prior draws from the "
     "origin.",
     "沿大圆进行的插值，使编码与原点的距离保持在先验样本的典型范围内。"),
    ("principal component analysis (PCA)", "主成分分析",
     "A linear projection onto the directions of largest variance, used to draw codes in two dimensions.",
     "投影到方差最大方向上的线性降维，用来在平面上画出编码。"),
    ("t-SNE", "t-SNE",
     "A nonlinear embedding that keeps neighbours close; distances between its clusters mean little.",
     "保持近邻关系的非线性嵌入；簇与簇之间的距离意义不大。"),
    ("sharpness", "锐度",
     "The book's measure of crisp strokes: the mean absolute difference between neighbouring pixels.",
     "本书衡量笔画清晰程度的指标：相邻像素之差的绝对值的平均。"),
    ("mean intensity", "平均墨量",
     "The mean pixel value of an image, in [0, 1]: with ink at 1 and background at 0, the amount of ink.",
     "图像像素值的平均，取值在 [0, 1]；墨迹为 1、背景为 0，所以它就是图中墨的多少。"),
    ("confidence", "置信度",
     "The classifier's probability for the digit it picks, averaged over a set of images.",
     "分类器给它所选数字的概率，在一组图像上取平均。"),
    ("coverage KL", "类别覆盖 KL",
     "The KL divergence of the histogram of predicted digits from uniform: 0 when all ten are equally common, "
     "log 10 nats when only one is drawn.",
     "预测数字的直方图相对均匀分布的 KL 散度：十个数字一样多时为 0，只画出一个数字时为 log 10 纳特。"),
    ("Fréchet inception distance (FID)", "FID（Fréchet Inception 距离）",
     "The Fréchet distance between Gaussians fitted to the features of real and of generated images; lower is "
     "better. The book takes the features from its classifier, not from Inception, so its values are not "
     "comparable with published FIDs.",
     "分别拟合真实图像和生成图像特征的两个高斯分布之间的 Fréchet 距离，越低越好。本书的特征取自它自己的分类器，"
     "而不是 Inception 网络，所以数值不能与文献中的 FID 相比。"),
    ("peak signal-to-noise ratio (PSNR)", "峰值信噪比",
     "10·log10(1 / MSE) in decibels for images in [0, 1]; higher is closer to the reference.",
     "对取值在 [0, 1] 的图像为 10·log10(1 / MSE)，单位为分贝；越高越接近参考图像。"),
    ("mode collapse", "模式坍缩",
     "A generator that covers only a few kinds of images, for example a few of the ten digits.",
     "生成器只产生少数几类图像（例如十个数字中的少数几个）的现象。"),
)

# Words the Chinese edition does not use, each with the glossary's term for its concept: a
# check over the chapters can flag them (tests/test_chapter_glossary.py does, for the appendices).
AVOID_ZH: dict[str, str] = {
    "解纠缠": "解耦", "詹森": "Jensen", "多层感知器": "多层感知机", "潜变量": "隐变量", "潜在变量": "隐变量",
    "潜空间": "隐空间", "重建": "重构", "模式崩溃": "模式坍缩", "模式坍塌": "模式坍缩", "后验崩溃": "后验坍缩",
    "后验崩塌": "后验坍缩", "均方误差损失": "平方误差", "演练": "示例",
}
