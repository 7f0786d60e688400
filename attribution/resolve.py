"""Links across sentences: pronoun sources to their antecedents, quotations to their speakers.

Works on per-sentence records (``Draft``) after parsing: the rules' findings as plain offsets.
A draft also keeps its sentence's parse (``Draft.parsed``) when the sourcing model is on, for
the decision stage to read the tagged phrases; with the rules alone the parse is dropped as
soon as the sentence's findings are read.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from itertools import islice
from typing import Any

from .document import Attribution, Category, Evidence, Kind, Sentence, Span
from .lexicon import (
    ANTECEDENT_KINDS,
    CREDIT_WORDS,
    PRONOUN_GENDER,
    SCARE_QUOTE_CUES,
    pronoun_kind,
)
from .quotes import Quotation, is_full_quote
from .sources import Mention, antecedent_range, may_be_surname, surname_of
from .spans import phrase_tokens

# How many sentences back a pronoun or a speakerless quotation may look.
PRONOUN_WINDOW = 4
# Candidates a pronoun looks at, at most (a news sentence holds a handful).
MAX_EXAMINED = 100
_WORD = re.compile(r"[\w’'-]+")
_SMALL_WORDS = frozenset(
    {"a", "an", "the", "of", "and", "or", "in", "on", "to", "for", "at", "by", "with",
     "v", "vs", "versus"}  # a case's name: "Glawischnig-Piesczek vs. Facebook Ireland Limited"
)
_PARTIAL_MIN_WORDS = 3
# Words right before a quoted term: 'a "hit"', 'the "surge"'.
_ARTICLES = frozenset({"a", "an", "the", "this", "that", "these", "those", "so-called"})
# Words that may follow a noun phrase: after one of these a quoted word is the noun itself.
_FOLLOWS_A_NOUN = frozenset(
    """is was are were be been being has have had will would could can may might should must
    does did do that which who whom whose of in on at for to by with from as and or but nor
    than then so if when while because after before since until into onto over under about
    against between through during without within among per it its they he she we you not
    also only just even still already never always there here""".split())
# A closing mark and the word after it.
_WORD_AFTER_MARK = re.compile(r"[”\"’']\s+([a-z][\w-]*)")
_DASH = r"(―|—|–|--)"  # a signature's dash
_NAME_WORD = r"[^\W\d_][\w.’'-]*"  # a word of a signature's name
# A signature under a quotation: a dash and a name closing the line ("...” ― Sonya Herridge").
_SIGNATURE = re.compile(
    rf"[ \t\xa0]*(?:\n[ \t\xa0]*){{0,2}}{_DASH}[ \t\xa0]*"
    rf"({_NAME_WORD}(?:[ \t\xa0]+{_NAME_WORD}){{0,5}})[ \t\xa0]*(?=\n|$)"
)

# A signature on a line of its own, under a pull quote or a quoted passage set off without
# marks: a dash, a name of one to six capitalised words (a small word such as "of" inside),
# and optionally what the words were about ("—Łukasz Szumowski on the failed efforts ...").
_NAME_PARTICLES = frozenset({"de", "del", "da", "von", "van", "der", "du", "la", "le", "al"})
_INSIDE_NAME = "|".join(sorted(_NAME_PARTICLES | {"of", "the", "and"}))
_LONE_SIGNATURE = re.compile(
    rf"[ \t\xa0]*{_DASH}[ \t\xa0]*"
    rf"({_NAME_WORD}(?:,?[ \t\xa0]+(?:(?:{_INSIDE_NAME})[ \t\xa0]+)?{_NAME_WORD}){{0,7}}?)"
    r"(?:[ \t\xa0]+on[ \t\xa0]+[^\n]+)?[ \t\xa0]*"
)
_DASH_LINE = re.compile(r"[ \t\xa0]*(―|—|–|--|-|•|\*)")
_LINE = re.compile(r"[^\n]*\S[^\n]*")
_LETTER = re.compile(r"[^\W\d_]")

@dataclass
class Draft:
    """What the sentence-level analysis found in one sentence, before the label is decided."""

    start: int
    end: int
    kind: Kind
    paragraph: int
    attributions: list[Attribution] = field(default_factory=list)
    considered: int = 0
    mentions: list[Mention] = field(default_factory=list)
    quotations: list[int] = field(default_factory=list)  # indices of quotations touching it
    resolved: dict[int, tuple[int, int] | None] = field(default_factory=dict)  # attr index -> span
    speakers: list[Attribution] = field(default_factory=list)  # from quotations it holds
    inherited: bool = False  # speaker taken from a neighbouring sentence
    reported_by: Attribution | None = None  # a colon intro's, for the paragraph below it
    entities: list[tuple[int, int]] = field(default_factory=list)  # stance targets found
    passive_subjects: list[tuple[int, int]] = field(default_factory=list)  # "X is accused of"
    quotes: list[tuple[int, int]] = field(default_factory=list)  # quoted spans in the sentence
    # spans of touching quotations read as titles or nicknames ("Miss Piggy"): nobody's words
    # to the rules, though a model may read them as a speaker's
    titled: list[tuple[int, int]] = field(default_factory=list)
    full: bool = False  # a quotation stands as a clause of its own (direct, not partial)
    asked: bool = False  # in an interviewer's turn of a transcript: the outlet's own words
    parsed: Any = None  # the sentence's spaCy span, kept only for the sourcing model's merge
    offset: int = 0  # text offset at which the parsed document begins


def span_range(span: Span | None) -> tuple[int, int] | None:
    """A span's (start, end), or None."""
    return None if span is None else (span.start, span.end)


