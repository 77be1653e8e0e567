"""course.figure_labels: every recorded figure has a label and a unit, shown in words."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from e2e_helpers.course import figure_labels
from e2e_helpers.course.figure_labels import LABELS, UNITS, Label, describe, display, unlabelled

ROOT = Path(__file__).resolve().parents[2]


def test_every_figure_in_results_json_has_a_label():
    results = json.loads((ROOT / "results" / "results.json").read_text(encoding="utf-8"))
    names = {name for entry in results.values() for name in entry["figures"]}
    assert names, "results/results.json records no figures"
    assert unlabelled(names) == [], "add these to LABELS in e2e_helpers/course/figure_labels.py"


@pytest.mark.parametrize("name", sorted(LABELS))
def test_every_label_is_words_with_a_known_unit(name):
    found = LABELS[name]
    assert found.unit in UNITS
    assert found.text[0].isupper() and "_" not in found.text, (
        "a label is words, not a variable name"
    )
    assert display(name, 0.5), "every unit can be shown"


def test_labels_are_unique():
    texts = [found.text for found in LABELS.values()]
    assert len(texts) == len(set(texts)), "two figures with the same label cannot be told apart"


@pytest.mark.parametrize(
    "name, value, shown",
    [
        ("cnn_accuracy", 0.9198, "91.98 %"),
        ("strings_e2e_wer", 0.00889, "0.89 %"),
        ("loso_augmentation_gain_ci_low", -0.058, "-5.8 points"),
        ("loso_augmentation_gain_ci_high", 0.102, "+10.2 points"),
        ("pneumonia_cnn_auc", 0.96351, "0.964"),
        ("sanity_saliency_rank_correlation", -0.0253, "-0.025"),
        ("cnn_train_seconds", 184.29, "184 s"),
        ("cnn_train_seconds", 0.618, "0.6 s"),
        ("crossover_high", -1.0, "never (the intervals do not separate)"),
        ("crossover_high", 1732, "1,732 images"),
        ("pneumonia_official_data", 0, "no"),
        ("pneumonia_official_data", 1, "yes"),
        ("selected_features", 800, "800"),
    ],
)
def test_display_in_the_figures_unit(name, value, shown):
    assert display(name, value) == shown


def test_unknown_figure_says_where_to_add_it():
    with pytest.raises(KeyError, match="'made_up' has no label.*figure_labels.py"):
        describe("made_up")
    assert unlabelled(["cnn_accuracy", "made_up"]) == ["made_up"]


def test_unknown_unit_is_refused():
    with pytest.raises(ValueError, match="unit 'furlongs'"):
        Label("Distance run", "furlongs")


def test_the_figures_that_issues_name_are_labelled():
    """The figures notebooks 01, 03 and 04 are to record (their issues' lists)."""
    planned = [
        "ablation_interest_points_gain",
        "ablation_selection_gain",
        "fewshot_control_k5_accuracy",
        "traditional_adapted_k5_accuracy",
        "breast_cancer_lr_features_kept",
        "pneumonia_attribution_outside_lungs",
        *(
            f"sanity_data_randomization_{m}_rank_correlation"
            for m in ("saliency", "grad_cam", "occlusion", "integrated_gradients")
        ),
    ]
    assert unlabelled(planned) == []
    assert figure_labels.__doc__
