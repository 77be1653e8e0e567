"""Training loops for PyTorch classifiers: one epoch, evaluation, and a full fit.

The loops are deliberately plain so a learner can read them next to a
textbook: a loader yields ``(inputs, targets)`` batches, the model returns one
logit per class, and ``loss_fn`` is a mean-reduced loss such as
``nn.CrossEntropyLoss()``. :func:`fit` adds what every real training run needs:
a validation pass after each epoch, early stopping on the validation loss
(restoring the best weights), and one ``tqdm`` progress bar over the epochs.

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

import torch
from torch import nn
from tqdm.auto import tqdm

from .._checks import check_positive_int

__all__ = ["train_epoch", "evaluate", "fit", "EarlyStopping", "seeded_torch"]

Batches = Iterable[tuple[torch.Tensor, torch.Tensor]]
LossFn = Callable[[torch.Tensor, torch.Tensor], torch.Tensor]


def train_epoch(
    model: nn.Module,
    loader: Batches,
    optimizer: torch.optim.Optimizer,
    loss_fn: LossFn,
    device: torch.device | str,
    scheduler: torch.optim.lr_scheduler.LRScheduler | None = None,
) -> float:
    """One pass over *loader* in training mode; returns the mean loss per sample.

    A *scheduler* (e.g. ``OneCycleLR``) is stepped after every batch.
    """
    model.train()
    total = torch.zeros((), device=device)
    count = 0
    for inputs, targets in loader:
        inputs, targets = inputs.to(device), targets.to(device)
        optimizer.zero_grad(set_to_none=True)
        loss = loss_fn(model(inputs), targets)
        loss.backward()
        optimizer.step()
        if scheduler is not None:
            scheduler.step()
        total += loss.detach() * len(targets)
        count += len(targets)
    return _mean(total, count)


@torch.no_grad()
def evaluate(
    model: nn.Module,
    loader: Batches,
    loss_fn: LossFn,
    device: torch.device | str,
) -> tuple[float, float]:
    """Mean loss and accuracy (argmax of the logits) over *loader*, in eval mode."""
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
    progress: bool = True,
    desc: str = "training",
) -> list[dict[str, float]]:
    """Train *model* for *epochs* epochs and return the history, one dict per epoch.

    Each record holds ``epoch`` and ``train_loss``, plus ``val_loss`` and
    ``val_accuracy`` when *val_loader* is given. With *patience*, training
    stops once the validation loss has not improved for that many epochs, and
    the weights of the best epoch are restored (so the history may be shorter
    than *epochs*). A *scheduler* changes the learning rate after every
    batch. A ``tqdm`` bar over the epochs shows the latest losses;
    ``progress=False`` hides it. The model is moved to *device* first.
    """
    _check_fit_args(epochs, patience, val_loader)
    device = torch.device(device)
    model.to(device)
    stopper = EarlyStopping(patience) if patience is not None else None
    history: list[dict[str, float]] = []
    with tqdm(range(1, epochs + 1), desc=desc, unit="epoch", disable=not progress) as bar:
        for epoch in bar:
            record = _run_epoch(
                epoch, model, train_loader, val_loader, optimizer, loss_fn, device, scheduler
            )
            history.append(record)
            bar.set_postfix({k: v for k, v in record.items() if k != "epoch"})
            if stopper is not None and stopper.update(epoch, record["val_loss"], model):
                break
    if stopper is not None:
        stopper.restore(model)
    return history


def _run_epoch(
    epoch: int,
    model: nn.Module,
    train_loader: Batches,
    val_loader: Batches | None,
    optimizer: torch.optim.Optimizer,
    loss_fn: LossFn,
    device: torch.device,
    scheduler: torch.optim.lr_scheduler.LRScheduler | None,
) -> dict[str, float]:
    """Train one epoch, validate if asked, and return the epoch's record."""
    record: dict[str, float] = {"epoch": epoch}
    record["train_loss"] = train_epoch(model, train_loader, optimizer, loss_fn, device, scheduler)
    if not math.isfinite(record["train_loss"]):
        raise FloatingPointError(
            f"the training loss became {record['train_loss']} in epoch {epoch}: training "
            f"diverged; lower the learning rate or standardise the inputs, then fit again."
        )
    if val_loader is not None:
        record["val_loss"], record["val_accuracy"] = evaluate(model, val_loader, loss_fn, device)
    return record


def _mean(total: torch.Tensor, count: int) -> float:
    if count == 0:
        raise ValueError("the data loader yielded no samples: give it at least one batch.")
    return float(total.item()) / count


def _check_fit_args(epochs: object, patience: object, val_loader: object) -> None:
    check_positive_int("epochs", epochs)
    if patience is not None:
        check_positive_int("patience", patience)
        if val_loader is None:
            raise ValueError(
                f"patience={patience!r} stops on the validation loss, so it needs a "
                f"val_loader: pass one, or set patience=None."
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
