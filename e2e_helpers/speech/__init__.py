"""Speech: recordings in, transcripts out, the traditional way and end to end.

``audio`` holds noise, framing, energy-based voice activity detection, augmentation and resampling
(recordings are waveforms that carry their sample rate, read by :mod:`e2e_helpers.data`);
``features`` the MFCC built step by step, the same MFCC from torchaudio, log-mel energies and
spectrograms for pictures; ``model_inputs`` what the models are fed (MFCC + deltas for HMMs, MFCC
statistics, log-mel windows); ``digit_strings`` digit strings ("three one four") joined from
single-digit recordings; ``corpus`` FSDD split into fitting, validation and test parts with
the strings of each; ``lexicon`` each digit spelled in phones; ``gaussian_mixtures`` the HMM
states' Gaussian mixtures; ``viterbi_search`` grammars and the Viterbi search through them;
``phone_hmm`` the traditional recogniser (phone HMMs trained from transcripts, connected-digit
decoding); ``networks`` the speech networks (a 1-D CNN for isolated words, the CTC network);
``ctc`` CTC decoding and what CTC training needs (trained by ``learn.fit``, the package's one loop);
``recognizers`` the end-to-end CTC recogniser and the cut-at-silences shortcut; ``error_rates``
word and character error rates and sentence accuracy; ``speaker_evaluation`` leave-one-speaker-out
(scikit-learn's ``LeaveOneGroupOut``, speakers as groups) over seeds and adaptation to a new voice;
``own_voice`` a learner's own recording (microphone samples or a WAV file) checked and made
mono, at its own rate or resampled.
The three recognisers are scikit-learn estimators: ``fit(X, y)`` with ``X`` the recordings and
``y`` their digit sequences, ``predict``, ``score`` (sentence accuracy). Speech builds on
:mod:`e2e_helpers.learn`, never the other way. Each module's ``__all__`` is its public surface;
this package re-exports them.
"""

from . import (
    audio,
    corpus,
    ctc,
    digit_strings,
    error_rates,
    features,
    gaussian_mixtures,
    lexicon,
    model_inputs,
    networks,
    own_voice,
    phone_hmm,
    recognizers,
    speaker_evaluation,
    viterbi_search,
)
from .audio import *
from .corpus import *
from .ctc import *
from .digit_strings import *
from .error_rates import *
from .features import *
from .gaussian_mixtures import *
from .lexicon import *
from .model_inputs import *
from .networks import *
from .own_voice import *
from .phone_hmm import *
from .recognizers import *
from .speaker_evaluation import *
from .viterbi_search import *

__all__ = [
    *audio.__all__,
    *features.__all__,
    *model_inputs.__all__,
    *lexicon.__all__,
    *gaussian_mixtures.__all__,
    *viterbi_search.__all__,
    *phone_hmm.__all__,
    *digit_strings.__all__,
    *corpus.__all__,
    *networks.__all__,
    *ctc.__all__,
    *error_rates.__all__,
    *recognizers.__all__,
    *speaker_evaluation.__all__,
    *own_voice.__all__,
]
