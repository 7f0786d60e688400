"""Transcript speaker labels ("WALLACE: ...", "Diallo: ...", "Q:" / "A:"): found only where
an article has the pattern of a transcript."""

from __future__ import annotations

import pytest

from attribution import Annotator
from attribution.transcript import is_stage_direction, speaker_labels

from .conftest import find

TRANSCRIPT = (
    "Pence says the visit is off.\n\n"
    '"WALLACE: Let\'s start with the debate story. Governor, is that right?\n\n'
    '"PENCE: Well, look, the other side thinks this is “Shark Tank.” It is not. We will win.\n\n'
    '"(CROSSTALK.)\n\n'
    "UPDATE: The story was changed.\n\n"
    '"The count was fair," the county clerk, Jane Smith, said. "Nobody cheated."'
)


def _rules_and_model(annotator: Annotator, text: str) -> list:
    """The text annotated by the rules alone and with the shipped sourcing model."""
    return [Annotator(annotator.nlp, stance=False, sourcing=False).annotate(text),
            Annotator(annotator.nlp, stance=False).annotate(text)]


def _names(text: str) -> list[str]:
    return [text[turn.name[0]:turn.name[1]] for turn in speaker_labels(text)]


def test_labels_of_a_transcript_are_its_turns():
    assert _names(TRANSCRIPT) == ["WALLACE", "PENCE"]  # "UPDATE" is a rubric, not a speaker
    name, colon, asks = speaker_labels(TRANSCRIPT)[0]
    assert colon is not None and TRANSCRIPT[colon[0]:colon[1]] == ":" and colon[0] == name[1]
    assert not asks


def test_one_label_alone_is_not_a_transcript():
    assert _names("FIX IS IN: The vote was close.\n\nThe count took a week.") == []
    assert _names("TRUMP: We will win.\n\nTRUMP: Believe me.") == ["TRUMP", "TRUMP"]
    assert _names("UPDATE: one.\n\nCORRECTION: two.") == []
    assert _names("The aim: to win. The cost: high.") == []  # not capitals opening a line


@pytest.fixture(scope="module", params=["rules", "model"])
def annotated(request, annotator: Annotator):
    sourcing = None if request.param == "model" else False
    kwargs = {} if sourcing is None else {"sourcing": False}
    return Annotator(annotator.nlp, stance=False, **kwargs).annotate(TRANSCRIPT)


@pytest.mark.parametrize("fragment, speaker", [
    ("WALLACE: Let's", "WALLACE"),
    ("Governor, is that right", "WALLACE"),
    ("PENCE: Well", "PENCE"),  # the quotation left open since WALLACE's turn is PENCE's here
    ("We will win", "PENCE"),
    ("It is not.", "PENCE"),  # after a quotation inside the turn's quotation
])
def test_each_turn_is_its_speakers_quote(annotated, fragment, speaker):
    sentence = find(annotated, fragment)
    assert sentence.label.value == "direct_quote"
    assert sentence.source is not None and sentence.source.text == speaker
    assert sentence.source_named is True


def test_turn_cue_is_the_colon_and_no_cue_runs_into_the_name(annotated):
    sentence = find(annotated, "PENCE: Well")
    assert sentence.cue is not None and sentence.cue.text == ":"
    assert all(a.cue is None or "PENCE" not in a.cue.text for a in sentence.attributions)
    assert find(annotated, "UPDATE").label.value == "editorial"


@pytest.mark.parametrize("fragment", ["The count was fair", "Nobody cheated"])
def test_the_last_turn_ends_with_its_paragraph(annotated, fragment):
    sentence = find(annotated, fragment)
    assert sentence.label.value == "direct_quote"
    assert sentence.source is not None and "Jane Smith" in sentence.source.text


def test_transcribers_note_is_nobodys_words(annotated):
    sentence = find(annotated, "CROSSTALK")
    assert sentence.label.value == "editorial"
    assert sentence.source is None and sentence.quotes == []


@pytest.mark.parametrize("sentence, note", [
    ('"(CROSSTALK.)', True), ("[APPLAUSE]", True), ("(inaudible).", True),
    ("He left (quickly).", False), ("(CROSSTALK) I said no.", False),
])
def test_stage_direction_is_a_bracketed_sentence_alone(sentence, note):
    assert is_stage_direction(sentence) is note


