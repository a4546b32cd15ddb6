"""Chapter "A GAN on MNIST": course report 001's networks trained with report 004's step,
compared with the report's logged losses, checked for copying and for mode collapse, and
set against `vae-bce`."""

from __future__ import annotations

import math

import torch
from IPython.display import Markdown
from vaebook import adversarial, evaluate, plots
from vaebook.classifier import predict
from vaebook.families import trained_model
from vaebook.measure import image_stats
from vaebook.metrics import sharpness

from .. import experiments, tables
from ..figures import source_listing, uses
from ..reports import REPORT_004_ITERATIONS, REPORT_004_LAST_EPOCH_LOG
from ..text import choose, compare, integer, labels, listing, number, percent
from . import chapter_facts

LOG4, LOG2 = math.log(4), math.log(2)  # the losses of D and G at the game's equilibrium
TREND_STEP = 0.02  # a change in mean confidence smaller than this is no change
RELIABLE_ACCURACY = 0.98  # a classifier this accurate can be trusted to label digit-like images
SURE_SHARE = 0.9  # confidence in samples at least this share of that in real digits reads them as digits
FAR_RATIO = 1.5  # samples this many times as far from the training set as real digits may be no digits at all
SCARCE_SHARE = 0.01

NETWORKS = {"en": ("generator", "discriminator"), "zh": ("生成器", "判别器")}
D_VERDICT = {
    "en": ("The discriminator's loss is below log 4: it still tells generated digits from real ones better than a "
           "coin would.",
           "The discriminator's loss is not below log 4: it tells generated digits from real ones no better than a "
           "coin would."),
    "zh": ("判别器的损失低于 log 4：它区分生成数字与真实数字的能力仍然胜过抛硬币。",
           "判别器的损失不低于 log 4：它区分生成数字与真实数字的能力并不比抛硬币强。"),
}
NEARER = {"en": ("nearer to", "further from"), "zh": ("更接近", "更远离")}
GAP_TREND = {
    "en": ("widened from {}: the discriminator is slowly pulling ahead, and the game has not settled at its "
           "equilibrium", "narrowed from {}: the generator is catching up"),
    "zh": ("从 {} 扩大了：判别器正慢慢占据上风，博弈并没有停在均衡点上",
           "从 {} 缩小了：生成器正在追赶"),
}
LATE_TREND = {
    "en": {"up": "rises: by the classifier's reading the samples do become more digit-like, as report 004 saw.",
           "down": "falls: by the classifier's reading the later samples are no more digit-like, whatever the eye "
                   "makes of them.",
           "flat": "hardly changes: by the classifier's reading the later epochs add little that report 004's eye "
                   "could have seen."},
    "zh": {"up": "上升了：按分类器的判读，样本确实变得更像数字，与课程报告 004 的观察一致。",
           "down": "下降了：按分类器的判读，后来的样本并没有更像数字，不管肉眼看来如何。",
           "flat": "几乎没有变化：按分类器的判读，后面这些轮次带来的改进，"
                   "课程报告 004 的肉眼未必看得出来。"},
}
CLOSER = {"en": ("closer", "no closer"), "zh": ("比", "并不比")}
COPYING = {
    "en": {"far": "Nothing here suggests copying; lying so much farther than real digits can also mean looking like "
                  "no digit at all, which the next section measures.",
           "none": "Nothing here suggests copying.",
           "leaning": "The samples lean towards the training set more than real digits do, the pull of a generator "
                      "towards shapes the discriminator has learnt to accept; the figure shows how alike the closest "
                      "pairs are."},
    "zh": {"far": "看不出任何抄袭的迹象；比真实数字远出这么多，也可能意味着它们根本不像任何数字，"
                  "下一节对此做了测量。",
           "none": "看不出任何抄袭的迹象。",
           "leaning": "样本比真实数字更靠近训练集，这是生成器向判别器已经接受的形状靠拢的结果；"
                      "最接近的几对有多相像，请看图。"},
}
RELIABLE = {
    "en": ("enough for its labels of anything that looks like a digit to be trusted",
           "too few for its labels to be trusted far: in this build the coverage numbers below say as much about the "
           "classifier as about the generators"),
    "zh": ("足以让我们相信它对任何像数字的图像给出的标签",
           "不足以让人充分信任它的标签：在这个构建中，"
           "下面的覆盖指标反映分类器的程度不亚于反映生成模型"),
}
SCARCE = {"en": ("{count} of the ten digits get less than 1% each ({digits})", "every digit gets at least 1%"),
          "zh": ("十个数字中有 {count} 个各占不到 1%（{digits}）", "每个数字都至少占 1%")}
