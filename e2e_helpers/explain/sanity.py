"""The two sanity checks of attribution maps of Adebayo et al. (2018): model and data randomisation.

If a method's maps barely change when the network's learned weights are
replaced by random ones, or when the network is trained on shuffled labels,
the maps cannot be explaining what the network learned from its data.
Passing is necessary, not sufficient: a method that passes may still mislead.

* :func:`randomised_cascade` re-initialises the layers one by one from the
  output down, each with the BatchNorm layers that follow it;
  :func:`sanity_check` compares each method's maps along that cascade with the
  trained network's and returns a :class:`SanityCheck`.
* :func:`data_randomisation` compares the maps of the trained network with
  those of the same recipe trained on shuffled labels (one or several
  shuffles), image by image, for a bootstrap interval over images.
* Maps are compared by :func:`rank_correlation` in four :data:`VARIANTS`
  (absolute or signed values, over all pixels or over the object only: on
  a black background many methods are exactly zero off the object for any
  network, and those ties inflate an all-pixel correlation), and by SSIM.
* A constant (blank) map ranks nothing: it is counted (``degenerate``),
  left out of the means, and a method whose randomised maps are all blank
  *cannot be judged* rather than passing.
  :func:`~e2e_helpers.explain.sanity_table` and
  :func:`~e2e_helpers.explain.failing` (``sanity_report``) put the results
  in words.
"""

from __future__ import annotations

import copy
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field

import numpy as np
import torch
from numpy.typing import ArrayLike
from torch import nn

from ..learn import TorchClassifier
from ..learn._estimator_parts import fitted_network
from ._map_similarity import (
    constant_maps,
    map_correlations,
    map_ssims,
    mean_ssim,
    nan_mean,
    rank_correlation,
)
from .attribution import ALL_METHODS, METHODS, attribute, image_inputs, target_classes

__all__ = [
    "randomised_cascade",
    "sanity_check",
    "data_randomisation",
    "rank_correlation",
]

#: How two maps are compared: absolute or signed values, over all pixels or over the object
# (foreground) only.
VARIANTS = ("absolute", "signed", "absolute, object", "signed, object")

_WEIGHTED = (nn.Conv1d, nn.Conv2d, nn.Linear)
_NORMS = (nn.BatchNorm1d, nn.BatchNorm2d)


def _layer_groups(net: nn.Module) -> list[tuple[str, list[nn.Module]]]:
    """``(name, modules)`` per convolution or linear layer, counted from the input, with the norms
    that follow it."""
    groups: list[tuple[str, list[nn.Module]]] = []
    leading: list[
        nn.Module
    ] = []  # norms before the first layer (an input standardiser) join that layer
    counts = {"conv": 0, "dense": 0}
    for module in net.modules():
        if isinstance(module, _WEIGHTED):
            kind = "dense" if isinstance(module, nn.Linear) else "conv"
            counts[kind] += 1
            groups.append((f"{kind} {counts[kind]}", leading + [module]))
            leading = []
        elif isinstance(module, _NORMS):
            (groups[-1][1] if groups else leading).append(module)
    return groups


def randomised_cascade(
    classifier: TorchClassifier, seed: int = 0
) -> Iterator[tuple[str, nn.Module]]:
    """Copies of the network with its learned layers re-initialised one by one, from the output
    down.

    Yields ``(layer name, network)`` after each convolution or linear layer is
    given fresh random weights (its ``reset_parameters``), together with the
    BatchNorm layers that follow it (scale 1, shift 0 and the running
    statistics of a new layer; an input standardiser goes with the first
    layer). The randomisation accumulates: the last network yielded has
    nothing learned left. Layers are named by kind, counted from the input:
    ``"dense 2"`` (the logits of a network with two linear layers), ...,
    ``"conv 1"``. The same network object is modified and yielded each time;
    the classifier's own network is not touched.
    """
    net = copy.deepcopy(fitted_network(classifier)).eval()
    generator = torch.Generator().manual_seed(seed)
    for name, modules in reversed(_layer_groups(net)):
        with torch.random.fork_rng(devices=[]):
            torch.manual_seed(int(torch.randint(0, 2**31 - 1, (1,), generator=generator)))
            for module in modules:
                module.reset_parameters()
        yield name, net


