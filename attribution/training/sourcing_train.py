"""Fine-tune the sourcing model on PolNeAR: LoRA over all-MiniLM-L6-v2, a label head and a
source / cue tagger.

Training records are the library's own sentences of the train split with the gold derived as in
docs/gold_labels.md. Seeded and deterministic on the CPU; a checkpoint every few hundred steps
lets an interrupted run resume where it stopped; the epoch with the best dev score (mean of
label macro-F1 and source exact-match F1) is written to the output folder with a model card.
"""

from __future__ import annotations

import json
import random
import sys
import time
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from ..decide import SPEC_GATE, SPEC_RULE_WEIGHT, SPEC_UNNAMED_RULE_WEIGHT
from ..model import on_device
from ..sourcing import (
    LABELS,
    TAGS,
    SourcingItem,
    build_network,
    encode,
    head_state,
    load_heads,
    predict,
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
    sample_editorial,
    seed_everything,
    sentence_record,
)
from .evaluate import compare_sourcing, comparison_table, label_scores, span_scores, weights_label

CHECKPOINT_EVERY = 200  # optimizer steps between mid-epoch checkpoints


@dataclass
class SourcingTrainingArgs(LoraTrainingArgs):
    """Every option of a sourcing training run (recorded in the model card)."""

    epochs: int = 2
    max_length: int = 192
    limit: int | None = None  # train on the first N articles only (for quick checks)
    # Share of the plain editorial sentences (no gold source or cue) kept for training: they
    # are the easiest third of the data, so halving them halves little but time.
    editorial_keep: float = 0.5
    # A trained sourcing model folder to start from (its adapter and heads) instead of the
    # bare base encoder: a run continued on new gold or with a new schedule.
    init_from: str | None = None
    # A hand-labelled evaluation set (attribution.corpora.sets) whose tuning half "fit" is
    # trained on too, each sentence ``set_repeat`` times an epoch; its half "check" and its
    # test part are never trained on.
    with_set: str | None = None
    set_repeat: int = 3
    # Silver sentences (training/silver.py): unlabelled news labelled where the rules are
    # precise, seen once an epoch; plain editorial ones kept as ``editorial_keep`` says.
    silver: str | None = None
    # Hand-checked silver sentences (``"checked": true``) are seen this many times an epoch.
    checked_repeat: int = 1
    # Teachers (LoraTrainingArgs.teachers) give label and per-token tag probabilities.


def gold_records(split: str, data: str | Path | None, limit: int | None = None) -> list[dict]:
    """Per-sentence gold records of a PolNeAR split: the frozen gold where the split has one
    (corpora/frozen.py), else derived on the library's own segmentation."""
    from ..corpora.frozen import frozen_gold, records
    from ..corpora.polnear import read_polnear, sentence_records
    from ..pipeline import Annotator

    annotator = Annotator(stance=False, sourcing=False)
    articles = read_polnear(split, data)[:limit]
    frozen = frozen_gold(articles, split)
    predicted = list(annotator.pipe([{"text": a.text, "id": a.id} for a in articles]))
    if frozen is not None:
        return records(articles, predicted, frozen)
    return list(sentence_records(articles, predicted, annotator.nlp))


def _cached_records(path: Path, split: str, data: str | Path | None,
                    limit: int | None) -> list[dict]:
    """Records read once and kept as JSON lines next to the checkpoint."""
    if path.exists():
        return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
    records = gold_records(split, data, limit)
    path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    return records


def set_records(name: str) -> list[dict]:
    """Training records from the "fit" half of an evaluation set's tuning part: each gold
    sentence with its neighbours, label, and its source and cue spans."""
    from ..corpora.sets import load_set

    out: list[dict] = []
    for article in load_set(name, "fit"):
        texts = [article.text[s["start"]:s["end"]] for s in article.sentences]
        out.extend(sentence_record(f"{name}/{article.id}", texts, i, s["start"], s["end"],
                                   s["label"], s.get("source"), s.get("cue"))
                   for i, s in enumerate(article.sentences))
    return out


def item_of(record: dict) -> SourcingItem:
    return SourcingItem(record["text"], record.get("previous", ""), record.get("next", ""))


