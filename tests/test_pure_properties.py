"""Property tests on the pure functions: quotation finding, sentence spans, the BIO decoder,
source trimming, the JSON round trip and the bootstrap's interval. Cheap: no model, no parse."""

from __future__ import annotations

import json

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from attribution.analysis import _bootstrap
from attribution.document import Article, Attribution, Kind, Label, QuoteForm, Sentence, Span
from attribution.quotes import find_quotations
from attribution.segment import sentence_spans
from attribution.sourcing import TAGS, viterbi
from attribution.spans import trim_source

MARKY = st.lists(st.sampled_from([*"\"'“”‘’«»„ \n.,:;-—()", "said", "Smith", "WASHINGTON",
                                  "he", "(R-Fla.)", ", who", "Jones"]), max_size=60).map("".join)
TEXT = st.one_of(st.text(max_size=200), MARKY)


@settings(max_examples=300, deadline=None)
@given(TEXT)
def test_quotations_lie_in_the_text_and_never_cross(text):
    segments = []
    for quotation in find_quotations(text):
        assert quotation.segments, "a quotation has at least one segment"
        for a, b in quotation.segments:
            assert 0 < a <= b < len(text) + 1
            assert "\n" not in text[a:b]  # a segment never crosses a line
        segments += quotation.segments
    # Two segments are apart or one holds the other (a quotation inside another style of
    # mark: "'...'" within '"..."'); they never cross.
    for a, b in segments:
        for c, d in segments:
            assert b <= c or d <= a or (a <= c and d <= b) or (c <= a and b <= d)


@settings(max_examples=300, deadline=None)
@given(TEXT, st.lists(st.integers(0, 200), max_size=12))
def test_sentence_spans_cover_every_non_space_character_once(text, candidates):
    spans = sentence_spans(text, 0, len(text), candidates)
    owner = [0] * len(text)
    for a, b in spans:
        assert 0 <= a < b <= len(text) and text[a:b] == text[a:b].strip()
        for i in range(a, b):
            owner[i] += 1
    assert all(owner[i] == 1 for i, ch in enumerate(text) if not ch.isspace())


@settings(max_examples=300, deadline=None)
@given(st.lists(st.lists(st.floats(-20, 0), min_size=len(TAGS), max_size=len(TAGS)),
                max_size=30))
def test_the_decoder_always_gives_a_valid_bio_sequence(scores):
    path = [TAGS[t] for t in viterbi(scores)]
    assert len(path) == len(scores)
    previous = "O"
    for tag in path:
        if tag.startswith("I-"):
            assert previous[2:] == tag[2:], path  # an inside tag continues its own kind
        previous = tag


@settings(max_examples=300, deadline=None)
@given(TEXT, st.data())
def test_source_trimming_is_idempotent_and_stays_inside(text, data):
    start = data.draw(st.integers(0, len(text)))
    end = data.draw(st.integers(start, len(text)))
    once = trim_source(text, start, end)
    assert start <= once[0] <= once[1] <= max(end, once[1])
    assert once[1] <= len(text)
    assert trim_source(text, *once) == once


@st.composite
def articles(draw):
    text = draw(st.text(min_size=1, max_size=120))

    def span():
        a = draw(st.integers(0, len(text)))
        return Span.of(text, a, draw(st.integers(a, len(text))))

    sentences = []
    for _ in range(draw(st.integers(0, 4))):
        whole = span()
        sentences.append(Sentence(
            whole.start, whole.end, whole.text, kind=draw(st.sampled_from(list(Kind))),
            label=draw(st.sampled_from(list(Label))),
            confidence=draw(st.floats(0, 1)), quote_form=draw(st.sampled_from(list(QuoteForm))),
            source=draw(st.none() | st.just(span())), source_named=draw(st.none() | st.booleans()),
            cue=draw(st.none() | st.just(span())), quotes=[span() for _ in range(draw(
                st.integers(0, 2)))],
            attributions=[Attribution(span(), span(), draw(st.none() | st.booleans()))]))
    return Article(text, sentences, id=draw(st.none() | st.text(max_size=5)),
                   outlet=draw(st.none() | st.text(max_size=5)))


@settings(max_examples=200, deadline=None)
@given(articles())
def test_json_round_trip_gives_the_same_article(article):
    again = Article.from_dict(json.loads(json.dumps(article.to_dict())))
    assert again == article


@settings(max_examples=100, deadline=None)
@given(st.lists(st.integers(1, 9).flatmap(lambda b: st.tuples(st.integers(0, b), st.just(b))),
                min_size=1, max_size=40), st.integers(0, 10_000))
def test_the_bootstrap_interval_holds_the_value(rows, seed):
    values = np.array(rows, dtype=float)
    value = values[:, 0].sum() / values[:, 1].sum()
    lo, hi = _bootstrap(values, [0], [1], 1.0, np.random.default_rng(seed), 1000, 0.95)
    assert lo - 1e-12 <= value <= hi + 1e-12
    # and within what any resample can give: the smallest and largest article share
    shares = [a / b for a, b in rows]
    assert min(shares) - 1e-12 <= lo and hi <= max(shares) + 1e-12
