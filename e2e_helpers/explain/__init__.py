"""Explanations of what a trained model has learned and what its decisions depend on.

``attribution`` gives attribution maps of a fitted CNN (saliency, Grad-CAM,
occlusion, integrated gradients, from Captum, and an edge detector as the
input-only reference); ``sanity`` runs both sanity checks of those maps of
Adebayo et al. (a cascade of re-initialised layers, and a network trained on
shuffled labels); ``shortcuts`` measures how much of a map falls outside
where the evidence should be (a fixed lung-field mask for chest x-rays); ``linear`` splits a linear model's
decision into one additive part per feature and builds the sparse
(L1) logistic regression; ``inside_cnn`` returns a CNN's
first-layer filters, feature maps (and ``foreground_channels``, the maps that respond to the object) and learned features; ``embedding`` maps
feature vectors to 2-D (PCA or t-SNE) for a scatter plot; ``forward_pass``
shapes inputs as a classifier's ``predict`` does and runs its layers on them.
"""

from .._exports import lazy_exports

__all__, __getattr__, __dir__ = lazy_exports(
    __name__,
    {
        "attribution": [
            "METHODS",
            "REFERENCE",
            "ALL_METHODS",
            "attribute",
            "image_inputs",
            "target_classes",
        ],
        "sanity": [
            "VARIANTS",
            "randomised_cascade",
            "SanityCheck",
            "sanity_check",
            "DataRandomisation",
            "data_randomisation",
            "rank_correlation",
            "foreground",
            "sanity_table",
            "failing",
        ],
        "shortcuts": ["lung_field_mask", "share_outside"],
        "linear": ["linear_contributions", "l1_logistic"],
        "inside_cnn": ["first_filters", "feature_maps", "learned_features", "foreground_channels"],
        "embedding": ["embed_2d"],
        "forward_pass": ["classifier_inputs", "run_layers"],
    },
)
