"""The traditional recogniser: phone HMMs with Gaussian-mixture states, trained from transcripts.

Embedded Viterbi training is written out by hand because the course teaches how phone models are
trained from word transcripts alone (hmmlearn trains one HMM per sequence, with no lexicon or
grammar).

The chain the textbooks describe, MFCC -> phones -> words -> text::

    audio -> MFCC + deltas (CMVN) -> phone HMMs (3 states, GMMs) -> lexicon
          -> digit-loop Viterbi -> text

* every phone of the lexicon (:mod:`~e2e_helpers.speech.lexicon`) and the
  silence get a left-to-right HMM of three emitting states, each with a
  diagonal-covariance Gaussian mixture (:mod:`~e2e_helpers.speech.gaussian_mixtures`);
* **training needs no phone labels**: each training utterance's transcript,
  spelled in phones by the lexicon, becomes one long chain of phone models
  (with optional silences); the models start equal (a *flat start*, every
  state the global mean and variance), the frames are first shared out
  evenly along each chain, and then, round after round, every utterance is
  re-aligned to its chain by Viterbi and every state re-estimated from the
  frames aligned to it, with mixtures grown by splitting ("embedded"
  Viterbi training, as Kaldi's monophone recipe);
* **decoding needs no segmentation**: one Viterbi pass over a digit-loop
  grammar (:mod:`~e2e_helpers.speech.viterbi_search`) finds the words and where they
  lie at once; a word-insertion penalty balances deletions and insertions.

The recogniser is a scikit-learn estimator (``fit(X, y)``, ``predict``,
``score`` = sentence accuracy, ``get_params`` / ``set_params`` / ``clone``).
The training is written out by hand on purpose: it is what the course teaches.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace

import numpy as np
from sklearn.base import BaseEstimator
from sklearn.utils.validation import check_is_fitted

from .._checks import Check, Interval
from ._embedded_training import aligned_states, checked_candidates, even_alignment
from ._transcriber import Transcriber, check_digit_sequences, check_waves
from .audio import check_wave
from .digit_strings import DIGIT_WORDS, digits_to_text
from .gaussian_mixtures import StateMixtures
from .lexicon import MODELS, PHONES, PRONUNCIATIONS, SILENCE
from .model_inputs import mfcc_deltas, normalize_frames
from .viterbi_search import (
    BestPath,
    Grammar,
    loop_grammar,
    one_word_grammar,
    transcript_grammar,
    viterbi,
)

__all__ = ["PhoneHMMRecognizer"]

#: How the frames are normalised: per utterance (CMVN) or with the training set's statistics.
NORMALIZATIONS = ("utterance", "global")
_STAY_RANGE = (0.05, 0.95)  # self-loop probabilities are kept inside this range


@dataclass(frozen=True)
class Alignment:
    """Where each phone and word of an utterance lies, in 10 ms frames ``[start, end)``."""

    phones: tuple[tuple[str, int, int], ...]
    words: tuple[tuple[str, int, int], ...]
    score: float


class PhoneHMMRecognizer(Transcriber, BaseEstimator):
    """Connected-digit recogniser from phone HMMs, trained on (audio, digit transcript) pairs.

    Parameters: ``units`` the models, ``"phone"`` (one HMM per phone of the
    lexicon, shared by the words) or ``"word"`` (whole-word models, as
    classic digit recognisers had: each word its own chain of states, as
    long as its phones' chain); ``n_states`` emitting states per phone; ``n_components``
    Gaussians per state at the end of training (doubled by splitting, from
    1); ``rounds_per_size`` alignment rounds at each mixture size;
    ``insertion_penalty`` the log cost of starting a word (see
    :meth:`tune_insertion_penalty`); ``normalization`` see :meth:`features`;
    ``sample_rate`` the rate of the
    recordings it hears (a :class:`~e2e_helpers.speech.audio.Waveform` at
    another rate is refused by every method that takes recordings).
    Training has no random step: the same data gives the same models (so
    there is no ``random_state``).

    Attributes after ``fit``: ``mixtures_`` (each state's Gaussian mixture),
    ``log_stay_`` (each state's log self-loop probability) and ``history_``.
    """

    _parameter_constraints = {
        "units": [Check(lambda u: u in ("phone", "word"), "'phone' or 'word'")],
        "n_states": [Interval(int, 1, 10)],
        "normalization": [Check(lambda n: n in NORMALIZATIONS, "'utterance' or 'global'")],
        "n_components": [Interval(int, 1, 64)],
        "rounds_per_size": [Interval(int, 1, 20)],
        "insertion_penalty": [Interval(float)],
        "sample_rate": [Interval(int, 1000)],
    }

    def __init__(
        self,
        units: str = "phone",
        n_states: int = 3,
        n_components: int = 8,
        rounds_per_size: int = 2,
        insertion_penalty: float = 0.0,
        normalization: str = "utterance",
        sample_rate: int = 8000,
    ) -> None:
        self.units = units
        self.n_states = n_states
        self.n_components = n_components
        self.rounds_per_size = rounds_per_size
        self.insertion_penalty = insertion_penalty
        self.normalization = normalization
        self.sample_rate = sample_rate

    # -- the front end
    def features(self, waves: Sequence[np.ndarray]) -> list[np.ndarray]:
        """``(n_frames, 39)`` per recording: MFCC + deltas + delta-deltas, normalised.

        ``normalization="utterance"``: each recording's own mean and variance
        removed (CMVN); ``"global"``: once fitted, the training frames' mean
        and standard deviation (``mean_``, ``std_``) removed from every frame.
        """
        check_waves(waves, self.sample_rate, name="waves")
        frames = [mfcc_deltas(w, self.sample_rate) for w in waves]
        if self.normalization == "utterance":
            return [normalize_frames(f) for f in frames]
        if not hasattr(self, "mean_"):
            return frames
        return [(f - self.mean_) / self.std_ for f in frames]

    # -- the models, state by state
    def _unit_names(self) -> list[str]:
        """One name per unit of *n_states* states: each phone, or each word's phone slots.

        Whole-word units give every word its own states, as many as its
        phones times ``n_states`` (named ``six.1`` ... ``six.4``); silence last.
        """
        if self.units == "phone":
            return list(MODELS)
        slots = [f"{w}.{k + 1}" for w, p in zip(DIGIT_WORDS, PRONUNCIATIONS) for k in range(len(p))]
        return [*slots, SILENCE]

    def _word_states(self) -> list[list[int]]:
        names, n = self._unit_names(), self.n_states
        if self.units == "phone":
            units = [[names.index(p) for p in word] for word in PRONUNCIATIONS]
        else:
            units = [
                [names.index(f"{w}.{k + 1}") for k in range(len(p))]
                for w, p in zip(DIGIT_WORDS, PRONUNCIATIONS)
            ]
        return [[u * n + k for u in word for k in range(n)] for word in units]

    def _silence_states(self) -> list[int]:
        start = self._unit_names().index(SILENCE) * self.n_states
        return list(range(start, start + self.n_states))

    @property
    def hop_length(self) -> int:
        """Samples from one feature frame to the next (:func:`mfcc_deltas`' 10 ms).

        Frame k starts at sample ``k * hop_length``.
        """
        return int(round(self.sample_rate * 10.0 / 1000))

    @property
    def phone_models(self) -> int:
        """How many HMM units the recogniser has (phones or word slots; silence not counted)."""
        return len(self._unit_names()) - 1

    # -- training
    def fit(
        self,
        X: Sequence[np.ndarray],
        y: Sequence[Sequence[int]],
        features: list[np.ndarray] | None = None,
    ) -> PhoneHMMRecognizer:
        """Embedded Viterbi training from a flat start on recordings *X* and their digits *y*.

        See the module docstring. *features*: the frames of *X* from
        :meth:`features`, if already computed. ``history_`` records, per
        round, the mixture size and the average log-likelihood per frame of
        the training alignments.
        """
        fitted = ("mixtures_", "log_stay_", "history_", "mean_", "std_")
        transcripts, feats = self._start_fit(X, y, features, fitted)
        if self.normalization == "global":
            stacked = np.vstack(feats)
            self.mean_, self.std_ = stacked.mean(axis=0), stacked.std(axis=0) + 1e-5
            feats = [(f - self.mean_) / self.std_ for f in feats]
        words, silence = self._word_states(), self._silence_states()
        grammars = [transcript_grammar(words, silence, seq) for seq in transcripts]
        frames = np.vstack(feats)
        n_total = len(self._unit_names()) * self.n_states
        self.mixtures_ = StateMixtures.flat_start(frames, n_total)
        self.log_stay_ = np.full(n_total, np.log(0.5))
        states = np.concatenate([even_alignment(g, len(f)) for g, f in zip(grammars, feats)])
        history: list[dict[str, float]] = []
        sizes = [
            min(2**k, self.n_components)
            for k in range(int(np.ceil(np.log2(self.n_components))) + 1)
        ]
        rounds = [
            (size, r == 0 and size > 1) for size in sizes for r in range(self.rounds_per_size)
        ]
        for k, (size, split) in enumerate(rounds):
            self.mixtures_ = self.mixtures_.reestimate(frames, states, split=split)
            self._estimate_transitions(states, [len(f) for f in feats])
            if k < len(rounds) - 1:  # re-align for the next round
                paths = viterbi(
                    self.mixtures_.log_likelihoods_each(feats),
                    grammars,
                    self.log_stay_,
                    self._log_leave(),
                )
                states, kept = aligned_states(paths, grammars, feats)
                history.append(
                    {"components": float(size), "log_likelihood_per_frame": float(np.mean(kept))}
                )
        self.history_ = history
        return self

    def __sklearn_is_fitted__(self) -> bool:
        """True once a fit has finished."""
        return hasattr(self, "history_")

    def _log_leave(self) -> np.ndarray:
        return np.log1p(-np.exp(self.log_stay_))

    def _estimate_transitions(self, states: np.ndarray, lengths: list[int]) -> None:
        """Self-loop probability of every state: frames spent in it that were followed by itself."""
        n_total = len(self.log_stay_)
        ends = np.cumsum(lengths) - 1
        same = np.append(states[1:] == states[:-1], False)
        same[ends] = False
        visits = np.bincount(states, minlength=n_total) + 2.0
        stays = np.bincount(states[same], minlength=n_total) + 1.0
        self.log_stay_ = np.log(np.clip(stays / visits, *_STAY_RANGE))

    # -- decoding
    def grammar(self, kind: str = "loop") -> Grammar:
        """The decoding grammar: ``"loop"`` (connected digits), ``"word"`` (one digit) or
        ``"phone"`` (any unit after any other, no lexicon; its labels index ``PHONES``: a
        whole-word slot such as ``six.2`` stands for its phone, ``IH``)."""
        if kind == "loop":
            return self._loop(self.insertion_penalty)
        if kind == "word":
            return one_word_grammar(self._word_states(), self._silence_states())
        if kind == "phone":
            units, n = self._unit_names()[:-1], self.n_states
            chains = [[u * n + k for k in range(n)] for u in range(len(units))]
            loop = loop_grammar(chains, self._silence_states(), self.insertion_penalty)
            return replace(loop, labels=(-1, *[PHONES.index(_phone(u)) for u in units]))
        raise ValueError(
            f"grammar must be 'loop' (connected digits), 'word' (one digit) or 'phone' (a phone "
            f"loop), got {kind!r}."
        )

    def _loop(self, insertion_penalty: float) -> Grammar:
        return loop_grammar(self._word_states(), self._silence_states(), insertion_penalty)

    def decode(
        self,
        waves: Sequence[np.ndarray],
        kind: str = "loop",
        features: list[np.ndarray] | None = None,
    ) -> list[BestPath]:
        """The best path of each utterance through the grammar *kind* (see :meth:`grammar`).

        *features*: the frames of *waves* from :meth:`features`, if already computed.
        """
        check_is_fitted(self)
        grammar = self.grammar(kind)
        return self._decode(grammar, waves, features)

    def _decode(
        self, grammar: Grammar, waves: Sequence[np.ndarray], features: list[np.ndarray] | None
    ) -> list[BestPath]:
        if features is not None and len(features) != len(waves):
            raise ValueError(
                f"features must hold one array of frames per recording, got {len(features)} "
                f"for {len(waves)} recordings: pass the output of features(waves), or None."
            )
        feats = features if features is not None else self.features(waves)
        emissions = self.mixtures_.log_likelihoods_each(feats)
        return viterbi(emissions, grammar, self.log_stay_, self._log_leave())

    def predict_digits(self, X: Sequence[np.ndarray]) -> list[list[int]]:
        """The digits heard in each utterance (digit-loop grammar)."""
        check_is_fitted(self)
        grammar = self.grammar("loop")
        return [path.words(grammar) for path in self._decode(grammar, X, None)]

    def classify(self, waves: Sequence[np.ndarray]) -> np.ndarray:
        """The one digit of each isolated recording (one-word grammar).

        -1 for a recording too short for any word (fewer frames than one word's states).
        """
        check_is_fitted(self)
        grammar = self.grammar("word")
        words = [path.words(grammar) for path in self._decode(grammar, waves, None)]
        return np.array([found[0] if found else -1 for found in words])

    def tune_insertion_penalty(
        self,
        waves: Sequence[np.ndarray],
        digit_sequences: Sequence[Sequence[int]],
        candidates: Sequence[float] = (-1280.0, -640.0, -320.0, -160.0, -80.0, -40.0, -20.0, 0.0),
    ) -> dict[float, float]:
        """Choose ``insertion_penalty`` on validation strings; returns each candidate's accuracy.

        The accuracy is the sentence accuracy on *waves* and their *digit_sequences*.

        The best candidate is kept, as ``set_params(insertion_penalty=...)``
        would (ties: the one closest to 0). Pass strings carved from the
        training data, never test strings.
        """
        check_is_fitted(self)
        check_waves(waves, self.sample_rate, name="waves")
        truth = check_digit_sequences(
            digit_sequences,
            len(waves),
            name="digit_sequences",
            waves_name="waves",
            allow_empty=True,
        )
        penalties = checked_candidates(candidates)
        feats = self.features(waves)
        scores = {}
        for penalty in penalties:
            grammar = self._loop(penalty)
            found = [p.words(grammar) for p in self._decode(grammar, waves, feats)]
            scores[penalty] = float(np.mean([f == t for f, t in zip(found, truth)]))
        self.set_params(insertion_penalty=max(scores, key=lambda p: (scores[p], -abs(p))))
        return scores

    def align(self, wave: np.ndarray, digits: Sequence[int]) -> Alignment:
        """Forced alignment of one utterance to its transcript: where each phone and word lies."""
        check_is_fitted(self)
        check_wave(wave, sample_rate=self.sample_rate)
        (transcript,) = check_digit_sequences([digits], 1, name="digits", waves_name="wave")
        feats = self.features([wave])
        grammar = transcript_grammar(self._word_states(), self._silence_states(), transcript)
        path = viterbi(
            [self.mixtures_.log_likelihoods(feats[0])], grammar, self.log_stay_, self._log_leave()
        )[0]
        if not np.isfinite(path.score):
            raise ValueError(
                f"the recording ({len(feats[0])} frames) is too short for "
                f"{digits_to_text(transcript)!r}."
            )
        # every segment is whole phones: one number per phone passed
        instance = path.nodes // self.n_states
        cuts = np.flatnonzero(np.diff(instance)) + 1
        bounds = [0, *cuts.tolist(), len(instance)]
        models, names = grammar.states[path.nodes] // self.n_states, self._unit_names()
        phones = tuple((names[models[s]], int(s), int(e)) for s, e in zip(bounds[:-1], bounds[1:]))
        words = tuple(
            (digits_to_text([grammar.labels[g]]), s, e)
            for g, s, e in path.segments
            if grammar.labels[g] >= 0
        )
        return Alignment(phones, words, path.score)


def _phone(unit: str) -> str:
    """The phone a unit stands for: itself, or a whole-word slot's (``six.2`` -> ``IH``)."""
    if "." not in unit:
        return unit
    word, slot = unit.split(".")
    return PRONUNCIATIONS[DIGIT_WORDS.index(word)][int(slot) - 1]
