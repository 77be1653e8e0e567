"""Explanations of what a trained model has learned and what its decisions depend on.

``attribution`` gives attribution maps of a fitted CNN (saliency, Grad-CAM, occlusion, integrated
gradients, guided backpropagation and guided Grad-CAM, from Captum, and an edge detector as the
input-only reference); ``sanity`` runs both sanity checks of those maps of Adebayo et al. (a
cascade of re-initialised layers, and networks trained on shuffled labels), comparing them with
``_map_similarity`` (private), and ``sanity_report`` tables their results; ``faithfulness`` runs
the deletion test (does removing the most attributed pixels first hurt the decision sooner than a
random order?); ``shortcuts`` plants a marker and measures how much of a map falls outside where
the evidence should be; ``linear`` splits a linear model's decision into one additive part per
feature and builds the sparse (L1) logistic regression; ``inside_cnn`` returns a CNN's filters,
feature maps and learned features; ``embedding`` maps feature vectors to 2-D for a scatter plot;
``_forward_pass`` (private) shapes inputs as a classifier's ``predict`` does and runs its layers.
Each module's ``__all__`` is its public surface; this package re-exports them.
"""

from . import (
    attribution,
    embedding,
    faithfulness,
    inside_cnn,
    linear,
    sanity,
    sanity_report,
    shortcuts,
)
from .attribution import *
from .embedding import *
from .faithfulness import *
from .inside_cnn import *
from .linear import *
from .sanity import *
from .sanity_report import *
from .shortcuts import *

__all__ = [
    *attribution.__all__,
    *sanity.__all__,
    *sanity_report.__all__,
    *faithfulness.__all__,
    *shortcuts.__all__,
    *linear.__all__,
    *inside_cnn.__all__,
    *embedding.__all__,
]
