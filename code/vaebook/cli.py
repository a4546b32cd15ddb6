"""The `vaebook` command: list, train, show and look after the cache."""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import sys
import time

from tqdm.auto import tqdm

from . import cache
from .config import PROFILES, config_to_dict, get_profile
from .device import DEVICES
from .errors import NotCached, VaebookError
from .experiments import EXPERIMENTS
from .paths import cache_root
from .runner import cached, default_entries, load, load_all, load_many, resolve, status


class _Parser(argparse.ArgumentParser):
    """argparse, but a usage error is one line (its choices included) and exit status 2."""

    def error(self, message: str):
        self.exit(2, f"vaebook: error: {message}\n")


def _count(minimum: int):
    def parse(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"{text!r} is not an integer") from None
        if value < minimum:
            raise argparse.ArgumentTypeError(f"{value} is less than {minimum}")
        return value

    return parse


def _parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="vaebook", description="Train, cache and inspect the models of the book Latent Digits.")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    profile = _Parser(add_help=False)
    profile.add_argument("--profile", choices=list(PROFILES),
                         help="build profile (default: $VAEBOOK_PROFILE, else full)")
    overrides = _Parser(add_help=False, parents=[profile])
    overrides.add_argument("--epochs", type=_count(1), help="train this many epochs instead (a separate cache entry)")
    overrides.add_argument("--seed", type=_count(0), help="use this seed instead (a separate cache entry)")
    selection = _Parser(add_help=False, parents=[overrides])
    selection.add_argument("name", metavar="NAME", choices=list(EXPERIMENTS),
                           help=f"experiment: {', '.join(EXPERIMENTS)}")

    commands.add_parser("list", parents=[profile], help="every experiment and whether it is cached")
    commands.add_parser("times", parents=[profile], help="the training time of every cached experiment, and the total")
    train = commands.add_parser("train", parents=[overrides], help="train experiments, or load them from the cache")
    train.add_argument("names", metavar="NAME", nargs="+", choices=[*EXPERIMENTS, "all"],
                       help="experiments, or 'all' (every seed of every experiment); a sweep trains batched")
    train.add_argument("--device", choices=DEVICES, help="default: cuda when available, else cpu")
    train.add_argument("--force", action="store_true", help="retrain even when the cache has the entry")
    train.add_argument("--jobs", type=_count(1), default=1,
                       help="on a CPU, train this many models at once in separate processes (2: ~1.3x on 2 cores)")
    show = commands.add_parser("show", parents=[selection], help="history, metrics and metadata of a cached run")
    show.add_argument("--json", action="store_true", help="print JSON")
    evaluate = commands.add_parser("evaluate", parents=[overrides],
                                   help="the evaluation protocol's scores of cached models (computed once, then stored)")
    evaluate.add_argument("names", metavar="NAME", nargs="+", choices=[*EXPERIMENTS, "all"],
                          help="experiments, or 'all' (with the seed spread of experiments that have several seeds)")
    evaluate.add_argument("--json", action="store_true", help="print JSON")

    cache_command = commands.add_parser("cache", help="check or clean the cache")
    cache_actions = cache_command.add_subparsers(dest="action", required=True, metavar="ACTION")
    cache_actions.add_parser("verify", help="check every entry's checksums")
    prune = cache_actions.add_parser("prune", help="delete unusable entries, leftovers and entries the book does not read")
    prune.add_argument("--dry-run", action="store_true", help="only say what would be deleted")
    return parser


def _selection(args) -> dict:
    return dict(profile=args.profile, epochs=args.epochs, seed=args.seed)


def _describe(run) -> str:
    config = run.config
    return f"{run.name} ({run.profile.name} profile, seed {config.seed}, {config.epochs} epochs)"


def cmd_list(args) -> int:
    profile = get_profile(args.profile)
    print(f"profile: {profile.name}")
    width = max(map(len, EXPERIMENTS))
    for name, experiment in EXPERIMENTS.items():
        print(f"{name:<{width}}  {status(name, profile):<8}  {experiment.summary}")
    return 0


def cmd_times(args) -> int:
    profile = get_profile(args.profile)
    runs = {name: run for name in EXPERIMENTS if (run := cached(name, profile=profile)) is not None}
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
    print(f"{'total':<{width}}  {total:9.1f} s  ({total / 60:.1f} min for {len(runs)} of {len(EXPERIMENTS)} experiments)")
    return 0


def _vae_scores(m: dict) -> str:
    return f"test loss {m['test_loss']:.2f} (reconstruction {m['test_recon']:.2f}, KL {m['test_kl']:.2f})"


# The headline of each family's last epoch, as `vaebook train` reports it.
SCORES = {
    "vae": _vae_scores, "noisy-vae": _vae_scores, "binary-vae": _vae_scores, "ae": _vae_scores,
    "conv-vae": _vae_scores,
    "gan": lambda m: f"last epoch: D loss {m['d_loss']:.3f}, G loss {m['g_loss']:.3f}, "
                     f"mean D(x) {m['d_real']:.2f}, mean D(G(z)) {m['d_fake']:.2f}",
    "vaegan": lambda m: f"test KL {m['test_kl']:.2f}, test squared error {m['test_mse']:.2f}",
    "classifier": lambda m: f"test accuracy {m['test_accuracy']:.2%}",
}


