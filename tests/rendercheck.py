"""Checks of the rendered book, the HTML pages and the PDF as Quarto wrote them: what a
reader would see that the sources cannot show (raw source left in the page, formulas that
did not typeset, warnings printed into the book, the wrong language, figures without
images, tables running off the page, references without their numbers, listings that lost
their indentation, table cells run together, Chinese set with Latin punctuation or spacing).
Each function returns a list of problems. ../shared/WRITING.md ("Chinese", "Pages") is the
standard they hold the pages to."""

from __future__ import annotations

import functools
import html
import re
import subprocess
import xml.etree.ElementTree as ET
from html.parser import HTMLParser
from pathlib import Path

CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff]")
CJK_CLASS = "\u3400-\u4dbf\u4e00-\u9fff"
# Full-width marks that take no space on either side (WRITING.md, "Chinese"), closing and opening.
CLOSING = "，。；：？！、）》”…"
OPENING = "（《“"
# Source that should have become something else, and messages that must never reach a page.
RAW_SOURCE = {
    "an inline expression shown as source": re.compile(r"\{python\}"),
    "an unresolved cross-reference": re.compile(r"\?@(?:fig|tbl|eq|sec)-"),
    "a traceback": re.compile(r"Traceback \(most recent call last\)"),
    "a missing-glyph warning": re.compile(r"Glyph \d+ .{0,80}missing from font"),
    "an escaped dot in a formula": re.compile(r"\d\\\.\d"),
    "\\| turned into a word": re.compile(r"\bparallel\b"),
    "TeX left as text": re.compile(r"\$[^$\s][^$\n]{0,80}\\[A-Za-z]+[^$\n]{0,80}\$"
                                   r"|\\(?:frac|mathcal|mathbb|sum|log)\b"),
    "a shortcode left unexpanded": re.compile(r"\{\{(?:<|&lt;)"),
    "a prime for an apostrophe": re.compile(r"\d\u2032s\b"),
    "an appendix called a chapter": re.compile(r"\bChapter\s+[A-Z]\b|第\s*[A-Z]\s*章|附录\s*附录|Appendix\s+Appendix"),
}


BLOCK_TAGS = ("p", "li", "td", "th", "figcaption", "h1", "h2", "h3", "h4", "h5", "h6", "dt", "dd", "caption")
EQUATION_TAG = re.compile(r"\\qquad\s*\(([\dA-Z]+(?:\.\d+)*)\)\s*$")
NUMBER = re.compile(r"\(?([\dA-Z]+(?:\.\d+)*[a-z]?)\)?")
FORMULA = "\ue000"  # what a formula is in the text of a block


