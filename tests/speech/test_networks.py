"""speech.networks: the 1-D speech CNN and the CTC network."""

from __future__ import annotations

import pytest
import torch

from e2e_helpers.speech.networks import (
    CTCSpeechNet,
    LearnedFilterbank,
    ctc_speech_net,
    speech_cnn,
)


def test_speech_cnn_reads_any_position_of_a_spectrogram():
    net = speech_cnn((40, 64), 10, width=16).eval()
    assert net(torch.randn(3, 40, 64)).shape == (3, 10)
    assert net(torch.randn(2, 40, 100)).shape == (2, 10)  # global pooling: any number of frames


def test_speech_cnn_without_its_input_standardiser_starts_with_the_convolution():
    with_norm, without = (
        speech_cnn((40, 64), 10, width=8),
        speech_cnn((40, 64), 10, width=8, normalize=False),
    )
    assert isinstance(with_norm[0], torch.nn.BatchNorm1d) and not with_norm[0].affine
    assert isinstance(without[0], torch.nn.Conv1d) and len(without) == len(with_norm) - 1
    assert without.eval()(torch.randn(2, 40, 64)).shape == (2, 10)


@pytest.mark.parametrize(
    ("args", "options", "message"),
    [
        (((1, 40, 64), 10), {}, r"input_shape must be \(n_mels, n_frames\) such as \(40, 64\)"),
        (((40, 64), 10), {"dropout": 1.0}, r"dropout must be a finite number in \[0, 1\)"),
        (((40, 64), 1), {}, "n_classes must be an int >= 2, got 1"),
        (((40, 64), 10), {"width": 0}, "width must be an int >= 1, got 0"),
    ],
)
def test_speech_cnn_refuses_bad_settings(args, options, message):
    with pytest.raises(ValueError, match=message):
        speech_cnn(*args, **options)


def test_ctc_network_shapes_and_lengths():
    net = ctc_speech_net(8, 10, channels=8, hidden=8)
    out = net(torch.randn(2, 21, 8))
    assert out.shape == (2, 11, 11)
    assert torch.allclose(out.exp().sum(-1), torch.ones(2, 11), atol=1e-5)
    assert CTCSpeechNet.output_lengths(torch.tensor([21, 20, 1])).tolist() == [11, 10, 1]
    with pytest.raises(ValueError, match="batch, time, features"):
        net(torch.randn(21, 8))
    with pytest.raises(ValueError, match="hidden must be an int >= 1, got 0"):
        ctc_speech_net(8, 10, hidden=0)


def test_the_learned_filterbank_gives_one_row_per_frame():
    bank = LearnedFilterbank(5, hop=80)
    out = bank(torch.randn(3, 7, 80))
    assert out.shape == (3, 7, 5) and torch.isfinite(out).all()
    net = ctc_speech_net(5, 10, channels=8, hidden=8, waveform_hop=80)
    assert net(torch.randn(2, 9, 80)).shape == (2, 5, 11)
    assert LearnedFilterbank(4, hop=160)(torch.randn(1, 3, 160)).shape == (1, 3, 4)
    with pytest.raises(ValueError, match=r"expected \(batch, time, 80\) framed samples"):
        bank(torch.randn(3, 7, 40))
    with pytest.raises(ValueError, match="hop must be a multiple of 20 samples"):
        LearnedFilterbank(5, hop=90)
