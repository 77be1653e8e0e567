"""course.invariants: the rules each notebook's figures keep, and agreement with the main
environment."""

from __future__ import annotations

import pytest

from e2e_helpers.course import figure_labels
from e2e_helpers.course.invariants import RULES, THRESHOLDS, TOLERANCES, Rule, check


def test_the_l1_model_must_stay_sparse():
    """scikit-learn before 1.8 silently fits l1_ratio=1.0 as L2, keeping all 30 features: that must
    fail."""
    assert any(
        "keeps fewer than all 30" in p
        for p in check("04_challenges", {"breast_cancer_lr_features_kept": 30})
    )
    sparse = check("04_challenges", {"breast_cancer_lr_features_kept": 9})
    assert not any("breast_cancer_lr_features_kept" in p for p in sparse)


def test_a_missing_figure_a_rule_needs_is_a_problem():
    found = check("02_speech_recognition", {})
    assert any("phone_models is not recorded" in p for p in found)


def test_rules_cover_every_notebook_and_name_labelled_figures():
    assert sorted(RULES) == [
        "01_intuition",
        "02_speech_recognition",
        "03_image_classification",
        "04_challenges",
    ]
    for rules in RULES.values():
        for rule in rules:
            assert figure_labels.label(rule.figure) and rule.low <= rule.high and rule.why


def test_every_unit_has_a_tolerance():
    assert set(TOLERANCES) == set(figure_labels.UNITS)
    assert set(THRESHOLDS) <= set(TOLERANCES)


def test_agreement_with_the_main_environment():
    main = {
        "hog_accuracy": 0.85,
        "cnn_accuracy": 0.69,
        "cnn_train_seconds": 0.6,
        "crossover_low": -1,
        "crossover_high": -1,
    }
    assert check("01_intuition", dict(main, cnn_train_seconds=18.0), main) == [], (
        "times are not compared"
    )
    moved = check("01_intuition", dict(main, cnn_accuracy=0.45), main)
    assert moved == [
        "01_intuition: cnn_accuracy is 0.45 here but 0.69 in the main environment "
        "(tolerance 0.05 for a fraction)"
    ]
    renamed = {k: v for k, v in main.items() if k != "hog_accuracy"} | {"hog_svm_accuracy": 0.85}
    found = check("01_intuition", renamed, main)
    assert any("missing ['hog_accuracy'], extra ['hog_svm_accuracy']" in p for p in found)


def test_correlations_keep_their_verdict():
    main = {"sanity_grad_cam_rank_correlation": 0.32, "sanity_saliency_rank_correlation": 0.45}
    assert (
        check(
            "05_other",
            {"sanity_grad_cam_rank_correlation": -0.17, "sanity_saliency_rank_correlation": 0.3},
            main,
        )
        == []
    ), "same verdict: passes"
    found = check(
        "05_other",
        {"sanity_grad_cam_rank_correlation": 0.32, "sanity_saliency_rank_correlation": 0.55},
        main,
    )
    assert found == [
        "05_other: sanity_saliency_rank_correlation is 0.55 here but 0.45 in the main environment: "
        "the verdict at the threshold 0.5 differs"
    ]


def test_counts_must_be_equal():
    main = {"phone_models": 19}
    found = check("05_other", {"phone_models": 20}, main)
    assert found == [
        "05_other: phone_models is 20 here but 19 in the main environment (tolerance 0 for a count)"
    ]


@pytest.mark.parametrize("value, ok", [(0.5, True), (0.49, False), (1.0, True)])
def test_rule_bounds_are_inclusive(value, ok):
    rule = Rule("hog_accuracy", 0.5, 1, "far above chance")
    assert (rule.problem("01_intuition", {"hog_accuracy": value}) is None) == ok
