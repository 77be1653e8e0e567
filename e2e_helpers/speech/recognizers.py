"""Two recognisers of digit strings: cut at silences then name each word, and end-to-end CTC.

Cut, then classify (:class:`SegmentingRecognizer`): energy-based voice
activity detection cuts the audio into words, and an isolated-word
recogniser (e.g. :meth:`~e2e_helpers.speech.PhoneHMMRecognizer.classify`)
names each piece. A shortcut, not how traditional recognisers read
connected speech (they search words and boundaries together:
:mod:`~e2e_helpers.speech.phone_hmm`); kept to show why.

End-to-end (:class:`CTCRecognizer`)::

    audio -> log-mel -> one network -> per-frame token probabilities -> CTC decoding -> text

Both are scikit-learn estimators, like
:class:`~e2e_helpers.speech.PhoneHMMRecognizer`: ``fit(X, y)`` with ``X`` the
recordings and ``y`` their digit sequences, ``predict(X)`` the transcripts,
``score(X, y)`` the sentence accuracy; the CTC network is trained by the
package's one loop, :func:`e2e_helpers.learn.fit`.
"""

from __future__ import annotations

from collections.abc import Sequence
from numbers import Integral
from typing import Any

import numpy as np
import torch
from sklearn.base import BaseEstimator, clone
from sklearn.utils import check_random_state
from sklearn.utils.validation import check_is_fitted

from .._checks import Check, Interval, validate_params
from ..learn import training
from ..learn._estimator_parts import resolve_device
from ._transcriber import Transcriber, check_digit_sequences, check_waves
from .audio import energy_vad
from .ctc import CTCBatches, ctc_loss, greedy_decode, pad_batch
from .features import log_mel_batch
from .model_inputs import normalize_frames
from .networks import ctc_speech_net
from .phone_hmm import NORMALIZATIONS

FRONT_ENDS = ("log-mel", "waveform")

__all__ = ["SegmentingRecognizer", "CTCRecognizer"]


def _peak_normalized(wave: np.ndarray) -> np.ndarray:
    peak = float(np.max(np.abs(wave))) if len(wave) else 0.0
    return np.asarray(wave, dtype=np.float32) / (peak or 1.0)


