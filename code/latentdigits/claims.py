"""The book's claims: sentences about the measured numbers, each checked against them.

A claim is marked in the prose of both editions with the same id,
`[the rate falls at every step]{#c-beta-rate-falls .claim}`, and has one check in the book
layer: a function registered with `@claim("c-beta-rate-falls")` in the chapter module that
owns the comparison. The check reads the cached runs and returns `Evidence`: whether the claim
holds, and the numbers it rests on, written the same way in both languages. Two chapters that
speak of the same comparison cite the same id, so they cannot disagree.

When a chapter executes, `publish` evaluates the claims its file cites and hands the evidence
to the page (`claims.lua` shows it when the reader points at or focuses the sentence). What a
false claim does depends on the mode, `$LATENTDIGITS_CLAIMS`:

    strict   the whole full-profile build (`make book`): a false claim stops the build, naming
             the claim and the file and line of its sentence; the sentence is then rewritten
    mark     the default, as when a reader re-renders one chapter after changing a setting:
             each false claim is marked in the page with its evidence
    (quick)  the quick profile never fails and marks nothing: its pages say at the top that
             their numbers are a preview

    python -m latentdigits.claims [--profile full|quick] [ID ...]

evaluates every claim (or the given ones) and prints one line per claim; it exits 1 when one
fails and 2 when the editions cite an id that has no check or a check that no edition cites.
"""

from __future__ import annotations

import argparse
import importlib
import json
import math
import os
import re
import statistics
import sys
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from .figures import REPO_ROOT
from .text import LANGS, check_lang, number

MODE_VARIABLE = "LATENTDIGITS_CLAIMS"
MODES = ("strict", "mark")
# Where a chapter's kernel leaves the evidence for the page's filter (claims.lua).
EVIDENCE_DIR = REPO_ROOT / ".quarto" / "claims"
# Every chapter module, so that every check is registered before the book's ids are resolved.
CHAPTER_MODULES = ("preface", "from_ae_to_vae", "vae_mnist", "losses", "beta_vae", "latent_space", "noisy_data",
                   "gan", "vae_gan", "comparison", "course_reports", "reproducibility", "glossary")
# A claim in a chapter's text: `]{#c-some-id .claim}`; the sentence is the span before it.
CITATION = re.compile(r"\]\{#(c-[a-z0-9][a-z0-9-]*)\s+\.claim\}")
SIGNIFICANCE = 0.05  # the level of every test over seeds

