"""Chapter "β-VAE": the 784-400-20 VAE trained with seven weights β on its KL term, measured
for rate and distortion, sample and reconstruction quality, active latent dimensions and
what its most informative dimensions do, and checked against course reports 000 and 001."""

from __future__ import annotations

from types import SimpleNamespace

import torch
from IPython.display import Markdown
from vaebook import latent, measure, metrics, plots
from vaebook.families import trained_model

from .. import explorers, tables
from ..experiments import BETA_EPOCHS, BETA_SWEEP, CONV_BETA_SWEEP, get_experiment, runs
from ..figures import uses
from ..text import choose, integer, labels, number, percent, tally
from . import chapter_facts

LOW, ONE, TWO, HIGH = "beta-0.25", "beta-1", "beta-2", "beta-8"
# The two models whose traversals are drawn, one figure each.
TRAVERSED = {"one": "beta-1", "four": "beta-4"}
SHOWN = 5  # traversal rows: the most informative dimensions
TRAVERSAL_VALUES = torch.linspace(-3, 3, 7).tolist()
TOP_DIMENSIONS = 3  # how many of β = 8's dimensions the share of its KL is counted over

RATE_TREND = {"en": ("falls at every step", "falls overall, though not at every step"),
              "zh": ("每一步都在下降", "总体下降，但并非每一步都降")}
DISTORTION_TREND = {"en": ("rises at every step", "rises overall, though not at every step"),
                    "zh": ("每一步都在上升", "总体上升，但并非每一步都升")}
CHORDS = {"en": (", as if every model sat close to the best trade-off at its own price",
                 ", so some models stop short of the best trade-off at their price"),
          "zh": ("，就好像每个模型都停在了自身价格下的最佳取舍附近", "，可见有些模型还没有到达自身价格下的最佳取舍")}
BEST = {"en": ("the one model trained on exactly that objective",
               "not to the β = 1 model that is trained on that objective: after so few epochs the models are still "
               "short of their optimum"),
        "zh": ("恰好是唯一以它为训练目标的模型", "而不是以它为训练目标的 β = 1 模型：训练轮数这么少，各模型离最优点还有距离")}
OWN_LOSS = {"en": ("below every negative ELBO in the table",
                   "above some of the negative ELBOs in the table, yet still not comparable with them"),
            "zh": ("比表中任何一个负 ELBO 都低", "高于表中某些负 ELBO，但同样不能与它们相比")}
GAP_TREND = {"en": ("narrows at every step", "does not narrow at every step"),
             "zh": ("每一步都在缩小", "并非每一步都在缩小")}
INK_CAUSE = {
    "en": ("At small β the encoder's Gaussians spread the codes into regions the prior seldom draws from, and the "
           "draws that land between them decode to fainter, broken strokes; at large β the codes and the prior agree "
           "better, and more draws decode to whole digits.",
           "After this little training the samples are blurred grey shapes, and their ink says more about the blur "
           "than about where the prior draws land."),
    "zh": ("β 较小时，编码器的高斯分布把编码散布到先验很少抽到的区域，落在这些区域之间的先验样本被解码成更淡、断断续续的笔画；"
           "β 较大时，编码与先验更吻合，更多的先验样本被解码成完整的数字。",
           "训练这么短时，样本还只是模糊的灰色形状，它们的墨量反映的更多是模糊程度，而不是先验样本落在了哪里。"),
}
SHARPNESS = {"en": ("the largest β draws samples with the most realistic amount of ink and the softest edges",
                    "sharpness does not simply follow β"),
             "zh": ("最大的 β 画出的样本墨量最接近真实数字，边缘也最柔和", "锐度并不简单地随 β 变化")}
MSE_TREND = {"en": ("growing with every step in β", "though not growing at every step in β"),
             "zh": ("随 β 每一步都在增大", "但并非随 β 每一步都增大")}
