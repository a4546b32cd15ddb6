"""Renders the book's editions with Quarto, each chapter executed once per edition.

    python -m latentdigits.build [--profile full|quick] [--to html|pdf|both] [LANG ...] [-- FILE ...]

Quarto executes a chapter's cells once per output format: an edition's HTML pages and its PDF
would run every chapter twice. So an edition is rendered in two passes. The HTML pass executes
each chapter, and Quarto keeps what the execution produced in its hidden freezer
(`.quarto/_freeze/<chapter>/execute-results/html.json`, figures beside it). Those results are
then offered to the PDF pass under the name it looks for (`typ.json`), and the PDF pass runs
with `--use-freezer`, which takes them instead of executing. This is sound because the cells'
outputs do not depend on the format (the figures are PNG in both, `_quarto.yml` says so) and
because the HTML pass has just executed every chapter the PDF pass reads. Nothing is kept
for a later build: `execute: freeze: false`.

Quarto is looked for on PATH, then in the project's own install (`.tools/quarto/bin/quarto`,
made by `../shared/tools/quarto/install.sh .tools/quarto` where that exists), then in the
virtual environment (the `quarto-cli` package from PyPI, which `make book` installs when
there is no Quarto at all).
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

from vaebook.errors import MissingTool

from . import claims
from .figures import REPO_ROOT
from .text import LANGS

FREEZER = REPO_ROOT / ".quarto" / "_freeze"
LOCAL_QUARTO = REPO_ROOT / ".tools" / "quarto" / "bin" / "quarto"


def find_quarto() -> str:
    """The Quarto command to run, or MissingTool saying how to get one."""
    candidates = [shutil.which("quarto"), LOCAL_QUARTO, Path(sys.executable).with_name("quarto")]
    for candidate in candidates:
        if candidate and Path(candidate).is_file() and os.access(candidate, os.X_OK):
            return str(candidate)
    raise MissingTool("Quarto (>= 1.9) is not installed: install it from https://quarto.org, or run "
                      "`make book`, which installs the quarto-cli package from PyPI into .venv")


def output_dir(lang: str, profile: str) -> Path:
    return REPO_ROOT / "_book" / (lang if profile == "full" else f"{profile}/{lang}")


def _quarto(quarto: str, args: list[str], log, claims_mode: str = "mark") -> None:
    environment = os.environ | {"QUARTO_PYTHON": os.environ.get("QUARTO_PYTHON", sys.executable),
                                claims.MODE_VARIABLE: claims_mode}
    log.write(f"$ quarto render {' '.join(args)}\n")
    log.flush()
    result = subprocess.run([quarto, "render", *args], cwd=REPO_ROOT, env=environment, stdout=log,
                            stderr=subprocess.STDOUT)
    if result.returncode != 0:
        text = Path(log.name).read_text(errors="replace")
        tail = text.splitlines()[-25:]
        # A false claim of a strict build: its id, evidence and sentence, whatever Quarto printed after them.
        plain = re.sub(r"\x1b\[[0-9;]*m", "", text)
        failed = re.findall(r"claim c-[\w-]+ does not hold: .*|at \S+\.qmd:\d+: .*", plain)
        reason = "\n".join(dict.fromkeys(failed)) + "\n" if failed else ""
        raise SystemExit("\n".join(tail) + f"\n{reason}build: quarto render {' '.join(args)} failed "
                         f"(exit {result.returncode}); the whole log: {log.name}")


def _offer_html_results_to_pdf(since: float) -> list[Path]:
    """Copies the execution results the HTML pass wrote (after `since`) to the name the PDF
    pass reads; returns the copies, which must not outlive the build."""
    offered = []
    for html in FREEZER.rglob("execute-results/html.json"):
        if html.stat().st_mtime >= since:
            shutil.copyfile(html, html.with_name("typ.json"))
            offered.append(html.with_name("typ.json"))
    return offered


def render(lang: str, profile: str = "full", to: str = "both", files: list[str] | None = None,
           quarto: str | None = None,
           log_dir: Path | None = None) -> dict[str, float]:
    """Renders one edition (or some of its `files`); returns the seconds each pass took."""
    quarto = quarto or find_quarto()
    profiles = f"{profile},{lang}" if profile != "full" else lang  # a build profile comes first (it sets output-dir)
    common = [*(files or []), "--profile", profiles, "--output-dir", str(output_dir(lang, profile))]
    log_dir = log_dir or REPO_ROOT / ".quarto" / "logs"
    log_dir.mkdir(parents=True, exist_ok=True)
    seconds, offered = {}, []
    # The whole full-profile book stops at a false claim; a reader's re-render of some of its
    # files marks false claims in the page instead (latentdigits/claims.py).
    claims_mode = "strict" if profile == "full" and not files else "mark"
    with open(log_dir / f"render-{profile}-{lang}.log", "w") as log:
        try:
            if to in ("html", "both"):
                started = time.time()
                _quarto(quarto, [*common, "--to", "html"], log, claims_mode)
                seconds["html"] = time.time() - started
                if to == "both":
                    offered = _offer_html_results_to_pdf(started - 1)
            if to in ("pdf", "both"):
                started = time.time()
                # --no-clean: otherwise Quarto deletes the HTML pass's pages. --use-freezer only
                # where this build's HTML pass has just offered every result it will read.
                freezer = ["--use-freezer"] if offered else []
                _quarto(quarto, [*common, "--to", "typst", "--no-clean", *freezer], log, claims_mode)
                seconds["pdf"] = time.time() - started
        finally:
            for path in offered:  # never thawed by a later build, which may be of another profile
                path.unlink(missing_ok=True)
    return seconds


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m latentdigits.build", description=__doc__.split("\n\n")[0])
    parser.add_argument("langs", nargs="*", metavar="LANG",
                        help=f"editions to render ({', '.join(LANGS)}; default all)")
    parser.add_argument("--profile", choices=("full", "quick"), default="full")
    parser.add_argument("--to", choices=("html", "pdf", "both"), default="both")
    parser.add_argument("--files", nargs="+", metavar="FILE", help="render only these chapter files (.qmd)")
    args = parser.parse_args(argv)
    if unknown := [lang for lang in args.langs if lang not in LANGS]:
        parser.error(f"unknown edition {', '.join(unknown)}; choose from {', '.join(LANGS)}")
    try:
        quarto = find_quarto()
    except MissingTool as error:
        print(f"build: {error}", file=sys.stderr)
        return 2
    for lang in args.langs or LANGS:
        seconds = render(lang, args.profile, args.to, args.files, quarto)
        timing = ", ".join(f"{kind} {value:.0f} s" for kind, value in seconds.items())
        print(f"build: {lang} ({args.profile}) -> {output_dir(lang, args.profile).relative_to(REPO_ROOT)} ({timing})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
