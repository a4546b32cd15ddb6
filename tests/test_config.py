"""Configurations check their fields by type and bound, in one line, when they are made."""

import re
from dataclasses import dataclass
from typing import ClassVar

import pytest

from vaebook.config import (
    CONFIGS,
    PROFILES,
    AEConfig,
    ConvVAEConfig,
    GANConfig,
    NoisyVAEConfig,
    VAEConfig,
    config_from_dict,
    config_to_dict,
    get_profile,
)
from vaebook.errors import UsageError
from vaebook.families import FAMILIES


@pytest.mark.parametrize("make, message", [
    (lambda: NoisyVAEConfig(noise_rate=0.0), "noise_rate must be greater than 0"),
    (lambda: NoisyVAEConfig(noise_rate=1.5), "noise_rate must be at most 1"),
    (lambda: NoisyVAEConfig(target="both"), "unknown target 'both'; choose one of corrupted, clean"),
    (lambda: VAEConfig(beta=-1.0), "beta must be at least 0"),
    (lambda: VAEConfig(beta=float("nan")), "beta must be at least 0"),
    (lambda: ConvVAEConfig(channels=0), "channels must be greater than 0"),
    (lambda: AEConfig(recon_loss="huber"), "unknown recon_loss 'huber'; choose one of bce, mse, l1"),
    (lambda: VAEConfig(hidden_dim=4.5), "hidden_dim must be an integer, got 4.5"),
    (lambda: VAEConfig(epochs=True), "epochs must be an integer, got True"),
    (lambda: VAEConfig(seed=2**64), "seed must be at most"),
    (lambda: VAEConfig(epochs=10**30), "epochs must be at most 100000"),
    (lambda: GANConfig(batch_size=1), "batch_size must be at least 2"),
    (lambda: VAEConfig(lr="fast"), "lr must be a number, got 'fast'"),
])
def test_bad_values_are_one_line_usage_errors(make, message):
    with pytest.raises(UsageError, match=re.escape(message)) as error:
        make()
    assert "\n" not in str(error.value)


def test_an_integer_where_a_number_is_expected_makes_the_same_configuration():
    assert VAEConfig(beta=2) == VAEConfig(beta=2.0)
    assert config_to_dict(VAEConfig(beta=2))["beta"] == 2.0 and isinstance(VAEConfig(beta=2).beta, float)


def test_every_family_round_trips_through_its_record():
    assert FAMILIES.keys() == CONFIGS.keys()  # one family per configuration class
    for family in FAMILIES.values():
        config = family.config()
        assert config_from_dict(config_to_dict(config)) == config


def test_each_family_states_its_own_code_version():
    assert all("code_version" in vars(config) for config in CONFIGS.values())
    with pytest.raises(TypeError, match="must state its family's code_version"):
        @dataclass(frozen=True)
        class _Unversioned(VAEConfig):
            family: ClassVar[str] = "unversioned"


def test_an_unknown_family_in_a_record_is_a_usage_error():
    with pytest.raises(UsageError, match="unknown model family 'rnn'"):
        config_from_dict({"family": "rnn"})


def test_profiles(monkeypatch):
    assert get_profile("quick") is PROFILES["quick"] and get_profile(PROFILES["full"]) is PROFILES["full"]
    monkeypatch.setenv("VAEBOOK_PROFILE", "fast")
    with pytest.raises(UsageError, match="VAEBOOK_PROFILE='fast' is not a profile; choose one of full, quick"):
        get_profile()
    quick = PROFILES["quick"].apply(VAEConfig(epochs=100), seed=3)
    assert quick.epochs == 2 and quick.seed == 3
    assert PROFILES["quick"].apply(VAEConfig(), epochs=7).epochs == 7  # an explicit override wins


def test_chinese_figures_without_a_cjk_font_stop_with_one_line_naming_the_package(monkeypatch):
    from latentdigits import text
    from vaebook import plots
    from vaebook.errors import MissingTool

    monkeypatch.setattr(plots, "cjk_fonts", lambda: ())
    with pytest.raises(MissingTool, match="fonts-noto-cjk") as error:
        text.labels("zh")
    assert "\n" not in str(error.value)
    assert text.labels("en")["epoch"] == "epoch"  # the English edition needs no CJK font
