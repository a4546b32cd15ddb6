"""Chapter "Noisy data": course report 001's salt-and-pepper experiment redone with the MLP
VAE, a denoising VAE beside every model trained on noisy digits, and both scored against the
clean test digits."""

from __future__ import annotations

import math
import statistics

import torch
from IPython.display import Markdown

from vaebook import measure, metrics, plots
from vaebook.evaluate import sample_scores

from .. import tables
from ..claims import below, claim, close, every, fact, ordered
from ..experiments import NOISE_RATES, NOISE_SWEEP, REPORT_001_NOISE, classifier, run, runs, seed_scores
from ..figures import uses
from ..text import integer, labels, listing, number, percent
from . import chapter_facts

# The three models that reconstruct a corrupted digit, by their keys in the label table.
MODELS = ("noisy_trained", "denoising", "clean_trained")
# The clean-trained VAE the noisy models are measured against: the same network, loss and seed
# trained on clean digits for as many epochs (the β sweep's and the noise sweep's length), not
# `vae-bce`, which trains ten times as long. Its seeds give the yardstick of a change of seed.
REFERENCE = "beta-1"
# The figures' names for it, in place of the label table's, which name `vae-bce`.
REFERENCE_LABELS = {
    "en": {"clean_trained": "beta-1, trained on clean digits", "clean_matched": "beta-1, trained on clean digits"},
    "zh": {"clean_trained": "beta-1，在干净数据上训练", "clean_matched": "beta-1，在干净数据上训练"},
}
# Two reconstructions are ordered at a rate only when their PSNR differs by more than this. The
# noise models have one seed each; beta-1's three seeds differ by 0.04 dB in the squared error
# of their clean reconstructions (`psnr_seed_spread`), a tenth of it.
MARGIN_DB = 0.5
LEVEL = 0.95  # prediction intervals over the reference's seeds
SAME_GREY = 0.01  # mean intensities this close count as the same grey


# --- The chapter's computations ----------------------------------------------------------------------


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


def lead(curves: dict, model: str, others, index: int) -> float:
    """How far `model` scores above the best of `others` at the `index`-th rate, from the
    values as printed (negative: behind)."""
    return rounded_difference(curves[model][index], max(curves[other][index] for other in others))


def rounded_difference(a: float, b: float, digits: int = 2) -> float:
    """a - b computed from the values as printed, so that the prose's difference agrees with its table."""
    return round(a, digits) - round(b, digits)


def prediction_interval(values, level: float = LEVEL) -> tuple[float, float]:
    """Where one more seed's value would fall with probability `level`, from the seeds'
    values: mean ± t · sd · sqrt(1 + 1/n), Student's t with n - 1 degrees of freedom."""
    from scipy.stats import t

    values = [float(v) for v in values]
    n, mean, sd = len(values), statistics.fmean(values), statistics.stdev(values)
    half = t.ppf((1 + level) / 2, n - 1) * sd * math.sqrt(1 + 1 / n)
    return mean - half, mean + half


def against_seeds(value: tuple[str, float], seeds, side: str, digits: int = 2, **words):
    """Whether one run's value lies inside, above or below (`side`) the prediction interval
    of the reference's seeds (`seeds`)."""
    low, high = prediction_interval(seeds)
    holds = {"inside": low <= value[1] <= high, "above": value[1] > high, "below": value[1] < low}[side]
    shown = f"{value[0]}: {number(value[1], digits)}; {REFERENCE}: [{number(low, digits)}, {number(high, digits)}]"
    return fact(holds, shown, f"noise_{side}_interval", twin=REFERENCE, n=len(seeds), **words)


def predicted_grey(ink: float, rate: float) -> float:
    """The mean pixel value of digits of mean value `ink` after salt-and-pepper noise at
    `rate` (@eq-noisy-data-mean): what a perfect noisy-trained model's samples average."""
    return (1 - rate) * ink + rate / 2


