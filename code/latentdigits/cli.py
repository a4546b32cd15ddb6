"""The `vaebook` command: list, train, show and evaluate the book's experiments, and look
after the cache.

Every error a user can cause is one line on stderr and exit status 2; an interrupt says
truthfully what was stored before it (exit status 130). Modules are imported inside the
commands that need them, so that a command pays only for what it uses.
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import statistics
import sys
import time


class _Parser(argparse.ArgumentParser):
    """argparse, but a usage error is one line (its choices included) and exit status 2."""

    def error(self, message: str):
        self.exit(2, f"vaebook: error: {message}\n")


def _count(minimum: int, maximum: int):
    def parse(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"{text!r} is not an integer") from None
        if value < minimum:
            raise argparse.ArgumentTypeError(f"{value} is less than {minimum}")
        if value > maximum:
            raise argparse.ArgumentTypeError(f"{value} is more than {maximum:,}")
        return value

    return parse


def _parser(experiments: list[str], profiles: list[str]) -> argparse.ArgumentParser:
    from vaebook.config import MAX_EPOCHS, MAX_SEED

    parser = _Parser(prog="vaebook", description="Train, cache and inspect the models of the book Latent Digits.")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    profile = _Parser(add_help=False)
    profile.add_argument("--profile", choices=profiles, help="build profile (default: $VAEBOOK_PROFILE, else full)")
    overrides = _Parser(add_help=False, parents=[profile])
    overrides.add_argument("--epochs", type=_count(1, MAX_EPOCHS),
                           help="train this many epochs instead (a separate cache entry)")
    overrides.add_argument("--seed", type=_count(0, MAX_SEED), help="use this seed instead (a separate cache entry)")
    selection = _Parser(add_help=False, parents=[overrides])
    selection.add_argument("name", metavar="NAME", choices=experiments, help=f"experiment: {', '.join(experiments)}")

    commands.add_parser("list", parents=[profile], help="every experiment and whether it is cached")
    commands.add_parser("times", parents=[profile], help="the training time of every cached experiment, and the total")
    train = commands.add_parser("train", parents=[overrides], help="train experiments, or load them from the cache")
    train.add_argument("names", metavar="NAME", nargs="+", choices=[*experiments, "all"],
                       help="experiments, or 'all' (every seed of every experiment); a sweep trains batched")
    train.add_argument("--device", choices=("cpu", "cuda"), help="default: cuda when available, else cpu")
    train.add_argument("--force", action="store_true", help="retrain even when the cache has the entry")
    train.add_argument("--jobs", type=_count(1, os.cpu_count() or 1), default=1,
                       help="on a CPU, train this many models at once in separate processes (2: ~1.3x on 2 cores)")
    show = commands.add_parser("show", parents=[selection], help="history, metrics and metadata of a cached run")
    show.add_argument("--json", action="store_true", help="print JSON")
    evaluate = commands.add_parser("evaluate", parents=[overrides],
                                   help="the evaluation protocol's scores of cached models (computed once, then "
                                        "stored)")
    evaluate.add_argument("names", metavar="NAME", nargs="+", choices=[*experiments, "all"],
                          help="experiments, or 'all' (with the seed spread of experiments that have several seeds)")
    evaluate.add_argument("--json", action="store_true", help="print JSON")

    cache_command = commands.add_parser("cache", help="check or clean the cache")
    cache_actions = cache_command.add_subparsers(dest="action", required=True, metavar="ACTION")
    cache_actions.add_parser("verify", parents=[profile], help="check every entry's checksums and identity")
    prune = cache_actions.add_parser("prune", parents=[profile],
                                     help="delete this package's broken entries, leftovers and entries the book "
                                          "does not read")
    prune.add_argument("--dry-run", action="store_true", help="only say what would be deleted")
    return parser


def _names(args) -> list[str]:
    from .experiments import EXPERIMENTS

    return list(EXPERIMENTS) if "all" in args.names else list(dict.fromkeys(args.names))


def _describe(run) -> str:
    return f"{run.name} ({run.profile.name} profile, seed {run.config.seed}, {run.config.epochs} epochs)"


def _resolved(name: str, args):
    """The (run name, resolved configuration, profile) a command's selection names."""
    from vaebook.entries import resolve

    from .experiments import get_experiment, run_name

    epochs, seed = getattr(args, "epochs", None), getattr(args, "seed", None)
    config, profile = resolve(get_experiment(name).config, args.profile, epochs=epochs, seed=seed)
    return run_name(name, seed), config, profile