ACTIVE_TREND = {"en": ("never grows", "does not fall at every step"), "zh": ("从不增加", "并非每一步都减少")}
SWITCHES_OFF = {"en": ("A large β does not shrink every dimension alike: it switches some off and keeps the rest.",
                       "In this build no β switches more dimensions off than the smallest does."),
                "zh": ("大的 β 并不是把每个维度同样地压小，而是关掉一部分、保留其余。",
                       "本次构建中，没有哪个 β 比最小的 β 关掉更多维度。")}
# The second phrase takes the number of active dimensions.
ALL_ACTIVE = {"en": ("every dimension earns its keep", "{} dimensions earn their keep"),
              "zh": ("每个维度都值得保留", "有 {} 个维度值得保留")}
SEPARATE = {"en": ("In both models, slant and ink change most along different dimensions.",
                   "In at least one model a single dimension changes both slant and ink the most."),
            "zh": ("两个模型中，倾角和墨量变化最大的都是不同的维度。", "至少有一个模型中，倾角和墨量变化最大的是同一个维度。")}
# The second phrase takes the number of epochs the build trained.
BY_EYE = {
    "en": ("Read by eye, the rows do more than these two numbers say: along most rows the digit itself changes, one "
           "digit turning into another, and ink and slant change with it. No row is a pure stroke-width or slant "
           "control. The two models differ in how a row gets from one end to the other: at β = 1 the images near "
           "z = 0 are faint, like two digits printed over each other, and some ends break into fragments, while at "
           "β = 4 nearly every image along a row is a whole digit, if a blurred one.",
           "After {} epochs the rows are still blurred variations of one average digit; only the full build's figures "
           "show enough to read by eye."),
    "zh": ("用肉眼看，这些行所做的远不止这两个数字：沿着大多数行，数字本身在变，从一个数字变成另一个，墨量和倾角随之改变。"
           "没有哪一行是单纯控制笔画粗细或倾斜的。两个模型的差别在于一行从一端到另一端的过程：β = 1 时 z = 0 "
           "附近的图像很淡，像两个数字叠印在一起，有些端点的图像碎成了片段；β = 4 时一行中几乎每张图像都是完整的数字，只是有些模糊。",
           "只训练了 {} 轮时，这些行还只是同一个平均数字的模糊变体；要靠肉眼解读，需要看完整构建中的图。"),
}
SHARPER = {"en": ("sharper", "less sharp"), "zh": ("更锐利", "不如它锐利")}
CLOSER = {"en": ("closer to", "further from"), "zh": ("更接近", "更偏离")}
LOWER = {"en": ("lower", "higher"), "zh": ("更低", "更高")}
# How many of the three image measures favour β = 2 over β = 1: none, all, or some.
FAVOUR = {
    "en": {0: "None of the three image measures favours β = 2, so our numbers do not support the first half of the "
              "claim.",
           3: "All three image measures favour β = 2, so our numbers agree with the first half of the claim.",
           "some": "{count} of the three image measures {verb} β = 2, so whether its images are clearer depends on "
                   "what clearer means."},
    "zh": {0: "三项图像指标没有一项偏向 β = 2，所以我们的数据不支持这一说法的前半部分。",
           3: "三项图像指标都偏向 β = 2，所以我们的数据支持这一说法的前半部分。",
           "some": "三项图像指标中有 {count} 项偏向 β = 2，所以它的图像是否更清晰，取决于怎样理解“清晰”。"},
}
INK_SENSE = {
    "en": ("The measure β = 2 wins is the ink of its samples, the trace of prior draws that decode to whole digits "
           "rather than faint fragments; if that is what the course report saw, our numbers agree with it in that "
           "sense, and only in that sense.",
           "A judgement by eye of a few images can also depend on which images one happens to look at."),
    "zh": ("β = 2 胜出的是样本的墨量，这反映了更多先验样本被解码成完整的数字而不是淡淡的碎片；"
           "如果课程报告看到的正是这一点，那么我们的数据在这个意义上、也仅在这个意义上与它一致。",
           "凭肉眼看几张图像下的判断，也可能取决于碰巧看的是哪几张。"),
}
SECOND_HALF = {"en": ("holds", "holds only in part"), "zh": ("成立", "只部分成立")}
DETAIL_TREND = {"en": ("grows at every step", "does not grow at every step"),
                "zh": ("每一步都在增大", "并非每一步都在增大")}


