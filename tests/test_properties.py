"""Property tests on random and mangled text, on the rules alone: valid offsets, full coverage,
no exceptions, the same output twice."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from attribution import Article

QUOTE_HEAVY = st.sampled_from([*"\"'“”‘’«»„ \n.,:;!?-—()", "said", "Smith", "he", "they"])
WORDS = st.sampled_from(
    ["Officials", "said", "the", "plan", "failed", "according", "to", "Kim", "He", "added",
     "that", "it", "was", "fine", ".", ",", '"', "“", "”", "’", "'", "\n", " ", ":", "?"]
)
TEXTS = st.one_of(
    st.text(max_size=300),
    st.lists(QUOTE_HEAVY, max_size=80).map("".join),
    st.lists(WORDS, max_size=120).map(" ".join),
    st.lists(WORDS, max_size=120).map("".join),
)
SETTINGS = settings(
    max_examples=120, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


def check_article(text: str, article: Article) -> None:
    article.validate()
    assert article.text == text
    owner = [0] * len(text)
    previous_end = 0
    for sentence in article.sentences:
        assert previous_end <= sentence.start < sentence.end <= len(text)
        assert sentence.text == sentence.text.strip()
        previous_end = sentence.end
        for i in range(sentence.start, sentence.end):
            owner[i] += 1
    for i, ch in enumerate(text):
        if not ch.isspace():
            assert owner[i] == 1, f"character {i} {ch!r} is in {owner[i]} sentences"
    for sentence in article.sentences:
        assert 0.0 <= sentence.confidence <= 1.0


@SETTINGS
@given(TEXTS)
def test_any_text_gives_valid_offsets_and_full_coverage(rules, text):
    check_article(text, rules.annotate(text))


@SETTINGS
@given(TEXTS)
def test_output_is_deterministic(rules, text):
    assert rules.annotate(text).to_dict() == rules.annotate(text).to_dict()


@settings(max_examples=40, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.data())
def test_mangled_seed_never_fails(rules, seed_text, data):
    """Delete, duplicate or insert quote marks at random places in the seed article."""
    text = seed_text
    for _ in range(data.draw(st.integers(1, 8))):
        i = data.draw(st.integers(0, len(text)))
        action = data.draw(st.sampled_from(["delete", "insert", "dup"]))
        if action == "delete":
            text = text[:i] + text[i + 5 :]
        elif action == "insert":
            text = text[:i] + data.draw(st.sampled_from(['"', "“", "’", "'", "\n"])) + text[i:]
        else:
            text = text[:i] + text[i : i + 20] + text[i:]
    check_article(text, rules.annotate(text))
