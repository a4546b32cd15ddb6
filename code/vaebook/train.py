"""Training: one function per model family, each returning `Run`s.

`train_vae` trains one model of the VAE family: the MLP VAE, its noisy-data variant, the
autoencoder (a VAE without KL term or noise) and the conv VAE. `train_vae_group` trains
several MLP VAEs that share an architecture and differ only in β, seed or data corruption
(a sweep) as one batched model: their parameters
are stacked and the step is vmapped, so a sweep costs one pass over the data per step
instead of one per model. Both draw every model's random numbers from the model's own
generator in the same order, so a model's history is the same either way up to
floating-point rounding (tests/test_training.py pins the tolerance).
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

from .config import Profile, VAEConfig, groupable
from .data import MNIST, first_of_each_digit
from .device import device_name
from .errors import TrainingDiverged, UsageError
from .latent import fixed_latents
from .losses import RECON_LOSSES, gaussian_kl
from .metrics import EVAL_BATCH
from .result import Run

N_SAMPLES = 64
PROBE_INDEX = 0  # the test image whose latent mean is shown before and after training (course report 003)
HISTORY_COLUMNS = ("epoch", "train_loss", "train_recon", "train_kl", "test_loss", "test_recon", "test_kl")


def _noise(batch_size: int, config: VAEConfig, generator: torch.Generator) -> torch.Tensor:
    return torch.randn(batch_size, config.latent_dim, generator=generator, device=generator.device)


def _vae_terms(model, x, target, config, eps):
    """Per-image reconstruction and KL terms of one batch (no KL for the autoencoder)."""
    logits, mu, logvar = model(x, eps)
    recon = RECON_LOSSES[config.recon_loss](logits, target)
    return recon, gaussian_kl(mu, logvar) if logvar is not None else torch.zeros_like(recon)


def vae_step(model, optimizer, x, target, eps, config) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
    """One training step of a VAE: the batch's mean negative ELBO (with the KL term weighted
    by β), its gradient, one Adam update. Returns the loss and the per-image terms, detached."""
    logits, mu, logvar = model(x, eps)  # z = mu + sigma * eps inside: the reparameterisation
    recon = RECON_LOSSES[config.recon_loss](logits, target)  # -log p(x|z), per image
    kl = gaussian_kl(mu, logvar) if logvar is not None else torch.zeros_like(recon)  # none for the autoencoder
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
        recon, kl = _vae_terms(model, x, x, config, _noise(len(x), config, generator))
        sums += torch.stack([recon.sum(), kl.sum()])
    recon, kl = (sums / len(images)).tolist()
    return {"loss": recon + config.beta * kl, "recon": recon, "kl": kl}


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


def _vae_row(epoch: int, train_recon: float, train_kl: float, test: dict, beta: float) -> dict:
    return {"epoch": epoch, "train_loss": train_recon + beta * train_kl, "train_recon": train_recon,
            "train_kl": train_kl, "test_loss": test["loss"], "test_recon": test["recon"], "test_kl": test["kl"]}


def progress_bar(total: int, desc: str, progress: bool | None):
    """Epochs 1..total under a bar. disable=None lets tqdm stay quiet when stderr is not a
    terminal (a render, a CI log)."""
    return tqdm(range(1, total + 1), desc=desc, unit="epoch", leave=False,
                disable={None: None, True: False, False: True}[progress])


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


@torch.no_grad()
def fixed_samples(model, config, device) -> torch.Tensor:
    """The model's images of the shared latent draws, in eval mode (BatchNorm uses its running
    statistics); a caller that goes on training sets train mode again."""
    model.eval()
    return model.decode(fixed_latents(N_SAMPLES, config.latent_dim, device))


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
def reconstruction_artefacts(model, data: MNIST) -> dict:
    """The first test image of each digit and the model's reconstruction of it (the same
    digits for every model that reconstructs)."""
    model.eval()
    probes = data.test_images[first_of_each_digit(data.test_labels)]
    return {"probe_images": probes, "probe_reconstructions": model.decode(model.encode(probes)[0])}


@torch.no_grad()
def _finish(name, config, profile, model, data, history, step_losses, latent_mean_before, first_samples,
            seconds, device, extra_meta=None) -> Run:
    """The Run of a trained VAE-family model, with the artefacts figures of it draw on."""
    model.eval()
    probe = data.test_images[PROBE_INDEX : PROBE_INDEX + 1]
    artefacts = reconstruction_artefacts(model, data) | {
        "step_loss": step_losses,
        "samples": fixed_samples(model, config, device),
        "samples_epoch_1": first_samples,
        "latent_mean_before": latent_mean_before,
        "latent_mean_after": model.encode(probe)[0][0],
    }
    return finished_run(name, config, profile, model, data, history, artefacts, seconds, device, extra_meta)


def initial_model(network, config, device) -> torch.nn.Module:
    """A fresh `network` (a model class) for `config`, its weights drawn from the config's seed."""
    torch.manual_seed(config.seed)  # the initial weights, the same on every device
    return network(config).to(device)


