"""Traditional computer vision: the hand-crafted image features and classifiers from before deep learning.

A map: ``images`` turns flat rows back into images (``as_images``) and colour
into grey (``to_grey``); ``hog`` holds the HOG transformer ``HOGFeatures`` with
``hog_feature_map`` (per-feature values back on the pixels) and ``hog_picture``;
``keypoints`` finds Harris corners for a batch (``harris_response``,
``strongest_corners``) and Harris / ORB / SIFT points of one image
(``interest_points``); ``visual_words`` describes patches (``dense_grid``,
``patch_descriptors``) and builds the ``BagOfVisualWords``; ``texture`` holds
``TextureFeatures`` (HOG, LBP, GLCM, intensity: the radiology recipe) and its
feature groups ``PARTS``; ``split_statistics`` compares the splits of a data
set (``image_statistics``, ``split_table``: class balance, brightness,
contrast); ``pipeline`` chains them into ``traditional_pipeline``,
one scikit-learn ``Pipeline`` ending in an SVM; ``feature_blocks`` computes
each descriptor once and stacks combinations of them (``FeatureBlocks``: the
feature sets of an ablation). ``keypoints`` also finds difference-of-Gaussian
blobs for a batch (``strongest_blobs``: SIFT's detector).
"""

from .._exports import lazy_exports

__all__, __getattr__, __dir__ = lazy_exports(
    __name__,
    {
        "images": ["as_images", "to_grey"],
        "hog": ["HOGFeatures", "hog_feature_map", "hog_picture"],
        "keypoints": ["harris_response", "strongest_corners", "strongest_blobs", "interest_points"],
        "visual_words": ["dense_grid", "patch_descriptors", "BagOfVisualWords"],
        "texture": ["TextureFeatures", "PARTS"],
        "pipeline": ["traditional_pipeline"],
        "split_statistics": ["image_statistics", "split_table"],
        "feature_blocks": ["FeatureBlocks"],
    },
)
