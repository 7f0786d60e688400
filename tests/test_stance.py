"""Stance: the NewsMTSC reader, training and resuming on a tiny fixture, evaluation, and the
shipped model on sentences whose answers are clear."""

from __future__ import annotations

import json
import random

import pytest

from attribution import Annotator, Article
from attribution.cli import main
from attribution.corpora.newsmtsc import read_newsmtsc
from attribution.encoder import load_base, models_dir
from attribution.stance import StanceModel, crop, encode, mark
from attribution.training import stance_train
from attribution.training.stance_train import (
    StanceTrainingArgs,
    joined_examples,
    swapped_examples,
    train_stance,
)

SHIPPED = models_dir() / "stance"

SENTENCES = [
    ("Critics called Senator Blake a corrupt liar who betrayed his voters.", "Senator Blake", 2.0),
    ("Mayor Ruiz was praised for her brilliant, heroic rescue of the flooded town.", "Mayor Ruiz",
     6.0),
    ("The meeting with Director Chen is scheduled for Tuesday at noon.", "Director Chen", 4.0),
    ("Protesters denounced Governor Hale as a cruel and incompetent tyrant.", "Governor Hale",
     2.0),
    ("Voters adore Ms. Okafor, whose generous reforms lifted thousands out of poverty.",
     "Ms. Okafor", 6.0),
    ("Mr. Dunn will travel to Ohio on Friday.", "Mr. Dunn", 4.0),
]


def write_split(folder, name, rows):
    lines = []
    for i, (sentence, mention, polarity) in enumerate(rows):
        start = sentence.index(mention)
        lines.append(json.dumps({
            "primary_gid": f"{name}_{i}", "sentence_normalized": sentence,
            "targets": [{"from": start, "to": start + len(mention), "mention": mention,
                         "polarity": polarity}],
        }))
    (folder / f"{name}.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")


@pytest.fixture
def data(tmp_path):
    folder = tmp_path / "newsmtsc"
    folder.mkdir()
    write_split(folder, "train", SENTENCES * 2)
    write_split(folder, "dev_rw", SENTENCES[:3])
    write_split(folder, "dev_mt", SENTENCES[3:])
    return tmp_path


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


def test_train_resume_and_evaluate_on_a_fixture(data, tmp_path, capsys):
    out = tmp_path / "model"
    args = StanceTrainingArgs(epochs=1, batch_size=4, seed=3)
    first = train_stance(data, out, args)
    assert [h["epoch"] for h in first["history"]] == [1]
    for name in ("adapter.safetensors", "head.safetensors", "stance_config.json", "README.md"):
        assert (out / name).exists()
    assert sum(p.stat().st_size for p in out.glob("*.safetensors")) < 10_000_000
    second = train_stance(data, out, StanceTrainingArgs(epochs=2, batch_size=4, seed=3))
    assert [h["epoch"] for h in second["history"]] == [1, 2]  # resumed after epoch 1
    card = (out / "README.md").read_text(encoding="utf-8")
    assert "seed 3" in card and "dev_rw" in card

    model = StanceModel(out)
    (pred,) = model.predict([(SENTENCES[0][0], 0, 5)])
    assert abs(sum(pred.probs.values()) - 1) < 1e-4
    assert pred.score == pytest.approx(pred.probs["positive"] - pred.probs["negative"])

    assert main(["evaluate", "stance", "--data", str(data), "--split", "dev_mt",
                 "--model", str(out), "--json"]) == 0
    scores = json.loads(capsys.readouterr().out.strip().splitlines()[-1])
    assert {"macro_f1", "accuracy", "per_label"} <= set(scores)
    assert 0 <= scores["macro_f1"] <= 1 and scores["targets"] == 3


def test_same_seed_same_model(data, tmp_path):
    args = StanceTrainingArgs(epochs=1, batch_size=4, seed=5)
    train_stance(data, tmp_path / "a", args)
    train_stance(data, tmp_path / "b", args)
    for name in ("adapter.safetensors", "head.safetensors"):
        assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes()


needs_model = pytest.mark.skipif(
    not (SHIPPED / "stance_config.json").exists(), reason="no shipped stance model"
)


@needs_model
def test_shipped_model_on_clear_cases():
    model = StanceModel(SHIPPED)
    cases = [
        ("Critics called Governor Hale a corrupt, lying coward who ruined the state.",
         "Governor Hale", "negative"),
        ("The committee will meet with Governor Hale on Thursday.", "Governor Hale", "neutral"),
        ("Fans cheered Coach Lee, praising her brilliant leadership and generosity.", "Coach Lee",
         "positive"),
    ]
    items = [(s, s.index(t), s.index(t) + len(t)) for s, t, _ in cases]
    preds = model.predict(items)
    assert [p.label for p in preds] == [label for _, _, label in cases]
    assert preds[0].score < 0 < preds[2].score


