"""Static checks of the book's sources: what Quarto would reject or render wrongly, found without Quarto.

The first half checks the real book; the second half shows, on small inline sources, that
each check passes good sources and fails bad ones.
"""

from __future__ import annotations

from pathlib import Path
from textwrap import dedent

import pytest

import bookcheck
from bookcheck import LANGS, QmdError


def located(path: Path, problems: list[tuple[int, str]]) -> list[str]:
    return [f"{path}:{line}: {message}" for line, message in problems]


def report(problems: list[str]) -> str:
    return f"{len(problems)} problem(s):\n" + "\n".join(problems)


def read_book(root: Path) -> dict[Path, str]:
    """Each listed book file's text, keyed by its path relative to `root`, for short messages."""
    if not (root / "_quarto.yml").is_file():
        pytest.fail(f"{root / '_quarto.yml'} is missing")
    listed = [path for path in bookcheck.book_files(root) if path.is_file()]
    return {path.relative_to(root): path.read_text(encoding="utf-8") for path in listed}


def parse_problems(book: dict[Path, str]) -> list[str]:
    problems = []
    for path, text in book.items():
        try:
            bookcheck.front_matter(text)
            bookcheck.code_cells(text)
            bookcheck.divs(text)
        except QmdError as error:
            problems.append(f"{path}:{error}")
    return problems


def crossref_problems(book: dict[Path, str]) -> list[str]:
    problems = []
    for lang in LANGS:
        views = {path: bookcheck.language_view(text, lang) for path, text in book.items()}
        problems += [f"[{lang}] {problem}" for problem in bookcheck.crossref_problems(views)]
    return problems


def parity_problems(book: dict[Path, str]) -> list[str]:
    return [problem for path, text in book.items() for problem in located(path, bookcheck.parity_problems(text) + bookcheck.span_problems(text))]


def outside_prose_problems(book: dict[Path, str]) -> list[str]:
    return [
        f"{path}:{line}: prose outside a language block: {content.strip()[:60]}"
        for path, text in book.items()
        for line, content in bookcheck.prose_outside_blocks(text)
    ]


def citation_problems(book: dict[Path, str], bib: Path) -> list[str]:
    known = bookcheck.bib_keys(bib.read_text(encoding="utf-8")) if bib.is_file() else set()
    return [
        f"{path}:{line}: @{key} is not in {bib.name}"
        for path, text in book.items()
        for line, key in bookcheck.citations(text)
        if key not in known
    ]


# --- The real book ------------------------------------------------------------------------


@pytest.fixture(scope="module")
def book(repo_root: Path) -> dict[Path, str]:
    return read_book(repo_root)


def test_listed_files_exist_and_every_chapter_is_listed(repo_root: Path) -> None:
    if not (repo_root / "_quarto.yml").is_file():
        pytest.fail(f"{repo_root / '_quarto.yml'} is missing")
    listed = bookcheck.book_files(repo_root)
    problems = [
        f"_quarto.yml lists {path.relative_to(repo_root)}, which does not exist" for path in listed if not path.is_file()
    ]
    problems += [
        f"{path.relative_to(repo_root)} is not listed in _quarto.yml"
        for path in sorted((repo_root / "chapters").glob("*.qmd"))
        if path not in listed
    ]
    assert not problems, report(problems)


def test_files_parse(book: dict[Path, str]) -> None:
    assert not (problems := parse_problems(book)), report(problems)


def test_cross_references_resolve_in_each_language(book: dict[Path, str]) -> None:
    assert not (problems := crossref_problems(book)), report(problems)


def test_language_blocks_come_in_twins(book: dict[Path, str]) -> None:
    assert not (problems := parity_problems(book)), report(problems)


def test_no_prose_outside_language_blocks(book: dict[Path, str]) -> None:
    assert not (problems := outside_prose_problems(book)), report(problems)


def test_citations_are_in_the_bibliography(book: dict[Path, str], repo_root: Path) -> None:
    assert not (problems := citation_problems(book, repo_root / "references.bib")), report(problems)


# --- The checks themselves ----------------------------------------------------------------


def qmd(text: str) -> str:
    return dedent(text).lstrip("\n")


TWINS = qmd(
    """
    ::: {.content-visible when-profile="en"}
    Hello.
    :::

    ::: {.content-visible when-profile="zh"}
    你好。
    :::
    """
)
ENGLISH_ONLY, CHINESE_ONLY = (block + "\n" for block in TWINS.rstrip("\n").split("\n\n"))


def test_the_mini_book_passes_every_check(mini_book: Path) -> None:
    book = read_book(mini_book)
    assert [path.as_posix() for path in book] == ["index.qmd", "chapters/wave.qmd", "chapters/notes.qmd"]
    problems = parse_problems(book) + crossref_problems(book) + parity_problems(book)
    problems += outside_prose_problems(book) + citation_problems(book, mini_book / "references.bib")
    assert not problems, report(problems)