def rises_at_every_step(values) -> bool:
    """Whether each value (in order of β) exceeds the one before."""
    values = list(values)
    return all(a < b for a, b in zip(values, values[1:]))


def falls_at_every_step(values) -> bool:
    """Whether each value (in order of β) is below the one before."""
    values = list(values)
    return all(a > b for a, b in zip(values, values[1:]))


def never_rises(values) -> bool:
    """Whether no value (in order of β) exceeds the one before: ties allowed, as for counts."""
    values = list(values)
    return all(a >= b for a, b in zip(values, values[1:]))


def chords_on_slope(slopes) -> int:
    """How many chords (β_low, β_high, slope) of a rate-distortion sweep have a slope between
    −β_high and −β_low, as they would if every model sat at its own objective's optimum on a
    convex curve (`metrics.rate_distortion_slopes`)."""
    return sum(-high <= slope <= -low for low, high, slope in slopes)


def top_share(kl_per_dim: torch.Tensor, count: int) -> float:
    """The share of a model's KL carried by its `count` most informative dimensions."""
    return float(kl_per_dim.sort(descending=True).values[:count].sum() / kl_per_dim.sum())


def tilt_row(slant: torch.Tensor) -> int:
    """The traversal row (rows × values, in degrees) whose slant changes most between its
    first and last image, in either direction."""
    return int((slant[:, -1] - slant[:, 0]).abs().argmax())


def ink_row(ink: torch.Tensor) -> int:
    """The traversal row (rows × values) whose ink changes most between its first and last
    image, by ratio, so that halving counts as much as doubling."""
    return int((ink[:, -1] / ink[:, 0]).log().abs().argmax())


def stroke_changes(images: torch.Tensor, dims: list[int]) -> SimpleNamespace:
    """For a traversal (rows for `dims` × values × 784): the dimension, numbered from 1 as the
    figures draw it, whose row tilts the digit most and the one whose row changes its ink most,
    each with the measure at the row's two ends (`metrics.stroke_measures`)."""
    strokes = metrics.stroke_measures(images)
    tilt, ink = tilt_row(strokes["slant"]), ink_row(strokes["ink"])
    return SimpleNamespace(tilt_dim=dims[tilt] + 1, tilt_ends=strokes["slant"][tilt, [0, -1]].tolist(),
                           ink_dim=dims[ink] + 1, ink_ends=strokes["ink"][ink, [0, -1]].tolist())


# Counts as `text.tally` says them: (every, some, none), with {part} and {whole} filled in.
CHORD_COUNT = {"en": ("all {whole} chords do", "{part} of the {whole} chords do", "none of the {whole} chords does"),
               "zh": ("{whole} 条连线全都满足这一点", "{whole} 条连线中有 {part} 条满足这一点", "{whole} 条连线无一满足这一点")}
ACTIVE_COUNT = {"en": ("all {whole} dimensions are active", "{part} of the {whole} dimensions are active",
                       "none of the {whole} dimensions is active"),
                "zh": ("{whole} 个维度全部活跃", "{whole} 个维度中有 {part} 个活跃", "{whole} 个维度无一活跃")}
SHARED_COUNT = {"en": ("All {whole} dimension numbers appear in both figures",
                       "{part} of the {whole} dimension numbers appear in both figures",
                       "None of the {whole} dimension numbers appears in both figures"),
                "zh": ("两幅图的 {whole} 个维度编号全部相同", "两幅图的 {whole} 个维度编号中有 {part} 个是相同的",
                       "两幅图的 {whole} 个维度编号没有一个相同")}
SHOWN_ACTIVE = {"en": {"both_all": "all of them are active in both models",
                       "equal": "{one} of them are active in each model",
                       "differ": "{one} of them are active at β = 1 and {four} at β = 4"},
                "zh": {"both_all": "它们在两个模型中全都活跃", "equal": "两个模型中各有 {one} 个活跃",
                       "differ": "其中活跃的在 β = 1 时有 {one} 个，在 β = 4 时有 {four} 个"}}


