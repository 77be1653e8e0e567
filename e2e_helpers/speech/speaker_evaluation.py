"""Speaker-independent evaluation of isolated-digit classifiers.

Leave-one-speaker-out evaluation, and few-shot adaptation to a new voice.
The fixed-size inputs such classifiers take (hand-crafted MFCC statistics,
a fixed window of log-mel frames) are in :mod:`e2e_helpers.speech.features`.
Any scikit-learn classifier works, ``e2e_helpers.learn.TorchClassifier``
included:

>>> import numpy as np
>>> from sklearn.neighbors import KNeighborsClassifier
>>> X = np.r_[np.zeros((4, 2)), np.ones((4, 2))]; y = np.r_[[0] * 4, [1] * 4]
>>> leave_one_speaker_out(KNeighborsClassifier(1), X, y, ["a", "b"] * 4, progress=False)
{'a': 1.0, 'b': 1.0}
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import numpy as np
from sklearn.base import clone
from tqdm.auto import tqdm

__all__ = ["leave_one_speaker_out", "first_takes", "few_shot"]


def leave_one_speaker_out(
    estimator: Any,
    X: np.ndarray,
    y: np.ndarray,
    speakers: Sequence[str],
    *,
    extra: tuple[np.ndarray, np.ndarray, Sequence[str]] | None = None,
    keep: Callable[[str, Any], None] | None = None,
    progress: bool = True,
) -> dict[str, float]:
    """Accuracy on each speaker's recordings of a clone of *estimator* trained on all the other speakers.

    *extra* = ``(X_extra, y_extra, speakers_extra)`` adds training-only data
    (such as augmented copies): each fold uses the rows whose speaker is not
    the held-out one, so no version of a test voice leaks into training.
    ``keep(speaker, fitted)`` is called with each fold's model (e.g. to store
    it for adaptation). Returns ``{speaker: accuracy}`` in sorted speaker order.
    """
    y, speakers = np.asarray(y), np.asarray(speakers)
    if not len(X) == len(y) == len(speakers):
        raise ValueError(f"X, y and speakers need one entry per recording, got {len(X)}, {len(y)} and {len(speakers)}.")
    names = sorted(set(speakers.tolist()))
    if len(names) < 2:
        raise ValueError(f"leave-one-speaker-out needs at least 2 speakers, got {names}.")
    if extra is not None:
        X_extra, y_extra, s_extra = extra[0], np.asarray(extra[1]), np.asarray(extra[2])
        if not len(X_extra) == len(y_extra) == len(s_extra):
            raise ValueError("extra = (X, y, speakers) needs one entry per row in each part.")
    scores = {}
    for name in tqdm(names, desc="leave one speaker out", disable=not progress):
        held_out = speakers == name
        X_fit, y_fit = X[~held_out], y[~held_out]
        if extra is not None:
            other = s_extra != name
            X_fit, y_fit = np.concatenate([X_fit, X_extra[other]]), np.concatenate([y_fit, y_extra[other]])
        model = clone(estimator).fit(X_fit, y_fit)
        scores[name] = float(model.score(X[held_out], y[held_out]))
        if keep is not None:
            keep(name, model)
    return scores


def first_takes(y: np.ndarray, takes: np.ndarray, k: int) -> np.ndarray:
    """Boolean mask of the *k* lowest-numbered takes of each label (the adaptation examples)."""
    y, takes = np.asarray(y), np.asarray(takes)
    mask = np.zeros(len(y), dtype=bool)
    for label in np.unique(y):
        rows = np.flatnonzero(y == label)
        mask[rows[np.argsort(takes[rows], kind="stable")[:k]]] = True
    return mask


def few_shot(
    model: Any,
    X: np.ndarray,
    y: np.ndarray,
    takes: np.ndarray,
    ks: Sequence[int],
    *,
    adapt: Callable[[Any, np.ndarray, np.ndarray], Any],
) -> dict[int, float]:
    """Accuracy of *model* on one new speaker after adapting to *k* of their takes per label, for each k in *ks*.

    ``adapt(model, X_k, y_k)`` returns an adapted classifier (e.g.
    ``e2e_helpers.learn.fine_tune``); ``k = 0`` scores *model* as it
    is. Every k is scored on the same recordings, those beyond the first
    ``max(ks)`` takes of each label, so the figures are comparable.
    """
    ks = sorted(set(int(k) for k in ks))
    if not ks or ks[0] < 0:
        raise ValueError(f"ks must be non-negative numbers of takes per label such as (0, 1, 5, 10), got {ks}.")
    test = ~first_takes(y, takes, ks[-1])
    if not test.any():
        raise ValueError(f"no recordings left to score after the first {ks[-1]} takes per label: use smaller ks.")
    scores = {}
    for k in ks:
        chosen = first_takes(y, takes, k)
        adapted = adapt(model, X[chosen], y[chosen]) if k else model
        scores[k] = float(adapted.score(X[test], y[test]))
    return scores
