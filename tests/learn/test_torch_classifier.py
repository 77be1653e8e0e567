"""Tests for e2e_helpers.learn.torch_classifier: TorchClassifier and fitted_network."""

from __future__ import annotations

import pickle
import re
from functools import partial

import numpy as np
import pytest
import torch
from fakedata import small_net
from sklearn.base import clone
from sklearn.datasets import load_digits, make_classification
from sklearn.exceptions import NotFittedError
from sklearn.model_selection import cross_val_score, learning_curve
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler
from sklearn.svm import SVC
from sklearn.utils.estimator_checks import parametrize_with_checks
from torch import nn

from e2e_helpers.learn import TorchClassifier, models
from e2e_helpers.learn._estimator_parts import fitted_network, validated_samples

# scikit-learn checks that TorchClassifier cannot pass, with the reason. None
# today; keep this list in step with the Notes of TorchClassifier's docstring.
EXPECTED_FAILED_CHECKS: dict[str, str] = {}


@pytest.fixture(scope="module")
def digits() -> tuple[np.ndarray, np.ndarray]:
    """Real 8x8 digit images (ships with scikit-learn), flattened, values 0-16."""
    X, y = load_digits(return_X_y=True)
    return X[:900], y[:900]


# -- scikit-learn compatibility -------------------------------------------


def _check_id(obj: object) -> str:
    """Stable test ids: the default ones hold the factory's memory address."""
    if isinstance(obj, TorchClassifier):
        return "TorchClassifier(mlp)"
    if isinstance(obj, partial):
        options = ",".join(f"{key}={value}" for key, value in obj.keywords.items())
        return f"{obj.func.__name__}({options})" if options else obj.func.__name__
    return getattr(obj, "__name__", str(obj))


_CHECKS = parametrize_with_checks(
    [
        TorchClassifier(
            models.mlp, epochs=10, batch_size=32, lr=1e-2, progress=False, random_state=0
        )
    ],
    expected_failed_checks=lambda estimator: EXPECTED_FAILED_CHECKS,
)


@pytest.mark.parametrize(*_CHECKS.args, ids=_check_id)
def test_scikit_learn_estimator_checks(estimator, check):
    check(estimator)


# -- fitting, predicting, scoring ------------------------------------------


def test_fit_predict_score_on_a_separable_problem(blobs):
    X, y = blobs
    net = small_net()
    assert net.fit(X[:150], y[:150]) is net
    assert net.score(X[150:], y[150:]) >= 0.9
    proba = net.predict_proba(X[150:])
    assert proba.shape == (50, 2) and proba.dtype == np.float64
    np.testing.assert_allclose(proba.sum(axis=1), 1.0)
    np.testing.assert_array_equal(net.predict(X[150:]), net.classes_[proba.argmax(axis=1)])
    assert isinstance(net.predict(X[:3]), np.ndarray)
    assert net.n_features_in_ == 20 and net.input_shape_ == (20,)
    assert isinstance(net.module_, nn.Module) and net.device_ == torch.device("cpu")


def test_history_records_each_epoch(blobs):
    X, y = blobs
    history = small_net(epochs=3).fit(X, y).history_
    assert [set(record) for record in history] == [{"epoch", "train_loss"}] * 3
    history = small_net(epochs=3, validation_fraction=0.25).fit(X, y).history_
    assert [record["epoch"] for record in history] == [1, 2, 3]
    assert all(
        0.0 <= record["val_accuracy"] <= 1.0 and record["val_loss"] > 0 for record in history
    )


def test_early_stopping_stops_before_the_last_epoch():
    X, y = make_classification(
        n_samples=120, n_features=40, n_informative=2, flip_y=0.3, random_state=1
    )
    net = small_net(
        epochs=60,
        lr=3e-2,
        validation_fraction=0.3,
        patience=3,
        module=partial(models.mlp, hidden=(256,)),
    )
    history = net.fit(X, y).history_
    val_losses = [record["val_loss"] for record in history]
    assert len(history) < 60
    best = val_losses.index(min(val_losses))
    assert best == len(history) - 1 - 3  # stopped 3 epochs after the best one


