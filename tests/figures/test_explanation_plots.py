"""The explanation figures (notebook 04): attribution maps, the sanity check, a linear model's
reasons."""

from __future__ import annotations

import numpy as np
import pytest
from matplotlib.figure import Figure

from e2e_helpers.explain import METHODS
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