def _compatible(pronoun: str, category: Category, is_source: bool, bare_name: bool,
                loose: bool) -> bool:
    """Whether a pronoun may point back to a candidate; "they" reaches an organisation only as a
    source ("the company ... they said") or as the subject of the sentence before or of its
    own (``is_source`` is then true too: "The NBA did not name the player. They did say ..."),
    never a mere place or name in passing. With ``loose``, "he"/"she" may also reach a bare
    proper name tagged as an organisation."""
    if pronoun == "person":
        return category == "person" or (loose and bare_name)
    if pronoun == "group":
        return category == "group" or (category == "thing" and is_source)
    return category == "thing"


Candidate = tuple[tuple[int, int], Category, bool, bool, bool, str | None, bool]


def _candidates(draft: Draft, before: int | None) -> Iterator[Candidate | None]:
    """Antecedent candidates in one sentence, most preferred first: sources, subjects, the rest;
    None for each item passed over, so that a caller can bound the items it examines.

    Each is (span, category, named, is_source, bare_name, gender, subject).
    """
    for k, attr in enumerate(draft.attributions):
        if attr.source is None or (before is not None and attr.source.start >= before):
            yield None
            continue
        own = span_range(attr.source)
        span = draft.resolved.get(k, own) if attr.pronoun else own
        if attr.antecedent is not None:  # "who" stands for the phrase before it
            span = span_range(attr.antecedent)
        if span is not None and attr.source_named is not None:
            yield span, attr.category, attr.source_named, True, attr.bare_name, attr.gender, True
        else:
            yield None
    mentions = draft.mentions  # in text order
    cut = len(mentions) if before is None else bisect_left(mentions, before,
                                                           key=lambda m: m.span[0])
    for m in islice(mentions, cut):
        ok = m.subject and not m.pronoun and (before is None or m.span[1] <= before)
        yield (m.span, m.category, m.named, False, m.bare_name, m.gender, True) if ok else None
    for k in range(cut - 1, -1, -1):
        m = mentions[k]
        ok = not m.subject and not m.pronoun and (before is None or m.span[1] <= before)
        yield (m.span, m.category, m.named, False, m.bare_name, m.gender, False) if ok else None


