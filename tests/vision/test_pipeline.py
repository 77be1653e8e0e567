"""The traditional pipeline: one scikit-learn Pipeline, with each kind of SVM, and on CIFAR-shaped
files."""

from __future__ import annotations

import hashlib
import pickle
from functools import partial

import numpy as np
import pytest
from sklearn.feature_selection import f_classif

from e2e_helpers import vision


@pytest.mark.parametrize("svm", ["linear", "rbf", "nystroem"])
def test_traditional_pipeline_is_one_pipeline(svm, squares_and_discs):
    images, y = squares_and_discs(40)
    model = vision.traditional_pipeline(n_words=8, k=50, svm=svm, n_components=20).set_params(
        features__bovw__max_descriptors=2000
    )
    assert (
        list(model.named_steps)[-1] == "svm" and model.named_steps["select"].score_func is f_classif
    )
    model.fit(images, y)
    assert model.score(images, y) >= 0.9
    assert model[:-1].transform(images).shape[1] == 50 or svm == "nystroem"
    with pytest.raises(ValueError, match="svm must be"):
        vision.traditional_pipeline(svm="forest")


def test_traditional_pipeline_and_cnn_on_cifar_shaped_files(monkeypatch, tmp_path):
    """The CIFAR-10 switch: generated files in the real batch format -> both pipelines."""
    import torch
    from fakedata import cifar_members
    from torchvision.datasets import CIFAR10

    from e2e_helpers.data import load
    from e2e_helpers.learn import TorchClassifier, channels_first, small_cnn

    folder = tmp_path / "data" / "cifar-10" / "cifar-10-batches-py"
    folder.mkdir(parents=True)
    members = cifar_members(n=20)
    digests = {}
    for name, data in members.items():
        (tmp_path / "data" / "cifar-10" / name).write_bytes(data)
        digests[name.split("/")[-1]] = hashlib.md5(data).hexdigest()
    monkeypatch.setattr(
        CIFAR10,
        "train_list",
        [[f"data_batch_{i}", digests[f"data_batch_{i}"]] for i in range(1, 6)],
    )
    monkeypatch.setattr(CIFAR10, "test_list", [["test_batch", digests["test_batch"]]])
    monkeypatch.setattr(CIFAR10, "meta", dict(CIFAR10.meta, md5=digests["batches.meta"]))
    data = load("cifar-10")
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
    cnn = TorchClassifier(
        partial(small_cnn, channels=(4, 8)), input_shape=(3, 32, 32), epochs=1, progress=False
    )
    cnn.fit(channels_first(data.train_images), data.train_labels)
    assert cnn.predict(channels_first(data.test_images)).shape == (20,)
    assert channels_first(data.test_images[:1])[0, 2, 3, 4] == data.test_images[0, 3, 4, 2]


def test_traditional_pipeline_hog_grids_and_interest_points(squares_and_discs):
    images, y = squares_and_discs(40)
    model = vision.traditional_pipeline(
        n_words=4, hog_cells=(4, 7), step=0, n_corners=2, n_blobs=2
    ).set_params(features__bovw__max_descriptors=500, svm__C=0.5)
    assert [name for name, _ in model[0].transformer_list] == ["hog", "hog7", "bovw"]
    features = model[0].fit_transform(images)
    fine, coarse = (
        vision.HOGFeatures().fit(images),
        vision.HOGFeatures(pixels_per_cell=(7, 7)).fit(images),
    )
    assert features.shape[1] == fine.n_features_out_ + coarse.n_features_out_ + 4
    assert model.fit(images, y).score(images, y) >= 0.9
    for bad in ((4, 4), (0,)):
        with pytest.raises(ValueError, match="hog_cells must be distinct cell sizes"):
            vision.traditional_pipeline(hog_cells=bad)
    words_only = vision.traditional_pipeline(n_words=4, hog_cells=()).set_params(
        features__bovw__max_descriptors=500
    )
    assert words_only[0].fit_transform(images).shape == (40, 4)
    with pytest.raises(ValueError, match="leave no features"):
        vision.traditional_pipeline(n_words=0, hog_cells=())
