"""The glossary: one term per concept in each language, definitions in their own language, and
the appendices' Chinese free of the words the glossary replaces."""

from __future__ import annotations

import re
from pathlib import Path

from latentdigits import tables
from latentdigits.glossary import AVOID_ZH, TERMS

CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff]")


def test_each_term_appears_once_in_each_language() -> None:
    english = [term[0].lower() for term in TERMS]
    chinese = [term[1] for term in TERMS if term[1] != term[0]]  # β-VAE, t-SNE, logit are the same in both
    assert len(set(english)) == len(english) and len(set(chinese)) == len(chinese)


def test_definitions_are_written_in_their_own_language() -> None:
    for en, zh, en_meaning, zh_meaning in TERMS:
        assert not CJK.search(en + en_meaning), en
        assert CJK.search(zh_meaning), zh


def test_the_glossary_uses_none_of_the_words_it_replaces() -> None:
    for term in TERMS:
        assert not any(word in term[1] + term[3] for word in AVOID_ZH), term[0]


def test_the_appendices_chinese_uses_the_glossarys_terms(repo_root: Path) -> None:
    for name in ("course-reports", "reproducibility", "glossary"):
        text = (repo_root / "chapters" / "zh" / f"{name}.qmd").read_text(encoding="utf-8")
        text = text.replace("解纠缠”）", "")  # the glossary names report 000's word once, to replace it
        found = [word for word in AVOID_ZH if word in text]
        assert not found, (name, found)


def test_the_table_lists_every_term_sorted_by_its_english_name() -> None:
    table = tables.glossary("en").splitlines()
    assert len(table) == len(TERMS) + 2
    names = [line.split(" | ")[0].removeprefix("| ").replace("β", "beta").lower() for line in table[2:]]
    assert names == sorted(names)
