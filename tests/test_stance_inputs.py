"""Stance: the NewsMTSC reader, cropping, the input variants, merging LoRA, the joined,
swapped and transfer examples."""

from __future__ import annotations

import json
import random

import pytest

from attribution.corpora.newsmtsc import read_newsmtsc
from attribution.encoder import load_base, models_dir
from attribution.stance import StanceModel, crop, encode, mark
from attribution.training.stance_train import (
    joined_examples,
    swapped_examples,
)

SHIPPED = models_dir() / "stance"
needs_model = pytest.mark.skipif(
    not (SHIPPED / "stance_config.json").exists(), reason="no shipped stance model"
)

def test_reader(data):
    records = read_newsmtsc("dev_rw", data)
    assert [r["label"] for r in records] == ["negative", "positive", "neutral"]
    first = records[0]
    assert first["sentence"][first["target_start"] : first["target_end"]] == "Senator Blake"
    with pytest.raises(FileNotFoundError, match="test_rw"):
        read_newsmtsc("test_rw", data)
    with pytest.raises(ValueError, match="split"):
        read_newsmtsc("validation", data)


def test_reader_rejects_offsets_that_do_not_match(data):
    (data / "newsmtsc" / "dev_mt.jsonl").write_text(json.dumps({
        "primary_gid": "x", "sentence_normalized": "Hello there.",
        "targets": [{"from": 0, "to": 3, "mention": "Bye", "polarity": 4.0}]}) + "\n",
        encoding="utf-8")
    with pytest.raises(ValueError, match=r"dev_mt\.jsonl:1"):
        read_newsmtsc("dev_mt", data)


def test_crop_keeps_the_target():
    sentence = "x " * 1000 + "TARGET" + " y" * 1000
    start = sentence.index("TARGET")
    text, a, b = crop(sentence, start, start + 6)
    assert text[a:b] == "TARGET" and len(text) < 700


@needs_model
def test_merge_matches_peft():
    """The inference-time merge of the shipped adapter equals peft's merge_and_unload."""
    import torch
    from peft import LoraConfig, get_peft_model, set_peft_model_state_dict
    from safetensors.torch import load_file
    from transformers import AutoModel

    from attribution.encoder import base_model_path, merge_lora

    config = json.loads((SHIPPED / "stance_config.json").read_text(encoding="utf-8"))
    adapter = load_file(str(SHIPPED / "adapter.safetensors"))
    ours = AutoModel.from_pretrained(base_model_path(), add_pooling_layer=False)
    assert merge_lora(ours, adapter, config["lora"]) == len(adapter) // 2
    theirs = get_peft_model(AutoModel.from_pretrained(base_model_path(), add_pooling_layer=False),
                            LoraConfig(**config["lora"]))
    set_peft_model_state_dict(theirs, adapter)
    theirs = theirs.merge_and_unload()
    mine, peft_state = ours.state_dict(), theirs.state_dict()
    assert mine.keys() == peft_state.keys()
    for key in mine:
        assert torch.allclose(mine[key], peft_state[key], atol=1e-6), key


@needs_model
def test_shared_encoding_equals_one_row_per_target():
    """Prediction in batches (a sentence encoded once for all its targets where the input
    allows it, "single") gives the same probabilities as one input row per target, encoded
    as the shipped model's input says."""
    import torch

    model = StanceModel(SHIPPED)
    s = "Critics slammed Cruz and praised Rubio, while Trump stayed silent."
    items = [(s, s.index(t), s.index(t) + len(t)) for t in ("Cruz", "Rubio", "Trump")]
    items.append(("The meeting with Chen is on Tuesday.", 17, 21))
    fast = model.predict(items)
    with torch.inference_mode():
        rows = torch.softmax(model.network(**encode(model.tokenizer, items, 128, model.input)),
                             -1).tolist()
    for pred, row in zip(fast, rows, strict=True):
        assert list(pred.probs.values()) == pytest.approx(row, abs=1e-3)


def test_marked_input_puts_marks_around_the_target_and_masks_only_it():
    text, start, end = mark("Smith met Jones.", 10, 15)
    assert text == "Smith met « Jones »." and text[start:end] == "Jones"
    tokenizer, _ = load_base()
    batch = encode(tokenizer, [("Smith met Jones.", 10, 15)], 32, "marked")
    ids = batch["input_ids"][0][batch["target_mask"][0] > 0].tolist()
    assert tokenizer.convert_ids_to_tokens(ids) == ["jones"]
    with pytest.raises(ValueError, match="input"):
        encode(tokenizer, [("Smith met Jones.", 10, 15)], 32, "triple")