def teacher_targets(folders: list[str], records: list[dict],
                    device: str | None = None) -> tuple[list[dict], list[dict]]:
    """Each teacher's soft targets for each record (label probabilities, and the tag
    probabilities of its tokens by character offsets in the sentence), and each teacher's
    command and dev scores for the card. Teachers may tokenise differently from the student:
    their tags are matched to the student's tokens by character (``soft_tags``). The
    teachers run on ``device``."""
    from ..sourcing import SourcingModel

    targets: list[dict] = [{"labels": [], "tags": []} for _ in records]
    about = []
    for folder in folders:
        model = SourcingModel(folder, batch_size=64, device=device)
        preds = model.predict([item_of(r) for r in records], keep_tags=True)
        for target, pred in zip(targets, preds, strict=True):
            target["labels"].append([pred.probs[label] for label in LABELS])
            target["tags"].append([list(t) for t in pred.tag_probs])
        best = max(model.config.get("history") or [{}], key=lambda h: h.get("select", 0.0))
        about.append({"folder": str(Path(folder).resolve()), "base": model.config.get("base_model"),
                      "commands": model.config.get("commands"),
                      "macro_f1": best.get("macro_f1"),
                      "source_exact_f1": best.get("source_exact_f1")})
    return targets, about


def _cached_teacher_targets(folder: Path, args: SourcingTrainingArgs,
                            records: list[dict]) -> tuple[list[dict], list[dict]]:
    """teacher_targets, kept in the checkpoint folder so a resumed run skips the teachers'
    pass (long for a large teacher); computed anew when the teachers or the records differ."""
    key = {"teachers": [str(Path(t).resolve()) for t in args.teachers],
           "records": [[r["doc_id"], r["start"]] for r in records]}
    saved = cached_json(folder / "teacher_targets.json", key, lambda: dict(zip(
        ("targets", "about"), teacher_targets(args.teachers, records, args.device),
        strict=True)))
    return saved["targets"], saved["about"]


def distilled_loss(label_logits: Any, tag_logits: Any, batch: list[dict],
                   tokens: list[list[tuple[int, int, int]]]) -> Any:
    """Cross-entropy of the student's labels and tags on the teachers' mean probabilities
    (soft targets), over the sentences that have them; tokens no teacher reached are passed
    over."""
    import torch

    taught = [row for row, r in enumerate(batch) if "teacher" in r]
    soft_labels = torch.stack([torch.tensor(batch[row]["teacher"]["labels"]).mean(0)
                               for row in taught]).to(label_logits.device)
    loss = -(soft_labels * label_logits[taught].log_softmax(-1)).sum(-1).mean()
    rows, cols, targets = [], [], []
    for row in taught:
        record = batch[row]
        carried = [soft_tags(t, tokens[row]) for t in record["teacher"]["tags"]]
        for j, (col, _, _) in enumerate(tokens[row]):
            found = [c[j] for c in carried if c[j] is not None]
            if found:
                rows.append(row)
                cols.append(col)
                targets.append(torch.tensor(found).mean(0))
    if targets:
        log_probs = tag_logits[rows, cols].log_softmax(-1)
        loss = loss - (torch.stack(targets).to(log_probs.device) * log_probs).sum(-1).mean()
    return loss


def soft_tags(teacher: list[list], tokens: list[tuple[int, int, int]]) -> list[list[float] | None]:
    """A teacher's tag probabilities carried to the student's tokens: each student token takes
    those of the teacher token that holds its first character, with the teacher's B- mass
    moved to I- for a student token that continues a teacher token it shares with the token
    before it; None where no teacher token holds it (cut off by the teacher's length)."""
    out: list[list[float] | None] = []
    previous = None
    k = 0
    for _, a, _b in tokens:
        while k < len(teacher) and teacher[k][1] <= a:
            k += 1
        holder = k if k < len(teacher) and teacher[k][0] <= a else None
        if holder is None:
            out.append(None)
        else:
            probs = list(teacher[holder][2])
            if holder == previous:  # a later piece of the same teacher token: inside a span
                for begin, inside in ((1, 2), (3, 4)):
                    probs[inside] += probs[begin]
                    probs[begin] = 0.0
            out.append(probs)
        previous = holder
    return out


