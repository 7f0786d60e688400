"""PolNeAR (Newell, Margolin & Ruths, LREC 2018): attribution relations in political news.

Reads ``polnear/<split>/text/*.txt`` and ``polnear/<split>/attributions/*_<annotator>.ann``
for the split asked for and nothing else, so the same code serves a folder that holds the
held-back test split. Sentence labels are derived from the attribution spans by the rules
in ``docs/gold_labels.md`` (docs/ANNOTATION.md has the definitions; PolNeAR has no
direct/indirect or anonymity attribute).
"""

from __future__ import annotations

import csv
import operator
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Any

from ..document import Article, Category, Label
from ..extras import needs
from ..lexicon import pronoun_kind
from ..quotes import find_quotations, holds_quotation, inside_quotation
from ..sources import (
    Reading,
    classify_phrase,
    may_be_surname,
    named_in_context,
    surname_of,
    unframed_cue,
)
from ..spans import phrase_tokens
from . import data_dir, require
from .brat import Spans, read_ann

SPLITS = ("train", "dev", "test")
# The version of the derivation below (docs/gold_labels.md); frozen gold records it.
# 2: attributions whose cue is a verb of action or desire (lexicon.ACTION_CUES) are passed over.
# 3: so are cues of consent, proposal or request without a clause and negated cues with no
#    clause but a question, read in the cue's sentence; an earlier person's surname is named;
#    unowned outlets ("local media") and "by varying reports" are anonymous.
# 4: and cues under a modal of possibility or obligation ("could ask", "might argue").
DERIVATION_VERSION = 4


@dataclass(frozen=True)
class GoldAttribution:
    """One annotated attribution: source (None when the corpus marks none), cue and content."""

    source: tuple[int, int] | None
    cue: tuple[int, int]
    content: Spans


@dataclass
class PolnearArticle:
    """One article with the attributions of one annotator."""

    id: str
    outlet: str
    split: str
    text: str
    annotator: str
    attributions: list[GoldAttribution] = field(default_factory=list)


def _metadata(root: Path) -> dict[str, dict[str, str]]:
    path = root / "metadata.tsv"
    if not path.exists():
        return {}
    with path.open(encoding="utf-8", newline="") as handle:
        return {row["filename"]: row for row in csv.DictReader(handle, delimiter="\t")}


def _pick_annotation(folder: Path, stem: str, order: list[str]) -> Path | None:
    """The .ann of the first annotator in metadata order that has one, else the first by name."""
    files = {p.stem[len(stem) + 1 :]: p for p in folder.glob(f"{stem}_*.ann")}
    for annotator in order:
        if annotator in files:
            return files[annotator]
    return files[sorted(files)[0]] if files else None


def _span_of(spans: Spans) -> tuple[int, int]:
    return spans[0][0], spans[-1][1]


def read_polnear(split: str, data: str | Path | None = None) -> list[PolnearArticle]:
    """The articles of one split with their attributions, in file-name order."""
    if split not in SPLITS:
        raise ValueError(f"unknown PolNeAR split {split!r}; expected one of {', '.join(SPLITS)}")
    root = require(data_dir(data) / "polnear", "PolNeAR folder")
    texts = require(root / split / "text", f"PolNeAR {split} texts")
    folder = require(root / split / "attributions", f"PolNeAR {split} attributions")
    meta = _metadata(root)
    articles = []
    for path in sorted(texts.glob("*.txt")):
        stem = path.stem
        row = meta.get(stem, {})
        order = [a for a in row.get("annotators", "").split("|") if a]
        ann = _pick_annotation(folder, stem, order)
        text = path.read_text(encoding="utf-8")
        outlet = row.get("publisher") or stem.split("_")[0]
        article = PolnearArticle(stem, outlet, split, text, "" if ann is None else
                                 ann.stem[len(stem) + 1 :])
        if ann is not None:
            entities, events = read_ann(ann)
            for event in events:
                roles = {role: entities.get(ident) for role, ident in event.roles.items()}
                cue, content, source = roles.get("Cue"), roles.get("Content"), roles.get("Source")
                if cue is None or content is None:
                    continue
                article.attributions.append(GoldAttribution(
                    None if source is None else _span_of(source.spans),
                    _span_of(cue.spans),
                    content.spans,
                ))
        articles.append(article)
    return articles


