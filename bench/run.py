"""Training speed: the book's trainer against the seeds' way, and a β sweep batched against
sequential, in one process on one device.

    python bench/run.py [--device cpu|cuda] [--epochs N]

Writes bench/results/<device>.json and <device>.md. The seed-style baseline is written the
way the course reports train: torchvision's MNIST with ToTensor, a DataLoader of batch 128,
a copy to the device per batch, a sigmoid decoder and the summed BCE.
"""

from __future__ import annotations

import argparse
import json
import re
import shutil
import statistics
import sys
import tempfile
import time
from datetime import datetime, timezone
from pathlib import Path

import torch
import torch.nn.functional as F
import torchvision
from torch.utils.data import DataLoader

from vaebook.config import PROFILES, VAEConfig
from vaebook.data import data_root, load_mnist
from vaebook.identity import MNIST_FILES
from vaebook.device import device_name, pick_device
from vaebook.models import MLPVAE
from vaebook.train import train_vae, train_vae_group

RESULTS = Path(__file__).resolve().parent / "results"
BETAS = (0.25, 0.5, 2.0, 3.0, 4.0, 8.0)
TRAIN_IMAGES = 60_000


def _sync(device: torch.device) -> None:
    if device.type == "cuda":
        torch.cuda.synchronize()


def seed_style_epochs(epochs: int, device: torch.device) -> list[float]:
    """Seconds per epoch of the seed reports' loop (seed 002)."""
    with tempfile.TemporaryDirectory() as folder:
        # torchvision reads only extracted files; give it the originals in a folder it may write to.
        raw = Path(folder) / "MNIST" / "raw"
        raw.mkdir(parents=True)
        for name in MNIST_FILES:
            source = data_root() / "MNIST" / "raw"
            shutil.copy(next(p for p in (source / f"{name}.gz", source / name) if p.exists()), raw)
        flatten = torchvision.transforms.Compose([torchvision.transforms.ToTensor(), torchvision.transforms.Lambda(lambda x: x.view(-1))])
        dataset = torchvision.datasets.MNIST(folder, train=True, transform=flatten, download=True)
        loader = DataLoader(dataset, batch_size=128, shuffle=True)
        torch.manual_seed(0)
        model = MLPVAE(VAEConfig()).to(device)
        optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
        times = []
        for _ in range(epochs):
            _sync(device)
            started = time.perf_counter()
            for x, _ in loader:
                x = x.to(device)
                optimizer.zero_grad()
                mu, logvar = model.encode(x)
                z = mu + torch.exp(0.5 * logvar) * torch.randn_like(mu)
                recon = torch.sigmoid(model.decode_logits(z))
                loss = F.binary_cross_entropy(recon, x, reduction="sum") - 0.5 * torch.sum(1 + logvar - mu.pow(2) - logvar.exp())
                loss.backward()
                optimizer.step()
                loss.item()  # the seeds accumulate loss.item() every step
            _sync(device)
            times.append(time.perf_counter() - started)
    return times


def trainer_epoch_seconds(epochs: int, device: torch.device, data) -> float:
    """Seconds per epoch of vaebook's trainer, its per-epoch test evaluation included."""
    run = train_vae("bench", VAEConfig(epochs=epochs), PROFILES["full"], data, device, progress=False)
    return run.meta["seconds_per_epoch"]


def sweep_seconds(epochs: int, device: torch.device, data) -> dict[str, float]:
    configs = [VAEConfig(beta=beta, epochs=epochs) for beta in BETAS]
    names = [f"beta-{beta:g}" for beta in BETAS]
    started = time.perf_counter()
    for name, config in zip(names, configs):
        train_vae(name, config, PROFILES["full"], data, device, progress=False)
    _sync(device)
    sequential = time.perf_counter() - started
    started = time.perf_counter()
    train_vae_group(names, configs, PROFILES["full"], data, device, progress=False)
    _sync(device)
    return {"sequential": sequential, "batched": time.perf_counter() - started}


def markdown(result: dict) -> str:
    single, sweep = result["single_model"], result["beta_sweep"]
    return "\n".join([
        f"Device: {result['device_name']} ({result['device']}), torch {result['torch']}, {result['date']}; "
        f"{result['epochs']} epochs of the 784-400-20 VAE on 60,000 images.",
        "",
        "| run | seconds per epoch | images per second | speed-up |",
        "|---|---|---|---|",
        f"| seed-style loop (DataLoader) | {single['seed_style_epoch_s']:.2f} | {single['seed_style_images_per_s']:,.0f} | 1.00× |",
        f"| vaebook trainer | {single['trainer_epoch_s']:.2f} | {single['trainer_images_per_s']:,.0f} | {single['speedup']:.2f}× |",
        f"| β sweep of {len(BETAS)}, one after another | {sweep['sequential_epoch_s']:.2f} | — | 1.00× |",
        f"| β sweep of {len(BETAS)}, batched | {sweep['batched_epoch_s']:.2f} | — | {sweep['speedup']:.2f}× |",
        "",
    ])


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--device", choices=("cpu", "cuda"))
    parser.add_argument("--epochs", type=int, default=2, help="epochs per measurement (default 2)")
    args = parser.parse_args(argv)
    device = pick_device(args.device)
    data = load_mnist().to(device)

    print(f"bench: seed-style loop, {args.epochs} epochs", file=sys.stderr)
    seed_style = statistics.median(seed_style_epochs(args.epochs, device))
    print("bench: vaebook trainer", file=sys.stderr)
    trainer = trainer_epoch_seconds(args.epochs, device, data)
    print(f"bench: β sweep of {len(BETAS)}, sequential then batched", file=sys.stderr)
    sweep = sweep_seconds(args.epochs, device, data)

    name = device_name(device)
    result = {
        "device": device.type,
        "device_name": name,
        "torch": torch.__version__,
        "threads": torch.get_num_threads(),
        "date": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "epochs": args.epochs,
        "single_model": {
            "seed_style_epoch_s": seed_style,
            "trainer_epoch_s": trainer,
            "seed_style_images_per_s": TRAIN_IMAGES / seed_style,
            "trainer_images_per_s": TRAIN_IMAGES / trainer,
            "speedup": seed_style / trainer,
        },
        "beta_sweep": {
            "models": len(BETAS),
            "sequential_epoch_s": sweep["sequential"] / args.epochs,
            "batched_epoch_s": sweep["batched"] / args.epochs,
            "batched_over_one_model": sweep["batched"] / args.epochs / trainer,
            "speedup": sweep["sequential"] / sweep["batched"],
        },
    }
    slug = re.sub(r"[^a-z0-9]+", "-", f"{device.type}-{name}".lower()).strip("-")
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / f"{slug}.json").write_text(json.dumps(result, indent=2) + "\n")
    (RESULTS / f"{slug}.md").write_text(markdown(result))
    print(markdown(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
