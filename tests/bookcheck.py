"""Read the book's Quarto sources the way Quarto would, so the tests can check them without Quarto.

Everything here is a function of a file's text: its blocks (front matter, executable cells,
display code, HTML comments, display math), its fenced divs and language blocks, the ids it
defines and the references it makes, and the notebook Quarto's Jupyter engine would execute.
Line numbers are 1-based, as an editor shows them.
"""

from __future__ import annotations

import itertools
import re
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

import nbformat
import yaml

LANGS = ("en", "zh")

# Quarto's cross-reference kinds; any other `@key` in prose is a citation.
CROSSREF_KINDS = (
    "fig", "tbl", "eq", "sec", "lst", "alg",
    "thm", "lem", "cor", "prp", "cnj", "def", "exm", "exr", "sol", "rem",
)

CODE_FENCE = re.compile(r"^\s*(`{3,}|~{3,})\s*([^`]*)$")
PYTHON_CELL_INFO = re.compile(r"^\{python(?:[\s,][^}]*)?\}\s*$")
FRONT_MATTER_CLOSE = re.compile(r"^(---|\.\.\.)\s*$")
COMMENT_CLOSE = re.compile(r".*-->")
MATH_CLOSE = re.compile(r".*\$\$")

# A div opens with 3+ colons and attributes (or one class name), and closes with 3+ colons alone.
DIV_OPEN = re.compile(r"^\s*:{3,}\s*(\{.*\}|[^\s:{}]\S*)\s*:*\s*$")
DIV_CLOSE = re.compile(r"^\s*:{3,}\s*$")
WHEN_PROFILE = re.compile(r"""when-profile\s*=\s*["']?([\w-]+)""")
SHORTCODE = re.compile(r"^\s*\{\{<.*>\}\}\s*$")

INLINE_PYTHON = re.compile(r"`\{python\}\s+([^`]*?)\s*`")
CODE_SPAN_OR_COMMENT = re.compile(r"(`+).*?\1|<!--.*?-->")
ATTRIBUTE_ID = re.compile(r"\{#([A-Za-z][\w:.-]*)(?=[\s}])")
# Pandoc: a key starts with a letter, digit or _ and may hold internal punctuation. Letters are
# Unicode letters, so Chinese text glued to a reference becomes part of its key (put a space).
AT_KEY = re.compile(r"(?<![A-Za-z0-9_/])@(\w[\w:.#$%&+?<>~/-]*)")
KEY_TRAILING_PUNCTUATION = ":.#$%&+?<>~/-"
CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff]")
# Short bilingual text on one line (headings below the chapter title, figure captions):
# [English]{.content-visible when-profile="en"}[中文]{.content-visible when-profile="zh"}.
LANGUAGE_SPAN = re.compile(r"""\[([^\]]*)\]\{\.content-visible when-profile="(en|zh)"\}""")
HEADING_PREFIX = re.compile(r"^#{1,6}\s+")
TRAILING_ATTRIBUTES = re.compile(r"\s*\{#[^}]*\}\s*$")
# A book takes each chapter's title from the source before profiles apply (quarto-cli
# #6251), so a chapter title is one line in both languages: "# English · 中文 {#sec-x}".
BILINGUAL_TITLE = re.compile(r"^# [^\u3400-\u9fff]+ · .*[\u3400-\u9fff].*\{[^}]*\}\s*$")
CROSSREF_DIV = re.compile(r"\{#((?:fig|tbl)-[\w-]+)")
BIB_ENTRY = re.compile(r"^\s*@(\w+)\s*\{\s*([^,\s]+)\s*,", re.MULTILINE)


class QmdError(ValueError):
    """A .qmd that Quarto would misread: an unclosed block or div, or option YAML that does not parse."""

    def __init__(self, line: int, message: str) -> None:
        super().__init__(f"line {line}: {message}")
        self.line = line


def book_files(root: Path) -> list[Path]:
    """The files `_quarto.yml` lists as the book's chapters and appendices, in order."""
    config = yaml.safe_load((root / "_quarto.yml").read_text(encoding="utf-8")) or {}
    book = config.get("book") or {}
    entries = (book.get("chapters") or []) + (book.get("appendices") or [])
    return [root / name for name in _chapter_names(entries)]


def _chapter_names(entries: list) -> list[str]:
    names = []
    for entry in entries:
        if isinstance(entry, str):
            names.append(entry)
            continue
        # A part is a title or a file of its own, followed by its chapters.
        part = str(entry.get("part", ""))
        if part.endswith((".qmd", ".md", ".ipynb")):
            names.append(part)
        names += _chapter_names(entry.get("chapters") or [])
    return names


# --- Blocks: regions whose lines are not prose --------------------------------------------