@needs_model
def test_annotate_fills_stance_for_entities_and_user_targets():
    annotator = Annotator(stance=True)
    article = annotator.annotate(
        "Officials said Russia was a brutal aggressor. The summit will be held in Geneva.",
        targets=["aggressor"],
    )
    targets = [[st.target.text for st in s.stance] for s in article.sentences]
    assert "Russia" in targets[0] and "aggressor" in targets[0] and "Geneva" in targets[1]
    russia = next(st for st in article.sentences[0].stance if st.target.text == "Russia")
    assert russia.label == "negative" and -1 <= russia.score < 0
    table = article.stance_by_target()
    assert table["Russia"]["n"] == 1 and table["Russia"]["negative"] == 1
    again = Article.from_dict(json.loads(json.dumps(article.to_dict())))
    assert again == article


def test_stance_can_be_turned_off_and_targets_are_checked(annotator):
    off = Annotator(annotator.nlp, stance=False)
    assert off.annotate("Russia attacked.").sentences[0].stance == []
    with pytest.raises(TypeError, match="targets"):
        off.annotate("Russia attacked.", targets=[3])
    with pytest.raises(FileNotFoundError, match="no stance model"):
        Annotator(annotator.nlp, stance="/nonexistent/folder")


@pytest.mark.parametrize("kind", ["pair", "marked", "segment"])
def test_input_variant_is_recorded_and_used(data, tmp_path, kind):
    out = tmp_path / kind
    train_stance(data, out, StanceTrainingArgs(epochs=1, batch_size=4, seed=3, input=kind))
    config = json.loads((out / "stance_config.json").read_text(encoding="utf-8"))
    assert config["input"] == kind
    model = StanceModel(out)
    assert model.input == kind
    sentence, target = SENTENCES[0][0], SENTENCES[0][1]
    start = sentence.index(target)
    (pred,) = model.predict([(sentence, start, start + len(target))])
    assert pred.label in ("negative", "neutral", "positive")
    with pytest.raises(ValueError, match="input"):
        train_stance(data, tmp_path / "bad", StanceTrainingArgs(epochs=1, input="triple"))


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
    """Encoding a sentence once for all its targets gives the same probabilities as one input
    row per target."""
    import torch

    model = StanceModel(SHIPPED)
    s = "Critics slammed Cruz and praised Rubio, while Trump stayed silent."
    items = [(s, s.index(t), s.index(t) + len(t)) for t in ("Cruz", "Rubio", "Trump")]
    items.append(("The meeting with Chen is on Tuesday.", 17, 21))
    fast = model.predict(items)
    with torch.inference_mode():
        rows = torch.softmax(model.network(**encode(model.tokenizer, items, 128)), -1).tolist()
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


def test_joined_share_is_checked_and_recorded(data, tmp_path, capsys):
    out = tmp_path / "joined"
    train_stance(data, out, StanceTrainingArgs(epochs=1, batch_size=4, seed=3, joined=0.5))
    assert json.loads((out / "stance_config.json").read_text())["training"]["joined"] == 0.5
    with pytest.raises(ValueError, match="joined"):
        train_stance(data, tmp_path / "bad", StanceTrainingArgs(epochs=1, joined=2.0))
    for task in ("stance", "sourcing"):
        share = "2" if task == "stance" else "0.5"
        assert main(["train", task, "--data", str(data), "--out", str(tmp_path / "bad"),
                     "--joined", share]) == 2
        assert "joined" in capsys.readouterr().err


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


def test_swap_share_is_checked_and_recorded(data, tmp_path, capsys):
    out = tmp_path / "swap"
    train_stance(data, out, StanceTrainingArgs(epochs=1, batch_size=4, seed=3, swap=0.5))
    assert json.loads((out / "stance_config.json").read_text())["training"]["swap"] == 0.5
    with pytest.raises(ValueError, match="swap"):
        train_stance(data, tmp_path / "bad", StanceTrainingArgs(epochs=1, swap=-0.1))
    assert main(["train", "sourcing", "--data", str(data), "--out", str(tmp_path / "bad"),
                 "--swap", "0.5"]) == 2
    assert "unrecognized arguments: --swap" in capsys.readouterr().err