def _names(args) -> list[str]:
    return list(EXPERIMENTS) if "all" in args.names else list(dict.fromkeys(args.names))


def cmd_train(args) -> int:
    names = _names(args)
    started = time.perf_counter()
    if "all" in args.names and args.epochs is None and args.seed is None:
        selections = [(name, seed) for name in names for seed in EXPERIMENTS[name].seeds]
        runs = list(load_many(selections, profile=args.profile, device=args.device, force=args.force,
                              jobs=args.jobs).values())
    elif len(names) > 1 and args.epochs is None and args.seed is None:
        runs = list(load_all(names, profile=args.profile, device=args.device, force=args.force, jobs=args.jobs).values())
    else:
        runs = [load(name, **_selection(args), device=args.device, force=args.force) for name in names]
    elapsed = time.perf_counter() - started
    for run in runs:
        scores = SCORES[run.config.family](run.metrics)
        trained = f"trained on {run.meta['device']} in {run.meta['train_seconds']:.1f} s"
        how = f"from the cache ({trained})" if run.from_cache else trained
        if len(runs) == 1 and run.from_cache:
            how = f"from the cache in {elapsed:.2f} s ({trained})"
        print(f"{_describe(run)}: {scores}; {how}")
    return 0


def cmd_show(args) -> int:
    from .evaluate import evaluation

    run = _cached_or_explain(args.name, args)
    config, profile = resolve(args.name, **_selection(args))
    report = {
        "name": run.name,
        "path": str(cache.entry_path(run.name, config, profile)),
        "config": config_to_dict(run.config),
        "profile": run.profile.name,
        "history": run.history,
        # The last epoch's numbers, then the evaluation protocol's (computed once, then stored).
        "metrics": run.metrics | evaluation(run),
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


def _cached_or_explain(name: str, args):
    run = cached(name, **_selection(args))
    if run is None:
        options = " ".join(f"--{k} {v}" for k, v in _selection(args).items() if v is not None)
        raise NotCached(f"{name} is not cached for this selection; run: vaebook train {name} {options}".rstrip())
    return run


def cmd_evaluate(args) -> int:
    from .analysis import n_generated
    from .evaluate import SEED_COLUMNS, evaluation, seed_scores

    names = _names(args)
    runs = [_cached_or_explain(name, args) for name in names]  # all checked before any is scored
    reports = []
    for name, run in zip(names, tqdm(runs, desc="evaluating", unit="model", disable=len(runs) == 1 or None)):
        report = {"name": run.name, "profile": run.profile.name, "evaluation": evaluation(run)}
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
        source = "the test digits" if run.config.family == "classifier" else f"{n_generated(run):,} generated digits"
        for key, value in scores.items():
            print(f"  {key:<14} {value:12.4f}")
        print(f"  predicted digit shares of {source}: " + "  ".join(f"{d}: {s:.1%}" for d, s in enumerate(shares)))
        if "seeds" in report:
            spread = report["seeds"]
            print(f"  over seeds {spread['seed']}: " + ", ".join(
                f"{c} {statistics.mean(spread[c]):.3f} ± {statistics.stdev(spread[c]):.3f}" for c in SEED_COLUMNS))
    return 0


def cmd_cache(args) -> int:
    root = cache_root()
    leftovers = cache.leftovers(root)
    bad = {path: reason for path in cache.entries(root) if (reason := cache.problem(path))}
    if args.action == "verify":
        for path in cache.entries(root):
            print(f"{'BAD' if path in bad else 'ok ':<4}{path}" + (f": {bad[path]}" if path in bad else ""))
        for path in leftovers:
            print(f"LEFT {path}: an interrupted write (vaebook cache prune deletes it)")
        print(f"{len(cache.entries(root)) - len(bad)} sound, {len(bad)} unusable, {len(leftovers)} leftovers")
        return 1 if bad else 0
    unused = [p for p in cache.entries(root) if p not in bad and p not in default_entries(root)]
    doomed = [(p, "leftover of an interrupted write") for p in leftovers] + list(bad.items()) + \
             [(p, "not read by the book (an --epochs or --seed override)") for p in unused]
    for path, reason in doomed:
        print(f"{'would delete' if args.dry_run else 'deleted'} {path}: {reason}")
        if not args.dry_run:
            shutil.rmtree(path)
    print(f"{len(doomed)} {'to delete' if args.dry_run else 'deleted'}")
    return 0


COMMANDS = {"list": cmd_list, "times": cmd_times, "train": cmd_train, "show": cmd_show, "evaluate": cmd_evaluate,
            "cache": cmd_cache}


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        return COMMANDS[args.command](args)
    except VaebookError as error:
        print(f"vaebook: error: {error}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("vaebook: interrupted; nothing was cached", file=sys.stderr)
        return 130
    except BrokenPipeError:
        # The reader left (`vaebook list | head`): not an error. Point stdout at /dev/null so
        # that Python's final flush does not raise again (the recipe of Python's signal docs).
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0


if __name__ == "__main__":
    sys.exit(main())
