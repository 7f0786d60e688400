"""Unlabelled (sentence, target) examples from PolNeAR train for distilling a stance model.

A teacher labels them with its probabilities; the student learns from those alone. PolNeAR
is US political news like NewsMTSC, and its sentences often name several people or
organisations, the case dev_mt tests and NewsMTSC train has few of.
"""

from __future__ import annotations

import random
import re
from pathlib import Path
from typing import Any

from ..corpora.polnear import read_polnear
from ..pipeline import STANCE_ENTITY_TYPES, load_spacy

MIN_CHARS, MAX_CHARS = 40, 400  # NewsMTSC-like sentences: no headlines, bylines or run-ons
_LINES = re.compile(r"[^\n]+")


def transfer_records(n: int, data: str | Path | None = None, seed: int = 13,
                     nlp: Any = None) -> list[dict[str, Any]]:
    """``n`` (sentence, entity) records drawn reproducibly from PolNeAR train, unlabelled.

    Each names one person, organisation, country or group that spaCy finds in a sentence
    of MIN_CHARS to MAX_CHARS characters (which leaves out headlines and bylines);
    ``label`` is None. Raises ValueError for a negative ``n`` or one larger than
    the examples there are.
    """
    if n < 0:
        raise ValueError(f"the number of transfer examples must be 0 or more, not {n}")
    if n == 0:
        return []
    nlp = nlp or load_spacy()
    lines = [(f"{article.id}:{m.start()}", m.group()) for article in read_polnear("train", data)
             for m in _LINES.finditer(article.text) if len(m.group()) >= MIN_CHARS]
    records: list[dict[str, Any]] = []
    seen: set[tuple[str, int, int]] = set()
    for (line_id, _), doc in zip(lines, nlp.pipe(text for _, text in lines), strict=True):
        for sent in doc.sents:
            text = sent.text
            if not MIN_CHARS <= len(text) <= MAX_CHARS:
                continue
            for ent in sent.ents:
                start, end = ent.start_char - sent.start_char, ent.end_char - sent.start_char
                if ent.label_ not in STANCE_ENTITY_TYPES or (text, start, end) in seen:
                    continue
                seen.add((text, start, end))
                records.append({"id": f"{line_id}+{sent.start_char}+{start}", "sentence": text,
                                "target_start": start, "target_end": end,
                                "target": ent.text, "label": None})
    if n > len(records):
        raise ValueError(f"PolNeAR train has only {len(records)} transfer examples, not {n}")
    return random.Random(seed).sample(records, n)
