"""Chapter "Noisy data": course report 001's salt-and-pepper experiment redone with the MLP
VAE, a denoising VAE beside every model trained on noisy digits, and both scored against the
clean test digits."""

from __future__ import annotations

import math

import torch
from IPython.display import Markdown
from vaebook import measure, metrics, plots

from .. import tables
from ..experiments import NOISE_RATES, NOISE_SWEEP, run, runs
from ..figures import uses
from ..text import Text, choose, integer, labels, listing, number, percent, tally
from . import chapter_facts

# The three models that reconstruct a corrupted digit, by their keys in the label table.
MODELS = ("noisy_trained", "denoising", "clean_trained")
# The clean-trained VAE the noisy models are measured against: the same network and loss trained
# on clean digits for as many epochs (the β sweep's and the noise sweep's length), not `vae-bce`,
# which trains ten times as long.
REFERENCE = "beta-1"
# The figures' names for it, in place of the label table's, which name `vae-bce`.
REFERENCE_LABELS = {
    "en": {"clean_trained": "beta-1, trained on clean digits", "clean_matched": "beta-1, trained on clean digits"},
    "zh": {"clean_trained": "beta-1，在干净数据上训练", "clean_matched": "beta-1，在干净数据上训练"},
}
SAME_EPOCHS = {
    "en": ("as many as the models here", "where the models here trained for {epochs}, so not at equal training"),
    "zh": ("训练轮数与这里的模型相同", "这里的模型则训练了 {epochs} 轮，并非同等训练"),
}

SHARPNESS_TREND = {
    "en": ("What the noise costs them shows in the strokes instead:", "Nor do their strokes lose sharpness:"),
    "zh": ("噪声的代价体现在笔画上：", "笔画也没有变钝："),
}
# Where the denoising VAE reconstructs best of the three models and where it beats the
# noisy-trained one (`denoising_standing`): one clause when it is best at every rate, which
# says both; else (every, some, none) of each count, joined.
DENOISE_BEST_EVERYWHERE = {"en": "has the best reconstruction of the three models at every rate",
                           "zh": "在每个噪声比例下都重构得最好"}
DENOISE_BEST = {
    "en": ("", "has the best reconstruction of the three models at {part} of the {whole} rates",
           "has the best reconstruction of the three models at none of the {whole} rates"),
    "zh": ("", "在 {whole} 个噪声比例中的 {part} 个上重构得最好", "在任何噪声比例下都不是重构得最好的"),
}
DENOISE_WINS = {
    "en": ("and beats the noisy-trained one at every rate", "and beats the noisy-trained one at {part} of them",
           "and does not beat the noisy-trained one at any rate"),
    "zh": ("并且在每个比例下都胜过在噪声数据上训练的模型", "并且在 {part} 个比例上胜过在噪声数据上训练的模型",
           "在任何比例下也都没有胜过在噪声数据上训练的模型"),
}
DENOISE_JOIN = {"en": " ", "zh": "，"}
BLUR_ERROR = {"en": ("larger", "smaller"), "zh": ("较大", "较小")}
NOISY_OVER_CLEAN = {"en": ("at {rates}", "at no rate"), "zh": ("在 {rates} 时胜过", "在任何比例下都没有胜过")}
NOISY_WORSE = {
    "en": ("above the reference at every rate", "not above the reference at every rate"),
    "zh": ("在每个比例下都高于对照", "并非在每个比例下都高于对照"),
}
GAP_SIDE = {"en": ("above", "below"), "zh": ("高", "低")}
GAP_COST = {"en": ("next to nothing", "something already"), "zh": ("几乎没有代价", "已经有代价")}
KL_TREND = {"en": ("falls", "changes"), "zh": ("下降", "变化")}
KL_DENOISE_ABOVE = {
    "en": ("above the noisy-trained model's at every rate", "not above the noisy-trained model's at every rate"),
    "zh": ("在每个比例下都高于在噪声数据上训练的模型", "并非在每个比例下都高于在噪声数据上训练的模型"),
}
PSNR_TREND = {"en": ("falls", "does not fall"), "zh": ("降到", "变为")}
ENCODER_SHIFT = {"en": ("higher", "not higher"), "zh": ("高于", "并不高于")}


