"""The one training loop of the package: one epoch, evaluation, a full fit, and what they are given.

The loops are deliberately plain so a learner can read them next to a
textbook: a loader yields ``(inputs, targets)`` batches, ``loss_fn(model(inputs),
targets)`` is a mean-reduced loss such as ``nn.CrossEntropyLoss()``. Either part
of a batch may be a tuple of tensors (a CTC batch's targets are the labels and
the lengths the loss needs, see :mod:`e2e_helpers.speech.ctc`); a batch counts as
``len(inputs)`` samples. :func:`fit` adds what every real training run needs:
a validation pass after each epoch (classifiers: loss and accuracy), early
stopping on the validation loss (restoring the best weights), optional
gradient clipping, and one ``tqdm`` progress bar over the epochs. Every network
of the course, image classifier or speech recogniser, is trained here, with an
optimiser from :func:`make_optimizer` and, if asked, :func:`one_cycle_schedule`.

>>> import torch
>>> from torch import nn
>>> from torch.utils.data import DataLoader, TensorDataset
>>> _ = torch.manual_seed(0)
>>> X, y = torch.randn(64, 2), torch.randint(0, 2, (64,))
>>> loader = DataLoader(TensorDataset(X, y), batch_size=16)
>>> model = nn.Linear(2, 2)
>>> history = fit(model, loader, epochs=2, optimizer=torch.optim.SGD(model.parameters(), lr=0.1),
...               loss_fn=nn.CrossEntropyLoss(), device="cpu", val_loader=loader, progress=False)
>>> [sorted(record) for record in history][0]
['epoch', 'train_loss', 'val_accuracy', 'val_loss']
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from functools import partial

import torch
from torch import nn
from tqdm.auto import tqdm

from .._checks import Interval, check_positive_int, validate_params

__all__ = ["fit"]

Tensors = torch.Tensor | tuple[torch.Tensor, ...]
Batches = Iterable[tuple[Tensors, Tensors]]
LossFn = Callable[[torch.Tensor, Tensors], torch.Tensor]

#: The optimisers :func:`make_optimizer` builds (``"sgd"`` with momentum 0.9).
OPTIMIZERS = ("adam", "adamw", "sgd")
_CLIP = {"clip_grad_norm": [None, Interval(float, 0, closed="neither")]}


def train_epoch(
    model: nn.Module,
    loader: Batches,
    optimizer: torch.optim.Optimizer,
    loss_fn: LossFn,
    device: torch.device | str,
    scheduler: torch.optim.lr_scheduler.LRScheduler | None = None,
    clip_grad_norm: float | None = None,
) -> float:
    """One pass over *loader* in training mode; returns the mean loss per sample.

    A *scheduler* (e.g. ``OneCycleLR``) is stepped after every batch; with
    *clip_grad_norm*, the gradients' norm is clipped to it before each step.
    """
    model.train()
    losses, sizes = [], []  # read back once, at the end: no device sync per batch
    for inputs, targets in loader:
        inputs, targets = _to(inputs, device), _to(targets, device)
        optimizer.zero_grad(set_to_none=True)
        loss = loss_fn(model(inputs), targets)
        loss.backward()
        if clip_grad_norm is not None:
            nn.utils.clip_grad_norm_(model.parameters(), clip_grad_norm)
        optimizer.step()
        if scheduler is not None:
            scheduler.step()
        losses.append(loss.detach())
        sizes.append(len(inputs))
    values = torch.stack(losses).tolist() if losses else []
    return _mean(sum(value * size for value, size in zip(values, sizes)), sum(sizes))


def _to(batch: Tensors, device: torch.device | str) -> Tensors:
    """A tensor, or each tensor of a tuple, on *device*."""
    if isinstance(batch, tuple):
        return tuple(part.to(device) for part in batch)
    return batch.to(device)


@torch.no_grad()
def evaluate(
    model: nn.Module,
    loader: Batches,
    loss_fn: LossFn,
    device: torch.device | str,
) -> tuple[float, float]:
    """Mean loss and accuracy (argmax of the logits) of a classifier over *loader*, in eval mode."""
    model.eval()
    total = torch.zeros((), device=device)
    correct = torch.zeros((), device=device)
    count = 0
    for inputs, targets in loader:
        inputs, targets = inputs.to(device), targets.to(device)
        outputs = model(inputs)
        total += loss_fn(outputs, targets) * len(targets)
        correct += (outputs.argmax(dim=1) == targets).sum()
        count += len(targets)
    return _mean(total, count), _mean(correct, count)


class EarlyStopping:
    """Stop when the validation loss has not improved for *patience* epochs.

    Keeps a copy of the weights of the best epoch so far; :meth:`restore` puts
    them back into the model.
    """

    def __init__(self, patience: int) -> None:
        check_positive_int("patience", patience)
        self.patience = patience
        self.best_loss = math.inf
        self.best_epoch = 0
        self.best_state: dict[str, torch.Tensor] | None = None
        self._waited = 0

    def update(self, epoch: int, val_loss: float, model: nn.Module) -> bool:
        """Record one epoch's validation loss; True when training should stop."""
        if val_loss < self.best_loss:
            self.best_loss, self.best_epoch, self._waited = val_loss, epoch, 0
            self.best_state = {k: v.detach().clone() for k, v in model.state_dict().items()}
            return False
        self._waited += 1
        return self._waited >= self.patience

    def restore(self, model: nn.Module) -> None:
        """Load the best weights seen so far (does nothing before the first update)."""
        if self.best_state is not None:
            model.load_state_dict(self.best_state)


