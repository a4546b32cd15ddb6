"""The book as published: the GitHub Pages workflow, the Makefile's build command and the
profiles it names, the PDF link of each edition, and the glossary.

As in test_book.py, the first half checks the real files and the second half shows, on small
broken inputs, that each check fails when it should.
"""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest
import yaml

from latentdigits import tables
from latentdigits.glossary import TERMS
from vaebook import paths

WORKFLOW = Path(".github/workflows/publish.yml")
QUARTO_SETUP = "quarto-dev/quarto-actions/setup@"
MIN_QUARTO = (1, 9)  # book projects in the typst format
BUILD = re.compile(r"-m\s+latentdigits\.build\b(.*)")
MAKE_BOOK = re.compile(r"(?<![\w-])make\b[^\n;&|]*?(?<![\w-])book(?![\w-])")
CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff]")
# The Chinese terms the brief for the chapters fixes; the glossary must give each of them.
KEY_CHINESE_TERMS = (
    "自编码器", "变分自编码器", "证据下界", "重参数化技巧", "KL 散度", "先验", "后验", "聚合后验",
    "后验坍缩", "隐空间", "隐变量", "编码器", "解码器", "重构", "码率", "失真", "纳特", "活跃维度",
    "生成器", "判别器", "生成对抗网络", "模式坍缩", "去噪", "椒盐噪声", "峰值信噪比", "主成分分析",
    "插值", "球面插值", "重要性采样", "二元交叉熵", "均方误差", "训练轮", "批次",
)


def report(problems: list[str]) -> str:
    return f"{len(problems)} problem(s):\n" + "\n".join(problems)


# --- Reading the files ----------------------------------------------------------------------


def make_targets(makefile: str) -> dict[str, list[str]]:
    """Each rule's target names mapped to its recipe lines (tab-indented; continuations joined,
    runs of white space made one space)."""
    targets: dict[str, list[str]] = {}
    current: list[str] | None = None
    for line in makefile.replace("\\\n", " ").splitlines():
        if line.startswith("\t") and current is not None:
            current.append(" ".join(line.split()))
        elif (rule := re.match(r"^([^\s:=#][^:=]*):(?!=)", line)) and not line.startswith("\t"):
            current = []
            for name in rule[1].split():
                targets[name] = current
        elif line.strip() and not line.startswith("#"):
            current = None
    return targets


def rendered_profiles(recipe: list[str]) -> list[list[str]]:
    """The profiles of each edition that `python -m latentdigits.build [--profile P] LANG ...`
    lines render: [["en"], ["zh"]], or with a build profile [["quick", "en"], ...]."""
    rendered = []
    for line in recipe:
        if match := BUILD.search(line):
            words = match[1].split()
            build = words[words.index("--profile") + 1] if "--profile" in words else "full"
            options = {"--profile", "--to", "--files", build}
            langs = [w for w in words
                     if not w.startswith("-") and w not in options and not w.startswith(("html", "pdf"))]
            rendered += [[lang] if build == "full" else [build, lang] for lang in langs]
    return rendered


def workflow_steps(workflow: dict) -> list[dict]:
    return [step for job in (workflow.get("jobs") or {}).values() for step in (job.get("steps") or [])]


def workflow_env(workflow: dict, name: str) -> list[str]:
    """Every value `name` is given in the workflow's, its jobs' and its steps' env maps."""
    envs = [workflow.get("env") or {}]
    for job in (workflow.get("jobs") or {}).values():
        envs.append(job.get("env") or {})
        envs += [step.get("env") or {} for step in job.get("steps") or []]
    return [str(env[name]) for env in envs if name in env]


def version_tuple(version: str) -> tuple[int, ...]:
    return tuple(int(part) for part in re.findall(r"\d+", version))


# --- The checks -----------------------------------------------------------------------------


def quarto_under_test() -> str | None:
    """The version of the Quarto that the tests of the rendered book use (latentdigits.build
    finds it), or None where there is none."""
    from latentdigits import build
    from vaebook.errors import MissingTool

    try:
        quarto = build.find_quarto()
    except MissingTool:
        return None
    done = subprocess.run([quarto, "--version"], capture_output=True, text=True, timeout=60)
    return done.stdout.strip() or None


