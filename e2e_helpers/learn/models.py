"""Small generic PyTorch networks (``mlp``, ``small_cnn``) and the contract network factories keep.

Networks for one domain live with it (the speech networks in
:mod:`e2e_helpers.speech.networks`).

Each network is built by a *factory* with the signature that
:class:`e2e_helpers.learn.TorchClassifier` expects::

    factory(input_shape: tuple[int, ...], n_classes: int, **options) -> nn.Module

The estimator calls it in ``fit``, once the data's shape and classes are
known. Bind options with :func:`functools.partial`; the estimator stays
clonable and picklable, so it works in ``cross_val_score``, ``learning_curve``
and grid searches:

>>> from functools import partial
>>> from sklearn.base import clone
>>> from e2e_helpers.learn import TorchClassifier
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
``normalize=False`` to feed the inputs unchanged; :func:`standardizer` builds
that layer for other networks.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from numbers import Integral

import torch
from torch import nn

from .._checks import Interval, validate_params

__all__ = [
    "mlp",
    "small_cnn",
]

_DROPOUT = [Interval(float, 0, 1, closed="left")]


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
        layers.append(standardizer(n_inputs, dims=1))
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
    validate_params(
        {"dropout": dropout, "hidden": hidden},
        {"dropout": _DROPOUT, "hidden": [None, Interval(int, 1)]},
    )
    layers: list[nn.Module] = []
    if len(tuple(input_shape)) == 2:
        layers.append(nn.Unflatten(1, (1, h)))  # (N, H, W) -> (N, 1, H, W)
    if normalize:
        layers.append(standardizer(c, dims=2))
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


def factory_name(module: object) -> str:
    """A readable name for a network factory, a ``functools.partial`` of one, or a class.

    >>> from functools import partial
    >>> factory_name(partial(small_cnn, channels=(16, 32))), factory_name(nn.Linear)
    ('small_cnn', 'Linear')
    """
    func = getattr(module, "func", module)
    return getattr(func, "__name__", type(func).__name__)


def build_network(
    module: Callable[..., nn.Module],
    input_shape: tuple[int, ...],
    n_classes: int,
    *,
    sample: torch.Tensor,
    device: torch.device,
) -> nn.Module:
    """``module(input_shape, n_classes)`` on *device*, checked on *sample*: one logit per class.

    Raises ``ValueError``, saying what to change, when the factory returns
    no ``nn.Module``, the network fails on *sample*, or its output is not
    ``(len(sample), n_classes)``. Returns the network in eval mode.

    >>> build_network(mlp, (4,), 3, sample=torch.zeros(2, 4), device=torch.device("cpu"))[-1]
    Linear(in_features=128, out_features=3, bias=True)
    """
    net = module(input_shape, n_classes)
    name = factory_name(module)
    if not isinstance(net, nn.Module):
        raise ValueError(
            f"module {name}(input_shape, n_classes) must return an nn.Module, "
            f"got {type(net).__name__}."
        )
    net = net.to(device)
    sample = sample.to(device)
    net.eval()
    try:
        with torch.no_grad():
            out = net(sample)
    except RuntimeError as error:
        raise ValueError(
            f"the network from {name}(input_shape={input_shape}, n_classes={n_classes}) "
            f"fails on a batch of shape {tuple(sample.shape)}: {error}. Check input_shape: "
            f"e.g. a CNN on flattened 28x28 grey images needs input_shape=(1, 28, 28)."
        ) from error
    if tuple(out.shape) != (len(sample), n_classes):
        raise ValueError(
            f"the network from {name} returns outputs of shape {tuple(out.shape)} for a batch "
            f"of {len(sample)}, expected ({len(sample)}, {n_classes}): its last layer must give "
            f"one logit per class (n_classes={n_classes}), without a softmax."
        )
    return net


def resolve_input_shape(
    input_shape: Sequence[int] | None, sample_shape: Sequence[int]
) -> tuple[int, ...]:
    """The shape each sample is given to the network: *input_shape*, or (None) the sample's own.

    *input_shape* must hold as many values as one sample of shape
    *sample_shape*; if not, the error suggests a shape that does (flattened
    square images, see :func:`guess_image_shape`).

    >>> resolve_input_shape((1, 8, 8), (64,)), resolve_input_shape(None, (20,))
    ((1, 8, 8), (20,))
    """
    if input_shape is None:
        return tuple(sample_shape)
    shape = tuple(int(s) for s in input_shape)
    n_values = math.prod(sample_shape)
    if math.prod(shape) != n_values:
        guess = guess_image_shape(n_values) or (n_values,)
        raise ValueError(
            f"input_shape={shape} needs {math.prod(shape)} values per sample, but each "
            f"sample of X has shape {tuple(sample_shape)} ({n_values} values): pass "
            f"input_shape={guess}, or input_shape=None to use the shape of X as it is."
        )
    return shape


def _conv_block(in_channels: int, out_channels: int, kernel_size: int) -> list[nn.Module]:
    """conv (no bias: the BatchNorm after it has one) -> BatchNorm -> ReLU -> 2x2 max-pool."""
    return [
        nn.Conv2d(in_channels, out_channels, kernel_size, padding=kernel_size // 2, bias=False),
        nn.BatchNorm2d(out_channels),
        nn.ReLU(),
        nn.MaxPool2d(2),
    ]


def standardizer(n_channels: int, dims: int) -> nn.Module:
    """Non-learned input standardisation of *n_channels* (see the module docstring).

    *dims* is 1 for ``(batch, channels)`` or ``(batch, channels, time)`` inputs, 2 for images.

    >>> layer = standardizer(40, dims=1)
    >>> type(layer).__name__, layer.affine, layer.momentum
    ('BatchNorm1d', False, None)
    """
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
    if (
        values is None
        or not all(isinstance(v, Integral) and v >= 1 for v in values)
        or (not values and not allow_empty)
    ):
        raise ValueError(
            f"{name} must be a tuple of positive ints such as (32, 64), got {widths!r}."
        )
    return tuple(int(v) for v in values)


def _check_n_classes(n_classes: int) -> None:
    validate_params({"n_classes": n_classes}, {"n_classes": [Interval(int, 2)]})
