"""Neural networks behind the scikit-learn ``fit / predict / score`` API.

:class:`TorchClassifier` wraps any ``nn.Module`` factory (see
:mod:`e2e_helpers.models`) so that an end-to-end network and a traditional
``Pipeline(features, selector, SVC)`` are fitted, scored, cross-validated and
passed through ``learning_curve`` in exactly the same way:

>>> from sklearn.datasets import make_classification
>>> from sklearn.model_selection import cross_val_score
>>> from e2e_helpers import models
>>> X, y = make_classification(n_samples=200, random_state=0)
>>> net = TorchClassifier(models.mlp, epochs=5, progress=False, random_state=0)
>>> scores = cross_val_score(net, X, y, cv=3)
>>> len(scores)
3
"""

from __future__ import annotations

import copy
import math
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from numbers import Integral, Real

import numpy as np
import torch
from sklearn.base import BaseEstimator, ClassifierMixin
from sklearn.model_selection import train_test_split
from sklearn.preprocessing import LabelEncoder
from sklearn.utils import Tags, check_random_state
from sklearn.utils.multiclass import check_classification_targets
from sklearn.utils.validation import check_is_fitted, validate_data
from torch import nn
from torch.utils.data import BatchSampler, DataLoader, Dataset, SubsetRandomSampler

from . import config, models, training
from .training import _check_positive_int

__all__ = ["TorchClassifier", "cnn_classifier", "fine_tune"]

ModuleFactory = Callable[[tuple[int, ...], int], nn.Module]

_OPTIMIZERS = ("adam", "adamw", "sgd")
_SCHEDULES = ("constant", "onecycle")
_FLOAT32_MAX = float(np.finfo(np.float32).max)