def test_segment_input_sets_the_type_id_on_the_target_alone():
    tokenizer, _ = load_base()
    plain = encode(tokenizer, [("Smith met Jones.", 10, 15)], 32)
    batch = encode(tokenizer, [("Smith met Jones.", 10, 15)], 32, "segment")
    assert batch["input_ids"].tolist() == plain["input_ids"].tolist()  # the text is unchanged
    types = batch["token_type_ids"][0]
    assert types.tolist() == batch["target_mask"][0].long().tolist() and int(types.sum()) >= 1
    ids = batch["input_ids"][0][types > 0].tolist()
    assert tokenizer.convert_ids_to_tokens(ids) == ["jones"]


def test_joined_examples_keep_each_target_and_its_label(data):
    records = read_newsmtsc("train", data)
    made = joined_examples(records, 8, random.Random(5))
    assert len(made) == 8
    for first, second in zip(made[::2], made[1::2], strict=True):
        assert first["sentence"] == second["sentence"]  # two targets, one text
        assert first["label"] != second["label"]
        for item in (first, second):
            assert item["sentence"][item["target_start"]:item["target_end"]] == item["target"]
        assert first["target_end"] <= second["target_start"]  # each in its own half
    assert made == joined_examples(records, 8, random.Random(5))  # seeded
    one_label = [r for r in records if r["label"] == "neutral"]
    assert joined_examples(one_label, 4, random.Random(5)) == []  # no pair with two labels


def test_swapped_examples_rename_the_target_everywhere_and_keep_its_label():
    records = [
        {"id": "a", "sentence": "Blake met voters; Blake lied.", "target_start": 18,
         "target_end": 23, "target": "Blake", "label": "negative"},
        {"id": "b", "sentence": "Ms. Okafor won praise.", "target_start": 0, "target_end": 10,
         "target": "Ms. Okafor", "label": "positive"},
        {"id": "c", "sentence": "He was praised.", "target_start": 0, "target_end": 2,
         "target": "He", "label": "positive"},
        {"id": "d", "sentence": "the senator spoke.", "target_start": 0, "target_end": 11,
         "target": "the senator", "label": "neutral"},
    ]
    made = swapped_examples(records, 10, random.Random(2))
    assert {r["id"] for r in made} == {"a", "b"}  # a pronoun or lower-case phrase stays
    by_id = {r["id"]: r for r in made}
    first = by_id["a"]
    assert first["label"] == "negative" and first["target"] != "Blake"
    assert "Blake" not in first["sentence"]  # every mention of the name, not the target only
    assert first["sentence"] == f"{first['target']} met voters; {first['target']} lied."
    for item in made:
        assert item["sentence"][item["target_start"]:item["target_end"]] == item["target"]
        assert item["soft"] is None  # a teacher never saw the new text
    assert made == swapped_examples(records, 10, random.Random(2))  # seeded
    assert swapped_examples(records[:1], 5, random.Random(2)) == []  # no other name to use


def test_transfer_records_come_from_polnear_train_entities(with_polnear):
    from attribution.training.transfer import transfer_records

    data = with_polnear
    everything = transfer_records(4, data, seed=1)
    assert everything == transfer_records(4, data, seed=1)  # reproducible for a seed
    assert {r["target"] for r in everything} >= {"Maria Lopez", "Tom Reed"}
    for r in everything:
        assert r["label"] is None and len(r["sentence"]) >= 40  # no headline, no short line
        assert r["sentence"][r["target_start"] : r["target_end"]] == r["target"]
    assert transfer_records(0, data) == []
    with pytest.raises(ValueError, match="only"):
        transfer_records(50, data)
    with pytest.raises(ValueError, match="0 or more"):
        transfer_records(-1, data)


def test_loss_of_a_transfer_record_is_the_teachers_alone():
    import torch
    import torch.nn.functional as F

    from attribution.training.stance_train import _loss

    ids = {"negative": 0, "neutral": 1, "positive": 2}
    logits = torch.tensor([[2.0, 0.0, -1.0], [0.5, 0.2, 0.1]])
    soft = [0.1, 0.2, 0.7]
    gold = [{"label": "negative", "soft": None}, {"label": "neutral", "soft": None}]
    plain = F.cross_entropy(logits, torch.tensor([0, 1]))
    assert torch.isclose(_loss(logits, gold, ids, 0.5), plain)  # no teacher: as before
    unlabelled = [{"label": None, "soft": soft}]
    expected = -(torch.tensor(soft) * logits[1:].log_softmax(-1)).sum()
    assert torch.isclose(_loss(logits[1:], unlabelled, ids, 0.5), expected)
    mixed = _loss(logits, [gold[0], *unlabelled], ids, 0.25)
    hard = F.cross_entropy(logits[:1], torch.tensor([0]))
    assert torch.isclose(mixed, 0.75 * hard + 0.25 * expected)
