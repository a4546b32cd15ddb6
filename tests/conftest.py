"""Fixtures shared by the tests, and the environment every test runs in.

Tests train only quick-profile models, into a temporary cache: the repository's `cache/`
holds the committed full-profile entries, which no test may touch.

The rendered quick book, the site serving it and a browser are session fixtures here, shared by
tests/test_render.py and tests/test_explorers.py. Quarto, pdftotext and Chromium are looked
for on this machine; where one is missing the tests that need it are skipped with the reason,
unless LATENT_DIGITS_REQUIRE_QUARTO=1 (as in CI, which installs them), where a missing tool fails.
"""

from __future__ import annotations

import functools
import http.server
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
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


# A test that asks for one of these trains models through the runner, reads the real MNIST or
# renders the book: it is marked slow, so that `make test-fast` (pytest -m "not slow") leaves it
# out. Tests that are slow for another reason carry the mark themselves.
SLOW_FIXTURES = {"use_data", "use_tiny_data", "mnist_root", "quick_book", "site", "browser"}


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if SLOW_FIXTURES & set(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.slow)


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
    """Makes the runner train on the given data, and pass them with its runs to what measures
    them, into a cache of this test's own; the book's memo of loaded runs starts empty."""
    from latentdigits import experiments
    from vaebook import runner

    monkeypatch.setenv("VAEBOOK_CACHE", str(tmp_path / "cache"))
    experiments._memo.cache_clear()

    def use(data):
        monkeypatch.setattr(runner, "load_mnist", lambda *args, **kwargs: data)

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


# --- The rendered book, served, and a browser --------------------------------------------------------

REQUIRED = os.environ.get("LATENT_DIGITS_REQUIRE_QUARTO") == "1"
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser") or shutil.which("google-chrome")
EDITIONS = ("en", "zh")


def _missing(what: str) -> None:
    message = f"{what} is not installed here (see README: Building the book)"
    if REQUIRED:
        pytest.fail(message)
    pytest.skip(message)


@pytest.fixture(scope="session")
def quick_book(mnist_root: Path, book_cache: Path) -> dict:
    """Both editions of the quick profile, rendered from the test session's own cache (the
    quick models train first): where they are, and how long each edition took."""
    from latentdigits import build
    from vaebook.errors import MissingTool

    try:
        build.find_quarto()
    except MissingTool as error:
        _missing(str(error).split(":")[0])
    if shutil.which("pdftotext") is None:
        _missing("pdftotext (Debian: poppler-utils)")
    env = os.environ | {"VAEBOOK_DATA": str(mnist_root), "VAEBOOK_CACHE": str(book_cache)}
    env.pop("VAEBOOK_PROFILE", None)  # the build sets it from the profile it renders
    seconds = {}
    for lang in EDITIONS:
        started = time.perf_counter()
        done = subprocess.run([sys.executable, "-m", "latentdigits.build", "--profile", "quick", lang], env=env,
                              capture_output=True, text=True, timeout=1800)
        assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
        seconds[lang] = time.perf_counter() - started
    print(f"\nquick book rendered: {', '.join(f'{lang} {s:.0f} s' for lang, s in seconds.items())}")
    return {"root": build.REPO_ROOT / "_book" / "quick", "seconds": seconds}


@pytest.fixture(scope="session")
def site(quick_book: dict):
    """The quick book served on localhost, as a web host would serve it."""
    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, *args):  # a test's output is no place for an access log
            pass

    handler = functools.partial(Quiet, directory=str(quick_book["root"]))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()


@pytest.fixture(scope="session")
def browser():
    if CHROMIUM is None:
        _missing("Chromium (Debian: chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM, args=[
            "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update"])
        yield launched
        launched.close()


def offline_page(browser, site: str):
    """A page whose every request off this host fails, and the list of those requests."""
    page, refused = browser.new_page(), []

    def route(request_route):
        if request_route.request.url.startswith(site):
            request_route.continue_()
        else:
            refused.append(request_route.request.url)
            request_route.abort()

    page.route("**/*", route)
    return page, refused