def shown_active_phrase(one: int, four: int, shown: int, lang: str) -> str:
    """How many of the traversed dimensions are active in the β = 1 and β = 4 models."""
    phrases = SHOWN_ACTIVE[lang]
    key = "both_all" if one == four == shown else "equal" if one == four else "differ"
    return phrases[key].format(one=one, four=four)


def favours_two(one: dict, two: dict, real_ink: float) -> tuple[bool, bool, bool]:
    """Course report 001's "β = 2 is clearer than β = 1" on three image measures, from each
    model's `measure.image_stats`: whether β = 2's samples are sharper, whether their ink is
    closer to that of real digits, and whether its reconstructions are closer to the test digits."""
    return (two["sample_sharpness"] > one["sample_sharpness"],
            abs(real_ink - two["sample_intensity"]) < abs(real_ink - one["sample_intensity"]),
            two["recon_mse"] < one["recon_mse"])


def favour_verdict(count: int, lang: str) -> str:
    """What it says about course report 001's claim that `count` of the three image measures
    favour β = 2 over β = 1."""
    choices = FAVOUR[lang]
    if count in choices:
        return choices[count]
    # An English sentence starts with the count, so it is spelt out.
    spelt = {1: "One", 2: "Two"}[count] if lang == "en" else count
    return choices["some"].format(count=spelt, verb="favours" if count == 1 else "favour")


def degrees(value: float) -> str:
    """A slant in whole degrees with its sign: +12°, -3°."""
    return f"{value:+.0f}°"


def beta_of(name: str) -> str:
    """A model's β as the prose writes it: 0.25, 1, 8."""
    return f"{_runs()[name].config.beta:g}"


def _runs():
    return runs(*BETA_SWEEP)


def _points() -> dict:
    """{β: (rate, distortion)}: test KL and test reconstruction term of each model."""
    return {r.config.beta: (r.metrics["test_kl"], r.metrics["test_recon"]) for r in _runs().values()}


def _active() -> dict:
    return {name: measure.active_dimensions(r) for name, r in _runs().items()}


def _traversal(name: str) -> tuple[list[int], torch.Tensor]:
    """The most informative dimensions of a model and its traversal along each."""
    r = _runs()[name]
    dims = measure.informative_dimensions(r, SHOWN)
    return dims, latent.traversal(trained_model(r), r.config.latent_dim, dims, TRAVERSAL_VALUES)


def _conv_runs():
    return runs(*CONV_BETA_SWEEP)


def _conv_facts(lang: str) -> dict:
    """Course report 001's claim checked on its own network: β = 2 against β = 1 on the three
    image measures, and what the larger β do to the rate and the reconstructions."""
    sweep = _conv_runs()
    by_beta = sorted(sweep, key=lambda n: sweep[n].config.beta)
    one, two, high = by_beta[0], by_beta[1], by_beta[-1]
    stats = {name: measure.image_stats(r) for name, r in sweep.items()}
    real_ink = stats[one]["test_intensity"]
    sharpness = {n: s["sample_sharpness"] for n, s in stats.items()}
    recon_mse = {n: s["recon_mse"] for n, s in stats.items()}
    rate = {n: r.metrics["test_kl"] for n, r in sweep.items()}
    neg_elbo = {n: r.metrics["test_kl"] + r.metrics["test_recon"] for n, r in sweep.items()}
    two_sharper, two_inkier, two_closer = favours_two(stats[one], stats[two], real_ink)
    active = {n: measure.active_dimensions(r) for n, r in sweep.items()}
    config = sweep[one].config
    return dict(
        conv_epochs=config.epochs, conv_latent_dim=config.latent_dim, conv_batch=config.batch_size,
        conv_betas=", ".join(f"{sweep[n].config.beta:g}" for n in by_beta), conv_beta_high=f"{sweep[high].config.beta:g}",
        conv_two_sharper=choose(two_sharper, *SHARPER[lang]), conv_two_ink=choose(two_inkier, *CLOSER[lang]),
        conv_two_recon=choose(two_closer, *CLOSER[lang]),
        conv_sharpness_one=number(sharpness[one], 3), conv_sharpness_two=number(sharpness[two], 3),
        conv_ink_one=number(stats[one]["sample_intensity"], 3), conv_ink_two=number(stats[two]["sample_intensity"], 3),
        conv_real_ink=number(real_ink, 3), conv_mse_one=number(recon_mse[one]), conv_mse_two=number(recon_mse[two]),
        conv_two_elbo=choose(neg_elbo[two] < neg_elbo[one], *LOWER[lang]),
        conv_neg_elbo_one=number(neg_elbo[one]), conv_neg_elbo_two=number(neg_elbo[two]),
        conv_favour=favour_verdict(two_sharper + two_inkier + two_closer, lang),
        conv_rate_trend=choose(falls_at_every_step(rate[n] for n in by_beta), *RATE_TREND[lang]),
        conv_rate_one=number(rate[one]), conv_rate_high=number(rate[high]),
        conv_mse_trend=choose(rises_at_every_step(recon_mse[n] for n in by_beta), *DETAIL_TREND[lang]),
        conv_mse_high=number(recon_mse[high]),
        conv_active_one=active[one], conv_active_high=active[high],
    )