@dataclass(frozen=True)
class Block:
    kind: str  # 'front' (YAML front matter), 'cell' (```{python}), 'code' (display code), 'comment', 'math'
    start: int  # the opening line
    end: int  # the closing line (== start for a one-line comment or equation)


def blocks(text: str) -> list[Block]:
    """Every non-prose region of `text`, in order."""
    lines = text.splitlines()
    found = []
    index = 0
    while index < len(lines):
        kind, closer = _block_opened_by(lines[index], is_first_line=index == 0)
        end = index
        if closer is not None:
            end = next((j for j in range(index + 1, len(lines)) if closer.match(lines[j])), None)
            if end is None:
                raise QmdError(index + 1, f"this {kind} block is never closed")
        if kind != "text":
            found.append(Block(kind, index + 1, end + 1))
        index = end + 1
    return found


def _block_opened_by(line: str, is_first_line: bool) -> tuple[str, re.Pattern | None]:
    """The kind of block `line` opens and the pattern of its closing line (None: it is one line)."""
    if is_first_line and line.rstrip() == "---":
        return "front", FRONT_MATTER_CLOSE
    if fence := CODE_FENCE.match(line):
        kind = "cell" if PYTHON_CELL_INFO.match(fence[2]) else "code"
        marks = fence[1]
        return kind, re.compile(rf"^\s*{re.escape(marks[0])}{{{len(marks)},}}\s*$")
    stripped = line.strip()
    if stripped.startswith("<!--"):
        return "comment", None if "-->" in stripped[4:] else COMMENT_CLOSE
    if stripped.startswith("$$"):
        return "math", None if "$$" in stripped[2:] else MATH_CLOSE
    return "text", None


def _lines_of_kinds(text: str, kinds: tuple[str, ...]) -> list[tuple[int, str]]:
    """(line number, line) for each line in a block of one of `kinds`; 'text' means prose."""
    lines = text.splitlines()
    line_kinds = ["text"] * len(lines)
    for block in blocks(text):
        line_kinds[block.start - 1 : block.end] = [block.kind] * (block.end - block.start + 1)
    numbered = enumerate(zip(lines, line_kinds), start=1)
    return [(number, line) for number, (line, kind) in numbered if kind in kinds]


def _without_code_spans(line: str) -> str:
    """`line` with inline code and HTML comments blanked out, columns kept."""
    return CODE_SPAN_OR_COMMENT.sub(lambda match: " " * len(match[0]), line)


def _load_yaml(text: str, line: int, what: str):
    try:
        return yaml.safe_load(text)
    except yaml.YAMLError as error:
        raise QmdError(line, f"{what} is not valid YAML: {error}") from None


def front_matter(text: str) -> dict:
    front = [block for block in blocks(text) if block.kind == "front"]
    if not front:
        return {}
    lines = text.splitlines()[front[0].start : front[0].end - 1]
    return _load_yaml("\n".join(lines), front[0].start + 1, "front matter") or {}


# --- Executable code ----------------------------------------------------------------------


@dataclass(frozen=True)
class Cell:
    line: int  # the opening ```{python} fence
    source: str  # the code between the fences, `#|` lines included, as the kernel receives it
    options: dict  # the `#|` lines, parsed as YAML


@dataclass(frozen=True)
class InlineExpression:
    line: int
    source: str  # the expression inside `{python} ...`


def code_cells(text: str) -> list[Cell]:
    lines = text.splitlines()
    cells = []
    for block in blocks(text):
        if block.kind == "cell":
            body = lines[block.start : block.end - 1]
            cells.append(Cell(block.start, "\n".join(body), _cell_options(body, block.start + 1)))
    return cells


def _cell_options(body: list[str], first_line: int) -> dict:
    option_lines = itertools.takewhile(lambda line: line.startswith("#|"), body)
    # Drop '#|' and the one space after it, keeping deeper indentation for multi-line YAML.
    yaml_text = "\n".join(line[2:].removeprefix(" ") for line in option_lines)
    options = _load_yaml(yaml_text, first_line, "the cell's #| options") or {}
    if not isinstance(options, dict):
        raise QmdError(first_line, "the cell's #| options are not 'key: value' lines")
    return options


def inline_expressions(text: str) -> list[InlineExpression]:
    return [
        InlineExpression(number, match[1])
        for number, line in _lines_of_kinds(text, ("text",))
        for match in INLINE_PYTHON.finditer(line)
    ]


# --- Fenced divs and language blocks ------------------------------------------------------


