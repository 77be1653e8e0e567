"""Ready-made uses of :class:`~e2e_helpers.learn.TorchClassifier`: the course's CNN, and
adaptation.

:func:`cnn_classifier` is the CNN recipe the notebooks use for small images;
:func:`fine_tune` adapts a fitted classifier to a few new examples (a new
speaker, a new scanner) without touching the original, optionally rehearsing
its own training examples so that it does not forget them;
:func:`adapt_batchnorm` only re-estimates its BatchNorm statistics on new data.

>>> cnn_classifier(epochs=1).epochs
1
"""

from __future__ import annotations

import copy
from collections.abc import Iterator
from functools import partial

import numpy as np
import torch
from numpy.typing import ArrayLike
from sklearn.utils.validation import check_is_fitted
from torch import nn

from .._checks import Interval, validate_params
from ._estimator_parts import fitted_network, validated_samples
from .batches import array_loader, to_batch
from .models import small_cnn
from .torch_classifier import TorchClassifier
from .training import fit, seeded_torch

__all__ = ["cnn_classifier", "fine_tune", "adapt_batchnorm"]

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


def _targets(classifier: TorchClassifier, y: ArrayLike, n_samples: int, name: str) -> np.ndarray:
    """The class indices of labels *y*, one per sample; labels must be among ``classes_``."""
    y = np.asarray(y)
    if len(y) != n_samples or len(y) == 0:
        raise ValueError(
            f"{name} needs one label per sample and at least one sample, got {n_samples} samples "
            f"and {len(y)} labels."
        )
    unknown = np.setdiff1d(y, classifier.classes_)
    if unknown.size:
        raise ValueError(
            f"labels {unknown.tolist()} were not seen in fit (classes_ are "
            f"{classifier.classes_.tolist()}): "
            "fine-tuning adapts a classifier to new examples of its classes, it cannot add classes."
        )
    return np.searchsorted(classifier.classes_, y)


class _Rehearsal:
    """Each epoch's batches: the new examples plus as many old ones, drawn afresh every epoch."""

    def __init__(
        self,
        new: tuple[np.ndarray, np.ndarray],
        old: tuple[np.ndarray, np.ndarray],
        shape: tuple[int, ...],
        batch_size: int,
        seed: int,
    ) -> None:
        self.new, self.old, self.shape, self.batch_size = new, old, shape, batch_size
        self.rng = np.random.default_rng(seed)

    def __iter__(self) -> Iterator[tuple[torch.Tensor, torch.Tensor]]:
        (X, targets), (X_old, old_targets) = self.new, self.old
        drawn = self.rng.choice(
            len(old_targets), min(len(targets), len(old_targets)), replace=False
        )
        X, targets = np.concatenate([X, X_old[drawn]]), np.r_[targets, old_targets[drawn]]
        seed = int(self.rng.integers(2**31))
        return iter(
            array_loader(X, targets, np.arange(len(targets)), self.shape, self.batch_size, seed)
        )


def fine_tune(
    classifier: TorchClassifier,
    X: ArrayLike,
    y: ArrayLike,
    *,
    epochs: int = 20,
    lr: float = 1e-3,
    replay: tuple[ArrayLike, ArrayLike] | None = None,
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

    Trained on a handful of examples, a network forgets what it knew.
    *replay* = ``(X_old, y_old)``, examples of what it was trained on, is the
    standard remedy (rehearsal): every epoch mixes in as many of them as there
    are new examples, drawn afresh each epoch.
    """
    check_is_fitted(classifier)
    validate_params(
        {"epochs": epochs, "lr": lr},
        {"epochs": [Interval(int, 1)], "lr": [Interval(float, 0, closed="neither")]},
    )
    tuned = copy.deepcopy(classifier)
    X = validated_samples(tuned, X)
    targets = _targets(tuned, y, len(X), "fine_tune")
    with seeded_torch(random_state, tuned.device_):
        shape, size = tuned.input_shape_, tuned.batch_size
        if replay is None:
            loader = array_loader(X, targets, np.arange(len(X)), shape, size, random_state)
        else:
            if not (isinstance(replay, tuple) and len(replay) == 2):
                raise TypeError(
                    f"replay must be a pair (X_old, y_old) of the model's training examples, got "
                    f"{type(replay).__name__}."
                )
            X_old = validated_samples(tuned, replay[0])
            old = (X_old, _targets(tuned, replay[1], len(X_old), "replay"))
            loader = _Rehearsal((X, targets), old, shape, size, random_state)
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


_BATCH_NORMS = (nn.BatchNorm1d, nn.BatchNorm2d, nn.BatchNorm3d)


def adapt_batchnorm(
    classifier: TorchClassifier, X: ArrayLike, y: ArrayLike | None = None
) -> TorchClassifier:
    """A copy of the fitted *classifier* whose BatchNorm statistics are re-estimated on *X*.

    The running mean and variance of every BatchNorm layer (the input
    standardiser included) are replaced by their averages over *X*, in batches
    of ``classifier.batch_size``; no weight changes, no gradient step
    (adaptive BatchNorm, Li et al. 2016). *y* is ignored: it is accepted so that
    the function fits ``adapt(model, X, y)``, e.g. as the ``adapt`` of
    ``e2e_helpers.speech.adaptation_scores``. The original is left unchanged.
    """
    check_is_fitted(classifier)
    tuned = copy.deepcopy(classifier)
    X = validated_samples(tuned, X)
    net = fitted_network(tuned)
    norms = [m for m in net.modules() if isinstance(m, _BATCH_NORMS)]
    if not norms:
        raise ValueError("this network has no BatchNorm layer: there are no statistics to adapt.")
    if len(X) < 2:
        raise ValueError(f"BatchNorm statistics need at least 2 samples, got {len(X)}.")
    momenta = [m.momentum for m in norms]
    net.eval()
    for m in norms:  # cumulative averages over the batches of X, from scratch
        m.reset_running_stats()
        m.momentum = None
        m.train()
    n_batches = max(1, len(X) // max(tuned.batch_size, 2))  # every batch holds 2+ samples
    with torch.no_grad():
        for rows in np.array_split(np.arange(len(X)), n_batches):
            net(to_batch(X[rows], tuned.input_shape_).to(tuned.device_))
    for m, momentum in zip(norms, momenta):
        m.momentum = momentum
    tuned.module_ = net.eval()
    return tuned
