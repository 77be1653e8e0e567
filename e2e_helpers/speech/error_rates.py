"""Error rates of transcripts: word error rate (WER), character error rate (CER), sentence accuracy.

WER counts word substitutions, deletions and insertions (the Levenshtein
edit distance, from ``torchaudio.functional.edit_distance``) over the number
of reference words, CER the same over characters:

>>> sentence_accuracy(["three one", "four"], ["three  one", "five"])
0.5

Importing this module needs neither torch nor scikit-learn; WER and CER
import torchaudio when called (after checking their inputs).
"""

from __future__ import annotations

from collections.abc import Sequence

__all__ = ["word_error_rate", "char_error_rate", "sentence_correct", "sentence_accuracy"]


def _error_rate(references: Sequence[Sequence], hypotheses: Sequence[Sequence]) -> float:
    if len(references) != len(hypotheses):
        raise ValueError(
            f"need one hypothesis per reference, got {len(references)} references and "
            f"{len(hypotheses)} hypotheses."
        )
    total = sum(len(r) for r in references)
    if total == 0:
        raise ValueError("the references are empty: nothing to measure errors against.")
    from torchaudio.functional import edit_distance

    return sum(edit_distance(list(r), list(h)) for r, h in zip(references, hypotheses)) / total


def _check_texts(name: str, texts: Sequence[str]) -> None:
    if isinstance(texts, str) or not all(isinstance(t, str) for t in texts):
        raise TypeError(
            f"{name} must be a list of transcripts (strings), e.g. ['three one', 'four']."
        )


def word_error_rate(references: Sequence[str], hypotheses: Sequence[str]) -> float:
    """WER: word edit distance summed over utterances / number of reference words."""
    _check_texts("references", references)
    _check_texts("hypotheses", hypotheses)
    return _error_rate([r.split() for r in references], [h.split() for h in hypotheses])


def char_error_rate(references: Sequence[str], hypotheses: Sequence[str]) -> float:
    """CER: character edit distance (spaces included) / number of reference characters."""
    _check_texts("references", references)
    _check_texts("hypotheses", hypotheses)
    return _error_rate(
        [" ".join(r.split()) for r in references], [" ".join(h.split()) for h in hypotheses]
    )


def sentence_correct(references: Sequence, hypotheses: Sequence) -> list[bool]:
    """Whether each utterance was transcribed exactly right (whitespace-insensitive for strings).

    >>> sentence_correct(["three one", "four"], ["three  one", "five"])
    [True, False]
    """
    if len(references) != len(hypotheses) or not len(references):
        raise ValueError(
            f"need as many hypotheses as references, and at least one; got {len(references)} and "
            f"{len(hypotheses)}."
        )

    def norm(x):
        return " ".join(x.split()) if isinstance(x, str) else tuple(x)

    return [norm(r) == norm(h) for r, h in zip(references, hypotheses)]


def sentence_accuracy(references: Sequence, hypotheses: Sequence) -> float:
    """Fraction of utterances transcribed exactly right (see :func:`sentence_correct`)."""
    right = sentence_correct(references, hypotheses)
    return sum(right) / len(right)
