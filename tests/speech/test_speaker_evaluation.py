"""speech.speaker_evaluation: leave-one-speaker-out, few-shot adaptation (the fixed-size features:
test_features.py)."""

from __future__ import annotations

import numpy as np
import pytest
from sklearn.base import BaseEstimator, ClassifierMixin
from sklearn.ensemble import RandomForestClassifier
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import GridSearchCV
from sklearn.neighbors import KNeighborsClassifier
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler
from sklearn.svm import SVC

from e2e_helpers import learn
from e2e_helpers.speech import speaker_evaluation


class _Shared(list):
    """A list that scikit-learn's clone leaves shared (clone deep-copies plain lists)."""

    def __deepcopy__(self, memo):
        return self


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
    seen = _Shared()
    kept = {}
    scores = speaker_evaluation.leave_one_speaker_out(
        _Recorder(seen), X, y, voices, extra=extra, keep=kept.__setitem__, progress=False
    )
    assert scores.speakers == ("a", "b", "c") and set(kept) == {("a", 0), ("b", 0), ("c", 0)}
    assert len(seen) == 3, "one fit per fold"
    for name, rows in zip(["a", "b", "c"], seen):
        allowed = set(np.flatnonzero(voices != name)) | {
            100 + i for i in np.flatnonzero(voices != name)
        }
        assert set(rows.astype(int)) == allowed
    assert scores.by_speaker()["a"] == pytest.approx(0.5)


def test_leave_one_speaker_out_fits_each_fold_once_per_seed():
    rng = np.random.default_rng(0)
    voices = np.repeat(["a", "b", "c"], 20)
    y = np.tile([0, 1], 30)
    X = np.c_[y + rng.normal(0, 0.8, 60), rng.normal(size=60)]
    kept = {}
    forest = RandomForestClassifier(n_estimators=3)
    scores = speaker_evaluation.leave_one_speaker_out(
        forest, X, y, voices, seeds=(0, 1, 2), keep=kept.__setitem__, progress=False
    )
    assert scores.accuracy.shape == (3, 3) and scores.seeds == (0, 1, 2)
    assert sorted(kept) == [(s, k) for s in "abc" for k in range(3)]
    assert {m.random_state for m in kept.values()} == {0, 1, 2}, "each seed reaches the estimator"
    assert scores.mean() == pytest.approx(scores.accuracy.mean())
    assert scores.by_speaker()["b"] == pytest.approx(scores.accuracy[1].mean())
    assert scores.seed_spread() == pytest.approx(scores.accuracy.mean(axis=0).std(ddof=1))
    with pytest.raises(ValueError, match="seeds is empty"):
        speaker_evaluation.leave_one_speaker_out(forest, X, y, voices, seeds=(), progress=False)


def test_leave_one_speaker_out_rejects_bad_input():
    X, y = np.zeros((4, 2)), np.array([0, 1, 0, 1])
    with pytest.raises(ValueError, match="one entry per recording"):
        speaker_evaluation.leave_one_speaker_out(
            KNeighborsClassifier(1), X, y, ["a", "b"], progress=False
        )
    with pytest.raises(ValueError, match="at least 2 speakers"):
        speaker_evaluation.leave_one_speaker_out(
            KNeighborsClassifier(1), X, y, ["a"] * 4, progress=False
        )


def test_first_takes_picks_the_lowest_takes_of_each_label():
    y = np.array([0, 0, 0, 1, 1, 1])
    takes = np.array([7, 2, 5, 9, 1, 3])
    assert speaker_evaluation.first_takes(y, takes, 2).tolist() == [
        False,
        True,
        True,
        False,
        True,
        True,
    ]
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


def _two_speakers():
    """Speaker "a" says label 0 at x = 0 and label 1 at x = 1; speaker "b" the other way round."""
    voices = np.repeat(["a", "b"], 12)
    y = np.tile(np.repeat([0, 1], 6), 2)
    takes = np.tile(np.arange(6), 4)
    # each voice a little apart
    X = np.c_[np.where(voices == "a", y, 1 - y) + 0.0, (voices == "a") * 0.1]
    return X, y, voices, takes


def test_adaptation_scores_adapts_on_the_new_voice_or_on_the_known_ones():
    X, y, voices, takes = _two_speakers()
    models, pools = {}, []
    for s in ("a", "b"):
        for seed in (0, 1):
            models[s, seed] = KNeighborsClassifier(1).fit(X[voices != s], y[voices != s])

    def adapt(model, X_k, y_k):
        pools.append(X_k[:, 0].tolist())
        return KNeighborsClassifier(1).fit(X_k, y_k)

    new = speaker_evaluation.adaptation_scores(models, X, y, voices, takes, (0, 1), adapt=adapt)
    assert new[0].mean() == 0.0 and new[1].mean() == 1.0, (
        "the other voice is wrong; one take of the new one fixes it"
    )
    assert new[1].accuracy.shape == (2, 2)
    control = speaker_evaluation.adaptation_scores(
        models, X, y, voices, takes, (0, 1), adapt=adapt, control=True
    )
    assert control[1].mean() == 0.0, "adapting on the known voice does not help"
    with pytest.raises(ValueError, match="one model per"):
        speaker_evaluation.adaptation_scores(
            {("a", 0): models["a", 0], ("b", 1): models["b", 1]},
            X,
            y,
            voices,
            takes,
            (0, 1),
            adapt=adapt,
        )


