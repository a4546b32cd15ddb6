"""One module per chapter. Each has `facts(lang)`, the chapter's numbers and verdicts as
`text.Text` values for the prose, and one function per figure or table, named after its
label without the chapter's prefix (fig-beta-vae-rate-distortion: `beta_vae.fig_rate_distortion`),
which takes the language and returns what the cell shows. Runs are read through
`experiments.runs`, once per process."""

from __future__ import annotations

import sys

from .. import claims
from ..figures import code_note
from ..text import Facts, check_lang

KINDS = ("fig_", "tbl_", "html_")  # what a chapter shows: figures, tables, explorers


def drawings(module_name: str) -> dict:
    """The figure and table functions of a chapter module, by name."""
    module = sys.modules[module_name]
    return {name: value for name, value in vars(module).items()
            if name.startswith(KINDS) and callable(value) and getattr(value, "__module__", None) == module_name}


def chapter_facts(module_name: str, lang: str, **values) -> Facts:
    """A chapter's facts, with `code`: the code note of each of its figures and tables,
    for the end of their captions (`f.code.fig_curves`). The claims its file cites are
    checked first (`claims.publish`): a strict build stops at a false one."""
    check_lang(lang)
    claims.publish(claims.chapter_file(module_name, lang), lang)
    notes = Facts(**{name: code_note(function, lang) for name, function in drawings(module_name).items()})
    return Facts(**values, code=notes)
