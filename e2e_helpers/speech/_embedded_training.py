"""Embedded training's bookkeeping for :mod:`~e2e_helpers.speech.phone_hmm`: the flat start's
even alignment, the states of re-aligned frames, and the checked insertion-penalty candidates."""

from __future__ import annotations

from collections.abc import Sequence
from numbers import Real

import numpy as np

from .viterbi_search import BestPath, Grammar


def checked_candidates(candidates: Sequence[float]) -> list[float]:
    """The candidate insertion penalties as floats, refused when empty or not finite."""
    values = list(candidates) if hasattr(candidates, "__iter__") else []
    if not values:
        raise ValueError(
            f"candidates is {candidates!r}: pass at least one insertion penalty to try, "
            f"e.g. (-40.0, -20.0, 0.0)."
        )
    bad = [
        c for c in values if not isinstance(c, Real) or isinstance(c, bool) or not np.isfinite(c)
    ]
    if bad:
        raise ValueError(
            f"candidates holds {bad[0]!r}: every insertion penalty must be a finite number "
            f"(a log cost, e.g. -40.0)."
        )
    return [float(c) for c in values]


def even_alignment(grammar: Grammar, n_frames: int) -> np.ndarray:
    """A flat start's first alignment: frames shared out evenly along the transcript's chain.

    The chain's optional silences included.
    """
    states = grammar.states
    return states[np.minimum(np.arange(n_frames) * len(states) // n_frames, len(states) - 1)]


def aligned_states(
    paths: list[BestPath], grammars: list[Grammar], feats: list[np.ndarray]
) -> tuple[np.ndarray, list[float]]:
    """The state of every training frame from the new alignments.

    An utterance that no path fits keeps an even alignment.
    """
    out, scores = [], []
    for path, grammar, f in zip(paths, grammars, feats):
        if np.isfinite(path.score):
            out.append(grammar.states[path.nodes])
            scores.append(path.score / len(f))
        else:
            out.append(even_alignment(grammar, len(f)))
    return np.concatenate(out), scores