SURE = {
    "en": ("it reads the GAN's samples almost as surely as real digits, so the shares can be taken as the digits the "
           "GAN draws.",
           "it is less sure of the GAN's samples than of real digits, by a tenth or more, and where it is unsure its "
           "label is closer to a guess than to a reading: the shares are a rough guide, and a lopsided histogram need "
           "not mean collapse."),
    "zh": ("它判读 GAN 样本几乎和判读真实数字一样有把握，所以这些比例可以看作 GAN 实际画出的数字。",
           "它对 GAN 样本的把握比对真实数字低了一成以上；在它拿不准的地方，给出的标签更像是猜测而不是判读："
           "这些比例只能作为粗略的参考，一边倒的直方图也未必就是模式坍缩。"),
}
SHARPER = {"en": ("sharper", "not sharper"), "zh": ("比 VAE 的更锐利", "并不比 VAE 的更锐利")}
NEARER_REAL = {"en": ("closer to", "further from"), "zh": ("更接近", "更偏离")}
FID_VERDICT = {
    "en": ("By this measure the GAN's samples are the closer to real digits, which bears out report 001's judgement.",
           "By this measure the VAE's samples are the closer to real digits in this build: sharpness is not quality, "
           "and report 001's verdict does not hold here."),
    "zh": ("按这个指标，GAN 的样本更接近真实数字，印证了课程报告 001 的判断。",
           "按这个指标，在这个构建中 VAE 的样本更接近真实数字：锐利不等于质量好，"
           "课程报告 001 的结论在这里不成立。"),
}
ABSTRACT = {
    "en": {"less_sure": "the GAN's are the less certain digits of the two.",
           "sure": "the GAN's are read at least as surely as the VAE's, and almost as surely as real digits, so "
                   "abstract shapes, if the GAN draws them, are few.",
           "unsure": "the GAN's are read at least as surely as the VAE's, though well below real digits."},
    "zh": {"less_sure": "两者之中，GAN 的样本是较不确定的数字。",
           "sure": "GAN 的样本被判读得至少和 VAE 的一样有把握，也几乎和真实数字一样有把握，"
                   "所以即便 GAN 会画出抽象的形状，也为数不多。",
           "unsure": "GAN 的样本被判读得至少和 VAE 的一样有把握，但远不及真实数字。"},
}


MODELS = ("gan", "vae-bce")  # the GAN, and the VAE the course reports compare it with
GANS = ("gan", "gan-gelu")  # course report 001's GAN and course report 000's
LOWER_FID = {"en": ("lower", "higher"), "zh": ("更低", "更高")}
INK = {"en": ("less ink than", "as much ink as", "more ink than"), "zh": ("更少", "差不多", "更多")}


def _runs():
    return experiments.runs(*MODELS)


def _gan():
    return _runs()["gan"]


def report_means(log) -> tuple[float, float]:
    """The mean discriminator and generator loss of a log of (d_loss, g_loss) rows."""
    d, g = zip(*log)
    return sum(d) / len(d), sum(g) / len(g)


