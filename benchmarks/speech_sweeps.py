"""Benchmark: notebook 02's noise experiment (2 x 2, normalisation swapped) and learning curve.

    .venv/bin/python benchmarks/speech_sweeps.py [--quick]

Both recognisers use the settings chosen on validation (``speech_choices.json``, by
``learn.simplest_within_noise``). Noise: each system trained on the light-noise strings
(clean-trained) and on the same strings with 0-40 dB of noise (multi-condition), plus each with
the other's normalisation, all scored on the test strings with white noise added at 20, 10, 5 and
0 dB (the real SNR of each condition is measured). Learning curve: both trained on nested random
subsets of the same training utterances, the network for as many optimiser steps at every size as
on all of them. The network: 3 seeds everywhere. Per-item results are recorded, so the notebook
computes every interval and verdict. Writes ``e2e_helpers/course/recorded/speech_sweeps.json``
(over an hour on 2 cores).
"""

from __future__ import annotations

import sys
import time

import numpy as np

from e2e_helpers import config, course, data, learn, speech

SNRS = [None, 20.0, 10.0, 5.0, 0.0]
SIZES = [100, 300, 1000]  # and all the training utterances
SEEDS = [0, 1, 2]
MULTI_CONDITION_DB = (0.0, 40.0)


def chosen(rows: list[dict], costs: list[float], corpus: speech.DigitCorpus) -> dict:
    """The setting ``learn.simplest_within_noise`` keeps from the recorded validation rows."""
    sources = corpus.validation_sources
    scores = [np.r_[r["isolated_right"], r["strings_right"]] for r in rows]
    return rows[learn.simplest_within_noise(scores, costs, sources=sources)]["setting"]


def main(quick: bool = False) -> None:
    print(config.environment_summary(), flush=True)
    small = {"n_strings": 60, "n_validation_strings": 20, "n_test_strings": 20, "every": 20}
    corpus = speech.digit_corpus(data.load("fsdd"), **(small if quick else {}))
    choices = course.recorded_sweep("speech_choices")
    if quick:  # a smoke test of this script: tiny data, nothing written
        for row in choices["hmm"] + choices["ctc"]:
            row["isolated_right"] = row["isolated_right"][: len(corpus.validation_waves)]
            row["strings_right"] = row["strings_right"][: len(corpus.validation_strings)]
    hmm_setting = chosen(choices["hmm"], [r["gaussians"] for r in choices["hmm"]], corpus)
    ctc_costs = [r["parameters"] * r["setting"]["epochs"] for r in choices["ctc"]]
    ctc_setting = chosen(choices["ctc"], ctc_costs, corpus)
    print("chosen", hmm_setting, ctc_setting, flush=True)
    val_waves = [s.wave for s in corpus.validation_strings]
    val_digits = [s.digits for s in corpus.validation_strings]
    noisy = {str(snr): corpus.noisy_test_strings(snr) for snr in SNRS}
    swapped = {"utterance": "global", "global": "utterance"}
    val_sources = corpus.validation_sources

    def hmm(waves, transcripts, **change):
        model = speech.PhoneHMMRecognizer(**{**hmm_setting, **change}).fit(waves, transcripts)
        model.tune_insertion_penalty(val_waves, val_digits)
        return model

    def nets(waves, transcripts, **change):
        return [
            speech.CTCRecognizer(**{**ctc_setting, **change}, random_state=s, progress=False).fit(
                waves, transcripts
            )
            for s in SEEDS
        ]

    def scored(models, conditions=tuple(noisy)):  # (seeds, items) per condition, and isolated
        out = {c: np.array([corpus.right(m, noisy[c][0]) for m in models]) for c in conditions}
        out["isolated"] = np.array([corpus.right(m) for m in models])
        return {c: v.astype(int).tolist() for c, v in out.items()}

    clean = corpus.training_set()
    multi = corpus.training_set(snr_db=MULTI_CONDITION_DB)
    runs: dict[str, dict] = {}
    for name, build in [
        ("hmm_clean", lambda: [hmm(*clean)]),
        ("hmm_multicondition", lambda: [hmm(*multi)]),
        ("hmm_swapped", lambda: [hmm(*clean, normalization=swapped[hmm_setting["normalization"]])]),
        ("ctc_clean", lambda: nets(*clean)),
        ("ctc_multicondition", lambda: nets(*multi)),
        ("ctc_swapped", lambda: nets(*clean, normalization=swapped[ctc_setting["normalization"]])),
    ]:
        start = time.perf_counter()
        if quick:
            hmm_setting["n_components"], ctc_setting["epochs"] = 2, 1
        models = build()
        runs[name] = {"seconds": time.perf_counter() - start, "right": scored(models)}
        if name == "hmm_swapped":
            runs[name]["normalization"] = models[0].normalization
        print(name, f"{runs[name]['seconds']:.0f} s", flush=True)
    waves, transcripts = clean
    order = np.random.default_rng(0).permutation(len(waves))
    full_steps = ctc_setting["epochs"] * int(np.ceil(len(waves) / 32))
    curve = []
    for size in [20, 40] if quick else SIZES:
        keep = order[:size]
        subset = [waves[i] for i in keep], [transcripts[i] for i in keep]
        epochs = int(np.ceil(full_steps / np.ceil(size / 32)))
        start = time.perf_counter()
        candidates = [hmm(*subset, n_components=n) for n in (2, 4, 8)]
        validation = [
            np.r_[
                [
                    f == [int(d)]
                    for f, d in zip(
                        m.predict_digits(corpus.validation_waves), corpus.validation_digits
                    )
                ],
                [f == list(t) for f, t in zip(m.predict_digits(val_waves), val_digits)],
            ]
            for m in candidates
        ]
        pick = learn.simplest_within_noise(validation, [2, 4, 8], sources=val_sources)
        hmm_models = [candidates[pick]]
        ctc_models = nets(*subset, epochs=epochs)
        curve.append(
            {
                "size": size,
                "ctc_epochs": epochs,
                "hmm_components": hmm_models[0].n_components,
                "hmm": scored(hmm_models, ("None",)),
                "ctc": scored(ctc_models, ("None",)),
            }
        )
        print(size, f"{time.perf_counter() - start:.0f} s", flush=True)
    curve.append(
        {
            "size": len(waves),
            "ctc_epochs": ctc_setting["epochs"],
            "hmm_components": hmm_setting["n_components"],
            "hmm": {k: runs["hmm_clean"]["right"][k] for k in ("None", "isolated")},
            "ctc": {k: runs["ctc_clean"]["right"][k] for k in ("None", "isolated")},
        }
    )
    if quick:
        print("quick run: nothing written", curve[0]["hmm_components"], runs["hmm_swapped"])
        return
    path = course.save_sweep(
        "speech_sweeps",
        ".venv/bin/python benchmarks/speech_sweeps.py",
        environment=config.environment_summary(),
        hmm_setting=hmm_setting,
        ctc_setting=ctc_setting,
        seeds=SEEDS,
        multicondition_db=list(MULTI_CONDITION_DB),
        snr_nominal=[str(s) for s in SNRS],
        snr_measured={c: float(np.median(m)) for c, (_, m) in noisy.items()},
        test_string_sources=[list(s) for s in corpus.test_string_sources],
        noise=runs,
        curve=curve,
    )
    print("wrote", path)


if __name__ == "__main__":
    main(quick="--quick" in sys.argv)
