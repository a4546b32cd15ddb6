"""The book rendered for real: both editions of the quick profile, HTML and PDF, built with
Quarto the way `make book-quick` builds them, then read as a reader would meet them, in the
files and in a browser with the network cut off.

The rendered book, the site serving it and the browser are session fixtures of conftest.py,
which tests/test_explorers.py shares."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from conftest import offline_page
from latentdigits import build
from rendercheck import (
    PHONE,
    cross_reference_problems,
    equation_number_problems,
    html_problems,
    language_switch_problems,
    listing_problems,
    pdf_problems,
    phone_problems,
    punctuation_problems,
    read_page,
    search_index_problems,
    source_reference_problems,
    table_problems,
)

LANGS = ("en", "zh")


def listed_files(lang: str) -> list[str]:
    """The files the edition's profile lists: its pages."""
    book = yaml.safe_load((build.REPO_ROOT / f"_quarto-{lang}.yml").read_text(encoding="utf-8"))["book"]
    return [*book["chapters"], *book["appendices"]]


def edition_pages(root: Path, lang: str) -> list[Path]:
    return [root / lang / "index.html", *sorted((root / lang / "chapters" / lang).glob("*.html"))]


@pytest.mark.parametrize("lang", LANGS)
def test_each_chapter_executes_once_per_edition(quick_book: dict, lang: str) -> None:
    log = (build.REPO_ROOT / ".quarto" / "logs" / f"render-quick-{lang}.log").read_text(errors="replace")
    executed = re.findall(r"Executing '([^']+)\.quarto_ipynb'", log)
    assert len(executed) == len(set(executed)) == len(edition_pages(quick_book["root"], lang)), executed


def source_of(page: Path, lang: str) -> Path:
    """The chapter file a page was rendered from (the home page shows the edition's preface)."""
    return build.REPO_ROOT / "chapters" / lang / f"{'_preface' if page.stem == 'index' else page.stem}.qmd"


@pytest.mark.parametrize("lang", LANGS)
def test_every_page_reads_clean(quick_book: dict, lang: str) -> None:
    pages = edition_pages(quick_book["root"], lang)
    assert len(pages) == len(listed_files(lang))
    problems = [p for page in pages for p in html_problems(page, lang, chinese_allowed=page.stem == "glossary")]
    problems += [p for page in pages for p in source_reference_problems(source_of(page, lang), page)]
    problems += cross_reference_problems({page: read_page(page) for page in pages})
    problems += search_index_problems(quick_book["root"] / lang / "search.json")
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("lang", LANGS)
def test_the_pdf_reads_clean(quick_book: dict, lang: str) -> None:
    pdf = quick_book["root"] / lang / "latent-digits.pdf"
    assert pdf.is_file()
    pages = [read_page(page) for page in edition_pages(quick_book["root"], lang)]
    problems = pdf_problems(pdf, lang)
    problems += listing_problems(pdf, [listing for page in pages for listing in page.listings])
    problems += table_problems(pdf, [table for page in pages for table in page.tables])
    problems += equation_number_problems(pdf, [number for page in pages for number in page.equations])
    assert not problems, "\n".join(problems)


# --- In a browser, offline -----------------------------------------------------------------------


@pytest.mark.parametrize("lang", LANGS)
def test_the_site_needs_no_network_and_typesets_its_formulas(quick_book: dict, site: str, browser, lang: str) -> None:
    page, refused = offline_page(browser, site)
    shots = quick_book["root"] / "screenshots"
    shots.mkdir(exist_ok=True)
    for path in edition_pages(quick_book["root"], lang):
        page.goto(f"{site}/{path.relative_to(quick_book['root']).as_posix()}", wait_until="load")
        formulas = page.locator("main math")
        for index in range(min(formulas.count(), 5)):
            box = formulas.nth(index).bounding_box()
            assert box and box["width"] > 0 and box["height"] > 0, f"{path.name}: formula {index} is not laid out"
        text = page.locator("main").inner_text()
        assert not re.search(r"\\(frac|mathcal|mathbb|sum)\b|\$\$", text), f"{path.name}: raw TeX in the page"
        if path.stem in ("from-ae-to-vae", "beta-vae"):
            page.screenshot(path=str(shots / f"{lang}-{path.stem}.png"), full_page=False)
    assert refused == [], f"requests that left the site: {refused[:5]}"