def facts(lang: str):
    sweep = _runs()
    beta = {name: r.config.beta for name, r in sweep.items()}
    by_beta = sorted(sweep, key=beta.get)
    rate = {name: r.metrics["test_kl"] for name, r in sweep.items()}
    distortion = {name: r.metrics["test_recon"] for name, r in sweep.items()}
    neg_elbo = {name: rate[name] + distortion[name] for name in sweep}
    active = _active()
    kl_dims = {name: measure.code_statistics(r)["kl_per_dim"] for name, r in sweep.items()}
    stats = {name: measure.image_stats(r) for name, r in sweep.items()}
    latent_dim, built_epochs = sweep[ONE].config.latent_dim, sweep[ONE].config.epochs

    # Rate and distortion along the sweep, and where the negative ELBO is lowest.
    slopes = metrics.rate_distortion_slopes(_points())
    on_slope = chords_on_slope(slopes)
    best = min(sweep, key=neg_elbo.get)
    own_low_loss = sweep[LOW].metrics["test_loss"]

    # Images: ink and sharpness of the prior samples, squared error of test reconstructions.
    real_ink, real_sharpness = stats[ONE]["test_intensity"], stats[ONE]["test_sharpness"]
    ink = {name: stats[name]["sample_intensity"] for name in sweep}
    ink_gap = {name: abs(real_ink - ink[name]) for name in sweep}
    sharpness = {name: stats[name]["sample_sharpness"] for name in sweep}
    recon_mse = {name: stats[name]["recon_mse"] for name in sweep}
    gap_closes = falls_at_every_step(ink_gap[n] for n in by_beta)
    faint = all(ink[name] < real_ink for name in sweep)  # samples lighter than real digits, for every β
    sharpest, softest = max(sweep, key=sharpness.get), min(sweep, key=sharpness.get)
    fullest = min(sweep, key=ink_gap.get)

    # Traversals of two contrasting models, and what their rows do to slant and ink.
    traversals = {key: _traversal(name) for key, name in TRAVERSED.items()}
    shown_active = {key: int((kl_dims[TRAVERSED[key]][dims] > metrics.ACTIVE_KL).sum())
                    for key, (dims, _) in traversals.items()}
    changes = {key: stroke_changes(images, dims) for key, (dims, images) in traversals.items()}
    separate = all(c.tilt_dim != c.ink_dim for c in changes.values())
    shared_dims = set(traversals["one"][0]) & set(traversals["four"][0])

    # Course report 001: is β = 2 clearer than β = 1, and do larger β lose detail?
    two_sharper, two_inkier, two_closer = favours_two(stats[ONE], stats[TWO], real_ink)
    favour = two_sharper + two_inkier + two_closer
    detail_lost_beyond_two = rises_at_every_step(recon_mse[n] for n in by_beta if beta[n] >= beta[TWO])

    stroke_facts = {}
    for key, c in changes.items():
        stroke_facts |= {
            f"tilt_dim_{key}": c.tilt_dim, f"tilt_from_{key}": degrees(c.tilt_ends[0]),
            f"tilt_to_{key}": degrees(c.tilt_ends[1]), f"ink_dim_{key}": c.ink_dim,
            f"ink_from_{key}": number(c.ink_ends[0], 3), f"ink_to_{key}": number(c.ink_ends[1], 3),
        }
    return chapter_facts(
        __name__, lang,
        latent_dim=latent_dim, beta_low=beta_of(LOW), beta_high=beta_of(HIGH), beta_epochs=BETA_EPOCHS,
        reference_epochs=get_experiment("vae-bce").config.epochs, built_epochs=built_epochs,
        train_images=integer(sweep[ONE].meta["train_images"]),
        # Rate against distortion
        rate_trend=choose(falls_at_every_step(rate[n] for n in by_beta), *RATE_TREND[lang]),
        rate_low=number(rate[LOW]), rate_high=number(rate[HIGH]), rate_two=number(rate[TWO]),
        distortion_trend=choose(rises_at_every_step(distortion[n] for n in by_beta), *DISTORTION_TREND[lang]),
        distortion_low=number(distortion[LOW]), distortion_high=number(distortion[HIGH]),
        # One fact: two inline expressions side by side do not both render.
        chords_on_slope=tally(on_slope, len(slopes), *CHORD_COUNT[lang]) + choose(on_slope == len(slopes), *CHORDS[lang]),
        beta_best=beta_of(best), neg_elbo_best=number(neg_elbo[best]),
        best_verdict=choose(beta[best] == 1, *BEST[lang]),
        own_low_loss=number(own_low_loss),
        own_low_verdict=choose(own_low_loss < min(neg_elbo.values()), *OWN_LOSS[lang]),
        # Samples and reconstructions
        ink_low=number(ink[LOW], 3), ink_high=number(ink[HIGH], 3), ink_one=number(ink[ONE], 3),
        ink_two=number(ink[TWO], 3), real_ink=number(real_ink, 3),
        gap_trend=choose(gap_closes, *GAP_TREND[lang]), ink_cause=choose(faint and gap_closes, *INK_CAUSE[lang]),
        real_sharpness=number(real_sharpness, 3),
        beta_sharpest=beta_of(sharpest), sharpness_sharpest=number(sharpness[sharpest], 3),
        beta_softest=beta_of(softest), sharpness_softest=number(sharpness[softest], 3),
        sharpness_verdict=choose(softest == HIGH == fullest, *SHARPNESS[lang]),
        sharpness_one=number(sharpness[ONE], 3), sharpness_two=number(sharpness[TWO], 3),
        mse_low=number(recon_mse[LOW]), mse_high=number(recon_mse[HIGH]), mse_one=number(recon_mse[ONE]),
        mse_two=number(recon_mse[TWO]),
        mse_trend=choose(rises_at_every_step(recon_mse[n] for n in by_beta), *MSE_TREND[lang]),
        # Active latent dimensions
        active_kl=metrics.ACTIVE_KL,
        active_low=tally(active[LOW], latent_dim, *ACTIVE_COUNT[lang]), active_one=active[ONE], active_high=active[HIGH],
        active_trend=choose(never_rises(active[n] for n in by_beta), *ACTIVE_TREND[lang]),
        switches_off=choose(active[HIGH] < active[LOW], *SWITCHES_OFF[lang]),
        top_share_high=percent(top_share(kl_dims[HIGH], TOP_DIMENSIONS), 0),
        all_active_low=choose(active[LOW] == latent_dim, *ALL_ACTIVE[lang]).format(active[LOW]),
        # Latent traversals
        value_first=number(TRAVERSAL_VALUES[0], 0), value_last=number(TRAVERSAL_VALUES[-1], 0), shown=SHOWN,
        **stroke_facts, shown_active=shown_active_phrase(shown_active["one"], shown_active["four"], SHOWN, lang),
        separate=choose(separate, *SEPARATE[lang]), shared_dims=tally(len(shared_dims), SHOWN, *SHARED_COUNT[lang]),
        # The full profile trains the sweep for BETA_EPOCHS; the quick one stops after a few.
        by_eye=choose(built_epochs == BETA_EPOCHS, *BY_EYE[lang]).format(built_epochs),
        # What the course reports saw
        two_sharper=choose(two_sharper, *SHARPER[lang]), two_ink=choose(two_inkier, *CLOSER[lang]),
        two_recon=choose(two_closer, *CLOSER[lang]), two_elbo=choose(neg_elbo[TWO] < neg_elbo[ONE], *LOWER[lang]),
        neg_elbo_one=number(neg_elbo[ONE]), neg_elbo_two=number(neg_elbo[TWO]),
        favour=favour_verdict(favour, lang),
        ink_sense=choose(two_inkier and favour < 3 and faint, *INK_SENSE[lang]),
        second_half=choose(detail_lost_beyond_two, *SECOND_HALF[lang]),
        detail_trend=choose(detail_lost_beyond_two, *DETAIL_TREND[lang]),
        **_conv_facts(lang),
    )