def psnr_ceiling(rate: float) -> float:
    """The PSNR (dB) of a perfect noisy-trained model on black-and-white digits: it answers
    each pixel with the expected corrupted value, which misses the clean 0 or 1 by rate / 2,
    a squared error of rate² / 4 per pixel."""
    return 10 * math.log10(4 / rate**2)


def psnr_seed_spread(recon_mse) -> float:
    """How far apart in dB the seeds' squared reconstruction errors lie: 10 log10(max / min)."""
    return 10 * math.log10(float(max(recon_mse)) / float(min(recon_mse)))


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


# --- The stored runs and their measurements ----------------------------------------------------------


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


def _psnr() -> dict[str, list[float]]:
    return denoising_curves(_scores(), _baseline(), "psnr")


def _first_epoch_only() -> dict:
    """The models trained on course report 001's schedule, {rate: run}: noise in the first epoch only."""
    first = runs(*REPORT_001_NOISE)
    return {rate: first[f"noise-first-{rate:g}"] for rate in NOISE_RATES}


def _schedule_scores() -> dict:
    """{name: (run, scores)} of the noisy-trained models under both schedules, rate by rate:
    their clean test loss and the protocol's sample scores."""
    noisy, first = _by_rate("noise"), _first_epoch_only()
    return {r.name: (r, _samples(r.name) | {"test_loss": r.metrics["test_loss"]})
            for rate in NOISE_RATES for r in (noisy[rate], first[rate])}


def _samples(name: str) -> dict[str, float]:
    """The protocol's sample scores (@sec-evaluation) of one model."""
    return {k: float(v) for k, v in sample_scores(run(name), classifier()).items() if v.numel() == 1}


def _rate(rate: float) -> str:
    return f"{percent(rate, 0)}%"


def _index(rate: float) -> int:
    return NOISE_RATES.index(rate)


# --- Claims ------------------------------------------------------------------------------------------------


@claim("c-noise-error-proportional")
def error_proportional():
    """The corrupted digits' squared error divided by ρ is the same at every rate (within 1 %)
    and below the 392 of black-and-white digits."""
    scores = _scores()
    per_rate = {_rate(r): float(scores[f"noise-{r:g}"]["input_mse"]) / r for r in NOISE_RATES}
    mean = statistics.fmean(per_rate.values())
    shown = ", ".join(f"{k}: {number(v, 1)}" for k, v in per_rate.items())
    return (fact(all(abs(v - mean) <= 0.01 * mean for v in per_rate.values()), shown, "noise_spread",
                 quantity="noise_error_per_rate", share="1%")
            & fact(max(per_rate.values()) < 392, f"max: {number(max(per_rate.values()), 1)} < 392", "below"))


@claim("c-noise-grey-as-predicted")
def grey_as_predicted():
    """The 80 % model's samples are as grey as (1 - ρ) m + ρ / 2 predicts."""
    high = NOISE_RATES[-1]
    measured = measure.image_stats(_by_rate("noise")[high])["sample_intensity"]
    predicted = predicted_grey(measure.image_stats(_reference())["test_intensity"], high)
    return close((f"noise-{high:g}", measured), ("(1 − ρ) m + ρ/2", predicted), SAME_GREY, digits=3, quantity="ink")


@claim("c-noise-denoise-no-haze")
def denoise_no_haze():
    """No denoising model's samples are greyer than the clean test digits."""
    ink = measure.image_stats(_reference())["test_intensity"]
    samples = {_rate(r): measure.image_stats(m)["sample_intensity"] for r, m in _by_rate("denoise").items()}
    shown = ", ".join(f"{k}: {number(v, 3)}" for k, v in samples.items()) + f"; m = {number(ink, 3)}"
    return every({k: v <= ink for k, v in samples.items()}, shown, quantity="ink")


@claim("c-noise-denoise-sharpness-falls")
def denoise_sharpness_falls():
    """The denoising models' samples lose sharpness as the rate grows."""
    return ordered({_rate(r): measure.image_stats(m)["sample_sharpness"] for r, m in _by_rate("denoise").items()},
                   "falls", digits=3, quantity="sharpness")


