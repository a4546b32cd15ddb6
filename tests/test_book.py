"""The book's sources: each chapter a pair of files, one per edition, showing the same figures,
tables, labels and numbers through one-line calls to the chapter's module; every reference of
an edition resolves; every citation is in the bibliography. The second half shows, on small
broken inputs, that each check fails when it should."""

from __future__ import annotations

import re
from pathlib import Path
from textwrap import dedent

import pytest

import bookcheck

LANGS = ("en", "zh")


def chapter_names(root: Path) -> list[str]:
    return [path.stem for path in bookcheck.edition_files(root, "en")]


def test_each_edition_lists_the_same_chapters_and_every_chapter_file_is_listed(repo_root: Path) -> None:
    en, zh = (bookcheck.edition_files(repo_root, lang) for lang in LANGS)
    assert [p.name for p in en] == [p.name for p in zh] and all(p.is_file() for p in en + zh)
    for lang, listed in (("en", en), ("zh", zh)):
        on_disk = set((repo_root / "chapters" / lang).glob("*.qmd"))
        assert on_disk == set(listed), f"{lang}: not listed: {sorted(p.name for p in on_disk - set(listed))}"


@pytest.mark.parametrize("name", chapter_names(Path(__file__).resolve().parent.parent))
def test_the_two_editions_of_a_chapter_agree(repo_root: Path, name: str) -> None:
    problems = bookcheck.chapter_pair_problems(repo_root / "chapters" / "en" / f"{name}.qmd",
                                               repo_root / "chapters" / "zh" / f"{name}.qmd")
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("lang", LANGS)
def test_every_reference_of_an_edition_resolves(repo_root: Path, lang: str) -> None:
    problems = bookcheck.edition_problems(bookcheck.edition_files(repo_root, lang))
    assert not problems, "\n".join(problems)


def test_every_citation_is_in_the_bibliography(repo_root: Path) -> None:
    keys = set(re.findall(r"^\s*@\w+\s*\{\s*([^,\s]+)\s*,", (repo_root / "references.bib").read_text(), re.MULTILINE))
    cited = {key for path in (repo_root / "chapters").rglob("*.qmd")
             for key in re.findall(r"\[-?@([\w:-]+)[;\]]", path.read_text(encoding="utf-8"))
             if not key.startswith(("sec-", "fig-", "tbl-", "eq-"))}
    assert cited and cited <= keys, sorted(cited - keys)


def test_the_home_page_shows_each_edition_its_own_preface(repo_root: Path) -> None:
    index = (repo_root / "index.qmd").read_text(encoding="utf-8")
    for lang in LANGS:
        assert f'when-profile="{lang}"' in index and f"chapters/{lang}/_preface.qmd" in index


# --- The checks fail on broken input -----------------------------------------------------------

GOOD_EN = """\
# A chapter {#sec-vae-mnist}

```{python}
#| include: false
from latentdigits.chapters import vae_mnist as chapter

f = chapter.facts("en")
```

The model has `{python} f.latent_dim` dimensions; see @fig-vae-mnist-samples.

::: {#fig-vae-mnist-samples}
```{python}
chapter.fig_samples("en")
```

Ten samples. `{python} f.code.fig_samples`
:::
"""
GOOD_ZH = """\
# 一章 {#sec-vae-mnist}

```{python}
#| include: false
from latentdigits.chapters import vae_mnist as chapter

f = chapter.facts("zh")
```

模型有 `{python} f.latent_dim` 维，见 @fig-vae-mnist-samples 与第 [-@sec-vae-mnist] 章。

::: {#fig-vae-mnist-samples}
```{python}
chapter.fig_samples("zh")
```

十个样本。`{python} f.code.fig_samples`
:::
"""


def _problems(tmp_path: Path, en: str = GOOD_EN, zh: str = GOOD_ZH) -> list[str]:
    (tmp_path / "en").mkdir(exist_ok=True)
    (tmp_path / "zh").mkdir(exist_ok=True)
    (tmp_path / "en" / "vae-mnist.qmd").write_text(dedent(en), encoding="utf-8")
    (tmp_path / "zh" / "vae-mnist.qmd").write_text(dedent(zh), encoding="utf-8")
    problems = bookcheck.chapter_pair_problems(tmp_path / "en" / "vae-mnist.qmd", tmp_path / "zh" / "vae-mnist.qmd")
    # The sample chapter draws one of vae_mnist's figures; the others being unused is expected.
    return [p for p in problems if "draws nothing in the book" not in p]


def test_a_good_pair_passes(tmp_path: Path) -> None:
    assert _problems(tmp_path) == []