@uses(plots.rate_distortion)
def fig_rate_distortion(lang: str):
    t = labels(lang)
    return plots.rate_distortion(_points(), xlabel=t["rate"], ylabel=t["distortion"])


@uses(tables.beta_sweep, measure.active_dimensions)
def tbl_sweep(lang: str):
    return Markdown(tables.beta_sweep(_runs(), _active(), lang))


@uses(plots.sample_grids)
def fig_samples(lang: str):
    return plots.sample_grids({f"β = {beta_of(n)}": r.artefacts["samples"][:25] for n, r in _runs().items()},
                              columns=5, per_row=4)


@uses(plots.image_rows)
def fig_reconstructions(lang: str):
    sweep = _runs()
    rows = {f"β = {beta_of(n)}": r.artefacts["probe_reconstructions"] for n, r in sweep.items()}
    return plots.image_rows({labels(lang)["original"]: sweep[ONE].artefacts["probe_images"]} | rows, scale=0.8)


@uses(plots.kl_per_dimension, measure.code_statistics)
def fig_kl_dimensions(lang: str):
    words, active = labels(lang), _active()
    curves = {f"β = {beta_of(n)} ({active[n]} {words['active']})": measure.code_statistics(r)["kl_per_dim"]
              for n, r in _runs().items()}
    return plots.kl_per_dimension(curves, metrics.ACTIVE_KL, xlabel=words["rank"], ylabel=words["kl_dim"])


