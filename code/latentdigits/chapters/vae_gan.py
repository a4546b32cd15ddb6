"""Chapter "VAE-GAN": Larsen et al.'s VAE-GAN with least-squares GAN losses, trained and
measured against the VAE it shares its encoder and decoder with, trained for as many epochs
(`beta-1`), with `vae-bce`, the same VAE trained for longer, beside them."""

from __future__ import annotations

import torch
from IPython.display import Markdown
from torch import nn
from vaebook import adversarial, evaluate, measure, plots
from vaebook.families import trained_model

from .. import tables
from ..experiments import classifier, runs, seed_scores
from ..figures import source_listing, uses
from ..text import OMITTED, choose, compare, comparative, integer, labels, listing, number
from . import chapter_facts
from .comparison import chance_reading, seed_range

STEP_LOSSES = ["prior", "feature_recon", "decoder_gan", "discriminator"]
# The VAE the VAE-GAN is measured against: its encoder and decoder trained as a plain VAE (β = 1
# is `vae-bce`'s objective) for as many epochs. `vae-bce`, the same VAE trained for longer, is
# shown beside them, never compared as if it had trained alike.
VAE = "beta-1"
LONGER = "vae-bce"

# The rows of the layer table, in the order of `network_parts`.
NETWORK_NAMES = {
    "en": ["encoder", "encoder, μ head", "encoder, log σ² head", "decoder = generator", "discriminator, features",
           "discriminator, head"],
    "zh": ["编码器", "编码器 μ 输出头", "编码器 log σ² 输出头", "解码器（即生成器）", "判别器特征层", "判别器打分头"],
}

