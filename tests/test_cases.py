"""Labels, sources and cues on short examples written for these tests, per label and hard case.

Each case is (text, fragment of the sentence under test, label, source, cue); source and cue
are the expected span texts, or None for none, or "*" when any is fine. A pronoun source is
checked against its resolved antecedent with "pronoun=antecedent".

These pin the rules (``Annotator(sourcing=False)``), the structural extractor that the
sourcing model is merged with; the default annotator is held to the worked examples of
docs/ANNOTATION.md (test_worked_examples.py) and to clear cases in test_sourcing.py.
"""

from __future__ import annotations

import pytest

from attribution import Annotator, Label

from .conftest import find

A, D, R, E = Label.ANONYMOUS, Label.DIRECT_QUOTE, Label.REPORTED_SPEECH, Label.EDITORIAL

CASES = {
    "anonymous": [
        ("Officials said the talks had collapsed.", "Officials", A, "Officials", "said"),
        ("A senior official, who spoke on condition of anonymity, said the plan was dead.",
         "senior", A, "*", "said"),
        ("People close to the talks say a deal is near.", "People", A,
         "People close to the talks", "say"),
        ("Analysts warn that inflation could rise again.", "Analysts", A, "Analysts", "warn"),
        # The entity recogniser takes the plural for a person here; it names nobody.
        ("How much do these figures matter?  Scholars have long argued that ties matter.",
         "Scholars", A, "Scholars", "argued"),
        ("According to two diplomats, the summit was postponed.", "summit", A, "two diplomats",
         "According to"),
        ("Critics argue that the bill favours large companies.", "Critics", A, "Critics",
         "argue"),
        ("Residents told reporters that the water had been cut off for days.", "Residents", A,
         "Residents", "told"),
        ("Critics called Senator Blake a corrupt liar.", "Critics", A, "Critics", "called"),
    ],
    "direct_quote": [
        ('"We will not back down," Prime Minister Anna Berg said.', "back down", D,
         "Prime Minister Anna Berg", "said"),
        # A colon right after the cue verb belongs to the cue, as PolNeAR marks it.
        ('Smith said: "The results speak for themselves."', "results", D, "Smith", "said:"),
        ('"This is a disaster," said Senator Maria Lopez.', "disaster", D, "Senator Maria Lopez",
         "said"),
        ('The mayor called the decision "a slap in the face for every taxpayer."', "slap", D,
         "The mayor", "called"),
        ('"It is over," the company said in a statement.', "over", D, "the company", "said"),
        # The speaker of a closing frame follows its last comma.
        ("“Bankers will change only if they face jail time” for their crimes, she said.", "jail",
         D, "she", "said"),
    ],
    "reported_speech": [
        ("Rubio said that the United States would help.", "Rubio", R, "Rubio", "said"),
        ("The ministry denied that any troops had crossed the border.", "ministry", R,
         "The ministry", "denied"),
        ("According to Reuters, the company will cut 500 jobs.", "Reuters", R, "Reuters",
         "According to"),
        # The parser hangs the clause on the object ("reeks" read as a noun): the source
        # still ends at the comma; after the content, it keeps its appositive.
        ("According to conservative talk radio host Rush Limbaugh, the move reeks of “fear” "
         "and desperation.", "reeks", D, "conservative talk radio host Rush Limbaugh",
         "According to"),
        ("The economy is weak, according to John Smith, a professor at Yale.", "weak", R,
         "John Smith, a professor at Yale", "according to"),
        ("Bloomberg reports that the deal is worth $2 billion.", "Bloomberg", R, "Bloomberg",
         "reports"),
        ("Police said the suspect was arrested on Tuesday.", "Police", R, "Police", "said"),
        ("Microsoft announced that it would open a new office in Nairobi.", "Microsoft", R,
         "Microsoft", "announced"),
    ],
    "editorial": [
        ("The storm hit the coast on Monday night.", "storm", E, None, None),
        ("Maduro is accused of drug trafficking.", "accused", E, None, None),
        ("It is believed that the ship sank within minutes.", "believed", E, None, None),
        ("The company added 300 workers last year.", "added", E, None, None),
        ("Prices rose by 4% in March, the fastest pace in a decade.", "Prices", E, None, None),
        ("Voters complained about long lines at polling stations.", "Voters", E, None, None),
        ("The company called its new phone the Nova.", "phone", E, None, None),
    ],
}