def _framed(wave: np.ndarray, hop: int) -> np.ndarray:
    """``(1 + len // hop, hop)`` frames, frame *t* centred on sample ``t hop`` (zero-padded)."""
    n = 1 + len(wave) // hop
    padded = np.zeros(n * hop, dtype=np.float32)
    padded[hop // 2 : hop // 2 + len(wave)] = wave[: n * hop - hop // 2]
    return padded.reshape(n, hop)


def _is_fitted(estimator: Any) -> bool:
    try:
        check_is_fitted(estimator)
    except (TypeError, ValueError):  # NotFittedError is a ValueError
        return False
    return True


class SegmentingRecognizer(Transcriber, BaseEstimator):
    """Digit strings by cutting at silences: energy VAD finds words, *word_recognizer* names each.

    Each piece is named by ``word_recognizer.classify``.

    ``fit(X, y)`` trains a clone of *word_recognizer* on the same strings (a
    :class:`~e2e_helpers.speech.PhoneHMMRecognizer` learns from strings);
    an already fitted *word_recognizer* can also be used as it is, without
    ``fit``. *vad_options* go to :func:`~e2e_helpers.speech.energy_vad`
    (e.g. ``{"min_silence_ms": 40.0}``). Recordings are taken at
    ``sample_rate``: a :class:`~e2e_helpers.speech.audio.Waveform` at another
    rate is refused.
    """

    _parameter_constraints = {
        "word_recognizer": [
            Check(lambda r: hasattr(r, "classify"), "a recogniser with classify(waves)")
        ],
        "sample_rate": [Interval(int, 1000)],
        "vad_options": [None, Check(lambda o: isinstance(o, dict), "a dict of energy_vad options")],
    }

    def __init__(
        self, word_recognizer: Any, sample_rate: int = 8000, vad_options: dict | None = None
    ) -> None:
        self.word_recognizer = word_recognizer
        self.sample_rate = sample_rate
        self.vad_options = vad_options

    def fit(self, X: Sequence[np.ndarray], y: Sequence[Sequence[int]]) -> SegmentingRecognizer:
        """Train a clone of ``word_recognizer`` on recordings *X* and their digit sequences *y*."""
        self.__dict__.pop("word_recognizer_", None)
        validate_params(self.get_params(deep=False), self._parameter_constraints)
        check_waves(X, self.sample_rate)
        check_digit_sequences(y, len(X))
        self.word_recognizer_ = clone(self.word_recognizer).fit(X, y)
        return self

    def __sklearn_is_fitted__(self) -> bool:
        """Fitted, or built on a fitted word recogniser."""
        return hasattr(self, "word_recognizer_") or _is_fitted(self.word_recognizer)

    def segment(self, wave: np.ndarray) -> list[tuple[int, int]]:
        """Word boundaries ``[(start, end), ...]`` in samples."""
        return energy_vad(wave, self.sample_rate, **(self.vad_options or {}))

    def predict_digits(self, X: Sequence[np.ndarray]) -> list[list[int]]:
        """The digits heard in each utterance (empty when no speech is found)."""
        check_is_fitted(self)
        check_waves(X, self.sample_rate)
        words = getattr(self, "word_recognizer_", self.word_recognizer)
        pieces, owner = [], []
        for i, wave in enumerate(X):
            for start, end in self.segment(wave):
                pieces.append(wave[start:end])
                owner.append(i)
        out: list[list[int]] = [[] for _ in X]
        if pieces:
            for i, digit in zip(owner, words.classify(pieces)):
                out[i].append(int(digit))
        return out


def _torch_seed(random_state: int | np.random.RandomState | None) -> int:
    """An int *random_state* itself, else a seed drawn from it (None: NumPy's global generator)."""
    if isinstance(random_state, Integral) and not isinstance(random_state, bool):
        return int(random_state)
    return int(check_random_state(random_state).randint(np.iinfo(np.int32).max))


class CTCRecognizer(Transcriber, BaseEstimator):
    """End to end: log-mel -> one network -> greedy CTC decoding -> text.

    The network is a :class:`~e2e_helpers.speech.networks.CTCSpeechNet`. With
    ``front_end="waveform"`` it reads the raw samples instead: a
    :class:`~e2e_helpers.speech.networks.LearnedFilterbank` of ``n_mels`` learned filters takes
    the log-mel spectrogram's place (same frames, same network after it), and
    ``dynamic_range`` does not apply.

    Tokens are the ten digits (token ``d + 1``; 0 is the CTC blank): the
    vocabulary is ten words, so one token per word keeps the output short;
    the lexicon only spells the result. ``fit`` takes recordings and their
    digit sequences, nothing about where each word lies.

    Each recording is peak-normalised and its log-mel energies are floored
    at ``dynamic_range`` (natural-log units; 9 is about 39 dB) below the
    loudest one, so a digitally silent pause and a faintly noisy one look
    the same to the network. The frames are then standardised with the
    training set's mean and standard deviation (``normalization="global"``)
    or, first, with each utterance's own (``"utterance"``, the HMMs' CMVN).
    Recordings are taken at ``sample_rate``: a
    :class:`~e2e_helpers.speech.audio.Waveform` at another rate is refused.

    Training: Adam with a one-cycle schedule (15% warm-up), gradients clipped
    to norm 5, utterances of similar length batched together
    (:class:`~e2e_helpers.speech.ctc.CTCBatches`), through :func:`e2e_helpers.learn.fit`.
    ``random_state`` seeds the network's initialisation, dropout and the
    batch order: an int is used as the seed itself, ``None`` draws one from
    NumPy's global generator (so one ``config.seed_everything`` call makes a
    notebook reproducible). Fitting never changes torch's global random state.

    Attributes after ``fit``: ``model_`` (the trained network, on ``device_``),
    ``history_`` (one ``{"epoch", "train_loss"}`` record per epoch), ``mean_``
    and ``std_`` (the log-mel standardisation).
    """

    _parameter_constraints = {
        "epochs": [Interval(int, 1)],
        "batch_size": [Interval(int, 1)],
        "lr": [Interval(float, 0, closed="neither")],
        "channels": [Interval(int, 1)],
        "hidden": [Interval(int, 1)],
        "n_mels": [Interval(int, 1)],
        "dynamic_range": [Interval(float, 0, closed="neither")],
        "normalization": [Check(lambda n: n in NORMALIZATIONS, "'utterance' or 'global'")],
        "front_end": [Check(lambda f: f in FRONT_ENDS, "'log-mel' or 'waveform'")],
        "sample_rate": [Interval(int, 1000)],
        "random_state": [
            None,
            Check(
                lambda r: (
                    isinstance(r, (Integral, np.random.RandomState)) and not isinstance(r, bool)
                ),
                "an int or a RandomState",
            ),
        ],
        "device": [
            None,
            Check(
                lambda d: isinstance(d, (str, torch.device)),
                "'auto', 'cpu', 'cuda', 'mps' or a torch.device",
            ),
        ],
        "progress": [Check(lambda p: isinstance(p, (bool, np.bool_)), "True or False")],
    }

    def __init__(
        self,
        epochs: int = 10,
        batch_size: int = 32,
        lr: float = 3e-3,
        channels: int = 64,
        hidden: int = 64,
        n_mels: int = 40,
        dynamic_range: float = 9.0,
        normalization: str = "global",
        front_end: str = "log-mel",
        sample_rate: int = 8000,
        random_state: int | np.random.RandomState | None = None,
        device: str | torch.device | None = None,
        progress: bool = True,
    ) -> None:
        self.epochs = epochs
        self.batch_size = batch_size
        self.lr = lr
        self.channels = channels
        self.hidden = hidden
        self.n_mels = n_mels
        self.dynamic_range = dynamic_range
        self.normalization = normalization
        self.front_end = front_end
        self.sample_rate = sample_rate
        self.random_state = random_state
        self.device = device
        self.progress = progress

    def features(self, waves: Sequence[np.ndarray]) -> list[np.ndarray]:
        """Log-mel frames of each recording, peak-normalised first (so loudness does not matter).

        Once fitted, standardised as in training (``mean_``, ``std_``). With
        ``front_end="waveform"``: the peak-normalised samples cut into 10 ms frames ``(time,
        hop)``, frame *t* centred on sample ``t hop`` as the log-mel frames are, zero-padded at
        both ends.
        """
        check_waves(waves, self.sample_rate, name="waves")  # before peak normalisation
        if self.front_end == "waveform":
            if self.normalization != "global":
                raise ValueError(
                    f"normalization={self.normalization!r} is per-utterance CMVN of log-mel "
                    f"frames; the waveform front end standardises its own outputs: use "
                    f"normalization='global' with front_end='waveform'."
                )
            frames = [_framed(_peak_normalized(w), self._hop()) for w in waves]
            if not hasattr(self, "mean_"):
                return frames
            return [(f - self.mean_) / self.std_ for f in frames]
        mels = log_mel_batch(
            [_peak_normalized(w) for w in waves], self.sample_rate, n_mels=self.n_mels
        )
        # near-silence all looks alike
        mels = [np.maximum(m, m.max() - self.dynamic_range) for m in mels]
        if self.normalization == "utterance":
            mels = [normalize_frames(m) for m in mels]
        if not hasattr(self, "mean_"):
            return mels
        return [(m - self.mean_) / self.std_ for m in mels]

    def fit(
        self,
        X: Sequence[np.ndarray],
        y: Sequence[Sequence[int]],
        features: list[np.ndarray] | None = None,
    ) -> CTCRecognizer:
        """Train on recordings *X* and their digit sequences *y*.

        *features*: the log-mel frames of *X* computed earlier by an
        unfitted recogniser's :meth:`features` (saves computing them twice).
        """
        digits, mels = self._start_fit(
            X, y, features, ("model_", "history_", "device_", "mean_", "std_")
        )
        frames = np.vstack(mels)
        axis = None if self.front_end == "waveform" else 0  # samples: one mean and spread
        mean, std = frames.mean(axis=axis), frames.std(axis=axis) + 1e-5
        mels = [(m - mean) / std for m in mels]
        seed = _torch_seed(self.random_state)
        device = resolve_device(self.device)
        hop = self._hop() if self.front_end == "waveform" else None
        with training.seeded_torch(seed, device):
            model = ctc_speech_net(
                self.n_mels, 10, channels=self.channels, hidden=self.hidden, waveform_hop=hop
            )
            model.to(device)
            batches = CTCBatches(
                mels,
                [[d + 1 for d in seq] for seq in digits],
                self.batch_size,
                seed=seed,
                output_lengths=model.output_lengths,
            )
            optimizer = training.make_optimizer("adam", model.parameters(), self.lr)
            history = training.fit(
                model,
                batches,
                epochs=self.epochs,
                optimizer=optimizer,
                scheduler=training.one_cycle_schedule(
                    optimizer, self.lr, self.epochs * len(batches), warmup=0.15
                ),
                loss_fn=ctc_loss,
                clip_grad_norm=5.0,
                device=device,
                progress=self.progress,
                desc="CTC training",
            )
        self.mean_, self.std_, self.device_, self.history_ = mean, std, device, history
        self.model_ = model.eval()
        return self

    def __sklearn_is_fitted__(self) -> bool:
        """True once a fit has finished."""
        return hasattr(self, "model_")

    def _hop(self) -> int:
        """Samples per 10 ms frame; the waveform front end needs a multiple of 20."""
        hop = self.sample_rate // 100
        if self.sample_rate % 100 or hop % 20:
            raise ValueError(
                f"front_end='waveform' needs 10 ms frames of a multiple of 20 samples (8, 16, 24, "
                f"32 or 48 kHz), got sample_rate={self.sample_rate}: resample the recordings "
                f"(speech.resample) or use front_end='log-mel'."
            )
        return hop

    def log_probs(self, waves: Sequence[np.ndarray]) -> list[np.ndarray]:
        """Per-step log-probabilities ``(steps, 11)`` of each utterance.

        Column 0 is the blank, column d + 1 the digit d.
        """
        check_is_fitted(self)
        feats = self.features(waves)
        order = np.argsort([len(f) for f in feats])
        out: list[np.ndarray] = [None] * len(feats)  # type: ignore[list-item]
        self.model_.eval()
        with torch.no_grad():
            for start in range(0, len(order), 64):
                rows = order[start : start + 64]
                batch, lengths = pad_batch([feats[i] for i in rows])
                scores = self.model_(batch.to(self.device_)).cpu()
                for k, (i, n) in enumerate(zip(rows, self.model_.output_lengths(lengths))):
                    out[i] = scores[k, : int(n)].numpy()
        return out

    def predict_digits(self, X: Sequence[np.ndarray]) -> list[list[int]]:
        """Greedy CTC decoding of each utterance into digits."""
        check_is_fitted(self)
        check_waves(X, self.sample_rate)
        return [[t - 1 for t in greedy_decode(lp)] for lp in self.log_probs(X)]
