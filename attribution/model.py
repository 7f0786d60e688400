"""What the fine-tuned models share: a folder of safetensors files and a JSON config over the
base encoder, loaded with ``from_pretrained``, written back with ``save_pretrained``, run on
the CPU by default or on a CUDA device when asked."""

from __future__ import annotations

import json
import shutil
import warnings
from collections.abc import Sequence
from pathlib import Path
from typing import Any, ClassVar, TypeVar

from .encoder import load_base, merge_lora

M = TypeVar("M", bound="EncoderModel")
PRECISIONS = ("fp32", "int8")


def resolve_device(device: str | None) -> Any:
    """A torch device: the CPU unless another is named; ValueError for a CUDA device where
    none is present, or a name torch does not know."""
    import torch

    try:
        chosen = torch.device(device or "cpu")
    except RuntimeError as exc:
        raise ValueError(f"unknown device {device!r}: {exc}") from None
    if chosen.type == "cuda" and not torch.cuda.is_available():
        raise ValueError(f"device {device!r} asked for, but no CUDA device is present")
    return chosen


def on_device(batch: Any, device: Any) -> Any:
    """The tensors of a tokenizer batch on ``device`` (left where they are for None)."""
    if device is None:
        return batch
    return {k: v.to(device) if hasattr(v, "to") else v for k, v in batch.items()}


class EncoderModel:
    """A LoRA adapter and task heads over a base encoder, read from a folder that holds
    ``<kind>_config.json``, ``adapter.safetensors`` and the heads' safetensors files."""

    kind: ClassVar[str] = ""
    head_file: ClassVar[str] = ""
    default_max_length: ClassVar[int] = 128

    def __init__(self, folder: str | Path, *, batch_size: int = 32,
                 device: str | None = None, precision: str = "fp32",
                 base: str | Path | None = None) -> None:
        import torch
        from safetensors.torch import load_file

        folder = Path(folder)
        config_path = folder / f"{self.kind}_config.json"
        if not config_path.exists():
            raise FileNotFoundError(
                f"no {self.kind} model in {folder} ({config_path.name} missing)")
        if batch_size < 1:
            raise ValueError(f"batch_size must be at least 1, not {batch_size}")
        self.folder = folder
        self.config: dict[str, Any] = json.loads(config_path.read_text(encoding="utf-8"))
        self.tokenizer, encoder = load_base(self._base_folder(base))
        self._adapter = load_file(str(folder / "adapter.safetensors"))
        self._heads = load_file(str(folder / self.head_file))
        merge_lora(encoder, self._adapter, self.config["lora"])
        self.network = self.build(encoder)
        self.load_heads(self._heads)
        self.device = resolve_device(device)
        if precision not in PRECISIONS:
            raise ValueError(f"precision must be one of {', '.join(PRECISIONS)}, not "
                             f"{precision!r}")
        if precision == "int8" and self.device.type != "cpu":
            raise ValueError("int8 runs on the CPU only; use precision='fp32' on a GPU")
        self.precision = precision
        self.network.to(self.device)
        self.network.eval()
        if precision == "int8":
            # Dynamic quantisation of the encoder's linear layers (weights int8 with one scale
            # per output channel, activations quantised on the fly); the heads stay fp32.
            # One scale per channel changes fewer outputs than one per matrix at the same
            # speed (docs/speed.md). (torch marks this API deprecated; it is present in the
            # versions pyproject allows.)
            from torch.ao.quantization import per_channel_dynamic_qconfig

            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                self.network.encoder = torch.ao.quantization.quantize_dynamic(
                    self.network.encoder, {torch.nn.Linear: per_channel_dynamic_qconfig},
                    dtype=torch.qint8)
        self.batch_size = batch_size
        self.max_length = int(self.config.get("max_length", self.default_max_length))
        self._torch = torch

    def _base_folder(self, base: str | Path | None) -> str | Path | None:
        """The base encoder's folder: a named base (``base_name``, the accurate tier's
        all-mpnet-base-v2) is found and checked by ``bases``, ``base`` naming its folder;
        otherwise the training-time ``base_path`` if any, else the packaged encoder."""
        from . import bases

        if self.config.get("base_name") == bases.NAME:
            return bases.mpnet_path(base)
        if base is not None:
            raise ValueError(f"{self.folder} is a model over the packaged encoder; it takes "
                             "no base folder")
        path: str | None = self.config.get("base_path")
        return path

    @classmethod
    def from_pretrained(cls: type[M], path: str | Path, **options: Any) -> M:
        """The model saved in ``path`` (``batch_size``, ``device``, ``precision``: "fp32",
        or "int8" for dynamic int8 quantisation of the encoder on the CPU, and ``base``: the
        folder of a named base encoder, for the accurate stance tier)."""
        return cls(path, **options)

    def save_pretrained(self, path: str | Path) -> Path:
        """Write the model's files (config, adapter, heads, model card) into ``path``, from
        which ``from_pretrained`` reads the same model back."""
        from safetensors.torch import save_file

        out = Path(path)
        out.mkdir(parents=True, exist_ok=True)
        (out / f"{self.kind}_config.json").write_text(
            json.dumps(self.config, indent=2) + "\n", encoding="utf-8")
        save_file(self._adapter, str(out / "adapter.safetensors"))
        save_file(self._heads, str(out / self.head_file))
        card = self.folder / "README.md"
        if card.exists() and card.resolve() != (out / "README.md").resolve():
            shutil.copyfile(card, out / "README.md")
        return out

    def build(self, encoder: Any) -> Any:
        """The task network over the merged encoder."""
        raise NotImplementedError

    def load_heads(self, state: dict[str, Any]) -> None:
        """Load the task heads' weights into the network."""
        raise NotImplementedError

    def predict(self, items: Sequence[Any]) -> list[Any]:
        """A prediction for each item, in order."""
        raise NotImplementedError

    def predict_proba(self, items: Sequence[Any]) -> list[dict[str, float]]:
        """Label probabilities for each item, in order."""
        return [dict(p.probs) for p in self.predict(items)]
