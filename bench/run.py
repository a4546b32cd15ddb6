"""Training speed on this machine, as a user meets it and against what the machine can do.

    python bench/run.py [--device cpu|cuda] [--epochs N]

Measures, for the 784-400-20 VAE of the book:
- the whole process of training N epochs (start-up, data and the per-epoch test pass
  included), the course reports' way (bench/course_loop.py: torchvision `ToTensor`, a
  `DataLoader` of 128, a copy per batch) and the book's (`vaebook train vae-bce`), and the
  seconds per epoch of each;
- the practical limit: the FLOP/s of a large matrix multiply on the same device, in the same
  run; and the book's trainer's achieved FLOP/s (its FLOPs per epoch, counted by PyTorch's
  FlopCounterMode, over its seconds per epoch) as a share of that limit;
- one step of the GAN and of the VAE-GAN, per step and against their FLOPs;
- a β sweep of six models trained as one batched model against one after another.
Writes bench/results/<device>-<name>.json and .md.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import datetime, timezone
from pathlib import Path

import torch
from torch.utils.flop_counter import FlopCounterMode

from vaebook.adversarial import gan_step, network_parameters, vaegan_step
from vaebook.config import ADAM_BETAS, PROFILES, GANConfig, VAEConfig, VAEGANConfig
from vaebook.data import data_root, load_mnist
from vaebook.device import device_name, pick_device
from vaebook.identity import MNIST_FILES
from vaebook.losses import bce_recon, gaussian_kl
from vaebook.metrics import EVAL_BATCH
from vaebook.models import GAN, MLPVAE, VAEGAN
from vaebook.train import VAETrainer, fit, train_vae_group

HERE = Path(__file__).resolve().parent
RESULTS = HERE / "results"
BETAS = (0.25, 0.5, 2.0, 3.0, 4.0, 8.0)
TRAIN_IMAGES, TEST_IMAGES = 60_000, 10_000


def _sync(device: torch.device) -> None:
    if device.type == "cuda":
        torch.cuda.synchronize()


def matmul_limit(device: torch.device, n: int = 2048, repeats: int = 10) -> float:
    """FLOP/s of an n x n float32 matrix multiply, the best of `repeats`: what the device's
    BLAS reaches on a product large enough to hide every overhead."""
    a, b = torch.randn(n, n, device=device), torch.randn(n, n, device=device)
    for _ in range(3):
        a @ b
    best = float("inf")
    for _ in range(repeats):
        _sync(device)
        started = time.perf_counter()
        a @ b
        _sync(device)
        best = min(best, time.perf_counter() - started)
    return 2 * n**3 / best


def _writable_mnist(folder: Path) -> Path:
    """A copy of MNIST's raw files in a folder torchvision may unpack them in."""
    raw = folder / "MNIST" / "raw"
    raw.mkdir(parents=True)
    source = data_root() / "MNIST" / "raw"
    for name in MNIST_FILES:
        shutil.copy(next(p for p in (source / f"{name}.gz", source / name) if p.exists()), raw)
    return folder


def whole_process(command: list[str], env: dict) -> tuple[float, str]:
    started = time.perf_counter()
    done = subprocess.run(command, env=env, capture_output=True, text=True, check=True)
    return time.perf_counter() - started, done.stdout


def course_loop(epochs: int, device: torch.device) -> dict:
    with tempfile.TemporaryDirectory() as folder:
        seconds, out = whole_process([sys.executable, str(HERE / "course_loop.py"), "--data",
                                      str(_writable_mnist(Path(folder))), "--epochs", str(epochs), "--device",
                                      device.type], os.environ.copy())
    return {"process_s": seconds, "epoch_s": statistics.median(json.loads(out)["epoch_seconds"])}


