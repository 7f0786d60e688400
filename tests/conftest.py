"""Shared fixtures: one Annotator for the whole run (spaCy loads once) and the seed article."""

from __future__ import annotations

from pathlib import Path

import pytest

from attribution import Annotator, Article

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "seeds" / "putin_allies_bloomberg.txt"


@pytest.fixture(scope="session")
def annotator() -> Annotator:
    return Annotator()


@pytest.fixture(scope="session")
def seed_text() -> str:
    return SEED.read_text(encoding="utf-8")


@pytest.fixture(scope="session")
def seed(annotator: Annotator, seed_text: str) -> Article:
    return annotator.annotate(seed_text, id="seed", outlet="example")


def find(article: Article, fragment: str):
    """The one sentence that contains ``fragment``."""
    hits = [s for s in article.sentences if fragment in s.text]
    assert len(hits) == 1, f"{len(hits)} sentences contain {fragment!r}"
    return hits[0]
