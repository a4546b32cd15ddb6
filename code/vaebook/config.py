"""Frozen configurations: one dataclass per model family, and the build profile.

A configuration says everything that changes what a training run produces, so its fields
(after the profile is applied), its family's name and its family's code version are what the
cache key is made of; none of it needs torch, so keys are cheap. Every field is checked
when a configuration is made, by its type and by the bound its metadata gives
(`positive`, `at_least`, `fraction`, `one_of`), so a bad value fails at once in one line.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field, fields, replace
from typing import ClassVar, get_type_hints

from .errors import UsageError

MAX_EPOCHS = 100_000
MAX_SEED = 2**63 - 1  # torch.manual_seed takes any 64-bit seed; int64 keeps every device happy


def positive(default, *, most: float | None = None):
    """A field that must be > 0 (and at most `most`)."""
    return field(default=default, metadata={"low": 0, "strict": True, "most": most})


def at_least(default, low, *, most: float | None = None):
    """A field that must be >= `low` (and at most `most`)."""
    return field(default=default, metadata={"low": low, "strict": False, "most": most})


def fraction(default):
    """A field in (0, 1]."""
    return field(default=default, metadata={"low": 0, "strict": True, "most": 1})


def one_of(default, choices: tuple[str, ...]):
    """A field that takes one of `choices`."""
    return field(default=default, metadata={"choices": choices})


def _checked(name: str, kind: type, value, bounds: dict):
    """`value` as a `kind`, or a UsageError that names the field and says what it takes.
    An int where a float is expected becomes that float, so that `beta=2` and `beta=2.0`
    make the same configuration (and the same cache key)."""
    if kind is float and isinstance(value, int) and not isinstance(value, bool):
        value = float(value)
    if not isinstance(value, kind) or isinstance(value, bool):
        what = "an integer" if kind is int else "a number" if kind is float else f"a {kind.__name__}"
        raise UsageError(f"{name} must be {what}, got {value!r}")
    if "choices" in bounds and value not in bounds["choices"]:
        raise UsageError(f"unknown {name} {value!r}; choose one of {', '.join(bounds['choices'])}")
    low, most = bounds.get("low"), bounds.get("most")
    if low is not None and not (value > low if bounds["strict"] else value >= low):
        raise UsageError(f"{name} must be {'greater than' if bounds['strict'] else 'at least'} {low:g}, got {value!r}")
    if most is not None and not value <= most:
        raise UsageError(f"{name} must be at most {most:g}, got {value!r}")
    return value


@dataclass(frozen=True)
class Config:
    """Base of every family's configuration: checks the fields against their types and bounds.

    A family's class names it (`family`, the key of the registry in `vaebook.families`) and
    states its code version (`code_version`), bumped by hand when the training code changes
    what a run of the family produces: part of every cache key, it retrains the family's runs.
    A refactor that changes nothing must leave it alone. Each family states its own, so that
    bumping one never bumps the families derived from it."""

    family: ClassVar[str]
    code_version: ClassVar[int]

    seed: int = at_least(0, 0, most=MAX_SEED)

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        if "family" in vars(cls) and "code_version" not in vars(cls):
            raise TypeError(f"{cls.__name__} must state its family's code_version")

    def __post_init__(self) -> None:
        hints = get_type_hints(type(self))
        for f in fields(self):
            value = _checked(f.name, hints[f.name], getattr(self, f.name), dict(f.metadata))
            object.__setattr__(self, f.name, value)

    def inputs(self, x, generator, epoch: int = 1):
        """What a model of this configuration is shown of a batch `x` in `epoch` (from 1), and
        what it must reconstruct: the digits themselves, unless a family says otherwise."""
        return x, x

    def test_images(self, images):
        """The test images a model of this configuration is scored on."""
        return images


# Adam's betas for the adversarial models (course reports 001 and 000): a short memory of past
# gradients suits a moving target. Each adversarial configuration says its Adam settings
# (`adam_betas`, `weight_decay`), which `vaebook.adversarial` trains with.
ADAM_BETAS = (0.5, 0.999)

RECON_LOSSES = ("bce", "mse", "l1")
# The MLP VAE also takes course report 000's `F.cross_entropy` (a softmax over the 784 pixels
# of the decoded image) and no reconstruction term at all (course report 001's "KL only").
VAE_RECON_LOSSES = (*RECON_LOSSES, "softmax-ce", "none")


@dataclass(frozen=True)
class VAEConfig(Config):
    """The MLP VAE of course report 002: 784-hidden-latent, ReLU, a decoder that outputs logits."""

    family: ClassVar[str] = "vae"
    code_version: ClassVar[int] = 1

    hidden_dim: int = positive(400)
    latent_dim: int = positive(20)
    recon_loss: str = one_of("bce", VAE_RECON_LOSSES)
    beta: float = at_least(1.0, 0)
    lr: float = positive(1e-3)
    batch_size: int = positive(128)
    epochs: int = positive(100, most=MAX_EPOCHS)


@dataclass(frozen=True)
class TanhVAEConfig(VAEConfig):
    """Course report 003's MLP VAE: the digits scaled to [-1, 1], a Tanh output layer and a
    squared-error loss on that scale (four times the squared error of [0, 1] images). A family
    of its own, so the plain VAEs' keys stay as they were."""

    family: ClassVar[str] = "tanh-vae"
    code_version: ClassVar[int] = 1

    recon_loss: str = one_of("tanh-mse", ("tanh-mse",))


