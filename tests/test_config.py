"""config: settings read from E2E_* variables, device choice, seeding, summary."""

from __future__ import annotations

import random

import numpy as np
import pytest
import torch

from e2e_helpers import config


def test_defaults(monkeypatch, tmp_path):
    monkeypatch.delenv("E2E_OFFLINE")
    monkeypatch.delenv("E2E_DATA_DIR")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    assert config.offline() is False
    assert config.fast_mode() is False
    assert config.mode() == "full"
    assert config.results_dir() is None
    assert config.data_dir().name == "e2e-course"
    assert not config.data_dir().exists(), "asking for the data folder must not create it"


@pytest.mark.parametrize(
    "raw, expected",
    [("1", True), ("yes", True), ("ON", True), ("0", False), ("", False), ("off", False)],
)
def test_flags(monkeypatch, raw, expected):
    monkeypatch.setenv("E2E_FAST", raw)
    monkeypatch.setenv("E2E_OFFLINE", raw)
    assert config.fast_mode() is expected
    assert config.offline() is expected
    assert config.by_mode(full="big", fast="small") == ("small" if expected else "big")
    assert config.mode() == ("fast" if expected else "full")


@pytest.mark.parametrize("name", ["E2E_FAST", "E2E_OFFLINE"])
def test_invalid_flag_is_a_clear_error(monkeypatch, name):
    monkeypatch.setenv(name, "maybe")
    getter = config.fast_mode if name == "E2E_FAST" else config.offline
    with pytest.raises(
        config.ConfigError, match=rf"{name}='maybe' is not a yes/no value: set it to 1 \(on\) or 0"
    ):
        getter()


def test_data_dir_from_env(monkeypatch, tmp_path):
    monkeypatch.setenv("E2E_DATA_DIR", str(tmp_path / "somewhere"))
    assert config.data_dir() == (tmp_path / "somewhere").resolve()


@pytest.mark.parametrize(
    "name, getter, unset",
    [
        ("E2E_DATA_DIR", config.data_dir, "to use .*e2e-course"),
        ("E2E_RESULTS_DIR", config.results_dir, "to only show the figures"),
    ],
)
def test_a_folder_variable_that_names_a_file(monkeypatch, tmp_path, name, getter, unset):
    path = tmp_path / "file.txt"
    path.write_text("x")
    monkeypatch.setenv(name, str(path))
    with pytest.raises(
        config.ConfigError,
        match=rf"{name}='.*file.txt' is a file, not a folder: point it at a folder "
        rf"\(it is created if missing\) or unset it {unset}",
    ):
        getter()


def test_results_dir(monkeypatch, tmp_path):
    monkeypatch.setenv("E2E_RESULTS_DIR", str(tmp_path))
    assert config.results_dir() == tmp_path.resolve()


def test_device_auto_and_explicit(monkeypatch):
    expected = (
        "cuda"
        if torch.cuda.is_available()
        else "mps"
        if torch.backends.mps.is_available()
        else "cpu"
    )
    assert config.device().type == expected
    monkeypatch.setenv("E2E_DEVICE", "cpu")
    assert config.device() == torch.device("cpu")
    assert config.device("auto").type == expected  # an explicit argument wins


@pytest.mark.parametrize("bad", ["gpu", "tpu", "CUDA:0"])
def test_invalid_device(monkeypatch, bad):
    monkeypatch.setenv("E2E_DEVICE", bad)
    with pytest.raises(config.ConfigError, match="is not one of auto, cpu, cuda, mps"):
        config.device()


@pytest.mark.skipif(torch.cuda.is_available(), reason="this machine has a GPU")
def test_cuda_requested_without_gpu():
    with pytest.raises(config.ConfigError, match="no CUDA GPU"):
        config.device("cuda")


def test_seed_everything_repeats():
    def draw():
        return random.random(), np.random.rand(), torch.rand(1).item()

    config.seed_everything(123)
    first = draw()
    config.seed_everything(123)
    assert draw() == first
    config.seed_everything(124)
    assert draw() != first


@pytest.mark.parametrize("bad", [-1, 2**32, 1.5, "0", True])
def test_seed_validation(bad):
    with pytest.raises(config.ConfigError, match="seed must be an int"):
        config.seed_everything(bad)


def test_environment_summary_is_one_line(monkeypatch):
    monkeypatch.setenv("E2E_FAST", "1")
    line = config.environment_summary()
    assert "\n" not in line
    for part in (
        "Python 3.",
        "torch 2.",
        "torchvision 0.",
        "torchaudio 2.",
        "scikit-learn 1.",
        "device cpu",
        "mode fast",
        "offline yes",
    ):
        assert part in line, part
    assert "e2e_helpers missing" not in line
