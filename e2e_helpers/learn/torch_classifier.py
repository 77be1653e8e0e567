"""The scikit-learn face of a PyTorch network: :class:`TorchClassifier` and :func:`fitted_network`.

:class:`TorchClassifier` wraps any ``nn.Module`` factory (see
:mod:`e2e_helpers.learn.models`) so that an end-to-end network and a traditional
``Pipeline(features, selector, SVC)`` are fitted, scored, cross-validated and
passed through ``learning_curve`` in exactly the same way:

>>> from sklearn.datasets import make_classification
>>> from sklearn.model_selection import cross_val_score
>>> from e2e_helpers.learn import mlp
>>> X, y = make_classification(n_samples=200, random_state=0)
>>> net = TorchClassifier(mlp, epochs=5, progress=False, random_state=0)
>>> scores = cross_val_score(net, X, y, cv=3)
>>> len(scores)
3
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from numbers import Integral

import numpy as np
import torch
from sklearn.base import BaseEstimator, ClassifierMixin
from sklearn.model_selection import train_test_split
from sklearn.preprocessing import LabelEncoder
from sklearn.utils import Tags, check_random_state
from sklearn.utils.multiclass import check_classification_targets
from sklearn.utils.validation import check_is_fitted
from torch import nn
from torch.utils.data import DataLoader

from .._checks import Check, Interval, Options, validate_params
from . import training
from ._estimator_parts import is_shape, one_sample_batches_refused, resolve_device
from .batches import array_loader, to_batch, validate_samples
from .models import build_network, factory_name, resolve_input_shape

__all__ = ["TorchClassifier"]

ModuleFactory = Callable[[tuple[int, ...], int], nn.Module]

_SCHEDULES = ("constant", "onecycle")


class TorchClassifier(ClassifierMixin, BaseEstimator):
    """A PyTorch classifier with the scikit-learn estimator API.

    ``fit`` builds the network with ``module(input_shape, n_classes)``, trains
    it with cross-entropy (see :func:`e2e_helpers.learn.fit`) and keeps it on
    ``device_``; ``predict`` and ``predict_proba`` return NumPy arrays;
    ``score`` is the accuracy. Use it anywhere a scikit-learn classifier goes:
    in a ``Pipeline``, ``cross_val_score``, ``learning_curve``, ``GridSearchCV``.

    Parameters
    ----------
    module : callable
        ``module(input_shape, n_classes) -> nn.Module`` returning one logit per
        class, e.g. :func:`e2e_helpers.learn.mlp`. Bind extra options with
        ``functools.partial(small_cnn, channels=(16, 32))``.
    input_shape : tuple of int, optional
        Shape of one sample as the network wants it. Each sample is reshaped
        to it, so flattened pixels (for instance the output of a ``Pipeline``
        step) can feed a CNN: ``input_shape=(1, 28, 28)``. By default the
        shape of one row of ``X``.
    epochs : int, default=10
        Passes over the training data (fewer with early stopping).
    batch_size : int, default=128
        Samples per gradient step (and per prediction batch). BatchNorm on
        features (``mlp``'s input standardiser) needs 2+: ``fit`` says so.
    lr : float, default=1e-3
        Learning rate (the peak rate with ``lr_schedule="onecycle"``).
    weight_decay : float, default=0.0
        L2 penalty (decoupled for ``"adamw"``).
    optimizer : {"adam", "adamw", "sgd"}, default="adam"
        ``"sgd"`` uses momentum 0.9.
    lr_schedule : {"constant", "onecycle"}, default="constant"
        ``"onecycle"`` warms the learning rate up to ``lr`` and anneals it to
        nearly zero over all ``epochs`` (``torch.optim.lr_scheduler.OneCycleLR``,
        stepped after every batch): the same accuracy in far fewer epochs.
    validation_fraction : float in (0, 1), optional
        Hold out this fraction of the training data (stratified when possible)
        to report ``val_loss`` / ``val_accuracy`` in ``history_`` after each epoch.
    patience : int, optional
        Stop after this many epochs without a lower validation loss and restore
        the best weights. Needs ``validation_fraction``.
    refit : bool, default=False
        With ``patience``: once early stopping has chosen the number of epochs on the held-out
        fraction, train a fresh network on *all* the data for that many epochs, its learning-rate
        schedule run to the end (so no data is kept out of the final model, and a one-cycle
        schedule is not cut off before it anneals). ``search_history_`` keeps the first run.
    device : {"auto", "cpu", "cuda", "mps"} or torch.device, default="auto"
        Resolved with :func:`e2e_helpers.config.device`; ``"auto"`` follows
        ``E2E_DEVICE`` (cuda > mps > cpu).
    random_state : int, RandomState instance or None, default=None
        Seeds weight initialisation, dropout, shuffling and the validation
        split. The same int gives identical predictions on the same machine
        (on a GPU, also call :func:`e2e_helpers.config.seed_everything` for
        deterministic cuDNN). ``None`` draws from NumPy's global generator,
        so one ``seed_everything`` call at the top of a notebook is enough.
        Fitting never changes torch's global random state.
    progress : bool, default=True
        Show a progress bar over the epochs.

    Attributes
    ----------
    classes_ : ndarray
        The class labels (any type, e.g. strings), sorted.
    n_features_in_ : int
        Number of columns of ``X`` (only when ``X`` was 2-D).
    feature_names_in_ : ndarray of str
        Column names, when ``X`` was a DataFrame with string column names.
    input_shape_ : tuple of int
        The shape of one sample given to the network.
    module_ : nn.Module
        The trained network (on ``device_``, in eval mode after ``fit``).
    history_ : list of dict
        One record per epoch: ``epoch``, ``train_loss`` and, with
        ``validation_fraction``, ``val_loss`` and ``val_accuracy``.
    search_history_ : list of dict
        With ``refit``: the early-stopping run's history (its length is the epochs chosen plus
        ``patience``).
    device_ : torch.device
        Where the network lives.

    Notes
    -----
    ``TorchClassifier(mlp, ...)`` passes every check of scikit-learn's
    ``parametrize_with_checks`` that applies to it (``tests/learn/test_torch_classifier.py``);
    none is expected to fail. Two are skipped by scikit-learn itself unless
    their optional dependencies are present: the pandas column-name check
    (passes when pandas is installed) and the array-API check
    (``SCIPY_ARRAY_API=1``). Checks for ``sample_weight``, ``partial_fit``,
    ``decision_function`` and ``class_weight`` pass trivially: the estimator
    has none of them.
    """

    #: What each parameter accepts, checked at the start of ``fit``; that
    #: ``patience`` needs ``validation_fraction`` is checked by the training loop.
    _parameter_constraints: dict[str, list] = {
        "module": [
            Check(
                callable,
                "a callable module(input_shape, n_classes) -> nn.Module, e.g. "
                "e2e_helpers.learn.mlp",
            )
        ],
        "input_shape": [None, Check(is_shape, "a tuple of positive ints such as (1, 28, 28)")],
        "epochs": [Interval(int, 1)],
        "batch_size": [Interval(int, 1)],
        "lr": [Interval(float, 0, closed="neither")],
        "weight_decay": [Interval(float, 0)],
        "optimizer": [Options(*training.OPTIMIZERS)],
        "lr_schedule": [Options(*_SCHEDULES)],
        "validation_fraction": [None, Interval(float, 0, 1, closed="neither")],
        "patience": [None, Interval(int, 1)],
        "refit": [Check(lambda r: isinstance(r, (bool, np.bool_)), "True or False")],
        "device": [
            Check(
                lambda d: isinstance(d, (str, torch.device)),
                "'auto', 'cpu', 'cuda', 'mps' or a torch.device",
            )
        ],
        "random_state": [
            None,
            Check(
                lambda r: isinstance(r, (Integral, np.random.RandomState)),
                "an int or a RandomState",
            ),
        ],
        "progress": [Check(lambda p: isinstance(p, (bool, np.bool_)), "True or False")],
    }

    def __init__(
        self,
        module: ModuleFactory,
        *,
        input_shape: tuple[int, ...] | None = None,
        epochs: int = 10,
        batch_size: int = 128,
        lr: float = 1e-3,
        weight_decay: float = 0.0,
        optimizer: str = "adam",
        lr_schedule: str = "constant",
        validation_fraction: float | None = None,
        patience: int | None = None,
        refit: bool = False,
        device: str | torch.device = "auto",
        random_state: int | np.random.RandomState | None = None,
        progress: bool = True,
    ) -> None:
        self.module = module
        self.input_shape = input_shape
        self.epochs = epochs
        self.batch_size = batch_size
        self.lr = lr
        self.weight_decay = weight_decay
        self.optimizer = optimizer
        self.lr_schedule = lr_schedule
        self.validation_fraction = validation_fraction
        self.patience = patience
        self.refit = refit
        self.device = device
        self.random_state = random_state
        self.progress = progress

    # -- scikit-learn API -------------------------------------------------

    def fit(self, X: np.ndarray, y: np.ndarray) -> TorchClassifier:
        """Build the network and train it on ``X`` (2-D, or N-D images) and labels ``y``."""
        self.__dict__.pop("module_", None)  # a failed refit leaves the estimator unfitted
        self.__dict__.pop("search_history_", None)
        self._check_params()
        X, y = self._validate_fit_data(X, y)
        encoder = LabelEncoder().fit(y)
        self.classes_ = encoder.classes_
        targets = encoder.transform(y)
        self.device_ = resolve_device(self.device)
        seed = int(check_random_state(self.random_state).randint(np.iinfo(np.int32).max))
        train_idx, val_idx = self._split(targets, seed)
        if self.refit and self.patience is None:
            raise ValueError(
                "refit=True retrains on all the data for the epochs early stopping chose, so it "
                "needs patience (and validation_fraction): set both, or refit=False."
            )
        first = self._train(X, targets, (train_idx, val_idx), self.epochs, self.patience, seed)
        net, self.history_ = first
        if self.refit:
            self.search_history_ = self.history_
            best = 1 + int(np.argmin([r["val_loss"] for r in self.history_]))
            every = np.arange(len(targets))
            net, self.history_ = self._train(X, targets, (every, None), best, None, seed)
        self.module_ = net.eval()
        return self

    def predict_proba(self, X: np.ndarray) -> np.ndarray:
        """Class probabilities (softmax of the logits), shape (n_samples, n_classes)."""
        check_is_fitted(self)
        logits = self._logits(X)
        return torch.softmax(logits.double(), dim=1).numpy()

    def predict(self, X: np.ndarray) -> np.ndarray:
        """The most probable class of each sample, as labels from ``classes_``."""
        check_is_fitted(self)
        return self.classes_[self._logits(X).argmax(dim=1).numpy()]

    def __sklearn_is_fitted__(self) -> bool:
        """True once a fit has finished (used by ``check_is_fitted``)."""
        return hasattr(self, "module_")

    def __sklearn_tags__(self) -> Tags:
        """scikit-learn's tags, plus: N-D inputs (images) are accepted."""
        tags = super().__sklearn_tags__()
        tags.input_tags.three_d_array = True  # N-D images, reshaped to input_shape
        return tags

    # -- fitting helpers ---------------------------------------------------

    def _train(
        self,
        X: np.ndarray,
        targets: np.ndarray,
        rows: tuple[np.ndarray, np.ndarray | None],
        epochs: int,
        patience: int | None,
        seed: int,
    ) -> tuple[nn.Module, list[dict[str, float]]]:
        """A fresh network trained on the first of *rows* for *epochs* (scored on the second, where
        there is one, and stopped early with *patience*), and its history."""
        train_idx, val_idx = rows
        with (
            training.seeded_torch(seed, self.device_),
            one_sample_batches_refused(
                type(self).__name__, self.batch_size, len(train_idx), self.validation_fraction
            ),
        ):
            net = self._build_module(X)
            train_loader = self._loader(X, targets, train_idx, shuffle_seed=seed)
            optimizer = training.make_optimizer(
                self.optimizer, net.parameters(), self.lr, self.weight_decay
            )
            steps = epochs * len(train_loader)
            history = training.fit(
                net,
                train_loader,
                val_loader=None if val_idx is None else self._loader(X, targets, val_idx),
                epochs=epochs,
                optimizer=optimizer,
                scheduler=(
                    training.one_cycle_schedule(optimizer, self.lr, steps)
                    if self.lr_schedule == "onecycle"
                    else None
                ),
                loss_fn=nn.CrossEntropyLoss(),
                device=self.device_,
                patience=patience,
                progress=self.progress,
                desc=f"fit {factory_name(self.module)}",
            )
        return net, history

    def _check_params(self) -> None:
        """Raise ValueError for a parameter value fit cannot use (see the table)."""
        validate_params(self.get_params(deep=False), self._parameter_constraints)

    def _validate_fit_data(self, X: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Check X and y; set n_features_in_, input_shape_ and the sample shape."""
        X, y = validate_samples(self, X, y, reset=True)
        check_classification_targets(y)
        classes = np.unique(y)
        if len(classes) < 2:
            raise ValueError(
                f"{type(self).__name__} needs at least 2 classes in y to learn to tell them "
                f"apart, got 1 class ({classes[0]!r}): pass samples of at least two classes."
            )
        if X.ndim == 2:
            self.n_features_in_ = X.shape[1]
        elif hasattr(self, "n_features_in_"):
            del self.n_features_in_
        self._sample_shape = X.shape[1:]
        self.input_shape_ = resolve_input_shape(self.input_shape, X.shape[1:])
        return X, y

    def _split(self, targets: np.ndarray, seed: int) -> tuple[np.ndarray, np.ndarray | None]:
        """Training and validation indices (stratified when every class has 2+ samples)."""
        indices = np.arange(len(targets))
        if self.validation_fraction is None:
            return indices, None
        stratify = targets if np.bincount(targets).min() >= 2 else None
        try:
            train, val = train_test_split(
                indices, test_size=self.validation_fraction, stratify=stratify, random_state=seed
            )
        except ValueError:
            train, val = train_test_split(
                indices, test_size=self.validation_fraction, random_state=seed
            )
        return train, val

    def _build_module(self, X: np.ndarray) -> nn.Module:
        """Call the factory and check, on two samples, that it gives one logit per class."""
        sample = to_batch(X[:2], self.input_shape_)
        net = build_network(
            self.module, self.input_shape_, len(self.classes_), sample=sample, device=self.device_
        )
        if len(self.input_shape_) == 3 and self.device_.type in ("cpu", "cuda"):
            # image weights stored channels-last, like the batches
            net = net.to(memory_format=torch.channels_last)
        return net.train()

    def _loader(
        self,
        X: np.ndarray,
        targets: np.ndarray,
        indices: Sequence[int],
        shuffle_seed: int | None = None,
    ) -> DataLoader:
        """Batches of ``X[indices]`` (shuffled each epoch when a seed is given)."""
        return array_loader(X, targets, indices, self.input_shape_, self.batch_size, shuffle_seed)

    # -- prediction helpers ------------------------------------------------

    def _logits(self, X: np.ndarray) -> torch.Tensor:
        """Network outputs for X, on the CPU."""
        X = self._validate_predict_data(X)
        self.module_.eval()
        outputs = []
        with torch.no_grad():
            for start in range(0, len(X), self.batch_size):
                batch = to_batch(X[start : start + self.batch_size], self.input_shape_)
                outputs.append(self.module_(batch.to(self.device_)).cpu())
        return torch.cat(outputs)

    def _validate_predict_data(self, X: np.ndarray) -> np.ndarray:
        X = validate_samples(self, X, reset=False)
        name = type(self).__name__
        if X.ndim == 2 and hasattr(self, "n_features_in_") and X.shape[1] != self.n_features_in_:
            raise ValueError(
                f"X has {X.shape[1]} features, but {name} is expecting {self.n_features_in_} "
                f"features as input: pass the same columns as in fit."
            )
        if X.shape[1:] != self._sample_shape:
            raise ValueError(
                f"X has samples of shape {X.shape[1:]}, but {name} was fitted on samples of "
                f"shape {self._sample_shape}: reshape X to (n_samples, *{self._sample_shape}) "
                f"like the training data."
            )
        return X