VAE_BLUR = {"en": ("blurrier", "not blurrier"), "zh": ("比数据更模糊", "并不比数据更模糊")}
# By `discriminator_standing`: winning, near balance, losing.
STANDING = {
    "en": ("well below that value: the discriminator is winning, telling real digits from the decoder's images most "
           "of the time", "near that value, as in a balanced game", "above that value: the discriminator is losing"),
    "zh": ("远低于这个值：判别器占了上风，多数时候都能把真实数字与解码器的图像区分开", "接近这个值，正如势均力敌的博弈",
           "高于这个值：判别器处于下风"),
}
# By `game_trend`: the decoder gains, loses, neither.
TREND = {
    "en": ("the decoder is gaining ground", "the discriminator is pulling further ahead",
           "neither is clearly gaining ground"),
    "zh": ("解码器正在扳回局面", "判别器的优势还在扩大", "双方都没有明显的进展"),
}
# Whether the discriminator is winning, or not.
STANDING_READING = {
    "en": ("A winning discriminator means that the decoder's images, reconstructions and samples alike, still differ "
           "from real digits in ways it can see. The least-squares loss keeps pushing the decoder towards the real "
           "digits, with a gradient that does not fade while it loses, but the decoder is not fooling the "
           "discriminator yet, and the look of its images is set at least as much by the feature reconstruction, in "
           "features that were learned to tell real from fake.",
           "The discriminator cannot tell the decoder's images from real digits much better than a balanced game "
           "allows; whether they are good digits is for the measurements below to say."),
    "zh": ("判别器占上风，说明解码器的图像（重构和样本都一样）与真实数字之间仍有判别器看得出的差别。最小二乘损失一直在把解码器往真实数字推，"
           "输的时候梯度也不会消退；但解码器眼下还骗不过判别器，决定其图像样貌的，至少同样是特征空间重构项，而那些特征本来是为分辨真假而学的。",
           "判别器分辨解码器图像与真实数字的能力，并不比势均力敌的博弈所允许的强多少；至于这些图像是不是好的数字，要看下面的测量。"),
}
DISCRIMINATOR_ADVICE = {
    "en": ("The discriminator won its game, so its features, and with them the reconstruction loss, were shaped by a "
           "contest the decoder was losing; the usual remedies slow the discriminator down, with a smaller learning "
           "rate or fewer steps than the decoder, or let the decoder train longer.", OMITTED),
    "zh": ("判别器赢下了它的博弈，所以它的特征，连同以这些特征定义的重构损失，都是在一场解码器正在输掉的较量中形成的；"
           "常见的对策是让判别器慢下来（调低它的学习率，或让它比解码器少更新几步），或者让解码器训练得更久。", OMITTED),
}
CODE_INFORMATION = {"en": ("more", "about as much", "less"), "zh": ("更多", "差不多", "更少")}
CODE_KEPT = {
    "en": ("the code has not emptied, which is what the scaled feature reconstruction is for",
           "the code has all but emptied, the collapse that the scaled feature reconstruction was meant to prevent"),
    "zh": ("编码没有被掏空，这正是按特征尺度归一化的重构项的用途", "编码几乎被掏空了，这正是按特征尺度归一化的重构项本应防止的坍缩"),
}
# By `feature_reading`.
FEATURE_READING = {
    "en": ("closer to their digits than the batch's average is",
           "closer to their digits than another digit is, but not yet closer than the batch's average",
           "no closer to their digits than another digit is"),
    "zh": ("比本批的平均更接近各自的原图", "比另一个数字更接近原图，但还不如本批的平均", "并不比另一个数字更接近原图"),
}
SAMPLE_SHARPNESS = {"en": ("sharper than", "about as sharp as", "blurrier than"), "zh": ("更清晰", "清晰程度相当", "更模糊")}
# Only said when the samples are sharper than the VAE's: than real digits too, or not.
SHARPER_THAN_REAL = {
    "en": (", and sharper even than real digits: more edge than a pen stroke has, which points to speckle and broken "
           "strokes rather than crisp ones", ", though not as sharp as real digits"),
    "zh": ("，甚至比真实数字还要锐利：边缘比笔画本该有的还多，这说明其中是斑点和断裂的笔画，而不是清晰的笔画", "，但还不如真实数字锐利"),
}
# The English sentence reads "The VAE-GAN's samples are <sharper than> the VAE's<...>"; the
# Chinese one puts "the VAE's" before the comparison, so the fact carries it in English only.
THE_VAES = {"en": " the VAE's", "zh": ""}
FID_DIRECTION = {"en": ("closer to", "further from"), "zh": ("更接近", "更远离")}
EVENNESS = {"en": ("less evenly than", "about as evenly as", "more evenly than"), "zh": ("更不均匀", "差不多均匀", "更均匀")}
# By `mode_collapse_reading`: the histogram is not one-sided, it is a collapse, or perhaps a default guess.
MODE_COLLAPSE = {
    "en": (OMITTED,
           "More than half of the samples are one digit, read about as surely as real digits: the mode collapse that "
           "GANs are known for. Reconstruction forces the decoder to be able to draw every digit, from that digit's "
           "code; it does not force draws from the prior to land on all of them.",
           "More than half of the samples get one label, but the classifier is much less sure of them than of real "
           "digits, so that label may be its default guess rather than a reading, and the one-sided histogram need "
           "not mean mode collapse."),
    "zh": (OMITTED,
           "一半以上的样本是同一个数字，分类器判读它们的把握与判读真实数字相当：这正是 GAN 出了名的模式坍缩。"
           "重构要求解码器能从每个数字的编码画出这个数字，却不要求从先验抽取的隐变量落到所有数字上。",
           "一半以上的样本得到同一个标签，但分类器对它们的把握远不如对真实数字；这个标签可能只是它的默认猜测而不是判读，"
           "一边倒的直方图未必意味着模式坍缩。"),
}
# By `seed_claim_verdict`: the claim holds, holds in part, does not hold.
SEED_CLAIM = {"en": ("holds", "holds only in part", "does not hold"), "zh": ("成立", "只部分成立", "不成立")}
SEED_CLAIM_REASON = {
    "en": ("the samples are sharper than the VAE's, and the classifier finds them more like real digits too",
           "the samples are sharper than the VAE's, but the classifier finds them less like real digits, so the extra "
           "sharpness is not all crisp strokes",
           "the samples are not sharper than the VAE's"),
    "zh": ("样本比 VAE 的更清晰，分类器也认为它们更像真实数字",
           "样本比 VAE 的更清晰，但分类器认为它们不如 VAE 的样本像真实数字，多出来的锐度并不都是清晰的笔画",
           "样本并不比 VAE 的更清晰"),
}
RECON_DISTANCE = {"en": ("further from", "as close to", "closer to"), "zh": ("离原图更远", "与原图同样接近", "离原图更近")}
MSE_TREND = {"en": ("was still falling in the last", "had stopped falling by the last"), "zh": ("仍在下降", "已不再下降")}
NOT_FOR_WANT_OF_CODE = {
    "en": ("It is not for want of information: the VAE-GAN's codes hold more nats per digit than `beta-1`’s.",
           OMITTED),
    "zh": ("这并不是因为信息不够：VAE-GAN 的编码为每个数字保存的纳特数比 `beta-1` 的更多。", OMITTED),
}
# Whether `beta-1` trained for as many epochs as the VAE-GAN.
SAME_BUDGET = {
    "en": ("trained for the same {epochs} epochs", "trained for {vae_epochs} epochs to the VAE-GAN's {epochs}, so "
           "not at equal training"),
    "zh": ("与 VAE-GAN 一样训练了 {epochs} 轮", "训练了 {vae_epochs} 轮（VAE-GAN 为 {epochs} 轮），并非同等训练"),
}
SEED_MEASURES = {"en": {"fid": "FID", "confidence": "confidence", "coverage_kl": "coverage KL"},
                 "zh": {"fid": "FID", "confidence": "置信度", "coverage_kl": "类别覆盖 KL"}}