def _overlaps(a: tuple[int, int], b: tuple[int, int]) -> bool:
    return a[0] < b[1] and b[0] < a[1]


@dataclass
class GoldSentence:
    """The derived gold of one sentence: label, and the source and cue that decided it."""

    label: Label
    source: tuple[int, int] | None
    cue: tuple[int, int] | None


def _named(nlp: Any, text: str, source: tuple[int, int], context: tuple[int, int]) -> Reading:
    """Named-ness of a gold source phrase, read with the same rules as the library's sources:
    an unnamed one-word phrase that ends a person's full name earlier in the article is that
    person's surname (``resolve.earlier_full_name``)."""
    start, end = context
    found = classify_phrase(nlp(text[start:end])[:], start, *source)
    if found is None:
        return True, None, Category.THING
    word = text[source[0]:source[1]]
    if found[0] is False and found[1] is None and may_be_surname(word) and any(
            ent.label_ == "PERSON" and surname_of(ent.text) == word
            for ent in nlp(text[:source[0]]).ents):
        return True, None, Category.PERSON
    return found


def in_spec(article: PolnearArticle, nlp: Any,
            sentences: Sequence[tuple[int, int]] = ()) -> list[GoldAttribution]:
    """The article's attributions that ANNOTATION.md counts: those whose cue communicates,
    thinks, perceives or cites evidence. A cue of action or desire ("supports", "wants",
    "declined", "voted") makes no attribution under the spec, nor one of consent, proposal
    or request without a clause ("proposed legislation", "agreed to support"): rule 4 of
    docs/gold_labels.md, read by ``sources.unframed_cue`` in the parse of the cue's sentence
    (of ``sentences``; the cue alone where none holds it) and with the quotations
    ``quotes.find_quotations`` finds in it, as the decision stage reads it."""
    text = article.text
    contexts = [next((s for s in sentences if s[0] <= a.cue[0] < s[1]), a.cue)
                for a in article.attributions]
    unique = sorted(set(contexts))
    segments = [seg for q in find_quotations(text) for seg in q.segments]
    parsed = dict(zip(unique, nlp.pipe(text[a:b] for a, b in unique), strict=True))
    kept = []
    for attr, context in zip(article.attributions, contexts, strict=True):
        tokens = phrase_tokens(parsed[context][:], context[0], *attr.cue)
        quoted = any(_overlaps(segment, context) for segment in segments)
        if tokens is None or not unframed_cue(tokens, quoted):
            kept.append(attr)
    return kept


