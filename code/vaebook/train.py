"""Training: the loop every family shares (`fit`), the VAE family's part in it, and the
batched training of a VAE sweep (`train_vae_group`).

`fit` trains one model. It draws the initial weights and every random number of the run from
the configuration's seed, shuffles the training images into batches each epoch, adds up what
each step returns, writes one row per epoch into the history and returns the finished `Run`.
What differs between families is a `Trainer`: its optimisers, its step, what a row of its
history holds and what its run keeps beside the weights. `VAETrainer` is here,
`GANTrainer`, `GELUGANTrainer` and `VAEGANTrainer` are in `adversarial`, `ClassifierTrainer` in
`classifier`.

`train_vae_group` trains several MLP VAEs that share an architecture and differ only in β,
seed or data corruption (a sweep) as one batched model: their parameters are stacked and the
step is vmapped, so a sweep costs one pass over the data per step instead of one per model.
It draws every model's random numbers from the model's own generator in the order `fit`
draws them, so a model's history is the same either way up to floating-point rounding
(tests/test_training.py pins the tolerance).
"""

from __future__ import annotations

import copy
import math
import platform
import time
from datetime import datetime, timezone

import torch
from torch.func import functional_call, stack_module_state, vmap
from tqdm.auto import tqdm

from .config import Config, Profile, VAEConfig, groupable
from .data import MNIST, first_of_each_digit
from .device import device_name
from .errors import TrainingDiverged, UsageError
from .latent import fixed_latents
from .losses import RECON_LOSSES, gaussian_kl
from .metrics import EVAL_BATCH
from .result import Run

N_SAMPLES = 64
PROBE_INDEX = 0  # the test image whose latent mean is shown before and after training (course report 003)
VAE_COLUMNS = ("epoch", "train_loss", "train_recon", "train_kl", "test_loss", "test_recon", "test_kl")


# --- The loop ---------------------------------------------------------------------------------


class History:
    """Per-epoch rows of one model; refuses a non-finite row, so nothing NaN is cached."""

    def __init__(self, name: str, config, columns: tuple[str, ...]):
        self.name, self.config = name, config
        self.columns = {column: [] for column in columns}

    def add(self, row: dict) -> dict:
        if not all(map(math.isfinite, row.values())):
            raise TrainingDiverged(
                f"{self.name}: the loss became NaN or infinite in epoch {row['epoch']}; nothing was cached "
                f"(try a smaller learning rate than {self.config.lr:g})"
            )
        for column, value in row.items():
            self.columns[column].append(value)
        return row


def progress_bar(total: int, desc: str, progress: bool | None):
    """Epochs 1..total under a bar. disable=None lets tqdm stay quiet when stderr is not a
    terminal (a render, a CI log)."""
    return tqdm(range(1, total + 1), desc=desc, unit="epoch", leave=False,
                disable={None: None, True: False, False: True}[progress])


def initial_model(network, config, device) -> torch.nn.Module:
    """A fresh `network` (a model class) for `config`, its weights drawn from the config's seed."""
    torch.manual_seed(config.seed)  # the initial weights, the same on every device
    return network(config).to(device)


def shuffled_batches(n: int, batch_size: int, generator: torch.Generator, *,
                     whole: bool = False) -> list[torch.Tensor]:
    """The indices of `n` training images in a fresh order drawn from `generator`, cut into
    batches; with `whole`, a last batch smaller than the others is left out."""
    batches = torch.randperm(n, device=generator.device, generator=generator).split(batch_size)
    return [batch for batch in batches if len(batch) == batch_size] if whole else list(batches)


