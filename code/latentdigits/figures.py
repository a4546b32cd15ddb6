"""From a figure to its code in two hops: every figure and table function of a chapter says
which library functions stand behind it (`@uses(...)`), and its caption ends with a note
(`code_note`) that names them, linked to their source when the repository is known.

A figure labelled `fig-<chapter>-<rest>` is drawn by `latentdigits.chapters.<chapter>.fig_<rest>`
(dashes become underscores); a table `tbl-...` likewise by `tbl_<rest>`. tests/test_book.py
holds every label of both editions to exactly one such function.
"""

from __future__ import annotations

import functools
import inspect
import os
import re
import subprocess
from pathlib import Path

from .text import Text, check_lang

REPO_ROOT = Path(__file__).resolve().parents[2]


def uses(*functions):
    """Records the library functions a figure or table function relies on (what draws it,
    measures it, trains what it shows), for its caption's code note."""

    def mark(function):
        function.uses = functions
        return function

    return mark


@functools.cache
def repository() -> tuple[str, str] | None:
    """(web address of the repository, commit) for links to the source: GitHub Actions' own
    variables where the book is published, else the checkout's `origin` remote when it is on
    GitHub. None when neither is known: the notes then name the functions without links."""
    if os.environ.get("GITHUB_REPOSITORY") and os.environ.get("GITHUB_SHA"):
        server = os.environ.get("GITHUB_SERVER_URL", "https://github.com")
        return f"{server}/{os.environ['GITHUB_REPOSITORY']}", os.environ["GITHUB_SHA"]
    try:
        remote = subprocess.run(["git", "-C", str(REPO_ROOT), "remote", "get-url", "origin"], capture_output=True,
                                text=True, timeout=10).stdout.strip()
        commit = subprocess.run(["git", "-C", str(REPO_ROOT), "rev-parse", "HEAD"], capture_output=True, text=True,
                                timeout=10).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return None
    match = re.match(r"^(?:https://github\.com/|git@github\.com:)([\w.-]+/[\w.-]+?)(?:\.git)?$", remote)
    return (f"https://github.com/{match[1]}", commit) if match and commit else None


def qualified_name(function) -> str:
    return f"{function.__module__}.{function.__qualname__}"


def source_link(function) -> str:
    """`module.function` in code font, linked to its lines in the repository when known."""
    name = f"`{qualified_name(function)}`"
    where = repository()
    if where is None:
        return name
    path = Path(inspect.getsourcefile(function)).resolve().relative_to(REPO_ROOT).as_posix()
    lines, first = inspect.getsourcelines(function)
    return f"[{name}]({where[0]}/blob/{where[1]}/{path}#L{first}-L{first + len(lines) - 1})"


NOTE = {"en": ("Code", "from"), "zh": ("代码", "依据")}


def code_note(function, lang: str) -> Text:
    """The caption's last sentence: the book function that made a figure or table, and the
    library functions behind it."""
    code, based_on = NOTE[check_lang(lang)]
    behind = ", ".join(source_link(f) for f in getattr(function, "uses", ()))
    separator = "：" if lang == "zh" else ": "
    return Text(f"{code}{separator}{source_link(function)}" + (f" {based_on} {behind}" if behind else "") +
                ("。" if lang == "zh" else "."))


def source_listing(function) -> Text:
    """A function's source as a Python code block: the book prints the code it ran."""
    return Text(f"```python\n{inspect.getsource(function).rstrip()}\n```")