@dataclass
class SanityCheck:
    """Results of :func:`sanity_check`.

    ``steps[0]`` is ``"trained"``; each later step names the layer randomised
    last (the randomisation accumulates). ``per_image[variant][method]`` is
    ``(steps, images)``: the rank correlation (see :data:`VARIANTS`) of each
    image's map at step ``s`` with its trained map, NaN where a map is
    constant where compared (it ranks nothing). ``correlation[variant][method][s]``
    is their mean over the other images and ``ssim[method][s]`` the mean SSIM
    over the images whose two maps are not constant; ``degenerate[method][s]``
    counts the constant maps at step ``s`` (``[0]``: the trained network's);
    ``maps[method][s]`` are the maps. ``threshold`` is the pass line, a choice
    of the user (the paper gives none).
    """

    steps: list[str]
    correlation: dict[str, dict[str, np.ndarray]] = field(
        default_factory=lambda: {v: {} for v in VARIANTS}
    )
    ssim: dict[str, np.ndarray] = field(default_factory=dict)
    maps: dict[str, list[np.ndarray]] = field(default_factory=dict)
    threshold: float = 0.5
    per_image: dict[str, dict[str, np.ndarray]] = field(
        default_factory=lambda: {v: {} for v in VARIANTS}
    )
    degenerate: dict[str, np.ndarray] = field(default_factory=dict)

    @property
    def rank_correlation(self) -> dict[str, np.ndarray]:
        """The absolute, all-pixel rank correlations (Adebayo et al.'s main measure)."""
        return self.correlation["absolute"]

    def final(self, method: str, variant: str = "absolute") -> float:
        """Mean rank correlation with the trained maps once every layer is randomised (NaN: no
        image could be ranked)."""
        return float(self.correlation[variant][method][-1])

    def excluded(self, method: str, variant: str = "absolute") -> np.ndarray:
        """Per step, how many images were left out of the mean correlation (a constant map)."""
        return np.isnan(self.per_image[variant][method]).sum(axis=1)

    def verdict(self, method: str, variant: str = "absolute") -> str:
        """``"passes"``, ``"fails"``, or ``"cannot be judged: ..."`` (why) after full
        randomisation."""
        blank = self.degenerate.get(method)
        n = len(self.maps[method][0]) if method in self.maps else 0
        if blank is not None and n and blank[0] == n:
            return "cannot be judged: every trained map is blank"
        if blank is not None and n and blank[-1] == n:
            return "cannot be judged: every randomised map is blank"
        final = self.final(method, variant)
        if np.isnan(final):
            return "cannot be judged: no image has two maps that rank pixels"
        return "passes" if final < self.threshold else "fails"

    def passes(self, method: str, variant: str = "absolute") -> bool:
        """True when fully randomised maps rank pixels unlike the trained ones (correlation below
        ``threshold``); False when they do not, or cannot be compared (see :meth:`verdict`)."""
        return self.verdict(method, variant) == "passes"


def _check_methods(methods: Sequence[str]) -> None:
    unknown = [m for m in methods if m not in ALL_METHODS]
    if not methods or unknown:
        raise ValueError(
            f"methods must be a non-empty list from {ALL_METHODS}, got {list(methods)!r}."
        )


def foreground(classifier: TorchClassifier, images: ArrayLike) -> np.ndarray:
    """``(n, H, W)`` mask of the object: pixels brighter than their image's darkest value."""
    pixels = image_inputs(classifier, images).sum(dim=1).detach().cpu().numpy()
    return pixels > pixels.reshape(len(pixels), -1).min(axis=1)[:, None, None]


