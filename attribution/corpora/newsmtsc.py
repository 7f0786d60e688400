"""NewsMTSC (Hamborg & Donnay, EACL 2021): target-dependent sentiment in news sentences.

One record per (sentence, target): the sentence, the target's character offsets and text,
and its polarity as negative / neutral / positive (the files code them 2.0 / 4.0 / 6.0).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from ..extras import needs
from . import data_dir, require

SPLITS = ("train", "dev_mt", "dev_rw", "test_mt", "test_rw")
POLARITY = {2.0: "negative", 4.0: "neutral", 6.0: "positive"}
STANCE_LABELS = ("negative", "neutral", "positive")


def read_newsmtsc(split: str, data: str | Path | None = None) -> list[dict[str, Any]]:
    """The (sentence, target, label) records of one split, in file order.

    Raises ValueError naming the file and line for a record that does not fit the format.
    """
    if split not in SPLITS:
        raise ValueError(f"unknown NewsMTSC split {split!r}; expected one of {', '.join(SPLITS)}")
    path = require(data_dir(data) / "newsmtsc" / f"{split}.jsonl", f"NewsMTSC {split}")
    records = []
    with path.open(encoding="utf-8") as handle:
        for lineno, line in enumerate(handle, 1):
            if not line.strip():
                continue
            try:
                item = json.loads(line)
                sentence = item["sentence_normalized"]
                for k, target in enumerate(item["targets"]):
                    start, end = int(target["from"]), int(target["to"])
                    if sentence[start:end] != target["mention"]:
                        raise ValueError("mention does not match its offsets")
                    records.append({
                        "id": f"{item['primary_gid']}#{k}",
                        "sentence": sentence,
                        "target_start": start,
                        "target_end": end,
                        "target": target["mention"],
                        "label": POLARITY[float(target["polarity"])],
                    })
            except (KeyError, TypeError, ValueError) as exc:
                raise ValueError(f"{path}:{lineno}: not a NewsMTSC record ({exc})") from None
    return records


def newsmtsc_dataset(split: str, data: str | Path | None = None) -> Any:
    """The split as a ``datasets.Dataset`` (see read_newsmtsc for the columns)."""
    needs("train", "building a training dataset")
    from datasets import Dataset

    return Dataset.from_list(read_newsmtsc(split, data))
