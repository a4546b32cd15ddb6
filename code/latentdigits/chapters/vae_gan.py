"""Chapter "VAE-GAN": Larsen et al.'s VAE-GAN with least-squares GAN losses, trained and
measured against the VAE it shares its encoder and decoder with, trained for as many epochs
(`beta-1`), with `vae-bce`, the same VAE trained for longer, beside them. The comparison with
`beta-1` is made over both models' seeds; its claim, `c-vaegan-fid-vs-vae`, is the one the
comparison chapter cites too."""

from __future__ import annotations

import statistics

import torch
from IPython.display import Markdown
from torch import nn

from vaebook import adversarial, diagrams, evaluate, measure, plots
from vaebook.families import build_model, trained_model

from .. import tables
from ..claims import Evidence, above, below, claim, fact, seeds_below, seeds_same, welch
from ..experiments import classifier, runs, seed_scores
from ..figures import source_listing, uses
from ..text import integer, labels, number
from . import chapter_facts
from .gan import beyond_seeds
from .vae_mnist import vae_titles

STEP_LOSSES = ["prior", "feature_recon", "decoder_gan", "discriminator"]
# The VAE the VAE-GAN is measured against: its encoder and decoder trained as a plain VAE (β = 1
# is `vae-bce`'s objective) for as many epochs. `vae-bce`, the same VAE trained for longer, is
# shown beside them, never compared as if it had trained alike.
VAE = "beta-1"
LONGER = "vae-bce"
WINNING = 0.5  # a discriminator's loss below this share of its balanced value: it is winning

# The rows of the layer table, in the order of `network_parts` (a label table).
NETWORK_NAMES = {
    "en": ["encoder", "encoder, μ head", "encoder, log σ² head", "decoder = generator", "discriminator, features",
           "discriminator, head"],
    "zh": ["编码器", "编码器 μ 输出头", "编码器 log σ² 输出头", "解码器（即生成器）", "判别器特征层", "判别器打分头"],
}


# --- Small pieces of reasoning, tested on their own ------------------------------------------------


def balanced_least_squares(fake_kinds: int = 2) -> tuple[float, float, float]:
    """(score, discriminator loss, decoder loss) of the least-squares game of
    @eq-vae-gan-lsgan when each of `fake_kinds` kinds of fakes is distributed like the data.
    An image is then real with probability 1 / (1 + fake_kinds), and the discriminator that
    minimises its loss scores every image that probability: the dashed lines of the loss figure."""
    score = 1 / (1 + fake_kinds)
    discriminator = 0.5 * ((score - 1) ** 2 + fake_kinds * score ** 2)
    decoder = 0.5 * fake_kinds * (score - 1) ** 2
    return score, discriminator, decoder


def feature_cost_scale(n_features: int) -> tuple[float, float]:
    """The feature reconstruction of @eq-vae-gan-feature for two uninformed guesses, with
    each feature measured in units of its spread over the batch: reconstructions whose
    features all sit at the batch's average cost about 1/2 per feature (a mean squared
    distance of 1), those with the features of another real digit of the batch about 1 (a
    mean squared distance of 2). Returns (batch average, another digit)."""
    return 0.5 * n_features, 1.0 * n_features


def report_000_weights(pixel_weight: float = 0.01, outer_weight: float = 0.01, batch: int = 128) -> dict[str, float]:
    """Per image, the weights course report 000's VAE-GAN step gives its terms, read off its
    code: the encoder and decoder step on KLD + sum_i (0.01 loss_G_i + loss_GD), where KLD is
    the KL summed over the batch, loss_GD = 1/2 mean (Dis(x_p) - 1)^2 and loss_G_i =
    1/2 (0.01 ||x~ - x||^2 summed over the batch + f(x~_i) - sum_j f(x_j)^2) / batch. Divided by
    the batch size: KL (1), squared pixel error per image, the reconstruction's feature f(x~)
    and the prior samples' GAN loss. Also the standard deviation of the Gaussian likelihood
    on pixels that weighs the squared error as the first weight does, 1 / sqrt(2 w)."""
    pixel = outer_weight * 0.5 * pixel_weight
    feature = outer_weight * 0.5 / batch
    return {"kl": 1.0, "pixel": pixel, "feature": feature, "gan": 1.0, "sigma": (2 * pixel) ** -0.5}


