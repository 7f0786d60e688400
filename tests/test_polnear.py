"""PolNeAR reading, gold derivation and the evaluate command, on tiny fixtures written here."""

from __future__ import annotations

import json

import pytest

from attribution.cli import main
from attribution.corpora import data_dir
from attribution.corpora.brat import parse_ann
from attribution.corpora.polnear import derive_gold, read_polnear
from attribution.document import Label
from attribution.training.evaluate import evaluate_sourcing, span_scores

TEXT = (
    "Officials said the plan failed.\n"
    '"We will try again," Mayor Ann Cole said.\n'
    "She added that funding was secured.\n"
    "The storm hit the coast.\n"
    "It is believed that the dam broke."
)


def offsets(fragment: str, after: str = "") -> tuple[int, int]:
    """Offsets of the first ``fragment`` that comes after ``after`` in TEXT."""
    start = TEXT.index(fragment, TEXT.index(after) if after else 0)
    return start, start + len(fragment)


# (source, cue, content) of each attribution, each as (fragment, after), or None.
TRIPLES = [
    (("Officials", ""), ("said", ""), ("the plan failed", "")),
    (("Mayor Ann Cole", ""), ("said", "Cole"), ('"We will try again,"', "")),
    (("She", ""), ("added", ""), ("that funding was secured", "")),
    (None, ("believed", ""), ("that the dam broke", "")),
]


def ann_lines() -> str:
    """The BRAT standoff of TRIPLES, as PolNeAR writes it."""
    rows, t = [], 0
    for e, triple in enumerate(TRIPLES, 1):
        roles = []
        for role, where in zip(("Source", "Cue", "Content"), triple, strict=True):
            if where is None:
                continue
            t += 1
            start, end = offsets(*where)
            rows.append(f"T{t}\t{role} {start} {end}\t{TEXT[start:end]}")
            roles.append(f"{role}:T{t}")
        kind = "Attribution" if triple[0] else "Attribution-no-source"
        rows.append(f"E{e}\t{kind}:T{t} " + " ".join(roles))
    return "\n".join(rows) + "\n"


def two_article_splits(folder):
    """A data folder with PolNeAR train and dev of two copies of the fixture article each."""
    root = folder / "polnear"
    for split in ("train", "dev"):
        (root / split / "text").mkdir(parents=True)
        (root / split / "attributions").mkdir(parents=True)
        for k in range(2):
            (root / split / "text" / f"nyt_2016_{k}.txt").write_text(TEXT, encoding="utf-8")
            (root / split / "attributions" / f"nyt_2016_{k}_aa11.ann").write_text(
                ann_lines(), encoding="utf-8")
    return folder


@pytest.fixture
def data(tmp_path):
    root = tmp_path / "polnear"
    for split in ("dev",):
        (root / split / "text").mkdir(parents=True)
        (root / split / "attributions").mkdir(parents=True)
    (root / "dev" / "text" / "nyt_2016_story.txt").write_text(TEXT, encoding="utf-8")
    (root / "dev" / "attributions" / "nyt_2016_story_bb22.ann").write_text(
        ann_lines(), encoding="utf-8")
    # A second annotator's file that metadata order puts second: it must not be chosen.
    (root / "dev" / "attributions" / "nyt_2016_story_aa11.ann").write_text("", encoding="utf-8")
    (root / "metadata.tsv").write_text(
        "compartment\tfilename\tlevel\tannotators\tpublisher\n"
        "dev\tnyt_2016_story\t1\tbb22|aa11\tnyt\n", encoding="utf-8")
    return tmp_path


def test_parse_ann_handles_discontinuous_and_multiline_spans():
    entities, events = parse_ann(
        "T1\tSource 0 5\tSmith\nT2\tContent 10 20;25 30\tfirst part\n"
        "continued on a second line\nT3\tCue 6 9\tsaid\n#1\tAnnotatorNotes T1\tnote\n"
        "E1\tAttribution:T3 Content:T2 Cue:T3 Source:T1\n")
    assert entities["T2"].spans == ((10, 20), (25, 30))
    assert (entities["T2"].start, entities["T2"].end) == (10, 30)
    assert events[0].roles == {"Content": "T2", "Cue": "T3", "Source": "T1"}


def test_read_polnear_picks_the_first_annotator_in_metadata_order(data):
    (article,) = read_polnear("dev", data)
    assert article.annotator == "bb22" and article.outlet == "nyt"
    assert len(article.attributions) == 4
    assert article.attributions[3].source is None