def tag_targets(records: list[dict], tokens: list[list[tuple[int, int, int]]], width: int) -> Any:
    """BIO tag ids for each sentence token (-100 elsewhere) from the gold spans of each record."""
    import torch

    target = torch.full((len(records), width), -100, dtype=torch.long)
    for row, record in enumerate(records):
        base = record["start"]
        spans = [(s - base, e - base, "CUE") for s, e in record["cues"]]
        spans += [(s - base, e - base, "SRC") for s, e in record["sources"]]
        begun: set[int] = set()
        for col, a, b in tokens[row]:
            target[row, col] = 0
            for k, (s, e, kind) in enumerate(spans):
                if a < e and b > s:
                    prefix = "I" if k in begun else "B"
                    begun.add(k)
                    target[row, col] = TAGS.index(f"{prefix}-{kind}")
    return target


def dev_scores(network: Any, tokenizer: Any, records: list[dict], max_length: int,
               device: str | None = None) -> dict:
    """Label scores and article-level source / cue exact-match F1 of the model alone (on
    ``device``)."""
    import torch

    network.eval()
    with torch.inference_mode():
        preds = predict(network, tokenizer, [item_of(r) for r in records], max_length, 64,
                        device=device)
    network.train()
    result = label_scores([r["label"] for r in records], [p.label for p in preds], LABELS)
    docs: dict[str, dict[str, set]] = {}
    for record, pred in zip(records, preds, strict=True):
        doc = docs.setdefault(record["doc_id"], {k: set() for k in ("gs", "ps", "gc", "pc")})
        base = record["start"]
        doc["gs"].update(tuple(x) for x in record["sources"])
        doc["gc"].update(tuple(x) for x in record["cues"])
        doc["ps"].update((base + s, base + e) for s, e in pred.sources)
        doc["pc"].update((base + s, base + e) for s, e in pred.cues)
    names = sorted(docs)
    empty = [""] * len(names)
    for kind, (g, p) in {"source": ("gs", "ps"), "cue": ("gc", "pc")}.items():
        scores = span_scores(empty, [docs[n][g] for n in names], [docs[n][p] for n in names])
        result[f"{kind}_exact_f1"] = scores["exact_f1"]
        result[f"{kind}_exact_precision"] = scores["exact_precision"]
        result[f"{kind}_exact_recall"] = scores["exact_recall"]
    return result


