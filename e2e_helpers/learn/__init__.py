"""Learning from data: PyTorch networks behind the scikit-learn API, the one training loop, and how
sure a comparison is.

``models`` holds the generic network factories (MLP, CNN) and their contract; ``training`` the
package's one training loop, used by every network, image classifier or speech recogniser (epochs,
early stopping, gradient clipping, progress); ``batches`` turns arrays into network batches;
``torch_classifier`` holds ``TorchClassifier``, a PyTorch network as a scikit-learn estimator;
``recipes`` the course's CNN recipe and fine-tuning; ``curve_plan`` and ``learning_curve`` accuracy
against training-set size (its sizes, seeds and budgets; the curves); ``summary`` the side-by-side
table of pipelines; ``intervals`` and ``curve_intervals`` how sure a score or a difference is,
``verdicts`` the sentence and the tables an interval supports; ``kernel_classifier`` the strongest
classical model the budget allows on fixed features; ``model_selection`` the one protocol for
choosing settings on training data only; ``ablation_study`` the same protocol over several feature
sets, to measure what each stage adds.
Each module's ``__all__`` is its public surface; this package re-exports them.
"""

from . import (
    ablation_study,
    batches,
    curve_intervals,
    curve_plan,
    intervals,
    kernel_classifier,
    learning_curve,
    model_selection,
    models,
    recipes,
    summary,
    torch_classifier,
    training,
    verdicts,
)
from .ablation_study import *
from .batches import *
from .curve_intervals import *
from .curve_plan import *
from .intervals import *
from .kernel_classifier import *
from .learning_curve import *
from .model_selection import *
from .models import *
from .recipes import *
from .summary import *
from .torch_classifier import *
from .training import *
from .verdicts import *

__all__ = [
    *models.__all__,
    *training.__all__,
    *batches.__all__,
    *torch_classifier.__all__,
    *recipes.__all__,
    *curve_plan.__all__,
    *learning_curve.__all__,
    *summary.__all__,
    *model_selection.__all__,
    *ablation_study.__all__,
    *intervals.__all__,
    *verdicts.__all__,
    *curve_intervals.__all__,
    *kernel_classifier.__all__,
]