# The noise sweep's series, named by keys of the label table.
def denoising_curves(scores: dict, clean_trained: dict, key: str = "psnr") -> dict[str, list[float]]:
    """One value per corruption rate for each series: the corrupted input itself (doing
    nothing), the `noise-<rate>` and `denoise-<rate>` runs (`scores`: {name: measure.denoising(...)})
    and a VAE trained on clean digits (`clean_trained`: {rate: measure.denoising(...)}). `key`
    is "psnr" or "mse"; rates ascend."""
    rates = sorted(clean_trained)
    return {
        "corrupted_input": [float(scores[f"noise-{r:g}"][f"input_{key}"]) for r in rates],
        "noisy_trained": [float(scores[f"noise-{r:g}"][key]) for r in rates],
        "denoising": [float(scores[f"denoise-{r:g}"][key]) for r in rates],
        "clean_trained": [float(clean_trained[r][key]) for r in rates],
    }


def denoising_examples(scores: dict, clean_trained: dict, rate: float) -> dict[str, torch.Tensor]:
    """The first test digit of each class corrupted at `rate`, and each model's reconstruction
    of it, from the same arguments as `denoising_curves`."""
    noisy, denoised = scores[f"noise-{rate:g}"], scores[f"denoise-{rate:g}"]
    return {"corrupted_input": noisy["example_inputs"], "noisy_trained": noisy["examples"],
            "denoising": denoised["examples"], "clean_trained": clean_trained[rate]["examples"]}


def noise_sweep_column(sweep: dict, column: str) -> dict[str, list[float]]:
    """A metric of the noise sweep's runs ({name: run}), one value per rate, ascending, for the
    models trained on noisy digits and for the denoising ones."""
    rates = sorted({r.config.noise_rate for r in sweep.values()})
    return {"noisy_trained": [sweep[f"noise-{rate:g}"].metrics[column] for rate in rates],
            "denoising": [sweep[f"denoise-{rate:g}"].metrics[column] for rate in rates]}


def best_reconstruction(curves: dict, index: int) -> float:
    """The best score of the three models (`MODELS`) at the `index`-th rate of `curves`."""
    return max(curves[model][index] for model in MODELS)


def denoising_best_count(curves: dict) -> int:
    """At how many rates the denoising VAE scores best of the three models (ties count)."""
    return sum(curves["denoising"][k] == best_reconstruction(curves, k) for k in range(len(curves["denoising"])))


def denoising_standing(best: int, wins: int, rates: int, lang: str) -> Text:
    """Where the denoising VAE stands among the three reconstructions, from the number of
    rates (of `rates`) at which it is the best (`denoising_best_count`) and at which it beats
    the noisy-trained VAE: "has the best reconstruction of the three models at every rate",
    which implies the second count, or both counts in words."""
    if best == rates:
        return Text(DENOISE_BEST_EVERYWHERE[lang])
    clauses = tally(best, rates, *DENOISE_BEST[lang]), tally(wins, rates, *DENOISE_WINS[lang])
    return Text(DENOISE_JOIN[lang].join(clauses))


def denoising_margins(curves: dict) -> list[float]:
    """The denoising VAE's lead over the noisy-trained one at each rate (negative: behind)."""
    return [d - n for d, n in zip(curves["denoising"], curves["noisy_trained"])]


def rates_where_ahead(rates, scores: list[float], others: list[float]) -> list[float]:
    """The rates at which `scores` beat `others` (both one value per rate, in the order of `rates`)."""
    return [rate for rate, a, b in zip(rates, scores, others) if a > b]


def falls_at_every_step(values: list[float]) -> bool:
    """Whether each value is below the one before it."""
    return all(a > b for a, b in zip(values, values[1:]))


def above_at_every_rate(values: list[float], others: list[float]) -> bool:
    """Whether each value is above the other series' value at the same rate."""
    return all(a > b for a, b in zip(values, others))


def predicted_grey(ink: float, rate: float) -> float:
    """The mean pixel value of digits of mean value `ink` after salt-and-pepper noise at
    `rate` (@eq-noisy-data-mean): what a perfect noisy-trained model's samples average."""
    return (1 - rate) * ink + rate / 2


def psnr_ceiling(rate: float) -> float:
    """The PSNR (dB) of a perfect noisy-trained model on black-and-white digits: it answers
    each pixel with the expected corrupted value, which misses the clean 0 or 1 by rate / 2,
    a squared error of rate² / 4 per pixel."""
    return 10 * math.log10(4 / rate**2)


def chapter_labels(lang: str) -> dict[str, str]:
    """The label table with the clean-trained reference named as this chapter uses it."""
    return labels(lang) | REFERENCE_LABELS[lang]


SERIES_COLOURS = {"corrupted_input": "0.55", "noisy_trained": "C0", "denoising": "C1", "clean_trained": "C2"}


