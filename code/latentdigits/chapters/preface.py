"""The preface: what the book holds, and a banner saying what produced this build."""

from __future__ import annotations

from ..experiments import EXPERIMENTS, runs
from ..text import number
from . import chapter_facts


def provenance(trained: list) -> dict:
    """What produced the book's numbers: the profile, devices, library versions and the
    training time of the given runs."""
    return {
        "profile": ", ".join(sorted({r.profile.name for r in trained})),
        "models": len(trained),
        "devices": ", ".join(sorted({f"{r.meta['device_name']} ({r.meta['device']})" for r in trained})),
        "torch": ", ".join(sorted({r.meta["torch"] for r in trained})),
        "python": ", ".join(sorted({r.meta["python"] for r in trained})),
        "train_minutes": sum(r.meta["train_seconds"] for r in trained) / 60,
        "last_trained": max(r.meta["created"] for r in trained)[:10],
    }


def facts(lang: str):
    """The build's provenance: every experiment the book uses, read from the cache (or
    trained first), so that the banner describes the runs behind every number."""
    build = provenance(list(runs(*EXPERIMENTS).values()))
    return chapter_facts(__name__, lang, **build | {"train_minutes": number(build["train_minutes"], 1)})
