"""figures.speech_concepts: the toy HMM, the CTC lattice and the learned filterbank pictures."""

from __future__ import annotations

import itertools

import numpy as np
import pytest
from matplotlib.figure import Figure

from e2e_helpers.figures import speech_concepts as concepts

LOG_EMIT = np.log([[0.8, 0.1, 0.1], [0.6, 0.3, 0.1], [0.1, 0.7, 0.2]])


def test_hmm_picture_shows_the_transitions_and_every_emission():
    fig = concepts.hmm_picture(LOG_EMIT, np.log([0.6] * 3), np.log([0.4] * 3), [0, 1, 2])
    texts = [t.get_text() for ax in fig.axes for t in ax.texts]
    assert texts.count("stay 0.6") == 3 and "move on 0.4" in texts and "end 0.4" in texts
    assert texts.count("0.1") == 4 and "0.8" in texts, "each emission probability is written"
    with pytest.raises(ValueError, match="one log_stay and log_leave per state"):
        concepts.hmm_picture(LOG_EMIT, np.log([0.6] * 2), np.log([0.4] * 3))


def _spellings(target: str, steps: int) -> int:
    """Alignments counted by brute force: every string of symbols that collapses to *target*."""
    symbols = "-" + "".join(sorted(set(target)))
    return sum(
        "".join(k for k, _ in itertools.groupby(s) if k != "-") == target
        for s in itertools.product(symbols, repeat=steps)
    )


@pytest.mark.parametrize(("target", "steps"), [("31", 5), ("11", 5), ("3", 3), ("121", 6)])
def test_the_lattice_counts_every_alignment(target, steps):
    fig = concepts.ctc_lattice(target, steps)
    assert isinstance(fig, Figure)
    count = _spellings(target, steps)
    assert (
        fig.axes[0].get_title()
        == f"The {count} ways to spell '{' '.join(target)}' on {steps} steps"
    )


def test_the_lattice_draws_paths_and_refuses_a_path_that_spells_something_else():
    fig = concepts.ctc_lattice("11", 5, ["1-1--", "-1-11"])
    assert [t.get_text() for t in fig.axes[0].get_legend().get_texts()] == [
        "1 - 1 - -",
        "- 1 - 1 1",
    ]
    with pytest.raises(ValueError, match="not an alignment of this lattice .* step 3"):
        concepts.ctc_lattice("11", 5, ["1-3--"])
    with pytest.raises(ValueError, match="ends before the whole transcript is spelled"):
        concepts.ctc_lattice("11", 5, ["11---"])  # "1 1" with no blank between: one "1"


def test_filterbank_figure_sorts_filters_and_shows_the_mel_bank_beside():
    taps = np.array([np.cos(np.pi * f * np.arange(64)) for f in (0.5, 0.1, 0.3)])
    fig = concepts.filterbank_figure(taps, 8000, np.eye(257, 4))
    image = fig.axes[0].get_images()[0].get_array()
    peaks = image.argmax(axis=1)
    assert list(peaks) == sorted(peaks), "filters in order of their peak frequency"
    assert len(fig.axes) == 3  # learned, mel, colour bar
    with pytest.raises(ValueError, match=r"weights must be \(n_filters, taps\)"):
        concepts.filterbank_figure(np.zeros(64), 8000)
