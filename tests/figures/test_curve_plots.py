"""Training curves, learning curves and their crossover, result bars and the feature-selection
curve."""

from __future__ import annotations

import numpy as np
import pytest
from fakedata import toy_learning_curves
from matplotlib.figure import Figure

from e2e_helpers.figures import curve_plots
from e2e_helpers.learn.learning_curve import LearningCurves


def test_selection_and_trainingtoy_learning_curves():
    figures = [
        curve_plots.selection_curve([10, 100, 1000], [0.5, 0.8, 0.82], total=1000, chosen=100),
        curve_plots.training_curve(
            [{"epoch": 1, "train_loss": 1.0}, {"epoch": 2, "train_loss": 0.5}]
        ),
        curve_plots.training_curve(
            [{"epoch": 1, "train_loss": 1.0, "val_loss": 1.1, "val_accuracy": 0.6}]
        ),
    ]
    assert all(isinstance(fig, Figure) for fig in figures)


def test_intuitiontoy_learning_curves():
    history = [
        {"epoch": 1, "train_loss": 1.0, "val_loss": 0.9, "val_accuracy": 0.7},
        {"epoch": 2, "train_loss": 0.5, "val_loss": 0.6, "val_accuracy": 0.8},
    ]
    assert isinstance(curve_plots.training_curve(history), Figure)
    with pytest.raises(ValueError, match="history is empty"):
        curve_plots.training_curve([])
    curves = toy_learning_curves()
    fig = curve_plots.learning_curves(curves, behind="HOG", ahead="CNN", marker=500)
    assert any("crossover" in t.get_text() for t in fig.axes[0].texts)
    assert (
        "never overtakes"
        in curve_plots.learning_curves(curves, behind="CNN", ahead="HOG").axes[0].get_title()
    )
    always = LearningCurves(
        sizes=curves.sizes,
        scores={"HOG": [np.array([0.5])] * 3, "CNN": [np.array([0.6])] * 3},
        fit_seconds={"HOG": [np.array([1.0])] * 3, "CNN": [np.array([1.0])] * 3},
    )
    assert (
        "at every size"
        in curve_plots.learning_curves(always, behind="HOG", ahead="CNN").axes[0].get_title()
    )
    assert isinstance(curve_plots.accuracy_at_size(curves, 500), Figure)
    assert isinstance(
        curve_plots.summary_bars(["HOG", "CNN"], [0.88, 0.92], [10, 90], [1, 2]), Figure
    )


def test_learning_curves_with_95_percent_intervals_and_the_interval_crossover():
    from e2e_helpers.learn.intervals import Estimate

    curves = toy_learning_curves()
    intervals = {
        name: [Estimate(m, m - 0.02, m + 0.01) for m in curves.mean(name)] for name in curves.names
    }
    fig = curve_plots.learning_curves(
        curves, behind="HOG", ahead="CNN", intervals=intervals, crossing=int(curves.sizes[2])
    )
    assert f"from {int(curves.sizes[2]):,} images on" in fig.axes[0].get_title()
    assert not fig.axes[0].texts, "the mean curves' crossover is not drawn when intervals are given"
    none = curve_plots.learning_curves(
        curves, behind="HOG", ahead="CNN", intervals=intervals, crossing=-1
    )
    assert "no crossover where they separate" in none.axes[0].get_title()
    titled = curve_plots.learning_curves(
        curves, intervals=intervals, crossing=-1, title="HOG is clearly ahead at 50 images."
    )
    assert titled.axes[0].get_title() == "HOG is clearly ahead at 50 images."


def test_compute_curves_put_both_families_on_one_cost_axis():
    from e2e_helpers.learn.intervals import Estimate

    points = {
        "kernel": (
            [10.0, 40.0],
            [Estimate(0.88, 0.87, 0.89), Estimate(0.9, 0.89, 0.91)],
            ["1k", "4k"],
        ),
        "CNN": ([30.0], [Estimate(0.92, 0.91, 0.93)], ["8 epochs"]),
    }
    fig = curve_plots.compute_curves(points, title="cost")
    assert fig.axes[0].get_xscale() == "log" and len(fig.axes[0].texts) == 3
    with pytest.raises(ValueError, match="as many costs"):
        curve_plots.compute_curves({"x": ([1.0], [], ["a"])})
    with pytest.raises(ValueError, match="empty"):
        curve_plots.compute_curves({})
