"""The appendix "The course reports": every item of the reports accounted for, the book's
budgets and the settings its prose names read from the configurations, every model's settings
read from its configuration and network, and no run loaded to draw any of it."""

from __future__ import annotations

import re
from dataclasses import replace
from pathlib import Path

import pytest
import torch

from latentdigits import experiments, report_tables
from latentdigits.chapters import course_reports
from latentdigits.experiments import EXPERIMENTS
from latentdigits.reports import (
    REPORT_000_GRID,
    REPORT_000_LR,
    REPORT_001_CORRUPTED_EPOCHS,
    REPORT_001_NOISY_EPOCHS,
    REPORT_004_BATCH,
    REPORT_ITEMS,
    REPORTS,
    RUN,
    THEORY,
    UNTESTED,
    Budget,
    ReportItem,
)
from vaebook import adversarial
from vaebook.families import build_model

LANGS = ("en", "zh")


def test_every_item_says_what_the_book_does_with_it_in_both_languages() -> None:
    assert {item.report for item in REPORT_ITEMS} == set(REPORTS) == {"000", "001", "002", "003", "004"}
    for item in REPORT_ITEMS:
        assert item.kind in (RUN, UNTESTED, THEORY)
        assert all(item.what[lang].strip() for lang in LANGS), item.what
        assert set(item.experiments) <= set(EXPERIMENTS), item.experiments
        # A row without a run is a claim the book does not test, or a derivation.
        assert bool(item.experiments) == (item.kind == RUN), item.what["en"]
    untested = [item for item in REPORT_ITEMS if item.kind == UNTESTED]
    assert {course_reports.here(item, "en") for item in untested} == {"not tested here"}
    assert {course_reports.here(item, "zh") for item in untested} == {"本书没有检验"}


def test_each_item_points_to_a_chapter_of_the_book(repo_root: Path) -> None:
    labels = {m for path in (repo_root / "chapters" / "en").glob("*.qmd")
              for m in re.findall(r"^# .*\{#(sec-[\w-]+)\}", path.read_text(encoding="utf-8"), re.MULTILINE)}
    assert {item.chapter for item in REPORT_ITEMS} <= labels


def test_every_experiment_a_row_names_is_shown_by_the_chapter_it_points_to(repo_root: Path) -> None:
    """The table sends the reader to a chapter; that chapter (its text or its module) must use
    the experiment, directly or as a member of the sweep the module reads."""
    sweeps = {"BETA_SWEEP": experiments.BETA_SWEEP, "NOISE_SWEEP": experiments.NOISE_SWEEP,
              "LOSS_MODELS": experiments.LOSS_MODELS, "CONV_BETA_SWEEP": experiments.CONV_BETA_SWEEP,
              "REPORT_001_NOISE": experiments.REPORT_001_NOISE,
              "REPORT_000_SWEEPS": [name for names in experiments.REPORT_000_SWEEPS.values() for name in names]}
    for item in REPORT_ITEMS:
        stem = item.chapter.removeprefix("sec-")
        text = (repo_root / "chapters" / "en" / f"{stem}.qmd").read_text(encoding="utf-8")
        text += (repo_root / "code" / "latentdigits" / "chapters" / f"{stem.replace('-', '_')}.py").read_text()
        shown = {name for name in EXPERIMENTS if re.search(rf"(?<![\w-]){re.escape(name)}(?![\w.-])", text)}
        shown |= {name for sweep, names in sweeps.items() if sweep in text for name in names}
        assert set(item.experiments) <= shown, (item.chapter, sorted(set(item.experiments) - shown))


def test_the_prose_reads_the_books_settings_from_the_configurations(monkeypatch: pytest.MonkeyPatch) -> None:
    facts = course_reports.report_000_facts("en") | course_reports.report_001_facts("zh")
    model = build_model(EXPERIMENTS["vaegan"].config)
    channels = model.discriminator.features[0].out_channels
    assert facts["vaegan_channels"] == f"{channels} and {2 * channels}" and facts["r000_lr"] == "0.01"
    assert facts["conv_channels"] == "32、64 和 64" and facts["r001_clean_epochs"] == "299"
    monkeypatch.setitem(EXPERIMENTS, "vaegan", replace(EXPERIMENTS["vaegan"],
                                                       config=replace(EXPERIMENTS["vaegan"].config, gamma=0.25)))
    assert course_reports.report_000_facts("en")["vaegan_gamma"] == "0.25"


