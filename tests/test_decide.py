"""The decision stage: the rules' verdict and each named step that merges the sourcing model's
prediction with it (decide.py), on hand-built evidence; no model is loaded."""

from __future__ import annotations

import pytest

from attribution import Annotator
from attribution.decide import (
    Decider,
    Verdict,
    Weights,
    choose_label,
    colon_intro,
    follow_sources,
    in_quotation,
    quote_form,
    rule_verdict,
)
from attribution.document import (
    Attribution,
    Category,
    Evidence,
    Kind,
    Label,
    Pronoun,
    QuoteForm,
    Span,
)
from attribution.resolve import Draft
from attribution.sources import Mention, find_attributions, find_passive_subjects
from attribution.sourcing import LABELS, SourcingPrediction

A, D, R, E = Label.ANONYMOUS, Label.DIRECT_QUOTE, Label.REPORTED_SPEECH, Label.EDITORIAL


def prediction(label: str, sources=(), cues=(), second: str = "editorial") -> SourcingPrediction:
    probs = {lab: (0.7 if lab == label else 0.2 if lab == second else 0.05) for lab in LABELS}
    return SourcingPrediction(label, probs, list(sources), list(cues))


def drafts_of(text: str) -> list[Draft]:
    """One-line sentences in which the rules found nothing."""
    drafts, start = [], 0
    for line in text.split("\n"):
        drafts.append(Draft(start, start + len(line), Kind.BODY, 0))
        start += len(line) + 1
    return drafts


def found(text: str, cue: tuple[int, int], source: tuple[int, int] | None,
          named: bool | None, category: Category = Category.PERSON,
          pronoun: Pronoun | None = None, depth: int = 0,
          evidence: Evidence = Evidence.CLAUSE) -> Attribution:
    """An attribution as the rules would have found it."""
    return Attribution(None if source is None else Span.of(text, *source), Span.of(text, *cue),
                       named, pronoun, category, depth, evidence)


def decide_all(text: str, drafts: list[Draft], preds, **weights):
    decider = Decider(text, drafts, Weights(**weights))
    return [decider.decide(d, p) for d, p in zip(drafts, preds, strict=True)]


# --- the rules' verdict ---------------------------------------------------------------------


def test_rule_verdict_follows_the_precedence_of_the_spec():
    text = '"We won," Ann Cole said, and officials agreed.'
    draft = drafts_of(text)[0]
    cole = found(text, (19, 23), (10, 18), True)
    officials = found(text, (39, 45), (29, 38), False, Category.GROUP)
    draft.attributions = [cole]
    assert rule_verdict(text, draft).label is R  # a cue and a named source: reported speech
    draft.quotes, draft.speakers, draft.full = [(1, 7)], [cole], True
    verdict = rule_verdict(text, draft)
    assert (verdict.label, verdict.quote_form, verdict.source.text) == (D, QuoteForm.DIRECT,
                                                                        "Ann Cole")
    draft.attributions.append(officials)
    verdict = rule_verdict(text, draft)  # any unnamed source makes it anonymous
    assert (verdict.label, verdict.source.text, verdict.source_named) == (A, "officials", False)
    # The verdict's attributions are copies: the decision never changes the evidence.
    assert verdict.attributions == draft.attributions
    assert all(a is not b for a, b in zip(verdict.attributions, draft.attributions, strict=True))


def test_rules_alone_is_the_same_stage_with_no_prediction():
    text = "It rained.\nThe mayor said it would stop."
    drafts = drafts_of(text)
    drafts[1].attributions = [found(text, (21, 25), (11, 20), True)]
    first, second = decide_all(text, drafts, [None, None])
    assert first.label is E and first.source is None and first.confidence == 0.9
    assert (second.label, second.source.text, second.cue.text) == (R, "The mayor", "said")
    assert second.quote_form is QuoteForm.INDIRECT and second.source_named is True


# --- the named steps ------------------------------------------------------------------------


def test_choose_label_rules_out_direct_quote_without_marks():
    probs = {"anonymous": 0.1, "direct_quote": 0.5, "reported_speech": 0.3, "editorial": 0.1}
    assert choose_label("abc", Draft(0, 3, Kind.BODY, 0), probs) == (R, 0.3)
    assert choose_label('"abc"', Draft(0, 5, Kind.BODY, 0), probs)[0] is D
    # an apostrophe is no quotation mark; a quotation in the sentence is one, and so is one
    # the rules read as a title; a quoted term ('a "hit"') is not
    assert choose_label("Trump’s aim", Draft(0, 11, Kind.BODY, 0), probs)[0] is R
    quoted = Draft(0, 11, Kind.BODY, 0, quotations=[0], quotes=[(0, 5)])
    assert choose_label("Trump’s aim", quoted, probs)[0] is D
    titled = Draft(0, 11, Kind.BODY, 0, quotations=[0], titled=[(0, 5)])
    assert choose_label("Trump’s aim", titled, probs)[0] is D
    term = Draft(0, 13, Kind.BODY, 0, quotations=[0])
    assert choose_label('a "hit" here.', term, probs)[0] is R


