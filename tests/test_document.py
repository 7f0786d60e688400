"""The data model: offsets, JSON round trip, frames and reprs."""

from __future__ import annotations

import json

import pytest

from attribution import Article, Attribution, Label, Sentence, Span, Stance


def test_every_span_matches_the_text(seed):
    seed.validate()
    for sentence in seed.sentences:
        for span in sentence.spans():
            assert seed.text[span.start : span.end] == span.text


def test_json_round_trip_is_exact(seed):
    data = json.loads(json.dumps(seed.to_dict()))
    again = Article.from_dict(data)
    assert again == seed
    assert again.to_dict() == seed.to_dict()


def test_round_trip_keeps_stance():
    text = "Smith praised Acme."
    sentence = Sentence(0, len(text), text, label=Label.EDITORIAL)
    sentence.stance.append(Stance(Span.of(text, 14, 18), "positive", 0.8, {"positive": 0.85}))
    article = Article(text, [sentence], id="x")
    assert Article.from_dict(article.to_dict()) == article


def test_from_dict_rejects_offsets_that_do_not_fit():
    data = {"text": "Hello world.", "sentences": [{"start": 0, "end": 5, "text": "world"}]}
    with pytest.raises(ValueError, match="does not match"):
        Article.from_dict(data)


def test_from_dict_needs_text():
    with pytest.raises(ValueError, match="'text'"):
        Article.from_dict({"sentences": []})


def test_span_of_checks_bounds():
    assert Span.of("abcdef", 1, 3).text == "bc"
    with pytest.raises(ValueError, match="outside"):
        Span.of("abc", 2, 9)


def test_to_frame_has_one_row_per_sentence(seed):
    frame = seed.to_frame()
    assert len(frame) == len(seed.sentences)
    assert set(frame["label"]) <= {label.value for label in Label}
    assert (frame["article_id"] == "seed").all()
    row = frame[frame["text"].str.startswith("One source told")].iloc[0]
    assert row["source"] == "One source" and row["cue"] == "told" and not row["source_named"]


def test_reprs_are_readable(seed):
    assert repr(seed).startswith("Article(id='seed', outlet='example', 33 sentences")
    text = repr(seed.sentences[2])
    assert "reported_speech" in text and "Bloomberg" in text and "reports" in text


def test_label_is_a_string_enum():
    assert Label("anonymous") is Label.ANONYMOUS
    assert str(Label.DIRECT_QUOTE) == "direct_quote"
    assert Label.EDITORIAL == "editorial"


def test_html_view_shows_every_sentence_and_a_legend(seed):
    html = seed._repr_html_()
    assert "attribution-legend" in html
    assert html.count('class="sent ') == len(seed.sentences)
    assert "&quot;" in html or "“" in html or '"' in html
    assert '<span class="src">Bloomberg</span>' in html


def _two_voices() -> Article:
    text = "Smith said taxes rose, and Jones told reporters they fell."
    sentence = Sentence(0, len(text), text, label=Label.REPORTED_SPEECH,
                        source=Span.of(text, 0, 5), cue=Span.of(text, 6, 10), source_named=True)
    sentence.attributions = [
        Attribution(Span.of(text, 0, 5), Span.of(text, 6, 10), True),
        Attribution(Span.of(text, 27, 32), Span.of(text, 33, 37), True),
    ]
    return Article(text, [sentence], id="two")


def test_frame_lists_every_source_and_cue_of_a_sentence():
    row = _two_voices().to_frame().iloc[0]
    assert row["source"] == "Smith"
    assert row["sources"] == ["Smith", "Jones"] and row["cues"] == ["said", "told"]


def test_html_marks_every_source_and_names_the_others():
    html = _two_voices()._repr_html_()
    assert html.count('<span class="src">') == 2 and html.count('<span class="cue">') == 2
    assert '<span class="src">Jones</span>' in html and "also: Jones" in html
