"""Where the repository, the data and the cache are."""

from __future__ import annotations

import os
from pathlib import Path

CACHE_VARIABLE = "VAEBOOK_CACHE"
CACHE_ONLY_VARIABLE = "VAEBOOK_CACHE_ONLY"


def repo_root() -> Path:
    """The checkout this package was installed from (editable install), else the working directory."""
    checkout = Path(__file__).resolve().parents[2]
    return checkout if (checkout / "pyproject.toml").is_file() else Path.cwd()


def cache_root() -> Path:
    """`VAEBOOK_CACHE`, else the repository's committed `cache/` folder."""
    return Path(os.environ.get(CACHE_VARIABLE) or repo_root() / "cache")


def cache_only() -> bool:
    """True when `VAEBOOK_CACHE_ONLY` is set (to anything but 0): a build that must read
    every result from the cache (a publishing job, a test) fails instead of computing it."""
    return os.environ.get(CACHE_ONLY_VARIABLE, "0") not in ("", "0")
