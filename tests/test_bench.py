"""The committed benchmark results: readable by the reproducibility appendix, and this
machine's kind (a CPU run) among them."""

import json
import sys

from latentdigits import tables


def test_committed_results_render(repo_root):
    results = [json.loads(p.read_text()) for p in sorted((repo_root / "bench" / "results").glob("*.json"))]
    assert any(r["device"] == "cpu" for r in results)
    for r in results:
        single = r["single_model"]
        assert single["speedup"] == single["seed_style_epoch_s"] / single["trainer_epoch_s"]
    table = tables.benchmarks(results, lang="zh")
    assert table.count("\n") == len(results) + 1 and "加速比" in table

    sys.path.insert(0, str(repo_root / "bench"))
    try:
        import run
    finally:
        sys.path.pop(0)
    assert "vaebook trainer" in run.markdown(results[0])
