"""Ready-made uses of :class:`~e2e_helpers.learn.TorchClassifier`: the course's CNN, and
fine-tuning.

:func:`cnn_classifier` is the CNN recipe the notebooks use for small images;
:func:`fine_tune` adapts a fitted classifier to a few new examples (a new
speaker, a new scanner) without touching the original.

>>> cnn_classifier(epochs=1).epochs
1
"""

from __future__ import annotations

import copy
from functools import partial

import numpy as np
import torch
from numpy.typing import ArrayLike
from sklearn.utils.validation import check_is_fitted
from torch import nn

from .._checks import Interval, validate_params
from ._estimator_parts import fitted_network, validated_samples
from .batches import array_loader
from .models import small_cnn
from .torch_classifier import TorchClassifier
from .training import fit, seeded_torch

__all__ = ["cnn_classifier", "fine_tune"]

#: The hand-chosen shape of the course's CNN (:func:`~e2e_helpers.learn.small_cnn`'s settings; a
#: fitted classifier shows them as ``classifier.module.keywords``).
_ARCHITECTURE: dict[str, object] = {
    "channels": (16, 32, 64),
    "kernel_size": 3,
    "hidden": 128,
    "dropout": 0.25,
}


def cnn_classifier(
    input_shape: tuple[int, int, int] = (1, 28, 28), **overrides: object
) -> TorchClassifier:
    """The course's CNN recipe for small images (28x28 or 32x32), as a :class:`TorchClassifier`.

    Three conv-BN-ReLU-maxpool blocks (16, 32, 64 channels of 3x3 filters), a
    128-unit hidden layer and dropout (``module.keywords``,
    :func:`e2e_helpers.learn.small_cnn`), trained for 8 epochs with AdamW and a
    one-cycle learning rate. For scale, the Fashion-MNIST README's submitted
    (unverified) two-conv-layer networks score 0.876-0.932 (0.922 and 0.925 for the
    two with about 100,000 parameters); ``benchmarks/`` and ``results/`` hold this
    recipe's measured figures. *overrides* replace any :class:`TorchClassifier`
    parameter, e.g. ``epochs=1`` for a quick run.
    """
    settings: dict[str, object] = dict(
        module=partial(small_cnn, **_ARCHITECTURE),
        input_shape=tuple(input_shape),
        epochs=8,
        batch_size=256,
        lr=3e-3,
        optimizer="adamw",
        weight_decay=1e-4,
        lr_schedule="onecycle",
    )
    settings.update(overrides)
    module = settings.pop("module")
    return TorchClassifier(module, **settings)  # type: ignore[arg-type]


def fine_tune(
    classifier: TorchClassifier,
    X: ArrayLike,
    y: ArrayLike,
    *,
    epochs: int = 20,
    lr: float = 1e-3,
    random_state: int = 0,
    progress: bool = False,
) -> TorchClassifier:
    """A copy of the fitted *classifier*, trained further on a few new examples (few-shot
    adaptation).

    The copy's network starts from the fitted weights and is trained on
    ``(X, y)`` alone with Adam at a constant *lr* for *epochs* passes, in
    batches of ``classifier.batch_size``; its BatchNorm statistics adapt to
    the new data too. Labels must be among ``classifier.classes_``. The
    original is left unchanged; the copy's ``history_`` holds only the new epochs.
    """
    check_is_fitted(classifier)
    validate_params(
        {"epochs": epochs, "lr": lr},
        {"epochs": [Interval(int, 1)], "lr": [Interval(float, 0, closed="neither")]},
    )
    tuned = copy.deepcopy(classifier)
    X = validated_samples(tuned, X)
    y = np.asarray(y)
    if len(y) != len(X) or len(y) == 0:
        raise ValueError(
            f"fine_tune needs one label per sample and at least one sample, got {len(X)} samples "
            f"and {len(y)} labels."
        )
    unknown = np.setdiff1d(y, tuned.classes_)
    if unknown.size:
        raise ValueError(
            f"labels {unknown.tolist()} were not seen in fit (classes_ are "
            f"{tuned.classes_.tolist()}): "
            "fine-tuning adapts a classifier to new examples of its classes, it cannot add classes."
        )
    targets = np.searchsorted(tuned.classes_, y)
    with seeded_torch(random_state, tuned.device_):
        loader = array_loader(
            X, targets, np.arange(len(y)), tuned.input_shape_, tuned.batch_size, random_state
        )
        net = fitted_network(tuned)
        tuned.history_ = fit(
            net,
            loader,
            epochs=epochs,
            optimizer=torch.optim.Adam(net.parameters(), lr=lr),
            loss_fn=nn.CrossEntropyLoss(),
            device=tuned.device_,
            progress=progress,
            desc="fine-tune",
        )
    tuned.module_ = net.eval()
    return tuned
