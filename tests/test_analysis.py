"""Sourcing and stance profiles against a small frame whose answers are known by hand."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from attribution.analysis import sourcing_profile, stance_frame, stance_profile

from .frames import hand_frame, row


@pytest.fixture
def frame() -> pd.DataFrame:
    return hand_frame()


def test_profile_numbers_by_hand(frame):
    p = sourcing_profile(frame, "outlet", n_boot=200)
    a, b = p.loc["A"], p.loc["B"]
    assert (a["articles"], a["sentences"], a["words"]) == (2, 6, 50)
    assert a["share_anonymous"] == pytest.approx(1 / 6)
    assert a["share_editorial"] == pytest.approx(3 / 6)
    assert a["share_anonymous_of_attributed"] == pytest.approx(1 / 3)
    assert a["share_direct_quote_of_attributed"] == pytest.approx(1 / 3)
    assert a["anonymous_per_1000_words"] == pytest.approx(20.0)
    assert a["named_sources_per_article"] == pytest.approx(0.5)  # Kim in a1, none in a2
    assert a["distinct_sources_per_article"] == pytest.approx(1.0)  # officials + Kim, none
    assert a["direct_quotes_of_attributions"] == pytest.approx(1 / 3)
    assert a["top_sources"] == "Kim (2); officials (1)"
    assert (b["articles"], b["sentences"], b["words"]) == (1, 2, 40)
    assert b["share_anonymous"] == pytest.approx(0.5)
    assert b["anonymous_per_1000_words"] == pytest.approx(25.0)
    assert b["named_sources_per_article"] == pytest.approx(1.0)


def test_intervals_bracket_the_estimate_and_are_seeded(frame):
    p = sourcing_profile(frame, "outlet", n_boot=300, seed=1)
    for column in ("share_anonymous", "share_editorial", "anonymous_per_1000_words"):
        for group in ("A", "B"):
            lo, value, hi = (p.loc[group, f"{column}{s}"] for s in ("_lo", "", "_hi"))
            assert lo <= value + 1e-12 and value <= hi + 1e-12
    # One article: nothing to resample, the interval is the point.
    assert p.loc["B", "share_anonymous_lo"] == p.loc["B", "share_anonymous_hi"] == 0.5
    # Two different articles: resampling them gives a real interval (a2 has no anonymous).
    assert p.loc["A", "share_editorial_lo"] < p.loc["A", "share_editorial_hi"]
    again = sourcing_profile(frame, "outlet", n_boot=300, seed=1)
    pd.testing.assert_frame_equal(p, again)


def test_interval_narrows_with_more_articles():
    """Ten times the articles, the same share: the interval must shrink."""
    labels = ["anonymous", "editorial", "editorial", "editorial"]
    def corpus(n: int, mix: int) -> pd.DataFrame:
        rows = [row("A", f"a{k}", lab) for k in range(n) for lab in labels]
        rows += [row("A", f"x{k}", "editorial") for k in range(mix)]
        return pd.DataFrame(rows)
    small = sourcing_profile(corpus(4, 2), n_boot=500).loc["A"]
    large = sourcing_profile(corpus(40, 20), n_boot=500).loc["A"]
    assert small["share_anonymous"] == pytest.approx(large["share_anonymous"])
    width = lambda p: p["share_anonymous_hi"] - p["share_anonymous_lo"]  # noqa: E731
    assert width(large) < width(small)


def test_any_grouping_column(frame):
    p = sourcing_profile(frame, "month", n_boot=50)
    assert list(p.index) == ["2024-01", "2024-02"]
    assert p.loc["2024-02", "share_editorial"] == 1.0
    assert p["sentences"].sum() == len(frame)


def test_missing_group_value_is_shown_as_none(frame):
    frame.loc[frame["article_id"] == "b1", "outlet"] = None
    p = sourcing_profile(frame, "outlet", n_boot=20)
    assert list(p.index) == ["(none)", "A"]


def test_bad_frames_are_clear_errors(frame):
    with pytest.raises(TypeError, match="DataFrame"):
        sourcing_profile([1, 2, 3])
    with pytest.raises(ValueError, match="section"):
        sourcing_profile(frame, "section")
    with pytest.raises(ValueError, match="ci"):
        sourcing_profile(frame, ci=1.5)


def test_stance_frame_splits_voices_and_normalises_targets(frame):
    sf = stance_frame(frame)
    assert len(sf) == 5
    assert set(sf["target"]) == {"russia", "kremlin"}
    voices = sf.groupby("voice").size().to_dict()
    assert voices == {"editorial": 2, "sources": 3}


def test_stance_profile_by_hand(frame):
    sp = stance_profile(frame, "outlet", n_boot=200).set_index(["outlet", "target", "voice"])
    editorial = sp.loc[("A", "russia", "editorial")]
    assert editorial["n"] == 2 and editorial["articles"] == 2
    assert editorial["mean_score"] == pytest.approx(0.3)
    assert editorial["share_positive"] == pytest.approx(0.5)
    assert editorial["mean_score_lo"] <= 0.3 <= editorial["mean_score_hi"]
    assert sp.loc[("A", "kremlin", "sources"), "mean_score"] == pytest.approx(-0.8)
    assert sp.loc[("B", "kremlin", "sources"), "mean_score"] == pytest.approx(0.5)
    assert sp.loc[("A", "russia", "sources"), "mean_score"] == pytest.approx(-0.6)


def test_stance_profile_without_stance_is_empty(frame):
    frame["stance"] = [[] for _ in range(len(frame))]
    sp = stance_profile(frame)
    assert sp.empty and "mean_score" in sp.columns


def test_nan_never_reaches_counts(frame):
    p = sourcing_profile(frame, "outlet", n_boot=10)
    assert not any(math.isnan(v) for v in p["sentences"])
