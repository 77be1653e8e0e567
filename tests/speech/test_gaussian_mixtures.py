"""speech.gaussian_mixtures: the per-state mixtures against scipy and scikit-learn."""

from __future__ import annotations

import warnings

import numpy as np
import pytest
from scipy.stats import multivariate_normal
from sklearn.mixture import GaussianMixture

from e2e_helpers.speech.gaussian_mixtures import StateMixtures, em_steps


def _two_clusters(seed: int = 0) -> np.ndarray:
    rng = np.random.default_rng(seed)
    return np.vstack([rng.normal(0, 1, (300, 3)), rng.normal(3, 0.5, (150, 3))])


@pytest.mark.parametrize("n_iter", [1, 3])
def test_em_steps_match_scikit_learn(n_iter):
    frames = _two_clusters()
    means, variances, weights = (
        np.array([[0.5, 0, 0], [2, 2, 2.0]]),
        np.ones((2, 3)),
        np.array([0.5, 0.5]),
    )
    ours = em_steps(frames, means, variances, weights, floor=np.full(3, 1e-9), n_iter=n_iter)
    reference = GaussianMixture(
        2,
        covariance_type="diag",
        max_iter=n_iter,
        reg_covar=0.0,
        tol=0.0,
        weights_init=weights,
        means_init=means,
        precisions_init=1 / variances,
    )
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        reference.fit(frames)
    np.testing.assert_allclose(ours[0], reference.means_, atol=1e-10)
    np.testing.assert_allclose(ours[1], reference.covariances_, atol=1e-10)
    np.testing.assert_allclose(ours[2], reference.weights_, atol=1e-10)


def test_log_likelihoods_are_the_mixture_densities():
    frames = _two_clusters()
    model = StateMixtures.flat_start(frames, 2).reestimate(
        frames, np.r_[np.zeros(300, int), np.ones(150, int)], split=True
    )
    scores = model.log_likelihoods(frames[:5])
    for s in range(2):
        used = np.isfinite(model.log_weights[s])
        expected = np.log(
            sum(
                np.exp(w) * multivariate_normal(m, np.diag(v)).pdf(frames[:5])
                for w, m, v in zip(
                    model.log_weights[s, used], model.means[s, used], model.variances[s, used]
                )
            )
        )
        np.testing.assert_allclose(scores[:, s], expected, rtol=1e-4)
    joined = model.log_likelihoods_each([frames[:2], frames[2:5]])
    np.testing.assert_allclose(np.vstack(joined), scores)


def test_flat_start_splitting_and_the_frames_each_component_needs():
    frames = _two_clusters()
    flat = StateMixtures.flat_start(frames, 3)
    np.testing.assert_allclose(flat.means[:, 0], np.repeat(frames.mean(axis=0)[None], 3, axis=0))
    # state 2 gets no frames: it keeps its mixture
    states = np.r_[np.zeros(430, int), np.ones(20, int)]
    grown = flat.reestimate(frames, states, split=True).reestimate(frames, states, split=True)
    assert grown.n_components.tolist() == [4, 1, 1], (
        "20 frames carry one 3-D component (4 frames per number), none keep one"
    )
    np.testing.assert_allclose(grown.means[2, 0], flat.means[2, 0])
    assert np.all(grown.variances >= flat.floor)


def test_bad_input_is_explained():
    with pytest.raises(ValueError, match="at least two frames"):
        StateMixtures.flat_start(np.zeros((1, 3)), 2)
    model = StateMixtures.flat_start(_two_clusters(), 2)
    with pytest.raises(ValueError, match=r"expected frames \(n_frames, 3\)"):
        model.log_likelihoods(np.zeros((4, 5)))
    with pytest.raises(ValueError, match="one state per frame"):
        model.reestimate(np.zeros((4, 3)), np.zeros(3, int))