def test_checks_fail_on_a_broken_mini_book(mini_book: Path) -> None:
    notes = mini_book / "chapters" / "notes.qmd"
    broken = notes.read_text().replace("回到 @sec-wave", "回到 @sec-gone [@nobody]") + "Stray prose.\n"
    notes.write_text(broken)
    book = read_book(mini_book)
    notes_key = Path("chapters/notes.qmd")
    assert crossref_problems(book) == [f"[zh] {notes_key}:10: @sec-gone has no target"]
    assert citation_problems(book, mini_book / "references.bib") == [
        f"{notes_key}:10: @nobody is not in references.bib"
    ]
    assert outside_prose_problems(book) == [f"{notes_key}:12: prose outside a language block: Stray prose."]


def test_book_files_follow_parts_and_appendices(tmp_path: Path) -> None:
    (tmp_path / "_quarto.yml").write_text(
        qmd(
            """
            book:
              chapters:
                - index.qmd
                - part: intro.qmd
                  chapters: [a.qmd, b.qmd]
                - part: "Titled part"
                  chapters: [c.qmd]
              appendices: [z.qmd]
            """
        )
    )
    names = [path.name for path in bookcheck.book_files(tmp_path)]
    assert names == ["index.qmd", "intro.qmd", "a.qmd", "b.qmd", "c.qmd", "z.qmd"]


def test_cells_are_parsed_with_options_and_lines() -> None:
    text = qmd(
        """
        ---
        title: T
        ---

        ```{python}
        #| label: fig-a
        #| fig-cap:
        #|   - first
        x = 1
        ```

        ```python
        not_executed()
        ```
        ```{python}
        y = 2
        ```
        """
    )
    assert bookcheck.front_matter(text) == {"title": "T"}
    cells = bookcheck.code_cells(text)
    assert [cell.line for cell in cells] == [5, 15]
    assert [cell.options for cell in cells] == [{"label": "fig-a", "fig-cap": ["first"]}, {}]
    assert cells[1].source == "y = 2"


def test_unclosed_blocks_and_bad_options_are_errors() -> None:
    with pytest.raises(QmdError, match="line 2: this cell block is never closed"):
        bookcheck.code_cells("text\n```{python}\nx = 1\n")
    with pytest.raises(QmdError, match="line 2: the cell's #| options are not valid YAML"):
        bookcheck.code_cells("```{python}\n#| label: [oops\n```\n")
    with pytest.raises(QmdError, match="line 1: this div is never closed"):
        bookcheck.divs('::: {.content-visible when-profile="en"}\nHello.\n')
    with pytest.raises(QmdError, match="line 2: ':::' closes no open div"):
        bookcheck.divs("Hello.\n:::\n")


def test_divs_nest_and_ignore_colons_inside_code() -> None:
    text = qmd(
        """
        ::: {.content-visible when-profile="en"}
        :::: {#fig-x}
        ```{python}
        print(":::")
        :::
        ```
        ::::
        Caption.
        :::
        """
    )
    assert [(div.start, div.end, div.lang) for div in bookcheck.divs(text)] == [(1, 9, "en"), (2, 7, None)]


def test_language_view_blanks_the_other_language_keeping_line_numbers() -> None:
    english = bookcheck.language_view(TWINS, "en")
    assert english.splitlines() == TWINS.splitlines()[:4] + ["", "", ""]
    chinese = bookcheck.language_view(TWINS, "zh")
    assert "你好" in chinese and "Hello" not in chinese


def test_twins_pass_parity() -> None:
    assert bookcheck.parity_problems(TWINS) == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param(ENGLISH_ONLY, [(1, "the en block is not followed by its zh twin")], id="missing-zh"),
        pytest.param(CHINESE_ONLY, [(1, "the zh block does not follow an en block")], id="missing-en"),
        pytest.param(
            TWINS.replace("\n\n", "\nBetween.\n"),
            [
                (1, "the en block is not followed by its zh twin"),
                (5, "the zh block does not follow an en block"),
            ],
            id="prose-between",
        ),
        pytest.param(
            TWINS.replace("你好。", "Hello."), [(5, "the zh block has no Chinese characters")], id="untranslated"
        ),
        pytest.param(TWINS.replace("Hello.", ""), [(1, "the en block is empty")], id="empty"),
    ],
)
def test_parity_fails(text: str, expected: list[tuple[int, str]]) -> None:
    assert bookcheck.parity_problems(text) == expected


def test_prose_outside_blocks_is_found() -> None:
    text = qmd(
        """
        ---
        title: T
        ---
        <!-- a comment
        over two lines -->
        {{< pagebreak >}}

        ::: {#fig-x}
        ```{python}
        plot()
        ```
        :::

        $$
        a = b
        $$ {#eq-ab}
        $$ c = d $$

        Stray prose.
        """
    ) + TWINS
    assert bookcheck.prose_outside_blocks(text) == [(19, "Stray prose.")]


SPAN_EN = '[Samples]{.content-visible when-profile="en"}'
SPAN_ZH = '[样本]{.content-visible when-profile="zh"}'


