"""Stance training on a tiny fixture: resuming, seeds, options recorded in the config and
the card, distillation, another base encoder, evaluation."""

from __future__ import annotations

import json

import pytest

from attribution.cli import main
from attribution.corpora.newsmtsc import read_newsmtsc
from attribution.encoder import models_dir
from attribution.stance import StanceModel, encode
from attribution.training import stance_train
from attribution.training.stance_train import (
    StanceTrainingArgs,
    held_out,
    train_stance,
)

from .stance_data import SENTENCES

SHIPPED = models_dir() / "stance"

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
    kept, _ = held_out(read_newsmtsc("train", data), 0.1)  # train less the held-out slice
    assert len(cached["probs"]) == len(kept) + 3  # train, then the transfer records

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
