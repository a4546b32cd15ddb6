"""The registry of model families: the one place that knows, for each family, its
configuration class, its network, how it trains (alone, and with others in one batched
model), its code version, what the evaluation protocol measures of it, and how a finished
run is summed up in one line.

To add a family: a config dataclass in `config.py` (its `family` names it), a network in
`models.py`, a trainer with the signature of `train.train_vae`, and one `Family(...)` below.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from typing import Callable

from .config import (AEConfig, BinaryVAEConfig, ClassifierConfig, Config, ConvVAEConfig, GANConfig, GELUGANConfig,
                     NoisyVAEConfig, SmallConvVAEConfig, TanhVAEConfig, VAEConfig, VAEGANConfig, groupable)
from .errors import UsageError


def _vae_headline(m: dict) -> str:
    return f"test loss {m['test_loss']:.2f} (reconstruction {m['test_recon']:.2f}, KL {m['test_kl']:.2f})"


def _gan_headline(m: dict) -> str:
    return (f"last epoch: D loss {m['d_loss']:.3f}, G loss {m['g_loss']:.3f}, "
            f"mean D(x) {m['d_real']:.2f}, mean D(G(z)) {m['d_fake']:.2f}")


def _resolve(path: str | None):
    """`module:name` of this package, imported when first used: the registry itself stays
    cheap to import, so that computing a cache key (`vaebook list`) does not load torch."""
    if path is None:
        return None
    module, name = path.split(":")
    return getattr(importlib.import_module(f"vaebook.{module}"), name)


@dataclass(frozen=True)
class Family:
    config: type[Config]
    network_path: str  # the nn.Module, as "module:name"
    trainer_path: str  # (name, config, network, profile, data, device, *, progress) -> Run
    # Bumped by hand when the training code changes what a run of the family produces; it is
    # part of every cache key, and a refactor that changes nothing must leave it alone.
    code_version: int
    headline: Callable[[dict], str]  # the last epoch's metrics in one line, for `vaebook train`
    cpu_seconds_per_epoch: float  # measured on two CPU cores; only orders parallel work
    # Several runs with equal `group_key(config)` train as one batched model by the group trainer.
    group_trainer_path: str | None = None
    group_key: Callable | None = None
    generates: bool = True  # decodes prior draws into images (the classifier does not)
    has_encoder: bool = True  # maps images to codes, so it reconstructs
    # The importance-weighted likelihood bound's budget {k samples, n test images}, for
    # families whose Bernoulli decoder models the digits themselves (when trained with BCE).
    iwae_budget: dict | None = None

    @property
    def name(self) -> str:
        return self.config.family

    @property
    def network(self):
        return _resolve(self.network_path)

    @property
    def trainer(self):
        return _resolve(self.trainer_path)

    @property
    def group_trainer(self):
        return _resolve(self.group_trainer_path)


IWAE_BUDGET = {"k": 100, "n": 10_000}
# The reference model of binarised digits, compared with the literature, spends more samples on fewer images.
REFERENCE_IWAE_BUDGET = {"k": 5_000, "n": 1_000}

FAMILIES: dict[str, Family] = {f.name: f for f in (
    Family(VAEConfig, "models:MLPVAE", "train:train_vae", 1, _vae_headline, 4, "train:train_vae_group", groupable,
           iwae_budget=IWAE_BUDGET),
    Family(NoisyVAEConfig, "models:MLPVAE", "train:train_vae", 1, _vae_headline, 4, "train:train_vae_group", groupable),
    Family(BinaryVAEConfig, "models:MLPVAE", "train:train_vae", 1, _vae_headline, 4, iwae_budget=REFERENCE_IWAE_BUDGET),
    Family(AEConfig, "models:MLPAE", "train:train_vae", 1, _vae_headline, 3.5),
    Family(ConvVAEConfig, "models:ConvVAE", "train:train_vae", 1, _vae_headline, 34, iwae_budget=IWAE_BUDGET),
    Family(TanhVAEConfig, "models:TanhVAE", "train:train_vae", 1, _vae_headline, 4),
    Family(SmallConvVAEConfig, "models:SmallConvVAE", "train:train_vae", 1, _vae_headline, 12),
    Family(GANConfig, "models:GAN", "adversarial:train_gan", 1, _gan_headline, 27, has_encoder=False),
    Family(GELUGANConfig, "models:GELUGAN", "adversarial:train_gan", 1, _gan_headline, 15, has_encoder=False),
    Family(VAEGANConfig, "models:VAEGAN", "adversarial:train_vaegan", 1,
           lambda m: f"test KL {m['test_kl']:.2f}, test squared error {m['test_mse']:.2f}", 92),
    Family(ClassifierConfig, "models:Classifier", "classifier:train_classifier", 1,
           lambda m: f"test accuracy {m['test_accuracy']:.2%}", 36, generates=False, has_encoder=False),
)}


def family_of(config) -> Family:
    return FAMILIES[config.family]


def config_from_dict(data: dict) -> Config:
    """The configuration a record holds (`config.config_to_dict`'s inverse)."""
    data = dict(data)
    family = data.pop("family", None)
    if family not in FAMILIES:
        raise UsageError(f"unknown model family {family!r}")
    return FAMILIES[family].config(**data)


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
