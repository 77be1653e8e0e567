"""The image-classification figures (notebook 03) and the image explorer, on small generated data."""

from __future__ import annotations

import numpy as np
import pytest
from matplotlib.figure import Figure

from e2e_helpers import plots, widgets

CLASSES = ("a", "b", "c")


@pytest.fixture
def small():
    rng = np.random.default_rng(0)
    images = rng.integers(0, 256, size=(12, 28, 28), dtype=np.uint8)
    y = np.arange(12) % 3
    pred = y.copy()
    pred[:4] = (pred[:4] + 1) % 3
    return images, y, {"traditional": pred, "CNN": y}


def test_image_figures(small):
    images, y, predictions = small
    colour = np.stack([images] * 3, axis=-1)
    figures = [
        plots.image_keypoints(images[:3], {"harris": [np.array([[3, 4]])] * 3, "orb": [np.zeros((0, 2))] * 3}, titles=CLASSES),
        plots.image_keypoints(colour[:2], {"sift": [np.array([[1.5, 2.5]])] * 2}),
        plots.visual_words(np.ones((5, 8, 8)), counts=np.arange(5)),
        plots.selection_curve([10, 100, 1000], [0.5, 0.8, 0.82], total=1000, chosen=100),
        plots.kept_features_map(images[0], np.ones((28, 28))),
        plots.confusion_pair(y, predictions, CLASSES),
        plots.error_gallery(images, y, predictions, CLASSES, n=3),
        plots.per_class_accuracy(y, predictions, CLASSES),
        plots.feature_embeddings({"x": np.zeros((12, 2)), "y": np.ones((12, 2))}, y, CLASSES),
        plots.training_curve([{"epoch": 1, "train_loss": 1.0}, {"epoch": 2, "train_loss": 0.5}]),
        plots.training_curve([{"epoch": 1, "train_loss": 1.0, "val_loss": 1.1, "val_accuracy": 0.6}]),
    ]
    assert all(isinstance(fig, Figure) for fig in figures)
    assert all(plots.to_png(fig)[:4] == b"\x89PNG" for fig in figures[:2])
    with pytest.raises(ValueError, match="one \\(k, 2\\) array per image"):
        plots.image_keypoints(images[:3], {"harris": [np.zeros((1, 2))]})


def _explorer_data(small):
    images, y, predictions = small
    return dict(
        images=images,
        labels=y,
        classes=CLASSES,
        keypoints=[np.array([[5, 5], [10, 12]])] * 12,
        hog_pictures=[image.astype(float) for image in images],
        feature_maps=np.random.default_rng(1).random((12, 4, 14, 14)),
        predictions=predictions,
    )


def test_image_explorer_view_and_widget(small, displayed, widget_bundle):
    data = _explorer_data(small)
    assert isinstance(plots.image_explorer_view(3, **data), Figure)
    with pytest.raises(ValueError, match="index must be in"):
        plots.image_explorer_view(12, **data)
    box = widgets.image_explorer(initial=2, **data)
    widget_bundle(box)
    slider, out = box.children
    first = out.outputs
    slider.value = 5
    assert out.outputs and out.outputs != first, "moving the slider redraws the picture"
    with pytest.raises(ValueError, match="initial must be in"):
        widgets.image_explorer(initial=99, **data)


def test_image_explorer_without_ipywidgets(small, displayed, monkeypatch):
    monkeypatch.setattr(widgets, "available", lambda: False)
    assert widgets.image_explorer(**_explorer_data(small)) is None
    assert isinstance(displayed[0][0][0], Figure)


# -- 04_challenges ----------------------------------------------------------------


def test_challenge_figures():
    from e2e_helpers import explain

    rng = np.random.default_rng(0)
    images = rng.integers(0, 256, size=(3, 28, 28), dtype=np.uint8)
    maps = {m: rng.normal(size=(3, 28, 28)) for m in explain.METHODS}
    check = explain.SanityCheck(steps=["trained", "dense 1", "conv 1"])
    for m in explain.METHODS:
        check.rank_correlation[m] = np.array([1.0, 0.6, 0.2])
        check.ssim[m] = np.array([1.0, 0.5, 0.1])
        check.maps[m] = [maps[m]] * 3
    per_speaker = {"traditional": {"a": 0.5, "b": 0.7}, "end-to-end": {"a": 0.8, "b": 0.9}}
    figures = [
        plots.speaker_bars(per_speaker, {"traditional": 0.9, "end-to-end": 0.98}, title="LOSO"),
        plots.speaker_bars(per_speaker),
        plots.few_shot_curves({"a": {0: 0.5, 1: 0.7, 5: 0.9}, "b": {0: 0.6, 1: 0.8, 5: 0.95}}),
        plots.attribution_grid(images, maps, titles=["x", "y", "z"]),
        plots.attribution_grid(images[:1], {"saliency": np.zeros((1, 28, 28))}),  # an all-zero map draws too
        plots.sanity_curves(check),
        plots.sanity_maps(check, images, index=2),
        plots.linear_explanation([f"f{i}" for i in range(12)], rng.normal(size=12), rng.normal(size=12), -0.5,
                                 top=5, positive="malignant", title="patient 3"),
    ]
    for fig in figures:
        assert isinstance(fig, Figure) and plots.to_png(fig)[:4] == b"\x89PNG"
    legend = [t.get_text() for t in figures[5].axes[0].get_legend().get_texts()]
    assert legend[0] == "saliency (passes)"
