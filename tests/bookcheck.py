"""Static checks of the book's sources: each chapter is a pair of files, chapters/en/X.qmd and
chapters/zh/X.qmd, that must show the same figures, tables, labels and numbers, through the
same calls to the chapter's module. Everything here is a function of the files' text.

    python tests/bookcheck.py chapters/en/X.qmd chapters/zh/X.qmd   # one chapter's problems
"""

from __future__ import annotations

import importlib
import re
import sys
from dataclasses import dataclass
from pathlib import Path

import yaml

LANGS = ("en", "zh")
CODE_FENCE = re.compile(r"^\s*(`{3,}|~{3,})\s*(\S*)")
PYTHON_CELL = re.compile(r"^\{python\b")
LABEL = re.compile(r"\{#((?:sec|fig|tbl|eq)-[\w-]+)")
CELL_LABEL = re.compile(r"^#\|\s*label:\s*((?:fig|tbl)-[\w-]+)")
REFERENCE = re.compile(r"(?<![\w/@])-?@((?:sec|fig|tbl|eq)-[\w-]*\w)")
INLINE = re.compile(r"`\{python\}\s+([^`]*)`")
INLINE_OPENED = re.compile(r"`\{python\}")
FACT = re.compile(r"^f(?:\.\w+)+$")
CHAPTER_IMPORT = re.compile(r"^from latentdigits\.chapters import (\w+) as chapter$")
CALL = re.compile(r"^chapter\.((?:fig|tbl|lst|html)_\w+)\(\"(en|zh)\"\)$")
CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\u3000-\u303f\uff00-\uffef]")
CLAIM = re.compile(r"\{#(c-[\w-]+)\s+\.claim\}")
HEADING = re.compile(r"^(#{1,6})\s+(.*?)\s*(\{[^}]*\})?\s*$")


@dataclass(frozen=True)
class Chapter:
    """What a chapter file holds, read from its text."""

    path: Path
    prose: list[tuple[int, str]]  # (line, text) outside code, math and comments
    math: list[tuple[int, str]]
    cells: list[tuple[int, list[str]]]  # (opening line, code lines without #| options)
    labels: list[str]
    references: list[tuple[int, str]]
    facts: list[tuple[int, str]]  # inline expressions
    claims: list[tuple[int, str]]  # (line, claim id) of each claim the prose marks
    problems: list[str]


def read(path: Path) -> Chapter:
    lines = path.read_text(encoding="utf-8").splitlines()
    prose, math, cells, problems = [], [], [], []
    labels, references, facts, claims = [], [], [], []
    index = 0
    while index < len(lines):
        line = lines[index]
        fence = CODE_FENCE.match(line)
        if fence:
            close = re.compile(rf"^\s*{re.escape(fence[1][0])}{{{len(fence[1])},}}\s*$")
            end = next((j for j in range(index + 1, len(lines)) if close.match(lines[j])), None)
            if end is None:
                problems.append(f"{path}:{index + 1}: code block never closed")
                break
            body = lines[index + 1 : end]
            if PYTHON_CELL.match(fence[2]):
                labels += [m[1] for b in body if (m := CELL_LABEL.match(b))]
                cells.append((index + 1, [b for b in body if b.strip() and not b.startswith("#|")]))
            index = end + 1
            continue
        if line.strip().startswith("$$"):
            end = index if line.strip().count("$$") >= 2 else next(
                (j for j in range(index + 1, len(lines)) if "$$" in lines[j]), None)
            if end is None:
                problems.append(f"{path}:{index + 1}: display math never closed")
                break
            math += [(j + 1, lines[j]) for j in range(index, end + 1)]
            labels += LABEL.findall(lines[end])
            index = end + 1
            continue
        if line.strip().startswith("<!--"):
            end = next((j for j in range(index, len(lines)) if "-->" in lines[j]), len(lines) - 1)
            index = end + 1
            continue
        prose.append((index + 1, line))
        index += 1
    for number, line in prose:
        labels += LABEL.findall(line)
        without_code = re.sub(r"`[^`]*`", "", line)
        references += [(number, key) for key in REFERENCE.findall(without_code)]
        claims += [(number, claim_id) for claim_id in CLAIM.findall(line)]
        found = INLINE.findall(line)
        facts += [(number, expression.strip()) for expression in found]
        if len(INLINE_OPENED.findall(line)) != len(found):
            problems.append(f"{path}:{number}: an inline expression runs over the line's end "
                            "(Quarto shows it as source)")
        if "``{python}" in line:
            problems.append(f"{path}:{number}: two inline expressions side by side "
                            "(Quarto shows the second as source); "
                            "make them one fact")
    for number, line in math:
        facts += [(number, expression.strip()) for expression in INLINE.findall(line)]
    return Chapter(path, prose, math, cells, labels, references, facts, claims, problems)


def module_of(chapter: Chapter):
    setup = chapter.cells[0][1] if chapter.cells else []
    match = next((m for line in setup if (m := CHAPTER_IMPORT.match(line))), None)
    return importlib.import_module(f"latentdigits.chapters.{match[1]}") if match else None


def function_for(label: str, chapter_id: str) -> str | None:
    """`fig-beta-vae-rate-distortion` in chapter `beta-vae` is drawn by `fig_rate_distortion`."""
    kind, _, rest = label.partition("-")
    prefix = f"{chapter_id}-"
    if kind not in ("fig", "tbl") or not rest.startswith(prefix):
        return None
    return f"{kind}_{rest[len(prefix):].replace('-', '_')}"


