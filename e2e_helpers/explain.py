"""Explanations: attribution maps for a trained CNN, their sanity check, and a readable linear model.

:func:`attribute` gives one map per image saying which pixels the network's
decision depends on, with four methods from Captum: gradient saliency,
Grad-CAM, occlusion and integrated gradients. :func:`sanity_check` runs the
model-randomisation test of Adebayo et al. (2018): if a method's maps barely
change when the network's learned weights are replaced by random ones, the
maps cannot be explaining what the network learned. :func:`linear_contributions`
splits a linear model's decision into one additive part per input feature.

The CNN functions take a fitted :class:`~e2e_helpers.estimators.TorchClassifier`
and images given as to its ``predict``; maps come back as ``(n, height, width)``.
"""

from __future__ import annotations

import copy
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field

import numpy as np
import torch
from torch import nn

__all__ = [
    "METHODS",
    "attribute",
    "randomised_cascade",
    "SanityCheck",
    "sanity_check",
    "rank_correlation",
    "linear_contributions",
]

#: The attribution methods :func:`attribute` knows, in the order the notebooks show them.
METHODS = ("saliency", "grad_cam", "occlusion", "integrated_gradients")


def attribute(classifier, images, method: str, targets: Sequence[int] | None = None, *, network: nn.Module | None = None) -> np.ndarray:
    """Attribution maps ``(n, height, width)`` of *method* for the class index in *targets*.

    *targets* default to the classifier's predictions. Methods (all from Captum):

    - ``"saliency"``: the absolute gradient of the class score with respect to each pixel;
    - ``"grad_cam"``: the last convolution block's maps weighted by their mean
      gradient, rectified and upsampled to the image (Selvaraju et al., 2017);
    - ``"occlusion"``: how much the class score drops when a 4x4 patch is set
      to black, averaged over the patches covering each pixel;
    - ``"integrated_gradients"``: gradients averaged along the path from a
      black image to the input, times the input (Sundararajan et al., 2017).

    *network* replaces the classifier's own network (e.g. a randomised copy).
    """
    from captum.attr import IntegratedGradients, LayerAttribution, LayerGradCam, Occlusion, Saliency

    if method not in METHODS:
        raise ValueError(f"method must be one of {', '.join(METHODS)}, got {method!r}.")
    net = (network or _network(classifier)).eval()
    inputs = _inputs(classifier, images).requires_grad_()
    target = _targets(classifier, inputs, targets)
    channels = inputs.shape[1]
    if method == "saliency":
        maps = Saliency(net).attribute(inputs, target=target, abs=True)
    elif method == "grad_cam":
        coarse = LayerGradCam(net, _last_conv_block(net)).attribute(inputs, target=target, relu_attributions=True)
        maps = LayerAttribution.interpolate(coarse, tuple(inputs.shape[2:]), interpolate_mode="bilinear")
    elif method == "occlusion":
        maps = Occlusion(net).attribute(
            inputs, target=target, sliding_window_shapes=(channels, 4, 4), strides=(channels, 2, 2), baselines=0.0,
            perturbations_per_eval=16,
        )
    else:
        maps = IntegratedGradients(net).attribute(inputs, baselines=0.0, target=target, n_steps=32, internal_batch_size=256)
    return maps.detach().sum(dim=1).float().cpu().numpy()


def randomised_cascade(classifier, seed: int = 0) -> Iterator[tuple[str, nn.Module]]:
    """Copies of the network with its learned layers re-initialised one by one, from the output down.

    Yields ``(layer name, network)`` after each convolution or linear layer is
    given fresh random weights (its ``reset_parameters``), the randomisation
    accumulating: the last network yielded has no trained weights left in
    those layers. Layers are named by kind, counted from the input:
    ``"dense 2"`` (the logits of a network with two linear layers), ...,
    ``"conv 1"``. The same network object is modified and yielded each time;
    the classifier's own network is not touched.
    """
    net = copy.deepcopy(_network(classifier)).eval()
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
    classifier,
    images,
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
    inputs = _inputs(classifier, images)
    targets = _targets(classifier, inputs, None).tolist()
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
    from scipy.stats import spearmanr

    values = []
    for x, y in zip(np.abs(a).reshape(len(a), -1), np.abs(b).reshape(len(b), -1)):
        values.append(0.0 if np.ptp(x) == 0 or np.ptp(y) == 0 else float(spearmanr(x, y).statistic))
    return float(np.mean(values))


