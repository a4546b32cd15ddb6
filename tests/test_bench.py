"""The committed benchmark results: this machine's kind (a CPU run) among them, each in step
with the code that measured it and with its Markdown twin, and readable by the
reproducibility appendix."""

import json
import sys

import pytest
import torch

from latentdigits import tables


@pytest.fixture(scope="module")
def bench(repo_root):
    """bench/run.py, imported as a module."""
    sys.path.insert(0, str(repo_root / "bench"))
    try:
        import run
    finally:
        sys.path.pop(0)
    return run


@pytest.fixture(scope="module")
def results(repo_root):
    paths = sorted((repo_root / "bench" / "results").glob("*.json"))
    return {path: json.loads(path.read_text()) for path in paths}


def test_a_cpu_result_is_committed(results):
    assert any(r["device"] == "cpu" for r in results.values())


def test_each_result_counts_the_flops_the_book_trainer_does_now(bench, results):
    """The share of the limit stands on the FLOPs of one epoch, counted when the result was
    made: a change to the model or to the epoch leaves them stale until bench/run.py runs again."""
    counted = bench.vae_epoch_flops(torch.device("cpu")) / 1e9
    for path, result in results.items():
        assert result["book_trainer"]["epoch_gflop"] == pytest.approx(counted, rel=1e-9), path.name


def test_each_markdown_twin_is_what_run_py_writes_of_its_json(bench, results):
    for path, result in results.items():
        assert path.with_suffix(".md").read_text() == bench.markdown(result), path.name


def test_the_appendix_table_has_a_row_per_result(results):
    for lang, heading in (("en", "speed-up"), ("zh", "加速比")):
        table = tables.benchmarks(list(results.values()), lang=lang)
        assert table.count("\n") == len(results) + 1 and heading in table
