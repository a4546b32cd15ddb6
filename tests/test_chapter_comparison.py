"""The checks of the comparison chapter, on small synthetic scores: no MNIST, no training."""

from __future__ import annotations

import pytest
import torch

from latentdigits.chapters import comparison, evaluation
from latentdigits.experiments import BETA_SWEEP, CLASSIFIER, CONV_BETA_SWEEP, EXPERIMENTS, REPLICATIONS, get_experiment


def scores(**fids) -> dict:
    return {name: {"fid": fid, "confidence": 0.8, "coverage_kl": 0.05} for name, fid in fids.items()}


def seeds(fid, error=(7.0, 7.1, 7.2), kl=(25.0, 25.1, 25.2)) -> dict:
    return {"fid": torch.tensor(fid, dtype=torch.float64), "recon_mse": torch.tensor(error, dtype=torch.float64),
            "test_kl": torch.tensor(kl, dtype=torch.float64), "seed": torch.tensor([0, 1, 2])}


def test_the_table_holds_every_generative_model_of_the_book_once() -> None:
    assert CLASSIFIER not in comparison.MODELS
    # The course reports' replications are shown in their own chapters, not in the comparison.
    assert sorted(comparison.MODELS) == sorted(set(EXPERIMENTS) - {CLASSIFIER} - set(REPLICATIONS))


def test_ranked_puts_the_best_first() -> None:
    found = scores(gan=30.0, vae=200.0, vaegan=300.0)
    assert comparison.ranked(found, "fid") == ["gan", "vae", "vaegan"]
    assert comparison.ranked(found, "fid", ("vaegan", "gan")) == ["gan", "vaegan"]


def test_smallest_step_is_between_neighbours_whichever_the_direction() -> None:
    assert comparison.smallest_step([40.0, 30.0, 27.5, 20.0]) == pytest.approx(2.5)
    assert comparison.smallest_step([1.0, 5.0, 1.5]) == pytest.approx(3.5)  # 1.0 and 1.5 are not neighbours


def test_differences_are_taken_between_the_rounded_values_the_table_prints() -> None:
    # 100.9043 − 96.6064 = 4.2979 would print 4.30; the table's 100.90 − 96.61 is 4.29.
    assert evaluation.rounded_difference(100.9043, 96.6064) == pytest.approx(4.29)


def test_a_gap_between_runs_trained_once_counts_only_far_beyond_the_seeds(monkeypatch) -> None:
    monkeypatch.setattr(comparison, "seed_yardstick", lambda column: 10.0)
    assert comparison.beyond_seeds(comparison.FAR * 10.0, "fid").holds
    assert not comparison.beyond_seeds(comparison.FAR * 10.0 - 0.1, "fid").holds


def test_the_gan_first_by_fid_needs_the_lowest_score_and_a_wide_gap(monkeypatch) -> None:
    monkeypatch.setattr(comparison, "seed_yardstick", lambda column: 10.0)
    monkeypatch.setattr(comparison, "_scores", lambda: scores(gan=27.6, **{"vae-l1": 151.4, "vae-bce": 206.2}))
    assert comparison.gan_lowest_fid().holds
    monkeypatch.setattr(comparison, "_scores", lambda: scores(gan=27.6, **{"vae-l1": 60.0}))
    assert not comparison.gan_lowest_fid().holds  # lowest, but within five seed spreads
    monkeypatch.setattr(comparison, "_scores", lambda: scores(gan=27.6, **{"vae-l1": 20.0}))
    assert not comparison.gan_lowest_fid().holds


def test_the_elbo_gap_must_widen_at_every_beta_of_both_sweeps(monkeypatch) -> None:
    found = {name: {"test_loss": 100.0 + 10 * beta, "iwae": -(100.0 + 9 * beta)}
             for name, beta in [(n, get_experiment(n).config.beta) for n in [*BETA_SWEEP, *CONV_BETA_SWEEP]]}
    monkeypatch.setattr(comparison, "_scores", lambda: found)
    assert comparison.elbo_gap_grows_with_beta().holds
    assert comparison.elbo_gaps(found, ["beta-2"]) == {2.0: pytest.approx(2.0)}
    found["conv-beta-3"]["iwae"] = -128.0  # narrower than at β = 2: the conv sweep need only end wider
    assert comparison.elbo_gap_grows_with_beta().holds
    found["beta-3"]["iwae"] = -128.0
    evidence = comparison.elbo_gap_grows_with_beta()
    assert not evidence.holds and "MLP β = 3: 2.00" in evidence.numbers
    found["beta-3"]["iwae"] = -127.0
    found["conv-beta-4"]["iwae"] = -139.5  # a gap of 0.50 at β = 4, narrower than 1.00 at β = 1
    assert not comparison.elbo_gap_grows_with_beta().holds


def test_the_gan_most_confident_stays_below_real_digits(monkeypatch) -> None:
    found = scores(gan=27.6, vae=206.0)
    found["gan"]["confidence"], found["vae"]["confidence"] = 0.963, 0.849
    monkeypatch.setattr(comparison, "_scores", lambda: found)
    monkeypatch.setattr(comparison, "_real", lambda: {"confidence": 0.993})
    assert comparison.gan_most_confident().holds
    monkeypatch.setattr(comparison, "_real", lambda: {"confidence": 0.95})
    assert not comparison.gan_most_confident().holds


def test_the_vae_gan_is_compared_with_a_vae_trained_as_long() -> None:
    matched, vaegan = get_experiment(comparison.MATCHED_VAE).config, get_experiment("vaegan").config
    assert matched.epochs == vaegan.epochs
    assert (matched.hidden_dim, matched.latent_dim, matched.batch_size) == (vaegan.hidden_dim, vaegan.latent_dim,
                                                                              vaegan.batch_size)
    assert (matched.recon_loss, matched.beta) == (get_experiment("vae-bce").config.recon_loss, 1.0)


def test_burdas_budget_is_their_3280_passes() -> None:
    assert comparison.BURDA_PASSES == 3280
