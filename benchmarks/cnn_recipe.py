"""Benchmark: the course's CNN recipe (learn.cnn_classifier) on the full Fashion-MNIST, several seeds.

    .venv/bin/python benchmarks/cnn_recipe.py [--seeds 0 1 2] [--epochs 8]

Fits ``learn.cnn_classifier()`` on all 60,000 training images once per
seed and prints one JSON line per seed (test accuracy on the 10,000 test
images, fit and predict seconds), then the mean and standard deviation of the
accuracy: how much of a notebook's single-seed figure is luck. The figures are
recorded in benchmarks/README.md.
"""

from __future__ import annotations

import argparse
import json
import statistics
import time

from e2e_helpers import config, data, learn


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, nargs="+", default=[0, 1, 2])
    parser.add_argument("--epochs", type=int, default=8)
    args = parser.parse_args()
    fashion = data.load_fashion_mnist(progress=False)
    print(config.environment_summary(), flush=True)
    accuracies = []
    for seed in args.seeds:
        net = learn.cnn_classifier(epochs=args.epochs, random_state=seed, progress=False)
        start = time.perf_counter()
        net.fit(fashion.train_images, fashion.train_labels)
        fit_seconds = time.perf_counter() - start
        start = time.perf_counter()
        accuracy = net.score(fashion.test_images, fashion.test_labels)
        predict_seconds = time.perf_counter() - start
        accuracies.append(accuracy)
        print(json.dumps({"seed": seed, "epochs": args.epochs, "test_accuracy": round(accuracy, 4),
                          "fit_seconds": round(fit_seconds, 1), "predict_seconds": round(predict_seconds, 2)}), flush=True)
    spread = statistics.stdev(accuracies) if len(accuracies) > 1 else 0.0
    print(json.dumps({"mean_accuracy": round(statistics.mean(accuracies), 4), "std_accuracy": round(spread, 4),
                      "seeds": args.seeds}), flush=True)


if __name__ == "__main__":
    main()
