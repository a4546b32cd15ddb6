"""Chapter "From autoencoder to VAE": the derivations behind every objective in the book,
with the claims a few lines of code can test tested (the closed-form KL against sampling,
Jensen's gap in a model with a known evidence) and the autoencoder and the VAE compared on
what the KL term buys."""

from __future__ import annotations

import functools
import math

import torch
from IPython.display import Markdown
from vaebook import losses, measure, plots

from .. import tables
from ..experiments import runs
from ..figures import uses
from ..text import choose, labels, number, percent, tally
from . import chapter_facts

# Jensen's gap in a model whose evidence is known: z ~ N(0, 1), x | z ~ N(z, TOY_NOISE),
# observed x = TOY_X; the proposals q = N(mean, var) run from the prior to the true posterior.
TOY_X, TOY_NOISE = 1.5, 1.0
PROPOSALS = ((0.0, 1.0), (0.375, 0.75), (0.75, 0.5))
# The closed-form KL is checked on this many random Gaussians, each from this many draws.
KL_GAUSSIANS, KL_SAMPLES = 4, 100_000

RECON_VERDICT = {"en": ("better", "no better"), "zh": ("更好", "并不更好")}
INK_VERDICT = {"en": ("closer", "farther"), "zh": ("更近", "更远")}
BLUR_VERDICT = {"en": ("blurrier", "not blurrier"), "zh": ("比数据更模糊", "并不比数据更模糊")}
# How many of the reference model's latent dimensions are active: (every, some, none).
ACTIVE_SHARE = {"en": ("all {whole} of its dimensions", "{part} of its {whole} dimensions", "none of its {whole} dimensions"),
                "zh": ("{whole} 个维度全部", "{whole} 个维度中有 {part} 个", "{whole} 个维度中没有一个")}
# Row names of the samples figure, which text.LABELS lacks.
SAMPLE_ROWS = {"en": {"autoencoder": "autoencoder", "vae": "VAE"}, "zh": {"autoencoder": "自编码器", "vae": "VAE"}}


def _runs():
    both = runs("ae", "vae-bce")
    return both["ae"], both["vae-bce"]


def toy_jensen_gap(x: float, noise_var: float, proposals, samples: int = 100_000,
                   seed: int = 0) -> dict[str, torch.Tensor]:
    """The evidence lower bound of a one-dimensional latent-variable model whose evidence is
    known exactly: z ~ N(0, 1), x | z ~ N(z, noise_var), so p(x) = N(x; 0, 1 + noise_var) and
    p(z | x) = N(x / (1 + noise_var), noise_var / (1 + noise_var)). For each proposal
    q = N(mean, var) in `proposals`, from `samples` draws z ~ q of the weight w = p(x, z) / q(z):
    `elbo` = mean of log w (Jensen's lower bound), `log_mean_weight` = log of the mean of w (an
    estimate of log p(x) itself), and in closed form `log_px` (the same for every row) and
    `kl_to_posterior` = KL(q || p(z | x)), which the identity log p(x) = ELBO + KL says is the gap.
    Rows follow `proposals`; `posterior` is (mean, var) of p(z | x)."""
    generator = torch.Generator().manual_seed(seed)
    mean, var = (torch.tensor(column, dtype=torch.float64) for column in zip(*proposals))
    post_mean, post_var = x / (1 + noise_var), noise_var / (1 + noise_var)
    z = mean + var.sqrt() * torch.randn(samples, len(proposals), generator=generator, dtype=torch.float64)
    normal, f64 = torch.distributions.Normal, (lambda v: torch.tensor(v, dtype=torch.float64))
    log_w = (normal(f64(0.0), f64(1.0)).log_prob(z) + normal(z, f64(noise_var).sqrt()).log_prob(f64(x))
             - normal(mean, var.sqrt()).log_prob(z))
    log_px = normal(f64(0.0), f64(1 + noise_var).sqrt()).log_prob(f64(x))
    kl = 0.5 * (torch.log(post_var / var) + (var + (mean - post_mean) ** 2) / post_var - 1)
    return {"elbo": log_w.mean(0), "log_mean_weight": torch.logsumexp(log_w, 0) - math.log(samples),
            "log_px": log_px.expand(len(proposals)), "kl_to_posterior": kl,
            "posterior": torch.tensor([post_mean, post_var], dtype=torch.float64)}


@functools.cache
def _toy() -> dict[str, torch.Tensor]:
    return toy_jensen_gap(TOY_X, TOY_NOISE, PROPOSALS)


