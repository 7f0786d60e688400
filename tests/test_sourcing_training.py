"""Training, resuming, continuing and distilling the sourcing model on a tiny PolNeAR fixture,
over a tiny encoder made in the tests, and the evaluation command."""

from __future__ import annotations

import json
import shutil

import pytest

from attribution.cli import main
from attribution.sourcing import SourcingItem, SourcingModel
from attribution.training.sourcing_train import SourcingTrainingArgs, train_sourcing

from .test_polnear import two_article_splits


@pytest.fixture
def data(tmp_path):
    return two_article_splits(tmp_path)

def test_train_resume_and_evaluate_on_a_fixture(data, tmp_path, capsys, small_encoder):
    out = tmp_path / "model"
    small = str(small_encoder)
    code = main(["train", "sourcing", "--data", str(data), "--out", str(out), "--epochs", "1",
                 "--batch-size", "4", "--seed", "3", "--base", small])
    assert code == 0
    assert "best epoch 1" in capsys.readouterr().out
    config = json.loads((out / "sourcing_config.json").read_text())
    assert config["best_epoch"] == 1 and config["training"]["seed"] == 3
    for name in ("adapter.safetensors", "heads.safetensors", "README.md"):
        assert (out / name).stat().st_size < 10_000_000
    first = (out / "adapter.safetensors").read_bytes()
    # A second epoch resumes from the checkpoint instead of starting over.
    result = train_sourcing(data, out, SourcingTrainingArgs(epochs=2, batch_size=4, seed=3,
                                                            base=small))
    assert [h["epoch"] for h in result["history"]] == [1, 2]
    assert "resuming at epoch 2" in capsys.readouterr().err
    # The same seed gives the same weights.
    again = tmp_path / "again"
    train_sourcing(data, again, SourcingTrainingArgs(epochs=1, batch_size=4, seed=3, base=small))
    assert (again / "adapter.safetensors").read_bytes() == first
    # The trained folder serves annotation and evaluation.
    assert main(["evaluate", "sourcing", "--data", str(data), "--model", str(out),
                 "--json"]) == 0
    scores = json.loads(capsys.readouterr().out.strip().splitlines()[-1])
    assert scores["model"] == "sourcing model + rules"
    assert 0 <= scores["macro_f1"] <= 1 and 0 <= scores["source_exact_f1"] <= 1

def test_train_continues_from_a_trained_model(data, tmp_path, capsys, small_encoder):
    first = tmp_path / "first"
    small = str(small_encoder)
    train_sourcing(data, first, SourcingTrainingArgs(epochs=1, batch_size=4, seed=3, base=small))
    second = tmp_path / "second"
    code = main(["train", "sourcing", "--data", str(data), "--out", str(second), "--epochs", "1",
                 "--batch-size", "4", "--lr", "1e-4", "--init-from", str(first), "--base", small,
                 "--editorial-keep", "1"])
    assert code == 0
    config = json.loads((second / "sourcing_config.json").read_text())
    assert config["training"]["editorial_keep"] == 1.0
    # The starting model is scored as epoch 0 and ships unless an epoch beats it.
    assert [h["epoch"] for h in config["history"]] == [0, 1]
    assert config["history"][0]["train_loss"] is None
    start = config["history"][0]
    earlier = json.loads((first / "sourcing_config.json").read_text())
    assert start["macro_f1"] == earlier["history"][0]["macro_f1"]
    assert config["earlier_runs"][0]["history"] == earlier["history"]
    assert config["commands"] == [c for c in config["commands"] if "--init-from" in c]
    card = (second / "README.md").read_text()
    assert "## Earlier runs" in card and "0 (start)" in card
    # A model with other LoRA settings cannot be continued.
    other = json.loads((first / "sourcing_config.json").read_text())
    other["lora"]["r"] = 4
    (first / "sourcing_config.json").write_text(json.dumps(other))
    assert main(["train", "sourcing", "--data", str(data), "--out", str(tmp_path / "third"),
                 "--init-from", str(first)]) == 2
    assert "other LoRA settings" in capsys.readouterr().err
    assert main(["train", "sourcing", "--data", str(data), "--out", str(tmp_path / "fourth"),
                 "--init-from", str(tmp_path / "none")]) == 2
    assert "no trained sourcing model" in capsys.readouterr().err