# The words of the evidence: the rule a check applies, in each language (a label table; the
# numbers themselves are written the same way in both).
RULES = {
    "falls": {"en": "each below the one before", "zh": "每个值都低于前一个"},
    "rises": {"en": "each above the one before", "zh": "每个值都高于前一个"},
    "never_rises": {"en": "none above the one before", "zh": "没有一个值高于前一个"},
    "never_falls": {"en": "none below the one before", "zh": "没有一个值低于前一个"},
    "below": {"en": "first below second", "zh": "前者低于后者"},
    "above": {"en": "first above second", "zh": "前者高于后者"},
    "close": {"en": "within {tolerance} of each other", "zh": "相差不超过 {tolerance}"},
    "within": {"en": "inside the range", "zh": "落在区间内"},
    "outside": {"en": "outside the range", "zh": "落在区间外"},
    "lowest": {"en": "lowest of all", "zh": "所有值中最低"},
    "highest": {"en": "highest of all", "zh": "所有值中最高"},
    "seeds_below": {"en": "lower mean over seeds, Welch's t-test p < {level}",
                    "zh": "跨种子均值更低，Welch t 检验 p < {level}"},
    "seeds_same": {"en": "no difference over seeds at p < {level} (Welch's t-test)",
                   "zh": "跨种子无显著差异（Welch t 检验，p < {level}）"},
    "every_seed": {"en": "in every seed", "zh": "每个种子都如此"},
    "all": {"en": "every one", "zh": "全部满足"},
    "none": {"en": "none", "zh": "一个也没有"},
    "equal": {"en": "equal", "zh": "相等"},
    "count": {"en": "count", "zh": "计数"},
    "ratio_above": {"en": "ratio above {ratio}", "zh": "比值大于 {ratio}"},
    "one_row": {"en": "one row changed, the replaced β's", "zh": "只有被替换的 β 那一行变了"},
}
# What the numbers measure, named once per language (a label table).
QUANTITIES = {
    "rate": {"en": "rate (test KL)", "zh": "码率（测试集 KL）"},
    "distortion": {"en": "distortion (test reconstruction term)", "zh": "失真（测试集重构项）"},
    "neg_elbo": {"en": "test negative ELBO", "zh": "测试集负 ELBO"},
    "test_loss": {"en": "test loss", "zh": "测试集损失"},
    "kl": {"en": "test KL", "zh": "测试集 KL"},
    "recon": {"en": "test reconstruction term", "zh": "测试集重构项"},
    "fid": {"en": "FID", "zh": "FID"},
    "confidence": {"en": "confidence", "zh": "置信度"},
    "coverage_kl": {"en": "coverage KL", "zh": "类别覆盖 KL"},
    "sharpness": {"en": "sharpness", "zh": "锐度"},
    "ink": {"en": "mean intensity", "zh": "平均墨量"},
    "recon_mse": {"en": "squared error of test reconstructions", "zh": "测试集重构的平方误差"},
    "active": {"en": "active dimensions", "zh": "活跃维度"},
    "psnr": {"en": "PSNR", "zh": "PSNR"},
    "iwae": {"en": "IWAE bound", "zh": "IWAE 界"},
    "epochs_here_report": {"en": "epochs, here against the report's", "zh": "训练轮数，本书对报告"},
}
UNITS = {
    "nats": {"en": "nats per image", "zh": "纳特/图像"},
    "dB": {"en": "dB", "zh": "dB"},
    "degrees": {"en": "degrees", "zh": "度"},
    "dimensions": {"en": "dimensions", "zh": "个维度"},
    "minutes": {"en": "minutes", "zh": "分钟"},
}
VERDICT = {"en": ("holds", "FAILS"), "zh": ("成立", "不成立")}


class ClaimError(Exception):
    """A claim the book cannot check: an id without a check, or a check that failed to run."""


class ClaimFailed(Exception):
    """One or more claims of a strict build do not hold; the message names each with its
    evidence and the file and line of its sentence."""


@dataclass(frozen=True)
class Evidence:
    """Whether a claim holds, and what it rests on: `numbers`, written alike in both
    languages ("β = 0.25: 27.95 > β = 8: 8.31"), and the `rule` applied to them (a key of
    `RULES`, with its parameters), whose words are looked up per language."""

    holds: bool
    numbers: str
    rule: str = ""
    parameters: tuple[tuple[str, str], ...] = ()
    unit: str = ""  # a key of UNITS
    quantity: str = ""  # a key of QUANTITIES

    def __post_init__(self):
        if self.quantity and self.quantity not in QUANTITIES:
            raise ValueError(f"unknown quantity {self.quantity!r}; choose from {', '.join(QUANTITIES)}")
        if self.rule and self.rule not in RULES:
            raise ValueError(f"unknown rule {self.rule!r}; choose from {', '.join(RULES)}")
        if self.unit and self.unit not in UNITS:
            raise ValueError(f"unknown unit {self.unit!r}; choose from {', '.join(UNITS)}")

    def text(self, lang: str) -> str:
        rule = RULES[self.rule][check_lang(lang)].format(**dict(self.parameters)) if self.rule else ""
        numbers = f"{self.numbers} {UNITS[self.unit][lang]}" if self.unit else self.numbers
        if self.quantity:
            numbers = f"{QUANTITIES[self.quantity][lang]}{'：' if lang == 'zh' else ': '}{numbers}"
        if not rule:
            return numbers
        return f"{numbers}（{rule}）" if lang == "zh" else f"{numbers} ({rule})"

    def __and__(self, other: Evidence) -> Evidence:
        return both(self, other)


