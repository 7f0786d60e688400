"""The fine-tuned sourcing model (inference only): a sentence label and its source / cue spans.

One pass of all-MiniLM-L6-v2 with a LoRA adapter reads the sentence, then its neighbours as a
second segment (attribution reaches across sentences). Two heads share it: one gives the
probability of each docs/ANNOTATION.md label from [CLS] and the mean of the sentence's tokens; one
tags each token of the sentence as outside, source or cue (BIO), so a sentence may hold several
sources. Weights load from safetensors only; nothing is downloaded.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from .document import Label
from .model import EncoderModel, on_device

LABELS = tuple(label.value for label in Label)
TAGS = ("O", "B-SRC", "I-SRC", "B-CUE", "I-CUE")
SENTENCE_CHARS = 600  # a longer sentence is read up to here (its tail gets no spans)
PREVIOUS_CHARS = 100  # the end of the previous sentence kept as context
NEXT_CHARS = 60  # the start of the next sentence kept as context


@dataclass(frozen=True)
class SourcingItem:
    """One sentence with its neighbours' text (empty where there is none)."""

    text: str
    previous: str = ""
    next: str = ""


@dataclass
class SourcingPrediction:
    """Label probabilities and the source and cue spans (offsets into the sentence)."""

    label: str
    probs: dict[str, float]
    sources: list[tuple[int, int]] = field(default_factory=list)
    cues: list[tuple[int, int]] = field(default_factory=list)
    # (start, end, probability of each tag) of each token of the sentence; filled only on
    # request (``keep_tags``), as soft targets for a student model to learn from.
    tag_probs: list[tuple[int, int, list[float]]] = field(default_factory=list)


def context_of(item: SourcingItem) -> str:
    """The second segment: the previous sentence's end, then the next sentence's start."""
    return f"{item.previous[-PREVIOUS_CHARS:]} [SEP] {item.next[:NEXT_CHARS]}"


def encode(tokenizer: Any, items: Sequence[SourcingItem], max_length: int) -> tuple[dict, list]:
    """Model inputs for a batch, plus each row's (token index, char start, char end) of the
    sentence's own tokens, to tag and to map tags back to characters."""
    import torch

    texts = [item.text[:SENTENCE_CHARS] for item in items]
    batch = tokenizer(texts, [context_of(item) for item in items], truncation="longest_first",
                      max_length=max_length, padding=True, return_offsets_mapping=True,
                      return_tensors="pt")
    offsets = batch.pop("offset_mapping").tolist()
    mask = torch.zeros_like(batch["attention_mask"], dtype=torch.float)
    tokens = []
    for row in range(len(items)):
        segments = batch.sequence_ids(row)
        own = [(col, a, b) for col, (a, b) in enumerate(offsets[row])
               if segments[col] == 0 and b > a]
        for col, _, _ in own:
            mask[row, col] = 1.0
        tokens.append(own)
    batch["sentence_mask"] = mask
    return dict(batch), tokens


