"""The book's experiments: every run it trains, by the name the command line and the
chapters use, and the one way the book gets them (`load`, `load_all`, `load_seeds`).

An experiment is a name, a configuration of the library (`vaebook.config`) and the seeds the
book trains it with. Another seed's run is stored as `<name>-seed<N>`; only the first seed's
entry is committed, with the other seeds' scores kept beside it (`seed_scores`).

The registry is cheap to import (`vaebook list` reads it without torch); the functions that
load runs import the runner when they are called.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, replace

from vaebook import entries
from vaebook.config import (
    PROFILES,
    AEConfig,
    BinaryVAEConfig,
    ClassifierConfig,
    Config,
    ConvVAEConfig,
    FirstEpochsNoisyVAEConfig,
    GANConfig,
    GELUGANConfig,
    NoisyVAEConfig,
    Profile,
    SmallConvVAEConfig,
    TanhVAEConfig,
    VAEConfig,
    VAEGANConfig,
    get_profile,
)
from vaebook.errors import UsageError
from vaebook.result import Run


@dataclass(frozen=True)
class Experiment:
    name: str
    config: Config
    summary: str
    # The seeds the book trains; the first is the run chapters show, the others measure how
    # much a result moves when only the random numbers change.
    seeds: tuple[int, ...] = (0,)


# Headline comparisons (the losses, the β sweep) take five seeds, enough for an interval or a
# Welch test; the VAE-GAN, which the comparison sets against β = 1, takes three.
SEEDS = (0, 1, 2, 3, 4)
ADVERSARIAL_SEEDS = (0, 1, 2)
# Sweeps train for fewer epochs than the reference models, and their seeds and the short
# loss comparison with them, so that the whole book trains on two CPU cores within 90
# minutes. Ten epochs of the β = 1 member is PyTorch's examples/vae, a published anchor.
BETA_EPOCHS = 10
NOISE_EPOCHS = 10
BETAS = (0.25, 0.5, 1, 2, 3, 4, 8)
NOISE_RATES = (0.01, 0.1, 0.2, 0.8)


def _beta_sweep():
    for beta in BETAS:
        yield Experiment(f"beta-{beta:g}", VAEConfig(beta=float(beta), epochs=BETA_EPOCHS),
                         f"the 784-400-20 VAE with its KL term weighted by β = {beta:g}, {BETA_EPOCHS} epochs", SEEDS)


# The loss comparison at the sweep's length, where three seeds are affordable, by loss; BCE's
# member is the sweep's own β = 1 model.
SHORT_LOSS_MODELS = {"bce": "beta-1", "mse": f"vae-mse-{BETA_EPOCHS}ep", "l1": f"vae-l1-{BETA_EPOCHS}ep"}


def _short_losses():
    for loss in ("mse", "l1"):
        yield Experiment(SHORT_LOSS_MODELS[loss], VAEConfig(recon_loss=loss, epochs=BETA_EPOCHS),
                         f"vae-{loss} for {BETA_EPOCHS} epochs, to compare losses across seeds", SEEDS)


CONV_BETAS = (1, 2, 3, 4)  # course report 001's


def _conv_beta_sweep():
    for beta in CONV_BETAS:
        yield Experiment(f"conv-beta-{beta:g}", SmallConvVAEConfig(beta=float(beta)),
                         f"course report 001's convolutional β-VAE (latent 10) with β = {beta:g}")


# Course report 000's own β sweeps of its 784-256-2 VAE: squared error and `F.cross_entropy` (a
# softmax over the pixels) at β = 0.5 ... 4, then a finer cross-entropy sweep from 0.1 to 1.9,
# each 20 epochs at the report's learning rate, 10e-3 = 0.01.
REPORT_000_BETAS = {"mse": (0.5, 1, 2, 3, 4), "ce": (0.1, 0.4, 0.5, 0.7, 1, 1.3, 1.6, 1.9, 2, 3, 4)}
REPORT_000_LOSSES = {"mse": "mse", "ce": "softmax-ce"}


def _report_000_sweeps():
    for loss, betas in REPORT_000_BETAS.items():
        for beta in betas:
            yield Experiment(f"vae-2d-{loss}-beta-{beta:g}",
                             VAEConfig(hidden_dim=256, latent_dim=2, recon_loss=REPORT_000_LOSSES[loss],
                                       beta=float(beta), lr=0.01, epochs=20),
                             f"course report 000's 784-256-2 VAE, {REPORT_000_LOSSES[loss]} loss, "
                             f"β = {beta:g}, lr 0.01")


def _noise_sweep():
    for rate in NOISE_RATES:
        yield Experiment(f"noise-{rate:g}", NoisyVAEConfig(noise_rate=rate, epochs=NOISE_EPOCHS),
                         f"the 784-400-20 VAE trained on images with {rate:.0%} salt-and-pepper pixels")
        yield Experiment(f"denoise-{rate:g}", NoisyVAEConfig(noise_rate=rate, target="clean", epochs=NOISE_EPOCHS),
                         f"the same, taught to reconstruct the clean image from {rate:.0%} corruption")
        yield Experiment(f"noise-first-{rate:g}", FirstEpochsNoisyVAEConfig(noise_rate=rate, epochs=NOISE_EPOCHS),
                         f"course report 001's schedule: {rate:.0%} salt-and-pepper pixels in the first epoch only")


EXPERIMENTS: dict[str, Experiment] = {
    e.name: e
    for e in (
        Experiment("vae-bce", VAEConfig(recon_loss="bce"),
                   "course report 002's MLP VAE 784-400-20, Bernoulli decoder (BCE)"),
        Experiment("vae-mse", VAEConfig(recon_loss="mse"), "the same network with a squared-error reconstruction loss"),
        Experiment("vae-l1", VAEConfig(recon_loss="l1"), "the same network with an absolute-error reconstruction loss"),
        Experiment("conv-vae", ConvVAEConfig(), "course report 001's convolutional VAE (latent 32, half width), BCE"),
        *_beta_sweep(),
        *_short_losses(),
        Experiment("vae-2d", VAEConfig(hidden_dim=256, latent_dim=2, epochs=20),
                   "course report 000's MLP VAE 784-256-2 with a two-dimensional latent space, BCE"),
        Experiment("vae-2d-softmax-ce", VAEConfig(hidden_dim=256, latent_dim=2, recon_loss="softmax-ce", epochs=20),
                   "vae-2d with course report 000's F.cross_entropy: a softmax over the 784 pixels"),
        Experiment("vae-kl-only", VAEConfig(recon_loss="none", epochs=BETA_EPOCHS),
                   "the 784-400-20 VAE without its reconstruction term (course report 001): the KL term alone"),
        Experiment("vae-tanh", TanhVAEConfig(epochs=BETA_EPOCHS),
                   "course report 003's VAE: data in [-1, 1], Tanh output, squared error"),
        *_conv_beta_sweep(),
        *_report_000_sweeps(),
        Experiment("ae", AEConfig(), "the 784-400-20 network as a plain autoencoder: deterministic code, no KL term"),
        *_noise_sweep(),
        Experiment("gan", GANConfig(),
                   "course report 001's MLP GAN (generator 100-128-256-512-1024-784), trained report 004's way"),
        Experiment("gan-gelu", GELUGANConfig(),
                   "course report 000's MLP GAN (GELU, latent 96, an extra L1 term)"),
        Experiment("vaegan", VAEGANConfig(),
                   "Larsen et al.'s VAE-GAN with course report 000's networks, least-squares GAN losses",
                   ADVERSARIAL_SEEDS),
        Experiment("vae-binary", BinaryVAEConfig(),
                   "the 784-400-20 VAE on dynamically binarised MNIST: the likelihood literature's benchmark"),
        Experiment("classifier", ClassifierConfig(),
                   "the small CNN that scores generated digits (FID, confidence, coverage)"),
    )
}

# Names of the experiments the chapters read together.
BETA_SWEEP = [f"beta-{beta:g}" for beta in BETAS]
NOISE_SWEEP = [f"{kind}-{rate:g}" for rate in NOISE_RATES for kind in ("noise", "denoise")]
REPORT_001_NOISE = [f"noise-first-{rate:g}" for rate in NOISE_RATES]
LOSS_MODELS = ["vae-bce", "vae-mse", "vae-l1", "conv-vae"]
CONV_BETA_SWEEP = [f"conv-beta-{beta:g}" for beta in CONV_BETAS]
REPORT_000_SWEEPS = {loss: [f"vae-2d-{loss}-beta-{beta:g}" for beta in betas]
                     for loss, betas in REPORT_000_BETAS.items()}
# The course reports' own sweeps, redone: shown in their chapters, not among the book's models.
REPLICATIONS = [*REPORT_001_NOISE, *(name for names in REPORT_000_SWEEPS.values() for name in names)]
CLASSIFIER = "classifier"


def get_experiment(name: str) -> Experiment:
    try:
        return EXPERIMENTS[name]
    except KeyError:
        raise UsageError(f"unknown experiment {name!r}; choose one of {', '.join(EXPERIMENTS)}") from None


def run_name(name: str, seed: int | None = None) -> str:
    """The name a run is stored under: the experiment's, with the seed when it is not the
    experiment's first, so that a replicate's folder says what it holds."""
    return name if seed is None or seed == get_experiment(name).seeds[0] else f"{name}-seed{seed}"


def request(name: str, seed: int | None = None) -> tuple[str, Config]:
    """The (run name, configuration) the library trains for an experiment and seed."""
    experiment = get_experiment(name)
    config = experiment.config if seed is None else replace(experiment.config, seed=seed)
    return run_name(name, seed), config


def load(name: str, *, profile: str | Profile | None = None, epochs: int | None = None, seed: int | None = None,
         **options) -> Run:
    """The run of experiment `name` (its first seed, or `seed`): from the cache, or trained
    now (`options`: device, force, progress)."""
    from vaebook import runner

    return runner.load(run_name(name, seed), get_experiment(name).config, profile=profile, epochs=epochs, seed=seed,
                       **options)


def load_all(names: list[str], *, seeds: bool = False, **options) -> dict[str, Run]:
    """The runs of several experiments, sweeps trained batched ({name: run}); with `seeds`,
    every seed's run, keyed by run name. `options` as for `vaebook.runner.load_many`."""
    from vaebook import runner

    requests = [request(name, seed) for name in names for seed in (get_experiment(name).seeds if seeds else (None,))]
    return {run.name: run for run in runner.load_many(requests, **options)}


