"""Source span boundaries: a tagged source phrase fitted to the sentence's parse.

The sourcing model tags word pieces, so its spans can stop inside a word, leave out a
determiner or a title ("police Chief Chuck Jordan" for "Tulsa police Chief Chuck Jordan"),
or catch a stray function word ("the", "'s"). These functions fit such a span to the noun
phrase it belongs to, following the boundaries of attribution corpora such as PolNeAR: the
whole noun phrase with its determiner and pre-modifiers, and an appositive together with
the comma that closes it.
"""

from __future__ import annotations

import re
from typing import Any

from .lexicon import CUE_VERBS

# A dateline opening a story: a place in capitals, maybe a date and an agency, then a dash
# ("WASHINGTON -- ", "FLINT, Mich., Oct. 4 (UPI) — "). It is never part of a source.
_DATELINE = re.compile(
    r"(?=[A-Z .'’-]*[A-Z]{3})[A-Z][A-Z.'’-]+(?: [A-Z][A-Z.'’-]+)*"  # the place
    r"(?:,[^—–\n]*?)?(?: ?\([A-Za-z ]+\))?"  # state, date, agency
    r"\s*(?:--|—|–|-)\s+"
)

# Marks a source never begins with (no PolNeAR train or dev source does): a closing quote mark
# or a dash from the signature under a quotation ("...” ― Sonya Herridge"), markup, stray
# punctuation.
_LEADING_JUNK = re.compile(r"[”―—–>:;,\-\s]+")

# A party tag right after a politician's name ("Sen. Claire McCaskill (D-Mo.)", "Paul Ryan,
# R-Wis.,"); PolNeAR's sources include it (105 of 108 train sources followed by one in
# brackets, all 14 with one between commas).
_PARTY = re.compile(r" ?\((?:D|R|I)(?:[-–][A-Za-z. ]{1,20})?\)|, (?:D|R|I)-[A-Z][A-Za-z.]+,")

# Parts of speech a stray tag may land on: the span is moved to the word they depend on.
FUNCTION_WORDS = frozenset({"DET", "ADP", "PART", "PUNCT"})
# What can head a source phrase: someone or something that speaks.
NOMINAL = frozenset({"NOUN", "PROPN", "PRON", "NUM", "X"})
# A phrase does not reach left over these (a preposition, conjunction, adverb or comma
# before the phrase is not part of it).
NOT_LEFT_EDGE = frozenset({"ADP", "PUNCT", "CCONJ", "SCONJ", "ADV"})
# Words that a tagged span may catch at its ends but that belong to the clause around it.
LOOSE_ENDS = frozenset({"VERB", "AUX", "ADV"})


def phrase_tokens(parsed: Any, offset: int, start: int, end: int) -> Any:
    """The tokens of the parsed sentence that the text span [start, end) touches, or None."""
    span = parsed.doc.char_span(start - offset, end - offset, alignment_mode="expand")
    return span if span is not None and len(span) else None


