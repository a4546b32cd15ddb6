"""The evaluation protocol's chapter: its checks and tables on small synthetic inputs, no
MNIST and no training."""

from __future__ import annotations

import math
from types import SimpleNamespace

import pytest
import torch

from latentdigits import tables
from latentdigits.chapters import evaluation
from latentdigits.experiments import CLASSIFIER, EXPERIMENTS
from vaebook.config import GANConfig, SmallConvVAEConfig, VAEConfig
from vaebook.families import has_likelihood


def rows(markdown: str) -> list[list[str]]:
    return [[cell.strip() for cell in line.strip("|").split("|")] for line in markdown.splitlines()]


def test_the_bounded_models_are_the_bernoulli_vaes_of_the_grey_digits() -> None:
    for name in evaluation.BOUNDED:
        config = EXPERIMENTS[name].config
        assert has_likelihood(config) or (config.family == "small-conv-vae" and config.recon_loss == "bce"), name
    assert "vae-binary" not in evaluation.BOUNDED  # binarised digits, with a budget of its own
    assert CLASSIFIER not in evaluation.GENERATIVE and "gan" in evaluation.GENERATIVE


def test_a_model_without_a_bernoulli_likelihood_has_no_bound() -> None:
    with pytest.raises(ValueError, match="no likelihood bound"):
        evaluation.bernoulli_bound(SimpleNamespace(name="gan", config=GANConfig()))
    with pytest.raises(ValueError):
        evaluation.bernoulli_bound(SimpleNamespace(name="vae-mse", config=VAEConfig(recon_loss="mse")))
    assert not has_likelihood(GANConfig()) and has_likelihood(SmallConvVAEConfig())  # the conv VAE declares its budget


def test_the_relative_spread_is_the_sample_sd_over_the_mean() -> None:
    assert evaluation.relative_spread(torch.tensor([9.0, 10.0, 11.0])) == pytest.approx(0.1)


def test_effective_digits_read_a_coverage_kl_as_equally_common_digits() -> None:
    assert evaluation.effective_digits(0.0) == pytest.approx(10.0)
    assert evaluation.effective_digits(math.log(10)) == pytest.approx(1.0)
    assert evaluation.effective_digits(math.log(2)) == pytest.approx(5.0)  # five digits, equally common


def test_the_standard_error_of_a_grid_shrinks_with_the_square_root_of_its_images() -> None:
    assert evaluation.standard_error(0.0127, 64) == pytest.approx(0.0127 / 8)


def test_the_fid_checks_read_the_smallest_and_largest_samples(monkeypatch) -> None:
    result = {"n": torch.tensor([250, 5000, 10000]), "real": torch.tensor([47.2, 4.02, 4.03]),
              "model": torch.tensor([225.2, 207.6, 206.2])}
    monkeypatch.setattr(evaluation, "fid_by_size", lambda r, judge: result)
    monkeypatch.setattr(evaluation, "_run", lambda: None)
    monkeypatch.setattr(evaluation, "classifier", lambda: None)
    assert evaluation.fid_small_samples_higher().holds and evaluation.floor_levels_off().holds
    result["real"] = torch.tensor([30.0, 4.5, 4.03])  # less than ten times; still falling at 5,000
    assert not evaluation.fid_small_samples_higher().holds and not evaluation.floor_levels_off().holds


def test_the_bound_must_rise_at_every_k(monkeypatch) -> None:
    result = {"k": torch.tensor([1, 10, 100, 1000]), "bound": torch.tensor([-100.0, -97.0, -95.8, -95.3])}
    monkeypatch.setattr(evaluation, "iwae_by_k", lambda r: result)
    monkeypatch.setattr(evaluation, "_run", lambda: None)
    assert evaluation.iwae_rises_with_k().holds
    result["bound"] = torch.tensor([-100.0, -97.0, -95.3, -95.8])
    assert not evaluation.iwae_rises_with_k().holds


def test_the_reference_table_sets_each_measure_beside_real_digits() -> None:
    scores = {"epochs": 100, "test_loss": 100.9, "test_recon": 76.27, "test_kl": 24.64, "iwae": -96.61,
              "iwae_samples": 100, "iwae_images": 10000, "recon_mse": 6.35, "fid": 206.2, "confidence": 0.849,
              "coverage_kl": 0.023}
    real = {"fid_floor": 4.03, "confidence": 0.993, "coverage_kl": 0.002}
    stats = {"sample_intensity": 0.124, "test_intensity": 0.133, "sample_sharpness": 0.055, "test_sharpness": 0.066}
    table = {row[0]: row for row in rows(tables.reference_scores(scores, real, stats, 45.54, 10000, "en"))[2:]}
    assert table["reconstruction term"][2:] == ["76.27", "45.54", "10,000"]
    assert table["−IWAE bound, k = 100"][2] == "96.61"
    assert table["FID"][2:4] == ["206.20", "4.03"] and table["epochs"][2:4] == ["100", tables.MISSING]


def test_the_steps_of_k_are_signed_and_never_negative_zero() -> None:
    result = {"k": torch.tensor([1, 2, 3]), "bound": torch.tensor([-100.0, -98.0, -97.999]),
              "stderr": torch.tensor([0.8, 0.8, 0.8])}
    table = rows(tables.iwae_by_k(result, "en"))
    assert [row[3] for row in table[2:]] == [tables.MISSING, "−2.00", "0.00"]


def test_the_seed_table_ends_with_mean_and_sample_sd() -> None:
    seeds = {"seed": torch.tensor([0, 1, 2])} | {c: torch.tensor([1.0, 2.0, 3.0]) for c, _ in tables.SEED_TABLE_COLUMNS}
    table = rows(tables.seed_table(seeds, 10, "zh"))
    assert table[0][:2] == ["种子", "训练轮数"] and table[2][:2] == ["0", "10"]
    assert table[-1][0] == "均值 ± 标准差" and table[-1][2] == "2.00 ± 1.00"


def test_the_protocol_marks_cells_that_hold_another_quantity() -> None:
    score = {"parameters": 1000, "epochs": 50, "train_seconds": 60.0, "fid": 220.0, "confidence": 0.84,
             "coverage_kl": 0.06, "recon_mse": 6.3, "test_loss": 98.13, "iwae": -91.97, "iwae_samples": 5000,
             "iwae_images": 1000}
    notes = {"vae-binary": {"test_loss": "binarised", "iwae": "reference_budget"}}
    real = {"fid_floor": 4.0, "confidence": 0.99, "coverage_kl": 0.002}
    row = rows(tables.protocol({"vae-binary": score}, real, "en", {"vae-binary": "bce"}, notes))[2]
    assert row[4] == "98.13 (on binarised digits)"
    assert row[5] == "91.97 (binarised; k = 5,000, n = 1,000)"
    row = rows(tables.protocol({"vae-binary": score}, real, "zh", {"vae-binary": "bce"}, notes))[2]
    assert row[4] == "98.13（二值化数字上）"
