"""The book's tables that compare models: every one says how long each model trained, and a
test loss that is not in nats says so in its cell."""

from __future__ import annotations

from types import SimpleNamespace

import torch

from latentdigits import tables


def rows(markdown: str) -> list[list[str]]:
    return [[cell.strip() for cell in line.strip("|").split("|")] for line in markdown.splitlines()]


def evaluation(test_loss: float | None = None, **extra) -> dict:
    score = {"parameters": 1000, "epochs": 10, "train_seconds": 60.0, "fid": 300.0, "confidence": 0.8,
             "coverage_kl": 0.05, "recon_mse": 7.0} | extra
    return score | ({"test_loss": test_loss} if test_loss is not None else {})


REAL = {"fid_floor": 4.0, "confidence": 0.99, "coverage_kl": 0.002}


def test_the_protocol_marks_test_losses_that_are_not_nats() -> None:
    scores = {"vae-bce": evaluation(100.9, iwae=-96.6), "vae-mse": evaluation(28.2), "gan": evaluation(epochs=50)}
    table = rows(tables.protocol(scores, REAL, "en", {"vae-bce": "bce", "vae-mse": "mse", "gan": None}))
    header, by_model = table[0], {row[0]: row for row in table[2:]}
    loss = header.index("test loss (nats unless marked)")
    assert by_model["vae-bce"][loss] == "100.90"
    assert by_model["vae-mse"][loss] == "28.20 (squared error + KL)"
    assert by_model["gan"][loss] == tables.MISSING
    assert by_model["gan"][header.index("epochs")] == "50"


def test_the_chinese_protocol_marks_them_too() -> None:
    table = rows(tables.protocol({"vae-l1": evaluation(52.6)}, REAL, "zh", {"vae-l1": "l1"}))
    assert "52.60（绝对误差 + KL）" in table[2]


def test_the_protocol_reads_the_units_of_the_books_experiments_by_default() -> None:
    table = rows(tables.protocol({"vae-mse": evaluation(28.2), "vae-bce": evaluation(100.9)}, REAL, "en"))
    assert table[2][4] == "28.20 (squared error + KL)" and table[3][4] == "100.90"


def test_without_units_every_loss_is_printed_bare() -> None:
    assert tables.loss_cell("28.20", None) == "28.20" and tables.loss_cell("100.90", "bce") == "100.90"


def test_the_seed_table_has_an_epochs_column_and_marks_units() -> None:
    spread = {c: torch.tensor([1.0, 2.0, 3.0]) for c in tables.SPREAD_COLUMNS["en"]}
    table = rows(tables.seed_spread({"BCE": spread, "MSE": spread}, {"BCE": 10, "MSE": 10}, "en", {"MSE": "mse"}))
    assert table[0][:3] == ["model", "epochs", "test loss (nats unless marked)"]
    assert table[2][:3] == ["BCE", "10", "2.00 ± 1.00"]
    assert table[3][2] == "2.00 ± 1.00 (squared error + KL)"


def sample_score(fid: float) -> dict:
    return {"fid": torch.tensor(fid), "confidence": torch.tensor(0.8), "coverage_kl": torch.tensor(0.1),
            "class_shares": torch.full((10,), 0.1)}


def test_sample_scores_give_each_models_epochs_when_asked() -> None:
    scores = {"beta-1": sample_score(342.0), "vaegan": sample_score(316.0), "real": sample_score(4.0)}
    table = rows(tables.sample_scores(scores, "en", {"beta-1": 10, "vaegan": 10}))
    assert table[0][:2] == ["model", "epochs"]
    assert [row[1] for row in table[2:]] == ["10", "10", tables.MISSING]
    # Without epochs the table is as the GAN chapter shows it.
    assert rows(tables.sample_scores(scores, "en"))[0][1] == "FID (classifier features)"


def test_image_measures_give_each_models_epochs() -> None:
    stats = {name: {"sample_intensity": 0.1, "sample_sharpness": 0.05, "recon_intensity": 0.13,
                    "recon_sharpness": 0.06, "recon_mse": 7.0, "test_intensity": 0.13, "test_sharpness": 0.066}
             for name in ("beta-1", "vae-bce")}
    table = rows(tables.image_measures(stats, "en", {"beta-1": 10, "vae-bce": 100}))
    assert [row[:2] for row in table[2:]] == [["beta-1", "10"], ["vae-bce", "100"],
                                              [tables.REAL_DIGITS["en"], tables.MISSING]]


def noise_run(rate: float, epochs: int = 10, test_loss: float = 100.0):
    return SimpleNamespace(config=SimpleNamespace(noise_rate=rate, epochs=epochs), metrics={"test_loss": test_loss})


def denoising(psnr: float) -> dict:
    return {"psnr": torch.tensor(psnr), "input_psnr": torch.tensor(psnr - 5)}


def test_the_noise_table_shows_the_clean_trained_reference_and_the_epochs() -> None:
    sweep = {"noise-0.1": noise_run(0.1), "denoise-0.1": noise_run(0.1), "noise-0.2": noise_run(0.2),
             "denoise-0.2": noise_run(0.2, epochs=20)}
    scores = {"noise-0.1": denoising(18.0), "denoise-0.1": denoising(19.0), "noise-0.2": denoising(15.0),
              "denoise-0.2": denoising(18.5)}
    reference = SimpleNamespace(config=SimpleNamespace(epochs=10))
    table = rows(tables.noise_scores(sweep, scores, reference, {0.1: denoising(16.0), 0.2: denoising(13.0)}, "en"))
    header = table[0]
    assert header[1] == "epochs" and "clean-trained VAE: PSNR (dB)" in header
    clean = header.index("clean-trained VAE: PSNR (dB)")
    assert [row[clean] for row in table[2:]] == ["16.00", "13.00"]
    # One number when the three models trained alike, each otherwise.
    assert [row[1] for row in table[2:]] == ["10", "10 / 20 / 10"]
