"""Tables of the appendices, as Markdown text in English or Chinese: each course report's
experiments beside the book's runs of them, every model's hyperparameters (pure functions of
rows read from the reports' data, `reports.REPORT_ITEMS`, and from the experiments'
configurations), and the reproducibility appendix's machines and walkthrough
(bench/walkthrough.py's results)."""

from __future__ import annotations

from .reports import THEORY, UNTESTED, Budget

MISSING = "—"
NOT_STATED = {"en": "not stated", "zh": "未说明"}
# The book's side of a course report's item that trains nothing.
HERE = {"en": {UNTESTED: "not tested here", THEORY: "a derivation"}, "zh": {UNTESTED: "本书没有检验", THEORY: "推导"}}
COMMA = {"en": ", ", "zh": "，"}
SEPARATOR = {"en": "; ", "zh": "；"}

# The words of the hyperparameter tables (a label table): a network's parts, its layers, its loss.
PART_NAMES = {
    "en": {"encoder": "encoder", "decoder": "decoder", "generator": "generator", "discriminator": "discriminator",
           "classifier": "classifier"},
    "zh": {"encoder": "编码器", "decoder": "解码器", "generator": "生成器", "discriminator": "判别器",
           "classifier": "分类器"},
}
CONV = {"en": "conv", "zh": "卷积"}
DECONV = {"en": "transposed conv", "zh": "转置卷积"}
RECON = {
    "en": {"bce": "BCE", "mse": "squared error", "l1": "absolute error", "softmax-ce": "softmax cross-entropy over "
           "the 784 pixels", "none": "no reconstruction term", "tanh-mse": "squared error on [−1, 1]"},
    "zh": {"bce": "BCE", "mse": "平方误差", "l1": "绝对误差", "softmax-ce": "784 个像素上的 softmax 交叉熵",
           "none": "无重构项", "tanh-mse": "[−1, 1] 上的平方误差"},
}
# The objective of each family that is not a VAE's reconstruction + β · KL.
LOSSES = {
    "en": {"ae": "{recon}, no KL term", "gan": "GAN loss (BCE, non-saturating)",
           "gelu-gan": "GAN loss (BCE) + {config.l1_weight:g} × L1 to a real batch",
           "vaegan": "KL + feature-space reconstruction (γ = {config.gamma:g}) + least-squares GAN",
           "classifier": "cross-entropy over the ten digits"},
    "zh": {"ae": "{recon}，无 KL 项", "gan": "GAN 损失（BCE，非饱和形式）",
           "gelu-gan": "GAN 损失（BCE）+ {config.l1_weight:g} × 与一批真实数字的 L1",
           "vaegan": "KL + 特征空间重构（γ = {config.gamma:g}）+ 最小二乘 GAN",
           "classifier": "十个数字上的交叉熵"},
}
VAE_LOSS = {"en": "{recon} + β · KL, β = {betas}", "zh": "{recon} + β · KL，β = {betas}"}
KL_ONLY = {"en": "KL term only, β = {betas}", "zh": "只有 KL 项，β = {betas}"}
OPTIMISER = {"en": ("Adam", "Adam, one per network"), "zh": ("Adam", "Adam，每个网络一个")}
DEFAULT_INIT = {"en": "PyTorch's default", "zh": "PyTorch 默认"}
CHINESE_COUNTS = "零一两三四五六七八九十"


def few(count: int, lang: str) -> str:
    """A small count as the appendices' prose writes it: Arabic numerals in English; in Chinese,
    Chinese numerals up to ten (两 before a measure word, as these counts always stand) and
    Arabic ones set off by spaces above it, so that the Chinese text writes the fact with no
    space around it."""
    if lang != "zh":
        return f"{count:,}"
    return CHINESE_COUNTS[count] if 0 <= count <= 10 else f" {count:,} "

ITEMS = {
    "en": ("in the course report", "here", "report: epochs / batch / lr", "here: epochs / batch / lr"),
    "zh": ("课程报告中的实验或说法", "本书", "报告：轮数 / 批大小 / 学习率", "本书：轮数 / 批大小 / 学习率"),
}
NETWORKS = {
    "en": ("model", "architecture", "activations", "parameters", "latent size"),
    "zh": ("模型", "网络结构", "激活函数", "参数量", "隐变量维度"),
}
TRAINING = {
    "en": ("model", "loss", "optimiser", "learning rate", "Adam betas", "weight decay", "batch", "epochs", "seeds",
           "initialisation"),
    "zh": ("模型", "损失", "优化器", "学习率", "Adam 的 betas", "权重衰减", "批大小", "训练轮数", "随机种子", "初始化"),
}


def _markdown(header, rows, widths) -> str:
    """A pipe table of left-aligned columns with the given relative widths (Quarto reads them
    from the lengths of the separator's dashes once a row is longer than a line)."""
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join(":" + "-" * w for w in widths) + "|"]
    lines += ["| " + " | ".join(str(cell) for cell in row) + " |" for row in rows]
    return "\n".join(lines)


def learning_rate(value: float) -> str:
    """A learning rate (or weight decay) as code writes it: 0.001 -> 1e-3, 0.0003 -> 3e-4,
    0.01 -> 1e-2; 0 -> 0."""
    if value == 0:
        return "0"
    mantissa, exponent = f"{value:.0e}".split("e")
    written = f"{mantissa}e{int(exponent)}"
    return written if abs(float(written) - value) <= 1e-12 * abs(value) else f"{value:g}"


