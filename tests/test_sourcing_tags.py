"""The sourcing model's tags: encoding gold spans, decoding (a valid BIO sequence by Viterbi),
and carrying a teacher's soft tags onto a student's tokens."""

from __future__ import annotations

import pytest

from attribution.encoder import base_model_path
from attribution.sourcing import TAGS, SourcingItem, decode_spans, encode, viterbi
from attribution.training.sourcing_train import soft_tags, tag_targets


@pytest.fixture(scope="module")
def tokenizer():
    from transformers import AutoTokenizer

    return AutoTokenizer.from_pretrained(base_model_path())

def test_gold_spans_survive_tagging_and_decoding(tokenizer):
    text = "Senate Majority Leader Mitch McConnell told reporters, according to aides, it failed."

    def at(fragment: str) -> tuple[int, int]:
        start = text.index(fragment)
        return start, start + len(fragment)

    sources = [at("Senate Majority Leader Mitch McConnell"), at("aides")]
    cues = [at("told"), at("according to")]
    record = {"start": 100, "sources": [[100 + a, 100 + b] for a, b in sources],
              "cues": [[100 + a, 100 + b] for a, b in cues]}
    batch, tokens = encode(tokenizer, [SourcingItem(text, "Before.", "After.")], 64)
    tags = tag_targets([record], tokens, batch["input_ids"].shape[1])
    own = [int(tags[0, col]) for col, _, _ in tokens[0]]
    assert decode_spans(own, tokens[0]) == (sources, cues)
    # Context tokens are never tagged.
    assert int((tags[0] != -100).sum()) == len(tokens[0])

def test_decode_treats_a_stray_inside_tag_as_a_start():
    tokens = [(1, 0, 3), (2, 4, 8), (3, 9, 13), (4, 14, 18)]
    tags = [TAGS.index(t) for t in ("I-SRC", "I-SRC", "O", "I-CUE")]
    assert decode_spans(tags, tokens) == ([(0, 8)], [(14, 18)])

def _log_probs(*rows: dict[str, float]) -> list[list[float]]:
    """Per-token tag log-probabilities from the named tags' probabilities (rest share 0.01)."""
    import math

    return [[math.log(row.get(tag, 0.01)) for tag in TAGS] for row in rows]

def test_viterbi_keeps_a_span_whole_where_the_argmax_breaks_it():
    # Token by token: B-SRC, O (barely), I-SRC; the argmax decodes two sources.
    scores = _log_probs({"B-SRC": 0.9}, {"O": 0.45, "I-SRC": 0.44}, {"I-SRC": 0.9})
    assert [TAGS[t] for t in viterbi(scores)] == ["B-SRC", "I-SRC", "I-SRC"]

def test_viterbi_never_opens_a_span_with_an_inside_tag():
    scores = _log_probs({"O": 0.9}, {"I-CUE": 0.6, "O": 0.3}, {"O": 0.9})
    path = [TAGS[t] for t in viterbi(scores)]
    assert path[1] != "I-CUE" and "I-CUE" not in path
    assert viterbi([]) == []

def test_soft_tags_follow_the_teachers_tokens_by_character():
    o, b_src, i_src = [1.0, 0, 0, 0, 0], [0.1, 0.9, 0, 0, 0], [0.2, 0, 0.8, 0, 0]
    # Teacher tokens "Pence" (0-5), "said" (6-10); the student splits "Pence" in two and has
    # a token past the teacher's reach.
    teacher = [[0, 5, b_src], [6, 10, o]]
    student = [(1, 0, 3), (2, 3, 5), (3, 6, 10), (4, 11, 14)]
    carried = soft_tags(teacher, student)
    assert carried[0] == b_src
    assert carried[1] == pytest.approx([0.1, 0, 0.9, 0, 0])  # a later piece is inside the span
    assert carried[2] == o and carried[3] is None
    # A student token that is a teacher token's own keeps its B- mass.
    assert soft_tags([[0, 3, b_src], [3, 5, i_src]], [(1, 0, 3), (2, 3, 5)]) == [b_src, i_src]

def test_distillation_passes_over_sentences_without_teachers():
    # A set's sentences carry no teacher: the distillation term is the taught sentences' alone.
    import torch

    from attribution.training.sourcing_train import distilled_loss

    torch.manual_seed(0)
    labels, tags = torch.randn(2, 4), torch.randn(2, 3, len(TAGS))
    taught = {"teacher": {"labels": [[0.1, 0.2, 0.3, 0.4]],
                          "tags": [[[0, 4, [0.1, 0.9, 0, 0, 0]], [5, 9, [1.0, 0, 0, 0, 0]]]]}}
    tokens = [[(1, 0, 4), (2, 5, 9)], [(1, 0, 4), (2, 5, 9)]]
    mixed = distilled_loss(labels, tags, [{}, taught], tokens)
    alone = distilled_loss(labels[1:], tags[1:], [taught], tokens[1:])
    assert torch.isclose(mixed, alone)
    assert not torch.isclose(mixed, distilled_loss(labels, tags, [taught, taught], tokens))
