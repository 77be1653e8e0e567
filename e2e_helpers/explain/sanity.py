"""The model-randomisation sanity check of attribution maps (Adebayo et al., 2018).

If a method's maps barely change when the network's learned weights are
replaced by random ones, the maps cannot be explaining what the network
learned. :func:`randomised_cascade` re-initialises the layers one by one from
the output down; :func:`sanity_check` compares each method's maps along that
cascade with the trained network's, by :func:`rank_correlation` and by SSIM,
and returns a :class:`SanityCheck`.
"""

from __future__ import annotations

import copy
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field

import numpy as np
import torch
from numpy.typing import ArrayLike
from scipy.stats import spearmanr
from skimage.metrics import structural_similarity
from torch import nn

from ..learn import TorchClassifier, fitted_network
from .attribution import METHODS, attribute, image_inputs, target_classes

__all__ = ["randomised_cascade", "SanityCheck", "sanity_check", "rank_correlation"]


def randomised_cascade(classifier: TorchClassifier, seed: int = 0) -> Iterator[tuple[str, nn.Module]]:
    """Copies of the network with its learned layers re-initialised one by one, from the output down.

    Yields ``(layer name, network)`` after each convolution or linear layer is
    given fresh random weights (its ``reset_parameters``), the randomisation
    accumulating: the last network yielded has no trained weights left in
    those layers. Layers are named by kind, counted from the input:
    ``"dense 2"`` (the logits of a network with two linear layers), ...,
    ``"conv 1"``. The same network object is modified and yielded each time;
    the classifier's own network is not touched.
    """
    net = copy.deepcopy(fitted_network(classifier)).eval()
    layers = [m for m in net.modules() if isinstance(m, (nn.Conv1d, nn.Conv2d, nn.Linear))]
    counts = {"conv": 0, "dense": 0}
    names = []
    for module in layers:
        kind = "dense" if isinstance(module, nn.Linear) else "conv"
        counts[kind] += 1
        names.append(f"{kind} {counts[kind]}")
    generator = torch.Generator().manual_seed(seed)
    for name, module in reversed(list(zip(names, layers))):
        with torch.random.fork_rng(devices=[]):
            torch.manual_seed(int(torch.randint(0, 2**31 - 1, (1,), generator=generator)))
            module.reset_parameters()
        yield name, net


@dataclass
class SanityCheck:
    """Results of :func:`sanity_check`.

    ``steps[0]`` is ``"trained"``; each later step names the layer randomised
    last (the randomisation accumulates). ``rank_correlation[method][s]`` and
    ``ssim[method][s]`` compare the maps at step ``s`` with the trained
    network's, averaged over the images; ``maps[method][s]`` are the maps.
    """

    steps: list[str]
    rank_correlation: dict[str, np.ndarray] = field(default_factory=dict)
    ssim: dict[str, np.ndarray] = field(default_factory=dict)
    maps: dict[str, list[np.ndarray]] = field(default_factory=dict)
    threshold: float = 0.5

    def final(self, method: str) -> float:
        """Rank correlation with the trained maps once every layer is randomised."""
        return float(self.rank_correlation[method][-1])

    def passes(self, method: str) -> bool:
        """True when fully randomised maps rank pixels unlike the trained ones (correlation below ``threshold``)."""
        return self.final(method) < self.threshold


def sanity_check(
    classifier: TorchClassifier,
    images: ArrayLike,
    methods: Sequence[str] = METHODS,
    *,
    seed: int = 0,
    threshold: float = 0.5,
) -> SanityCheck:
    """The model-randomisation test (Adebayo et al., 2018) for each of *methods*.

    Maps of the trained network (for its predicted classes) are compared with
    maps of the same images, same classes, after each step of
    :func:`randomised_cascade`, by the Spearman rank correlation of their
    absolute values and by SSIM (each map scaled to [0, 1]). A method
    *passes* when, after full randomisation, the mean rank correlation is
    below *threshold*: its maps then depend on what the network learned.
    """
    unknown = [m for m in methods if m not in METHODS]
    if not methods or unknown:
        raise ValueError(f"methods must be a non-empty list from {METHODS}, got {list(methods)!r}.")
    inputs = image_inputs(classifier, images)
    targets = target_classes(classifier, inputs, None).tolist()
    result = SanityCheck(steps=["trained"], threshold=threshold)
    result.maps = {m: [attribute(classifier, images, m, targets)] for m in methods}
    for step, net in randomised_cascade(classifier, seed):
        result.steps.append(step)
        for m in methods:
            result.maps[m].append(attribute(classifier, images, m, targets, network=net))
    for m in methods:
        trained = result.maps[m][0]
        result.rank_correlation[m] = np.array([rank_correlation(trained, maps) for maps in result.maps[m]])
        result.ssim[m] = np.array([_mean_ssim(trained, maps) for maps in result.maps[m]])
    return result


def rank_correlation(a: np.ndarray, b: np.ndarray) -> float:
    """Mean over images of the Spearman rank correlation of ``|a[i]|`` and ``|b[i]|`` (0 where a map is constant)."""
    values = []
    for x, y in zip(np.abs(a).reshape(len(a), -1), np.abs(b).reshape(len(b), -1)):
        values.append(0.0 if np.ptp(x) == 0 or np.ptp(y) == 0 else float(spearmanr(x, y).statistic))
    return float(np.mean(values))


def _mean_ssim(a: np.ndarray, b: np.ndarray) -> float:
    """Mean over images of the SSIM of the maps ``a[i]`` and ``b[i]``, each scaled to [0, 1]."""
    return float(np.mean([structural_similarity(_unit(x), _unit(y), data_range=1.0) for x, y in zip(a, b)]))


def _unit(m: np.ndarray) -> np.ndarray:
    """``|m|`` divided by its maximum (unchanged where it is all zeros)."""
    m = np.abs(m).astype(np.float64)
    top = m.max()
    return m / top if top > 0 else m
