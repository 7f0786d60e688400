"""Shared fixtures: spaCy loaded once, the default Annotator and the rules alone over it, and the
seed article."""

from __future__ import annotations

from pathlib import Path

import pytest

from attribution import Annotator, Article

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "seeds" / "putin_allies_bloomberg.txt"
# The stance tests' data folder fixtures (``data``, ``with_polnear``); a module's own
# ``data`` fixture takes precedence.
pytest_plugins = ["tests.stance_data"]


@pytest.fixture(scope="session")
def nlp():
    from attribution.pipeline import load_spacy

    return load_spacy()


@pytest.fixture(scope="session")
def annotator(nlp) -> Annotator:
    """The default Annotator: the rules with both shipped models."""
    return Annotator(nlp)


@pytest.fixture(scope="session")
def rules(nlp) -> Annotator:
    """The rules alone: no transformer is loaded."""
    return Annotator(nlp, sourcing=False, stance=False)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """A test that uses the shipped models (the default Annotator, the seed annotated with
    it) is slow: ``-m 'not slow'`` leaves it out of a quick run; CI runs everything."""
    for item in items:
        if {"annotator", "seed"} & set(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.slow)


@pytest.fixture(scope="session")
def seed_text() -> str:
    return SEED.read_text(encoding="utf-8")


@pytest.fixture(scope="session")
def seed(annotator: Annotator, seed_text: str) -> Article:
    return annotator.annotate(seed_text, id="seed", outlet="example")


@pytest.fixture
def small_encoder(tmp_path: Path) -> Path:
    """A tiny randomly initialised BERT with the packaged tokenizer, saved as a local encoder
    folder: another base (``--base``) that trains in seconds."""
    from transformers import BertConfig, BertModel

    from attribution.encoder import load_base

    tokenizer, _ = load_base()
    folder = tmp_path / "small-encoder"
    config = BertConfig(vocab_size=tokenizer.vocab_size, hidden_size=32, num_hidden_layers=2,
                        num_attention_heads=2, intermediate_size=64)
    BertModel(config).save_pretrained(folder)
    tokenizer.save_pretrained(folder)
    return folder


def find(article: Article, fragment: str):
    """The one sentence that contains ``fragment``."""
    hits = [s for s in article.sentences if fragment in s.text]
    assert len(hits) == 1, f"{len(hits)} sentences contain {fragment!r}"
    return hits[0]
