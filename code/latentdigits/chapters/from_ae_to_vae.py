"""Chapter "From autoencoder to VAE": the derivations behind every objective in the book,
with what a few lines of code can test tested (Jensen's gap in a model with a known evidence,
the closed-form KL against sampling, the two gradient estimators), and the autoencoder and
the VAE compared on what the KL term buys."""

from __future__ import annotations

import functools
import math

import torch
from IPython.display import Markdown

from vaebook import losses, measure, plots
from vaebook.metrics import ACTIVE_KL

from .. import tables
from ..claims import Evidence, below, claim, fact
from ..experiments import runs, seed_scores
from ..figures import uses
from ..text import labels, number, percent
from . import chapter_facts

# Jensen's gap in a model whose evidence is known: z ~ N(0, 1), x | z ~ N(z, TOY_NOISE),
# observed x = TOY_X; the proposals q = N(mean, var) run from the prior to the true posterior.
TOY_X, TOY_NOISE = 1.5, 1.0
PROPOSALS = ((0.0, 1.0), (0.375, 0.75), (0.75, 0.5))
TOY_SAMPLES = 100_000
# The closed-form KL is checked on this many random Gaussians, each from this many draws.
KL_GAUSSIANS, KL_SAMPLES = 4, 100_000
# A sampled estimate agrees with an exact value when it lies within this many standard errors.
AGREEMENT = 3.0
# Row names of the samples figure, which text.LABELS lacks.
SAMPLE_ROWS = {"en": {"autoencoder": "autoencoder", "vae": "VAE"}, "zh": {"autoencoder": "自编码器", "vae": "VAE"}}
# The seeded experiment with the same network and loss as `vae-bce`: its seeds measure how far a
# change of seed moves the test reconstruction term.
SEEDED_TWIN = "beta-1"


def _runs():
    both = runs("ae", "vae-bce")
    return both["ae"], both["vae-bce"]


# --- Jensen's gap in a model with a known evidence ----------------------------------------------


def toy_jensen_gap(x: float, noise_var: float, proposals, samples: int = TOY_SAMPLES,
                   seed: int = 0) -> dict[str, torch.Tensor]:
    """The evidence lower bound of a one-dimensional latent-variable model whose evidence is
    known exactly: z ~ N(0, 1), x | z ~ N(z, noise_var), so p(x) = N(x; 0, 1 + noise_var) and
    p(z | x) = N(x / (1 + noise_var), noise_var / (1 + noise_var)). For each proposal
    q = N(mean, var) in `proposals`, from `samples` draws z ~ q of the weight w = p(x, z) / q(z):
    `elbo` = mean of log w (Jensen's lower bound) and its standard error `elbo_error`,
    `log_mean_weight` = log of the mean of w (an estimate of log p(x) itself) and its standard
    error `log_mean_weight_error` (delta method), and in closed form `log_px` (the same for every
    row) and `kl_to_posterior` = KL(q || p(z | x)), which the identity log p(x) = ELBO + KL says is
    the gap. Rows follow `proposals`; `posterior` is (mean, var) of p(z | x)."""
    generator = torch.Generator().manual_seed(seed)
    mean, var = (torch.tensor(column, dtype=torch.float64) for column in zip(*proposals))
    post_mean, post_var = x / (1 + noise_var), noise_var / (1 + noise_var)
    z = mean + var.sqrt() * torch.randn(samples, len(proposals), generator=generator, dtype=torch.float64)
    normal, f64 = torch.distributions.Normal, (lambda v: torch.tensor(v, dtype=torch.float64))
    log_w = (normal(f64(0.0), f64(1.0)).log_prob(z) + normal(z, f64(noise_var).sqrt()).log_prob(f64(x))
             - normal(mean, var.sqrt()).log_prob(z))
    log_px = normal(f64(0.0), f64(1 + noise_var).sqrt()).log_prob(f64(x))
    kl = 0.5 * (torch.log(post_var / var) + (var + (mean - post_mean) ** 2) / post_var - 1)
    w = torch.exp(log_w - log_w.max(0).values)  # scaled per column: the ratio sd / mean is unchanged
    return {"elbo": log_w.mean(0), "elbo_error": log_w.std(0) / samples**0.5,
            "log_mean_weight": torch.logsumexp(log_w, 0) - math.log(samples),
            "log_mean_weight_error": w.std(0) / (w.mean(0) * samples**0.5),
            "log_px": log_px.expand(len(proposals)), "kl_to_posterior": kl,
            "posterior": torch.tensor([post_mean, post_var], dtype=torch.float64)}


