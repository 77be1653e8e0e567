"""CTC: the speech network, decoding its outputs into token sequences, training it with CTC loss.

A CTC network (:class:`CTCSpeechNet`) emits, for every time step, a
probability over the tokens plus a *blank* (index 0 here). Greedy decoding
takes the most probable symbol per step, merges repeats and drops blanks:
``- 3 3 - - 1 - 4 4`` -> ``3 1 4``. :func:`fit_ctc` trains any such network.
Error rates of the decoded transcripts live in
:mod:`e2e_helpers.speech.error_rates`.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import numpy as np
import torch
from torch import nn
from tqdm.auto import tqdm

from .._checks import Interval, check_positive_int, is_int, validate_params

__all__ = [
    "BLANK",
    "greedy_decode",
    "greedy_decode_batch",
    "prefix_beam_search",
    "pad_batch",
    "fit_ctc",
    "CTCSpeechNet",
    "ctc_speech_net",
]

BLANK = 0


def _checked_scores(log_probs: np.ndarray | torch.Tensor, blank: int) -> torch.Tensor:
    """*log_probs* as a tensor, refused unless ``(time, classes)`` with classes >= 1, *blank* among them, no NaN or +inf.

    -inf is a log-probability (of 0) and passes; ``(0, classes)`` (no time step) passes.
    """
    scores = torch.as_tensor(log_probs)
    if scores.ndim != 2 or scores.shape[1] == 0:
        raise ValueError(
            f"expected (time, classes) scores for one utterance, with at least one class (the blank), "
            f"got shape {tuple(scores.shape)}: pass the network's (time, n_tokens + 1) output for one utterance."
        )
    if not is_int(blank) or not 0 <= blank < scores.shape[1]:
        raise ValueError(f"blank must be a class index in 0..{scores.shape[1] - 1}, got {blank!r}.")
    bad = torch.isnan(scores) | (scores == float("inf"))
    if bool(bad.any()):
        first = int(bad.any(dim=1).nonzero()[0, 0])
        raise ValueError(
            f"the log-probabilities hold {int(bad.sum())} NaN or +inf values, the first at time step {first}: "
            f"the network's output is broken. Check its input features for NaN or inf (e.g. a recording "
            f"with NaN samples), or, if training diverged, lower the learning rate and train again."
        )
    return scores


def greedy_decode(log_probs: np.ndarray | torch.Tensor, blank: int = BLANK) -> list[int]:
    """Best path of one ``(time, classes)`` output: argmax per step, repeats merged, blanks dropped.

    ``(0, classes)`` (no time step) decodes to ``[]``; a ``ValueError`` says
    what is wrong with other shapes, NaN or +inf scores, or a *blank* that is
    not a class index.
    """
    best = _checked_scores(log_probs, blank).argmax(dim=1).tolist()
    out, previous = [], None
    for token in best:
        if token != previous and token != blank:
            out.append(token)
        previous = token
    return out


def greedy_decode_batch(
    log_probs: torch.Tensor, lengths: Sequence[int], blank: int = BLANK
) -> list[list[int]]:
    """:func:`greedy_decode` of a ``(batch, time, classes)`` output with each item's valid *lengths*."""
    if log_probs.ndim != 3 or len(lengths) != log_probs.shape[0]:
        raise ValueError(
            f"expected (batch, time, classes) scores and one length per item, got {tuple(log_probs.shape)} and {len(lengths)} lengths."
        )
    return [greedy_decode(log_probs[i, : int(n)], blank) for i, n in enumerate(lengths)]


