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
  those of the same recipe trained on shuffled labels.
* Maps are compared by :func:`rank_correlation` in four :data:`VARIANTS`
  (absolute or signed values, over all pixels or over the object only: on
  a black background many methods are exactly zero off the object for any
  network, and those ties inflate an all-pixel correlation), and by SSIM.
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

from .._tables import markdown_table
from ..learn import TorchClassifier
from ..learn._estimator_parts import fitted_network
from .attribution import ALL_METHODS, METHODS, attribute, image_inputs, target_classes

__all__ = [
    "randomised_cascade",
    "sanity_check",
    "data_randomisation",
    "rank_correlation",
    "sanity_table",
    "failing",
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
    last (the randomisation accumulates). ``correlation[variant][method][s]``
    (see :data:`VARIANTS`) and ``ssim[method][s]`` compare the maps at step
    ``s`` with the trained network's, averaged over the images;
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

    @property
    def rank_correlation(self) -> dict[str, np.ndarray]:
        """The absolute, all-pixel rank correlations (Adebayo et al.'s main measure)."""
        return self.correlation["absolute"]

    def final(self, method: str, variant: str = "absolute") -> float:
        """Rank correlation with the trained maps once every layer is randomised."""
        return float(self.correlation[variant][method][-1])

    def passes(self, method: str, variant: str = "absolute") -> bool:
        """True when fully randomised maps rank pixels unlike the trained ones (correlation below
        ``threshold``)."""
        return self.final(method, variant) < self.threshold


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


def _similarities(reference: np.ndarray, maps: np.ndarray, mask: np.ndarray) -> dict[str, float]:
    return {
        v: rank_correlation(
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
    absolute value scaled to [0, 1]). A method *passes* when, after full
    randomisation, the mean absolute rank correlation is below *threshold*.
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
            result.correlation[v][m] = np.array([s[v] for s in steps])
        result.ssim[m] = np.array([_mean_ssim(trained, maps) for maps in result.maps[m]])
    return result


@dataclass
class DataRandomisation:
    """Results of :func:`data_randomisation`: ``correlation[variant][method]``, ``ssim[method]``,
    and both sets of maps."""

    correlation: dict[str, dict[str, float]]
    ssim: dict[str, float]
    trained_maps: dict[str, np.ndarray]
    shuffled_maps: dict[str, np.ndarray]


def data_randomisation(
    classifier: TorchClassifier,
    shuffled: TorchClassifier,
    images: ArrayLike,
    methods: Sequence[str] = METHODS,
) -> DataRandomisation:
    """The data-randomisation test (Adebayo et al., 2018): maps of *classifier* against those of
    *shuffled*.

    *shuffled* is the same recipe fitted on the same images with the labels
    randomly permuted, so nothing it learned links images to classes. Both
    explain the class *classifier* predicts; a method whose maps stay similar
    (high rank correlation) does not depend on what the labels taught.
    """
    _check_methods(methods)
    targets = target_classes(classifier, image_inputs(classifier, images), None).tolist()
    mask = foreground(classifier, images)
    trained = {m: attribute(classifier, images, m, targets) for m in methods}
    other = {m: attribute(shuffled, images, m, targets) for m in methods}
    scores = {m: _similarities(trained[m], other[m], mask) for m in methods}
    return DataRandomisation(
        correlation={v: {m: scores[m][v] for m in methods} for v in VARIANTS},
        ssim={m: _mean_ssim(trained[m], other[m]) for m in methods},
        trained_maps=trained,
        shuffled_maps=other,
    )


def rank_correlation(
    a: np.ndarray, b: np.ndarray, *, signed: bool = False, mask: np.ndarray | None = None
) -> float:
    """Mean over images of the Spearman rank correlation of maps ``a[i]`` and ``b[i]``.

    Compares absolute values unless *signed*; with a boolean *mask* of the
    same shape, only the pixels it marks (e.g. the object). A map that is
    constant where compared counts as 0 (it ranks nothing).
    """
    a, b = np.asarray(a, dtype=np.float64), np.asarray(b, dtype=np.float64)
    if a.shape != b.shape:
        raise ValueError(
            f"the two sets of maps must have the same shape, got {a.shape} and {b.shape}."
        )
    if mask is not None and np.shape(mask) != a.shape:
        raise ValueError(f"mask must have the maps' shape {a.shape}, got {np.shape(mask)}.")
    if not signed:
        a, b = np.abs(a), np.abs(b)
    values = []
    for i in range(len(a)):
        keep = np.ones(a[i].shape, dtype=bool) if mask is None else np.asarray(mask[i], dtype=bool)
        x, y = a[i][keep], b[i][keep]
        values.append(
            0.0
            if len(x) < 2 or np.ptp(x) == 0 or np.ptp(y) == 0
            else float(spearmanr(x, y).statistic)
        )
    return float(np.mean(values))


def _mean_ssim(a: np.ndarray, b: np.ndarray) -> float:
    """Mean over images of the SSIM of the maps ``a[i]`` and ``b[i]``, each scaled to [0, 1]."""
    return float(
        np.mean([structural_similarity(_unit(x), _unit(y), data_range=1.0) for x, y in zip(a, b)])
    )


def _unit(m: np.ndarray) -> np.ndarray:
    """``|m|`` divided by its maximum (unchanged where it is all zeros)."""
    m = np.abs(m).astype(np.float64)
    top = m.max()
    return m / top if top > 0 else m


def sanity_table(check: SanityCheck, data: DataRandomisation | None = None) -> str:
    """Markdown: per method, the rank correlations after full model randomisation (absolute /
    signed, all pixels /
    object) with the verdict against ``check.threshold``, the data-randomisation correlations, and
    how alike each
    method's trained maps are to the edge detector's (when ``check`` holds ``"edges"``)."""
    head = [
        "method",
        "model rand.: abs., all",
        "abs., object",
        "signed, object",
        f"passes (abs., all < {check.threshold})",
    ]
    head += ["shuffled labels: abs., all", "abs., object"] if data is not None else []
    head += ["trained map vs edges"] if "edges" in check.maps else []
    rows = []
    for m in check.maps:
        cells = [m.replace("_", " ")] + [
            f"{check.final(m, v):+.2f}" for v in ("absolute", "absolute, object", "signed, object")
        ]
        cells.append("yes" if check.passes(m) else "**no**")
        if data is not None:
            cells += [
                f"{data.correlation[v][m]:+.2f}" if m in data.ssim else "—"
                for v in ("absolute", "absolute, object")
            ]
        if "edges" in check.maps:
            cells.append(f"{rank_correlation(check.maps[m][0], check.maps['edges'][0]):+.2f}")
        rows.append(cells)
    return markdown_table(head, rows, align="l" + "r" * (len(head) - 1))


def failing(check: SanityCheck) -> list[str]:
    """The methods (readable names) whose fully randomised maps stay above the threshold."""
    return [m.replace("_", " ") for m in check.maps if not check.passes(m)]
