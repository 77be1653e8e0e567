"""Speaker-independent evaluation of isolated-digit classifiers.

Leave-one-speaker-out evaluation over several seeds (:class:`SpeakerScores`),
and adaptation to a new voice with a few of its takes: fine-tuning
(:func:`few_shot`, :func:`adaptation_scores`, with the control of adapting on
as many takes of the voices already known, and optional rehearsal of the
known voices) and retraining a classical model with the takes added, weighted
if asked (:func:`retraining_scores`). A hyper-parameter search (such as
``e2e_helpers.learn.validated_search``) is given speaker-grouped inner folds,
so that its settings are chosen for new voices too. The fixed-size inputs such
classifiers take (hand-crafted MFCC statistics, a fixed window of log-mel
frames) are in :mod:`e2e_helpers.speech.model_inputs`. Any scikit-learn
classifier works, ``e2e_helpers.learn.TorchClassifier`` included:

>>> import numpy as np
>>> from sklearn.neighbors import KNeighborsClassifier
>>> X = np.r_[np.zeros((4, 2)), np.ones((4, 2))]; y = np.r_[[0] * 4, [1] * 4]
>>> scores = leave_one_speaker_out(KNeighborsClassifier(1), X, y, ["a", "b"] * 4, progress=False)
>>> scores.by_speaker()
{'a': 1.0, 'b': 1.0}
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from functools import partial
from typing import Any

import numpy as np
from sklearn.base import clone
from sklearn.model_selection import LeaveOneGroupOut
from sklearn.pipeline import Pipeline
from sklearn.utils.validation import has_fit_parameter
from tqdm.auto import tqdm

from .._checks import is_real

__all__ = [
    "SpeakerScores",
    "leave_one_speaker_out",
    "first_takes",
    "adaptation_scores",
    "retraining_scores",
]

Extra = tuple[np.ndarray, np.ndarray, Sequence[str]]


@dataclass(frozen=True)
class SpeakerScores:
    """Accuracy on each held-out speaker (rows of ``accuracy``) for each seed (columns)."""

    speakers: tuple[str, ...]
    seeds: tuple[int, ...]
    accuracy: np.ndarray

    def per_speaker(self) -> np.ndarray:
        """Mean over seeds, one value per speaker (in ``speakers`` order)."""
        return self.accuracy.mean(axis=1)

    def by_speaker(self) -> dict[str, float]:
        """``{speaker: accuracy averaged over seeds}``."""
        return dict(zip(self.speakers, self.per_speaker().tolist()))

    def mean(self) -> float:
        """Mean accuracy over speakers (and seeds)."""
        return float(self.accuracy.mean())

    def seed_spread(self) -> float:
        """Standard deviation over seeds of the mean over speakers (0 with one seed)."""
        return float(self.accuracy.mean(axis=0).std(ddof=1)) if len(self.seeds) > 1 else 0.0


def _check_extra(extra: Extra | None) -> Extra | None:
    if extra is None:
        return None
    X_extra, y_extra, s_extra = extra[0], np.asarray(extra[1]), np.asarray(extra[2])
    if not len(X_extra) == len(y_extra) == len(s_extra):
        raise ValueError("extra = (X, y, speakers) needs one entry per row in each part.")
    return X_extra, y_extra, s_extra


def _training_rows(
    X: np.ndarray, y: np.ndarray, speakers: np.ndarray, name: str, extra: Extra | None
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Every row not spoken by *name*, from the data and from *extra*, with its speaker."""
    other = speakers != name
    X_fit, y_fit, s_fit = X[other], y[other], speakers[other]
    if extra is not None:
        kept = extra[2] != name
        X_fit = np.concatenate([X_fit, extra[0][kept]])
        y_fit = np.concatenate([y_fit, extra[1][kept]])
        s_fit = np.concatenate([s_fit, extra[2][kept]])
    return X_fit, y_fit, s_fit


def _is_search(model: Any) -> bool:
    """A hyper-parameter search (``GridSearchCV``, ``RandomizedSearchCV``): an inner ``cv`` over
    the settings of an ``estimator``."""
    params = model.get_params(deep=False)
    return {"cv", "estimator"} <= params.keys() and bool(
        {"param_grid", "param_distributions"} & params.keys()
    )


