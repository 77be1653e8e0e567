"""speech.lexicon: the digits spelled in CMUdict phones."""

from __future__ import annotations

import pytest

from e2e_helpers.speech import lexicon
from e2e_helpers.speech.digit_strings import DIGIT_WORDS


def test_every_digit_is_spelled_in_known_phones():
    assert len(lexicon.PRONUNCIATIONS) == len(DIGIT_WORDS) == 10
    assert {p for word in lexicon.PRONUNCIATIONS for p in word} == set(lexicon.PHONES)
    assert lexicon.MODELS[-1] == lexicon.SILENCE and lexicon.SILENCE not in lexicon.PHONES
    assert lexicon.PRONUNCIATIONS[7] == ("S", "EH", "V", "AH", "N") and lexicon.PRONUNCIATIONS[
        0
    ] == ("Z", "IH", "R", "OW")


def test_phone_sequence_and_table():
    assert lexicon.phone_sequence([1, 9]) == ["W", "AH", "N", "N", "AY", "N"]
    table = lexicon.pronunciation_table().splitlines()
    assert len(table) == 12 and table[2] == "| zero | 0 | Z IH R OW |"
    with pytest.raises(ValueError, match="digits 0-9"):
        lexicon.phone_sequence([10])
