"""The speech networks: a 1-D CNN for isolated words and the CTC network for digit strings.

:func:`speech_cnn` is a network factory for :class:`e2e_helpers.learn.TorchClassifier`
(``factory(input_shape, n_classes)``, see :mod:`e2e_helpers.learn.models`): one
word in a fixed-size log-mel window in, one logit per word out.
:class:`CTCSpeechNet` (built by :func:`ctc_speech_net`) reads a whole utterance
of any length and emits, for every time step, log-probabilities over the tokens
plus the CTC blank; :class:`~e2e_helpers.speech.CTCRecognizer` trains it.
"""

from __future__ import annotations

from collections.abc import Sequence
from numbers import Integral
from typing import Any

import torch
from torch import nn

from .._checks import Check, Interval, validate_params
from ..learn.models import standardizer

__all__ = ["speech_cnn", "CTCSpeechNet"]


def _is_spectrogram_shape(shape: object) -> bool:
    values = tuple(shape) if isinstance(shape, (tuple, list)) else ()
    return len(values) == 2 and all(
        isinstance(s, Integral) and not isinstance(s, bool) and s >= 1 for s in values
    )


_SPEECH_CNN = {
    "input_shape": [Check(_is_spectrogram_shape, "(n_mels, n_frames) such as (40, 64)")],
    "n_classes": [Interval(int, 2)],
    "width": [Interval(int, 1)],
    "dropout": [Interval(float, 0, 1, closed="left")],
}


