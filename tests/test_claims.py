"""Claims (latentdigits/claims.py): the checks' building blocks decide what their names say,
the sentences are found where they are written, and a false claim stops a strict build,
naming the claim and its line, while a reader's re-render marks it and the quick profile
neither fails nor marks. Every claim the book cites has a check, in both editions."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from textwrap import dedent

import pytest

from latentdigits import build, claims

# --- Building blocks ---------------------------------------------------------------------------------


def test_ordered_decides_each_step_and_allows_ties_only_when_asked() -> None:
    assert claims.ordered({"a": 3, "b": 2, "c": 1}, "falls").holds
    assert not claims.ordered({"a": 3, "b": 3, "c": 1}, "falls").holds
    assert claims.ordered({"a": 3, "b": 3, "c": 1}, "never_rises").holds
    assert not claims.ordered({"a": 1, "b": 3, "c": 2}, "rises").holds
    assert claims.ordered({"a": 1, "b": 2}, "rises").numbers == "a: 1.00 < b: 2.00"


def test_comparisons_show_their_numbers_as_the_prose_rounds_them() -> None:
    evidence = claims.below(("vae-l1", 151.44), ("vae-bce", 206.2), digits=1, quantity="fid")
    assert evidence.holds and evidence.text("en") == "FID: vae-l1: 151.4 < vae-bce: 206.2 (first below second)"
    assert evidence.text("zh") == "FID：vae-l1: 151.4 < vae-bce: 206.2（前者低于后者）"
    assert not claims.above(("a", 1.0), ("b", 1.0)).holds
    assert "-0.00" not in claims.close(("a", -0.001), ("b", 0.0), 0.01).numbers


def test_a_difference_over_seeds_needs_a_test_not_one_run() -> None:
    apart = claims.seeds_below(("a", [1.0, 1.1, 0.9, 1.05, 0.95]), ("b", [2.0, 2.1, 1.9, 2.05, 1.95]))
    assert apart.holds and "p < 0.001" in apart.numbers
    # Every seed of a lies below b's mean, but the spreads overlap: no difference at 5 %.
    overlapping = claims.seeds_below(("a", [1.0, 3.0, 2.0]), ("b", [2.5, 1.5, 3.5]))
    assert not overlapping.holds
    assert claims.seeds_same(("a", [1.0, 3.0, 2.0]), ("b", [2.5, 1.5, 3.5])).holds
    assert not claims.seeds_same(("a", [1.0, 1.1, 0.9]), ("b", [2.0, 2.1, 1.9])).holds


def test_combined_evidence_holds_only_when_every_part_does() -> None:
    good, bad = claims.fact(True, "1 < 2"), claims.fact(False, "3 < 2")
    assert (good & good).holds and not (good & bad).holds
    assert (good & bad).text("en") == "1 < 2; 3 < 2"


def test_unknown_words_are_refused() -> None:
    with pytest.raises(ValueError, match="unknown rule"):
        claims.Evidence(True, "1", rule="mostly")
    with pytest.raises(ValueError, match="unknown unit"):
        claims.Evidence(True, "1", unit="furlongs")
    with pytest.raises(ValueError, match="claim id"):
        claims.claim("Beta rate falls")


# --- Where sentences are -----------------------------------------------------------------------------


def test_citations_find_the_line_where_the_sentence_starts(tmp_path: Path) -> None:
    chapter = tmp_path / "x.qmd"
    chapter.write_text(dedent("""\
        # A chapter

        Some words, then [the rate falls
        at every step, as @fig-x and [-@sec-y] show]{#c-x-falls .claim}; and
        [it rises]{#c-x-rises .claim}.
        """), encoding="utf-8")
    found = claims.citations(chapter)
    assert [(c.claim_id, c.line) for c in found] == [("c-x-falls", 3), ("c-x-rises", 5)]
    assert found[0].sentence == "the rate falls at every step, as @fig-x and [-@sec-y] show"


# --- What a false claim does -------------------------------------------------------------------------


@pytest.fixture
def fake_claims(monkeypatch, tmp_path):
    """Two registered claims, one true and one false, cited by a chapter file of this test's."""
    monkeypatch.setitem(claims.CHECKS, "c-test-true", lambda: claims.fact(True, "1 < 2"))
    monkeypatch.setitem(claims.CHECKS, "c-test-false", lambda: claims.fact(False, "3 < 2"))
    monkeypatch.setattr(claims, "register_all", lambda: claims.CHECKS)
    monkeypatch.setattr(claims, "EVIDENCE_DIR", tmp_path / "evidence")
    chapter = tmp_path / "chapter.qmd"
    chapter.write_text("# Test\n\n[One is less]{#c-test-true .claim} and\n[three is less]{#c-test-false .claim}.\n",
                       encoding="utf-8")
    return chapter


def test_a_strict_build_stops_at_a_false_claim_naming_it_and_its_line(fake_claims, monkeypatch) -> None:
    monkeypatch.setenv("VAEBOOK_PROFILE", "full")
    monkeypatch.setenv(claims.MODE_VARIABLE, "strict")
    with pytest.raises(claims.ClaimFailed) as failure:
        claims.publish(fake_claims, "en")
    message = str(failure.value)
    assert "claim c-test-false does not hold: 3 < 2" in message and f"{fake_claims}:4" in message
    assert "c-test-true" not in message


def test_a_readers_render_marks_the_false_claim_in_the_page(fake_claims, monkeypatch) -> None:
    monkeypatch.setenv("VAEBOOK_PROFILE", "full")
    monkeypatch.delenv(claims.MODE_VARIABLE, raising=False)
    claims.publish(fake_claims, "zh")
    shown = json.loads(claims.evidence_file("zh").read_text(encoding="utf-8"))
    assert shown["c-test-false"] == {"holds": False, "mark": True, "evidence": "3 < 2 — 不成立"}
    assert shown["c-test-true"]["mark"] is False


def test_the_quick_profile_neither_fails_nor_marks(fake_claims, monkeypatch) -> None:
    monkeypatch.setenv("VAEBOOK_PROFILE", "quick")
    monkeypatch.setenv(claims.MODE_VARIABLE, "strict")
    claims.publish(fake_claims, "en")
    shown = json.loads(claims.evidence_file("en").read_text(encoding="utf-8"))
    assert shown["c-test-false"]["mark"] is False and claims.evidence_file("en").name == "quick-en.json"


def test_an_id_without_a_check_is_an_error(fake_claims) -> None:
    fake_claims.write_text("[Nothing checks this]{#c-test-unknown .claim}\n", encoding="utf-8")
    with pytest.raises(claims.ClaimError, match="c-test-unknown has no check"):
        claims.publish(fake_claims, "en")


def test_only_the_whole_full_book_is_strict(monkeypatch) -> None:
    modes = []
    monkeypatch.setattr(build, "_quarto", lambda quarto, args, log, mode="mark": modes.append(mode))
    build.render("en", "full", "html", quarto="quarto")
    build.render("en", "full", "html", files=["chapters/en/beta-vae.qmd"], quarto="quarto")
    build.render("en", "quick", "html", quarto="quarto")
    assert modes == ["strict", "mark", "mark"]


def test_quarto_stops_at_a_false_claim_and_the_build_names_it(tmp_path: Path) -> None:
    """For real: a page whose cell checks a false claim, rendered by Quarto as `make book` renders."""
    try:
        quarto = build.find_quarto()
    except Exception as error:  # noqa: BLE001 - any reason Quarto is missing
        if os.environ.get("LATENT_DIGITS_REQUIRE_QUARTO") == "1":
            pytest.fail(str(error))
        pytest.skip(str(error))
    page = tmp_path / "page.qmd"
    page.write_text(dedent(f"""\
        ---
        title: A page
        jupyter: python3
        ---

        ```{{python}}
        from pathlib import Path
        from latentdigits import claims
        claims.CHECKS["c-test-false"] = lambda: claims.fact(False, "3 < 2")
        claims.register_all = lambda: claims.CHECKS
        claims.EVIDENCE_DIR = Path({str(tmp_path)!r})
        claims.publish(Path({str(page)!r}), "en")
        ```

        Here [three is less than two]{{#c-test-false .claim}}.
        """), encoding="utf-8")
    log = tmp_path / "render.log"
    environment = {"VAEBOOK_PROFILE": "full", "QUARTO_PYTHON": sys.executable}
    with open(log, "w") as opened, pytest.MonkeyPatch.context() as patch:
        for name, value in environment.items():
            patch.setenv(name, value)
        with pytest.raises(SystemExit) as stopped:
            build._quarto(quarto, [str(page), "--to", "html"], opened, "strict")
    message = str(stopped.value)
    assert "claim c-test-false does not hold: 3 < 2" in message and f"at {page}:15:" in message, message


# --- The book ---------------------------------------------------------------------------------------


def test_every_claim_of_the_book_has_a_check_and_both_editions_cite_it() -> None:
    assert claims.structure_problems() == []


def test_the_command_checks_a_claim(monkeypatch) -> None:
    monkeypatch.setitem(claims.CHECKS, "c-test-true", lambda: claims.fact(True, "1 < 2"))
    monkeypatch.setattr(claims, "structure_problems", lambda: [])
    monkeypatch.setenv("VAEBOOK_PROFILE", "quick")
    done = claims.main(["c-test-true"])
    assert done == 0 and os.environ["VAEBOOK_PROFILE"] == "quick"  # the caller's profile, as it was
    assert claims.main(["c-test-nothing"]) == 2
    assert subprocess.run([sys.executable, "-m", "latentdigits.claims", "--help"], capture_output=True).returncode == 0