@claim("c-noise-input-wins-at-low")
def input_wins_at_low():
    """At the lowest rate the corrupted digit itself beats every model's reconstruction by
    more than the margin."""
    psnr = _psnr()
    ahead, best = lead(psnr, "corrupted_input", MODELS, 0), max(psnr[model][0] for model in MODELS)
    shown = f"{number(psnr['corrupted_input'][0])} − {number(best)} = {number(ahead)}"
    return fact(ahead > MARGIN_DB, shown, "noise_input_ahead", unit="dB", quantity="psnr",
                rate=_rate(NOISE_RATES[0]), margin=number(MARGIN_DB, 1))


@claim("c-noise-models-close-at-low")
def models_close_at_low():
    """At the lowest rate the three models' PSNR lie within the margin of each other."""
    low = NOISE_RATES[0]
    names = {"noisy_trained": f"noise-{low:g}", "denoising": f"denoise-{low:g}", "clean_trained": REFERENCE}
    values = {names[model]: _psnr()[model][0] for model in MODELS}
    shown = ", ".join(f"{k}: {number(v)}" for k, v in values.items())
    return fact(max(values.values()) - min(values.values()) <= MARGIN_DB, shown, "close",
                unit="dB", quantity="psnr", tolerance=number(MARGIN_DB, 1))


# The models by the names the evidence gives them.
SHORT_NAMES = {"noisy_trained": "noise", "denoising": "denoise", "clean_trained": REFERENCE}


def _leads(model: str, others, rates) -> dict[str, float]:
    psnr = _psnr()
    return {_rate(r): lead(psnr, model, others, _index(r)) for r in rates}


def _margin_evidence(leads: dict[str, float], model: str, others):
    against = ", ".join(SHORT_NAMES[other] for other in others)
    head = f"{SHORT_NAMES[model]} − max({against})" if len(others) > 1 else f"{SHORT_NAMES[model]} − {against}"
    shown = head + ": " + ", ".join(f"{k}: {'+' if v >= 0 else ''}{number(v)}" for k, v in leads.items())
    return fact(all(v > MARGIN_DB for v in leads.values()), shown, "noise_margin", unit="dB", quantity="psnr",
                margin=number(MARGIN_DB, 1))


@claim("c-noise-denoise-best")
def denoise_best():
    """From the second rate on, the denoising VAE beats both other models by more than the margin."""
    others = ("noisy_trained", "clean_trained")
    return _margin_evidence(_leads("denoising", others, NOISE_RATES[1:]), "denoising", others)


@claim("c-noise-noisy-beats-clean")
def noisy_beats_clean():
    """At the middle rates the noisy-trained VAE beats the clean-trained one by more than the margin."""
    return _margin_evidence(_leads("noisy_trained", ("clean_trained",), NOISE_RATES[1:-1]), "noisy_trained",
                            ("clean_trained",))


@claim("c-noise-clean-beats-noisy-high")
def clean_beats_noisy_high():
    """At the highest rate the clean-trained VAE beats the noisy-trained one by more than the margin."""
    return _margin_evidence(_leads("clean_trained", ("noisy_trained",), NOISE_RATES[-1:]), "clean_trained",
                            ("noisy_trained",))


@claim("c-noise-under-ceiling")
def under_ceiling():
    """At the highest rate the noisy-trained VAE stays under the PSNR of a perfect one."""
    high = NOISE_RATES[-1]
    return below((f"noise-{high:g}", _psnr()["noisy_trained"][-1]), ("10 log10(4/ρ²)", psnr_ceiling(high)),
                 quantity="psnr", unit="dB")


@claim("c-noise-noisy-loses-clean")
def noisy_loses_clean():
    """At every rate the noisy-trained VAE's test loss on clean digits is above the
    prediction interval of the clean-trained reference's seeds."""
    seeds = seed_scores(REFERENCE)["test_loss"].tolist()
    parts = [against_seeds((f"noise-{r:g}", m.metrics["test_loss"]), seeds, "above", quantity="noise_clean_loss",
                           unit="nats") for r, m in _by_rate("noise").items()]
    return _all(parts)


