"""The traditional image classifier as one scikit-learn ``Pipeline``: HOG and visual words, scaling,
selection, an SVM."""

from __future__ import annotations

from collections.abc import Sequence

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
    hog_cells: Sequence[int] = (4,),
    step: int = 4,
    n_corners: int = 8,
    n_blobs: int = 0,
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

    HOG is computed on each grid of *hog_cells* (square cells of that many
    pixels; the first is step ``features__hog``, the others
    ``features__hog<cells>``, e.g. ``(4, 7)``: fine and coarse; ``()``: no HOG). The bag of
    visual words (step ``features__bovw``) describes patches on a dense
    grid every *step* pixels (0: none), at the *n_corners* strongest Harris
    corners and at the *n_blobs* strongest difference-of-Gaussian blobs.

    >>> list(traditional_pipeline(n_words=0).named_steps)
    ['features', 'scale', 'select', 'svm']
    >>> [name for name, _ in traditional_pipeline(n_words=0, hog_cells=(4, 7))[0].transformer_list]
    ['hog', 'hog7']
    """
    cells = [int(c) for c in hog_cells]
    if any(c < 1 for c in cells) or len(set(cells)) < len(cells):
        raise ValueError(
            f"hog_cells must be distinct cell sizes in pixels (ints >= 1), e.g. (4,) or (4, 7), "
            f"got {hog_cells!r}"
        )
    if not cells and not n_words:
        raise ValueError(
            "hog_cells=() and n_words=0 leave no features: use a HOG grid, visual words or both"
        )
    parts = [
        (
            "hog" if i == 0 else f"hog{c}",
            HOGFeatures(pixels_per_cell=(c, c), image_shape=image_shape, n_jobs=n_jobs),
        )
        for i, c in enumerate(cells)
    ]
    if n_words:
        bovw = BagOfVisualWords(
            n_words=n_words,
            step=step,
            n_corners=n_corners,
            n_blobs=n_blobs,
            image_shape=image_shape,
            random_state=random_state,
        )
        parts.append(("bovw", bovw))
    if svm == "linear":
        head = [("svm", LinearSVC(C=C, random_state=random_state))]
    elif svm == "rbf":
        head = [("svm", SVC(C=C, kernel="rbf", gamma="scale", random_state=random_state))]
    elif svm == "nystroem":
        head = [
            (
                "kernel",
                Nystroem(
                    kernel="rbf", gamma=gamma, n_components=n_components, random_state=random_state
                ),
            ),
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