@dataclass(frozen=True)
class Combined(Evidence):
    """Several pieces of evidence that must all hold."""

    parts: tuple[Evidence, ...] = ()

    def text(self, lang: str) -> str:
        return "; ".join(part.text(lang) for part in self.parts)


def both(*parts: Evidence) -> Evidence:
    """Evidence that holds when every part does."""
    flat = tuple(p for part in parts for p in (part.parts if isinstance(part, Combined) else (part,)))
    return Combined(all(p.holds for p in flat), "; ".join(p.numbers for p in flat), parts=flat)


# --- The checks' building blocks -------------------------------------------------------------------
# Each takes the named values it decides on and, as keywords, `quantity` (a key of QUANTITIES)
# and `unit` (a key of UNITS) for the words around the numbers, and `digits` for rounding:
# the evidence shows a number as the prose does.


def _fmt(value: float, digits: int) -> str:
    return number(0.0 if abs(value) < 0.5 * 10 ** -digits else value, digits)  # never "-0.00"


def ordered(values: Mapping[str, float], trend: str, digits: int = 2, **words) -> Evidence:
    """Whether `values`, in their given order, fall / rise at every step, or never rise /
    never fall (`trend`, a rule name; ties allowed only for the "never" trends)."""
    items = list(values.values())
    test = {"falls": lambda a, b: b < a, "rises": lambda a, b: b > a,
            "never_rises": lambda a, b: b <= a, "never_falls": lambda a, b: b >= a}[trend]
    holds = all(test(a, b) for a, b in zip(items, items[1:]))
    sign = {"falls": ">", "rises": "<", "never_rises": "≥", "never_falls": "≤"}[trend] if holds else ","
    shown = f" {sign} ".join(f"{name}: {_fmt(value, digits)}" for name, value in values.items())
    return Evidence(holds, shown, trend, **words)


def below(a: tuple[str, float], b: tuple[str, float], digits: int = 2, **words) -> Evidence:
    """Whether the first named value is below the second (`a = (name, value)`)."""
    holds = a[1] < b[1]
    return Evidence(holds, f"{a[0]}: {_fmt(a[1], digits)} {'<' if holds else '≥'} {b[0]}: {_fmt(b[1], digits)}",
                    "below", **words)


def above(a: tuple[str, float], b: tuple[str, float], digits: int = 2, **words) -> Evidence:
    """Whether the first named value is above the second."""
    holds = a[1] > b[1]
    return Evidence(holds, f"{a[0]}: {_fmt(a[1], digits)} {'>' if holds else '≤'} {b[0]}: {_fmt(b[1], digits)}",
                    "above", **words)


def close(a: tuple[str, float], b: tuple[str, float], tolerance: float, digits: int = 2, **words) -> Evidence:
    """Whether two named values differ by at most `tolerance`."""
    holds = abs(a[1] - b[1]) <= tolerance
    return Evidence(holds, f"{a[0]}: {_fmt(a[1], digits)}, {b[0]}: {_fmt(b[1], digits)}", "close",
                    (("tolerance", _fmt(tolerance, digits)),), **words)


def within(value: tuple[str, float], low: float, high: float, digits: int = 2, inside: bool = True,
           **words) -> Evidence:
    """Whether a named value lies in [low, high] (or, with `inside=False`, outside it)."""
    holds = (low <= value[1] <= high) == inside
    return Evidence(holds, f"{value[0]}: {_fmt(value[1], digits)}, [{_fmt(low, digits)}, {_fmt(high, digits)}]",
                    "within" if inside else "outside", **words)


def extreme(values: Mapping[str, float], name: str, lowest: bool = True, digits: int = 2, **words) -> Evidence:
    """Whether `values[name]` is the lowest (or highest) of all."""
    pick = min if lowest else max
    holds = pick(values, key=values.get) == name
    others = ", ".join(f"{n}: {_fmt(v, digits)}" for n, v in values.items() if n != name)
    return Evidence(holds, f"{name}: {_fmt(values[name], digits)}; {others}", "lowest" if lowest else "highest",
                    **words)