@dataclass(frozen=True)
class NoisyVAEConfig(VAEConfig):
    """The MLP VAE trained on salt-and-pepper-corrupted images (course report 001).

    A fresh corruption of each batch replaces a `noise_rate` fraction of its pixels by 0 or
    1; the model reconstructs either the corrupted image it was shown or, as a denoising
    VAE, the clean one. A family of its own, so that adding it left the plain VAEs' keys alone."""

    family: ClassVar[str] = "noisy-vae"
    code_version: ClassVar[int] = 1

    noise_rate: float = fraction(0.1)
    target: str = one_of("corrupted", ("corrupted", "clean"))

    def inputs(self, x, generator, epoch: int = 1):
        """A fresh corruption of `x` (from the model's own generator), and what to
        reconstruct: the corrupted images, or for a denoising VAE the clean ones."""
        from .data import salt_and_pepper  # data needs torch; a configuration alone does not

        corrupted = salt_and_pepper(x, self.noise_rate, generator)
        return corrupted, x if self.target == "clean" else corrupted


@dataclass(frozen=True)
class FirstEpochsNoisyVAEConfig(NoisyVAEConfig):
    """Course report 001's schedule: the digits are corrupted only in the first `noisy_epochs`
    epochs (its code corrupts `if (epoch==0)`, the first of 300), and clean ever after. A
    family of its own, so the noisy VAEs' keys stay as they were."""

    family: ClassVar[str] = "noisy-first-vae"
    code_version: ClassVar[int] = 1

    noisy_epochs: int = positive(1)

    def inputs(self, x, generator, epoch: int = 1):
        if epoch <= self.noisy_epochs:
            return super().inputs(x, generator, epoch)
        return x, x


@dataclass(frozen=True)
class BinaryVAEConfig(VAEConfig):
    """The MLP VAE on dynamically binarised MNIST, the data set of the likelihood literature
    (Burda et al. 2016): each time an image is used, every pixel is drawn black or white
    with its grey level as the probability, so the Bernoulli decoder models data that
    really are binary. A family of its own, so the plain VAEs' cache keys stay as they were."""

    family: ClassVar[str] = "binary-vae"
    code_version: ClassVar[int] = 1

    epochs: int = positive(50, most=MAX_EPOCHS)

    def inputs(self, x, generator, epoch: int = 1):
        from .data import binarise  # data needs torch; a configuration alone does not

        x = binarise(x, generator)
        return x, x

    def test_images(self, images):
        """One fixed binarisation of the test digits, the same at every epoch."""
        from .data import binarised_test_images

        return binarised_test_images(images)


@dataclass(frozen=True)
class AEConfig(Config):
    """The MLP VAE's encoder and decoder with a deterministic code and no KL term."""

    family: ClassVar[str] = "ae"
    code_version: ClassVar[int] = 1
    beta: ClassVar[float] = 0.0  # the objective has no KL term

    hidden_dim: int = positive(400)
    latent_dim: int = positive(20)
    recon_loss: str = one_of("bce", RECON_LOSSES)
    lr: float = positive(1e-3)
    batch_size: int = positive(128)
    epochs: int = positive(100, most=MAX_EPOCHS)


