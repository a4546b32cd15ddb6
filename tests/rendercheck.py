"""Checks of the rendered book, the HTML pages and the PDF as Quarto wrote them: what a
reader would see that the sources cannot show (raw source left in the page, formulas that
did not typeset, warnings printed into the book, the wrong language, figures without
images, tables running off the page). Each function returns a list of problems."""

from __future__ import annotations

import html
import re
import subprocess
import xml.etree.ElementTree as ET
from html.parser import HTMLParser
from pathlib import Path

CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff]")
# Source that should have become something else, and messages that must never reach a page.
RAW_SOURCE = {
    "an inline expression shown as source": re.compile(r"\{python\}"),
    "an unresolved cross-reference": re.compile(r"\?@(?:fig|tbl|eq|sec)-"),
    "a traceback": re.compile(r"Traceback \(most recent call last\)"),
    "a missing-glyph warning": re.compile(r"Glyph \d+ .{0,80}missing from font"),
    "an escaped dot in a formula": re.compile(r"\d\\\.\d"),
    "\\| turned into a word": re.compile(r"\bparallel\b"),
    "TeX left as text": re.compile(r"\$[^$\s][^$\n]{0,80}\\[A-Za-z]+[^$\n]{0,80}\$|\\(?:frac|mathcal|mathbb|sum|log)\b"),
}


