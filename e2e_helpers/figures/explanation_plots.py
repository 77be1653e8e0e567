"""The explanation figures: attribution maps over images, the sanity checks, the deletion test,
maps against a mask, a linear model's reasons."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING

import numpy as np
from numpy.typing import ArrayLike

from .canvas import figure, figure_grid, overlay_heat, show_image

if TYPE_CHECKING:
    from matplotlib.figure import Figure

    from ..explain.faithfulness import DeletionCurve
    from ..explain.sanity import SanityCheck

__all__ = [
    "attribution_grid",
    "sanity_curves",
    "sanity_maps",
    "deletion_curves",
    "mask_share",
    "linear_explanation",
]


def attribution_grid(
    images: Sequence[np.ndarray],
    maps: Mapping[str, Sequence[np.ndarray]],
    titles: Sequence[str] | None = None,
) -> Figure:
    """One row per image: the image, then each method's map over it.

    *maps* is ``{method: (n, H, W) array}``.
    """
    n = len(images)
    fig, axes = figure_grid(n, len(maps) + 1, size=(1.9 * (len(maps) + 1), 1.9 * n + 0.3))
    for i in range(n):
        show_image(axes[i][0], images[i], titles[i] if titles is not None else None)
        for j, (method, values) in enumerate(maps.items()):
            overlay_heat(
                axes[i][j + 1], images[i], values[i], method.replace("_", " ") if i == 0 else None
            )
    return fig


def sanity_curves(check: SanityCheck, title: str = "") -> Figure:
    """Rank correlation (and SSIM) of each method's maps with the trained network's, as layers are
    randomised; the legend gives each method's verdict (passes, FAILS, cannot be judged)."""
    fig, (left, right) = figure(1, 2, size=(11, 3.8))
    steps = np.arange(len(check.steps))
    for i, method in enumerate(check.rank_correlation):
        verdict = check.verdict(method)
        verdict = {"fails": "FAILS"}.get(verdict, verdict.split(":")[0])
        left.plot(
            steps,
            check.rank_correlation[method],
            "o-",
            color=f"C{i}",
            label=f"{method.replace('_', ' ')} ({verdict})",
        )
        right.plot(steps, check.ssim[method], "o-", color=f"C{i}")
    left.axhline(check.threshold, color="grey", linestyle="--", linewidth=1)
    left.annotate(
        f"pass line {check.threshold}",
        (steps[-1], check.threshold),
        textcoords="offset points",
        xytext=(0, 4),
        ha="right",
        fontsize=8,
        color="grey",
    )
    for ax, label in (
        (left, "Spearman rank correlation with trained maps"),
        (right, "SSIM with trained maps"),
    ):
        ax.set_xticks(steps, ["trained"] + [f"+ {s}" for s in check.steps[1:]], fontsize=8)
        ax.set(
            xlabel="layers randomised, from the output down (cumulative)",
            ylabel=label,
            ylim=(-0.6, 1.05),
        )
        ax.grid(alpha=0.3)
    left.legend(fontsize=8, loc="lower left")
    fig.suptitle(title or "Model-randomisation sanity check (Adebayo et al., 2018)")
    return fig


def sanity_maps(check: SanityCheck, images: Sequence[np.ndarray], index: int = 0) -> Figure:
    """For ``images[index]``: each method's map (rows) on the trained network and after each
    randomisation step (columns)."""
    methods = list(check.maps)
    image = images[index]
    fig, axes = figure_grid(
        len(methods), len(check.steps), size=(1.6 * len(check.steps), 1.7 * len(methods) + 0.3)
    )
    for r, method in enumerate(methods):
        for c, step in enumerate(check.steps):
            overlay_heat(axes[r][c], image, check.maps[method][c][index], step if r == 0 else None)
        axes[r][0].set_ylabel(method.replace("_", " "), fontsize=8)
    return fig


