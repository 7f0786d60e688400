"""Source span boundaries fitted to the parse (spans.py)."""

from __future__ import annotations

import pytest

from attribution.spans import close_appositive, head_index, snap_source, trim_source


def snap(annotator, sentence: str, tagged: str, offset: int = 0) -> str | None:
    """Snap the first occurrence of ``tagged`` in ``sentence``, parsed at text ``offset``."""
    parsed = annotator.nlp(sentence)[:]
    start = sentence.index(tagged) + offset
    fitted = snap_source(parsed, offset, start, start + len(tagged))
    return None if fitted is None else sentence[fitted[0] - offset : fitted[1] - offset]


@pytest.mark.parametrize(("sentence", "tagged", "expected"), [
    # a title or place before the name belongs to the phrase
    ("Senate Majority Leader Mitch McConnell said the bill would pass.",
     "Majority Leader Mitch McConnell", "Senate Majority Leader Mitch McConnell"),
    ("The city police chief said the video was clear.", "police chief",
     "The city police chief"),
    # a span ending inside a word grows to the whole word, with its determiner
    ("The U.N. said the talks would resume.", "U.N", "The U.N."),
    # a stray determiner moves to the noun it belongs to
    ("Officials at the FBI said nothing.", "the", "the FBI"),
    # the phrase does not reach back over a preposition
    ("According to officials in Venezuela, the plan failed.", "officials in Venezuela",
     "officials in Venezuela"),
    # a pronoun stays what it is
    ("He said the plan would fail.", "He", "He"),
    # a title or first name alone stands for the whole name
    ("Mrs. Clinton said the plan would fail.", "Mrs.", "Mrs. Clinton"),
    ("Mitt Romney said the plan would fail.", "Mitt", "Mitt Romney"),
    # a phrase that stops at a preposition takes its object
    ("The head of Sony Pictures said the deal was off.", "The head of",
     "The head of Sony Pictures"),
    # a verb or adverb at either end, or a date after the head, is cut off
    ("Said Ellis: the plan failed.", "Said Ellis", "Ellis"),
    ("He argued it further undermined the plan.", "it further", "it"),
    ("The Times on Saturday reported the deal.", "The Times on Saturday", "The Times"),
    # a participle phrase right after the head belongs to the phrase
    ("Americans worried about crime said the plan failed.", "Americans",
     "Americans worried about crime"),
    # after a comma too, unless it is a cue or the only verb of the sentence
    ("The findings match the last poll, conducted in early September, which found a tie.",
     "the last poll,", "the last poll, conducted in early September"),
    ("It is ironic -- which the company's chief, Tim Cook, called ''total crap'' -- that it "
     "won.", "the company's chief, Tim Cook,", "the company's chief, Tim Cook,"),
    ("Aaron Kall, the director of debate at the University of Michigan, compared Trump to a "
     "coach at a basketball game.", "Aaron Kall, the director of debate at the University of "
     "Michigan,", "Aaron Kall, the director of debate at the University of Michigan,"),
    # a phrase ending in a modifier takes the noun it modifies
    ("The ads were paid for by a small group of super-wealthy donors.",
     "a small group of super-wealthy", "a small group of super-wealthy donors"),
    # a possessive ending alone moves to the name it belongs to, without it
    ("Oz's advice earned him a hearing.", "'s", "Oz"),
    # a name modifying a common noun is not stretched over it
    ("The Trump campaign said nothing.", "Trump", "Trump"),
    # nor is a phrase stretched over the cue that ends the sentence, read as a noun
    ("Secrecy is not a stranger when it comes to Hillary Clinton’s health issues, the "
     "Democratic presidential candidate’s former doctor maintains.",
     "the Democratic presidential candidate’s former doctor",
     "the Democratic presidential candidate’s former doctor"),
])
def test_snap_source_fits_the_noun_phrase(annotator, sentence, tagged, expected):
    assert snap(annotator, sentence, tagged) == expected


