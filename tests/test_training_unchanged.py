"""Training makes, bit for bit, what it made when the fixture was written.

A cache key holds a family's code version, not the source: a change to the training code
that alters what a run produces must bump the version, and one that does not (a refactor)
must leave every run as it was. This test retrains short configurations of every family,
and the batched sweep, on a small synthetic slice with fixed seeds and one thread, and
compares the SHA-256 of every weight and artefact tensor and the full histories with
`fixtures/training.json`.

The fixture was written by this file's `__main__` with the code before the training loop
was written once (`python tests/test_training_unchanged.py`). Floating-point kernels differ
between PyTorch releases and CPU instruction sets, so the test runs only where both match
those the fixture was written with, and says so where they do not; regenerate the fixture
there from a commit whose results are known good, never from a change under test.
"""

from __future__ import annotations

import hashlib
import json
import sys
from dataclasses import replace
from pathlib import Path

import pytest
import torch

from vaebook import config as cfg
from vaebook.data import MNIST
from vaebook.families import family_of
from vaebook.train import fit

FIXTURE = Path(__file__).parent / "fixtures" / "training.json"
THREADS = 1  # a reduction split over threads sums in another order

MLP = cfg.VAEConfig(hidden_dim=32, latent_dim=4, batch_size=64, epochs=2)
NOISY = cfg.NoisyVAEConfig(hidden_dim=32, latent_dim=4, batch_size=64, epochs=2)
SINGLE = {
    "vae-bce": MLP,
    "vae-mse": replace(MLP, recon_loss="mse"),
    "vae-kl-only": replace(MLP, recon_loss="none"),
    "vae-softmax-ce": replace(MLP, recon_loss="softmax-ce", beta=2.0),
    "noisy-vae": replace(NOISY, noise_rate=0.2),
    "denoising-vae": replace(NOISY, noise_rate=0.2, target="clean"),
    "binary-vae": cfg.BinaryVAEConfig(hidden_dim=32, latent_dim=4, batch_size=64, epochs=2),
    "tanh-vae": cfg.TanhVAEConfig(hidden_dim=32, latent_dim=4, batch_size=64, epochs=2),
    "ae": cfg.AEConfig(hidden_dim=32, latent_dim=4, batch_size=64, epochs=2),
    "conv-vae": cfg.ConvVAEConfig(channels=4, latent_dim=3, batch_size=64, epochs=2),
    "small-conv-vae": cfg.SmallConvVAEConfig(latent_dim=3, beta=2.0, batch_size=64, epochs=2),
    # 100 images in batches of 64: a ragged last batch, which the GANs drop.
    "gan": cfg.GANConfig(noise_dim=16, batch_size=64, epochs=2),
    "gelu-gan": cfg.GELUGANConfig(noise_dim=16, batch_size=64, epochs=2),
    "vaegan": cfg.VAEGANConfig(hidden_dim=32, latent_dim=4, batch_size=64, epochs=2),
    "classifier": cfg.ClassifierConfig(channels=4, features=16, batch_size=64, epochs=2),
}
GROUPS = {
    "beta-sweep": {"beta-0.5": replace(MLP, beta=0.5), "beta-4": replace(MLP, beta=4.0),
                   "seed-3": replace(MLP, seed=3)},
    "noise-sweep": {"noise-0.1": replace(NOISY, noise_rate=0.1), "noise-0.8-clean": replace(NOISY, noise_rate=0.8,
                                                                                             target="clean")},
}
# What a run records that is not a result of training: its clock and its machine.
UNSTABLE_META = ("train_seconds", "seconds_per_epoch", "created", "device", "device_name", "python", "torch",
                 "torchvision", "numpy", "platform", "threads")


def slice_of_digits() -> MNIST:
    """A stand-in for MNIST that needs no files: 100 training and 60 test images, every digit
    labelled, with a ragged last batch of the training set."""
    generator = torch.Generator().manual_seed(0)
    return MNIST(torch.rand(100, 784, generator=generator), torch.arange(100) % 10,
                 torch.rand(60, 784, generator=generator), torch.arange(60) % 10)


def _digest(tensor: torch.Tensor) -> str:
    tensor = tensor.detach().cpu().contiguous()
    shape = "x".join(map(str, tensor.shape))
    return f"{tensor.dtype} {shape} {hashlib.sha256(tensor.numpy().tobytes()).hexdigest()}"


def _summary(run) -> dict:
    return {
        "history": run.history,
        "metrics": run.metrics,
        "meta": {k: v for k, v in run.meta.items() if k not in UNSTABLE_META},
        "weights": {k: _digest(v) for k, v in sorted(run.weights.items())},
        "artefacts": {k: _digest(v) for k, v in sorted(run.artefacts.items())},
    }


def _train_one(name: str, config, profile, data: MNIST, device: torch.device):
    family = family_of(config)
    return fit(family.trainer, name, config, family.network, profile, data, device, progress=False)


def _train_group(names: list[str], configs: list, profile, data: MNIST, device: torch.device):
    family = family_of(configs[0])
    return family.group_trainer(names, configs, family.network, profile, data, device, progress=False)


def train_everything() -> dict:
    """The summary of every run of `SINGLE` and `GROUPS`, trained on one thread on the CPU."""
    threads = torch.get_num_threads()
    torch.set_num_threads(THREADS)
    try:
        data, device, profile = slice_of_digits(), torch.device("cpu"), cfg.PROFILES["quick"]
        runs = {name: _summary(_train_one(name, config, profile, data, device)) for name, config in SINGLE.items()}
        for members in GROUPS.values():
            trained = _train_group(list(members), list(members.values()), profile, data, device)
            runs |= {run.name: _summary(run) for run in trained}
        return runs
    finally:
        torch.set_num_threads(threads)


def _machine() -> dict:
    return {"torch": torch.__version__, "cpu_capability": torch.backends.cpu.get_cpu_capability()}


@pytest.mark.slow
def test_every_family_trains_exactly_as_before():
    expected = json.loads(FIXTURE.read_text())
    if expected["machine"] != _machine():
        pytest.skip(f"the fixture was written with {expected['machine']}, this is {_machine()}: "
                    f"their floating-point kernels may round differently")
    runs = train_everything()
    assert runs.keys() == expected["runs"].keys()
    for name, summary in runs.items():
        for part, value in summary.items():
            assert value == expected["runs"][name][part], f"{name}: its {part} changed"


if __name__ == "__main__":
    FIXTURE.parent.mkdir(exist_ok=True)
    FIXTURE.write_text(json.dumps({"machine": _machine(), "runs": train_everything()}, indent=1) + "\n")
    print(f"wrote {FIXTURE}", file=sys.stderr)