@pytest.mark.parametrize(("lang", "old", "new", "expected"), [
    ("en", "has `{python} f.latent_dim` dimensions", "has `{python}\nf.latent_dim` dimensions", "runs over the line"),
    ("en", "`{python} f.latent_dim`", "`{python} f.latent_dim * 2`", "must read a fact"),
    ("en", "has `{python} f.latent_dim` dimensions", "has `{python} f.latent_dim``{python} f.latent_dim` dimensions",
     "side by side"),
    ("en", "`{python} f.latent_dim`", "`{python} f.hidden_dim`", "differ in facts"),
    ("en", "The model has", "[The model has]{#c-vae-mnist-test .claim}", "differ in claims"),
    ("en", "{#fig-vae-mnist-samples}", "{#fig-vae-mnist-other}", "differ in labels"),
    ("en", "{#fig-vae-mnist-samples}\n```{python}\nchapter.fig_samples(\"en\")",
     "{#fig-vae-mnist-nothing}\n```{python}\nchapter.fig_samples(\"en\")", "has no function"),
    ("en", "The model has", "The 模型 has", "Chinese in the English edition"),
    ("en", 'chapter.fig_samples("en")', 'chapter.fig_samples("en")\nprint(1)', "a cell must be one call"),
    ("en", 'chapter.fig_samples("en")', 'chapter.fig_samples("zh")', "asks for the other language"),
    ("en", 'f = chapter.facts("en")', 'f = chapter.facts("en")\nimport torch', "the setup cell must be"),
    ("zh", "模型有", '模型"有"', "Chinese quotation marks"),
    ("zh", "第 [-@sec-vae-mnist] 章", "@sec-vae-mnist", "write 第"),
    ("zh", "# 一章 {#sec-vae-mnist}", "# A chapter {#sec-vae-mnist}", "heading without Chinese"),
    ("zh", "```{python}\nchapter.fig_samples(\"zh\")\n```", "```{python}\nchapter.fig_samples(\"zh\")\n",
     "never closed"),
])
def test_each_check_fails_on_a_broken_chapter(tmp_path: Path, lang: str, old: str, new: str, expected: str) -> None:
    good = {"en": GOOD_EN, "zh": GOOD_ZH}
    assert old in good[lang]
    broken = good | {lang: good[lang].replace(old, new, 1)}
    problems = _problems(tmp_path, broken["en"], broken["zh"])
    assert any(expected in problem for problem in problems), problems


def test_an_edition_with_a_dangling_or_doubled_label_fails(tmp_path: Path) -> None:
    one, two = tmp_path / "one.qmd", tmp_path / "two.qmd"
    one.write_text("# One {#sec-one}\n\nSee @fig-nowhere and @sec-two.\n", encoding="utf-8")
    two.write_text("# Two {#sec-two}\n\n## Again {#sec-one}\n", encoding="utf-8")
    problems = bookcheck.edition_problems([one, two])
    assert problems == ["sec-one is defined twice", f"{one}:3: @fig-nowhere resolves to nothing"]


# --- Sentences live in the chapters' files, not in Python -------------------------------------------

CHAPTER_MODULES = sorted((Path(__file__).resolve().parent.parent / "code" / "latentdigits" / "chapters").glob("*.py"))
CJK_TEXT = re.compile(r"[\u4e00-\u9fff]")


def _docstrings(tree) -> set[int]:
    import ast

    return {id(node.body[0].value) for node in ast.walk(tree)
            if isinstance(node, (ast.Module, ast.FunctionDef, ast.ClassDef)) and node.body
            and isinstance(node.body[0], ast.Expr) and isinstance(node.body[0].value, ast.Constant)}


def module_problems(source: str, name: str) -> list[str]:
    """A chapter module's functions longer than 40 lines, and Chinese strings long enough to be a
    phrase or a sentence rather than a figure's label (the prose belongs in the .qmd files)."""
    import ast

    tree = ast.parse(source)
    problems = [f"{name}: {node.name} is {node.end_lineno - node.lineno + 1} lines (at most 40)"
                for node in ast.walk(tree) if isinstance(node, ast.FunctionDef) and node.end_lineno - node.lineno >= 40]
    docstrings = _docstrings(tree)
    problems += [f"{name}:{node.lineno}: a sentence in Python: {node.value[:40]}" for node in ast.walk(tree)
                 if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in docstrings
                 and CJK_TEXT.search(node.value) and len(node.value) > 20]
    return problems


@pytest.mark.parametrize("path", CHAPTER_MODULES, ids=lambda p: p.stem)
def test_chapter_modules_hold_no_sentences_and_short_functions(path: Path) -> None:
    assert module_problems(path.read_text(encoding="utf-8"), path.name) == []


def test_the_module_check_fails_on_a_sentence_table_and_a_long_function() -> None:
    table = 'VERDICT = {"en": "holds", "zh": "在这次构建中成立，但只部分成立，而且并非每一步都成立"}\n'
    long = "def facts(lang):\n" + "    x = 1\n" * 45
    problems = module_problems(table + long, "x.py")
    assert any("a sentence in Python" in p for p in problems) and any("facts is 46 lines" in p for p in problems)


def test_each_edition_marks_at_least_sixty_claims_with_the_same_ids(repo_root: Path) -> None:
    ids = {lang: {claim_id for path in bookcheck.edition_files(repo_root, lang)
                  for _, claim_id in bookcheck.read(path).claims} for lang in LANGS}
    assert ids["en"] == ids["zh"] and len(ids["en"]) >= 60, (len(ids["en"]), ids["en"] ^ ids["zh"])
