"""loaders: load() dispatches by (normalised) name and names the known datasets."""

from __future__ import annotations

import pytest

from e2e_helpers import config
from e2e_helpers.data import load


def test_unknown_dataset_lists_the_known_ones():
    with pytest.raises(ValueError) as info:
        load("mnist")
    message = str(info.value)
    assert "'mnist'" in message
    for name in ("fsdd", "fashion-mnist", "cifar-10", "pneumoniamnist", "breast-cancer"):
        assert name in message


def test_names_are_normalised():
    assert load("Breast_Cancer").X.shape == (569, 30)


@pytest.mark.parametrize("name", ["fsdd", "fashion-mnist", "cifar-10", "pneumoniamnist"])
def test_invalid_offline_value_is_a_config_error(monkeypatch, name):
    monkeypatch.setenv("E2E_OFFLINE", "sometimes")
    with pytest.raises(config.ConfigError, match="E2E_OFFLINE"):
        load(name)