def kl_check(latent_dim: int, gaussians: int = KL_GAUSSIANS, samples: int = KL_SAMPLES,
             seed: int = 0) -> dict[str, torch.Tensor]:
    """`gaussians` random diagonal Gaussians of `latent_dim` dimensions (standard normal
    means, log-variances of standard deviation 0.5), with their KL from N(0, I) in closed
    form (`closed`, `losses.gaussian_kl`) and estimated from `samples` draws (`estimate`
    and its standard `error`, `losses.monte_carlo_kl`). One generator, seeded once, draws
    the Gaussians and then the samples."""
    generator = torch.Generator().manual_seed(seed)
    mu = torch.randn(gaussians, latent_dim, generator=generator)
    logvar = 0.5 * torch.randn(gaussians, latent_dim, generator=generator)
    estimate, error = losses.monte_carlo_kl(mu, logvar, samples=samples, generator=generator)
    return {"mu": mu, "logvar": logvar, "closed": losses.gaussian_kl(mu, logvar), "estimate": estimate,
            "error": error}


@functools.cache
def _kl_check(latent_dim: int) -> dict[str, torch.Tensor]:
    return kl_check(latent_dim)


def worst_disagreement(closed: torch.Tensor, estimate: torch.Tensor, error: torch.Tensor) -> float:
    """The largest distance between a closed-form value and its Monte Carlo estimate, in
    standard errors of the estimate: a handful at most if the formula is right."""
    return ((estimate - closed).abs() / error).max().item()


def ink_gap(stats: dict[str, float]) -> float:
    """How far a model's samples are from the test digits in mean intensity (the amount of
    ink), from `measure.image_stats`."""
    return abs(stats["sample_intensity"] - stats["test_intensity"])


def facts(lang: str):
    ae, vae = _runs()
    stats_ae, stats_vae = measure.image_stats(ae), measure.image_stats(vae)
    latent = vae.config.latent_dim
    kl = _kl_check(latent)
    toy = _toy()
    toy_gap = (toy["log_px"] - toy["elbo"]).tolist()
    return chapter_facts(
        __name__, lang,
        toy_noise=number(TOY_NOISE, 0), toy_evidence_var=number(1 + TOY_NOISE, 0), toy_x=number(TOY_X, 1),
        posterior_mean=number(toy["posterior"][0]), posterior_var=number(toy["posterior"][1]),
        gap_prior=number(toy_gap[0], 3), kl_prior=number(toy["kl_to_posterior"][0], 3),
        gap_posterior=number(abs(toy_gap[2]), 3),
        latent=latent, kl_worst=number(worst_disagreement(kl["closed"], kl["estimate"], kl["error"]), 1),
        ae_recon=number(ae.metrics["test_recon"]), vae_recon=number(vae.metrics["test_recon"]),
        recon_verdict=choose(ae.metrics["test_recon"] < vae.metrics["test_recon"], *RECON_VERDICT[lang]),
        inside_ae=percent(measure.share_inside_prior(ae)), inside_vae=percent(measure.share_inside_prior(vae)),
        ae_ink=number(stats_ae["sample_intensity"], 3), vae_ink=number(stats_vae["sample_intensity"], 3),
        test_ink=number(stats_vae["test_intensity"], 3),
        ink_verdict=choose(ink_gap(stats_vae) < ink_gap(stats_ae), *INK_VERDICT[lang]),
        sample_sharpness=number(stats_vae["sample_sharpness"], 3),
        test_sharpness=number(stats_vae["test_sharpness"], 3),
        blur_verdict=choose(stats_vae["sample_sharpness"] < stats_vae["test_sharpness"], *BLUR_VERDICT[lang]),
        active_share=tally(measure.active_dimensions(vae), latent, *ACTIVE_SHARE[lang]),
    )


@uses(tables.jensen_gap, toy_jensen_gap)
def tbl_gap(lang: str):
    return Markdown(tables.jensen_gap(PROPOSALS, _toy(), lang))


@uses(tables.kl_check, losses.gaussian_kl, losses.monte_carlo_kl)
def tbl_kl(lang: str):
    kl = _kl_check(_runs()[1].config.latent_dim)
    return Markdown(tables.kl_check(kl["mu"], kl["logvar"], kl["closed"], kl["estimate"], kl["error"], lang))


@uses(plots.image_rows)
def fig_samples(lang: str):
    ae, vae = _runs()
    t = labels(lang) | SAMPLE_ROWS[lang]
    return plots.image_rows({t["autoencoder"]: ae.artefacts["samples"][:10], t["vae"]: vae.artefacts["samples"][:10]})
