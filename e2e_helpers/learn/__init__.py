"""Learning from data: PyTorch networks behind the scikit-learn API, one loop, comparing results.

The learning core: it sits right above ``data`` and below ``speech`` and
``vision``, which build on it (it imports neither). A map: ``models`` holds
the generic network factories (``mlp``, ``small_cnn``), the input
``standardizer`` and the factory contract (``build_network``, ``factory_name``,
``guess_image_shape``, ``resolve_input_shape``; domain networks live with their
domain, e.g. ``speech.speech_cnn``); ``training`` the package's one training
loop, used by every network (``train_epoch``, ``evaluate``, ``fit`` with
``EarlyStopping``, ``seeded_torch``, ``make_optimizer``, ``one_cycle_schedule``);
``batches`` turns arrays into network batches (``to_batch``, ``ArrayBatches``,
``array_loader``, ``validate_samples``, ``check_samples``, ``channels_first``);
``torch_classifier`` holds the estimator ``TorchClassifier`` with
``fitted_network`` and ``validated_samples``; ``recipes`` the course's
``cnn_classifier`` and ``fine_tune``; ``learning_curve`` the accuracy-versus-data
curves (``learning_curves``, ``LearningCurves``, ``crossover``, ...); ``summary``
the side-by-side table of pipelines (``summary_table``, ``learned_parameters``, ...);
``intervals`` how sure a score is (``bootstrap_interval``, ``paired_difference``,
``unpaired_difference``, ``sign_flip_interval`` over a few paired units,
``difference_over_seeds``, and ``compare``, the sentence an interval supports;
``curve_leaders`` and ``leads_sentence``: who leads where on a learning curve);
``curve_intervals`` intervals for learning curves over seeds and test examples
(``accuracy_intervals``, ``accuracy_differences``, ``interval_crossover``,
``curve_verdict``, ``interval_table``); ``kernel_classifier`` the strongest
classical model the budget allows on fixed features (``RBFClassifier``);
``model_selection`` the one protocol for choosing settings on training data only
(``validated_search``, ``validation_split``, ``validation_table``, ``PROTOCOL``);
``ablation_study`` the same protocol over several feature sets, to measure what
each stage adds (``ablation``, ``Ablation``, ``AblationRow``).
"""

from .._exports import lazy_exports

__all__, __getattr__, __dir__ = lazy_exports(
    __name__,
    {
        "models": [
            "mlp",
            "small_cnn",
            "standardizer",
            "guess_image_shape",
            "resolve_input_shape",
            "factory_name",
            "build_network",
        ],
        "training": [
            "train_epoch",
            "evaluate",
            "fit",
            "EarlyStopping",
            "seeded_torch",
            "make_optimizer",
            "one_cycle_schedule",
            "OPTIMIZERS",
        ],
        "batches": [
            "to_batch",
            "ArrayBatches",
            "array_loader",
            "validate_samples",
            "check_samples",
            "channels_first",
        ],
        "torch_classifier": ["TorchClassifier", "fitted_network", "validated_samples"],
        "recipes": ["cnn_classifier", "fine_tune"],
        "learning_curve": [
            "LearningCurves",
            "log_sizes",
            "seed_counts",
            "stratified_subset",
            "learning_curves",
            "crossover",
            "epoch_schedule",
        ],
        "summary": ["learned_parameters", "chosen_settings", "timed", "summary_table"],
        "model_selection": [
            "PROTOCOL",
            "validation_scheme",
            "validated_search",
            "validation_split",
            "validation_table",
        ],
        "ablation_study": ["ablation", "Ablation", "AblationRow"],
        "intervals": [
            "Estimate",
            "bootstrap_interval",
            "paired_difference",
            "unpaired_difference",
            "sign_flip_interval",
            "difference_over_seeds",
            "leader",
            "compare",
            "comparison_table",
            "curve_leaders",
            "leads_sentence",
            "estimate_table",
        ],
        "curve_intervals": [
            "seed_interval",
            "seed_difference",
            "accuracy_intervals",
            "accuracy_differences",
            "interval_crossover",
            "curve_verdict",
            "interval_table",
        ],
        "kernel_classifier": ["RBFClassifier"],
    },
)
