"""MNIST as tensors that live on the training device.

torchvision reads (and, where they are missing, downloads) the four files; the images are
scaled to [0, 1] and flattened once, and training then draws batches by indexing these
tensors, with no per-item DataLoader and no host-to-device copy per batch. What was read is
checked against the digests of the real MNIST, because the dataset's identity is part of
every cache key: a wrong file must never be trained on under the real data's name.
"""

from __future__ import annotations

import functools
import hashlib
import os
from dataclasses import dataclass
from pathlib import Path

import torch

from .errors import DataError
from .identity import CONTENT_SHA256, MNIST_FILES
from .paths import repo_root

DATA_VARIABLE = "VAEBOOK_DATA"

@dataclass(frozen=True)
class MNIST:
    """Images as float rows of 784 pixels in [0, 1]; labels as int64."""

    train_images: torch.Tensor
    train_labels: torch.Tensor
    test_images: torch.Tensor
    test_labels: torch.Tensor

    def to(self, device) -> "MNIST":
        return MNIST(*(t.to(device) for t in (self.train_images, self.train_labels, self.test_images, self.test_labels)))

    def subset(self, train_size: int | None, test_size: int | None) -> "MNIST":
        """The first `train_size` / `test_size` images (None keeps all)."""
        return MNIST(self.train_images[:train_size], self.train_labels[:train_size],
                     self.test_images[:test_size], self.test_labels[:test_size])


def data_root() -> Path:
    """The folder holding `MNIST/raw/`: `VAEBOOK_DATA`, else the repository's `data/`."""
    return Path(os.environ.get(DATA_VARIABLE) or repo_root() / "data")


def _where_to_put_it(raw_dir: Path) -> str:
    return (f"put {', '.join(MNIST_FILES)} (or their .gz originals) in {raw_dir}, or set {DATA_VARIABLE} "
            f"to a folder that has MNIST/raw/ with them")


def _read(root: Path, train: bool, download: bool):
    import torchvision  # slow to import, and only needed when the data are read

    raw_dir = root / "MNIST" / "raw"
    try:
        return torchvision.datasets.MNIST(root, train=train, download=download)
    except Exception as error:  # missing files, a failed download, or files that are not IDX files
        reason = f"{type(error).__name__}: {error}"
        complete = raw_dir.is_dir() and all((raw_dir / name).is_file() for name in MNIST_FILES)
        if complete:
            raise DataError(f"MNIST in {raw_dir} is unreadable ({reason}); delete those files so that they are "
                            f"downloaded again") from None
        raise DataError(f"MNIST could not be read from {raw_dir} ({reason}); {_where_to_put_it(raw_dir)}") from None


def load_mnist(root: Path | None = None, *, download: bool = True) -> MNIST:
    """MNIST from `root/MNIST/raw/` (default `data_root()`), fetched by torchvision where files
    are missing when `download` is true. Read once per process (a chapter asks for it many
    times); the files' sizes and times key the copy, so a replaced file is read again."""
    root = Path(root) if root is not None else data_root()
    raw_dir = root / "MNIST" / "raw"
    stamps = tuple(sorted((p.name, p.stat().st_size, p.stat().st_mtime_ns)
                          for p in raw_dir.glob("*-ubyte*") if p.is_file())) if raw_dir.is_dir() else ()
    return _load(root, download, stamps)


@functools.lru_cache(maxsize=2)
def _load(root: Path, download: bool, stamps: tuple) -> MNIST:
    train, test = _read(root, True, download), _read(root, False, download)
    tensors = {"train_images": train.data, "train_labels": train.targets,
               "test_images": test.data, "test_labels": test.targets}
    for name, tensor in tensors.items():
        if hashlib.sha256(tensor.contiguous().numpy().tobytes()).hexdigest() != CONTENT_SHA256[name]:
            raise DataError(f"the MNIST {name.replace('_', ' ')} read from {root / 'MNIST' / 'raw'} are not the real "
                            f"MNIST's; delete the files there so that they are downloaded again")
    return MNIST(*(t.reshape(len(t), -1).float() / 255.0 if "images" in name else t for name, t in tensors.items()))


def first_of_each_digit(labels: torch.Tensor) -> torch.Tensor:
    """Indices of the first 0, the first 1, ..., the first 9: a fixed, readable probe set."""
    return torch.stack([torch.nonzero(labels == digit)[0, 0] for digit in range(10)])


def salt_and_pepper(images: torch.Tensor, rate: float, generator: torch.Generator | None = None) -> torch.Tensor:
    """`images` with a `rate` fraction of pixels, chosen independently, replaced by white (1)
    or black (0) with equal odds: course report 001's corruption."""
    hit = torch.rand(images.shape, generator=generator, device=images.device) < rate
    value = (torch.rand(images.shape, generator=generator, device=images.device) < 0.5).to(images.dtype)
    return torch.where(hit, value, images)


BINARISATION_SEED = 11  # the one binarisation of the test set that binary-data models are scored on


def binarise(images: torch.Tensor, generator: torch.Generator | None = None) -> torch.Tensor:
    """Each pixel drawn black (1) with its grey level as the probability, else white (0):
    dynamic binarisation when redrawn at every use (Burda et al. 2016)."""
    return torch.bernoulli(images, generator=generator)


def binarised_test_images(images: torch.Tensor) -> torch.Tensor:
    """The fixed binarisation of the test images that binary-data models are scored on."""
    return binarise(images, torch.Generator(device=images.device).manual_seed(BINARISATION_SEED))