def _antecedent(drafts: list[Draft], i: int, start: int, pronoun: str, wanted: str | None,
                genders: dict[Any, str]) -> tuple[tuple[int, int], bool] | None:
    """(span, named) of the nearest candidate within the window that a pronoun of kind
    ``pronoun`` at ``start`` in sentence ``i`` may refer to, or None; for he/she, a bare
    proper name the tagger took for an organisation only where no person fits. A gendered
    pronoun (``wanted``: "m" or "f") skips a candidate the text gives the other gender (a
    title, a role noun, or an earlier pronoun resolved to it: ``genders``). At most
    ``MAX_EXAMINED`` items are looked at, so a page of pronouns costs time linear in its
    length."""
    examined = 0
    loose: tuple[tuple[int, int], bool] | None = None
    for j in range(i, max(-1, i - PRONOUN_WINDOW - 1), -1):
        before = start if j == i else None
        for candidate in _candidates(drafts[j], before):
            examined += 1
            if examined > MAX_EXAMINED:
                return loose
            if candidate is None:
                continue
            span, category, named, is_source, bare, gender, subject = candidate
            known = gender or genders.get(span)
            if wanted and known and known != wanted:
                continue
            speaks = is_source or (subject and j >= i - 1)
            if _compatible(pronoun, category, speaks, bare, False):
                return span, named
            if loose is None and _compatible(pronoun, category, speaks, bare, True):
                loose = span, named
    return loose


def resolve_pronouns(drafts: list[Draft]) -> None:
    """Give each pronoun source the nearest compatible earlier source or mention and its anonymity.

    An unresolved "he"/"she"/"it" is taken as named (a specific, identified speaker) and an
    unresolved "they" as anonymous. "he" and "she" agree in gender with what they resolve to,
    where a title, a role noun or an earlier "he" or "she" (a source or not: "He thanked the
    crowd") says it.
    """
    genders: dict[Any, str] = {}

    def find(i: int, start: int, pronoun: str,
             wanted: str | None) -> tuple[tuple[int, int], bool] | None:
        return _antecedent(drafts, i, start, pronoun, wanted, genders)

    for i, draft in enumerate(drafts):
        events: list[tuple[int, int | None, Any]] = [
            (m.span[0], None, m) for m in draft.mentions if m.pronoun]
        events += [(a.source.start, k, a) for k, a in enumerate(draft.attributions)
                   if a.source is not None and a.pronoun in ("person", "group", "thing")]
        for start, k, item in sorted(events, key=lambda e: e[0]):
            if k is None:  # a he/she that is no source: it tells the gender of its antecedent
                found = find(i, start, "person", item.gender)
                if found and item.gender:
                    genders.setdefault(found[0], item.gender)
                continue
            attr = item
            wanted = PRONOUN_GENDER.get(attr.source.text.lower())
            found = find(i, start, attr.pronoun, wanted)
            if found:
                draft.resolved[k] = found[0]
                attr.source_named = found[1]
                if wanted:
                    genders.setdefault(found[0], wanted)
                    attr.gender = wanted
            else:
                draft.resolved[k] = None
                attr.source_named = attr.pronoun != "group"


FullNames = dict[str, list[tuple[int, int]]]


def full_names(text: str, drafts: Sequence[Draft]) -> FullNames:
    """The article's named people of two words or more, by last word, in text order: what a
    later surname may stand for (``earlier_full_name``), read in one pass."""
    names: FullNames = {}
    for draft in drafts:
        for mention in draft.mentions:
            a, b = mention.span
            if mention.category is Category.PERSON and mention.named and not mention.pronoun:
                surname = surname_of(text[a:b])
                if surname is not None:
                    names.setdefault(surname, []).append((a, b))
    return names


def earlier_full_name(names: FullNames, span: Span) -> tuple[int, int] | None:
    """The latest person of ``names`` named before ``span`` whose full name ends in its one
    word ("Fallows remarked" after "Chris Fallows of Apex Shark Expeditions"): a surname the
    tagger took for a plural or a common noun. None where no earlier name ends in it."""
    if not may_be_surname(span.text):
        return None
    spans = names.get(span.text, [])
    k = bisect_right(spans, span.start, key=lambda s: s[1])
    return spans[k - 1] if k else None


def resolve_surnames(text: str, drafts: list[Draft]) -> None:
    """Read a source that is an earlier person's surname as that person: named, resolved to the
    full name (docs/rules.md)."""
    names = full_names(text, drafts)
    for draft in drafts:
        for k, attr in enumerate(draft.attributions):
            if attr.source is None or attr.pronoun is not None or attr.source_named is not False:
                continue
            found = earlier_full_name(names, attr.source)
            if found is not None:
                attr.source_named, attr.category = True, Category.PERSON
                draft.resolved[k] = found


