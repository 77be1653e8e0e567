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
        # emissions are kept as float32
        assert path.score == pytest.approx(expected, rel=1e-5, abs=1e-5)
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
    # silence, word 0, silence, word 1 (state 2), word 2
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
    ]
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


_LOOP, _E = GRAMMARS["loop"], np.zeros((3, 6))


def _with(value: float) -> np.ndarray:
    e = RNG.normal(size=(4, 6))
    e[2, 3] = value
    return e


@pytest.mark.parametrize(
    ("call", "error", "message"),
    [
        (lambda: viterbi([_E] * 2, [_LOOP], STAY, LEAVE), ValueError, "one grammar per utterance"),
        (lambda: viterbi([np.zeros((0, 6))], _LOOP, STAY, LEAVE), ValueError, "no frames"),
        (lambda: viterbi([_with(np.nan)], _LOOP, STAY, LEAVE), ValueError, r"\[0\] holds NaN"),
        (lambda: viterbi([_E, _with(np.inf)], _LOOP, STAY, LEAVE), ValueError, r"\[1\] holds NaN"),
        (lambda: viterbi([np.zeros(6)], _LOOP, STAY, LEAVE), ValueError, r"\(frames, 6\) array"),
        (
            lambda: viterbi([np.zeros((3, 5))], _LOOP, STAY, LEAVE),
            ValueError,
            r"got shape \(3, 5\)",
        ),
        (lambda: viterbi([_E], _LOOP, STAY[:5], LEAVE), ValueError, r"shapes \(5,\) and \(6,\)"),
        (lambda: viterbi([_E], _LOOP, STAY, -LEAVE), ValueError, "log_leave must hold log prob"),
        (lambda: viterbi([_E], _LOOP, STAY * np.nan, LEAVE), ValueError, "log_stay must hold"),
        (lambda: viterbi([_E], ["loop"], STAY, LEAVE), TypeError, r"grammars\[0\] must be a Gra"),
        (
            lambda: viterbi([np.zeros((3, 4))], _LOOP, STAY[:4], LEAVE[:4]),
            ValueError,
            r"grammars\[0\] uses state 5, but there are 4 states",
        ),
        (lambda: transcript_grammar(WORDS, SILENCE, []), ValueError, "at least one word"),
        (lambda: transcript_grammar(WORDS, SILENCE, [0, 3]), ValueError, r"0-2 .*got \[3\]"),
        (lambda: transcript_grammar(WORDS, SILENCE, [-1]), ValueError, r"got \[-1\]"),
        (lambda: transcript_grammar(WORDS, [], [0]), ValueError, "silence must be a non-empty"),
        (lambda: loop_grammar([], SILENCE), ValueError, "word_states is empty"),
        (lambda: loop_grammar([[0], []], SILENCE), ValueError, r"word_states\[1\] must be"),
        (lambda: loop_grammar([[0.5]], SILENCE), ValueError, r"word_states\[0\] must be"),
        (lambda: loop_grammar([[-1]], SILENCE), ValueError, r"ints >= 0\), got \[-1\]"),
        (lambda: loop_grammar(WORDS, SILENCE, np.nan), ValueError, "insertion_penalty must be"),
        (lambda: loop_grammar(WORDS, SILENCE, np.inf), ValueError, "finite log value"),
        (lambda: one_word_grammar(WORDS, [[5]]), ValueError, "silence must be a non-empty list"),
        (
            lambda: Grammar(((0,),), (-1,), np.zeros((2, 2)), np.zeros(1), np.zeros(1)),
            ValueError,
            r"Grammar.enter must be log costs of shape \(1, 1\)",
        ),
        (
            lambda: Grammar(((0,),), (-1,), np.zeros((1, 1)), np.full(1, np.nan), np.zeros(1)),
            ValueError,
            "no NaN or \\+inf",
        ),
        (lambda: Grammar((), (), np.zeros((0, 0)), [], []), ValueError, "1\\+ segments"),
    ],
)
def test_bad_input_is_explained(call, error, message):
    with pytest.raises(error, match=message):
        call()


def test_valid_edge_cases_give_meaningful_results():
    assert viterbi([], _LOOP, STAY, LEAVE) == [], "no utterances, no paths"
    impossible = viterbi([np.full((3, 6), -np.inf)], _LOOP, STAY, LEAVE)[0]
    assert impossible.score == -np.inf and impossible.segments == (), "documented: no path"
    assert impossible.words(_LOOP) == []
