"""Frozen PolNeAR gold: the sentence labels derived from PolNeAR's spans (train and dev), written
once to versioned files so that a change to the rules never moves the target it is scored
against.

A version folder ``gold/polnear/v<N>/`` holds ``<split>.jsonl.gz``: one line per article with
its name, outlet, the SHA-256 of its text, and per sentence the offsets, label, deciding
source and cue, and every gold source and cue starting in it; no corpus text (PolNeAR states
no licence, so its text stays in the data folder). ``gold/polnear/current`` names the version
evaluation and training read. ``freeze`` derives a new version and says what changed.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import os
from bisect import bisect_right
from collections import Counter
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from ..document import Article
from .polnear import DERIVATION_VERSION, PolnearArticle, read_polnear, sentence_records

GOLD_ROOT = Path(__file__).resolve().parent / "gold" / "polnear"
GOLD_ENV = "ATTRIBUTION_GOLD"  # another folder of frozen versions (an empty one: derive)
FROZEN_SPLITS = ("train", "dev")
# What a frozen sentence keeps of sentence_records; the rest is read from the text.
KEPT = ("sentence", "start", "end", "label", "source_start", "source_end", "cue_start",
        "cue_end", "sources", "cues")


def gold_root() -> Path:
    """Where frozen versions live: $ATTRIBUTION_GOLD, else the package's own folder."""
    return Path(os.environ[GOLD_ENV]) if os.environ.get(GOLD_ENV) else GOLD_ROOT


def text_hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def current_version(root: Path | None = None) -> int | None:
    """The version evaluation and training read; None where nothing is frozen."""
    marker = (root or gold_root()) / "current"
    return int(marker.read_text(encoding="utf-8").strip()) if marker.exists() else None


def frozen_path(split: str, version: int | None = None,
                root: Path | None = None) -> Path | None:
    """The frozen gold file of a split, None where the split has none (the test split)."""
    root = root or gold_root()
    version = version if version is not None else current_version(root)
    if version is None or split not in FROZEN_SPLITS:
        return None
    path = root / f"v{version}" / f"{split}.jsonl.gz"
    return path if path.exists() else None


def read_frozen(path: Path) -> dict[str, dict[str, Any]]:
    """Article name -> its frozen record."""
    with gzip.open(path, "rt", encoding="utf-8") as handle:
        return {row["doc_id"]: row for row in map(json.loads, handle)}


def frozen_gold(articles: Sequence[PolnearArticle], split: str,
                root: Path | None = None) -> list[list[dict[str, Any]]] | None:
    """The frozen sentences of each article; None where the split has no frozen gold, or where
    none of the articles is in it (another corpus laid out as PolNeAR, a test fixture).
    ValueError where some article is missing from it or its text differs from the one frozen."""
    path = frozen_path(split, root=root)
    if path is None:
        return None
    frozen = read_frozen(path)
    if not any(article.id in frozen for article in articles):
        return None
    out = []
    for article in articles:
        row = frozen.get(article.id)
        if row is None:
            raise ValueError(f"PolNeAR {split} article {article.id} is not in the frozen gold "
                             f"{path}; re-derive it with 'attribution gold freeze'")
        if row["text_sha256"] != text_hash(article.text):
            raise ValueError(f"the text of PolNeAR {split} article {article.id} differs from "
                             f"the one the frozen gold {path} was derived from")
        out.append(row["sentences"])
    return out


def align(gold: Sequence[dict[str, Any]], predicted: Sequence[tuple[int, int]]) -> list[int]:
    """For each gold sentence, the index of the predicted sentence that overlaps it most (the
    same sentence where the segmentation has not changed since the gold was frozen)."""
    starts = [a for a, _ in predicted]
    out = []
    for sentence in gold:
        a, b = sentence["start"], sentence["end"]
        k = max(0, bisect_right(starts, a) - 1)
        best, best_overlap = k, -1
        while k < len(predicted) and predicted[k][0] < b:
            overlap = min(b, predicted[k][1]) - max(a, predicted[k][0])
            if overlap > best_overlap:
                best, best_overlap = k, overlap
            k += 1
        out.append(best)
    return out


def records(articles: Sequence[PolnearArticle], predicted: Sequence[Article],
            gold: Sequence[Sequence[dict[str, Any]]]) -> list[dict[str, Any]]:
    """Per-sentence training records (as ``sentence_records`` gives them) from frozen gold:
    the text and neighbours from the article, the rules' label from the predicted sentence
    that overlaps each gold sentence most."""
    out = []
    for article, pred, sentences in zip(articles, predicted, gold, strict=True):
        spans = [(s.start, s.end) for s in pred.sentences]
        owners = align(sentences, spans)
        texts = [article.text[s["start"]:s["end"]] for s in sentences]
        for i, (sentence, owner) in enumerate(zip(sentences, owners, strict=True)):
            record = {"doc_id": article.id, "outlet": article.outlet, "split": article.split}
            record.update({k: sentence[k] for k in KEPT})
            record.update({
                "text": texts[i], "previous": texts[i - 1] if i else "",
                "next": texts[i + 1] if i + 1 < len(texts) else "",
                "rule_label": pred.sentences[owner].label.value if spans else "editorial",
            })
            out.append(record)
    return out


