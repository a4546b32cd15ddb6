"""The committed benchmark results: readable by the reproducibility appendix, and this
machine's kind (a CPU run) among them."""

import json
import sys

from latentdigits import tables


def test_committed_results_render(repo_root):
    results = [json.loads(p.read_text()) for p in sorted((repo_root / "bench" / "results").glob("*.json"))]
    assert any(r["device"] == "cpu" for r in results)
    for r in results:
        book = r["book_trainer"]
        assert 0 < book["share_of_limit"] <= 1.5 and r["course_loop"]["process_s"] > 0
        assert book["achieved_gflops"] == book["epoch_gflop"] / book["epoch_s"]
    table = tables.benchmarks(results, lang="zh")
    assert table.count("\n") == len(results) + 1 and "加速比" in table

    sys.path.insert(0, str(repo_root / "bench"))
    try:
        import run
    finally:
        sys.path.pop(0)
    assert "course reports' loop" in run.markdown(results[0])
