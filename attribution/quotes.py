"""Find quotations in raw text: straight and curly quotes, guillemets, apostrophes told apart.

A quotation is a list of content segments (offsets of the words between the marks). A
quotation that runs over several paragraphs (an opening mark at the start of each paragraph,
the closing mark only at the end) is one quotation with one segment per paragraph.
Unbalanced marks never raise: an opening mark with no closing mark in its paragraph, and no
continuation in the next, is treated as a stray character and the scan goes on.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

# family -> (opening marks, closing marks); a mark in both is ambiguous (straight quotes).
_DOUBLE_OPEN = frozenset('“„«"')
_DOUBLE_CLOSE = frozenset('”»"')
_SINGLE_OPEN = frozenset("‘‹'")
_SINGLE_CLOSE = frozenset("’›'")
QUOTE_MARKS = _DOUBLE_OPEN | _DOUBLE_CLOSE | _SINGLE_OPEN | _SINGLE_CLOSE
# Double marks are never apostrophes, so one of them marks a quotation even where it is
# stray (an opening mark whose quotation is never closed).
DOUBLE_MARKS = _DOUBLE_OPEN | _DOUBLE_CLOSE
OPENING_MARKS = _DOUBLE_OPEN | _SINGLE_OPEN
CLOSING_MARKS = _DOUBLE_CLOSE | _SINGLE_CLOSE
# A closing double mark typed where an opening one belongs ("”Fear. I am afraid.” ― E. M."):
# it opens where it cannot close, with a word right after it and space or nothing before.
_MISTYPED_DOUBLE_OPEN = frozenset("”")
# An opening curly mark typed where the closing one belongs ('“We will win,“ he said').
_MISTYPED_DOUBLE_CLOSE = frozenset("“")
_GUILLEMETS = frozenset("«»‹›")
_OPENING_CONTEXT = frozenset("([{—–-/:")
# Opening double mark -> its closing marks, for a quotation nested in another style.
_NESTED_CLOSES = {"“": frozenset("”"), "„": frozenset("“”"), "«": frozenset("»"),
                  '"': frozenset('"')}


@dataclass
class Quotation:
    """One quotation: content segments (without the marks) in text order."""

    segments: list[tuple[int, int]] = field(default_factory=list)

    @property
    def start(self) -> int:
        return self.segments[0][0]

    @property
    def end(self) -> int:
        return self.segments[-1][1]

    @property
    def open_mark(self) -> int:
        """Offset of the opening mark of the first segment."""
        return self.segments[0][0] - 1


def is_full_quote(text: str, segment: tuple[int, int], sentence_start: int) -> bool:
    """A quotation that stands as its own clause: it opens the sentence, or follows a colon or
    comma ("he said: ...", "she said, ..."). Otherwise it is a partial quote inside a paraphrase.
    """
    i = segment[0] - 2  # the character before the opening mark, then back over spaces
    while i >= sentence_start and text[i].isspace():
        i -= 1
    return i < sentence_start or text[i] in ":,—–" or text[i] in QUOTE_MARKS


def inside_quotation(text: str, start: int, end: int,
                     segments: Iterable[tuple[int, int]]) -> bool:
    """Whether the words of text[start:end] lie wholly inside one quotation segment: a middle
    sentence of a multi-sentence quotation, which holds no quotation mark of its own."""
    chunk = text[start:end]
    first = start + len(chunk) - len(chunk.lstrip())
    last = start + len(chunk.rstrip())
    marker = _ORIGINAL.match(text, first, last)  # "((fr))French language:" opening it
    if marker is not None:
        first = marker.end()
    return first < last and any(a <= first and last <= b for a, b in segments)


def holds_quotation(text: str, start: int, end: int,
                    segments: Iterable[tuple[int, int]]) -> bool:
    """Whether ``text[start:end]`` holds a quotation mark: part of a quotation found in the
    text (``segments``, its marks included) or a stray double mark. An apostrophe ("Trump’s",
    "don't") is no quotation mark, though it is typed as one."""
    return (any(a - 1 < end and b + 1 > start for a, b in segments)
            or any(ch in DOUBLE_MARKS for ch in text[start:end]))


def paragraphs(text: str) -> Iterator[tuple[int, int]]:
    """Yield (start, end) of every line that holds non-space text, trimmed of outer whitespace."""
    pos = 0
    for line in text.split("\n"):
        stripped = line.strip()
        if stripped:
            lead = len(line) - len(line.lstrip())
            yield pos + lead, pos + lead + len(stripped)
        pos += len(line) + 1


def _is_word(ch: str) -> bool:
    return ch.isalnum()


def _can_open(text: str, i: int, start: int) -> bool:
    """A mark at i may open a quotation: start of paragraph or after space / opening punctuation.

    Guillemets are unambiguous and may be spaced ("« oui »").
    """
    if text[i] in _GUILLEMETS:
        return True
    before = text[i - 1] if i > start else " "
    after = text[i + 1] if i + 1 < len(text) else " "
    return (before.isspace() or before in _OPENING_CONTEXT or before in QUOTE_MARKS) and not (
        after.isspace()
    )


def _mistyped_open(text: str, i: int, start: int, opens: frozenset[str]) -> bool:
    """A closing double mark at i that stands where only an opening one could: the double
    family is being scanned, space or the paragraph start is before it and a word after."""
    if opens is not _DOUBLE_OPEN or text[i] not in _MISTYPED_DOUBLE_OPEN:
        return False
    before = text[i - 1] if i > start else " "
    return before.isspace() and i + 1 < len(text) and _is_word(text[i + 1])


def _mistyped_close(text: str, i: int, end: int, opens: frozenset[str]) -> bool:
    """An opening double mark at i that stands where only a closing one could: right after a
    word or punctuation, with space, punctuation or the paragraph end after it."""
    return (opens is _DOUBLE_OPEN and text[i] in _MISTYPED_DOUBLE_CLOSE and i > 0
            and not text[i - 1].isspace() and not (i + 1 < end and text[i + 1].isalnum()))


def _can_close(text: str, i: int, end: int) -> bool:
    """A mark at i may close a quotation: after a non-space, not followed by a letter or digit.
    A double mark spaced off the single mark that closes a quotation nested in it
    ("I'm a drummer' \", he recalled") closes too."""
    if text[i] in _GUILLEMETS:
        return True
    before = text[i - 1]
    after = text[i + 1] if i + 1 < end else " "
    if _is_word(after):
        return False
    if before.isspace() and before != "\n" and text[i] in _DOUBLE_CLOSE:
        k = i - 1  # back over the (thin) spaces of the line
        while k > 0 and text[k].isspace() and text[k] != "\n":
            k -= 1
        return text[k] in _SINGLE_CLOSE and not text[k - 1].isspace()
    return not before.isspace()


def _scan_family(
    text: str,
    start: int,
    end: int,
    opens: frozenset[str],
    closes: frozenset[str],
    skip: list[tuple[int, int]],
    open_at: int | None = None,
) -> tuple[list[tuple[int, int]], int | None]:
    """Pair marks of one family inside [start, end).

    Returns the closed (content_start, content_end) pairs and the content start of a quotation
    still open at the end of the paragraph, if any. ``open_at`` starts the scan inside a
    quotation (a continued paragraph). Ranges in ``skip`` (quoted by an outer family) are passed
    over.
    """
    pairs: list[tuple[int, int]] = []
    skips = sorted(skip)
    closers: list[int] | None = None  # double marks that can close, found on first need
    k = 0
    i = start
    while i < end:
        while k < len(skips) and skips[k][1] <= i:
            k += 1
        if k < len(skips) and skips[k][0] <= i:
            i = skips[k][1]
            continue
        ch = text[i]
        nested = None
        if open_at is not None and ch in _NESTED_CLOSES:
            if closers is None:
                closers = [j for j in range(start, end)
                           if text[j] in _DOUBLE_CLOSE and _can_close(text, j, end)]
            nested = _nested_close(text, i, end, open_at, closers)
        if nested is not None:
            i = nested + 1  # a quotation inside the open one, in the other style of mark
            continue
        closing = ch in closes or _mistyped_close(text, i, end, opens)
        if closing and open_at is not None and _can_close(text, i, end):
            if i > open_at:
                pairs.append((open_at, i))
            open_at = None
        elif open_at is None and _mistyped_open(text, i, start, opens):
            open_at = i + 1
        elif ch in opens and _can_open(text, i, start) and (ch not in closes or open_at is None):
            # A new opening mark while one is open: the earlier one was a stray mark.
            open_at = i + 1
        i += 1
    return pairs, open_at


def _nested_close(text: str, i: int, end: int, open_at: int, closers: list[int]) -> int | None:
    """Offset of the closing mark of a quotation nested at ``i`` inside the one open since
    ``open_at``, or None. Nesting is told by style: inside straight marks a curly or angled
    pair ("He said “no.” Then"), inside those a straight pair. The nested mark must open
    where it cannot close, and its own closing mark must follow in the paragraph.
    ``closers`` are the offsets of the paragraph's double marks that can close, in order."""
    outer = text[open_at - 1]
    ch = text[i]
    if outer not in _DOUBLE_OPEN or (ch == '"') == (outer == '"'):
        return None
    if not _can_open(text, i, open_at) or _can_close(text, i, end):
        return None
    k = bisect_left(closers, i + 2)
    if k == len(closers):
        return None
    j = closers[k]  # the nested pair closes here, unless the outer quotation closes first
    return j if text[j] in _NESTED_CLOSES[ch] else None


