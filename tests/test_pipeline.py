"""The public API: annotate, pipe, bad input, long and non-English text, determinism."""

from __future__ import annotations

import warnings

import pytest

import attribution
from attribution import Annotator, Label


def test_module_level_annotate():
    article = attribution.annotate("Officials said the talks failed.", id="a", outlet="o")
    assert article.id == "a" and article.outlet == "o"
    assert article.sentences[0].label is Label.ANONYMOUS


@pytest.mark.parametrize("bad", [None, 42, b"bytes", ["a list"], {"text": "x"}])
def test_non_str_text_is_a_type_error_naming_the_type(annotator, bad):
    with pytest.raises(TypeError, match=type(bad).__name__):
        annotator.annotate(bad)
    with pytest.raises(TypeError, match=type(bad).__name__):
        attribution.annotate(bad)


@pytest.mark.parametrize("text", ["", "   ", "\n\n\t \n"])
def test_empty_text_has_no_sentences(annotator, text):
    article = annotator.annotate(text)
    assert article.sentences == [] and article.text == text


def test_pipe_streams_texts_and_records_in_order(annotator):
    items = [
        "Police said two men were held.",
        {"text": "The storm hit the coast.", "id": 7, "outlet": "Daily"},
        "",
        {"text": '"We won," Kim said.', "title": "Win"},
    ]
    articles = list(annotator.pipe(items, batch_size=2))
    assert [a.text for a in articles] == [
        "Police said two men were held.", "The storm hit the coast.", "", '"We won," Kim said.',
    ]
    assert articles[1].id == "7" and articles[1].outlet == "Daily"
    assert articles[3].title == "Win"
    labels = [a.sentences[0].label for a in articles if a.sentences]
    assert labels == [Label.REPORTED_SPEECH, Label.EDITORIAL, Label.DIRECT_QUOTE]


def test_pipe_matches_annotate(annotator, seed_text):
    one = annotator.annotate(seed_text)
    (piped,) = list(annotator.pipe([seed_text]))
    assert piped == one


def test_pipe_rejects_bad_items(annotator):
    with pytest.raises(TypeError, match="int"):
        list(annotator.pipe(["fine", 3]))
    with pytest.raises(TypeError, match="'text' must be a str"):
        list(annotator.pipe([{"text": None}]))
    with pytest.raises(TypeError, match="iterable"):
        list(annotator.pipe("a single string"))
    with pytest.raises(ValueError, match="batch_size"):
        list(annotator.pipe(["x"], batch_size=0))


def test_output_is_deterministic(annotator, seed_text):
    assert annotator.annotate(seed_text).to_dict() == annotator.annotate(seed_text).to_dict()
    assert Annotator(annotator.nlp).annotate(seed_text) == annotator.annotate(seed_text)


def test_text_longer_than_spacy_max_length(annotator):
    sentence = "Officials said the bridge would reopen soon. "
    text = sentence * 400  # one paragraph, about 18,000 characters
    saved = annotator.nlp.max_length
    annotator.nlp.max_length = 5_000
    try:
        article = annotator.annotate(text)
    finally:
        annotator.nlp.max_length = saved
    article.validate()
    assert len(article.sentences) == 400
    assert {s.label for s in article.sentences} == {Label.ANONYMOUS}


def test_non_english_text_warns_but_works(annotator):
    text = (
        "Der Bundeskanzler erklärte am Montag in Berlin, dass die Regierung die Steuern "
        "senken werde. Die Opposition kritisierte den Plan scharf und forderte Neuwahlen "
        "noch in diesem Jahr, weil die Wirtschaft schwächelt."
    )
    with pytest.warns(UserWarning, match="does not look like English"):
        article = annotator.annotate(text)
    article.validate()
    assert article.sentences


def test_english_text_does_not_warn(annotator, seed_text):
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        annotator.annotate(seed_text)


def test_a_missing_default_model_warns_once_and_a_required_one_raises(annotator, tmp_path,
                                                                      monkeypatch):
    import attribution.pipeline as pipeline

    monkeypatch.setenv("ATTRIBUTION_MODELS", str(tmp_path))
    monkeypatch.setattr(pipeline, "_WARNED", set())
    with pytest.warns(UserWarning, match="no sourcing model in .*rules alone") as caught:
        bare = Annotator(annotator.nlp)
    assert bare.sourcing is None and bare.stance is None
    assert sum("stance" in str(w.message) for w in caught) == 1
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # the second Annotator says nothing more
        Annotator(annotator.nlp)
    with pytest.raises(FileNotFoundError, match="no stance model"):
        Annotator(annotator.nlp, stance=True)