def workflow_problems(text: str, makefile: str, tested: str | None = None) -> list[str]:
    """What would keep the workflow from publishing the book the way the README builds it;
    with `tested`, the version of Quarto the render tests use, which the workflow must pin, so
    that what is published is what was checked."""
    try:
        workflow = yaml.safe_load(text)
    except yaml.YAMLError as error:
        return [f"{WORKFLOW} is not valid YAML: {error}"]
    if not isinstance(workflow, dict):
        return [f"{WORKFLOW} is not a mapping"]
    problems = []
    # PyYAML reads the bare key `on` as the boolean True (YAML 1.1).
    triggers = workflow.get("on", workflow.get(True)) or {}
    triggers = {name: None for name in triggers} if isinstance(triggers, (list, str)) else triggers
    if "workflow_dispatch" not in triggers:
        problems.append("the workflow cannot be started by hand (no workflow_dispatch)")
    branches = ((triggers.get("push") or {}) if isinstance(triggers.get("push"), dict) else {}).get("branches")
    if "main" not in ([branches] if isinstance(branches, str) else branches or []):
        problems.append("the workflow does not run on a push to main")
    steps = workflow_steps(workflow)
    uses = [str(step.get("uses", "")) for step in steps]
    setup = [step for step in steps if str(step.get("uses", "")).startswith(QUARTO_SETUP)]
    if not setup:
        problems.append(f"no step uses {QUARTO_SETUP}...")
    for step in setup:
        version = str((step.get("with") or {}).get("version", "release"))
        if version not in ("release", "pre-release") and version_tuple(version)[:2] < MIN_QUARTO:
            problems.append(f"Quarto {version} is older than {'.'.join(map(str, MIN_QUARTO))}")
        if tested is not None and version_tuple(version) != version_tuple(tested):
            problems.append(f"the workflow publishes with Quarto {version}, but the tests render with {tested}")
    values = workflow_env(workflow, paths.CACHE_ONLY_VARIABLE)
    if not values or any(value in ("", "0") for value in values):
        problems.append(f"{paths.CACHE_ONLY_VARIABLE} is not set to a true value, so the build could train")
    runs = "\n".join(str(step.get("run", "")) for step in steps)
    if not MAKE_BOOK.search(runs):
        problems.append("no step runs `make book`, the README's build command")
    if "book" not in make_targets(makefile):
        problems.append("the Makefile has no `book` target")
    uploads = [step for step in steps if str(step.get("uses", "")).startswith("actions/upload-pages-artifact@")]
    if not uploads or str((uploads[0].get("with") or {}).get("path", "")).rstrip("/") != "_book":
        problems.append("_book/ is not uploaded with actions/upload-pages-artifact")
    if not any(use.startswith("actions/deploy-pages@") for use in uses):
        problems.append("no step deploys with actions/deploy-pages")
    if "_book/index.html" not in runs:
        problems.append("no step writes _book/index.html, so the site's root would be empty")
    permissions = workflow.get("permissions") or {}
    for job in (workflow.get("jobs") or {}).values():
        permissions = permissions | (job.get("permissions") or {})
    if permissions.get("pages") != "write" or permissions.get("id-token") != "write":
        problems.append("deploy-pages needs the permissions pages: write and id-token: write")
    return problems


def profile_problems(root: Path) -> list[str]:
    """Profiles the Makefile renders that the project does not define, and a `book` target
    that does not render every language."""
    config = yaml.safe_load((root / "_quarto.yml").read_text(encoding="utf-8")) or {}
    groups = ((config.get("profile") or {}).get("group")) or []
    grouped = {str(name) for group in groups for name in group}
    targets = make_targets((root / "Makefile").read_text(encoding="utf-8"))
    problems = []
    for target, recipe in targets.items():
        for profiles in rendered_profiles(recipe):
            problems += [
                f"make {target} renders --profile {','.join(profiles)}, but '{name}' is neither a "
                f"_quarto-{name}.yml nor in _quarto.yml's profile groups"
                for name in profiles
                if name not in grouped and not (root / f"_quarto-{name}.yml").is_file()
            ]
    languages = next((set(map(str, group)) for group in groups if "en" in map(str, group)), {"en", "zh"})
    book_languages = {name for profiles in rendered_profiles(targets.get("book", [])) for name in profiles}
    problems += [f"make book does not render the '{lang}' edition" for lang in sorted(languages - book_languages)]
    return problems


