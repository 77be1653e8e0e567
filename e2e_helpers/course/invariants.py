"""What each notebook's figures must keep meaning, in any environment (the Colab replica's test).

Passing without an error is not enough: a library version can silently change
what a model is (scikit-learn 1.6 fits ``LogisticRegression(l1_ratio=1.0)``
as an L2 model). So every notebook's fast-mode figures are checked in two ways:

* **rules** each notebook declares about its own results (:data:`RULES`), which
  hold in every environment, e.g. the L1 model keeps fewer than all 30 features;
* **agreement with the main environment**: the same figure names; each figure
  within the tolerance of its unit (:data:`TOLERANCES`) of the value the main
  environment's fast-mode run produced; and each sanity-check correlation on
  the same side of the course's threshold (:data:`THRESHOLDS`), so the verdict
  "this explanation method passes" is the same.

Why those tolerances (measured, fast mode, the replica against the main
environment on one CPU): the networks' accuracies came out identical under
torch 2.11 and 2.14 (same seeds, same CPU kernels), the classical models'
moved by at most 0.8 points (the bag of visual words; the breast-cancer model
by 0.6 points, because scikit-learn 1.6 fits it as another model, which only
the features-kept rule sees). 0.05 allows two test examples of the smallest
fast-mode test set (40 digit strings), more than library numerics move a
figure and less than a model that changes kind does. The rank correlations
of explanation maps of a fast-trained network moved by up to 0.49 (Grad-CAM on
a re-initialised network is near noise), so only their verdict is compared.
Times are not compared.

>>> print(check("04_challenges", {"breast_cancer_lr_features_kept": 30})[0])  # doctest: +ELLIPSIS
04_challenges: breast_cancer_lr_features_kept is 30, expected 1 to 29: the L1 model is sparse ...
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from .figure_labels import label

__all__ = ["TOLERANCES", "THRESHOLDS", "Rule", "RULES", "check"]

#: How far (absolute) a fast-mode figure of each unit may lie from the main environment's;
#: None: not compared (times depend on the machine), 0: must be equal.
TOLERANCES: dict[str, float | None] = {
    "fraction": 0.05,
    "points": 0.05,
    "auc": 0.05,
    "correlation": None,  # compared by its verdict (THRESHOLDS)
    "seconds": None,
    "count": 0,
    "yes_no": 0,
    # The crossover of two noisy fast-mode curves; its meaning is checked by rules.
    "train_size": None,
}

#: A figure of these units must lie on the same side of the threshold as in the main environment:
#: the sanity check's verdict (``e2e_helpers.explain.sanity``: a method fails from 0.5 up).
THRESHOLDS: dict[str, float] = {"correlation": 0.5}


@dataclass(frozen=True)
class Rule:
    """Figure *figure* lies in ``[low, high]``, because *why*."""

    figure: str
    low: float
    high: float
    why: str

    def problem(self, notebook: str, figures: Mapping[str, float]) -> str | None:
        """What is wrong with *figures* under this rule, or None."""
        if self.figure not in figures:
            return f"{notebook}: {self.figure} is not recorded, but a rule needs it: {self.why}"
        value = figures[self.figure]
        if self.low <= value <= self.high:
            return None
        expected = f"expected {self.low:g} to {self.high:g}"
        return f"{notebook}: {self.figure} is {value:g}, {expected}: {self.why}"


#: The rules each notebook declares about its own fast-mode results.
RULES: dict[str, tuple[Rule, ...]] = {
    "01_intuition": (
        Rule(
            "hog_accuracy",
            0.5,
            1,
            "HOG + a classical model is far above chance (0.1) even in fast mode",
        ),
        Rule("cnn_accuracy", 0.2, 1, "the CNN learns something (chance is 0.1) even in fast mode"),
        Rule("crossover_low", -1, 60_000, "a size of Fashion-MNIST's training set, or -1 for none"),
        Rule(
            "crossover_high", -1, 60_000, "a size of Fashion-MNIST's training set, or -1 for none"
        ),
    ),
    "02_speech_recognition": (
        Rule(
            "phone_models",
            19,
            32,
            "19 phones of the digits' CMUdict spellings, or 32 whole-word slots (one per phone)",
        ),
        Rule(
            "isolated_traditional_accuracy", 0.5, 1, "the HMM recogniser is far above chance (0.1)"
        ),
        Rule(
            "strings_traditional_sentence_accuracy",
            0.5,
            1,
            "the HMM recogniser reads most digit strings",
        ),
        Rule("strings_traditional_wer", 0, 0.5, "the HMM recogniser gets most words right"),
        Rule("raw_waveform_seeds", 3, 3, "the three recorded seeds of benchmarks/raw_waveform.py"),
    ),
    "03_image_classification": (
        Rule("traditional_accuracy", 0.5, 1, "the traditional chain is far above chance (0.1)"),
        Rule("ablation_hog_accuracy", 0.5, 1, "the validated HOG row is far above chance (0.1)"),
        Rule("bovw_accuracy", 0.3, 1, "a bag of visual words is above chance (0.1)"),
    ),
    "04_challenges": (
        Rule(
            "breast_cancer_lr_features_kept",
            1,
            29,
            "the L1 model is sparse (keeps fewer than all 30 features)",
        ),
        Rule(
            "breast_cancer_lr_accuracy", 0.85, 1, "linear models on these features reach 0.96-0.975"
        ),
        Rule(
            "official_traditional_accuracy",
            0.5,
            1,
            "MFCC statistics + SVM is far above chance (0.1)",
        ),
        Rule(
            "pneumonia_traditional_auc",
            0.6,
            1,
            "texture features separate pneumonia from normal x-rays",
        ),
        Rule(
            "pneumonia_official_data",
            0,
            0,
            "the tests run on the offline balanced subset, not the official file",
        ),
        Rule(
            "data_randomization_train_accuracy",
            0.9,
            1,
            "the shuffled-label networks memorise their labels, which the data-randomisation test"
            " needs",
        ),
        Rule(
            "shortcut_marked_accuracy",
            0.9,
            1,
            "the network trained with the planted marker reads it on marked test x-rays",
        ),
        Rule("degenerate_maps", 0, 1, "a share of the sanity checks' maps, not a count"),
    ),
}


def _agreement(
    notebook: str, figures: Mapping[str, float], reference: Mapping[str, float]
) -> list[str]:
    found = []
    missing, extra = sorted(set(reference) - set(figures)), sorted(set(figures) - set(reference))
    if missing or extra:
        found.append(
            f"{notebook}: figure names differ from the main environment's: "
            f"missing {missing or 'none'}, extra {extra or 'none'}"
        )
    for name in sorted(set(figures) & set(reference)):
        unit = label(name).unit
        tolerance, threshold = TOLERANCES[unit], THRESHOLDS.get(unit)
        here, main = figures[name], reference[name]
        if tolerance is not None and abs(here - main) > tolerance:
            found.append(
                f"{notebook}: {name} is {here:.4g} here but {main:.4g} in the main "
                f"environment (tolerance {tolerance:g} for a {unit})"
            )
        if threshold is not None and (here < threshold) != (main < threshold):
            found.append(
                f"{notebook}: {name} is {here:.4g} here but {main:.4g} in the main environment: "
                f"the verdict at the threshold {threshold:g} differs"
            )
    return found


def check(
    notebook: str, figures: Mapping[str, float], reference: Mapping[str, float] | None = None
) -> list[str]:
    """What is wrong with *notebook*'s fast-mode *figures*: its rules, and agreement with
    *reference* when given."""
    found = [
        problem for rule in RULES.get(notebook, ()) if (problem := rule.problem(notebook, figures))
    ]
    if reference is not None:
        found += _agreement(notebook, figures, reference)
    return found