HARD = {
    "partial_quote": [
        ('Trump has said the US would "run" Venezuela.', "run", D, "Trump", "has said"),
        ('The minister described the plan as "reckless and cruel."', "reckless", D,
         "The minister", "described"),
        ('Lopez called the ruling "a victory for democracy."', "victory", D, "Lopez", "called"),
        ('Obama said the economy was "on the mend" after the crisis.', "mend", D, "Obama",
         "said"),
        ('Officials described the situation as "extremely fragile."', "fragile", A, "Officials",
         "described"),
    ],
    "scare_quotes_and_titles": [
        ('The so-called "deep state" has become a rallying cry.', "deep state", E, None, None),
        ('She starred in "The Long Night" in 2019.', "Long Night", E, None, None),
        ('The operation, dubbed "Midnight Hammer", lasted two hours.', "Midnight", E, None,
         None),
        ('The film "Titanic" was released in 1997.', "Titanic", E, None, None),
        ('His "plan" was never published.', "plan", E, None, None),
    ],
    "pronoun_source": [
        ("Mayor John Lee spoke on Monday. He said the budget was balanced.", "budget", R,
         "He=Mayor John Lee", "said"),
        ("Officials met on Friday. They said no agreement was reached.", "agreement", A,
         "They=Officials", "said"),
        ("Angela Merkel visited Paris. She told reporters that Europe must unite.", "Europe", R,
         "She=Angela Merkel", "told"),
        ("Some analysts are sceptical. They argue that the rally will not last.", "rally", A,
         "They=Some analysts", "argue"),
        ("Rubio said the talks went well. He added that more meetings were planned.", "meetings",
         R, "He=Rubio", "added"),
    ],
    "according_to": [
        ("According to the ministry, 40 people were injured.", "injured", R, "the ministry",
         "According to"),
        ("According to officials in Kyiv, the attack began at dawn.", "dawn", A,
         "officials in Kyiv", "According to"),
        ("According to a new study, sleep improves memory.", "sleep", R, "a new study",
         "According to"),
        ("According to sources, the CEO will resign.", "CEO", A, "sources", "According to"),
        ("The deal collapsed, according to The Wall Street Journal.", "deal", R,
         "The Wall Street Journal", "according to"),
    ],
    "said_in_a_statement": [
        ("The White House said in a statement that the visit was cancelled.", "visit", R,
         "The White House", "said"),
        ("Amazon said in a statement that it was reviewing the case.", "reviewing", R, "Amazon",
         "said"),
        ("The Pentagon said in a statement on Sunday that two soldiers were killed.", "soldiers",
         R, "The Pentagon", "said"),
        ('"We are cooperating fully," Boeing said in a statement.', "cooperating", D, "Boeing",
         "said"),
        ("A spokesman said in a statement that the claims were false.", "claims", R,
         "A spokesman", "said"),
    ],
    "multi_paragraph_quote": [
        ('Senator Ruth Kim spoke at length.\n"We built this town.\n"We will rebuild it," Kim said.',
         "built", D, "Kim", "said"),
        ('Senator Ruth Kim spoke at length.\n"We built this town.\n"We will rebuild it," Kim said.',
         "rebuild", D, "Kim", "said"),
        ('Dr. Ada Obi said: "The first trial failed.\n"The second one worked."', "second", D,
         "Dr. Ada Obi", "said:"),
        ('Dr. Ada Obi said: "The first trial failed.\n"The second one worked."', "first", D,
         "Dr. Ada Obi", "said:"),
        ('"One. Two. Three," said the coach, Tom Hale.', "Two.", D, "*", "said"),
        # A cue and a colon closing a paragraph introduce the quotation below it.
        ('The mayor spoke.\n\nSmith added:\n\n"We are done. Really."', "Really", D, "Smith",
         "added:"),
        ('The mayor spoke.\n\nSmith added:\n\n"We are done. Really."', "Smith", R, "Smith",
         "added:"),
        ('Caddell continued:\n\n"The poll is clear. It was later revealed."', "revealed", D,
         "Caddell", "continued:"),
        ('"We are done," Smith continued.', "done", D, "Smith", "continued"),
        # Unquoted content below a colon intro is the intro's source's, for one paragraph.
        ("The mayor spoke.\n\nThe governor added:\n\nIt is typical. She knows nothing.\n\n"
         "The race goes on.", "knows", R, "The governor", "added:"),
        ("The mayor spoke.\n\nThe governor added:\n\nIt is typical. She knows nothing.\n\n"
         "The race goes on.", "race", E, None, None),
        ("The mayor spoke.\n\nOfficials added:\n\nIt is typical.", "typical", A, "Officials",
         "added:"),
        # "continue" attributes only in a speech frame.
        ('Protests against the "reform" continued.', "Protests", E, None, None),
        ("He continued to fight the bill.", "fight", E, None, None),
    ],
    "signature": [
        ("“We will rebuild the town. It is our home.” ― Ruth Kim\nThe market opened late.",
         "rebuild", D, "Ruth Kim", "―"),
        ("“Prices are too high.”\n― Ada Obi\nThe market opened late.", "Prices", D, "Ada Obi",
         "―"),
        ("“Prices are too high.”\n― Ada Obi\nThe market opened late.", "market", E, None,
         None),
        # lower-case words after the dash are no signature: the quotation stays speakerless
        ('"No comment."\n-- additional reporting by Sam Lee.', "No comment", D, None, None),
    ],
    "unbalanced_quotes": [
        ('Smith said "we will win. The vote is on Tuesday.', "vote", E, None, None),
        ('Smith said "we will win. The vote is on Tuesday.', "Smith", R, "Smith", "said"),
        ('He said it was 6" long. Officials said the test failed.', "test", A, "Officials",
         "said"),
        ('The “plan was leaked. Police said two men were held.', "Police", R, "Police", "said"),
        ('It’s the players’ union. Critics say the union is weak.', "Critics", A, "Critics",
         "say"),
    ],
    "institutions_vs_members": [
        ("The government says the economy is growing.", "economy", R, "The government", "says"),
        ("A government official says the economy is shrinking.", "shrinking", A,
         "A government official", "says"),
        ("Prosecutors said the evidence was overwhelming.", "evidence", R, "Prosecutors", "said"),
        ("A police officer said the crowd was peaceful.", "crowd", A, "A police officer",
         "said"),
        ("Administration officials said the policy would change.", "policy", A,
         "Administration officials", "said"),
        ("The Kremlin said the talks were constructive.", "Kremlin", R, "The Kremlin", "said"),
    ],
    "relative_pronoun_source": [
        # The relative pronoun is the source of its clause, as PolNeAR marks it, named or
        # not as the phrase it stands for; an attributing relative clause is no part of the
        # phrase before it, any other relative clause is.
        ('"The plan is simple," said Mr. Kamin, who argued that it would cut costs.', "plan",
         D, "Mr. Kamin", "said"),
        ("There are some economists who argue that taxes should fall.", "economists", A,
         "who=some economists", "argue"),
        ("The minister met Anna Berg, who said the deal was dead.", "deal", R, "who=Anna Berg",
         "said"),
        ("Senator Maria Lopez, who chairs the committee, said the bill would pass.", "bill", R,
         "Senator Maria Lopez, who chairs the committee,", "said"),
    ],
    "set_off_clauses": [
        # a gerund clause after the source is no part of it, a participle in -ed is
        ("Trump, speaking to a veterans group in Virginia, said the army was weak.", "army", R,
         "Trump", "said"),
        ("The latest poll, conducted in early September, shows that Clinton leads.", "leads",
         R, "The latest poll, conducted in early September,", "shows"),
    ],
    "documents_as_sources": [
        ("A new study suggests that coffee is good for the heart.", "coffee", R, "A new study",
         "suggests"),
        ("The report found that emissions rose by 3%.", "emissions", R, "The report", "found"),
        ("According to official figures, unemployment fell to 4%.", "unemployment", R,
         "official figures", "According to"),
        ("A draft communique seen by this newspaper says the leaders will meet in May.",
         "leaders", R, "*", "says"),
        ("Data from PitchBook show that funding dropped sharply.", "funding", R,
         "Data from PitchBook", "show"),
    ],
}


