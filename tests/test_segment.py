"""Layout kinds and sentence boundaries."""

from __future__ import annotations

import pytest

from attribution.document import Kind
from attribution.segment import chunks, layout


def kinds(text: str) -> list[str]:
    return [p.kind.value for p in layout(text)]


def test_layout_kinds():
    text = (
        "Storm batters the coast\n"
        "By Jane Doe\n"
        "Photo: Waves hit the pier (AP Photo/John Roe)\n"
        "The storm hit on Monday. It was strong.\n"
        "What happens next\n"
        "Nobody knows yet."
    )
    assert kinds(text) == ["heading", "byline", "caption", "body", "heading", "body"]


def test_single_line_is_body():
    assert kinds("Officials said the talks failed") == ["body"]


def test_title_line_is_heading():
    paras = layout("A long headline that ends with a full stop.\nBody text here.",
                   title="A long headline that ends with a full stop.")
    assert paras[0].kind is Kind.HEADING
    # the title as metadata gives it, without the full stop the text adds
    paras = layout("Poll finds voters split on the plan.\nBody text here.",
                   title="Poll finds voters split on the plan")
    assert paras[0].kind is Kind.HEADING


def test_first_line_in_headline_capitals_is_heading_despite_a_full_stop():
    text = ("31 Latinos Share Their Most Honest Thoughts On Donald Trump.\n"
            "Readers wrote to us this week.")
    assert kinds(text) == ["heading", "body"]
    # a first line in sentence case that ends with a full stop is body text
    assert kinds("Readers wrote to us this week about Donald Trump.\nMore follows.") == [
        "body", "body"]


def test_first_line_ending_with_a_colon_introduces_what_follows():
    assert kinds('Smith added:\n"We are done."') == ["body", "body"]


def sentences(annotator, text):
    return [s.text for s in annotator.annotate(text).sentences]


def test_closing_quote_stays_with_its_sentence(annotator):
    text = 'He called it a "paper tiger." Then he left.'
    assert sentences(annotator, text) == ['He called it a "paper tiger."', "Then he left."]


def test_no_split_inside_a_one_sentence_quotation(annotator):
    text = '"Why would we do that?" he asked. "We would not."'
    assert sentences(annotator, text) == ['"Why would we do that?" he asked.', '"We would not."']


@pytest.mark.parametrize(("text", "expected"), [
    ('"Why not?" Clinton asked. "We won."', ['"Why not?" Clinton asked.', '"We won."']),
    ("“How many times?” Mr. Obama said.", ["“How many times?” Mr. Obama said."]),
    ('"We won!" Smith declared.', ['"We won!" Smith declared.']),
    # A capitalised sentence that is no speaker's frame still starts a sentence.
    ('"Why not?" The answer is no.', ['"Why not?"', "The answer is no."]),
    ('"Why not?" Trump Tower stands tall.', ['"Why not?"', "Trump Tower stands tall."]),
])
def test_speaker_after_a_question_or_exclamation_stays_in_the_sentence(annotator, text,
                                                                       expected):
    assert sentences(annotator, text) == expected


def test_multi_sentence_quotation_is_split_and_shares_speaker(annotator):
    article = annotator.annotate('"We won. We will win again," Kim said.')
    assert [s.text for s in article.sentences] == ['"We won.', 'We will win again," Kim said.']
    assert {s.source.text for s in article.sentences} == {"Kim"}


def test_each_line_is_its_own_paragraph(annotator):
    text = "Headline without a stop\nFirst sentence here. Second one here.\nThird"
    assert sentences(annotator, text) == [
        "Headline without a stop", "First sentence here.", "Second one here.", "Third",
    ]


def test_chunks_cover_text_and_respect_limit():
    text = "Word word word. " * 1000
    pieces = list(chunks(text, 0, len(text.rstrip()), limit=500))
    assert all(b - a <= 500 for a, b in pieces)
    assert "".join(text[a:b] for a, b in pieces).replace(" ", "") == text.replace(" ", "")
