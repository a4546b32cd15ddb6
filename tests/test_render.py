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
from rendercheck import html_problems, pdf_problems

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


@pytest.mark.parametrize("lang", LANGS)
def test_every_page_reads_clean(quick_book: dict, lang: str) -> None:
    pages = edition_pages(quick_book["root"], lang)
    assert len(pages) == len(listed_files(lang))
    problems = [p for page in pages for p in html_problems(page, lang, chinese_allowed=page.stem == "glossary")]
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("lang", LANGS)
def test_the_pdf_reads_clean(quick_book: dict, lang: str) -> None:
    pdf = quick_book["root"] / lang / "latent-digits.pdf"
    assert pdf.is_file()
    problems = pdf_problems(pdf, lang)
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
        fields |= {"html_lang": "zh-Hans", "heading": "一章", "text": "正文。", "caption": "图 1.1: 一幅图。",
                   "header": "模型"}
    path = tmp_path / "page.html"
    path.write_text(PAGE.format(**(fields | parts)), encoding="utf-8")
    return path


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
])
def test_each_page_check_fails_on_a_broken_page(tmp_path: Path, lang: str, part: str, value: str, expected: str) -> None:
    problems = html_problems(_page(tmp_path, lang, **{part: value}), lang)
    assert any(expected in problem for problem in problems), problems


def _pdf(tmp_path: Path, draw) -> Path:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig = plt.figure(figsize=(8.27, 11.69))  # A4
    fig.text(0.5, 0.5, "A page of body text, long enough to be more than a heading.", ha="center")
    fig.text(0.5, 0.03, "7", ha="center")  # the page number
    draw(fig)
    path = tmp_path / "page.pdf"
    fig.savefig(path)
    plt.close(fig)
    return path


def test_a_clean_pdf_passes(tmp_path: Path) -> None:
    assert pdf_problems(_pdf(tmp_path, lambda fig: None), "en") == []


@pytest.mark.parametrize(("draw", "lang", "expected"), [
    (lambda fig: fig.text(0.1, 0.02, "a table row under the page number"), "en", "text at the page foot"),
    (lambda fig: [fig.text(0.5, 0.6, "E = mc^2 + something long"), fig.text(0.55, 0.6, "(1.2)")], "en",
     "equation number (1.2) printed over"),
    (lambda fig: fig.text(0.5, 0.7, "Traceback (most recent call last):"), "en", "a traceback"),
    (lambda fig: None, "zh", "no CJK font embedded"),
    (lambda fig: fig.texts[0].set_text("Appendices"), "en", "holds only a heading"),
])
def test_each_pdf_check_fails_on_a_broken_pdf(tmp_path: Path, draw, lang: str, expected: str) -> None:
    problems = pdf_problems(_pdf(tmp_path, draw), lang)
    assert any(expected in problem for problem in problems), problems