@pytest.mark.parametrize("lang", LANGS)
def test_every_page_fits_a_phone(quick_book: dict, site: str, browser, lang: str) -> None:
    page, refused = offline_page(browser, site)
    page.set_viewport_size(PHONE)
    problems = []
    for path in edition_pages(quick_book["root"], lang):
        page.goto(f"{site}/{path.relative_to(quick_book['root']).as_posix()}", wait_until="load")
        problems += [f"{path.name}: {p}" for p in phone_problems(page)]
        if lang == "zh" and path.stem == "from-ae-to-vae":
            problems += punctuation_problems(page)
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize(("page_path", "other"), [
    ("en/chapters/en/gan.html", "zh/chapters/zh/gan.html"),
    ("zh/chapters/zh/beta-vae.html", "en/chapters/en/beta-vae.html"),
    ("zh/index.html", "en/index.html"),
])
def test_the_language_switch_opens_the_same_page(quick_book: dict, site: str, browser, page_path: str,
                                                 other: str) -> None:
    page, _ = offline_page(browser, site)
    page.goto(f"{site}/{page_path}", wait_until="load")
    problems = language_switch_problems(page, f"{site}/{other}")
    assert not problems, problems


def test_the_search_finds_a_chinese_word_offline(quick_book: dict, site: str, browser) -> None:
    page, refused = offline_page(browser, site)
    page.goto(f"{site}/zh/chapters/zh/vae-mnist.html", wait_until="load")
    page.click("#quarto-search")
    page.keyboard.type("重构")
    results = page.locator(".aa-Item")
    results.first.wait_for(timeout=10_000)
    assert results.count() > 0 and "重构" in results.first.inner_text()
    assert refused == []


# --- The checks fail on broken output ------------------------------------------------------------

PAGE = """<!DOCTYPE html><html lang="{html_lang}"><head><title>t</title></head><body><main>
<h1>{heading}</h1><p>{text}</p>
<div id="fig-x-y"><figure><img src="{image}"><figcaption>{caption}</figcaption></figure></div>
<table><tr><th>{header}</th></tr></table></main></body></html>"""


def _page(tmp_path: Path, lang: str = "en", **parts) -> Path:
    (tmp_path / "x.png").write_bytes(b"\x89PNG")
    fields = {"html_lang": lang, "heading": "A chapter", "text": "Some prose.", "image": "x.png",
              "caption": "Figure 1.1: A figure.", "header": "model"}
    if lang == "zh":
        fields |= {"html_lang": "zh-Hans", "heading": "一章", "caption": "图 1.1：一幅图。", "header": "模型",
                   "text": '正文见<a href="#fig-x-y" class="quarto-xref">图&nbsp;<span>1.1</span></a>。'
                           '<span class="citation">(Kingma 等, 2014)</span>'}
    path = tmp_path / "page.html"
    path.write_text(PAGE.format(**(fields | parts)), encoding="utf-8")
    return path


def test_a_figure_too_wide_for_the_page_is_caught(tmp_path: Path) -> None:
    page = _page(tmp_path)
    png = (tmp_path / "x.png").read_bytes()
    assert png[:4] == b"\x89PNG"
    header = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR"
    (tmp_path / "x.png").write_bytes(header + (1200).to_bytes(4, "big") + (400).to_bytes(4, "big"))  # 8 inches
    assert html_problems(page, "en") == []
    (tmp_path / "x.png").write_bytes(header + (1596).to_bytes(4, "big") + (400).to_bytes(4, "big"))  # 10.6 inches
    assert any("inches wide" in problem for problem in html_problems(page, "en"))


def test_a_clean_page_passes(tmp_path: Path) -> None:
    assert html_problems(_page(tmp_path), "en") == [] and html_problems(_page(tmp_path, "zh"), "zh") == []


