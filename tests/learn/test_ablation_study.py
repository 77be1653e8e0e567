"""An ablation study: every row through the one protocol, choices by validation, gains as paired differences."""

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


def test_bad_input_is_refused():
    features, y_train, y_test = _rows()
    estimator, grid = LogisticRegression(), {"C": [1.0]}
    with pytest.raises(ValueError, match="features is empty"):
        learn.ablation({}, estimator, grid, y_train, y_test)
    with pytest.raises(ValueError, match="grids names rows that are not in features"):
        learn.ablation(features, estimator, grid, y_train, y_test, grids={"nope": grid})
    with pytest.raises(
        ValueError,
        match="row 'noise' has 300 training and 300 test rows, but there are 10 training",
    ):
        learn.ablation({"noise": features["noise"]}, estimator, grid, y_train[:10], y_test)
    with pytest.raises(ValueError, match="at least one row"):
        learn.Ablation({})
    study = learn.ablation({"noise": features["noise"]}, estimator, grid, y_train, y_test)
    with pytest.raises(KeyError, match="no row 'x' in this ablation; its rows are 'noise'"):
        study.gain("x", "noise")
    with pytest.raises(KeyError, match="no row 'x'"):
        study.best(among=["x"])