def prefix_beam_search(
    log_probs: np.ndarray | torch.Tensor, beam: int = 8, blank: int = BLANK
) -> list[int]:
    """CTC prefix beam search (no language model) over one ``(time, classes)`` log-probability output.

    *beam* (a positive int) prefixes are kept after each step; the inputs are
    checked as by :func:`greedy_decode`, and ``(0, classes)`` decodes to ``[]``.
    """
    check_positive_int("beam", beam)
    scores = _checked_scores(log_probs, blank).double().numpy()
    beams: dict[tuple[int, ...], tuple[float, float]] = {
        (): (0.0, -np.inf)
    }  # prefix -> (log p ending blank, ending non-blank)
    for step in scores:
        candidates: dict[tuple[int, ...], list[float]] = {}

        def add(prefix: tuple[int, ...], blank_score: float, token_score: float) -> None:
            old = candidates.setdefault(prefix, [-np.inf, -np.inf])
            old[0] = np.logaddexp(old[0], blank_score)
            old[1] = np.logaddexp(old[1], token_score)

        for prefix, (p_b, p_nb) in beams.items():
            total = np.logaddexp(p_b, p_nb)
            add(prefix, total + step[blank], -np.inf)
            for token in range(len(step)):
                if token == blank:
                    continue
                if prefix and prefix[-1] == token:
                    add(prefix, -np.inf, p_nb + step[token])  # repeat without a blank: same prefix
                    add(prefix + (token,), -np.inf, p_b + step[token])
                else:
                    add(prefix + (token,), -np.inf, total + step[token])
        ranked = sorted(candidates.items(), key=lambda item: -np.logaddexp(*item[1]))
        beams = {prefix: (b, nb) for prefix, (b, nb) in ranked[:beam]}
    return list(max(beams.items(), key=lambda item: np.logaddexp(*item[1]))[0])


def pad_batch(features: Sequence[np.ndarray]) -> tuple[torch.Tensor, torch.Tensor]:
    """Zero-pad ``(time, channels)`` arrays into ``(batch, max_time, channels)``; also the lengths."""
    lengths = torch.tensor([len(f) for f in features])
    batch = torch.zeros(len(features), int(lengths.max()), features[0].shape[1])
    for i, f in enumerate(features):
        batch[i, : len(f)] = torch.as_tensor(f)
    return batch, lengths


def fit_ctc(
    model: nn.Module,
    features: Sequence[np.ndarray],
    targets: Sequence[Sequence[int]],
    *,
    epochs: int,
    batch_size: int = 32,
    lr: float = 3e-3,
    seed: int = 0,
    device: torch.device | str = "cpu",
    output_lengths: Callable[[torch.Tensor], torch.Tensor] | None = None,
    progress: bool = True,
) -> list[dict[str, float]]:
    """Train *model* with CTC loss; returns one ``{"epoch", "train_loss"}`` record per epoch.

    *model* maps ``(batch, time, channels)`` features to ``(batch, time', classes)``
    log-probabilities (blank = 0, tokens 1..); *output_lengths* maps input
    lengths to output lengths (default: the model's ``output_lengths`` method,
    else unchanged). *targets* hold token ids >= 1. Utterances are sorted
    into batches of similar length (less padding), the batch order shuffled
    every epoch; Adam with a one-cycle learning-rate schedule.
    """
    if len(features) != len(targets) or not len(features):
        raise ValueError(
            f"need one target per utterance and at least one; got {len(features)} features, {len(targets)} targets."
        )
    if any(len(t) == 0 or min(t) < 1 for t in targets):
        raise ValueError(
            "every target must be a non-empty sequence of token ids >= 1 (0 is the CTC blank)."
        )
    check_positive_int("epochs", epochs)
    lengths_of = output_lengths or getattr(model, "output_lengths", lambda n: n)
    device = torch.device(device)
    model.to(device)
    order = np.argsort([len(f) for f in features], kind="stable")
    batches = [order[i : i + batch_size] for i in range(0, len(order), batch_size)]
    optimizer = torch.optim.Adam(model.parameters(), lr=lr)
    schedule = torch.optim.lr_scheduler.OneCycleLR(
        optimizer, max_lr=lr, total_steps=epochs * len(batches), pct_start=0.15
    )
    loss_fn = nn.CTCLoss(blank=BLANK, zero_infinity=True)
    rng = np.random.default_rng(seed)
    history = []
    with tqdm(range(1, epochs + 1), desc="CTC training", unit="epoch", disable=not progress) as bar:
        for epoch in bar:
            model.train()
            total, count = 0.0, 0
            for index in rng.permutation(len(batches)):
                rows = batches[index]
                inputs, in_lengths = pad_batch([features[i] for i in rows])
                labels = torch.tensor([t for i in rows for t in targets[i]])
                label_lengths = torch.tensor([len(targets[i]) for i in rows])
                log_probs = model(inputs.to(device))
                loss = loss_fn(
                    log_probs.transpose(0, 1), labels, lengths_of(in_lengths), label_lengths
                )
                optimizer.zero_grad(set_to_none=True)
                loss.backward()
                nn.utils.clip_grad_norm_(model.parameters(), 5.0)
                optimizer.step()
                schedule.step()
                total += loss.item() * len(rows)
                count += len(rows)
            history.append({"epoch": epoch, "train_loss": total / count})
            bar.set_postfix(loss=f"{total / count:.3f}")
            if not np.isfinite(total):
                raise FloatingPointError(
                    f"the CTC loss became {total} in epoch {epoch}: lower the learning rate."
                )
    return history


