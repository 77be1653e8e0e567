"""HOG as a scikit-learn transformer, on small generated images."""

from __future__ import annotations

import numpy as np
import pytest
from sklearn.base import clone
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import make_pipeline

from e2e_helpers.vision import HOGFeatures, as_images


@pytest.fixture
def stripes():
    """Horizontal vs vertical stripes: HOG separates them by orientation."""
    rng = np.random.default_rng(0)
    base = np.zeros((16, 16))
    base[::4] = 255
    images = np.stack([base if i % 2 else base.T for i in range(40)])
    images = images + rng.normal(0, 20, images.shape)
    return images.astype(np.float32), np.arange(40) % 2


def test_shapes_and_flat_rows(stripes):
    X, _ = stripes
    hog = HOGFeatures().fit(X)
    features = hog.transform(X)
    assert features.dtype == np.float32 and features.shape == (40, hog.n_features_out_)
    flat = HOGFeatures().fit(X.reshape(40, -1)).transform(X.reshape(40, -1))
    np.testing.assert_allclose(flat, features)
    assert len(hog.get_feature_names_out()) == hog.n_features_out_


def test_pipeline_separates_orientations(stripes):
    X, y = stripes
    model = make_pipeline(HOGFeatures(pixels_per_cell=(8, 8)), LogisticRegression()).fit(X, y)
    assert model.score(X, y) == 1.0
    assert clone(model).get_params()["hogfeatures__pixels_per_cell"] == (8, 8)


def test_colour_images_and_parallel_agree(stripes):
    X, _ = stripes
    colour = np.repeat(X[..., None], 3, axis=-1)
    one = HOGFeatures().fit(colour).transform(colour)
    two = HOGFeatures(n_jobs=2).fit(colour).transform(colour)
    np.testing.assert_allclose(one, two)


def test_visualize_returns_features_and_picture(stripes):
    X, _ = stripes
    hog = HOGFeatures().fit(X)
    features, picture = hog.visualize(X[0])
    assert picture.shape == X[0].shape
    np.testing.assert_allclose(features, hog.transform(X[:1])[0], rtol=1e-5)


def test_bad_input_is_explained(stripes):
    X, _ = stripes
    with pytest.raises(ValueError, match="pass image_shape"):
        as_images(np.zeros((2, 10)))
    with pytest.raises(ValueError, match="do not fit image_shape"):
        as_images(np.zeros((2, 10)), (3, 3))
    with pytest.raises(ValueError, match=r"expected images shaped"):
        as_images(np.zeros(5))
    hog = HOGFeatures().fit(X)
    with pytest.raises(ValueError, match="fitted on"):
        hog.transform(np.zeros((2, 8, 8)))


# ----------------------------------------------------------------- interest points, bag of words, selection

from functools import partial  # noqa: E402

from sklearn.feature_selection import f_classif  # noqa: E402

from e2e_helpers import vision  # noqa: E402