def file_problems(chapter: Chapter, lang: str) -> list[str]:
    """What one file does wrong on its own."""
    path, problems = chapter.path, list(chapter.problems)
    if not chapter.cells:
        return problems + [f"{path}: no setup cell"]
    setup = chapter.cells[0][1]
    expected_setup = [f'f = chapter.facts("{lang}")']
    if len(setup) != 2 or not CHAPTER_IMPORT.match(setup[0]) or setup[1:] != expected_setup:
        problems.append(f"{path}:{chapter.cells[0][0]}: the setup cell must be the chapter import and "
                        f"{expected_setup[0]}, nothing else")
    for line, code in chapter.cells[1:]:
        if len(code) != 1 or not (call := CALL.match(code[0])):
            problems.append(f"{path}:{line}: a cell must be one call "
                            f"chapter.fig_/tbl_/lst_/html_...(\"{lang}\"), got {code}")
        elif call[2] != lang:
            problems.append(f"{path}:{line}: {code[0]} asks for the other language")
    for line, expression in chapter.facts:
        if not FACT.match(expression):
            problems.append(f"{path}:{line}: inline expression `{expression}` must read a fact (f.name), not compute")
    for line, text in chapter.prose:
        stripped = re.sub(r"`[^`]*`", "", text)
        if lang == "en" and CJK.search(stripped):
            problems.append(f"{path}:{line}: Chinese in the English edition: {text.strip()[:60]}")
        if lang == "zh" and (heading := HEADING.match(text)) and not CJK.search(heading[2]):
            problems.append(f"{path}:{line}: heading without Chinese in the Chinese edition: {text.strip()}")
        if lang == "zh" and not text.startswith(":::") and ('"' in stripped or "”" in stripped.split("“")[0]):
            problems.append(f"{path}:{line}: use Chinese quotation marks “…” in the Chinese edition")
        if lang == "zh" and re.search(r"(?<!\[-)@sec-", stripped):
            problems.append(f"{path}:{line}: write 第 [-@sec-…] 章 / 节 in the Chinese edition, not @sec-…")
    return problems


def pair_problems(en: Chapter, zh: Chapter) -> list[str]:
    """What differs between the two editions of a chapter: labels, calls and facts."""
    problems = []
    for what, get in (("labels", lambda c: sorted(c.labels)),
                      ("figure and table calls", lambda c: sorted(CALL.sub(r"\1", code[0]) for _, code in c.cells[1:]
                                                                    if len(code) == 1)),
                      ("facts", lambda c: sorted({e for _, e in c.facts})),
                      ("claims", lambda c: sorted({claim_id for _, claim_id in c.claims}))):
        a, b = get(en), get(zh)
        if a != b:
            only_en = sorted(set(a) - set(b)) or "(same set, different counts)"
            only_zh = sorted(set(b) - set(a))
            problems.append(f"{en.path.stem}: the editions differ in {what}: "
                            f"only in en {only_en}, only in zh {only_zh}")
    module = module_of(en)
    if module is None:
        return problems + [f"{en.path}: the setup cell imports no chapter module"]
    from latentdigits.chapters import drawings

    functions = drawings(module.__name__)
    used = {CALL.match(code[0])[1] for _, code in en.cells[1:] if len(code) == 1 and CALL.match(code[0])}
    chapter_id = en.path.stem
    for label in en.labels:
        name = function_for(label, chapter_id)
        if label.startswith(("fig-", "tbl-")) and (name is None or name not in functions):
            problems.append(f"{en.path.stem}: {label} has no function {module.__name__}.{name}")
    problems += [f"{en.path.stem}: {module.__name__}.{name} draws nothing in the book" for name in functions
                 if name not in used]
    return problems


def edition_problems(files: list[Path]) -> list[str]:
    """References that resolve to no label, and labels defined twice, across an edition."""
    chapters = [read(path) for path in files]
    labels = [label for c in chapters for label in c.labels]
    problems = [f"{label} is defined twice" for label in sorted(set(labels)) if labels.count(label) > 1]
    for c in chapters:
        problems += [f"{c.path}:{line}: @{key} resolves to nothing" for line, key in c.references
                     if key not in labels]
    return problems


def edition_files(root: Path, lang: str) -> list[Path]:
    """The files the `lang` profile lists as chapters and appendices, in order, with the
    preface each edition shows through index.qmd."""
    profile = yaml.safe_load((root / f"_quarto-{lang}.yml").read_text(encoding="utf-8")) or {}
    book = profile.get("book") or {}
    names = [n for n in (book.get("chapters") or []) + (book.get("appendices") or []) if isinstance(n, str)]
    return [root / f"chapters/{lang}/_preface.qmd" if n == "index.qmd" else root / n for n in names]


def chapter_pair_problems(en_path: Path, zh_path: Path) -> list[str]:
    en, zh = read(en_path), read(zh_path)
    return file_problems(en, "en") + file_problems(zh, "zh") + pair_problems(en, zh)


if __name__ == "__main__":
    found = chapter_pair_problems(Path(sys.argv[1]), Path(sys.argv[2]))
    print("\n".join(found) or "no problems")
    sys.exit(1 if found else 0)
