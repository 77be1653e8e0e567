"""speech.ctc: decoding, the CTC training loop and network."""

from __future__ import annotations

import numpy as np
import pytest
import torch

from e2e_helpers.speech import ctc
from e2e_helpers.speech.ctc import CTCSpeechNet, ctc_speech_net
from e2e_helpers.speech.error_rates import sentence_accuracy


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
    # best single path is blank-blank (0.36) but "1" has more mass in total (0.4*0.6*2 + 0.4*0.4 = 0.64)
    probs = np.array([[0.6, 0.4], [0.6, 0.4]])
    assert ctc.greedy_decode(np.log(probs)) == []
    assert ctc.prefix_beam_search(np.log(probs)) == [1]


def _broken(values: dict[tuple[int, int], float]) -> np.ndarray:
    scores = _scores([0, 3, 3, 0, 1])
    for index, value in values.items():
        scores[index] = value
    return scores


_DECODERS = {"greedy": ctc.greedy_decode, "beam": ctc.prefix_beam_search}
_SHAPE = r"expected \(time, classes\) scores for one utterance, with at least one class \(the blank\), got shape "
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
        r"the log-probabilities hold 1 NaN or \+inf values, the first at time step 2: the network's output is broken",
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


def test_network_shapes_and_lengths():
    net = ctc_speech_net(8, 10, channels=8, hidden=8)
    out = net(torch.randn(2, 21, 8))
    assert out.shape == (2, 11, 11)
    assert torch.allclose(out.exp().sum(-1), torch.ones(2, 11), atol=1e-5)
    assert CTCSpeechNet.output_lengths(torch.tensor([21, 20, 1])).tolist() == [11, 10, 1]
    with pytest.raises(ValueError, match="batch, time, features"):
        net(torch.randn(21, 8))
    with pytest.raises(ValueError, match="hidden must be an int >= 1, got 0"):
        ctc_speech_net(8, 10, hidden=0)


def test_fit_ctc_learns_a_toy_sequence_task():
    """Feature channel k lights up where token k is 'spoken'; the net must learn to read it."""
    torch.manual_seed(0)
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
    net = ctc_speech_net(4, 3, channels=16, hidden=16, dropout=0.0)
    history = ctc.fit_ctc(net, feats, targets, epochs=25, batch_size=16, lr=1e-2, progress=False)
    assert history[-1]["train_loss"] < history[0]["train_loss"] / 3
    net.eval()
    with torch.no_grad():
        decoded = [ctc.greedy_decode(net(torch.tensor(f)[None])[0]) for f in feats[:32]]
    assert sentence_accuracy(targets[:32], decoded) >= 0.8


def test_fit_ctc_checks_targets():
    net = ctc_speech_net(4, 3, channels=4, hidden=4)
    with pytest.raises(ValueError, match="blank"):
        ctc.fit_ctc(net, [np.zeros((5, 4), np.float32)], [[0, 1]], epochs=1, progress=False)
    with pytest.raises(ValueError, match="one target per utterance"):
        ctc.fit_ctc(net, [np.zeros((5, 4), np.float32)], [], epochs=1, progress=False)
    with pytest.raises(ValueError, match="epochs must be a positive int, got 0"):
        ctc.fit_ctc(net, [np.zeros((5, 4), np.float32)], [[1]], epochs=0, progress=False)