@pytest.mark.parametrize(("lang", "part", "value", "expected"), [
    ("en", "text", "The value is `{python} f.x`.", "inline expression shown as source"),
    ("en", "text", "See ?@fig-losses-curves.", "unresolved cross-reference"),
    ("en", "text", "Traceback (most recent call last):", "a traceback"),
    ("en", "text", "UserWarning: Glyph 22122 (\\N{CJK}) missing from font(s) DejaVu Sans.", "missing-glyph"),
    ("en", "text", "where $x = 1\\.5$", "escaped dot"),
    ("en", "text", "KL(q parallel p)", "turned into a word"),
    ("en", "text", "the bound $\\mathcal L$ holds", "TeX left as text"),
    ("en", "image", "missing.png", "missing image"),
    ("en", "text", "模型", "Chinese in the English edition"),
    ("en", "html_lang", "zh", "not en"),
    ("zh", "html_lang", "en", "not Chinese"),
    ("zh", "heading", "Training", "heading without Chinese"),
    ("zh", "caption", "Figure 1.1: a figure.", "caption not labelled in Chinese"),
    ("zh", "header", "model", "English table header"),
    ("zh", "text", "正文，\n接着写。", "a line break shows as a space"),
    # a reference that shows a chapter's title, not its number (Quarto on an unnumbered page)
    ("en", "text", '<a href="gan.html" class="quarto-xref"><span>7&nbsp; A GAN on MNIST</span></a>',
     "not a label and a number"),
    ("zh", "text", '第 <a href="gan.html" class="quarto-xref"><span>7&nbsp; MNIST 上的 GAN</span></a> 章',
     "not a label and a number"),
    ("en", "text", "course report 000\u2032s loss", "a prime for an apostrophe"),
    ("en", "text", "see Chapter A for the reports", "an appendix called a chapter"),
    ("zh", "text", "见附录 附录 A — 课程报告", "an appendix called a chapter"),
    ("en", "heading", "{{&lt; meta preface-title &gt;}}", "a shortcode left unexpanded"),
    ("en", "text", "Higgins et al. (Higgins et al. 2017) weight it", "repeats the author's name"),
    ("zh", "text", "Higgins 等人 (Higgins 等, 2017) 给 KL 项", "repeats the author's name"),
    ("zh", "text", '见<a href="#fig-x-y" class="quarto-xref">表&nbsp;<span>2.1</span></a> 。',
     "a space before a full-width mark"),
    ("zh", "text", "<strong>纸笔。</strong> 在这里", "a space after a full-width mark"),
    ("zh", "text", "占全部 KL 的 13.1 %。", "a space between a number and %"),
    ("zh", "text", "数字: 0 1 2", "an ASCII colon after Chinese"),
    ("zh", "caption", "图 1.1: 一幅图。", "ASCII colon"),
    ("zh", "text", "源自五份<em>课程报告</em>。", "emphasis set in italics"),
    ("zh", "text", '<span class="citation">(Kingma 和 Welling 2014年; Rezende 等 2014年)</span>', "GB/T 7714"),
    ("zh", "text", '<div class="csl-entry">Kingma, Diederik P., 和 Max Welling. 2014年. 《Auto-Encoding '
                   'Variational Bayes》. [在线]. 载于: ICLR.</div>', "not in GB/T 7714"),
])
def test_each_page_check_fails_on_a_broken_page(tmp_path: Path, lang: str, part: str, value: str,
                                                expected: str) -> None:
    problems = html_problems(_page(tmp_path, lang, **{part: value}), lang)
    assert any(expected in problem for problem in problems), problems


EQUATION_PAGE = """<html lang="en"><body><main><h1><span id="sec-theory"><span class="chapter-number">1</span>
<span class="chapter-title">Theory</span></span></h1><p><span id="eq-elbo"><math display="block"><semantics><mi>x</mi>
<annotation encoding="application/x-tex">x \\qquad(1.5)</annotation>\
</semantics></math></span></p></main></body></html>"""


def _linking_page(tmp_path: Path, href: str, text: str) -> Path:
    path = tmp_path / "gan.html"
    path.write_text(f'<html lang="en"><body><main><p>See <a href="{href}" class="quarto-xref">{text}</a>.</p>'
                    f"</main></body></html>", encoding="utf-8")
    return path


@pytest.mark.parametrize(("href", "text", "broken"), [
    ("theory.html#eq-elbo", "Equation&nbsp;<span>1.5</span>", False),
    ("theory.html#eq-elbo", "Equation&nbsp;<span>1.4</span>", True),  # the HTML and the PDF disagree
    ("theory.html", "Chapter&nbsp;<span>1</span>", False),
    ("theory.html", "Chapter&nbsp;<span>2</span>", True),
])
def test_the_cross_reference_check_compares_numbers(tmp_path: Path, href: str, text: str, broken: bool) -> None:
    theory = tmp_path / "theory.html"
    theory.write_text(EQUATION_PAGE, encoding="utf-8")
    pages = {path: read_page(path) for path in (theory, _linking_page(tmp_path, href, text))}
    assert bool(cross_reference_problems(pages)) == broken