def pdf_link_problems(root: Path) -> list[str]:
    """Each language profile must link its navbar to its own PDF, book.output-file + .pdf."""
    config = yaml.safe_load((root / "_quarto.yml").read_text(encoding="utf-8")) or {}
    pdf = f"{(config.get('book') or {}).get('output-file', 'index')}.pdf"
    groups = ((config.get("profile") or {}).get("group")) or []
    languages = next((list(map(str, group)) for group in groups if "en" in map(str, group)), ["en", "zh"])
    problems = []
    for lang in languages:
        path = root / f"_quarto-{lang}.yml"
        profile = yaml.safe_load(path.read_text(encoding="utf-8")) if path.is_file() else {}
        navbar = ((profile or {}).get("book") or {}).get("navbar") or {}
        items = [item for side in ("left", "right") for item in navbar.get(side) or [] if isinstance(item, dict)]
        if not any(str(item.get("href", "")).lstrip("./") == pdf for item in items):
            problems.append(f"{path.name}: no navbar item links to {pdf}")
    return problems


def glossary_problems(terms, required_chinese=KEY_CHINESE_TERMS) -> list[str]:
    problems = []
    chinese = {term[1] for term in terms}
    problems += [f"the glossary has no entry for {name}" for name in required_chinese if name not in chinese]
    for term in terms:
        if len(term) != 4 or not all(isinstance(part, str) and part.strip() for part in term):
            problems.append(f"{term!r}: not four non-empty strings (English, 中文, meaning, 含义)")
            continue
        if any("|" in part or "\n" in part for part in term):
            problems.append(f"{term[0]}: a '|' or a line break would break the Markdown table")
        if not CJK.search(term[3]):
            problems.append(f"{term[0]}: the Chinese definition has no Chinese characters")
    english = [term[0] for term in terms]
    problems += [f"{name} is listed twice" for name in sorted({n for n in english if english.count(n) > 1})]
    return problems


# --- The real project -----------------------------------------------------------------------


def test_the_workflow_publishes_the_book_from_the_cache(repo_root: Path) -> None:
    path = repo_root / WORKFLOW
    assert path.is_file(), f"{WORKFLOW} is missing"
    problems = workflow_problems(path.read_text(encoding="utf-8"), (repo_root / "Makefile").read_text(encoding="utf-8"),
                                 tested=quarto_under_test())
    assert not problems, report(problems)


def test_every_rendered_profile_exists(repo_root: Path) -> None:
    assert not (problems := profile_problems(repo_root)), report(problems)


def test_each_edition_links_its_pdf(repo_root: Path) -> None:
    assert not (problems := pdf_link_problems(repo_root)), report(problems)


def test_the_glossary_covers_the_key_terms() -> None:
    assert not (problems := glossary_problems(TERMS)), report(problems)


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_the_glossary_table_lists_every_term(lang: str) -> None:
    lines = tables.glossary(lang=lang).splitlines()
    assert len(lines) == 2 + len(TERMS)
    assert all(line.startswith("| ") and line.count(" | ") == 2 for line in lines[2:])
    assert ("含义" in lines[0]) == (lang == "zh")


# --- The checks themselves ------------------------------------------------------------------


MAKEFILE = """\
.PHONY: book
book: setup
\t$(PY) -m latentdigits.build en zh
book-quick: setup
\t$(PY) -m latentdigits.build --profile quick en
"""

GOOD_WORKFLOW = """\
on:
  push:
    branches: [main]
  workflow_dispatch:
permissions: {contents: read, pages: write, id-token: write}
env:
  VAEBOOK_CACHE_ONLY: "1"
jobs:
  build:
    runs-on: ubuntu-latest
    steps:
      - uses: quarto-dev/quarto-actions/setup@v2
        with: {version: "1.9.18"}
      - run: make book
      - run: echo redirect > _book/index.html
      - uses: actions/upload-pages-artifact@v4
        with: {path: _book/}
  deploy:
    needs: build
    runs-on: ubuntu-latest
    steps:
      - uses: actions/deploy-pages@v4
"""