def _params(table: dict) -> list:
    return [
        pytest.param(*case, id=f"{group}-{i}")
        for group, cases in table.items()
        for i, case in enumerate(cases)
    ]


@pytest.fixture(scope="module")
def rules(annotator: Annotator) -> Annotator:
    """The rules alone, sharing the session's spaCy pipeline."""
    return Annotator(annotator.nlp, stance=False, sourcing=False)


def _check(annotator, text, fragment, label, source, cue):
    sentence = find(annotator.annotate(text), fragment)
    assert sentence.label is label, sentence
    if source is None:
        assert sentence.source is None, sentence
    elif source != "*":
        pronoun, _, antecedent = source.partition("=")
        assert sentence.source is not None and sentence.source.text == pronoun, sentence
        if antecedent:
            assert sentence.source_resolved is not None, sentence
            assert sentence.source_resolved.text == antecedent, sentence
    if cue is None:
        assert sentence.cue is None, sentence
    elif cue != "*":
        assert sentence.cue is not None and sentence.cue.text == cue, sentence
    if label is Label.ANONYMOUS:
        assert sentence.source_named is False
    elif label in (Label.DIRECT_QUOTE, Label.REPORTED_SPEECH) and sentence.source is not None:
        assert sentence.source_named is True


@pytest.mark.parametrize(("text", "fragment", "label", "source", "cue"), _params(CASES))
def test_label_examples(rules, text, fragment, label, source, cue):
    _check(rules, text, fragment, label, source, cue)


@pytest.mark.parametrize(("text", "fragment", "label", "source", "cue"), _params(HARD))
def test_hard_cases(rules, text, fragment, label, source, cue):
    _check(rules, text, fragment, label, source, cue)
