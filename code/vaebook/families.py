"""The registry of model families: the one place that knows, for each family, its
configuration class, its network, how it trains (alone, and with others in one batched
model), what the evaluation protocol measures of it, and how a finished run is summed up in
one line. (Its code version, part of every cache key, is on its configuration class, so
that keys and listings are made without importing torch, which this module needs.)

To add a family: a config dataclass in `config.py` (its `family` names it; add it to
`CONFIGS`), a network in `models.py`, a `train.Trainer` for it, and one `Family(...)` below.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from .adversarial import GANTrainer, GELUGANTrainer, VAEGANTrainer
from .classifier import ClassifierTrainer
from .config import (
    AEConfig,
    BinaryVAEConfig,
    ClassifierConfig,
    Config,
    ConvVAEConfig,
    FirstEpochsNoisyVAEConfig,
    GANConfig,
    GELUGANConfig,
    NoisyVAEConfig,
    SmallConvVAEConfig,
    TanhVAEConfig,
    VAEConfig,
    VAEGANConfig,
    groupable,
)
from .models import GAN, GELUGAN, MLPAE, MLPVAE, VAEGAN, Classifier, ConvVAE, SmallConvVAE, TanhVAE
from .train import Trainer, VAETrainer, train_vae_group


def _vae_headline(m: dict) -> str:
    return f"test loss {m['test_loss']:.2f} (reconstruction {m['test_recon']:.2f}, KL {m['test_kl']:.2f})"


def _gan_headline(m: dict) -> str:
    return (f"last epoch: D loss {m['d_loss']:.3f}, G loss {m['g_loss']:.3f}, "
            f"mean D(x) {m['d_real']:.2f}, mean D(G(z)) {m['d_fake']:.2f}")


def _vaegan_headline(m: dict) -> str:
    return f"test KL {m['test_kl']:.2f}, test squared error {m['test_mse']:.2f}"


def _classifier_headline(m: dict) -> str:
    return f"test accuracy {m['test_accuracy']:.2%}"


@dataclass(frozen=True, kw_only=True)
class Family:
    config: type[Config]
    network: type  # the nn.Module, built from a config
    trainer: type[Trainer]  # what `train.fit` trains it with
    headline: Callable[[dict], str]  # the last epoch's metrics in one line, for `vaebook train`
    cpu_seconds_per_epoch: float  # measured on two CPU cores; only orders parallel work
    # Several runs with equal `group_key(config)` train as one batched model by `group_trainer`.
    group_key: Callable[[Config], Config] | None = None
    group_trainer: Callable | None = None
    generates: bool = True  # decodes prior draws into images (the classifier does not)
    has_encoder: bool = True  # maps images to codes, so it reconstructs
    # The importance-weighted likelihood bound's budget {k samples, n test images}, for
    # families whose Bernoulli decoder models the digits themselves (when trained with BCE).
    iwae_budget: dict | None = None

    @property
    def name(self) -> str:
        return self.config.family


IWAE_BUDGET = {"k": 100, "n": 10_000}
# The reference model of binarised digits, compared with the literature, spends more samples on fewer images.
REFERENCE_IWAE_BUDGET = {"k": 5_000, "n": 1_000}
FAMILIES: dict[str, Family] = {f.name: f for f in (
    Family(config=VAEConfig, network=MLPVAE, trainer=VAETrainer, headline=_vae_headline, cpu_seconds_per_epoch=4,
           group_key=groupable, group_trainer=train_vae_group, iwae_budget=IWAE_BUDGET),
    Family(config=NoisyVAEConfig, network=MLPVAE, trainer=VAETrainer, headline=_vae_headline,
           cpu_seconds_per_epoch=4, group_key=groupable, group_trainer=train_vae_group),
    Family(config=FirstEpochsNoisyVAEConfig, network=MLPVAE, trainer=VAETrainer, headline=_vae_headline,
           cpu_seconds_per_epoch=4, group_key=groupable, group_trainer=train_vae_group),
    Family(config=BinaryVAEConfig, network=MLPVAE, trainer=VAETrainer, headline=_vae_headline,
           cpu_seconds_per_epoch=4, iwae_budget=REFERENCE_IWAE_BUDGET),
    Family(config=AEConfig, network=MLPAE, trainer=VAETrainer, headline=_vae_headline, cpu_seconds_per_epoch=3.5),
    Family(config=ConvVAEConfig, network=ConvVAE, trainer=VAETrainer, headline=_vae_headline,
           cpu_seconds_per_epoch=34, iwae_budget=IWAE_BUDGET),
    Family(config=TanhVAEConfig, network=TanhVAE, trainer=VAETrainer, headline=_vae_headline,
           cpu_seconds_per_epoch=4),
    Family(config=SmallConvVAEConfig, network=SmallConvVAE, trainer=VAETrainer, headline=_vae_headline,
           cpu_seconds_per_epoch=12, iwae_budget=IWAE_BUDGET),
    Family(config=GANConfig, network=GAN, trainer=GANTrainer, headline=_gan_headline, cpu_seconds_per_epoch=27,
           has_encoder=False),
    Family(config=GELUGANConfig, network=GELUGAN, trainer=GELUGANTrainer, headline=_gan_headline,
           cpu_seconds_per_epoch=15, has_encoder=False),
    Family(config=VAEGANConfig, network=VAEGAN, trainer=VAEGANTrainer, headline=_vaegan_headline,
           cpu_seconds_per_epoch=92),
    Family(config=ClassifierConfig, network=Classifier, trainer=ClassifierTrainer, headline=_classifier_headline,
           cpu_seconds_per_epoch=36, generates=False, has_encoder=False),
)}


def family_of(config) -> Family:
    return FAMILIES[config.family]


def build_model(config):
    """A fresh network for `config`."""
    return family_of(config).network(config)


def trained_model(run, device="cpu"):
    """The trained network of `run`, in eval mode."""
    model = build_model(run.config)
    model.load_state_dict(run.weights)
    return model.to(device).eval()


def has_likelihood(config) -> bool:
    """Whether a model of `config` has a Bernoulli decoder of the digits themselves, so that
    its bound on log p(x) means what the literature's does."""
    return family_of(config).iwae_budget is not None and config.recon_loss == "bce"