def middle_epoch(epochs: list[int]) -> int:
    """The epoch halfway through a history (the earlier of two middle ones), whose gap
    between D(x) and D(G(z)) the last epoch's is compared with."""
    return epochs[len(epochs) // 2 - 1]


def late_trend(confidences: list[float], step: float = TREND_STEP) -> str:
    """"up", "down" or "flat": how the classifier's mean confidence moves between the last
    two snapshots, the two that course report 004 compared by eye."""
    change = confidences[-1] - confidences[-2]
    return "up" if change > step else "down" if change < -step else "flat"


def copying_verdict(ratio: float, far: float = FAR_RATIO) -> str:
    """What the ratio of the samples' mean distance from the training set to that of unseen
    test digits says: "leaning" (below 1, nearer than real digits), "far" (above `far`,
    perhaps no digits at all) or "none" (no sign of copying)."""
    return "leaning" if ratio < 1 else "far" if ratio > far else "none"


def effective_digits(coverage_kl: float) -> float:
    """The coverage KL read as a number of equally common digits, 10 e^(-KL): 10 for
    uniform shares, 1 when only one digit is drawn."""
    return 10 * math.exp(-coverage_kl)


def commonest_and_scarce(shares: list[float], scarce: float = SCARCE_SHARE) -> tuple[int, list[int]]:
    """The digit with the largest share (the first one on a tie), and the digits whose
    share is below `scarce`, ascending."""
    return max(range(len(shares)), key=shares.__getitem__), [digit for digit, s in enumerate(shares) if s < scarce]


def abstract_verdict(gan_confidence: float, vae_confidence: float, sure: bool) -> str:
    """How the classifier reads the GAN's samples against the VAE's: "less_sure", or at
    least as surely and then "sure" (almost as surely as real digits) or "unsure"."""
    return "less_sure" if gan_confidence < vae_confidence else "sure" if sure else "unsure"


def score_snapshots(snapshots, classifier_model) -> dict[str, list[float]]:
    """For each set of images in `snapshots`: their sharpness and the classifier's mean
    confidence in them (its mean top-class probability)."""
    return {"sharpness": [sharpness(images) for images in snapshots],
            "confidence": [predict(classifier_model, images).max(dim=1).values.mean().item() for images in snapshots]}


def snapshot_scores(run) -> dict[str, list[float]]:
    """`score_snapshots` of a GAN's snapshots (one fixed set of latent draws decoded after
    each epoch in `meta["snapshot_epochs"]`), by the evaluation's classifier: how the samples
    change as training goes on. Cheap (64 images each), so not stored."""
    return score_snapshots(run.artefacts["snapshots"], trained_model(experiments.classifier(run.profile)))


def scores() -> tuple[dict, dict]:
    """The protocol's scores of the GAN's and `vae-bce`'s samples ({name: scores}), and
    those of the real digits."""
    judge = experiments.classifier()
    samples = {name: evaluate.sample_scores(_runs()[name], judge) for name in MODELS}
    return samples, evaluate.reference_scores(judge)


def facts(lang: str):
    gan, vae = _runs()["gan"], _runs()["vae-bce"]
    config, history, meta, art = gan.config, gan.history, gan.meta, gan.artefacts
    model = trained_model(gan)
    epochs, snapshot_epochs = history["epoch"][-1], meta["snapshot_epochs"]
    last = {column: history[column][-1] for column in adversarial.GAN_COLUMNS}

    report_d, report_g = report_means(REPORT_004_LAST_EPOCH_LOG)
    d_gap = last["d_real"] - last["d_fake"]
    mid = middle_epoch(history["epoch"])
    mid_gap = history["d_real"][mid - 1] - history["d_fake"][mid - 1]

    snap = snapshot_scores(gan)
    near, near_test = art["nearest_distance"], art["test_nearest_distance"]
    ratio = (near.mean() / near_test.mean()).item()

    sample, real = scores()
    fid = {name: float(s["fid"]) for name, s in sample.items()} | {"real": float(real["fid_floor"])}
    kl = {name: float(s["coverage_kl"]) for name, s in sample.items()} | {"real": float(real["coverage_kl"])}
    confidence = {name: float(s["confidence"]) for name, s in sample.items()} | {"real": float(real["confidence"])}
    shares = sample["gan"]["class_shares"].tolist()
    common, scarce = commonest_and_scarce(shares)
    accuracy = experiments.classifier().metrics["test_accuracy"]
    sure = confidence["gan"] >= SURE_SHARE * confidence["real"]

    vae_stats = image_stats(vae)
    sharp = {"gan": image_stats(gan)["sample_sharpness"], "vae-bce": vae_stats["sample_sharpness"],
             "real": vae_stats["test_sharpness"]}

    return chapter_facts(
        __name__, lang,
        # The networks and their training.
        noise_dim=config.noise_dim, g_params=integer(sum(p.numel() for p in model.generator.parameters())),
        d_params=integer(sum(p.numel() for p in model.discriminator.parameters())),
        beta1=config.adam_betas[0], beta2=config.adam_betas[1], lr=f"{config.lr:g}",
        batch_size=config.batch_size, epochs=epochs, train_images=integer(meta["train_images"]),
        per_epoch=integer(len(art["step_loss"]) // epochs), report_iterations=REPORT_004_ITERATIONS,
        train_minutes=number(meta["train_seconds"] / 60, 1), device_name=meta["device_name"], device=meta["device"],
        # The losses against the equilibrium and against course report 004's log.
        log4=number(LOG4, 3), log2=number(LOG2, 3),
        d_loss=number(last["d_loss"], 3), g_loss=number(last["g_loss"], 3),
        d_verdict=choose(last["d_loss"] < LOG4, *D_VERDICT[lang]),
        report_d=number(report_d, 3), report_g=number(report_g, 3),
        report_d_fake=number(math.exp(-report_g), 3), d_fake_geometric=number(math.exp(-last["g_loss"]), 3),
        nearer=choose(abs(last["d_loss"] - LOG4) < abs(report_d - LOG4), *NEARER[lang]),
        d_real=number(last["d_real"], 3), d_fake=number(last["d_fake"], 3), d_gap=number(d_gap, 3), mid=mid,
        gap_trend=choose(d_gap > mid_gap, *GAP_TREND[lang]).format(number(mid_gap, 3)),
        # The samples through training.
        snapshot_epochs=listing(snapshot_epochs, lang),
        snapshot_confidence=listing([number(c, 3) for c in snap["confidence"]], lang),
        snapshot_sharpness=listing([number(s, 3) for s in snap["sharpness"]], lang),
        previous_snapshot=snapshot_epochs[-2], last_snapshot=snapshot_epochs[-1],
        late_trend=LATE_TREND[lang][late_trend(snap["confidence"])],
        # Copying.
        n_nearest=adversarial.N_NEAREST, near_min=number(near.min()), near_max=number(near.max()),
        near_mean=number(near.mean()), test_near_min=number(near_test.min()), test_near_max=number(near_test.max()),
        test_near_mean=number(near_test.mean()), distance_ratio=number(ratio),
        closest_closer=choose(bool(near.min() < near_test.min()), *CLOSER[lang]),
        copying=COPYING[lang][copying_verdict(ratio)],
        # Coverage.
        accuracy=percent(accuracy), reliable=choose(accuracy >= RELIABLE_ACCURACY, *RELIABLE[lang]),
        log10=number(math.log(10), 3),
        fid_gan=number(fid["gan"]), fid_vae=number(fid["vae-bce"]), fid_real=number(fid["real"]),
        kl_gan=number(kl["gan"], 3), kl_vae=number(kl["vae-bce"], 3), kl_real=number(kl["real"], 3),
        effective_gan=number(effective_digits(kl["gan"]), 1), effective_vae=number(effective_digits(kl["vae-bce"]), 1),
        effective_real=number(effective_digits(kl["real"]), 1),
        common=common, common_share=percent(shares[common]),
        scarce=choose(bool(scarce), *SCARCE[lang]).format(count=len(scarce), digits=listing(scarce, lang)),
        confidence_gan=number(confidence["gan"], 3), confidence_vae=number(confidence["vae-bce"], 3),
        confidence_real=number(confidence["real"], 3), sure=choose(sure, *SURE[lang]),
        # Against the VAE.
        sharp_gan=number(sharp["gan"], 3), sharp_vae=number(sharp["vae-bce"], 3), sharp_real=number(sharp["real"], 3),
        sharper=choose(sharp["gan"] > sharp["vae-bce"], *SHARPER[lang]),
        nearer_real=choose(abs(sharp["gan"] - sharp["real"]) < abs(sharp["vae-bce"] - sharp["real"]),
                           *NEARER_REAL[lang]),
        vae_epochs=vae.config.epochs, fid_verdict=choose(fid["gan"] < fid["vae-bce"], *FID_VERDICT[lang]),
        abstract=ABSTRACT[lang][abstract_verdict(confidence["gan"], confidence["vae-bce"], sure)],
        **_gelu_facts(lang, vae_stats["test_intensity"]),
    )


def _gelu_facts(lang: str, real_ink: float) -> dict:
    """Course report 000's GAN beside report 001's, trained for as many epochs; `real_ink`: the
    test digits' mean intensity."""
    gans = experiments.runs(*GANS)
    gelu, gan = gans["gan-gelu"], gans["gan"]
    judge = experiments.classifier()
    sample = {name: evaluate.sample_scores(run, judge) for name, run in gans.items()}
    ink = {name: image_stats(run)["sample_intensity"] for name, run in gans.items()}
    config = gelu.config
    return dict(
        gelu_noise_dim=config.noise_dim, gelu_lr=f"{config.lr:g}", gelu_beta1=f"{config.beta1:g}",
        gelu_beta2=f"{config.beta2:g}", gelu_weight_decay=f"{config.weight_decay:g}", gelu_l1=f"{config.l1_weight:g}",
        gelu_batch=config.batch_size, gelu_epochs=config.epochs, gan_batch=gan.config.batch_size,
        gelu_params=integer(evaluate.parameter_count(gelu)),
        gelu_fid=number(float(sample["gan-gelu"]["fid"])), gelu_confidence=number(float(sample["gan-gelu"]["confidence"]), 3),
        gelu_coverage=number(float(sample["gan-gelu"]["coverage_kl"]), 3),
        gan_coverage=number(float(sample["gan"]["coverage_kl"]), 3),
        gelu_effective=number(effective_digits(float(sample["gan-gelu"]["coverage_kl"])), 1),
        gelu_fid_vs_gan=choose(float(sample["gan-gelu"]["fid"]) < float(sample["gan"]["fid"]), *LOWER_FID[lang]),
        gelu_ink=number(ink["gan-gelu"], 3), gan_ink=number(ink["gan"], 3), real_ink_gan=number(real_ink, 3),
        gelu_ink_vs_gan={1: INK[lang][2], 0: INK[lang][1], -1: INK[lang][0]}[compare(ink["gan-gelu"], ink["gan"])],
    )


@uses(tables.protocol, evaluate.evaluation)
def tbl_gelu(lang: str):
    judge = experiments.classifier()
    scores = {name: evaluate.evaluation(run, judge) for name, run in experiments.runs(*GANS).items()}
    return Markdown(tables.protocol(scores, evaluate.evaluation(judge, judge), lang))


@uses(plots.sample_grids, adversarial.l1_gan_step)
def fig_gelu_samples(lang: str):
    return plots.sample_grids({name: run.artefacts["samples"] for name, run in experiments.runs(*GANS).items()},
                              per_row=2, size=3.0)


def lst_l1_gan_step(lang: str):
    return Markdown(source_listing(adversarial.l1_gan_step))


@uses(tables.layers)
def tbl_architecture(lang: str):
    gan = _gan()
    model, config = trained_model(gan), gan.config
    g, d = NETWORKS[lang]
    return Markdown(tables.layers({g: model.generator, d: model.discriminator},
                                  {g: torch.zeros(2, config.noise_dim), d: torch.zeros(2, 784)}, lang=lang))


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


@uses(plots.nearest_training, adversarial.nearest_training_images)
def fig_nearest(lang: str):
    art = _gan().artefacts
    t = labels(lang)
    return plots.nearest_training(art["samples"][: adversarial.N_NEAREST], art["nearest_training"],
                                  sample_label=t["gan_sample"], nearest_label=t["nearest_training"])


def _sources(lang: str) -> dict:
    sample, real = scores()
    return sample | {labels(lang)["test_digits"]: real}


@uses(plots.class_shares, evaluate.sample_scores, evaluate.reference_scores)
def fig_coverage(lang: str):
    t = labels(lang)
    return plots.class_shares({label: s["class_shares"] for label, s in _sources(lang).items()}, xlabel=t["predicted"],
                              ylabel=t["share"], uniform_label=t["uniform"])


@uses(tables.sample_scores, evaluate.sample_scores, evaluate.reference_scores)
def tbl_scores(lang: str):
    epochs = {name: run.config.epochs for name, run in _runs().items()}
    return Markdown(tables.sample_scores(_sources(lang), lang=lang, epochs=epochs))