@dataclass(frozen=True)
class ConvVAEConfig(Config):
    """Course report 001's convolutional VAE: three conv layers with BatchNorm and LeakyReLU
    down to 7x7 feature maps, a latent code of 32, two transposed convolutions back up."""

    family: ClassVar[str] = "conv-vae"
    code_version: ClassVar[int] = 1

    # Report 001 used 64; half the width trains 3x faster on a CPU (29 s instead of 91 s an
    # epoch on two cores), which is what lets the full book train there.
    channels: int = positive(32)  # the first conv layer's; the next two have twice as many
    latent_dim: int = positive(32)
    recon_loss: str = one_of("bce", RECON_LOSSES)
    beta: float = at_least(1.0, 0)
    lr: float = positive(1e-3)
    batch_size: int = positive(128)
    epochs: int = positive(10, most=MAX_EPOCHS)


@dataclass(frozen=True)
class SmallConvVAEConfig(Config):
    """Course report 001's convolutional β-VAE: 8, 16 and 32 channels of 3x3 convolutions down
    to 3x3 feature maps, a 128-unit layer, a latent code of 10, and the mirror image back up."""

    family: ClassVar[str] = "small-conv-vae"
    code_version: ClassVar[int] = 1
    recon_loss: ClassVar[str] = "bce"

    latent_dim: int = positive(10)
    beta: float = at_least(1.0, 0)
    lr: float = positive(1e-3)
    batch_size: int = positive(64)
    # Report 001 trained 15 epochs; 10 is the length of the book's MLP β sweep, so the two
    # sweeps compare at equal training.
    epochs: int = positive(10, most=MAX_EPOCHS)


@dataclass(frozen=True)
class BaseGANConfig(Config):
    """What the GANs' configurations share: the generator's input, `noise_dim` numbers."""

    noise_dim: int = positive(100)

    @property
    def latent_dim(self) -> int:
        """The generator's input, named like every other model's code, so that sampling
        code treats all generative models alike."""
        return self.noise_dim


@dataclass(frozen=True)
class GANConfig(BaseGANConfig):
    """Course report 001's MLP GAN trained report 004's way: generator 100-128-256-512-1024-784
    with BatchNorm and LeakyReLU 0.2 and a Tanh output, discriminator 784-512-256-1."""

    family: ClassVar[str] = "gan"
    code_version: ClassVar[int] = 1

    # Report 001 used 1e-3. Radford et al. (2016) found that too high for Adam with
    # beta1 = 0.5 and used 2e-4, which has been the default for GANs of this size since.
    lr: float = positive(2e-4)
    batch_size: int = at_least(64, 2)  # BatchNorm needs two images to a batch
    epochs: int = positive(50, most=MAX_EPOCHS)

    adam_betas: ClassVar[tuple[float, float]] = ADAM_BETAS
    weight_decay: ClassVar[float] = 0.0


@dataclass(frozen=True)
class GELUGANConfig(BaseGANConfig):
    """Course report 000's MLP GAN: generator 96-128-256-512-1024-784 with BatchNorm, GELU and
    a sigmoid output, discriminator 784-512-256-128-64-32-1 with GELU, trained on [0, 1]
    images with Adam (betas 0.4 and 0.8, weight decay) and an extra L1 term in the
    generator's loss that pulls its batch towards an (unpaired) batch of real digits."""

    family: ClassVar[str] = "gelu-gan"
    code_version: ClassVar[int] = 1

    noise_dim: int = positive(96)
    lr: float = positive(3e-4)
    beta1: float = at_least(0.4, 0, most=0.999)
    beta2: float = at_least(0.8, 0, most=0.999)
    weight_decay: float = at_least(1e-4, 0)
    l1_weight: float = at_least(0.05, 0)
    batch_size: int = at_least(128, 2)  # BatchNorm needs two images to a batch
    epochs: int = positive(50, most=MAX_EPOCHS)

    @property
    def adam_betas(self) -> tuple[float, float]:
        return (self.beta1, self.beta2)