def _starts_with_open(text: str, start: int, opens: frozenset[str]) -> bool:
    return (text[start] in opens and _can_open(text, start, start)) or _mistyped_open(
        text, start, start, opens)


def _trim(text: str, quotation: Quotation) -> Quotation:
    """Drop the inner spaces of spaced marks ("« oui »" -> "oui")."""
    segments = []
    for a, b in quotation.segments:
        while a < b and text[a].isspace():
            a += 1
        while b > a and text[b - 1].isspace():
            b -= 1
        segments.append((a, b))
    return Quotation(segments)


def find_quotations(text: str) -> list[Quotation]:
    """Every quotation in ``text``: double quotes first, then single quotes outside them."""
    paras = list(paragraphs(text))
    quotations: list[Quotation] = []
    for opens, closes in ((_DOUBLE_OPEN, _DOUBLE_CLOSE), (_SINGLE_OPEN, _SINGLE_CLOSE)):
        outer = sorted((a - 1, b + 1) for q in quotations for a, b in q.segments)
        outer_starts = [a for a, _ in outer]
        carry: Quotation | None = None  # a quotation continuing from the previous paragraph
        for p, (start, end) in enumerate(paras):
            # Quoted ranges of the double marks met so far lie within one line each.
            lo, hi = bisect_left(outer_starts, start - 1), bisect_left(outer_starts, end)
            skip = [(a, b) for a, b in outer[lo:hi] if a < end and b > start]
            if carry is not None:
                first = start + 1  # content after the paragraph's own opening mark
                pairs, still_open = _scan_family(text, first, end, opens, closes, skip, first)
                if pairs and pairs[0][0] == first:
                    carry.segments.append(pairs.pop(0))
                    quotations.append(carry)
                    carry = None
                elif still_open == first:
                    carry.segments.append((first, end))
                    still_open = None
                else:  # the continuation was cut short by a fresh opening mark
                    quotations.append(carry)
                    carry = None
            else:
                pairs, still_open = _scan_family(text, start, end, opens, closes, skip)
            quotations.extend(Quotation([pair]) for pair in pairs)
            continues = p + 1 < len(paras) and _starts_with_open(text, paras[p + 1][0], opens)
            if carry is not None and not continues:
                quotations.append(carry)  # ran over paragraphs but never closed: ends here
                carry = None
            elif still_open is not None and continues:
                carry = Quotation([(still_open, end)])
            # else: an opening mark with no close and no continuation is a stray mark.
        if carry is not None:
            quotations.append(carry)
    quotations = [_trim(text, q) for q in quotations]
    quotations = [q for q in quotations if all(b > a for a, b in q.segments)]
    for q in quotations:
        _add_original(text, q)
    quotations.sort(key=lambda q: q.start)
    return quotations


# The original wording of a translated quotation, set right after its closing mark, as
# Wikinews renders it: '..." ((fr))French language: \u200dParis pleure les siens ...'.
_ORIGINAL = re.compile(
    r"[ \t\xa0]*\(\([a-z]{2,3}\)\)[^\W\d_][^\n:]{0,40} language:[ \t\xa0]*\u200d?")


def _add_original(text: str, quotation: Quotation) -> None:
    """Join the original wording after a translated quotation to it (``_ORIGINAL``): it is
    the same speaker's words. It runs to the paragraph's end or to a double space, where the
    article's own text resumes."""
    close = quotation.end + 1
    match = _ORIGINAL.match(text, close)
    if match is None:
        return
    start = match.end()
    stops = [k for k in (text.find("\n", start), text.find("  ", start)) if k >= 0]
    end = min(stops) if stops else len(text)
    if end > start:
        quotation.segments.append((start, end))
