"""Small PyTorch networks used by the notebooks.

Each network is built by a *factory* with the signature that
:class:`e2e_helpers.estimators.TorchClassifier` expects::

    factory(input_shape: tuple[int, ...], n_classes: int, **options) -> nn.Module

The estimator calls it in ``fit``, once the data's shape and classes are
known. Bind options with :func:`functools.partial`; the estimator stays
clonable and picklable, so it works in ``cross_val_score``, ``learning_curve``
and grid searches:

>>> from functools import partial
>>> from sklearn.base import clone
>>> from e2e_helpers.estimators import TorchClassifier
>>> cnn = TorchClassifier(partial(small_cnn, channels=(16, 32)), input_shape=(1, 28, 28))
>>> clone(cnn).module.keywords
{'channels': (16, 32)}

**Input scaling.** The first layer of each network standardises its input:
a ``BatchNorm`` layer with no learned parameters (``affine=False``) that, while
training, averages the mean and variance of every training batch
(``momentum=None``: a plain running average, exact after one epoch) and uses
those averages at prediction time. It is a ``StandardScaler`` inside the
network, learned end to end, so raw 0-255 pixels, pixels in [0, 1] and already
standardised features all train well, and nobody has to remember to divide by
255. (A fixed ``x / 255`` would silently assume pixel data.) Pass
``normalize=False`` to feed the inputs unchanged.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from numbers import Integral

from torch import nn

__all__ = ["mlp", "small_cnn", "speech_cnn", "guess_image_shape", "CTCSpeechNet", "ctc_speech_net"]


def mlp(
    input_shape: Sequence[int],
    n_classes: int,
    hidden: Sequence[int] = (128,),
    *,
    normalize: bool = True,
) -> nn.Sequential:
    """A multi-layer perceptron: flatten, standardise, ``hidden`` ReLU layers, logits.

    Any *input_shape* works (images are flattened). ``hidden=()`` gives a
    linear (softmax-regression) model.

    >>> mlp((1, 28, 28), 10, hidden=(64,))[-1]
    Linear(in_features=64, out_features=10, bias=True)
    """
    n_inputs = math.prod(_check_shape(input_shape))
    _check_n_classes(n_classes)
    layers: list[nn.Module] = [nn.Flatten()]
    if normalize:
        layers.append(_standardizer(n_inputs, dims=1))
    width = n_inputs
    for size in _check_widths("hidden", hidden, allow_empty=True):
        layers += [nn.Linear(width, size), nn.ReLU()]
        width = size
    layers.append(nn.Linear(width, n_classes))
    return nn.Sequential(*layers)


def small_cnn(
    input_shape: Sequence[int],
    n_classes: int,
    channels: Sequence[int] = (32, 64),
    *,
    kernel_size: int = 3,
    hidden: int | None = None,
    dropout: float = 0.25,
    normalize: bool = True,
) -> nn.Sequential:
    """A compact CNN: standardise, conv-BN-ReLU-maxpool blocks, dropout, linear.

    One block per entry of *channels* (two by default); each halves the image.
    With *hidden*, a fully connected ReLU layer of that width (and a second
    dropout) sits between the last block and the logits.
    *input_shape* is ``(channels, height, width)``, e.g. ``(1, 28, 28)`` for
    Fashion-MNIST or ``(3, 32, 32)`` for CIFAR-10; ``(height, width)`` means
    one grey channel.

    >>> small_cnn((3, 32, 32), 10)[-1]
    Linear(in_features=4096, out_features=10, bias=True)
    """
    shape = _image_shape(input_shape)
    _check_n_classes(n_classes)
    channels = _check_widths("channels", channels, allow_empty=False)
    c, h, w = _check_image_size(shape, len(channels))
    if not 0.0 <= dropout < 1.0:
        raise ValueError(f"dropout must be in [0, 1), got {dropout!r}.")
    if hidden is not None and (not isinstance(hidden, Integral) or isinstance(hidden, bool) or hidden < 1):
        raise ValueError(f"hidden must be a positive int such as 128, or None for no hidden layer, got {hidden!r}.")
    layers: list[nn.Module] = []
    if len(tuple(input_shape)) == 2:
        layers.append(nn.Unflatten(1, (1, h)))  # (N, H, W) -> (N, 1, H, W)
    if normalize:
        layers.append(_standardizer(c, dims=2))
    for out in channels:
        layers += _conv_block(c, out, kernel_size)
        c, h, w = out, h // 2, w // 2
    layers.append(nn.Flatten())
    width = c * h * w
    if hidden is not None:
        layers += _dropout(dropout) + [nn.Linear(width, hidden), nn.ReLU()]
        width = hidden
    layers += _dropout(dropout) + [nn.Linear(width, n_classes)]
    return nn.Sequential(*layers)


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
    same input.

    >>> speech_cnn((40, 64), 10)[-1]
    Linear(in_features=64, out_features=10, bias=True)
    """
    shape = _check_shape(input_shape)
    if len(shape) != 2:
        raise ValueError(f"input_shape must be (n_mels, n_frames) such as (40, 64), got {input_shape!r}.")
    _check_n_classes(n_classes)
    (width,) = _check_widths("width", (width,), allow_empty=False)
    if not 0.0 <= dropout < 1.0:
        raise ValueError(f"dropout must be in [0, 1), got {dropout!r}.")
    bands = shape[0]
    layers: list[nn.Module] = [_standardizer(bands, dims=1)] if normalize else []
    for k, (c_in, kernel) in enumerate([(bands, 5), (width, 5), (width, 3)]):
        layers += [nn.Conv1d(c_in, width, kernel, padding=kernel // 2, bias=False), nn.BatchNorm1d(width), nn.ReLU()]
        if k < 2:
            layers.append(nn.MaxPool1d(2))
    layers += [nn.AdaptiveMaxPool1d(1), nn.Flatten(), *_dropout(dropout), nn.Linear(width, n_classes)]
    return nn.Sequential(*layers)


def _dropout(p: float) -> list[nn.Module]:
    return [nn.Dropout(p)] if p > 0 else []


def guess_image_shape(n_values: int) -> tuple[int, int, int] | None:
    """Guess ``(channels, height, width)`` of flattened square images, or None.

    >>> guess_image_shape(784), guess_image_shape(3072), guess_image_shape(10)
    ((1, 28, 28), (3, 32, 32), None)
    """
    for channels in (1, 3):
        side = math.isqrt(n_values // channels)
        if side >= 4 and channels * side * side == n_values:
            return (channels, side, side)
    return None


def _conv_block(in_channels: int, out_channels: int, kernel_size: int) -> list[nn.Module]:
    """conv (no bias: the BatchNorm after it has one) -> BatchNorm -> ReLU -> 2x2 max-pool."""
    return [
        nn.Conv2d(in_channels, out_channels, kernel_size, padding=kernel_size // 2, bias=False),
        nn.BatchNorm2d(out_channels),
        nn.ReLU(),
        nn.MaxPool2d(2),
    ]


def _standardizer(n_channels: int, dims: int) -> nn.Module:
    """Non-learned input standardisation (see the module docstring)."""
    norm = nn.BatchNorm1d if dims == 1 else nn.BatchNorm2d
    return norm(n_channels, affine=False, momentum=None)


def _check_shape(input_shape: Sequence[int]) -> tuple[int, ...]:
    try:
        shape = tuple(input_shape)
    except TypeError:
        shape = ()
    if not shape or not all(isinstance(s, Integral) and s >= 1 for s in shape):
        raise ValueError(
            f"input_shape must be a tuple of positive ints such as (20,) or (1, 28, 28), "
            f"got {input_shape!r}."
        )
    return tuple(int(s) for s in shape)


def _image_shape(input_shape: Sequence[int]) -> tuple[int, int, int]:
    shape = _check_shape(input_shape)
    if len(shape) == 2:
        return (1, *shape)
    if len(shape) == 3:
        return shape  # type: ignore[return-value]
    guess = guess_image_shape(math.prod(shape)) or "(channels, height, width)"
    raise ValueError(
        f"small_cnn needs images, input_shape=(channels, height, width), got {shape}. "
        f"If X holds flattened images, pass input_shape={guess} to TorchClassifier "
        f"so each row is reshaped into an image."
    )


def _check_image_size(shape: tuple[int, int, int], n_blocks: int) -> tuple[int, int, int]:
    c, h, w = shape
    smallest = 2**n_blocks
    if h < smallest or w < smallest:
        raise ValueError(
            f"small_cnn with {n_blocks} blocks halves the image {n_blocks} times, so it needs "
            f"images of at least {smallest}x{smallest} pixels, got {h}x{w}: use fewer "
            f"channels entries or larger images."
        )
    return shape


def _check_widths(name: str, widths: Sequence[int], *, allow_empty: bool) -> tuple[int, ...]:
    values = tuple(widths) if isinstance(widths, Sequence) else None
    if values is None or not all(isinstance(v, Integral) and v >= 1 for v in values) or (
        not values and not allow_empty
    ):
        raise ValueError(f"{name} must be a tuple of positive ints such as (32, 64), got {widths!r}.")
    return tuple(int(v) for v in values)


def _check_n_classes(n_classes: int) -> None:
    if not isinstance(n_classes, Integral) or n_classes < 2:
        raise ValueError(f"n_classes must be an int >= 2, got {n_classes!r}.")


class CTCSpeechNet(nn.Module):
    """Log-mel frames -> per-frame token log-probabilities, for CTC.

    Two 1-D convolutions over time (the second with stride 2: one output
    every 20 ms) learn local spectral patterns, in place of hand-made MFCCs;
    a bidirectional GRU reads the whole utterance both ways; a linear layer
    gives ``n_tokens + 1`` scores per step (index 0 is the CTC blank).
    Input ``(batch, time, n_inputs)``, output ``(batch, time', n_tokens + 1)``
    log-softmax; :meth:`output_lengths` maps input to output lengths.
    """

    def __init__(self, n_inputs: int = 40, n_tokens: int = 10, channels: int = 64, hidden: int = 64, dropout: float = 0.1) -> None:
        super().__init__()
        for name, value in (("n_inputs", n_inputs), ("n_tokens", n_tokens), ("channels", channels), ("hidden", hidden)):
            if not isinstance(value, Integral) or isinstance(value, bool) or value < 1:
                raise ValueError(f"{name} must be an int >= 1, got {value!r}.")
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

    def forward(self, x):
        if x.ndim != 3:
            raise ValueError(f"expected (batch, time, features) input, got shape {tuple(x.shape)}.")
        h = self.front(x.transpose(1, 2)).transpose(1, 2)
        h, _ = self.rnn(h)
        return self.head(h).log_softmax(dim=-1)

    @staticmethod
    def output_lengths(lengths):
        """Number of output steps for inputs of *lengths* frames (stride 2)."""
        return (lengths - 1) // 2 + 1


def ctc_speech_net(n_inputs: int = 40, n_tokens: int = 10, **options) -> CTCSpeechNet:
    """Factory for :class:`CTCSpeechNet` (options: ``channels``, ``hidden``, ``dropout``)."""
    return CTCSpeechNet(n_inputs, n_tokens, **options)
