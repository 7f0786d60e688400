"""Quotation finding: quote styles, apostrophes, multi-paragraph and unbalanced quotations."""

from __future__ import annotations

import pytest

from attribution.quotes import find_quotations, holds_quotation, inside_quotation, is_full_quote


def quoted(text: str) -> list[list[str]]:
    return [[text[a:b] for a, b in q.segments] for q in find_quotations(text)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ('He said "yes" twice.', [["yes"]]),
        ("He said “yes” twice.", [["yes"]]),
        ("Il a dit «oui» deux fois.", [["oui"]]),
        ("Il a dit « oui » deux fois.", [["oui"]]),
        ("She called it ‘absurd’ on Monday.", [["absurd"]]),
        ("She called it 'absurd' on Monday.", [["absurd"]]),
        ('"Don\'t go," she said.', [["Don't go,"]]),
    ],
)
def test_quote_styles(text, expected):
    assert quoted(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "It’s the players’ union’s call.",
        "The ’90s were loud and rock ’n’ roll ruled.",
        "Putin’s allies don’t agree.",
        "James' car and the Joneses' house.",
    ],
)
def test_apostrophes_are_not_quotations(text):
    assert quoted(text) == []


def test_single_quotes_inside_double_quotes_are_part_of_them():
    text = '"He told me \'never\' again," she said.'
    assert quoted(text) == [["He told me 'never' again,"]]


@pytest.mark.parametrize("space", [" ", "\u2009"])
def test_double_mark_spaced_off_a_nested_closing_mark_closes(space):
    text = (f'"I sat down. Then one of them said, \'we have a drummer\'{space}", he recalled. '
            'He was 15.')
    assert quoted(text) == [["I sat down. Then one of them said, 'we have a drummer'"]]


def test_multi_paragraph_quotation_is_one_quotation():
    text = 'Kim said:\n"We built this town.\n"We will rebuild it.\n"Together," she added.'
    assert quoted(text) == [["We built this town.", "We will rebuild it.", "Together,"]]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # Curly marks inside straight ones (and the other way round) are a quotation inside
        # the quotation: they neither close it nor cut a multi-paragraph one short.
        ('"PENCE: She thinks this is “Shark Tank.” It is not.\n\n"WALLACE: Next.',
         [["PENCE: She thinks this is “Shark Tank.” It is not.", "WALLACE: Next."]]),
        ('“He said "no" to me,” she said.', [['He said "no" to me,']]),
        ('"He called it “fake,” and left," she said.', [["He called it “fake,” and left,"]]),
        # The same style again is no nesting: the marks pair as before.
        ('"a" and "b"', [["a"], ["b"]]),
        # A nested mark that never closes in its paragraph leaves the scan as it was.
        ('“He said "no to me,” she said.', [['He said "no to me,']]),
    ],
)
def test_quotation_nested_in_another_style_of_mark(text, expected):
    assert quoted(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("”Fear. I am afraid.” ― Edwin G. Monroy", [["Fear. I am afraid."]]),
        ("She said: ”No more.” Then she left.", [["No more."]]),
        ("Kim said:\n”We built this town.\n”Together,” she added.",
         [["We built this town.", "Together,"]]),
        ("The rate ” rose, he said.", []),
    ],
)
def test_closing_double_mark_typed_as_opening_opens_before_a_word(text, expected):
    assert quoted(text) == expected


def test_unclosed_quote_is_ignored_and_the_rest_is_found():
    text = 'He said "we will win.\nLater she said "no" again.'
    assert quoted(text) == [["no"]]


def test_stray_marks_never_raise():
    for text in ['"', '""', "“”‘’", '" "', "a\"b'c’d", "«", "\"\n\"\n\"", "’’’"]:
        find_quotations(text)


def test_full_vs_partial_quote():
    text = 'Smith said: "We won." He said it was "fine" then.'
    full, partial = find_quotations(text)
    assert is_full_quote(text, full.segments[0], 0)
    assert not is_full_quote(text, partial.segments[0], text.index("He"))


def test_inside_quotation():
    text = '"One. Two. Three," said the coach.'
    segments = [q.segments[0] for q in find_quotations(text)]
    assert inside_quotation(text, 6, 11, segments)  # "Two. "
    assert not inside_quotation(text, 0, 6, segments)  # holds the opening mark
    assert not inside_quotation(text, 18, len(text), segments)
    assert not inside_quotation(text, 6, 6, segments)  # no words


def test_holds_quotation_counts_quotation_marks_not_apostrophes():
    text = "Putin’s allies don’t agree, she said of the ‘paper tiger’ and a stray \u201cmark."
    segments = [seg for q in find_quotations(text) for seg in q.segments]
    said = text.index(", she")
    assert not holds_quotation(text, 0, said, segments)  # two apostrophes, no quotation
    tiger = text.index("‘paper")
    assert holds_quotation(text, tiger, tiger + 8, segments)  # a found quotation
    assert holds_quotation(text, tiger - 4, tiger + 1, segments)  # its opening mark
    assert holds_quotation(text, text.index("stray"), len(text), segments)  # a stray double mark