def book_trainer(epochs: int, device: torch.device) -> dict:
    """`vaebook train vae-bce` as a user runs it, into a cache of its own (a second run in a
    fresh cache, so that MNIST's decoded copy exists, as it does after a first use)."""
    with tempfile.TemporaryDirectory() as folder:
        env = os.environ | {"VAEBOOK_CACHE": folder}
        command = [sys.executable, "-m", "latentdigits", "train", "vae-bce", "--epochs", str(epochs), "--force",
                   "--profile", "full", "--device", device.type]
        whole_process(command, env)  # also writes MNIST's decoded copy where it can
        seconds, _ = whole_process(command, env)
        entry = next(Path(folder, "full").glob("vae-bce-*/entry.json"))
        return {"process_s": seconds, "epoch_s": json.loads(entry.read_text())["meta"]["seconds_per_epoch"]}


def vae_epoch_flops(device: torch.device) -> float:
    """FLOPs of one epoch of the book's trainer: the training steps and the test pass."""
    config = VAEConfig()
    model = MLPVAE(config).to(device)
    x = torch.rand(config.batch_size, 784, device=device)
    eps = torch.randn(config.batch_size, config.latent_dim, device=device)
    with FlopCounterMode(display=False) as counter:
        logits, mu, logvar = model(x, eps)
        (bce_recon(logits, x) + gaussian_kl(mu, logvar)).mean().backward()
    step = counter.get_total_flops()
    with FlopCounterMode(display=False) as counter, torch.no_grad():
        model(torch.rand(EVAL_BATCH, 784, device=device), torch.randn(EVAL_BATCH, config.latent_dim, device=device))
    test_batch = counter.get_total_flops()
    return step * -(-TRAIN_IMAGES // config.batch_size) + test_batch * TEST_IMAGES / EVAL_BATCH


def adversarial_steps(device: torch.device, images: torch.Tensor, steps: int = 40) -> dict:
    """Seconds and FLOPs of one step of the GAN and of the VAE-GAN on real digits."""
    results = {}
    torch.manual_seed(0)
    gan_config, vaegan_config = GANConfig(), VAEGANConfig()
    gan = GAN(gan_config).to(device).train()
    adam = dict(betas=ADAM_BETAS, fused=True)
    d_opt = torch.optim.Adam(gan.discriminator.parameters(), lr=gan_config.lr, **adam)
    g_opt = torch.optim.Adam(gan.generator.parameters(), lr=gan_config.lr, **adam)
    vaegan = VAEGAN(vaegan_config).to(device).train()
    optimizers = {k: torch.optim.Adam(p, lr=vaegan_config.lr, **adam) for k, p in network_parameters(vaegan).items()}

    def gan_once(i):
        real = images[i * 64 : (i + 1) * 64] * 2 - 1
        gan_step(gan, real, torch.randn(64, gan_config.noise_dim, device=device), d_opt, g_opt)

    def vaegan_once(i):
        x = images[i * 128 : (i + 1) * 128]
        eps, z = torch.randn(2, 128, vaegan_config.latent_dim, device=device)
        vaegan_step(vaegan, x, eps, z, vaegan_config.gamma, optimizers)

    for name, step in (("gan", gan_once), ("vaegan", vaegan_once)):
        for i in range(5):
            step(i)
        times = []
        for i in range(steps):
            _sync(device)
            started = time.perf_counter()
            step(i)
            _sync(device)
            times.append(time.perf_counter() - started)
        with FlopCounterMode(display=False) as counter:
            step(0)
        results[name] = {"step_s": statistics.median(times), "step_flops": counter.get_total_flops()}
    return results


def sweep_seconds(epochs: int, device: torch.device, data) -> dict[str, float]:
    configs = [VAEConfig(beta=beta, epochs=epochs) for beta in BETAS]
    names = [f"beta-{beta:g}" for beta in BETAS]
    started = time.perf_counter()
    for name, config in zip(names, configs):
        fit(VAETrainer, name, config, MLPVAE, PROFILES["full"], data, device, progress=False)
    _sync(device)
    sequential = time.perf_counter() - started
    started = time.perf_counter()
    train_vae_group(names, configs, MLPVAE, PROFILES["full"], data, device, progress=False)
    _sync(device)
    return {"sequential": sequential, "batched": time.perf_counter() - started}


def markdown(result: dict) -> str:
    course, book, limit = result["course_loop"], result["book_trainer"], result["matmul_gflops"]
    adversarial, sweep = result["adversarial"], result["beta_sweep"]
    rows = [
        f"Device: {result['device_name']} ({result['device']}, {result['threads']} threads), torch {result['torch']}, "
        f"{result['date']}; {result['epochs']} epochs of the 784-400-20 VAE on 60,000 images.",
        "",
        "| | course reports' loop | vaebook | speed-up |",
        "|---|---|---|---|",
        f"| whole process, {result['epochs']} epochs (s) | {course['process_s']:.1f} | {book['process_s']:.1f} | "
        f"{course['process_s'] / book['process_s']:.2f}× |",
        f"| seconds per epoch (test pass included) | {course['epoch_s']:.2f} | {book['epoch_s']:.2f} | "
        f"{course['epoch_s'] / book['epoch_s']:.2f}× |",
        "",
        f"Practical limit (a 2048 × 2048 matrix multiply): {limit:.0f} GFLOP/s. The trainer does "
        f"{book['epoch_gflop']:.0f} GFLOP an epoch, {book['achieved_gflops']:.0f} GFLOP/s: "
        f"{book['share_of_limit']:.0%} of the limit, an epoch {1 / book['share_of_limit']:.2f} times what the limit "
        f"would take.",
        "",
        "| step | seconds | GFLOP | GFLOP/s | share of the limit |",
        "|---|---|---|---|---|",
        *(f"| {name} | {a['step_s']:.4f} | {a['step_flops'] / 1e9:.2f} | {a['step_flops'] / 1e9 / a['step_s']:.0f} | "
          f"{a['step_flops'] / 1e9 / a['step_s'] / limit:.0%} |" for name, a in adversarial.items()),
        "",
        f"β sweep of {len(BETAS)} models: {sweep['sequential_epoch_s']:.2f} s per epoch one after another, "
        f"{sweep['batched_epoch_s']:.2f} s batched ({sweep['speedup']:.2f}×; "
        f"{sweep['batched_over_one_model']:.2f} times one model's epoch).",
        "",
    ]
    return "\n".join(rows)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--device", choices=("cpu", "cuda"))
    parser.add_argument("--epochs", type=int, default=2, help="epochs per measurement (default 2)")
    args = parser.parse_args(argv)
    device = pick_device(args.device)
    data = load_mnist().to(device)

    print("bench: the practical limit", file=sys.stderr)
    limit = matmul_limit(device) / 1e9
    print(f"bench: the course reports' loop, {args.epochs} epochs, as a process", file=sys.stderr)
    course = course_loop(args.epochs, device)
    print(f"bench: vaebook train, {args.epochs} epochs, as a process", file=sys.stderr)
    book = book_trainer(args.epochs, device)
    epoch_gflop = vae_epoch_flops(device) / 1e9
    book |= {"epoch_gflop": epoch_gflop, "achieved_gflops": epoch_gflop / book["epoch_s"],
             "share_of_limit": epoch_gflop / book["epoch_s"] / limit}
    print("bench: GAN and VAE-GAN steps", file=sys.stderr)
    adversarial = adversarial_steps(device, data.train_images)
    print(f"bench: β sweep of {len(BETAS)}, sequential then batched", file=sys.stderr)
    sweep = sweep_seconds(args.epochs, device, data)

    name = device_name(device)
    result = {
        "device": device.type, "device_name": name, "torch": torch.__version__, "threads": torch.get_num_threads(),
        "date": datetime.now(timezone.utc).isoformat(timespec="seconds"), "epochs": args.epochs,
        "matmul_gflops": limit, "course_loop": course, "book_trainer": book, "adversarial": adversarial,
        "beta_sweep": {
            "models": len(BETAS),
            "sequential_epoch_s": sweep["sequential"] / args.epochs,
            "batched_epoch_s": sweep["batched"] / args.epochs,
            "batched_over_one_model": sweep["batched"] / args.epochs / book["epoch_s"],
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