INTERVIEW = (
    "Chef Awa Diallo cooks only with food others throw away. We spoke to her in Lyon.\n\n"
    "Diallo: In my first job, I watched bins full of good bread go out every night. "
    "It was normal.\n\n"
    "Q: Why cook with leftovers?\n\n"
    "A: They are not leftovers. They are carrots too crooked for a supermarket.\n\n"
    "Diallo: That costs money. Then decide what kind of cook you want to be.\n\n"
    "The restaurant opens at noon."
)


def test_names_in_ordinary_case_and_questions_are_turns():
    assert _names(INTERVIEW) == ["Diallo", "Q", "A", "Diallo"]
    # A name in ordinary case opening one line only, or "A:" without "Q:", is no transcript.
    assert _names("Paris: the talks resumed on Monday.\n\nThey ended at noon.") == []
    assert _names("A: one.\n\nB: two.") == []
    assert _names("Photo: one.\n\nPhoto: two.") == []


@pytest.mark.parametrize("fragment, speaker", [
    ("Diallo: In my first job", "Diallo"),
    ("It was normal", "Diallo"),  # the turn goes on past its first sentence
    ("A: They are not", "A"),
    ("carrots too crooked", "A"),
    ("Then decide", "Diallo"),
])
def test_every_sentence_of_a_turn_is_its_speakers(annotator, fragment, speaker):
    for article in _rules_and_model(annotator, INTERVIEW):
        sentence = find(article, fragment)
        assert sentence.label.value == "reported_speech"
        assert sentence.source is not None and sentence.source.text == speaker


def test_question_turns_and_text_around_the_transcript_are_the_outlets(annotator):
    article = Annotator(annotator.nlp, stance=False, sourcing=False).annotate(INTERVIEW)
    for fragment in ("Q: Why cook", "We spoke to her", "The restaurant opens"):
        assert find(article, fragment).label.value == "editorial"


def test_an_interviewers_question_stays_the_outlets_with_the_model(annotator):
    """Every sentence of a "Q:" turn is the interviewer's, the outlet's own words, whatever
    the model reads in it ("Some gardeners will find unmown grass untidy" is no report)."""
    text = ("Ecologist Marta Silva counts bees in city parks. We spoke to her in Porto.\n\n"
            "Q: Why count bees in cities at all? Some gardeners will find unmown grass "
            "untidy.\n\n"
            "A: Cities now hold more kinds of bees than farmland. Untidy grass feeds them.\n\n"
            "Q: What should a gardener do?\n\n"
            "A: Mow less often. Leave a corner wild.")
    for article in _rules_and_model(annotator, text):
        for fragment in ("Q: Why count", "Some gardeners", "Q: What should"):
            sentence = find(article, fragment)
            assert sentence.label.value == "editorial" and sentence.source is None, sentence
        assert find(article, "Cities now hold").source is not None


WIKI_INTERVIEW = (
    "Beekeeper Rosa Lindqvist keeps hives on city roofs. She moved from the United Kingdom "
    "in 2009. She agreed to answer some questions.\n\n"
    "((WN))  Why keep bees on a roof?\n\n"
    "Rosa Lindqvist I started because the park had no room. The roof was empty.\n\n"
    "((WN))  Do the bees mind the traffic?\n\n"
    "RL Not at all. They fly above it. We were surprised to find how calm they are.\n\n"
    "UK Beekeepers count their hives every spring."
)


def test_wiki_interview_marks_are_turns():
    assert _names(WIKI_INTERVIEW) == ["((WN))", "Rosa Lindqvist", "((WN))", "RL"]
    assert [turn.asks for turn in speaker_labels(WIKI_INTERVIEW)] == [True, False, True, False]
    assert all(turn.cue is None for turn in speaker_labels(WIKI_INTERVIEW))
    # Initials that stand for no name in the text, or without the interviewer's mark, are not.
    assert _names(WIKI_INTERVIEW.replace("RL Not", "RT Not")) == []
    assert _names(WIKI_INTERVIEW.replace("((WN))", "Q.")) == []


@pytest.mark.parametrize("fragment, speaker", [
    ("I started because", "Rosa Lindqvist"),
    ("The roof was empty", "Rosa Lindqvist"),
    ("Not at all", "RL"),
    ("They fly above it", "RL"),
    ("We were surprised", "RL"),  # "we" in a turn is its speaker, whatever the model tags
])
def test_every_sentence_of_a_wiki_interview_turn_is_its_speakers(annotator, fragment, speaker):
    for article in _rules_and_model(annotator, WIKI_INTERVIEW):
        sentence = find(article, fragment)
        assert sentence.label.value == "reported_speech"
        assert sentence.source is not None and sentence.source.text == speaker
        assert sentence.source_named is True