def _all(parts):
    combined = parts[0]
    for part in parts[1:]:
        combined = combined & part
    return combined


@claim("c-noise-denoise-low-free")
def denoise_low_free():
    """The denoising VAE at the lowest rate describes clean digits as well as the reference's seeds do."""
    low = NOISE_RATES[0]
    return against_seeds((f"denoise-{low:g}", _by_rate("denoise")[low].metrics["test_loss"]),
                         seed_scores(REFERENCE)["test_loss"].tolist(), "inside", quantity="noise_clean_loss",
                         unit="nats")


def _report_model(rate: float, sides: dict[str, str]):
    """The noisy-trained model at `rate` against the reference's seeds on its clean test loss
    and its samples' FID and confidence, each on the given side of their interval."""
    name, seeds = f"noise-{rate:g}", seed_scores(REFERENCE)
    samples = _samples(name) | {"test_loss": run(name).metrics["test_loss"]}
    words = {"test_loss": dict(quantity="noise_clean_loss", unit="nats"), "fid": dict(quantity="fid", digits=1),
             "confidence": dict(quantity="confidence", digits=3)}
    return _all([against_seeds((name, samples[key]), seeds[key].tolist(), side, **words[key])
                 for key, side in sides.items()])


@claim("c-noise-ten-percent-harms")
def ten_percent_harms():
    """Course report 001's rule of thumb, on the model it trained (target: the noisy digit): at
    10 % the noisy-trained VAE is worse than the clean-trained reference's seeds on every count."""
    return _report_model(0.1, {"test_loss": "above", "fid": "above", "confidence": "below"})


@claim("c-noise-one-percent-samples-fine")
def one_percent_samples_fine():
    """At 1 % the noisy-trained VAE's samples score like the reference's seeds."""
    return _report_model(0.01, {"fid": "inside", "confidence": "inside"})


# Course report 001's schedule: noise in the first epoch only, then clean digits.
WORDS = {"test_loss": dict(quantity="noise_clean_loss", unit="nats"), "fid": dict(quantity="fid", digits=1),
         "confidence": dict(quantity="confidence", digits=3)}


def _first_epoch_against_seeds(rates, sides: dict[str, str]):
    """The first-epoch-only models at `rates` against the reference's seeds: each score on
    the given side of the seeds' interval."""
    seeds, scores = seed_scores(REFERENCE), _schedule_scores()
    return _all([against_seeds((f"noise-first-{rate:g}", scores[f"noise-first-{rate:g}"][1][key]),
                               seeds[key].tolist(), side, **WORDS[key])
                 for rate in rates for key, side in sides.items()])


@claim("c-noise-first-no-trace")
def first_epoch_no_trace():
    """Up to 20 %, a noisy first epoch leaves no measurable trace: the clean test loss, FID and
    confidence all lie inside the reference's prediction intervals."""
    return _first_epoch_against_seeds(NOISE_RATES[:-1], dict.fromkeys(("test_loss", "fid", "confidence"), "inside"))


@claim("c-noise-first-high-fid-only")
def first_epoch_high_fid_only():
    """At 80 % the first-epoch-only model's clean test loss and confidence stay inside the
    intervals, its FID lies above."""
    return _first_epoch_against_seeds(NOISE_RATES[-1:], {"test_loss": "inside", "confidence": "inside",
                                                         "fid": "above"})


@claim("c-noise-first-not-faint")
def first_epoch_not_faint():
    """The first-epoch-only models' last samples are as dark as the reference's."""
    reference = measure.image_stats(_reference())["sample_intensity"]
    return _all([close((f"noise-first-{rate:g}", measure.image_stats(r)["sample_intensity"]), (REFERENCE, reference),
                       SAME_GREY, digits=3, quantity="ink") for rate, r in _first_epoch_only().items()])