def _traversal_figure(name: str, lang: str):
    dims, images = _traversal(name)
    return plots.traversals(images, dims, TRAVERSAL_VALUES, dimension_label=labels(lang)["dimension"])


@uses(plots.traversals, latent.traversal, measure.informative_dimensions)
def fig_traversal_one(lang: str):
    return _traversal_figure(TRAVERSED["one"], lang)


@uses(plots.traversals, latent.traversal, measure.informative_dimensions)
def fig_traversal_four(lang: str):
    return _traversal_figure(TRAVERSED["four"], lang)


@uses(explorers.traversals, explorers.export_decoder, measure.informative_dimensions)
def html_traversals(lang: str):
    sweep = _runs()
    models = {f"β = {beta_of(name)}": (trained_model(sweep[name]), measure.informative_dimensions(sweep[name], SHOWN))
              for name in TRAVERSED.values()}
    return Markdown(explorers.traversals(models, TRAVERSAL_VALUES[0], TRAVERSAL_VALUES[-1], lang).markdown())


@uses(tables.beta_sweep, measure.active_dimensions)
def tbl_conv_sweep(lang: str):
    sweep = _conv_runs()
    return Markdown(tables.beta_sweep(sweep, {name: measure.active_dimensions(r) for name, r in sweep.items()}, lang))


@uses(plots.sample_grids)
def fig_conv_samples(lang: str):
    return plots.sample_grids({f"β = {r.config.beta:g}": r.artefacts["samples"][:25] for r in _conv_runs().values()},
                              columns=5, per_row=4)
