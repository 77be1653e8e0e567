"""Benchmark: notebook 01's learning curve with every budget chosen on validation data, the
robustness check of each verdict, and accuracy against CPU seconds on the full training set.

    .venv/bin/python benchmarks/image_curve.py [--quick]

1. **Budgets.** At every training-set size, the CNN's number of optimiser steps (batch 64; at
   60,000 images the recipe's batch of 256 and its epochs) is chosen on seed 0's training subset
   alone, by the course's validation scheme (3-fold cross-validation below 2,000 images, a 20%
   hold-out above), with ``learn.simplest_within_noise`` over the per-image validation results;
   the grid doubles until its largest budget is no longer the best. The kernel model re-tunes
   itself at every fit (``learn.RBFClassifier``: standardised or not, width, penalty).
2. **The curve.** Both fitted on the same stratified subsets (5 seeds up to 1,581 images, 3
   above), scored on the first 5,000 test images; every per-image result is kept.
3. **Robustness.** Where one side is clearly ahead (95% interval of the paired difference), the
   other is refitted with twice its budget (the CNN: twice the steps; the kernel model: twice the
   landmarks, or where it already uses every training image as a landmark, a grid twice as wide).
4. **Matched compute.** On the validation split of all 60,000 training images (48,000 to fit,
   12,000 held out): the kernel model on 1,000-8,000 landmarks and the CNN for 2-16 epochs, with
   their CPU seconds (HOG included); this also chooses the CNN's budget at 60,000.

Writes ``e2e_helpers/course/recorded/image_curve.json`` (about 45 minutes on 2 cores); with
``--quick``, a smoke test on tiny sizes that writes nothing.
"""

from __future__ import annotations

import sys
import time

import numpy as np

from e2e_helpers import config, course, data, learn, vision

SIZES = [50, 158, 500, 1581, 5000, 15811, 60000]
SEEDS = [5, 5, 5, 5, 3, 3, 3]
STEPS = [300, 600, 1200, 2400]  # tried at batch 64; doubled while the largest wins
BATCH = 64
FULL_BATCH = 256  # the recipe's, on all 60,000 images
FULL_EPOCHS = [2, 4, 8, 16]
FULL_LANDMARKS = [1000, 2000, 4000, 8000]
LANDMARKS = 2000
N_TEST = 5000
WIDE = {"gamma_factors": (0.25, 0.5, 1.0, 2.0, 4.0), "alphas": (0.001, 0.01, 0.1, 1.0, 10.0)}


def cpu_timed(function, *args):
    """``(result, wall seconds, CPU seconds of this process, all threads)``."""
    wall, cpu = time.perf_counter(), time.process_time()
    result = function(*args)
    return result, time.perf_counter() - wall, time.process_time() - cpu