@functools.cache
def _memo(profile_name: str, names: tuple[str, ...]) -> dict[str, Run]:
    return load_all(list(names), profile=profile_name)


def runs(*names: str) -> dict[str, Run]:
    """The runs of `names` under the active profile, read once per process: every figure
    and number of a chapter comes from the same runs without reading them again."""
    return _memo(get_profile().name, tuple(names))


def run(name: str) -> Run:
    return runs(name)[name]


def classifier(profile: str | Profile | None = None) -> Run:
    """The evaluation protocol's judge."""
    return load(CLASSIFIER, profile=profile)


def seed_scores(name: str, profile: str | Profile | None = None) -> dict:
    """The protocol's scores (`SEED_COLUMNS`, without the costly likelihood bound) of each of
    the experiment's seeds, one value per seed, stored beside the first seed's entry. The
    other seeds' runs are loaded (and trained if missing) only when the scores are not stored.
    A model without an ELBO (the VAE-GAN) has no test loss or terms: it gets the columns it has."""
    from vaebook.evaluate import SEED_COLUMNS, evaluation
    from vaebook.measure import n_generated, stored

    profile = get_profile(profile)
    seeds = get_experiment(name).seeds
    first, judge = load(name, profile=profile), classifier(profile)
    key = {"seeds": list(seeds), "n": n_generated(first),
           "entries": [entries.entry_key(entries.resolve(request(name, seed)[1], profile)[0], profile)
                       for seed in seeds],
           "classifier": judge.path.name.rsplit("-", 1)[1]}

    def compute():
        import torch

        replicates = [load(name, profile=profile, seed=seed) for seed in seeds]
        rows = [evaluation(r, judge, likelihood=False) for r in replicates]
        return {"seed": torch.tensor(seeds)} | {c: torch.tensor([row[c] for row in rows]) for c in SEED_COLUMNS
                                                if c in rows[0]}

    return stored(first, "seed-scores", key, compute)


def book_entries(root=None) -> set:
    """Every entry folder the book reads: each experiment with each of its seeds, per profile."""
    found = set()
    for name, experiment in EXPERIMENTS.items():
        for seed in experiment.seeds:
            run_as, config = request(name, seed)
            for profile in PROFILES.values():
                found.add(entries.entry_path(run_as, entries.resolve(config, profile)[0], profile, root))
    return found