def _mean_ssim(a: np.ndarray, b: np.ndarray) -> float:
    from skimage.metrics import structural_similarity

    return float(np.mean([structural_similarity(_unit(x), _unit(y), data_range=1.0) for x, y in zip(a, b)]))


def _unit(m: np.ndarray) -> np.ndarray:
    m = np.abs(m).astype(np.float64)
    top = m.max()
    return m / top if top > 0 else m


def linear_contributions(model, X) -> tuple[np.ndarray, float]:
    """How much each feature adds to a linear model's decision score, row by row.

    *model* is a fitted binary linear classifier (``coef_``, ``intercept_``)
    or a ``Pipeline`` ending in one (e.g. ``StandardScaler`` then
    ``LogisticRegression``). Returns ``(contributions, intercept)`` with
    ``contributions[i, j] = coef[j] * x'[i, j]`` for the transformed features
    ``x'``, so ``contributions[i].sum() + intercept`` is the decision score
    (the log-odds of the positive class for logistic regression).
    """
    steps = getattr(model, "steps", None)
    head = steps[-1][1] if steps else model
    coef = getattr(head, "coef_", None)
    if coef is None or np.ndim(coef) != 2 or np.shape(coef)[0] != 1:
        raise ValueError("linear_contributions needs a fitted binary linear classifier (coef_ of shape (1, n_features)), "
                         "or a Pipeline ending in one, e.g. make_pipeline(StandardScaler(), LogisticRegression()).")
    Z = np.asarray(X, dtype=np.float64)
    for _, step in (steps or [])[:-1]:
        Z = step.transform(Z)
    if Z.ndim != 2 or Z.shape[1] != coef.shape[1]:
        raise ValueError(f"X must be 2-D with {coef.shape[1]} features after the pipeline's transforms, got shape {Z.shape}.")
    return Z * coef[0], float(np.ravel(head.intercept_)[0])


def _network(classifier) -> nn.Module:
    net = getattr(classifier, "module_", None)
    if net is None:
        raise ValueError("the classifier is not fitted yet: call fit(X, y) before explaining it.")
    return net


def _inputs(classifier, images) -> torch.Tensor:
    """*images* shaped for the network (float32, on its device), like ``predict`` shapes them."""
    from .estimators import _to_batch

    images = np.asarray(images)
    if len(images) == 0:
        raise ValueError("images is empty: pass at least one image.")
    shape = classifier.input_shape_
    if len(shape) != 3:
        raise ValueError(f"attribution maps need an image classifier (input_shape (channels, height, width)), got {shape}.")
    return _to_batch(images, shape).to(classifier.device_)


def _targets(classifier, inputs: torch.Tensor, targets) -> torch.Tensor:
    """Class indexes to explain: *targets*, or the network's own predictions."""
    if targets is None:
        with torch.no_grad():
            return _network(classifier).eval()(inputs).argmax(dim=1)
    targets = torch.as_tensor(np.asarray(targets), dtype=torch.int64, device=inputs.device)
    n_classes = len(classifier.classes_)
    if targets.shape != (len(inputs),) or targets.min() < 0 or targets.max() >= n_classes:
        raise ValueError(f"targets must hold one class index in 0..{n_classes - 1} per image, got {targets.tolist()}.")
    return targets


def _last_conv_block(net: nn.Module) -> nn.Module:
    """The layer whose output Grad-CAM weighs: the ReLU after the last convolution (or that convolution)."""
    modules = list(net.modules())
    convs = [i for i, m in enumerate(modules) if isinstance(m, nn.Conv2d)]
    if not convs:
        raise ValueError("Grad-CAM needs a CNN with an nn.Conv2d layer, such as models.small_cnn.")
    after = modules[convs[-1] :]
    return next((m for m in after if isinstance(m, nn.ReLU)), modules[convs[-1]])