# By `comparison.chance_reading`: some scores inside the seeds' ranges, all, none.
CHANCE = {
    "en": ("A change of seed alone moves `beta-1` as far as the VAE-GAN's {within}; its {beyond} lies outside "
           "what the seeds span.",
           "A change of seed alone moves `beta-1` as far as any of these differences.",
           "Every one of these differences is larger than a change of seed moves `beta-1`."),
    "zh": ("仅换一个种子，`beta-1` 的变化就能达到 VAE-GAN 在以下指标上的差距：{within}；超出各种子范围的是{beyond}。",
           "仅换一个种子，`beta-1` 的变化就能达到上述任何一项差距。",
           "上述每一项差距都大于换种子给 `beta-1` 带来的变化。"),
}
LONGER_FID = {"en": ("further from", "as close to", "closer to"), "zh": ("更远离", "同样接近", "更接近")}
RECON_SHARPNESS = {"en": ("sharper than", "as sharp as", "blurrier than"), "zh": ("更清晰", "清晰程度相当", "更模糊")}
STRAY_INK = {
    "en": ("They also carry ink where blur never puts it.", "They carry no more stray ink than `beta-1`’s."),
    "zh": ("它们还会在模糊从不涉及的地方留下墨迹。", "它们离群的墨迹并不比 `beta-1` 的多。"),
}


def balanced_least_squares(fake_kinds: int = 2) -> tuple[float, float, float]:
    """(score, discriminator loss, decoder loss) of the least-squares game of
    @eq-vae-gan-lsgan when each of `fake_kinds` kinds of fakes is distributed like the data.
    An image is then real with probability 1 / (1 + fake_kinds), and the discriminator that
    minimises its loss scores every image that probability: the dashed lines of the loss figure."""
    score = 1 / (1 + fake_kinds)
    discriminator = 0.5 * ((score - 1) ** 2 + fake_kinds * score ** 2)
    decoder = 0.5 * fake_kinds * (score - 1) ** 2
    return score, discriminator, decoder