@functools.cache
def _toy() -> dict[str, torch.Tensor]:
    return toy_jensen_gap(TOY_X, TOY_NOISE, PROPOSALS)


def within_errors(estimate: float, exact: float, error: float, errors: float = AGREEMENT) -> bool:
    """Whether a sampled estimate lies within `errors` standard errors of the exact value (an
    estimate with no spread, as when every weight is equal, must hit it to rounding)."""
    return abs(estimate - exact) <= errors * error + 1e-9


def shown(value: float, digits: int = 3) -> str:
    """A number as the prose writes it, never "-0.000"."""
    return number(0.0 if abs(value) < 0.5 * 10**-digits else value, digits)


def all_of(conditions: dict[str, bool], numbers: str, rule: str, **words) -> Evidence:
    """Evidence that holds when every named condition does, marking the ones that fail."""
    failing = [name for name, ok in conditions.items() if not ok]
    return fact(not failing, numbers + (f" [✗ {', '.join(failing)}]" if failing else ""), rule, **words)


def _proposal(mean: float, var: float) -> str:
    return f"N({mean:g}, {var:g})"


@claim("c-theory-gap-is-kl")
def gap_is_kl():
    """The gap log p(x) − ELBO is the KL from q to the true posterior, for every proposal."""
    toy = _toy()
    gaps = (toy["log_px"] - toy["elbo"]).tolist()
    kls, errors = toy["kl_to_posterior"].tolist(), toy["elbo_error"].tolist()
    conditions = {_proposal(*q): within_errors(g, k, e) for q, g, k, e in zip(PROPOSALS, gaps, kls, errors)}
    numbers = "; ".join(f"{_proposal(*q)}: {shown(g)} vs {shown(k)} ± {shown(e)}"
                        for q, g, k, e in zip(PROPOSALS, gaps, kls, errors))
    return all_of(conditions, numbers, "within_errors", quantity="gap_kl", n=f"{AGREEMENT:g}")


@claim("c-theory-mean-weight-estimates-evidence")
def mean_weight_estimates_evidence():
    """The log of the mean weight lands on log p(x) for every proposal."""
    toy = _toy()
    exact = toy["log_px"][0].item()
    estimates, errors = toy["log_mean_weight"].tolist(), toy["log_mean_weight_error"].tolist()
    conditions = {_proposal(*q): within_errors(v, exact, e) for q, v, e in zip(PROPOSALS, estimates, errors)}
    numbers = f"{shown(exact)}; " + "; ".join(f"{_proposal(*q)}: {shown(v)} ± {shown(e)}"
                                              for q, v, e in zip(PROPOSALS, estimates, errors))
    return all_of(conditions, numbers, "within_errors", quantity="log_mean_weight", n=f"{AGREEMENT:g}")


# --- The closed-form KL against sampling ---------------------------------------------------------


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
def _kl_check() -> dict[str, torch.Tensor]:
    return kl_check(_runs()[1].config.latent_dim)


def worst_disagreement(closed: torch.Tensor, estimate: torch.Tensor, error: torch.Tensor) -> float:
    """The largest distance between a closed-form value and its Monte Carlo estimate, in
    standard errors of the estimate: a handful at most if the formula is right."""
    return ((estimate - closed).abs() / error).max().item()


@claim("c-theory-kl-formula-matches-sampling")
def kl_formula_matches_sampling():
    """gaussian_kl agrees with the Monte Carlo estimate within AGREEMENT standard errors."""
    kl = _kl_check()
    worst = worst_disagreement(kl["closed"], kl["estimate"], kl["error"])
    return fact(worst <= AGREEMENT, number(worst, 1), "at_most", quantity="kl_disagreement", limit=f"{AGREEMENT:g}")


# --- Two estimators of the same gradient ---------------------------------------------------------