def test_a_reference_printed_as_a_bare_number_is_caught(tmp_path: Path) -> None:
    qmd = tmp_path / "gan.qmd"
    qmd.write_text("The best discriminator is @eq-elbo, and\n\n```python\n@eq-not-a-reference\n```\n", encoding="utf-8")
    linked = _linking_page(tmp_path, "theory.html#eq-elbo", "Equation 1.5")
    assert source_reference_problems(qmd, linked) == []
    bare = tmp_path / "bare.html"
    bare.write_text('<html lang="en"><body><main><p>The best discriminator is 1, and</p></main></body></html>')
    assert "1 cross-references in gan.qmd, but 0 links" in source_reference_problems(qmd, bare)[0]


def test_a_shortcode_in_the_search_index_is_caught(tmp_path: Path) -> None:
    index = tmp_path / "search.json"
    index.write_text('[{"title": "Preface", "crumbs": ["Preface"]}]', encoding="utf-8")
    assert search_index_problems(index) == []
    index.write_text('[{"crumbs": ["{{< meta preface-title >}}"]}]', encoding="utf-8")
    assert search_index_problems(index)


def _pdf(tmp_path: Path, draw, *more_pages) -> Path:
    """An A4 page of body text and a page number, changed by `draw(fig)`; each of `more_pages`
    draws a further page."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from matplotlib.backends.backend_pdf import PdfPages

    matplotlib.rcParams["pdf.fonttype"] = 42  # TrueType, as Typst embeds fonts, not Type 3 drawings
    path = tmp_path / "page.pdf"
    with PdfPages(path) as pdf:
        for index, page in enumerate((draw, *more_pages)):
            fig = plt.figure(figsize=(8.27, 11.69))  # A4
            fig.text(0.5, 0.5, "A page of body text, long enough to be more than a heading.", ha="center")
            fig.text(0.5, 0.03, str(7 + index), ha="center")  # the page number
            page(fig)
            pdf.savefig(fig)
            plt.close(fig)
    return path


CJK_FONT = "Noto Sans CJK SC"


def _needs_cjk_font() -> None:
    from matplotlib import font_manager

    from vaebook.plots import cjk_fonts

    cjk_fonts()  # registers the system's CJK fonts with matplotlib
    families = {font.name for font in font_manager.fontManager.ttflist}
    if not {CJK_FONT, "Noto Sans CJK JP"} <= families:
        pytest.skip("the Noto CJK fonts are not installed (Debian: fonts-noto-cjk)")


def _spaced(fig, characters: str, y: float, x: float = 0.2, step: float = 0.06, **style) -> None:
    for i, character in enumerate(characters):
        fig.text(x + i * step, y, character, fontfamily=CJK_FONT, **style)


def test_a_clean_pdf_passes(tmp_path: Path) -> None:
    assert pdf_problems(_pdf(tmp_path, lambda fig: None), "en") == []


@pytest.mark.parametrize(("draw", "lang", "expected"), [
    (lambda fig: fig.text(0.1, 0.02, "a table row under the page number"), "en", "text at the page foot"),
    (lambda fig: [fig.text(0.5, 0.6, "E = mc^2 + something long"), fig.text(0.55, 0.6, "(1.2)")], "en",
     "equation number (1.2) printed over"),
    (lambda fig: fig.text(0.5, 0.7, "Traceback (most recent call last):"), "en", "a traceback"),
    (lambda fig: None, "zh", "no CJK font embedded"),
    (lambda fig: fig.texts[0].set_text("Appendices"), "en", "holds only a heading"),
    (lambda fig: fig.text(0.9, 0.975, "7"), "en", "in both the head and the foot"),
    (lambda fig: [fig.texts[0].set_text(""), fig.text(0.1, 0.975, "Chapter 1. Theory")], "en",
     "a blank page carries a running head"),
    (lambda fig: [fig.text(0.2, 0.4, "vae-2d-softmax-ce"), fig.text(0.24, 0.4, "404,244")], "en", "printed over"),
    (lambda fig: fig.text(0.2, 0.4, "course report 000\u2032s loss"), "en", "a prime for an apostrophe"),
    (lambda fig: fig.text(0.2, 0.4, "as Chapter A maps them"), "en", "an appendix called a chapter"),
])
def test_each_pdf_check_fails_on_a_broken_pdf(tmp_path: Path, draw, lang: str, expected: str) -> None:
    problems = pdf_problems(_pdf(tmp_path, draw), lang)
    assert any(expected in problem for problem in problems), problems


@pytest.mark.parametrize(("draw", "expected"), [
    (lambda fig: fig.text(0.2, 0.4, "日本語の漢字", fontfamily="Noto Sans CJK JP"), "another script (JP)"),
    (lambda fig: [fig.text(0.2, 0.4, "参考模型", fontfamily=CJK_FONT),
                  fig.text(0.3, 0.4, "——", fontfamily="DejaVu Sans")],
     "Chinese punctuation in a Latin font"),
    (lambda fig: _spaced(fig, "画法相同。", 0.4, step=0.025), "Chinese letter-spaced"),
    (lambda fig: fig.text(0.1, 0.975, "2. 在 MNIST 上训练", fontfamily=CJK_FONT), "not 第 N 章"),
    (lambda fig: [fig.text(0.3, 0.62, "生成对抗网", fontfamily=CJK_FONT),
                  fig.text(0.45, 0.6, "络", fontfamily=CJK_FONT)],
     "alone on a line of the title page"),
])
def test_each_chinese_pdf_check_fails_on_a_broken_pdf(tmp_path: Path, draw, expected: str) -> None:
    _needs_cjk_font()
    clean = _pdf(tmp_path, lambda fig: fig.text(0.2, 0.4, "正文。第 2 章：在 MNIST 上训练", fontfamily=CJK_FONT))
    assert pdf_problems(clean, "zh") == []
    problems = pdf_problems(_pdf(tmp_path, draw), "zh")
    assert any(expected in problem for problem in problems), problems


LISTING = "def vaegan_step(models, optimizers):\n    for optimizer in optimizers:\n        optimizer.step()\n" \
          "    return losses_of_the_step\n"


def _listing(fig, lines, stretch: float = 1.0) -> None:
    """The lines of code at the indentation given, in a monospace font, word by word; `stretch`
    (in characters) is the space between words, more than 1 where justification widened it."""
    cell = 0.602 * 10 / (8.27 * 72)  # DejaVu Sans Mono's advance at 10 pt, as a fraction of the page
    for row, (indent, text) in enumerate(lines):
        x = 0.1 + indent * cell
        for word in text.split(" "):
            fig.text(x, 0.8 - 0.02 * row, word, fontfamily="DejaVu Sans Mono", fontsize=10)
            x += (len(word) + stretch) * cell


@pytest.mark.parametrize(("lines", "stretch", "expected"), [
    ([(0, "def vaegan_step(models, optimizers):"), (4, "for optimizer in optimizers:"), (8, "optimizer.step()"),
      (4, "return losses_of_the_step")], 1, None),
    ([(0, "def vaegan_step(models, optimizers):"), (4, "for optimizer in optimizers:"), (8, "optimizer.step()"),
      (8, "return losses_of_the_step")], 1, "lost its indentation"),  # the return moved into the loop
    ([(0, "def vaegan_step(models, optimizers):"), (4, "for optimizer in optimizers:")], 1.6, "justified"),
])
def test_the_listing_check_fails_on_a_broken_listing(tmp_path: Path, lines, stretch: float, expected) -> None:
    problems = listing_problems(_pdf(tmp_path, lambda fig: _listing(fig, lines, stretch)), [LISTING])
    assert (problems == []) if expected is None else any(expected in p for p in problems), problems


TABLE = [["model", "parameters", "epochs"], ["vae-mse-10ep", "652,824", "10"], ["vae-2d-softmax-ce", "404,244", "20"]]


def _table_rows(fig, rows, top: float = 0.8, columns=(0.1, 0.4, 0.6)) -> None:
    for r, row in enumerate(rows):
        for x, cell in zip(columns, row):
            fig.text(x, top - 0.02 * r, cell)


@pytest.mark.parametrize(("draw", "more", "table", "expected"), [
    (lambda fig: _table_rows(fig, TABLE), (), TABLE, None),
    (lambda fig: _table_rows(fig, [TABLE[0], ["vae-mse-10ep652,824", "", "10"]]), (), TABLE, "run together"),
    (lambda fig: [_table_rows(fig, [TABLE[0], TABLE[1]]), fig.text(0.1, 0.76, "vae-2d-"),
                  fig.text(0.1, 0.74, "softmax-ce"),
                  fig.text(0.4, 0.76, "404,244"), fig.text(0.6, 0.76, "20")], (), TABLE, "a name broken"),
    (lambda fig: _table_rows(fig, TABLE[:2]), (lambda fig: _table_rows(fig, TABLE[::2]),), TABLE, "split across pages"),
    (lambda fig: _table_rows(fig, TABLE), (), [["model", "trained with"]] + [[f"noise-{i}",
                                                                              "noise-1, noise-2, noise-3, noise-4"]
                                                                            for i in range(3)], "a list repeated"),
])
def test_the_table_check_fails_on_a_broken_table(tmp_path: Path, draw, more, table, expected) -> None:
    problems = table_problems(_pdf(tmp_path, draw, *more), [table])
    assert (problems == []) if expected is None else any(expected in p for p in problems), problems


def test_a_chinese_header_stacked_a_character_per_line_is_caught(tmp_path: Path) -> None:
    _needs_cjk_font()
    table = [["模型", "学习率"], ["vae-bce", "0.001"]]
    whole = _pdf(tmp_path, lambda fig: [fig.text(0.1, 0.8, "模型", fontfamily=CJK_FONT),
                                        fig.text(0.4, 0.8, "学习率", fontfamily=CJK_FONT),
                                        fig.text(0.1, 0.78, "vae-bce"), fig.text(0.4, 0.78, "0.001")])
    assert table_problems(whole, [table]) == []
    stacked = _pdf(tmp_path, lambda fig: [fig.text(0.1, 0.8, "模型", fontfamily=CJK_FONT),
                                          *(fig.text(0.4, 0.8 - 0.015 * i, c, fontfamily=CJK_FONT)
                                            for i, c in enumerate("学习率")),
                                          fig.text(0.1, 0.75, "vae-bce"), fig.text(0.4, 0.75, "0.001")])
    assert any("stacked" in p for p in table_problems(stacked, [table]))


def test_the_equation_check_compares_the_numbers_of_both_formats(tmp_path: Path) -> None:
    pdf = _pdf(tmp_path, lambda fig: [fig.text(0.4, 0.6, "x = 1"), fig.text(0.95, 0.6, "(1.5)", ha="right")])
    assert equation_number_problems(pdf, ["1.5"]) == []
    problems = equation_number_problems(pdf, ["1.4"])
    assert ("equation (1.5) is numbered in the PDF only" in problems
            and "equation (1.4) is numbered in the HTML only" in problems)


# --- The browser checks fail on broken pages -------------------------------------------------------

WIDE_FORMULA = ('<html><body><main><p>text</p><span class="math display" style="{style}">'
                '<span style="display:inline-block;width:900px">a formula wider than a phone</span>'
                '</span></main></body></html>')


@pytest.mark.parametrize(("style", "broken"), [("display:block;overflow-x:auto", False), ("", True)])
def test_the_phone_check_fails_on_a_page_wider_than_the_screen(browser, style: str, broken: bool) -> None:
    page = browser.new_page(viewport=PHONE)
    page.set_content(WIDE_FORMULA.format(style=style))
    assert bool(phone_problems(page)) == broken


@pytest.mark.parametrize(("font", "broken"), [(CJK_FONT, False), ("DejaVu Sans", True)])
def test_the_punctuation_check_fails_on_narrow_glyphs(browser, font: str, broken: bool) -> None:
    _needs_cjk_font()
    page = browser.new_page()
    page.set_content(f'<html lang="zh"><body style="font-family: \'{font}\'"><main><p>正文</p></main></body></html>')
    assert bool(punctuation_problems(page)) == broken


@pytest.mark.parametrize(("href", "broken"), [("http://book/zh/chapters/zh/gan.html", False),
                                              ("http://book/zh/index.html", True)])
def test_the_language_switch_check_fails_on_a_link_to_the_front_page(browser, href: str, broken: bool) -> None:
    page = browser.new_page()
    page.set_content(f'<header id="quarto-header"><a href="{href}">中文版</a></header>')
    assert bool(language_switch_problems(page, "http://book/zh/chapters/zh/gan.html")) == broken
