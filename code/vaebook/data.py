"""MNIST as tensors that live on the training device.

The four IDX files are read once (gzipped or not), scaled to [0, 1] and flattened; training
then draws batches by indexing these tensors, with no per-item DataLoader and no
host-to-device copy per batch. Missing files are downloaded through torchvision.
"""

from __future__ import annotations

import functools
import gzip
import hashlib
import os
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import torch

from .errors import DataError
from .paths import repo_root

DATA_VARIABLE = "VAEBOOK_DATA"

# The canonical files and their MD5 sums, as torchvision publishes them. They identify the
# dataset in every cache key, so a key is known without reading the data.
MNIST_FILES = {
    "train-images-idx3-ubyte": "f68b3c2dcbeaaa9fbdd348bbdeb94873",
    "train-labels-idx1-ubyte": "d53e105ee54ea40749a09fcbcd1e9432",
    "t10k-images-idx3-ubyte": "9fb629c4189551a2d022fa330f9573f3",
    "t10k-labels-idx1-ubyte": "ec29112dd5afa0611ce80d1b7f02629c",
}
DATASET_ID = "mnist:" + ",".join(MNIST_FILES.values())

_IDX_DTYPE = {0x08: np.uint8}


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
        return MNIST(
            self.train_images[:train_size],
            self.train_labels[:train_size],
            self.test_images[:test_size],
            self.test_labels[:test_size],
        )


def data_root() -> Path:
    """The folder holding `MNIST/raw/`: `VAEBOOK_DATA`, else the repository's `data/`."""
    return Path(os.environ.get(DATA_VARIABLE) or repo_root() / "data")


def read_idx(path: Path) -> np.ndarray:
    """An IDX file (http://yann.lecun.com/exdb/mnist/) as a numpy array; `.gz` is read transparently."""
    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, "rb") as f:
        raw = f.read()
    if len(raw) < 4 or raw[0] != 0 or raw[1] != 0 or raw[2] not in _IDX_DTYPE:
        raise DataError(f"{path} is not an unsigned-byte IDX file; delete it so that it is downloaded again")
    ndim = raw[3]
    shape = tuple(int.from_bytes(raw[4 + 4 * i : 8 + 4 * i], "big") for i in range(ndim))
    body = np.frombuffer(raw, dtype=np.uint8, offset=4 + 4 * ndim)
    if body.size != int(np.prod(shape)):
        raise DataError(f"{path} is truncated ({body.size} values for shape {shape}); delete it so that it is downloaded again")
    return body.reshape(shape)


def _find(raw_dir: Path, name: str) -> Path | None:
    for candidate in (raw_dir / name, raw_dir / f"{name}.gz"):
        if candidate.is_file():
            return candidate
    return None


def _check_md5(path: Path, name: str) -> None:
    # Only the gzipped originals have published sums; extracted files are trusted as torchvision does.
    if path.suffix == ".gz" and hashlib.md5(path.read_bytes()).hexdigest() != MNIST_FILES[name]:
        raise DataError(f"{path} does not match the MNIST original (MD5 differs); delete it so that it is downloaded again")


def _download(root: Path) -> None:
    import torchvision  # imported here: it is slow to import and only needed once

    try:
        for train in (True, False):
            torchvision.datasets.MNIST(root, train=train, download=True)
    except Exception as error:  # network errors come in many types; each means the same here
        names = ", ".join(MNIST_FILES)
        raise DataError(
            f"MNIST is not in {root / 'MNIST' / 'raw'} and could not be downloaded ({type(error).__name__}); "
            f"put {names} (or their .gz) there, or set {DATA_VARIABLE} to a folder that has MNIST/raw/ with them"
        ) from None


def load_mnist(root: Path | None = None, *, download: bool = True) -> MNIST:
    """MNIST from `root/MNIST/raw/`, downloading what is missing when `download` is true.
    Read once per process: a chapter asks for it many times, and the gzipped originals take
    half a second to inflate. The files' sizes and times key the copy, so a replaced file is read again."""
    root = Path(root) if root is not None else data_root()
    raw_dir = root / "MNIST" / "raw"
    if download and any(_find(raw_dir, name) is None for name in MNIST_FILES):
        _download(root)
    files = []
    for name in MNIST_FILES:
        path = _find(raw_dir, name)
        if path is None:
            raise DataError(
                f"MNIST file {name} is missing from {raw_dir}; put {', '.join(MNIST_FILES)} (or their .gz) there, "
                f"or set {DATA_VARIABLE} to a folder that has MNIST/raw/ with them"
            )
        stat = path.stat()
        files.append((name, path, stat.st_size, stat.st_mtime_ns))
    return _read_mnist(tuple(files))


@functools.lru_cache(maxsize=2)
def _read_mnist(files: tuple) -> MNIST:
    arrays = {}
    for name, path, _, _ in files:
        _check_md5(path, name)
        arrays[name] = read_idx(path)
    raw_dir = files[0][1].parent
    images = {split: torch.from_numpy(arrays[f"{split}-images-idx3-ubyte"].reshape(-1, 28 * 28).astype(np.float32) / 255.0)
              for split in ("train", "t10k")}
    labels = {split: torch.from_numpy(arrays[f"{split}-labels-idx1-ubyte"].astype(np.int64)) for split in ("train", "t10k")}
    for split in images:
        if len(images[split]) != len(labels[split]):
            raise DataError(f"MNIST {split} images and labels differ in count; delete the files in {raw_dir} to download them again")
    return MNIST(images["train"], labels["train"], images["t10k"], labels["t10k"])


def first_of_each_digit(labels: torch.Tensor) -> torch.Tensor:
    """Indices of the first 0, the first 1, ..., the first 9: a fixed, readable probe set."""
    return torch.stack([torch.nonzero(labels == digit)[0, 0] for digit in range(10)])


def salt_and_pepper(images: torch.Tensor, rate: float, generator: torch.Generator | None = None) -> torch.Tensor:
    """`images` with a `rate` fraction of pixels, chosen independently, replaced by white (1)
    or black (0) with equal odds: seed 001's corruption."""
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
