"""The two speech recognisers of the course, with scikit-learn style ``fit``/``predict``.

Traditional chain (:class:`HMMDigitRecognizer`, :class:`SegmentingRecognizer`)::

    audio -> MFCC (+ deltas) -> phone-like units -> word models (HMMs) -> lexicon -> text

Real systems map frames to *phonemes* learned from phoneme-labelled speech.
FSDD has no phoneme labels, so the units here are a k-means codebook over
MFCC frames: each frame becomes the index of its nearest of ``n_units``
prototype sounds ("vector quantisation", as in the discrete HMM recognisers
of the 1980s). Each digit gets a left-to-right discrete HMM over these units,
trained by Viterbi re-alignment (segmental k-means); a recording is the word
whose HMM explains its unit sequence best, and the lexicon turns the word
into text. For strings, energy-based voice activity detection cuts the audio
into words first.

End-to-end (:class:`CTCRecognizer`)::

    audio -> log-mel -> one network -> per-frame token probabilities -> CTC decoding -> text
"""

from __future__ import annotations

from typing import Any, Sequence

import numpy as np
import torch
from sklearn.cluster import KMeans

from .. import config
from .audio import energy_vad
from .ctc import ctc_speech_net, fit_ctc, greedy_decode, pad_batch
from .digit_strings import digits_to_text
from .features import log_mel_batch, mfcc_with_deltas

__all__ = ["HMMDigitRecognizer", "SegmentingRecognizer", "CTCRecognizer"]


def _peak_normalized(wave: np.ndarray) -> np.ndarray:
    peak = float(np.max(np.abs(wave))) if len(wave) else 0.0
    return np.asarray(wave, dtype=np.float32) / (peak or 1.0)


def _check_waves(waves: Sequence[np.ndarray]) -> None:
    if isinstance(waves, np.ndarray) and waves.ndim == 1:
        raise TypeError("expected a list of recordings (1-D arrays); wrap a single recording in a list: [wave].")
    if not len(waves):
        raise ValueError("expected at least one recording.")