def test_snap_source_honours_the_document_offset(annotator):
    assert snap(annotator, "The city police chief said so.", "chief",
                offset=500) == "The city police chief"


def test_snap_source_drops_what_cannot_speak(annotator):
    # a verb or an auxiliary heads no source phrase
    assert snap(annotator, "The treaty, which most nations signed, binds them.",
                "which most nations signed") is None
    assert snap(annotator, "Groups that don't disclose their funds gave more.", "don't") is None


def test_head_index(annotator):
    parsed = annotator.nlp("Sources familiar with the situation say it failed.")[:]
    assert head_index(parsed, 0, 0, 7) == head_index(parsed, 0, 0, 35) == 0


@pytest.mark.parametrize(("text", "span", "expected"), [
    ("Leonard Burman, a professor at Syracuse, said so.", "Leonard Burman, a professor at "
     "Syracuse", "Leonard Burman, a professor at Syracuse,"),
    ("Mr. Smith, who left, said so.", "Mr. Smith, who left,", "Mr. Smith, who left,"),
    ("Yesterday, Mr. Smith, said so.", "Mr. Smith,", "Mr. Smith"),
    ("Mr. Smith said so.", "Mr. Smith ", "Mr. Smith"),
    ("PolitiFact\xa0said so.", "PolitiFact\xa0", "PolitiFact"),
])
def test_close_appositive(text, span, expected):
    start = text.index(span)
    a, b = close_appositive(text, start, start + len(span))
    assert text[a:b] == expected


@pytest.mark.parametrize(("text", "expected"), [
    ("WASHINGTON -- President Obama said so.", "President Obama"),
    ("FLINT, Mich., Oct. 4 (UPI) — Former President Bill Clinton said so.",
     "Former President Bill Clinton"),
    ("ST. LOUIS — the mayor said so.", "the mayor"),
    # no dateline: a dash inside a phrase, an abbreviation before a hyphen
    ("U.S. - based groups said so.", "U.S. - based groups"),
    ("John Dickey, the head of Ora Media -- its owner, said so.",
     "John Dickey, the head of Ora Media -- its owner,"),
])
def test_trim_source_drops_a_dateline(text, expected):
    a, b = trim_source(text, 0, text.index(" said"))
    assert text[a:b] == expected


@pytest.mark.parametrize(("text", "expected"), [
    ("“We won.”― Pamela Padilla said so.", "Pamela Padilla"),
    ("“We won.” — Rep. Jane Roe said so.", "Rep. Jane Roe"),
    # an opening mark can begin a source: a show's title before its star
    ("“Broad City” star Abbi Jacobson said so.", "“Broad City” star Abbi Jacobson"),
])
def test_trim_source_drops_a_stray_mark_before_it(text, expected):
    start = text.index("”") if text.startswith("“We") else 0
    a, b = trim_source(text, start, text.index(" said"))
    assert text[a:b] == expected


@pytest.mark.parametrize(("text", "span", "expected"), [
    ("Sen. Claire McCaskill (D-Mo.) said so.", "Sen. Claire McCaskill (D-Mo.",
     "Sen. Claire McCaskill (D-Mo.)"),
    ("Gov. Terry McAuliffe (D) said so.", "Gov. Terry McAuliffe", "Gov. Terry McAuliffe (D)"),
    ("Bernie Sanders (I-Vt.) said so.", "Bernie Sanders", "Bernie Sanders (I-Vt.)"),
    ("House Speaker Paul Ryan, R-Wis., said so.", "House Speaker Paul Ryan",
     "House Speaker Paul Ryan, R-Wis.,"),
    # not a party tag, and no bracket left open: the span stays as it is
    ("The group (ACLU) said so.", "The group", "The group"),
    ("Mr. Ray, Reuters said so.", "Mr. Ray", "Mr. Ray"),
])
def test_trim_source_closes_brackets_and_takes_the_party_tag(text, span, expected):
    start = text.index(span)
    a, b = trim_source(text, start, start + len(span))
    assert text[a:b] == expected
