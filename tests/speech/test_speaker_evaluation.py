"""speech.speaker_evaluation: leave-one-speaker-out, few-shot adaptation (the fixed-size features: test_features.py)."""

from __future__ import annotations

import numpy as np
import pytest
from sklearn.base import BaseEstimator, ClassifierMixin
from sklearn.neighbors import KNeighborsClassifier

from e2e_helpers.speech import speaker_evaluation


class _Recorder(ClassifierMixin, BaseEstimator):
    """Remembers what it was trained on (the instance is shared through `seen`)."""

    def __init__(self, seen=None):
        self.seen = seen

    def fit(self, X, y):
        self.seen.append(np.asarray(X)[:, 0].copy())
        self.classes_ = np.unique(y)
        return self

    def predict(self, X):
        return np.zeros(len(X), dtype=int)


def test_leave_one_speaker_out_never_trains_on_the_held_out_voice():
    voices = np.array(["a", "b", "c"] * 4)
    X = np.c_[np.arange(12), np.zeros(12)]
    y = np.arange(12) % 2
    extra = (np.c_[100 + np.arange(12), np.zeros(12)], y, voices)
    seen: list = []
    kept = {}
    scores = speaker_evaluation.leave_one_speaker_out(_Recorder(seen), X, y, voices, extra=extra, keep=kept.__setitem__, progress=False)
    assert list(scores) == ["a", "b", "c"] and set(kept) == {"a", "b", "c"}
    for name, rows in zip(["a", "b", "c"], seen):
        allowed = set(np.flatnonzero(voices != name)) | {100 + i for i in np.flatnonzero(voices != name)}
        assert set(rows.astype(int)) == allowed
    assert scores["a"] == pytest.approx(0.5)


def test_leave_one_speaker_out_rejects_bad_input():
    X, y = np.zeros((4, 2)), np.array([0, 1, 0, 1])
    with pytest.raises(ValueError, match="one entry per recording"):
        speaker_evaluation.leave_one_speaker_out(KNeighborsClassifier(1), X, y, ["a", "b"], progress=False)
    with pytest.raises(ValueError, match="at least 2 speakers"):
        speaker_evaluation.leave_one_speaker_out(KNeighborsClassifier(1), X, y, ["a"] * 4, progress=False)


def test_first_takes_picks_the_lowest_takes_of_each_label():
    y = np.array([0, 0, 0, 1, 1, 1])
    takes = np.array([7, 2, 5, 9, 1, 3])
    assert speaker_evaluation.first_takes(y, takes, 2).tolist() == [False, True, True, False, True, True]
    assert not speaker_evaluation.first_takes(y, takes, 0).any()


def test_few_shot_scores_every_k_on_the_same_recordings():
    y = np.repeat([0, 1], 6)
    takes = np.tile(np.arange(6), 2)
    X = np.c_[y + 0.0, takes]
    calls = []

    def adapt(model, X_k, y_k):
        calls.append(len(y_k))
        return KNeighborsClassifier(1).fit(X_k, y_k)

    wrong = KNeighborsClassifier(1).fit([[0, 0], [1, 0]], [1, 0])
    scores = speaker_evaluation.few_shot(wrong, X, y, takes, ks=(0, 1, 2), adapt=adapt)
    assert scores == {0: 0.0, 1: 1.0, 2: 1.0} and calls == [2, 4]
    with pytest.raises(ValueError, match="no recordings left"):
        speaker_evaluation.few_shot(wrong, X, y, takes, ks=(6,), adapt=adapt)
    with pytest.raises(ValueError, match="non-negative"):
        speaker_evaluation.few_shot(wrong, X, y, takes, ks=(-1,), adapt=adapt)
