"""Benchmark: TorchClassifier on the full Fashion-MNIST, on this machine's CPU/GPU.

    .venv/bin/python benchmarks/torch_classifier.py [--epochs 3]

Loads Fashion-MNIST through e2e_helpers.data (from E2E_DATA_DIR), fits
learn.small_cnn and learn.mlp on all 60,000 training images through the
scikit-learn API, and prints one JSON line per model: test accuracy on the
10,000 test images, fit and predict seconds. The figures are recorded in
benchmarks/README.md.
"""

from __future__ import annotations

import argparse
import json
import os
import time

from e2e_helpers import config, data, learn


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--epochs", type=int, default=3)
    args = parser.parse_args()
    config.seed_everything(0)
    fashion = data.load_fashion_mnist(progress=False)
    print(config.environment_summary(), flush=True)
    for name, factory, shape in [
        ("small_cnn", learn.small_cnn, (1, 28, 28)),
        ("mlp", learn.mlp, None),
    ]:
        X_train = (
            fashion.train_images
            if shape
            else fashion.train_images.reshape(len(fashion.train_images), -1)
        )
        X_test = (
            fashion.test_images
            if shape
            else fashion.test_images.reshape(len(fashion.test_images), -1)
        )
        net = learn.TorchClassifier(
            factory, input_shape=shape, epochs=args.epochs, random_state=0, progress=False
        )
        start = time.perf_counter()
        net.fit(X_train, fashion.train_labels)
        fit_seconds = time.perf_counter() - start
        start = time.perf_counter()
        accuracy = net.score(X_test, fashion.test_labels)
        predict_seconds = time.perf_counter() - start
        print(
            json.dumps(
                {
                    "model": name,
                    "epochs": args.epochs,
                    "test_accuracy": round(accuracy, 4),
                    "fit_seconds": round(fit_seconds, 1),
                    "predict_seconds": round(predict_seconds, 2),
                    "device": net.device_.type,
                    "cpu_count": os.cpu_count(),
                }
            ),
            flush=True,
        )


if __name__ == "__main__":
    main()
