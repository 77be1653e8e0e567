"""What each recorded figure means: a human label and a unit, defined once.

``results/RESULTS.md``, the README's results table and the course site all
show a figure through :func:`describe` (its label) and :func:`display` (its
value in its unit), never by its raw name alone. A test checks that every
figure in ``results/results.json`` has a label here, so a notebook that
records a new figure fails loudly until it is described.

>>> describe("crossover_high")
'Crossover, high end: the first measured size from which the CNN is clearly ahead for good'
>>> display("crossover_high", -1)
'never (the intervals do not separate)'
>>> display("cnn_accuracy", 0.9198)
'91.98 %'
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

__all__ = [
    "label",
    "display",
]

#: The units a figure can have, and what each means.
UNITS = {
    "fraction": "a share from 0 to 1, shown as a percentage (accuracy, error rate)",
    "points": "a difference of two shares, shown in percentage points",
    "auc": "area under the ROC curve, 0.5 is chance and 1 perfect",
    "correlation": "a rank correlation from -1 to 1",
    "seconds": "wall-clock seconds on the machine that ran the notebook",
    "count": "a whole number of things (the label says what)",
    "train_size": "a number of training examples; -1 means never",
    "yes_no": "1 for yes, 0 for no",
}


@dataclass(frozen=True)
class Label:
    """A figure's label (what it measures, in words) and its unit (a key of :data:`UNITS`)."""

    text: str
    unit: str

    def __post_init__(self) -> None:
        if self.unit not in UNITS:
            raise ValueError(f"unit {self.unit!r} of {self.text!r} is not one of {sorted(UNITS)}")


_METHODS = {
    "saliency": "saliency",
    "grad_cam": "Grad-CAM",
    "occlusion": "occlusion",
    "integrated_gradients": "integrated gradients",
    "guided_backprop": "guided backpropagation",
    "guided_grad_cam": "guided Grad-CAM",
}
_SNRS = (20, 10, 5, 0)
_SIDES = {"traditional": "HMM recogniser", "e2e": "CTC network"}


def _speech_labels() -> dict[str, Label]:
    labels = {
        "phone_models": Label(
            "HMM units trained: phones, or whole-word slots (silence not counted)", "count"
        ),
        "network_seeds": Label("Seeds of the CTC network behind each of its figures", "count"),
        "curve_sizes": Label("Learning curve: training-set sizes measured", "count"),
        "curve_network_seeds": Label("Learning curve: CTC network seeds per size", "count"),
        "curve_crossover_utterances": Label(
            "Learning curve: smallest size from which the CTC network is clearly ahead (-1: none)",
            "train_size",
        ),
        "hmm_train_seconds": Label("Training time, HMM recogniser", "seconds"),
        "ctc_train_seconds": Label("Training time, CTC network", "seconds"),
        "isolated_traditional_accuracy": Label(
            "Isolated digits, accuracy of the HMM recogniser", "fraction"
        ),
        "isolated_e2e_accuracy": Label("Isolated digits, accuracy of the CTC network", "fraction"),
        "raw_waveform_seeds": Label("Seeds of the raw-waveform CTC network", "count"),
        "raw_waveform_isolated_accuracy": Label(
            "Isolated digits, accuracy of the raw-waveform CTC network", "fraction"
        ),
        "raw_waveform_sentence_accuracy": Label(
            "Digit strings, sentence accuracy of the raw-waveform CTC network", "fraction"
        ),
        "raw_waveform_minus_log_mel_low": Label(
            "Digit strings, raw waveform minus log-mel network, adjusted interval, low end",
            "points",
        ),
        "raw_waveform_minus_log_mel_high": Label(
            "Digit strings, raw waveform minus log-mel network, adjusted interval, high end",
            "points",
        ),
        "raw_waveform_recheck_minus_low": Label(
            "Re-check (the side behind on twice the epochs): raw waveform minus log-mel, low end",
            "points",
        ),
        "raw_waveform_recheck_minus_high": Label(
            "Re-check (the side behind on twice the epochs): raw waveform minus log-mel, high end",
            "points",
        ),
    }
    for side, who in _SIDES.items():
        labels[f"strings_{side}_sentence_accuracy"] = Label(
            f"Digit strings, sentence accuracy of the {who}", "fraction"
        )
        labels[f"strings_{side}_wer"] = Label(
            f"Digit strings, word error rate of the {who}", "fraction"
        )
        labels[f"strings_{side}_cer"] = Label(
            f"Digit strings, character error rate of the {who}", "fraction"
        )
        for snr in _SNRS:
            labels[f"strings_{side}_sentence_accuracy_snr{snr}"] = Label(
                f"Digit strings at {snr} dB SNR, sentence accuracy of the {who}", "fraction"
            )
        labels[f"strings_{side}_multicondition_sentence_accuracy_snr10"] = Label(
            f"Digit strings at 10 dB SNR, sentence accuracy of the {who} trained on 0-40 dB",
            "fraction",
        )
    return labels