def train_sourcing(data: str | Path | None, out: str | Path, args: SourcingTrainingArgs,
                   *, resume: bool = True, command: str | None = None) -> dict[str, Any]:
    """Train, keep the best epoch in ``out``, and return its dev scores."""
    import torch
    from tqdm import tqdm

    from .device import host_random

    args.check()
    for name in ("set_repeat", "checked_repeat"):
        if getattr(args, name) < 1:
            raise ValueError(f"{name} must be at least 1, not {getattr(args, name)}")
    extra = set_records(args.with_set) * args.set_repeat if args.with_set else []
    if args.silver:
        from .silver import read_silver

        silver = read_silver(args.silver)
        extra += sample_editorial([r for r in silver if not r.get("checked")],
                                  args.editorial_keep, random.Random(args.seed + 1))
        extra += [r for r in silver if r.get("checked")] * args.checked_repeat
    out = Path(out)
    checkpoint = Checkpoint(out / "checkpoint")
    if not resume:
        for name in ("state.json", "records_train.jsonl", "records_dev.jsonl"):
            (checkpoint.folder / name).unlink(missing_ok=True)
    device = args.resolve_device()
    torch.set_num_threads(args.threads)
    seed_everything(args.seed)
    train = _cached_records(checkpoint.folder / "records_train.jsonl", "train", data, args.limit)
    dev = _cached_records(checkpoint.folder / "records_dev.jsonl", "dev", data, None)
    train = sample_editorial(train, args.editorial_keep, random.Random(args.seed))
    if not train:
        raise ValueError("no training sentences: the PolNeAR train split is empty")

    teachers: list[dict] = []
    if args.teachers:  # PolNeAR's sentences only: a set's sentences are learnt from their gold
        targets, teachers = _cached_teacher_targets(checkpoint.folder, args, train)
        train = [{**r, "teacher": t} for r, t in zip(train, targets, strict=True)]
    train += extra
    tokenizer, encoder, network, lora, optimizer, scheduler = lora_setup(
        args, build_network, len(train), args.base, device)
    params = [p for p in network.parameters() if p.requires_grad]

    history: list[dict[str, Any]] = []
    start_epoch, start_step, running = 0, 0, 0.0
    commands: list[str] = []
    earlier: list[dict[str, Any]] = []
    if resume and checkpoint.exists():
        state = checkpoint.load(encoder, lambda h: load_heads(network, h), optimizer, scheduler)
        start_epoch, start_step = state["epoch"], state.get("step", 0)
        history, running = state["history"], state.get("running", 0.0)
        commands, earlier = state.get("commands", []), state.get("earlier_runs", [])
        print(f"resuming at epoch {start_epoch + 1}, step {start_step}", file=sys.stderr)
    elif args.init_from:
        earlier = _start_from(Path(args.init_from), encoder, network, args, lora)
        # The starting model is epoch 0: an epoch is kept only if it does better.
        scores = dev_scores(network, tokenizer, dev, args.max_length, args.device)
        history.append(_epoch_row(0, None, 0.0, scores))
        _save_best(out, encoder, network, scores)
        print(json.dumps(history[-1]), file=sys.stderr)
    if command and command not in commands:
        commands.append(command)

    label_id = {label: i for i, label in enumerate(LABELS)}
    label_loss = torch.nn.CrossEntropyLoss()
    tag_loss = torch.nn.CrossEntropyLoss(ignore_index=-100)
    network.train()

    def save(epoch: int, step: int) -> None:
        checkpoint.save(adapter_state(encoder), head_state(network), optimizer, scheduler,
                        {"epoch": epoch, "step": step, "history": history, "running": running,
                         "commands": commands, "earlier_runs": earlier})

    for epoch in range(start_epoch, args.epochs):
        began = time.perf_counter()
        rng = random.Random(args.seed * 1000 + epoch)
        batches = length_batches(train, args.batch_size, rng,
                                 lambda r: len(r["text"]) + len(r["previous"]) + len(r["next"]))
        bar = tqdm(batches, desc=f"epoch {epoch + 1}", unit="batch", file=sys.stderr,
                   initial=start_step, total=len(batches))
        for step in range(start_step, len(batches)):
            batch = batches[step]
            inputs, tokens = encode(tokenizer, [item_of(r) for r in batch], args.max_length)
            labels = torch.tensor([label_id[r["label"]] for r in batch], device=device)
            tags = tag_targets(batch, tokens, inputs["input_ids"].shape[1]).to(device)
            with host_random(device):
                label_logits, tag_logits = network(**on_device(inputs, device))
            loss = label_loss(label_logits, labels) + tag_loss(
                tag_logits.reshape(-1, len(TAGS)), tags.reshape(-1))
            taught = sum("teacher" in r for r in batch) / len(batch)
            if taught:
                share = args.distill_weight * taught
                loss = (1 - share) * loss + share * distilled_loss(
                    label_logits, tag_logits, batch, tokens)
            loss.backward()
            torch.nn.utils.clip_grad_norm_(params, 1.0)
            optimizer.step()
            scheduler.step()
            optimizer.zero_grad()
            running += loss.item()
            bar.update(1)
            bar.set_postfix(loss=f"{running / (step + 1):.3f}", refresh=False)
            if (step + 1) % CHECKPOINT_EVERY == 0 and step + 1 < len(batches):
                save(epoch, step + 1)
        bar.close()
        scores = dev_scores(network, tokenizer, dev, args.max_length, args.device)
        history.append(_epoch_row(epoch + 1, running / max(1, len(batches)),
                                  time.perf_counter() - began, scores))
        print(json.dumps(history[-1]), file=sys.stderr)
        if history[-1]["select"] >= max(h["select"] for h in history):
            _save_best(out, encoder, network, scores)
        start_step, running = 0, 0.0
        save(epoch + 1, 0)
        _write_config(out, args, lora, history, commands, earlier, teachers=teachers)
    if not any(h["epoch"] for h in history):
        raise ValueError("nothing to train: --epochs is below the epochs already done")
    _write_config(out, args, lora, history, commands, earlier, teachers=teachers)
    comparison = compare_sourcing("dev", data, out)
    _write_config(out, args, lora, history, commands, earlier, comparison, teachers)
    return {"best": max(history, key=lambda h: h["select"]), "history": history,
            "comparison": comparison}


def _epoch_row(epoch: int, loss: float | None, seconds: float, scores: dict) -> dict[str, Any]:
    """One line of the training history; ``select`` is what picks the epoch that ships."""
    return {"epoch": epoch, "train_loss": loss, "seconds": seconds,
            "select": (scores["macro_f1"] + scores["source_exact_f1"]) / 2,
            "macro_f1": scores["macro_f1"], "accuracy": scores["accuracy"],
            "source_exact_f1": scores["source_exact_f1"], "cue_exact_f1": scores["cue_exact_f1"]}


