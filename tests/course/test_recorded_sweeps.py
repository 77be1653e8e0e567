"""course.recorded_sweeps: the benchmark results the notebooks plot, shipped with the package."""

from __future__ import annotations

import json

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


def test_the_shipped_image_curve_says_how_to_recompute_it_and_covers_every_size():
    from e2e_helpers.learn import LearningCurves

    sweep = recorded_sweeps.recorded_sweep("image_curve")
    assert sweep["command"].startswith("python benchmarks/image_curve.py")
    curves = LearningCurves.from_record(sweep["sizes"], sweep["curves"])
    assert list(curves.n_seeds("CNN")) == sweep["seeds"]
    assert set(sweep["budgets"]) == {str(s) for s in sweep["sizes"]}
