"""Work grows linearly with the text on adversarial shapes, and any ``str`` is accepted.

Work is counted, not timed: the number of function calls (Python, and spaCy's profiled
Cython) made while annotating a text and the same shape ten times longer. A path that is
quadratic makes the ratio grow with the size; a linear one keeps it near 10.
"""

from __future__ import annotations

import sys
import warnings

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from attribution import Annotator
from attribution.clean import replace_unencodable
from attribution.quotes import QUOTE_MARKS
from benchmarks.adversarial import KINDS

from .test_properties import check_article


@pytest.fixture(scope="module")
def rules(annotator: Annotator) -> Annotator:
    return Annotator(annotator.nlp, sourcing=False, stance=False)


def calls(annotator: Annotator, text: str) -> int:
    """Function calls made while annotating ``text``."""
    count = 0

    def hook(frame, event, arg):
        nonlocal count
        if event in ("call", "c_call"):
            count += 1

    sys.setprofile(hook)
    try:
        annotator.annotate(text)
    finally:
        sys.setprofile(None)
    return count


@pytest.mark.parametrize("kind", ["quoted_pairs", "mixed_marks", "said_chain", "one_line",
                                  "unclosed", "transcript", "unpunctuated"])
def test_work_grows_linearly(rules, kind):
    small, large = KINDS[kind](3_000), KINDS[kind](30_000)
    ratio = calls(rules, large) / calls(rules, small)
    assert ratio < 13, f"{kind}: 10x the text took {ratio:.1f}x the work"


MARKS = sorted(QUOTE_MARKS | set("«»‹›„“”‘’"))
PIECES = st.one_of(
    st.text(max_size=30),
    st.sampled_from(MARKS),
    st.sampled_from(["\ud800", "\udfff", "\udc80x", "\x00", "\x1b[31m", "\u2028", "\x85",
                     "\r\n", "\n\n", "\t", "\ufeff", "\u202e"]),
    st.sampled_from([". ", "? ", "! ", ", he said. ", ": ", "Mr. ", "According to X, "]),
    st.integers(1, 2_000).map(lambda n: "word " * n),  # a long stretch with no boundary
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(PIECES, max_size=12).map("".join))
def test_any_str_is_annotated_with_exact_offsets(rules, text):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        article = rules.annotate(text)
    cleaned = replace_unencodable(text)[0]
    assert len(cleaned) == len(text)  # one code point for one: offsets are kept
    check_article(cleaned, article)
    article.text.encode("utf-8")  # nothing left that cannot be written


def test_lone_surrogates_are_replaced_with_a_warning_naming_the_document(rules):
    with pytest.warns(UserWarning, match=r"story-1: 2 code point"):
        article = rules.annotate("Officials said \udf4b it \ud800 failed.", id="story-1")
    assert article.text == "Officials said \ufffd it \ufffd failed."
    assert article.sentences[0].label.value == "anonymous"