def test_follow_sources_makes_any_unnamed_voice_anonymous():
    rules = Verdict(R, 0.9, QuoteForm.INDIRECT)
    assert follow_sources(R, [True, False], rules, [], False, True) is A
    assert follow_sources(A, [True], rules, [], True, True) is D
    assert follow_sources(A, [True], rules, [], False, True) is R
    assert follow_sources(E, [False], rules, [], False, True) is E  # editorial stays


def test_colon_intro_keeps_the_rules_label_below_it():
    text = "The governor added:\nTaxes will rise."
    draft = drafts_of(text)[1]
    intro = found(text, (13, 18), (0, 12), True, evidence=Evidence.COLON)
    draft.reported_by = intro
    rules = Verdict(R, 0.75, QuoteForm.INDIRECT)
    assert colon_intro(E, draft, rules, fallback=True) is R
    assert colon_intro(E, draft, rules, fallback=False) is E
    draft.reported_by = None
    assert colon_intro(E, draft, rules, fallback=True) is E


def test_in_quotation_and_quote_form():
    text = '"One. Two. Three," said the coach.'
    draft = Draft(6, 10, Kind.BODY, 0, quotes=[(6, 10)])
    rules = Verdict(D, 0.75, QuoteForm.DIRECT)
    assert in_quotation(text, R, draft, rules) is D
    assert in_quotation(text, A, draft, rules) is A
    assert quote_form(D, rules, draft) is QuoteForm.DIRECT
    assert quote_form(D, Verdict(R, 0.9, QuoteForm.INDIRECT), draft) is QuoteForm.PARTIAL
    assert quote_form(R, Verdict(R, 0.9, QuoteForm.NONE), draft) is QuoteForm.INDIRECT


# --- the whole stage with a prediction ---------------------------------------------------


def test_label_source_and_cue_stay_consistent():
    text = "Officials said it failed.\nIt rained all day.\nThe plan was bad, she said."
    drafts = drafts_of(text)
    drafts[0].mentions.append(Mention((0, 9), Category.GROUP, named=False, subject=True))
    preds = [
        prediction("anonymous", [(0, 9)], [(10, 14)]),
        prediction("editorial", [(0, 2)], [(3, 9)]),  # a stray tag under an editorial label
        prediction("direct_quote", [(18, 21)], [(22, 26)], second="reported_speech"),
    ]
    first, second, third = decide_all(text, drafts, preds)
    assert (first.label, first.source.text, first.cue.text) == (A, "Officials", "said")
    assert first.source_named is False and first.confidence == pytest.approx(0.7)
    assert second.label is E and second.source is None and second.cue is None
    assert all(a.source is None for a in second.attributions)
    # direct_quote needs a quotation mark: the next most probable label is taken instead.
    assert third.label is R and third.confidence == pytest.approx(0.2)
    # "she" does not refer back to a group of officials.
    assert third.source.text == "she" and third.source_resolved is None


def test_a_tagged_phrase_inside_a_source_is_no_second_source():
    text = "Sources familiar with the situation say talks failed."
    drafts = drafts_of(text)
    drafts[0].attributions.append(found(text, (36, 39), (0, 35), False, Category.GROUP))
    # The model tags "Sources" and, wrongly, "the situation"; the rules' longer phrase wins.
    (sentence,) = decide_all(text, drafts,
                             [prediction("anonymous", [(0, 7), (22, 35)], [(36, 39)])])
    assert [a.source.text for a in sentence.attributions] == [
        "Sources familiar with the situation"]
    assert sentence.label is A and sentence.cue.text == "say"


def test_pieces_of_one_tagged_phrase_make_one_source(annotator):
    text = "This particular pair of billionaires hears the parents."
    drafts = drafts_of(text)
    drafts[0].parsed, drafts[0].offset = annotator.nlp(text)[:], 0
    pieces = [(0, 4), (text.index("pair"), text.index(" hears"))]  # "This", "pair of ..."
    cue = (text.index("hears"), text.index("hears") + 5)
    (sentence,) = decide_all(text, drafts, [prediction("reported_speech", pieces, [cue])])
    assert [a.source.text for a in sentence.attributions] == [
        "This particular pair of billionaires"]


