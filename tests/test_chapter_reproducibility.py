"""The reproducibility appendix reads the committed benchmark and walk-through results from the
repository, wherever the book is rendered from; the walk-through script changes exactly one β
and reads the tables and figures of a rendered page."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

from latentdigits import report_tables
from latentdigits.chapters import reproducibility


def _walkthrough_script(repo_root: Path):
    spec = importlib.util.spec_from_file_location("walkthrough", repo_root / "bench" / "walkthrough.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_bench_results_do_not_depend_on_the_working_directory(tmp_path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    results = reproducibility.bench_results()
    assert results, "bench/results/ holds no benchmark result"
    assert all({"device", "epochs", "course_loop", "book_trainer", "beta_sweep"} <= set(result) for result in results)


def test_a_committed_walkthrough_trained_one_model_and_changed_a_table(tmp_path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    results = reproducibility.walkthrough_results()
    assert results and results[0]["device"] == "cpu", "bench/results/walkthrough/ holds no CPU result"
    for result in results:
        assert result["repository_cache_untouched"] and result["render_changed_s"] > result["render_unchanged_s"]
        assert [t["experiment"] for t in result["trained"]] == [f"beta-{result['change']['new']:g}"]
        assert result["tables_changed"] and all(t["rows"] for t in result["tables_changed"].values())
        assert result["total_s"] >= result["render_unchanged_s"] + result["render_changed_s"]
    for lang in ("en", "zh"):
        facts = reproducibility.walkthrough_facts(results[0], lang)
        assert all(str(value).strip() for value in facts.values()), facts
        assert facts["walk_tables_changed"].startswith("@tbl-")
    table = report_tables.walkthrough(results, "zh")
    assert table.count("\n") == len(report_tables.WALKTHROUGH_STEPS["zh"]) + 1 and "秒" in table


def test_the_changed_table_is_described_by_its_rows() -> None:
    one = [{"before": ["3", "12.3"], "after": ["2.5", "14.0"]}]
    assert reproducibility.table_changes("@tbl-x", one, "en") == (
        "@tbl-x changed in one row, the replaced β's: `3 | 12.3` became `2.5 | 14.0`")
    assert reproducibility.table_changes("@tbl-x", one * 2, "zh") == "@tbl-x 有 2 行发生了变化"


def test_the_walkthrough_changes_exactly_one_beta(repo_root: Path) -> None:
    script = _walkthrough_script(repo_root)
    source = "X = 1\nBETAS = (0.25, 0.5, 1, 2, 3, 4, 8)\nNOISE = (0.1,)\n"
    edited, before, after = script.change_beta(source, 3.0, 2.5)
    assert edited == "X = 1\nBETAS = (0.25, 0.5, 1, 2, 2.5, 4, 8)\nNOISE = (0.1,)\n"
    assert (before, after) == ("BETAS = (0.25, 0.5, 1, 2, 3, 4, 8)", "BETAS = (0.25, 0.5, 1, 2, 2.5, 4, 8)")
    for old, new in ((5.0, 6.0), (3.0, 4.0)):  # not in the sweep; already in it
        with pytest.raises(SystemExit):
            script.change_beta(source, old, new)
    assert "BETAS = (" in (repo_root / script.EXPERIMENTS_FILE).read_text()


def test_the_walkthrough_reads_tables_and_figures_by_their_labels(tmp_path: Path, repo_root: Path) -> None:
    script = _walkthrough_script(repo_root)
    (tmp_path / "a.png").write_bytes(b"one image")
    page = tmp_path / "page.html"
    page.write_text("""<main><div id="tbl-x"><figure><table><thead><tr><th>β</th><th>KL</th></tr></thead>
        <tbody><tr><td>1</td><td>25.3</td></tr><tr><td>3</td><td> 12.0 </td></tr></tbody></table></figure></div>
        <div id="fig-y"><img src="a.png"><p>caption</p></div><p>outside <td>no</td></p></main>""", encoding="utf-8")
    read = script.read_page(page)
    assert read["tables"] == {"tbl-x": [["β", "KL"], ["1", "25.3"], ["3", "12.0"]]}
    assert list(read["figures"]) == ["fig-y"] and len(read["figures"]["fig-y"][0]) == 64
    after = [["β", "KL"], ["1", "25.3"], ["2.5", "14.1"]]
    assert script.changed_rows(read["tables"]["tbl-x"], after) == [{"before": ["3", "12.0"], "after": ["2.5", "14.1"]}]


def test_the_full_profile_sentence_says_whether_it_kept_to_its_budget() -> None:
    result = {"device": "cpu", "device_name": "AMD EPYC", "cpu_count": 2, "jobs": 2, "entries": 60,
              "train_s": 3000.0, "build_s": 600.0, "total_s": 3600.0}
    sentence = reproducibility.full_profile_sentence([result], "en")
    assert "60.0 minutes in all, within the 90 minutes" in sentence and "50.0 minutes for 60 cache entries" in sentence
    assert "超出了本书给自己定的 90 分钟" in reproducibility.full_profile_sentence([result | {"total_s": 6000.0}], "zh")
    assert "bench/full_profile.py" in reproducibility.full_profile_sentence([], "en")


def test_a_committed_full_profile_measurement_trained_and_built_everything(tmp_path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    results = reproducibility.full_profile_results()
    assert results and results[0]["device"] == "cpu", "bench/results/full-profile/ holds no CPU result"
    assert all(r["total_s"] == pytest.approx(r["train_s"] + r["build_s"]) and r["entries"] > 0 for r in results)
