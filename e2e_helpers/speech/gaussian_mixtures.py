"""Diagonal-covariance Gaussian mixtures, one per HMM state: the emission models of a classic
recogniser.

:class:`StateMixtures` holds a mixture for every state and scores frames
against all of them at once (:meth:`~StateMixtures.log_likelihoods`).
:meth:`~StateMixtures.flat_start` gives every state the global mean and
variance of the training frames; :meth:`~StateMixtures.reestimate` fits each
state's mixture to the frames aligned to it (a few EM steps from the
current parameters) and can first
*split* each component in two (means moved apart by 0.2 standard
deviations), the way HTK's ``HHEd MU`` and Kaldi grow mixtures. The EM step
(:func:`em_steps`) is written out, vectorised, and tested against
scikit-learn's ``GaussianMixture``.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy.special import logsumexp

__all__ = []

#: Smallest variance of any component, as a fraction of the global variance (HTK's ``-f 0.01``).
VARIANCE_FLOOR = 0.01


@dataclass
class StateMixtures:
    """Mixtures ``(n_states, n_components, n_features)``; unused components have log-weight
    ``-inf``."""

    means: np.ndarray
    variances: np.ndarray
    log_weights: np.ndarray
    floor: np.ndarray  # (n_features,) smallest variance allowed

    @classmethod
    def flat_start(cls, frames: np.ndarray, n_states: int) -> StateMixtures:
        """Every state one Gaussian with the global mean and variance of *frames*
        ``(n, n_features)``."""
        frames = np.asarray(frames, dtype=np.float64)
        if frames.ndim != 2 or len(frames) < 2:
            raise ValueError(
                f"need at least two frames (n_frames, n_features) for a flat start, got shape "
                f"{frames.shape}."
            )
        variance = frames.var(axis=0)
        floor = np.maximum(VARIANCE_FLOOR * variance, 1e-6)
        means = np.repeat(frames.mean(axis=0)[None, None], n_states, axis=0)
        variances = np.repeat(np.maximum(variance, floor)[None, None], n_states, axis=0)
        return cls(means, variances, np.zeros((n_states, 1)), floor)

    @property
    def n_states(self) -> int:
        """How many states have a mixture."""
        return len(self.means)

    @property
    def n_components(self) -> np.ndarray:
        """Components in use per state."""
        return np.isfinite(self.log_weights).sum(axis=1)

    def log_likelihoods_each(self, utterances: list[np.ndarray]) -> list[np.ndarray]:
        """:meth:`log_likelihoods` of many utterances' frames, computed together."""
        if not len(utterances):
            return []
        scores = self.log_likelihoods(np.vstack(utterances))
        return np.split(scores, np.cumsum([len(u) for u in utterances])[:-1])

    def log_likelihoods(self, frames: np.ndarray) -> np.ndarray:
        """``(n_frames, n_states)`` log density of every frame under every state's mixture
        (float32)."""
        x = np.asarray(frames, dtype=np.float32)
        if x.ndim != 2 or x.shape[1] != self.means.shape[2]:
            raise ValueError(
                f"expected frames (n_frames, {self.means.shape[2]}), got shape {x.shape}."
            )
        weights = _quadratic_form(self.means, self.variances, self.log_weights)  # (2 D + 1, S * M)
        out = np.empty((len(x), self.n_states), dtype=np.float32)
        for start in range(0, len(x), 20_000):  # bounded memory: (chunk, S * M) at a time
            chunk = x[start : start + 20_000]
            per_component = np.hstack([chunk**2, chunk]) @ weights[1:]
            per_component += weights[0]
            out[start : start + len(chunk)] = logsumexp(
                per_component.reshape(len(chunk), self.n_states, -1), axis=-1
            )
        return out

    def reestimate(
        self, frames: np.ndarray, states: np.ndarray, *, split: bool = False, n_iter: int = 4
    ) -> StateMixtures:
        """A new set of mixtures fitted to *frames* ``(n, D)`` aligned to *states* ``(n,)``.

        Each state's mixture starts from its current components (split in
        two first if *split*) and takes *n_iter* EM steps on its frames
        (:func:`em_steps`); a state keeps at most one component per
        ``4 D`` of its frames (its heaviest ones), and a state with no frames
        keeps its mixture.
        """
        frames = np.asarray(frames, dtype=np.float64)
        states = np.asarray(states)
        if len(frames) != len(states):
            raise ValueError(
                f"need one state per frame, got {len(frames)} frames and {len(states)} states."
            )
        order = np.argsort(states, kind="stable")
        bounds = np.searchsorted(states[order], np.arange(self.n_states + 1))
        fitted = []
        for s in range(self.n_states):
            used = np.flatnonzero(np.isfinite(self.log_weights[s]))
            means, variances, weights = (
                self.means[s, used],
                self.variances[s, used],
                np.exp(self.log_weights[s, used]),
            )
            own = frames[order[bounds[s] : bounds[s + 1]]]
            if not len(own):
                fitted.append((means, variances, weights))
                continue
            if split:
                offset = 0.2 * np.sqrt(variances)
                means = np.concatenate([means - offset, means + offset])
                variances, weights = (
                    np.concatenate([variances, variances]),
                    np.concatenate([weights, weights]) / 2,
                )
            keep = np.argsort(-weights, kind="stable")[: max(1, len(own) // (4 * frames.shape[1]))]
            means, variances, weights = (
                means[keep],
                variances[keep],
                weights[keep] / weights[keep].sum(),
            )
            means, variances, weights = em_steps(own, means, variances, weights, self.floor, n_iter)
            fitted.append((means, variances, weights))
        return self._stack(fitted)

    def _stack(self, fitted: list[tuple[np.ndarray, np.ndarray, np.ndarray]]) -> StateMixtures:
        width, dims = max(len(m) for m, _, _ in fitted), self.means.shape[2]
        means = np.zeros((self.n_states, width, dims))
        variances = np.ones((self.n_states, width, dims))
        log_weights = np.full((self.n_states, width), -np.inf)
        for s, (m, v, w) in enumerate(fitted):
            means[s, : len(m)], variances[s, : len(m)] = m, v
            with np.errstate(divide="ignore"):
                log_weights[s, : len(m)] = np.log(w)
        return StateMixtures(means, variances, log_weights, self.floor)


def _quadratic_form(
    means: np.ndarray, variances: np.ndarray, log_weights: np.ndarray
) -> np.ndarray:
    """Rows ``[constant, -1 / (2 var), mean / var]`` so that ``[x**2, x] @ rows[1:] + rows[0]`` is
    each log density."""
    dims = means.shape[2]
    precision = 1.0 / variances.reshape(-1, dims)
    mu = means.reshape(-1, dims)
    constant = log_weights.ravel() - 0.5 * (
        np.log(2 * np.pi * variances.reshape(-1, dims)).sum(axis=1)
        + (mu**2 * precision).sum(axis=1)
    )
    return np.vstack([constant[None], -0.5 * precision.T, (mu * precision).T]).astype(np.float32)


def em_steps(
    frames: np.ndarray,
    means: np.ndarray,
    variances: np.ndarray,
    weights: np.ndarray,
    floor: np.ndarray,
    n_iter: int = 1,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """*n_iter* expectation-maximisation steps of a diagonal Gaussian mixture on *frames*
    ``(n, D)``.

    Returns new ``(means (M, D), variances (M, D), weights (M,))``;
    variances are floored at *floor*, and a component that no frame
    prefers keeps its mean and variance with a tiny weight.
    """
    dims = frames.shape[1]
    # (n, 2 D): one product gives every density, one every statistic
    both = np.hstack([frames**2, frames])
    for _ in range(n_iter):
        precision = 1 / variances
        rows = np.hstack([-0.5 * precision, means * precision]).T  # (2 D, M)
        offset = -0.5 * (
            np.log(2 * np.pi * variances).sum(axis=1) + (means**2 * precision).sum(axis=1)
        )
        joint = both @ rows + (offset + np.log(np.maximum(weights, 1e-300)))
        joint -= logsumexp(joint, axis=1, keepdims=True)
        responsibilities = np.exp(joint, out=joint)  # (n, M)
        mass = responsibilities.sum(axis=0)
        statistics = responsibilities.T @ both  # (M, 2 D): sums of x**2 and of x per component
        alive = (mass > 1e-8)[:, None]
        safe = np.where(alive, mass[:, None], 1.0)
        means_new = np.where(alive, statistics[:, dims:] / safe, means)
        variances = np.where(
            alive, np.maximum(statistics[:, :dims] / safe - means_new**2, floor), variances
        )
        means, weights = means_new, np.maximum(mass, 1e-8) / np.maximum(mass, 1e-8).sum()
    return means, variances, weights