def cmd_list(args) -> int:
    from vaebook.config import get_profile
    from vaebook.entries import status

    from .experiments import EXPERIMENTS

    profile = get_profile(args.profile)
    print(f"profile: {profile.name}")
    width = max(map(len, EXPERIMENTS))
    for name, experiment in EXPERIMENTS.items():
        print(f"{name:<{width}}  {status(*_resolved(name, args)):<8}  {experiment.summary}")
    return 0


def cmd_times(args) -> int:
    from vaebook.config import get_profile
    from vaebook.runner import cached

    from .experiments import EXPERIMENTS

    profile = get_profile(args.profile)
    runs = {name: run for name in EXPERIMENTS if (run := cached(*_resolved(name, args))) is not None}
    width = max(map(len, EXPERIMENTS))
    print(f"profile: {profile.name}")
    for name in EXPERIMENTS:
        if name not in runs:
            print(f"{name:<{width}}  not cached")
            continue
        meta = runs[name].meta
        together = f"  (batched with {', '.join(meta['trained_with'])})" if "trained_with" in meta else ""
        print(f"{name:<{width}}  {meta['train_seconds']:9.1f} s  {runs[name].config.epochs:4d} epochs  "
              f"on {meta['device_name']} ({meta['device']}){together}")
    total = sum(run.meta["train_seconds"] for run in runs.values())
    print(f"{'total':<{width}}  {total:9.1f} s  "
          f"({total / 60:.1f} min for {len(runs)} of {len(EXPERIMENTS)} experiments)")
    return 0


def cmd_train(args) -> int:
    from vaebook.families import family_of
    from vaebook.runner import TrainingInterrupted

    from . import experiments

    names = _names(args)
    started = time.perf_counter()
    options = dict(profile=args.profile, device=args.device, force=args.force)
    if len(names) > 1 and args.epochs is None and args.seed is None:
        every_seed = "all" in args.names
        runs = list(experiments.load_all(names, seeds=every_seed, jobs=args.jobs, **options).values())
    else:
        runs, stored = [], []
        try:
            for name in names:
                runs.append(experiments.load(name, epochs=args.epochs, seed=args.seed, **options))
                if not runs[-1].from_cache:
                    stored.append(runs[-1].path.name)
        except KeyboardInterrupt:
            raise TrainingInterrupted(stored) from None
    elapsed = time.perf_counter() - started
    for run in runs:
        scores = family_of(run.config).headline(run.metrics)
        trained = f"trained on {run.meta['device']} in {run.meta['train_seconds']:.1f} s"
        how = f"from the cache ({trained})" if run.from_cache else trained
        if len(runs) == 1 and run.from_cache:
            how = f"from the cache in {elapsed:.2f} s ({trained})"
        print(f"{_describe(run)}: {scores}; {how}")
    return 0


def _cached_or_explain(name: str, args):
    """The cached run a command's selection names; NotCached, saying why and what to run, when
    its entry is missing or unusable."""
    from vaebook.cache import CorruptEntry
    from vaebook.entries import entry_path
    from vaebook.errors import NotCached
    from vaebook.runner import read_entry

    folder = entry_path(*_resolved(name, args))
    options = " ".join(f"--{k} {v}" for k in ("profile", "epochs", "seed") if (v := getattr(args, k)) is not None)
    train = f"vaebook train {name} {options}".rstrip()
    if not folder.is_dir() or folder.is_symlink():
        raise NotCached(f"{name} is not cached for this selection; run: {train}")
    try:
        return read_entry(folder)
    except CorruptEntry as error:
        raise NotCached(f"the cache entry of {name} is unusable: {folder}: {error}; `vaebook cache verify` reports "
                        f"it, `vaebook cache prune` deletes it, and `{train}` trains it again in its place") from None


