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

    def to(self, device) -> MNIST:
        tensors = (self.train_images, self.train_labels, self.test_images, self.test_labels)
        return MNIST(*(t.to(device) for t in tensors))

    def subset(self, train_size: int | None, test_size: int | None) -> MNIST:
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
        reason = f"{type(error).__name__}: {' '.join(str(error).split())}"  # one line, as every error here
        complete = raw_dir.is_dir() and all((raw_dir / name).is_file() for name in MNIST_FILES)
        if complete:
            raise DataError(f"MNIST in {raw_dir} is unreadable ({reason}); delete those files so that they are "
                            f"downloaded again") from None
        raise DataError(f"MNIST could not be read from {raw_dir} ({reason}); {_where_to_put_it(raw_dir)}") from None


def load_mnist(root: Path | None = None, *, download: bool = True) -> MNIST:
    """MNIST from `root/MNIST/raw/` (default `data_root()`), fetched by torchvision where files
    are missing when `download` is true. Read once per process (a caller may ask for it many
    times); the files' sizes and times key the copy, so a replaced file is read again."""
    root = Path(root) if root is not None else data_root()
    raw_dir = root / "MNIST" / "raw"
    stamps = tuple(sorted((p.name, p.stat().st_size, p.stat().st_mtime_ns)
                          for p in raw_dir.glob("*-ubyte*") if p.is_file())) if raw_dir.is_dir() else ()
    return _load(root, download, stamps)


# The decoded tensors, kept beside the files after a first verified read: a later process
# loads them in a tenth of a second, without importing torchvision (a second and a half of
# every `vaebook train`). Their digests are checked on every load, like a fresh read's.
DECODED = Path("processed") / "vaebook-mnist.safetensors"


def _is_mnist(tensors: dict) -> bool:
    return all(hashlib.sha256(tensors[name].contiguous().numpy().tobytes()).hexdigest() == digest
               for name, digest in CONTENT_SHA256.items())


def _decoded(root: Path) -> dict | None:
    from safetensors.torch import load_file

    try:
        tensors = load_file(root / "MNIST" / DECODED)
        return tensors if set(tensors) == set(CONTENT_SHA256) and _is_mnist(tensors) else None
    except Exception:  # absent, unreadable or torn: read the files again
        return None


def _keep_decoded(root: Path, tensors: dict) -> None:
    from safetensors.torch import save_file

    path = root / "MNIST" / DECODED
    try:
        path.parent.mkdir(exist_ok=True)
        temporary = path.with_name(f".tmp-{path.name}-{os.getpid()}")
        save_file({k: v.contiguous() for k, v in tensors.items()}, temporary)
        os.replace(temporary, path)
    except OSError:  # a read-only data folder: read the files next time, as now
        pass


@functools.lru_cache(maxsize=2)
def _load(root: Path, download: bool, stamps: tuple) -> MNIST:
    tensors = _decoded(root)
    if tensors is None:
        train, test = _read(root, True, download), _read(root, False, download)
        tensors = {"train_images": train.data, "train_labels": train.targets,
                   "test_images": test.data, "test_labels": test.targets}
        if not _is_mnist(tensors):
            raise DataError(f"the MNIST files read from {root / 'MNIST' / 'raw'} are not the real MNIST; delete "
                            f"them so that they are downloaded again")
        _keep_decoded(root, tensors)
    return MNIST(*(tensors[name].reshape(len(tensors[name]), -1).float() / 255.0 if "images" in name else tensors[name]
                   for name in ("train_images", "train_labels", "test_images", "test_labels")))


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
