"""The course around the notebooks: Colab, the recorded results, and the tools that run and publish
the notebooks.

``colab`` holds the repository's address, the "Open in Colab" badge and the setup cell every
notebook starts with; ``figure_labels`` gives every recorded figure a label and a unit;
``results`` records each notebook's headline figures (:func:`record`) and writes ``results.json``,
``RESULTS.md`` and the README's table; ``recorded_sweeps`` reads the sweeps that ``benchmarks/``
scripts ran once (:func:`recorded_sweep`). Those four are re-exported here. The tools are command
lines, each reached through its module and not imported by this package: ``notebook_runner``
executes and checks the notebooks (``python -m e2e_helpers.course.notebook_runner``, what
``make course`` runs), ``site`` builds the course site with Sphinx (``make site``),
``colab_replica`` is what ``make test-colab`` uses, ``invariants`` holds the rules each
notebook's figures keep, and ``glossary`` reads ``notebooks/GLOSSARY.md`` and links each term's
first use in a notebook to it. Importing any of it needs neither torch, scikit-learn nor matplotlib.
"""

from . import colab, figure_labels, recorded_sweeps, results
from .colab import *
from .figure_labels import *
from .recorded_sweeps import *
from .results import *

__all__ = [
    *colab.__all__,
    *figure_labels.__all__,
    *recorded_sweeps.__all__,
    *results.__all__,
]
