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


class CTCSpeechNet(nn.Module):
    """Log-mel frames -> per-frame token log-probabilities, for CTC.

    Two 1-D convolutions over time (the second with stride 2: one output
    every 20 ms) learn local spectral patterns, in place of hand-made MFCCs;
    a bidirectional GRU reads the whole utterance both ways; a linear layer
    gives ``n_tokens + 1`` scores per step (index 0 is the CTC blank).
    Input ``(batch, time, n_inputs)``, output ``(batch, time', n_tokens + 1)``
    log-softmax; :meth:`output_lengths` maps input to output lengths.
    """

    def __init__(
        self,
        n_inputs: int = 40,
        n_tokens: int = 10,
        channels: int = 64,
        hidden: int = 64,
        dropout: float = 0.1,
    ) -> None:
        super().__init__()
        sizes = {"n_inputs": n_inputs, "n_tokens": n_tokens, "channels": channels, "hidden": hidden}
        validate_params(sizes, {name: [Interval(int, 1)] for name in sizes})
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
        h = self.front(x.transpose(1, 2)).transpose(1, 2)
        h, _ = self.rnn(h)
        return self.head(h).log_softmax(dim=-1)

    @staticmethod
    def output_lengths(lengths: torch.Tensor) -> torch.Tensor:
        """Number of output steps for inputs of *lengths* frames (stride 2)."""
        return (lengths - 1) // 2 + 1


def ctc_speech_net(n_inputs: int = 40, n_tokens: int = 10, **options: Any) -> CTCSpeechNet:
    """Factory for :class:`CTCSpeechNet` (options: ``channels``, ``hidden``, ``dropout``)."""
    return CTCSpeechNet(n_inputs, n_tokens, **options)