def _squeeze(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


class _Page(HTMLParser):
    """The parts of a Quarto page the checks read: the main text (outside scripts, styles and
    MathML), the lang attribute, headings, figures with their images, captions and tables;
    the text of each paragraph-like block, the cross-reference links, emphasis, citations and
    bibliography entries, code listings, the tables' cells, and the numbers this page gives its
    equations, figures, tables and sections."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.lang = None
        self.text, self.headings, self.captions, self.table_headers = [], [], [], []
        self.figures: dict[str, list[str]] = {}  # figure id -> image sources
        self.blocks: list[str] = []
        self.xrefs: list[tuple[str, str]] = []  # (href, text) of each cross-reference link
        self.emphasis: list[str] = []
        self.citations: list[str] = []
        self.bibliography: list[str] = []
        self.listings: list[str] = []
        self.tables: list[list[list[str]]] = []  # table -> rows -> cell texts
        self.equations: list[str] = []  # the numbers of the display equations, in order
        self.targets: dict[str, str] = {}  # id -> the number this page gives it
        self.chapter: str | None = None  # the chapter's number
        self._stack: list[tuple[str, str, str]] = []  # (tag, id, class) of open elements
        self._skip = 0  # inside script/style/math
        self._in_main = 0
        self._heading = self._caption = self._header = None
        self._collectors: list[tuple[str, list[str], str]] = []  # (tag, buffer, kind) being read
        self._annotation = None

    def _open(self, tag, kind):
        self._collectors.append((tag, [], kind))

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        classes = (attrs.get("class") or "").split()
        if tag == "html":
            self.lang = attrs.get("lang")
        if tag in ("script", "style", "math"):
            self._skip += 1
        if tag == "math":  # a formula stands in the text it interrupts as one placeholder
            for _, buffer, kind in self._collectors:
                if kind != "listing":
                    buffer.append(FORMULA)
        if tag == "annotation" and attrs.get("encoding") == "application/x-tex":
            self._annotation = []
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
            for _, open_id, _ in self._stack:
                if open_id in self.figures:
                    self.figures[open_id].append(attrs.get("src", ""))
        if re.fullmatch(r"fig-[\w-]+", ident) and "-caption-" not in ident:
            self.figures.setdefault(ident, [])
        if tag == "section" and ident and attrs.get("data-number"):
            self.targets[ident] = attrs["data-number"]
        if self._in_main:
            if tag in BLOCK_TAGS:
                self._open(tag, "block")
            if tag == "a" and "quarto-xref" in classes:
                self._open(tag, "xref:" + (attrs.get("href") or ""))
            if tag == "em":
                self._open(tag, "em")
            if tag == "span" and "citation" in classes:
                self._open(tag, "citation")
            if tag == "div" and "csl-entry" in classes:
                self._open(tag, "bibliography")
            if tag == "pre":
                self._open(tag, "listing")
            if tag == "table":
                self.tables.append([])
            if tag == "tr" and self.tables:
                self.tables[-1].append([])
            if tag in ("td", "th"):
                self._open(tag, "cell")
            if tag == "span" and "chapter-number" in classes:
                self._open(tag, "chapter")
        if tag not in ("img", "br", "hr", "meta", "link", "input", "source"):
            self._stack.append((tag, ident, " ".join(classes)))

    def _close(self, tag):
        for index in range(len(self._collectors) - 1, -1, -1):
            if self._collectors[index][0] == tag:
                _, buffer, kind = self._collectors.pop(index)
                text = "".join(buffer)
                if kind == "block":
                    self.blocks.append(_squeeze(text))
                elif kind.startswith("xref:"):
                    self.xrefs.append((kind[5:], _squeeze(text)))
                elif kind == "em":
                    self.emphasis.append(_squeeze(text))
                elif kind == "citation":
                    self.citations.append(_squeeze(text))
                elif kind == "bibliography":
                    self.bibliography.append(_squeeze(text))
                elif kind == "listing":
                    self.listings.append(text)
                elif kind == "cell" and self.tables and self.tables[-1]:
                    self.tables[-1][-1].append(_squeeze(text))
                elif kind == "chapter":
                    self.chapter = _squeeze(text)
                    for _, open_id, _ in reversed(self._stack):
                        if open_id.startswith("sec-"):
                            self.targets[open_id] = self.chapter
                            break
                return

    def handle_endtag(self, tag):
        if tag in ("script", "style", "math"):
            self._skip -= 1
        if tag == "annotation" and self._annotation is not None:
            match = EQUATION_TAG.search("".join(self._annotation))
            if match:
                self.equations.append(match[1])
                for _, open_id, _ in reversed(self._stack):
                    if open_id.startswith("eq-"):
                        self.targets[open_id] = match[1]
                        break
            self._annotation = None
        if tag == "main":
            self._in_main -= 1
        if tag in ("h1", "h2", "h3") and self._heading is not None:
            self.headings.append("".join(self._heading).strip())
            self._heading = None
        if tag == "figcaption" and self._caption is not None:
            caption = _squeeze("".join(self._caption))
            self.captions.append(caption)
            self._caption = None
            label = re.match(r"^\S+\s*([\dA-Z]+(?:\.\d+)*)", caption)
            for _, open_id, _ in reversed(self._stack):
                if label and re.fullmatch(r"(?:fig|tbl)-[\w-]+", open_id) and "-caption-" not in open_id:
                    self.targets.setdefault(open_id, label[1])
                    break
        if tag == "th" and self._header is not None:
            self.table_headers.append("".join(self._header).strip())
            self._header = None
        if self._in_main or tag == "main":
            self._close(tag)
        while self._stack:
            if self._stack.pop()[0] == tag:
                break

    def handle_data(self, data):
        if self._annotation is not None:
            self._annotation.append(data)
        if not self._in_main:
            return
        for _tag, buffer, kind in self._collectors:
            if kind == "listing" or not self._skip:
                buffer.append(data)
        if self._skip:
            return
        self.text.append(data)
        for collector in (self._heading, self._caption, self._header):
            if collector is not None:
                collector.append(data)


def read_page(path: Path) -> _Page:
    page = _Page()
    page.feed(path.read_text(encoding="utf-8"))
    return page


FIGURE_DPI = 150  # _quarto.yml's fig-dpi
PAGE_WIDTH = 6.0  # inches: the PDF's text width, about a desktop page's column
WIDEST_FIGURE = 8.5  # inches: wider, and the figure's 10-point text is shown smaller than 7 points


def png_width(path: Path) -> int:
    """A PNG image's width in pixels, from its header."""
    with open(path, "rb") as file:
        header = file.read(24)
    return int.from_bytes(header[16:20], "big") if header[:8] == b"\x89PNG\r\n\x1a\n" else 0


CJK_LINE_BREAK = re.compile(r"[\u3400-\u9fff\u3000-\u303f\uff00-\uffef]\n[\u3400-\u9fff]")


def html_problems(path: Path, lang: str, chinese_allowed: bool = False) -> list[str]:
    """What is wrong with one rendered page of the `lang` edition. `chinese_allowed`: a page of
    the English edition that shows Chinese on purpose (the glossary's column of terms)."""
    page, source = read_page(path), path.read_text(encoding="utf-8")
    text = html.unescape(" ".join(page.text))
    problems = [f"{path.name}: {what}: …{text[m.start() - 30:m.end() + 30]}…"
                for what, pattern in RAW_SOURCE.items() for m in [pattern.search(text)] if m]
    shortcode = re.search(r"\{\{(?:<|&lt;)[^}]*\}\}", source)
    if shortcode:
        problems.append(f"{path.name}: a shortcode left unexpanded in the page: {html.unescape(shortcode[0])!r}")
    problems += reference_text_problems(path.name, page, lang)
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
            elif image.suffix == ".png" and (inches := png_width(image) / FIGURE_DPI) > WIDEST_FIGURE:
                problems.append(f"{path.name}: figure {figure} is {inches:.1f} inches wide: a page shows it "
                                f"{PAGE_WIDTH} inches wide, its text at {PAGE_WIDTH / inches:.0%} of its size")
    if lang == "zh":
        if not (page.lang or "").startswith("zh"):
            problems.append(f"{path.name}: lang is {page.lang!r}, not Chinese")
        problems += [f"{path.name}: heading without Chinese: {h!r}" for h in page.headings
                     if not CJK.search(h) and re.search(r"[A-Za-z]{4,}", h)]
        problems += [f"{path.name}: caption not labelled in Chinese: {c[:40]!r}" for c in page.captions
                     if not re.match(r"^(图|表)\s*[\dA-Z]", c)]
        problems += [f"{path.name}: a caption's label ends in an ASCII colon, not \"：\": {c[:40]!r}"
                     for c in page.captions
                     if re.match(r"^(图|表)\s*[\dA-Z][\d.]*\s*:", c)]
        problems += chinese_text_problems(path.name, page)
        # A source line break between Chinese characters that reached the page (cjk-breaks.lua
        # removes them): a browser shows it as a space in the middle of a sentence.
        broken = [m.group(0) for m in CJK_LINE_BREAK.finditer(source)]
        problems += [f"{path.name}: a line break shows as a space between Chinese characters: {b!r}"
                     for b in broken[:3]]
        english = [h for h in page.table_headers if re.search(r"[a-z]{4,}", h) and not CJK.search(h)]
        problems += [f"{path.name}: English table header {h!r}" for h in english if h not in ("t-SNE",)]
    else:
        if page.lang != "en":
            problems.append(f"{path.name}: lang is {page.lang!r}, not en")
        cjk = CJK.search(text)
        if cjk and not chinese_allowed:
            problems.append(f"{path.name}: Chinese in the English edition: "
                            f"…{text[max(cjk.start() - 30, 0):cjk.end() + 30]}…")
    return problems


def chinese_text_problems(name: str, page: _Page) -> list[str]:
    """The Chinese edition's spacing, punctuation, emphasis and citations (WRITING.md,
    "Chinese"): no space beside a full-width mark (after a cross-reference included), none
    between a number and %, no ASCII colon after Chinese, emphasis in bold, citations in the
    GB/T 7714 author-date form."""
    problems = []
    for block in page.blocks:
        for pattern, what in ((f"[ \u00a0]+[{CLOSING}]", "a space before a full-width mark"),
                              (f"[{CLOSING}{OPENING}][ \u00a0]+(?=[{CJK_CLASS}])", "a space after a full-width mark"),
                              (f"[{OPENING}][ \u00a0]+", "a space after a full-width mark"),
                              (r"\d[ \u00a0]+[%％]", "a space between a number and %"),
                              (f"[{CJK_CLASS}]:", "an ASCII colon after Chinese")):
            for match in list(re.finditer(pattern, block))[:2]:
                context = block[max(match.start() - 12, 0):match.end() + 12].replace(FORMULA, "…")
                problems.append(f"{name}: {what}: {context!r}")
    problems += [f"{name}: emphasis set in italics (Chinese emphasis is bold): {text!r}" for text in page.emphasis[:3]]
    one = r"(?:[^();]+, )?\d{4}[a-z]?(?:, [^();]+)?"  # (Kingma 等, 2014), (2016), (2016, 表 1)
    gbt = re.compile(rf"^(?:[^()]+ )?\({one}(?:; {one})*\)$")
    problems += [f"{name}: a citation not in the GB/T 7714 author-date form: {c!r}" for c in page.citations
                 if not gbt.match(c)][:3]
    for entry in page.bibliography:
        for foreign in ("[在线]", "载于", "vol.", "《"):
            if foreign in entry:
                problems.append(f"{name}: a reference not in GB/T 7714 ({foreign!r}): {entry[:60]!r}")
    return problems


def reference_text_problems(name: str, page: _Page, lang: str) -> list[str]:
    """Each cross-reference link shows a label and a number ("Figure 3.2", "式 1.5", "2"), not
    a chapter's title; a citation does not repeat the author's name written before it."""
    problems = []
    for href, text in page.xrefs:
        words = text.split()
        if not words or not NUMBER.fullmatch(words[-1]) or len(words) > 2:
            problems.append(f"{name}: a reference to {href} shows {text!r}, not a label and a number")
    repeated = re.compile(r"\b([A-Z][\w-]+)(?:\s*等人|\s*等|\s+et\u00a0?\s?al\.)?\s*[(（]\1\b")
    for block in page.blocks:
        match = repeated.search(block)
        if match:
            problems.append(f"{name}: a citation repeats the author's name just written: "
                            f"{block[match.start():match.end() + 20]!r}")
    return problems


def cross_reference_problems(pages: dict[Path, _Page]) -> list[str]:
    """Every cross-reference link of an edition shows the number its target has where it stands:
    the equation's tag, the figure's or table's label, the section's or chapter's number."""
    numbers: dict[tuple[str, str], str] = {}  # (file name, id) -> number
    chapters: dict[str, str] = {}
    for path, page in pages.items():
        for ident, number in page.targets.items():
            numbers[(path.name, ident)] = number
        if page.chapter:
            chapters[path.name] = page.chapter
    problems = []
    for path, page in pages.items():
        for href, text in page.xrefs:
            target, _, ident = href.partition("#")
            target = Path(target).name if target else path.name
            expected = numbers.get((target, ident)) if ident else chapters.get(target)
            shown = NUMBER.fullmatch(text.split()[-1]) if text.split() else None
            if expected is None:
                continue
            if not shown or shown[1] != expected:
                problems.append(f"{path.name}: a reference to {href} shows {text!r}; its target is numbered {expected}")
    return problems


SOURCE_REFERENCE = re.compile(r"(?<![\w/@])-?@((?:sec|fig|tbl|eq|lst)-[\w-]*\w)")


def source_reference_problems(qmd: Path, page_path: Path) -> list[str]:
    """Each cross-reference written in a chapter's source is a link in its page: a reference
    that Pandoc took for something else prints a bare number ("the best discriminator is 1")."""
    text, fence = [], None
    for line in qmd.read_text(encoding="utf-8").splitlines():
        marker = re.match(r"^\s*(`{3,}|~{3,})", line)
        if marker:
            fence = None if fence and marker[1].startswith(fence) else (fence or marker[1])
            continue
        if not fence and not line.lstrip().startswith("#|"):
            text.append(re.sub(r"`[^`]*`", "", line))
    written = len(SOURCE_REFERENCE.findall("\n".join(text)))
    linked = len(read_page(page_path).xrefs)
    if linked < written:
        return [f"{page_path.name}: {written} cross-references in {qmd.name}, but {linked} links in the page"]
    return []


def search_index_problems(search_json: Path) -> list[str]:
    """The site's search index: no shortcode left unexpanded in a page's title or breadcrumbs."""
    text = search_json.read_text(encoding="utf-8")
    match = re.search(r"\{\{<[^}]*\}\}", text)
    return [f"{search_json.name}: a shortcode left unexpanded: {match[0]!r}"] if match else []


Word = tuple[float, float, float, float, str]  # x0, y0, x1, y1 (points, y downwards), text


@functools.lru_cache(maxsize=8)
def _layout(pdf: Path, stamp: float) -> list[tuple[float, float, list[list[Word]]]]:
    out = subprocess.run(["pdftotext", "-bbox-layout", str(pdf), "-"], capture_output=True, text=True,
                         check=True).stdout
    root = ET.fromstring(re.sub(r"<!DOCTYPE[^>]*>", "", out))
    xhtml = "{http://www.w3.org/1999/xhtml}"
    pages = []
    for page in root.iter(f"{xhtml}page"):
        lines = [[(float(w.get("xMin")), float(w.get("yMin")), float(w.get("xMax")), float(w.get("yMax")), w.text or "")
                  for w in line.iter(f"{xhtml}word")] for line in page.iter(f"{xhtml}line")]
        pages.append((float(page.get("width")), float(page.get("height")), [line for line in lines if line]))
    return pages


def pdf_lines(pdf: Path) -> list[tuple[float, float, list[list[Word]]]]:
    """Each page's width, height and lines of words, as pdftotext lays them out."""
    return _layout(pdf, pdf.stat().st_mtime)


def pdf_pages(pdf: Path) -> list[tuple[float, list[Word]]]:
    """Each page's height and its words with their boxes (x0, y0, x1, y1, text), y downwards."""
    return [(height, [word for line in lines for word in line]) for _, height, lines in pdf_lines(pdf)]


@functools.lru_cache(maxsize=8)
def _runs(pdf: Path, stamp: float) -> list[list[tuple[str, str]]]:
    out = subprocess.run(["pdftohtml", "-xml", "-i", "-stdout", str(pdf)], capture_output=True, text=True,
                         check=True).stdout
    fonts = dict(re.findall(r'<fontspec id="(\d+)"[^>]*family="([^"]*)"', out))
    pages = []
    for page in re.split(r"<page number=", out)[1:]:
        pages.append([(fonts.get(font, ""), html.unescape(re.sub(r"<[^>]+>", "", text)))
                      for font, text in re.findall(r'<text [^>]*font="(\d+)"[^>]*>(.*?)</text>', page)])
    return pages


def pdf_runs(pdf: Path) -> list[list[tuple[str, str]]]:
    """Each page's runs of text in one font: (font family, text)."""
    return _runs(pdf, pdf.stat().st_mtime)


FOOT = 60  # points above the paper's lower edge where only the page number may stand
HEAD = 70  # and below its upper edge, where the running head stands
LONE_HEADING = 3  # a page whose body has this many words or fewer holds only a heading
EQUATION_NUMBER = re.compile(r"^\((?:\d+|[A-Z])\.\d+\)$")
FOLIO = re.compile(r"\d+|[ivxlc]+")
PLAIN_WORD = re.compile(f"[\\w,.()%/:;'’\\-{CJK_CLASS}]*[A-Za-z0-9{CJK_CLASS}]{{2}}[\\w,.()%/:;'’\\-{CJK_CLASS}]*")


def _overlap(a, b) -> float:
    width = min(a[2], b[2]) - max(a[0], b[0])
    height = min(a[3], b[3]) - max(a[1], b[1])
    return max(width, 0) * max(height, 0)


def pdf_problems(pdf: Path, lang: str) -> list[str]:
    """Text below the body of a page (a table or figure run into the foot), equation numbers
    printed over their equations, words printed over words, a page number in both the head
    and the foot, a blank page with a running head, raw source; for Chinese a missing CJK font
    and the checks of `chinese_pdf_problems`."""
    problems = []
    for number, (height, words) in enumerate(pdf_pages(pdf), start=1):
        foot = [w for w in words if w[1] > height - FOOT and not FOLIO.fullmatch(w[4])]
        if foot:
            problems.append(f"page {number}: text at the page foot: {' '.join(w[4] for w in foot[:8])}")
        body = [w for w in words if HEAD < w[1] < height - FOOT]
        head = [w for w in words if w[1] <= HEAD]
        if 0 < len(body) <= LONE_HEADING:
            problems.append(f"page {number} holds only a heading: {' '.join(w[4] for w in body)}")
        if not body and any(not FOLIO.fullmatch(w[4]) for w in head):
            problems.append(f"page {number}: a blank page carries a running head: {' '.join(w[4] for w in head[:8])}")
        folios = {w[4] for w in head if FOLIO.fullmatch(w[4])} & {w[4] for w in words if w[1] > height - FOOT}
        if folios:
            problems.append(f"page {number}: the page number {sorted(folios)[0]} in both the head and the foot")
        for label in (w for w in words if EQUATION_NUMBER.match(w[4])):
            crowded = [w for w in words
                       if w is not label and _overlap(w, label) > 0.2 * (label[2] - label[0]) * (label[3] - label[1])]
            if crowded:
                problems.append(f"page {number}: equation number {label[4]} printed over {crowded[0][4]!r}")
        text_words = [w for w in words if PLAIN_WORD.fullmatch(w[4])]  # not formulas, whose glyphs stack
        for i, a in enumerate(text_words):
            over = next((b for b in text_words[i + 1:] if min(a[2], b[2]) - max(a[0], b[0]) > 2 and
                         min(a[3], b[3]) - max(a[1], b[1]) > 0.5 * min(a[3] - a[1], b[3] - b[1]) and
                         not EQUATION_NUMBER.match(a[4]) and not EQUATION_NUMBER.match(b[4])), None)
            if over:
                problems.append(f"page {number}: {a[4]!r} printed over {over[4]!r}")
                break
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    problems += [f"PDF: {what}" for what, pattern in RAW_SOURCE.items()
                 if what != "TeX left as text" and pattern.search(text)]
    if lang == "zh":
        fonts = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True).stdout
        if "CJK" not in fonts:
            problems.append("PDF: no CJK font embedded")
        problems += chinese_pdf_problems(pdf)
    return problems


