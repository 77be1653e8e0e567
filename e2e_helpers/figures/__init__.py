"""Every matplotlib figure of the course, by topic; the pipeline diagrams; the interactive
explorers.

Each figure function returns a pyplot-free :class:`matplotlib.figure.Figure` (a notebook cell ends
with it to show it). ``canvas`` holds the drawing surface they share; ``speech_plots`` the
waveforms, spectrograms, MFCC steps, VAD and CTC pictures, alignments and decoder paths;
``speech_results`` accuracy against noise, per speaker and while adapting; ``image_plots`` example
grids, HOG, keypoints, visual words and feature selection; ``image_results`` confusion matrices,
error galleries, per-class accuracy and embeddings; ``curve_plots`` training and learning curves
and result bars; ``comparison_plots`` an ablation and the difference of two confusion matrices;
``explanation_plots`` attribution maps, sanity checks, the deletion test and a linear model's
reasons; ``diagrams`` the boxes-and-arrows pipeline diagrams (``python -m e2e_helpers.figures
--out pic`` redraws ``pic/``); ``explorers`` the ipywidgets explorers, each shown with a static PNG
fallback; ``voice_recorder`` a microphone recorder (an anywidget) for the learner's own voice,
with a WAV-file fallback. Each module's ``__all__`` is its public surface; this package re-exports
them.
"""

from . import (
    canvas,
    comparison_plots,
    curve_plots,
    diagrams,
    explanation_plots,
    explorers,
    image_plots,
    image_results,
    speech_concepts,
    speech_plots,
    speech_results,
    voice_recorder,
)
from .canvas import *
from .comparison_plots import *
from .curve_plots import *
from .diagrams import *
from .explanation_plots import *
from .explorers import *
from .image_plots import *
from .image_results import *
from .speech_concepts import *
from .speech_plots import *
from .speech_results import *
from .voice_recorder import *

__all__ = [
    *canvas.__all__,
    *speech_plots.__all__,
    *speech_concepts.__all__,
    *speech_results.__all__,
    *image_plots.__all__,
    *image_results.__all__,
    *curve_plots.__all__,
    *comparison_plots.__all__,
    *explanation_plots.__all__,
    *diagrams.__all__,
    *explorers.__all__,
    *voice_recorder.__all__,
]
