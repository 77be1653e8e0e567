"""An ablation's figure and the confusion-difference figure, on small generated results."""

from __future__ import annotations

import numpy as np
import pytest
from matplotlib.figure import Figure
from sklearn.linear_model import LogisticRegression

from e2e_helpers import learn
from e2e_helpers.figures import canvas, comparison_plots

CLASSES = ("a", "b", "c")


def test_ablation_plot_draws_every_row_and_gain():
    rng = np.random.default_rng(0)
    y = np.arange(120) % 2
    good, noise = y[:, None] + rng.normal(0, 0.5, (120, 1)), rng.normal(0, 1, (120, 1))
    study = learn.ablation(
        {"good": (good[:60], good[60:]), "noise": (noise[:60], noise[60:])},
        LogisticRegression(),
        {"C": [1.0]},
        y[:60],
        y[60:],
    )
    gains = {
        "good vs noise": study.gain("good", "noise"),
        "noise vs noise": study.gain("noise", "noise"),
    }
    fig = comparison_plots.ablation_plot(study, gains, title="t")
    assert isinstance(fig, Figure) and canvas.to_png(fig)[:4] == b"\x89PNG"
    left, right = fig.axes
    assert [t.get_text() for t in left.get_yticklabels()] == ["noise", "good"]
    assert [t.get_text() for t in right.get_yticklabels()] == ["noise vs noise", "good vs noise"]


def test_confusion_difference_shows_the_base_and_the_difference(small):
    _, y, predictions = small
    fig = comparison_plots.confusion_difference(y, predictions, CLASSES, base="traditional")
    left, right = fig.axes[:2]
    assert (
        left.get_title().startswith("traditional")
        and right.get_title() == "CNN minus traditional (points)"
    )
    texts = {t.get_text() for t in right.texts}
    assert texts == {"+50", "-50", "+25", "-25"}, (
        "the CNN fixes 2 of 4 images of class a, 1 of 4 of b and c"
    )
    assert min(t.get_fontsize() for t in left.texts) >= 8, "readable numbers"
    with pytest.raises(ValueError, match="compares two models, got 1"):
        comparison_plots.confusion_difference(y, {"CNN": y}, CLASSES)
    with pytest.raises(ValueError, match="base must be one of"):
        comparison_plots.confusion_difference(y, predictions, CLASSES, base="nope")


def test_roc_curves_draw_each_split_and_the_threshold_point():
    rng = np.random.default_rng(0)
    y = rng.integers(0, 2, 200)
    scores = y + rng.normal(0, 1.0, 200)
    fig = comparison_plots.roc_curves(
        {"validation": (y, scores), "test": (y, -scores)}, threshold=0.5
    )
    ax = fig.axes[0]
    labels = [t.get_text() for t in ax.get_legend().get_texts()]
    assert labels[0].startswith("validation (AUC 0.") and "threshold 0.500" in labels[-1]
    point = ax.lines[1].get_xydata()[0]  # the validation operating point at 0.5
    said = scores >= 0.5
    assert point.tolist() == [said[y == 0].mean(), said[y == 1].mean()]
    with pytest.raises(ValueError, match="both classes"):
        comparison_plots.roc_curves({"test": (np.zeros(5), np.zeros(5))})
    with pytest.raises(ValueError, match="at least one split"):
        comparison_plots.roc_curves({})
