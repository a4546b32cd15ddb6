"""Fixtures shared by the tests, and the environment every test runs in.

Tests train only quick-profile models, into a temporary cache: the repository's `cache/`
holds the committed full-profile entries, which no test may touch.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parent.parent
MNIST_FILES = (
    "train-images-idx3-ubyte",
    "train-labels-idx1-ubyte",
    "t10k-images-idx3-ubyte",
    "t10k-labels-idx1-ubyte",
)
SESSION_ENVIRONMENT = ("VAEBOOK_CACHE", "VAEBOOK_PROFILE")
_saved_environment = pytest.StashKey[dict]()


def pytest_configure(config: pytest.Config) -> None:
    # Set before collection, so even code that reads the variables at import time sees them.
    config.stash[_saved_environment] = {name: os.environ.get(name) for name in SESSION_ENVIRONMENT}
    os.environ["VAEBOOK_CACHE"] = tempfile.mkdtemp(prefix="vaebook-test-cache-")
    os.environ["VAEBOOK_PROFILE"] = "quick"


def pytest_unconfigure(config: pytest.Config) -> None:
    shutil.rmtree(os.environ["VAEBOOK_CACHE"], ignore_errors=True)
    for name, value in config.stash[_saved_environment].items():
        if value is None:
            os.environ.pop(name, None)
        else:
            os.environ[name] = value


@pytest.fixture(scope="session")
def repo_root() -> Path:
    return REPO_ROOT


@pytest.fixture(scope="session")
def book_cache() -> Path:
    """The session's cache folder: later chapters reuse the models earlier ones trained."""
    return Path(os.environ["VAEBOOK_CACHE"])


def _holds_mnist(root: Path) -> bool:
    raw = root / "MNIST" / "raw"
    return all((raw / name).is_file() or (raw / f"{name}.gz").is_file() for name in MNIST_FILES)


@pytest.fixture(scope="session")
def mnist_root(repo_root: Path, tmp_path_factory) -> Path:
    """A writable folder holding MNIST/raw/ (torchvision unpacks .gz files beside themselves):
    a copy of $VAEBOOK_DATA, else of the shared data folder beside the repository."""
    candidates = [Path(os.environ["VAEBOOK_DATA"])] if os.environ.get("VAEBOOK_DATA") else []
    candidates.append(repo_root.parent / "shared" / "data")
    for root in candidates:
        if _holds_mnist(root):
            copy = tmp_path_factory.mktemp("mnist")
            shutil.copytree(root / "MNIST" / "raw", copy / "MNIST" / "raw")
            for path in (copy / "MNIST" / "raw").iterdir():
                path.chmod(0o644)
            (copy / "MNIST" / "raw").chmod(0o755)
            return copy
    pytest.skip(
        f"no MNIST found: set VAEBOOK_DATA to a folder holding MNIST/raw/ with {', '.join(MNIST_FILES)} (raw or .gz)"
    )


@pytest.fixture
def tiny_data():
    """A random stand-in for MNIST: 256 training and 128 test images, every digit labelled."""
    import torch

    from vaebook.data import MNIST

    generator = torch.Generator().manual_seed(0)
    return MNIST(
        torch.rand(256, 784, generator=generator),
        torch.arange(256) % 10,
        torch.rand(128, 784, generator=generator),
        torch.arange(128) % 10,
    )


@pytest.fixture
def use_data(monkeypatch, tmp_path):
    """Makes the runner train on (and `vaebook.measure` and `vaebook.evaluate` measure) the
    given data, into a cache of this test's own; the book's memo of loaded runs starts empty."""
    from latentdigits import experiments
    from vaebook import evaluate, measure, runner

    monkeypatch.setenv("VAEBOOK_CACHE", str(tmp_path / "cache"))
    experiments._memo.cache_clear()

    def use(data):
        for module in (runner, measure, evaluate):
            monkeypatch.setattr(module, "load_mnist", lambda *args, **kwargs: data)

    yield use
    experiments._memo.cache_clear()


@pytest.fixture
def use_tiny_data(use_data, tiny_data):
    use_data(tiny_data)
    return tiny_data


def stored_items(kind: str | None = None) -> list:
    """What the test's cache holds (`vaebook.cache.scan`), of one kind or all."""
    from vaebook import cache
    from vaebook.config import PROFILES
    from vaebook.paths import cache_root

    return [item for item in cache.scan(cache_root(), PROFILES) if kind is None or item.kind == kind]
