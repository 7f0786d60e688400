"""attribution: how news articles are sourced, sentence by sentence.

>>> import attribution
>>> article = attribution.annotate("Officials said the talks failed.")
>>> article.sentences[0].label
<Label.ANONYMOUS: 'anonymous'>
"""

from __future__ import annotations

from importlib import import_module
from typing import Any

from .document import Article, Attribution, Kind, Label, QuoteForm, Sentence, Span, Stance
from .pipeline import Annotator, annotate
from .spacy_component import make_attribution as _register_spacy_factory  # noqa: F401

__version__ = "0.1.0"

# Corpus analysis pulls in pandas and matplotlib: loaded on first use.
_LAZY = {
    "annotate_corpus": "corpus",
    "load_annotations": "corpus",
    "sourcing_profile": "analysis",
    "stance_profile": "analysis",
    "plot_label_shares": "plots",
    "plot_anonymous_rate": "plots",
    "plot_stance_heatmap": "plots",
    "write_report": "report",
}

__all__ = [
    "Annotator",
    "Article",
    "Attribution",
    "Kind",
    "Label",
    "QuoteForm",
    "Sentence",
    "Span",
    "Stance",
    "annotate",
    *_LAZY,
]


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        return getattr(import_module(f".{_LAZY[name]}", __name__), name)
    raise AttributeError(f"module 'attribution' has no attribute {name!r}")
