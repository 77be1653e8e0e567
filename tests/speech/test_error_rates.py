"""speech.error_rates: WER and CER (torchaudio's edit distance), sentence accuracy, checked
inputs."""

from __future__ import annotations

import pytest

from e2e_helpers.speech.error_rates import char_error_rate, sentence_accuracy, word_error_rate


def test_error_rates_with_edit_distance():
    pytest.importorskip("torchaudio", reason="WER and CER use torchaudio's edit distance")
    refs, hyps = ["one two three", "four"], ["one three", "four five"]
    assert word_error_rate(refs, hyps) == pytest.approx(2 / 4)
    assert char_error_rate(["one"], ["on"]) == pytest.approx(1 / 3)
    assert sentence_accuracy(refs, ["one  two three", "four"]) == 1.0
    assert sentence_accuracy([[1, 2], [3]], [[1, 2], [4]]) == 0.5


def test_error_rate_inputs_are_checked():
    with pytest.raises(TypeError, match="list of transcripts"):
        word_error_rate("one two", "one")
    with pytest.raises(ValueError, match="one hypothesis per reference"):
        word_error_rate(["one"], ["one", "two"])
    with pytest.raises(ValueError, match="empty"):
        char_error_rate([""], ["x"])
    with pytest.raises(ValueError, match="as many hypotheses"):
        sentence_accuracy([], [])