class TorchClassifier(ClassifierMixin, BaseEstimator):
    """A PyTorch classifier with the scikit-learn estimator API.

    ``fit`` builds the network with ``module(input_shape, n_classes)``, trains
    it with cross-entropy (see :func:`e2e_helpers.training.fit`) and keeps it on
    ``device_``; ``predict`` and ``predict_proba`` return NumPy arrays;
    ``score`` is the accuracy. Use it anywhere a scikit-learn classifier goes:
    in a ``Pipeline``, ``cross_val_score``, ``learning_curve``, ``GridSearchCV``.

    Parameters
    ----------
    module : callable
        ``module(input_shape, n_classes) -> nn.Module`` returning one logit per
        class, e.g. :func:`e2e_helpers.models.mlp`. Bind extra options with
        ``functools.partial(models.small_cnn, channels=(16, 32))``.
    input_shape : tuple of int, optional
        Shape of one sample as the network wants it. Each sample is reshaped
        to it, so flattened pixels (for instance the output of a ``Pipeline``
        step) can feed a CNN: ``input_shape=(1, 28, 28)``. By default the
        shape of one row of ``X``.
    epochs : int, default=10
        Passes over the training data (fewer with early stopping).
    batch_size : int, default=128
        Samples per gradient step (and per prediction batch).
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
    device_ : torch.device
        Where the network lives.

    Notes
    -----
    ``TorchClassifier(models.mlp, ...)`` passes every check of scikit-learn's
    ``parametrize_with_checks`` that applies to it (``tests/test_estimators.py``);
    none is expected to fail. Two are skipped by scikit-learn itself unless
    their optional dependencies are present: the pandas column-name check
    (passes when pandas is installed) and the array-API check
    (``SCIPY_ARRAY_API=1``). Checks for ``sample_weight``, ``partial_fit``,
    ``decision_function`` and ``class_weight`` pass trivially: the estimator
    has none of them.
    """

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
        self.device = device
        self.random_state = random_state
        self.progress = progress

    # -- scikit-learn API -------------------------------------------------

    def fit(self, X: np.ndarray, y: np.ndarray) -> TorchClassifier:
        """Build the network and train it on ``X`` (2-D, or N-D images) and labels ``y``."""
        self.__dict__.pop("module_", None)  # a failed refit leaves the estimator unfitted
        self._check_params()
        X, y = self._validate_fit_data(X, y)
        encoder = LabelEncoder().fit(y)
        self.classes_ = encoder.classes_
        targets = encoder.transform(y)
        self.device_ = _resolve_device(self.device)
        seed = int(check_random_state(self.random_state).randint(np.iinfo(np.int32).max))
        train_idx, val_idx = self._split(targets, seed)
        with _seeded_torch(seed, self.device_):
            net = self._build_module(X)
            train_loader = self._loader(X, targets, train_idx, shuffle_seed=seed)
            optimizer = self._make_optimizer(net)
            self.history_ = training.fit(
                net,
                train_loader,
                val_loader=None if val_idx is None else self._loader(X, targets, val_idx),
                epochs=self.epochs,
                optimizer=optimizer,
                scheduler=self._make_scheduler(optimizer, len(train_loader)),
                loss_fn=nn.CrossEntropyLoss(),
                device=self.device_,
                patience=self.patience,
                progress=self.progress,
                desc=f"fit {_factory_name(self.module)}",
            )
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

    def _check_params(self) -> None:
        """Raise ValueError for a parameter value fit cannot use."""
        if not callable(self.module):
            raise ValueError(
                f"module must be a callable module(input_shape, n_classes) -> nn.Module, "
                f"e.g. e2e_helpers.models.mlp, got {self.module!r}."
            )
        if self.input_shape is not None:
            _positive_shape(self.input_shape)
        _check_positive_int("epochs", self.epochs)
        _check_positive_int("batch_size", self.batch_size)
        _check_real("lr", self.lr, low=0.0, low_inclusive=False)
        _check_real("weight_decay", self.weight_decay, low=0.0, low_inclusive=True)
        if self.optimizer not in _OPTIMIZERS:
            raise ValueError(
                f"optimizer must be one of {', '.join(map(repr, _OPTIMIZERS))}, got {self.optimizer!r}."
            )
        if self.lr_schedule not in _SCHEDULES:
            raise ValueError(
                f"lr_schedule must be one of {', '.join(map(repr, _SCHEDULES))}, got {self.lr_schedule!r}."
            )
        if self.validation_fraction is not None:
            _check_real("validation_fraction", self.validation_fraction, low=0.0, low_inclusive=False)
            if self.validation_fraction >= 1:
                raise ValueError(
                    f"validation_fraction must be in (0, 1), e.g. 0.1, got {self.validation_fraction!r}."
                )
        if self.patience is not None:
            _check_positive_int("patience", self.patience)
            if self.validation_fraction is None:
                raise ValueError(
                    f"patience={self.patience!r} stops on the validation loss, which needs "
                    f"held-out data: also pass validation_fraction (e.g. 0.1), or set patience=None."
                )
        if not isinstance(self.progress, (bool, np.bool_)):
            raise ValueError(f"progress must be True or False, got {self.progress!r}.")

    def _validate_fit_data(self, X: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Check X and y; set n_features_in_, input_shape_ and the sample shape."""
        X, y = _as_numeric(lambda **kw: validate_data(self, X, y, reset=True, **kw))
        _check_ndim(X)
        _check_finite(X)
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
        self.input_shape_ = self._resolve_input_shape(X.shape[1:])
        return X, y

    def _resolve_input_shape(self, sample_shape: tuple[int, ...]) -> tuple[int, ...]:
        if self.input_shape is None:
            return tuple(sample_shape)
        shape = _positive_shape(self.input_shape)
        n_values = math.prod(sample_shape)
        if math.prod(shape) != n_values:
            guess = models.guess_image_shape(n_values) or (n_values,)
            raise ValueError(
                f"input_shape={shape} needs {math.prod(shape)} values per sample, but each "
                f"sample of X has shape {tuple(sample_shape)} ({n_values} values): pass "
                f"input_shape={guess}, or input_shape=None to use the shape of X as it is."
            )
        return shape

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
            train, val = train_test_split(indices, test_size=self.validation_fraction, random_state=seed)
        return train, val

    def _build_module(self, X: np.ndarray) -> nn.Module:
        """Call the factory and check, on two samples, that it gives one logit per class."""
        n_classes = len(self.classes_)
        net = self.module(self.input_shape_, n_classes)
        name = _factory_name(self.module)
        if not isinstance(net, nn.Module):
            raise ValueError(
                f"module {name}(input_shape, n_classes) must return an nn.Module, "
                f"got {type(net).__name__}."
            )
        net = net.to(self.device_)
        sample = _to_batch(X[:2], self.input_shape_).to(self.device_)
        net.eval()
        try:
            with torch.no_grad():
                out = net(sample)
        except RuntimeError as error:
            raise ValueError(
                f"the network from {name}(input_shape={self.input_shape_}, n_classes={n_classes}) "
                f"fails on a batch of shape {tuple(sample.shape)}: {error}. Check input_shape: "
                f"e.g. a CNN on flattened 28x28 grey images needs input_shape=(1, 28, 28)."
            ) from error
        if tuple(out.shape) != (len(sample), n_classes):
            raise ValueError(
                f"the network from {name} returns outputs of shape {tuple(out.shape)} for a batch "
                f"of {len(sample)}, expected ({len(sample)}, {n_classes}): its last layer must give "
                f"one logit per class (n_classes={n_classes}), without a softmax."
            )
        if _channels_last(self.input_shape_, self.device_):
            net = net.to(memory_format=torch.channels_last)
        return net.train()

    def _make_optimizer(self, net: nn.Module) -> torch.optim.Optimizer:
        params = net.parameters()
        if self.optimizer == "adam":
            return torch.optim.Adam(params, lr=self.lr, weight_decay=self.weight_decay)
        if self.optimizer == "adamw":
            return torch.optim.AdamW(params, lr=self.lr, weight_decay=self.weight_decay)
        return torch.optim.SGD(params, lr=self.lr, momentum=0.9, weight_decay=self.weight_decay)

    def _make_scheduler(
        self, optimizer: torch.optim.Optimizer, batches_per_epoch: int
    ) -> torch.optim.lr_scheduler.LRScheduler | None:
        if self.lr_schedule == "constant":
            return None
        total = self.epochs * batches_per_epoch
        return torch.optim.lr_scheduler.OneCycleLR(optimizer, max_lr=self.lr, total_steps=total)

    def _loader(
        self,
        X: np.ndarray,
        targets: np.ndarray,
        indices: Sequence[int],
        shuffle_seed: int | None = None,
    ) -> DataLoader:
        """Batches of ``X[indices]`` (shuffled each epoch when a seed is given)."""
        generator = torch.Generator().manual_seed(shuffle_seed or 0)
        order = indices if shuffle_seed is None else SubsetRandomSampler(indices, generator=generator)
        # A last training batch of one sample breaks BatchNorm layers: drop it.
        drop_last = shuffle_seed is not None and len(indices) % self.batch_size == 1 and len(indices) > 1
        batches = BatchSampler(order, self.batch_size, drop_last=drop_last)
        dataset = _ArrayBatches(X, targets, self.input_shape_)
        return DataLoader(dataset, sampler=batches, batch_size=None, num_workers=0, generator=generator)

    # -- prediction helpers ------------------------------------------------

    def _logits(self, X: np.ndarray) -> torch.Tensor:
        """Network outputs for X, on the CPU."""
        X = self._validate_predict_data(X)
        self.module_.eval()
        outputs = []
        with torch.no_grad():
            for start in range(0, len(X), self.batch_size):
                batch = _to_batch(X[start : start + self.batch_size], self.input_shape_)
                outputs.append(self.module_(batch.to(self.device_)).cpu())
        return torch.cat(outputs)

    def _validate_predict_data(self, X: np.ndarray) -> np.ndarray:
        X = _as_numeric(lambda **kw: validate_data(self, X, reset=False, **kw))
        _check_ndim(X)
        _check_finite(X)
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


class _ArrayBatches(Dataset):
    """Index with a list of rows; returns a float32 batch and int64 targets."""

    def __init__(self, X: np.ndarray, targets: np.ndarray, shape: tuple[int, ...]) -> None:
        self.X, self.targets, self.shape = X, targets, shape

    def __len__(self) -> int:
        return len(self.X)

    def __getitem__(self, rows: list[int]) -> tuple[torch.Tensor, torch.Tensor]:
        return _to_batch(self.X[rows], self.shape), torch.as_tensor(self.targets[rows], dtype=torch.int64)


def _to_batch(X: np.ndarray, shape: tuple[int, ...]) -> torch.Tensor:
    """Rows of X as a float32 tensor of shape (n, *shape) (the array keeps its dtype until here).

    Image batches ``(n, channels, height, width)`` are stored channels-last,
    the memory layout oneDNN (CPU) and cuDNN (GPU) convolutions prefer; the
    tensor's shape and values are unchanged.
    """
    batch = torch.from_numpy(np.array(X, dtype=np.float32).reshape(len(X), *shape))
    return batch.contiguous(memory_format=torch.channels_last) if batch.ndim == 4 else batch


def _channels_last(input_shape: tuple[int, ...], device: torch.device) -> bool:
    """Whether to store the network's weights channels-last (image inputs on CPU or CUDA)."""
    return len(input_shape) == 3 and device.type in ("cpu", "cuda")


@contextmanager
def _seeded_torch(seed: int, device: torch.device) -> Iterator[None]:
    """Seed torch for the block, then give back torch's previous global random state."""
    if device.type == "cuda":
        index = device.index if device.index is not None else torch.cuda.current_device()
        fork = torch.random.fork_rng(devices=[index], device_type="cuda")
    else:
        fork = torch.random.fork_rng(devices=[])
    with fork:
        torch.manual_seed(seed)
        yield


def _resolve_device(device: str | torch.device) -> torch.device:
    if isinstance(device, torch.device):
        return device
    if not isinstance(device, str):
        raise ValueError(f"device must be 'auto', 'cpu', 'cuda', 'mps' or a torch.device, got {device!r}.")
    return config.device(None if device == "auto" else device)


def _as_numeric(validate: Callable[..., object]):
    """Run scikit-learn's validation, making the 'not numbers' error say how to fix it."""
    try:
        return validate(
            accept_sparse=False, allow_nd=True, ensure_2d=False, dtype="numeric", ensure_all_finite=False
        )
    except ValueError as error:
        text = str(error)
        if "could not convert" in text or "bytes/strings" in text:
            raise ValueError(
                f"X must hold numbers only ({text.strip()}): encode text or categories as "
                f"numbers first, e.g. with sklearn.preprocessing.OneHotEncoder or OrdinalEncoder."
            ) from error
        raise


def _check_ndim(X: np.ndarray) -> None:
    if X.ndim < 2:
        raise ValueError(
            f"Expected a 2-D array (n_samples, n_features) or images (n_samples, *shape), got a "
            f"{X.ndim}-D array of shape {X.shape}. Reshape your data either using "
            f"X.reshape(-1, 1) if it has a single feature or X.reshape(1, -1) if it is a single sample."
        )


def _check_finite(X: np.ndarray) -> None:
    """NaN, inf, or (float64) values that would overflow float32 are errors."""
    if X.dtype.kind != "f" or X.size == 0:
        return
    if not np.isfinite(X).all():
        n_nan, n_inf = int(np.isnan(X).sum()), int(np.isinf(X).sum())
        raise ValueError(
            f"Input X contains {n_nan} NaN and {n_inf} inf values, but a network needs finite "
            f"numbers: drop those samples or fill them in first (e.g. put "
            f"sklearn.impute.SimpleImputer before the classifier in a Pipeline)."
        )
    if X.dtype.itemsize > 4 and np.abs(X).max() > _FLOAT32_MAX:
        raise ValueError(
            f"X holds values up to {np.abs(X).max():.3g}, beyond float32 (the network's precision): "
            f"rescale X first, e.g. with sklearn.preprocessing.StandardScaler."
        )


def _positive_shape(shape: object) -> tuple[int, ...]:
    values = tuple(shape) if isinstance(shape, (tuple, list)) else ()
    if not values or not all(isinstance(s, Integral) and not isinstance(s, bool) and s >= 1 for s in values):
        raise ValueError(
            f"input_shape must be None or a tuple of positive ints such as (1, 28, 28), got {shape!r}."
        )
    return tuple(int(s) for s in values)


def _check_real(name: str, value: object, *, low: float, low_inclusive: bool) -> None:
    ok = isinstance(value, Real) and not isinstance(value, bool) and math.isfinite(value)
    if ok:
        ok = value >= low if low_inclusive else value > low
    if not ok:
        bound = f">= {low}" if low_inclusive else f"> {low}"
        raise ValueError(f"{name} must be a finite number {bound}, got {value!r}.")


def _factory_name(module: object) -> str:
    """A readable name for a factory, a functools.partial of one, or a class."""
    func = getattr(module, "func", module)
    return getattr(func, "__name__", type(func).__name__)


def cnn_classifier(input_shape: tuple[int, int, int] = (1, 28, 28), **overrides: object) -> TorchClassifier:
    """The course's CNN recipe for small images (28x28 or 32x32), as a :class:`TorchClassifier`.

    Three conv-BN-ReLU-maxpool blocks (16, 32, 64 channels), a 128-unit
    hidden layer and dropout (:func:`e2e_helpers.models.small_cnn`), trained
    for 8 epochs with AdamW and a one-cycle learning rate: on Fashion-MNIST it
    beats the published two-layer CNNs' 0.916-0.925 in a few CPU minutes
    (``benchmarks/`` and ``results/`` hold the measured figures). *overrides* replace
    any :class:`TorchClassifier` parameter, e.g. ``epochs=1`` for a quick run.
    """
    from functools import partial

    settings: dict[str, object] = dict(
        module=partial(models.small_cnn, channels=(16, 32, 64), hidden=128),
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
    X: np.ndarray,
    y: np.ndarray,
    *,
    epochs: int = 20,
    lr: float = 1e-3,
    random_state: int = 0,
    progress: bool = False,
) -> TorchClassifier:
    """A copy of the fitted *classifier*, trained further on a few new examples (few-shot adaptation).

    The copy's network starts from the fitted weights and is trained on
    ``(X, y)`` alone with Adam at a constant *lr* for *epochs* passes, in
    batches of ``classifier.batch_size``; its BatchNorm statistics adapt to
    the new data too. Labels must be among ``classifier.classes_``. The
    original is left unchanged; the copy's ``history_`` holds only the new epochs.
    """
    check_is_fitted(classifier)
    _check_positive_int("epochs", epochs)
    _check_real("lr", lr, low=0.0, low_inclusive=False)
    tuned = copy.deepcopy(classifier)
    X = tuned._validate_predict_data(X)
    y = np.asarray(y)
    if len(y) != len(X) or len(y) == 0:
        raise ValueError(f"fine_tune needs one label per sample and at least one sample, got {len(X)} samples and {len(y)} labels.")
    unknown = np.setdiff1d(y, tuned.classes_)
    if unknown.size:
        raise ValueError(
            f"labels {unknown.tolist()} were not seen in fit (classes_ are {tuned.classes_.tolist()}): "
            "fine-tuning adapts a classifier to new examples of its classes, it cannot add classes."
        )
    targets = np.searchsorted(tuned.classes_, y)
    with _seeded_torch(random_state, tuned.device_):
        loader = tuned._loader(X, targets, np.arange(len(y)), shuffle_seed=random_state)
        net = tuned.module_
        tuned.history_ = training.fit(
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