def fit(
    model: nn.Module,
    train_loader: Batches,
    *,
    epochs: int,
    optimizer: torch.optim.Optimizer,
    loss_fn: LossFn,
    device: torch.device | str,
    val_loader: Batches | None = None,
    patience: int | None = None,
    scheduler: torch.optim.lr_scheduler.LRScheduler | None = None,
    clip_grad_norm: float | None = None,
    progress: bool = True,
    desc: str = "training",
) -> list[dict[str, float]]:
    """Train *model* for *epochs* epochs and return the history, one dict per epoch.

    Each record holds ``epoch`` and ``train_loss``, plus ``val_loss`` and
    ``val_accuracy`` when *val_loader* is given. With *patience*, training
    stops once the validation loss has not improved for that many epochs, and
    the weights of the best epoch are restored (so the history may be shorter
    than *epochs*); this is the one place where "patience needs validation
    data" is checked. A *scheduler* changes the learning rate after every
    batch; *clip_grad_norm* clips the gradients' norm before every step. A
    ``tqdm`` bar over the epochs shows the latest losses; ``progress=False``
    hides it. The model is moved to *device* first.
    """
    check_positive_int("epochs", epochs)
    validate_params({"clip_grad_norm": clip_grad_norm}, _CLIP)
    stopper = _early_stopping(patience, val_loader)
    device = torch.device(device)
    model.to(device)
    step = partial(
        train_epoch,
        optimizer=optimizer,
        loss_fn=loss_fn,
        device=device,
        scheduler=scheduler,
        clip_grad_norm=clip_grad_norm,
    )
    history: list[dict[str, float]] = []
    with tqdm(range(1, epochs + 1), desc=desc, unit="epoch", disable=not progress) as bar:
        for epoch in bar:
            record = {"epoch": epoch, "train_loss": step(model, train_loader)}
            _check_finite(record["train_loss"], epoch)
            if val_loader is not None:
                record["val_loss"], record["val_accuracy"] = evaluate(
                    model, val_loader, loss_fn, device
                )
            history.append(record)
            bar.set_postfix({k: v for k, v in record.items() if k != "epoch"})
            if stopper is not None and stopper.update(epoch, record["val_loss"], model):
                break
    if stopper is not None:
        stopper.restore(model)
    return history


def _check_finite(loss: float, epoch: int) -> None:
    if not math.isfinite(loss):
        raise FloatingPointError(
            f"the training loss became {loss} in epoch {epoch}: training diverged; lower "
            f"the learning rate or standardise the inputs, then fit again."
        )


def _mean(total: torch.Tensor | float, count: int) -> float:
    if count == 0:
        raise ValueError("the data loader yielded no samples: give it at least one batch.")
    return float(total) / count


def _early_stopping(patience: int | None, val_loader: object) -> EarlyStopping | None:
    """The early-stopping rule for *patience*, refused without validation data."""
    if patience is None:
        return None
    stopper = EarlyStopping(patience)
    if val_loader is None:
        raise ValueError(
            f"patience={patience!r} stops on the validation loss, so it needs held-out data: "
            f"pass a val_loader (TorchClassifier: validation_fraction, e.g. 0.1), or set "
            f"patience=None."
        )
    return stopper


def make_optimizer(
    name: str, parameters: Iterable[nn.Parameter], lr: float, weight_decay: float = 0.0
) -> torch.optim.Optimizer:
    """The optimiser *name* (one of :data:`OPTIMIZERS`) over *parameters*.

    ``"adamw"`` decouples the weight decay; ``"sgd"`` uses momentum 0.9.

    >>> make_optimizer("sgd", nn.Linear(2, 2).parameters(), lr=0.1).defaults["momentum"]
    0.9
    """
    if name == "adam":
        return torch.optim.Adam(parameters, lr=lr, weight_decay=weight_decay)
    if name == "adamw":
        return torch.optim.AdamW(parameters, lr=lr, weight_decay=weight_decay)
    if name == "sgd":
        return torch.optim.SGD(parameters, lr=lr, momentum=0.9, weight_decay=weight_decay)
    raise ValueError(f"optimizer must be one of {', '.join(OPTIMIZERS)}, got {name!r}.")


def one_cycle_schedule(
    optimizer: torch.optim.Optimizer, lr: float, total_steps: int, warmup: float = 0.3
) -> torch.optim.lr_scheduler.OneCycleLR:
    """One-cycle rates: up to *lr* over the first *warmup* of *total_steps*, then to nearly 0.

    Step it after every batch (as :func:`fit` does).
    """
    return torch.optim.lr_scheduler.OneCycleLR(
        optimizer, max_lr=lr, total_steps=total_steps, pct_start=warmup
    )


@contextmanager
def seeded_torch(seed: int, device: torch.device) -> Iterator[None]:
    """Seed torch for the block, then give back torch's previous global random state.

    Forks the CPU generator and, on a CUDA *device*, that GPU's generator, so
    code inside is reproducible and code outside is unaffected.

    >>> before = torch.get_rng_state()
    >>> with seeded_torch(0, torch.device("cpu")):
    ...     first = torch.rand(1)
    >>> with seeded_torch(0, torch.device("cpu")):
    ...     torch.equal(torch.rand(1), first)
    True
    >>> torch.equal(torch.get_rng_state(), before)
    True
    """
    if device.type == "cuda":
        index = device.index if device.index is not None else torch.cuda.current_device()
        fork = torch.random.fork_rng(devices=[index], device_type="cuda")
    else:
        fork = torch.random.fork_rng(devices=[])
    with fork:
        torch.manual_seed(seed)
        yield
