"""MNIST through torchvision, checked against the real data's digests before it is trained on."""

import gzip
import shutil

import numpy as np
import pytest
import torch

from vaebook import data
from vaebook.data import DataError, load_mnist


def write_idx(path, array, compress=False):
    header = bytes([0, 0, 0x08, array.ndim]) + b"".join(int(n).to_bytes(4, "big") for n in array.shape)
    payload = header + array.astype(np.uint8).tobytes()
    path.write_bytes(gzip.compress(payload) if compress else payload)


def write_fake_mnist(root, compress=False):
    """Well-formed IDX files of the right names that are not MNIST."""
    raw = root / "MNIST" / "raw"
    raw.mkdir(parents=True)
    rng = np.random.default_rng(0)
    suffix = ".gz" if compress else ""
    for split, count in (("train", 12), ("t10k", 10)):
        write_idx(raw / f"{split}-images-idx3-ubyte{suffix}", rng.integers(0, 256, (count, 28, 28)), compress)
        write_idx(raw / f"{split}-labels-idx1-ubyte{suffix}", np.arange(count) % 10, compress)
    return raw


def test_reads_the_real_mnist_as_rows_in_zero_to_one(mnist_root):
    mnist = load_mnist(mnist_root, download=False)
    assert mnist.train_images.shape == (60_000, 784) and mnist.test_images.shape == (10_000, 784)
    assert mnist.train_images.dtype == torch.float32 and mnist.train_labels.dtype == torch.int64
    assert 0 <= mnist.train_images.min() and mnist.train_images.max() == 1
    raw = gzip.open(next((mnist_root / "MNIST" / "raw").glob("t10k-labels*gz")).__str__()).read()
    assert mnist.test_labels[:5].tolist() == list(raw[8:13])


def test_well_formed_files_that_are_not_mnist_are_refused(tmp_path):
    """Their identity is the cache key's: trained on, they would be cached as the real data."""
    write_fake_mnist(tmp_path)
    with pytest.raises(DataError, match="are not the real MNIST; delete them"):
        load_mnist(tmp_path, download=False)


def test_a_gzipped_impostor_is_refused_too(tmp_path, monkeypatch):
    write_fake_mnist(tmp_path, compress=True)
    with pytest.raises(DataError) as error:
        load_mnist(tmp_path, download=False)
    assert "\n" not in str(error.value)


def test_a_truncated_file_is_reported(tmp_path, mnist_root):
    raw = tmp_path / "MNIST" / "raw"
    shutil.copytree(mnist_root / "MNIST" / "raw", raw)
    for path in raw.glob("*.gz"):
        path.unlink()
    path = raw / "train-images-idx3-ubyte"
    path.write_bytes(path.read_bytes()[:-5])
    with pytest.raises(DataError, match="delete those files|not the real MNIST"):
        load_mnist(tmp_path, download=False)


def test_missing_files_name_the_variable_and_the_files(tmp_path):
    with pytest.raises(DataError) as error:
        load_mnist(tmp_path, download=False)
    message = str(error.value)
    assert "VAEBOOK_DATA" in message and "\n" not in message
    assert all(name in message for name in data.MNIST_FILES)


def test_a_failed_download_is_one_line_and_exit_status_2(tmp_path, monkeypatch, capsys):
    import torchvision

    from latentdigits.cli import main

    def offline(*args, **kwargs):
        raise RuntimeError("Error downloading train-images-idx3-ubyte.gz")

    monkeypatch.setattr(torchvision.datasets, "MNIST", offline)
    monkeypatch.setenv("VAEBOOK_DATA", str(tmp_path))
    monkeypatch.setenv("VAEBOOK_CACHE", str(tmp_path / "cache"))  # nothing cached: it must load data
    assert main(["train", "vae-bce", "--profile", "quick"]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert err[-1].startswith("vaebook: error: MNIST could not be read") and "VAEBOOK_DATA" in err[-1]
    assert "Traceback" not in "\n".join(err)


def test_first_of_each_digit():
    labels = torch.tensor([3, 1, 0, 1, 2, 9, 4, 5, 6, 7, 8, 0])
    assert data.first_of_each_digit(labels).tolist() == [2, 1, 4, 0, 6, 7, 8, 9, 10, 5]


def test_corruption_and_binarisation_draw_from_the_generator_they_are_given():
    images = torch.rand(4, 784, generator=torch.Generator().manual_seed(0))
    first = data.salt_and_pepper(images, 0.5, torch.Generator().manual_seed(1))
    again = data.salt_and_pepper(images, 0.5, torch.Generator().manual_seed(1))
    assert torch.equal(first, again) and 0.4 < (first != images).float().mean() < 0.6
    assert set(data.binarised_test_images(images).unique().tolist()) == {0.0, 1.0}
