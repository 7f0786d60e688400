"""One label per sentence, by the ANNOTATION.md precedence: anonymous, direct_quote,
reported_speech, editorial.

The confidence is a fixed estimate for the kind of evidence the label rests on (a cue with a
parsed subject in the sentence is surer than a speaker carried over from a neighbour); it is
ordered, not calibrated.
"""

from __future__ import annotations

from dataclasses import dataclass

from .document import Label, QuoteForm
from .resolve import Draft
from .sources import Attribution

# Confidence by evidence; see the module docstring.
CONFIDENCE = {
    "own": 0.9,
    "pronoun": 0.8,
    "inherited": 0.75,
    "unresolved": 0.65,
    "speakerless_quote": 0.55,
    "editorial_clean": 0.9,
    "editorial_cue_rejected": 0.7,
}


@dataclass
class Decision:
    """The label of one sentence and the attribution it rests on."""

    label: Label
    confidence: float
    quote_form: QuoteForm
    attribution: Attribution | None
    resolved: tuple[int, int] | None


def _confidence(draft: Draft, attr: Attribution, own: bool) -> float:
    if not own:
        return CONFIDENCE["inherited"]
    if attr.pronoun is not None:
        k = draft.attributions.index(attr)
        return CONFIDENCE["pronoun"] if draft.resolved.get(k) else CONFIDENCE["unresolved"]
    return CONFIDENCE["own"]


def decide(draft: Draft, quote_spans: list[tuple[int, int]], full: bool) -> Decision:
    """Label one sentence from its attributions, its quotations' speakers and quoted spans.

    ``full`` says whether a quotation stands as a clause of its own (direct) rather than
    inside a paraphrase (partial).
    """
    own = sorted(draft.attributions, key=lambda a: (a.depth, a.cue[0]))
    speakers = [s for s in draft.speakers if s not in own]
    form = QuoteForm.NONE
    if quote_spans:
        form = QuoteForm.DIRECT if full else QuoteForm.PARTIAL

    def resolved_of(attr: Attribution) -> tuple[int, int] | None:
        if attr.antecedent is not None:
            return attr.antecedent
        if attr in draft.attributions and attr.pronoun is not None:
            return draft.resolved.get(draft.attributions.index(attr))
        return None

    reporters = [] if draft.reported_by is None else [draft.reported_by]
    candidates = [(a, True) for a in own] + [(a, False) for a in speakers + reporters]
    anonymous = [(a, o) for a, o in candidates if a.named is False]
    if anonymous:
        attr, is_own = anonymous[0]
        form = form if quote_spans else QuoteForm.INDIRECT
        return Decision(
            Label.ANONYMOUS, _confidence(draft, attr, is_own), form, attr, resolved_of(attr)
        )
    if quote_spans and draft.speakers:
        attr = draft.speakers[0]
        is_own = attr in own and not draft.inherited
        return Decision(
            Label.DIRECT_QUOTE, _confidence(draft, attr, is_own), form, attr, resolved_of(attr)
        )
    if own:
        attr = own[0]
        return Decision(
            Label.REPORTED_SPEECH,
            _confidence(draft, attr, True),
            QuoteForm.INDIRECT,
            attr,
            resolved_of(attr),
        )
    if draft.reported_by is not None:
        return Decision(Label.REPORTED_SPEECH, CONFIDENCE["inherited"], QuoteForm.INDIRECT,
                        draft.reported_by, resolved_of(draft.reported_by))
    if quote_spans and form is QuoteForm.DIRECT:
        return Decision(Label.DIRECT_QUOTE, CONFIDENCE["speakerless_quote"], form, None, None)
    confidence = (
        CONFIDENCE["editorial_cue_rejected"] if draft.considered else CONFIDENCE["editorial_clean"]
    )
    return Decision(Label.EDITORIAL, confidence, QuoteForm.NONE, None, None)
