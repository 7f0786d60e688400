"""``nlp.add_pipe("attribution")``: the annotator as a spaCy pipeline component.

It reads the parse of the pipeline it runs in (a parser must come before it), decides every
sentence with the same decision stage as ``Annotator``, and puts its findings where spaCy
users look:

- span groups ``doc.spans["attribution"]`` (every source, cue and quotation, labelled
  ``SOURCE``, ``CUE``, ``QUOTE``; draw them with ``displacy.render(doc, style="span",
  options={"spans_key": "attribution"})``) and one group per kind:
  ``attribution_sources``, ``attribution_cues``, ``attribution_quotes``;
- ``span._.attribution``: the ``Sentence`` the span lies in (label, confidence, source, cue,
  quote form, stance), and the shortcuts ``span._.attribution_label``,
  ``span._.attribution_confidence``, ``span._.quote_form`` and ``span._.stance``;
- ``doc._.attribution``: the whole ``Article``.

What it writes is kept in ``doc.user_data`` and the span groups, so it survives a ``DocBin``
round trip (with ``store_user_data=True``).
"""

from __future__ import annotations

import json
from bisect import bisect_right
from collections.abc import Iterable, Iterator
from functools import lru_cache
from typing import Any

from spacy.language import Language
from spacy.tokens import Doc, Span, SpanGroup

from .document import Article, Sentence

KEY = "attribution"  # doc.user_data key of the article, and the span group of all findings
GROUPS = {"SOURCE": "attribution_sources", "CUE": "attribution_cues",
          "QUOTE": "attribution_quotes"}


@lru_cache(maxsize=16)
def _parsed(stored: str) -> dict[str, Any]:
    return json.loads(stored)


@lru_cache(maxsize=16)
def _starts(stored: str) -> list[int]:
    return [s["start"] for s in _parsed(stored)["sentences"]]


def _data(doc: Doc) -> dict[str, Any] | None:
    """The article stored on the doc (as JSON text, which DocBin keeps exactly)."""
    stored = doc.user_data.get(KEY)
    return None if stored is None else _parsed(stored)


def _article(doc: Doc) -> Article | None:
    data = _data(doc)
    return None if data is None else Article.from_dict(data)


def _sentence(span: Span) -> Sentence | None:
    """The annotated sentence that holds the start of ``span``, if the doc was annotated."""
    stored = span.doc.user_data.get(KEY)
    if stored is None or not _parsed(stored)["sentences"]:
        return None
    sentences = _parsed(stored)["sentences"]
    k = bisect_right(_starts(stored), span.start_char) - 1  # starts found once per doc
    if k < 0 or span.start_char >= sentences[k]["end"]:
        return None
    return Sentence.from_dict(sentences[k])


def _field(name: str) -> Any:
    def get(span: Span) -> Any:
        sentence = _sentence(span)
        if sentence is None:
            return None
        value = getattr(sentence, name)
        return value.value if hasattr(value, "value") else value

    return get


def _stance(span: Span) -> list[dict[str, Any]]:
    sentence = _sentence(span)
    return [] if sentence is None else [st.to_dict() for st in sentence.stance]


def register_extensions() -> None:
    """Register the ``Doc`` and ``Span`` extensions the component fills (once)."""
    if not Doc.has_extension(KEY):
        Doc.set_extension(KEY, getter=_article)
    if not Span.has_extension(KEY):
        Span.set_extension(KEY, getter=_sentence)
        Span.set_extension("attribution_label", getter=_field("label"))
        Span.set_extension("attribution_confidence", getter=_field("confidence"))
        Span.set_extension("quote_form", getter=_field("quote_form"))
        Span.set_extension("stance", getter=_stance)


class AttributionComponent:
    """Annotates each Doc with an ``Annotator`` that reads the pipeline's own parse."""

    def __init__(self, nlp: Language, name: str, sourcing: str, stance: str,
                 batch_size: int) -> None:
        from .pipeline import Annotator

        register_extensions()
        self.name = name
        self.annotator = Annotator(nlp, batch_size=batch_size, sourcing=_choice(sourcing),
                                   stance=_choice(stance))

    def __call__(self, doc: Doc) -> Doc:
        (article,) = self.annotator.annotate_docs([doc])
        return write(doc, article)

    def pipe(self, docs: Iterable[Doc], batch_size: int = 16) -> Iterator[Doc]:
        from .pipeline import batched

        for batch in batched(docs, batch_size):
            yield from (write(doc, article) for doc, article in
                        zip(batch, self.annotator.annotate_docs(batch), strict=True))


def write(doc: Doc, article: Article) -> Doc:
    """Put an article's findings on its Doc: span groups, and the article in user_data."""
    doc.user_data[KEY] = json.dumps(article.to_dict(), ensure_ascii=False)
    found: dict[str, list[Span]] = {label: [] for label in GROUPS}
    for sentence in article.sentences:
        pieces = [("SOURCE", a.source) for a in sentence.attributions if a.source]
        pieces += [("CUE", a.cue) for a in sentence.attributions if a.cue]
        pieces += [("QUOTE", q) for q in sentence.quotes]
        for kind, where in pieces:
            span = doc.char_span(where.start, where.end, label=kind, alignment_mode="expand")
            if span is not None and span not in found[kind]:
                found[kind].append(span)
    everything = [span for spans in found.values() for span in spans]
    doc.spans[KEY] = SpanGroup(doc, name=KEY, spans=sorted(everything))
    for kind, key in GROUPS.items():
        doc.spans[key] = SpanGroup(doc, name=key, spans=found[kind])
    return doc


def _choice(value: str) -> bool | str | None:
    """A config value as Annotator takes it: "shipped" (the model if it is there), "on"
    (required), "off", or a model folder."""
    return {"shipped": None, "on": True, "off": False}.get(value, value)


@Language.factory(
    "attribution",
    default_config={"sourcing": "shipped", "stance": "shipped", "batch_size": 16},
    assigns=["doc.spans", "doc._.attribution", "span._.attribution"],
    requires=["token.dep", "token.is_sent_start"],
)
def make_attribution(nlp: Language, name: str, sourcing: str, stance: str,
                     batch_size: int) -> AttributionComponent:
    """The ``attribution`` component; ``sourcing`` and ``stance``: "shipped", "on", "off" or
    a model folder; ``batch_size``: docs annotated together by ``nlp.pipe``."""
    return AttributionComponent(nlp, name, sourcing, stance, batch_size)