def test_a_larger_teacher_trains_on_its_own_base_and_a_student_learns_from_it(
        data, tmp_path, capsys, small_encoder):
    teacher = tmp_path / "teacher"
    assert main(["train", "sourcing", "--data", str(data), "--out", str(teacher), "--epochs",
                 "1", "--batch-size", "4", "--base", str(small_encoder)]) == 0
    config = json.loads((teacher / "sourcing_config.json").read_text())
    assert config["base_path"] == str(small_encoder.resolve())
    assert "loaded from that folder" in (teacher / "README.md").read_text()
    model = SourcingModel(teacher)
    assert model.network.encoder.config.hidden_size == 32  # its own base, not the packaged one
    pred = model.predict([SourcingItem("The mayor said it would rain.")], keep_tags=True)[0]
    assert [t[:2] for t in pred.tag_probs] == [(0, 3), (4, 9), (10, 14), (15, 17), (18, 23),
                                               (24, 28), (28, 29)]
    assert all(sum(t[2]) == pytest.approx(1, abs=1e-3) for t in pred.tag_probs)
    student = tmp_path / "student"
    assert main(["train", "sourcing", "--data", str(data), "--out", str(student), "--epochs",
                 "1", "--batch-size", "4", "--teacher", str(teacher), "--distill-weight",
                 "0.7"]) == 0
    config = json.loads((student / "sourcing_config.json").read_text())
    assert config["training"]["distill_weight"] == 0.7
    assert [t["folder"] for t in config["teachers"]] == [str(teacher.resolve())]
    assert "base_path" not in config
    assert "distilled from the encoder in" in (student / "README.md").read_text()
    cache = student / "checkpoint" / "teacher_targets.json"
    records = json.loads(cache.read_text())["targets"]
    assert records and all(len(r["labels"]) == 1 for r in records)
    # Distilling changes what the student learns: not the weights of the same run without.
    plain = tmp_path / "plain"
    train_sourcing(data, plain, SourcingTrainingArgs(epochs=1, batch_size=4))
    assert (plain / "heads.safetensors").read_bytes() != (
        student / "heads.safetensors").read_bytes()

def test_train_sourcing_bad_input(data, tmp_path, capsys):
    shutil.rmtree(data / "polnear" / "train")
    assert main(["train", "sourcing", "--data", str(data), "--out", str(tmp_path / "m")]) == 2
    assert "train texts not found" in capsys.readouterr().err
    assert main(["train", "sourcing", "--data", str(data), "--out", str(tmp_path / "m"),
                 "--epochs", "0"]) == 2
    assert main(["train", "sourcing", "--data", str(data), "--out", str(tmp_path / "m"),
                 "--editorial-keep", "0"]) == 2
    assert "--editorial-keep must be above 0" in capsys.readouterr().err
    assert main(["train", "stance", "--data", str(data), "--out", str(tmp_path / "m"),
                 "--editorial-keep", "1"]) == 2
    assert "unrecognized arguments: --editorial-keep" in capsys.readouterr().err
    for task in ("sourcing", "stance"):  # one check serves both, before any data is read
        assert main(["train", task, "--data", str(data), "--out", str(tmp_path / "m"),
                     "--distill-weight", "1.5"]) == 2
        assert "distill_weight must be between 0 and 1, not 1.5" in capsys.readouterr().err

def test_rules_only_evaluation_names_itself(data, capsys):
    assert main(["evaluate", "sourcing", "--data", str(data), "--rules-only", "--json"]) == 0
    assert json.loads(capsys.readouterr().out.strip().splitlines()[-1])["model"] == "rules"