def test_retraining_scores_adds_the_new_takes_to_the_training_data():
    X, y, voices, takes = _two_speakers()
    scores = speaker_evaluation.retraining_scores(
        KNeighborsClassifier(1), X, y, voices, takes, (0, 2)
    )
    assert scores[0].by_speaker() == {"a": 0.0, "b": 0.0}
    assert scores[2].by_speaker() == {"a": 1.0, "b": 1.0}, (
        "the nearest neighbour is now one of the new speaker's takes"
    )
    extra = (X + 10, y, voices)  # far-away copies change nothing for a nearest neighbour
    assert (
        speaker_evaluation.retraining_scores(
            KNeighborsClassifier(1), X, y, voices, takes, (0, 2), extra=extra
        )[2].mean()
        == 1.0
    )
    only_a = speaker_evaluation.retraining_scores(
        KNeighborsClassifier(1), X, y, voices, takes, (0, 2), held_out=["a"]
    )
    assert only_a[2].by_speaker() == {"a": 1.0}, "only the held-out speaker is scored"
    with pytest.raises(ValueError, match=r"held_out must name speakers of \['a', 'b'\]"):
        speaker_evaluation.retraining_scores(
            KNeighborsClassifier(1), X, y, voices, takes, (0, 2), held_out=["you"]
        )


def test_few_shot_with_examples_from_other_speakers():
    X, y, voices, takes = _two_speakers()
    model = KNeighborsClassifier(1).fit(X[voices == "b"], y[voices == "b"])
    own = voices == "a"
    other = (X[~own], y[~own], takes[~own])
    adapt = lambda m, X_k, y_k: KNeighborsClassifier(1).fit(X_k, y_k)  # noqa: E731
    assert speaker_evaluation.few_shot(
        model, X[own], y[own], takes[own], (0, 1), adapt=adapt, examples=other
    ) == {0: 0.0, 1: 0.0}


class _FakeSearch(ClassifierMixin, BaseEstimator):
    """Shaped like a search (estimator, param_grid, cv); records the inner folds it is given."""

    def __init__(self, estimator=None, param_grid=None, cv=None, seen=None):
        self.estimator, self.param_grid, self.cv, self.seen = estimator, param_grid, cv, seen

    def fit(self, X, y, groups=None):
        splits = list(self.cv.split(X, y, groups)) if groups is not None else None
        self.seen.append((np.asarray(X)[:, 0].astype(int), groups, splits, self.cv))
        self.classes_ = np.unique(y)
        return self

    def predict(self, X):
        return np.zeros(len(X), dtype=int)


def test_a_search_inside_leave_one_speaker_out_validates_on_unseen_speakers():
    voices = np.array(["a", "b", "c"] * 6)
    X = np.c_[np.arange(18), np.zeros(18)]
    y = np.arange(18) % 2
    extra = (np.c_[100 + np.arange(18), np.zeros(18)], y, voices)  # copies keep their speaker
    speaker_of = {i: v for i, v in enumerate(voices)} | {100 + i: v for i, v in enumerate(voices)}
    seen = _Shared()
    speaker_evaluation.leave_one_speaker_out(
        _FakeSearch(seen=seen), X, y, voices, extra=extra, progress=False
    )
    assert len(seen) == 3
    for held_out, (rows, groups, splits, cv) in zip("abc", seen):
        assert type(cv).__name__ == "LeaveOneGroupOut"
        assert groups.tolist() == [speaker_of[r] for r in rows], "each row's own speaker"
        assert held_out not in groups and len(splits) == 2, "one inner fold per training speaker"
        for train, test in splits:
            assert set(groups[train]).isdisjoint(groups[test]), "no voice on both sides"
    seen.clear()
    speaker_evaluation.leave_one_speaker_out(
        _FakeSearch(cv=3, seen=seen), X, y, voices, grouped_search=False, progress=False
    )
    assert len(seen) == 3 and all(groups is None and cv == 3 for _, groups, _, cv in seen)
    two = voices != "c"
    with pytest.raises(ValueError, match="at least 2 training speakers"):
        speaker_evaluation.leave_one_speaker_out(
            _FakeSearch(seen=_Shared()), X[two], y[two], voices[two], progress=False
        )