@claim("c-noise-floor-dominates")
def floor_dominates():
    """At the highest rate the unpredictable flips alone cost over nine tenths of the training loss."""
    high = NOISE_RATES[-1]
    share = metrics.noise_entropy(high) / _by_rate("noise")[high].metrics["train_loss"]
    return fact(share > 0.9, f"noise-{high:g}: {percent(share, 0)}% > 90%", "above", quantity="noise_floor_share")


@claim("c-noise-kl-falls")
def kl_falls():
    """The noisy-trained VAE's training KL falls at every step of the rate."""
    return ordered({_rate(r): m.metrics["train_kl"] for r, m in _by_rate("noise").items()}, "falls",
                   quantity="noise_train_kl", unit="nats")


@claim("c-noise-denoise-kl-above")
def denoise_kl_above():
    """The denoising VAE's training KL is above the noisy-trained one's at every rate."""
    kl = noise_sweep_column(_sweep(), "train_kl")
    shown = "denoise vs noise: " + ", ".join(f"{_rate(r)}: {number(d)} {'>' if d > n else '≤'} {number(n)}"
                                             for r, d, n in zip(NOISE_RATES, kl["denoising"], kl["noisy_trained"]))
    return every({_rate(r): d > n for r, d, n in zip(NOISE_RATES, kl["denoising"], kl["noisy_trained"])}, shown,
                 quantity="noise_train_kl")


@claim("c-noise-denoise-psnr-falls")
def denoise_psnr_falls():
    """The denoising VAE's PSNR falls at every step of the rate."""
    return ordered(dict(zip(map(_rate, NOISE_RATES), _psnr()["denoising"])), "falls", quantity="psnr", unit="dB")


@claim("c-noise-encoder-shift")
def encoder_shift():
    """At the highest rate the denoising VAE's KL on clean test digits is over five times its
    KL on the corrupted training digits, and its clean test loss is above its training loss."""
    m = _by_rate("denoise")[NOISE_RATES[-1]].metrics
    holds = m["test_kl"] > 5 * m["train_kl"] and m["test_loss"] > m["train_loss"]
    shown = (f"denoise-{NOISE_RATES[-1]:g}: KL {number(m['test_kl'])} > 5 × {number(m['train_kl'])}; "
             f"loss {number(m['test_loss'])} > {number(m['train_loss'])}")
    return fact(holds, shown, "noise_encoder_shift", unit="nats", factor=5)


@claim("c-noise-high-samples-alike")
def high_samples_alike():
    """The 80 % noisy-trained model's samples vary, pixel by pixel, less than a tenth as much as the reference's."""
    high = NOISE_RATES[-1]
    spread = {name: measure.pixel_moments(r)["sample_std"].mean().item()
              for name, r in ((f"noise-{high:g}", _by_rate("noise")[high]), (REFERENCE, _reference()))}
    (noisy, a), (ref, b) = spread.items()
    return fact(a < b / 10, f"{noisy}: {number(a, 4)} < {ref} / 10: {number(b, 4)} / 10", "below",
                quantity="noise_pixel_spread")


# --- The chapter's numbers, by section ------------------------------------------------------------------


def _corruption_facts(lang: str) -> dict:
    scores, high = _scores(), NOISE_RATES[-1]
    error_per_rate = [float(scores[f"noise-{rate:g}"]["input_mse"]) / rate for rate in NOISE_RATES]
    config, meta = _by_rate("noise")[NOISE_RATES[0]].config, _by_rate("noise")[NOISE_RATES[0]].meta
    return dict(
        rates=listing([f"{percent(rate, 0)}{' %' if lang == 'en' else '%'}" for rate in NOISE_RATES], lang),
        low=percent(NOISE_RATES[0], 0),
        second=percent(NOISE_RATES[1], 0), third=percent(NOISE_RATES[2], 0), high=percent(high, 0),
        error_min=number(min(error_per_rate), 1), error_max=number(max(error_per_rate), 1),
        stroke_on=number(1 - high / 2, 1), background_on=number(high / 2, 1),
        epochs=config.epochs, train_images=integer(meta["train_images"]), latent_dim=config.latent_dim,
    )


