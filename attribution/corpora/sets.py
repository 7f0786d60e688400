"""Hand-labelled evaluation sets kept with the package: whole articles with their text and a
gold label, source, cue and named-ness for every sentence (docs/ANNOTATION.md), split once by
article into a tuning part and a test part.

A set is a JSONL file, one article a line: ``{"id", "section", "title", "origin", "licence",
"written", "part", "text", "sentences": [{"start", "end", "label", "source", "cue",
"named"}]}`` with ``source`` and ``cue`` as ``[start, end]`` offsets into the text or null.
The sets shipped are named (``multidomain``); any file of the same form can be scored by path.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..document import Label

SETS_ROOT = Path(__file__).resolve().parent / "sets"
# "fit" and "check" are two halves of the tuning part (by article, alternating within each
# section in hash order): a model may be trained on "fit" and chosen on "check".
PARTS = ("tune", "test", "all", "fit", "check")
LABELS = {label.value for label in Label}


@dataclass(frozen=True)
class GoldArticle:
    """One article of an evaluation set and its gold sentences."""

    id: str
    section: str
    part: str
    text: str
    sentences: list[dict[str, Any]]
    written: bool = False


def set_names() -> list[str]:
    """The sets shipped with the package."""
    return sorted(p.name for p in SETS_ROOT.iterdir() if p.is_dir()) if SETS_ROOT.is_dir() else []


def set_path(name: str | Path) -> Path:
    """The file of a shipped set (its newest version) or a path to a set file;
    FileNotFoundError naming the sets there are."""
    path = Path(name)
    if path.suffix == ".jsonl" and path.exists():
        return path
    folder = SETS_ROOT / str(name)
    versions = sorted(folder.glob("v*/articles.jsonl"), key=lambda p: int(p.parent.name[1:]))
    if not versions:
        known = ", ".join(set_names()) or "none"
        raise FileNotFoundError(f"no evaluation set {str(name)!r} (shipped sets: {known}; or "
                                "give the path of a .jsonl set file)")
    return versions[-1]


def _checked(row: dict[str, Any], where: str) -> GoldArticle:
    text = row["text"]
    previous = 0
    for k, s in enumerate(row["sentences"]):
        here = f"{where}, sentence {k}"
        if not 0 <= previous <= s["start"] < s["end"] <= len(text):
            raise ValueError(f"{here}: offsets {s['start']}-{s['end']} out of order or range")
        previous = s["end"]
        if s["label"] not in LABELS:
            raise ValueError(f"{here}: unknown label {s['label']!r}")
        for facet in ("source", "cue"):
            span = s.get(facet)
            if span is not None and not 0 <= span[0] < span[1] <= len(text):
                raise ValueError(f"{here}: {facet} offsets {span} out of range")
    part = row.get("part", "test")
    if part not in ("tune", "test"):
        raise ValueError(f"{where}: part must be 'tune' or 'test', not {part!r}")
    return GoldArticle(str(row["id"]), str(row.get("section") or "(none)"), part, text,
                       list(row["sentences"]), bool(row.get("written")))


def tuning_halves(articles: list[GoldArticle]) -> dict[str, set[str]]:
    """The ids of the tuning part's two halves, "fit" and "check": within each section the
    articles in order of the SHA-256 of their id, alternately."""
    halves: dict[str, set[str]] = {"fit": set(), "check": set()}
    by_section: dict[str, list[str]] = {}
    for article in articles:
        if article.part == "tune":
            by_section.setdefault(article.section, []).append(article.id)
    for ids in by_section.values():
        ids.sort(key=lambda i: hashlib.sha256(i.encode("utf-8")).hexdigest())
        for k, article_id in enumerate(ids):
            halves["fit" if k % 2 == 0 else "check"].add(article_id)
    return halves


def load_set(name: str | Path, part: str = "all") -> list[GoldArticle]:
    """The articles of a set (``part``: "tune", "test", "all", or the tuning part's halves
    "fit" and "check"), checked: ValueError naming the line and sentence of any offset out
    of range or unknown label."""
    if part not in PARTS:
        raise ValueError(f"part must be one of {', '.join(PARTS)}, not {part!r}")
    path = set_path(name)
    articles = []
    with path.open(encoding="utf-8") as handle:
        for lineno, line in enumerate(handle, 1):
            if not line.strip():
                continue
            try:
                row = json.loads(line)
                article = _checked(row, f"{path.name}:{lineno}")
            except (KeyError, TypeError, json.JSONDecodeError) as exc:
                raise ValueError(f"{path.name}:{lineno}: not an evaluation-set article "
                                 f"({exc})") from None
            articles.append(article)
    if part in ("fit", "check"):
        chosen = tuning_halves(articles)[part]
        return [a for a in articles if a.id in chosen]
    return [a for a in articles if part in ("all", a.part)]