def cmd_show(args) -> int:
    from vaebook.config import config_to_dict
    from vaebook.evaluate import evaluation

    from .experiments import classifier

    run = _cached_or_explain(args.name, args)
    report = {
        "name": run.name,
        "path": str(run.path),
        "config": config_to_dict(run.config),
        "profile": run.profile.name,
        "history": run.history,
        # The last epoch's numbers, then the evaluation protocol's (computed once, then stored).
        "metrics": run.metrics | evaluation(run, classifier(run.profile)),
        "meta": run.meta,
    }
    if args.json:
        print(json.dumps(report, indent=2, ensure_ascii=False))
        return 0
    print(_describe(run))
    for key, value in report["metrics"].items():
        if not isinstance(value, list):
            print(f"  {key:<14} {value:10.3f}")
    print(f"  trained on {run.meta['device']} ({run.meta['device_name']}) in {run.meta['train_seconds']:.1f} s, "
          f"torch {run.meta['torch']}, {run.meta['created']}")
    print(f"  {report['path']}")
    return 0


def cmd_evaluate(args) -> int:
    from tqdm.auto import tqdm

    from vaebook.evaluate import SEED_COLUMNS, evaluation
    from vaebook.families import family_of
    from vaebook.measure import n_generated

    from .experiments import EXPERIMENTS, classifier, seed_scores

    names = _names(args)
    runs = [_cached_or_explain(name, args) for name in names]  # all checked before any is scored
    reports = []
    for name, run in zip(names, tqdm(runs, desc="evaluating", unit="model", disable=len(runs) == 1 or None)):
        report = {"name": run.name, "profile": run.profile.name, "evaluation": evaluation(run, classifier(run.profile))}
        seeds = EXPERIMENTS[name].seeds
        if "all" in args.names and len(seeds) > 1 and args.seed is None and args.epochs is None:
            report["seeds"] = {k: v.tolist() for k, v in seed_scores(name, run.profile).items()}
        reports.append(report)
    if args.json:
        print(json.dumps(reports[0] if len(reports) == 1 else reports, indent=2))
        return 0
    for run, report in zip(runs, reports):
        scores = dict(report["evaluation"])
        print(_describe(run))
        shares = scores.pop("class_shares")
        generates = family_of(run.config).generates
        source = f"{n_generated(run):,} generated digits" if generates else "the test digits"
        for key, value in scores.items():
            print(f"  {key:<14} {value:12.4f}")
        print(f"  predicted digit shares of {source}: " + "  ".join(f"{d}: {s:.1%}" for d, s in enumerate(shares)))
        if "seeds" in report:
            spread = report["seeds"]
            print(f"  over seeds {spread['seed']}: " + ", ".join(
                f"{c} {statistics.mean(spread[c]):.3f} ± {statistics.stdev(spread[c]):.3f}" for c in SEED_COLUMNS))
    return 0