def _noise_curves(series: dict, ylabel: str, lang: str, reference: dict | None = None):
    """`plots.noise_curves` of series and references keyed by the label table, each series in
    its own colour in every figure."""
    t = chapter_labels(lang)
    return plots.noise_curves(NOISE_RATES, {t[key]: values for key, values in series.items()},
                              {t[key]: value for key, value in (reference or {}).items()}, xlabel=t["noise_rate"],
                              ylabel=t[ylabel], colours={t[key]: SERIES_COLOURS[key] for key in series})


def _sweep() -> dict:
    return runs(*NOISE_SWEEP)


def _reference():
    return run(REFERENCE)


def _by_rate(kind: str) -> dict:
    """The `noise` or `denoise` models, {rate: run}, rates ascending."""
    sweep = _sweep()
    return {rate: sweep[f"{kind}-{rate:g}"] for rate in NOISE_RATES}


def _scores() -> dict:
    """Every sweep model's denoising scores against the clean test digits, at its own rate:
    one fixed corruption per rate."""
    return {name: measure.denoising(r, r.config.noise_rate) for name, r in _sweep().items()}


def _baseline() -> dict:
    """The clean-trained reference's denoising scores at every rate."""
    reference = _reference()
    return {rate: measure.denoising(reference, rate) for rate in NOISE_RATES}


def _image_stats(runs: dict) -> list[dict]:
    """The protocol's image statistics (`measure.image_stats`: 10,000 samples) of {rate: run}, by rate."""
    return [measure.image_stats(r) for r in runs.values()]


def _rate(rate: float) -> str:
    return f"{percent(rate, 0)}%"


def facts(lang: str):
    sweep, reference, scores = _sweep(), _reference(), _scores()
    noisy, denoisers = _by_rate("noise"), _by_rate("denoise")
    config, meta = noisy[NOISE_RATES[0]].config, noisy[NOISE_RATES[0]].meta
    low, high = NOISE_RATES[0], NOISE_RATES[-1]

    psnr = denoising_curves(scores, _baseline(), "psnr")
    error_per_rate = [scores[f"noise-{rate:g}"]["input_mse"].item() / rate for rate in NOISE_RATES]
    clean_loss = noise_sweep_column(sweep, "test_loss")
    train_loss = noise_sweep_column(sweep, "train_loss")
    train_kl = noise_sweep_column(sweep, "train_kl")
    ref_loss = reference.metrics["test_loss"]

    best_low = best_reconstruction(psnr, 0)
    margins = denoising_margins(psnr)
    denoise_best = denoising_best_count(psnr)
    denoise_wins = sum(margin > 0 for margin in margins)
    noisy_over_clean = rates_where_ahead(NOISE_RATES, psnr["noisy_trained"], psnr["clean_trained"])
    reference_stats = measure.image_stats(reference)
    ink = reference_stats["test_intensity"]
    denoise_stats = _image_stats(denoisers)
    sharp = [s["sample_sharpness"] for s in denoise_stats]
    denoise_ink = [s["sample_intensity"] for s in denoise_stats]
    denoise_low_gap = clean_loss["denoising"][0] - ref_loss
    every = len(NOISE_RATES)

    return chapter_facts(
        __name__, lang,
        rates=listing([_rate(rate) for rate in NOISE_RATES], lang),
        low=percent(low, 0), second=percent(NOISE_RATES[1], 0), high=percent(high, 0),
        error_min=number(min(error_per_rate), 1), error_max=number(max(error_per_rate), 1),
        stroke_on=number(1 - high / 2, 1), background_on=number(high / 2, 1),
        epochs=config.epochs, train_images=integer(meta["train_images"]),
        grey_measured=number(measure.image_stats(noisy[high])["sample_intensity"], 3),
        n_samples=integer(measure.n_generated(reference)),
        grey_predicted=number(predicted_grey(ink, high), 3), ink=number(ink, 3),
        denoise_ink_min=number(min(denoise_ink), 3), denoise_ink_max=number(max(denoise_ink), 3),
        sharpness_trend=choose(sharp[-1] < sharp[0], *SHARPNESS_TREND[lang]),
        sharp_low=number(sharp[0], 3), sharp_high=number(sharp[-1], 3),
        sharp_reference=number(reference_stats["sample_sharpness"], 3),
        reference_epochs=reference.config.epochs,
        same_epochs=choose(reference.config.epochs == config.epochs, *SAME_EPOCHS[lang]).format(epochs=config.epochs),
        bce_epochs=run("vae-bce").config.epochs,
        denoise_standing=denoising_standing(denoise_best, denoise_wins, every, lang),
        margin_low=number(margins[0]), margin_high=number(margins[-1]),
        input_psnr_low=number(psnr["corrupted_input"][0]), best_low=number(best_low),
        latent_dim=config.latent_dim,
        blur_error=choose(psnr["corrupted_input"][0] > best_low, *BLUR_ERROR[lang]),
        noisy_over_clean=choose(bool(noisy_over_clean),
                                NOISY_OVER_CLEAN[lang][0].format(rates=listing(map(_rate, noisy_over_clean), lang)),
                                NOISY_OVER_CLEAN[lang][1]),
        ceiling=number(psnr_ceiling(high)), psnr_noisy_high=number(psnr["noisy_trained"][-1]),
        ref_loss=number(ref_loss),
        clean_noisy_low=number(clean_loss["noisy_trained"][0]),
        clean_noisy_high=number(clean_loss["noisy_trained"][-1]),
        noisy_worse=choose(min(clean_loss["noisy_trained"]) > ref_loss, *NOISY_WORSE[lang]),
        clean_denoise_low=number(clean_loss["denoising"][0]), clean_denoise_second=number(clean_loss["denoising"][1]),
        clean_denoise_high=number(clean_loss["denoising"][-1]),
        denoise_gap=number(abs(denoise_low_gap)), gap_side=choose(denoise_low_gap > 0, *GAP_SIDE[lang]),
        gap_cost=choose(abs(denoise_low_gap) < 1, *GAP_COST[lang]),
        noise_floor=number(metrics.noise_entropy(high)),
        floor_share=percent(metrics.noise_entropy(high) / train_loss["noisy_trained"][-1], 0),
        train_noisy_high=number(train_loss["noisy_trained"][-1]),
        kl_trend=choose(falls_at_every_step(train_kl["noisy_trained"]), *KL_TREND[lang]),
        kl_noisy_low=number(train_kl["noisy_trained"][0]), kl_noisy_high=number(train_kl["noisy_trained"][-1]),
        kl_denoise_low=number(train_kl["denoising"][0]), kl_denoise_high=number(train_kl["denoising"][-1]),
        kl_denoise_above=choose(above_at_every_rate(train_kl["denoising"], train_kl["noisy_trained"]),
                                *KL_DENOISE_ABOVE[lang]),
        psnr_trend=choose(falls_at_every_step(psnr["denoising"]), *PSNR_TREND[lang]),
        psnr_denoise_low=number(psnr["denoising"][0]), psnr_denoise_high=number(psnr["denoising"][-1]),
        encoder_shift=choose(clean_loss["denoising"][-1] > train_loss["denoising"][-1], *ENCODER_SHIFT[lang]),
        train_denoise_high=number(train_loss["denoising"][-1]),
    )


