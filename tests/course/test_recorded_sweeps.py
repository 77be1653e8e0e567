"""course.recorded_sweeps: the benchmark results the notebooks plot, shipped with the package."""

from __future__ import annotations

import json

import numpy as np
import pytest

from e2e_helpers.course import recorded_sweeps


def test_a_saved_sweep_reads_back_with_its_command(monkeypatch, tmp_path):
    (tmp_path / "recorded").mkdir()
    monkeypatch.setattr(recorded_sweeps, "_folder", lambda: tmp_path / "recorded")
    path = recorded_sweeps.save_sweep("toy", "python benchmarks/toy.py", right=[1, 0, 1])
    assert json.loads(open(path).read())["right"] == [1, 0, 1]
    assert recorded_sweeps.recorded_sweep("toy") == {
        "command": "python benchmarks/toy.py",
        "right": [1, 0, 1],
    }
    with pytest.raises(ValueError, match="no recorded sweep 'other'; recorded: toy"):
        recorded_sweeps.recorded_sweep("other")
    with pytest.raises(ValueError, match="a plain name"):
        recorded_sweeps.save_sweep("../escape", "cmd")


@pytest.mark.parametrize("name", ["speech_choices", "speech_sweeps"])
def test_the_shipped_speech_sweeps_say_how_to_recompute_them(name):
    sweep = recorded_sweeps.recorded_sweep(name)
    assert sweep["command"].startswith(".venv/bin/python benchmarks/")


def test_per_item_results_pack_eight_to_a_byte_and_rebuild_learning_curves():
    right = np.random.default_rng(0).random(1001) < 0.7
    packed = recorded_sweeps.packed_right(right)
    assert packed["n"] == 1001 and len(packed["bits"]) < 1001 / 4
    assert np.array_equal(recorded_sweeps.unpacked_right(packed), right)
    with pytest.raises(ValueError, match="0 \\(wrong\\) and 1 \\(right\\)"):
        recorded_sweeps.packed_right([0, 2])
    with pytest.raises(ValueError, match="from packed_right"):
        recorded_sweeps.unpacked_right([1, 0])
    record = {
        "a": {"fit_seconds": [[1.0, 2.0]], "right": [[packed, packed]]},
    }
    curves = recorded_sweeps.recorded_curves([100], record)
    assert curves.correct["a"][0].shape == (2, 1001)
    assert curves.mean("a")[0] == pytest.approx(right.mean())
    assert curves.seconds("a")[0] == 1.5
    with pytest.raises(ValueError, match="one entry per size"):
        recorded_sweeps.recorded_curves([100, 200], record)


def test_the_shipped_image_curve_says_how_to_recompute_it_and_covers_every_size():
    sweep = recorded_sweeps.recorded_sweep("image_curve")
    assert sweep["command"].startswith("python benchmarks/image_curve.py")
    curves = recorded_sweeps.recorded_curves(sweep["sizes"], sweep["curves"])
    assert list(curves.n_seeds("CNN")) == sweep["seeds"]
    assert set(sweep["budgets"]) == {str(s) for s in sweep["sizes"]}