def _weight_keyword(estimator: Any) -> str:
    """The ``fit`` keyword that carries sample weights to *estimator*'s final classifier."""
    final = estimator.get_params(deep=False)["estimator"] if _is_search(estimator) else estimator
    prefix = ""
    if isinstance(final, Pipeline):
        prefix, final = f"{final.steps[-1][0]}__", final.steps[-1][1]
    if not has_fit_parameter(final, "sample_weight"):
        raise ValueError(
            f"weight_new needs a classifier whose fit takes sample_weight (SVC and "
            f"LogisticRegression do), but {type(final).__name__}.fit does not: use such a "
            f"classifier, or leave weight_new=None."
        )
    return f"{prefix}sample_weight"


def _fit(
    model: Any,
    X: np.ndarray,
    y: np.ndarray,
    groups: np.ndarray,
    grouped_search: bool,
    **params: Any,
) -> Any:
    """``model.fit(X, y, **params)``; a search gets speaker-grouped inner folds."""
    if grouped_search and _is_search(model):
        if len(set(groups.tolist())) < 2:
            raise ValueError(
                f"grouped_search needs at least 2 training speakers per fold to validate on one "
                f"of them, got {sorted(set(groups.tolist()))}: use more speakers, or "
                f"grouped_search=False."
            )
        model.set_params(cv=LeaveOneGroupOut())
        params["groups"] = groups
    return model.fit(X, y, **params)


def leave_one_speaker_out(
    estimator: Any,
    X: np.ndarray,
    y: np.ndarray,
    speakers: Sequence[str],
    *,
    seeds: Sequence[int] = (0,),
    extra: Extra | None = None,
    keep: Callable[[tuple[str, int], Any], None] | None = None,
    grouped_search: bool = True,
    progress: bool = True,
) -> SpeakerScores:
    """Accuracy on each speaker's recordings of clones of *estimator* trained on the other speakers.

    The folds are scikit-learn's ``LeaveOneGroupOut`` with the speakers as
    groups (speakers in sorted order), walked in a plain loop rather than
    ``cross_validate`` because *extra* rows join the training side only.
    Each fold is fitted once per seed in *seeds* (set as ``random_state``
    when the estimator has one: give one seed to a deterministic model).
    *extra* = ``(X_extra, y_extra, speakers_extra)`` adds training-only data
    (such as augmented copies): each fold uses the rows whose speaker is not
    the held-out one, so no version of a test voice leaks into training.
    ``keep((speaker, seed), fitted)`` is called with each fold's model (e.g.
    ``models.__setitem__`` to adapt them later).

    With *grouped_search* (the default), an estimator that is a
    hyper-parameter search (a ``cv`` and a ``param_grid`` or
    ``param_distributions``, like the ``GridSearchCV`` of
    ``e2e_helpers.learn.validated_search``) chooses its
    settings speaker-independently too: its ``cv`` becomes
    ``LeaveOneGroupOut()`` and ``fit`` gets each training row's speaker as
    ``groups`` (an *extra* row stays with its speaker), so no voice is on both
    sides of an inner split. ``grouped_search=False`` keeps the search's own split.
    """
    y, speakers = np.asarray(y), np.asarray(speakers)
    if not len(X) == len(y) == len(speakers):
        raise ValueError(
            f"X, y and speakers need one entry per recording, got {len(X)}, {len(y)} and "
            f"{len(speakers)}."
        )
    names = sorted(set(speakers.tolist()))
    if len(names) < 2:
        raise ValueError(f"leave-one-speaker-out needs at least 2 speakers, got {names}.")
    seeds = tuple(int(s) for s in seeds)
    if not seeds:
        raise ValueError("seeds is empty: pass at least one seed, e.g. (0,) or (0, 1, 2).")
    extra = _check_extra(extra)
    # one fold per speaker, in sorted order (np.unique of the groups), as in names
    folds = list(LeaveOneGroupOut().split(np.zeros(len(y)), y, groups=speakers))
    accuracy = np.empty((len(names), len(seeds)))
    jobs = [(i, j) for i in range(len(folds)) for j in range(len(seeds))]
    for i, j in tqdm(jobs, desc="leave one speaker out", disable=not progress):
        test = folds[i][1]
        model = clone(estimator)
        if "random_state" in model.get_params():
            model.set_params(random_state=seeds[j])
        _fit(model, *_training_rows(X, y, speakers, names[i], extra), grouped_search)
        accuracy[i, j] = model.score(X[test], y[test])
        if keep is not None:
            keep((names[i], seeds[j]), model)
    return SpeakerScores(tuple(names), seeds, accuracy)


