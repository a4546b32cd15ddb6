"""Execute every book file's cells in a Jupyter kernel, once per language, as Quarto would.

Each file becomes a notebook (its ```{python} cells, and its inline expressions as cells of
their own) run by nbclient in a fresh `python3` kernel started in the file's folder, with the
quick profile and the session's shared cache, so later chapters reuse earlier chapters' models.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError, CellTimeoutError, DeadKernelError

import bookcheck
from bookcheck import LANGS

REPO_ROOT = Path(__file__).resolve().parent.parent
CELL_TIMEOUT_S = 600
IMAGE_TYPES = ("image/png", "image/svg+xml")
TEXT_TYPES = ("text/plain", "text/markdown")
ERROR_LINES_SHOWN = 15
QUARTO_KERNEL_SETUP = "%matplotlib inline"
ANSI_ESCAPE = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")


def kernel_environment(lang: str, cache: Path, data: Path, profile: str = "quick") -> dict[str, str]:
    env = os.environ | {
        "VAEBOOK_PROFILE": profile,
        "QUARTO_PROFILE": f"{lang},{profile}",
        "VAEBOOK_CACHE": str(cache),
        "VAEBOOK_DATA": str(data),
    }
    # Figures must come back as images, which only the kernel's own inline backend gives.
    env.pop("MPLBACKEND", None)
    return env


def cell_name(cell: nbformat.NotebookNode, index: int) -> str:
    label = cell.metadata.get("options", {}).get("label")
    kind = "inline expression" if cell.metadata.get("inline") else "cell"
    return f"line {cell.metadata['line']}: {kind} {label or f'#{index}'}"


def error_tail(cell: nbformat.NotebookNode, error: Exception) -> str:
    tracebacks = ["\n".join(output.traceback) for output in cell.outputs if output.output_type == "error"]
    text = ANSI_ESCAPE.sub("", tracebacks[-1] if tracebacks else str(error))
    return "\n".join(text.splitlines()[-ERROR_LINES_SHOWN:])


def execute(notebook: nbformat.NotebookNode, folder: Path, env: dict[str, str]) -> str | None:
    """Run `notebook`'s cells in order in a kernel started in `folder` with `env`: the first failure, or None."""
    client = NotebookClient(
        notebook, kernel_name="python3", timeout=CELL_TIMEOUT_S, resources={"metadata": {"path": str(folder)}}
    )
    # nbclient hands these keyword arguments to the kernel manager's start_kernel.
    with client.setup_kernel(env=env):
        for index, cell in enumerate(notebook.cells):
            try:
                client.execute_cell(cell, index)
            except (CellExecutionError, CellTimeoutError, DeadKernelError) as error:
                return f"{cell_name(cell, index)} failed:\n{error_tail(cell, error)}"
    return None


def has_data(cell: nbformat.NotebookNode, mime_types: tuple[str, ...]) -> bool:
    return any(mime in output.get("data", {}) for output in cell.outputs for mime in mime_types)


def missing_outputs(notebook: nbformat.NotebookNode) -> list[str]:
    """Figure cells without an image, table cells without output, inline expressions without a value."""
    problems = []
    for index, cell in enumerate(notebook.cells):
        label = str(cell.metadata.get("options", {}).get("label") or cell.metadata.get("crossref", ""))
        if "skip-execution" in cell.metadata.get("tags", []):
            continue
        if label.startswith("fig-") and not has_data(cell, IMAGE_TYPES):
            problems.append(f"{cell_name(cell, index)} shows no image")
        elif label.startswith("tbl-") and not cell.outputs:
            problems.append(f"{cell_name(cell, index)} shows nothing")
        elif cell.metadata.get("inline") and not has_data(cell, TEXT_TYPES):
            problems.append(f"{cell_name(cell, index)} `{cell.source}` has no value")
    return problems


def run_problems(path: Path, env: dict[str, str]) -> list[str]:
    notebook = bookcheck.to_notebook(path)
    # Quarto starts every kernel this way before the first cell (which thus counts from #1).
    notebook.cells.insert(0, nbformat.v4.new_code_cell(QUARTO_KERNEL_SETUP, metadata={"line": 0}))
    failure = execute(notebook, path.parent, env)
    return [failure] if failure else missing_outputs(notebook)


def book_runs() -> list:
    if not (REPO_ROOT / "_quarto.yml").is_file():
        return []  # test_book reports the missing book; nothing to execute here
    return [
        pytest.param(path, lang, id=f"{path.stem}-{lang}")
        for path in bookcheck.book_files(REPO_ROOT)
        for lang in LANGS
    ]


@pytest.mark.parametrize(("path", "lang"), book_runs())
def test_book_file_executes(path: Path, lang: str, mnist_root: Path, book_cache: Path) -> None:
    problems = run_problems(path, kernel_environment(lang, book_cache, mnist_root))
    where = f"{path.relative_to(REPO_ROOT)} [{lang}]"
    assert not problems, "\n".join(f"{where} {problem}" for problem in problems)


@pytest.mark.parametrize("path", bookcheck.book_files(REPO_ROOT) if (REPO_ROOT / "_quarto.yml").is_file()
                         else [], ids=lambda p: p.stem)
def test_book_file_renders_warm_from_the_committed_cache(path: Path, tmp_path: Path) -> None:
    """The published build: the full profile read from the committed cache, with nothing
    trained, no analysis (t-SNE included) recomputed and no MNIST to read. A cell that would
    compute raises NotCached, which names what to train or render. Quarto executes the cells
    of both languages in every edition, so one run covers both."""
    env = kernel_environment("en", REPO_ROOT / "cache", tmp_path / "no-data", profile="full")
    problems = run_problems(path, env | {"VAEBOOK_CACHE_ONLY": "1"})
    assert not problems, "\n".join(f"{path.relative_to(REPO_ROOT)} [full, warm] {problem}" for problem in problems)


# --- The executor on a throwaway book -----------------------------------------------------


def test_mini_book_executes(mini_book: Path, tmp_path: Path) -> None:
    env = kernel_environment("zh", tmp_path / "cache", tmp_path / "data")
    assert run_problems(mini_book / "chapters" / "wave.qmd", env) == []


def test_a_raising_cell_fails(tmp_path: Path) -> None:
    path = tmp_path / "broken.qmd"
    path.write_text(
        "```{python}\n#| label: tbl-ok\nprint('fine')\n```\n\n"
        "```{python}\n#| label: fig-boom\nraise ValueError('no such model')\n```\n"
    )
    problems = run_problems(path, kernel_environment("en", tmp_path, tmp_path))
    assert len(problems) == 1
    assert problems[0].startswith("line 6: cell fig-boom failed:")
    assert "ValueError: no such model" in problems[0]


def test_missing_figure_table_and_value_fail(tmp_path: Path) -> None:
    path = tmp_path / "empty.qmd"
    path.write_text(
        "```{python}\n#| label: fig-blank\nx = None\n```\n\n"
        "```{python}\n#| label: tbl-blank\ny = 1\n```\n\n"
        "Value: `{python} x`.\n"
    )
    problems = run_problems(path, kernel_environment("en", tmp_path, tmp_path))
    assert problems == [
        "line 1: cell fig-blank shows no image",
        "line 6: cell tbl-blank shows nothing",
        "line 11: inline expression #3 `x` has no value",
    ]