def is_scare_quote(text: str, quotation: Quotation) -> bool:
    """Quotation marks around a title, a nickname or a scare term, not around anyone's words.

    A quotation of at most eight words counts as one when a word such as "so-called",
    "dubbed" or "known (as)" comes just before it, or when every content word of it is
    capitalised and it does not end a sentence (a title; over four words it must also start
    with a capital).
    """
    if len(quotation.segments) > 1:
        return False
    a, b = quotation.segments[0]
    words = _WORD.findall(text[a:b])
    if not words or len(words) > 8:
        return False
    before = _WORD.findall(text[max(0, a - 40) : a - 1].lower())[-2:]
    if any(w in SCARE_QUOTE_CUES for w in before):
        return True
    content = [w for w in words if w.lower() not in _SMALL_WORDS]
    titled = bool(content) and all(w[0].isupper() for w in content)
    ends_sentence = text[a:b].rstrip()[-1:] in ".!?,"
    if titled and not ends_sentence and (len(words) <= 4 or words[0][0].isupper()):
        return True
    return is_term_quote(text, quotation)


def is_term_quote(text: str, quotation: Quotation) -> bool:
    """One or two lower-case words in quotation marks right after an article ('Police say a
    "hit" is only a lead', 'the "surge"'): a term held at arm's length, not a speaker's words.
    Quoted words after anything else ('have "adequate resources"', 'was "disgusting"') are a
    partial quotation (docs/ANNOTATION.md, rule 2), and so is one word that qualifies the
    noun after it ('was in a "serious" condition', 'a "terrorist-related" attack'): the
    speaker's own word for it."""
    if len(quotation.segments) > 1:
        return False
    a, b = quotation.segments[0]
    words = _WORD.findall(text[a:b])
    if not words or len(words) > 2 or not words[0][0].islower():
        return False
    if text[a:b].rstrip()[-1:] in ".!?,":
        return False
    if len(words) == 1 and _qualifies_next(text, b):
        return False
    before = _WORD.findall(text[max(0, a - 20) : a - 1].lower())
    return bool(before) and before[-1] in _ARTICLES and text[a - 2 : a - 1].isspace()


def _qualifies_next(text: str, end: int) -> bool:
    """Whether the word after a quotation's closing mark (``end`` is where the mark stands)
    is a lower-case word that is no function word or verb of being: the quoted word then
    qualifies it ('a "serious" condition')."""
    after = _WORD_AFTER_MARK.match(text, end, end + 40)
    return after is not None and after.group(1) not in _FOLLOWS_A_NOUN


def _primary(attrs: list[Attribution]) -> Attribution | None:
    return min(attrs, key=lambda a: (a.depth, a.cue.start if a.cue else 0)) if attrs else None


def signature(text: str, quotation: Quotation) -> tuple[tuple[int, int], tuple[int, int]] | None:
    """(dash, name) offsets of the signature that follows a quotation's closing mark on its
    line or the next ("...” ― Sonya Herridge"): a dash, then one to six capitalised words
    ending the line. None where there is none."""
    after = quotation.end + 1
    match = _SIGNATURE.match(text, after)
    if match is None:
        return None
    start, end = match.span(2)
    while end > start and text[end - 1] == ".":
        end -= 1
    words = text[start:end].split()
    if not words or not all(w[0].isupper() for w in words):
        return None
    return match.span(1), (start, end)


def draft_index(position: int, drafts: Sequence[Draft]) -> int | None:
    """The index of the sentence (drafts are in text order) that holds a text offset, found
    by bisection; None where none does."""
    k = bisect_right(drafts, position, key=lambda d: d.start) - 1
    return k if k >= 0 and position < drafts[k].end else None


