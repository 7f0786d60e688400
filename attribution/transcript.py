"""Transcript speaker labels: "WALLACE: Do you really see those two as equivalent?"

In an interview or debate transcript each turn opens a line with its speaker's name in
capitals and a colon. One such line alone may be a kicker or a rubric ("UPDATE:", "FIX IS
IN:"), so labels count as speakers only where the article has two or more of them (the same
name twice, or two names): the pattern of a transcript. The name is the source, the colon
the cue (as PolNeAR marks them).
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from .document import Attribution, Category, Evidence, Span
from .lexicon import NON_SPEAKER_LABELS
from .quotes import paragraphs
from .resolve import Draft, draft_index, span_range

# Up to four capitalised words at the start of a line, after an optional opening quote mark.
_LABEL = re.compile(
    r"(?m)^[ \t\xa0]*[\"“'‘]?[ \t\xa0]*"
    r"([A-Z][A-Z'’.\-]+(?:[ \t\xa0]+[A-Z][A-Z'’.\-]+){0,3})[ \t\xa0]*(:)[ \t\xa0]+(?=\S)"
)


# A transcriber's note standing as a sentence: "(CROSSTALK.)", "[APPLAUSE]", "(inaudible)".
_STAGE_DIRECTION = re.compile(r"[\"“”'‘’\s]*[(\[][A-Za-z][A-Za-z ,.'’-]*[)\]][.\"“”'‘’\s]*")


def is_stage_direction(sentence: str) -> bool:
    """Whether a sentence is only a bracketed transcriber's note, nobody's words."""
    return _STAGE_DIRECTION.fullmatch(sentence) is not None


def speaker_labels(text: str) -> list[tuple[tuple[int, int], tuple[int, int]]]:
    """(name span, colon span) of each transcript turn in the text, in text order; none
    unless the text has at least two turns."""
    found = [m for m in _LABEL.finditer(text)
             if not any(w.lower() in NON_SPEAKER_LABELS for w in m.group(1).split())]
    if len(found) < 2:
        return []
    return [(m.span(1), m.span(2)) for m in found]


def add_transcript_speakers(text: str, drafts: Sequence[Draft]) -> None:
    """Give each sentence that opens a transcript turn its speaker as its main attribution,
    and make that speaker the quotation speaker of every sentence of the turn that holds a
    quotation or lies in one, whoever else was found for it (up to
    the next turn; the last turn ends with its paragraph, as the article may go on after the
    transcript): a quotation mark left open across turns does not carry one speaker's name
    into the next one's words."""
    turns = speaker_labels(text)
    for t, (name, colon) in enumerate(turns):
        k = draft_index(name[0], drafts)
        if k is None:
            continue
        draft = drafts[k]
        attr = next((a for a in draft.attributions if span_range(a.source) == name), None)
        if attr is None:
            attr = Attribution(Span.of(text, *name), Span.of(text, *colon), True, None,
                               Category.PERSON, 0, Evidence.TRANSCRIPT, bare_name=True)
            draft.attributions.insert(0, attr)
        end = turns[t + 1][0][0] if t + 1 < len(turns) else next(
            b for a, b in paragraphs(text) if a <= colon[1] <= b)
        for i in range(k, len(drafts)):
            if drafts[i].start >= end:
                break
            if drafts[i].speakers or drafts[i].quotations or i == k:
                drafts[i].speakers = [attr]
                drafts[i].inherited = i != k


def drop_stage_directions(text: str, drafts: Sequence[Draft]) -> None:
    """A transcriber's note standing as a sentence ("(CROSSTALK.)", "[APPLAUSE]") is nobody's
    words, though it lies inside a quotation: it loses its quotation and speaker."""
    for draft in drafts:
        if is_stage_direction(text[draft.start:draft.end]):
            draft.quotations, draft.speakers = [], []