def _epochs(value) -> str:
    if value is None:
        return MISSING
    return f"{value[0]}–{value[1]}" if isinstance(value, tuple) else str(value)


def _rates(value) -> str:
    if value is None:
        return MISSING
    return ", ".join(learning_rate(v) for v in value) if isinstance(value, tuple) else learning_rate(value)


def budget(value: Budget | None, lang: str = "en") -> str:
    """Epochs / batch / learning rate, a dash for what is not stated; "not stated" when none is;
    a dash for an item that trains nothing (None)."""
    if value is None:
        return MISSING
    if value == Budget():
        return NOT_STATED[lang]
    batch = MISSING if value.batch_size is None else str(value.batch_size)
    return f"{_epochs(value.epochs)} / {batch} / {_rates(value.lr)}"


def budgets(values: list[Budget], lang: str = "en") -> str:
    """The budgets of several runs: one when they agree, else each part's distinct values."""
    if not values:
        return MISSING
    if all(v == values[0] for v in values):
        return budget(values[0], lang)

    def distinct(part, show):
        seen = list(dict.fromkeys(getattr(v, part) for v in values))
        return ", ".join(show(v) for v in seen)

    return (f"{distinct('epochs', _epochs)} / {distinct('batch_size', str)} / "
            f"{distinct('lr', _rates)}")


def report_items(rows: list[dict], lang: str = "en") -> str:
    """One course report's experiments and claims: what the report did, the book's runs of it
    and where they are shown, and the report's budget beside the book's. Each row: {what,
    here, report_budget, here_budgets}."""
    return _markdown(ITEMS[lang], [(r["what"], r["here"], budget(r["report_budget"], lang),
                                    budgets(r["here_budgets"], lang)) for r in rows], (36, 28, 18, 18))


def networks(rows: list[dict], lang: str = "en") -> str:
    """Each model's networks, read from the modules: {models, architecture, activations,
    parameters, latent}."""
    return _markdown(NETWORKS[lang], [(r["models"], r["architecture"], r["activations"], f"{r['parameters']:,}",
                                       MISSING if r["latent"] is None else r["latent"]) for r in rows],
                     (20, 46, 16, 10, 8))


def training(rows: list[dict], lang: str = "en") -> str:
    """Each model's training settings, read from its configuration: {models, loss, optimiser,
    lr, betas, weight_decay, batch, epochs, seeds, init}."""
    return _markdown(TRAINING[lang], [
        (r["models"], r["loss"], r["optimiser"], learning_rate(r["lr"]), f"({r['betas'][0]:g}, {r['betas'][1]:g})",
         learning_rate(r["weight_decay"]), r["batch"], r["epochs"], ", ".join(map(str, r["seeds"])), r["init"])
        for r in rows], (16, 20, 10, 7, 9, 7, 6, 6, 7, 10))


MACHINES = {
    "en": ("machine", "device", "cores", "committed models it trained", "their recorded training time (min)",
           "measurements it ran"),
    "zh": ("机器", "设备", "核心数", "它训练的已提交模型", "这些模型记录的训练时间（分钟）", "它完成的测量"),
}
# The measurements of the reproducibility appendix, by the kind its module gives them.
MEASURED = {
    "en": {"full": "the full profile from an empty cache", "walkthrough": "the walkthrough",
           "bench": "the speed benchmark"},
    "zh": {"full": "从空缓存运行完整配置", "walkthrough": "改动一个 β 的示例", "bench": "速度基准"},
}


def machines(rows: list[dict], lang: str = "en") -> str:
    """The machines behind the book's numbers: {machine, device, cores, entries, minutes,
    measured (kinds of `MEASURED`)}; a dash where a machine trained nothing or a count is unknown."""
    separator = "；" if lang == "zh" else "; "
    return _markdown(MACHINES[lang], [
        (r["machine"], r["device"], MISSING if r["cores"] is None else r["cores"], r["entries"] or MISSING,
         f"{r['minutes']:,.1f}" if r["entries"] else MISSING,
         separator.join(MEASURED[lang][kind] for kind in r["measured"]) or MISSING) for r in rows],
        (24, 8, 6, 12, 14, 36))


WALKTHROUGH_STEPS = {
    "en": ("copy the repository's files", "copy the full-profile cache", "render the chapter as it is",
           "change one β and render the chapter again", "of which: training the new model", "in all"),
    "zh": ("复制仓库文件", "复制完整配置的缓存", "按原样渲染该章", "改动一个 β 后重新渲染该章",
           "其中：训练新模型", "合计"),
}
WALKTHROUGH_HEADER = {"en": ("step", "{} ({}), seconds"), "zh": ("步骤", "{}（{}），秒")}


def walkthrough(results: list[dict], lang: str = "en") -> str:
    """The walkthrough's steps, one column of seconds per device (bench/walkthrough.py's
    results)."""
    step, column = WALKTHROUGH_HEADER[lang]
    seconds = [(r["copy"]["files_s"], r["copy"]["cache_s"], r["render_unchanged_s"], r["render_changed_s"],
                sum(t["train_seconds"] for t in r["trained"]), r["total_s"]) for r in results]
    rows = [(label, *(f"{s[i]:,.1f}" for s in seconds)) for i, label in enumerate(WALKTHROUGH_STEPS[lang])]
    return _markdown((step, *(column.format(r["device_name"], r["device"]) for r in results)), rows,
                     (40, *([20] * len(results))))
