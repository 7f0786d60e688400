"""The annotator inside a spaCy pipeline: nlp.add_pipe("attribution")."""

from __future__ import annotations

import warnings

import pytest
import spacy
from spacy import displacy
from spacy.tokens import DocBin

from attribution import Annotator
from attribution.pipeline import load_spacy

TEXT = ('"We will not back down," Mayor Ann Cole said on Monday. Officials said the talks '
        "had failed. It rained all day.")


@pytest.fixture(scope="module")
def pipeline():
    nlp = load_spacy()
    nlp.add_pipe("attribution", config={"sourcing": "off", "stance": "off"})
    return nlp


def test_findings_go_where_spacy_users_look(pipeline, rules):
    doc = pipeline(TEXT)
    article = rules.annotate(TEXT)
    # The same decisions as the Annotator's on the same text.
    assert [s.label for s in doc._.attribution.sentences] == [s.label for s in article.sentences]
    first, second, third = list(doc.sents)
    assert first._.attribution_label == "direct_quote" and first._.quote_form == "direct"
    assert second._.attribution_label == "anonymous"
    assert third._.attribution_label == "editorial" and third._.attribution.source is None
    assert 0 < second._.attribution_confidence <= 1
    found = {(span.text, span.label_) for span in doc.spans["attribution"]}
    assert {("Mayor Ann Cole", "SOURCE"), ("said", "CUE"), ("Officials", "SOURCE"),
            ("We will not back down,", "QUOTE")} <= found
    assert [s.text for s in doc.spans["attribution_sources"]] == ["Mayor Ann Cole", "Officials"]
    html = displacy.render(doc, style="span", options={"spans_key": "attribution"})
    assert "SOURCE" in html and "CUE" in html and "QUOTE" in html


def test_findings_survive_a_docbin_round_trip(pipeline):
    doc = pipeline(TEXT)
    stored = DocBin(store_user_data=True)
    stored.add(doc)
    (back,) = DocBin().from_bytes(stored.to_bytes()).get_docs(pipeline.vocab)
    assert [(s.text, s.label_) for s in back.spans["attribution"]] == [
        (s.text, s.label_) for s in doc.spans["attribution"]]
    assert back._.attribution == doc._.attribution
    assert [s._.attribution_label for s in back.sents] == [
        s._.attribution_label for s in doc.sents]


def test_pipe_gives_what_one_doc_at_a_time_gives(pipeline):
    texts = [TEXT, "He said it was over.", ""]
    piped = [doc._.attribution.to_dict() for doc in pipeline.pipe(texts, batch_size=2)]
    assert piped == [pipeline(t)._.attribution.to_dict() for t in texts]


def test_a_pipeline_without_a_parser_fails_at_once():
    with pytest.raises(ValueError, match="no dependency parser"):
        Annotator(nlp=spacy.blank("en"))
    blank = spacy.blank("en")
    with pytest.raises(ValueError, match="no dependency parser"):
        blank.add_pipe("attribution")
    with pytest.raises(TypeError, match="spaCy Language"):
        Annotator(nlp="en_core_web_sm")


@pytest.mark.slow
def test_the_component_runs_the_shipped_models():
    nlp = load_spacy()
    with warnings.catch_warnings():
        warnings.simplefilter("error", UserWarning)  # no model may be missing
        nlp.add_pipe("attribution", config={"sourcing": "on", "stance": "on"})
    doc = nlp(TEXT)
    first = next(iter(doc.sents))
    assert first._.attribution_label == "direct_quote"
    assert any(st["target"]["text"] == "Ann Cole" for st in first._.stance)
