"""Tables as Markdown text, in English or Chinese: a chapter displays them with
IPython's `Markdown`, and Quarto typesets them as native tables."""

from __future__ import annotations

from .config import VAEConfig
from .models import PIXELS

HEADERS = {
    "architecture": {
        "en": ("part", "layer", "output", "activation", "parameters"),
        "zh": ("部分", "层", "输出", "激活函数", "参数量"),
    },
    "log": {
        "en": ("epoch", "seed 002 (logged)", "this book", "difference"),
        "zh": ("训练轮数", "种子报告 002（记录值）", "本书", "差值"),
    },
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


def log_comparison(history: dict, log: dict, column: str = "train_loss", lang: str = "en") -> str:
    """A logged reference {epoch: (value, ...)} beside this run's `column`, at the logged
    epochs this run reached."""
    ours = dict(zip(history["epoch"], history[column]))
    rows = [(e, f"{log[e][0]:.2f}", f"{ours[e]:.2f}", f"{ours[e] - log[e][0]:+.2f}") for e in sorted(log) if e in ours]
    return _markdown(HEADERS["log"][lang], rows)


TIMES = {
    "en": ("model", "device", "epochs", "training time (s)", "seconds per epoch", "trained with"),
    "zh": ("模型", "设备", "训练轮数", "训练时间（秒）", "每轮秒数", "同批训练"),
}
TOTAL = {"en": "total", "zh": "合计"}


def training_times(runs, lang: str = "en") -> str:
    """Each run's training time from its cache metadata, and the sum."""
    rows = [
        (run.name, run.meta["device_name"], run.config.epochs, f"{run.meta['train_seconds']:,.1f}",
         f"{run.meta['seconds_per_epoch']:.2f}", ", ".join(run.meta.get("trained_with", [])) or "—")
        for run in runs
    ]
    rows.append((TOTAL[lang], "", "", f"{sum(run.meta['train_seconds'] for run in runs):,.1f}", "", ""))
    return _markdown(TIMES[lang], rows)


BENCH = {
    "en": ("device", "epochs", "seed-style loop (s/epoch)", "vaebook trainer (s/epoch)", "speed-up",
           "β sweep of 6, sequential (s/epoch)", "batched (s/epoch)", "speed-up"),
    "zh": ("设备", "训练轮数", "种子报告写法（秒/轮）", "vaebook 训练器（秒/轮）", "加速比",
           "6 个 β 依次训练（秒/轮）", "批量训练（秒/轮）", "加速比"),
}


def benchmarks(results: list[dict], lang: str = "en") -> str:
    """One row per benchmark result written by bench/run.py."""
    rows = []
    for r in results:
        single, sweep = r["single_model"], r["beta_sweep"]
        rows.append((f"{r['device_name']} ({r['device']})", r["epochs"], f"{single['seed_style_epoch_s']:.2f}",
                     f"{single['trainer_epoch_s']:.2f}", f"{single['speedup']:.2f}×",
                     f"{sweep['sequential_epoch_s']:.2f}", f"{sweep['batched_epoch_s']:.2f}", f"{sweep['speedup']:.2f}×"))
    return _markdown(BENCH[lang], rows)