def squares_and_discs(n: int = 40, size: int = 28, colour: bool = False):
    """Bright squares (4 sharp corners) vs discs (no corners), at random places."""
    rng = np.random.default_rng(1)
    images = np.zeros((n, size, size), np.float32)
    yy, xx = np.mgrid[:size, :size]
    for i in range(n):
        r, c = rng.integers(8, size - 8, size=2)
        if i % 2:
            images[i, r - 5 : r + 5, c - 5 : c + 5] = 1.0
        else:
            images[i] = ((yy - r) ** 2 + (xx - c) ** 2 <= 30).astype(np.float32)
    images += rng.normal(0, 0.02, images.shape).astype(np.float32)
    images = (np.clip(images, 0, 1) * 255).astype(np.uint8)
    if colour:
        images = np.stack([images, images // 2, 255 - images], axis=-1)
    return images, np.arange(n) % 2


def test_harris_finds_the_corners_of_a_square():
    image = np.zeros((1, 20, 20), np.float32)
    image[0, 5:15, 5:15] = 1.0
    points = vision.strongest_corners(image, 4)[0]
    assert points.shape == (4, 2)
    corners = {(5, 5), (5, 14), (14, 5), (14, 14)}
    assert all(min(abs(r - a) + abs(c - b) for a, b in corners) <= 2 for r, c in points)
    flat = vision.strongest_corners(np.zeros((1, 20, 20)), 3)[0]
    assert (flat == [10, 10]).all(), "a flat image falls back to its centre"


@pytest.mark.parametrize("method", ["harris", "orb", "sift"])
def test_interest_points_are_inside_the_image(method):
    images, _ = squares_and_discs(4)
    points = vision.interest_points(images[1], method, max_points=10)
    assert points.ndim == 2 and points.shape[1] == 2 and 0 < len(points) <= 10
    assert points.min() >= -1 and points.max() <= 28
    with pytest.raises(ValueError, match="method must be one of"):
        vision.interest_points(images[1], "surf")


def test_patch_descriptors_shapes_and_norms():
    images, _ = squares_and_discs(6)
    grey = vision.to_grey(images)
    points = np.broadcast_to(vision.dense_grid(28, 28, 8, 4), (6, 36, 2))
    for kind, dims in (("gradients", 32), ("pixels", 64)):
        d = vision.patch_descriptors(grey, points, descriptor=kind)
        assert d.shape == (6, 36, dims) and d.dtype == np.float32
        norms = np.linalg.norm(d, axis=-1)
        assert np.all((np.abs(norms - 1) < 1e-4) | (norms < 1e-4))
    with pytest.raises(ValueError, match="even int"):
        vision.patch_descriptors(grey, points, patch_size=7)
    with pytest.raises(ValueError, match="do not fit"):
        vision.dense_grid(6, 6, 8, 4)


@pytest.mark.parametrize("colour", [False, True])
def test_bag_of_words_separates_squares_from_discs(colour):
    images, y = squares_and_discs(40, colour=colour)
    bovw = vision.BagOfVisualWords(n_words=8, n_corners=4, max_descriptors=2000)
    model = make_pipeline(bovw, LogisticRegression(C=10, max_iter=1000)).fit(images, y)
    hist = bovw.transform(images)
    assert hist.shape == (40, 8) and np.allclose(hist.sum(axis=1), 1)
    assert model.score(images, y) >= 0.9
    assert bovw.word_patches_.shape == (8, 8, 8)
    assert bovw.points(images[:3]).shape == (3, 36 + 4, 2)
    assert bovw.words(images[:3]).shape == (3, 40)
    again = vision.BagOfVisualWords(n_words=8, n_corners=4, max_descriptors=2000).fit(images)
    np.testing.assert_allclose(again.transform(images), hist), "deterministic with a fixed random_state"
    flat = clone(bovw).set_params(image_shape=images.shape[1:]).fit(images.reshape(40, -1))
    assert flat.transform(images.reshape(40, -1)).shape == (40, 8)


def test_bag_of_words_checks_its_settings():
    images, _ = squares_and_discs(4)
    with pytest.raises(ValueError, match="no patches"):
        vision.BagOfVisualWords(step=0, n_corners=0).fit(images)
    with pytest.raises(ValueError, match="cannot make"):
        vision.BagOfVisualWords(n_words=500).fit(images)
    with pytest.raises(ValueError, match="n_words must be a positive int"):
        vision.BagOfVisualWords(n_words=0).fit(images)
    fitted = vision.BagOfVisualWords(n_words=4).fit(images)
    with pytest.raises(ValueError, match="fitted on"):
        fitted.transform(np.zeros((2, 32, 32), np.uint8))


def test_hog_feature_map_puts_features_on_their_cells():
    hog = HOGFeatures().fit(np.zeros((1, 28, 28)))
    ones = vision.hog_feature_map(hog, np.ones(hog.n_features_out_))
    assert ones.shape == (28, 28)
    # corner cells belong to one block, inner cells to four
    assert ones[0, 0] == 9 and ones[10, 10] == 4 * 9
    assert ones.sum() == hog.n_features_out_ * 16
    mean = vision.hog_feature_map(hog, np.ones(hog.n_features_out_), reduce="mean")
    assert np.allclose(mean, 1)
    with pytest.raises(ValueError, match="one per HOG feature"):
        vision.hog_feature_map(hog, np.ones(5))


@pytest.mark.parametrize("svm", ["linear", "rbf", "nystroem"])
def test_traditional_pipeline_is_one_pipeline(svm):
    images, y = squares_and_discs(40)
    model = vision.traditional_pipeline(n_words=8, k=50, svm=svm, n_components=20).set_params(
        features__bovw__max_descriptors=2000
    )
    assert list(model.named_steps)[-1] == "svm" and model.named_steps["select"].score_func is f_classif
    model.fit(images, y)
    assert model.score(images, y) >= 0.9
    assert model[:-1].transform(images).shape[1] == 50 or svm == "nystroem"
    with pytest.raises(ValueError, match="svm must be"):
        vision.traditional_pipeline(svm="forest")


def test_traditional_pipeline_and_cnn_on_cifar_shaped_files(monkeypatch, tmp_path):
    """The CIFAR-10 switch: generated files in the real batch format -> both pipelines."""
    import pickle

    import torch
    from fakedata import cifar_members
    from torchvision.datasets import CIFAR10

    from e2e_helpers import datasets, estimators, models

    folder = tmp_path / "data" / "cifar-10" / "cifar-10-batches-py"
    folder.mkdir(parents=True)
    members = cifar_members(n=20)
    digests = {}
    for name, data in members.items():
        (tmp_path / "data" / "cifar-10" / name).write_bytes(data)
        import hashlib

        digests[name.split("/")[-1]] = hashlib.md5(data).hexdigest()
    monkeypatch.setattr(CIFAR10, "train_list", [[f"data_batch_{i}", digests[f"data_batch_{i}"]] for i in range(1, 6)])
    monkeypatch.setattr(CIFAR10, "test_list", [["test_batch", digests["test_batch"]]])
    monkeypatch.setattr(CIFAR10, "meta", dict(CIFAR10.meta, md5=digests["batches.meta"]))
    data = datasets.load("cifar-10")
    assert data.train_images.shape == (100, 32, 32, 3) and len(data.classes) == 10
    assert pickle  # the batches are pickled dicts, read by torchvision
    model = vision.traditional_pipeline(n_words=8, k=100, svm="linear").set_params(
        features__bovw__max_descriptors=2000
    )
    model.fit(data.train_images, data.train_labels)
    assert model.predict(data.test_images).shape == (20,)
    hog = model.named_steps["features"].transformer_list[0][1]
    assert vision.hog_feature_map(hog, np.ones(hog.n_features_out_)).shape == (32, 32)
    torch.manual_seed(0)
    cnn = estimators.TorchClassifier(
        partial(models.small_cnn, channels=(4, 8)), input_shape=(3, 32, 32), epochs=1, progress=False
    )
    cnn.fit(vision.channels_first(data.train_images), data.train_labels)
    assert cnn.predict(vision.channels_first(data.test_images)).shape == (20,)
    assert vision.channels_first(data.test_images[:1])[0, 2, 3, 4] == data.test_images[0, 3, 4, 2]


def test_embed_2d_and_channels_first():
    rng = np.random.default_rng(0)
    features = np.vstack([rng.normal(0, 1, (20, 6)), rng.normal(5, 1, (20, 6))])
    for method in ("pca", "tsne"):
        xy = vision.embed_2d(features, method)
        assert xy.shape == (40, 2)
        assert abs(xy[:20, 0].mean() - xy[20:, 0].mean()) + abs(xy[:20, 1].mean() - xy[20:, 1].mean()) > 1
    with pytest.raises(ValueError, match="method must be"):
        vision.embed_2d(features, "umap")
    assert vision.channels_first(np.zeros((2, 5, 6), np.uint8)).shape == (2, 1, 5, 6)
    with pytest.raises(ValueError, match="expected images"):
        vision.channels_first(np.zeros(5))


def test_hog_picture_is_enlarged():
    images, _ = squares_and_discs(2)
    hog = HOGFeatures().fit(images)
    picture = vision.hog_picture(hog, images[1], scale=3)
    assert picture.shape == (84, 84) and picture.max() > 0