PUNCTUATION_IN_CJK_FONT = re.compile("[\u201c\u201d\u2014\u2026]")


def chinese_pdf_problems(pdf: Path) -> list[str]:
    """The Chinese PDF: Chinese in the SC (simplified) forms of its CJK fonts, never a Japanese,
    Korean or traditional one; full-width quotation marks and dashes; no line letter-spaced
    (characters spread apart to fill it); chapters numbered 第 N 章 in headings, running heads
    and contents; no word broken on the title page."""
    problems = []
    fonts = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True).stdout
    for other in sorted(set(re.findall(r"CJK(jp|kr|tc|hk)", fonts, re.IGNORECASE))):
        problems.append(f"PDF: Chinese set in a CJK font for another script ({other.upper()})")
    for number, runs in enumerate(pdf_runs(pdf), start=1):
        latin = [text for family, text in runs if "CJK" not in family and PUNCTUATION_IN_CJK_FONT.search(text)]
        if latin:
            problems.append(f"page {number}: Chinese punctuation in a Latin font (narrow): {latin[0]!r}")
    pages = pdf_lines(pdf)
    sizes = sorted(line[0][3] - line[0][1] for _, _, lines in pages for line in lines)
    body_size = sizes[len(sizes) // 2] if sizes else 0
    single = re.compile(f"^[{CJK_CLASS}]$")
    for number, (_, _height, lines) in enumerate(pages, start=1):
        for line in lines:
            words = [w[4] for w in line]
            run = longest = 0
            for word in words:
                run = run + 1 if single.match(word) else 0
                longest = max(longest, run)
            if longest >= 4:
                problems.append(f"page {number}: Chinese letter-spaced: {' '.join(words)[:40]!r}")
            if len(words) >= 2 and re.fullmatch(r"\d+\.?", words[0]) and CJK.search(words[1]):
                tall = line[0][3] - line[0][1] > 1.3 * body_size
                leaders = "." in words[-2:-1] or (len(words) > 3 and words[-2].strip(". ") == "")
                if tall or line[0][1] <= HEAD or leaders:
                    problems.append(f"page {number}: a chapter numbered {words[0]!r}, not 第 N 章: "
                                    f"{' '.join(words)[:40]!r}")
        if number == 1:
            problems += [f"page 1: a character alone on a line of the title page: {line[0][4]!r}" for line in lines
                         if len(line) == 1 and single.match(line[0][4])]
    return problems[:40]


def listing_problems(pdf: Path, listings: list[str]) -> list[str]:
    """The code listings of the HTML (the source as the book prints it) in the PDF: each line
    found there sits at its indentation and is set on the monospace grid, not justified. A
    listing's lines are looked for in order, from where the first of them is found."""
    lines = [line for _, _, page in pdf_lines(pdf) for line in page]
    keys = [tuple(w[4] for w in line) for line in lines]
    problems = []
    for listing in listings:
        sources = [(source, source.strip()) for source in listing.splitlines()]
        sources = [(source, stripped) for source, stripped in sources
                   if len(stripped) >= 12 and not stripped.startswith("#")]
        if not sources:
            continue
        best = []
        # the first of the listing's lines that the PDF has whole (a long one may be wrapped)
        first = next((k for k, (_, stripped) in enumerate(sources) if tuple(stripped.split()) in keys), None)
        starts = [] if first is None else [i for i, key in enumerate(keys) if key == tuple(sources[first][1].split())]
        for start in starts:
            found, at = [], start - 1
            for source, stripped in sources[first:]:
                wanted = tuple(stripped.split())
                following = next((i for i in range(at + 1, min(at + 40, len(keys))) if keys[i] == wanted), None)
                if following is not None:
                    found.append((source, stripped, lines[following]))
                    at = following
            if len(found) > len(best):
                best = found
        origins = []
        for source, stripped, line in best:
            cell = (line[-1][2] - line[0][0]) / len(stripped)  # a monospace character's width
            offsets = [m.start() for m in re.finditer(r"\S+", stripped)]
            if any(abs(w[0] - line[0][0] - at * cell) > 0.4 * cell for w, at in zip(line, offsets)):
                problems.append(f"a listing's line is justified (spaces stretched): {stripped[:50]!r}")
            indent = len(source) - len(source.lstrip(" "))
            origins.append((line[0][0] - indent * cell, cell, stripped))
        if origins:
            first = origins[0]
            moved = [o for o in origins if abs(o[0] - first[0]) > 0.6 * first[1]]
            if moved:
                problems.append(f"a listing's line lost its indentation: {moved[0][2][:50]!r} "
                                f"(against {first[2][:30]!r})")
    return problems[:20]


def table_problems(pdf: Path, tables: list[list[list[str]]]) -> list[str]:
    """The HTML's tables (rows of cell texts) in the PDF: no two cells run together into one
    word, no name broken across lines (vae-/bce), no header stacked a character or two per
    line, no table of a few rows split across pages with a row or two alone on one of them; and
    no list of names repeated row after row
    (the models a run was trained with, in every row of the batch)."""
    pages = [{w[4] for line in lines for w in line} for _, _, lines in pdf_lines(pdf)]
    everything = set().union(*pages) if pages else set()
    problems = []
    for table in tables:
        rows = [row for row in table if any(row)]
        if not rows:
            continue
        for row in rows:
            for a, b in zip(row, row[1:]):
                left, right = (a.split() or [""])[-1], (b.split() or [""])[0]
                joined = left + right
                if len(left) >= 3 and len(right) >= 3 and re.search("[A-Za-z]", joined) and joined in everything:
                    problems.append(f"table cells run together: {joined!r}")
        for row in rows[1:]:
            for cell in row:
                for token in (t.strip(".,;:") for t in cell.split()):
                    if re.fullmatch(r"[a-z][a-z0-9.]*(?:-[a-z0-9.]+)+", token) and re.search(r"\d", token) \
                            and token not in everything:
                        problems.append(f"a name broken in a table cell: {token!r}")
        for header in rows[0]:
            runs = re.findall(f"[{CJK_CLASS}]{{2,}}", header)  # a header's Chinese words, 2 characters or more
            if runs and not any(runs[0][:2] in word for word in everything):
                problems.append(f"a table header stacked in pieces: {header!r}")
        header_words = set(" ".join(rows[0]).split())
        body = [set(" ".join(row).split()) for row in rows[1:] if any(row)]
        if 0 < len(body) <= 12:
            def on(words, page):  # most of these words are on the page (some may be broken)
                return len(words & pages[page]) >= 0.7 * len(words)
            starts = [i for i in range(len(pages)) if on(header_words, i)]
            whole = any(all(on(row, i) for row in body) for i in starts)
            for i in starts:
                if whole or i + 1 >= len(pages):
                    continue
                first = [row for row in body if on(row, i)]
                if first and all(on(row, i) or on(row, i + 1) for row in body):
                    rest = len(body) - len(first)
                    if 0 < min(len(first), rest) <= 2:  # a row or two alone on one page
                        problems.append(f"a table of {len(body)} rows split across pages {i + 1}–{i + 2}, "
                                        f"{len(first)} and {rest} rows: {rows[0][:3]}")
                    break
        for column in range(max(len(row) for row in rows)):
            values = [row[column] for row in rows[1:] if column < len(row)]
            lists = {v for v in values if len(v) > 30 and v.count(",") >= 2 and values.count(v) >= 3}
            if lists:
                problems.append(f"a list repeated row after row: {sorted(lists)[0][:40]!r}")
    return sorted(set(problems))[:20]


def equation_number_problems(pdf: Path, numbers: list[str]) -> list[str]:
    """The PDF numbers the same display equations as the HTML (`numbers`, their tags in the
    pages): an equation numbered in one only shifts every number after it in the chapter."""
    tags = set()
    for width, _, lines in pdf_lines(pdf):
        right = max((line[-1][2] for line in lines), default=width)
        for line in lines:
            last = line[-1]
            # a tag stands at the right margin, apart from its equation (a reference in the
            # text runs on after a space)
            apart = len(line) == 1 or last[0] - line[-2][2] > 15
            if EQUATION_NUMBER.match(last[4]) and right - last[2] < 10 and apart:
                tags.add(last[4].strip("()"))
    wanted = set(numbers)
    problems = [f"equation ({n}) is numbered in the PDF only" for n in sorted(tags - wanted)]
    problems += [f"equation ({n}) is numbered in the HTML only" for n in sorted(wanted - tags)]
    return problems[:20]


# --- In a browser (a Playwright page already showing the page to check) -------------------------

PHONE = {"width": 390, "height": 844}

FITS_SCRIPT = """() => {
  const problems = [];
  const width = document.documentElement.clientWidth;
  if (document.documentElement.scrollWidth > width + 1) {
    // the outermost element running past the screen's edge that no scrolling box holds
    const held = element => {
      for (let up = element.parentElement; up && up !== document.body; up = up.parentElement) {
        if (getComputedStyle(up).overflowX !== "visible") return true;
      }
      return false;
    };
    const culprit = [...document.querySelectorAll("body *")].find(element =>
      element.getBoundingClientRect().right > width + 1 && !held(element) &&
      ![...element.children].every(child => child.getBoundingClientRect().right > width + 1) );
    const what = culprit ? `${culprit.tagName.toLowerCase()}.${culprit.className}: \
${culprit.textContent.trim().slice(0, 40)}` : "?";
    problems.push(`the page is ${document.documentElement.scrollWidth} px wide on a ${width} px screen (${what})`);
  }
  for (const formula of document.querySelectorAll('.math.display, math[display="block"]')) {
    const style = getComputedStyle(formula);
    if (formula.scrollWidth > formula.clientWidth + 1 && !["auto", "scroll"].includes(style.overflowX)) {
      problems.push("a display formula is cut off at the screen's edge instead of scrolling");
    }
  }
  return problems;
}"""


def phone_problems(page) -> list[str]:
    """The page as a phone shows it (the page must already be at PHONE's size): nothing wider
    than the screen, and a display formula too wide for it scrolls."""
    return page.evaluate(FITS_SCRIPT)


PUNCTUATION_SCRIPT = """() => {
  const probe = document.createElement("span");
  probe.textContent = "——“”";
  document.querySelector("main p, main").appendChild(probe);
  const size = parseFloat(getComputedStyle(probe).fontSize), width = probe.getBoundingClientRect().width;
  probe.remove();
  return width / size;
}"""


def punctuation_problems(page) -> list[str]:
    """Chinese text's dash and quotation marks in full-width glyphs: "——“”" is four ems wide,
    not the Latin fonts' narrow forms (two short separate dashes)."""
    ems = page.evaluate(PUNCTUATION_SCRIPT)
    return [] if ems > 3.5 else [f"Chinese punctuation set in narrow Latin glyphs (——“” is {ems:.2f} em wide)"]


def language_switch_problems(page, other_page_url: str) -> list[str]:
    """The link to the other edition opens this page in that edition (`other_page_url`)."""
    links = page.evaluate("() => [...document.querySelectorAll('#quarto-header a[href]')].map(a => a.href)")
    if any(link.split("#")[0] == other_page_url for link in links):
        return []
    editions = [link for link in links if re.search(r"/[a-z]{2}/[^#]*\.html", link)]
    return [f"the language switch goes to {editions[:2]}, not to {other_page_url}"]
