"""Benchmark: notebook 03's traditional chain on the full Fashion-MNIST, over the number of Nyström
landmarks.

    .venv/bin/python benchmarks/traditional_chain.py [--components 1000 2000 4000] [--cells 4 7]
    [--alpha 1.67e-7]

HOG on each grid of ``--cells`` (the grid notebook 03 chose on validation),
then ``vision.traditional_pipeline``'s head (standardise, Nyström RBF with
``--components`` landmarks, a linear SVM by SGD with ``--alpha``). For each
number of landmarks it prints one JSON line: the validation accuracy (fit on
80% of the training images, scored on a stratified 20%: what a choice may use),
the test accuracy of the same setting refitted on all 60,000 images, and the
seconds each fit took. It measures where the time budget stops the chain, not
a choice made on the test set. The figures are recorded in benchmarks/README.md.
"""

from __future__ import annotations

import argparse
import json
import time

import numpy as np

from e2e_helpers import config, data, learn, vision


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--components", type=int, nargs="+", default=[1000, 2000, 4000])
    parser.add_argument("--cells", type=int, nargs="+", default=[4, 7])
    parser.add_argument("--alpha", type=float, default=1e-6 * 10_000 / 60_000)
    args = parser.parse_args()
    fashion = data.load_fashion_mnist(progress=False)
    print(config.environment_summary(), flush=True)
    start = time.perf_counter()
    features = vision.traditional_pipeline(n_words=0, hog_cells=args.cells, n_jobs=2)[0].fit(
        fashion.train_images
    )
    train, test = features.transform(fashion.train_images), features.transform(fashion.test_images)
    print(
        json.dumps(
            {
                "hog_cells": args.cells,
                "features": train.shape[1],
                "seconds": round(time.perf_counter() - start, 1),
            }
        )
    )
    fit_rows, validation_rows = learn.validation_split(fashion.train_labels)
    y = fashion.train_labels
    for m in args.components:
        head = vision.traditional_pipeline(
            svm="nystroem", n_components=m, alpha=args.alpha, n_jobs=2
        )[1:]
        start = time.perf_counter()
        head.fit(train[fit_rows], y[fit_rows])
        validation_seconds = time.perf_counter() - start
        validation = head.score(train[validation_rows], y[validation_rows])
        start = time.perf_counter()
        head.fit(train, y)
        fit_seconds = time.perf_counter() - start
        accuracy = float(np.mean(head.predict(test) == fashion.test_labels))
        print(
            json.dumps(
                {
                    "components": m,
                    "validation_accuracy": round(validation, 4),
                    "test_accuracy": round(accuracy, 4),
                    "fit_seconds_48000": round(validation_seconds, 1),
                    "fit_seconds_60000": round(fit_seconds, 1),
                }
            ),
            flush=True,
        )


if __name__ == "__main__":
    main()
