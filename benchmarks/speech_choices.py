"""Benchmark: every setting of notebook 02's two recognisers, chosen on the validation part.

    .venv/bin/python benchmarks/speech_choices.py

The data are ``speech.digit_corpus``'s: both recognisers fit on takes 10-49 (strings + isolated
recordings) and are scored on takes 5-9 (300 isolated recordings + 300 strings joined from them);
the test takes are never touched. For the HMMs: the unit (phones or whole words), the
normalisation (per-utterance CMVN or the training set's statistics) and the mixture size; for the
network: the epochs, the width, the learning rate and the normalisation. Each candidate's
per-item results are recorded, so notebook 02 draws the ablation table and the choice from them
(the choice rule is ``learn.simplest_within_noise``). Writes
``e2e_helpers/course/recorded/speech_choices.json`` (about 25 minutes on 2 cores).
"""

from __future__ import annotations

import time

import numpy as np

from e2e_helpers import config, course, data, speech

HMM_GRID = [
    {"units": "phone", "normalization": "utterance", "n_components": 8},
    {"units": "phone", "normalization": "global", "n_components": 8},
    {"units": "word", "normalization": "utterance", "n_components": 8},
    {"units": "word", "normalization": "global", "n_components": 8},
    {"units": "phone", "normalization": "global", "n_components": 4},
    {"units": "phone", "normalization": "global", "n_components": 16},
]
CTC_GRID = [
    {"epochs": 10, "hidden": 64, "lr": 3e-3, "normalization": "global"},
    {"epochs": 20, "hidden": 64, "lr": 3e-3, "normalization": "global"},
    {"epochs": 10, "hidden": 128, "lr": 3e-3, "normalization": "global"},
    {"epochs": 10, "hidden": 64, "lr": 1e-3, "normalization": "global"},
    {"epochs": 10, "hidden": 64, "lr": 3e-3, "normalization": "utterance"},
]


def _scored(recogniser, corpus: speech.DigitCorpus) -> dict:
    isolated = recogniser.predict_digits(corpus.validation_waves)
    strings = recogniser.predict([s.wave for s in corpus.validation_strings])
    return {
        "isolated_right": [p == [int(d)] for p, d in zip(isolated, corpus.validation_digits)],
        "strings_right": speech.sentence_correct(
            [s.text for s in corpus.validation_strings], strings
        ),
    }


def _report(row: dict) -> None:
    accuracy = [f"{np.mean(row[k]):.3f}" for k in ("isolated_right", "strings_right")]
    print(row["setting"], f"{row['fit_seconds']:.0f} s", *accuracy, flush=True)


def main() -> None:
    print(config.environment_summary(), flush=True)
    corpus = speech.digit_corpus(data.load("fsdd"))
    waves, transcripts = corpus.training_set()
    val_waves = [s.wave for s in corpus.validation_strings]
    val_digits = [s.digits for s in corpus.validation_strings]
    hmm_rows, ctc_rows = [], []
    for setting in HMM_GRID:
        start = time.perf_counter()
        hmm = speech.PhoneHMMRecognizer(**setting).fit(waves, transcripts)
        seconds = time.perf_counter() - start
        penalties = hmm.tune_insertion_penalty(val_waves, val_digits)
        row = {
            "setting": setting,
            "insertion_penalty": hmm.insertion_penalty,
            "penalty_scores": {str(k): v for k, v in penalties.items()},
            "gaussians": int(hmm.mixtures_.n_components.sum()),
            "fit_seconds": seconds,
            **_scored(hmm, corpus),
        }
        hmm_rows.append(row)
        _report(row)
    for setting in CTC_GRID:
        start = time.perf_counter()
        net = speech.CTCRecognizer(**setting, random_state=0, progress=False)
        net.fit(waves, transcripts)
        seconds = time.perf_counter() - start
        row = {
            "setting": setting,
            "parameters": sum(p.numel() for p in net.model_.parameters()),
            "fit_seconds": seconds,
            **_scored(net, corpus),
        }
        ctc_rows.append(row)
        _report(row)
    path = course.save_sweep(
        "speech_choices",
        ".venv/bin/python benchmarks/speech_choices.py",
        environment=config.environment_summary(),
        validation={"isolated": len(corpus.validation_waves), "strings": len(val_waves)},
        validation_sources=[list(s) for s in corpus.validation_sources],
        hmm=hmm_rows,
        ctc=ctc_rows,
    )
    print("wrote", path)


if __name__ == "__main__":
    main()
