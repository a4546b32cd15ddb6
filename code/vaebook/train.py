"""Training: one function per model family, each returning a `Run`."""

from __future__ import annotations

import math
import platform
import time
from datetime import datetime, timezone

import torch
from tqdm.auto import tqdm

from .config import Profile, VAEConfig
from .data import MNIST, first_of_each_digit
from .device import device_name
from .errors import TrainingDiverged
from .losses import RECON_LOSSES, gaussian_kl
from .models import MLPVAE
from .result import Run

EVAL_BATCH = 1000
SAMPLE_SEED = 2024  # the same latent draws for every model, so their samples compare
N_SAMPLES = 64
PROBE_INDEX = 0  # the test image whose latent mean is shown before and after training (seed 003)


def fixed_latents(n: int, latent_dim: int, device) -> torch.Tensor:
    """Latent draws shared by every model with this latent size."""
    generator = torch.Generator().manual_seed(SAMPLE_SEED)
    return torch.randn(n, latent_dim, generator=generator).to(device)


def _vae_terms(model, x, recon_loss, generator):
    """Per-image reconstruction and KL terms of one batch."""
    logits, mu, logvar = model(x, generator)
    return recon_loss(logits, x), gaussian_kl(mu, logvar)


@torch.no_grad()
def evaluate_vae(model, images, config: VAEConfig, generator) -> dict[str, float]:
    """Mean test objective, reconstruction and KL per image, one posterior sample each."""
    model.eval()
    recon_loss = RECON_LOSSES[config.recon_loss]
    sums = torch.zeros(2, device=images.device)
    for x in images.split(EVAL_BATCH):
        recon, kl = _vae_terms(model, x, recon_loss, generator)
        sums += torch.stack([recon.sum(), kl.sum()])
    recon, kl = (sums / len(images)).tolist()
    return {"loss": recon + config.beta * kl, "recon": recon, "kl": kl}


def _environment(device: torch.device) -> dict:
    import numpy
    import torchvision

    return {
        "device": device.type,
        "device_name": device_name(device),
        "python": platform.python_version(),
        "torch": torch.__version__,
        "torchvision": torchvision.__version__,
        "numpy": numpy.__version__,
        "platform": platform.platform(),
        "threads": torch.get_num_threads(),
    }


def train_vae(name: str, config: VAEConfig, profile: Profile, data: MNIST, device: torch.device,
              *, progress: bool | None = None) -> Run:
    """Trains the MLP VAE with Adam on `data` (already on `device`).

    The epoch's train loss is the running average over its batches, per image, as seed 002
    logs it; the test columns are measured on the whole (profile's) test set after the epoch.
    `progress=None` shows the bar only on a terminal.
    """
    started = time.perf_counter()
    torch.manual_seed(config.seed)  # the initial weights, the same on every device
    model = MLPVAE(config).to(device)
    # The fused kernel gives the same update as the loop and is ~30 % faster on a CPU.
    optimizer = torch.optim.Adam(model.parameters(), lr=config.lr, fused=True)
    recon_loss = RECON_LOSSES[config.recon_loss]
    batch_generator = torch.Generator(device=device).manual_seed(config.seed)
    images, n = data.train_images, len(data.train_images)

    probe = data.test_images[PROBE_INDEX : PROBE_INDEX + 1]
    latent_mean_before = model.encode(probe)[0].detach().cpu()[0]

    history = {k: [] for k in ("epoch", "train_loss", "train_recon", "train_kl", "test_loss", "test_recon", "test_kl")}
    step_losses = []
    # disable=None lets tqdm stay quiet when stderr is not a terminal (a render, a CI log).
    bar = tqdm(range(1, config.epochs + 1), desc=name, unit="epoch", leave=False,
               disable={None: None, True: False, False: True}[progress])
    for epoch in bar:
        model.train()
        sums = torch.zeros(2, device=device)
        for batch in torch.randperm(n, device=device, generator=batch_generator).split(config.batch_size):
            x = images[batch]
            recon, kl = _vae_terms(model, x, recon_loss, batch_generator)
            loss = (recon + config.beta * kl).mean()
            optimizer.zero_grad(set_to_none=True)
            loss.backward()
            optimizer.step()
            step_losses.append(loss.detach())
            sums += torch.stack([recon.sum(), kl.sum()]).detach()
        train_recon, train_kl = (sums / n).tolist()
        # A fresh generator per evaluation: every epoch is scored with the same noise.
        test = evaluate_vae(model, data.test_images, config, torch.Generator(device=device).manual_seed(config.seed))
        row = {"epoch": epoch, "train_loss": train_recon + config.beta * train_kl, "train_recon": train_recon,
               "train_kl": train_kl, "test_loss": test["loss"], "test_recon": test["recon"], "test_kl": test["kl"]}
        if not all(map(math.isfinite, row.values())):
            raise TrainingDiverged(
                f"{name}: the loss became NaN or infinite in epoch {epoch}; nothing was cached "
                f"(try a smaller learning rate than {config.lr:g})"
            )
        for key, value in row.items():
            history[key].append(value)
        bar.set_postfix(train=f"{row['train_loss']:.2f}", test=f"{row['test_loss']:.2f}")

    model.eval()
    with torch.no_grad():
        probes = data.test_images[first_of_each_digit(data.test_labels)]
        artefacts = {
            "step_loss": torch.stack(step_losses).float().cpu(),
            "samples": model.decode(fixed_latents(N_SAMPLES, config.latent_dim, device)).cpu(),
            "probe_images": probes.cpu(),
            "probe_reconstructions": model.decode(model.encode(probes)[0]).cpu(),
            "latent_mean_before": latent_mean_before,
            "latent_mean_after": model.encode(probe)[0].cpu()[0],
        }
    wall = time.perf_counter() - started
    meta = _environment(device) | {
        "train_seconds": round(wall, 2),
        "seconds_per_epoch": round(wall / config.epochs, 3),
        "created": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "train_images": n,
        "test_images": len(data.test_images),
    }
    metrics = {key: history[key][-1] for key in history if key != "epoch"}
    weights = {k: v.detach().cpu().contiguous() for k, v in model.state_dict().items()}
    return Run(name, config, profile, history, metrics, meta, weights, artefacts)


TRAINERS = {"vae": train_vae}
