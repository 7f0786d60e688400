"""Transcript speaker labels: "WALLACE: Do you really see those two as equivalent?",
"Diallo: They are not leftovers.", "Q: Why count bees?" / "A: Because nobody had."

In an interview or debate transcript each turn opens a line with its speaker's name and a
colon. One such line alone may be a kicker or a rubric ("UPDATE:", "FIX IS IN:"), so labels
count as speakers only where the article has the pattern of a transcript: two or more
labels in capitals (the same name twice, or two names), a name in ordinary case that opens
two or more lines, or both "Q:" and "A:". The name is the source, the colon the cue (as
PolNeAR marks them); "A" stands for the person interviewed. A "Q:" turn is the
interviewer's, the outlet's own voice: it ends the turn before it and attributes nothing.
Every sentence of a turn is its speaker's (docs/rules.md).
"""

from __future__ import annotations

import re
from collections import Counter
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


# A name in ordinary case (up to three words), or Q / A, opening a line with a colon.
_TITLE_LABEL = re.compile(
    r"(?m)^[ \t\xa0]*([A-Z][a-z'’\-]+(?:[ \t\xa0]+[A-Z][a-z'’\-]+){0,2}|Q|A)[ \t\xa0]*(:)"
    r"[ \t\xa0]+(?=\S)"
)
QUESTION_LABEL = "Q"


# A transcriber's note standing as a sentence: "(CROSSTALK.)", "[APPLAUSE]", "(inaudible)".
_STAGE_DIRECTION = re.compile(r"[\"“”'‘’\s]*[(\[][A-Za-z][A-Za-z ,.'’-]*[)\]][.\"“”'‘’\s]*")


def is_stage_direction(sentence: str) -> bool:
    """Whether a sentence is only a bracketed transcriber's note, nobody's words."""
    return _STAGE_DIRECTION.fullmatch(sentence) is not None


def _speaking(match: re.Match[str]) -> bool:
    return not any(w.lower() in NON_SPEAKER_LABELS for w in match.group(1).split())


def speaker_labels(text: str) -> list[tuple[tuple[int, int], tuple[int, int]]]:
    """(name span, colon span) of each transcript turn in the text, in text order; none
    unless the text has the pattern of a transcript (module docstring)."""
    found = [m for m in _LABEL.finditer(text) if _speaking(m)]
    if len(found) < 2:
        found = []
    titled = [m for m in _TITLE_LABEL.finditer(text) if _speaking(m)]
    counts = Counter(m.group(1) for m in titled)
    questions = counts[QUESTION_LABEL] > 0 and counts["A"] > 0
    found += [m for m in titled
              if (m.group(1) in (QUESTION_LABEL, "A") and questions)
              or (len(m.group(1)) > 1 and counts[m.group(1)] >= 2)]
    found.sort(key=lambda m: m.start(1))
    return [(m.span(1), m.span(2)) for m in found]


def add_transcript_speakers(text: str, drafts: Sequence[Draft]) -> None:
    """Give each sentence that opens a transcript turn its speaker as its main attribution,
    and make that speaker the quotation speaker of every sentence of the turn that holds a
    quotation or lies in one, whoever else was found for it, and the reporter of every other
    sentence of the turn that has no attribution of its own (up to the next turn; the last
    turn ends with its paragraph, as the article may go on after the transcript): a
    quotation mark left open across turns does not carry one speaker's name into the next
    one's words. A question turn ("Q:") attributes nothing."""
    turns = speaker_labels(text)
    for t, (name, colon) in enumerate(turns):
        k = draft_index(name[0], drafts)
        if k is None or text[name[0]:name[1]] == QUESTION_LABEL:
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
            elif not drafts[i].attributions and drafts[i].reported_by is None:
                drafts[i].reported_by = attr


def drop_stage_directions(text: str, drafts: Sequence[Draft]) -> None:
    """A transcriber's note standing as a sentence ("(CROSSTALK.)", "[APPLAUSE]") is nobody's
    words, though it lies inside a quotation: it loses its quotation and speaker."""
    for draft in drafts:
        if is_stage_direction(text[draft.start:draft.end]):
            draft.quotations, draft.speakers = [], []