def test_missing_split_or_folder_is_named(data, tmp_path):
    with pytest.raises(FileNotFoundError, match="test texts"):
        read_polnear("test", data)
    with pytest.raises(ValueError, match="split"):
        read_polnear("validation", data)
    with pytest.raises(FileNotFoundError, match="data folder"):
        data_dir(tmp_path / "nowhere")


def test_data_dir_from_environment(data, monkeypatch):
    monkeypatch.setenv("ATTRIBUTION_DATA", str(data))
    assert data_dir() == data


def test_gold_derivation(annotator, data):
    (article,) = read_polnear("dev", data)
    predicted = annotator.annotate(article.text)
    spans = [(s.start, s.end) for s in predicted.sentences]
    gold = derive_gold(article, spans, annotator.nlp)
    assert [g.label for g in gold] == [
        Label.ANONYMOUS,  # officials
        Label.DIRECT_QUOTE,  # named and quoted
        Label.REPORTED_SPEECH,  # "She" takes the named-ness of Mayor Ann Cole
        Label.EDITORIAL,
        Label.EDITORIAL,  # an attribution with no source is sourceless: editorial
    ]
    assert gold[0].source == offsets("Officials")


def test_gold_middle_sentence_of_a_quotation_is_a_direct_quote(annotator):
    from attribution.corpora.polnear import GoldAttribution, PolnearArticle

    text = '"The first trial failed. We tried again. The second one worked," Dr. Obi said.'
    content = (0, text.index(" Dr."))
    source = (text.index("Dr. Obi"), text.index(" said"))
    cue = (text.index("said"), text.index("said") + 4)
    article = PolnearArticle("a", "nyt", "dev", text, "aa",
                             [GoldAttribution(source, cue, [content])])
    spans = [(s.start, s.end) for s in annotator.annotate(text).sentences]
    assert len(spans) == 3
    # The middle sentence holds no quotation mark but lies inside the quotation.
    assert [g.label for g in derive_gold(article, spans, annotator.nlp)] == [Label.DIRECT_QUOTE] * 3


@pytest.mark.parametrize(("sentence", "cue", "label"), [
    ("Mayor Ann Cole wants a new bridge.", "wants", Label.EDITORIAL),
    ("Mayor Ann Cole has steadfastly refused to resign.", "has steadfastly refused",
     Label.EDITORIAL),
    ("Mayor Ann Cole voted against the budget.", "voted against", Label.EDITORIAL),
    ("Mayor Ann Cole said the budget was late.", "said", Label.REPORTED_SPEECH),
    # A word of speech in the cue phrase keeps the attribution.
    ("Mayor Ann Cole sent a letter urging a delay.", "sent a letter urging",
     Label.REPORTED_SPEECH),
    # Consent or a proposal without a clause is an act; with one, a statement.
    ("Mayor Ann Cole has proposed legislation to fund the bridge.", "has proposed",
     Label.EDITORIAL),
    ("Mayor Ann Cole proposed that the vote should wait.", "proposed", Label.REPORTED_SPEECH),
    # A negated cue with nothing but a question says nothing.
    ("Mayor Ann Cole did not say whether the bridge would open.", "did not say",
     Label.EDITORIAL),
    # What she could say is no attribution.
    ("Mayor Ann Cole could say that the bridge is safe.", "could say", Label.EDITORIAL),
])
def test_gold_passes_over_cues_of_action_or_desire(annotator, sentence, cue, label):
    from attribution.corpora.polnear import GoldAttribution, PolnearArticle, sentence_records

    source = (0, len("Mayor Ann Cole"))
    at = sentence.index(cue)
    attribution = GoldAttribution(source, (at, at + len(cue)), [(at + len(cue) + 1,
                                                                 len(sentence) - 1)])
    article = PolnearArticle("a", "nyt", "dev", sentence, "aa", [attribution])
    predicted = annotator.annotate(sentence)
    (record,) = sentence_records([article], [predicted], annotator.nlp)
    assert record["label"] == label.value
    # A passed-over attribution leaves no source or cue span to learn either.
    assert bool(record["sources"]) == (label != Label.EDITORIAL)
    assert bool(record["cues"]) == (label != Label.EDITORIAL)


def test_span_scores_are_exact_match():
    text = "Mayor Ann Cole said so."
    scores = span_scores([text], [{(0, 14)}], [{(6, 14)}])
    assert scores["exact_f1"] == 0.0
    assert 0 < scores["token_f1"] < 1
    assert span_scores([text], [{(0, 14)}], [{(0, 14)}])["exact_f1"] == 1.0


def test_evaluate_sourcing_end_to_end(annotator, data):
    result = evaluate_sourcing("dev", data, annotator)
    assert result["sentences"] == 5 and result["articles"] == 1
    assert result["accuracy"] == 1.0 and result["macro_f1"] == 1.0
    assert result["source_exact_f1"] == 1.0