def build_network(encoder: Any, hidden: int, dropout: float = 0.1):
    """Label head over [CLS; mean of the sentence's tokens], tag head over each token."""
    import torch
    from torch import nn

    class SourcingNetwork(nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.encoder = encoder
            self.dropout = nn.Dropout(dropout)
            self.label_head = nn.Linear(2 * hidden, len(LABELS))
            self.tag_head = nn.Linear(hidden, len(TAGS))

        def forward(self, input_ids, attention_mask, sentence_mask, token_type_ids=None):
            # An encoder without segment embeddings (MPNet, a teacher's) takes no type ids.
            types = {} if token_type_ids is None else {"token_type_ids": token_type_ids}
            states = self.encoder(input_ids=input_ids, attention_mask=attention_mask,
                                  **types).last_hidden_state
            states = self.dropout(states)
            smask = sentence_mask.unsqueeze(-1)
            mean = (states * smask).sum(1) / smask.sum(1).clamp(min=1)
            labels = self.label_head(torch.cat([states[:, 0], mean], dim=-1))
            return labels, self.tag_head(states)

    return SourcingNetwork()


def head_state(network: Any) -> dict[str, Any]:
    """The weights of both heads, to save next to the adapter."""
    return {f"{name}.{key}": value.cpu().contiguous()
            for name in ("label_head", "tag_head")
            for key, value in getattr(network, name).state_dict().items()}


def load_heads(network: Any, state: dict[str, Any]) -> None:
    """Load both heads saved by ``head_state``; ValueError if any weight is missing or extra."""
    for name in ("label_head", "tag_head"):
        own = {k.split(".", 1)[1]: v for k, v in state.items() if k.startswith(f"{name}.")}
        getattr(network, name).load_state_dict(own)
    if len(state) != 4:
        raise ValueError(f"heads file holds {len(state)} tensors, expected 4")


def _allowed(previous: str, tag: str) -> bool:
    """Whether BIO allows ``tag`` right after ``previous`` ("" at the start): an I- tag only
    continues a span of its own kind."""
    return not tag.startswith("I-") or previous[2:] == tag[2:]


# For each tag, the tags BIO allows right before it.
_PREDECESSORS = [[p for p, before in enumerate(TAGS) if _allowed(before, tag)] for tag in TAGS]


def viterbi(scores: Sequence[Sequence[float]]) -> list[int]:
    """The best-scoring tag sequence that BIO allows, from per-token tag log-probabilities.

    Tagging each token by its own argmax can open a span with an I- tag or break one in two;
    the constrained path keeps every span whole, which is what exact-match scoring counts.
    """
    if not scores:
        return []
    best = [s if _allowed("", TAGS[t]) else float("-inf") for t, s in enumerate(scores[0])]
    back: list[list[int]] = []
    for row in scores[1:]:
        pointers, current = [], []
        for t, s in enumerate(row):
            prev = max(_PREDECESSORS[t], key=best.__getitem__)
            pointers.append(prev)
            current.append(best[prev] + s)
        back.append(pointers)
        best = current
    path = [max(range(len(TAGS)), key=best.__getitem__)]
    for pointers in reversed(back):
        path.append(pointers[path[-1]])
    return path[::-1]


def decode_spans(tags: Sequence[int], tokens: Sequence[tuple[int, int, int]]) -> tuple[
    list[tuple[int, int]], list[tuple[int, int]]
]:
    """Source and cue character spans from BIO tags over the sentence's tokens.

    An I- tag that follows anything but its own kind starts a span, as a B- tag would.
    """
    spans: dict[str, list[tuple[int, int]]] = {"SRC": [], "CUE": []}
    open_kind: str | None = None
    for (col, a, b), tag_id in zip(tokens, tags, strict=True):
        del col
        tag = TAGS[tag_id]
        if tag == "O":
            open_kind = None
            continue
        prefix, kind = tag.split("-")
        if prefix == "I" and open_kind == kind:
            start, _ = spans[kind][-1]
            spans[kind][-1] = (start, b)
        else:
            spans[kind].append((a, b))
        open_kind = kind
    return spans["SRC"], spans["CUE"]


def snap(text: str, spans: Sequence[tuple[int, int]]) -> list[tuple[int, int]]:
    """Widen spans to whole words and merge those that then touch.

    Tags fall on word pieces, so a span may start or stop inside a word ("PEN" of "PENCE");
    corpora mark whole words. Punctuation is left as tagged (PolNeAR keeps the comma that
    closes an apposition; a contraction such as "He’s" is not part of the source "He").
    """
    out: list[tuple[int, int]] = []
    for start, end in sorted(spans):
        while start > 0 and text[start - 1].isalnum():
            start -= 1
        while end < len(text) and text[end].isalnum():
            end += 1
        if out and start <= out[-1][1]:
            out[-1] = (out[-1][0], max(end, out[-1][1]))
        else:
            out.append((start, end))
    return out


def predict_batch(network: Any, tokenizer: Any, items: Sequence[SourcingItem],
                  max_length: int, keep_tags: bool = False,
                  device: Any = None) -> list[SourcingPrediction]:
    """Predictions for one batch; call in inference mode with the network in eval mode.
    ``keep_tags`` also returns each token's tag probabilities."""
    import torch

    batch, tokens = encode(tokenizer, items, max_length)
    batch = on_device(batch, device)
    label_logits, tag_logits = network(**batch)
    probs = torch.softmax(label_logits, dim=-1).tolist()
    tag_scores = torch.log_softmax(tag_logits, dim=-1).tolist()
    out = []
    for row, p in enumerate(probs):
        own = tokens[row]
        sources, cues = decode_spans(viterbi([tag_scores[row][col] for col, _, _ in own]), own)
        text = items[row].text
        sources, cues = snap(text, sources), snap(text, cues)
        best = max(range(len(LABELS)), key=p.__getitem__)
        tag_probs = [(a, b, [round(math.exp(x), 4) for x in tag_scores[row][col]])
                     for col, a, b in own] if keep_tags else []
        out.append(SourcingPrediction(LABELS[best], dict(zip(LABELS, (round(x, 6) for x in p),
                                                             strict=True)), sources, cues,
                                      tag_probs))
    return out


def predict(network: Any, tokenizer: Any, items: Sequence[SourcingItem], max_length: int,
            batch_size: int = 32, keep_tags: bool = False,
            device: Any = None) -> list[SourcingPrediction]:
    """Predictions for every item, in order (batches sorted by length for speed)."""
    order = sorted(range(len(items)), key=lambda k: len(items[k].text) + len(context_of(items[k])))
    out: list[SourcingPrediction | None] = [None] * len(items)
    for i in range(0, len(order), batch_size):
        idx = order[i : i + batch_size]
        for k, pred in zip(idx, predict_batch(network, tokenizer, [items[k] for k in idx],
                                              max_length, keep_tags, device),
                              strict=True):
            out[k] = pred
    return out  # type: ignore[return-value]


class SourcingModel(EncoderModel):
    """A trained sourcing model loaded from a folder written by ``attribution train sourcing``."""

    kind = "sourcing"
    head_file = "heads.safetensors"
    default_max_length = 192

    def build(self, encoder: Any) -> Any:
        # How the model's output is merged with the rules' (see decide.py), chosen on dev.
        self.rule_weight = float(self.config.get("rule_weight", 0.0))
        self.empty_rule_weight = float(self.config.get("empty_rule_weight", self.rule_weight))
        self.unnamed_rule_weight = float(self.config.get("unnamed_rule_weight", 0.0))
        self.fallback = bool(self.config.get("fallback", True))
        self.gate = float(self.config.get("gate", 0.0))
        return build_network(encoder, encoder.config.hidden_size)

    def load_heads(self, state: dict[str, Any]) -> None:
        load_heads(self.network, state)

    def predict(self, items: Sequence[SourcingItem], *,
                keep_tags: bool = False) -> list[SourcingPrediction]:
        """Label probabilities and spans for each sentence, in order; ``keep_tags`` adds
        each token's tag probabilities (for distillation)."""
        with self._torch.inference_mode():
            return predict(self.network, self.tokenizer, items, self.max_length,
                           self.batch_size, keep_tags, self.device)