def _sample_facts() -> dict:
    high, reference = NOISE_RATES[-1], _reference()
    stats = measure.image_stats(reference)
    denoise = [measure.image_stats(r) for r in _by_rate("denoise").values()]
    return dict(
        grey_measured=number(measure.image_stats(_by_rate("noise")[high])["sample_intensity"], 3),
        n_samples=integer(measure.n_generated(reference)),
        grey_predicted=number(predicted_grey(stats["test_intensity"], high), 3), ink=number(stats["test_intensity"], 3),
        denoise_ink_min=number(min(s["sample_intensity"] for s in denoise), 3),
        denoise_ink_max=number(max(s["sample_intensity"] for s in denoise), 3),
        sharp_low=number(denoise[0]["sample_sharpness"], 3), sharp_high=number(denoise[-1]["sample_sharpness"], 3),
        sharp_reference=number(stats["sample_sharpness"], 3),
        spread_high=number(measure.pixel_moments(_by_rate("noise")[high])["sample_std"].mean(), 4),
        spread_reference=number(measure.pixel_moments(reference)["sample_std"].mean(), 4),
        reference_epochs=reference.config.epochs, bce_epochs=run("vae-bce").config.epochs,
    )


def _denoising_facts() -> dict:
    psnr, high = _psnr(), NOISE_RATES[-1]
    at_low = [psnr[model][0] for model in MODELS]
    denoise_leads = [lead(psnr, "denoising", ("noisy_trained", "clean_trained"), k) for k in range(1, len(NOISE_RATES))]
    return dict(
        margin=number(MARGIN_DB, 1), seed_spread=number(psnr_seed_spread(seed_scores(REFERENCE)["recon_mse"])),
        input_psnr_low=number(psnr["corrupted_input"][0]), best_low=number(max(at_low)),
        low_min=number(min(at_low)), low_max=number(max(at_low)),
        lead_min=number(min(denoise_leads)), lead_high=number(denoise_leads[-1]),
        noisy_lead_second=number(lead(psnr, "noisy_trained", ("clean_trained",), 1)),
        noisy_lead_third=number(lead(psnr, "noisy_trained", ("clean_trained",), 2)),
        clean_lead_high=number(lead(psnr, "clean_trained", ("noisy_trained",), -1)),
        ceiling=number(psnr_ceiling(high)), psnr_noisy_high=number(psnr["noisy_trained"][-1]),
        psnr_denoise_low=number(psnr["denoising"][0]), psnr_denoise_high=number(psnr["denoising"][-1]),
    )


def _elbo_facts() -> dict:
    seeds = seed_scores(REFERENCE)
    loss_low, loss_high = prediction_interval(seeds["test_loss"].tolist())
    clean = noise_sweep_column(_sweep(), "test_loss")
    ref_loss = _reference().metrics["test_loss"]
    return dict(
        ref_loss=number(ref_loss), loss_low=number(loss_low), loss_high=number(loss_high),
        clean_noisy_low=number(clean["noisy_trained"][0]), clean_noisy_second=number(clean["noisy_trained"][1]),
        clean_noisy_high=number(clean["noisy_trained"][-1]),
        clean_denoise_low=number(clean["denoising"][0]), clean_denoise_second=number(clean["denoising"][1]),
        clean_denoise_high=number(clean["denoising"][-1]),
        noisy_cost_low=number(rounded_difference(clean["noisy_trained"][0], ref_loss)),
        noisy_cost_second=number(rounded_difference(clean["noisy_trained"][1], ref_loss)),
        denoise_cost_second=number(rounded_difference(clean["denoising"][1], ref_loss)),
    )