def test_the_reports_settings_are_what_their_code_says() -> None:
    # Course report 000's grid: x = -2.5 + 0.25 i, i = 0 ... 19, from -2.5 to 2.25.
    assert len(REPORT_000_GRID) == 20 and REPORT_000_GRID[0] == -2.5 and REPORT_000_GRID[-1] == pytest.approx(2.25)
    # Course report 001 corrupts its digits `if (epoch==0)`, in one of its 300 epochs.
    assert (REPORT_001_NOISY_EPOCHS, REPORT_001_CORRUPTED_EPOCHS) == (300, 1)


def test_counts_are_written_as_chinese_prose_counts() -> None:
    en, zh = course_reports.count_facts("en"), course_reports.count_facts("zh")
    assert int(en["items"]) == len(REPORT_ITEMS) == int(zh["items"])
    assert int(en["theory"]) + int(en["untested"]) + int(en["trained"]) == len(REPORT_ITEMS)
    assert zh["theory"] == "两" and zh["trained"].strip() == en["trained"]


def test_the_books_budget_is_read_from_the_configuration(monkeypatch: pytest.MonkeyPatch) -> None:
    table = course_reports.tbl_report_000("en").data
    assert "| 20 / 128 / 1e-2 | 20 / 128 / 1e-3 |" in table  # vae-2d beside course report 000's VAE
    monkeypatch.setitem(EXPERIMENTS, "vae-2d", replace(EXPERIMENTS["vae-2d"],
                                                       config=replace(EXPERIMENTS["vae-2d"].config, epochs=7)))
    assert "| 20 / 128 / 1e-2 | 7 / 128 / 1e-3 |" in course_reports.tbl_report_000("en").data


def test_budgets_are_written_as_the_code_writes_them() -> None:
    assert REPORT_000_LR == pytest.approx(0.01) and REPORT_004_BATCH == 64
    assert [report_tables.learning_rate(v) for v in (1e-3, 3e-4, 2e-4, 0.01, 1e-4, 0.0)] == [
        "1e-3", "3e-4", "2e-4", "1e-2", "1e-4", "0"]
    assert report_tables.learning_rate(1.5e-3) == "0.0015"
    assert report_tables.budget(Budget((250, 300), 64, 1e-3)) == "250–300 / 64 / 1e-3"
    assert report_tables.budget(Budget(20, 128, (1e-3, 3e-4))) == "20 / 128 / 1e-3, 3e-4"
    assert report_tables.budget(Budget(50, 64, None)) == "50 / 64 / —"
    assert report_tables.budget(Budget(), "zh") == "未说明"
    assert report_tables.budgets([Budget(10, 128, 1e-3), Budget(100, 128, 1e-3)]) == "10, 100 / 128 / 1e-3"


def test_sweeps_share_a_row_and_every_experiment_has_one() -> None:
    groups = course_reports.model_groups()
    assert sorted(name for group in groups for name in group) == sorted(EXPERIMENTS)
    assert experiments.BETA_SWEEP in groups and experiments.CONV_BETA_SWEEP in groups
    assert sorted(experiments.NOISE_SWEEP) in [sorted(group) for group in groups]
    assert ["vae-bce"] in groups and ["vae-mse"] in groups  # a different loss is another model
    assert course_reports.compact(experiments.BETA_SWEEP) == "`beta-0.25` … `beta-8`"
    assert course_reports.compact(["vae-bce", "vae-mse"], "zh") == "`vae-bce`、`vae-mse`"