def test_evaluate_command_json(data, capsys):
    assert main(["evaluate", "sourcing", "--data", str(data), "--split", "dev", "--json"]) == 0
    last = capsys.readouterr().out.strip().splitlines()[-1]
    scores = json.loads(last)
    for key in ("macro_f1", "source_exact_f1", "cue_exact_f1", "per_label", "confusion_matrix"):
        assert key in scores
    assert all(0 <= scores[k] <= 1 for k in ("macro_f1", "source_exact_f1", "cue_exact_f1"))


def test_evaluate_command_missing_split(data, capsys):
    assert main(["evaluate", "sourcing", "--data", str(data), "--split", "test"]) == 2
    assert "test texts not found" in capsys.readouterr().err


def test_gold_relative_pronoun_source_is_named_as_its_antecedent(annotator):
    from attribution.corpora.polnear import GoldAttribution, PolnearArticle

    text = "The minister met Anna Berg, who said the deal was dead. Aides, who said it was not."
    attributions = []
    for sentence in text.split(". "):
        at = text.index(sentence)
        who, said = at + sentence.index("who"), at + sentence.index("said")
        content = (said + 5, at + len(sentence))
        attributions.append(GoldAttribution((who, who + 3), (said, said + 4), [content]))
    article = PolnearArticle("a", "nyt", "dev", text, "aa", attributions)
    spans = [(s.start, s.end) for s in annotator.annotate(text).sentences]
    # "who" stands for Anna Berg (named), then for aides (unnamed).
    assert [g.label for g in derive_gold(article, spans, annotator.nlp)] == [
        Label.REPORTED_SPEECH, Label.ANONYMOUS]


def test_gold_possessive_pronoun_source_takes_its_antecedents_named_ness(annotator):
    from attribution.corpora.polnear import GoldAttribution, PolnearArticle

    # "his" is a pronoun source like "he": it reads as the nearest earlier person source
    # (Ann Berg, named), not as an unnamed phrase of its own.
    text = "Ann Berg said the plan was late. Despite his doubts, Tom Hale signed it."
    said, his = text.index("said"), text.index("his")
    doubts = text.index("doubts")
    attributions = [
        GoldAttribution((0, 8), (said, said + 4), [(said + 5, text.index("."))]),
        GoldAttribution((his, his + 3), (doubts, doubts + 6), [(doubts, doubts + 6)]),
    ]
    article = PolnearArticle("a", "nyt", "dev", text, "aa", attributions)
    spans = [(s.start, s.end) for s in annotator.annotate(text).sentences]
    assert [g.label for g in derive_gold(article, spans, annotator.nlp)] == [
        Label.REPORTED_SPEECH, Label.REPORTED_SPEECH]


def test_gold_apostrophe_is_no_quotation_mark(annotator):
    from attribution.corpora.polnear import GoldAttribution, PolnearArticle

    # Two named sources paraphrased with apostrophes in their content, then one quoted.
    text = ("Ann Berg said Trump’s plan wasn’t ready. "
            "Tom Hale said the city's budget couldn't cover it. "
            "Ann Berg said the plan was 'dead on arrival'.")
    attributions = []
    for sentence in text.split(". "):
        at = text.index(sentence)
        said = at + sentence.index("said")
        attributions.append(GoldAttribution((at, said - 1), (said, said + 4),
                                            [(said + 5, at + len(sentence.rstrip(".")))]))
    article = PolnearArticle("a", "nyt", "dev", text, "aa", attributions)
    spans = [(s.start, s.end) for s in annotator.annotate(text).sentences]
    assert [g.label for g in derive_gold(article, spans, annotator.nlp)] == [
        Label.REPORTED_SPEECH, Label.REPORTED_SPEECH, Label.DIRECT_QUOTE]


def test_gold_surname_is_the_person_named_before(annotator):
    from attribution.corpora.polnear import GoldAttribution, PolnearArticle

    # "Woods" alone is tagged a plural noun; the article named Lisa Woods before.
    text = "Lisa Woods runs a shelter in the city. Woods remarked that the winter had been hard."
    source = text.rindex("Woods")
    cue = text.index("remarked")
    content = (text.index("that the"), len(text) - 1)
    article = PolnearArticle("a", "nyt", "dev", text, "aa", [
        GoldAttribution((source, source + 5), (cue, cue + 8), [content])])
    spans = [(s.start, s.end) for s in annotator.annotate(text).sentences]
    assert [g.label for g in derive_gold(article, spans, annotator.nlp)] == [
        Label.EDITORIAL, Label.REPORTED_SPEECH]