def epochs_for(steps: int, size: int, batch: int) -> int:
    """Epochs that give about *steps* optimiser steps on *size* images in batches of *batch*."""
    return max(1, round(steps / -(-size // batch)))


def choose_steps(X, y, size: int, steps: list[int]) -> dict:
    """The CNN's budget at *size*, chosen on seed 0's subset by the course's validation scheme."""
    rows = learn.stratified_subset(y, size, seed=0)
    Xs, ys = X[rows], y[rows]
    scheme = learn.model_selection.validation_scheme(size, random_state=0)
    folds = list(scheme.split(np.zeros(size), ys))
    validated = np.sort(np.concatenate([val_rows for _, val_rows in folds]))
    tried: list[dict] = []
    grid = list(steps)
    while True:
        for target in grid[len(tried) :]:
            epochs = epochs_for(target, size, BATCH)
            right = np.zeros(size, dtype=int)
            seconds = 0.0
            for fit_rows, val_rows in folds:
                net = learn.cnn_classifier(
                    epochs=epochs, batch_size=BATCH, random_state=0, progress=False
                )
                _, wall, _ = cpu_timed(net.fit, Xs[fit_rows], ys[fit_rows])
                right[val_rows] = net.predict(Xs[val_rows]) == ys[val_rows]
                seconds += wall
            steps_done = epochs * -(-size // BATCH)
            right = right[validated]
            tried.append(
                {"steps": steps_done, "epochs": epochs, "right": right, "seconds": seconds}
            )
            print(
                f"  n={size} steps={steps_done} val={right.mean():.4f} {seconds:.0f}s", flush=True
            )
        scores = [t["right"] for t in tried]
        pick = learn.simplest_within_noise(scores, [t["steps"] for t in tried])
        if int(np.argmax([s.mean() for s in scores])) < len(tried) - 1:
            break
        grid.append(2 * grid[-1])  # the largest budget is still the best: try twice as many
    chosen = tried[pick]
    return {
        "size": size,
        "folds": len(folds),
        "chosen": {"epochs": chosen["epochs"], "batch_size": BATCH, "steps": chosen["steps"]},
        "tried": [{**t, "right": learn.packed_right(t["right"])} for t in tried],
    }


def matched_compute(X, y, F, hog_cpu: float, quick: bool) -> dict:
    """Both families on the validation split of all training images: accuracy and CPU seconds."""
    fit_rows, val_rows = learn.validation_split(y)
    out = {"fit_images": len(fit_rows), "validation_images": len(val_rows)}
    out["hog_cpu_seconds"] = hog_cpu * len(fit_rows) / len(y)
    out["kernel"], out["cnn"] = [], []
    for k in FULL_LANDMARKS[:2] if quick else FULL_LANDMARKS:
        model = learn.RBFClassifier(k, tune_below=2)  # the middle width and penalty, directly
        _, wall, cpu = cpu_timed(model.fit, F[fit_rows], y[fit_rows])
        right = model.predict(F[val_rows]) == y[val_rows]
        out["kernel"].append(
            {"landmarks": k, "wall": wall, "cpu": cpu, "right": learn.packed_right(right)}
        )
        print(f"  landmarks={k} val={right.mean():.4f} cpu={cpu:.0f}s", flush=True)
    for epochs in FULL_EPOCHS[:2] if quick else FULL_EPOCHS:
        net = learn.cnn_classifier(
            epochs=epochs, batch_size=FULL_BATCH, random_state=0, progress=False
        )
        _, wall, cpu = cpu_timed(net.fit, X[fit_rows], y[fit_rows])
        right = net.predict(X[val_rows]) == y[val_rows]
        out["cnn"].append(
            {"epochs": epochs, "wall": wall, "cpu": cpu, "right": learn.packed_right(right)}
        )
        print(f"  epochs={epochs} val={right.mean():.4f} cpu={cpu:.0f}s", flush=True)
    scores = [learn.unpacked_right(r["right"]) for r in out["cnn"]]
    pick = learn.simplest_within_noise(scores, [r["epochs"] for r in out["cnn"]])
    out["cnn_chosen"] = {"epochs": out["cnn"][pick]["epochs"], "batch_size": FULL_BATCH}
    return out


def full_size_budget(full: dict, size: int) -> dict:
    """The budget on all *size* training images (chosen by :func:`matched_compute`), in
    :func:`choose_steps`' form."""
    per_epoch = -(-size // FULL_BATCH)
    chosen = full["cnn_chosen"]
    tried = [
        {
            "steps": r["epochs"] * per_epoch,
            "epochs": r["epochs"],
            "right": r["right"],
            "seconds": r["wall"],
        }
        for r in full["cnn"]
    ]
    return {
        "size": size,
        "folds": 1,
        "chosen": {**chosen, "steps": chosen["epochs"] * per_epoch},
        "tried": tried,
    }


def curves_record(curves: learn.LearningCurves, names) -> dict:
    return {
        name: {
            "fit_seconds": [s.tolist() for s in curves.fit_seconds[name]],
            "right": [[learn.packed_right(r) for r in c] for c in curves.correct[name]],
        }
        for name in names
    }


def main(quick: bool = False) -> None:
    print(config.environment_summary(), flush=True)
    dataset = data.load("fashion_mnist")
    X, y = dataset.train_images, dataset.train_labels
    n_test = 500 if quick else N_TEST
    X_test, y_test = dataset.test_images[:n_test], dataset.test_labels[:n_test]
    sizes = [50, 158] if quick else SIZES
    seeds = [2, 2] if quick else SEEDS
    if quick:
        X, y = X[:3000], y[:3000]
    hog = vision.fine_and_coarse_hog()  # one process, so that its CPU seconds are all counted
    F, _, hog_cpu = cpu_timed(hog.fit_transform, X)
    F_test = hog.transform(X_test)

    full = matched_compute(X, y, F, hog_cpu, quick)
    budgets = {}
    for size in sizes:
        if size == len(y):
            budgets[size] = full_size_budget(full, size)
        else:
            budgets[size] = choose_steps(X, y, size, STEPS[:2] if quick else STEPS)
        print("chosen", size, budgets[size]["chosen"], flush=True)

    def params(name: str, size: int) -> dict:
        return (
            {k: budgets[size]["chosen"][k] for k in ("epochs", "batch_size")}
            if name == "CNN"
            else {}
        )

    estimators = {
        "HOG + RBF": learn.RBFClassifier(LANDMARKS),
        "CNN": learn.cnn_classifier(progress=False),
    }
    kernel_choices: dict = {}
    curves = learn.learning_curves(
        estimators,
        X,
        y,
        X_test,
        y_test,
        sizes,
        seeds=seeds,
        features={"HOG + RBF": (F, F_test)},
        params=params,
        record_correct=True,
        keep=lambda key, model: (
            kernel_choices.__setitem__(f"{key[1]}/{key[2]}", getattr(model, "best_params_", None))
            if key[0] == "HOG + RBF"
            else None
        ),
        progress=False,
    )
    gaps = learn.accuracy_differences(curves, "CNN", "HOG + RBF")
    robust = []
    for size, gap, n_seeds in zip(sizes, gaps, seeds):
        winner = learn.leader("CNN", "HOG + RBF", gap)
        if winner is None:
            continue
        loser = "HOG + RBF" if winner == "CNN" else "CNN"
        if loser == "CNN":
            chosen = budgets[size]["chosen"]
            doubled = {"epochs": 2 * chosen["epochs"], "batch_size": chosen["batch_size"]}
            model, budget = learn.cnn_classifier(progress=False, **doubled), doubled
        elif size > LANDMARKS:
            budget = {"landmarks": 2 * LANDMARKS}
            model = learn.RBFClassifier(2 * LANDMARKS)
        else:  # every training image is a landmark already: twice the candidates
            budget = dict(WIDE)
            model = learn.RBFClassifier(LANDMARKS, **WIDE)
        again = learn.learning_curves(
            {loser: model},
            X,
            y,
            X_test,
            y_test,
            [size],
            seeds=n_seeds,
            features={"HOG + RBF": (F, F_test)} if loser == "HOG + RBF" else None,
            record_correct=True,
            progress=False,
        )
        right = [learn.packed_right(r) for r in again.correct[loser][0]]
        robust.append({"size": size, "loser": loser, "budget": budget, "right": right})
        print("robust", size, loser, budget, again.mean(loser)[0], flush=True)

    if quick:
        print("quick run: nothing written", flush=True)
        return
    path = course.save_sweep(
        "image_curve",
        "python benchmarks/image_curve.py",
        environment=config.environment_summary(),
        sizes=sizes,
        seeds=seeds,
        test_images=n_test,
        budgets={str(k): v for k, v in budgets.items()},
        curves=curves_record(curves, estimators),
        kernel_choices=kernel_choices,
        robust=robust,
        matched_compute=full,
    )
    print("wrote", path, flush=True)


if __name__ == "__main__":
    main(quick="--quick" in sys.argv[1:])
