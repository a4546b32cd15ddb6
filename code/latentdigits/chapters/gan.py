"""Chapter "A GAN on MNIST": course report 001's networks trained with report 004's step,
compared with the report's logged losses, checked for copying and for mode collapse, set
against `vae-bce`, and course report 000's own GAN beside it.

Two measurements of the trained GANs are new here and stored beside their entries:
`memorisation` (each of the protocol's samples, and each test digit, against its nearest
training digit) and `batch_statistics_scores` (report 000's GAN sampled the way the report
drew its pictures)."""

from __future__ import annotations

import math

import torch
from IPython.display import Markdown

from vaebook import adversarial, diagrams, evaluate, plots
from vaebook.classifier import features_and_predictions, predict
from vaebook.families import build_model, trained_model
from vaebook.latent import fixed_latents
from vaebook.measure import generated_images, image_stats, n_generated, stored, test_data
from vaebook.metrics import class_coverage, feature_moments, frechet_distance, sharpness

from .. import experiments, tables
from ..claims import Evidence, above, below, claim, close, fact, ordered
from ..figures import source_listing, uses
from ..reports import REPORT_004_BATCH, REPORT_004_ITERATIONS, REPORT_004_LAST_EPOCH_LOG
from ..text import integer, labels, listing, number, percent
from . import chapter_facts

LOG4, LOG2 = math.log(4), math.log(2)  # the losses of D and G at the game's equilibrium
MODELS = ("gan", "vae-bce")  # the GAN, and the VAE the course reports compare it with
GANS = ("gan", "gan-gelu")  # course report 001's GAN and course report 000's
# The VAE whose seeds show how far a change of seed alone moves the protocol's scores; the GAN
# and `vae-bce` were each trained once.
SEED_YARDSTICK = "beta-1"
REPORT_000_BATCH = 128  # course report 000 decoded one batch of 128 draws, BatchNorm in training mode
NEAREST_CHUNK = 1000  # images compared with the training set at a time (a 1000 x 10000 distance matrix)
NEAR_QUANTILE = 0.01  # the share of test digits nearest the training set that defines "near"
SNAPSHOT_ERRORS = 2  # a rise between snapshots counts when it exceeds this many standard errors
SPECKLE = 1.5  # sharpness this many times the test digits' is speckle, not strokes
SHARPNESS_MATCH = 0.1  # sharpness within this fraction of the test digits' matches them
SURE_GAP = 0.05  # confidence this close to the real digits' reads the samples "almost as surely"
EVEN_SHARE = 0.05  # every digit drawn with at least half the uniform share
TYPICAL_RATIO = 0.05  # medians of nearest distances within 5 % of each other are "about as far"

NETWORKS = {"en": ("generator", "discriminator"), "zh": ("生成器", "判别器")}


# --- New measurements of the trained GANs -----------------------------------------------------------


@torch.no_grad()
def nearest_training(images: torch.Tensor, train_images: torch.Tensor,
                     chunk: int = NEAREST_CHUNK) -> tuple[torch.Tensor, torch.Tensor]:
    """For each image, the Euclidean distance over its pixels to the nearest training image,
    and that image's index."""
    distances, indices = [], []
    for part in images.split(chunk):
        best = torch.full((len(part),), float("inf"))
        where = torch.zeros(len(part), dtype=torch.long)
        for start in range(0, len(train_images), 10 * chunk):
            closest, index = torch.cdist(part, train_images[start : start + 10 * chunk]).min(dim=1)
            better = closest < best
            best[better], where[better] = closest[better], index[better] + start
        distances.append(best)
        indices.append(where)
    return torch.cat(distances), torch.cat(indices)


def memorisation(run) -> dict[str, torch.Tensor]:
    """The distance from each of the protocol's samples of `run` to its nearest training digit
    (with that digit's index), and, as the yardstick, from each test digit, which no model
    saw, to its nearest training digit. A copying generator would sit far nearer than the
    test digits do."""

    def compute():
        data = test_data(run)
        sample_distance, sample_index = nearest_training(generated_images(run), data.train_images)
        test_distance, _ = nearest_training(data.test_images, data.train_images)
        return {"sample_distance": sample_distance, "sample_index": sample_index, "test_distance": test_distance}

    return stored(run, "nearest-training", {"samples": n_generated(run)}, compute)


