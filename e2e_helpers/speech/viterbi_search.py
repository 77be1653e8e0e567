"""Viterbi search over a grammar of HMM segments: forced alignment and connected-word decoding in
one pass.

The search is written out by hand, not taken from hmmlearn, because the course teaches how a
recogniser turns frame scores into words.

A :class:`Grammar` is a small graph of *segments* (a word, as the chain of
its phones' HMM states, or a silence). Inside a segment a path stays in a
state or moves to the next one; from a segment's last state it may *enter*
any segment the grammar allows, paying that transition's cost (for words:
the word-insertion penalty). :func:`viterbi` finds, for many utterances at
once, the single best path through the grammar's states, frame by frame,
with no segmentation beforehand: where one word ends and the next begins is
part of what it finds. Three grammars cover a recogniser's needs:

* :func:`transcript_grammar`: the words of a known transcript, in order, with
  optional silences (training by forced alignment);
* :func:`loop_grammar`: any digit, any number of times, optional silence
  between words (connected digits);
* :func:`one_word_grammar`: exactly one word, with optional silence around it
  (isolated words).

Every input is checked before the search: state chains of ints, finite
grammar costs, one ``(frames, states)`` array of log-likelihoods per
utterance with no NaN or ``+inf`` (``-inf``, "impossible", is allowed).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

__all__ = [
    "Grammar",
    "transcript_grammar",
    "loop_grammar",
    "viterbi",
]

_BLOCKED = -np.inf


@dataclass(frozen=True)
class Grammar:
    """Segments of HMM states and the allowed moves between them (log costs, ``-inf``: not allowed).

    ``segments[g]``: the state indices of segment *g* in order; ``labels[g]``:
    what it stands for (a digit, or -1 for silence); ``enter[f, g]``: the
    cost of entering *g* from the end of *f*; ``start[g]`` / ``end[g]``:
    the cost of starting in / ending after *g*.
    """

    segments: tuple[tuple[int, ...], ...]
    labels: tuple[int, ...]
    enter: np.ndarray
    start: np.ndarray
    end: np.ndarray

    def __post_init__(self) -> None:
        n = len(self.segments)
        if not n or any(not len(s) for s in self.segments) or len(self.labels) != n:
            raise ValueError(
                f"a Grammar needs 1+ segments, each of 1+ states, and one label per segment, got "
                f"{n} segments and {len(self.labels)} labels."
            )
        for name, shape in (("enter", (n, n)), ("start", (n,)), ("end", (n,))):
            cost = np.asarray(getattr(self, name), dtype=np.float64)
            if cost.shape != shape or np.isnan(cost).any() or np.isposinf(cost).any():
                raise ValueError(
                    f"Grammar.{name} must be log costs of shape {shape} (numbers or -inf for not "
                    f"allowed, no NaN or +inf), got shape {cost.shape}."
                )

    @property
    def states(self) -> np.ndarray:
        """The state index of every node (all segments' states, concatenated)."""
        return np.concatenate([np.asarray(s, dtype=int) for s in self.segments])

    @property
    def first(self) -> np.ndarray:
        """The node index where each segment begins."""
        return np.cumsum([0] + [len(s) for s in self.segments[:-1]])

    @property
    def last(self) -> np.ndarray:
        """The node index where each segment ends."""
        return np.cumsum([len(s) for s in self.segments]) - 1


@dataclass(frozen=True)
class BestPath:
    """The best path of one utterance: its node per frame, its score, and the segments it went
    through."""

    nodes: np.ndarray  # (n_frames,) node index
    score: float  # total log probability (emissions, transitions, grammar costs)
    segments: tuple[tuple[int, int, int], ...]  # (segment, first frame, end frame), in order

    def words(self, grammar: Grammar) -> list[int]:
        """The labels of the word segments passed (silences left out)."""
        return [grammar.labels[g] for g, _, _ in self.segments if grammar.labels[g] >= 0]


def _costs(n: int) -> np.ndarray:
    return np.full(n, _BLOCKED)


def _check_chains(word_states: Sequence[Sequence[int]], silence: Sequence[int]) -> None:
    """Refuse state chains that are not non-empty lists of state indices."""
    if not len(word_states):
        raise ValueError("word_states is empty: pass one chain of state indices per word.")
    named = [(f"word_states[{i}]", s) for i, s in enumerate(word_states)] + [("silence", silence)]
    for name, chain in named:
        values = np.asarray(chain)
        if (
            values.ndim != 1
            or not len(values)
            or values.dtype.kind not in "iu"
            or (values < 0).any()
        ):
            raise ValueError(
                f"{name} must be a non-empty list of state indices (ints >= 0), got {chain!r:.60}."
            )


def transcript_grammar(
    word_states: Sequence[Sequence[int]], silence: Sequence[int], words: Sequence[int]
) -> Grammar:
    """The transcript *words*, in order, with an optional silence before, between and after them.

    *word_states*: the state chain of each digit's word; *silence*: the
    silence model's states.
    """
    if not len(words):
        raise ValueError("a transcript needs at least one word.")
    _check_chains(word_states, silence)
    bad = [
        w for w in words if not isinstance(w, (int, np.integer)) or not 0 <= w < len(word_states)
    ]
    if bad:
        raise ValueError(
            f"words must be word indices 0-{len(word_states) - 1} (one per state chain), got {bad}."
        )
    segments, labels = [tuple(silence)], [-1]
    for w in words:
        segments += [tuple(word_states[w]), tuple(silence)]
        labels += [int(w), -1]
    n = len(segments)
    enter = np.full((n, n), _BLOCKED)
    for g in range(n - 1):
        enter[g, g + 1] = 0.0  # the next segment
        if labels[g] >= 0 and g + 2 < n:
            enter[g, g + 2] = 0.0  # a word straight into the next word, skipping the silence
    start, end = _costs(n), _costs(n)
    start[:2] = 0.0
    end[-2:] = 0.0
    return Grammar(tuple(segments), tuple(labels), enter, start, end)


def loop_grammar(
    word_states: Sequence[Sequence[int]], silence: Sequence[int], insertion_penalty: float = 0.0
) -> Grammar:
    """Any word, any number of times, optional silence between words and at both ends.

    Entering a word costs *insertion_penalty* (a log value; negative
    discourages short spurious words).
    """
    _check_chains(word_states, silence)
    if not isinstance(insertion_penalty, (int, float, np.number)) or not np.isfinite(
        insertion_penalty
    ):
        raise ValueError(
            f"insertion_penalty must be a finite log value (e.g. -2.0), got {insertion_penalty!r}."
        )
    n = len(word_states) + 1  # segment 0: silence
    segments = (tuple(silence),) + tuple(tuple(s) for s in word_states)
    enter = np.full((n, n), float(insertion_penalty))
    enter[:, 0] = 0.0
    enter[0, 0] = _BLOCKED  # silence does not follow silence
    start = np.full(n, float(insertion_penalty))
    start[0] = 0.0
    end = np.zeros(n)
    return Grammar(segments, (-1,) + tuple(range(len(word_states))), enter, start, end)


def one_word_grammar(word_states: Sequence[Sequence[int]], silence: Sequence[int]) -> Grammar:
    """Exactly one word, with optional silence before and after it."""
    _check_chains(word_states, silence)
    w = len(word_states)
    n = w + 2  # silence, the words, silence
    segments = (tuple(silence),) + tuple(tuple(s) for s in word_states) + (tuple(silence),)
    enter = np.full((n, n), _BLOCKED)
    enter[0, 1 : w + 1] = 0.0
    enter[1 : w + 1, w + 1] = 0.0
    start, end = _costs(n), _costs(n)
    start[: w + 1] = 0.0
    end[1:] = 0.0
    return Grammar(segments, (-1,) + tuple(range(w)) + (-1,), enter, start, end)


def viterbi(
    emissions: Sequence[np.ndarray],
    grammars: Grammar | Sequence[Grammar],
    log_stay: np.ndarray,
    log_leave: np.ndarray,
) -> list[BestPath]:
    """The best path of every utterance through its grammar.

    *emissions*: per utterance ``(n_frames, n_states)`` log-likelihoods;
    *grammars*: one for all utterances or one each; *log_stay* / *log_leave*:
    each state's log probability of staying another frame / moving on.
    An utterance no path can explain gets score ``-inf`` and no segments;
    no utterances give no paths.
    """
    if isinstance(grammars, Grammar):
        grammars = [grammars] * len(emissions)
    if len(grammars) != len(emissions):
        raise ValueError(
            f"need one grammar per utterance, got {len(grammars)} grammars for {len(emissions)} "
            f"utterances."
        )
    log_stay, log_leave = _log_probabilities(log_stay, log_leave)
    emissions = [_emission(e, i, len(log_stay)) for i, e in enumerate(emissions)]
    for i, g in enumerate(grammars):
        if not isinstance(g, Grammar):
            raise TypeError(f"grammars[{i}] must be a Grammar, got {type(g).__name__}.")
        if g.states.max() >= len(log_stay):
            raise ValueError(
                f"grammars[{i}] uses state {g.states.max()}, but there are {len(log_stay)} states."
            )
    if not len(emissions):
        return []
    paths: list[BestPath | None] = [None] * len(emissions)
    order = np.argsort([len(e) for e in emissions], kind="stable")
    for chunk in np.array_split(order, max(1, int(np.ceil(len(order) / 256)))):
        found = _batch(
            [emissions[i] for i in chunk],
            [grammars[i] for i in chunk],
            np.asarray(log_stay),
            np.asarray(log_leave),
        )
        for i, path in zip(chunk, found):
            paths[i] = path
    return paths  # type: ignore[return-value]


def _log_probabilities(log_stay: object, log_leave: object) -> tuple[np.ndarray, np.ndarray]:
    stay, leave = np.asarray(log_stay, dtype=np.float64), np.asarray(log_leave, dtype=np.float64)
    for name, values in (("log_stay", stay), ("log_leave", leave)):
        if values.ndim != 1 or not len(values) or values.shape != stay.shape:
            raise ValueError(
                "log_stay and log_leave must be 1-D, one log probability per state, of one "
                f"length, got shapes {stay.shape} and {leave.shape}."
            )
        if np.isnan(values).any() or (values > 0).any():
            raise ValueError(f"{name} must hold log probabilities (<= 0, no NaN): take np.log(p).")
    return stay, leave


def _emission(e: object, i: int, n_states: int) -> np.ndarray:
    e = np.asarray(e)
    if e.ndim != 2 or e.shape[1] != n_states or e.dtype.kind not in "iuf":
        raise ValueError(
            f"emissions[{i}] must be a (frames, {n_states}) array of log-likelihoods (one column "
            f"per state), got shape {e.shape}."
        )
    if not len(e):
        raise ValueError(f"emissions[{i}] has no frames: every utterance needs at least one frame.")
    if np.isnan(e).any() or np.isposinf(e).any():
        raise ValueError(
            f"emissions[{i}] holds NaN or +inf: log-likelihoods are numbers or -inf (impossible)."
        )
    return e


def _batch(
    emissions: list[np.ndarray],
    grammars: list[Grammar],
    log_stay: np.ndarray,
    log_leave: np.ndarray,
) -> list[BestPath]:
    """:func:`viterbi` for a batch, all utterances advanced together frame by frame (padded)."""
    b_size = len(emissions)
    lengths = np.array([len(e) for e in emissions])
    if lengths.min() < 1:
        raise ValueError("every utterance needs at least one frame.")
    n_nodes = max(len(g.states) for g in grammars)
    n_segs = max(len(g.segments) for g in grammars)
    n_states = emissions[0].shape[1]
    # per utterance: node -> state (padding: an extra state that emits nothing), segment tables
    node_state = np.full((b_size, n_nodes), n_states)
    first, last = np.zeros((b_size, n_segs), dtype=int), np.zeros((b_size, n_segs), dtype=int)
    segment_of = np.zeros((b_size, n_nodes), dtype=int)
    enter = np.full((b_size, n_segs, n_segs), _BLOCKED)
    start, end = np.full((b_size, n_segs), _BLOCKED), np.full((b_size, n_segs), _BLOCKED)
    for b, g in enumerate(grammars):
        k, m = len(g.states), len(g.segments)
        node_state[b, :k] = g.states
        first[b, :m], last[b, :m] = g.first, g.last
        segment_of[b, :k] = np.repeat(np.arange(m), [len(s) for s in g.segments])
        enter[b, :m, :m], start[b, :m], end[b, :m] = g.enter, g.start, g.end
    is_first = np.zeros((b_size, n_nodes), dtype=bool)
    np.put_along_axis(is_first, first, True, axis=1)
    stay = np.append(log_stay, _BLOCKED)[node_state]
    leave = np.append(log_leave, _BLOCKED)[node_state]
    emit = np.full((b_size, lengths.max(), n_nodes), _BLOCKED, dtype=np.float32)
    for b, e in enumerate(emissions):
        emit[b, : len(e)] = np.append(e, np.full((len(e), 1), _BLOCKED), axis=1)[:, node_state[b]]
    rows = np.arange(b_size)[:, None]

    delta = np.full((b_size, n_nodes), _BLOCKED)
    delta[rows, first] = start
    delta += emit[:, 0]
    # 0 stay, 1 next node, 2 entered
    moves = np.zeros((b_size, lengths.max(), n_nodes), dtype=np.int8)
    came_from = np.zeros((b_size, lengths.max(), n_segs), dtype=np.int16)
    final = np.full(b_size, _BLOCKED)
    final_segment = np.zeros(b_size, dtype=int)

    def finish(done: np.ndarray) -> None:
        scores = (delta + leave)[rows, last][done] + end[done]
        final[done], final_segment[done] = scores.max(axis=1), scores.argmax(axis=1)

    finish(lengths == 1)
    not_first = ~is_first[:, 1:]
    first_flat = (first + rows * n_nodes).ravel()
    for t in range(1, lengths.max()):
        stayed = delta + stay
        forward = np.full_like(delta, _BLOCKED)
        np.add(delta[:, :-1], leave[:, :-1], out=forward[:, 1:], where=not_first)
        exits = np.take_along_axis(delta + leave, last, axis=1)  # (B, G)
        candidates = exits[:, :, None] + enter  # (B, from, to)
        origin = candidates.argmax(axis=1)
        entries = np.full(b_size * n_nodes, _BLOCKED)
        entries[first_flat] = np.take_along_axis(candidates, origin[:, None], axis=1).ravel()
        entries = entries.reshape(b_size, n_nodes)
        best = np.maximum(stayed, forward)
        code = (forward > stayed).astype(np.int8)
        entered = entries > best
        code[entered] = 2
        moves[:, t], came_from[:, t] = code, origin
        delta = np.maximum(best, entries) + emit[:, t]
        finish(lengths - 1 == t)
    return _trace(
        lengths, final, last[np.arange(b_size), final_segment], moves, came_from, segment_of, last
    )


def _trace(
    lengths: np.ndarray,
    scores: np.ndarray,
    start_nodes: np.ndarray,
    moves: np.ndarray,
    came_from: np.ndarray,
    segment_of: np.ndarray,
    last: np.ndarray,
) -> list[BestPath]:
    """Follow every utterance's back-pointers from its best final node to frame 0, all utterances at
    once."""
    b_size, n_frames = len(lengths), moves.shape[1]
    rows = np.arange(b_size)
    nodes = np.full((b_size, n_frames), -1)
    entered = np.zeros((b_size, n_frames), dtype=bool)
    node = start_nodes.copy()
    for t in range(n_frames - 1, -1, -1):
        active = t < lengths
        nodes[active, t] = node[active]
        if t == 0:
            break
        move = np.where(active, moves[rows, t, node], 0)
        entered[:, t] = move == 2
        origin = last[rows, came_from[rows, t, segment_of[rows, node]]]
        node = np.where(move == 1, node - 1, np.where(move == 2, origin, node))
    paths = []
    for b, length in enumerate(lengths):
        if not np.isfinite(scores[b]):
            paths.append(BestPath(np.full(length, -1), float(scores[b]), ()))
            continue
        bounds = [0, *np.flatnonzero(entered[b, :length]).tolist(), int(length)]
        segments = tuple(
            (int(segment_of[b, nodes[b, s]]), int(s), int(e))
            for s, e in zip(bounds[:-1], bounds[1:])
        )
        paths.append(BestPath(nodes[b, :length].copy(), float(scores[b]), segments))
    return paths