def _save_best(out: Path, encoder: Any, network: Any, scores: dict) -> None:
    """Write the network as it stands as the model of ``out``, with its dev scores."""
    from safetensors.torch import save_file

    save_file(adapter_state(encoder), str(out / "adapter.safetensors"))
    save_file(head_state(network), str(out / "heads.safetensors"))
    (out / "dev_scores.json").write_text(json.dumps(scores, indent=2), encoding="utf-8")


def _start_from(folder: Path, encoder: Any, network: Any, args: SourcingTrainingArgs,
                lora: dict) -> list[dict[str, Any]]:
    """Load a trained model's adapter and heads as the starting point; returns the runs
    that made it (theirs first), for the model card."""
    from peft import set_peft_model_state_dict
    from safetensors.torch import load_file

    path = folder / "sourcing_config.json"
    if not path.exists():
        raise FileNotFoundError(f"--init-from: no trained sourcing model in {folder}")
    config = json.loads(path.read_text(encoding="utf-8"))
    if config.get("lora") != lora or config.get("max_length") != args.max_length:
        raise ValueError(f"--init-from: the model in {folder} has other LoRA settings or "
                         "input length than this run")
    set_peft_model_state_dict(encoder, load_file(str(folder / "adapter.safetensors")))
    load_heads(network, load_file(str(folder / "heads.safetensors")))
    run = {k: config[k] for k in ("commands", "training", "best_epoch", "history") if k in config}
    return [*config.get("earlier_runs", []), run]


def _write_config(out: Path, args: SourcingTrainingArgs, lora: dict, history: list[dict],
                  commands: list[str], earlier: list[dict[str, Any]],
                  comparison: dict[str, Any] | None = None,
                  teachers: list[dict[str, Any]] | None = None) -> None:
    """The config of the best epoch so far, so any finished epoch is usable; with the
    comparison on dev, also the chosen rules weight and the model card."""
    best = max(history, key=lambda h: h["select"])
    path = out / "sourcing_config.json"
    earlier_config = json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}
    config = {
        **base_fields(args.base),
        "labels": list(LABELS), "tags": list(TAGS), "max_length": args.max_length,
        **_weights(comparison), "fallback": True,
        "lora": lora, "training": asdict(args), "best_epoch": best["epoch"],
        "history": history, "commands": commands,
    }
    if earlier:  # the runs this one started from, oldest first
        config["earlier_runs"] = earlier
    if teachers:  # the models distilled from
        config["teachers"] = teachers
    if earlier_config.get("notes"):  # remarks kept for the card, e.g. changes since the run
        config["notes"] = earlier_config["notes"]
    path.write_text(json.dumps(config, indent=2), encoding="utf-8")
    if comparison is not None:
        summary = {k: v for k, v in comparison.items() if k != "combined"}
        summary["combined"] = {str(k): v for k, v in comparison["combined"].items()}
        (out / "dev_scores.json").write_text(json.dumps(summary, indent=2), encoding="utf-8")
        write_card(out, config, comparison)


def _weights(comparison: dict[str, Any] | None) -> dict[str, float]:
    """The rules weights chosen on dev, as the model's config stores them (none: 0)."""
    if comparison is None:
        return {"rule_weight": 0.0}
    weight, empty = comparison["chosen_weights"]
    return {"rule_weight": weight, "empty_rule_weight": empty,
            "unnamed_rule_weight": SPEC_UNNAMED_RULE_WEIGHT, "gate": SPEC_GATE}


def _with_set(args: dict[str, Any]) -> str:
    """The card's words on the hand-labelled set trained on too, if any."""
    if not args.get("with_set"):
        return ""
    return (f"\n  Also the `fit` half of the tuning part of the hand-labelled set "
            f"`{args['with_set']}`\n  (docs/evaluation.md), each sentence "
            f"{args.get('set_repeat', 1)} times an epoch; its `check` half and its test part "
            "were not\n  trained on.")


def _silver(args: dict[str, Any]) -> str:
    """The card's words on the silver sentences trained on too, if any."""
    if not args.get("silver"):
        return ""
    checked = (f" with the hand-checked sentences of\n  attribution/training/checked, each "
               f"{args['checked_repeat']} times an epoch" if args.get("checked_repeat", 1) > 1
               else "")
    return (f"\n  Also silver sentences from `{Path(args['silver']).name}`: unlabelled news "
            "labelled by the rules\n  where they are precise and the model agreed "
            f"(docs/training.md, \"Silver sentences\"){checked}.")