def discriminator_standing(loss: float, balanced: float) -> int:
    """0 when the discriminator's loss is under half its balanced value (it is winning), 2 when
    it is over one and a half times that value (it is losing), else 1 (near balance)."""
    ratio = loss / balanced
    return 0 if ratio < 0.5 else 1 if ratio <= 1.5 else 2


def game_trend(discriminator_losses, decoder_losses) -> int:
    """From the first epoch to the last: 0 when the discriminator's loss rose and the decoder's
    fell (the decoder gains ground), 1 when neither happened (the discriminator pulls ahead),
    2 when only one did (no clear trend)."""
    discriminator_rose = discriminator_losses[-1] > discriminator_losses[0]
    decoder_fell = decoder_losses[-1] < decoder_losses[0]
    if discriminator_rose and decoder_fell:
        return 0
    return 1 if not (discriminator_rose or decoder_fell) else 2


def feature_cost_scale(n_features: int) -> tuple[float, float]:
    """The feature reconstruction of @eq-vae-gan-feature for two uninformed guesses, with
    each feature measured in units of its spread over the batch: reconstructions whose
    features all sit at the batch's average cost about 1/2 per feature (a mean squared
    distance of 1), those with the features of another real digit of the batch about 1 (a
    mean squared distance of 2). Returns (batch average, another digit)."""
    return 0.5 * n_features, 1.0 * n_features


def feature_reading(final_cost: float, mean_features_cost: float, other_digit_cost: float) -> int:
    """0 when the feature reconstruction beats the batch's average, 1 when it only beats
    another digit, 2 when it beats neither."""
    if final_cost < mean_features_cost:
        return 0
    return 1 if final_cost < other_digit_cost else 2


def commonest_digit(class_shares) -> tuple[int, float]:
    """The digit the classifier gives most samples, and its share of them."""
    shares = torch.as_tensor(class_shares)
    return int(shares.argmax()), float(shares.max())


def mode_collapse_reading(commonest_share: float, confidence: float, real_confidence: float) -> int:
    """0 when no digit has more than half of the samples; else 1 when the classifier reads
    them at least 90 % as surely as real digits (a collapse onto that digit), 2 when it is
    much less sure (the label may be its default guess)."""
    if commonest_share <= 0.5:
        return 0
    return 1 if confidence >= 0.9 * real_confidence else 2


def seed_claim_verdict(sharper: bool, fid_better: bool) -> int:
    """Course report 000's "clearly sharper": 0 when the samples are sharper and the
    classifier finds them more like digits (lower FID), 1 when only sharper, 2 when not sharper."""
    if sharper and fid_better:
        return 0
    return 1 if sharper else 2


def network_parts(model, hidden_dim: int, latent_dim: int) -> list[tuple[nn.Sequential, torch.Tensor]]:
    """The VAE-GAN's networks as the layer table lists them (`NETWORK_NAMES`), each with an
    example input of batch 2: the encoder's two heads are layers of their own."""
    discriminator = model.discriminator
    return [(model.encoder, torch.zeros(2, 784)), (nn.Sequential(model.to_mu), torch.zeros(2, hidden_dim)),
            (nn.Sequential(model.to_logvar), torch.zeros(2, hidden_dim)), (model.decoder, torch.zeros(2, latent_dim)),
            (discriminator.features, torch.zeros(2, 1, 28, 28)),
            (discriminator.head, torch.zeros(2, discriminator.head[0].in_features))]


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