class CTCSpeechNet(nn.Module):
    """Log-mel frames -> per-frame token log-probabilities, for CTC.

    Two 1-D convolutions over time (the second with stride 2: one output
    every 20 ms) learn local spectral patterns, in place of hand-made MFCCs;
    a bidirectional GRU reads the whole utterance both ways; a linear layer
    gives ``n_tokens + 1`` scores per step (index 0 is the CTC blank).
    Input ``(batch, time, n_inputs)``, output ``(batch, time', n_tokens + 1)``
    log-softmax; :meth:`output_lengths` maps input to output lengths.
    """

    def __init__(
        self,
        n_inputs: int = 40,
        n_tokens: int = 10,
        channels: int = 64,
        hidden: int = 64,
        dropout: float = 0.1,
    ) -> None:
        super().__init__()
        sizes = {"n_inputs": n_inputs, "n_tokens": n_tokens, "channels": channels, "hidden": hidden}
        validate_params(sizes, {name: [Interval(int, 1)] for name in sizes})
        self.front = nn.Sequential(
            nn.Conv1d(n_inputs, channels, 5, padding=2, bias=False),
            nn.BatchNorm1d(channels),
            nn.ReLU(),
            nn.Conv1d(channels, channels, 5, stride=2, padding=2, bias=False),
            nn.BatchNorm1d(channels),
            nn.ReLU(),
            nn.Dropout(dropout),
        )
        self.rnn = nn.GRU(channels, hidden, batch_first=True, bidirectional=True)
        self.head = nn.Linear(2 * hidden, n_tokens + 1)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        """``(batch, time, n_inputs)`` features -> ``(batch, time', n_tokens + 1)`` log-probabilities."""
        if x.ndim != 3:
            raise ValueError(f"expected (batch, time, features) input, got shape {tuple(x.shape)}.")
        h = self.front(x.transpose(1, 2)).transpose(1, 2)
        h, _ = self.rnn(h)
        return self.head(h).log_softmax(dim=-1)

    @staticmethod
    def output_lengths(lengths: torch.Tensor) -> torch.Tensor:
        """Number of output steps for inputs of *lengths* frames (stride 2)."""
        return (lengths - 1) // 2 + 1


def ctc_speech_net(n_inputs: int = 40, n_tokens: int = 10, **options: Any) -> CTCSpeechNet:
    """Factory for :class:`CTCSpeechNet` (options: ``channels``, ``hidden``, ``dropout``)."""
    return CTCSpeechNet(n_inputs, n_tokens, **options)