def batch_statistics_scores(run, classifier) -> dict[str, torch.Tensor]:
    """The protocol's sample scores of `run` decoded as course report 000 drew its pictures:
    the generator in training mode, so that BatchNorm normalises each batch of
    `REPORT_000_BATCH` draws by its own statistics instead of the running averages."""

    def compute():
        model = trained_model(run).train()  # a fresh copy: the running averages it updates are never read
        with torch.no_grad():
            images = torch.cat([model.decode(z) for z in
                                fixed_latents(n_generated(run), run.config.latent_dim).split(REPORT_000_BATCH)])
        features, predictions = features_and_predictions(trained_model(classifier), images)
        reference = evaluate.reference_scores(classifier)
        fid = frechet_distance(feature_moments(features),
                               {"mean": reference["test_mean"], "cov": reference["test_cov"]})
        return {"fid": torch.tensor(fid)} | class_coverage(predictions)

    key = {"n": n_generated(run), "batch": REPORT_000_BATCH, "classifier": classifier.path.name.rsplit("-", 1)[1]}
    return stored(run, "batch-statistics-scores", key, compute)


# --- Small pieces of reasoning, tested on their own ------------------------------------------------


def report_means(log) -> tuple[float, float]:
    """The mean discriminator and generator loss of a log of (d_loss, g_loss) rows."""
    d, g = zip(*log)
    return sum(d) / len(d), sum(g) / len(g)


