"""Benchmark: notebook 02's "How end-to-end is end-to-end?": the CTC network on raw samples.

    .venv/bin/python benchmarks/raw_waveform.py [--quick | --filters]

The same network, setting, training data and optimiser steps as the log-mel network of
``speech_sweeps.json`` (chosen on validation by ``learn.simplest_within_noise``), with a learned
front end (``front_end="waveform"``: a 1-D convolution on the raw samples, initialised at random)
in place of the log-mel spectrogram. Three seeds; then the side behind on the test strings (mean
over seeds) trains again on twice the epochs (the strongest check), three seeds. Per-item results
are recorded, so the notebook computes every interval and verdict, and so are seed 0's learned
filters (the notebook draws them). Writes ``e2e_helpers/course/recorded/raw_waveform.json``
(about 25 minutes on 2 cores). ``--filters`` trains seed 0 alone again, checks that it gives the
recorded seed 0's result on every test item, and adds its filters to the record (5 minutes).
"""

from __future__ import annotations

import sys
import time

import numpy as np
from speech_sweeps import SEEDS, chosen

from e2e_helpers import config, course, data, speech


def main(quick: bool = False, filters_only: bool = False) -> None:
    print(config.environment_summary(), flush=True)
    small = {"n_strings": 60, "n_validation_strings": 20, "n_test_strings": 20, "every": 20}
    corpus = speech.digit_corpus(data.load("fsdd"), **(small if quick else {}))
    choices = course.recorded_sweep("speech_choices")
    if quick:
        for row in choices["ctc"]:
            row["isolated_right"] = row["isolated_right"][: len(corpus.validation_waves)]
            row["strings_right"] = row["strings_right"][: len(corpus.validation_strings)]
    costs = [r["parameters"] * r["setting"]["epochs"] for r in choices["ctc"]]
    setting = chosen(choices["ctc"], costs, corpus)
    if quick:
        setting["epochs"] = 1
    print("chosen", setting, flush=True)
    waves, transcripts = corpus.training_set()

    def network(front_end: str, epochs: int, seed: int) -> speech.CTCRecognizer:
        options = {**setting, "epochs": epochs, "front_end": front_end}
        return speech.CTCRecognizer(**options, random_state=seed, progress=False).fit(
            waves, transcripts
        )

    def filters(model: speech.CTCRecognizer) -> list:
        weights = model.model_.filterbank.conv.weight[:, 0].detach().cpu().numpy()
        return np.round(weights.astype(float), 6).tolist()

    if filters_only:
        record = course.recorded_sweep("raw_waveform")
        model = network("waveform", setting["epochs"], 0)
        right = corpus.right(model, [s.wave for s in corpus.test_strings])
        if right.astype(int).tolist() != record["waveform"]["right"]["None"][0]:
            raise SystemExit("seed 0 no longer gives the recorded results: run the whole script")
        record["filters_seed0"] = filters(model)
        print("wrote", course.save_sweep("raw_waveform", **record))
        return
    kept = {}

    def scored(front_end: str, epochs: int) -> dict:
        start, right, history = time.perf_counter(), {"None": [], "isolated": []}, []
        for seed in SEEDS:
            model = network(front_end, epochs, seed)
            if front_end == "waveform" and seed == 0:
                kept["filters_seed0"] = filters(model)
            right["None"].append(corpus.right(model, [s.wave for s in corpus.test_strings]))
            right["isolated"].append(corpus.right(model))
            history.append([h["train_loss"] for h in model.history_])
            print(front_end, epochs, seed, np.mean(right["None"][-1]), flush=True)
        return {
            "front_end": front_end,
            "epochs": epochs,
            "seconds": time.perf_counter() - start,
            "train_loss": history,
            "right": {k: np.array(v).astype(int).tolist() for k, v in right.items()},
        }

    runs = {"waveform": scored("waveform", setting["epochs"])}
    recorded = course.recorded_sweep("speech_sweeps")["noise"]["ctc_clean"]["right"]
    log_mel = recorded["None"] if not quick else runs["waveform"]["right"]["None"]
    behind = (
        "waveform" if np.mean(runs["waveform"]["right"]["None"]) < np.mean(log_mel) else ("log-mel")
    )
    runs["twice_budget"] = scored(behind, 2 * setting["epochs"])
    if quick:
        print("quick run: nothing written", behind)
        return
    path = course.save_sweep(
        "raw_waveform",
        ".venv/bin/python benchmarks/raw_waveform.py",
        environment=config.environment_summary(),
        ctc_setting=setting,
        seeds=SEEDS,
        behind=behind,
        **runs,
        **kept,
    )
    print("wrote", path)


if __name__ == "__main__":
    main(quick="--quick" in sys.argv, filters_only="--filters" in sys.argv)