def derive_gold(article: PolnearArticle, sentences: list[tuple[int, int]], nlp: Any) -> list[
    GoldSentence
]:
    """Sentence labels from the attribution spans (rules in docs/gold_labels.md).

    A sentence carries an attribution when the attribution's content or cue lies in it.
    Attributions without a source are passed over (sourceless: editorial), and so are those
    whose cue is a verb of action or desire (``in_spec``). A source is named
    or anonymous by the library's source rules, applied to the gold source phrase; a pronoun
    source takes the named-ness of the nearest earlier gold source of a compatible kind
    (he/she: a person; they: a group or organisation; it: an organisation or document).
    """
    text = article.text
    info: list[tuple[GoldAttribution, bool, int]] = []  # attribution, named, cue position
    earlier: list[tuple[int, bool, Category]] = []  # (position, named, category) of gold sources
    sourced = [a for a in in_spec(article, nlp, sentences) if a.source is not None]
    for attr in sorted(sourced, key=lambda a: a.source or (0, 0)):
        assert attr.source is not None
        context = next((s for s in sentences if s[0] <= attr.source[0] < s[1]), attr.source)
        reading = _named(nlp, text, attr.source, context)
        kind = pronoun_kind(text[attr.source[0] : attr.source[1]].strip())
        before = [(n, c) for pos, n, c in earlier if pos < attr.source[0]]
        named = named_in_context(reading, kind, before, partial(operator.ne, kind, "group"))
        if reading[1] is None and reading[0] is not None:  # a phrase, not a pronoun
            earlier.append((attr.source[0], named, reading[2]))
        info.append((attr, named, attr.cue[0]))
    segments = [seg for q in find_quotations(text) for seg in q.segments]
    gold = []
    for sentence in sentences:
        inside = inside_quotation(text, *sentence, segments)
        here = [
            (attr, named) for attr, named, _ in info
            if _overlaps(attr.cue, sentence) or any(_overlaps(c, sentence) for c in attr.content)
        ]
        quoted = [
            (attr, named) for attr, named in here
            if any(inside or holds_quotation(text, max(c[0], sentence[0]),
                                             min(c[1], sentence[1]), segments)
                   for c in attr.content if _overlaps(c, sentence))
        ]
        anonymous = [a for a, named in here if not named]
        direct = [a for a, named in quoted if named]
        reported = [a for a, named in here if named]
        if anonymous:
            label, attr = Label.ANONYMOUS, anonymous[0]
        elif direct:
            label, attr = Label.DIRECT_QUOTE, direct[0]
        elif reported:
            label, attr = Label.REPORTED_SPEECH, reported[0]
        else:
            gold.append(GoldSentence(Label.EDITORIAL, None, None))
            continue
        gold.append(GoldSentence(label, attr.source, attr.cue))
    return gold


def sentence_records(
    articles: list[PolnearArticle], predicted: list[Article], nlp: Any
) -> Iterator[dict[str, Any]]:
    """Per-sentence gold records on the library's own sentence segmentation.

    Besides the deciding source and cue, ``sources`` and ``cues`` list every gold source and
    cue span that starts in the sentence (article offsets), ``previous`` and ``next`` hold the
    neighbouring sentences' text, and ``rule_label`` is the label the rules gave.
    """
    for article, pred in zip(articles, predicted, strict=True):
        spans = [(s.start, s.end) for s in pred.sentences]
        kept = in_spec(article, nlp, spans)
        sources = sorted({a.source for a in kept if a.source is not None})
        cues = sorted({a.cue for a in kept})
        for i, ((start, end), gold) in enumerate(
            zip(spans, derive_gold(article, spans, nlp), strict=True)
        ):
            yield {
                "doc_id": article.id,
                "outlet": article.outlet,
                "split": article.split,
                "sentence": i,
                "start": start,
                "end": end,
                "text": article.text[start:end],
                "previous": pred.sentences[i - 1].text if i else "",
                "next": pred.sentences[i + 1].text if i + 1 < len(spans) else "",
                "label": gold.label.value,
                "rule_label": pred.sentences[i].label.value,
                "source_start": None if gold.source is None else gold.source[0],
                "source_end": None if gold.source is None else gold.source[1],
                "cue_start": None if gold.cue is None else gold.cue[0],
                "cue_end": None if gold.cue is None else gold.cue[1],
                "sources": [list(x) for x in sources if start <= x[0] < end],
                "cues": [list(x) for x in cues if start <= x[0] < end],
            }


def polnear_dataset(split: str, data: str | Path | None = None, annotator: Any = None) -> Any:
    """The split as a ``datasets.Dataset`` of per-sentence gold records (see sentence_records)."""
    needs("train", "building a training dataset")
    from datasets import Dataset

    from ..pipeline import Annotator

    annotator = annotator or Annotator()
    articles = read_polnear(split, data)
    predicted = list(annotator.pipe([{"text": a.text, "id": a.id} for a in articles]))
    return Dataset.from_list(list(sentence_records(articles, predicted, annotator.nlp)))
