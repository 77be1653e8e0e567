"""The plan of a learning curve: the training-set sizes, the seeds per size and each fit's budget.

:func:`log_sizes` spaces the sizes evenly in log, :func:`seed_counts` gives small (cheap, noisy)
subsets more seeds than large ones, and :func:`epoch_schedule` sets how long each network trains
at each size, or :func:`budget_table` shows the budgets chosen on validation data at each size;
:func:`~e2e_helpers.learn.learning_curves` runs the plan.

>>> sizes = log_sizes(50, 60_000, 8)
>>> print(sizes[0], sizes[-1], len(sizes))
50 60000 8
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence

import numpy as np

from .._tables import markdown_table

__all__ = ["log_sizes", "epoch_schedule", "budget_table"]


def log_sizes(smallest: int, largest: int, n: int) -> np.ndarray:
    """*n* distinct integer sizes from *smallest* to *largest*, evenly spaced in log."""
    if not (isinstance(n, int) and n >= 2):
        raise ValueError(f"n must be an int >= 2, got {n!r}")
    if not (0 < smallest < largest):
        raise ValueError(
            f"need 0 < smallest < largest, got smallest={smallest!r}, largest={largest!r}"
        )
    sizes = np.unique(np.round(np.geomspace(smallest, largest, n)).astype(int))
    if len(sizes) != n:
        raise ValueError(
            f"{n} log-spaced integer sizes do not fit between {smallest} and {largest}"
        )
    return sizes


def seed_counts(sizes: Sequence[int], most: int = 5, least: int = 1) -> np.ndarray:
    """Seeds per size: *most* at the smallest size down to *least* at the largest (linear in log
    size).

    Small subsets vary a lot from draw to draw and are cheap to fit, so they get
    more seeds; the largest ones vary little and are expensive.
    """
    if not 1 <= least <= most:
        raise ValueError(f"need 1 <= least <= most, got least={least!r}, most={most!r}")
    logs = np.log(np.asarray(sizes, dtype=float))
    if logs.size == 0:
        raise ValueError("sizes is empty")
    span = logs.max() - logs.min()
    fraction = (logs - logs.min()) / span if span > 0 else np.zeros_like(logs)
    return np.round(most - fraction * (most - least)).astype(int)


def epoch_schedule(
    names: str | Sequence[str],
    *,
    samples: int,
    min_epochs: int = 1,
    max_epochs: int = 100,
    steps_per_epoch: int | None = None,
    batch_range: tuple[int, int] = (16, 256),
) -> Callable[[str, int], dict[str, int]]:
    """A ``params`` function for :func:`learning_curves`: about *samples* training examples seen per
    fit.

    Networks named in *names* get ``epochs = samples / size`` (clipped to
    *min_epochs*..*max_epochs*): many passes over a small subset, few over a
    large one. With *steps_per_epoch*, they also get ``batch_size = size /
    steps_per_epoch`` (clipped to *batch_range*), so a small subset is not
    one batch per epoch. Other estimators get no extra parameters.
    """
    names = {names} if isinstance(names, str) else set(names)
    if not 1 <= min_epochs <= max_epochs or samples < 1:
        raise ValueError(
            f"need samples >= 1 and 1 <= min_epochs <= max_epochs, got {samples}, {min_epochs}, "
            f"{max_epochs}"
        )
    if steps_per_epoch is not None and (
        steps_per_epoch < 1 or not 1 <= batch_range[0] <= batch_range[1]
    ):
        raise ValueError(
            f"need steps_per_epoch >= 1 and 1 <= batch_range[0] <= batch_range[1], got "
            f"{steps_per_epoch}, {batch_range}"
        )

    def params(name: str, size: int) -> dict[str, int]:
        if name not in names:
            return {}
        chosen = {"epochs": int(np.clip(round(samples / size), min_epochs, max_epochs))}
        if steps_per_epoch is not None:
            chosen["batch_size"] = int(np.clip(size // steps_per_epoch, *batch_range))
        return chosen

    return params


def budget_table(
    candidates: Mapping[int, Sequence[tuple[int, float]]],
    kept: Mapping[int, int],
    *,
    budget: str = "optimiser steps",
    unit: str = "images",
) -> str:
    """A Markdown table of the budgets tried at each training-set size and the one kept.

    *candidates*: size -> ``(budget, validation accuracy)`` per candidate; *kept*: size -> the
    index of the one kept (e.g. by :func:`~e2e_helpers.learn.simplest_within_noise`).

    >>> print(budget_table({50: [(300, 0.61), (600, 0.62)]}, {50: 0}))
    | training images | optimiser steps tried: validation accuracy | kept |
    |---:|---|---:|
    | 50 | **300: 0.610** · 600: 0.620 | 300 |
    """
    if set(candidates) != set(kept) or not candidates:
        raise ValueError("need the candidates and the one kept for the same, non-empty sizes.")
    rows = []
    for size in sorted(candidates):
        tried = list(candidates[size])
        if not 0 <= kept[size] < len(tried):
            raise ValueError(f"kept[{size}] = {kept[size]} is not one of the {len(tried)} tried.")
        cells = [f"{b:,}: {a:.3f}" for b, a in tried]
        cells[kept[size]] = f"**{cells[kept[size]]}**"
        rows.append([f"{size:,}", " · ".join(cells), f"{tried[kept[size]][0]:,}"])
    header = [f"training {unit}", f"{budget} tried: validation accuracy", "kept"]
    return markdown_table(header, rows, align="rlr")