def facts(lang: str):
    vaegan, vae, bce = _runs()["vaegan"], _runs()[VAE], _runs()[LONGER]
    config, history, meta = vaegan.config, vaegan.history, vaegan.meta
    last = {column: values[-1] for column, values in history.items()}
    stats = _image_stats()
    sv, sm, sb = stats["vaegan"], stats[VAE], stats[LONGER]
    judge = classifier()
    scores, real = _scores(), evaluate.reference_scores(judge)
    vaegan_scores, vae_scores, bce_scores = scores["vaegan"], scores[VAE], scores[LONGER]
    vae_seeds = seed_scores(VAE)
    fid_better = float(vaegan_scores["fid"]) < float(vae_scores["fid"])
    digit, share = commonest_digit(vaegan_scores["class_shares"])
    vae_share = commonest_digit(vae_scores["class_shares"])[1]
    words = SEED_MEASURES[lang]
    chance, within, beyond = chance_reading({m: float(vaegan_scores[m]) for m in words},
                                            {m: vae_seeds[m] for m in words})

    discriminator = _model().discriminator
    channels, n_features = discriminator.features[0].out_channels, discriminator.head[0].in_features
    _, d_balanced, decoder_balanced = balanced_least_squares()
    standing = discriminator_standing(last["discriminator"], d_balanced)
    mean_features_cost, other_digit_cost = feature_cost_scale(n_features)

    samples_vs_vae = comparative(sv["sample_sharpness"], sm["sample_sharpness"], *SAMPLE_SHARPNESS[lang])
    sharper = compare(sv["sample_sharpness"], sm["sample_sharpness"]) > 0
    than_real = choose(sv["sample_sharpness"] > sv["test_sharpness"], *SHARPER_THAN_REAL[lang]) if sharper else ""
    stray = {name: measure.speckle(run) for name, run in _runs().items()}
    short_of_code = sv["recon_mse"] > sm["recon_mse"] and last["test_kl"] > vae.metrics["test_kl"]
    claim = seed_claim_verdict(sharper, fid_better)
    return chapter_facts(
        __name__, lang,
        hidden_dim=config.hidden_dim, latent_dim=config.latent_dim, gamma=config.gamma, lr=config.lr,
        adam_betas=config.adam_betas, epochs=config.epochs, bce_epochs=bce.config.epochs,
        vae_epochs=vae.config.epochs,
        vae_budget=choose(vae.config.epochs == config.epochs, *SAME_BUDGET[lang]).format(
            epochs=config.epochs, vae_epochs=vae.config.epochs),
        channels=channels, feature_maps=2 * channels, n_features=n_features,
        train_minutes=number(meta["train_seconds"] / 60, 1), device_name=meta["device_name"], device=meta["device"],
        train_images=integer(meta["train_images"]),
        epoch_seconds=number(meta["train_seconds"] / config.epochs, 0),
        longer_hours=number(meta["train_seconds"] * bce.config.epochs / config.epochs / 3600, 1),
        # Training.
        d_balanced=number(d_balanced, 3), decoder_balanced=number(decoder_balanced, 3),
        d_first=number(history["discriminator"][0], 3), d_last=number(last["discriminator"], 3),
        decoder_first=number(history["decoder_gan"][0], 3), decoder_last=number(last["decoder_gan"], 3),
        standing=STANDING[lang][standing], standing_reading=choose(standing == 0, *STANDING_READING[lang]),
        discriminator_advice=choose(standing == 0, *DISCRIMINATOR_ADVICE[lang]),
        trend=TREND[lang][game_trend(history["discriminator"], history["decoder_gan"])],
        prior_last=number(last["prior"]), test_kl=number(last["test_kl"]), vae_kl=number(vae.metrics["test_kl"]),
        code_information=comparative(last["test_kl"], vae.metrics["test_kl"], *CODE_INFORMATION[lang]),
        code_kept=choose(last["test_kl"] > 1, *CODE_KEPT[lang]),
        feature_recon=number(last["feature_recon"], 0), mean_features_cost=number(mean_features_cost, 0),
        other_digit_cost=number(other_digit_cost, 0),
        feature_reading=FEATURE_READING[lang][feature_reading(last["feature_recon"], mean_features_cost,
                                                              other_digit_cost)],
        # Images.
        sample_intensity=number(sv["sample_intensity"], 3), test_intensity=number(sv["test_intensity"], 3),
        ink_ratio=number(sv["sample_intensity"] / sv["test_intensity"]),
        vae_ink_ratio=number(sm["sample_intensity"] / sm["test_intensity"]),
        sample_sharpness=number(sv["sample_sharpness"], 3), vae_sample_sharpness=number(sm["sample_sharpness"], 3),
        bce_sample_sharpness=number(sb["sample_sharpness"], 3), test_sharpness=number(sb["test_sharpness"], 3),
        n_samples=integer(measure.n_generated(vaegan)),
        vae_blur=choose(sb["sample_sharpness"] < sb["test_sharpness"], *VAE_BLUR[lang]),
        samples_vs_vae=samples_vs_vae, samples_sharpness=samples_vs_vae + THE_VAES[lang] + than_real,
        recon_mse=number(sv["recon_mse"]), vae_recon_mse=number(sm["recon_mse"]),
        recon_distance=comparative(sv["recon_mse"], sm["recon_mse"], *RECON_DISTANCE[lang]),
        first_test_mse=number(history["test_mse"][0]),
        mse_trend=choose(history["test_mse"][-1] < history["test_mse"][-2], *MSE_TREND[lang]),
        not_for_want_of_code=choose(short_of_code, *NOT_FOR_WANT_OF_CODE[lang]),
        recon_sharpness=number(sv["recon_sharpness"], 3), vae_recon_sharpness=number(sm["recon_sharpness"], 3),
        recon_sharpness_verdict=comparative(sv["recon_sharpness"], sm["recon_sharpness"], *RECON_SHARPNESS[lang]),
        recon_intensity=number(sv["recon_intensity"], 3),
        stray=number(stray["vaegan"], 3), vae_stray=number(stray[VAE], 3),
        stray_verdict=choose(stray["vaegan"] > stray[VAE], *STRAY_INK[lang]),
        # The classifier's scores.
        accuracy=number(100 * judge.metrics["test_accuracy"]),
        fid=number(vaegan_scores["fid"]), vae_fid=number(vae_scores["fid"]), fid_floor=number(real["fid_floor"]),
        fid_direction=choose(fid_better, *FID_DIRECTION[lang]),
        commonest_digit=digit, commonest_share=number(100 * share, 1), vae_commonest_share=number(100 * vae_share, 1),
        coverage_kl=number(vaegan_scores["coverage_kl"], 3), vae_coverage_kl=number(vae_scores["coverage_kl"], 3),
        evenness=comparative(float(vaegan_scores["coverage_kl"]), float(vae_scores["coverage_kl"]), *EVENNESS[lang]),
        confidence=number(vaegan_scores["confidence"], 3), vae_confidence=number(vae_scores["confidence"], 3),
        real_confidence=number(real["confidence"], 3),
        n_seeds=len(vae_seeds["seed"]), vae_fid_range=seed_range(vae_seeds["fid"]),
        vae_confidence_range=seed_range(vae_seeds["confidence"], 3),
        vae_coverage_range=seed_range(vae_seeds["coverage_kl"], 3),
        chance=CHANCE[lang][chance].format(within=listing([words[m] for m in within], lang),
                                           beyond=listing([words[m] for m in beyond], lang)),
        bce_fid=number(bce_scores["fid"]),
        longer_fid=comparative(float(bce_scores["fid"]), float(vaegan_scores["fid"]), *LONGER_FID[lang]),
        mode_collapse=MODE_COLLAPSE[lang][mode_collapse_reading(share, float(vaegan_scores["confidence"]),
                                                                float(real["confidence"]))],
        seed_claim=SEED_CLAIM[lang][claim], seed_claim_reason=SEED_CLAIM_REASON[lang][claim],
    )


@uses(tables.layers)
def tbl_networks(lang: str):
    config = _runs()["vaegan"].config
    parts = network_parts(_model(), config.hidden_dim, config.latent_dim)
    names = NETWORK_NAMES[lang]
    return Markdown(tables.layers({name: network for name, (network, _) in zip(names, parts)},
                                  {name: example for name, (_, example) in zip(names, parts)}, lang))


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
