"""The ten worked examples of docs/ANNOTATION.md section 5, on the seed article."""

from __future__ import annotations

import pytest

from attribution import Label

from .conftest import find

A, D, R, E = Label.ANONYMOUS, Label.DIRECT_QUOTE, Label.REPORTED_SPEECH, Label.EDITORIAL

# (fragment, label, source, resolved antecedent, acceptable cues)
EXAMPLES = [
    ("strategic allies around the world feel abandoned", R, "Bloomberg", None, {"reports"}),
    ("officials in Venezuela now believe", A, "officials in Venezuela", None, {"believe"}),
    ("They’re not alone", D, "Bloomberg", None, {"notes"}),
    ("Cuba, left without a patron", E, None, None, None),
    ("They also point to shortcomings", A, "They", "officials in Venezuela", {"point to"}),
    ("Sources familiar with the situation say", A, "Sources familiar with the situation", None,
     {"say"}),
    ("One source told the outlet", A, "One source", None, {"told"}),
    ("publicly boasted about the operation", D, "US President Donald Trump", None,
     {"boasted", "calling"}),
    ("He also said that Maduro would stand trial", R, "He", "US President Donald Trump",
     {"said"}),
    ("Maduro is accused of illegal possession", E, None, None, None),
]


@pytest.mark.parametrize(("fragment", "label", "source", "resolved", "cues"), EXAMPLES)
def test_worked_example(seed, fragment, label, source, resolved, cues):
    sentence = find(seed, fragment)
    assert sentence.label is label, sentence
    if source is None:
        assert sentence.source is None and sentence.cue is None
        return
    assert sentence.source is not None and sentence.source.text == source
    if resolved is None:
        assert sentence.source_resolved is None
    else:
        assert sentence.source_resolved is not None
        assert sentence.source_resolved.text == resolved
    assert sentence.cue is not None and sentence.cue.text in cues
    assert sentence.source_named is (label is not A)


def test_partial_quote_in_worked_example(seed):
    sentence = find(seed, "publicly boasted")
    expected = "the most powerful and sophisticated in the world."
    assert [q.text for q in sentence.quotes] == [expected]
    assert sentence.quote_form.value == "partial"


def test_multi_sentence_quotation_shares_its_speaker(seed):
    first = find(seed, "That bodes ill")
    second = find(seed, "That in turn may make it harder")
    assert first.label is second.label is D
    assert first.source == second.source and first.source.text == "Bloomberg"


def test_layout_kinds_of_seed(seed):
    assert seed.sentences[0].kind.value == "heading"
    assert seed.sentences[1].kind.value == "caption"
    assert find(seed, "US operation in Venezuela").kind.value == "heading"
    assert find(seed, "On January 3").kind.value == "body"
