"""Appendix "Reproducibility": what produced the cache of trained models, what it cost, how
the cache decides when to retrain, and how fast the training code is."""

from __future__ import annotations

import json

from IPython.display import Markdown

from .. import tables
from ..experiments import EXPERIMENTS, runs
from ..figures import REPO_ROOT, uses
from . import chapter_facts
from .preface import provenance

# Written by bench/run.py, one file per device; read from the repository, wherever the book
# is rendered from.
BENCH_RESULTS = REPO_ROOT / "bench" / "results"


def _runs() -> list:
    return list(runs(*EXPERIMENTS).values())


def bench_results() -> list[dict]:
    """Every committed benchmark result, in file-name order."""
    return [json.loads(path.read_text()) for path in sorted(BENCH_RESULTS.glob("*.json"))]


def facts(lang: str):
    build = provenance(_runs())
    return chapter_facts(__name__, lang, profile=build["profile"], models=build["models"], devices=build["devices"],
                         torch=build["torch"], python=build["python"])


@uses(tables.training_times)
def tbl_times(lang: str):
    return Markdown(tables.training_times(_runs(), lang))


@uses(tables.benchmarks)
def tbl_bench(lang: str):
    return Markdown(tables.benchmarks(bench_results(), lang))
