"""Benchmark: the course's CNN recipe (learn.cnn_classifier) on Fashion-MNIST, chosen on validation
data, then tested.

    .venv/bin/python benchmarks/cnn_recipe.py validate [--epochs 4 6 8]
    .venv/bin/python benchmarks/cnn_recipe.py test [--seeds 0 1 2] [--epochs 8]

``validate`` is how the recipe was chosen, by the course's protocol
(``learn.PROTOCOL``): a stratified 20% of the 60,000 *training* images is held
out (``learn.validation_split``), every candidate (two or three conv blocks,
one-cycle or constant learning rate, several epoch budgets) is fitted on the
other 48,000 and scored on the held-out 12,000; the test set is not read.
``test`` then fits the chosen recipe on all 60,000 training images once per
seed and scores it on the 10,000 test images (the final model, scored once).
Each prints one JSON line per fit (accuracy, fit and CPU seconds); the figures
are recorded in benchmarks/README.md.
"""

from __future__ import annotations

import argparse
import json
import statistics
import time
from functools import partial

from e2e_helpers import config, data, learn


def candidates(epochs: list[int]) -> dict[str, dict[str, object]]:
    """The recipes compared on the validation split: blocks and schedule at the largest budget, then
    fewer epochs."""
    most = max(epochs)
    found = {
        f"3 blocks, one-cycle, {most} epochs": {"epochs": most},
        f"2 blocks, one-cycle, {most} epochs": {
            "epochs": most,
            "module": partial(learn.small_cnn, channels=(16, 32), hidden=128),
        },
        f"3 blocks, constant lr 1e-3, {most} epochs": {
            "epochs": most,
            "lr": 1e-3,
            "lr_schedule": "constant",
        },
    }
    found.update({f"3 blocks, one-cycle, {n} epochs": {"epochs": n} for n in sorted(epochs)[:-1]})
    return found


def fitted(
    settings: dict[str, object], X, y, seed: int
) -> tuple[learn.TorchClassifier, float, float]:
    """The recipe with *settings* fitted on (X, y); with its wall and CPU seconds."""
    net = learn.cnn_classifier(random_state=seed, progress=False, **settings)
    start, cpu = time.perf_counter(), time.process_time()
    net.fit(X, y)
    return net, time.perf_counter() - start, time.process_time() - cpu


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("mode", choices=["validate", "test"])
    parser.add_argument("--seeds", type=int, nargs="+", default=[0, 1, 2])
    parser.add_argument("--epochs", type=int, nargs="+", default=None)
    args = parser.parse_args()
    fashion = data.load_fashion_mnist(progress=False)
    X, y = fashion.train_images, fashion.train_labels
    print(config.environment_summary(), flush=True)
    if args.mode == "validate":
        fit_rows, val_rows = learn.validation_split(y)
        for name, settings in candidates(args.epochs or [4, 6, 8]).items():
            net, seconds, cpu = fitted(settings, X[fit_rows], y[fit_rows], seed=0)
            print(
                json.dumps(
                    {
                        "recipe": name,
                        "validation_accuracy": round(net.score(X[val_rows], y[val_rows]), 4),
                        "fit_seconds": round(seconds, 1),
                        "cpu_seconds": round(cpu, 1),
                    }
                ),
                flush=True,
            )
        return
    accuracies = []
    for seed in args.seeds:
        net, seconds, cpu = fitted({"epochs": (args.epochs or [8])[0]}, X, y, seed)
        accuracy = net.score(fashion.test_images, fashion.test_labels)
        accuracies.append(accuracy)
        print(
            json.dumps(
                {
                    "seed": seed,
                    "epochs": net.epochs,
                    "test_accuracy": round(accuracy, 4),
                    "fit_seconds": round(seconds, 1),
                    "cpu_seconds": round(cpu, 1),
                }
            ),
            flush=True,
        )
    spread = statistics.stdev(accuracies) if len(accuracies) > 1 else 0.0
    print(
        json.dumps(
            {
                "mean_accuracy": round(statistics.mean(accuracies), 4),
                "std_accuracy": round(spread, 4),
                "seeds": args.seeds,
            }
        ),
        flush=True,
    )


if __name__ == "__main__":
    main()