@torch.no_grad()
def _probe_mean(model, data: MNIST) -> torch.Tensor:
    model.eval()  # BatchNorm must not learn from the probe
    return model.encode(data.test_images[PROBE_INDEX : PROBE_INDEX + 1])[0][0]


def train_vae(name: str, config, network, profile: Profile, data: MNIST, device: torch.device,
              *, progress: bool | None = None) -> Run:
    """Trains one model of the VAE family with Adam on `data` (already on `device`).

    The epoch's train loss is the running average over its batches, per image, as course report 002
    logs it; the test columns are measured on the whole (profile's) test set after the epoch.
    `progress=None` shows the bar only on a terminal.
    """
    started = time.perf_counter()
    model = initial_model(network, config, device)
    latent_mean_before = _probe_mean(model, data)
    # The fused kernel gives the same update as the loop and is ~30 % faster on a CPU.
    optimizer = torch.optim.Adam(model.parameters(), lr=config.lr, fused=True)
    generator = torch.Generator(device=device).manual_seed(config.seed)
    images, n = data.train_images, len(data.train_images)
    history, step_losses, first_samples = History(name, config, HISTORY_COLUMNS), [], None
    scored_on = config.test_images(data.test_images)  # drawn once: a binarised test set stays the same
    bar = progress_bar(config.epochs, name, progress)
    for epoch in bar:
        model.train()
        sums = torch.zeros(2, device=device)
        for batch in torch.randperm(n, device=device, generator=generator).split(config.batch_size):
            x, target = config.inputs(images[batch], generator)
            loss, recon, kl = vae_step(model, optimizer, x, target, _noise(len(x), config, generator), config)
            step_losses.append(loss)
            sums += torch.stack([recon.sum(), kl.sum()])
        row = history.add(_vae_row(epoch, *(sums / n).tolist(), evaluate_vae(model, scored_on, config), config.beta))
        bar.set_postfix(train=f"{row['train_loss']:.2f}", test=f"{row['test_loss']:.2f}")
        if epoch == 1:
            first_samples = fixed_samples(model, config, device)
    return _finish(name, config, profile, model, data, history, torch.stack(step_losses), latent_mean_before,
                   first_samples, time.perf_counter() - started, device)


def train_vae_group(names: list[str], configs: list[VAEConfig], network, profile: Profile, data: MNIST,
                    device: torch.device, *, progress: bool | None = None) -> list[Run]:
    """Trains MLP VAEs that differ only in β, seed and data corruption as one batched model.

    Adam is elementwise, so one optimizer over the stacked parameters is K independent
    optimizers, and the sum of the K losses gives each model exactly its own gradient.
    Each model's batches, corruption and noise come from its own generator, as in `train_vae`.
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
    recon_loss = RECON_LOSSES[config.recon_loss]

    def terms(p, x, target, eps):
        logits, mu, logvar = functional_call(template, p, (x, eps))
        return recon_loss(logits, target), gaussian_kl(mu, logvar)

    batched_terms = vmap(terms)
    images, n = data.train_images, len(data.train_images)
    histories = [History(name, c, HISTORY_COLUMNS) for name, c in zip(names, configs)]
    step_losses, first_samples = [], []
    bar = progress_bar(config.epochs, f"{names[0]} + {len(names) - 1}", progress)
    for epoch in bar:
        orders = torch.stack([torch.randperm(n, device=device, generator=g) for g in generators])
        sums = torch.zeros(len(configs), 2, device=device)
        for start in range(0, n, config.batch_size):
            batches = images[orders[:, start : start + config.batch_size]]  # (K, batch, 784)
            x, target = map(torch.stack, zip(*(c.inputs(b, g) for c, b, g in zip(configs, batches, generators))))
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
        bar.set_postfix(train=f"{row['train_loss']:.2f}")
    # The group's wall time is shared equally: the sum over models is what the group cost.
    seconds = (time.perf_counter() - started) / len(configs)
    steps = torch.stack(step_losses)
    return [
        _finish(name, c, profile, model, data, history, steps[:, k], before[k], first_samples[k], seconds, device,
                {"trained_with": list(names)})
        for k, (name, c, model, history) in enumerate(zip(names, configs, models, histories))
    ]
