"""Tests for e2e_helpers.learn.training: epoch loop, evaluation, fit, early stopping."""

from __future__ import annotations

import pytest
import torch
from torch import nn
from torch.utils.data import DataLoader, TensorDataset

from e2e_helpers.learn import training


def _data(n: int = 96, flip: bool = False, seed: int = 0) -> TensorDataset:
    """Two separable blobs in 2-D; ``flip`` swaps the labels."""
    g = torch.Generator().manual_seed(seed)
    y = torch.arange(n) % 2
    X = torch.randn(n, 2, generator=g) + 2.0 * (2 * y[:, None].float() - 1)
    return TensorDataset(X, 1 - y if flip else y)


def _loader(dataset: TensorDataset, batch_size: int = 32, shuffle: bool = False) -> DataLoader:
    return DataLoader(
        dataset, batch_size=batch_size, shuffle=shuffle, generator=torch.Generator().manual_seed(0)
    )


def _model() -> nn.Module:
    torch.manual_seed(0)
    return nn.Linear(2, 2)


def _fit(model: nn.Module, **kwargs) -> list[dict[str, float]]:
    options = {
        "epochs": 5,
        "optimizer": torch.optim.SGD(model.parameters(), lr=0.1),
        "loss_fn": nn.CrossEntropyLoss(),
        "device": "cpu",
        "progress": False,
        **kwargs,
    }
    return training.fit(model, _loader(_data(), shuffle=True), **options)


def test_train_epoch_returns_the_mean_loss_and_learns():
    model, loader = _model(), _loader(_data(), shuffle=True)
    optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
    losses = [
        training.train_epoch(model, loader, optimizer, nn.CrossEntropyLoss(), "cpu")
        for _ in range(5)
    ]
    assert all(isinstance(loss, float) for loss in losses)
    assert losses[-1] < losses[0]
    assert model.training


def test_scheduler_is_stepped_after_every_batch():
    model = _model()
    optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
    scheduler = torch.optim.lr_scheduler.StepLR(optimizer, step_size=1, gamma=0.5)
    _fit(model, epochs=2, optimizer=optimizer, scheduler=scheduler)
    # 96 samples / 32 = 3 batches x 2
    assert optimizer.param_groups[0]["lr"] == pytest.approx(0.1 * 0.5**6)


def test_evaluate_weights_batches_by_size():
    """With an uneven last batch, the mean is over samples, not over batches."""
    data, model = _data(n=50), _model()
    loss, accuracy = training.evaluate(
        model, _loader(data, batch_size=16), nn.CrossEntropyLoss(), "cpu"
    )
    X, y = data.tensors
    with torch.no_grad():
        outputs = model(X)
    assert loss == pytest.approx(nn.CrossEntropyLoss()(outputs, y).item(), rel=1e-5)
    assert accuracy == pytest.approx((outputs.argmax(1) == y).float().mean().item())
    assert not model.training


def test_evaluate_rejects_an_empty_loader():
    empty = _loader(TensorDataset(torch.zeros(0, 2), torch.zeros(0, dtype=torch.long)))
    with pytest.raises(ValueError, match="no samples"):
        training.evaluate(_model(), empty, nn.CrossEntropyLoss(), "cpu")


def test_fit_history_without_and_with_validation():
    history = _fit(_model())
    assert [record["epoch"] for record in history] == [1, 2, 3, 4, 5]
    assert set(history[0]) == {"epoch", "train_loss"}
    history = _fit(_model(), val_loader=_loader(_data(seed=1)))
    assert set(history[0]) == {"epoch", "train_loss", "val_loss", "val_accuracy"}
    assert history[-1]["val_accuracy"] > 0.9
    assert history[-1]["train_loss"] < history[0]["train_loss"]


def test_early_stopping_stops_and_restores_the_best_weights():
    """Validation labels are the opposite of the training labels: val loss only rises."""
    model = _model()
    val_loader = _loader(_data(flip=True, seed=1))
    history = _fit(model, epochs=20, val_loader=val_loader, patience=2)
    val_losses = [record["val_loss"] for record in history]
    assert len(history) == 3  # best at epoch 1, then 2 epochs without improvement
    assert val_losses.index(min(val_losses)) == 0
    restored_loss, _ = training.evaluate(model, val_loader, nn.CrossEntropyLoss(), "cpu")
    assert restored_loss == pytest.approx(val_losses[0], rel=1e-6)


def test_early_stopping_object():
    model = _model()
    stopper = training.EarlyStopping(patience=1)
    assert not stopper.update(1, 1.0, model)
    weights = model.weight.detach().clone()
    with torch.no_grad():
        model.weight.add_(1.0)
    assert stopper.update(2, 2.0, model)
    stopper.restore(model)
    assert torch.equal(model.weight, weights) and stopper.best_epoch == 1


def test_progress_bar_shows_losses_and_can_be_disabled(capfd):
    _fit(_model(), epochs=2, progress=True, desc="demo run")
    err = capfd.readouterr().err
    assert "demo run" in err and "train_loss" in err
    _fit(_model(), epochs=2, progress=False, desc="demo run")
    assert capfd.readouterr().err == ""


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"epochs": 0}, "epochs must be a positive int, got 0"),
        ({"epochs": 2.5}, "epochs must be a positive int, got 2.5"),
        ({"patience": 0, "val_loader": []}, "patience must be a positive int, got 0"),
        ({"patience": 3}, "needs held-out data: pass a val_loader"),
    ],
)
def test_fit_rejects_bad_arguments(kwargs, message):
    with pytest.raises(ValueError, match=message):
        _fit(_model(), **kwargs)


def test_fit_reports_a_diverged_loss():
    def nan_loss(outputs: torch.Tensor, targets: torch.Tensor) -> torch.Tensor:
        return (outputs * float("nan")).mean()

    with pytest.raises(FloatingPointError, match="lower the learning rate"):
        _fit(_model(), loss_fn=nan_loss)
