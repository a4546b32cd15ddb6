"""Fixtures shared by the tests, and the environment every test runs in.

Tests train only quick-profile models, into a temporary cache: the repository's `cache/`
holds the committed full-profile entries, which no test may touch.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path
from textwrap import dedent

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
def mnist_root(repo_root: Path) -> Path:
    """A folder holding MNIST/raw/: $VAEBOOK_DATA, else the shared data folder beside the repository."""
    candidates = [Path(os.environ["VAEBOOK_DATA"])] if os.environ.get("VAEBOOK_DATA") else []
    candidates.append(repo_root.parent / "shared" / "data")
    for root in candidates:
        if _holds_mnist(root):
            return root.resolve()
    pytest.skip(
        f"no MNIST found: set VAEBOOK_DATA to a folder holding MNIST/raw/ with {', '.join(MNIST_FILES)} (raw or .gz)"
    )


MINI_BOOK = {
    "_quarto.yml": """\
        project:
          type: book
        book:
          title: Mini
          chapters:
            - index.qmd
            - part: Models
              chapters:
                - chapters/wave.qmd
          appendices:
            - chapters/notes.qmd
        bibliography: references.bib
        """,
    "references.bib": """\
        @article{kingma2014,
          title = {Auto-Encoding Variational Bayes},
          author = {Kingma, Diederik P. and Welling, Max},
          year = {2014},
        }
        """,
    "index.qmd": """\
        ---
        title: Mini
        ---

        ::: {.content-visible when-profile="en"}
        # Preface {#sec-preface}

        The wave is in @fig-wave, its mean `{python} 1 + 1`; see @sec-notes and [@kingma2014].
        :::

        ::: {.content-visible when-profile="zh"}
        # 前言 {#sec-preface}

        波形见 @fig-wave ，参见 @sec-notes 与 [@kingma2014]。
        :::
        """,
    "chapters/wave.qmd": """\
        ::: {.content-visible when-profile="en"}
        # A wave {#sec-wave}
        :::

        ::: {.content-visible when-profile="zh"}
        # 波形 {#sec-wave}
        :::

        ```{python}
        #| label: fig-wave
        #| fig-cap: "A wave"
        import os
        from pathlib import Path

        import matplotlib.pyplot as plt
        import numpy as np

        # The executor must hand the kernel the profile and the chapter's folder.
        assert os.environ["QUARTO_PROFILE"].endswith(",quick"), os.environ["QUARTO_PROFILE"]
        assert Path.cwd().name == "chapters", Path.cwd()
        x = np.linspace(0, 6, 50)
        plt.plot(x, np.sin(x));
        ```

        $$
        \\bar y = \\frac{1}{n} \\sum_i y_i
        $$ {#eq-mean}

        ::: {.content-visible when-profile="en"}
        The mean of @eq-mean is `{python} f"{np.sin(x).mean():.3f}"`.
        :::

        ::: {.content-visible when-profile="zh"}
        @eq-mean 的均值为 `{python} f"{np.sin(x).mean():.3f}"`。
        :::
        """,
    "chapters/notes.qmd": """\
        ::: {.content-visible when-profile="en"}
        # Notes {#sec-notes}

        Back to @sec-wave.
        :::

        ::: {.content-visible when-profile="zh"}
        # 附注 {#sec-notes}

        回到 @sec-wave 。
        :::
        """,
}


@pytest.fixture
def mini_book(tmp_path: Path) -> Path:
    """A throwaway two-language book that passes every check: the checks' known-good case."""
    for name, text in MINI_BOOK.items():
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(dedent(text), encoding="utf-8")
    return tmp_path


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
    """Makes `vaebook.load` train on (and `vaebook.analysis` measure) the given data, into a
    cache of this test's own."""
    from vaebook import analysis, evaluate, runner

    monkeypatch.setenv("VAEBOOK_CACHE", str(tmp_path / "cache"))

    def use(data):
        for module in (runner, analysis, evaluate):
            monkeypatch.setattr(module, "load_mnist", lambda *args, **kwargs: data)

    return use


@pytest.fixture
def use_tiny_data(use_data, tiny_data):
    use_data(tiny_data)
    return tiny_data