def _challenge_labels() -> dict[str, Label]:
    labels = {
        "official_traditional_accuracy": Label(
            "Spoken digits, official split, accuracy of MFCC statistics + SVM", "fraction"
        ),
        "official_e2e_accuracy": Label(
            "Spoken digits, official split, accuracy of the 1-D CNN", "fraction"
        ),
        "loso_traditional_mean_accuracy": Label(
            "New speaker (leave one out), mean accuracy of the SVM", "fraction"
        ),
        "loso_e2e_mean_accuracy": Label(
            "New speaker (leave one out), mean accuracy of the 1-D CNN", "fraction"
        ),
        "loso_traditional_augmented_mean_accuracy": Label(
            "New speaker, mean accuracy of the SVM trained with augmentation", "fraction"
        ),
        "loso_e2e_augmented_mean_accuracy": Label(
            "New speaker, mean accuracy of the 1-D CNN trained with augmentation", "fraction"
        ),
        "loso_augmentation_gain_ci_low": Label(
            "Augmentation gain of the 1-D CNN, 95% interval, low end", "points"
        ),
        "loso_augmentation_gain_ci_high": Label(
            "Augmentation gain of the 1-D CNN, 95% interval, high end", "points"
        ),
        "fewshot_k5_accuracy": Label(
            "New speaker, accuracy after fine-tuning on 5 of their takes", "fraction"
        ),
        "fewshot_control_k5_accuracy": Label(
            "Control: accuracy after fine-tuning on 5 more takes of the training speakers",
            "fraction",
        ),
        "traditional_adapted_k5_accuracy": Label(
            "New speaker, accuracy of the SVM retrained with 5 of their takes (weighted as one "
            "speaker)",
            "fraction",
        ),
        "fewshot_batchnorm_k5_accuracy": Label(
            "New speaker, accuracy after re-estimating only BatchNorm statistics on 5 of their "
            "takes",
            "fraction",
        ),
        "loso_traditional_normalised_mean_accuracy": Label(
            "New speaker, mean accuracy of the SVM on mean-normalised MFCC statistics (4 segments)",
            "fraction",
        ),
        "xray_auc_gap_ci_low": Label(
            "Chest x-rays, CNN minus texture AUC (all training images), 95% interval, low end",
            "points",
        ),
        "xray_auc_gap_ci_high": Label(
            "Chest x-rays, CNN minus texture AUC (all training images), 95% interval, high end",
            "points",
        ),
        "data_randomization_train_accuracy": Label(
            "Data randomisation: training accuracy of the shuffled-label networks (the lowest)",
            "fraction",
        ),
        "degenerate_maps": Label(
            "Sanity checks: share of the attribution maps that are blank (constant), left out",
            "fraction",
        ),
        "shortcut_marked_accuracy": Label(
            "Planted marker: CNN accuracy on test x-rays marked like its training ones", "fraction"
        ),
        "shortcut_clean_accuracy": Label(
            "Planted marker: CNN accuracy on clean test x-rays", "fraction"
        ),
        "brightness_contrast_auc": Label(
            "Chest x-rays, AUC of a model on each image's mean and standard deviation alone",
            "auc",
        ),
        "pneumonia_official_data": Label(
            "Chest x-rays: the official PneumoniaMNIST split was used", "yes_no"
        ),
        "pneumonia_cnn_accuracy": Label("Chest x-rays, accuracy of the CNN", "fraction"),
        "pneumonia_cnn_auc": Label("Chest x-rays, AUC of the CNN", "auc"),
        "pneumonia_traditional_auc": Label(
            "Chest x-rays, AUC of texture features + logistic regression", "auc"
        ),
        "pneumonia_attribution_outside_lungs": Label(
            "Chest x-rays, share of Grad-CAM attribution outside the lungs", "fraction"
        ),
        "breast_cancer_lr_accuracy": Label(
            "Breast cancer, accuracy of the L1 logistic regression", "fraction"
        ),
        "breast_cancer_lr_features_kept": Label(
            "Breast cancer, features the L1 model keeps (of 30)", "count"
        ),
    }
    for key, method in {**_METHODS, "edges": "edge-detector"}.items():
        labels[f"shortcut_attribution_on_marker_{key}"] = Label(
            f"Planted marker: share of the {method} maps on the marker (marked pneumonia x-rays)",
            "fraction",
        )
    for key, method in _METHODS.items():
        labels[f"sanity_{key}_rank_correlation"] = Label(
            f"Model randomisation, {method} maps: trained vs random network (Fashion-MNIST)",
            "correlation",
        )
        labels[f"pneumonia_sanity_{key}_rank_correlation"] = Label(
            f"Model randomisation, {method} maps: trained vs random network (chest x-rays)",
            "correlation",
        )
        labels[f"sanity_data_randomization_{key}_rank_correlation"] = Label(
            f"Data randomisation, {method} maps: true vs shuffled labels", "correlation"
        )
    return labels


