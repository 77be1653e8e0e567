"""The pronunciation lexicon: each digit word spelled in phones, as the CMU Pronouncing Dictionary
spells it.

A classic recogniser never needs audio labelled with phones. It needs a
*lexicon* that spells every word in phones (ARPAbet, stress marks dropped)
and word transcripts of its training audio: each transcript, looked up in the
lexicon, becomes a chain of phone models to train (see
:mod:`~e2e_helpers.speech.phone_hmm`). :data:`SILENCE` names the model of the
pauses between and around words.

>>> PRONUNCIATIONS[3]
('TH', 'R', 'IY')
>>> len(PHONES)
19
"""

from __future__ import annotations

from collections.abc import Sequence

from .._tables import markdown_table
from .digit_strings import DIGIT_WORDS, digits_to_text

__all__ = [
    "PHONES",
    "SILENCE",
    "phone_sequence",
    "pronunciation_table",
]

#: Digit -> its phones (CMUdict, without stress marks).
PRONUNCIATIONS: tuple[tuple[str, ...], ...] = (
    ("Z", "IH", "R", "OW"),  # zero
    ("W", "AH", "N"),  # one
    ("T", "UW"),  # two
    ("TH", "R", "IY"),  # three
    ("F", "AO", "R"),  # four
    ("F", "AY", "V"),  # five
    ("S", "IH", "K", "S"),  # six
    ("S", "EH", "V", "AH", "N"),  # seven
    ("EY", "T"),  # eight
    ("N", "AY", "N"),  # nine
)

#: The model of silence (pauses, breath, background noise).
SILENCE = "sil"

#: Every phone of the lexicon, in order of first appearance.
PHONES: tuple[str, ...] = tuple(dict.fromkeys(p for word in PRONUNCIATIONS for p in word))

#: All acoustic models: the phones, then silence (model index = position here).
MODELS: tuple[str, ...] = PHONES + (SILENCE,)


def phone_sequence(digits: Sequence[int]) -> list[str]:
    """The phones of a digit string, word after word (no silences).

    >>> phone_sequence([8, 2])
    ['EY', 'T', 'T', 'UW']
    """
    digits_to_text(digits)  # refuses anything but digits 0-9, with a clear message
    return [p for d in digits for p in PRONUNCIATIONS[int(d)]]


def pronunciation_table() -> str:
    """The lexicon as a Markdown table: word, digit, phones."""
    rows = [[word, str(d), " ".join(PRONUNCIATIONS[d])] for d, word in enumerate(DIGIT_WORDS)]
    return markdown_table(["word", "digit", "phones"], rows)
