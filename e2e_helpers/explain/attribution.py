"""Attribution maps for a trained CNN: which pixels the network's decision depends on.

:func:`attribute` gives one map per image with one of six methods from
Captum (:data:`METHODS`): gradient saliency, Grad-CAM, occlusion,
integrated gradients, and guided backpropagation and guided Grad-CAM (the
two that Adebayo et al., 2018, found to fail their sanity checks), and
:data:`REFERENCE`, an edge detector that looks only at the image (the
"input-only explainer" a sanity check compares with). It takes a fitted
:class:`~e2e_helpers.learn.TorchClassifier` and images given as to its
``predict``; maps come back as ``(n, height, width)``.
"""

from __future__ import annotations

import warnings
from collections.abc import Sequence

import numpy as np
import torch
from numpy.typing import ArrayLike
from torch import nn

from ..learn import TorchClassifier
from ..learn._estimator_parts import fitted_network
from ._forward_pass import classifier_inputs

__all__ = [
    "METHODS",
    "ALL_METHODS",
    "attribute",
]

#: The attribution methods :func:`attribute` knows, in the order the notebooks show them.
METHODS = (
    "saliency",
    "grad_cam",
    "occlusion",
    "integrated_gradients",
    "guided_backprop",
    "guided_grad_cam",
)
#: A map that ignores the model: the Sobel edge magnitude of the image.
REFERENCE = "edges"
#: Every map :func:`attribute` can draw: the methods, then the reference.
ALL_METHODS = (*METHODS, REFERENCE)


def attribute(
    classifier: TorchClassifier,
    images: ArrayLike,
    method: str,
    targets: Sequence[int] | None = None,
    *,
    network: nn.Module | None = None,
) -> np.ndarray:
    """Attribution maps ``(n, height, width)`` of *method* for the class index in *targets*.

    *targets* default to the classifier's predictions. Methods (all from Captum):

    - ``"saliency"``: the absolute gradient of the class score with respect to each pixel;
    - ``"grad_cam"``: the last convolution block's maps weighted by their mean
      gradient, rectified and upsampled to the image (Selvaraju et al., 2017);
    - ``"occlusion"``: how much the class score drops when a 4x4 patch is set
      to black, averaged over the patches covering each pixel;
    - ``"integrated_gradients"``: gradients averaged along the path from a
      black image to the input, times the input (Sundararajan et al., 2017);
    - ``"guided_backprop"``: the gradient with every ReLU letting only
      positive gradients back (Springenberg et al., 2015); it mostly
      reconstructs the image's edges, whatever the weights;
    - ``"guided_grad_cam"``: guided backpropagation times the Grad-CAM map
      of the same layer as ``"grad_cam"``, upsampled (Selvaraju et al.);
    - ``"edges"`` (:data:`REFERENCE`): the Sobel edge magnitude of the image,
      the same for any network.

    *network* replaces the classifier's own network (e.g. a randomised copy).
    """
    from captum.attr import (
        GuidedBackprop,
        GuidedGradCam,
        IntegratedGradients,
        LayerAttribution,
        LayerGradCam,
        Occlusion,
        Saliency,
    )

    if method not in ALL_METHODS:
        raise ValueError(f"method must be one of {', '.join(ALL_METHODS)}, got {method!r}.")
    net = (network or fitted_network(classifier)).eval()
    inputs = image_inputs(classifier, images).requires_grad_()
    target = target_classes(classifier, inputs, targets)
    if method == REFERENCE:
        from skimage.filters import sobel

        return np.stack(
            [sobel(image) for image in inputs.detach().sum(dim=1).double().cpu().numpy()]
        )
    channels = inputs.shape[1]
    if method == "saliency":
        maps = Saliency(net).attribute(inputs, target=target, abs=True)
    elif method == "grad_cam":
        coarse = LayerGradCam(net, _last_conv_block(net)).attribute(
            inputs, target=target, relu_attributions=True
        )
        maps = LayerAttribution.interpolate(
            coarse, tuple(inputs.shape[2:]), interpolate_mode="bilinear"
        )
    elif method == "occlusion":
        maps = Occlusion(net).attribute(
            inputs,
            target=target,
            sliding_window_shapes=(channels, 4, 4),
            strides=(channels, 2, 2),
            baselines=0.0,
            perturbations_per_eval=16,
        )
    elif method == "integrated_gradients":
        maps = IntegratedGradients(net).attribute(
            inputs, baselines=0.0, target=target, n_steps=32, internal_batch_size=256
        )
    else:
        with warnings.catch_warnings():  # Captum says each time that it hooks the ReLUs
            warnings.filterwarnings("ignore", "Setting backward hooks on ReLU", UserWarning)
            if method == "guided_backprop":
                maps = GuidedBackprop(net).attribute(inputs, target=target)
            else:
                maps = GuidedGradCam(net, _last_conv_block(net)).attribute(
                    inputs, target=target, interpolate_mode="bilinear"
                )
    return maps.detach().sum(dim=1).float().cpu().numpy()


def image_inputs(classifier: TorchClassifier, images: ArrayLike) -> torch.Tensor:
    """*images* shaped for an image classifier's network (float32, on its device), like ``predict``
    shapes them.

    Raises ``ValueError`` when *images* is empty or the classifier does not
    take images (its ``input_shape_`` is not ``(channels, height, width)``).
    """
    images = np.asarray(images)
    if len(images) == 0:
        raise ValueError("images is empty: pass at least one image.")
    shape = classifier.input_shape_
    if len(shape) != 3:
        raise ValueError(
            f"attribution maps need an image classifier (input_shape (channels, height, width)), "
            f"got {shape}."
        )
    return classifier_inputs(classifier, images)


def target_classes(
    classifier: TorchClassifier, inputs: torch.Tensor, targets: Sequence[int] | None = None
) -> torch.Tensor:
    """Class indexes to explain, one per row of *inputs*: *targets*, or the network's own
    predictions."""
    if targets is None:
        with torch.no_grad():
            return fitted_network(classifier).eval()(inputs).argmax(dim=1)
    targets = torch.as_tensor(np.asarray(targets), dtype=torch.int64, device=inputs.device)
    n_classes = len(classifier.classes_)
    if targets.shape != (len(inputs),) or targets.min() < 0 or targets.max() >= n_classes:
        raise ValueError(
            f"targets must hold one class index in 0..{n_classes - 1} per image, got "
            f"{targets.tolist()}."
        )
    return targets


def _last_conv_block(net: nn.Module) -> nn.Module:
    """The layer whose output Grad-CAM weighs: the ReLU after the last convolution (or that
    convolution)."""
    modules = list(net.modules())
    convs = [i for i, m in enumerate(modules) if isinstance(m, nn.Conv2d)]
    if not convs:
        raise ValueError(
            "Grad-CAM and guided Grad-CAM need a CNN with an nn.Conv2d layer, such as "
            "learn.small_cnn."
        )
    after = modules[convs[-1] :]
    return next((m for m in after if isinstance(m, nn.ReLU)), modules[convs[-1]])
