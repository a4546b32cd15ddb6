"""The reproducibility appendix reads the committed benchmark, full-profile and walkthrough results
from the repository, wherever the book is rendered from; its checks decide on those results as
the prose says; the walkthrough script changes exactly one β, reads the tables, figures and
marked claims of a rendered page, and finds the claims a change made false."""

from __future__ import annotations

import importlib.util
from pathlib import Path
from types import SimpleNamespace

import pytest

from latentdigits import report_tables
from latentdigits.chapters import reproducibility
from latentdigits.experiments import EXPERIMENTS


def _walkthrough_script(repo_root: Path):
    spec = importlib.util.spec_from_file_location("walkthrough", repo_root / "bench" / "walkthrough.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _run(device_name: str, seconds: float):
    return SimpleNamespace(meta={"device_name": device_name, "device": "cpu", "train_seconds": seconds})


def test_bench_results_do_not_depend_on_the_working_directory(tmp_path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    results = reproducibility.bench_results()
    assert results, "bench/results/ holds no benchmark result"
    assert all({"device", "epochs", "course_loop", "book_trainer", "beta_sweep"} <= set(result) for result in results)


def test_a_committed_walkthrough_trained_one_model_and_checked_the_chapters_claims(tmp_path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    results = reproducibility.walkthrough_results()
    assert results and results[0]["device"] == "cpu", "bench/results/walkthrough/ holds no CPU result"
    for result in results:
        assert result["repository_cache_untouched"] and result["render_changed_s"] > result["render_unchanged_s"]
        assert result["tables_changed"] and all(t["rows"] for t in result["tables_changed"].values())
        assert result["total_s"] >= result["render_unchanged_s"] + result["render_changed_s"]
        claims = result["claims"]
        assert claims["checked"] and set(claims["made_false"]) <= set(claims["checked"])
        assert set(claims["made_false"]) == set(claims["evidence"]) <= set(claims["marked_in_page"])
    for lang in ("en", "zh"):
        facts = reproducibility.walkthrough_facts(results[0], lang)
        assert all(str(value).strip() for value in facts.values()), facts
    table = report_tables.walkthrough(results, "zh")
    assert table.count("\n") == len(report_tables.WALKTHROUGH_STEPS["zh"]) + 1 and "秒" in table


def test_only_the_replaced_betas_row_counts_as_one_row() -> None:
    row = {"before": ["3", "12.3"], "after": ["2.5", "14.0"]}
    assert reproducibility.replaced_row_only([row], 3.0, 2.5)
    assert not reproducibility.replaced_row_only([row, row], 3.0, 2.5)  # two rows changed
    assert not reproducibility.replaced_row_only([{"before": ["1", "25.3"], "after": ["1", "25.4"]}], 3.0, 2.5)
    assert not reproducibility.replaced_row_only([], 3.0, 2.5)


def _with(monkeypatch, **results) -> None:
    for name, value in results.items():
        monkeypatch.setattr(reproducibility, name, lambda value=value: value)


def test_the_walkthrough_checks_read_its_result(monkeypatch: pytest.MonkeyPatch) -> None:
    result = {"change": {"old": 3.0, "new": 2.5}, "trained": [{"experiment": "beta-2.5"}],
              "tables_changed": {"tbl-x": {"rows": [{"before": ["3", "1"], "after": ["2.5", "2"]}]}},
              "claims": {"checked": ["c-a", "c-b"], "made_false": []}}
    _with(monkeypatch, walkthrough_results=[result])
    assert reproducibility.walkthrough_trains_one().holds and reproducibility.walkthrough_one_row().holds
    assert reproducibility.walkthrough_no_claim_false().holds
    _with(monkeypatch, walkthrough_results=[result | {"claims": {"checked": ["c-a", "c-b"], "made_false": ["c-b"]}}])
    assert not reproducibility.walkthrough_no_claim_false().holds
    two = [{"experiment": "beta-2.5"}, {"experiment": "beta-1"}]
    _with(monkeypatch, walkthrough_results=[result | {"trained": two}])
    assert not reproducibility.walkthrough_trains_one().holds


def test_the_measured_run_is_held_to_the_budget(monkeypatch: pytest.MonkeyPatch) -> None:
    measured = {"total_s": 80 * 60.0, "train_s": 60 * 60.0, "entries": 50}
    _with(monkeypatch, full_profile_results=[measured])
    assert reproducibility.full_profile_within_budget().holds
    _with(monkeypatch, full_profile_results=[measured | {"total_s": 95 * 60.0}])
    assert not reproducibility.full_profile_within_budget().holds


def test_the_full_profile_says_when_it_was_measured_and_how_much_it_trains_now() -> None:
    result = {"train_s": 60.0, "build_s": 60.0, "total_s": 120.0, "entries": 53, "jobs": 2, "cpu_count": 2,
              "date": "2026-12-01T03:28:19+00:00"}
    en, zh = (reproducibility.full_profile_facts(result, lang) for lang in ("en", "zh"))
    assert en["full_date"] == "1 December 2026" and zh["full_date"] == "2026 年 12 月 1 日"
    assert en["entries_now"] == f"{sum(len(e.seeds) for e in EXPERIMENTS.values()):,}"


def test_machines_are_read_from_the_entries_and_the_results() -> None:
    trained = [_run("Xeon", 60.0), _run("Xeon", 120.0), _run("EPYC", 30.0)]
    measured = {"full": [{"device_name": "EPYC", "device": "cpu", "cpu_count": 2}],
                "bench": [{"device_name": "H200", "device": "cuda"}]}
    rows = reproducibility.machine_rows(trained, measured)
    assert [(r["machine"], r["entries"], r["minutes"], r["measured"], r["cores"]) for r in rows] == [
        ("Xeon", 2, 3.0, [], None), ("EPYC", 1, 0.5, ["full"], 2), ("H200", 0, 0.0, ["bench"], None)]
    table = report_tables.machines(rows, "zh")
    assert "| H200 | cuda | — | — | — | 速度基准 |" in table
    assert "| EPYC | cpu | 2 | 1 | 0.5 | 从空缓存运行完整配置 |" in table


def test_small_counts_are_written_in_chinese_numerals_in_chinese() -> None:
    assert [report_tables.few(n, "zh") for n in (1, 2, 6, 10)] == ["一", "两", "六", "十"]
    assert report_tables.few(12, "zh") == " 12 " and report_tables.few(2, "en") == "2"


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


def test_the_walkthrough_reads_tables_figures_and_marked_claims(tmp_path: Path, repo_root: Path) -> None:
    script = _walkthrough_script(repo_root)
    (tmp_path / "a.png").write_bytes(b"one image")
    page = tmp_path / "page.html"
    page.write_text("""<main><div id="tbl-x"><figure><table><thead><tr><th>β</th><th>KL</th></tr></thead>
        <tbody><tr><td>1</td><td>25.3</td></tr><tr><td>3</td><td> 12.0 </td></tr></tbody></table></figure></div>
        <div id="fig-y"><img src="a.png"><p>caption</p></div><p>outside <td>no</td></p>
        <p><span class="claim" data-claim="c-a" tabindex="0">holds</span>
        <span class="claim claim-fails" data-claim="c-b" tabindex="0">fails</span></p></main>""", encoding="utf-8")
    read = script.read_page(page)
    assert read["tables"] == {"tbl-x": [["β", "KL"], ["1", "25.3"], ["3", "12.0"]]}
    assert list(read["figures"]) == ["fig-y"] and len(read["figures"]["fig-y"][0]) == 64
    assert read["marked"] == ["c-b"]
    after = [["β", "KL"], ["1", "25.3"], ["2.5", "14.1"]]
    assert script.changed_rows(read["tables"]["tbl-x"], after) == [{"before": ["3", "12.0"], "after": ["2.5", "14.1"]}]


def test_a_claim_counts_as_made_false_only_if_it_held_before(repo_root: Path) -> None:
    script = _walkthrough_script(repo_root)
    before = {"c-a": {"holds": True}, "c-b": {"holds": True}, "c-c": {"holds": False, "mark": True}}
    after = {"c-a": {"holds": True, "mark": False, "evidence": "1 < 2"},
             "c-b": {"holds": False, "mark": True, "evidence": "3 ≥ 2"},
             "c-c": {"holds": False, "mark": True, "evidence": "5 ≥ 2"},
             "c-d": {"holds": False, "mark": True, "evidence": "new"}}
    assert script.made_false(before, after) == {"c-b": "3 ≥ 2", "c-d": "new"}


def test_a_committed_full_profile_measurement_trained_and_built_everything(tmp_path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    results = reproducibility.full_profile_results()
    assert results and results[0]["device"] == "cpu", "bench/results/full-profile/ holds no CPU result"
    assert all(r["total_s"] == pytest.approx(r["train_s"] + r["build_s"]) and r["entries"] > 0 for r in results)