def test_the_subject_of_an_agentless_passive_cue_is_never_a_source(annotator):
    passive = annotator.nlp("Maduro is accused of fraud.")
    assert find_passive_subjects(passive[:], 100) == [(100, 106)]
    assert find_passive_subjects(annotator.nlp("Smith accused Maduro of fraud.")[:]) == []
    text = "It rained.\nMaduro is accused of fraud."
    drafts = drafts_of(text)
    drafts[1].passive_subjects = [(11, 17)]
    preds = [prediction("editorial"),
             prediction("reported_speech", [(0, 6)], [(7, 20)], second="editorial")]
    _, second = decide_all(text, drafts, preds)
    assert second.label is E and second.source is None
    assert all(a.source is None for a in second.attributions)


def test_the_rules_default_editorial_weighs_less_than_one_they_found():
    # The model gives reported_speech 0.7, editorial 0.2 to both sentences. In the first the
    # rules found nothing; in the second they parsed an agentless passive cue: editorial.
    text = "The plan would fail, the study found.\nThe plan would fail, it was said."
    preds = [prediction("reported_speech", [(21, 30)], [(31, 36)]),
             prediction("reported_speech")]

    def run(**weights):
        drafts = drafts_of(text)
        it = text.index("it was")
        drafts[1].passive_subjects = [(it, it + 2)]  # an agentless passive cue: editorial
        return decide_all(text, drafts, preds, **weights)

    assert [s.label for s in run(rule=0.4)] == [E, E]
    first, second = run(rule=0.4, empty_rule=0.25)
    # 0.75 * 0.7 beats 0.75 * 0.2 + 0.25; 0.6 * 0.7 does not beat 0.6 * 0.2 + 0.4.
    assert first.label is R and first.source.text == "the study"
    assert first.confidence == pytest.approx(0.525)
    assert second.label is E and second.source is None


def test_an_unnamed_source_the_model_missed_weighs_more(annotator):
    # The model tags only "the outlet"; the rules parsed "officials" believing, unnamed.
    text = "According to the outlet, officials now believe it failed."
    probs = {"reported_speech": 0.9, "anonymous": 0.05, "direct_quote": 0.03, "editorial": 0.02}
    pred = SourcingPrediction("reported_speech", probs, [(13, 23)], [(0, 12)])
    labels = []
    for unnamed in (0.0, 0.5):
        drafts = drafts_of(text)
        drafts[0].parsed = annotator.nlp(text)[:]
        drafts[0].attributions.append(found(text, (39, 46), (25, 34), False, Category.GROUP,
                                            depth=1))
        (sentence,) = decide_all(text, drafts, [pred], rule=0.42, unnamed_rule=unnamed)
        labels.append((sentence.label, sentence.source.text))
    # 0.58 * 0.9 beats 0.58 * 0.05 + 0.42; 0.5 * 0.05 + 0.5 beats 0.5 * 0.9.
    assert labels == [(R, "the outlet"), (A, "officials")]


def test_a_tagged_source_inside_a_quotation_is_dropped():
    text = '"I will not resign," Ann Cole said.'
    drafts = drafts_of(text)
    drafts[0].quotes = [(1, 18)]
    (sentence,) = decide_all(text, drafts,
                             [prediction("direct_quote", [(1, 2), (21, 29)], [(30, 34)])])
    assert sentence.label is D and sentence.source.text == "Ann Cole"
    assert [a.source.text for a in sentence.attributions if a.source] == ["Ann Cole"]


def test_every_sentence_of_a_quotation_is_a_direct_quote():
    text = '"One.\nTwo.\nThree," said the coach.'
    drafts = drafts_of(text)
    for draft, span in zip(drafts, [(1, 5), (6, 10), (11, 17)], strict=True):
        draft.quotes = [span]
    # The model calls the middle sentence reported speech: it lies inside the quotation.
    preds = [prediction("direct_quote", second="reported_speech"),
             prediction("reported_speech", second="direct_quote"),
             prediction("direct_quote", [(13, 22)], [(8, 12)], second="reported_speech")]
    sentences = decide_all(text, drafts, preds)
    assert [s.label for s in sentences] == [D] * 3
    assert sentences[1].confidence == pytest.approx(0.2)