def test_bilingual_titles_spans_and_code_twins_are_allowed() -> None:
    text = qmd(
        f"""
        # A VAE on MNIST · 在 MNIST 上训练 VAE {{#sec-vae}}

        ## {SPAN_EN}{SPAN_ZH} {{#sec-samples}}

        ::: {{#fig-samples}}
        :::: {{.content-visible when-profile="en"}}
        ```{{python}}
        plot(lang="en")
        ```
        ::::
        :::: {{.content-visible when-profile="zh"}}
        ```{{python}}
        plot(lang="zh")
        ```
        ::::
        {SPAN_EN}{SPAN_ZH}
        :::
        """
    )
    assert bookcheck.prose_outside_blocks(text) == []
    assert bookcheck.parity_problems(text) == [] and bookcheck.span_problems(text) == []
    assert "样本" not in bookcheck.language_view(text, "en") and "Samples" not in bookcheck.language_view(text, "zh")


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        pytest.param(SPAN_ZH + SPAN_EN, "language spans must come in pairs, English then Chinese", id="order"),
        pytest.param(SPAN_EN, "language spans must come in pairs, English then Chinese", id="alone"),
        pytest.param(SPAN_EN + SPAN_ZH.replace("样本", "Samples"), "a language span is empty or its Chinese twin has no Chinese characters", id="untranslated"),
    ],
)
def test_span_problems(line: str, expected: str) -> None:
    assert bookcheck.span_problems(line + "\n") == [(1, expected)]


def test_a_title_in_one_language_is_prose_outside_blocks() -> None:
    assert bookcheck.prose_outside_blocks("# Only English {#sec-x}\n") == [(1, "# Only English {#sec-x}")]


def test_targets_and_references() -> None:
    text = qmd(
        """
        ## Title {#sec-title}

        See @fig-a, @Fig-b. and @tbl-c; cite [@kingma2014; @burda2016] or
        mail me@example.com, `@fig-code` or https://x.org/@user.

        ```{python}
        #| label: fig-a
        @decorator
        def f(): ...
        ```

        ```markdown
        @fig-display {#fig-display}
        ```
        见 @eq-elbo 和 @sec-title。
        $$ x $$ {#eq-elbo}
        """
    )
    assert bookcheck.targets(text) == [(1, "sec-title"), (6, "fig-a"), (16, "eq-elbo")]
    assert bookcheck.crossrefs(text) == [
        (3, "fig-a"), (3, "fig-b"), (3, "tbl-c"), (15, "eq-elbo"), (15, "sec-title")
    ]
    assert bookcheck.citations(text) == [(3, "kingma2014"), (3, "burda2016")]


def test_chinese_glued_to_a_reference_becomes_part_of_its_key() -> None:
    # Pandoc reads letters after a key as part of it, Chinese ones included.
    assert bookcheck.crossrefs("见@fig-a和@fig-b 。\n") == [(1, "fig-a和"), (1, "fig-b")]


def test_crossref_problems_find_dangling_and_duplicate_ids() -> None:
    chapter = "# A {#sec-a}\n\nSee @fig-none and @sec-a.\n"
    other = "```{python}\n#| label: sec-a\n```\n"
    problems = bookcheck.crossref_problems({Path("a.qmd"): chapter, Path("b.qmd"): other})
    assert problems == [
        "a.qmd:1: id 'sec-a' is defined 2 times: a.qmd:1, b.qmd:1",
        "a.qmd:3: @fig-none has no target",
    ]


def test_a_target_in_one_language_is_missing_in_the_other() -> None:
    # The heading's id exists only in English; the Chinese text refers to it.
    text = TWINS.replace("Hello.", "Hello {#sec-hello}.") + "\n" + TWINS.replace("你好。", "见 @sec-hello 。")
    problems = {
        lang: bookcheck.crossref_problems({Path("x.qmd"): bookcheck.language_view(text, lang)}) for lang in LANGS
    }
    assert problems == {"en": [], "zh": ["x.qmd:14: @sec-hello has no target"]}


def test_bib_keys() -> None:
    bib = "@article{kingma2014,\n title={A}}\n@comment{skip,}\n  @InProceedings{ burda2016 ,\n}\n"
    assert bookcheck.bib_keys(bib) == {"kingma2014", "burda2016"}


def test_notebook_has_cells_and_inline_expressions_in_order(tmp_path: Path) -> None:
    path = tmp_path / "x.qmd"
    path.write_text(
        qmd(
            """
            Before any cell: `{python} 0`.

            ```{python}
            #| label: fig-a
            a = 1
            ```

            Values `{python} a` and `{python} a + 1`, code `print(1)`.

            ```{python}
            #| eval: false
            never()
            ```
            """
        )
    )
    cells = bookcheck.to_notebook(path).cells
    assert [cell.source for cell in cells] == [
        "0", "#| label: fig-a\na = 1", "a", "a + 1", "#| eval: false\nnever()"
    ]
    assert cells[1].metadata["options"] == {"label": "fig-a"}
    assert [cell.metadata.get("inline", False) for cell in cells] == [True, False, True, True, False]
    assert cells[4].metadata["tags"] == ["skip-execution"]
