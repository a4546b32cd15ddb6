"""Appendix "Reproducibility": what produced the cache of trained models, what it cost, how
the cache decides when to retrain, what re-rendering a chapter after changing one β costs
(measured by bench/walkthrough.py), and how fast the training code is."""

from __future__ import annotations

import json

from IPython.display import Markdown

from .. import report_tables, tables
from ..experiments import EXPERIMENTS, runs
from ..figures import REPO_ROOT, uses
from ..text import choose, integer, listing, number
from . import chapter_facts
from .preface import provenance

# Written by bench/run.py, one file per device; read from the repository, wherever the book
# is rendered from.
BENCH_RESULTS = REPO_ROOT / "bench" / "results"
# Written by bench/walkthrough.py, one file per device.
WALKTHROUGH_RESULTS = BENCH_RESULTS / "walkthrough"
# Written by bench/full_profile.py, one file per device.
FULL_PROFILE_RESULTS = BENCH_RESULTS / "full-profile"
FULL_PROFILE_JOBS = 2  # bench/full_profile.py's default, for two CPU cores
TARGET_MINUTES = 90  # the budget the full profile is held to on two CPU cores
WITHIN = {"en": ("within the {} minutes the book allows itself", "over the {} minutes the book allows itself"),
          "zh": ("在本书给自己定的 {} 分钟之内", "超出了本书给自己定的 {} 分钟")}
FULL_PROFILE = {
    "en": ("On {device} the training took {train} minutes for {entries} cache entries and the build {build}, "
           "{total} minutes in all, {within}.",
           "No such measurement is committed for this build: run `python bench/full_profile.py` to make one."),
    "zh": ("在 {device}上，训练用了 {train} 分钟，得到 {entries} 个缓存条目；构建用了 {build} 分钟；合计 {total} 分钟，{within}。",
           "本次构建没有提交这样的测量：运行 `python bench/full_profile.py` 即可测量。"),
}


def _runs() -> list:
    return list(runs(*EXPERIMENTS).values())


def bench_results() -> list[dict]:
    """Every committed benchmark result, in file-name order."""
    return [json.loads(path.read_text()) for path in sorted(BENCH_RESULTS.glob("*.json"))]


def walkthrough_results() -> list[dict]:
    """Every committed walk-through result, the CPU's first, then in file-name order."""
    results = [json.loads(path.read_text(encoding="utf-8")) for path in sorted(WALKTHROUGH_RESULTS.glob("*.json"))]
    return sorted(results, key=lambda r: r["device"] != "cpu")


def full_profile_results() -> list[dict]:
    """Every committed measurement of the whole full profile, the CPU's first."""
    results = [json.loads(path.read_text(encoding="utf-8")) for path in sorted(FULL_PROFILE_RESULTS.glob("*.json"))]
    return sorted(results, key=lambda r: r["device"] != "cpu")


def full_profile_sentence(results: list[dict], lang: str) -> str:
    """What the first (the CPU's) measurement of the whole full profile found: its two phases and
    the total in minutes, against the book's budget; or that none is committed."""
    measured, missing = FULL_PROFILE[lang]
    if not results:
        return missing
    result = results[0]
    minutes = result["total_s"] / 60
    return measured.format(
        device=DEVICE[lang].format(result["device_name"], result["device"], result["cpu_count"]),
        train=number(result["train_s"] / 60, 1), entries=integer(result["entries"]),
        build=number(result["build_s"] / 60, 1), total=number(minutes, 1),
        within=choose(minutes <= TARGET_MINUTES, *WITHIN[lang]).format(TARGET_MINUTES))


def _references(labels, lang: str) -> str:
    return listing([f"@{label}" for label in labels], lang)


def _row(cells) -> str:
    return "`" + " | ".join(cells) + "`"


DEVICE = {"en": "{} ({}, {} cores)", "zh": "{}（{}，{} 个核心）"}
# How the tables changed: in one row (that of the replaced β), or in several.
CHANGES = {
    "en": ("{tables} changed in one row, the replaced β's: {before} became {after}",
           "{tables} changed in {count} rows"),
    "zh": ("{tables} 只有一行变了，即被替换的 β 那一行：{before} 变成了 {after}", "{tables} 有 {count} 行发生了变化"),
}


def table_changes(tables: str, rows: list[dict], lang: str) -> str:
    """The sentence on the tables that changed: the row before and after when one row did."""
    one, several = CHANGES[lang]
    if len(rows) == 1:
        return one.format(tables=tables, before=_row(rows[0]["before"]), after=_row(rows[0]["after"]))
    return several.format(tables=tables, count=len(rows))


def walkthrough_facts(result: dict, lang: str) -> dict:
    """The walk-through's numbers and names for the prose: what changed, what trained, what
    the render redrew, and how long each step took."""
    trained = result["trained"]
    rows = [change for table in result["tables_changed"].values() for change in table["rows"]]
    changed = _references(result["tables_changed"], lang)
    return {
        "walk_before": f"`{result['change']['before']}`", "walk_after": f"`{result['change']['after']}`",
        "walk_old": f"{result['change']['old']:g}", "walk_new": f"{result['change']['new']:g}",
        "walk_chapter": f"`{result['chapter']}`",
        "walk_trained": listing([f"`{t['experiment']}`" for t in trained], lang),
        "walk_epochs": listing(sorted({t["epochs"] for t in trained}), lang),
        "walk_train_s": number(sum(t["train_seconds"] for t in trained), 0),
        "walk_unchanged_s": number(result["render_unchanged_s"], 0),
        "walk_changed_s": number(result["render_changed_s"], 0),
        "walk_total_s": number(result["total_s"], 0), "walk_cache_mb": number(result["copy"]["cache_mb"], 0),
        "walk_entries": integer(result["copy"]["cache_entries"]),
        "walk_device": DEVICE[lang].format(result["device_name"], result["device"], result["cpu_cores"]),
        "walk_tables_changed": changed,
        "walk_changes": table_changes(changed, rows, lang),
        "walk_tables_unchanged": _references(result["tables_unchanged"], lang),
        "walk_figures_changed": integer(len(result["figures_changed"])),
        "walk_figures": integer(len(result["figures_changed"]) + len(result["figures_unchanged"])),
        "walk_figures_unchanged": _references(result["figures_unchanged"], lang),
        "walk_measurements": integer(result["new_measurements"]),
    }


def facts(lang: str):
    build = provenance(_runs())
    return chapter_facts(__name__, lang, profile=build["profile"], models=build["models"], devices=build["devices"],
                         torch=build["torch"], python=build["python"],
                         **walkthrough_facts(walkthrough_results()[0], lang),
                         full_profile=full_profile_sentence(full_profile_results(), lang),
                         full_jobs_command=f"`vaebook train all --jobs {FULL_PROFILE_JOBS}`")


@uses(report_tables.walkthrough)
def tbl_walkthrough(lang: str):
    return Markdown(report_tables.walkthrough(walkthrough_results(), lang))


@uses(tables.training_times)
def tbl_times(lang: str):
    return Markdown(tables.training_times(_runs(), lang))


@uses(tables.benchmarks)
def tbl_bench(lang: str):
    return Markdown(tables.benchmarks(bench_results(), lang))