def test_same_pipeline_calls_for_traditional_and_end_to_end(blobs):
    """The traditional and the neural pipeline go through identical scikit-learn calls."""
    X, y = blobs
    pipelines = {
        "svm": make_pipeline(StandardScaler(), SVC()),
        "net": make_pipeline(StandardScaler(), small_net(epochs=5)),
    }
    for name, pipeline in pipelines.items():
        scores = cross_val_score(pipeline, X, y, cv=3, error_score="raise")
        assert scores.shape == (3,) and scores.mean() >= 0.75, name
        sizes, train_scores, test_scores = learning_curve(
            pipeline, X, y, train_sizes=[0.3, 1.0], cv=3, error_score="raise"
        )
        assert list(sizes) == [39, 133], name
        assert train_scores.shape == test_scores.shape == (2, 3), name
        assert np.isfinite(test_scores).all(), name


def test_input_shape_reshapes_flattened_images_for_a_cnn(digits):
    X, y = digits
    cnn = partial(models.small_cnn, channels=(8, 16))
    net = small_net(module=cnn, input_shape=(1, 8, 8))
    pipeline = make_pipeline(StandardScaler(), net).fit(X[:600], y[:600])
    assert pipeline.score(X[600:], y[600:]) >= 0.85
    assert net.input_shape_ == (1, 8, 8) and net.n_features_in_ == 64
    # the CNN's input standardiser: images arrived
    assert isinstance(net.module_[0], nn.BatchNorm2d)


def test_images_without_input_shape_and_raw_integer_pixels(digits):
    X, y = digits
    images = X.reshape(-1, 8, 8).astype(np.uint8)  # (n, height, width): one grey channel
    net = small_net(module=partial(models.small_cnn, channels=(8, 16))).fit(images[:600], y[:600])
    assert net.score(images[600:], y[600:]) >= 0.85
    assert net.input_shape_ == (8, 8) and not hasattr(net, "n_features_in_")
    with pytest.raises(ValueError, match=re.escape("fitted on samples of shape (8, 8)")):
        net.predict(X[:5])


@pytest.mark.parametrize("dtype", [np.uint8, np.int32, np.int64, np.float32, np.float64, bool])
def test_any_numeric_dtype(dtype, blobs):
    X, y = blobs
    net = small_net(epochs=1).fit((X > 0).astype(dtype), y)
    assert net.predict((X > 0).astype(dtype)).shape == (200,)


def test_string_labels(blobs):
    X, y = blobs
    labels = np.array(["cat", "dog"])[y]
    net = small_net().fit(X, labels)
    np.testing.assert_array_equal(net.classes_, ["cat", "dog"])
    assert set(net.predict(X)) <= {"cat", "dog"}
    assert net.score(X, labels) >= 0.9


def test_same_random_state_gives_identical_predictions(blobs):
    X, y = blobs
    first = small_net(random_state=3).fit(X, y).predict_proba(X)
    np.testing.assert_array_equal(small_net(random_state=3).fit(X, y).predict_proba(X), first)
    assert not np.array_equal(small_net(random_state=4).fit(X, y).predict_proba(X), first)


def test_random_state_none_follows_numpy_global_seed_and_keeps_torch_state(blobs):
    X, y = blobs
    torch_state = torch.get_rng_state()
    np.random.seed(0)
    first = small_net(random_state=None, epochs=2).fit(X, y).predict_proba(X)
    np.random.seed(0)
    np.testing.assert_array_equal(
        small_net(random_state=None, epochs=2).fit(X, y).predict_proba(X), first
    )
    assert torch.equal(torch.get_rng_state(), torch_state)


def test_clone_and_pickle(blobs):
    X, y = blobs
    net = small_net(epochs=2).fit(X, y)
    fresh = clone(net)
    assert not hasattr(fresh, "module_") and fresh.get_params() == net.get_params()
    np.testing.assert_array_equal(fresh.fit(X, y).predict_proba(X), net.predict_proba(X))
    restored = pickle.loads(pickle.dumps(net))
    np.testing.assert_array_equal(restored.predict_proba(X), net.predict_proba(X))


def test_device_follows_config(monkeypatch, blobs):
    X, y = blobs
    monkeypatch.setenv("E2E_DEVICE", "cpu")
    assert small_net(epochs=1).fit(X, y).device_ == torch.device("cpu")
    assert small_net(epochs=1, device=torch.device("cpu")).fit(X, y).device_ == torch.device("cpu")


def test_progress_bar_can_be_disabled(blobs, capfd):
    X, y = blobs
    small_net(epochs=2, progress=True).fit(X, y)
    assert "fit mlp" in capfd.readouterr().err
    small_net(epochs=2, progress=False).fit(X, y)
    assert capfd.readouterr().err == ""


