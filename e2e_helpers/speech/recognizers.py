"""The segmenting recogniser (cut at silences, then name each word) and the end-to-end CTC recogniser.

Cut, then classify (:class:`SegmentingRecognizer`): energy-based voice
activity detection cuts the audio into words, and an isolated-word
recogniser (e.g. :meth:`~e2e_helpers.speech.PhoneHMMRecognizer.classify`)
names each piece. A shortcut, not how traditional recognisers read
connected speech (they search words and boundaries together:
:mod:`~e2e_helpers.speech.phone_hmm`); kept to show why.

End-to-end (:class:`CTCRecognizer`)::

    audio -> log-mel -> one network -> per-frame token probabilities -> CTC decoding -> text
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import torch

from .. import config
from .audio import energy_vad
from .ctc import ctc_speech_net, fit_ctc, greedy_decode, pad_batch
from .digit_strings import digits_to_text
from .features import log_mel_batch
from .model_inputs import check_recordings

__all__ = ["SegmentingRecognizer", "CTCRecognizer"]


def _peak_normalized(wave: np.ndarray) -> np.ndarray:
    peak = float(np.max(np.abs(wave))) if len(wave) else 0.0
    return np.asarray(wave, dtype=np.float32) / (peak or 1.0)


class SegmentingRecognizer:
    """Digit strings by cutting at silences: energy VAD finds words, *word_recognizer*'s ``classify`` names each.

    Recordings are taken at ``sample_rate``: a :class:`~e2e_helpers.speech.audio.Waveform` at another rate is refused.
    """

    def __init__(self, word_recognizer: Any, sample_rate: int = 8000, **vad_options: Any) -> None:
        self.word_recognizer, self.sample_rate, self.vad_options = (
            word_recognizer,
            sample_rate,
            vad_options,
        )

    def segment(self, wave: np.ndarray) -> list[tuple[int, int]]:
        """Word boundaries ``[(start, end), ...]`` in samples."""
        return energy_vad(wave, self.sample_rate, **self.vad_options)

    def predict_digits(self, waves: Sequence[np.ndarray]) -> list[list[int]]:
        """The digits heard in each utterance (empty when no speech is found)."""
        check_recordings(waves, sample_rate=self.sample_rate)
        pieces, owner = [], []
        for i, wave in enumerate(waves):
            for start, end in self.segment(wave):
                pieces.append(wave[start:end])
                owner.append(i)
        out: list[list[int]] = [[] for _ in waves]
        if pieces:
            for i, digit in zip(owner, self.word_recognizer.classify(pieces)):
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
    the same to the network. Recordings are taken at ``sample_rate``: a
    :class:`~e2e_helpers.speech.audio.Waveform` at another rate is refused.
    """

    def __init__(
        self,
        epochs: int = 10,
        batch_size: int = 32,
        lr: float = 3e-3,
        channels: int = 64,
        hidden: int = 64,
        n_mels: int = 40,
        dynamic_range: float = 9.0,
        sample_rate: int = 8000,
        seed: int = 0,
        device: str | None = None,
        progress: bool = True,
    ) -> None:
        self.epochs, self.batch_size, self.lr, self.dynamic_range = (
            epochs,
            batch_size,
            lr,
            dynamic_range,
        )
        self.channels, self.hidden, self.n_mels = channels, hidden, n_mels
        self.sample_rate, self.seed, self.device, self.progress = (
            sample_rate,
            seed,
            device,
            progress,
        )

    def features(self, waves: Sequence[np.ndarray]) -> list[np.ndarray]:
        """Standardised log-mel frames of each recording, peak-normalised first (so loudness does not matter)."""
        check_recordings(
            waves, sample_rate=self.sample_rate
        )  # before peak normalisation makes plain arrays of them
        mels = log_mel_batch(
            [_peak_normalized(w) for w in waves], self.sample_rate, n_mels=self.n_mels
        )
        mels = [
            np.maximum(m, m.max() - self.dynamic_range) for m in mels
        ]  # near-silence all looks alike
        if not hasattr(self, "mean_"):
            return mels
        return [(m - self.mean_) / self.std_ for m in mels]

    def fit(
        self,
        waves: Sequence[np.ndarray],
        digit_sequences: Sequence[Sequence[int]],
        features: list[np.ndarray] | None = None,
    ) -> CTCRecognizer:
        """Train on utterances and their digit sequences.

        *features*: the log-mel frames of *waves* computed earlier by an
        unfitted recogniser's :meth:`features` (saves computing them twice).
        """
        check_recordings(waves, sample_rate=self.sample_rate)
        if len(digit_sequences) != len(waves):
            raise ValueError(
                f"need one digit sequence per utterance, got {len(waves)} and {len(digit_sequences)}."
            )
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
            self.model_,
            mels,
            targets,
            epochs=self.epochs,
            batch_size=self.batch_size,
            lr=self.lr,
            seed=self.seed,
            device=self.device_,
            progress=self.progress,
        )
        return self

    def log_probs(self, waves: Sequence[np.ndarray]) -> list[np.ndarray]:
        """Per-step log-probabilities ``(steps, 11)`` of each utterance (column 0: blank, d + 1: digit d)."""
        if not hasattr(self, "model_"):
            raise RuntimeError(
                "this recogniser is not fitted yet: call fit(waves, digit_sequences) first."
            )
        check_recordings(waves, sample_rate=self.sample_rate)
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