def test_a_good_workflow_passes() -> None:
    assert workflow_problems(GOOD_WORKFLOW, MAKEFILE) == []


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        ("quarto-dev/quarto-actions/setup@v2", "some/other-setup@v1", "no step uses"),
        ('version: "1.9.18"', 'version: "1.8.25"', "older than 1.9"),
        ('VAEBOOK_CACHE_ONLY: "1"', 'VAEBOOK_CACHE_ONLY: "0"', "VAEBOOK_CACHE_ONLY is not set"),
        ('  VAEBOOK_CACHE_ONLY: "1"\n', "  OTHER: x\n", "VAEBOOK_CACHE_ONLY is not set"),
        ("run: make book\n", "run: make book-quick\n", "no step runs `make book`"),
        ("run: make book\n", "run: quarto render\n", "no step runs `make book`"),
        ("branches: [main]", "branches: [dev]", "push to main"),
        ("  workflow_dispatch:\n", "", "workflow_dispatch"),
        ("id-token: write", "id-token: read", "permissions"),
        ("{path: _book/}", "{path: _site}", "_book/ is not uploaded"),
        ("actions/deploy-pages@v4", "actions/checkout@v4", "deploy-pages"),
        ("_book/index.html", "_book/home.html", "_book/index.html"),
        ("jobs:", "jobs: [", "not valid YAML"),
    ],
)
def test_a_broken_workflow_fails(old: str, new: str, expected: str) -> None:
    assert old in GOOD_WORKFLOW
    problems = workflow_problems(GOOD_WORKFLOW.replace(old, new, 1), MAKEFILE)
    assert any(expected in problem for problem in problems), problems


@pytest.mark.parametrize(("pinned", "tested", "broken"), [
    ('version: "1.9.18"', "1.9.18", False),
    ('version: "1.9.18"', "1.10.16", True),
    ('version: "release"', "1.10.16", True),  # whatever is newest on the day of publishing
])
def test_the_workflow_must_publish_with_the_tested_quarto(pinned: str, tested: str, broken: bool) -> None:
    problems = workflow_problems(GOOD_WORKFLOW.replace('version: "1.9.18"', pinned), MAKEFILE, tested=tested)
    assert any("the tests render with" in problem for problem in problems) == broken, problems


def test_a_makefile_without_a_book_target_fails() -> None:
    problems = workflow_problems(GOOD_WORKFLOW, MAKEFILE.replace("book:", "site:"))
    assert problems == ["the Makefile has no `book` target"]


def test_make_targets_reads_recipes() -> None:
    targets = make_targets(MAKEFILE + "VAR := 1\nclean:\n\trm -rf _book \\\n\t  _freeze\n")
    assert rendered_profiles(targets["book"]) == [["en"], ["zh"]]
    assert rendered_profiles(targets["book-quick"]) == [["quick", "en"]]
    assert targets["clean"] == ["rm -rf _book _freeze"]
    assert ".PHONY" in targets and "VAR" not in targets


def write_project(root: Path, makefile: str = MAKEFILE, profiles=("en", "zh"), pdf_in=("en", "zh")) -> Path:
    (root / "_quarto.yml").write_text(
        "profile:\n  group:\n    - [en, zh]\n    - [full, quick]\nbook:\n  output-file: latent-digits\n"
    )
    (root / "Makefile").write_text(makefile)
    for name in profiles:
        link = "      - {icon: file-pdf, href: latent-digits.pdf}\n" if name in pdf_in else ""
        navbar = "book:\n  navbar:\n    right:\n      - {text: x, href: ../x/}\n"
        (root / f"_quarto-{name}.yml").write_text(navbar + link)
    return root


def test_a_good_project_passes(tmp_path: Path) -> None:
    root = write_project(tmp_path)
    assert profile_problems(root) == [] and pdf_link_problems(root) == []


def test_a_missing_profile_and_a_missing_edition_fail(tmp_path: Path) -> None:
    root = write_project(tmp_path, MAKEFILE.replace("build en zh", "build en fr"))
    assert profile_problems(root) == [
        "make book renders --profile fr, but 'fr' is neither a _quarto-fr.yml nor in _quarto.yml's profile groups",
        "make book does not render the 'zh' edition",
    ]


def test_a_missing_pdf_link_fails(tmp_path: Path) -> None:
    root = write_project(tmp_path, pdf_in=("en",))
    assert pdf_link_problems(root) == ["_quarto-zh.yml: no navbar item links to latent-digits.pdf"]


def test_a_thin_or_broken_glossary_fails() -> None:
    terms = [
        ("prior", "先验", "p(z).", "隐变量的分布。"),
        ("prior", "先验", "again", "再次"),
        ("posterior", "后验", "q(z | x)", "后验分布"),
        ("nats", "纳特", "unit", "unit"),
        ("rate", "码率", "", "信息量"),
    ]
    problems = glossary_problems(terms, required_chinese=("先验", "后验", "证据下界"))
    assert problems == [
        "the glossary has no entry for 证据下界",
        "posterior: a '|' or a line break would break the Markdown table",
        "nats: the Chinese definition has no Chinese characters",
        "('rate', '码率', '', '信息量'): not four non-empty strings (English, 中文, meaning, 含义)",
        "prior is listed twice",
    ]