def commonest_digit(class_shares) -> tuple[int, float]:
    """The digit the classifier gives most samples, and its share of them."""
    shares = torch.as_tensor(class_shares)
    return int(shares.argmax()), float(shares.max())


def network_parts(model, hidden_dim: int, latent_dim: int) -> list[tuple[nn.Sequential, torch.Tensor]]:
    """The VAE-GAN's networks as the layer table lists them (`NETWORK_NAMES`), each with an
    example input of batch 2: the encoder's two heads are layers of their own."""
    discriminator = model.discriminator
    return [(model.encoder, torch.zeros(2, 784)), (nn.Sequential(model.to_mu), torch.zeros(2, hidden_dim)),
            (nn.Sequential(model.to_logvar), torch.zeros(2, hidden_dim)), (model.decoder, torch.zeros(2, latent_dim)),
            (discriminator.features, torch.zeros(2, 1, 28, 28)),
            (discriminator.head, torch.zeros(2, discriminator.head[0].in_features))]


# --- The runs and their measures -------------------------------------------------------------------


def _runs():
    # The matched VAE first: it is the left panel, and the first row of the tables.
    return runs(VAE, "vaegan", LONGER)


def _model():
    return trained_model(_runs()["vaegan"])


def _image_stats() -> dict:
    return {name: measure.image_stats(run) for name, run in _runs().items()}


def _scores() -> dict:
    judge = classifier()
    return {name: evaluate.sample_scores(run, judge) for name, run in _runs().items()}


def _epochs() -> dict:
    return {name: run.config.epochs for name, run in _runs().items()}


def _seeds(column: str) -> dict[str, list[float]]:
    """Each seed's protocol score `column` of the VAE-GAN and of `beta-1`."""
    return {name: seed_scores(name)[column].tolist() for name in ("vaegan", VAE)}


def _history() -> dict:
    return _runs()["vaegan"].history


def enough_seeds(seeds: dict[str, list[float]]) -> Evidence:
    """Whether every model has at least two seeds: with one, a test of "no difference" finds
    none whatever the models do, and the claim would hold vacuously."""
    shown = ", ".join(f"{name}: n = {len(values)}" for name, values in seeds.items())
    return fact(min(len(values) for values in seeds.values()) >= 2, shown, "enough_seeds")


# --- Claims --------------------------------------------------------------------------------------------


@claim("c-vaegan-discriminator-winning")
def discriminator_winning():
    """The discriminator's last-epoch loss is below half its value in a balanced game."""
    _, balanced, _ = balanced_least_squares()
    return below(("vaegan", _history()["discriminator"][-1]),
                 (f"{WINNING:g} × {number(balanced, 3)}", WINNING * balanced),
                 3, quantity="lsgan_d_loss")


@claim("c-vaegan-decoder-gains")
def decoder_gains():
    """From the first epoch to the last the discriminator's loss rose and the decoder's fell."""
    h = _history()
    last, first = f"{h['epoch'][-1]}", f"{h['epoch'][0]}"
    return above((last, h["discriminator"][-1]), (first, h["discriminator"][0]), 3, quantity="lsgan_d_loss") \
        & below((last, h["decoder_gan"][-1]), (first, h["decoder_gan"][0]), 3, quantity="lsgan_dec_loss")


@claim("c-vaegan-more-information")
def more_information():
    """The VAE-GAN's codes carry more nats than beta-1's, by more than seeds move beta-1's."""
    return beyond_seeds(("vaegan", _runs()["vaegan"].metrics["test_kl"]), (VAE, _runs()[VAE].metrics["test_kl"]),
                        (VAE, seed_scores(VAE)["test_kl"].tolist()), lower=False, quantity="kl")


@claim("c-vaegan-features-close")
def features_close():
    """The final feature reconstruction is below what features at the batch's average would cost."""
    mean_cost, _ = feature_cost_scale(_model().discriminator.head[0].in_features)
    return below(("vaegan", _history()["feature_recon"][-1]), ("K/2", mean_cost), 0, quantity="feature_recon")


@claim("c-vaegan-samples-sharper")
def samples_sharper():
    """The VAE-GAN's samples are sharper than beta-1's, and not as sharp as the test digits."""
    s = _image_stats()
    return above(("vaegan", s["vaegan"]["sample_sharpness"]), (VAE, s[VAE]["sample_sharpness"]), 3,
                 quantity="sharpness") & \
        below(("vaegan", s["vaegan"]["sample_sharpness"]), ("test", s["vaegan"]["test_sharpness"]), 3,
              quantity="sharpness")


