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

Wiki news interviews mark turns without a colon: the interviewer's open with the outlet's
name or a reporter's initials in double parentheses ("((WN))  Given that ...", "((WSS))"),
the interviewee's with their name or its initials ("MS Although we used ...") or with their
name in the same parentheses ("((Sara Seager))  That the life we studied ..."). There the
label is the source and there is no cue;
initials count only where they are those of a name the article gives, and only in an article
that has the interviewer's mark.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from typing import NamedTuple

from .document import Attribution, Category, Evidence, Span
from .lexicon import INTERVIEW_MARKS, NON_SPEAKER_LABELS
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

# Wiki news interview markup (module docstring): the interviewer's mark, a label of initials,
# and the names (two or three capitalised words) whose initials such a label may stand for.
_INTERVIEWER = re.compile(r"(?m)^[ \t\xa0]*(\(\([A-Za-z][A-Za-z .'’\-]{0,30}\)\))[ \t\xa0]*(?=\S)")
_INITIALS = re.compile(r"(?m)^[ \t\xa0]*([A-Z]{2,4})[ \t\xa0]+(?=[^\sa-z])")
_NAME_RUN = re.compile(r"[A-Z][a-z'’\-]+(?:[ \xa0][A-Z][a-z'’\-]+)+")
_LINE_NAME = re.compile(r"(?m)^[ \t\xa0]*([A-Z][a-z'’\-]+(?:[ \xa0][A-Z][a-z'’\-]+){1,2})"
                        r"[ \t\xa0]+(?=[^\sa-z])")


class Turn(NamedTuple):
    """A transcript turn's label: the name's span, the cue's (the colon; None where the markup
    has none) and whether it is the interviewer's turn, which attributes nothing."""

    name: tuple[int, int]
    cue: tuple[int, int] | None
    asks: bool = False


# A transcriber's note standing as a sentence: "(CROSSTALK.)", "[APPLAUSE]", "(inaudible)".
_STAGE_DIRECTION = re.compile(r"[\"“”'‘’\s]*[(\[][A-Za-z][A-Za-z ,.'’-]*[)\]][.\"“”'‘’\s]*")


def is_stage_direction(sentence: str) -> bool:
    """Whether a sentence is only a bracketed transcriber's note, nobody's words."""
    return _STAGE_DIRECTION.fullmatch(sentence) is not None


def _speaking(match: re.Match[str]) -> bool:
    return not any(w.lower() in NON_SPEAKER_LABELS for w in match.group(1).split())


def _initials(words: Sequence[str]) -> str:
    return "".join(w[0] for w in words)


def interview_labels(text: str) -> list[Turn]:
    """The turns of a wiki news interview (module docstring): the interviewer's marks, and the
    interviewee's labels of initials, or of the full name those initials stand for; none
    without an interviewer's mark or without a label that stands for a name in the text."""
    marks = list(_INTERVIEWER.finditer(text))
    asks = [Turn(m.span(1), None, True) for m in marks if not _named_mark(m.group(1))]
    if not asks:
        return []
    # "((Thomas Rivinius))", "((Jaya))": a name in ordinary case in the same markup is the
    # person interviewed; the label is the name inside the parentheses.
    named = [Turn((m.start(1) + 2, m.end(1) - 2), None) for m in marks if _named_mark(m.group(1))]
    names: set[str] = set()
    for run in _NAME_RUN.finditer(text):
        words = run.group().split()
        names.update(_initials(words[i:i + n]) for n in (2, 3) for i in range(len(words) - n + 1))
    initials = [m for m in _INITIALS.finditer(text) if m.group(1) in names]
    used = {m.group(1) for m in initials}
    labels = [(m, m.group(1)) for m in initials] + [
        (m, key) for m in _LINE_NAME.finditer(text)
        if (key := _initials(m.group(1).split())) in used]
    # One line opening with capitals may be "UK Prime Minister ...": a label opens two or more.
    counts = Counter(key for _, key in labels)
    answers = [Turn(m.span(1), None) for m, key in labels if counts[key] >= 2] + named
    return sorted(asks + answers) if answers else []


def _named_mark(mark: str) -> bool:
    """Whether a double-parenthesis mark holds a person's name ("((Sara Seager))") rather than
    the interviewer's: the outlet ("((WN))", "((Wikinews))") or a reporter's initials
    ("((WSS))")."""
    inner = mark.strip("() \t\xa0")
    return inner.lower() != "wikinews" and any(c.islower() for c in inner)


def speaker_labels(text: str) -> list[Turn]:
    """Each transcript turn's label in the text, in text order; none unless the text has the
    pattern of a transcript or of a wiki news interview (module docstring)."""
    found = [m for m in _LABEL.finditer(text) if _speaking(m)]
    if len(found) < 2:
        found = []
    titled = [m for m in _TITLE_LABEL.finditer(text) if _speaking(m)]
    counts = Counter(m.group(1) for m in titled)
    questions = counts[QUESTION_LABEL] > 0 and counts["A"] > 0
    found += [m for m in titled
              if (m.group(1) in (QUESTION_LABEL, "A") and questions)
              or (len(m.group(1)) > 1 and counts[m.group(1)] >= 2)]
    turns = [Turn(m.span(1), m.span(2), m.group(1) == QUESTION_LABEL) for m in found]
    return sorted(turns + interview_labels(text))