def _notes(config: dict[str, Any]) -> str:
    """The config's notes on the run as a card section, or nothing."""
    notes = config.get("notes") or []
    return "## Notes\n\n" + "\n".join(f"- {n}" for n in notes) + "\n\n" if notes else ""


def _history_table(history: list[dict[str, Any]]) -> str:
    """The per-epoch dev scores as a Markdown table (epoch 0: the model the run started from)."""
    rows = [
        f"| {h['epoch'] or '0 (start)'} | "
        f"{'–' if h['train_loss'] is None else format(h['train_loss'], '.3f')} | "
        f"{h['macro_f1']:.3f} | {h['source_exact_f1']:.3f} | {h['cue_exact_f1']:.3f} | "
        f"{h['seconds'] / 60:.1f} |"
        for h in history
    ]
    return ("| epoch | train loss | label macro-F1 | source exact F1 | cue exact F1 | minutes |\n"
            "|---|---|---|---|---|---|\n" + "\n".join(rows))


def _earlier_runs(config: dict[str, Any]) -> str:
    """The runs the shipped one continued from, as a card section, or nothing."""
    parts = []
    for k, run in enumerate(config.get("earlier_runs", []), 1):
        args = run.get("training", {})
        commands = "; ".join(f"`{c}`" for c in run.get("commands", []))
        parts.append(
            f"Run {k}: {commands}; {args.get('epochs')} "
            f"epoch{'' if args.get('epochs') == 1 else 's'} at lr "
            f"{args.get('learning_rate')}, seed {args.get('seed')}, best epoch "
            f"{run.get('best_epoch')}"
            + (f", starting from run {k - 1}" if args.get("init_from") else "")
            + ".\n\n" + _history_table(run.get("history", [])))
    if not parts:
        return ""
    return ("## Earlier runs\n\nThe shipped run started from the best epoch of the run "
            "before it (`--init-from`); its dev scores then were measured on the gold of "
            "that time.\n\n" + "\n\n".join(parts) + "\n\n")


def _distillation(config: dict[str, Any]) -> str:
    """How the loss took in the teachers, for the card's training line (nothing without)."""
    teachers = config.get("teachers") or []
    if not teachers:
        return ""
    weight = config["training"]["distill_weight"]
    named = "; ".join(
        f"{t['base']} from `{'; '.join(t.get('commands') or [])}` (dev alone: label macro-F1 "
        f"{t['macro_f1'] or 0:.3f}, source exact F1 {t['source_exact_f1'] or 0:.3f})"
        for t in teachers)
    return (f", mixed {1 - weight:.2f} : {weight:.2f} with the same two cross-entropies on "
            f"the teachers' mean probabilities (distilled from {named})")