def first_takes(y: np.ndarray, takes: np.ndarray, k: int) -> np.ndarray:
    """Boolean mask of the *k* lowest-numbered takes of each label (the adaptation examples)."""
    y, takes = np.asarray(y), np.asarray(takes)
    mask = np.zeros(len(y), dtype=bool)
    for label in np.unique(y):
        rows = np.flatnonzero(y == label)
        mask[rows[np.argsort(takes[rows], kind="stable")[:k]]] = True
    return mask


def _check_ks(ks: Sequence[int]) -> list[int]:
    ks = sorted(set(int(k) for k in ks))
    if not ks or ks[0] < 0:
        raise ValueError(
            f"ks must be non-negative numbers of takes per label such as (0, 1, 5, 10), got {ks}."
        )
    return ks


def _scored_rows(y: np.ndarray, takes: np.ndarray, ks: list[int]) -> np.ndarray:
    test = ~first_takes(y, takes, ks[-1])
    if not test.any():
        raise ValueError(
            f"no recordings left to score after the first {ks[-1]} takes per label: use smaller ks."
        )
    return test


def few_shot(
    model: Any,
    X: np.ndarray,
    y: np.ndarray,
    takes: np.ndarray,
    ks: Sequence[int],
    *,
    adapt: Callable[[Any, np.ndarray, np.ndarray], Any],
    examples: tuple[np.ndarray, np.ndarray, np.ndarray] | None = None,
) -> dict[int, float]:
    """Accuracy of *model* on one new speaker after adapting to *k* takes per label, each k in *ks*.

    ``adapt(model, X_k, y_k)`` returns an adapted classifier (e.g.
    ``e2e_helpers.learn.fine_tune``); ``k = 0`` scores *model* as it
    is. Every k is scored on the same recordings, those beyond the first
    ``max(ks)`` takes of each label, so the figures are comparable. The *k*
    takes come from the new speaker, or, as a control, from *examples* =
    ``(X, y, takes)`` of other speakers (the first *k* takes per label among them).
    """
    ks = _check_ks(ks)
    test = _scored_rows(y, takes, ks)
    X_pool, y_pool, takes_pool = (X, y, takes) if examples is None else examples
    scores = {}
    for k in ks:
        chosen = first_takes(y_pool, takes_pool, k)
        adapted = adapt(model, X_pool[chosen], np.asarray(y_pool)[chosen]) if k else model
        scores[k] = float(adapted.score(X[test], y[test]))
    return scores


def adaptation_scores(
    models: Mapping[tuple[str, int], Any],
    X: np.ndarray,
    y: np.ndarray,
    speakers: Sequence[str],
    takes: np.ndarray,
    ks: Sequence[int],
    *,
    adapt: Callable[..., Any],
    control: bool = False,
    replay: bool = False,
) -> dict[int, SpeakerScores]:
    """:func:`few_shot` for every leave-one-speaker-out model ``models[(speaker, seed)]``.

    Returns ``{k: SpeakerScores}``.

    With *control*, each model is adapted on *k* takes per label of the
    speakers it was trained on instead of the new one (the same steps on
    familiar voices), and scored on the same recordings of the new speaker.
    With *replay*, *adapt* is called as ``adapt(model, X_k, y_k,
    replay=(X_known, y_known))`` with the recordings of the speakers the model
    was trained on (never the held-out one), for rehearsal while adapting
    (``e2e_helpers.learn.fine_tune`` takes it).
    """
    y, speakers, takes = np.asarray(y), np.asarray(speakers), np.asarray(takes)
    names, seeds = sorted({s for s, _ in models}), sorted({seed for _, seed in models})
    missing = [(s, seed) for s in names for seed in seeds if (s, seed) not in models]
    if missing:
        raise ValueError(f"models must hold one model per (speaker, seed), missing {missing}.")
    ks = _check_ks(ks)
    table = np.empty((len(ks), len(names), len(seeds)))
    for i, name in enumerate(names):
        own, other = speakers == name, speakers != name
        examples = (X[other], y[other], takes[other]) if control else None
        adapt_here = partial(adapt, replay=(X[other], y[other])) if replay else adapt
        for j, seed in enumerate(seeds):
            scores = few_shot(
                models[name, seed],
                X[own],
                y[own],
                takes[own],
                ks,
                adapt=adapt_here,
                examples=examples,
            )
            table[:, i, j] = [scores[k] for k in ks]
    return {k: SpeakerScores(tuple(names), tuple(seeds), table[n]) for n, k in enumerate(ks)}