class Trainer:
    """One family's part in `fit`. A subclass makes its optimisers for the fresh model, trains
    on one batch (`step`), and says what a row of the history holds (`row`) and what the run
    keeps beside its weights (`artefacts`, `meta`)."""

    columns: tuple[str, ...]  # the history's columns, "epoch" first
    shown: tuple[str, ...] = ()  # the columns the progress bar shows after each epoch
    # What `step` returns is added up over the epoch, then divided by the number of training
    # images if it holds sums over the batch's images, else by the number of batches (means).
    per_image = True
    whole_batches = False  # leave out a last, smaller batch
    epoch = 1  # the epoch `fit` is in, from 1: what a configuration's `inputs` may depend on

    def __init__(self, model: torch.nn.Module, config: Config, data: MNIST, generator: torch.Generator):
        self.model, self.config, self.data, self.generator = model, config, data, generator
        self.device = generator.device

    def step(self, batch: torch.Tensor) -> torch.Tensor:
        """Trains on the training images `batch` indexes; returns the values the epoch adds up."""
        raise NotImplementedError

    def row(self, epoch: int, averages: list[float]) -> dict:
        """The history's row of `epoch`, from the epoch's averages of what `step` returned."""
        raise NotImplementedError

    def end_epoch(self, epoch: int) -> None:
        """What to do once an epoch's row is written (keep samples, say)."""

    def artefacts(self) -> dict[str, torch.Tensor]:
        """What the run keeps beside its weights for the figures."""
        return {}

    def meta(self) -> dict:
        """What the run's metadata adds to the machine and the clock."""
        return {}


def fit(trainer_class: type[Trainer], name: str, config: Config, network, profile: Profile, data: MNIST,
        device: torch.device, *, progress: bool | None = None) -> Run:
    """Trains a `network` for `config` on `data` (already on `device`) as a `trainer_class`
    says, and returns the run. `progress=None` shows the bar only on a terminal."""
    started = time.perf_counter()
    model = initial_model(network, config, device)
    generator = torch.Generator(device=device).manual_seed(config.seed)
    trainer = trainer_class(model, config, data, generator)
    history = History(name, config, trainer.columns)
    n = len(data.train_images)
    for epoch in (bar := progress_bar(config.epochs, name, progress)):
        trainer.epoch = epoch
        model.train()
        batches = shuffled_batches(n, config.batch_size, generator, whole=trainer.whole_batches)
        totals = sum(trainer.step(batch) for batch in batches)
        averages = (totals / (n if trainer.per_image else len(batches))).tolist()
        row = history.add(trainer.row(epoch, averages))
        bar.set_postfix({column: f"{row[column]:.4g}" for column in trainer.shown})
        trainer.end_epoch(epoch)
    artefacts = trainer.artefacts()
    return finished_run(name, config, profile, model, data, history, artefacts, time.perf_counter() - started, device,
                        trainer.meta())


def _environment(device: torch.device) -> dict:
    from importlib.metadata import version  # torchvision's own import costs a second

    return {
        "device": device.type,
        "device_name": device_name(device),
        "python": platform.python_version(),
        "torch": torch.__version__,
        "torchvision": version("torchvision"),
        "numpy": version("numpy"),
        "platform": platform.platform(),
        "threads": torch.get_num_threads(),
    }


def finished_run(name, config, profile, model, data, history: History, artefacts: dict, seconds: float, device,
                 extra_meta: dict | None = None) -> Run:
    """The Run of a trained model: weights, history, last-epoch metrics and metadata."""
    meta = _environment(device) | {
        "train_seconds": round(seconds, 2),
        "seconds_per_epoch": round(seconds / config.epochs, 3),
        "created": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "train_images": len(data.train_images),
        "test_images": len(data.test_images),
    } | (extra_meta or {})
    metrics = {column: values[-1] for column, values in history.columns.items() if column != "epoch"}
    weights = {k: v.detach().cpu().contiguous() for k, v in model.state_dict().items()}
    artefacts = {k: v.detach().float().cpu().contiguous() for k, v in artefacts.items()}
    return Run(name, config, profile, history.columns, metrics, meta, weights, artefacts)


@torch.no_grad()
def fixed_samples(model, config, device) -> torch.Tensor:
    """The model's images of the shared latent draws, in eval mode (BatchNorm uses its running
    statistics); a caller that goes on training sets train mode again."""
    model.eval()
    return model.decode(fixed_latents(N_SAMPLES, config.latent_dim, device))


@torch.no_grad()
def reconstruction_artefacts(model, data: MNIST) -> dict:
    """The first test image of each digit and the model's reconstruction of it (the same
    digits for every model that reconstructs)."""
    model.eval()
    probes = data.test_images[first_of_each_digit(data.test_labels)]
    return {"probe_images": probes, "probe_reconstructions": model.decode(model.encode(probes)[0])}


# --- The VAE family ---------------------------------------------------------------------------