def write_card(out: Path, config: dict[str, Any], comparison: dict[str, Any]) -> None:
    """The model card (README.md) with the real numbers of the run."""
    args = config["training"]
    history = _history_table(config["history"])
    size = sum(p.stat().st_size for p in out.glob("*.safetensors")) / 1e6
    shipped = comparison["combined"][comparison["chosen"]]
    best = weights_label(comparison.get("best", comparison["chosen"]))
    chosen = weights_label(comparison["chosen"])
    epochs = f"{args['epochs']} epoch" + ("" if args["epochs"] == 1 else "s")
    commands_head = ("**Commands** (a later one resumed the run from its checkpoint with more "
                     "epochs; the\n  learning-rate schedule is then set for the new total)"
                     if len(config["commands"]) > 1 else "**Command**")
    card = f"""# Sourcing model: sentence labels, sources and cues

Labels each sentence `anonymous`, `direct_quote`, `reported_speech` or `editorial`
(docs/ANNOTATION.md) and tags its source and cue spans; the annotator merges this with the rules'
quotations, pronoun antecedents and quotation speakers (`attribution/decide.py`).

- **Base encoder**: {config["base_model"]}, loaded from {"that folder" if config.get("base_path")
  else "the installed package"}; not stored here.
- **Adapter**: LoRA r={args["lora_r"]}, alpha={args["lora_alpha"]}, dropout={args["lora_dropout"]}
  on {", ".join(args["target_modules"])} ({size:.1f} MB of safetensors with the heads).
- **Input**: the sentence, then as a second segment the last 100 characters of the sentence
  before it and the first 60 of the sentence after it; at most {args["max_length"]} tokens.
- **Heads**: labels from [CLS; mean of the sentence's tokens]; BIO tags (source, cue) on each
  token of the sentence, so one sentence can hold several sources.
- **Data**: PolNeAR v1.0.0 train split (Newell, Margolin & Ruths, LREC 2018; 840 articles
  from 7 US outlets; no licence stated, used for research only, not redistributed), on the
  library's own sentences with gold labels derived as in docs/gold_labels.md. Plain editorial
  sentences (no gold source or cue) are kept with probability {args["editorial_keep"]}.{
  _with_set(args)}{_silver(args)}
  Model selection and the rules weight on the dev split (84 articles); the test split was not
  used.
- **Training**: {epochs}, batch {args["batch_size"]}, AdamW lr
  {args["learning_rate"]} with {args["warmup_share"]:.0%} warm-up and linear decay, weight
  decay {args["weight_decay"]}, loss = label cross-entropy + tag
  cross-entropy{_distillation(config)}, seed {args["seed"]}, {hardware(args)}.
  Best epoch: {config["best_epoch"]}.
- {commands_head}:
  {"; ".join(f"`{c}`" for c in config["commands"]) or "`attribution train sourcing`"}{
  f" (started from {args['init_from']}; see Earlier runs)" if args.get("init_from") else ""}

## Rules, model and both on PolNeAR dev

`attribution evaluate sourcing --split dev` with the rules alone (`--rules-only`), the model
alone (no rules weight, no fallback to the rules' sources; its sources are still fitted to
the parse and their named-ness read by the source rules) and the combination at each rules
weight tried; exact-match span F1 counts a span only when both boundaries equal a gold span's.

{comparison_table(comparison)}

The rules' label is blended into the model's probabilities with the rules weight; where the
rules found nothing in a sentence (no attribution, quotation speaker or passive cue) while
the model tagged a source in it, the rules' editorial label is a default rather than a
finding, and a second, lower weight may apply (shown in brackets). Where the rules found an
unnamed source that the model did not tag, their anonymous label weighs at least
{SPEC_UNNAMED_RULE_WEIGHT} in every row. The best on dev is
rules weight {best}; the shipped rules weight is at least {SPEC_RULE_WEIGHT}, the smallest
of those tried at which the worked examples of docs/ANNOTATION.md hold (where the spec and
PolNeAR's conventions part, the spec wins; likewise {SPEC_UNNAMED_RULE_WEIGHT}). The subject
of an agentless passive cue ("Maduro is accused of ...") is never taken as a source, as the
spec makes such a sentence editorial.
Shipped: the combination with rules weight {chosen} (label macro-F1
{shipped["macro_f1"]:.3f}, source exact F1 {shipped["source_exact_f1"]:.3f}, cue exact F1
{shipped["cue_exact_f1"]:.3f}). Published on the PolNeAR *test* split for comparison
(exact-match F1, CofeNet, COLING 2022): source 83.2, cue 75.3.

## Training history (model alone on dev)

{history}

{_earlier_runs(config)}{_notes(config)}## Speed

Measured with `python benchmarks/annotate_speed.py` on 2 CPU cores (README, "Speed and
memory"): the sourcing model adds about 9 ms per sentence; `annotate` with it and the stance
model runs at 62 to 81 sentences/s on the PolNeAR dev texts (80 to 96 with stance off, 264 to
290 with the rules alone; the upper ends on a second machine of the same kind).

## Limitations

Trained on US political news from 2016; other domains, registers and languages will score
worse. Gold labels are derived from PolNeAR's spans (docs/gold_labels.md), so the model learns
that corpus's idea of attribution, beliefs and perceptions included. `confidence` is the
model's probability of the chosen label, not calibrated. One small encoder (6 layers) for
speed on CPU.
"""
    meta = card_metadata(
        config, name="attribution-sourcing", task="token-classification",
        datasets=["PolNeAR"], license="other", license_name="polnear-research-use",
        results=[("PolNeAR", comparison.get("split", "dev"), metric, shipped[metric])
                 for metric in ("macro_f1", "accuracy", "source_exact_f1", "cue_exact_f1")])
    (out / "README.md").write_text(meta + card, encoding="utf-8")
