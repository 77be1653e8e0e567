"""The explanation figures (notebook 04): attribution maps, the sanity check, a linear model's
reasons."""

from __future__ import annotations

import numpy as np
import pytest
from matplotlib.figure import Figure

from e2e_helpers.explain import METHODS
from e2e_helpers.explain.faithfulness import DeletionCurve
from e2e_helpers.explain.sanity import SanityCheck
from e2e_helpers.figures import canvas, explanation_plots


def test_challenge_figures():
    rng = np.random.default_rng(0)
    images = rng.integers(0, 256, size=(3, 28, 28), dtype=np.uint8)
    maps = {m: rng.normal(size=(3, 28, 28)) for m in METHODS}
    check = SanityCheck(steps=["trained", "dense 1", "conv 1"])
    for m in METHODS:
        check.rank_correlation[m] = np.array([1.0, 0.6, 0.2])
        check.ssim[m] = np.array([1.0, 0.5, 0.1])
        check.maps[m] = [maps[m]] * 3
    figures = [
        explanation_plots.attribution_grid(images, maps, titles=["x", "y", "z"]),
        explanation_plots.attribution_grid(
            images[:1], {"saliency": np.zeros((1, 28, 28))}
        ),  # an all-zero map draws too
        explanation_plots.sanity_curves(check),
        explanation_plots.sanity_maps(check, images, index=2),
        explanation_plots.mask_share(
            images,
            np.abs(maps["grad_cam"]),
            np.eye(28, dtype=bool),
            [0.2, 0.4, 0.1],
            show=(0, 2),
            titles=["a", "b"],
        ),
        explanation_plots.linear_explanation(
            [f"f{i}" for i in range(12)],
            rng.normal(size=12),
            rng.normal(size=12),
            -0.5,
            top=5,
            positive="malignant",
            title="patient 3",
        ),
    ]
    for fig in figures:
        assert isinstance(fig, Figure) and canvas.to_png(fig)[:4] == b"\x89PNG"
    with pytest.raises(ValueError, match="one map and one share"):
        explanation_plots.mask_share(images, maps["grad_cam"], np.eye(28, dtype=bool), [0.2])
    legend = [t.get_text() for t in figures[2].axes[0].get_legend().get_texts()]
    assert legend[0] == "saliency (passes)"


def test_blank_maps_are_shown_as_such():
    rng = np.random.default_rng(0)
    images = rng.integers(0, 256, size=(3, 28, 28), dtype=np.uint8)
    check = SanityCheck(steps=["trained", "conv 1"])
    check.rank_correlation["saliency"] = np.array([1.0, np.nan])
    check.ssim["saliency"] = np.array([1.0, np.nan])
    check.maps["saliency"] = [rng.normal(size=(3, 28, 28)), np.zeros((3, 28, 28))]
    check.degenerate["saliency"] = np.array([0, 3])
    fig = explanation_plots.sanity_curves(check)
    legend = [t.get_text() for t in fig.axes[0].get_legend().get_texts()]
    assert legend == ["saliency (cannot be judged)"]
    fig = explanation_plots.mask_share(
        images, np.zeros((3, 28, 28)), np.eye(28, dtype=bool), [0.2, np.nan, 0.4], show=(1,)
    )
    titles = [ax.get_title() for ax in fig.axes]
    assert "30% outside" in titles[0] and "1 blank map left out" in titles[0]
    assert "blank map" in titles[1]
    assert canvas.to_png(fig)[:4] == b"\x89PNG"


def test_deletion_curves_against_the_random_reference():
    fractions = np.linspace(0, 1, 21)
    falling = np.clip(1 - 4 * fractions, 0, 1)
    curves = {
        m: DeletionCurve(fractions, np.tile(falling, (3, 1)), np.tile(1 - fractions, (3, 1)))
        for m in ("saliency", "grad_cam")
    }
    fig = explanation_plots.deletion_curves(curves, title="deletion")
    ax = fig.axes[0]
    assert ax.get_xlabel() == "share of pixels removed"
    assert ax.get_ylabel() == "probability of the predicted class"
    assert len(ax.lines) == 2 * len(curves) + 1, "each method and its random reference"
    legend = [t.get_text() for t in ax.get_legend().get_texts()]
    assert legend[1] == "grad cam (area 0.12, random 0.50)" and "random order" in legend[-1]
    assert canvas.to_png(fig)[:4] == b"\x89PNG"
    with pytest.raises(ValueError, match="curves is empty"):
        explanation_plots.deletion_curves({})