def snap_source(parsed: Any, offset: int, start: int, end: int) -> tuple[int, int] | None:
    """The source phrase that a tagged span [start, end) (text offsets) stands for, or None
    where it is no phrase that can speak (its head is a verb, an adjective, an auxiliary).

    ``parsed`` is the sentence's spaCy span, whose document begins at text offset
    ``offset``. The span grows to whole words; one whose head is a function word moves to
    the word that one depends on; a title or first name alone moves to the name it is part
    of; one ending in a modifier takes the common noun it modifies; one ending in a
    preposition takes the preposition's object; a verb or adverb at
    either end, and a date after the head, are cut off; a participle phrase right after the
    head joins it (after a comma, only one that is no cue and not the sentence's only verb);
    the left edge reaches the head's first dependent (determiner, title,
    compound), never over a preposition, conjunction, verb, adverb or comma.
    """
    tokens = phrase_tokens(parsed, offset, start, end)
    if tokens is None:
        return None
    doc = parsed.doc
    first, last = tokens.start, tokens.end - 1
    root = tokens.root
    if root.pos_ in FUNCTION_WORDS and root.head.i != root.i:
        stray = all(t.pos_ == "PART" for t in tokens)  # a possessive "'s" alone
        root = root.head
        first, last = (root.i, root.i) if stray else (min(first, root.i), max(last, root.i))
    if root.pos_ not in NOMINAL:
        return None
    # A title or first name alone ("Mrs." of "Mrs. Clinton") stands for the name it modifies.
    if root.dep_ == "compound" and root.head.i > last and root.head.pos_ == "PROPN":
        root = root.head
        last = root.i
    # A phrase ending in a modifier takes the common noun it modifies ("a small group of
    # super-wealthy" -> "... contributors"); a modifier alone stays itself ("Trump" of "the
    # Trump campaign"), and a name is not stretched over a capitalised word after it, which
    # in a headline is often a verb ("One Tweet Sums Up ...").
    tail = doc[last]
    if (tail.i != root.i and tail.dep_ in ("amod", "compound", "nummod") and tail.head.i > last
            and tail.head.pos_ == "NOUN" and tail.head.i < parsed.end
            and not _closing_cue(tail.head, parsed)):
        last = tail.head.i
    # A phrase ending in a preposition takes its object ("The head of" -> "... of Sony").
    if doc[last].pos_ == "ADP" and doc[last].right_edge.i > last:
        last = min(doc[last].right_edge.i, parsed.end - 1)
    # A verb or adverb at either end is not part of the phrase ("Said Ellis", "it further").
    while first < root.i and doc[first].pos_ in LOOSE_ENDS:
        first += 1
    while last > root.i and doc[last].pos_ in LOOSE_ENDS:
        last -= 1
    # Nor is a date after it ("The Times on Saturday").
    cut = last
    while cut > root.i and doc[cut].ent_type_ in ("DATE", "TIME"):
        cut -= 1
    if cut < last and cut > root.i and doc[cut].pos_ == "ADP":
        last = cut - 1
    # A participle phrase right after the head belongs to it ("Americans worried about ...").
    after = next((c for c in root.rights if c.i == last + 1 and c.dep_ == "acl"), None)
    if after is not None and doc[last].is_punct and (
            root.dep_ == "ROOT" or after.lemma_.lower() in CUE_VERBS):
        # After a comma, a cue ("Tim Cook, called ...") or the only verb of a sentence the
        # parser rooted in the noun ("Aaron Kall, ..., compared Trump to ...") is the
        # predicate, not a participle of the phrase.
        after = None
    if after is not None and after.right_edge.i < parsed.end:
        last = after.right_edge.i
        while doc[last].pos_ == "PUNCT" and last > root.i:
            last -= 1
    edge = root.left_edge
    if parsed.start <= edge.i < first and edge.pos_ not in NOT_LEFT_EDGE | LOOSE_ENDS:
        first = edge.i
    return doc[first].idx + offset, doc[last].idx + len(doc[last]) + offset


def _closing_cue(token: Any, parsed: Any) -> bool:
    """A cue word that ends the sentence, which the parser may read as a noun ("..., the
    candidate's former doctor maintains."): the verb of the frame, not part of the source."""
    rest = parsed.doc[token.i + 1:parsed.end]
    return token.lemma_.lower() in CUE_VERBS and all(t.is_punct or t.is_space for t in rest)


def head_index(parsed: Any, offset: int, start: int, end: int) -> int | None:
    """The document index of the syntactic head of the text span [start, end), or None."""
    tokens = phrase_tokens(parsed, offset, start, end)
    return None if tokens is None else tokens.root.i


def close_appositive(text: str, start: int, end: int) -> tuple[int, int]:
    """The span without trailing commas or white space, then with the comma that closes its
    appositive where it has one ("Leonard Burman, a professor at Syracuse,"): the pair of
    commas sets the appositive off, as PolNeAR marks it."""
    while end > start and (text[end - 1] == "," or text[end - 1].isspace()):
        end -= 1
    if "," in text[start:end] and text[end : end + 1] == ",":
        end += 1
    return start, end


def close_brackets(text: str, start: int, end: int) -> tuple[int, int]:
    """The span with the bracket it leaves open closed ("Rep. John Mica (R-Fla." -> "...)")
    and with a party tag that follows the name ("Gov. Terry McAuliffe" -> "... (D)")."""
    if text.count("(", start, end) > text.count(")", start, end):
        close = text.find(")", end, end + 3)
        if close >= 0 and "(" not in text[end:close]:
            end = close + 1
    match = _PARTY.match(text, end) if start < end else None  # a tag follows a name
    if match is not None:
        end = match.end()
    return start, end


def trim_source(text: str, start: int, end: int) -> tuple[int, int]:
    """A source span without a dateline or a stray mark before it ("WASHINGTON -- President
    Obama", "” ― Sonya Herridge"), with its brackets and party tag as ``close_brackets`` and
    its appositive closed as ``close_appositive`` make them."""
    junk = _LEADING_JUNK.match(text, start, end)
    if junk is not None and junk.end() < end:
        start = junk.end()
    match = _DATELINE.match(text, start, end)
    if match is not None and match.end() < end:
        start = match.end()
    start, end = close_appositive(text, start, end)
    while True:  # to a fixed point, so that trimming twice trims as once; end only grows
        start, closed = close_brackets(text, start, end)
        if closed == end:
            return start, end
        # a party tag taken in may end just before the comma that closes the appositive
        start, end = close_appositive(text, start, closed)