@claim("c-vaegan-fid-vs-vae")
def fid_vs_vae():
    """Over seeds, the VAE-GAN's FID and beta-1's (as long trained) show no difference at the
    5 % level (Welch's t-test): the one comparison of the two, cited by the VAE-GAN chapter
    and by the comparison chapter."""
    seeds = _seeds("fid")
    return seeds_same(("vaegan", seeds["vaegan"]), (VAE, seeds[VAE]), quantity="fid") & enough_seeds(seeds)


@claim("c-vaegan-coverage-less-even")
def coverage_less_even():
    """Over seeds, beta-1's coverage KL is lower than the VAE-GAN's: its samples spread more evenly."""
    seeds = _seeds("coverage_kl")
    return seeds_below((VAE, seeds[VAE]), ("vaegan", seeds["vaegan"]), 3, quantity="coverage_kl")


@claim("c-vaegan-confidence-same")
def confidence_same():
    """Over seeds, the classifier's confidence in the two models' samples shows no difference."""
    seeds = _seeds("confidence")
    return seeds_same(("vaegan", seeds["vaegan"]), (VAE, seeds[VAE]), 3, quantity="confidence") & enough_seeds(seeds)


@claim("c-vaegan-longer-vae-closer")
def longer_vae_closer():
    """vae-bce, trained ten times as long, scores an FID below the VAE-GAN's, by more than the
    VAE-GAN's seeds span."""
    vaegan = _seeds("fid")["vaegan"]
    return beyond_seeds((LONGER, float(_scores()[LONGER]["fid"])), ("vaegan", statistics.fmean(vaegan)),
                        ("vaegan", vaegan), quantity="fid")


@claim("c-vaegan-recon-further")
def recon_further():
    """Over seeds, beta-1's reconstructions are closer to the test digits in pixels than the VAE-GAN's."""
    seeds = _seeds("recon_mse")
    return seeds_below((VAE, seeds[VAE]), ("vaegan", seeds["vaegan"]), quantity="recon_mse")


@claim("c-vaegan-mse-still-falling")
def mse_still_falling():
    """The VAE-GAN's test squared error fell in its last epoch."""
    mse = _history()["test_mse"]
    return below((f"{len(mse)}", mse[-1]), (f"{len(mse) - 1}", mse[-2]), quantity="recon_mse")


@claim("c-vaegan-recon-sharper")
def recon_sharper():
    """The VAE-GAN's reconstructions are sharper than beta-1's."""
    s = _image_stats()
    return above(("vaegan", s["vaegan"]["recon_sharpness"]), (VAE, s[VAE]["recon_sharpness"]), 3, quantity="sharpness")


@claim("c-vaegan-stray-ink")
def stray_ink():
    """The VAE-GAN's reconstructions carry more stray ink than beta-1's."""
    stray = {name: measure.speckle(_runs()[name]) for name in ("vaegan", VAE)}
    return above(("vaegan", stray["vaegan"]), (VAE, stray[VAE]), 3, quantity="stray_ink")


# --- The chapter's numbers -----------------------------------------------------------------------------


def facts(lang: str):
    return chapter_facts(__name__, lang, **_model_facts(), **_training_facts(), **_sample_facts(),
                         **_seed_facts(), **_report_facts(), **_reconstruction_facts())


def _model_facts() -> dict:
    vaegan, vae, bce = (_runs()[name] for name in ("vaegan", VAE, LONGER))
    config, discriminator = vaegan.config, _model().discriminator
    channels = discriminator.features[0].out_channels
    return dict(
        hidden_dim=config.hidden_dim, latent_dim=config.latent_dim, gamma=f"{config.gamma:g}", lr=f"{config.lr:g}",
        adam_betas=config.adam_betas, epochs=config.epochs, vae_epochs=vae.config.epochs, bce_epochs=bce.config.epochs,
        channels=channels, feature_maps=2 * channels, n_features=discriminator.head[0].in_features,
        train_minutes=number(vaegan.meta["train_seconds"] / 60, 1), train_images=integer(vaegan.meta["train_images"]),
        epoch_seconds=number(vaegan.meta["train_seconds"] / config.epochs, 0),
        longer_hours=number(vaegan.meta["train_seconds"] * bce.config.epochs / config.epochs / 3600, 1))


