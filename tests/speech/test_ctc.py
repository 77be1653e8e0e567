"""speech.ctc: decoding, and CTC batches and loss trained through learn's one loop."""

from __future__ import annotations

import numpy as np
import pytest
import torch

from e2e_helpers.learn import training
from e2e_helpers.speech import ctc
from e2e_helpers.speech.error_rates import sentence_accuracy
from e2e_helpers.speech.networks import ctc_speech_net


def _scores(path: list[int], n_classes: int = 4) -> np.ndarray:
    """Log-probabilities whose best path is *path*."""
    scores = np.full((len(path), n_classes), np.log(0.1 / (n_classes - 1)))
    scores[np.arange(len(path)), path] = np.log(0.9)
    return scores


def test_greedy_merges_repeats_and_drops_blanks():
    assert ctc.greedy_decode(_scores([0, 3, 3, 0, 0, 1, 0, 2, 2])) == [3, 1, 2]
    assert ctc.greedy_decode(_scores([1, 1, 0, 1])) == [1, 1], "a blank separates a doubled token"
    assert ctc.greedy_decode(_scores([0, 0, 0])) == []
    batch = torch.tensor(np.stack([_scores([1, 0, 2]), _scores([3, 3, 3])]))
    assert ctc.greedy_decode_batch(batch, [3, 1]) == [[1, 2], [3]]


def test_beam_search_agrees_on_clear_outputs_and_sums_paths():
    assert ctc.prefix_beam_search(_scores([0, 3, 3, 0, 1, 1])) == [3, 1]
    # best single path is blank-blank (0.36) but "1" has more mass in total
    # (0.4*0.6*2 + 0.4*0.4 = 0.64)
    probs = np.array([[0.6, 0.4], [0.6, 0.4]])
    assert ctc.greedy_decode(np.log(probs)) == []
    assert ctc.prefix_beam_search(np.log(probs)) == [1]


def _broken(values: dict[tuple[int, int], float]) -> np.ndarray:
    scores = _scores([0, 3, 3, 0, 1])
    for index, value in values.items():
        scores[index] = value
    return scores


_DECODERS = {"greedy": ctc.greedy_decode, "beam": ctc.prefix_beam_search}
_SHAPE = (
    r"expected \(time, classes\) scores for one utterance, with at least one class "
    r"\(the blank\), got shape "
)
BAD_SCORES = {
    "1-D": (np.zeros(3), _SHAPE + r"\(3,\)"),
    "3-D": (np.zeros((1, 2, 3)), _SHAPE + r"\(1, 2, 3\)"),
    "no classes": (
        np.zeros((5, 0)),
        _SHAPE + r"\(5, 0\): pass the network's \(time, n_tokens \+ 1\) output",
    ),
    "no classes, no steps": (np.zeros((0, 0)), _SHAPE + r"\(0, 0\)"),
    "NaN": (
        _broken({(2, 1): np.nan}),
        r"the log-probabilities hold 1 NaN or \+inf values, the first at time step 2: "
        r"the network's output is broken",
    ),
    "all NaN": (
        np.full((4, 3), np.nan),
        r"hold 12 NaN or \+inf values, the first at time step 0.*NaN samples",
    ),
    "+inf": (
        _broken({(3, 0): np.inf, (4, 2): np.nan}),
        r"hold 2 NaN or \+inf values, the first at time step 3",
    ),
    "NaN tensor": (
        torch.tensor(_broken({(1, 1): np.nan})),
        r"hold 1 NaN or \+inf values, the first at time step 1",
    ),
}


@pytest.mark.parametrize("decoder", sorted(_DECODERS))
@pytest.mark.parametrize("case", sorted(BAD_SCORES))
def test_decoders_refuse_bad_scores(decoder, case):
    scores, message = BAD_SCORES[case]
    with pytest.raises(ValueError, match=message):
        _DECODERS[decoder](scores)


@pytest.mark.parametrize("decoder", sorted(_DECODERS))
def test_decoders_check_blank_and_decode_no_steps_to_nothing(decoder):
    assert _DECODERS[decoder](np.zeros((0, 4))) == []
    assert _DECODERS[decoder](torch.zeros(0, 11)) == []
    with pytest.raises(ValueError, match=r"blank must be a class index in 0..3, got 4"):
        _DECODERS[decoder](_scores([0, 1]), blank=4)
    # -inf is the log-probability of 0: allowed.
    with np.errstate(divide="ignore"):
        sure = np.log(np.array([[1.0, 0.0], [0.0, 1.0]]))
    assert _DECODERS[decoder](sure) == [1]


