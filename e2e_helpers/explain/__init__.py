"""Explanations of what a trained model has learned and what its decisions depend on.

``attribution`` gives attribution maps of a fitted CNN (saliency, Grad-CAM,
occlusion, integrated gradients, from Captum); ``sanity`` runs the
model-randomisation sanity check of those maps (rank correlation and SSIM
along a cascade of re-initialised layers); ``linear`` splits a linear model's
decision into one additive part per feature; ``inside_cnn`` returns a CNN's
first-layer filters, feature maps (and ``foreground_channels``, the maps that respond to the object) and learned features; ``embedding`` maps
feature vectors to 2-D (PCA or t-SNE) for a scatter plot; ``forward_pass``
shapes inputs as a classifier's ``predict`` does and runs its layers on them.
"""

from .._exports import lazy_exports

__all__, __getattr__, __dir__ = lazy_exports(__name__, {
    "attribution": ["METHODS", "attribute", "image_inputs", "target_classes"],
    "sanity": ["randomised_cascade", "SanityCheck", "sanity_check", "rank_correlation"],
    "linear": ["linear_contributions"],
    "inside_cnn": ["first_filters", "feature_maps", "learned_features", "foreground_channels"],
    "embedding": ["embed_2d"],
    "forward_pass": ["classifier_inputs", "run_layers"],
})