def _training_facts() -> dict:
    h, vae = _history(), _runs()[VAE]
    _, d_balanced, decoder_balanced = balanced_least_squares()
    mean_cost, other_cost = feature_cost_scale(_model().discriminator.head[0].in_features)
    kl = seed_scores(VAE)["test_kl"].tolist()
    return dict(
        d_balanced=number(d_balanced, 3), decoder_balanced=number(decoder_balanced, 3),
        d_first=number(h["discriminator"][0], 3), d_last=number(h["discriminator"][-1], 3),
        decoder_first=number(h["decoder_gan"][0], 3), decoder_last=number(h["decoder_gan"][-1], 3),
        prior_last=number(h["prior"][-1]), test_kl=number(h["test_kl"][-1]), vae_kl=number(vae.metrics["test_kl"]),
        vae_kl_low=number(min(kl)), vae_kl_high=number(max(kl)),
        feature_recon=number(h["feature_recon"][-1], 0), mean_features_cost=number(mean_cost, 0),
        other_digit_cost=number(other_cost, 0))


def _sample_facts() -> dict:
    stats, scores, real = _image_stats(), _scores(), evaluate.reference_scores(classifier())
    sv, sm, sb = stats["vaegan"], stats[VAE], stats[LONGER]
    digit, share = commonest_digit(scores["vaegan"]["class_shares"])
    return dict(
        sample_intensity=number(sv["sample_intensity"], 3), test_intensity=number(sv["test_intensity"], 3),
        ink_ratio=number(sv["sample_intensity"] / sv["test_intensity"]),
        vae_ink_ratio=number(sm["sample_intensity"] / sm["test_intensity"]),
        sample_sharpness=number(sv["sample_sharpness"], 3), vae_sample_sharpness=number(sm["sample_sharpness"], 3),
        bce_sample_sharpness=number(sb["sample_sharpness"], 3), test_sharpness=number(sb["test_sharpness"], 3),
        n_samples=integer(measure.n_generated(_runs()["vaegan"])), fid=number(scores["vaegan"]["fid"]),
        vae_fid=number(scores[VAE]["fid"]), fid_floor=number(real["fid_floor"]), bce_fid=number(scores[LONGER]["fid"]),
        commonest_digit=digit, commonest_share=number(100 * share, 1),
        vae_commonest_share=number(100 * commonest_digit(scores[VAE]["class_shares"])[1], 1),
        real_confidence=number(real["confidence"], 3))


def _spread_facts(prefix: str, values: list[float], digits: int) -> dict:
    return {f"{prefix}_mean": number(statistics.fmean(values), digits),
            f"{prefix}_sd": number(statistics.stdev(values), digits),
            f"{prefix}_low": number(min(values), digits), f"{prefix}_high": number(max(values), digits)}


def _seed_facts() -> dict:
    """Each model's scores over its seeds, and the p-value of Welch's test on the FID."""
    found = {"vaegan_seeds": len(_seeds("fid")["vaegan"]), "vae_seeds": len(_seeds("fid")[VAE])}
    for column, digits in (("fid", 2), ("confidence", 3), ("coverage_kl", 3), ("recon_mse", 2)):
        seeds = _seeds(column)
        found |= _spread_facts(f"vaegan_{column}", seeds["vaegan"], digits)
        found |= _spread_facts(f"vae_{column}", seeds[VAE], digits)
    found["fid_p"] = number(welch(*_seeds("fid").values())[1], 2)
    return found


def _report_facts() -> dict:
    """Course report 000's weights, per image, as `report_000_weights` reads them off its code."""
    w = report_000_weights()
    return dict(report_pixel=number(w["pixel"], 5), report_feature=number(w["feature"], 5),
                report_sigma=number(w["sigma"], 0))


def _reconstruction_facts() -> dict:
    stats, h = _image_stats(), _history()
    stray = {name: measure.speckle(_runs()[name]) for name in ("vaegan", VAE)}
    return dict(
        recon_mse=number(stats["vaegan"]["recon_mse"]), vae_recon_mse=number(stats[VAE]["recon_mse"]),
        first_test_mse=number(h["test_mse"][0]), last_test_mse=number(h["test_mse"][-1]),
        previous_test_mse=number(h["test_mse"][-2]),
        recon_sharpness=number(stats["vaegan"]["recon_sharpness"], 3),
        vae_recon_sharpness=number(stats[VAE]["recon_sharpness"], 3),
        recon_intensity=number(stats["vaegan"]["recon_intensity"], 3),
        stray=number(stray["vaegan"], 3), vae_stray=number(stray[VAE], 3))


