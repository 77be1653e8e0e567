"""What every speech recogniser shares: its input checks, ``predict`` and ``score``.

A recogniser is a scikit-learn estimator whose ``X`` is a list of recordings
(1-D arrays of different lengths) and whose ``y`` holds one digit sequence per
recording, e.g. ``[(3, 1, 4), (7,)]``. The checks refuse bad input before any
work, with a message that names the argument, the value and the fix.
"""

from __future__ import annotations

from collections.abc import Sequence
from numbers import Integral
from typing import Any

import numpy as np
from sklearn.utils.validation import check_is_fitted

from .._checks import validate_params
from .digit_strings import digits_to_text
from .error_rates import sentence_accuracy
from .model_inputs import check_recordings

__all__ = ["Transcriber", "check_waves", "check_digit_sequences"]


def check_waves(
    waves: Sequence[np.ndarray], sample_rate: int | None = None, name: str = "X"
) -> None:
    """Refuse all but a non-empty list of finite 1-D recordings (Waveforms: at *sample_rate*)."""
    check_recordings(waves, sample_rate=sample_rate, name=name)


def check_digit_sequences(
    y: Sequence[Sequence[int]],
    n_waves: int,
    *,
    name: str = "y",
    waves_name: str = "X",
    allow_empty: bool = False,
) -> list[list[int]]:
    """*y* as lists of ints, refused unless one sequence of digits 0-9 per recording.

    An empty sequence (no digit spoken) is refused unless *allow_empty*.
    """
    if isinstance(y, (str, bytes)) or not hasattr(y, "__len__"):
        raise TypeError(
            f"{name} must hold one digit sequence per recording, got {type(y).__name__} "
            f"{y!r}: pass e.g. [(3, 1, 4), (7,)]."
        )
    if len(y) != n_waves:
        raise ValueError(
            f"{waves_name} holds {n_waves} recordings but {name} holds {len(y)} digit "
            f"sequences: pass one digit sequence per recording, in the same order."
        )
    return [_digits(seq, f"{name}[{i}]", allow_empty) for i, seq in enumerate(y)]


def _digits(seq: Any, name: str, allow_empty: bool) -> list[int]:
    if isinstance(seq, str):
        raise ValueError(
            f"{name} is the text {seq!r}, not digits: pass digits such as (3, 1, 4) "
            f"(speech.text_to_digits turns text into digits)."
        )
    if isinstance(seq, Integral) or not hasattr(seq, "__len__"):
        raise ValueError(
            f"{name} is {seq!r}, not a sequence of digits: wrap a single digit in a "
            f"tuple, e.g. ({seq!r},)."
        )
    bad = [d for d in seq if not isinstance(d, Integral) or isinstance(d, bool) or not 0 <= d <= 9]
    if bad:
        raise ValueError(
            f"{name} is {list(seq)!r}, which holds {bad[0]!r}: each digit must be an "
            f"int 0-9, e.g. (3, 1, 4)."
        )
    if not len(seq) and not allow_empty:
        raise ValueError(
            f"{name} is empty: training and alignment need at least one digit per "
            f"recording; drop the recordings with no digits, or give their transcripts."
        )
    return [int(d) for d in seq]


class Transcriber:
    """``predict`` and ``score`` for a recogniser with ``predict_digits(X)`` and ``sample_rate``,
    and the checks every ``fit`` starts with."""

    def _start_fit(
        self,
        X: Sequence[np.ndarray],
        y: Sequence[Sequence[int]],
        features: list[np.ndarray] | None,
        fitted: Sequence[str],
    ) -> tuple[list[list[int]], list[np.ndarray]]:
        """Forget the *fitted* attributes (a failed refit leaves the recogniser unfitted), check
        the parameters, *X* and *y*; return *y* as digit lists and the frames of *X* (*features*
        when given, else ``self.features(X)``)."""
        for attribute in fitted:
            self.__dict__.pop(attribute, None)
        recogniser: Any = self  # a BaseEstimator with sample_rate, features and its constraints
        validate_params(recogniser.get_params(deep=False), recogniser._parameter_constraints)
        check_waves(X, recogniser.sample_rate)
        transcripts = check_digit_sequences(y, len(X))
        frames = features if features is not None else recogniser.features(X)
        if len(frames) != len(X):
            raise ValueError(
                f"features must hold one array of frames per recording, got {len(frames)} for "
                f"{len(X)} recordings: pass the output of features(X), or features=None."
            )
        return transcripts, frames

    def predict(self, X: Sequence[np.ndarray]) -> list[str]:
        """Transcripts such as ``"three one four"`` (``""`` where no digit is heard)."""
        return [digits_to_text(d) for d in self.predict_digits(X)]  # type: ignore[attr-defined]

    def score(self, X: Sequence[np.ndarray], y: Sequence[Sequence[int]]) -> float:
        """Sentence accuracy: the fraction of recordings whose digits are found exactly, in order.

        *y* holds the true digit sequences; an empty one (silence) is right
        when nothing is heard.
        """
        check_is_fitted(self)
        check_waves(X, self.sample_rate)  # type: ignore[attr-defined]
        truth = check_digit_sequences(y, len(X), allow_empty=True)
        return sentence_accuracy([digits_to_text(t) for t in truth], self.predict(X))
