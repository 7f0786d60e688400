"""Silver training sentences: unlabelled news labelled where the rules are precise.

Hand-labelled news outside politics is scarce, so the sourcing model can also learn from
articles no one labelled: each sentence gets the rules' label, source and cue, and is kept
only where that label is reliable, judged on the multidomain tuning part (docs/training.md):
the rules found their own evidence for it and the shipped model agrees. Anonymous sentences
and editorial ones where a cue word was seen and rejected are left out: there the rules are
right less often than the model. Interviews and transcripts are left out whole: the later
sentences of a turn are its speaker's words with no cue in sight, and a model that sees a
sentence with its neighbours takes them for the outlet's.
"""

from __future__ import annotations

import hashlib
import json
from collections import Counter
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any
from urllib.parse import unquote

from ..corpora.sets import LABELS
from ..document import Label, Sentence
from ..resolve import span_range
from .common import sentence_record

# The rules' confidence at or above which a label may be kept (decide.CONFIDENCE): 0.75 is a
# speaker carried over from a neighbouring sentence or better, 0.9 for editorial is a sentence
# where no cue word was seen at all. A direct quote is kept at any confidence: on the
# multidomain tuning part every rule-labelled direct quote the model agreed with was right
# (165 of 165 but 2).
KEEP_AT: dict[Label, float] = {
    Label.DIRECT_QUOTE: 0.0,
    Label.REPORTED_SPEECH: 0.75,
    Label.EDITORIAL: 0.9,
}


def kept(rules: Sentence, model: Sentence) -> bool:
    """Whether a sentence's rule label is sure enough to train on: a label of ``KEEP_AT`` at
    its confidence, with the model agreeing."""
    floor = KEEP_AT.get(rules.label)
    return floor is not None and rules.confidence >= floor and model.label is rules.label


def _slug(address: str) -> str:
    """The last part of an article's web address, decoded: the same article under
    "https://en.wikinews.org//wiki/A_b" and ".../wiki/A_b"."""
    return unquote(address.rstrip("/").rsplit("/", 1)[-1]).replace(" ", "_").lower()


def set_articles(names: Iterable[str]) -> tuple[set[str], set[str]]:
    """The addresses (as ``_slug``) and titles of every article of the named evaluation sets,
    tuning and test parts alike, so that silver sentences never repeat them."""
    from ..corpora.sets import set_path

    slugs: set[str] = set()
    titles: set[str] = set()
    for name in names:
        with set_path(name).open(encoding="utf-8") as handle:
            for row in map(json.loads, filter(str.strip, handle)):
                if row.get("origin"):
                    slugs.add(_slug(str(row["origin"])))
                if row.get("title"):
                    titles.add(" ".join(str(row["title"]).split()).lower())
    return slugs, titles


def _is_excluded(doc: dict[str, Any], slugs: set[str], titles: set[str]) -> bool:
    title = " ".join(str(doc.get("title") or "").split()).lower()
    return _slug(str(doc.get("id") or "")) in slugs or (bool(title) and title in titles)


def silver_records(docs: Iterable[dict[str, Any]], rules: Any, model: Any,
                   exclude: tuple[set[str], set[str]] = (set(), set())) -> Iterator[dict[str, Any]]:
    """The kept sentences of each document (``{"id", "text", "title"?}``) as training records;
    documents of an evaluation set (``exclude``: its addresses and titles) are skipped.
    ``rules`` and ``model`` are Annotators without and with the sourcing model."""
    from ..transcript import speaker_labels

    docs = [d for d in docs if not _is_excluded(d, *exclude) and not speaker_labels(d["text"])]
    for by_rules, by_model in zip(rules.pipe(docs), model.pipe(docs), strict=True):
        if [(s.start, s.end) for s in by_rules.sentences] != [
                (s.start, s.end) for s in by_model.sentences]:
            continue  # both segment alike; a document where they do not is skipped whole
        texts = [s.text for s in by_rules.sentences]
        for k, (r, m) in enumerate(zip(by_rules.sentences, by_model.sentences, strict=True)):
            if kept(r, m):
                yield sentence_record(f"silver/{by_rules.id}", texts, k, r.start, r.end,
                                      r.label.value, span_range(r.source), span_range(r.cue))


def write_silver(paths: list[str], out: str | Path, exclude_sets: Iterable[str] = (),
                 model_dir: str | Path | None = None) -> dict[str, Any]:
    """Label the articles of ``paths`` (as ``attribution annotate`` reads them) and write the
    kept sentences to ``out`` as JSON lines; return counts per label, the file's hash and the
    inputs that could not be read."""
    from ..io import InputError, read_records
    from ..pipeline import Annotator

    read = list(read_records(paths))
    docs = [r for r in read if not isinstance(r, InputError)]
    unreadable = [str(r) for r in read if isinstance(r, InputError)]
    if not docs:
        raise ValueError("no readable articles in " + ", ".join(map(str, paths))
                         + "".join(f"; {u}" for u in unreadable[:3]))
    exclude = set_articles(exclude_sets)
    rules = Annotator(stance=False, sourcing=False)
    model = Annotator(stance=False, sourcing=model_dir)
    records = list(silver_records(docs, rules, model, exclude))
    body = "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records)
    Path(out).write_text(body, encoding="utf-8")
    return {"articles": len({r["doc_id"] for r in records}), "read": len(docs),
            "sentences": len(records), "labels": dict(Counter(r["label"] for r in records)),
            "unreadable": unreadable,
            "sha256": hashlib.sha256(body.encode("utf-8")).hexdigest()}


def read_silver(path: str | Path) -> list[dict[str, Any]]:
    """Silver records written by ``write_silver``; ValueError naming a line that is not one."""
    out = []
    with Path(path).open(encoding="utf-8") as handle:
        for lineno, line in enumerate(handle, 1):
            if not line.strip():
                continue
            try:
                record = json.loads(line)
                if record["label"] not in LABELS:
                    raise ValueError(f"unknown label {record['label']!r}")
                missing = [k for k in ("doc_id", "start", "end", "text", "sources", "cues")
                           if k not in record]
                if missing:
                    raise ValueError("missing " + ", ".join(missing))
            except (KeyError, TypeError, ValueError) as exc:
                raise ValueError(f"{path}:{lineno}: not a silver record ({exc})") from None
            out.append(record)
    return out
