"""CTC: decoding a network's outputs into token sequences, and what training with CTC loss needs.

A CTC network (:class:`~e2e_helpers.speech.networks.CTCSpeechNet`) emits, for
every time step, a probability over the tokens plus a *blank* (index 0 here).
Greedy decoding takes the most probable symbol per step, merges repeats and
drops blanks: ``- 3 3 - - 1 - 4 4`` -> ``3 1 4``; prefix beam search is the
textbook algorithm, written out here on purpose (the course teaches how CTC output becomes text;
torchaudio's decoder needs flashlight-text and a lexicon). Training goes through the
package's one loop, :func:`e2e_helpers.learn.fit`, given :class:`CTCBatches`
and :func:`ctc_loss`. Error rates of the decoded transcripts live in
:mod:`e2e_helpers.speech.error_rates`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence

import numpy as np
import torch
from torch import nn

from .._checks import check_positive_int, is_int

__all__ = [
    "greedy_decode",
    "prefix_beam_search",
]

BLANK = 0


def _checked_scores(log_probs: np.ndarray | torch.Tensor, blank: int) -> torch.Tensor:
    """*log_probs* as a tensor, refused unless ``(time, classes)`` holding *blank*, no NaN or +inf.

    -inf is a log-probability (of 0) and passes; ``(0, classes)`` (no time step) passes.
    """
    scores = torch.as_tensor(log_probs)
    if scores.ndim != 2 or scores.shape[1] == 0:
        raise ValueError(
            f"expected (time, classes) scores for one utterance, with at least one class (the "
            f"blank), got shape {tuple(scores.shape)}: pass the network's (time, n_tokens + 1) "
            f"output for one utterance."
        )
    if not is_int(blank) or not 0 <= blank < scores.shape[1]:
        raise ValueError(f"blank must be a class index in 0..{scores.shape[1] - 1}, got {blank!r}.")
    bad = torch.isnan(scores) | (scores == float("inf"))
    if bool(bad.any()):
        first = int(bad.any(dim=1).nonzero()[0, 0])
        raise ValueError(
            f"the log-probabilities hold {int(bad.sum())} NaN or +inf values, the first at time "
            f"step {first}: the network's output is broken. Check its input features for NaN or "
            f"inf (e.g. a recording "
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
    """:func:`greedy_decode` of a ``(batch, time, classes)`` output, each item to its *lengths*."""
    if log_probs.ndim != 3 or len(lengths) != log_probs.shape[0]:
        raise ValueError(
            f"expected (batch, time, classes) scores and one length per item, got "
            f"{tuple(log_probs.shape)} and {len(lengths)} lengths."
        )
    return [greedy_decode(log_probs[i, : int(n)], blank) for i, n in enumerate(lengths)]


def prefix_beam_search(
    log_probs: np.ndarray | torch.Tensor, beam: int = 8, blank: int = BLANK
) -> list[int]:
    """CTC prefix beam search (no language model) over one ``(time, classes)`` output.

    *beam* (a positive int) prefixes are kept after each step; the inputs are
    checked as by :func:`greedy_decode`, and ``(0, classes)`` decodes to ``[]``.
    """
    check_positive_int("beam", beam)
    scores = _checked_scores(log_probs, blank).double().numpy()
    # prefix -> (log p ending blank, ending non-blank)
    beams: dict[tuple[int, ...], tuple[float, float]] = {(): (0.0, -np.inf)}
    for step in scores:
        candidates: dict[tuple[int, ...], list[float]] = {}

        def add(prefix: tuple[int, ...], blank_score: float, token_score: float) -> None:
            old = candidates.setdefault(prefix, [-np.inf, -np.inf])  # noqa: B023 - this step's
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
    """Zero-pad ``(time, channels)`` arrays into ``(batch, max_time, channels)``, plus lengths."""
    lengths = torch.tensor([len(f) for f in features])
    batch = torch.zeros(len(features), int(lengths.max()), features[0].shape[1])
    for i, f in enumerate(features):
        batch[i, : len(f)] = torch.as_tensor(f)
    return batch, lengths


class CTCBatches:
    """Training batches for CTC: utterances of similar length together, in a new order each epoch.

    Iterating gives one epoch of ``(inputs, (labels, output_lengths, label_lengths))``
    batches, what :func:`e2e_helpers.learn.fit` passes to the model and to
    :func:`ctc_loss`: *inputs* the zero-padded features ``(batch, max_time,
    channels)``, *labels* every target of the batch end to end, *output_lengths*
    each utterance's number of network outputs (``output_lengths(frames)``,
    default: unchanged). *targets* hold token ids >= 1 (0 is the blank). The
    order is drawn from NumPy's generator seeded with *seed*, one permutation
    per epoch; ``len()`` is the number of batches.
    """

    def __init__(
        self,
        features: Sequence[np.ndarray],
        targets: Sequence[Sequence[int]],
        batch_size: int = 32,
        *,
        seed: int = 0,
        output_lengths: Callable[[torch.Tensor], torch.Tensor] | None = None,
    ) -> None:
        if len(features) != len(targets) or not len(features):
            raise ValueError(
                f"need one target per utterance and at least one; got {len(features)} "
                f"features, {len(targets)} targets."
            )
        if any(len(t) == 0 or min(t) < 1 for t in targets):
            raise ValueError(
                "every target must be a non-empty sequence of token ids >= 1 (0 is the CTC blank)."
            )
        check_positive_int("batch_size", batch_size)
        self.features, self.targets = features, targets
        self.output_lengths = output_lengths or (lambda n: n)
        order = np.argsort([len(f) for f in features], kind="stable")
        self.batches = [order[i : i + batch_size] for i in range(0, len(order), batch_size)]
        self._rng = np.random.default_rng(seed)

    def __len__(self) -> int:
        return len(self.batches)

    def __iter__(self) -> Iterator[tuple[torch.Tensor, tuple[torch.Tensor, ...]]]:
        for index in self._rng.permutation(len(self.batches)):
            rows = self.batches[index]
            inputs, in_lengths = pad_batch([self.features[i] for i in rows])
            labels = torch.tensor([t for i in rows for t in self.targets[i]])
            label_lengths = torch.tensor([len(self.targets[i]) for i in rows])
            yield inputs, (labels, self.output_lengths(in_lengths), label_lengths)


def ctc_loss(log_probs: torch.Tensor, targets: tuple[torch.Tensor, ...]) -> torch.Tensor:
    """Mean CTC loss of a ``(batch, time, classes)`` output for the targets of a CTCBatches batch.

    Blank 0; an utterance too short for its labels (infinite loss) adds 0.
    """
    labels, output_lengths, label_lengths = targets
    return nn.functional.ctc_loss(
        log_probs.transpose(0, 1),
        labels,
        output_lengths,
        label_lengths,
        blank=BLANK,
        zero_infinity=True,
    )
