"""The whole full profile from an empty cache, as a user meets it on a fresh clone.

    python bench/full_profile.py [--jobs 2] [--no-render]

Two phases, each a process, timed by the wall clock:
1. `vaebook train all --jobs N`: every experiment and every seed of the book trained
   (sweeps batched, N models side by side on a CPU);
2. `python -m latentdigits.build en zh`: both editions, HTML and PDF, which computes every
   measurement the chapters show (the evaluation protocol, t-SNE, likelihood bounds,
   denoising, ...) into the same cache and renders the book.
Both run in a cache folder of their own (temporary, or `--keep DIR`): the repository's
`cache/` is never read or touched.
Writes bench/results/full-profile/<device>.json, which the reproducibility appendix shows.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
import tempfile
import time
from datetime import datetime, timezone
from pathlib import Path

import torch

from vaebook.device import device_name, pick_device

HERE = Path(__file__).resolve().parent
RESULTS = HERE / "results" / "full-profile"


def timed(command: list[str], env: dict) -> float:
    """The wall time of `command`, whose output goes to this process's own (a user sees it)."""
    started = time.perf_counter()
    subprocess.run(command, env=env, check=True, cwd=HERE.parent)
    return time.perf_counter() - started


def count_entries(cache: Path) -> int:
    return sum(1 for entry in (cache / "full").iterdir() if (entry / "entry.json").exists())


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--jobs", type=int, default=2, help="models trained side by side on a CPU (default 2)")
    parser.add_argument("--no-render", action="store_true", help="train only (the build phase is skipped)")
    parser.add_argument("--keep", type=Path, metavar="DIR",
                        help="an empty folder to build the cache in and keep (default: a temporary one)")
    args = parser.parse_args(argv)
    if args.keep is not None and args.keep.exists() and any(args.keep.iterdir()):
        parser.error(f"{args.keep} is not empty; give an empty or new folder")
    device = pick_device(None)
    bin_dir = Path(sys.executable).parent
    with tempfile.TemporaryDirectory(prefix="full-profile-") as folder:
        cache = args.keep or Path(folder) / "cache"
        env = os.environ | {"VAEBOOK_CACHE": str(cache), "VAEBOOK_PROFILE": "full"}
        env.pop("VAEBOOK_CACHE_ONLY", None)
        phases = {"train_s": timed([str(bin_dir / "vaebook"), "train", "all", "--jobs", str(args.jobs)], env)}
        if not args.no_render:
            phases["build_s"] = timed([sys.executable, "-m", "latentdigits.build", "en", "zh"], env)
        entries = count_entries(cache)
    name = device_name(device)
    result = {
        "device": device.type, "device_name": name, "torch": torch.__version__, "threads": torch.get_num_threads(),
        "cpu_count": os.cpu_count(), "jobs": args.jobs,
        "date": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "entries": entries, **phases, "total_s": sum(phases.values()),
    }
    slug = re.sub(r"[^a-z0-9]+", "-", f"{device.type}-{name}".lower()).strip("-")
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / f"{slug}.json").write_text(json.dumps(result, indent=2) + "\n")
    print(json.dumps(result, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
