"""Where training computes: the device option is checked, resolved, recorded and honoured, and
a run off the CPU draws its dropout masks as the CPU run of the same seed does."""

from __future__ import annotations

import json

import pytest
import torch
from safetensors.torch import load_file

from attribution.cli import main
from attribution.encoder import load_encoder, models_dir
from attribution.training import sourcing_train, stance_train
from attribution.training.device import HostRandom, host_random, training_device
from attribution.training.sourcing_train import SourcingTrainingArgs, train_sourcing
from attribution.training.stance_train import StanceTrainingArgs, teacher_probs, train_stance

from .test_polnear import two_article_splits

NO_CUDA = pytest.mark.skipif(torch.cuda.is_available(), reason="needs a machine without CUDA")


def _forward(encoder, batch, seed, mode=None):
    torch.manual_seed(seed)
    if mode is None:
        return encoder(**batch).last_hidden_state
    with mode:
        return encoder(**batch).last_hidden_state


def test_host_random_draws_the_masks_the_cpu_run_draws(small_encoder):
    """Every dropout of a training forward pass (embeddings, attention weights inside scaled
    dot-product attention, feed-forward, LoRA) takes its mask from the CPU generator in the
    CPU run's order: the same seed gives the same output with or without it, another seed
    does not."""
    from peft import LoraConfig, get_peft_model

    tokenizer, encoder = load_encoder(small_encoder)
    encoder = get_peft_model(encoder, LoraConfig(r=4, lora_alpha=8, lora_dropout=0.1,
                                                 target_modules=["query", "value"]))
    encoder.train()
    batch = tokenizer(["The mayor said the budget would pass.",
                       "Critics called it a disaster, officials said on Monday."],
                      padding=True, return_tensors="pt")
    plain = _forward(encoder, batch, 3)
    hosted = _forward(encoder, batch, 3, HostRandom())
    other = _forward(encoder, batch, 4, HostRandom())
    assert torch.allclose(plain, hosted, atol=1e-5)
    assert not torch.allclose(plain, other, atol=1e-2)
    hosted.sum().backward()  # and it trains
    encoder.eval()
    with HostRandom():  # no dropout in evaluation: the masks are never drawn
        assert torch.equal(_forward(encoder, batch, 9), _forward(encoder, batch, 10))


def test_host_random_keeps_dropouts_edge_cases():
    x = torch.randn(3, 5)
    with HostRandom():
        assert torch.equal(torch.nn.functional.dropout(x, 0.0), x)
        assert torch.equal(torch.nn.functional.dropout(x, 0.5, training=False), x)
        assert torch.equal(torch.nn.functional.dropout(x, 1.0), torch.zeros_like(x))
        with pytest.raises(ValueError, match="between 0 and 1"):
            torch.nn.functional.dropout(x, 1.5)


def test_training_device_names():
    assert training_device("cpu") == torch.device("cpu")
    assert training_device("auto").type == ("cuda" if torch.cuda.is_available() else "cpu")
    assert not isinstance(host_random(torch.device("cpu")), HostRandom)
    assert isinstance(host_random(torch.device("cuda")), HostRandom)
    with pytest.raises(ValueError, match="unknown device"):
        training_device("tpu9")
    with pytest.raises(ValueError, match="training runs on"):
        training_device("meta")


@NO_CUDA
def test_cuda_without_a_gpu_is_refused_before_any_work(data, tmp_path, capsys):
    with pytest.raises(ValueError, match="no CUDA device"):
        train_stance(data, tmp_path / "m", StanceTrainingArgs(epochs=1, device="cuda"))
    assert not (tmp_path / "m").exists()
    code = main(["train", "stance", "--data", str(data), "--out", str(tmp_path / "m"),
                 "--device", "cuda:1"])
    assert code == 2
    err = capsys.readouterr().err
    assert "no CUDA device" in err and len(err.strip().splitlines()) == 1