def _noise(batch_size: int, config: VAEConfig, generator: torch.Generator) -> torch.Tensor:
    return torch.randn(batch_size, config.latent_dim, generator=generator, device=generator.device)


def vae_terms(model, x, target, eps, config) -> tuple[torch.Tensor, torch.Tensor]:
    """The two terms of a VAE's loss, per image of the batch `x`: the reconstruction of
    `target` and the KL of the posterior from the prior (zero for the autoencoder)."""
    logits, mu, logvar = model(x, eps)  # z = mu + sigma * eps inside: the reparameterisation
    recon = RECON_LOSSES[config.recon_loss](logits, target)  # -log p(x|z), per image
    kl = gaussian_kl(mu, logvar) if logvar is not None else torch.zeros_like(recon)  # none for the autoencoder
    return recon, kl


def vae_step(model, optimizer, x, target, eps, config) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
    """One training step of a VAE: the batch's mean negative ELBO (with the KL term weighted
    by β), its gradient, one Adam update. Returns the loss and the per-image terms, detached."""
    recon, kl = vae_terms(model, x, target, eps, config)
    loss = (recon + config.beta * kl).mean()
    optimizer.zero_grad(set_to_none=True)
    loss.backward()
    optimizer.step()
    return loss.detach(), recon.detach(), kl.detach()


@torch.no_grad()
def evaluate_vae(model, images, config: VAEConfig) -> dict[str, float]:
    """Mean test objective, reconstruction and KL per image, one posterior sample each, on
    `images` (`config.test_images`: the clean digits whatever corruption the model was trained on).

    A fresh generator per call: every epoch is scored with the same noise."""
    model.eval()
    generator = torch.Generator(device=images.device).manual_seed(config.seed)
    sums = torch.zeros(2, device=images.device)
    for x in images.split(EVAL_BATCH):
        recon, kl = vae_terms(model, x, x, _noise(len(x), config, generator), config)
        sums += torch.stack([recon.sum(), kl.sum()])
    recon, kl = (sums / len(images)).tolist()
    return {"loss": recon + config.beta * kl, "recon": recon, "kl": kl}


def _vae_row(epoch: int, train_recon: float, train_kl: float, test: dict, beta: float) -> dict:
    return {"epoch": epoch, "train_loss": train_recon + beta * train_kl, "train_recon": train_recon,
            "train_kl": train_kl, "test_loss": test["loss"], "test_recon": test["recon"], "test_kl": test["kl"]}


@torch.no_grad()
def _probe_mean(model, data: MNIST) -> torch.Tensor:
    model.eval()  # BatchNorm must not learn from the probe
    return model.encode(data.test_images[PROBE_INDEX : PROBE_INDEX + 1])[0][0]


@torch.no_grad()
def _vae_artefacts(model, config, data: MNIST, step_losses: torch.Tensor, latent_mean_before: torch.Tensor,
                   first_samples: torch.Tensor) -> dict:
    """What the figures of a trained VAE-family model draw on."""
    model.eval()
    return reconstruction_artefacts(model, data) | {
        "step_loss": step_losses,
        "samples": fixed_samples(model, config, data.test_images.device),
        "samples_epoch_1": first_samples,
        "latent_mean_before": latent_mean_before,
        "latent_mean_after": _probe_mean(model, data),
    }


class VAETrainer(Trainer):
    """The VAE family (the MLP, conv, tanh, noisy and binary VAEs, and the autoencoder): Adam on
    `vae_step`. An epoch's train columns average its batches' terms per image, while the
    weights still change, as course report 002 logs them; its test columns are measured on the
    whole (profile's) test set after the epoch."""

    columns = VAE_COLUMNS
    shown = ("train_loss", "test_loss")

    def __init__(self, model, config, data, generator):
        super().__init__(model, config, data, generator)
        self.latent_mean_before = _probe_mean(model, data)
        # The fused kernel gives the same update as the loop and is ~30 % faster on a CPU.
        self.optimizer = torch.optim.Adam(model.parameters(), lr=config.lr, fused=True)
        self.scored_on = config.test_images(data.test_images)  # drawn once: a binarised test set stays the same
        self.step_losses, self.first_samples = [], None

    def step(self, batch):
        x, target = self.config.inputs(self.data.train_images[batch], self.generator, self.epoch)
        loss, recon, kl = vae_step(self.model, self.optimizer, x, target, _noise(len(x), self.config, self.generator),
                                   self.config)
        self.step_losses.append(loss)
        return torch.stack([recon.sum(), kl.sum()])

    def row(self, epoch, averages):
        return _vae_row(epoch, *averages, evaluate_vae(self.model, self.scored_on, self.config), self.config.beta)

    def end_epoch(self, epoch):
        if epoch == 1:
            self.first_samples = fixed_samples(self.model, self.config, self.device)

    def artefacts(self):
        return _vae_artefacts(self.model, self.config, self.data, torch.stack(self.step_losses),
                              self.latent_mean_before, self.first_samples)