def speech_cnn(
    input_shape: Sequence[int],
    n_classes: int,
    width: int = 64,
    *,
    dropout: float = 0.3,
    normalize: bool = True,
) -> nn.Sequential:
    """A 1-D CNN over time for a fixed-size spectrogram ``(n_mels, n_frames)``.

    Three conv-BN-ReLU layers slide along time with every mel band as an
    input channel (the first two followed by 2x max-pooling), then the
    strongest response of each of the *width* learned detectors anywhere in
    the utterance (global max-pooling) feeds the logits: a word is recognised
    wherever it sits in the window. About 4x cheaper than a 2-D CNN on the
    same input. The first layer standardises each band with the training
    set's statistics (:func:`~e2e_helpers.learn.standardizer`);
    ``normalize=False`` drops it (an ablation; give it to ``TorchClassifier``
    as ``functools.partial(speech_cnn, normalize=False)``).

    >>> speech_cnn((40, 64), 10)[-1]
    Linear(in_features=64, out_features=10, bias=True)
    """
    validate_params(
        {"input_shape": input_shape, "n_classes": n_classes, "width": width, "dropout": dropout},
        _SPEECH_CNN,
    )
    bands = int(input_shape[0])
    layers: list[nn.Module] = [standardizer(bands, dims=1)] if normalize else []
    for k, (c_in, kernel) in enumerate([(bands, 5), (width, 5), (width, 3)]):
        layers += [
            nn.Conv1d(c_in, width, kernel, padding=kernel // 2, bias=False),
            nn.BatchNorm1d(width),
            nn.ReLU(),
        ]
        if k < 2:
            layers.append(nn.MaxPool1d(2))
    layers += [nn.AdaptiveMaxPool1d(1), nn.Flatten()]
    layers += [nn.Dropout(dropout)] if dropout > 0 else []
    layers.append(nn.Linear(width, n_classes))
    return nn.Sequential(*layers)


class LearnedFilterbank(nn.Module):
    """Raw samples -> *n_filters* learned log-energies per frame: a log-mel spectrogram's place,
    learned.

    The input is the waveform cut into frames of *hop* samples, ``(batch, time, hop)``
    (:meth:`~e2e_helpers.speech.CTCRecognizer.features` with ``front_end="waveform"``). A 1-D
    convolution of *n_filters* filters, each ``0.8 hop`` samples long (8 ms at 8 kHz) and
    initialised at random, slides over the samples (every ``hop / 20`` samples); the size of
    each output (absolute value) is averaged over 25 ms windows every *hop* samples (the log-mel
    frames' 25 ms every 10 ms), compressed with a log and standardised per filter
    (BatchNorm: the log-mel side's global standardisation, learned). Output ``(batch, time,
    n_filters)``: one row per input frame, like the log-mel frames.
    """

    def __init__(self, n_filters: int = 40, hop: int = 80) -> None:
        super().__init__()
        validate_params({"n_filters": n_filters, "hop": hop}, {"n_filters": [Interval(int, 1)]})
        if not isinstance(hop, Integral) or hop < 20 or hop % 20:
            raise ValueError(f"hop must be a multiple of 20 samples (80 at 8 kHz), got {hop!r}.")
        stride, kernel = hop // 20, 4 * hop // 5
        self.conv = nn.Conv1d(1, n_filters, kernel, stride=stride, padding=(kernel - stride) // 2)
        self.pool = nn.AvgPool1d(50, stride=20, padding=15)
        self.norm = nn.BatchNorm1d(n_filters)
        self.hop = int(hop)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        """``(batch, time, hop)`` framed samples -> ``(batch, time, n_filters)``."""
        if x.ndim != 3 or x.shape[2] != self.hop:
            raise ValueError(
                f"expected (batch, time, {self.hop}) framed samples, got shape {tuple(x.shape)}."
            )
        samples = x.reshape(x.shape[0], 1, -1)
        energy = self.pool(self.conv(samples).abs())
        return self.norm(torch.log(energy + 1e-3)).transpose(1, 2)


class CTCSpeechNet(nn.Module):
    """Log-mel frames -> per-frame token log-probabilities, for CTC.

    Two 1-D convolutions over time (the second with stride 2: one output
    every 20 ms) learn local spectral patterns, in place of hand-made MFCCs;
    a bidirectional GRU reads the whole utterance both ways; a linear layer
    gives ``n_tokens + 1`` scores per step (index 0 is the CTC blank).
    Input ``(batch, time, n_inputs)``, output ``(batch, time', n_tokens + 1)``
    log-softmax; :meth:`output_lengths` maps input to output lengths. With *waveform_hop*, a
    :class:`LearnedFilterbank` of *n_inputs* filters comes first and the input is framed raw
    samples ``(batch, time, waveform_hop)``: the same network on a learned front end.
    """

    def __init__(
        self,
        n_inputs: int = 40,
        n_tokens: int = 10,
        channels: int = 64,
        hidden: int = 64,
        dropout: float = 0.1,
        waveform_hop: int | None = None,
    ) -> None:
        super().__init__()
        sizes = {"n_inputs": n_inputs, "n_tokens": n_tokens, "channels": channels, "hidden": hidden}
        validate_params(sizes, {name: [Interval(int, 1)] for name in sizes})
        self.filterbank = (
            LearnedFilterbank(n_inputs, waveform_hop) if waveform_hop is not None else None
        )
        self.front = nn.Sequential(
            nn.Conv1d(n_inputs, channels, 5, padding=2, bias=False),
            nn.BatchNorm1d(channels),
            nn.ReLU(),
            nn.Conv1d(channels, channels, 5, stride=2, padding=2, bias=False),
            nn.BatchNorm1d(channels),
            nn.ReLU(),
            nn.Dropout(dropout),
        )
        self.rnn = nn.GRU(channels, hidden, batch_first=True, bidirectional=True)
        self.head = nn.Linear(2 * hidden, n_tokens + 1)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        """``(batch, time, n_inputs)`` features -> ``(batch, time', n_tokens + 1)`` log-probs."""
        if x.ndim != 3:
            raise ValueError(f"expected (batch, time, features) input, got shape {tuple(x.shape)}.")
        if self.filterbank is not None:
            x = self.filterbank(x)
        h = self.front(x.transpose(1, 2)).transpose(1, 2)
        h, _ = self.rnn(h)
        return self.head(h).log_softmax(dim=-1)

    @staticmethod
    def output_lengths(lengths: torch.Tensor) -> torch.Tensor:
        """Number of output steps for inputs of *lengths* frames (stride 2)."""
        return (lengths - 1) // 2 + 1


def ctc_speech_net(n_inputs: int = 40, n_tokens: int = 10, **options: Any) -> CTCSpeechNet:
    """Factory for :class:`CTCSpeechNet` (options: ``channels``, ``hidden``, ``dropout``,
    ``waveform_hop``)."""
    return CTCSpeechNet(n_inputs, n_tokens, **options)
