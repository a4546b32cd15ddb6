"""Appendix "Glossary": the book's terms in English and Chinese (`latentdigits.glossary`)."""

from __future__ import annotations

from IPython.display import Markdown

from .. import tables
from ..figures import uses
from . import chapter_facts


def facts(lang: str):
    return chapter_facts(__name__, lang)


@uses(tables.glossary)
def tbl_terms(lang: str):
    return Markdown(tables.glossary(lang))