def _similarities(
    reference: np.ndarray, maps: np.ndarray, mask: np.ndarray
) -> dict[str, np.ndarray]:
    """Per variant, the per-image rank correlations of *maps* with *reference* (NaN: constant)."""
    return {
        v: map_correlations(
            reference, maps, signed=v.startswith("signed"), mask=mask if "object" in v else None
        )
        for v in VARIANTS
    }


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
    :func:`randomised_cascade`, by Spearman rank correlation (every variant of
    :data:`VARIANTS`; the object is :func:`foreground`) and by SSIM (each map's
    absolute value scaled to [0, 1]). A constant (blank) map ranks nothing: its
    image is left out of that step's means and counted in ``degenerate``. A
    method *passes* when, after full randomisation, the mean absolute rank
    correlation is below *threshold*; see :meth:`SanityCheck.verdict`.
    """
    _check_methods(methods)
    inputs = image_inputs(classifier, images)
    targets = target_classes(classifier, inputs, None).tolist()
    mask = foreground(classifier, images)
    result = SanityCheck(steps=["trained"], threshold=threshold)
    result.maps = {m: [attribute(classifier, images, m, targets)] for m in methods}
    for step, net in randomised_cascade(classifier, seed):
        result.steps.append(step)
        for m in methods:
            result.maps[m].append(attribute(classifier, images, m, targets, network=net))
    for m in methods:
        trained = result.maps[m][0]
        steps = [_similarities(trained, maps, mask) for maps in result.maps[m]]
        for v in VARIANTS:
            result.per_image[v][m] = np.stack([s[v] for s in steps])
            result.correlation[v][m] = nan_mean(result.per_image[v][m], axis=1)
        result.ssim[m] = np.array([mean_ssim(trained, maps) for maps in result.maps[m]])
        result.degenerate[m] = np.array([int(constant_maps(maps).sum()) for maps in result.maps[m]])
    return result


@dataclass
class DataRandomisation:
    """Results of :func:`data_randomisation`.

    ``per_image[variant][method]`` is ``(networks, images)``: each image's rank
    correlation between the trained map and each shuffled-label network's,
    NaN where a map is constant. An image counts when all its maps rank
    pixels; ``correlation[variant][method]`` is the mean over those, and
    ``ssim[method]`` the mean SSIM over the pairs of maps neither constant.
    ``degenerate[method]`` counts constant maps: ``[0]`` the trained
    network's, then one count per shuffled network. ``trained_maps[m]`` is
    ``(n, H, W)``, ``shuffled_maps[m]`` ``(networks, n, H, W)``.
    """

    correlation: dict[str, dict[str, float]]
    ssim: dict[str, float]
    trained_maps: dict[str, np.ndarray]
    shuffled_maps: dict[str, np.ndarray]
    per_image: dict[str, dict[str, np.ndarray]] = field(default_factory=dict)
    degenerate: dict[str, np.ndarray] = field(default_factory=dict)

    def scores(self, method: str, variant: str = "absolute") -> np.ndarray:
        """``(networks, images)`` correlations of the images that count, for
        :func:`~e2e_helpers.learn.bootstrap_interval` (it resamples both axes)."""
        values = self.per_image[variant][method]
        return values[:, ~np.isnan(values).any(axis=0)]

    def excluded(self, method: str, variant: str = "absolute") -> int:
        """How many images were left out of the means because one of their maps is constant."""
        return int(np.isnan(self.per_image[variant][method]).any(axis=0).sum())


def _shuffled_networks(shuffled: object) -> list[TorchClassifier]:
    try:
        networks = [shuffled] if isinstance(shuffled, TorchClassifier) else list(shuffled)
    except TypeError:  # not a classifier, nor a list of them
        networks = []
    if not networks or not all(isinstance(n, TorchClassifier) for n in networks):
        raise TypeError(
            "shuffled must be a fitted TorchClassifier trained on shuffled labels, or a list of "
            f"them (one per label shuffle, e.g. three seeds), got {shuffled!r:.80}."
        )
    return networks


def data_randomisation(
    classifier: TorchClassifier,
    shuffled: TorchClassifier | Sequence[TorchClassifier],
    images: ArrayLike,
    methods: Sequence[str] = METHODS,
) -> DataRandomisation:
    """The data-randomisation test (Adebayo et al., 2018): maps of *classifier* against those of
    each network in *shuffled*.

    *shuffled* is the same recipe fitted on the same images with the labels
    randomly permuted (one network, or several, each with its own shuffle),
    so nothing it learned links images to classes. All explain the class
    *classifier* predicts; a method whose maps stay similar (high rank
    correlation) does not depend on what the labels taught.
    """
    _check_methods(methods)
    networks = _shuffled_networks(shuffled)
    targets = target_classes(classifier, image_inputs(classifier, images), None).tolist()
    mask = foreground(classifier, images)
    trained = {m: attribute(classifier, images, m, targets) for m in methods}
    other = {m: np.stack([attribute(n, images, m, targets) for n in networks]) for m in methods}
    per_image: dict[str, dict[str, np.ndarray]] = {v: {} for v in VARIANTS}
    result = DataRandomisation({v: {} for v in VARIANTS}, {}, trained, other, per_image)
    for m in methods:
        scores = [_similarities(trained[m], maps, mask) for maps in other[m]]
        for v in VARIANTS:
            per_image[v][m] = np.stack([s[v] for s in scores])
            counted = result.scores(m, v)
            result.correlation[v][m] = float(counted.mean()) if counted.size else np.nan
        ssim = np.array([map_ssims(trained[m], maps) for maps in other[m]])
        result.ssim[m] = float(nan_mean(ssim))
        result.degenerate[m] = np.array(
            [int(constant_maps(x).sum()) for x in [trained[m], *other[m]]]
        )
    return result
