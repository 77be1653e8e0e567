"""The traditional image classifier as one scikit-learn ``Pipeline``: HOG and visual words, scaling, selection, an SVM."""

from __future__ import annotations

from sklearn.feature_selection import SelectKBest, f_classif
from sklearn.kernel_approximation import Nystroem
from sklearn.linear_model import SGDClassifier
from sklearn.pipeline import FeatureUnion, Pipeline
from sklearn.preprocessing import StandardScaler
from sklearn.svm import SVC, LinearSVC

from .hog import HOGFeatures
from .visual_words import BagOfVisualWords

__all__ = ["traditional_pipeline"]


def traditional_pipeline(
    *,
    n_words: int = 64,
    k: int | str = "all",
    svm: str = "linear",
    C: float = 1.0,
    n_components: int = 1000,
    gamma: float | None = None,
    alpha: float = 1e-6,
    epochs: int = 5,
    image_shape: tuple[int, ...] | None = None,
    n_jobs: int | None = None,
    random_state: int | None = 0,
) -> Pipeline:
    """The article's traditional chain as one scikit-learn ``Pipeline``.

    ``features`` (HOG, plus a bag of visual words when *n_words* > 0) ->
    ``scale`` (StandardScaler) -> ``select`` (``SelectKBest`` with the ANOVA
    F-test, keeping *k* features) -> ``svm``: ``"linear"`` (LinearSVC),
    ``"rbf"`` (an exact RBF ``SVC``: slow beyond ~10,000 images) or
    ``"nystroem"`` (an RBF kernel approximated with *n_components*
    landmarks, kernel width *gamma* (default ``1 / n_features``: the
    features are standardised), then a linear SVM trained by averaged
    stochastic gradient descent: ``SGDClassifier(loss="hinge",
    average=True)`` with L2 penalty *alpha* for *epochs* passes; close to a
    kernel SVM's accuracy at a linear model's speed).
    *n_jobs* is used by HOG and by the SGD's one-vs-rest classes.

    >>> list(traditional_pipeline(n_words=0).named_steps)
    ['features', 'scale', 'select', 'svm']
    """
    parts = [("hog", HOGFeatures(image_shape=image_shape, n_jobs=n_jobs))]
    if n_words:
        parts.append(("bovw", BagOfVisualWords(n_words=n_words, image_shape=image_shape, random_state=random_state)))
    if svm == "linear":
        head = [("svm", LinearSVC(C=C, random_state=random_state))]
    elif svm == "rbf":
        head = [("svm", SVC(C=C, kernel="rbf", gamma="scale", random_state=random_state))]
    elif svm == "nystroem":
        head = [
            ("kernel", Nystroem(kernel="rbf", gamma=gamma, n_components=n_components, random_state=random_state)),
            (
                "svm",
                SGDClassifier(
                    loss="hinge",
                    alpha=alpha,
                    max_iter=epochs,
                    tol=None,
                    average=True,
                    n_jobs=n_jobs,
                    random_state=random_state,
                ),
            ),
        ]
    else:
        raise ValueError(f"svm must be 'linear', 'rbf' or 'nystroem', got {svm!r}")
    return Pipeline(
        [
            ("features", FeatureUnion(parts)),
            ("scale", StandardScaler()),
            ("select", SelectKBest(f_classif, k=k)),
            *head,
        ]
    )
