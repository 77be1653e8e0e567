"""Speech: recordings in, transcripts out, the traditional way and end to end.

A map of the modules: :mod:`~e2e_helpers.speech.audio` holds noise, framing,
energy-based voice activity detection and augmentation (plus ``read_wav`` and
``check_wave``, re-exported from :mod:`e2e_helpers.data`); :mod:`~e2e_helpers.speech.features`
the MFCC built step by step, the same MFCC from torchaudio, log-mel energies,
the fixed-size inputs of classifiers (MFCC statistics, a log-mel window) and
spectrograms for pictures; :mod:`~e2e_helpers.speech.digit_strings` the
lexicon and digit strings ("three one four") joined from single-digit
recordings; :mod:`~e2e_helpers.speech.ctc` the CTC network, its decoding and
its training loop; :mod:`~e2e_helpers.speech.error_rates` word and character
error rates and sentence accuracy; :mod:`~e2e_helpers.speech.recognizers` the
HMM, segmenting and CTC recognisers; and
:mod:`~e2e_helpers.speech.speaker_evaluation` leave-one-speaker-out and
few-shot evaluation. Names load on first use, so ``audio``, ``digit_strings``
and ``error_rates`` work without torch or scikit-learn.
"""

from .._exports import lazy_exports

__all__, __getattr__, __dir__ = lazy_exports(__name__, {
    "audio": [
        "SPEEDS", "read_wav", "check_wave", "add_noise", "frames", "frame_energy_db", "energy_vad", "time_shift",
        "speed_perturb", "augment",
    ],
    "features": [
        "MFCCSteps", "hz_to_mel", "mel_to_hz", "mel_filterbank", "mfcc_steps", "mfcc", "torchaudio_mfcc",
        "mfcc_agreement", "log_mel", "log_mel_batch", "LOG_FLOOR", "mfcc_with_deltas", "mfcc_statistics",
        "log_mel_window", "spectrogram_db",
    ],
    "digit_strings": [
        "DIGIT_WORDS", "DigitString", "digits_to_text", "text_to_digits", "join_recordings", "synthesize_strings",
    ],
    "ctc": [
        "BLANK", "greedy_decode", "greedy_decode_batch", "prefix_beam_search", "pad_batch", "fit_ctc",
        "CTCSpeechNet", "ctc_speech_net",
    ],
    "error_rates": ["word_error_rate", "char_error_rate", "sentence_accuracy"],
    "recognizers": ["HMMDigitRecognizer", "SegmentingRecognizer", "CTCRecognizer"],
    "speaker_evaluation": ["leave_one_speaker_out", "first_takes", "few_shot"],
})