@dataclass(frozen=True)
class VAEGANConfig(Config):
    """Larsen et al. (2016) with course report 000's networks: the 784-400-20 encoder, its
    mirror as decoder and generator, and a convolutional discriminator whose intermediate
    features define the reconstruction loss."""

    family: ClassVar[str] = "vaegan"
    code_version: ClassVar[int] = 1
    adam_betas: ClassVar[tuple[float, float]] = ADAM_BETAS
    weight_decay: ClassVar[float] = 0.0

    hidden_dim: int = positive(400)
    latent_dim: int = positive(20)
    # The decoder's loss is gamma * feature reconstruction + its GAN loss. At 1 the
    # decoder weighs the reconstruction as the encoder does (report 000 used 0.01).
    gamma: float = at_least(1.0, 0)
    lr: float = positive(3e-4)  # report 000's for the decoder and discriminator
    batch_size: int = positive(128)
    # Report 000 trained 20 epochs; an epoch costs ~70 s on two CPU cores (the convolutional
    # discriminator sees three batches per step), so the full profile stops at 10.
    epochs: int = positive(10, most=MAX_EPOCHS)


@dataclass(frozen=True)
class ClassifierConfig(Config):
    """The small CNN that scores every generative model: two 3x3 conv layers with max
    pooling, a `features`-unit layer (whose activations FID compares), ten logits."""

    family: ClassVar[str] = "classifier"
    code_version: ClassVar[int] = 1

    channels: int = positive(32)
    features: int = positive(128)
    lr: float = positive(1e-3)
    batch_size: int = positive(128)
    epochs: int = positive(8, most=MAX_EPOCHS)


SWEEPABLE = ("beta", "seed", "noise_rate", "target")


def groupable(config: VAEConfig) -> VAEConfig:
    """What MLP VAEs trained together must share: everything but β, the seed and how the
    data is corrupted (`SWEEPABLE`, set to their defaults here)."""
    return replace(config, **{f.name: f.default for f in fields(config) if f.name in SWEEPABLE})


@dataclass(frozen=True)
class Profile:
    """How much of the work a build does.

    `full` is the published book. `quick` renders the whole book on two CPU cores in
    minutes: a slice of the data and at most `max_epochs` epochs, never committed.
    """

    name: str
    max_epochs: int | None = None
    train_size: int | None = None  # None: all 60,000 training images
    test_size: int | None = None  # None: all 10,000 test images
    tsne_iterations: int = 1000  # scikit-learn's default; 250 is its minimum
    iwae_samples: int | None = None  # at most this many importance samples (None: the protocol's)
    generated_images: int = 10_000  # samples per model for sample statistics and scores

    def apply(self, config, *, epochs: int | None = None, seed: int | None = None):
        """The configuration this profile trains, with explicit overrides taking precedence."""
        if self.max_epochs is not None:
            config = replace(config, epochs=min(config.epochs, self.max_epochs))
        if epochs is not None:
            config = replace(config, epochs=epochs)
        if seed is not None:
            config = replace(config, seed=seed)
        return config


PROFILES = {
    "full": Profile("full"),
    "quick": Profile("quick", max_epochs=2, train_size=1024, test_size=1024, tsne_iterations=250, iwae_samples=10,
                     generated_images=1_000),
}
DEFAULT_PROFILE = "full"
PROFILE_VARIABLE = "VAEBOOK_PROFILE"


def get_profile(name: str | Profile | None = None) -> Profile:
    """The named profile (a Profile is returned as it is), else the one `VAEBOOK_PROFILE`
    names, else `full`."""
    if isinstance(name, Profile):
        return name
    source = "profile"
    if name is None:
        name = os.environ.get(PROFILE_VARIABLE) or DEFAULT_PROFILE
        source = PROFILE_VARIABLE
    if name not in PROFILES:
        raise UsageError(f"{source}={name!r} is not a profile; choose one of {', '.join(PROFILES)}")
    return PROFILES[name]


def config_to_dict(config) -> dict:
    """The configuration as the cache key and the entry record hold it."""
    return {"family": config.family} | {f.name: getattr(config, f.name) for f in fields(config)}


CONFIGS: dict[str, type[Config]] = {c.family: c for c in (
    VAEConfig, TanhVAEConfig, NoisyVAEConfig, FirstEpochsNoisyVAEConfig, BinaryVAEConfig, AEConfig, ConvVAEConfig,
    SmallConvVAEConfig, GANConfig,
    GELUGANConfig, VAEGANConfig, ClassifierConfig)}


def config_from_dict(data: dict) -> Config:
    """The configuration a record holds (`config_to_dict`'s inverse)."""
    data = dict(data)
    family = data.pop("family", None)
    if family not in CONFIGS:
        raise UsageError(f"unknown model family {family!r}")
    return CONFIGS[family](**data)