def every(conditions: Mapping[str, bool], numbers: str, **words) -> Evidence:
    """Whether every named condition holds; `numbers` shows what they were decided on."""
    failing = [name for name, ok in conditions.items() if not ok]
    return Evidence(not failing, numbers + (f" [✗ {', '.join(failing)}]" if failing else ""), "all", **words)


def fact(holds: bool, numbers: str, rule: str = "", unit: str = "", quantity: str = "", **parameters) -> Evidence:
    """Evidence for a check of its own kind: whether it holds and the numbers it rests on."""
    return Evidence(bool(holds), numbers, rule, tuple((k, str(v)) for k, v in parameters.items()), unit, quantity)


def spread(values: Sequence[float], digits: int = 2) -> str:
    """Seeds' values as mean ± standard deviation and range: "316.4 ± 8.1 (307.2–325.0, n = 5)"."""
    mean = statistics.fmean(values)
    sd = statistics.stdev(values) if len(values) > 1 else 0.0
    return (f"{_fmt(mean, digits)} ± {_fmt(sd, digits)} "
            f"({_fmt(min(values), digits)}–{_fmt(max(values), digits)}, n = {len(values)})")


def welch(a: Sequence[float], b: Sequence[float]) -> tuple[float, float]:
    """Welch's t statistic and two-sided p-value for the means of two samples."""
    from scipy import stats

    result = stats.ttest_ind(list(a), list(b), equal_var=False)
    return float(result.statistic), float(result.pvalue)


def _p(p: float) -> str:
    return "p < 0.001" if p < 0.001 else f"p = {p:.3f}"


def seeds_below(a: tuple[str, Sequence[float]], b: tuple[str, Sequence[float]], digits: int = 2,
                **words) -> Evidence:
    """Whether the first model's values over seeds have a lower mean than the second's, by
    Welch's t-test at `SIGNIFICANCE` (two-sided): one run is one run."""
    t, p = welch(a[1], b[1])
    holds = statistics.fmean(a[1]) < statistics.fmean(b[1]) and p < SIGNIFICANCE
    return Evidence(holds, f"{a[0]}: {spread(a[1], digits)}; {b[0]}: {spread(b[1], digits)}; t = {t:.2f}, {_p(p)}",
                    "seeds_below", (("level", f"{SIGNIFICANCE:g}"),), **words)


def seeds_same(a: tuple[str, Sequence[float]], b: tuple[str, Sequence[float]], digits: int = 2,
               **words) -> Evidence:
    """Whether two models' values over seeds show no difference at `SIGNIFICANCE` (Welch)."""
    t, p = welch(a[1], b[1])
    holds = math.isnan(p) or p >= SIGNIFICANCE
    return Evidence(holds, f"{a[0]}: {spread(a[1], digits)}; {b[0]}: {spread(b[1], digits)}; t = {t:.2f}, {_p(p)}",
                    "seeds_same", (("level", f"{SIGNIFICANCE:g}"),), **words)


def every_seed(pairs: Sequence[tuple[float, float]], names: tuple[str, str], digits: int = 2, **words) -> Evidence:
    """Whether the first value is below the second in every seed (pairs of one seed each)."""
    holds = all(a < b for a, b in pairs)
    shown = ", ".join(f"{_fmt(a, digits)} {'<' if a < b else '≥'} {_fmt(b, digits)}" for a, b in pairs)
    return Evidence(holds, f"{names[0]} vs {names[1]}: {shown}", "every_seed", **words)


# --- The registry -----------------------------------------------------------------------------------

CHECKS: dict[str, Callable[[], Evidence]] = {}


