"""The reproducibility appendix reads the committed benchmark results from the repository,
wherever the book is rendered from."""

from __future__ import annotations

import pytest

from latentdigits.chapters import reproducibility


def test_bench_results_do_not_depend_on_the_working_directory(tmp_path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    results = reproducibility.bench_results()
    assert results, "bench/results/ holds no benchmark result"
    assert all({"device", "epochs", "course_loop", "book_trainer", "beta_sweep"} <= set(result) for result in results)
