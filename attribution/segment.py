"""Paragraph layout (heading, caption, byline, body) and sentence boundaries with exact offsets.

Sentence boundaries come from spaCy's parser and are then corrected with the quotation
analysis: a closing quote mark stays with the sentence it closes, a boundary needs sentence-final
punctuation before it and no lower-case letter after it, and so a quotation is split only where
the quotation itself holds several sentences.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from itertools import pairwise

from .document import Kind
from .lexicon import ANY_FRAME_CUES, CAPTION_MARKERS, CAPTION_PREFIXES, IRREGULAR_CUE_FORMS
from .quotes import CLOSING_MARKS, paragraphs

_TERMINAL = frozenset(".!?…")
_TRAILING = CLOSING_MARKS | frozenset(")]}")
_BYLINE = re.compile(r"^(?:by|written by|reporting by|story by)\s+[A-Z][\w.'’-]*", re.IGNORECASE)
_TITLE_END = frozenset(".!?:;,")
_LONG_WORD = re.compile(r"\b[^\W\d_]{4,}")
# What follows a quotation ending in "?" or "!" when the sentence goes on with its speaker:
# one to four capitalised words and a cue verb ('"Why?" Clinton said.'), or the verb first
# ('"Why?" said Mr. Smith.').
_SPEAKER_TAIL = re.compile(
    r"(?:[A-Z][\w.'’-]*\s+){1,4}?([a-z]+)\b|([a-z]+)\s+[A-Z]"
)
# Share of the long words a first line must capitalise to be a headline despite a full stop.
_TITLE_CASE_SHARE = 0.8

# spaCy's parser handles inputs well under its max_length; longer paragraphs are cut here.
MAX_CHUNK_CHARS = 4_000


@dataclass(frozen=True)
class Paragraph:
    """A non-empty line of the article, trimmed, with its layout kind."""

    start: int
    end: int
    kind: Kind


def _is_caption(line: str) -> bool:
    low = line.lower()
    if low.startswith(CAPTION_PREFIXES):
        return True
    if line.endswith(")") and "(" in line:
        tail = low[low.rfind("(") :]
        return any(marker in tail for marker in CAPTION_MARKERS)
    return False


def _is_byline(line: str) -> bool:
    return bool(_BYLINE.match(line)) and len(line.split()) <= 12 and line.rstrip()[-1] not in "!?"


def _title_case(line: str) -> bool:
    """Whether a line is set in headline capitals: at least three words of four or more
    letters, nearly all capitalised ("31 Latinos Share Their Most Honest Thoughts On ...")."""
    long = _LONG_WORD.findall(line)
    capital = sum(w[0].isupper() for w in long)
    return len(long) >= 3 and capital >= _TITLE_CASE_SHARE * len(long)


def _is_heading(line: str, first: bool, title: str | None) -> bool:
    if title and line.strip().rstrip(".") == title.strip().rstrip("."):
        return True
    words = len(line.split())
    last = line.rstrip(")]}\"'”’")[-1:] if line.rstrip(")]}\"'”’") else ""
    if first:
        return words <= 30 and last != ":" and (last != "." or _title_case(line))
    return words <= 15 and last not in _TITLE_END and last not in _TERMINAL


def layout(text: str, title: str | None = None) -> list[Paragraph]:
    """Split ``text`` into paragraphs (non-empty lines) and tell headings, captions and bylines.

    Layout kinds are recognised only in texts of two or more lines: a single line is body text.
    """
    spans = list(paragraphs(text))
    out: list[Paragraph] = []
    for i, (start, end) in enumerate(spans):
        line = text[start:end]
        kind = Kind.BODY
        if len(spans) > 1:
            if _is_caption(line):
                kind = Kind.CAPTION
            elif _is_byline(line):
                kind = Kind.BYLINE
            elif _is_heading(line, first=i == 0, title=title):
                kind = Kind.HEADING
        out.append(Paragraph(start, end, kind))
    return out


def chunks(
    text: str, start: int, end: int, limit: int = MAX_CHUNK_CHARS
) -> Iterator[tuple[int, int]]:
    """Cut [start, end) into pieces of at most ``limit`` chars, at sentence ends where possible."""
    while end - start > limit:
        window = text[start : start + limit]
        cut = max(window.rfind(". "), window.rfind("? "), window.rfind("! "))
        cut = cut + 2 if cut > limit // 2 else window.rfind(" ") + 1
        if cut <= 0:
            cut = limit
        yield start, start + cut
        start += cut
        while start < end and text[start].isspace():
            start += 1
    if start < end:
        yield start, end


def _adjust(text: str, b: int, start: int, end: int) -> int | None:
    """Move a candidate boundary past closing marks and spaces; None if it should not split."""
    while b < end and text[b] in _TRAILING and not text[b - 1].isspace():
        b += 1
    while b < end and text[b].isspace():
        b += 1
    if b <= start or b >= end:
        return None
    last = _last_before(text, start, b)
    if last is None or text[last] not in _TERMINAL:
        return None
    if text[b].islower() or _speaker_follows(text, b, text[last], start):
        return None
    return b


def _last_before(text: str, start: int, b: int) -> int | None:
    """Offset of the last character before ``b`` (not before ``start``) once trailing
    spaces, then closing marks and brackets, then spaces again are passed over, looking back
    from ``b`` rather than copying the text before it."""
    i = b - 1
    while i >= start and text[i].isspace():
        i -= 1
    while i >= start and text[i] in _TRAILING:
        i -= 1
    while i >= start and text[i].isspace():
        i -= 1
    return i if i >= start else None


def _is_cue_form(word: str) -> bool:
    """Whether a lower-case word is a past or present form of a cue verb ("said", "asked")."""
    lemma = IRREGULAR_CUE_FORMS.get(word)
    if lemma is None:
        stems = [word[:-3] + "y", word[:-2], word[:-1]] if word.endswith(("ed", "es")) else (
            [word[:-1]] if word.endswith("s") else [])
        lemma = next((s for s in stems if s in ANY_FRAME_CUES), None)
    return lemma is not None


def _speaker_follows(text: str, b: int, terminal: str, start: int) -> bool:
    """A quotation ends in "?" or "!" and its speaker follows ('"Why?" Clinton asked.'): the
    sentence goes on, though the mark and the capital after it look like a boundary."""
    last = b - 1
    while last > start and text[last].isspace():
        last -= 1
    if terminal not in "?!" or text[last] not in CLOSING_MARKS:
        return False
    match = _SPEAKER_TAIL.match(text, b)
    return match is not None and _is_cue_form(match.group(1) or match.group(2))


def sentence_spans(
    text: str,
    start: int,
    end: int,
    candidates: Iterable[int],
    forced: Iterable[int] = (),
) -> list[tuple[int, int]]:
    """Sentences of the paragraph [start, end) from candidate boundaries (e.g. spaCy's).

    ``forced`` boundaries (chunk cuts) are kept as they are. Returned spans are trimmed of
    whitespace, cover every non-space character once, and never overlap.
    """
    bounds = {b for b in (_adjust(text, c, start, end) for c in candidates) if b is not None}
    bounds.update(b for b in forced if start < b < end)
    cuts = [start, *sorted(bounds), end]
    spans = []
    for a, b in pairwise(cuts):
        seg = text[a:b]
        lead = len(seg) - len(seg.lstrip())
        trail = len(seg) - len(seg.rstrip())
        if b - trail > a + lead:
            spans.append((a + lead, b - trail))
    return spans
