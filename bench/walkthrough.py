"""The reproducibility appendix's walkthrough, measured: change one β, re-render the β-VAE
chapter, and see which model trains, which tables and figures change, and which of the
chapter's claims the change made false.

    python bench/walkthrough.py [--old 3] [--new 2.5] [--lang en] [--keep]

Everything happens in a temporary copy: the repository's files (those git tracks or would
track, without the cache) and its full-profile cache, so the repository and its cache are
never touched. In that copy the chapter is rendered once as it is (every model read from the
cache), then `BETAS` in code/latentdigits/experiments.py has `--old` replaced by `--new`,
and the chapter is rendered again, as a reader re-renders one chapter: in "mark" mode, where a
claim the change made false does not stop the render but is marked in the page with its
evidence (latentdigits/claims.py). Writes bench/results/walkthrough/<device>-<name>.json: the
times of each step, the cache entries the second render wrote (the models it trained, with
their own training time), the tables and figures whose content changed, the claims the page
checked and those it marked false (read from the copy's .quarto/claims/full-<lang>.json), and
a check that the model it trained stayed out of the repository's cache.
"""

from __future__ import annotations

import argparse
import ast
import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from datetime import datetime, timezone
from html.parser import HTMLParser
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
RESULTS = REPO / "bench" / "results" / "walkthrough"
EXPERIMENTS_FILE = Path("code/latentdigits/experiments.py")
CHAPTER = "beta-vae"
# Where a render leaves the evidence of the claims it checked (latentdigits.claims.evidence_file).
EVIDENCE = Path(".quarto/claims")
# Not part of a cache: unfinished writes, writers' locks, deletions in progress.
CACHE_SCRATCH = (".tmp-*", ".lock-*", ".trash-*")


def project_files() -> list[str]:
    """The repository's files as a checkout has them (tracked, or new and not ignored),
    without the cache."""
    listed = subprocess.run(["git", "-C", str(REPO), "ls-files", "--cached", "--others", "--exclude-standard", "-z"],
                            check=True, capture_output=True).stdout.decode().split("\0")
    return [name for name in listed if name and not name.startswith("cache/") and (REPO / name).is_file()]