# --- Figures, tables and listings ---------------------------------------------------------------------


@uses(tables.layers)
def tbl_networks(lang: str):
    config = _runs()["vaegan"].config
    parts = network_parts(_model(), config.hidden_dim, config.latent_dim)
    names = NETWORK_NAMES[lang]
    return Markdown(tables.layers({name: network for name, (network, _) in zip(names, parts)},
                                  {name: example for name, (_, example) in zip(names, parts)}, lang))


def vaegan_stages(model, lang: str) -> list:
    """The VAE-GAN as a diagram: the VAE's five stages, the decoder's image titled as the
    reconstruction, then the discriminator's feature layers, the last of them (the features
    Dis_l of the learned similarity) highlighted, and its head."""
    t = labels(lang)
    stages = diagrams.vae_stages(model, vae_titles(lang) | {"output": t["arch_vaegan_output"]})
    image = torch.zeros(2, 1, 28, 28)
    features = diagrams.output(model.discriminator.features, image)
    return [*stages,
            diagrams.Stage(t["arch_dis_features"], (diagrams.tensor_row(f"{t['arch_dis_input']}:", image),
                                                    *diagrams.highlighted(diagrams.layer_rows(
                                                        model.discriminator.features, image)))),
            diagrams.Stage(t["arch_dis_head"], diagrams.layer_rows(model.discriminator.head, features))]


@uses(diagrams.architecture, diagrams.vae_stages, diagrams.layer_rows, diagrams.highlighted, build_model,
      vaegan_stages)
def fig_architecture(lang: str):
    return diagrams.architecture(vaegan_stages(build_model(_runs()["vaegan"].config), lang))


def lst_vaegan_step(lang: str):
    return Markdown(source_listing(adversarial.vaegan_step))


@uses(plots.step_losses, adversarial.vaegan_step)
def fig_losses(lang: str):
    _, d_balanced, decoder_balanced = balanced_least_squares()
    t = labels(lang)
    titles = [t["prior_kl" if column == "prior" else column] for column in STEP_LOSSES]  # "prior" names N(0, I)
    return plots.step_losses(_runs()["vaegan"], STEP_LOSSES,
                             references={"decoder_gan": decoder_balanced, "discriminator": d_balanced},
                             titles=titles, xlabel=t["epoch"], smoothed_label=t["smoothed"],
                             epoch_mean_label=t["epoch_mean"], reference_label=t["equilibrium"])


@uses(plots.sample_grids)
def fig_samples(lang: str):
    return plots.sample_grids({"vaegan": _runs()["vaegan"].artefacts["samples"]}, per_row=1, size=4.2)


@uses(tables.sample_scores, evaluate.sample_scores, evaluate.reference_scores)
def tbl_scores(lang: str):
    real = evaluate.reference_scores(classifier())
    return Markdown(tables.sample_scores(_scores() | {tables.REAL_DIGITS[lang]: real}, lang, _epochs()))


@uses(tables.seeds_side_by_side, seed_scores)
def tbl_seeds(lang: str):
    spreads = {name: {c: seed_scores(name)[c].tolist() for c in tables.SEED_SIDE_COLUMNS} for name in (VAE, "vaegan")}
    return Markdown(tables.seeds_side_by_side(spreads, _epochs(), lang))


@uses(plots.sample_grids)
def fig_side_by_side(lang: str):
    return plots.sample_grids({name: _runs()[name].artefacts["samples"] for name in (VAE, "vaegan")}, per_row=2,
                              size=3.4)


@uses(plots.image_rows)
def fig_reconstructions(lang: str):
    vaegan, vae = _runs()["vaegan"], _runs()[VAE]
    return plots.image_rows({labels(lang)["original"]: vaegan.artefacts["probe_images"],
                             VAE: vae.artefacts["probe_reconstructions"],
                             "vaegan": vaegan.artefacts["probe_reconstructions"]})


@uses(tables.image_measures, measure.image_stats)
def tbl_images(lang: str):
    return Markdown(tables.image_measures(_image_stats(), lang, _epochs()))