def test_attend_head_is_recorded_loaded_and_shares_encoding(data, tmp_path):
    """A model trained with the attending head loads with it, and scoring several targets of
    one encoded sentence equals one input row per target."""
    import torch

    out = tmp_path / "attend"
    train_stance(data, out, StanceTrainingArgs(epochs=1, batch_size=4, seed=3, head="attend"))
    assert json.loads((out / "stance_config.json").read_text())["head"] == "attend"
    assert "attention from the target" in (out / "README.md").read_text()
    model = StanceModel(out)
    s = "Critics slammed Cruz and praised Rubio, while Trump stayed silent."
    items = [(s, s.index(t), s.index(t) + len(t)) for t in ("Cruz", "Rubio", "Trump")]
    fast = model.predict(items)
    with torch.inference_mode():
        rows = torch.softmax(model.network(**encode(model.tokenizer, items, 128)), -1).tolist()
    for pred, row in zip(fast, rows, strict=True):
        assert list(pred.probs.values()) == pytest.approx(row, abs=1e-4)
    assert len({round(p.score, 4) for p in fast}) > 1  # the target changes the answer
    with pytest.raises(ValueError, match="head"):
        train_stance(data, tmp_path / "bad", StanceTrainingArgs(epochs=1, head="deep"))


def test_target_head_reads_the_target_tokens_alone(data, tmp_path):
    from safetensors.torch import load_file

    out = tmp_path / "target"
    train_stance(data, out, StanceTrainingArgs(epochs=1, batch_size=4, seed=3, head="target"))
    assert json.loads((out / "stance_config.json").read_text())["head"] == "target"
    assert "the target's token states alone" in (out / "README.md").read_text()
    model = StanceModel(out)
    hidden = model.network.encoder.config.hidden_size
    assert load_file(str(out / "head.safetensors"))["weight"].shape == (3, hidden)
    s = "Critics slammed Cruz and praised Rubio, while Trump stayed silent."
    scores = {round(p.score, 4) for p in model.predict(
        [(s, s.index(t), s.index(t) + len(t)) for t in ("Cruz", "Rubio", "Trump")])}
    assert len(scores) == 3  # no feature is shared by the targets of one sentence


def test_distillation_from_teachers_changes_training_and_is_recorded(data, tmp_path, capsys):
    from safetensors.torch import load_file

    teacher = tmp_path / "teacher"
    train_stance(data, teacher, StanceTrainingArgs(epochs=1, batch_size=4, seed=5))
    plain, taught = tmp_path / "plain", tmp_path / "taught"
    train_stance(data, plain, StanceTrainingArgs(epochs=1, batch_size=4, seed=3))
    train_stance(data, taught, StanceTrainingArgs(epochs=1, batch_size=4, seed=3,
                                                  teachers=[str(teacher)], distill_weight=1.0))
    a, b = (load_file(str(f / "head.safetensors"))["weight"] for f in (plain, taught))
    assert not a.equal(b)  # the teacher's probabilities, not the gold labels, drove the loss
    config = json.loads((taught / "stance_config.json").read_text())
    assert config["training"]["teachers"] == [str(teacher)] and len(config["teachers"]) == 1
    assert "**Distillation**" in (taught / "README.md").read_text()
    assert main(["train", "stance", "--data", str(data), "--out", str(tmp_path / "bad"),
                 "--teacher", str(tmp_path / "none")]) == 2
    assert "no stance model" in capsys.readouterr().err
    assert main(["train", "stance", "--data", str(data), "--out", str(tmp_path / "bad"),
                 "--distill-weight", "1.5"]) == 2
    assert "distill_weight" in capsys.readouterr().err


def test_card_lists_the_runs_compared_beside_the_model(data, tmp_path):
    out = tmp_path / "model"
    out.mkdir()
    runs = [{"command": "attribution train stance --input pair", "dev_rw": 0.8, "dev_mt": 0.7,
             "note": "best epoch 3"}]
    (out / "compared.json").write_text(json.dumps(runs))
    train_stance(data, out, StanceTrainingArgs(epochs=1, batch_size=4, seed=3))
    card = (out / "README.md").read_text()
    assert "## Runs compared on dev" in card
    row = "| `attribution train stance --input pair` | 0.800 | 0.700 | 0.750 | best epoch 3 |"
    assert row in card
    assert json.loads((out / "compared.json").read_text()) == runs  # training leaves it alone