def cmd_cache(args) -> int:
    from vaebook import cache
    from vaebook.config import PROFILES, get_profile
    from vaebook.entries import check_entry
    from vaebook.paths import cache_root

    from .experiments import book_entries

    root = cache_root()
    chosen = get_profile(args.profile)  # also checks VAEBOOK_PROFILE, which a typo must not slip past
    profiles = [chosen.name] if args.profile else list(PROFILES)
    items = cache.scan(root, profiles)
    problems = {}
    for item in items:
        if item.kind == "entry":
            try:
                check_entry(item.path)
            except cache.CorruptEntry as error:
                problems[item.path] = str(error)
    entries = [i for i in items if i.kind == "entry"]
    leftovers = [i for i in items if i.kind == "leftover"]
    foreign = [i for i in items if i.kind == "foreign"]
    if args.action == "verify":
        for item in entries:
            bad = problems.get(item.path)
            print(f"{'BAD' if bad else 'ok ':<4}{item.path}" + (f": {bad}" if bad else ""))
        for item in leftovers:
            print(f"LEFT {item.path}: {item.reason} (vaebook cache prune deletes it)")
        for item in foreign:
            print(f"NOT  {item.path}: {item.reason}; not this package's, left alone")
        print(f"{len(entries) - len(problems)} sound, {len(problems)} unusable, {len(leftovers)} leftovers, "
              f"{len(foreign)} not this package's")
        return 1 if problems else 0
    wanted = book_entries(root)
    doomed = [(i, i.reason) for i in leftovers] + [(i, problems[i.path]) for i in entries if i.path in problems] + \
             [(i, "not read by the book (an --epochs or --seed override)")
              for i in entries if i.path not in problems and i.path not in wanted]
    for item, reason in doomed:
        if args.dry_run:
            print(f"would delete {item.path}: {reason}")
        else:
            cache.delete(item)
            print(f"deleted {item.path}: {reason}")
    for item in foreign:
        print(f"kept {item.path}: {item.reason}; not this package's")
    print(f"{len(doomed)} {'to delete' if args.dry_run else 'deleted'}")
    return 0


COMMANDS = {"list": cmd_list, "times": cmd_times, "train": cmd_train, "show": cmd_show, "evaluate": cmd_evaluate,
            "cache": cmd_cache}


def _interrupted(error: KeyboardInterrupt) -> int:
    finished = getattr(error, "finished", None)
    if finished:
        print(f"vaebook: interrupted; stored before the interrupt: {', '.join(finished)}; the runs in progress "
              f"were stopped and nothing of them was stored", file=sys.stderr)
    else:
        print("vaebook: interrupted; nothing was stored by this command", file=sys.stderr)
    return 130


class _Interrupts:
    """Ctrl-C while the heavy modules import is noted, not raised: a KeyboardInterrupt raised
    inside torch's C++ import code aborts the interpreter, and some of torch's imports swallow
    it. Once the imports are done the usual behaviour is back, and a noted Ctrl-C stops the
    command there."""

    seen = False

    @classmethod
    def note(cls, signum, frame):
        cls.seen = True

    @classmethod
    def defer(cls) -> None:
        if signal.getsignal(signal.SIGINT) is signal.default_int_handler:  # not where SIGINT is ignored
            signal.signal(signal.SIGINT, cls.note)

    @classmethod
    def resume(cls) -> None:
        if signal.getsignal(signal.SIGINT) == cls.note:  # a bound method: equal, not identical
            signal.signal(signal.SIGINT, signal.default_int_handler)
        if cls.seen:
            raise KeyboardInterrupt


def _run(argv: list[str] | None) -> int:
    from vaebook.config import PROFILES

    from .experiments import EXPERIMENTS

    args = _parser(list(EXPERIMENTS), list(PROFILES)).parse_args(argv)
    command = COMMANDS[args.command]
    if args.command not in ("list", "cache"):
        # The commands that load runs need torch: imported now, while Ctrl-C is only noted.
        import torch  # noqa: F401

    _Interrupts.resume()
    return command(args)


def main(argv: list[str] | None = None) -> int:
    _Interrupts.defer()
    try:
        return _run(argv)
    except KeyboardInterrupt as error:  # also while the modules were still importing
        return _interrupted(error)
    except BrokenPipeError:
        # The reader left (`vaebook list | head`): not an error. Point stdout at /dev/null so
        # that Python's final flush does not raise again (the recipe of Python's signal docs).
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
    except Exception as error:
        from vaebook.cache import CacheError
        from vaebook.errors import VaebookError

        if not isinstance(error, (VaebookError, CacheError)):
            raise
        print(f"vaebook: error: {error}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