# -- clear errors ---------------------------------------------------------


def test_predict_before_fit(blobs):
    with pytest.raises(NotFittedError, match="not fitted yet"):
        small_net().predict(blobs[0])


def test_a_failed_refit_leaves_the_estimator_unfitted(blobs):
    net = small_net(epochs=1).fit(*blobs)
    with pytest.raises(ValueError, match="optimizer must be one of"):
        net.set_params(optimizer="rmsprop").fit(*blobs)
    with pytest.raises(NotFittedError):
        net.predict_proba(blobs[0])


@pytest.mark.parametrize(
    ("make_X", "message"),
    [
        (lambda X: X[:, 0], "Reshape your data"),
        (
            lambda X: np.where(np.arange(X.size).reshape(X.shape) == 7, np.nan, X),
            "1 NaN .*SimpleImputer",
        ),
        (
            lambda X: np.where(np.arange(X.size).reshape(X.shape) % 1000 == 999, np.nan, X),
            r"4 NaN and 0 inf values \(in 4 of 200 samples, the first is sample 49\)",
        ),
        (lambda X: np.where(np.arange(X.size).reshape(X.shape) == 7, np.inf, X), "1 inf"),
        (lambda X: X * 1e300, "beyond float32"),
        (lambda X: np.full(X.shape, "a", dtype=object), "numbers only.*OneHotEncoder"),
        (lambda X: X.astype(str), "numbers only"),
    ],
)
def test_bad_X_at_fit(make_X, message, blobs):
    X, y = blobs
    with pytest.raises(ValueError, match=message):
        small_net().fit(make_X(X), y)


@pytest.mark.parametrize(
    ("y", "error", "message"),
    [
        (np.zeros(200), ValueError, "at least 2 classes.*got 1 class"),
        (np.linspace(0, 1, 200), ValueError, "Unknown label type"),
    ],
)
def test_bad_y_at_fit(y, error, message, blobs):
    with pytest.raises(error, match=message):
        small_net().fit(blobs[0], y)


