"""The package's shared private helpers: parameter tables, atomic writing, lazy exports."""

from __future__ import annotations

import stat

import numpy as np
import pytest

from e2e_helpers._checks import Check, Interval, Options, check_positive_int, validate_params
from e2e_helpers._files import FILE_MODE, atomic_path, replace_folder, write_text_atomically

TABLE = {
    "epochs": [Interval(int, 1)],
    "rate": [Interval(float, 0, 1, closed="neither")],
    "patience": [None, Interval(int, 1)],
    "optimizer": [Options("adam", "sgd")],
    "progress": [bool],
    "shape": [Check(lambda s: isinstance(s, tuple), "a tuple such as (1, 28, 28)")],
}
GOOD = {
    "epochs": 3,
    "rate": 0.5,
    "patience": None,
    "optimizer": "adam",
    "progress": True,
    "shape": (1, 2),
}


def test_good_values_pass_including_numpy_scalars():
    validate_params(GOOD, TABLE)
    validate_params(
        {**GOOD, "epochs": np.int64(2), "rate": np.float32(0.1), "optimizer": np.str_("sgd")}, TABLE
    )


@pytest.mark.parametrize(
    ("name", "value", "message"),
    [
        ("epochs", 0, "epochs must be an int >= 1, got 0."),
        ("epochs", True, "epochs must be an int >= 1, got True."),
        ("epochs", 2.0, "epochs must be an int >= 1, got 2.0."),
        ("rate", 1.0, "rate must be a finite number in (0, 1), got 1.0."),
        ("rate", float("nan"), "rate must be a finite number in (0, 1), got nan."),
        ("patience", 0, "patience must be None or an int >= 1, got 0."),
        ("optimizer", "Adam", "optimizer must be one of 'adam', 'sgd', got 'Adam'."),
        ("progress", 1, "progress must be True or False, got 1."),
        ("shape", [1, 2], "shape must be a tuple such as (1, 28, 28), got [1, 2]."),
    ],
)
def test_each_bad_value_is_named_with_what_was_expected(name, value, message):
    with pytest.raises(ValueError) as caught:
        validate_params({**GOOD, name: value}, TABLE)
    assert str(caught.value) == message


def test_options_never_mistake_a_bool_for_an_int():
    assert (
        not Options(1, 0).accepts(True)
        and Options(True).accepts(True)
        and not Options(True).accepts(1)
    )


def test_check_positive_int():
    check_positive_int("n", 1)
    for bad in (0, -1, 1.0, True, "2"):
        with pytest.raises(ValueError, match="n must be a positive int"):
            check_positive_int("n", bad)


def test_atomic_path_replaces_only_on_success_and_leaves_no_temporary_file(tmp_path):
    target = tmp_path / "sub" / "out.json"
    write_text_atomically(target, "first")
    assert target.read_text() == "first" and stat.S_IMODE(target.stat().st_mode) == FILE_MODE
    with pytest.raises(RuntimeError), atomic_path(target) as tmp:
        tmp.write_text("half")
        raise RuntimeError("interrupted")
    assert target.read_text() == "first"
    assert [p.name for p in target.parent.iterdir()] == ["out.json"]


def test_replace_folder_swaps_a_complete_folder_in(tmp_path):
    old, new = tmp_path / "site", tmp_path / "built"
    old.mkdir()
    (old / "stale.html").write_text("old")
    new.mkdir()
    (new / "index.html").write_text("new")
    replace_folder(new, old)
    assert [p.name for p in old.iterdir()] == ["index.html"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["site"]