def _rule_facts() -> dict:
    seeds = seed_scores(REFERENCE)
    fid_low, fid_high = prediction_interval(seeds["fid"].tolist())
    conf_low, conf_high = prediction_interval(seeds["confidence"].tolist())
    low, second = _samples(f"noise-{NOISE_RATES[0]:g}"), _samples(f"noise-{NOISE_RATES[1]:g}")
    return dict(
        fid_low=number(fid_low, 1), fid_high=number(fid_high, 1), conf_low=number(conf_low, 3),
        conf_high=number(conf_high, 3), fid_noisy_low=number(low["fid"], 1), fid_noisy_second=number(second["fid"], 1),
        conf_noisy_low=number(low["confidence"], 3), conf_noisy_second=number(second["confidence"], 3),
    )


def _schedule_facts() -> dict:
    scores, high = _schedule_scores(), NOISE_RATES[-1]
    first = {rate: scores[f"noise-first-{rate:g}"][1] for rate in NOISE_RATES}
    losses = [first[rate]["test_loss"] for rate in NOISE_RATES[:-1]]
    inks = [measure.image_stats(r)["sample_intensity"] for r in _first_epoch_only().values()]
    return dict(
        first_loss_min=number(min(losses)), first_loss_max=number(max(losses)),
        first_loss_high=number(first[high]["test_loss"]), first_fid_high=number(first[high]["fid"], 1),
        first_conf_high=number(first[high]["confidence"], 3),
        first_ink_min=number(min(inks), 3), first_ink_max=number(max(inks), 3),
        reference_ink=number(measure.image_stats(_reference())["sample_intensity"], 3),
        noisy_fid_high=number(scores[f"noise-{high:g}"][1]["fid"], 1),
        clean_epochs=_first_epoch_only()[high].config.epochs - 1,
    )


def _discussion_facts() -> dict:
    high = NOISE_RATES[-1]
    noisy, denoise = _by_rate("noise"), _by_rate("denoise")
    return dict(
        noise_floor=number(metrics.noise_entropy(high)), train_noisy_high=number(noisy[high].metrics["train_loss"]),
        floor_share=percent(metrics.noise_entropy(high) / noisy[high].metrics["train_loss"], 0),
        kl_noisy_low=number(noisy[NOISE_RATES[0]].metrics["train_kl"]),
        kl_noisy_high=number(noisy[high].metrics["train_kl"]),
        kl_denoise_low=number(denoise[NOISE_RATES[0]].metrics["train_kl"]),
        kl_denoise_high=number(denoise[high].metrics["train_kl"]),
        test_kl_denoise_high=number(denoise[high].metrics["test_kl"]),
        train_denoise_high=number(denoise[high].metrics["train_loss"]),
    )


def facts(lang: str):
    return chapter_facts(__name__, lang, **_corruption_facts(lang), **_sample_facts(), **_denoising_facts(),
                         **_elbo_facts(), **_rule_facts(), **_schedule_facts(), **_discussion_facts())


# --- Figures and tables -----------------------------------------------------------------------------------


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
    return _noise_curves(_psnr(), "psnr", lang)


@uses(tables.noise_scores, measure.denoising)
def tbl_scores(lang: str):
    return Markdown(tables.noise_scores(_sweep(), _scores(), _reference(), _baseline(), lang))


@uses(plots.noise_curves)
def fig_elbo(lang: str):
    return _noise_curves(noise_sweep_column(_sweep(), "test_loss"), "clean_loss", lang,
                         reference={"clean_matched": _reference().metrics["test_loss"]})


@uses(plots.samples_by_rate)
def fig_first_samples(lang: str):
    return plots.samples_by_rate(_first_epoch_only(), after_epoch=chapter_labels(lang)["after_epoch"])


@uses(tables.noise_schedules)
def tbl_schedules(lang: str):
    seeds = seed_scores(REFERENCE)
    bounds = {key: prediction_interval(seeds[key].tolist()) for key in ("test_loss", "fid", "confidence")}
    reference = (REFERENCE, len(seeds["fid"]), _reference().config.epochs, bounds)
    return Markdown(tables.noise_schedules(_schedule_scores(), reference, lang))