@uses(plots.denoising_rows, measure.denoising)
def fig_corruption(lang: str):
    scores = _scores()
    t = chapter_labels(lang)
    corruption = {rate: {t["corrupted_input"]: scores[f"noise-{rate:g}"]["example_inputs"]} for rate in NOISE_RATES}
    return plots.denoising_rows(_reference().artefacts["probe_images"], corruption, clean_label=t["clean_digit"])


@uses(plots.samples_by_rate)
def fig_samples(lang: str):
    return plots.samples_by_rate(_by_rate("noise"), after_epoch=chapter_labels(lang)["after_epoch"])


@uses(plots.sample_grids)
def fig_denoise_samples(lang: str):
    return plots.sample_grids({_rate(rate): r.artefacts["samples"] for rate, r in _by_rate("denoise").items()})


@uses(plots.denoising_rows, measure.denoising)
def fig_examples(lang: str):
    scores, baseline = _scores(), _baseline()
    t = chapter_labels(lang)
    examples = {rate: {t[key]: images for key, images in denoising_examples(scores, baseline, rate).items()}
                for rate in NOISE_RATES[-2:]}
    return plots.denoising_rows(_reference().artefacts["probe_images"], examples, clean_label=t["clean_digit"])


@uses(plots.noise_curves, measure.denoising)
def fig_psnr(lang: str):
    return _noise_curves(denoising_curves(_scores(), _baseline(), "psnr"), "psnr", lang)


@uses(tables.noise_scores, measure.denoising)
def tbl_scores(lang: str):
    return Markdown(tables.noise_scores(_sweep(), _scores(), _reference(), _baseline(), lang))


@uses(plots.noise_curves)
def fig_elbo(lang: str):
    return _noise_curves(noise_sweep_column(_sweep(), "test_loss"), "clean_loss", lang,
                         reference={"clean_matched": _reference().metrics["test_loss"]})