def retraining_scores(
    estimator: Any,
    X: np.ndarray,
    y: np.ndarray,
    speakers: Sequence[str],
    takes: np.ndarray,
    ks: Sequence[int],
    *,
    extra: Extra | None = None,
    grouped_search: bool = True,
    weight_new: float | None = None,
    held_out: Sequence[str] | None = None,
) -> dict[int, SpeakerScores]:
    """Adapting a model that cannot be fine-tuned: refit it with *k* takes per label of a new voice.

    Each refit sees the other speakers plus those takes; every speaker is the new voice in turn,
    or only those in *held_out* (e.g. ``["you"]``: a learner's own takes added as a speaker).

    Scored, for each k, on the same recordings as :func:`few_shot` (the new
    speaker's takes beyond the first ``max(ks)`` per label); *extra* adds
    training-only rows (augmented copies) of the other speakers, and a
    search gets speaker-grouped inner folds (*grouped_search*; the new
    voice's takes are one group), as in :func:`leave_one_speaker_out`. With
    *weight_new* = w, the new voice's takes together weigh w times as much as
    one training speaker's rows (extra included) in the fit: 1.0 makes the
    new voice count as one more speaker, however few its takes. The weights go
    to the final classifier as ``sample_weight`` (``svc__sample_weight`` for a
    pipeline ending in ``svc``, through a ``GridSearchCV`` too; scikit-learn's
    metadata routing off, its default). One fit per speaker and k, so give a
    deterministic estimator.
    """
    y, speakers, takes = np.asarray(y), np.asarray(speakers), np.asarray(takes)
    names, ks, extra = sorted(set(speakers.tolist())), _check_ks(ks), _check_extra(extra)
    if held_out is not None:
        unknown = sorted(set(held_out) - set(names))
        if unknown or not len(held_out):
            raise ValueError(f"held_out must name speakers of {names}, got {list(held_out)}.")
        names = sorted(set(held_out))
    if weight_new is not None and not (is_real(weight_new) and weight_new > 0):
        raise ValueError(
            f"weight_new must be a number > 0 (1.0: the new voice weighs as much as one training "
            f"speaker) or None, got {weight_new!r}."
        )
    weight_keyword = _weight_keyword(estimator) if weight_new is not None else ""
    table = np.empty((len(ks), len(names), 1))
    for i, name in enumerate(names):
        own = np.flatnonzero(speakers == name)
        test = own[_scored_rows(y[own], takes[own], ks)]
        X_fit, y_fit, s_fit = _training_rows(X, y, speakers, name, extra)
        per_speaker = len(y_fit) / len(set(s_fit.tolist()))
        for n, k in enumerate(ks):
            added = own[first_takes(y[own], takes[own], k)]
            weights = {}
            if weight_new is not None and k:
                new = weight_new * per_speaker / len(added)
                weights[weight_keyword] = np.r_[np.ones(len(y_fit)), np.full(len(added), new)]
            model = _fit(
                clone(estimator),
                np.concatenate([X_fit, X[added]]),
                np.concatenate([y_fit, y[added]]),
                np.concatenate([s_fit, speakers[added]]),
                grouped_search,
                **weights,
            )
            table[n, i, 0] = model.score(X[test], y[test])
    return {k: SpeakerScores(tuple(names), (0,), table[n]) for n, k in enumerate(ks)}
