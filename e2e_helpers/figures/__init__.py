"""Every matplotlib figure of the course, by topic; the pipeline diagrams; the interactive explorers.

Each figure function returns a pyplot-free :class:`matplotlib.figure.Figure`
(a notebook cell ends with it to show it). ``canvas`` holds the drawing
surface they share (:func:`figure`, :func:`to_png`, :func:`save_png`, inline
display in IPython, showing an image or a heat overlay on an axis);
``speech_plots`` the waveforms, spectrograms, MFCC steps, VAD and CTC
pictures, alignments and decoder paths, and the noise and speaker results; ``image_plots`` example grids,
HOG, keypoints, visual words, confusion matrices, error galleries and
embeddings; ``curve_plots`` training and learning curves and result bars;
``comparison_plots`` an ablation's accuracies and stage gains and the
difference of two confusion matrices; ``explanation_plots`` attribution maps, sanity checks and a linear model's
reasons; ``diagrams`` the boxes-and-arrows pipeline diagrams
(``python -m e2e_helpers.figures.diagrams --out pic``); ``explorers`` the
ipywidgets explorers, each shown with a static PNG fallback. Importing this
package does not import matplotlib: a name's module loads on first use.
"""

from .._exports import lazy_exports

__all__, __getattr__, __dir__ = lazy_exports(
    __name__,
    {
        "canvas": [
            "figure",
            "to_png",
            "save_png",
            "show_figures_inline",
            "show_image",
            "figure_grid",
            "tab10",
            "overlay_heat",
        ],
        "speech_plots": [
            "waveforms_and_spectrograms",
            "mfcc_steps_figure",
            "alignment_figure",
            "decoder_path_figure",
            "vad_figure",
            "ctc_posteriors_figure",
            "noise_curves",
            "speaker_bars",
            "adaptation_curves",
        ],
        "image_plots": [
            "sample_grid",
            "class_balance",
            "hog_pictures",
            "what_each_sees",
            "filter_tiles",
            "image_steps",
            "image_keypoints",
            "visual_words",
            "kept_features_map",
            "confusion_pair",
            "error_gallery",
            "per_class_accuracy",
            "feature_embeddings",
            "image_explorer_view",
        ],
        "curve_plots": [
            "training_curve",
            "learning_curves",
            "accuracy_at_size",
            "summary_bars",
            "selection_curve",
        ],
        "comparison_plots": ["ablation_plot", "confusion_difference"],
        "explanation_plots": [
            "attribution_grid",
            "sanity_curves",
            "sanity_maps",
            "mask_share",
            "linear_explanation",
        ],
        "diagrams": [
            "Stage",
            "Diagram",
            "DIAGRAMS",
            "KIND_COLOURS",
            "draw_diagram",
            "export_diagrams",
        ],
        "explorers": [
            "available",
            "show",
            "explore",
            "size_explorer",
            "image_explorer",
            "output_bundle",
            "speech_view",
            "speech_player",
        ],
    },
)