class HMMDigitRecognizer:
    """Isolated-digit recogniser: MFCC -> k-means units -> one discrete left-to-right HMM per digit.

    Parameters: ``n_units`` codebook size, ``n_states`` HMM states per word,
    ``n_iter`` Viterbi re-alignment rounds, ``smoothing`` added to every
    unit count (so unseen units are unlikely, not impossible).
    """

    def __init__(self, n_units: int = 256, n_states: int = 10, n_iter: int = 6, smoothing: float = 0.5, sample_rate: int = 8000, seed: int = 0) -> None:
        self.n_units, self.n_states, self.n_iter = n_units, n_states, n_iter
        self.smoothing, self.sample_rate, self.seed = smoothing, sample_rate, seed

    # -- stage 1 and 2: features and units
    def features(self, waves: Sequence[np.ndarray]) -> list[np.ndarray]:
        """MFCC + deltas of each recording."""
        return [mfcc_with_deltas(w, self.sample_rate) for w in waves]

    def units(self, waves: Sequence[np.ndarray]) -> list[np.ndarray]:
        """The phone-like unit index of every frame of each recording."""
        self._check_fitted()
        return [self.codebook_.predict(f) for f in self.features(waves)]

    # -- training
    def fit(self, waves: Sequence[np.ndarray], digits: Sequence[int]) -> HMMDigitRecognizer:
        """Learn the codebook from all frames, then one HMM per digit."""
        _check_waves(waves)
        digits = np.asarray(digits)
        if len(digits) != len(waves):
            raise ValueError(f"need one digit per recording, got {len(waves)} recordings and {len(digits)} digits.")
        self.classes_ = np.unique(digits)
        feats = self.features(waves)
        frames = np.vstack(feats)
        rng = np.random.default_rng(self.seed)
        sample = frames[rng.choice(len(frames), size=min(len(frames), 40_000), replace=False)]
        self.codebook_ = KMeans(self.n_units, n_init=1, random_state=self.seed).fit(sample)
        sequences = [self.codebook_.predict(f) for f in feats]
        n_states = self.n_states
        self.log_emit_ = np.zeros((len(self.classes_), n_states, self.n_units))
        self.log_stay_ = np.zeros((len(self.classes_), n_states))
        for w, digit in enumerate(self.classes_):
            seqs = [self._stretch(s) for s, d in zip(sequences, digits) if d == digit]
            paths = [np.minimum(np.arange(len(s)) * n_states // len(s), n_states - 1) for s in seqs]
            for _ in range(self.n_iter):
                self._estimate(w, seqs, paths)
                paths = self._align(w, seqs)
            self._estimate(w, seqs, paths)
        return self

    def _stretch(self, units: np.ndarray) -> np.ndarray:
        """Repeat frames of a sequence shorter than the number of states, so every HMM can explain it."""
        if len(units) >= self.n_states:
            return units
        return units[np.linspace(0, len(units) - 1, self.n_states).round().astype(int)]

    def _estimate(self, w: int, seqs: list[np.ndarray], paths: list[np.ndarray]) -> None:
        counts = np.full((self.n_states, self.n_units), self.smoothing)
        stays = np.ones(self.n_states)
        visits = np.full(self.n_states, 2.0)
        for s, p in zip(seqs, paths):
            np.add.at(counts, (p, s), 1.0)
            np.add.at(visits, p, 1.0)
            np.add.at(stays, p[:-1][p[1:] == p[:-1]], 1.0)
        self.log_emit_[w] = np.log(counts / counts.sum(axis=1, keepdims=True))
        self.log_stay_[w] = np.log(np.clip(stays / visits, 0.05, 0.95))

    def _viterbi(self, seqs: list[np.ndarray], words: np.ndarray, backtrack: bool):
        """Batched Viterbi over left-to-right HMMs: scores ``(n, len(words))`` and, if asked, state paths."""
        n, n_states = len(seqs), self.n_states
        lengths = np.array([len(s) for s in seqs])
        padded = np.zeros((n, lengths.max()), dtype=int)
        for i, s in enumerate(seqs):
            padded[i, : len(s)] = s
        emit = self.log_emit_[words]  # (W, S, K)
        stay = self.log_stay_[words][None]  # (1, W, S)
        move = np.log1p(-np.exp(stay))
        delta = np.full((n, len(words), n_states), -np.inf)
        delta[:, :, 0] = emit[:, 0, padded[:, 0]].T
        final = delta[:, :, -1].copy()
        moved = np.zeros((n, lengths.max(), len(words), n_states), dtype=bool) if backtrack else None
        for t in range(1, lengths.max()):
            from_stay = delta + stay
            from_prev = np.full_like(delta, -np.inf)
            from_prev[:, :, 1:] = delta[:, :, :-1] + move[:, :, :-1]
            step = from_prev > from_stay
            if backtrack:
                moved[:, t] = step
            delta = np.where(step, from_prev, from_stay) + emit[:, :, padded[:, t]].transpose(2, 0, 1)
            ending = lengths - 1 == t
            final[ending] = delta[ending, :, -1]
        if not backtrack:
            return final, None
        paths = []
        for i, length in enumerate(lengths):
            state, path = n_states - 1, np.zeros(length, dtype=int)
            for t in range(length - 1, -1, -1):
                path[t] = state
                if t and moved[i, t, 0, state]:
                    state -= 1
            paths.append(path)
        return final, paths

    def _align(self, w: int, seqs: list[np.ndarray]) -> list[np.ndarray]:
        _, paths = self._viterbi(seqs, np.array([w]), backtrack=True)
        return paths

    # -- prediction
    def _check_fitted(self) -> None:
        if not hasattr(self, "codebook_"):
            raise RuntimeError("this recogniser is not fitted yet: call fit(waves, digits) first.")

    def log_likelihoods(self, waves: Sequence[np.ndarray]) -> np.ndarray:
        """``(n_recordings, n_words)`` best-path log-likelihood of each word's HMM."""
        _check_waves(waves)
        seqs = [self._stretch(u) for u in self.units(waves)]
        scores = np.zeros((len(seqs), len(self.classes_)))
        order = np.argsort([len(s) for s in seqs])
        for chunk in np.array_split(order, max(1, len(order) // 200)):  # similar lengths together: less padding
            scores[chunk] = self._viterbi([seqs[i] for i in chunk], np.arange(len(self.classes_)), backtrack=False)[0]
        return scores

    def state_path(self, wave: np.ndarray, digit: int) -> np.ndarray:
        """The HMM state of every frame when *digit*'s word model explains *wave*."""
        self._check_fitted()
        found = np.flatnonzero(self.classes_ == digit)
        if not len(found):
            raise ValueError(f"no word model for {digit!r}: this recogniser knows {self.classes_.tolist()}.")
        w = int(found[0])
        return self._align(w, [self._stretch(self.units([wave])[0])])[0]

    def predict(self, waves: Sequence[np.ndarray]) -> np.ndarray:
        """The digit of each recording."""
        return self.classes_[self.log_likelihoods(waves).argmax(axis=1)]

    def transcribe(self, waves: Sequence[np.ndarray]) -> list[str]:
        """The lexicon step: predicted digits as words."""
        return [digits_to_text([d]) for d in self.predict(waves)]

    def score(self, waves: Sequence[np.ndarray], digits: Sequence[int]) -> float:
        """Accuracy on isolated digits."""
        return float(np.mean(self.predict(waves) == np.asarray(digits)))


class SegmentingRecognizer:
    """Digit strings the traditional way: energy VAD cuts words, a word recogniser names each."""

    def __init__(self, word_recognizer: HMMDigitRecognizer, sample_rate: int = 8000, **vad_options: Any) -> None:
        self.word_recognizer, self.sample_rate, self.vad_options = word_recognizer, sample_rate, vad_options

    def segment(self, wave: np.ndarray) -> list[tuple[int, int]]:
        """Word boundaries ``[(start, end), ...]`` in samples."""
        return energy_vad(wave, self.sample_rate, **self.vad_options)

    def predict_digits(self, waves: Sequence[np.ndarray]) -> list[list[int]]:
        """The digits heard in each utterance (empty when no speech is found)."""
        _check_waves(waves)
        pieces, owner = [], []
        for i, wave in enumerate(waves):
            for start, end in self.segment(wave):
                pieces.append(wave[start:end])
                owner.append(i)
        out: list[list[int]] = [[] for _ in waves]
        if pieces:
            for i, digit in zip(owner, self.word_recognizer.predict(pieces)):
                out[i].append(int(digit))
        return out

    def predict(self, waves: Sequence[np.ndarray]) -> list[str]:
        """Transcripts such as ``"three one four"``."""
        return [digits_to_text(d) for d in self.predict_digits(waves)]


class CTCRecognizer:
    """End to end: log-mel -> :class:`~e2e_helpers.speech.ctc.CTCSpeechNet` -> greedy CTC decoding -> text.

    Tokens are the ten digits (token ``d + 1``; 0 is the CTC blank): the
    vocabulary is ten words, so one token per word keeps the output short;
    the lexicon only spells the result. ``fit`` takes recordings and their
    digit sequences, nothing about where each word lies.

    Each recording is peak-normalised and its log-mel energies are floored
    at ``dynamic_range`` (natural-log units; 9 is about 39 dB) below the
    loudest one, so a digitally silent pause and a faintly noisy one look
    the same to the network.
    """

    def __init__(self, epochs: int = 10, batch_size: int = 32, lr: float = 3e-3, channels: int = 64, hidden: int = 64, n_mels: int = 40, dynamic_range: float = 9.0, sample_rate: int = 8000, seed: int = 0, device: str | None = None, progress: bool = True) -> None:
        self.epochs, self.batch_size, self.lr, self.dynamic_range = epochs, batch_size, lr, dynamic_range
        self.channels, self.hidden, self.n_mels = channels, hidden, n_mels
        self.sample_rate, self.seed, self.device, self.progress = sample_rate, seed, device, progress

    def features(self, waves: Sequence[np.ndarray]) -> list[np.ndarray]:
        """Standardised log-mel frames of each recording, peak-normalised first (so loudness does not matter)."""
        mels = log_mel_batch([_peak_normalized(w) for w in waves], self.sample_rate, n_mels=self.n_mels)
        mels = [np.maximum(m, m.max() - self.dynamic_range) for m in mels]  # near-silence all looks alike
        if not hasattr(self, "mean_"):
            return mels
        return [(m - self.mean_) / self.std_ for m in mels]

    def fit(self, waves: Sequence[np.ndarray], digit_sequences: Sequence[Sequence[int]], features: list[np.ndarray] | None = None) -> CTCRecognizer:
        """Train on utterances and their digit sequences.

        *features*: the log-mel frames of *waves* computed earlier by an
        unfitted recogniser's :meth:`features` (saves computing them twice).
        """
        _check_waves(waves)
        if len(digit_sequences) != len(waves):
            raise ValueError(f"need one digit sequence per utterance, got {len(waves)} and {len(digit_sequences)}.")
        for attribute in ("mean_", "std_"):
            self.__dict__.pop(attribute, None)
        mels = features if features is not None else self.features(waves)
        frames = np.vstack(mels)
        self.mean_, self.std_ = frames.mean(axis=0), frames.std(axis=0) + 1e-5
        mels = [(m - self.mean_) / self.std_ for m in mels]
        torch.manual_seed(self.seed)
        self.device_ = config.device(self.device)
        self.model_ = ctc_speech_net(self.n_mels, 10, channels=self.channels, hidden=self.hidden)
        targets = [[int(d) + 1 for d in seq] for seq in digit_sequences]
        self.history_ = fit_ctc(
            self.model_, mels, targets, epochs=self.epochs, batch_size=self.batch_size, lr=self.lr,
            seed=self.seed, device=self.device_, progress=self.progress,
        )
        return self

    def log_probs(self, waves: Sequence[np.ndarray]) -> list[np.ndarray]:
        """Per-step log-probabilities ``(steps, 11)`` of each utterance (column 0: blank, d + 1: digit d)."""
        if not hasattr(self, "model_"):
            raise RuntimeError("this recogniser is not fitted yet: call fit(waves, digit_sequences) first.")
        _check_waves(waves)
        feats = self.features(waves)
        order = np.argsort([len(f) for f in feats])
        out: list[np.ndarray] = [None] * len(feats)  # type: ignore[list-item]
        self.model_.eval()
        with torch.no_grad():
            for start in range(0, len(order), 64):
                rows = order[start : start + 64]
                batch, lengths = pad_batch([feats[i] for i in rows])
                scores = self.model_(batch.to(self.device_)).cpu()
                for i, n in zip(rows, self.model_.output_lengths(lengths)):
                    out[i] = scores[list(rows).index(i), : int(n)].numpy()
        return out

    def predict_digits(self, waves: Sequence[np.ndarray]) -> list[list[int]]:
        """Greedy CTC decoding of each utterance into digits."""
        return [[t - 1 for t in greedy_decode(lp)] for lp in self.log_probs(waves)]

    def predict(self, waves: Sequence[np.ndarray]) -> list[str]:
        """Transcripts such as ``"three one four"``."""
        return [digits_to_text(d) for d in self.predict_digits(waves)]