def test_wiki_interviewers_questions_are_the_outlets(annotator):
    article = Annotator(annotator.nlp, stance=False, sourcing=False).annotate(WIKI_INTERVIEW)
    for fragment in ("Why keep bees", "mind the traffic", "UK Beekeepers count"):
        sentence = find(article, fragment)
        assert sentence.label.value == "editorial" and sentence.source is None


NAMED_MARKS = (
    "Astronomer Ines Moreau studies fast-spinning stars.\n\n"
    "((WSS))  How did you find the pair?\n\n"
    "((Ines Moreau))  By chance. We were looking at a catalogue of other stars.\n\n"
    "((WN))  Will they collide?\n\n"
    "((Ines Moreau))  No. Their orbit is circular."
)


def test_a_name_in_the_interviewers_parentheses_is_the_person_interviewed(annotator):
    turns = speaker_labels(NAMED_MARKS)
    assert [(NAMED_MARKS[a:b], asks) for (a, b), _, asks in turns] == [
        ("((WSS))", True), ("Ines Moreau", False), ("((WN))", True), ("Ines Moreau", False)]
    for article in _rules_and_model(annotator, NAMED_MARKS):
        for fragment in ("By chance", "We were looking", "No.", "Their orbit"):
            sentence = find(article, fragment)
            assert sentence.label.value == "reported_speech", sentence
            assert sentence.source is not None and sentence.source.text == "Ines Moreau"
        for fragment in ("How did you find", "Will they collide"):
            assert find(article, fragment).label.value == "editorial"


UNLABELLED_QUESTIONS = (
    "Potter Ines Moreau sells her bowls at the Saturday market.\n\n"
    "Moreau: I started with one wheel in a garage. The neighbours complained about the dust.\n\n"
    "Do you still use that wheel?\n\n"
    "Moreau: Every day. It is older than I am.\n\n"
    "The market opens at eight."
)


@pytest.mark.parametrize("fragment, label", [
    ("I started with one wheel", "reported_speech"),
    ("Do you still use that wheel", "editorial"),  # between two turns of one speaker
    ("It is older than I am", "reported_speech"),
    ("The market opens", "editorial"),
])
def test_a_paragraph_between_one_speakers_turns_is_the_interviewers(annotator, fragment, label):
    for article in _rules_and_model(annotator, UNLABELLED_QUESTIONS):
        sentence = find(article, fragment)
        assert sentence.label.value == label
        assert (sentence.source.text if sentence.source else None) == (
            "Moreau" if label == "reported_speech" else None)


QA = (
    "A conversation with the city's new fire chief\n\n"
    "Maria Lopez became the city's first female fire chief in March. She spoke to us about "
    "staffing and the job.\n\n"
    "What was the first month like?\n\n"
    "Honestly, it was a blur. I spent most nights at the command post.\n\n"
    "Critics say the department was too slow to call in outside help. Is that fair?\n\n"
    "I understand the frustration. But we requested help on the second day.\n\n"
    "What do you need from the council?\n\n"
    "Forty more firefighters, at minimum.\n\n"
    "This interview has been edited for length and clarity."
)


def test_an_unlabelled_interview_gives_the_answers_to_the_interviewee(rules):
    """Questions and answers set down without labels: the answers are the interviewee's words,
    the questions the outlet's, and a source inside a question keeps its own label; what
    follows the last answer is not an answer."""
    sentences = {s.text: s for s in rules.annotate(QA).sentences}
    for answer in ("Honestly, it was a blur.", "I understand the frustration.",
                   "Forty more firefighters, at minimum."):
        assert sentences[answer].label.value == "reported_speech", sentences[answer]
        assert sentences[answer].source is not None
        assert sentences[answer].source.text == "Maria Lopez"
    assert sentences["What was the first month like?"].label.value == "editorial"
    assert sentences["Critics say the department was too slow to call in outside help."
                     ].label.value == "anonymous"
    assert sentences["This interview has been edited for length and clarity."
                     ].label.value == "editorial"


def test_rhetorical_questions_of_an_essay_are_no_interview(rules):
    essay = QA.replace("She spoke to us about", "She has views on").replace(
        "This interview has been edited for length and clarity.", "The council meets in May.")
    sentences = {s.text: s for s in rules.annotate(essay).sentences}
    assert sentences["Honestly, it was a blur."].label.value == "editorial"
