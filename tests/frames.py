"""A small annotated sentence frame, written by hand, for the profile and report tests."""

from __future__ import annotations

import pandas as pd


def stance(target: str, label: str, score: float) -> list[dict]:
    return [{"target": {"start": 0, "end": len(target), "text": target}, "label": label,
             "score": score, "probs": {}}]


def row(outlet, article, label, speaker=None, named=None, words=10, st=None, month="2024-01"):
    return {"outlet": outlet, "article_id": article, "label": label, "speaker": speaker,
            "source": speaker, "source_named": named, "words": words, "stance": st or [],
            "month": month, "text": "w " * words}


def hand_frame() -> pd.DataFrame:
    """Three articles in two outlets whose profile figures are worked out by hand in the tests."""
    rows = [
        # Outlet A, article a1: one sentence of each label, 40 words.
        row("A", "a1", "anonymous", "officials", False, st=stance("Russia", "negative", -0.6)),
        row("A", "a1", "direct_quote", "Kim", True, st=stance("the Kremlin", "negative", -0.8)),
        row("A", "a1", "reported_speech", "Kim", True),
        row("A", "a1", "editorial", st=stance("Russia", "neutral", 0.2)),
        # Outlet A, article a2: two editorial sentences, 10 words.
        row("A", "a2", "editorial", words=5, st=stance("Russia", "positive", 0.4), month="2024-02"),
        row("A", "a2", "editorial", words=5, month="2024-02"),
        # Outlet B, article b1: 40 words.
        row("B", "b1", "reported_speech", "Police", True, words=20),
        row("B", "b1", "anonymous", "sources", False, words=20,
            st=stance("Kremlin", "positive", 0.5)),
    ]
    return pd.DataFrame(rows)
