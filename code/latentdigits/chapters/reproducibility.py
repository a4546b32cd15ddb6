"""Appendix "Reproducibility": the machines and software behind the cache, the book's three
measures of training time (each defined here once), how the cache decides when to retrain,
what re-rendering the β-VAE chapter after changing one β does (bench/walkthrough.py), and how
fast the training code is (bench/run.py).

The three times: the *recorded* training time is the sum of the training times the committed
entries carry, measured when each was trained, on whichever machine trained it; the *measured
full profile* is one run of bench/full_profile.py, every model and both editions from an empty
cache on one machine; the *budget* is the target that run is held to (`BUDGET_MINUTES`)."""

from __future__ import annotations

import datetime
import json

from IPython.display import Markdown

from .. import report_tables, tables
from ..claims import Evidence, below, both, claim, fact
from ..experiments import EXPERIMENTS, REPLICATIONS, runs
from ..figures import REPO_ROOT, uses
from ..report_tables import few
from ..text import day, integer, listing, number
from . import chapter_facts

# Written by bench/run.py, one file per device; read from the repository, wherever the book
# is rendered from.
BENCH_RESULTS = REPO_ROOT / "bench" / "results"
# Written by bench/walkthrough.py, one file per device.
WALKTHROUGH_RESULTS = BENCH_RESULTS / "walkthrough"
# Written by bench/full_profile.py, one file per device.
FULL_PROFILE_RESULTS = BENCH_RESULTS / "full-profile"
FULL_PROFILE_JOBS = 2  # bench/full_profile.py's default, for two CPU cores
# The budget of the whole full profile from an empty cache on two CPU cores, training and both
# editions' builds together: what the sweeps' lengths were chosen to fit (experiments.py).
BUDGET_MINUTES = 90
REFERENCE_MODEL = "vae-bce"  # the network bench/run.py times, trained for the book as this entry


def _runs() -> list:
    return list(runs(*EXPERIMENTS).values())


def _added() -> list:
    """The committed models added after the measured full profile: course report 000's 2-D
    sweeps and report 001's first-epoch noise models (the extra seeds keep no training times)."""
    return list(runs(*REPLICATIONS).values())


def _read(folder) -> list[dict]:
    """The JSON results in `folder`, the CPU's first, then in file-name order."""
    results = [json.loads(path.read_text(encoding="utf-8")) for path in sorted(folder.glob("*.json"))]
    return sorted(results, key=lambda r: r["device"] != "cpu")


def bench_results() -> list[dict]:
    return _read(BENCH_RESULTS)


def walkthrough_results() -> list[dict]:
    return _read(WALKTHROUGH_RESULTS)


def full_profile_results() -> list[dict]:
    return _read(FULL_PROFILE_RESULTS)


def recorded_minutes(trained: list) -> float:
    """The recorded training time: the sum of the training times the entries carry, in minutes."""
    return sum(r.meta["train_seconds"] for r in trained) / 60


# --- The machines ------------------------------------------------------------------------------


def machine_rows(trained: list, measurements: dict[str, list[dict]]) -> list[dict]:
    """One row per machine: the committed entries it trained and their recorded time, and the
    measurements of this appendix it ran ({kind: results}, kinds of `report_tables.MEASURED`)."""
    names = list(dict.fromkeys([r.meta["device_name"] for r in trained] +
                               [m["device_name"] for results in measurements.values() for m in results]))
    rows = []
    for name in names:
        own = [r for r in trained if r.meta["device_name"] == name]
        ran = {kind: m for kind, results in measurements.items() for m in results if m["device_name"] == name}
        cores = {m.get("cpu_count") or m.get("cpu_cores") for m in ran.values()} - {None}
        rows.append({"machine": name, "device": (own[0].meta if own else next(iter(ran.values())))["device"],
                     "cores": cores.pop() if len(cores) == 1 else None, "entries": len(own),
                     "minutes": recorded_minutes(own), "measured": list(ran)})
    return rows


def _measurements() -> dict[str, list[dict]]:
    return {"full": full_profile_results()[:1], "walkthrough": walkthrough_results()[:1], "bench": bench_results()[:1]}


@uses(report_tables.machines, machine_rows)
def tbl_machines(lang: str):
    return Markdown(report_tables.machines(machine_rows(_runs(), _measurements()), lang))