def _signed(text: str, drafts: list[Draft], quotation: Quotation) -> tuple[int, Attribution] | None:
    """The quotation's signature as an attribution of the sentence that holds its dash
    (added to that sentence), with the sentence's index; None where it has none."""
    found = signature(text, quotation)
    if found is None:
        return None
    dash, name = found
    k = draft_index(dash[0], drafts)
    if k is None:
        return None
    draft = drafts[k]
    for attr in draft.attributions:
        if span_range(attr.cue) == dash:
            return k, attr
    attr = Attribution(Span.of(text, *name), Span.of(text, *dash), True, None, Category.PERSON,
                       0, Evidence.SIGNATURE)
    draft.attributions.append(attr)
    return k, attr


def lone_signature(line: str) -> tuple[tuple[int, int], tuple[int, int]] | None:
    """(dash, name) offsets in a line that is a signature on its own ("— European Court of
    Justice", "—Łukasz Szumowski on the failed efforts to save the mayor's life"); None for
    any other line, and for a credit line: one that ends in a full stop or names a
    reporter or an agency ("— White House Correspondent Julie Pace.", "— The Associated
    Press")."""
    match = _LONE_SIGNATURE.fullmatch(line)
    if match is None or line.rstrip().endswith("."):
        return None
    start, end = match.span(2)
    words = line[start:end].split()
    if any(w.lower().strip(".") in CREDIT_WORDS for w in words):
        return None
    # a title may stand before the name, set off by a comma ("—The mayor of London, Sadiq
    # Khan"); the name after it is capitalised
    titled = line[start:end].rsplit(",", 1)
    if len(titled) == 2 and (len(titled[0].split()) > 6 or len(titled[1].split()) > 4):
        return None
    content = [w for w in titled[-1].split() if w.lower() not in _SMALL_WORDS | _NAME_PARTICLES]
    if not content or not all(w[0].isupper() for w in content):
        return None
    if len(titled) == 1 and len(words) > 6:
        return None
    return match.span(1), (start, end)


def sign_lone_lines(text: str, drafts: list[Draft]) -> None:
    """Give a signature line standing alone (``lone_signature``) its name as source and its
    dash as cue. Not the article's first or last line (a headline, a closing credit), nor a
    line beside another dash-led line (a list), nor one above a separator ("___")."""
    lines = list(_LINE.finditer(text))
    for i in range(1, len(lines) - 1):
        line = lines[i]
        found = lone_signature(line.group())
        if (found is None or not _LETTER.search(lines[i + 1].group())
                or any(_DASH_LINE.match(lines[j].group()) for j in (i - 1, i + 1))):
            continue
        (d0, d1), (n0, n1) = found
        dash, name = (line.start() + d0, line.start() + d1), (line.start() + n0, line.start() + n1)
        k = draft_index(dash[0], drafts)
        if k is None or drafts[k].end < name[1]:
            continue
        draft = drafts[k]
        if any(a.evidence is Evidence.SIGNATURE or span_range(a.cue) == dash
               for a in draft.attributions):
            continue
        draft.attributions.append(Attribution(Span.of(text, *name), Span.of(text, *dash), True,
                                              None, Category.PERSON, 0, Evidence.SIGNATURE))

def link_quotations(text: str, drafts: list[Draft], quotations: list[Quotation]) -> set[int]:
    """Give each quotation a speaker and return the indices of quotations that are nobody's words.

    The speaker comes from the first sentence of the quotation that has an attribution; else
    from the signature under it ("...” ― Sonya Herridge"); else, for a full quotation, from
    the sentence before (or after) it, and for a partial quotation of
    three or more words from the sentence before. A partial quotation with no speaker near it,
    and a title or scare quote, is not a quotation.
    """
    holders: dict[int, list[int]] = {}
    for i, draft in enumerate(drafts):
        for q in draft.quotations:
            holders.setdefault(q, []).append(i)
    scare: set[int] = set()
    for q, idx in holders.items():
        quotation = quotations[q]
        if is_scare_quote(text, quotation):
            scare.add(q)
            continue
        signed = _signed(text, drafts, quotation)
        speaker, holder = None, None
        for i in idx:
            speaker = _primary(drafts[i].attributions)
            if speaker is not None:
                holder = i
                break
        if speaker is None and signed is not None:
            holder, speaker = signed
        if speaker is None:
            fills = is_full_quote(text, quotation.segments[0], drafts[idx[0]].start)
            words = len(_WORD.findall(" ".join(text[a:b] for a, b in quotation.segments)))
            if not fills and words < _PARTIAL_MIN_WORDS:
                scare.add(q)
                continue
            prev_i, next_i = idx[0] - 1, idx[-1] + 1
            for n in [prev_i, next_i] if fills else [prev_i]:
                if 0 <= n < len(drafts) and drafts[n].kind is Kind.BODY:
                    speaker = _primary(drafts[n].attributions) or (
                        drafts[n].speakers[0] if n < idx[0] and drafts[n].speakers else None
                    )
                if speaker is not None:
                    break
            if speaker is None and not fills:
                scare.add(q)
                continue
        if speaker is not None:
            for i in idx:
                drafts[i].speakers.append(speaker)
                drafts[i].inherited = drafts[i].inherited or i != holder
    return scare