#: Every figure the notebooks record, by name.
LABELS: dict[str, Label] = {
    # 01_intuition and 03_image_classification (Fashion-MNIST)
    "hog_accuracy": Label("Test accuracy, HOG + RBF kernel model", "fraction"),
    "ablation_hog_accuracy": Label(
        "Test accuracy, the validated HOG row of the ablation (10,000 training images)", "fraction"
    ),
    "cnn_accuracy": Label("Test accuracy, CNN", "fraction"),
    "crossover_low": Label(
        "Crossover, low end: the measured size before the CNN is clearly ahead for good",
        "train_size",
    ),
    "crossover_high": Label(
        "Crossover, high end: the first measured size from which the CNN is clearly ahead for good",
        "train_size",
    ),
    "shuffled_pixels_cnn_loss": Label(
        "Accuracy the CNN loses when every image's pixels are shuffled (1,581 training images)",
        "points",
    ),
    "shuffled_pixels_hog_loss": Label(
        "Accuracy HOG + RBF loses when every image's pixels are shuffled (1,581 training images)",
        "points",
    ),
    "hog_train_seconds": Label("Training time, HOG pipeline", "seconds"),
    "cnn_train_seconds": Label("Training time, CNN", "seconds"),
    "traditional_accuracy": Label(
        "Test accuracy, the best validated traditional chain", "fraction"
    ),
    "bovw_accuracy": Label("Test accuracy, bag of visual words alone", "fraction"),
    "selected_features": Label("Features kept by the selection stage", "count"),
    "ablation_interest_points_gain": Label("Accuracy gained by adding interest points", "points"),
    "ablation_selection_gain": Label("Accuracy gained by feature selection", "points"),
    "traditional_train_seconds": Label("Training time, traditional chain", "seconds"),
    **_speech_labels(),
    **_challenge_labels(),
}


def label(name: str) -> Label:
    """The :class:`Label` of figure *name*; ``KeyError`` saying where to add a missing one."""
    try:
        return LABELS[name]
    except KeyError:
        raise KeyError(
            f"figure {name!r} has no label: add Label('<what it measures>', '<unit>') for it to "
            f"LABELS in e2e_helpers/course/figure_labels.py (units: {', '.join(UNITS)})"
        ) from None


def describe(name: str) -> str:
    """Figure *name* in words."""
    return label(name).text


def display(name: str, value: float) -> str:
    """The value of figure *name* in its unit, as a reader wants to see it."""
    unit = label(name).unit
    if unit == "fraction":
        return f"{100 * value:.2f} %"
    if unit == "points":
        return f"{100 * value:+.1f} points"
    if unit in ("auc", "correlation"):
        return f"{value:.3f}"
    if unit == "seconds":
        return f"{value:,.0f} s" if value >= 10 else f"{value:.1f} s"
    if unit == "train_size":
        return "never (the intervals do not separate)" if value < 0 else f"{value:,.0f} images"
    if unit == "yes_no":
        return "yes" if value else "no"
    return f"{value:,.0f}"


def unlabelled(names: Iterable[str]) -> list[str]:
    """The figure *names* that have no label, sorted."""
    return sorted(set(names) - set(LABELS))


def in_order(names: Iterable[str]) -> list[str]:
    """Figure *names* in the order of :data:`LABELS` (related figures together), unlabelled ones
    last.

    >>> in_order(["hog_train_seconds", "cnn_accuracy", "hog_accuracy"])
    ['hog_accuracy', 'cnn_accuracy', 'hog_train_seconds']
    """
    rank = {name: i for i, name in enumerate(LABELS)}
    return sorted(names, key=lambda name: (rank.get(name, len(rank)), name))