def claim(claim_id: str):
    """Registers a function as the one check of claim `claim_id`."""
    if not re.fullmatch(r"c-[a-z0-9][a-z0-9-]*", claim_id):
        raise ValueError(f"a claim id is c- and lower-case words joined by dashes, not {claim_id!r}")

    def register(check: Callable[[], Evidence]):
        if claim_id in CHECKS and CHECKS[claim_id].__qualname__ != check.__qualname__:
            raise ValueError(f"claim {claim_id} has two checks: {CHECKS[claim_id].__module__}.{CHECKS[claim_id].__name__} "
                             f"and {check.__module__}.{check.__name__}")
        check.claim_id = claim_id
        CHECKS[claim_id] = check
        return check

    return register


def register_all() -> dict[str, Callable[[], Evidence]]:
    """Every check of the book (importing a chapter module registers its checks)."""
    for name in CHAPTER_MODULES:
        importlib.import_module(f"latentdigits.chapters.{name}")
    return CHECKS


def evaluate(claim_id: str) -> Evidence:
    """The evidence of one claim, by its check."""
    checks = register_all()
    if claim_id not in checks:
        raise ClaimError(f"claim {claim_id} has no check; register one with @claim({claim_id!r}) in its chapter's module")
    evidence = checks[claim_id]()
    if not isinstance(evidence, Evidence):
        raise ClaimError(f"the check of {claim_id} returned {type(evidence).__name__}, not Evidence")
    return evidence


# --- Where the claims are cited -------------------------------------------------------------------


@dataclass(frozen=True)
class Citation:
    claim_id: str
    path: Path
    line: int
    sentence: str

    def where(self) -> str:
        try:
            shown = self.path.resolve().relative_to(REPO_ROOT)
        except ValueError:
            shown = self.path
        return f"{shown}:{self.line}"


def _span_start(text: str, end: int) -> int:
    """The index of the `[` that opens the span whose `]` is at `end`."""
    depth = 0
    for index in range(end, -1, -1):
        char = text[index]
        if index > 0 and text[index - 1] == "\\":
            continue
        if char == "]":
            depth += 1
        elif char == "[":
            depth -= 1
            if depth == 0:
                return index
    return 0


def citations(path: Path) -> list[Citation]:
    """Every claim a chapter file cites, with the line where its sentence starts."""
    text = path.read_text(encoding="utf-8")
    found = []
    for match in CITATION.finditer(text):
        start = _span_start(text, match.start())
        sentence = " ".join(text[start + 1 : match.start()].split())
        found.append(Citation(match[1], path, text.count("\n", 0, start) + 1, sentence))
    return found


def edition_files(lang: str) -> list[Path]:
    """The chapter files of an edition, preface included."""
    return sorted((REPO_ROOT / "chapters" / check_lang(lang)).glob("*.qmd"))


def chapter_file(module_name: str, lang: str) -> Path:
    """The file of an edition that a chapter module serves: `beta_vae` -> chapters/en/beta-vae.qmd."""
    stem = module_name.rsplit(".", 1)[-1]
    stem = "_preface" if stem == "preface" else stem.replace("_", "-")
    return REPO_ROOT / "chapters" / check_lang(lang) / f"{stem}.qmd"


# --- In the page --------------------------------------------------------------------------------------


def mode() -> str:
    """strict, mark, or preview (the quick profile: never fails, marks nothing)."""
    from vaebook.config import get_profile

    if get_profile().name != "full":
        return "preview"
    chosen = os.environ.get(MODE_VARIABLE, "mark")
    if chosen not in MODES:
        raise ClaimError(f"{MODE_VARIABLE}={chosen!r}: choose one of {', '.join(MODES)}")
    return chosen


def evidence_file(lang: str) -> Path:
    from vaebook.config import get_profile

    return EVIDENCE_DIR / f"{get_profile().name}-{check_lang(lang)}.json"


def failure_message(failed: Iterable[tuple[Citation, Evidence]], lang: str = "en") -> str:
    lines = [f"claim {c.claim_id} does not hold: {e.text(lang)}\n  at {c.where()}: \"{c.sentence}\""
             for c, e in failed]
    return "\n".join(lines) + "\nclaims: rewrite these sentences to say what the numbers show (WRITING.md)"