@pytest.mark.parametrize(
    ("params", "n", "message"),
    [
        (
            {"batch_size": 1},
            200,
            r"cannot train this network on batches of one sample "
            r"\(batch_size=1, 200 training samples\)",
        ),
        (
            {"validation_fraction": 0.5},
            2,
            r"\(batch_size=32, 1 training sample after validation_fraction=0.5 held some out\)",
        ),
        (
            {"validation_fraction": 0.5, "batch_size": 1},
            4,
            r"batch_size=1, 2 training samples after validation_fraction",
        ),
    ],
    ids=["batch_size=1", "split leaves one", "both"],
)
def test_batches_of_one_sample_are_refused_at_fit(params, n, message, blobs):
    X, y = blobs
    rows = np.r_[np.flatnonzero(y == 0)[: n // 2], np.flatnonzero(y == 1)[: n - n // 2]]
    net = small_net(epochs=1, **params)
    with pytest.raises(
        ValueError,
        match=message + r".*BatchNorm layers \(the input standardiser included\) need at least 2",
    ):
        net.fit(X[rows], y[rows])
    with pytest.raises(NotFittedError):
        net.predict(X)


def test_a_cnn_trains_with_batch_size_one(digits):
    X, y = digits
    net = small_net(
        module=partial(models.small_cnn, channels=(4,)),
        input_shape=(1, 8, 8),
        batch_size=1,
        epochs=1,
    )
    assert net.fit(X[:40], y[:40]).predict(X[:5]).shape == (5,), (
        "its BatchNorm layers see 8x8 values per channel"
    )


def test_bad_X_at_predict(blobs):
    X, y = blobs
    net = small_net(epochs=1).fit(X, y)
    with pytest.raises(
        ValueError, match="X has 19 features, but TorchClassifier is expecting 20 features"
    ):
        net.predict(X[:, :19])
    with pytest.raises(ValueError, match=re.escape("fitted on samples of shape (20,)")):
        net.predict(X.reshape(-1, 4, 5))
    with pytest.raises(ValueError, match="NaN"):
        net.predict_proba(np.full_like(X, np.nan))
    with pytest.raises(ValueError, match="Reshape your data"):
        net.predict(X[0])


def test_input_shape_mismatch_says_what_to_pass():
    X = np.zeros((10, 784), dtype=np.uint8)
    y = np.arange(10) % 2
    with pytest.raises(ValueError, match=re.escape("pass input_shape=(1, 28, 28)")):
        small_net(input_shape=(3, 32, 32)).fit(X, y)
    with pytest.raises(
        ValueError, match=re.escape("pass input_shape=(1, 28, 28) to TorchClassifier")
    ):
        small_net(module=models.small_cnn).fit(X, y)


def test_module_errors_are_explained(blobs):
    X, y = blobs

    def wrong_size(input_shape, n_classes):
        return nn.Linear(input_shape[0] + 1, n_classes)

    def wrong_outputs(input_shape, n_classes):
        return nn.Linear(input_shape[0], n_classes + 1)

    with pytest.raises(ValueError, match="fails on a batch of shape .*Check input_shape"):
        small_net(module=wrong_size).fit(X, y)
    with pytest.raises(ValueError, match="one logit per class"):
        small_net(module=wrong_outputs).fit(X, y)
    with pytest.raises(ValueError, match="must return an nn.Module"):
        small_net(module=lambda shape, n: "not a module").fit(X, y)


@pytest.mark.parametrize("optimizer", ["adam", "adamw", "sgd"])
def test_each_optimizer_learns(optimizer, blobs):
    X, y = blobs
    lr = 0.05 if optimizer == "sgd" else 1e-2
    assert small_net(optimizer=optimizer, lr=lr, weight_decay=1e-4).fit(X, y).score(X, y) >= 0.9


# -- one-cycle schedule, channels-last images --------------------------------


def test_onecycle_schedule_warms_up_and_anneals(digits, monkeypatch):
    """With lr_schedule="onecycle" the rate rises to lr, then falls to nearly zero, every batch."""
    from e2e_helpers.learn import training

    rates: list[float] = []
    original = training.train_epoch

    def spy(model, loader, optimizer, loss_fn, device, scheduler=None, clip_grad_norm=None):
        assert scheduler is not None and clip_grad_norm is None
        loss = original(model, loader, optimizer, loss_fn, device, scheduler)
        rates.append(optimizer.param_groups[0]["lr"])
        return loss

    monkeypatch.setattr(training, "train_epoch", spy)
    X, y = digits
    net = TorchClassifier(
        models.mlp, epochs=4, lr=0.01, lr_schedule="onecycle", progress=False, random_state=0
    )
    assert net.fit(X, y).score(X, y) > 0.9
    assert max(rates) <= 0.01 + 1e-12 and rates[-1] < 1e-4
    assert rates[0] > 10 * 0.01 / 25  # warmed up from lr / 25 during the first epoch


def test_image_batches_and_cnn_weights_are_channels_last(digits):
    X, y = digits
    net = TorchClassifier(
        partial(models.small_cnn, channels=(4,)),
        input_shape=(1, 8, 8),
        epochs=1,
        progress=False,
        random_state=0,
        device="cpu",
    ).fit(X, y)
    conv = next(m for m in net.module_ if isinstance(m, nn.Conv2d))
    assert conv.weight.is_contiguous(memory_format=torch.channels_last)
    batch, _ = next(iter(net._loader(X, y, np.arange(8))))
    assert batch.shape == (8, 1, 8, 8) and batch.is_contiguous(memory_format=torch.channels_last)
    assert torch.equal(batch, torch.as_tensor(X[:8], dtype=torch.float32).reshape(8, 1, 8, 8))


# -- fitted_network and validated_samples -----------------------------------------


def test_fitted_network_is_the_trained_module(blobs):
    net = small_net(epochs=1).fit(*blobs)
    assert fitted_network(net) is net.module_ and not fitted_network(net).training


@pytest.mark.parametrize(
    "unfitted", [TorchClassifier(models.mlp), make_pipeline(StandardScaler(), SVC()), object()]
)
def test_fitted_network_before_fit_raises_not_fitted(unfitted):
    with pytest.raises(NotFittedError, match=r"is not fitted yet: call fit\(X, y\)"):
        fitted_network(unfitted)
    assert issubclass(NotFittedError, ValueError)  # the explain helpers' callers catch ValueError


def test_validated_samples_checks_X_as_predict_does(blobs):
    X, y = blobs
    with pytest.raises(NotFittedError):
        validated_samples(small_net(), X)
    net = small_net(epochs=1).fit(X, y)
    np.testing.assert_array_equal(validated_samples(net, X.tolist()), X)
    with pytest.raises(ValueError, match="X has 19 features"):
        validated_samples(net, X[:, :19])