def _rows(articles: Sequence[PolnearArticle], predicted: Sequence[Article],
          nlp: Any) -> Iterable[dict[str, Any]]:
    by_doc: dict[str, list[dict[str, Any]]] = {}
    for record in sentence_records(list(articles), list(predicted), nlp):
        by_doc.setdefault(record["doc_id"], []).append({k: record[k] for k in KEPT})
    for article in articles:
        yield {"doc_id": article.id, "outlet": article.outlet,
               "text_sha256": text_hash(article.text), "sentences": by_doc.get(article.id, [])}


def _changes(old: dict[str, dict[str, Any]], new: list[dict[str, Any]]) -> dict[str, Any]:
    """What a new derivation changed against the previous version of a split."""
    moved: Counter[str] = Counter()
    boundaries = added = 0
    for row in new:
        before = old.get(row["doc_id"])
        if before is None:
            added += 1
            continue
        was = {(s["start"], s["end"]): s for s in before["sentences"]}
        for sentence in row["sentences"]:
            prior = was.get((sentence["start"], sentence["end"]))
            if prior is None:
                boundaries += 1
            elif prior["label"] != sentence["label"]:
                moved[f"{prior['label']} -> {sentence['label']}"] += 1
    return {"labels changed": dict(moved.most_common()), "sentences with new boundaries":
            boundaries, "articles added": added}


def freeze(splits: Sequence[str] = FROZEN_SPLITS, data: str | Path | None = None, *,
           root: Path | None = None, annotator: Any = None) -> dict[str, Any]:
    """Derive the gold of ``splits`` with the current rules into a new version folder, make
    it current, write the folder's README, and return what changed against the last one."""
    from ..pipeline import Annotator

    if any(split not in FROZEN_SPLITS for split in splits):
        raise ValueError(f"only {', '.join(FROZEN_SPLITS)} are frozen; the test split is "
                         "held back and never derived here")
    annotator = annotator or Annotator(stance=False, sourcing=False)
    root = root or gold_root()
    previous = current_version(root)
    version = (previous or 0) + 1
    folder = root / f"v{version}"
    folder.mkdir(parents=True, exist_ok=False)
    report: dict[str, Any] = {"version": version, "previous": previous, "splits": {}}
    for split in splits:
        articles = read_polnear(split, data)
        predicted = list(annotator.pipe([{"text": a.text, "id": a.id} for a in articles]))
        rows = list(_rows(articles, predicted, annotator.nlp))
        path = folder / f"{split}.jsonl.gz"
        with path.open("wb") as raw, gzip.GzipFile(fileobj=raw, mode="wb", mtime=0) as handle:
            for row in rows:
                handle.write((json.dumps(row, sort_keys=True) + "\n").encode("utf-8"))
        old_path = frozen_path(split, previous, root) if previous else None
        labels = Counter(s["label"] for row in rows for s in row["sentences"])
        report["splits"][split] = {
            "file": path.name, "sha256": hashlib.sha256(path.read_bytes()).hexdigest(),
            "articles": len(rows), "sentences": sum(labels.values()),
            "labels": dict(sorted(labels.items())),
            "changes": None if old_path is None else _changes(read_frozen(old_path), rows),
        }
    (folder / "derivation.json").write_text(json.dumps(
        {"derivation_version": DERIVATION_VERSION, **report}, indent=2) + "\n", encoding="utf-8")
    (root / "current").write_text(f"{version}\n", encoding="utf-8")
    _write_readme(root)
    return report


def _write_readme(root: Path) -> None:
    rows = []
    for folder in sorted(root.glob("v*"), key=lambda p: int(p.name[1:])):
        meta = json.loads((folder / "derivation.json").read_text(encoding="utf-8"))
        for split, info in meta["splits"].items():
            rows.append(f"| {folder.name} | {meta['derivation_version']} | {split} | "
                        f"{info['articles']} | {info['sentences']:,} | `{info['sha256']}` |")
    table = "\n".join(rows)
    (root / "README.md").write_text(f"""# Frozen PolNeAR gold

Sentence labels derived from PolNeAR v1.0.0's attribution spans (Newell, Margolin & Ruths,
LREC 2018) by the rules of docs/gold_labels.md, on the library's own sentences, frozen so
that evaluation and training read the same target whatever the rules become. Each line of a
`<split>.jsonl.gz` is one article: its name, outlet, the SHA-256 of its text, and per sentence
the offsets, label, deciding source and cue, and every gold source and cue that starts in it.
The corpus text is not here (PolNeAR states no licence); it is read from the data folder and
checked against the hash. The test split is held back and never frozen.

`current` names the version that `attribution evaluate sourcing` and `attribution train
sourcing` read. `attribution gold freeze` derives a new version with the current rules, makes
it current and prints what changed; `derivation.json` in each folder records the counts and
the changes.

| version | derivation | split | articles | sentences | SHA-256 of the file |
|---|---|---|---|---|---|
{table}
""", encoding="utf-8")