def train_vae_group(names: list[str], configs: list[VAEConfig], network, profile: Profile, data: MNIST,
                    device: torch.device, *, progress: bool | None = None) -> list[Run]:
    """Trains MLP VAEs that differ only in β, seed and data corruption as one batched model.

    Adam is elementwise, so one optimizer over the stacked parameters is K independent
    optimizers, and the sum of the K losses gives each model exactly its own gradient.
    Each model's batches, corruption and noise come from its own generator, as in `fit`.
    """
    if len({(c.family, groupable(c)) for c in configs}) != 1:
        raise UsageError(f"{', '.join(names)} differ in more than β, seed and noise and cannot be trained together")
    started = time.perf_counter()
    config = configs[0]
    models = [initial_model(network, c, device) for c in configs]
    before = [_probe_mean(m, data) for m in models]
    params, _ = stack_module_state(models)  # (K, ...) leaves that require grad; the MLP has no buffers
    template = copy.deepcopy(models[0]).to("meta")
    optimizer = torch.optim.Adam(params.values(), lr=config.lr, fused=True)
    generators = [torch.Generator(device=device).manual_seed(c.seed) for c in configs]
    betas = torch.tensor([c.beta for c in configs], device=device)

    def terms(p, x, target, eps):
        return vae_terms(lambda *inputs: functional_call(template, p, inputs), x, target, eps, config)

    batched_terms = vmap(terms)
    images, n = data.train_images, len(data.train_images)
    histories = [History(name, c, VAE_COLUMNS) for name, c in zip(names, configs)]
    step_losses, first_samples = [], []
    for epoch in (bar := progress_bar(config.epochs, f"{names[0]} + {len(names) - 1}", progress)):
        sums = torch.zeros(len(configs), 2, device=device)
        for batches in zip(*(shuffled_batches(n, config.batch_size, g) for g in generators)):
            inputs = (c.inputs(images[batch], g, epoch) for c, batch, g in zip(configs, batches, generators))
            x, target = map(torch.stack, zip(*inputs))  # (K, batch, 784)
            eps = torch.stack([_noise(x.shape[1], config, g) for g in generators])
            recon, kl = batched_terms(params, x, target, eps)
            losses = (recon + betas[:, None] * kl).mean(dim=1)
            optimizer.zero_grad(set_to_none=True)
            losses.sum().backward()
            optimizer.step()
            step_losses.append(losses.detach())
            sums += torch.stack([recon.sum(dim=1), kl.sum(dim=1)], dim=1).detach()
        for k, (model, history) in enumerate(zip(models, histories)):
            model.load_state_dict({name: p[k].detach() for name, p in params.items()})
            test = evaluate_vae(model, configs[k].test_images(data.test_images), configs[k])
            row = history.add(_vae_row(epoch, *(sums[k] / n).tolist(), test, configs[k].beta))
            if epoch == 1:
                first_samples.append(fixed_samples(model, configs[k], device))
        bar.set_postfix(train_loss=f"{row['train_loss']:.4g}")
    # The group's wall time is shared equally: the sum over models is what the group cost.
    seconds = (time.perf_counter() - started) / len(configs)
    steps = torch.stack(step_losses)
    return [
        finished_run(name, c, profile, model, data, history,
                     _vae_artefacts(model, c, data, steps[:, k], before[k], first_samples[k]), seconds, device,
                     {"trained_with": list(names)})
        for k, (name, c, model, history) in enumerate(zip(names, configs, models, histories))
    ]