def link_colon_intros(text: str, drafts: list[Draft]) -> None:
    """A paragraph that ends with a cue and a colon ("The governor added:") introduces the
    next one as its content, quotation marks or not: each sentence of an unquoted body
    paragraph below it, with no attribution of its own, is reported by that source."""
    for k, draft in enumerate(drafts[:-1]):
        below = drafts[k + 1]
        if (below.paragraph == draft.paragraph or below.kind is not Kind.BODY
                or not text[draft.start:draft.end].rstrip().endswith(":")):
            continue
        intro = _primary([a for a in draft.attributions if a.evidence == "colon"])
        if intro is None or below.quotations:
            continue
        for j in range(k + 1, len(drafts)):
            other = drafts[j]
            if other.paragraph != below.paragraph:
                break
            if not other.attributions and not other.quotations:
                other.reported_by = intro


def _relative_in_parse(source: Span, draft: Draft) -> Span | None:
    """What a relative pronoun source ("who") stands for, read from the sentence's parse."""
    if draft.parsed is None:
        return None
    tokens = phrase_tokens(draft.parsed, draft.offset, source.start, source.end)
    found = None if tokens is None or len(tokens) != 1 else antecedent_range(tokens[0])
    if found is None:
        return None
    a, b = found
    return Span(a + draft.offset, b + draft.offset, tokens.doc.text[a:b])


def _category(span: Span, drafts: Sequence[Draft]) -> Category | None:
    """What the rules took a phrase for (person, group, thing): its own parse, else that of a
    mention inside it; None where they did not parse it."""
    k = draft_index(span.start, drafts)
    if k is None:
        return None
    draft = drafts[k]
    for attr in draft.attributions:
        if attr.source == span and attr.pronoun is None:
            return attr.category
    inside = None
    for mention in draft.mentions:
        if mention.span == (span.start, span.end):
            return mention.category
        if span.start <= mention.span[0] and mention.span[1] <= span.end:
            inside = inside or mention.category
    return inside


def antecedent(text: str, attr: Attribution, draft: Draft, drafts: Sequence[Draft] = (),
               decided: Sequence[Sentence] = ()) -> Span | None:
    """What a source refers to: the phrase a relative pronoun ("who") stands for; for a
    pronoun, the antecedent ``resolve_pronouns`` found for it, else (a source the rules did
    not resolve) the speaker of the nearest of the ``decided`` sentences before it, within
    ``PRONOUN_WINDOW``, whose kind fits the pronoun. None for any other source."""
    source = attr.source
    if source is None:
        return None
    relative = attr.antecedent or _relative_in_parse(source, draft)
    if relative is not None:
        return relative
    k = next((k for k, a in enumerate(draft.attributions) if a.source == source), None)
    found = None if k is None else draft.resolved.get(k)
    if found is not None:  # a pronoun or a surname resolved
        return Span.of(text, *found)
    kind = pronoun_kind(source.text)
    if kind is None:
        return None
    for prior in reversed(decided[-PRONOUN_WINDOW:]):
        speaker = prior.speaker
        if speaker is None or pronoun_kind(speaker.text):
            continue
        category = _category(speaker, drafts)
        if category is None or category in ANTECEDENT_KINDS[kind]:
            return speaker
    return None
