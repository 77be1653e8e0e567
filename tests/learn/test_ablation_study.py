"""An ablation study: every row through the one protocol, choices by validation, gains as paired
differences."""

from __future__ import annotations

import numpy as np
import pytest
from sklearn.linear_model import LogisticRegression

from e2e_helpers import learn


def _rows(n: int = 300) -> tuple[dict, np.ndarray, np.ndarray]:
    rng = np.random.default_rng(0)
    y = np.arange(2 * n) % 2
    signal = y[:, None] + rng.normal(0, 0.7, (2 * n, 1))
    noise = rng.normal(0, 1, (2 * n, 3))
    both = np.hstack([signal, noise])
    split = lambda X: (X[:n], X[n:])  # noqa: E731 - a tiny test helper
    return (
        {"noise": split(noise), "signal": split(signal), "signal + noise": split(both)},
        y[:n],
        y[n:],
    )


def test_every_row_is_validated_scored_once_and_paired():
    features, y_train, y_test = _rows()
    study = learn.ablation(
        features,
        LogisticRegression(),
        {"C": [0.01, 1.0]},
        y_train,
        y_test,
        grids={"signal": {"C": [1.0]}},
    )
    assert list(study.rows) == ["noise", "signal", "signal + noise"]
    row = study["signal"]
    assert row.search.best_params_ == {"C": 1.0} and row.n_features == 1 and row.seconds > 0
    assert len(study["noise"].search.cv_results_["params"]) == 2, "the shared grid"
    np.testing.assert_allclose(row.test.value, row.correct.mean())
    assert row.test.low <= row.test.value <= row.test.high
    assert study.best() in ("signal", "signal + noise")
    assert study.best(among=["noise"]) == "noise"
    gain = study.gain("signal", "noise")
    np.testing.assert_allclose(
        gain.value, study["signal"].correct.mean() - study["noise"].correct.mean()
    )
    assert gain.low > 0 and study.verdict("signal", "noise").startswith("Signal is ahead of noise")
    table = study.table()
    assert table.count("\n") == 4 and "| signal | 1 |" in table and "C=1" in table
    assert "chosen settings" not in study.table(settings=False)


def test_best_uses_validation_not_test():
    features, y_train, y_test = _rows()
    study = learn.ablation(features, LogisticRegression(), {"C": [1.0]}, y_train, y_test)
    by_validation = max(study.rows, key=lambda name: study[name].validation)
    assert study.best() == by_validation
    merged = learn.Ablation({**study.rows})
    assert merged.best() == by_validation


class _NeverFitted(LogisticRegression):
    """Fails if fitted: a refusal must come before any row is fitted."""

    def fit(self, X, y, sample_weight=None):  # noqa: ANN001, ANN201 - scikit-learn's signature
        raise AssertionError("a row was fitted before the bad input was refused")


_FEATURES, _Y_TRAIN, _Y_TEST = _rows(30)
_GOOD = _FEATURES["signal"]
_NAN = (np.full((30, 1), np.nan), _GOOD[1])


def _study() -> learn.Ablation:
    return learn.ablation(
        {"noise": _FEATURES["noise"]}, LogisticRegression(), {"C": [1.0]}, _Y_TRAIN, _Y_TEST
    )


def _run(features: dict, y_train=_Y_TRAIN, y_test=_Y_TEST, grid=None, **kwargs):
    return learn.ablation(features, _NeverFitted(), grid or {"C": [1.0]}, y_train, y_test, **kwargs)


@pytest.mark.parametrize(
    ("call", "error", "message"),
    [
        (lambda: _run({}), ValueError, "features is empty"),
        (lambda: _run(_FEATURES, grids={"nope": {"C": [1]}}), ValueError, "not in features"),
        (lambda: _run({"a": _GOOD}, y_train=_Y_TRAIN[:10]), ValueError, "30 training and 30 test"),
        (lambda: _run({"a": _GOOD}, y_test=[]), ValueError, r"y_test must be .*got shape \(0,\)"),
        (lambda: _run({"a": _GOOD}, y_train=[[0]]), ValueError, "y_train must be a 1-D"),
        (lambda: _run({"a": _GOOD, "b": _GOOD[0]}), ValueError, r"features\['b'\] must be a pair"),
        (lambda: _run({"a": _GOOD, "b": _NAN}), ValueError, "row 'b': X_train must hold finite"),
        (lambda: _run({"a": (_GOOD[0][:, 0], _GOOD[1])}), ValueError, r"2-D .*\(30,\)"),
        (lambda: _run({"a": (_GOOD[0], np.ones((30, 2)))}), ValueError, "the same columns"),
        (lambda: _run({"a": _GOOD, "b": _GOOD}, grid={"C": []}), ValueError, r"grid\['C'\]"),
        (lambda: _run({"a": _GOOD}, grids={"a": {"Cx": [1]}}), ValueError, "no setting of"),
        (lambda: learn.Ablation({}), ValueError, "at least one row"),
        (lambda: _study().gain("x", "noise"), KeyError, "no row 'x' in this ablation; its rows"),
        (lambda: _study().best(among=["x"]), KeyError, "no row 'x'"),
        (lambda: _study().best(among=[]), ValueError, r"among is empty: .*\['noise'\], or None"),
        (lambda: _study().verdict("noise", "y"), KeyError, "no row 'y'"),
    ],
)
def test_bad_input_is_refused_before_any_row_is_fitted(call, error, message):
    with pytest.raises(error, match=message):
        call()