def publish(path: Path, lang: str) -> dict[str, Evidence]:
    """Evaluates the claims a chapter file cites and leaves their evidence for the page's
    filter (`claims.lua`); in strict mode a false claim raises `ClaimFailed`."""
    cited = citations(path)
    results = {c.claim_id: evaluate(c.claim_id) for c in cited}
    current = mode()
    failed = [(c, results[c.claim_id]) for c in cited if not results[c.claim_id].holds]
    if failed and current == "strict":
        raise ClaimFailed(failure_message(failed, lang))
    target = evidence_file(lang)
    target.parent.mkdir(parents=True, exist_ok=True)
    try:
        shown = json.loads(target.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        shown = {}
    verdict = VERDICT[lang]
    for claim_id, evidence in results.items():
        shown[claim_id] = {"holds": evidence.holds, "mark": current == "mark" and not evidence.holds,
                           "evidence": f"{evidence.text(lang)} — {verdict[0] if evidence.holds else verdict[1]}"}
    temporary = target.with_suffix(f".{os.getpid()}.tmp")
    temporary.write_text(json.dumps(shown, ensure_ascii=False, indent=1, sort_keys=True), encoding="utf-8")
    temporary.replace(target)
    return results


# --- The command ----------------------------------------------------------------------------------------


def book_citations() -> dict[str, dict[str, list[Citation]]]:
    """{claim id: {lang: [citations]}} over both editions."""
    cited: dict[str, dict[str, list[Citation]]] = {}
    for lang in LANGS:
        for path in edition_files(lang):
            for c in citations(path):
                cited.setdefault(c.claim_id, {}).setdefault(lang, []).append(c)
    return cited


def structure_problems() -> list[str]:
    """Ids cited without a check, checks cited nowhere, ids cited in one edition only."""
    checks, cited = register_all(), book_citations()
    problems = [f"claim {i} is cited ({cited[i][next(iter(cited[i]))][0].where()}) but has no check"
                for i in sorted(cited) if i not in checks]
    problems += [f"claim {i} has a check ({checks[i].__module__}.{checks[i].__name__}) but no edition cites it"
                 for i in sorted(checks) if i not in cited]
    problems += [f"claim {i} is cited only in {', '.join(cited[i])}" for i in sorted(cited)
                 if i in checks and set(cited[i]) != set(LANGS)]
    return problems


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m latentdigits.claims", description=__doc__.split("\n\n")[0])
    parser.add_argument("ids", nargs="*", metavar="ID", help="claims to check (default: every claim of the book)")
    parser.add_argument("--profile", choices=("full", "quick"), default="full")
    parser.add_argument("--lang", choices=LANGS, default="en", help="language of the rules' words")
    args = parser.parse_args(argv)
    os.environ["VAEBOOK_PROFILE"] = args.profile
    problems = structure_problems()
    cited = book_citations()
    unknown = [i for i in args.ids if i not in CHECKS]
    if unknown:
        print(f"claims: no claim {', '.join(unknown)}; `python -m latentdigits.claims` lists them all", file=sys.stderr)
        return 2
    failed = 0
    for claim_id in args.ids or sorted(CHECKS):
        evidence = evaluate(claim_id)
        failed += not evidence.holds
        where = ", ".join(c.where() for lang in LANGS for c in cited.get(claim_id, {}).get(lang, []))
        print(f"{claim_id}  {'holds' if evidence.holds else 'FAILS'}  {evidence.text(args.lang)}  [{where}]")
    for problem in problems:
        print(f"claims: {problem}", file=sys.stderr)
    print(f"claims: {len(args.ids or CHECKS) - failed} hold, {failed} fail", file=sys.stderr)
    return 2 if problems else 1 if failed else 0


if __name__ == "__main__":
    # Run as a script, this file is `__main__`, not the module the chapters register with.
    from latentdigits.claims import main as registered_main

    sys.exit(registered_main())
