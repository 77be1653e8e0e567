"""The image-classification figures (notebook 03) and the image explorer's view, on small generated
data."""

from __future__ import annotations

import numpy as np
import pytest
from matplotlib.figure import Figure

from e2e_helpers.figures import canvas, image_plots, image_results
from e2e_helpers.vision import HOGFeatures

CLASSES = ("a", "b", "c")


def test_image_figures(small):
    images, y, predictions = small
    colour = np.stack([images] * 3, axis=-1)
    figures = [
        image_plots.image_keypoints(
            images[:3],
            {"harris": [np.array([[3, 4]])] * 3, "orb": [np.zeros((0, 2))] * 3},
            titles=CLASSES,
        ),
        image_plots.image_keypoints(colour[:2], {"sift": [np.array([[1.5, 2.5]])] * 2}),
        image_plots.visual_words(np.ones((5, 8, 8)), counts=np.arange(5)),
        image_plots.kept_features_map(images[0], np.full((28, 28), 0.5)),
        image_results.confusion_pair(y, predictions, CLASSES),
        image_results.error_gallery(images, y, predictions, CLASSES, n=3),
        image_results.per_class_accuracy(y, predictions, CLASSES),
        image_results.feature_embeddings(
            {"x": np.zeros((12, 2)), "y": np.ones((12, 2))}, y, CLASSES
        ),
    ]
    assert all(isinstance(fig, Figure) for fig in figures)
    assert all(canvas.to_png(fig)[:4] == b"\x89PNG" for fig in figures[:2])
    with pytest.raises(ValueError, match="pixel_map must hold fractions between 0 and 1"):
        image_plots.kept_features_map(images[0], np.full((28, 28), 9.0))
    cells = (
        image_plots.kept_features_map(images[0], np.kron(np.eye(7) * 0.25, np.ones((4, 4))), cell=4)
        .axes[1]
        .texts
    )
    assert len(cells) == 49 and {t.get_text() for t in cells} == {"0.25", "0.00"}, (
        "one number per cell"
    )
    with pytest.raises(ValueError, match="one \\(k, 2\\) or \\(k, 3\\) array per image"):
        image_plots.image_keypoints(images[:3], {"harris": [np.zeros((1, 2))]})


def test_image_explorer_view(explorer_data):
    data = explorer_data
    assert isinstance(image_results.image_explorer_view(3, **data), Figure)
    with pytest.raises(ValueError, match="index must be in"):
        image_results.image_explorer_view(12, **data)


# -- 01_intuition figures ------------------------------------------------------


def test_intuition_figures():
    rng = np.random.default_rng(0)
    images = rng.integers(0, 255, (40, 28, 28)).astype(np.uint8)
    labels = np.arange(40) % 4
    classes = ["a", "b", "c", "d"]
    assert isinstance(image_plots.sample_grid(images, labels, classes, per_class=3), Figure)
    assert isinstance(image_plots.class_balance(labels, classes, labels[:10]), Figure)
    hog = HOGFeatures().fit(images[:2])
    assert len(image_plots.hog_pictures(images[:3], hog, titles=classes[:3]).axes) == 6
    maps = rng.random((3, 5, 28, 28))
    assert (
        len(image_plots.what_each_sees(images[:3], hog, maps, titles=classes[:3], n_maps=2).axes)
        == 12
    )
    with pytest.raises(ValueError, match="feature_maps must have shape"):
        image_plots.what_each_sees(images[:3], hog, maps[:2])
    with pytest.raises(ValueError, match="differ"):
        image_plots.sample_grid(images, labels[:3], classes)


def test_filter_tiles_share_one_diverging_scale_centred_on_zero():
    filters = np.stack([np.full((3, 3), 0.1), np.linspace(-2, 1, 9).reshape(3, 3)])
    fig = image_plots.filter_tiles(filters, ncols=2)
    shown = [ax.images[0] for ax in fig.axes if ax.images]
    assert [im.get_clim() for im in shown] == [(-2.0, 2.0), (-2.0, 2.0)]
    assert shown[0].get_cmap().name == "RdBu_r"
    with pytest.raises(ValueError, match="first_filters"):
        image_plots.filter_tiles(np.zeros((3, 3)))


def test_image_steps_and_readable_hog_picture():
    rng = np.random.default_rng(0)
    fig = image_plots.image_steps(
        {"image": rng.random((28, 28)), "pooled": rng.random((13, 13))}, title="t"
    )
    panels = [ax for ax in fig.axes if ax.get_title()]  # the others are colour bars
    assert [ax.get_title().splitlines()[1] for ax in panels] == ["28×28", "13×13"]
    assert len(fig.axes) == 4, "each panel has its colour bar"
    with pytest.raises(ValueError, match="empty"):
        image_plots.image_steps({})
    with pytest.raises(ValueError, match="2-D array"):
        image_plots.image_steps({"x": np.zeros(3)})
    images = rng.integers(0, 255, (2, 28, 28)).astype(np.uint8)
    hog = HOGFeatures().fit(images)
    picture = image_plots.hog_pictures(images, hog).axes[2].images[0].get_array()  # bottom row
    assert picture.shape == (112, 112), (
        "the enlarged, readable picture (vision.hog_picture), not skimage's 28x28 one"
    )


def test_keypoints_with_a_scale_are_drawn_as_circles_of_their_radius():
    images = np.zeros((2, 28, 28))
    points = {"DoG": [np.array([[5.0, 5.0, 1.0], [20.0, 20.0, 2.6]])] * 2}
    fig = image_plots.image_keypoints(images, points)
    radii = sorted(patch.get_radius() for patch in fig.axes[0].patches)
    assert radii == pytest.approx([np.sqrt(2), np.sqrt(2) * 2.6])