def deletion_curves(curves: Mapping[str, DeletionCurve], title: str = "") -> Figure:
    """The deletion test: per method, the probability of the predicted class as its most
    attributed pixels are removed (solid), against the same pixels removed in a random order
    (dashed).

    *curves* is ``{method: result of explain.deletion_curve}``; the legend gives the areas under
    both (lower = the map finds the evidence sooner).
    """
    if not curves:
        raise ValueError("curves is empty: pass {method: explain.deletion_curve(...)}.")
    fig, ax = figure(1, 1, size=(6.4, 4.2))
    for i, (method, result) in enumerate(curves.items()):
        ax.plot(
            result.fractions,
            result.curve,
            "o-",
            color=f"C{i}",
            markersize=3,
            label=f"{method.replace('_', ' ')} (area {result.area:.2f}, "
            f"random {result.random_area:.2f})",
        )
        ax.plot(result.fractions, result.random_curve, "--", color=f"C{i}", alpha=0.6)
    ax.plot([], [], "--", color="grey", label="random order (dashed, same colour)")
    ax.set(
        xlabel="share of pixels removed",
        ylabel="probability of the predicted class",
        xlim=(0, 1),
        ylim=(0, 1.02),
    )
    ax.grid(alpha=0.3)
    ax.legend(fontsize=8, loc="upper right")
    ax.set_title(title or "Deletion test: most attributed pixels first vs random order")
    return fig


def mask_share(
    images: Sequence[np.ndarray],
    maps: ArrayLike,
    mask: ArrayLike,
    shares: ArrayLike,
    show: Sequence[int] = (0, 1),
    titles: Sequence[str] | None = None,
    *,
    title: str = "",
) -> Figure:
    """The mean of all *maps*, then the images at *show* with their maps, the *mask* outlined in
    cyan on every panel.

    *shares* is the share of each map outside the mask (one per image, as
    from :func:`e2e_helpers.explain.share_outside`, NaN for an all-zero map);
    the first panel gives their mean over the maps that attribute anything
    (and how many do not), the others each shown image's own.
    """
    maps, mask, shares = (
        np.abs(np.asarray(maps, dtype=float)),
        np.asarray(mask, dtype=bool),
        np.asarray(shares, dtype=float),
    )
    if not len(maps) == len(shares) == len(images):
        raise ValueError(
            f"need one map and one share per image, got {len(images)} images, {len(maps)} maps, "
            f"{len(shares)} shares."
        )
    fig, axes = figure_grid(1, len(show) + 1, size=(2.4 * (len(show) + 1), 2.9))
    counted = np.isfinite(shares)
    left_out = int((~counted).sum())
    blank = f"\n({left_out} blank map{'s' * (left_out > 1)} left out)" if left_out else ""
    mean = f"{shares[counted].mean():.0%}" if counted.any() else "n/a"
    panels = [
        (
            np.full(mask.shape, 128.0),
            maps.mean(axis=0),
            f"mean map, all {len(maps)} images\n{mean} outside{blank}",
        )
    ]
    panels += [
        (
            images[i],
            maps[i],
            f"{titles[n] if titles is not None else f'image {i}'}\n"
            + (f"{shares[i]:.0%} outside" if np.isfinite(shares[i]) else "blank map"),
        )
        for n, i in enumerate(show)
    ]
    for ax, (image, heat, label) in zip(axes[0], panels):
        overlay_heat(ax, image, heat, label)
        ax.contour(mask, levels=[0.5], colors="cyan", linewidths=1)
    fig.suptitle(title or "Where the attribution falls (cyan: fixed lung-field mask)", fontsize=10)
    return fig


def linear_explanation(
    names: Sequence[str],
    coefficients: ArrayLike,
    contributions: ArrayLike,
    intercept: float,
    *,
    top: int = 10,
    positive: str = "positive",
    title: str = "",
) -> Figure:
    """Left: the *top* largest coefficients of a linear model; right: one case's largest feature
    contributions.

    The right panel's bars add up, with the intercept, to the case's log-odds of *positive*.
    """
    names = np.asarray(names)
    fig, (left, right) = figure(1, 2, size=(11, 0.32 * top + 1.6))
    for ax, values, label in (
        (
            left,
            np.asarray(coefficients, dtype=float),
            "coefficient (per standard deviation of the feature)",
        ),
        (
            right,
            np.asarray(contributions, dtype=float),
            f"contribution to the log-odds of {positive}",
        ),
    ):
        order = np.argsort(np.abs(values))[::-1][:top][::-1]
        ax.barh(
            np.arange(len(order)),
            values[order],
            color=["C3" if v > 0 else "C0" for v in values[order]],
        )
        ax.set_yticks(np.arange(len(order)), names[order], fontsize=8)
        ax.axvline(0, color="black", linewidth=0.8)
        ax.set_xlabel(label, fontsize=9)
    left.set_title("what the model learned (all cases)", fontsize=10)
    score = float(np.sum(contributions) + intercept)
    right.set_title(
        f"{title}\nlog-odds {score:+.2f} = intercept {intercept:+.2f} + sum of contributions",
        fontsize=10,
    )
    return fig
