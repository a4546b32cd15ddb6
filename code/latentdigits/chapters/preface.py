"""The preface: what the book holds, and a banner saying what produced this build."""

from __future__ import annotations

import functools

from ..claims import claim, fact
from ..experiments import EXPERIMENTS, runs
from ..text import number
from . import chapter_facts


def provenance(trained: list) -> dict:
    """What produced the book's numbers: the profile, the machines and their kinds of device,
    library versions, and the training time the given runs' cache entries record, added up."""
    return {
        "profile": ", ".join(sorted({r.profile.name for r in trained})),
        "models": len(trained),
        "machines": sorted({r.meta["device_name"] for r in trained}),
        "device_kinds": ", ".join(sorted({r.meta["device"].upper() for r in trained})),
        "torch": ", ".join(sorted({r.meta["torch"] for r in trained})),
        "python": ", ".join(sorted({r.meta["python"] for r in trained})),
        "train_minutes": sum(r.meta["train_seconds"] for r in trained) / 60,
        "last_trained": max(r.meta["created"] for r in trained)[:10],
    }


@functools.cache
def _build() -> dict:
    """Every experiment the book uses, read from the cache (or trained first), so that the
    banner describes the runs behind every number."""
    return provenance(list(runs(*EXPERIMENTS).values()))


@claim("c-preface-several-machines")
def several_machines():
    """The committed models were trained on more than one machine, so their summed training
    time is not the time of one run."""
    machines = _build()["machines"]
    return fact(len(machines) > 1, "; ".join(machines), "several", quantity="machines")


def facts(lang: str):
    build = {key: value for key, value in _build().items() if key != "machines"}  # named in the appendix
    return chapter_facts(__name__, lang, **build | {"train_minutes": number(build["train_minutes"], 1)})
