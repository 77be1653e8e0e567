"""The speech recognisers keep scikit-learn's estimator contract, as far as it applies to sequences.

A recogniser's ``X`` is a list of recordings of different lengths and its ``y``
one digit sequence per recording, so it cannot go through
``parametrize_with_checks``. The individual checks of
``sklearn.utils.estimator_checks`` that need no data run here as they are (all
exist in scikit-learn 1.6.1, the Colab replica's version, and 1.9.1):
``check_no_attributes_set_in_init``, ``check_parameters_default_constructible``,
``check_get_params_invariance``, ``check_set_params``,
``check_estimator_cloneable``, ``check_estimator_repr``,
``check_do_not_raise_errors_in_init_or_set_params``, ``check_mixin_order``,
``check_estimator_tags_renamed``, ``check_valid_tag_types`` and
``check_estimators_unfitted`` (it calls ``predict`` on 2-D numbers, and the
recognisers raise ``NotFittedError`` before they look at ``X``).

Not applicable, because they fit on 2-D numeric arrays with one class label
or number per row (a recogniser refuses a 2-D array as ``X`` and a label as a
digit sequence): ``check_dont_overwrite_parameters``, ``check_fit_check_is_fitted``,
``check_estimators_pickle``, ``check_fit_score_takes_y``,
``check_n_features_in``, ``check_estimators_dtypes``, ``check_fit2d_1sample``,
``check_fit2d_predict1d``, ``check_methods_subset_invariance``,
``check_classifiers_*`` and the other data checks. The ones that matter are
repeated below on recordings: fit adds only attributes ending in ``_`` and
changes no parameter, a fitted recogniser survives pickling and clone, and
``check_is_fitted`` passes after fit.
"""

from __future__ import annotations

import pickle

import numpy as np
import pytest
from fakedata import tone
from sklearn.base import clone, is_classifier
from sklearn.utils import estimator_checks
from sklearn.utils.validation import check_is_fitted

from e2e_helpers.speech import digit_strings, lexicon
from e2e_helpers.speech.phone_hmm import PhoneHMMRecognizer
from e2e_helpers.speech.recognizers import CTCRecognizer, SegmentingRecognizer

CHECKS = [
    "check_no_attributes_set_in_init",
    "check_parameters_default_constructible",
    "check_get_params_invariance",
    "check_set_params",
    "check_estimator_cloneable",
    "check_estimator_repr",
    "check_do_not_raise_errors_in_init_or_set_params",
    "check_mixin_order",
    "check_estimator_tags_renamed",
    "check_valid_tag_types",
    "check_estimators_unfitted",
]

ESTIMATORS = {
    "PhoneHMMRecognizer": lambda: PhoneHMMRecognizer(n_components=2),
    "CTCRecognizer": lambda: CTCRecognizer(epochs=1, channels=4, hidden=4, progress=False),
    "SegmentingRecognizer": lambda: SegmentingRecognizer(PhoneHMMRecognizer(n_components=1)),
}


@pytest.mark.parametrize("check", CHECKS)
@pytest.mark.parametrize("name", sorted(ESTIMATORS))
def test_scikit_learn_estimator_checks_that_apply_to_sequences(name, check):
    getattr(estimator_checks, check)(name, ESTIMATORS[name]())


def _strings(n: int) -> list[digit_strings.DigitString]:
    """Digit strings whose phones are chords (as in test_phone_hmm): enough to fit each one."""
    rng = np.random.default_rng(0)
    chords = {p: (250 + 160 * k, 3300 - 150 * k) for k, p in enumerate(lexicon.PHONES)}

    def word(d: int) -> np.ndarray:
        return np.concatenate(
            [
                tone(*chords[p], n=int(rng.uniform(0.06, 0.1) * 8000), rate=8000)
                for p in lexicon.PRONUNCIATIONS[d]
            ]
        )

    out = []
    for _ in range(n):
        digits = rng.integers(0, 10, size=rng.integers(1, 3))
        out.append(
            digit_strings.join_recordings(
                [word(int(d)) for d in digits], digits, rng, gap_s=(0.2, 0.3), snr_db=30.0
            )
        )
    return out


@pytest.fixture(scope="module")
def strings() -> tuple[list[np.ndarray], list[tuple[int, ...]]]:
    made = _strings(30)
    return [s.wave for s in made], [s.digits for s in made]


@pytest.mark.parametrize("name", sorted(ESTIMATORS))
def test_fit_sets_only_underscore_attributes_and_keeps_its_parameters(name, strings):
    """check_dont_overwrite_parameters, check_fit_check_is_fitted and pickling, on recordings."""
    X, y = strings
    model = ESTIMATORS[name]()
    params = model.get_params(deep=False)
    before = dict(vars(model))
    fitted = model.fit(X, y)
    assert fitted is model
    added = [k for k in vars(model) if k not in before]
    assert added and all(k.endswith("_") for k in added), added
    assert all(vars(model)[k] is v for k, v in before.items()), "fit changed a parameter"
    assert model.get_params(deep=False).keys() == params.keys()
    check_is_fitted(model)
    restored = pickle.loads(pickle.dumps(model))
    assert restored.predict(X[:3]) == model.predict(X[:3])
    assert 0.0 <= model.score(X, y) <= 1.0
    unfitted = clone(model)
    assert not any(k.endswith("_") for k in vars(unfitted))


def test_the_recognisers_are_not_classifiers():
    """No ClassifierMixin: a transcript is not one label of a fixed set; cv=5 must not stratify."""
    assert not any(is_classifier(make()) for make in ESTIMATORS.values())


def test_segmenting_recognizer_uses_a_fitted_word_recognizer_as_it_is(strings):
    X, y = strings
    words = PhoneHMMRecognizer(n_components=1).fit(X, y)
    reader = SegmentingRecognizer(words)
    check_is_fitted(reader)
    assert reader.predict(X[:4]) == SegmentingRecognizer(PhoneHMMRecognizer(n_components=1)).fit(
        X, y
    ).predict(X[:4]), "fit trains a clone of the same recogniser on the same data"
