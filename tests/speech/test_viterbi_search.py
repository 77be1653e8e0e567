"""speech.viterbi_search: the batched Viterbi search against brute force on tiny models."""

from __future__ import annotations

import itertools

import numpy as np
import pytest

from e2e_helpers.speech.viterbi_search import (
    Grammar,
    loop_grammar,
    one_word_grammar,
    transcript_grammar,
    viterbi,
)

WORDS = [[0, 1], [2], [3, 4]]  # three "words" of 2, 1 and 2 states
SILENCE = [5]
RNG = np.random.default_rng(1)
STAY = np.log(RNG.uniform(0.2, 0.8, 6))
LEAVE = np.log1p(-np.exp(STAY))


def _brute_force(grammar: Grammar, emissions: np.ndarray) -> tuple[float, tuple[int, ...] | None]:
    """Score every node sequence of the utterance's length; the best allowed one wins."""
    states, first, last = grammar.states, grammar.first, grammar.last
    segment = np.repeat(np.arange(len(grammar.segments)), [len(s) for s in grammar.segments])
    best, best_path = -np.inf, None
    for path in itertools.product(range(len(states)), repeat=len(emissions)):
        a = path[0]
        score = (
            grammar.start[segment[a]] + emissions[0, states[a]]
            if a == first[segment[a]]
            else -np.inf
        )
        for t, (a, b) in enumerate(zip(path, path[1:]), start=1):
            options = [STAY[states[a]]] if a == b else []
            if b == a + 1 and segment[a] == segment[b]:
                options.append(LEAVE[states[a]])
            if a == last[segment[a]] and b == first[segment[b]]:
                options.append(LEAVE[states[a]] + grammar.enter[segment[a], segment[b]])
            score += max(options, default=-np.inf) + emissions[t, states[b]]
        end = path[-1]
        score += (
            LEAVE[states[end]] + grammar.end[segment[end]] if end == last[segment[end]] else -np.inf
        )
        if score > best:
            best, best_path = score, path
    return best, best_path


GRAMMARS = {
    "loop": loop_grammar(WORDS, SILENCE, insertion_penalty=-0.5),
    "one word": one_word_grammar(WORDS, SILENCE),
    "transcript": transcript_grammar(WORDS, SILENCE, [0, 2]),
    "repeated word": transcript_grammar(WORDS, SILENCE, [1, 1]),
}


@pytest.mark.parametrize("name", list(GRAMMARS))
@pytest.mark.parametrize("n_frames", [1, 2, 4, 6])
def test_best_path_and_score_equal_brute_force(name, n_frames):
    grammar = GRAMMARS[name]
    emissions = np.random.default_rng(n_frames).normal(size=(n_frames, 6))
    path = viterbi([emissions], grammar, STAY, LEAVE)[0]
    expected, expected_path = _brute_force(grammar, emissions)
    if expected_path is None:
        assert path.score == -np.inf and path.segments == ()
    else:
        assert path.score == pytest.approx(
            expected, rel=1e-5, abs=1e-5
        )  # emissions are kept as float32
        assert tuple(path.nodes) == expected_path


def test_a_batch_of_different_lengths_and_grammars_equals_one_by_one():
    rng = np.random.default_rng(7)
    utterances = [rng.normal(size=(n, 6)) for n in (9, 3, 14, 6)]
    grammars = [
        GRAMMARS["loop"],
        GRAMMARS["transcript"],
        GRAMMARS["one word"],
        GRAMMARS["repeated word"],
    ]
    together = viterbi(utterances, grammars, STAY, LEAVE)
    for e, g, path in zip(utterances, grammars, together):
        alone = viterbi([e], g, STAY, LEAVE)[0]
        assert alone.score == pytest.approx(path.score) and np.array_equal(alone.nodes, path.nodes)


def test_segments_and_words_follow_the_path():
    emissions = np.full((12, 6), -20.0)
    plan = [
        5,
        5,
        0,
        0,
        1,
        5,
        2,
        2,
        2,
        3,
        4,
        4,
    ]  # silence, word 0, silence, word 1 (state 2), word 2
    emissions[np.arange(12), plan] = 0.0
    grammar = loop_grammar(WORDS, SILENCE, insertion_penalty=-5.0)
    path = viterbi([emissions], grammar, STAY, LEAVE)[0]
    assert path.words(grammar) == [0, 1, 2]
    assert [(grammar.labels[g], a, b) for g, a, b in path.segments] == [
        (-1, 0, 2),
        (0, 2, 5),
        (-1, 5, 6),
        (1, 6, 9),
        (2, 9, 12),
    ]


def test_word_insertion_penalty_trades_insertions():
    emissions = np.full((6, 6), -5.0)
    emissions[:, 2] = 0.0  # the one-state word fits every frame
    grammar_cheap = loop_grammar(WORDS, SILENCE, insertion_penalty=10.0)
    grammar_dear = loop_grammar(WORDS, SILENCE, insertion_penalty=-10.0)
    cheap = viterbi([emissions], grammar_cheap, STAY, LEAVE)[0].words(grammar_cheap)
    dear = viterbi([emissions], grammar_dear, STAY, LEAVE)[0].words(grammar_dear)
    assert cheap == [1] * 6 and dear == [1]


def test_bad_input_is_explained():
    with pytest.raises(ValueError, match="one grammar per utterance"):
        viterbi([np.zeros((3, 6))] * 2, [GRAMMARS["loop"]], STAY, LEAVE)
    with pytest.raises(ValueError, match="at least one frame"):
        viterbi([np.zeros((0, 6))], GRAMMARS["loop"], STAY, LEAVE)
    with pytest.raises(ValueError, match="at least one word"):
        transcript_grammar(WORDS, SILENCE, [])