def test_another_base_encoder_trains_and_loads_from_its_folder(data, tmp_path, capsys,
                                                              small_encoder):
    from attribution.encoder import base_model_path

    small = small_encoder
    out = tmp_path / "model"
    train_stance(data, out, StanceTrainingArgs(epochs=1, batch_size=4, seed=3, base=str(small),
                                               target_modules=["query", "value"]))
    saved = json.loads((out / "stance_config.json").read_text())
    assert saved["base_path"] == str(small.resolve())
    assert saved["lora"]["target_modules"] == ["query", "value"]
    model = StanceModel(out)
    assert model.network.encoder.config.hidden_size == 32  # not the packaged 384-wide encoder
    assert len(model.predict([("Mr. Dunn will travel to Ohio.", 0, 8)])[0].probs) == 3
    assert str(base_model_path()) not in saved["base_model"]
    assert "loaded from that folder" in (out / "README.md").read_text()
    for bad, message in ((["--base", str(tmp_path / "none")], "no transformers model"),
                         (["--lora-modules", " , "], "at least one layer"),
                         (["--base", str(small), "--input", "segment"], "segment")):
        assert main(["train", "stance", "--data", str(data), "--out", str(tmp_path / "bad"),
                     *bad]) == 2
        assert message in capsys.readouterr().err
    assert main(["train", "sourcing", "--data", str(data), "--out", str(tmp_path / "bad"),
                 "--transfer", "5"]) == 2
    assert "unrecognized arguments: --transfer" in capsys.readouterr().err


ARTICLE = (
    "Senate Leaders Meet\n"
    "Senator Maria Lopez met Governor Tom Reed in Denver on Monday to discuss the budget.\n"
    "The Sierra Club criticised the plan, and Mexico welcomed it.\n"
    "Short line.\n"
)


@pytest.fixture
def with_polnear(data):
    """The NewsMTSC fixture plus a PolNeAR train split of one unannotated article."""
    for sub in ("text", "attributions"):
        (data / "polnear" / "train" / sub).mkdir(parents=True)
    (data / "polnear" / "train" / "text" / "nyt_2016_a.txt").write_text(ARTICLE, "utf-8")
    return data


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


def test_transfer_run_and_lora_rank_are_recorded(with_polnear, tmp_path, capsys, monkeypatch):
    data = with_polnear
    teacher = tmp_path / "teacher"
    train_stance(data, teacher, StanceTrainingArgs(epochs=1, batch_size=4, seed=5))
    out = tmp_path / "student"
    assert main(["train", "stance", "--data", str(data), "--out", str(out), "--epochs", "1",
                 "--batch-size", "4", "--teacher", str(teacher), "--transfer", "3",
                 "--lora-r", "4"]) == 0
    config = json.loads((out / "stance_config.json").read_text())
    assert config["training"]["transfer"] == 3
    assert (config["lora"]["r"], config["lora"]["lora_alpha"]) == (4, 8)
    predicted = StanceModel(out).predict([("Mr. Dunn will travel to Ohio.", 0, 8)])[0]
    assert predicted.label in ("negative", "neutral", "positive")
    assert "3 unlabelled targets" in (out / "README.md").read_text()
    cached = json.loads((out / "checkpoint" / "teacher_probs.json").read_text())
    assert len(cached["probs"]) == len(SENTENCES) * 2 + 3  # train, then the transfer records

    def parse_again(*_args, **_kwargs):
        raise AssertionError("a resumed run parsed PolNeAR again")

    monkeypatch.setattr(stance_train, "transfer_records", parse_again)
    assert main(["train", "stance", "--data", str(data), "--out", str(out), "--epochs", "2",
                 "--batch-size", "4", "--teacher", str(teacher), "--transfer", "3",
                 "--lora-r", "4"]) == 0  # resumed: the transfer records come from the checkpoint
    assert len(json.loads((out / "stance_config.json").read_text())["history"]) == 2
    monkeypatch.undo()
    assert main(["train", "stance", "--data", str(data), "--out", str(tmp_path / "bad"),
                 "--transfer", "3"]) == 2
    assert "name a teacher" in capsys.readouterr().err
    assert main(["train", "stance", "--data", str(data), "--out", str(tmp_path / "bad"),
                 "--teacher", str(teacher), "--transfer", "-1"]) == 2
    assert "0 or more" in capsys.readouterr().err
    assert main(["train", "stance", "--data", str(data), "--out", str(tmp_path / "bad"),
                 "--lora-r", "0"]) == 2
    assert "--lora-r" in capsys.readouterr().err
    assert main(["train", "sourcing", "--data", str(data), "--out", str(tmp_path / "bad"),
                 "--transfer", "3"]) == 2
    assert "unrecognized arguments: --transfer" in capsys.readouterr().err