@dataclass(frozen=True)
class Div:
    attributes: str  # what follows the opening colons, e.g. '{.content-visible when-profile="en"}'
    start: int  # the opening fence
    end: int  # the closing fence

    @property
    def lang(self) -> str | None:
        """The language this div is shown in, if it is a language block."""
        profile = WHEN_PROFILE.search(self.attributes)
        if ".content-visible" in self.attributes and profile and profile[1] in LANGS:
            return profile[1]
        return None


def divs(text: str) -> list[Div]:
    """Every fenced div, nested ones included, in order of their opening fences."""
    found, open_divs = [], []
    for number, line in _lines_of_kinds(text, ("text",)):
        if DIV_CLOSE.match(line):
            if not open_divs:
                raise QmdError(number, "':::' closes no open div")
            attributes, start = open_divs.pop()
            found.append(Div(attributes, start, number))
        elif opening := DIV_OPEN.match(line):
            open_divs.append((opening[1], number))
    if open_divs:
        raise QmdError(open_divs[-1][1], "this div is never closed")
    return sorted(found, key=lambda div: div.start)


def language_blocks(text: str) -> list[Div]:
    return [div for div in divs(text) if div.lang]


def language_view(text: str, lang: str) -> str:
    """`text` as the `lang` profile renders it: the other language's blocks blanked out.

    Lines are blanked rather than removed so that line numbers still point into the source.
    """
    lines = text.splitlines()
    for block in language_blocks(text):
        if block.lang != lang:
            lines[block.start - 1 : block.end] = [""] * (block.end - block.start + 1)
    keep_span = lambda match: match[1] if match[2] == lang else ""  # noqa: E731
    return "\n".join(LANGUAGE_SPAN.sub(keep_span, line) for line in lines) + "\n"


def parity_problems(text: str) -> list[tuple[int, str]]:
    """Language blocks that are empty, untranslated, or not paired English-then-Chinese."""
    lines = text.splitlines()
    blocks_in_order = language_blocks(text)
    problems = []
    for index, block in enumerate(blocks_in_order):
        body = "\n".join(lines[block.start : block.end - 1])
        if not body.strip():
            problems.append((block.start, f"the {block.lang} block is empty"))
        # A block may hold only a code cell: the language twin of a figure drawn with
        # Chinese labels. Only prose must be in Chinese.
        prose = "\n".join(line for number, line in _lines_of_kinds(text, ("text",)) if block.start < number < block.end)
        if block.lang == "zh" and prose.strip() and not CJK.search(prose):
            problems.append((block.start, "the zh block has no Chinese characters"))
        previous = blocks_in_order[index - 1] if index > 0 else None
        following = blocks_in_order[index + 1] if index + 1 < len(blocks_in_order) else None
        if block.lang == "en" and not _are_twins(block, following, lines):
            problems.append((block.start, "the en block is not followed by its zh twin"))
        if block.lang == "zh" and not _are_twins(previous, block, lines):
            problems.append((block.start, "the zh block does not follow an en block"))
    return problems