def test_a_quoted_sentence_the_model_calls_editorial_is_its_speakers_quote():
    text = '"One.\nTwo.\nThree," said the coach.\n"Four.\nFive.\nSix," said an aide.'
    drafts = drafts_of(text)
    spans = [(1, 5), (6, 10), (11, 17), (36, 41), (42, 47), (48, 52)]
    said, coach, aide = text.index("said the"), text.index("the coach"), text.index("an aide")
    coach = found(text, (said, said + 4), (coach, coach + 9), True, evidence=Evidence.QUOTE)
    aide = found(text, (aide - 5, aide - 1), (aide, aide + 7), False, evidence=Evidence.QUOTE)
    for k, (draft, span) in enumerate(zip(drafts, spans, strict=True)):
        draft.quotes = [span]
        draft.speakers = [coach if k < 3 else aide]
    # The model reads the middle sentences as the outlet's words.
    preds = [prediction("direct_quote"), prediction("editorial"), prediction("direct_quote"),
             prediction("anonymous"), prediction("editorial"), prediction("anonymous")]
    labels = [s.label for s in decide_all(text, drafts, preds, rule=0.2)]
    assert labels[:3] == [D] * 3  # every sentence of the coach's quotation
    assert labels[4] is A  # of the unnamed aide's: anonymous, not direct_quote


def test_a_quote_left_with_the_rules_unnamed_source_is_anonymous():
    # The model calls the quotation direct_quote but tags no source; the rules' source, "one
    # official", is the sentence's, so the label follows it (docs/ANNOTATION.md, rule 1).
    text = '"We will win," one official said.'
    drafts = drafts_of(text)
    drafts[0].quotes = [(1, 12)]
    drafts[0].attributions = [found(text, (28, 32), (15, 27), False, evidence=Evidence.QUOTE)]
    (sentence,) = decide_all(text, drafts, [prediction("direct_quote", second="anonymous")],
                             rule=0.2)
    assert sentence.label is A and sentence.source.text == "one official"
    assert sentence.source_named is False
    assert sentence.confidence == pytest.approx(0.8 * 0.2 + 0.2)


@pytest.mark.parametrize("mark", ["", "«", "„"])  # an opening quote may stand before the label
def test_a_tagged_name_and_colon_is_a_source_and_its_cue(annotator, mark):
    text = mark + "Pence: Flowers Won't Be at Debate\nThe senator said: it failed."
    n = len(mark)
    article = Annotator(annotator.nlp, stance=False, sourcing=False).annotate(text)
    doc = annotator.nlp(text)
    drafts = []
    for sent in article.sentences:
        drafts.append(Draft(sent.start, sent.end, sent.kind, 0))
        drafts[-1].parsed = doc.char_span(sent.start, sent.end, alignment_mode="expand")
    # The tagger took "Pence:" and "said:" for cues and tagged no source in the headline.
    preds = [prediction("reported_speech", [], [(n, n + 6)]),
             prediction("reported_speech", [(0, 11)], [(12, 17)])]
    headline, body = decide_all(text, drafts, preds)
    assert (headline.source.text, headline.cue.text) == ("Pence", ":")
    assert (body.source.text, body.cue.text) == ("The senator", "said:")  # a verb stays a cue


@pytest.mark.parametrize(("text", "pieces", "cue"), [
    ("Ann Cole has repeatedly said the plan would fail.", ("has", "said"),
     "has repeatedly said"),
    ("Ann Cole has said the plan would fail.", ("has", "said"), "has said"),
    # a noun between two tagged words keeps them apart
    ("Ann Cole has plans and said the plan would fail.", ("has", "said"), "has"),
])
def test_pieces_of_one_verb_group_make_one_cue(annotator, text, pieces, cue):
    drafts = drafts_of(text)
    drafts[0].parsed, drafts[0].offset = annotator.nlp(text)[:], 0
    cues = [(text.index(p), text.index(p) + len(p)) for p in pieces]
    (sentence,) = decide_all(text, drafts, [prediction("reported_speech", [(0, 8)], cues)])
    assert sentence.cue.text == cue


def test_the_source_runs_on_into_the_next_sentence_and_pronouns_resolve():
    text = "Ann Cole said the plan would fail.\nIt would cost millions.\nHe agreed."
    preds = [prediction("reported_speech", [(0, 8)], [(9, 13)]),
             prediction("reported_speech"),
             prediction("reported_speech", [(0, 2)], [(3, 9)])]
    _, running, pronoun = decide_all(text, drafts_of(text), preds)
    assert running.source.text == "Ann Cole" and running.cue.text == "said"
    assert pronoun.source.text == "He" and pronoun.source_resolved.text == "Ann Cole"
    assert pronoun.quote_form is QuoteForm.INDIRECT


