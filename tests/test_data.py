import gzip

import numpy as np
import pytest
import torch

from vaebook import data
from vaebook.cli import main
from vaebook.data import DataError, load_mnist, read_idx


def write_idx(path, array, compress=False):
    header = bytes([0, 0, 0x08, array.ndim]) + b"".join(int(n).to_bytes(4, "big") for n in array.shape)
    payload = header + array.astype(np.uint8).tobytes()
    path.write_bytes(gzip.compress(payload) if compress else payload)


def write_tiny_mnist(root, compress=False):
    raw = root / "MNIST" / "raw"
    raw.mkdir(parents=True)
    rng = np.random.default_rng(0)
    suffix = ".gz" if compress else ""
    for split, count in (("train", 12), ("t10k", 10)):
        write_idx(raw / f"{split}-images-idx3-ubyte{suffix}", rng.integers(0, 256, (count, 28, 28)), compress)
        write_idx(raw / f"{split}-labels-idx1-ubyte{suffix}", np.arange(count) % 10, compress)
    return raw


def test_reads_idx_files(tmp_path):
    raw = write_tiny_mnist(tmp_path)
    mnist = load_mnist(tmp_path, download=False)
    assert mnist.train_images.shape == (12, 784) and mnist.test_images.shape == (10, 784)
    assert mnist.train_images.dtype == torch.float32 and 0 <= mnist.train_images.min() <= mnist.train_images.max() <= 1
    expected = read_idx(raw / "train-images-idx3-ubyte").reshape(12, 784) / 255
    assert np.allclose(mnist.train_images.numpy(), expected)
    assert mnist.test_labels.tolist() == list(range(10))


def test_gzipped_files_are_checked_against_the_published_md5(tmp_path):
    write_tiny_mnist(tmp_path, compress=True)
    with pytest.raises(DataError, match="does not match the MNIST original"):
        load_mnist(tmp_path, download=False)


def test_a_truncated_file_is_reported(tmp_path):
    raw = write_tiny_mnist(tmp_path)
    path = raw / "train-images-idx3-ubyte"
    path.write_bytes(path.read_bytes()[:-5])
    with pytest.raises(DataError, match="truncated"):
        load_mnist(tmp_path, download=False)


def test_missing_files_name_the_variable_and_the_files(tmp_path):
    with pytest.raises(DataError) as error:
        load_mnist(tmp_path, download=False)
    message = str(error.value)
    assert "VAEBOOK_DATA" in message and "\n" not in message
    assert all(name in message for name in data.MNIST_FILES)


def test_a_failed_download_is_one_line_and_exit_status_2(tmp_path, monkeypatch, capsys):
    import torchvision

    def offline(*args, **kwargs):
        raise RuntimeError("Error downloading train-images-idx3-ubyte.gz")

    monkeypatch.setattr(torchvision.datasets, "MNIST", offline)
    monkeypatch.setenv("VAEBOOK_DATA", str(tmp_path))
    monkeypatch.setenv("VAEBOOK_CACHE", str(tmp_path / "cache"))  # nothing cached: it must load data
    assert main(["train", "vae-bce", "--profile", "quick"]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert err[-1].startswith("vaebook: error: MNIST is not in") and "VAEBOOK_DATA" in err[-1]
    assert all(name in err[-1] for name in data.MNIST_FILES)
    assert "Traceback" not in "\n".join(err)


def test_first_of_each_digit():
    labels = torch.tensor([3, 1, 0, 1, 2, 9, 4, 5, 6, 7, 8, 0])
    assert data.first_of_each_digit(labels).tolist() == [2, 1, 4, 0, 6, 7, 8, 9, 10, 5]
