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
from collections.abc import Callable, Iterable, Iterator
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


# Sentences where the rules and the shipped model disagreed, read by hand and labelled under
# docs/ANNOTATION.md (checked/README.md): kept with the hand label whatever either said.
CHECKED = Path(__file__).with_name("checked") / "wikinews_2019_2020.jsonl"


def _json_lines(path: str | Path, what: str,
                check: Callable[[dict[str, Any]], None]) -> Iterator[dict[str, Any]]:
    """The records of a JSON-lines file, each passed through ``check``; ValueError naming the
    first line that is no JSON object or that ``check`` rejects ("not a ``what``")."""
    with Path(path).open(encoding="utf-8") as handle:
        for lineno, line in enumerate(handle, 1):
            if not line.strip():
                continue
            try:
                record = json.loads(line)
                if record["label"] not in LABELS:
                    raise ValueError(f"unknown label {record['label']!r}")
                check(record)
            except (KeyError, TypeError, ValueError) as exc:
                raise ValueError(f"{path}:{lineno}: not a {what} ({exc})") from None
            yield record


def _checked_key(row: dict[str, Any]) -> tuple[str, int, int]:
    return _slug(str(row["id"])), int(row["start"]), int(row["end"])


def _check_checked(row: dict[str, Any]) -> None:
    _checked_key(row)
    str(row["text"])
    if row["label"] != "editorial" and not (row.get("source") or row.get("cue")):
        raise ValueError(f"{row['label']} needs its source or cue offsets")


def read_checked(path: str | Path = CHECKED) -> dict[tuple[str, int, int], dict[str, Any]]:
    """Hand-checked sentences by (article address as ``_slug``, start, end); ValueError naming
    a line that is not one (``{"id", "start", "end", "label", "text"}``, and for an attributed
    label its ``"source"`` and ``"cue"`` offsets in the article)."""
    return {_checked_key(row): row
            for row in _json_lines(path, "checked sentence", _check_checked)}


def silver_records(docs: Iterable[dict[str, Any]], rules: Any, model: Any,
                   exclude: tuple[set[str], set[str]] = (set(), set()),
                   checked: dict[tuple[str, int, int], dict[str, Any]] | None = None,
                   ) -> Iterator[dict[str, Any]]:
    """The kept sentences of each document (``{"id", "text", "title"?}``) as training records;
    documents of an evaluation set (``exclude``: its addresses and titles) are skipped.
    ``rules`` and ``model`` are Annotators without and with the sourcing model. A sentence of
    ``checked`` (``read_checked``) whose text still matches is kept with its hand label and
    marked ``"checked": true``."""
    from ..transcript import speaker_labels

    checked = checked or {}
    docs = [d for d in docs if not _is_excluded(d, *exclude) and not speaker_labels(d["text"])]
    for by_rules, by_model in zip(rules.pipe(docs), model.pipe(docs), strict=True):
        if [(s.start, s.end) for s in by_rules.sentences] != [
                (s.start, s.end) for s in by_model.sentences]:
            continue  # both segment alike; a document where they do not is skipped whole
        texts = [s.text for s in by_rules.sentences]
        slug = _slug(str(by_rules.id))
        for k, (r, m) in enumerate(zip(by_rules.sentences, by_model.sentences, strict=True)):
            hand = checked.get((slug, r.start, r.end))
            if hand is not None and hand["text"] == r.text:
                yield {**sentence_record(f"silver/{by_rules.id}", texts, k, r.start, r.end,
                                         hand["label"], hand.get("source"), hand.get("cue")),
                       "checked": True}
            elif kept(r, m):
                yield sentence_record(f"silver/{by_rules.id}", texts, k, r.start, r.end,
                                      r.label.value, span_range(r.source), span_range(r.cue))


def write_silver(paths: list[str], out: str | Path, exclude_sets: Iterable[str] = (),
                 model_dir: str | Path | None = None,
                 checked: str | Path | None = None) -> dict[str, Any]:
    """Label the articles of ``paths`` (as ``attribution annotate`` reads them) and write the
    kept sentences to ``out`` as JSON lines, with the hand-checked ones of ``checked``; return
    counts per label, of checked sentences found, the file's hash and the inputs that could not
    be read."""
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
    hand = read_checked(checked) if checked is not None else {}
    records = list(silver_records(docs, rules, model, exclude, hand))
    body = "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records)
    Path(out).write_text(body, encoding="utf-8")
    return {"articles": len({r["doc_id"] for r in records}), "read": len(docs),
            "sentences": len(records), "labels": dict(Counter(r["label"] for r in records)),
            "checked": sum(bool(r.get("checked")) for r in records), "checked_listed": len(hand),
            "unreadable": unreadable,
            "sha256": hashlib.sha256(body.encode("utf-8")).hexdigest()}


def _check_silver(record: dict[str, Any]) -> None:
    missing = [k for k in ("doc_id", "start", "end", "text", "sources", "cues")
               if k not in record]
    if missing:
        raise ValueError("missing " + ", ".join(missing))


def read_silver(path: str | Path) -> list[dict[str, Any]]:
    """Silver records written by ``write_silver``; ValueError naming a line that is not one."""
    return list(_json_lines(path, "silver record", _check_silver))