@claim("c-repro-one-machine")
def measured_on_one_machine() -> Evidence:
    """The appendix's three measurements (whole profile, walkthrough, benchmark) ran on one machine."""
    seen = {kind: results[0]["device_name"] for kind, results in _measurements().items() if results}
    return fact(len(seen) == 3 and len(set(seen.values())) == 1,
                "; ".join(f"{kind}: {name}" for kind, name in seen.items()), "equal")


@claim("c-repro-reference-epochs-slower")
def reference_epochs_slower() -> Evidence:
    """The reference VAE's recorded epochs took more than twice as long as the benchmark's
    epochs of the same network on the measured machine."""
    trained = runs(REFERENCE_MODEL)[REFERENCE_MODEL].meta
    bench = bench_results()[0]
    ratio = trained["seconds_per_epoch"] / bench["book_trainer"]["epoch_s"]
    return fact(ratio > 2, f"{REFERENCE_MODEL}: {trained['seconds_per_epoch']:.2f} s/epoch; bench/run.py: "
                f"{bench['book_trainer']['epoch_s']:.2f} s/epoch; ratio {ratio:.2f}", "ratio_above", ratio=2)


# --- The three times ------------------------------------------------------------------------------


def full_profile_facts(result: dict, lang: str) -> dict:
    return {"full_train": number(result["train_s"] / 60, 1), "full_build": number(result["build_s"] / 60, 1),
            "full_total": number(result["total_s"] / 60, 1), "full_entries": integer(result["entries"]),
            "full_jobs": few(result["jobs"], lang), "full_cores": few(result["cpu_count"], lang),
            "full_date": day(datetime.date.fromisoformat(result["date"][:10]), lang),
            "entries_now": integer(sum(len(e.seeds) for e in EXPERIMENTS.values()))}


@claim("c-repro-profile-now-over-budget")
def profile_now_over_budget() -> Evidence:
    """The measured run's total and the recorded training of the models added since add up to
    more than the budget."""
    measured, added = full_profile_results()[0]["total_s"] / 60, recorded_minutes(_added())
    return fact(measured + added > BUDGET_MINUTES,
                f"{number(measured, 1)} + {number(added, 1)} = {number(measured + added, 1)} > {BUDGET_MINUTES}",
                "above", unit="minutes")


@claim("c-repro-full-profile-within-budget")
def full_profile_within_budget() -> Evidence:
    """The measured full profile, from an empty cache, took less than the budget."""
    minutes = full_profile_results()[0]["total_s"] / 60
    return fact(minutes <= BUDGET_MINUTES, f"full profile: {number(minutes, 1)}; budget: {BUDGET_MINUTES}", "below",
                unit="minutes")


# --- The walkthrough ---------------------------------------------------------------------------------


def _references(labels, result: dict, lang: str) -> str:
    """Cross-references to the walkthrough chapter's figures or tables, in the order the page shows them."""
    page = (REPO_ROOT / result["chapter"]).read_text(encoding="utf-8")
    return listing([f"@{label}" for label in sorted(labels, key=lambda label: page.find(f"#{label}"))], lang)


def walkthrough_facts(result: dict, lang: str) -> dict:
    """The walkthrough's numbers and names for the prose: what changed, what trained, what the
    render redrew, and how long each step took."""
    trained = result["trained"]
    return {
        "walk_before": f"`{result['change']['before']}`", "walk_after": f"`{result['change']['after']}`",
        "walk_old": f"{result['change']['old']:g}", "walk_new": f"{result['change']['new']:g}",
        "walk_chapter": f"`{result['chapter']}`", "walk_trained": f"`{trained[0]['experiment']}`",
        "walk_epochs": integer(trained[0]["epochs"]),
        "walk_train_s": number(sum(t["train_seconds"] for t in trained), 0),
        "walk_unchanged_s": number(result["render_unchanged_s"], 0),
        "walk_changed_s": number(result["render_changed_s"], 0),
        "walk_cache_mb": number(result["copy"]["cache_mb"], 0),
        "walk_entries": integer(result["copy"]["cache_entries"]),
        "walk_date": day(datetime.date.fromisoformat(result["date"][:10]), lang),
        "walk_tables_unchanged": _references(result["tables_unchanged"], result, lang),
        "walk_figures_changed": _references(result["figures_changed"], result, lang),
        "walk_figures_unchanged": _references(result["figures_unchanged"], result, lang),
        **dict(zip(("walk_row_before", "walk_row_after"),
                   (f"`{' | '.join(changed_rows(result)[0][side])}`" for side in ("before", "after")))),
        "walk_measurements": few(result["new_measurements"], lang),
        "walk_claims": few(len(result["claims"]["checked"]), lang),
        "walk_load_start": number(result["load_average"][0], 1), "walk_load_end": number(result["load_average"][1], 1),
        "walk_cores": few(result["cpu_cores"], lang),
    }