def gradient_estimates(x: float, noise_var: float, mean: float, var: float, samples: int = TOY_SAMPLES,
                       seed: int = 0) -> dict[str, float]:
    """Single-draw estimates of d/d(mean) of E_q[log p(x | z)] in the toy model, with
    q = N(mean, var) and log p(x | z) = log N(x; z, noise_var): the reparameterised estimate
    (x − z) / noise_var at z = mean + sqrt(var) ε, and the score-function estimate
    log p(x | z) · (z − mean) / var, from the same `samples` draws ε. Returns the exact
    gradient (x − mean) / noise_var and each estimator's mean, its standard error and variance."""
    generator = torch.Generator().manual_seed(seed)
    z = mean + math.sqrt(var) * torch.randn(samples, generator=generator, dtype=torch.float64)
    log_lik = torch.distributions.Normal(z, math.sqrt(noise_var)).log_prob(torch.tensor(x, dtype=torch.float64))
    result = {"exact": (x - mean) / noise_var}
    for name, values in (("reparam", (x - z) / noise_var), ("score", log_lik * (z - mean) / var)):
        result |= {f"{name}_mean": values.mean().item(), f"{name}_error": (values.std() / samples**0.5).item(),
                   f"{name}_variance": values.var().item()}
    return result


@functools.cache
def _gradients() -> dict[str, float]:
    return gradient_estimates(TOY_X, TOY_NOISE, *PROPOSALS[0])


@claim("c-theory-gradient-estimators-unbiased")
def gradient_estimators_unbiased():
    """Both estimators average to the exact gradient within sampling error."""
    g = _gradients()
    conditions = {name: within_errors(g[f"{name}_mean"], g["exact"], g[f"{name}_error"])
                  for name in ("reparam", "score")}
    numbers = f"{shown(g['exact'], 2)}; " + "; ".join(f"{shown(g[f'{n}_mean'], 2)} ± {shown(g[f'{n}_error'])}"
                                                      for n in ("reparam", "score"))
    return all_of(conditions, numbers, "within_errors", quantity="gradient_mean", n=f"{AGREEMENT:g}")


@claim("c-theory-reparam-lower-variance")
def reparam_lower_variance():
    """The reparameterised estimate varies less from draw to draw than the score-function one."""
    g = _gradients()
    return fact(g["reparam_variance"] < g["score_variance"],
                f"{shown(g['reparam_variance'], 2)} < {shown(g['score_variance'], 2)}", "below",
                quantity="gradient_variance")


# --- What the KL term buys: the autoencoder against the VAE --------------------------------------


def seed_range(values) -> float:
    """How far apart a model's seeds land: the largest value minus the smallest."""
    return float(max(values)) - float(min(values))


@claim("c-theory-ae-vae-equal-budget")
def ae_vae_equal_budget():
    """ae and vae-bce trained for the same number of epochs."""
    ae, vae = _runs()
    return fact(ae.config.epochs == vae.config.epochs, f"ae: {ae.config.epochs}; vae-bce: {vae.config.epochs}",
                "equal", quantity="epochs")


@claim("c-theory-ae-reconstructs-better")
def ae_reconstructs_better():
    """ae's test reconstruction term is below vae-bce's, by more than a change of seed moves it."""
    ae, vae = _runs()
    gap = vae.metrics["test_recon"] - ae.metrics["test_recon"]
    seeds = seed_scores(SEEDED_TWIN)["test_recon"]
    spread = seed_range(seeds)
    return (below(("ae", ae.metrics["test_recon"]), ("vae-bce", vae.metrics["test_recon"]), quantity="recon",
                  unit="nats")
            & fact(gap > spread, f"{number(gap)} > {number(spread)}", "beyond_seed_range", twin=SEEDED_TWIN,
                   n=len(seeds)))


@claim("c-theory-ae-codes-outside-prior")
def ae_codes_outside_prior():
    """Far fewer of ae's test codes than of vae-bce's lie inside the prior's 99 % ball."""
    ae, vae = _runs()
    return below(("ae", 100 * measure.share_inside_prior(ae)), ("vae-bce", 100 * measure.share_inside_prior(vae)),
                 digits=1, quantity="inside_prior")


def ink_gap(stats: dict[str, float]) -> float:
    """How far a model's samples are from the test digits in mean intensity (the amount of
    ink), from `measure.image_stats`."""
    return abs(stats["sample_intensity"] - stats["test_intensity"])


@claim("c-theory-vae-ink-closer")
def vae_ink_closer():
    """vae-bce's samples are closer than ae's to the test digits in mean intensity."""
    ae, vae = (measure.image_stats(r) for r in _runs())
    numbers = f"vae-bce: {number(vae['sample_intensity'], 3)}, ae: {number(ae['sample_intensity'], 3)}"
    return fact(ink_gap(vae) < ink_gap(ae), numbers, "closer_to_data", quantity="ink_samples",
                value=number(vae["test_intensity"], 3))