def span_problems(text: str) -> list[tuple[int, str]]:
    """Language spans that are not an English span followed by its Chinese twin."""
    problems = []
    for number, line in _lines_of_kinds(text, ("text",)):
        spans = LANGUAGE_SPAN.findall(_without_code_spans(line))
        if not spans:
            continue
        langs = [lang for _, lang in spans]
        if langs != ["en", "zh"] * (len(langs) // 2) or len(langs) % 2:
            problems.append((number, "language spans must come in pairs, English then Chinese"))
        elif not all(spans[i][0].strip() and CJK.search(spans[i + 1][0]) for i in range(0, len(spans), 2)):
            problems.append((number, "a language span is empty or its Chinese twin has no Chinese characters"))
    return problems


def _bilingual_line(line: str) -> bool:
    """A chapter title in both languages, or a line made only of language spans
    (after an optional heading marker and before optional attributes)."""
    if BILINGUAL_TITLE.match(line):
        return True
    bare = TRAILING_ATTRIBUTES.sub("", HEADING_PREFIX.sub("", LANGUAGE_SPAN.sub("", line)))
    return bool(LANGUAGE_SPAN.search(line)) and not bare.strip()


def _are_twins(english: Div | None, chinese: Div | None, lines: list[str]) -> bool:
    if english is None or chinese is None or (english.lang, chinese.lang) != ("en", "zh"):
        return False
    between = lines[english.end : chinese.start - 1]
    return english.end < chinese.start and not any(line.strip() for line in between)


def prose_outside_blocks(text: str) -> list[tuple[int, str]]:
    """Prose lines that would show in both languages: outside every language block."""
    inside = set()
    for block in language_blocks(text):
        inside.update(range(block.start, block.end + 1))
    return [
        (number, line)
        for number, line in _lines_of_kinds(text, ("text",))
        if number not in inside
        and line.strip()
        and not (DIV_OPEN.match(line) or DIV_CLOSE.match(line) or SHORTCODE.match(line) or _bilingual_line(line))
    ]


# --- Ids, cross-references and citations --------------------------------------------------


def targets(text: str) -> list[tuple[int, str]]:
    """(line, id) for each cell label and each `{#id ...}` attribute."""
    found = [(cell.line, str(cell.options["label"])) for cell in code_cells(text) if "label" in cell.options]
    for number, line in _lines_of_kinds(text, ("text", "math")):
        found += [(number, match[1]) for match in ATTRIBUTE_ID.finditer(_without_code_spans(line))]
    return sorted(found)


def _at_keys(text: str) -> list[tuple[int, str]]:
    return [
        (number, match[1].rstrip(KEY_TRAILING_PUNCTUATION))
        for number, line in _lines_of_kinds(text, ("text",))
        for match in AT_KEY.finditer(_without_code_spans(line))
    ]


def _crossref_id(key: str) -> str | None:
    """The id `@key` refers to if it is a cross-reference (`@Fig-x` is `@fig-x`, capitalised)."""
    kind, dash, _ = key.partition("-")
    if dash and kind in (*CROSSREF_KINDS, *(name.capitalize() for name in CROSSREF_KINDS)):
        return key[0].lower() + key[1:]
    return None


def crossrefs(text: str) -> list[tuple[int, str]]:
    """(line, id) for each `@fig-`, `@tbl-`, `@eq-`, `@sec-` ... reference in prose."""
    return [(number, _crossref_id(key)) for number, key in _at_keys(text) if _crossref_id(key)]


def citations(text: str) -> list[tuple[int, str]]:
    """(line, key) for each `@key` in prose that is not a cross-reference."""
    return [(number, key) for number, key in _at_keys(text) if not _crossref_id(key)]


def crossref_problems(views: dict[Path, str]) -> list[str]:
    """Ids defined twice and references without a target, in one language view of the whole book.

    `views` maps each book file to its text as `language_view` gives it.
    """
    places = defaultdict(list)
    for path, text in views.items():
        for number, label in targets(text):
            places[label].append(f"{path}:{number}")
    problems = [
        f"{where[0]}: id '{label}' is defined {len(where)} times: {', '.join(where)}"
        for label, where in places.items()
        if len(where) > 1
    ]
    for path, text in views.items():
        problems += [
            f"{path}:{number}: @{ref} has no target" for number, ref in crossrefs(text) if ref not in places
        ]
    return problems


def bib_keys(bib_text: str) -> set[str]:
    entries = BIB_ENTRY.finditer(bib_text)
    return {match[2] for match in entries if match[1].lower() not in ("comment", "string", "preamble")}


# --- The notebook Quarto's Jupyter engine executes ----------------------------------------


def to_notebook(path: Path) -> nbformat.NotebookNode:
    """One code cell per ```{python} cell, and one per inline expression right after the cell before it.

    Cell metadata holds `options` (the `#|` options), `line`, and `crossref`, the id of the
    figure or table div the cell sits in; inline expressions have
    `inline: True`. Quarto runs cells with `eval: false` nowhere, so they get nbclient's skip tag.
    """
    text = Path(path).read_text(encoding="utf-8")
    crossref_divs = [(div, match[1]) for div in divs(text) if (match := CROSSREF_DIV.search(div.attributes))]
    numbered_cells = []
    for cell in code_cells(text):
        notebook_cell = _notebook_cell(cell)
        # A cell inside a figure or table div draws that figure or table.
        enclosing = [(div.start, id_) for div, id_ in crossref_divs if div.start < cell.line < div.end]
        if enclosing:
            notebook_cell.metadata["crossref"] = max(enclosing)[1]
        numbered_cells.append((cell.line, notebook_cell))
    numbered_cells += [(expression.line, _inline_cell(expression)) for expression in inline_expressions(text)]
    numbered_cells.sort(key=lambda numbered: numbered[0])  # stable: expressions on one line keep their order
    notebook = nbformat.v4.new_notebook(cells=[cell for _, cell in numbered_cells])
    notebook.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    return notebook


def _notebook_cell(cell: Cell) -> nbformat.NotebookNode:
    metadata = {"options": cell.options, "line": cell.line}
    if cell.options.get("eval") is False:
        metadata["tags"] = ["skip-execution"]
    return nbformat.v4.new_code_cell(cell.source, metadata=metadata)


def _inline_cell(expression: InlineExpression) -> nbformat.NotebookNode:
    # The expression alone: its value becomes the cell's result, as Quarto shows it in the text.
    return nbformat.v4.new_code_cell(expression.source, metadata={"inline": True, "line": expression.line})