def changed_rows(result: dict) -> list[dict]:
    return [row for table in result["tables_changed"].values() for row in table["rows"]]


@claim("c-repro-walkthrough-trains-one")
def walkthrough_trains_one() -> Evidence:
    """The re-render after the change trained one model, the new β's, and nothing else."""
    result = walkthrough_results()[0]
    names = [t["experiment"] for t in result["trained"]]
    expected = f"beta-{result['change']['new']:g}"
    return fact(names == [expected], f"trained: {', '.join(names) or '—'}; expected: {expected}", "equal")


def replaced_row_only(rows: list[dict], old: float, new: float) -> bool:
    """Whether the changed rows are one row, whose first cell went from the old β to the new."""
    return len(rows) == 1 and rows[0]["before"][:1] == [f"{old:g}"] and rows[0]["after"][:1] == [f"{new:g}"]


@claim("c-repro-walkthrough-one-row")
def walkthrough_one_row() -> Evidence:
    """In the re-rendered page, the tables changed in one row only: the replaced β's."""
    result = walkthrough_results()[0]
    rows = changed_rows(result)
    shown = "; ".join(f"{' | '.join(r['before'])} → {' | '.join(r['after'])}" for r in rows)
    return fact(replaced_row_only(rows, result["change"]["old"], result["change"]["new"]), shown or "—", "one_row")


@claim("c-repro-walkthrough-no-claim-false")
def walkthrough_no_claim_false() -> Evidence:
    """No claim of the re-rendered chapter was made false by the change."""
    claims = walkthrough_results()[0]["claims"]
    return fact(bool(claims["checked"]) and not claims["made_false"],
                f"claims checked: {len(claims['checked'])}; made false: {', '.join(claims['made_false']) or '—'}",
                "none")


# --- Speed -----------------------------------------------------------------------------------------------


@claim("c-repro-trainer-faster")
def trainer_faster() -> Evidence:
    """On every device benchmarked, two epochs as a whole process take less time with the book's
    trainer than with the course reports' loop."""
    results = bench_results()
    return both(*(below((f"vaebook ({r['device_name']})", r["book_trainer"]["process_s"]),
                        ("course reports' loop", r["course_loop"]["process_s"]), digits=1) for r in results))


def speed_facts(result: dict, lang: str) -> dict:
    book, course = result["book_trainer"], result["course_loop"]
    reference = runs(REFERENCE_MODEL)[REFERENCE_MODEL].meta
    return {"reference_epoch_s": number(reference["seconds_per_epoch"], 2), "bench_epoch_s": number(book["epoch_s"], 2),
            "speedup": number(course["process_s"] / book["process_s"], 2),
            "share_of_limit": number(100 * book["share_of_limit"], 0),
            "sweep_models": few(result["beta_sweep"]["models"], lang)}


# --- The chapter --------------------------------------------------------------------------------------


def facts(lang: str):
    trained = _runs()
    versions = {key: ", ".join(sorted({r.meta[key] for r in trained})) for key in ("torch", "python")}
    return chapter_facts(
        __name__, lang, models=integer(len(trained)), recorded=number(recorded_minutes(trained), 1),
        budget=integer(BUDGET_MINUTES), added_models=integer(len(_added())),
        added_minutes=number(recorded_minutes(_added()), 1), **versions,
        **full_profile_facts(full_profile_results()[0], lang), **walkthrough_facts(walkthrough_results()[0], lang),
        **speed_facts(bench_results()[0], lang), full_jobs_command=f"`vaebook train all --jobs {FULL_PROFILE_JOBS}`")


@uses(report_tables.walkthrough)
def tbl_walkthrough(lang: str):
    return Markdown(report_tables.walkthrough(walkthrough_results(), lang))


@uses(tables.training_times)
def tbl_times(lang: str):
    return Markdown(tables.training_times(_runs(), lang))


@uses(tables.benchmarks)
def tbl_bench(lang: str):
    return Markdown(tables.benchmarks(bench_results(), lang))
