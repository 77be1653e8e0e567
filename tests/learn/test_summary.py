import numpy as np
import pytest
from sklearn.datasets import make_classification
from sklearn.kernel_approximation import Nystroem
from sklearn.linear_model import LogisticRegression, RidgeClassifier
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler
from sklearn.svm import SVC

from e2e_helpers import vision
from e2e_helpers.learn import TorchClassifier, models, summary


def test_learned_parameters_of_pipeline_and_network():
    X, y = make_classification(
        n_samples=60, n_features=16, n_informative=4, n_classes=3, random_state=0
    )
    pipe = make_pipeline(StandardScaler(), LogisticRegression(max_iter=200)).fit(X, y)
    assert summary.learned_parameters(pipe) == 16 + 16 + 3 * 16 + 3
    images = np.random.default_rng(0).random((60, 16, 16))
    hog = make_pipeline(
        vision.HOGFeatures(pixels_per_cell=(8, 8)), LogisticRegression(max_iter=200)
    ).fit(images, y)
    n = hog[0].n_features_out_
    assert summary.learned_parameters(hog) == 3 * n + 3, "HOG learns nothing"
    net = TorchClassifier(models.mlp, epochs=1, progress=False, random_state=0).fit(
        X.astype(np.float32), y
    )
    assert summary.learned_parameters(net) == sum(p.numel() for p in net.module_.parameters())
    with pytest.raises(TypeError, match="estimator"):
        summary.learned_parameters(object())
    assert summary.stored_examples(pipe) == 0 and summary.stored_examples(net) == 0


def test_a_kernels_landmarks_are_stored_examples_not_learned_parameters():
    X, y = make_classification(n_samples=80, n_features=5, random_state=0)
    pipe = make_pipeline(StandardScaler(), Nystroem(n_components=30), RidgeClassifier()).fit(X, y)
    assert summary.stored_examples(pipe) == 30
    assert summary.learned_parameters(pipe) == 5 + 5 + 30 + 1  # scaler, then the ridge weights
    svm = SVC().fit(X, y)
    assert summary.stored_examples(svm) == len(svm.support_vectors_)


def test_chosen_settings_and_timed():
    pipe = make_pipeline(vision.HOGFeatures(orientations=8), LogisticRegression(C=0.5))
    assert summary.chosen_settings(
        pipe, ["hogfeatures__orientations", "logisticregression__C"]
    ) == {
        "hogfeatures__orientations": 8,
        "logisticregression__C": 0.5,
    }
    with pytest.raises(ValueError, match="no settings"):
        summary.chosen_settings(pipe, ["svc__C"])
    value, seconds = summary.timed(sum, [1, 2, 3])
    assert value == 6 and seconds >= 0


def test_summary_table():
    table = summary.summary_table(
        {
            "HOG": {
                "accuracy": 0.88,
                "train_seconds": 12.3,
                "predict_seconds": 0.5,
                "settings": {"a": 1, "b": 2},
                "parameters": 12345,
                "stored": 2000,
            },
            "CNN": {
                "accuracy": 0.921,
                "train_seconds": 90,
                "predict_seconds": 1.25,
                "settings": 7,
                "parameters": 50,
                "stored": 0,
            },
        }
    )
    lines = table.splitlines()
    assert len(lines) == 4 and "test accuracy" in lines[0]
    assert "| HOG | 0.880 | 12.3 | 0.50 | 2 | 12,345 | 2,000 |" == lines[2]
    assert "| CNN | 0.921 | 90.0 | 1.25 | 7 | 50 | 0 |" == lines[3]
    with pytest.raises(ValueError, match="lacks"):
        summary.summary_table({"x": {"accuracy": 1}})
    with pytest.raises(ValueError, match="empty"):
        summary.summary_table({})