@pytest.mark.parametrize("beam", [0, -1, 2.5, True, None])
def test_beam_must_be_a_positive_int(beam):
    with pytest.raises(ValueError, match=rf"beam must be a positive int, got {beam!r}"):
        ctc.prefix_beam_search(_scores([0, 1]), beam=beam)


def test_learn_fit_trains_a_ctc_network_on_a_toy_sequence_task():
    """Feature channel k lights up where token k is 'spoken'; the net must learn to read it."""
    rng = np.random.default_rng(0)
    feats, targets = [], []
    for _ in range(96):
        tokens = rng.integers(1, 4, size=rng.integers(1, 4)).tolist()
        frames = [np.zeros((rng.integers(2, 5), 4))]
        for t in tokens:
            word = np.zeros((6, 4))
            word[:, t] = 1.0
            frames += [word, np.zeros((rng.integers(2, 5), 4))]
        feats.append(
            (np.vstack(frames) + 0.05 * rng.normal(size=(sum(len(f) for f in frames), 4))).astype(
                np.float32
            )
        )
        targets.append(tokens)
    with training.seeded_torch(0, torch.device("cpu")):
        net = ctc_speech_net(4, 3, channels=16, hidden=16, dropout=0.0)
        batches = ctc.CTCBatches(feats, targets, 16, output_lengths=net.output_lengths)
        assert len(batches) == 6
        optimizer = training.make_optimizer("adam", net.parameters(), 1e-2)
        history = training.fit(
            net,
            batches,
            epochs=25,
            optimizer=optimizer,
            scheduler=training.one_cycle_schedule(optimizer, 1e-2, 25 * len(batches), 0.15),
            loss_fn=ctc.ctc_loss,
            clip_grad_norm=5.0,
            device="cpu",
            progress=False,
        )
    assert history[-1]["train_loss"] < history[0]["train_loss"] / 3
    net.eval()
    with torch.no_grad():
        decoded = [ctc.greedy_decode(net(torch.tensor(f)[None])[0]) for f in feats[:32]]
    assert sentence_accuracy(targets[:32], decoded) >= 0.8


def test_ctc_batches_group_similar_lengths_and_reshuffle_each_epoch():
    feats = [np.zeros((n, 2), np.float32) for n in (5, 9, 3, 7, 4, 8)]
    targets = [[1], [2, 3], [1], [3], [2], [1, 1]]
    batches = ctc.CTCBatches(feats, targets, 2, seed=0, output_lengths=lambda n: n - 1)
    epochs = [list(batches), list(batches)]
    sizes = [[tuple(x.shape) for x, _ in epoch] for epoch in epochs]
    assert sorted(sizes[0]) == [(2, 4, 2), (2, 7, 2), (2, 9, 2)], "lengths 3+4, 5+7, 8+9"
    assert sorted(sizes[0]) == sorted(sizes[1])
    again = [tuple(x.shape) for x, _ in ctc.CTCBatches(feats, targets, 2, seed=0)]
    assert again == sizes[0], "the same seed gives the same order"
    for x, (labels, out_lengths, label_lengths) in epochs[0]:
        assert labels.ndim == 1 and len(labels) == int(label_lengths.sum())
        assert int(out_lengths.max()) == x.shape[1] - 1, "output_lengths of each item's frames"


@pytest.mark.parametrize(
    ("features", "targets", "batch_size", "message"),
    [
        ([np.zeros((5, 4))], [[0, 1]], 1, "token ids >= 1 \\(0 is the CTC blank\\)"),
        ([np.zeros((5, 4))], [[]], 1, "non-empty sequence"),
        ([np.zeros((5, 4))], [], 1, "one target per utterance and at least one; got 1 features"),
        ([], [], 1, "at least one; got 0 features"),
        ([np.zeros((5, 4))], [[1]], 0, "batch_size must be a positive int, got 0"),
    ],
)
def test_ctc_batches_refuse_bad_input(features, targets, batch_size, message):
    with pytest.raises(ValueError, match=message):
        ctc.CTCBatches(features, targets, batch_size)


def test_ctc_loss_ignores_an_utterance_too_short_for_its_labels():
    log_probs = torch.log_softmax(torch.zeros(2, 3, 4), dim=-1)
    targets = (torch.tensor([1, 2, 3, 1, 2, 1]), torch.tensor([3, 3]), torch.tensor([5, 1]))
    loss = ctc.ctc_loss(log_probs, targets)
    assert torch.isfinite(loss) and loss > 0