def test_stance_run_records_the_device_it_resolved(data, tmp_path):
    out = tmp_path / "m"
    train_stance(data, out, StanceTrainingArgs(epochs=1, batch_size=4, seed=3, device="auto"))
    config = json.loads((out / "stance_config.json").read_text(encoding="utf-8"))
    assert config["training"]["device"] == str(training_device("auto"))
    if config["training"]["device"] == "cpu":
        assert "2 CPU threads" in (out / "README.md").read_text(encoding="utf-8")


class _Counting(HostRandom):
    """HostRandom that counts the dropouts it drew a mask for."""

    drawn = 0

    def __torch_function__(self, func, types, args=(), kwargs=None):
        if func is torch.nn.functional.dropout and (kwargs or {}).get("training", True):
            _Counting.drawn += 1
        return super().__torch_function__(func, types, args, kwargs)


def _always_host(device):
    return _Counting()


def test_stance_run_with_host_drawn_masks_matches_the_plain_run(data, tmp_path, monkeypatch):
    """What a GPU run does differently, done on the CPU: the weights are those of the plain
    run up to rounding, and far from another seed's."""
    train_stance(data, tmp_path / "plain", StanceTrainingArgs(epochs=1, batch_size=4, seed=3))
    train_stance(data, tmp_path / "seed4", StanceTrainingArgs(epochs=1, batch_size=4, seed=4))
    monkeypatch.setattr("attribution.training.device.host_random", _always_host)
    _Counting.drawn = 0
    train_stance(data, tmp_path / "hosted", StanceTrainingArgs(epochs=1, batch_size=4, seed=3))
    assert _Counting.drawn > 0
    weights = {name: load_file(str(tmp_path / name / "adapter.safetensors"))
               for name in ("plain", "hosted", "seed4")}
    gap = max((weights["plain"][k] - weights["hosted"][k]).abs().max().item()
              for k in weights["plain"])
    seed_gap = max((weights["plain"][k] - weights["seed4"][k]).abs().max().item()
                   for k in weights["plain"])
    assert gap < 1e-4 < seed_gap


def test_sourcing_run_with_host_drawn_masks_matches_the_plain_run(tmp_path, monkeypatch,
                                                                   small_encoder):
    data = two_article_splits(tmp_path)
    small = str(small_encoder)
    train_sourcing(data, tmp_path / "plain",
                   SourcingTrainingArgs(epochs=1, batch_size=4, seed=3, base=small))
    monkeypatch.setattr("attribution.training.device.host_random", _always_host)
    _Counting.drawn = 0
    train_sourcing(data, tmp_path / "hosted",
                   SourcingTrainingArgs(epochs=1, batch_size=4, seed=3, base=small,
                                        device="cpu"))
    assert _Counting.drawn > 0
    plain = load_file(str(tmp_path / "plain" / "heads.safetensors"))
    hosted = load_file(str(tmp_path / "hosted" / "heads.safetensors"))
    assert max((plain[k] - hosted[k]).abs().max().item() for k in plain) < 1e-4
    config = json.loads((tmp_path / "hosted" / "sourcing_config.json").read_text())
    assert config["training"]["device"] == "cpu"


@NO_CUDA
def test_teachers_run_on_the_device_named(data, tmp_path):
    teacher = tmp_path / "teacher"
    train_stance(data, teacher, StanceTrainingArgs(epochs=1, batch_size=4, seed=5))
    records = [{"sentence": "Critics called the mayor a liar.", "target_start": 15,
                "target_end": 20}]
    probs, _ = teacher_probs([str(teacher)], records, "cpu")
    assert abs(sum(probs[0]) - 1) < 1e-4
    with pytest.raises(ValueError, match="no CUDA device"):
        teacher_probs([str(teacher)], records, "cuda")
    with pytest.raises(ValueError, match="no CUDA device"):
        sourcing_train.teacher_targets([str(models_dir() / "sourcing")], [], "cuda")


def test_trainers_are_importable_without_touching_a_device():
    assert stance_train.StanceTrainingArgs().device == "auto"
    assert sourcing_train.SourcingTrainingArgs().device == "auto"