def test_architecture_and_activations_are_read_from_the_modules() -> None:
    model = build_model(EXPERIMENTS["vae-bce"].config)
    assert course_reports.architecture(model, "en") == "encoder 784 → 400 → 20; decoder 20 → 400 → 784"
    assert course_reports.activations(model) == "ReLU"
    gan = build_model(EXPERIMENTS["gan"].config)
    assert course_reports.architecture(gan, "zh").startswith("生成器 100 → 128 → 256 → 512 → 1024 → 784；判别器 784")
    assert course_reports.activations(gan) == "LeakyReLU 0.2, BatchNorm, Tanh"


def test_adam_settings_are_those_the_trainers_use() -> None:
    for name in ("gan", "gan-gelu", "vaegan"):
        config = EXPERIMENTS[name].config
        built = adversarial._adam([torch.nn.Parameter(torch.zeros(1))], config).defaults
        betas, weight_decay, per_network = course_reports.adam_settings(config)
        assert (betas, weight_decay, per_network) == (tuple(built["betas"]), built["weight_decay"], True)
    # The VAE trainers set only the learning rate: PyTorch's defaults hold.
    default = torch.optim.Adam([torch.nn.Parameter(torch.zeros(1))]).defaults
    assert course_reports.adam_settings(EXPERIMENTS["vae-bce"].config) == (tuple(default["betas"]),
                                                                            default["weight_decay"], False)


def test_no_model_sets_its_own_initialisation(repo_root: Path) -> None:
    """The appendix says every model starts from PyTorch's default initialisation."""
    setting = re.compile(r"nn\.init\.|reset_parameters|\.(normal|uniform|kaiming_\w+|xavier_\w+)_\(")
    found = [f"{path.name}:{n}" for path in (repo_root / "code" / "vaebook").glob("*.py")
             for n, line in enumerate(path.read_text().splitlines(), 1) if setting.search(line)]
    assert not found, found
    rows = course_reports.hyperparameter_rows("en")
    assert {row["init"] for row in rows} == {"PyTorch's default"}


def test_the_appendix_draws_its_tables_and_numbers_without_loading_a_run(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*args, **kwargs):
        raise AssertionError("the appendix must not load a run")

    for name in ("load", "load_all", "runs", "run"):
        monkeypatch.setattr(experiments, name, refuse)
    # The claims the appendix cites are other chapters' checks, which do read the cache.
    monkeypatch.setattr("latentdigits.claims.publish", lambda path, lang: {})
    monkeypatch.setattr("vaebook.runner.load", refuse)
    monkeypatch.setattr("vaebook.runner.load_many", refuse)
    for lang in LANGS:
        f = course_reports.facts(lang)
        assert int(f.items) == len(REPORT_ITEMS) and int(f.models) == len(EXPERIMENTS)
        for table in (course_reports.tbl_report_000, course_reports.tbl_report_001, course_reports.tbl_report_002,
                      course_reports.tbl_report_003, course_reports.tbl_report_004, course_reports.tbl_networks,
                      course_reports.tbl_training):
            text = table(lang).data
            sets = ("{0.5, 1, 2, 3, 4}", "{1, 2, 3, 4}")  # the reports' β values, in the items' labels
            assert text.count("\n") >= 2 and "{" not in text.replace(sets[0], "").replace(sets[1], "")


def test_epoch_departures_compare_with_the_upper_end_of_a_reports_range() -> None:
    item = ReportItem("001", {"en": "x", "zh": "x"}, Budget((5, 12), 64, 1e-3), "sec-losses", ("conv-vae", "vae-bce"))
    # conv-vae trains 10 epochs: fewer than 12, the upper end; vae-bce, the reference, is left aside.
    assert course_reports.epoch_departures([item]) == [("conv-vae", EXPERIMENTS["conv-vae"].config.epochs, 12)]
    longer = replace(item, budget=Budget(5, 64, 1e-3))
    assert course_reports.epoch_departures([longer]) == [("conv-vae", EXPERIMENTS["conv-vae"].config.epochs, 5)]
    assert course_reports.epoch_departures([replace(item, kind=UNTESTED, experiments=())]) == []
    assert course_reports.fewer_epochs().holds  # the book's own items
