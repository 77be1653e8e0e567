"""Speech: recordings in, transcripts out, the traditional way and end to end.

A map of the modules: :mod:`~e2e_helpers.speech.audio` holds noise, framing,
energy-based voice activity detection, augmentation and resampling (plus
``Waveform``, ``read_wav`` and ``check_wave``, re-exported from
:mod:`e2e_helpers.data`: recordings are Waveforms that carry their sample
rate, and every function with a ``sample_rate`` refuses one at another rate);
:mod:`~e2e_helpers.speech.features`
the MFCC built step by step, the same MFCC from torchaudio, log-mel energies
and spectrograms for pictures; :mod:`~e2e_helpers.speech.model_inputs` what the
models are fed (MFCC + deltas for HMMs, MFCC statistics, log-mel windows);
:mod:`~e2e_helpers.speech.digit_strings` digit strings ("three one four")
joined from single-digit recordings; :mod:`~e2e_helpers.speech.lexicon` each
digit spelled in phones; :mod:`~e2e_helpers.speech.gaussian_mixtures` the
HMM states' Gaussian mixtures; :mod:`~e2e_helpers.speech.viterbi_search`
grammars and the Viterbi search through them;
:mod:`~e2e_helpers.speech.phone_hmm` the traditional recogniser (phone HMMs
trained from transcripts, connected-digit decoding);
:mod:`~e2e_helpers.speech.networks` the speech networks (``speech_cnn`` for
isolated words, the CTC network ``CTCSpeechNet``); :mod:`~e2e_helpers.speech.ctc`
CTC decoding and the batches and loss CTC training needs (trained by
``learn.fit``, the package's one loop); :mod:`~e2e_helpers.speech.recognizers`
the end-to-end CTC recogniser and the cut-at-silences shortcut;
:mod:`~e2e_helpers.speech.error_rates` word and
character error rates and sentence accuracy; and
:mod:`~e2e_helpers.speech.speaker_evaluation` leave-one-speaker-out over
seeds (``SpeakerScores``) and adaptation to a new voice (fine-tuning with its
control, and retraining a classical model). The three recognisers
(``PhoneHMMRecognizer``, ``CTCRecognizer``, ``SegmentingRecognizer``) are
scikit-learn estimators: ``fit(X, y)`` with ``X`` the recordings and ``y``
their digit sequences, ``predict``, ``score`` (sentence accuracy). Speech
builds on :mod:`e2e_helpers.learn` (the training loop, ``TorchClassifier``),
never the other way. Names load on first use, so ``audio``, ``digit_strings``,
``lexicon`` and ``error_rates`` work without torch or scikit-learn.
"""

from .._exports import lazy_exports

__all__, __getattr__, __dir__ = lazy_exports(
    __name__,
    {
        "audio": [
            "SPEEDS",
            "Waveform",
            "read_wav",
            "check_wave",
            "resample",
            "add_noise",
            "frames",
            "frame_energy_db",
            "energy_vad",
            "time_shift",
            "speed_perturb",
            "augment",
        ],
        "features": [
            "MFCCSteps",
            "hz_to_mel",
            "mel_to_hz",
            "mel_filterbank",
            "mfcc_steps",
            "mfcc",
            "mfcc_transform",
            "torchaudio_mfcc",
            "mfcc_agreement",
            "log_mel",
            "log_mel_batch",
            "LOG_FLOOR",
            "spectrogram_db",
        ],
        "model_inputs": [
            "check_recordings",
            "mfcc_deltas",
            "normalize_frames",
            "mfcc_statistics",
            "log_mel_window",
        ],
        "lexicon": [
            "PRONUNCIATIONS",
            "PHONES",
            "SILENCE",
            "MODELS",
            "phone_sequence",
            "pronunciation_table",
        ],
        "gaussian_mixtures": ["StateMixtures", "VARIANCE_FLOOR", "em_steps"],
        "viterbi_search": [
            "Grammar",
            "BestPath",
            "transcript_grammar",
            "loop_grammar",
            "one_word_grammar",
            "viterbi",
        ],
        "phone_hmm": ["PhoneHMMRecognizer", "Alignment"],
        "digit_strings": [
            "DIGIT_WORDS",
            "DigitString",
            "digits_to_text",
            "text_to_digits",
            "join_recordings",
            "synthesize_strings",
        ],
        "ctc": [
            "BLANK",
            "greedy_decode",
            "greedy_decode_batch",
            "prefix_beam_search",
            "pad_batch",
            "CTCBatches",
            "ctc_loss",
        ],
        "networks": ["speech_cnn", "CTCSpeechNet", "ctc_speech_net"],
        "error_rates": [
            "word_error_rate",
            "char_error_rate",
            "sentence_correct",
            "sentence_accuracy",
        ],
        "recognizers": ["SegmentingRecognizer", "CTCRecognizer"],
        "speaker_evaluation": [
            "SpeakerScores",
            "leave_one_speaker_out",
            "first_takes",
            "few_shot",
            "adaptation_scores",
            "retraining_scores",
        ],
    },
)
