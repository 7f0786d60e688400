"""Views of a parsed spaCy ``Doc`` that are computed once per document, not once per sentence.

``Doc.text`` joins every token each time it is read and ``Span.ents`` filters every entity of
the document, so reading them for each sentence of a long paragraph costs time quadratic in
its length. These helpers keep the text and a sorted entity index in ``Doc.user_data``.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from typing import Any

_TEXT = "attribution.text"
_ENTS = "attribution.ents"


def doc_text(doc: Any) -> str:
    """The document's text, joined once and kept."""
    text = doc.user_data.get(_TEXT)
    if text is None:
        text = doc.user_data[_TEXT] = doc.text
    return text


def span_ents(span: Any) -> list[Any]:
    """The entities that lie wholly inside a span of the document (as ``Span.ents``), found
    by bisection over the document's entities."""
    doc = span.doc
    index = doc.user_data.get(_ENTS)
    if index is None:
        ents = list(doc.ents)
        index = doc.user_data[_ENTS] = ([e.start for e in ents], ents)
    starts, ents = index
    found = []
    for ent in ents[bisect_left(starts, span.start):bisect_right(starts, span.end)]:
        if ent.end <= span.end:
            found.append(ent)
    return found
