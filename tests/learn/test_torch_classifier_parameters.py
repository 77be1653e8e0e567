"""TorchClassifier's parameter table (e2e_helpers.learn.torch_classifier): checked at fit."""

from __future__ import annotations

import re

import numpy as np
import pytest
import torch
from fakedata import small_net

from e2e_helpers.learn import TorchClassifier


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"module": "mlp"}, "module must be a callable"),
        ({"epochs": 0}, "epochs must be an int >= 1"),
        ({"batch_size": 2.5}, "batch_size must be an int >= 1"),
        ({"lr": 0.0}, "lr must be a finite number > 0"),
        ({"weight_decay": -1.0}, "weight_decay must be a finite number >= 0"),
        ({"optimizer": "rmsprop"}, "optimizer must be one of 'adam', 'adamw', 'sgd'"),
        ({"lr_schedule": "cosine"}, "lr_schedule must be one of 'constant', 'onecycle'"),
        (
            {"validation_fraction": 1.5},
            r"validation_fraction must be None or a finite number in \(0, 1\)",
        ),
        ({"patience": 3}, r"TorchClassifier: validation_fraction, e\.g\. 0\.1"),
        ({"patience": 0, "validation_fraction": 0.2}, "patience must be None or an int >= 1"),
        ({"input_shape": (0, 20)}, "input_shape must be None or a tuple of positive ints"),
        ({"device": "tpu"}, "device 'tpu' is not one of"),
        ({"progress": "yes"}, "progress must be True or False"),
        ({"refit": "yes"}, "refit must be True or False"),
        ({"refit": True}, "refit=True retrains on all the data .* needs patience"),
    ],
)
def test_bad_parameters_are_reported_at_fit(params, message, blobs):
    net = small_net(**params)  # __init__ only stores the values
    assert net.get_params()[next(iter(params))] == params[next(iter(params))]
    with pytest.raises(ValueError, match=message):
        net.fit(*blobs)


# -- the parameter table ----------------------------------------------------------

# One bad value per parameter, and the message that names it.
BAD_VALUES: dict[str, tuple[object, str]] = {
    "module": (
        "mlp",
        "a callable module(input_shape, n_classes) -> nn.Module, e.g. e2e_helpers.learn.mlp",
    ),
    "input_shape": ([1, 0, 28], "None or a tuple of positive ints such as (1, 28, 28)"),
    "epochs": (True, "an int >= 1"),
    "batch_size": (0, "an int >= 1"),
    "lr": (float("nan"), "a finite number > 0"),
    "weight_decay": (-1e-4, "a finite number >= 0"),
    "optimizer": ("Adam", "one of 'adam', 'adamw', 'sgd'"),
    "lr_schedule": (None, "one of 'constant', 'onecycle'"),
    "validation_fraction": (0.0, "None or a finite number in (0, 1)"),
    "patience": (2.0, "None or an int >= 1"),
    "device": (0, "'auto', 'cpu', 'cuda', 'mps' or a torch.device"),
    "random_state": ("0", "None or an int or a RandomState"),
    "progress": (1, "True or False"),
    "refit": (1, "True or False"),
}


def test_the_table_covers_every_parameter():
    assert (
        set(TorchClassifier._parameter_constraints)
        == set(small_net().get_params(deep=False))
        == set(BAD_VALUES)
    )


@pytest.mark.parametrize("name", sorted(BAD_VALUES))
def test_each_constraint_rejects_a_bad_value_at_fit(name, blobs):
    value, expected = BAD_VALUES[name]
    net = small_net(**{name: value})
    with pytest.raises(ValueError, match=re.escape(f"{name} must be {expected}, got {value!r}.")):
        net.fit(*blobs)
    assert not hasattr(net, "module_")


def test_the_table_accepts_what_fit_always_accepted(blobs):
    """Lists as shapes, NumPy strings and bools (from a grid), ints as rates, a RandomState."""
    X, y = blobs
    net = small_net(
        epochs=1,
        input_shape=[20],
        optimizer=np.str_("sgd"),
        lr_schedule=np.str_("constant"),
        lr=1,
        weight_decay=0,
        progress=np.bool_(False),
        random_state=np.random.RandomState(0),
        device=torch.device("cpu"),
    )
    assert net.fit(X, y).input_shape_ == (20,)


def test_refit_trains_on_all_the_data_for_the_epochs_early_stopping_chose(blobs):
    X, y = blobs
    stopped = small_net(epochs=30, validation_fraction=0.25, patience=3).fit(X, y)
    refitted = small_net(epochs=30, validation_fraction=0.25, patience=3, refit=True).fit(X, y)
    chosen = 1 + int(np.argmin([r["val_loss"] for r in refitted.search_history_]))
    assert refitted.search_history_ == stopped.history_  # the same search, then a refit
    assert len(refitted.history_) == chosen and "val_loss" not in refitted.history_[0]
    assert refitted.score(X, y) >= 0.9
    assert not hasattr(small_net().fit(X, y), "search_history_")