def copy_project(target: Path) -> int:
    files = project_files()
    for name in files:
        (target / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(REPO / name, target / name)
    return len(files)


def snapshot(folder: Path) -> dict[str, tuple[int, int]]:
    """Every file under `folder`: relative path -> (size, modification time)."""
    return {p.relative_to(folder).as_posix(): (p.stat().st_size, p.stat().st_mtime_ns)
            for p in folder.rglob("*") if p.is_file() and not any(part.startswith((".tmp-", ".lock-", ".trash-"))
                                                                  for part in p.relative_to(folder).parts)}


def change_beta(source: str, old: float, new: float) -> tuple[str, str, str]:
    """`source` with `old` replaced by `new` in its `BETAS = (...)` line; also that line
    before and after."""
    match = re.search(r"^BETAS = (\(.*\))$", source, re.MULTILINE)
    if match is None:
        raise SystemExit(f"walkthrough: no `BETAS = (...)` line in {EXPERIMENTS_FILE}")
    betas = list(ast.literal_eval(match[1]))
    if old not in betas:
        raise SystemExit(f"walkthrough: β = {old:g} is not in BETAS {tuple(betas)}")
    if new in betas:
        raise SystemExit(f"walkthrough: β = {new:g} is already in BETAS {tuple(betas)}")
    betas[betas.index(old)] = new
    line = "BETAS = (" + ", ".join(f"{b:g}" for b in betas) + ")"
    return source[:match.start()] + line + source[match.end():], match[0], line


VOID = ("area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr")


class _Page(HTMLParser):
    """The rendered chapter's tables (their cells, row by row) and figures (their images),
    by the id of the element that holds them, and the claims the page marks as false."""

    def __init__(self):
        super().__init__()
        self.tables: dict[str, list[list[str]]] = {}
        self.figures: dict[str, list[str]] = {}
        self.marked: list[str] = []
        self._open: list[tuple[str, str | None]] = []  # (tag, id of a table or figure it opens)
        self._cell: list[str] | None = None

    def _current(self, prefix: str) -> str | None:
        return next((i for _, i in reversed(self._open) if i and i.startswith(prefix)), None)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if attrs.get("data-claim") and "claim-fails" in (attrs.get("class") or "").split():
            self.marked.append(attrs["data-claim"])
        own = attrs.get("id") if (attrs.get("id") or "").startswith(("tbl-", "fig-")) else None
        if tag not in VOID:
            self._open.append((tag, own))
        table = self._current("tbl-")
        if tag == "tr" and table:
            self.tables.setdefault(table, []).append([])
        elif tag in ("td", "th") and table:
            self._cell = []
        elif tag == "img" and (figure := self._current("fig-")):
            self.figures.setdefault(figure, []).append(attrs.get("src", ""))

    def handle_endtag(self, tag):
        if tag in ("td", "th") and self._cell is not None and (table := self._current("tbl-")):
            self.tables[table][-1].append(" ".join("".join(self._cell).split()))
            self._cell = None
        if any(open_tag == tag for open_tag, _ in self._open):  # a stray end tag closes nothing
            while self._open.pop()[0] != tag:
                pass

    def handle_data(self, data):
        if self._cell is not None:
            self._cell.append(data)


def read_page(path: Path) -> dict:
    """Tables as rows of cells; figures as digests of their images; the ids of the claims marked
    false."""
    page = _Page()
    page.feed(path.read_text(encoding="utf-8"))

    def digest(src: str) -> str:
        data = src.encode() if src.startswith("data:") else (path.parent / src).read_bytes()
        return hashlib.sha256(data).hexdigest()

    return {"tables": page.tables, "figures": {f: [digest(s) for s in srcs] for f, srcs in page.figures.items()},
            "marked": sorted(set(page.marked))}


def render(project: Path, env: dict, lang: str) -> float:
    started = time.perf_counter()
    command = [sys.executable, "-m", "latentdigits.build", lang, "--files", f"chapters/{lang}/{CHAPTER}.qmd",
               "--to", "html"]
    result = subprocess.run(command, check=False, cwd=project, env=env, capture_output=True, text=True)
    if result.returncode != 0:
        raise SystemExit(f"walkthrough: the render failed:\n{result.stdout[-3000:]}\n{result.stderr[-3000:]}")
    return time.perf_counter() - started


def claims_shown(project: Path, lang: str) -> dict:
    """The claims the last render checked: {id: {"holds", "mark", "evidence"}}."""
    path = project / EVIDENCE / f"full-{lang}.json"
    return json.loads(path.read_text(encoding="utf-8")) if path.is_file() else {}


def made_false(before: dict, after: dict) -> dict:
    """The claims that held before the change and are marked false after it, with the evidence
    the page shows: {id: evidence}."""
    return {claim_id: shown["evidence"] for claim_id, shown in sorted(after.items())
            if shown.get("mark") and before.get(claim_id, {}).get("holds", True)}


def entries(cache: Path) -> set[str]:
    return {p.name for p in cache.iterdir() if p.is_dir() and not p.name.startswith(".")}


def derived_files(cache: Path) -> set[str]:
    return {p.relative_to(cache).as_posix() for p in cache.glob("*/derived-*.safetensors")}


def changed_rows(before: list[list[str]], after: list[list[str]]) -> list[dict]:
    """The rows of a table that differ, side by side (a row added or removed against [])."""
    return [{"before": b, "after": a} for b, a in zip(before + [[]] * (len(after) - len(before)),
                                                      after + [[]] * (len(before) - len(after))) if a != b]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--old", type=float, default=3.0, help="the β to replace (default 3)")
    parser.add_argument("--new", type=float, default=2.5, help="its replacement (default 2.5)")
    parser.add_argument("--lang", choices=("en", "zh"), default="en")
    parser.add_argument("--keep", action="store_true", help="keep the temporary copy, and say where it is")
    args = parser.parse_args(argv)

    sys.path.insert(0, str(REPO / "code"))
    from latentdigits.build import find_quarto
    from vaebook.paths import cache_root

    started, load_before = time.perf_counter(), os.getloadavg()
    source_cache = cache_root() / "full"
    before_repo = snapshot(source_cache)
    work = Path(tempfile.mkdtemp(prefix="latentdigits-walkthrough-"))
    try:
        project = work / "project"
        files = copy_project(project)
        files_s = time.perf_counter() - started

        copied = time.perf_counter()
        cache = work / "cache"
        shutil.copytree(source_cache, cache / "full", ignore=shutil.ignore_patterns(*CACHE_SCRATCH))
        cache_s = time.perf_counter() - copied
        cache_bytes = sum(p.stat().st_size for p in (cache / "full").rglob("*") if p.is_file())

        env = {k: v for k, v in os.environ.items() if k not in ("VAEBOOK_CACHE_ONLY", "VAEBOOK_PROFILE")}
        env |= {"PYTHONPATH": os.pathsep.join([str(project / "code"), *filter(None, [env.get("PYTHONPATH")])]),
                "VAEBOOK_CACHE": str(cache), "VAEBOOK_DATA": env.get("VAEBOOK_DATA") or str(REPO / "data"),
                "PATH": os.pathsep.join([str(Path(find_quarto()).parent), env.get("PATH", "")]),
                "QUARTO_PYTHON": sys.executable, "LATENTDIGITS_CLAIMS": "mark"}
        page = project / "_book" / args.lang / "chapters" / args.lang / f"{CHAPTER}.html"

        print(f"walkthrough: rendering chapters/{args.lang}/{CHAPTER}.qmd as it is", file=sys.stderr)
        unchanged_s = render(project, env, args.lang)
        first, claims_before = read_page(page), claims_shown(project, args.lang)
        entries_before, derived_before = entries(cache / "full"), derived_files(cache / "full")

        experiments = project / EXPERIMENTS_FILE
        edited, line_before, line_after = change_beta(experiments.read_text(encoding="utf-8"), args.old, args.new)
        experiments.write_text(edited, encoding="utf-8")
        print(f"walkthrough: {line_before} -> {line_after}; rendering again", file=sys.stderr)
        changed_s = render(project, env, args.lang)
        second, claims_after = read_page(page), claims_shown(project, args.lang)
        false = made_false(claims_before, claims_after)

        trained = []
        for name in sorted(entries(cache / "full") - entries_before):
            record = json.loads((cache / "full" / name / "entry.json").read_text())
            trained.append({"entry": name, "experiment": record["name"], "epochs": record["config"]["epochs"],
                            "train_seconds": record["meta"]["train_seconds"], "device": record["meta"]["device"],
                            "device_name": record["meta"]["device_name"]})
        tables = {label: {"header": rows[0], "rows": changed_rows(first["tables"].get(label, []), rows)}
                  for label, rows in second["tables"].items() if rows != first["tables"].get(label)}
        figures = sorted(f for f in second["figures"] if second["figures"][f] != first["figures"].get(f))
        measurements = len(derived_files(cache / "full") - derived_before)

        # The copy is the renders' only cache, so nothing they write can reach the repository's:
        # check that the models they trained did not. Other processes may store measurements in
        # the repository's cache meanwhile (the book computes them on demand); those are counted,
        # not blamed on the walkthrough.
        after_repo = snapshot(source_cache)
        trained_there = sorted(p for p in set(after_repo) - set(before_repo)
                               if p.split("/")[0] in {t["entry"] for t in trained})
        if trained_there:
            raise SystemExit(f"walkthrough: the model it trained reached the repository's cache: {trained_there}")
        changed_by_others = sum(after_repo.get(p) != state for p, state in before_repo.items()) + len(
            set(after_repo) - set(before_repo))
    finally:
        if args.keep:
            print(f"walkthrough: the copy is kept in {work}", file=sys.stderr)
        else:
            shutil.rmtree(work, ignore_errors=True)

    if not trained:
        raise SystemExit("walkthrough: the second render trained nothing; is the chapter reading BETAS?")
    import torch

    device, device_name = trained[0]["device"], trained[0]["device_name"]
    result = {
        "device": device, "device_name": device_name, "torch": torch.__version__, "cpu_cores": os.cpu_count(),
        "date": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "chapter": f"chapters/{args.lang}/{CHAPTER}.qmd", "change": {"file": EXPERIMENTS_FILE.as_posix(),
                                                                      "before": line_before, "after": line_after,
                                                                      "old": args.old, "new": args.new},
        "copy": {"files": files, "files_s": files_s, "cache_s": cache_s, "cache_mb": cache_bytes / 2**20,
                 "cache_entries": len(entries_before)},
        "render_unchanged_s": unchanged_s, "render_changed_s": changed_s,
        "trained": trained, "new_measurements": measurements,
        "claims": {"checked": sorted(claims_after),
                   "held_before": sorted(i for i, c in claims_before.items() if c["holds"]),
                   "made_false": sorted(false), "evidence": false, "marked_in_page": second["marked"]},
        "tables_changed": tables, "tables_unchanged": sorted(set(second["tables"]) - set(tables)),
        "figures_changed": figures, "figures_unchanged": sorted(set(second["figures"]) - set(figures)),
        "repository_cache_untouched": True, "repository_cache_files_changed_by_others": changed_by_others,
        "total_s": time.perf_counter() - started,
        # Other processes on the machine lengthen every step: the 1-minute load average at the
        # start and at the end (a quiet two-core machine reads below 2).
        "load_average": [round(load_before[0], 2), round(os.getloadavg()[0], 2)],
    }
    slug = re.sub(r"[^a-z0-9]+", "-", f"{device}-{device_name}".lower()).strip("-")
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / f"{slug}.json").write_text(json.dumps(result, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    print(json.dumps({k: result[k] for k in ("render_unchanged_s", "render_changed_s", "trained", "tables_changed",
                                              "figures_changed", "claims", "total_s")}, indent=2, ensure_ascii=False))
    print(f"walkthrough: claims made false by the change: {', '.join(false) or 'none'}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
