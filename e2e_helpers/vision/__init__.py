"""Traditional computer vision: the hand-crafted image features and classifiers from before deep
learning.

``images`` turns flat rows back into images and colour into grey; ``hog`` computes HOG features and
their readable pictures; ``keypoints`` finds interest points (Harris corners, difference-of-Gaussian
blobs, ORB and SIFT for one image); ``visual_words`` describes patches and builds a bag of visual
words; ``texture`` holds the radiology recipe of texture features (HOG, LBP, GLCM, intensity);
``split_statistics`` compares the splits of a data set; ``pipeline`` chains the stages into one
scikit-learn ``Pipeline`` ending in an SVM; ``feature_blocks`` computes each descriptor once and
stacks combinations of them, the feature sets of an ablation. Each module's ``__all__`` is its
public surface; this package re-exports them.
"""

from . import (
    feature_blocks,
    hog,
    images,
    keypoints,
    pipeline,
    split_statistics,
    texture,
    visual_words,
)
from .feature_blocks import *
from .hog import *
from .images import *
from .keypoints import *
from .pipeline import *
from .split_statistics import *
from .texture import *
from .visual_words import *

__all__ = [
    *images.__all__,
    *hog.__all__,
    *keypoints.__all__,
    *visual_words.__all__,
    *texture.__all__,
    *pipeline.__all__,
    *split_statistics.__all__,
    *feature_blocks.__all__,
]