def middle_epoch(epochs: list[int]) -> int:
    """The epoch halfway through a history (the earlier of two middle ones)."""
    return epochs[len(epochs) // 2 - 1]


def effective_digits(coverage_kl: float) -> float:
    """The coverage KL read as a number of equally common digits, 10 e^(-KL): 10 for
    uniform shares, 1 when only one digit is drawn."""
    return 10 * math.exp(-coverage_kl)


def missing_digits(shares) -> list[int]:
    """The digits that no image was assigned to."""
    return [digit for digit, share in enumerate(shares) if share == 0]


def standard_error(values: torch.Tensor) -> float:
    """The standard error of the mean of `values`."""
    return values.std().item() / math.sqrt(len(values))


def rises_beyond_error(means: list[float], errors: list[float], k: float = SNAPSHOT_ERRORS) -> bool:
    """Whether each mean exceeds the one before by more than k times the larger standard
    error of the two (an error of 0 for a mean measured on so many images that it hardly moves)."""
    return all(b - a > k * max(ea, eb) for a, b, ea, eb in zip(means, means[1:], errors, errors[1:]))


def share_below(distances: torch.Tensor, threshold: float) -> float:
    """The share of `distances` below `threshold`."""
    return (distances < threshold).float().mean().item()


def beyond_seeds(a: tuple[str, float], b: tuple[str, float], seeds: tuple[str, list[float]], lower: bool = True,
                 digits: int = 2, **words) -> Evidence:
    """Whether model `a` scores below (`lower`) or above model `b`, each trained once, by more
    than the range that a change of seed alone spans for `seeds` = (model, values): one run is
    one run, so the gap must be wider than what seeds do to a model of the kind."""
    gap = (b[1] - a[1]) if lower else (a[1] - b[1])
    width = max(seeds[1]) - min(seeds[1])
    sign = ("<" if lower else ">") if gap > 0 else "vs"
    shown = (f"{a[0]}: {number(a[1], digits)} {sign} {b[0]}: {number(b[1], digits)}, Δ = {number(abs(gap), digits)}; "
             f"{seeds[0]}: {number(min(seeds[1]), digits)}–{number(max(seeds[1]), digits)} (n = {len(seeds[1])})")
    return fact(gap > width, shown, "beyond_seeds", **words, yardstick=seeds[0])


# --- The runs and their scores -------------------------------------------------------------------------


def _runs():
    return experiments.runs(*MODELS, *GANS[1:])


def _gan():
    return _runs()["gan"]


def snapshot_scores(run) -> dict[str, list]:
    """The sharpness of each snapshot (one fixed set of 64 draws decoded after each epoch in
    `meta["snapshot_epochs"]`) and the classifier's top-class probability for each of its
    images. Cheap, so not stored."""
    judge = trained_model(experiments.classifier(run.profile))
    snapshots = run.artefacts["snapshots"]
    return {"sharpness": [sharpness(images) for images in snapshots],
            "confidence": [predict(judge, images).max(dim=1).values for images in snapshots]}


def scores() -> tuple[dict, dict]:
    """The protocol's scores of each model's samples ({name: scores}), and those of the real digits."""
    judge = experiments.classifier()
    return {name: evaluate.sample_scores(run, judge) for name, run in _runs().items()}, evaluate.reference_scores(judge)


def _score(name: str, column: str) -> float:
    return float(scores()[0][name][column])


def _yardstick(column: str) -> tuple[str, list[float]]:
    return SEED_YARDSTICK, experiments.seed_scores(SEED_YARDSTICK)[column].tolist()


def _sharpness() -> dict[str, float]:
    """Sharpness of 10,000 samples of each model, and of the test digits."""
    stats = {name: image_stats(run) for name, run in _runs().items()}
    return {name: s["sample_sharpness"] for name, s in stats.items()} | {"real": stats["vae-bce"]["test_sharpness"]}


def _distances() -> dict[str, float]:
    """The nearest-training-digit distances of the GAN's samples and of the test digits, summed up."""
    m = memorisation(_gan())
    samples, test = m["sample_distance"], m["test_distance"]
    near = torch.quantile(test, NEAR_QUANTILE).item()
    return {"near": near, "share_near": share_below(samples, near), "sample_min": samples.min().item(),
            "test_min": test.min().item(), "sample_median": samples.median().item(),
            "test_median": test.median().item()}


# --- Claims --------------------------------------------------------------------------------------------


@claim("c-gan-d-below-log4")
def d_below_log4():
    """The discriminator's loss in the last epoch is below its equilibrium value, log 4."""
    return below(("gan", _gan().history["d_loss"][-1]), ("log 4", LOG4), 3, quantity="d_loss")


@claim("c-gan-nearer-equilibrium")
def nearer_equilibrium():
    """Our discriminator's last-epoch loss is nearer log 4 than report 004's last epoch's mean."""
    report_d, _ = report_means(REPORT_004_LAST_EPOCH_LOG)
    ours = _gan().history["d_loss"][-1]
    return below(("|gan − log 4|", abs(ours - LOG4)), ("|004 − log 4|", abs(report_d - LOG4)), 3, quantity="d_loss")


@claim("c-gan-gap-widens")
def gap_widens():
    """The gap between D(x) and D(G(z)) is wider in the last epoch than in the middle one."""
    history = _gan().history
    mid = middle_epoch(history["epoch"])
    gap = {f"{e}": history["d_real"][e - 1] - history["d_fake"][e - 1] for e in (mid, history["epoch"][-1])}
    return ordered(gap, "rises", 3, quantity="d_gap")


@claim("c-gan-samples-improve")
def samples_improve():
    """The classifier's confidence rises from snapshot to snapshot to the final generator's
    protocol score, each step wider than the sampling error of a 64-image mean."""
    gan = _gan()
    snap = snapshot_scores(gan)
    epochs = gan.meta["snapshot_epochs"]
    means = [c.mean().item() for c in snap["confidence"][:-1]] + [_score("gan", "confidence")]
    errors = [standard_error(c) for c in snap["confidence"][:-1]] + [0.0]
    shown = ", ".join(f"{e}: {number(m, 3)}" for e, m in zip(epochs, means)) + \
        f" (n = {integer(n_generated(gan))}); SE ≤ {number(max(errors), 3)}"
    return fact(rises_beyond_error(means, errors), shown, "rises_beyond_error", quantity="confidence_by_epoch",
                k=SNAPSHOT_ERRORS, n=len(snap["confidence"][0]))


@claim("c-gan-speckle-gone")
def speckle_gone():
    """The first epoch's samples are much sharper than test digits (speckle); from epoch 10 on
    the snapshots and the final samples are within a tenth of the test digits' sharpness."""
    gan = _gan()
    snap, real = snapshot_scores(gan)["sharpness"], _sharpness()["real"]
    later = snap[1:-1] + [_sharpness()["gan"]]
    holds = snap[0] > SPECKLE * real and all(abs(s - real) <= SHARPNESS_MATCH * real for s in later)
    shown = ", ".join(f"{e}: {number(s, 3)}" for e, s in zip(gan.meta["snapshot_epochs"], snap[:-1] + later[-1:])) + \
        f" (n = {integer(n_generated(gan))}); test: {number(real, 3)}"
    return fact(holds, shown, "speckle", quantity="sharpness_by_epoch", factor=SPECKLE, share=f"{SHARPNESS_MATCH:.0%}")


@claim("c-gan-typical-distance")
def typical_distance():
    """The median sample lies about as far from the training set as the median test digit."""
    d = _distances()
    holds = abs(d["sample_median"] / d["test_median"] - 1) <= TYPICAL_RATIO
    return fact(holds, f"gan: {number(d['sample_median'])}, test: {number(d['test_median'])}", "ratio_within",
                quantity="nearest_distance", share=f"{TYPICAL_RATIO:.0%}")


@claim("c-gan-no-copies")
def no_copies():
    """No more samples than test digits lie very near a training digit, and none nearer than the nearest test digit."""
    d = _distances()
    holds = d["share_near"] <= NEAR_QUANTILE and d["sample_min"] > d["test_min"]
    shown = (f"gan < {number(d['near'])}: {percent(d['share_near'], 2)}% ≤ {percent(NEAR_QUANTILE, 0)}%; "
             f"min: gan {number(d['sample_min'])} > test {number(d['test_min'])}")
    return fact(holds, shown, "no_copies", quantity="nearest_distance", share=f"{NEAR_QUANTILE:.0%}")


@claim("c-gan-nearest-are-ones")
def nearest_are_ones():
    """The samples nearest to the training set are ones (by their nearest training digit's
    label), and so are the test digits nearest to it."""
    gan = _gan()
    m, data = memorisation(gan), test_data(gan)
    samples = data.train_labels[m["sample_index"][m["sample_distance"].argsort()[: adversarial.N_NEAREST]]].tolist()
    test = data.test_labels[m["test_distance"].argsort()[: adversarial.N_NEAREST]].tolist()
    shown = f"gan: {', '.join(map(str, samples))}; test: {', '.join(map(str, test))}"
    return fact(set(samples) == set(test) == {1}, shown, "all_ones")


@claim("c-gan-all-digits")
def all_digits():
    """Every digit gets at least half its uniform share of the GAN's samples."""
    shares = scores()[0]["gan"]["class_shares"].tolist()
    shown = ", ".join(f"{digit}: {percent(s)}%" for digit, s in enumerate(shares))
    return fact(min(shares) >= EVEN_SHARE, shown, "at_least", limit=f"{percent(EVEN_SHARE, 0)}%")


@claim("c-gan-confident")
def confident():
    """The classifier reads the GAN's samples almost as surely as real digits."""
    return close(("gan", _score("gan", "confidence")), ("test", float(scores()[1]["confidence"])), SURE_GAP, 3,
                 quantity="confidence")


@claim("c-gan-sharper-than-vae")
def sharper_than_vae():
    """The GAN's samples are sharper than vae-bce's, and nearer the test digits' sharpness."""
    s = _sharpness()
    return above(("gan", s["gan"]), ("vae-bce", s["vae-bce"]), 3, quantity="sharpness") & \
        below(("|gan − test|", abs(s["gan"] - s["real"])), ("|vae-bce − test|", abs(s["vae-bce"] - s["real"])), 3,
              quantity="sharpness")


@claim("c-gan-fid-below-vae")
def fid_below_vae():
    """The GAN's FID is below vae-bce's by more than a change of seed moves beta-1's."""
    return beyond_seeds(("gan", _score("gan", "fid")), ("vae-bce", _score("vae-bce", "fid")), _yardstick("fid"),
                        quantity="fid")


@claim("c-gan-confidence-above-vae")
def confidence_above_vae():
    """The classifier is surer of the GAN's samples than of vae-bce's, by more than seeds move beta-1's."""
    return beyond_seeds(("gan", _score("gan", "confidence")), ("vae-bce", _score("vae-bce", "confidence")),
                        _yardstick("confidence"), lower=False, digits=3, quantity="confidence")


@claim("c-gan-gelu-fid")
def gelu_fid():
    """Report 000's GAN scores an FID far above report 001's, by more than seeds move beta-1's."""
    return beyond_seeds(("gan", _score("gan", "fid")), ("gan-gelu", _score("gan-gelu", "fid")), _yardstick("fid"),
                        quantity="fid")


@claim("c-gan-gelu-collapse")
def gelu_collapse():
    """Report 000's GAN never draws some digits (a partial collapse), where report 001's draws all ten."""
    shares = {name: scores()[0][name]["class_shares"].tolist() for name in GANS}
    missing = {name: missing_digits(s) for name, s in shares.items()}
    shown = "; ".join(f"{name}: {', '.join(map(str, m)) or '–'}" for name, m in missing.items())
    return fact(bool(missing["gan-gelu"]) and not missing["gan"], shown, "missing")


@claim("c-gan-gelu-batch-statistics")
def gelu_batch_statistics():
    """Sampled with batch statistics, as the report did, report 000's GAN still scores an FID
    far above report 001's and still misses a digit: the sampling is not the cause."""
    batch = batch_statistics_scores(_runs()["gan-gelu"], experiments.classifier())
    far = beyond_seeds(("gan", _score("gan", "fid")), ("gan-gelu, batch", float(batch["fid"])), _yardstick("fid"),
                       quantity="fid")
    missing = missing_digits(batch["class_shares"].tolist())
    return far & fact(bool(missing), f"gan-gelu, batch: {', '.join(map(str, missing)) or '–'}", "missing")


# --- The chapter's numbers -----------------------------------------------------------------------------


def facts(lang: str):
    return chapter_facts(__name__, lang, **_model_facts(), **_training_facts(), **_snapshot_facts(),
                         **_memorisation_facts(), **_coverage_facts(), **_against_vae_facts(), **_gelu_facts(lang))


def _model_facts() -> dict:
    gan = _gan()
    model, config, meta = trained_model(gan), gan.config, gan.meta
    return dict(
        noise_dim=config.noise_dim, g_params=integer(sum(p.numel() for p in model.generator.parameters())),
        d_params=integer(sum(p.numel() for p in model.discriminator.parameters())),
        beta1=config.adam_betas[0], beta2=config.adam_betas[1], lr=f"{config.lr:g}", batch_size=config.batch_size,
        epochs=config.epochs, train_images=integer(meta["train_images"]),
        per_epoch=integer(meta["train_images"] // config.batch_size), report_iterations=REPORT_004_ITERATIONS,
        report_batch=REPORT_004_BATCH, train_minutes=number(meta["train_seconds"] / 60, 1))


def _training_facts() -> dict:
    history = _gan().history
    last = {column: history[column][-1] for column in adversarial.GAN_COLUMNS}
    report_d, report_g = report_means(REPORT_004_LAST_EPOCH_LOG)
    mid = middle_epoch(history["epoch"])
    return dict(
        log4=number(LOG4, 3), log2=number(LOG2, 3), d_loss=number(last["d_loss"], 3), g_loss=number(last["g_loss"], 3),
        report_d=number(report_d, 3), report_g=number(report_g, 3), report_d_fake=number(math.exp(-report_g), 3),
        d_fake_geometric=number(math.exp(-last["g_loss"]), 3), d_real=number(last["d_real"], 3),
        d_fake=number(last["d_fake"], 3), d_gap=number(last["d_real"] - last["d_fake"], 3), mid=mid,
        mid_gap=number(history["d_real"][mid - 1] - history["d_fake"][mid - 1], 3))


def _snapshot_facts() -> dict:
    gan = _gan()
    snap, epochs = snapshot_scores(gan), gan.meta["snapshot_epochs"]
    return dict(
        first_snapshot=epochs[0], middle_snapshot=epochs[1], snapshot_images=len(snap["confidence"][0]),
        confidence_first=number(snap["confidence"][0].mean(), 3),
        confidence_middle=number(snap["confidence"][1].mean(), 3),
        snapshot_error=number(max(standard_error(c) for c in snap["confidence"][:-1]), 3),
        sharp_first=number(snap["sharpness"][0], 3), sharp_middle=number(snap["sharpness"][1], 3))


def _memorisation_facts() -> dict:
    gan, d = _gan(), _distances()
    return dict(
        n_samples=integer(n_generated(gan)), test_images=integer(gan.meta["test_images"]),
        near_quantile=percent(NEAR_QUANTILE, 0), near=number(d["near"]), share_near=percent(d["share_near"], 2),
        sample_min=number(d["sample_min"]), test_min=number(d["test_min"]),
        sample_median=number(d["sample_median"]), test_median=number(d["test_median"]),
        n_nearest=adversarial.N_NEAREST)


def _coverage_facts() -> dict:
    sample, real = scores()
    gan = sample["gan"]
    shares = gan["class_shares"].tolist()
    rarest, commonest = min(range(10), key=shares.__getitem__), max(range(10), key=shares.__getitem__)
    kl = {name: float(s["coverage_kl"]) for name, s in sample.items()} | {"real": float(real["coverage_kl"])}
    return dict(
        log10=number(math.log(10), 3), kl_gan=number(kl["gan"], 3), kl_vae=number(kl["vae-bce"], 3),
        kl_real=number(kl["real"], 3), effective_gan=number(effective_digits(kl["gan"]), 1),
        effective_vae=number(effective_digits(kl["vae-bce"]), 1),
        effective_real=number(effective_digits(kl["real"]), 1),
        rarest=rarest, rarest_share=percent(shares[rarest]), even_share=percent(EVEN_SHARE, 0), commonest=commonest,
        commonest_share=percent(shares[commonest]),
        confidence_gan=number(gan["confidence"], 3), confidence_vae=number(sample["vae-bce"]["confidence"], 3),
        confidence_real=number(real["confidence"], 3), fid_gan=number(gan["fid"]),
        fid_vae=number(sample["vae-bce"]["fid"]), fid_real=number(real["fid_floor"]))


def _against_vae_facts() -> dict:
    sharp, fid, confidence = _sharpness(), _yardstick("fid")[1], _yardstick("confidence")[1]
    return dict(
        sharp_gan=number(sharp["gan"], 3), sharp_vae=number(sharp["vae-bce"], 3), sharp_real=number(sharp["real"], 3),
        vae_epochs=_runs()["vae-bce"].config.epochs, yardstick_seeds=len(fid),
        yardstick_epochs=experiments.get_experiment(SEED_YARDSTICK).config.epochs,
        yardstick_fid_low=number(min(fid)), yardstick_fid_high=number(max(fid)),
        yardstick_confidence_low=number(min(confidence), 3), yardstick_confidence_high=number(max(confidence), 3))


def _gelu_facts(lang: str) -> dict:
    """Course report 000's GAN beside report 001's, trained for as many epochs."""
    gelu = _runs()["gan-gelu"]
    config, sample = gelu.config, scores()[0]["gan-gelu"]
    batch = batch_statistics_scores(gelu, experiments.classifier())
    return dict(
        gelu_noise_dim=config.noise_dim, gelu_lr=f"{config.lr:g}", gelu_beta1=f"{config.beta1:g}",
        gelu_beta2=f"{config.beta2:g}", gelu_weight_decay=f"{config.weight_decay:g}", gelu_l1=f"{config.l1_weight:g}",
        gelu_batch=config.batch_size, gelu_epochs=config.epochs, gelu_params=integer(evaluate.parameter_count(gelu)),
        gelu_fid=number(sample["fid"]), gelu_confidence=number(sample["confidence"], 3),
        gelu_coverage=number(sample["coverage_kl"], 3),
        gelu_effective=number(effective_digits(sample["coverage_kl"]), 1),
        gelu_missing=listing(missing_digits(sample["class_shares"].tolist()), lang),
        report_batch_000=REPORT_000_BATCH, gelu_batch_fid=number(batch["fid"]),
        gelu_batch_missing=listing(missing_digits(batch["class_shares"].tolist()), lang),
        sigmoid_low=number(1 / (1 + math.exp(0)), 2), sigmoid_high=number(1 / (1 + math.exp(-1)), 2))


# --- Figures, tables and listings ---------------------------------------------------------------------


@uses(tables.layers)
def tbl_architecture(lang: str):
    gan = _gan()
    model, config = trained_model(gan), gan.config
    g, d = NETWORKS[lang]
    return Markdown(tables.layers({g: model.generator, d: model.discriminator},
                                  {g: torch.zeros(2, config.noise_dim), d: torch.zeros(2, 784)}, lang=lang))


def gan_stages(model, titles: dict[str, str]) -> list:
    """The GAN as a diagram: noise, generator and image, then the discriminator's input, its
    layers and its score, read from `model` (titles by key: noise, generator, image, input,
    discriminator, score)."""
    noise = torch.zeros(2, model.generator[0].in_features)
    image = diagrams.output(model.generator, noise)
    score = diagrams.output(model.discriminator, image)
    return [diagrams.Stage(titles["noise"], (diagrams.tensor_row("z:", noise),)),
            diagrams.Stage(titles["generator"], diagrams.layer_rows(model.generator, noise)),
            diagrams.Stage(titles["input"], (diagrams.tensor_row("x, G(z):", image),)),
            diagrams.Stage(titles["discriminator"], diagrams.layer_rows(model.discriminator, image)),
            diagrams.Stage(titles["score"], (diagrams.tensor_row("logit:", score),))]


@uses(diagrams.architecture, diagrams.layer_rows, build_model, gan_stages)
def fig_architecture(lang: str):
    t = labels(lang)
    titles = dict(noise=t["arch_noise"], generator=t["arch_generator"], input=t["arch_real_or_fake"],
                  discriminator=t["arch_discriminator"], score=t["arch_logit"])
    return diagrams.architecture(gan_stages(build_model(_gan().config), titles))


def lst_gan_step(lang: str):
    return Markdown(source_listing(adversarial.gan_step))


@uses(plots.step_losses, adversarial.gan_step)
def fig_losses(lang: str):
    t = labels(lang)
    return plots.step_losses(_gan(), ["d_loss", "g_loss"], references={"d_loss": LOG4, "g_loss": LOG2},
                             titles=[t["d_loss"], t["g_loss"]], xlabel=t["epoch"], smoothed_label=t["smoothed"],
                             epoch_mean_label=t["epoch_mean"], reference_label=t["equilibrium"])


@uses(plots.discriminator_outputs, adversarial.gan_step)
def fig_discriminator(lang: str):
    t = labels(lang)
    return plots.discriminator_outputs(_gan().history, xlabel=t["epoch"], ylabel=t["d_output"], real_label=t["d_real"],
                                       fake_label=t["d_fake"], equilibrium_label=t["equilibrium"])


@uses(plots.sample_grids, adversarial.GANTrainer)
def fig_samples(lang: str):
    gan = _gan()
    epochs = gan.meta["snapshot_epochs"]
    titles = [labels(lang)["after_epoch"].format(epoch) for epoch in epochs]
    return plots.sample_grids(dict(zip(titles, gan.artefacts["snapshots"])), per_row=len(epochs))


@uses(tables.nearest_distances, memorisation)
def tbl_nearest(lang: str):
    m = memorisation(_gan())
    return Markdown(tables.nearest_distances({"gan": m["sample_distance"], "test": m["test_distance"]},
                                             NEAR_QUANTILE, lang))


@uses(plots.nearest_training, memorisation)
def fig_nearest(lang: str):
    gan = _gan()
    m = memorisation(gan)
    closest = m["sample_distance"].argsort()[: adversarial.N_NEAREST]
    with torch.no_grad():
        samples = trained_model(gan).decode(fixed_latents(n_generated(gan), gan.config.latent_dim)[closest])
    nearest = test_data(gan).train_images[m["sample_index"][closest]]
    t = labels(lang)
    return plots.nearest_training(samples, nearest, sample_label=t["gan_sample"], nearest_label=t["nearest_training"])


def _sources(lang: str) -> dict:
    sample, real = scores()
    return {name: sample[name] for name in MODELS} | {labels(lang)["test_digits"]: real}


@uses(plots.class_shares, evaluate.sample_scores, evaluate.reference_scores)
def fig_coverage(lang: str):
    t = labels(lang)
    return plots.class_shares({label: s["class_shares"] for label, s in _sources(lang).items()}, xlabel=t["predicted"],
                              ylabel=t["share"], uniform_label=t["uniform"])


@uses(tables.sample_scores, evaluate.sample_scores, evaluate.reference_scores)
def tbl_scores(lang: str):
    epochs = {name: _runs()[name].config.epochs for name in MODELS}
    return Markdown(tables.sample_scores(_sources(lang), lang=lang, epochs=epochs))


@uses(tables.protocol, evaluate.evaluation)
def tbl_gelu(lang: str):
    judge = experiments.classifier()
    return Markdown(tables.protocol({name: evaluate.evaluation(_runs()[name], judge) for name in GANS},
                                    evaluate.evaluation(judge, judge), lang))


@uses(plots.sample_grids, adversarial.l1_gan_step)
def fig_gelu_samples(lang: str):
    return plots.sample_grids({name: _runs()[name].artefacts["samples"] for name in GANS}, per_row=2, size=3.0)


def lst_l1_gan_step(lang: str):
    return Markdown(source_listing(adversarial.l1_gan_step))
