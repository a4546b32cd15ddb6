"""The helpers that write counts, ranks and terms into the prose (`latentdigits.text`), and
the book's vocabulary: one term per quantity in each language."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from latentdigits.glossary import TERMS
from latentdigits.text import listing, ordinal, tally

EVERY, SOME, NONE = "all {whole} chords", "{part} of the {whole} chords", "none of the {whole} chords"


def test_tally_says_all_when_the_count_is_complete():
    assert tally(6, 6, EVERY, SOME) == "all 6 chords"
    assert tally(5, 6, EVERY, SOME) == "5 of the 6 chords"


def test_tally_says_none_only_when_given_a_phrase_for_it():
    assert tally(0, 6, EVERY, SOME, NONE) == "none of the 6 chords"
    assert tally(0, 6, EVERY, SOME) == "0 of the 6 chords"


def test_tally_refuses_a_count_outside_its_whole():
    with pytest.raises(ValueError):
        tally(7, 6, EVERY, SOME)


@pytest.mark.parametrize(("place", "english"), [(1, "first"), (3, "third"), (10, "tenth"), (11, "11th"),
                                                (12, "12th"), (13, "13th"), (21, "21st"), (22, "22nd"),
                                                (23, "23rd"), (24, "24th"), (111, "111th"), (1001, "1,001st")])
def test_ordinal_reads_as_a_place(place: int, english: str):
    assert ordinal(place, "en") == english
    assert ordinal(place, "zh") == f"{place:,}"


def test_ordinal_refuses_a_place_before_the_first():
    with pytest.raises(ValueError):
        ordinal(0, "en")


@pytest.mark.parametrize(("items", "chinese"), [(["FID", "置信度"], "FID 和置信度"), (["码率", "失真"], "码率和失真"),
                                              (["1%", "10%", "20%"], "1%、10% 和 20%"),
                                              (["置信度", "FID"], "置信度和 FID")])
def test_a_chinese_listing_spaces_only_latin_words_and_numbers(items: list[str], chinese: str):
    assert listing(items, "zh") == chinese


def test_an_english_listing_has_its_serial_comma_from_three_items():
    assert listing(["a", "b"], "en") == "a and b"
    assert listing(["a", "b", "c"], "en") == "a, b, and c"


# Each quantity the chapters measure has one name per language, the glossary's; these are the
# other names it went by, which must not come back.
RETIRED = {
    "en": {"mean intensity": ("average pixel value", "ink per pixel", "average intensity")},
    "zh": {"平均墨量": ("平均亮度", "平均像素值", "墨迹量", "每像素墨量"), "置信度": ("平均把握",)},
}


def test_the_glossary_names_each_measured_quantity():
    english, chinese = {t[0] for t in TERMS}, {t[1] for t in TERMS}
    assert {"mean intensity", "sharpness", "confidence", "coverage KL"} <= english
    assert {"平均墨量", "锐度", "置信度", "类别覆盖 KL"} <= chinese


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_the_chapters_use_one_term_per_quantity(repo_root: Path, lang: str):
    sources = sorted((repo_root / "chapters" / lang).glob("*.qmd")) + sorted(
        (repo_root / "code" / "latentdigits").rglob("*.py"))
    found = [f"{path.relative_to(repo_root)}: '{old}' (the book says '{term}')"
             for path in sources for term, olds in RETIRED[lang].items() for old in olds
             if re.search(re.escape(old), path.read_text(encoding="utf-8"), re.IGNORECASE)]
    assert not found, "\n".join(found)