@claim("c-theory-samples-blurrier")
def samples_blurrier():
    """vae-bce's prior samples are less sharp than the test digits."""
    stats = measure.image_stats(_runs()[1])
    return fact(stats["sample_sharpness"] < stats["test_sharpness"], f"vae-bce: {number(stats['sample_sharpness'], 3)}",
                "below_data", quantity="sharpness_samples", value=number(stats["test_sharpness"], 3))


@claim("c-theory-all-dims-active")
def all_dims_active():
    """vae-bce keeps every latent dimension active."""
    vae = _runs()[1]
    active, latent = measure.active_dimensions(vae), vae.config.latent_dim
    return fact(active == latent, f"vae-bce: {active} / {latent}", "all", quantity="active")


# --- The chapter's numbers ------------------------------------------------------------------------


def _toy_facts() -> dict:
    toy, g = _toy(), _gradients()
    gaps = (toy["log_px"] - toy["elbo"]).tolist()
    return dict(toy_noise=number(TOY_NOISE, 0), toy_evidence_var=number(1 + TOY_NOISE, 0), toy_x=number(TOY_X, 1),
                toy_samples=f"{TOY_SAMPLES:,}", posterior_mean=number(toy["posterior"][0]),
                posterior_var=number(toy["posterior"][1]), gap_prior=number(gaps[0], 3),
                kl_prior=number(toy["kl_to_posterior"][0], 3), gap_posterior=number(abs(gaps[2]), 3),
                grad_exact=number(g["exact"]), grad_reparam=number(g["reparam_mean"]),
                grad_score=number(g["score_mean"]), var_reparam=number(g["reparam_variance"]),
                var_score=number(g["score_variance"]),
                var_ratio=number(g["score_variance"] / g["reparam_variance"], 0))


def _kl_facts(latent: int) -> dict:
    kl = _kl_check()
    return dict(latent=latent, kl_gaussians=KL_GAUSSIANS, kl_samples=f"{KL_SAMPLES:,}",
                kl_worst=number(worst_disagreement(kl["closed"], kl["estimate"], kl["error"]), 1),
                agreement=f"{AGREEMENT:g}")


def _ae_facts() -> dict:
    ae, vae = _runs()
    stats_ae, stats_vae = measure.image_stats(ae), measure.image_stats(vae)
    twin = seed_scores(SEEDED_TWIN)["test_recon"]
    return dict(epochs_vae=vae.config.epochs,
                ae_recon=number(ae.metrics["test_recon"]), vae_recon=number(vae.metrics["test_recon"]),
                twin=f"`{SEEDED_TWIN}`", twin_seeds=len(twin), twin_epochs=runs(SEEDED_TWIN)[SEEDED_TWIN].config.epochs,
                twin_range=number(seed_range(twin)),
                inside_ae=percent(measure.share_inside_prior(ae)), inside_vae=percent(measure.share_inside_prior(vae)),
                ae_ink=number(stats_ae["sample_intensity"], 3), vae_ink=number(stats_vae["sample_intensity"], 3),
                test_ink=number(stats_vae["test_intensity"], 3),
                sample_sharpness=number(stats_vae["sample_sharpness"], 3),
                test_sharpness=number(stats_vae["test_sharpness"], 3),
                active=measure.active_dimensions(vae), active_threshold=f"{ACTIVE_KL:g}")


def facts(lang: str):
    latent = _runs()[1].config.latent_dim
    return chapter_facts(__name__, lang, **_toy_facts(), **_kl_facts(latent), **_ae_facts())


# --- Figures and tables ----------------------------------------------------------------------------


@uses(tables.jensen_gap, toy_jensen_gap)
def tbl_gap(lang: str):
    return Markdown(tables.jensen_gap(PROPOSALS, _toy(), lang))


@uses(tables.kl_check, losses.gaussian_kl, losses.monte_carlo_kl)
def tbl_kl(lang: str):
    kl = _kl_check()
    return Markdown(tables.kl_check(kl["mu"], kl["logvar"], kl["closed"], kl["estimate"], kl["error"], lang))


@uses(plots.image_rows)
def fig_samples(lang: str):
    ae, vae = _runs()
    t = labels(lang) | SAMPLE_ROWS[lang]
    return plots.image_rows({t["autoencoder"]: ae.artefacts["samples"][:10], t["vae"]: vae.artefacts["samples"][:10]})