def test_validated_search_chooses_its_setting_across_speakers():
    rng = np.random.default_rng(0)
    voices = np.repeat(["a", "b", "c", "d"], 20)
    y = np.tile([0, 1], 40)
    X = np.c_[y + rng.normal(0, 0.5, 80), rng.normal(size=80)]
    kept = {}
    search = learn.validated_search(make_pipeline(StandardScaler(), SVC()), {"svc__C": [1.0, 10.0]})
    speaker_evaluation.leave_one_speaker_out(
        search, X, y, voices, keep=kept.__setitem__, progress=False
    )
    assert all(m.n_splits_ == 3 for m in kept.values()), "three training speakers, three folds"
    assert search.cv is not kept["a", 0].cv, "the estimator given is left as it was"


def test_retraining_scores_groups_the_new_takes_with_their_speaker():
    voices = np.repeat(["a", "b", "c"], 12)
    y = np.tile(np.repeat([0, 1], 6), 3)
    takes = np.tile(np.arange(6), 6)
    X = np.c_[np.arange(36)]
    seen = _Shared()
    speaker_evaluation.retraining_scores(_FakeSearch(seen=seen), X, y, voices, takes, (0, 2))
    assert len(seen) == 6
    rows, groups, splits, _ = seen[1]  # held out "a", k = 2
    assert groups.tolist() == voices[rows].tolist() and set(groups) == {"a", "b", "c"}
    assert (groups == "a").sum() == 4 and len(splits) == 3
    for train, test in splits:
        assert set(groups[train]).isdisjoint(groups[test])


class _Weighted(ClassifierMixin, BaseEstimator):
    def __init__(self, seen=None):
        self.seen = seen

    def fit(self, X, y, sample_weight=None):
        self.seen.append(sample_weight)
        self.classes_ = np.unique(y)
        return self

    def predict(self, X):
        return np.zeros(len(X), dtype=int)


def test_weight_new_makes_the_new_takes_weigh_as_much_as_a_training_speaker():
    voices = np.repeat(["a", "b", "c"], 12)
    y = np.tile(np.repeat([0, 1], 6), 3)
    takes = np.tile(np.arange(6), 6)
    X = np.c_[y + 0.0]
    seen = _Shared()
    extra = (X, y, voices)  # one copy of every row: 24 rows per training speaker in each fit
    speaker_evaluation.retraining_scores(
        _Weighted(seen), X, y, voices, takes, (0, 1), extra=extra, weight_new=0.5
    )
    assert seen[0] is None, "k = 0: nothing to weigh"
    weights = seen[1]
    assert len(weights) == 48 + 2 and (weights[:48] == 1).all()
    assert weights[48:].sum() == pytest.approx(0.5 * 24)


def test_weight_new_reaches_a_pipeline_inside_a_search():
    """One feature; the known voice says the opposite of the new one, six takes to one."""
    voices = np.repeat(["a", "b"], 12)
    y = np.tile(np.repeat([0, 1], 6), 2)
    takes = np.tile(np.arange(6), 4)
    X = np.c_[np.where(voices == "a", y, 1 - y) + 0.0]
    search = GridSearchCV(
        make_pipeline(StandardScaler(), LogisticRegression()),
        {"logisticregression__C": [1.0, 10.0]},
    )
    plain = speaker_evaluation.retraining_scores(search, X, y, voices, takes, (1,))
    weighted = speaker_evaluation.retraining_scores(
        search, X, y, voices, takes, (1,), weight_new=2.0
    )
    assert plain[1].mean() == 0.0 and weighted[1].mean() == 1.0
    with pytest.raises(ValueError, match="KNeighborsClassifier.fit does not"):
        speaker_evaluation.retraining_scores(
            KNeighborsClassifier(1), X, y, voices, takes, (1,), weight_new=1.0
        )
    with pytest.raises(ValueError, match="weight_new must be a number > 0"):
        speaker_evaluation.retraining_scores(search, X, y, voices, takes, (1,), weight_new=0)


def test_adaptation_scores_replays_only_the_training_speakers():
    voices = np.repeat(["a", "b", "c"], 12)
    y = np.tile(np.repeat([0, 1], 6), 3)
    takes = np.tile(np.arange(6), 6)
    X = np.c_[np.arange(36)]
    models = {(s, 0): KNeighborsClassifier(1).fit(X[voices != s], y[voices != s]) for s in "abc"}
    replayed = {}

    def adapt(model, X_k, y_k, replay):
        replayed[voices[X_k[0, 0]]] = set(voices[replay[0][:, 0]])
        assert len(replay[0]) == len(replay[1]) == 24
        return model

    speaker_evaluation.adaptation_scores(
        models, X, y, voices, takes, (0, 1), adapt=adapt, replay=True
    )
    assert replayed == {"a": {"b", "c"}, "b": {"a", "c"}, "c": {"a", "b"}}