def test_an_anonymous_sentence_reports_its_unnamed_source(annotator):
    text = "Mayor Ann Cole said the plan had failed, and residents said the repairs were late."
    drafts = drafts_of(text)
    drafts[0].parsed, drafts[0].offset = annotator.nlp(text)[:], 0
    first, second = (0, 14), (text.index("residents"), text.index("residents") + 9)
    cues = [(15, 19), (second[1] + 1, second[1] + 5)]
    (sentence,) = decide_all(text, drafts,
                             [prediction("reported_speech", [first, second], cues)])
    # One unnamed voice makes the sentence anonymous; it reports that voice, and each
    # attribution keeps its own reading.
    assert sentence.label is A
    assert sentence.source.text == "residents" and sentence.source_named is False
    voices = {a.source.text: a.source_named for a in sentence.attributions if a.source}
    assert voices == {"Mayor Ann Cole": True, "residents": False}


@pytest.mark.parametrize(("text", "tagged", "cues", "expected"), [
    # The tagger runs antecedent and pronoun together; the pronoun is the source.
    ("There are some economists who argue that taxes should fall.", "some economists who",
     ["argue"], [("who", "argue")]),
    # The antecedent speaks too ("said"), so it stays a source of its own, the attributing
    # relative clause cut off.
    ("Mr. Kamin, who argued that it would cut costs, said the plan was simple.",
     "Mr. Kamin, who", ["argued", "said"], [("Mr. Kamin", "said"), ("who", "argued")]),
])
def test_a_relative_pronoun_is_the_source_of_its_clause(annotator, text, tagged, cues,
                                                         expected):
    drafts = drafts_of(text)
    parsed = annotator.nlp(text)[:]
    drafts[0].parsed, drafts[0].offset = parsed, 0
    drafts[0].attributions = find_attributions(parsed, [])[0]
    start = text.index(tagged)
    tagged_cues = [(text.index(c), text.index(c) + len(c)) for c in cues]
    (sentence,) = decide_all(
        text, drafts, [prediction("anonymous", [(start, start + len(tagged))], tagged_cues)])
    got = sorted((a.source.text, a.cue.text) for a in sentence.attributions if a.source)
    assert got == expected
    who = next(a for a in sentence.attributions if a.source and a.source.text == "who")
    # "who" is named or not as the phrase it stands for, and resolves to it.
    assert who.source_named is (expected[0][0] == "Mr. Kamin")
    if sentence.source.text == "who":
        assert sentence.source_resolved.text == "some economists"
    assert sentence.label is (A if who.source_named is False else R)


def test_a_tagged_phrase_inside_what_a_cue_reports_is_not_its_speaker(annotator):
    """One cue, one source: where the rules parsed "found" with its subject, a phrase the
    model tagged after it, inside what was found, is not a second (unnamed) source; one
    tagged before it, outside the parse of its content, still is."""
    text = ("The survey found that when the seals left, a Jurassic-era predator called the "
            "frilled shark (Chlamydoselachus anguineus) moved in.")
    drafts = drafts_of(text)
    drafts[0].parsed, drafts[0].offset = annotator.nlp(text)[:], 0
    cue = (text.index("found"), text.index("found") + 5)
    drafts[0].attributions = [found(text, cue, (0, 10), True, Category.THING)]
    fish = (text.index("a Jurassic"), text.index(" called"))
    (sentence,) = decide_all(text, drafts, [prediction("reported_speech", [(0, 10), fish],
                                                       [cue])], fallback=True)
    assert sentence.label is R and sentence.source.text == "The survey"
    assert [a.source.text for a in sentence.attributions if a.source] == ["The survey"]
    text = ("Some residents have been critical; Mayor Jo Hale on Tuesday suggested a review "
            "may be needed.")
    drafts = drafts_of(text)
    drafts[0].parsed, drafts[0].offset = annotator.nlp(text)[:], 0
    cue = (text.index("suggested"), text.index("suggested") + 9)
    hale = (text.index("Mayor"), text.index(" on Tuesday"))
    drafts[0].attributions = [found(text, cue, hale, True)]
    (sentence,) = decide_all(text, drafts, [prediction("anonymous", [(0, 14), hale], [cue])],
                             fallback=True)
    assert sentence.label is A and sentence.source.text == "Some residents"