def _turn_end(text: str, turns: Sequence[Turn], t: int) -> int:
    """Where turn ``t`` ends: at the next turn's label, but at the end of its paragraph where
    it is the last turn (the article may go on) or where the next label is the same speaker's
    (a label repeats only after someone else spoke: the paragraphs between are the
    interviewer's questions, set down without a label)."""
    name = turns[t].name
    if t + 1 < len(turns):
        after = turns[t + 1].name
        if text[after[0]:after[1]] != text[name[0]:name[1]]:
            return after[0]
    return next(b for a, b in paragraphs(text) if a <= name[1] <= b)


def add_transcript_speakers(text: str, drafts: Sequence[Draft]) -> None:
    """Give each sentence that opens a transcript turn its speaker as its main attribution,
    and make that speaker the quotation speaker of every sentence of the turn that holds a
    quotation or lies in one, whoever else was found for it, and the reporter of every other
    sentence of the turn that has no attribution of its own (up to the next turn; the last
    turn ends with its paragraph, as the article may go on after the transcript): a
    quotation mark left open across turns does not carry one speaker's name into the next
    one's words. An interviewer's turn ("Q:", "((WN))") attributes nothing, and its
    sentences are marked ``asked``: the outlet's own words, which the decision stage keeps
    editorial. Nor does a paragraph without a label between two turns of one speaker
    (``_turn_end``) attribute. A text with no labelled turn may be an unlabelled interview
    (``add_qa_speakers``)."""
    turns = speaker_labels(text)
    if not turns:
        add_qa_speakers(text, drafts)
        return
    for t, (name, cue, asks) in enumerate(turns):
        k = draft_index(name[0], drafts)
        if k is None:
            continue
        end = _turn_end(text, turns, t)
        turn = [d for d in drafts[k:] if d.start < end]  # drafts are in text order
        if asks:
            for draft in turn:
                draft.asked = True
            continue
        draft = drafts[k]
        attr = next((a for a in draft.attributions if span_range(a.source) == name), None)
        if attr is None:
            attr = Attribution(Span.of(text, *name), None if cue is None else Span.of(text, *cue),
                               True, None, Category.PERSON, 0, Evidence.TRANSCRIPT,
                               bare_name=True)
            draft.attributions.insert(0, attr)
        for i, member in enumerate(turn):
            if member.speakers or member.quotations or i == 0:
                member.speakers = [attr]
                member.inherited = i != 0
            elif not member.attributions and member.reported_by is None:
                member.reported_by = attr


def qa_answers(text: str, drafts: Sequence[Draft]
               ) -> tuple[tuple[int, int], list[tuple[int, int]]] | None:
    """An interview set down as questions and answers without speakers' labels: the
    interviewee's name (the first full name of a person before the first question) and the
    answers' paragraphs. A question is a paragraph that ends with "?"; an answer, the
    paragraphs from one after a question to the next question (the last answer is its first
    paragraph only: the article may go on). None unless there are three questions each
    followed by an answer and the text says it is an interview (``lexicon.INTERVIEW_MARKS``:
    "spoke to us", "edited for length"), so that an essay's rhetorical questions are not
    taken for an interviewer's."""
    paras = list(paragraphs(text))
    low = text.lower()
    if len(paras) < 6 or not any(m in low for m in INTERVIEW_MARKS):
        return None
    asks = [text[b - 1] == "?" for a, b in paras]
    answered = [i for i in range(len(paras) - 1) if asks[i] and not asks[i + 1]]
    if len(answered) < 3:
        return None
    first = asks.index(True)
    name = next((m for d in drafts if d.end <= paras[first][0] for m in d.mentions
                 if m.category is Category.PERSON and m.named and not m.pronoun
                 and " " in text[m.span[0]:m.span[1]]), None)
    if name is None:
        return None
    answers = []
    for i in answered:
        j = i + 1
        answers.append(paras[j])
        while i != answered[-1] and j + 1 < len(paras) and not asks[j + 1]:
            j += 1
            answers.append(paras[j])
    return name.span, answers


def add_qa_speakers(text: str, drafts: Sequence[Draft]) -> None:
    """Make the interviewee of an unlabelled question-and-answer interview (``qa_answers``)
    the reporter of every sentence of the answers that has no attribution of its own; the
    questions are the outlet's voice. ``add_transcript_speakers`` calls it for a text without
    labelled turns."""
    found = qa_answers(text, drafts)
    if found is None:
        return
    name, answers = found
    attr = Attribution(Span.of(text, *name), None, True, None, Category.PERSON, 0,
                       Evidence.TRANSCRIPT, bare_name=True)
    for draft in drafts:
        inside = any(a <= draft.start < b for a, b in answers)
        if inside and not draft.attributions and draft.reported_by is None and not draft.speakers:
            draft.reported_by = attr


def drop_stage_directions(text: str, drafts: Sequence[Draft]) -> None:
    """A transcriber's note standing as a sentence ("(CROSSTALK.)", "[APPLAUSE]") is nobody's
    words, though it lies inside a quotation: it loses its quotation and speaker."""
    for draft in drafts:
        if is_stage_direction(text[draft.start:draft.end]):
            draft.quotations, draft.speakers = [], []