class _Page(HTMLParser):
    """The parts of a Quarto page the checks read: the main text (outside scripts, styles and
    MathML), the lang attribute, headings, figures with their images, captions and tables."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.lang = None
        self.text, self.headings, self.captions, self.table_headers = [], [], [], []
        self.figures: dict[str, list[str]] = {}  # figure id -> image sources
        self._stack: list[tuple[str, str]] = []  # (tag, id) of open elements
        self._skip = 0  # inside script/style/math
        self._in_main = 0
        self._heading = self._caption = self._header = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "html":
            self.lang = attrs.get("lang")
        if tag in ("script", "style", "math"):
            self._skip += 1
        if tag == "main":
            self._in_main += 1
        if tag in ("h1", "h2", "h3"):
            self._heading = []
        if tag == "figcaption":
            self._caption = []
        if tag == "th":
            self._header = []
        ident = attrs.get("id") or ""
        if tag == "img":
            for _, open_id in self._stack:
                if open_id in self.figures:
                    self.figures[open_id].append(attrs.get("src", ""))
        if re.fullmatch(r"fig-[\w-]+", ident) and "-caption-" not in ident:
            self.figures.setdefault(ident, [])
        if tag not in ("img", "br", "hr", "meta", "link", "input", "source"):
            self._stack.append((tag, ident))

    def handle_endtag(self, tag):
        if tag in ("script", "style", "math"):
            self._skip -= 1
        if tag == "main":
            self._in_main -= 1
        if tag in ("h1", "h2", "h3") and self._heading is not None:
            self.headings.append("".join(self._heading).strip())
            self._heading = None
        if tag == "figcaption" and self._caption is not None:
            self.captions.append("".join(self._caption).strip())
            self._caption = None
        if tag == "th" and self._header is not None:
            self.table_headers.append("".join(self._header).strip())
            self._header = None
        while self._stack:
            if self._stack.pop()[0] == tag:
                break

    def handle_data(self, data):
        if self._skip or not self._in_main:
            return
        self.text.append(data)
        for collector in (self._heading, self._caption, self._header):
            if collector is not None:
                collector.append(data)


def read_page(path: Path) -> _Page:
    page = _Page()
    page.feed(path.read_text(encoding="utf-8"))
    return page


CJK_LINE_BREAK = re.compile(r"[\u3400-\u9fff\u3000-\u303f\uff00-\uffef]\n[\u3400-\u9fff]")


def html_problems(path: Path, lang: str, chinese_allowed: bool = False) -> list[str]:
    """What is wrong with one rendered page of the `lang` edition. `chinese_allowed`: a page of
    the English edition that shows Chinese on purpose (the glossary's column of terms)."""
    page, source = read_page(path), path.read_text(encoding="utf-8")
    text = html.unescape(" ".join(page.text))
    problems = [f"{path.name}: {what}: …{text[m.start() - 30:m.end() + 30]}…"
                for what, pattern in RAW_SOURCE.items() for m in [pattern.search(text)] if m]
    if "cell-output-stderr" in source or "cell-output-error" in source:
        problems.append(f"{path.name}: a cell printed a warning or an error into the page")
    if re.search(r'<span class="math (?:inline|display)">\\[(\[]', source):
        problems.append(f"{path.name}: a formula was left as TeX (MathML conversion failed)")
    for figure, images in page.figures.items():
        if not images:
            problems.append(f"{path.name}: figure {figure} has no image")
        for src in images:
            image = path.parent / src
            if not src.startswith("data:") and not (image.is_file() and image.stat().st_size > 0):
                problems.append(f"{path.name}: figure {figure} shows a missing image {src}")
    if lang == "zh":
        if not (page.lang or "").startswith("zh"):
            problems.append(f"{path.name}: lang is {page.lang!r}, not Chinese")
        problems += [f"{path.name}: heading without Chinese: {h!r}" for h in page.headings
                     if not CJK.search(h) and re.search(r"[A-Za-z]{4,}", h)]
        problems += [f"{path.name}: caption not labelled in Chinese: {c[:40]!r}" for c in page.captions
                     if not re.match(r"^(图|表)\s*[\dA-Z]", c)]
        # A source line break between Chinese characters that reached the page (cjk-breaks.lua
        # removes them): a browser shows it as a space in the middle of a sentence.
        broken = [m.group(0) for m in CJK_LINE_BREAK.finditer(source)]
        problems += [f"{path.name}: a line break shows as a space between Chinese characters: {b!r}" for b in broken[:3]]
        english = [h for h in page.table_headers if re.search(r"[a-z]{4,}", h) and not CJK.search(h)]
        problems += [f"{path.name}: English table header {h!r}" for h in english if h not in ("t-SNE",)]
    else:
        if page.lang != "en":
            problems.append(f"{path.name}: lang is {page.lang!r}, not en")
        cjk = CJK.search(text)
        if cjk and not chinese_allowed:
            problems.append(f"{path.name}: Chinese in the English edition: …{text[max(cjk.start() - 30, 0):cjk.end() + 30]}…")
    return problems


def pdf_pages(pdf: Path) -> list[tuple[float, list[tuple[float, float, float, float, str]]]]:
    """Each page's height and its words with their boxes (x0, y0, x1, y1, text), y downwards."""
    out = subprocess.run(["pdftotext", "-bbox-layout", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    root = ET.fromstring(re.sub(r"<!DOCTYPE[^>]*>", "", out))
    xhtml = "{http://www.w3.org/1999/xhtml}"
    return [(float(page.get("height")),
             [(float(w.get("xMin")), float(w.get("yMin")), float(w.get("xMax")), float(w.get("yMax")), w.text or "")
              for w in page.iter(f"{xhtml}word")])
            for page in root.iter(f"{xhtml}page")]


FOOT = 60  # points above the paper's lower edge where only the page number may stand
HEAD = 70  # and below its upper edge, where the running head stands
LONE_HEADING = 3  # a page whose body has this many words or fewer holds only a heading
EQUATION_NUMBER = re.compile(r"^\((?:\d+|[A-Z])\.\d+\)$")


def _overlap(a, b) -> float:
    width = min(a[2], b[2]) - max(a[0], b[0])
    height = min(a[3], b[3]) - max(a[1], b[1])
    return max(width, 0) * max(height, 0)


def pdf_problems(pdf: Path, lang: str) -> list[str]:
    """Text below the body of a page (a table or figure run into the foot), equation numbers
    printed over their equations, raw source, and for Chinese a missing CJK font."""
    problems = []
    for number, (height, words) in enumerate(pdf_pages(pdf), start=1):
        foot = [w for w in words if w[1] > height - FOOT and not re.fullmatch(r"\d+|[ivxlc]+", w[4])]
        if foot:
            problems.append(f"page {number}: text at the page foot: {' '.join(w[4] for w in foot[:8])}")
        body = [w for w in words if HEAD < w[1] < height - FOOT]
        if 0 < len(body) <= LONE_HEADING:
            problems.append(f"page {number} holds only a heading: {' '.join(w[4] for w in body)}")
        for label in (w for w in words if EQUATION_NUMBER.match(w[4])):
            crowded = [w for w in words if w is not label and _overlap(w, label) > 0.2 * (label[2] - label[0]) * (label[3] - label[1])]
            if crowded:
                problems.append(f"page {number}: equation number {label[4]} printed over {crowded[0][4]!r}")
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    problems += [f"PDF: {what}" for what, pattern in RAW_SOURCE.items() if what != "TeX left as text" and pattern.search(text)]
    if lang == "zh":
        fonts = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True).stdout
        if "CJK" not in fonts:
            problems.append("PDF: no CJK font embedded")
    return problems
